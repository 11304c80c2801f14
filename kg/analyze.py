"""Network analysis of a knowledge graph: hubs, communities, brokers, paths.

Everything here works on the multigraph of :func:`kg.graph.to_networkx`.
Centralities and communities are computed on its undirected simple
projection (:func:`kg.graph.simple_undirected`), where two entities are
linked when any relation joins them.

:func:`analyze` returns a JSON-serialisable dict; :func:`render_markdown`
turns it into a report; :func:`shortest_path` explains how two entities are
connected, hop by hop, with the sentences that support each hop.

Definitions
-----------
broker
    An entity ``v`` whose removal disconnects at least one pair
    ``(u, t)`` where ``u`` is a trade union, ``t`` a program or an enterprise,
    and neither is ``v``; its score is the number of such pairs.  Only
    articulation points can be brokers; they and the sizes of the pieces
    their removal leaves are found in one depth-first search per component,
    so the cost is linear in the size of the graph.
union–program projection
    Two trade unions are linked when they organise or take part in the same
    program (``organizes`` or ``participatesIn``); the weight is the number
    of programs they share.
program–worker group projection
    Two worker groups are linked when one program benefits both
    (``benefits``); the weight is the number of such programs.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import KgError
from .graph import ARTICLE, CLASS_LABELS_ZH, find_node, simple_undirected
from .model import CLASSES, RELATIONS

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = [
    "BETWEENNESS_EXACT_LIMIT",
    "Hop",
    "analyze",
    "brokers",
    "format_path",
    "pagerank",
    "render_markdown",
    "shortest_path",
    "write_analysis",
]

#: Above this many nodes betweenness is estimated from a seeded sample of sources.
BETWEENNESS_EXACT_LIMIT = 1000
_BETWEENNESS_SAMPLES = 400
#: Pairs listed per projection in the result.
_MAX_PAIRS = 50
_UNION = "TradeUnion"
_TARGETS = frozenset({"Program", "Enterprise"})


@dataclass(frozen=True, slots=True)
class Hop:
    """One step of a path: the relation between two consecutive entities.

    ``forward`` is true when the relation points from ``source`` to ``target``
    (徐昌顺 —[会员]→ 镇安县总工会) and false when it points back.
    """

    source: str
    target: str
    source_label: str
    target_label: str
    rel: str
    label_zh: str
    forward: bool
    evidence: list[tuple[str, str, float | None]] = field(default_factory=list)

    def __str__(self) -> str:
        if self.forward:
            return f"{self.source_label} —[{self.label_zh}]→ {self.target_label}"
        return f"{self.source_label} ←[{self.label_zh}]— {self.target_label}"


# ---------------------------------------------------------------------------
# centrality


def pagerank(U: nx.Graph, *, weight: str | None = "weight") -> dict[str, float]:
    """PageRank of an undirected graph; empty graphs give ``{}``.

    Uses NetworkX's SciPy implementation when SciPy is installed, else a
    plain power iteration with the same defaults (damping 0.85).
    """
    import networkx as nx

    if U.number_of_nodes() == 0:
        return {}
    try:
        import scipy  # noqa: F401
    except ImportError:
        return _pagerank_power(U, weight=weight)
    return dict(nx.pagerank(U, weight=weight))


def _pagerank_power(
    U: nx.Graph, *, weight: str | None, alpha: float = 0.85, tol: float = 1e-10
) -> dict[str, float]:
    nodes = list(U)
    n = len(nodes)
    x = dict.fromkeys(nodes, 1.0 / n)
    strength = {v: sum((d.get(weight, 1) if weight else 1) for d in U[v].values()) for v in nodes}
    for _ in range(200):
        dangling = alpha * sum(x[v] for v in nodes if strength[v] == 0) / n
        nxt = dict.fromkeys(nodes, (1.0 - alpha) / n + dangling)
        for v in nodes:
            if strength[v]:
                share = alpha * x[v] / strength[v]
                for w, d in U[v].items():
                    nxt[w] += share * (d.get(weight, 1) if weight else 1)
        err = sum(abs(nxt[v] - x[v]) for v in nodes)
        x = nxt
        if err < n * tol:
            break
    return x


def _betweenness(U: nx.Graph, seed: int) -> tuple[dict[str, float], int | None]:
    import networkx as nx

    n = U.number_of_nodes()
    if n <= BETWEENNESS_EXACT_LIMIT:
        return dict(nx.betweenness_centrality(U)), None
    k = min(n, _BETWEENNESS_SAMPLES)
    return dict(nx.betweenness_centrality(U, k=k, seed=seed)), k


# ---------------------------------------------------------------------------
# brokers


def brokers(U: nx.Graph, is_union: Callable[[str], bool], is_target: Callable[[str], bool]) -> dict[str, Any]:
    """Articulation points and the (union, target) pairs each one holds together.

    Parameters
    ----------
    U
        An undirected simple graph.
    is_union, is_target
        Predicates on nodes; a pair ``(u, t)`` counts when ``is_union(u)`` and
        ``is_target(t)``.

    Returns
    -------
    dict
        ``{"articulation_points": [...], "lost": {v: pairs}, "pieces": {v: k}}``:
        for each articulation point ``v``, the number of counted pairs (not
        involving ``v``) connected in ``U`` but not in ``U - v``, and the
        number of components ``v``'s removal leaves of its own component.
    """
    disc: dict[str, int] = {}
    low: dict[str, int] = {}
    sub_t: dict[str, int] = {}
    sub_q: dict[str, int] = {}
    children: dict[str, list[str]] = defaultdict(list)
    own = {v: (int(is_union(v)), int(is_target(v))) for v in U}
    articulation: list[str] = []
    lost: dict[str, int] = {}
    pieces: dict[str, int] = {}
    clock = 0
    for root in U:
        if root in disc:
            continue
        disc[root] = low[root] = clock
        clock += 1
        sub_t[root], sub_q[root] = own[root]
        order = [root]
        stack: list[tuple[str, str | None, Iterable[str]]] = [(root, None, iter(U[root]))]
        while stack:
            v, parent, neighbours = stack[-1]
            for w in neighbours:
                if w == parent:
                    continue
                if w not in disc:
                    disc[w] = low[w] = clock
                    clock += 1
                    sub_t[w], sub_q[w] = own[w]
                    children[v].append(w)
                    order.append(w)
                    stack.append((w, v, iter(U[w])))
                    break
                low[v] = min(low[v], disc[w])
            else:
                stack.pop()
                if parent is not None:
                    low[parent] = min(low[parent], low[v])
                    sub_t[parent] += sub_t[v]
                    sub_q[parent] += sub_q[v]
        total_t, total_q = sub_t[root], sub_q[root]
        for v in order:
            cut = [c for c in children[v] if low[c] >= disc[v]]
            if v == root:
                if len(children[v]) < 2:
                    continue
                parts = [(sub_t[c], sub_q[c]) for c in cut]
            else:
                if not cut:
                    continue
                parts = [(sub_t[c], sub_q[c]) for c in cut]
                parts.append(
                    (
                        total_t - own[v][0] - sum(p[0] for p in parts),
                        total_q - own[v][1] - sum(p[1] for p in parts),
                    )
                )
            articulation.append(v)
            before = (total_t - own[v][0]) * (total_q - own[v][1])
            after = sum(t * q for t, q in parts)
            lost[v] = before - after
            pieces[v] = len(parts)
    return {"articulation_points": articulation, "lost": lost, "pieces": pieces}


# ---------------------------------------------------------------------------
# the report


def _entry(G: nx.MultiDiGraph, v: str, **scores: Any) -> dict[str, Any]:
    d = G.nodes[v]
    return {"id": v, "label": d.get("label", v), "cls": d.get("cls", ""), **scores}


def _ranked(nodes: Iterable[str], score: dict[str, float], G: nx.MultiDiGraph, top: int) -> list[str]:
    return sorted(nodes, key=lambda v: (-score.get(v, 0.0), G.nodes[v].get("label", ""), v))[:top]


def _round(x: float) -> float:
    return round(float(x), 6)


def _projection(
    G: nx.MultiDiGraph,
    hub_of: dict[str, set[str]],
    members_key: str,
    shared_key: str,
) -> dict[str, Any]:
    """Pairs of nodes sharing a hub (``hub → {members}``), heaviest first."""
    shared: dict[tuple[str, str], set[str]] = defaultdict(set)
    for hub, members in hub_of.items():
        for a, b in itertools.combinations(sorted(members), 2):
            shared[(a, b)].add(hub)

    def label(v: str) -> str:
        return str(G.nodes[v].get("label", v))

    pairs = sorted(shared.items(), key=lambda kv: (-len(kv[1]), label(kv[0][0]), label(kv[0][1]), kv[0]))
    return {
        "pairs_total": len(pairs),
        "pairs": [
            {
                members_key: [label(a), label(b)],
                "ids": [a, b],
                "weight": len(hubs),
                shared_key: sorted(label(h) for h in hubs),
            }
            for (a, b), hubs in pairs[:_MAX_PAIRS]
        ],
    }


def analyze(G: nx.MultiDiGraph, *, seed: int = 0, top: int = 10) -> dict[str, Any]:
    """Analyse a knowledge graph.

    Parameters
    ----------
    G
        A graph from :func:`kg.graph.to_networkx` (possibly cut down with
        :func:`kg.graph.ego`; its focus is then reported).
    seed
        Seed of the community detection and of sampled betweenness: the same
        graph and seed give the same result.
    top
        How many entities to list per ranking.

    Returns
    -------
    dict
        JSON-serialisable; see :func:`render_markdown` for its sections.
    """
    import networkx as nx

    U = simple_undirected(G)
    cls = {v: d.get("cls", "") for v, d in G.nodes(data=True)}

    class_counts = {c: 0 for c in CLASSES}
    class_counts.update(Counter(cls.values()))
    rel_counts = {r: 0 for r in (*RELATIONS, "holds")}
    rel_counts.update(Counter(d.get("rel", k) for _, _, k, d in G.edges(keys=True, data=True)))

    degree = {v: float(d) for v, d in U.degree()}
    pr = pagerank(U)
    bc, samples = _betweenness(U, seed)

    def scores(v: str) -> dict[str, Any]:
        return {
            "degree": int(degree[v]),
            "pagerank": _round(pr.get(v, 0.0)),
            "betweenness": _round(bc.get(v, 0.0)),
        }

    hubs = [_entry(G, v, **scores(v)) for v in _ranked(G.nodes, pr, G, top)]
    by_class: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for c in [*CLASSES, ARTICLE]:
        members = [v for v in G if cls[v] == c]
        if not members:
            continue
        by_class[c] = {
            name: [_entry(G, v, score=_round(table.get(v, 0.0))) for v in _ranked(members, table, G, top)]
            for name, table in (("degree", degree), ("pagerank", pr), ("betweenness", bc))
        }
        for e in by_class[c]["degree"]:
            e["score"] = int(e["score"])

    # communities
    comms = nx.community.louvain_communities(U, weight="weight", seed=seed) if U.number_of_nodes() else []
    items: list[dict[str, Any]] = []
    for comm in comms:
        if len(comm) < 2:
            continue
        members = _ranked(comm, degree, G, len(comm))
        head = [G.nodes[v].get("label", v) for v in members[:3]]
        name = " / ".join(head) + (" / …" if len(members) > 3 else "")
        items.append(
            {
                "name": name,
                "size": len(members),
                "members": members,
                "labels": [G.nodes[v].get("label", v) for v in members],
                "classes": dict(sorted(Counter(cls[v] for v in members).items())),
            }
        )
    items.sort(key=lambda c: (-c["size"], c["name"]))
    communities = {
        "algorithm": "louvain",
        "seed": seed,
        "count": len(items),
        "singletons": sum(1 for c in comms if len(c) == 1),
        "modularity": _round(nx.community.modularity(U, comms, weight="weight"))
        if U.number_of_edges()
        else 0.0,
        "items": items,
    }

    # components
    comps = sorted(nx.connected_components(U), key=lambda c: (-len(c), min(c))) if U else []
    largest = _ranked(comps[0], degree, G, len(comps[0])) if comps else []
    components = {
        "count": len(comps),
        "sizes": [len(c) for c in comps],
        "isolated": sum(1 for c in comps if len(c) == 1),
        "largest": {
            "size": len(largest),
            "share": _round(len(largest) / U.number_of_nodes()) if U.number_of_nodes() else 0.0,
            "members": [G.nodes[v].get("label", v) for v in largest] if len(largest) <= 25 else None,
        },
    }

    # brokers
    b = brokers(U, lambda v: cls[v] == _UNION, lambda v: cls[v] in _TARGETS)
    broker_ids = [v for v in b["articulation_points"] if b["lost"][v] > 0]
    broker_ids.sort(key=lambda v: (-b["lost"][v], G.nodes[v].get("label", ""), v))
    broker_info = {
        "definition": (
            "removing the entity disconnects (trade union, program or enterprise) pairs "
            "that do not include it; score = number of such pairs"
        ),
        "articulation_points": len(b["articulation_points"]),
        "count": len(broker_ids),
        "items": [
            _entry(G, v, pairs_disconnected=b["lost"][v], pieces=b["pieces"][v], degree=int(degree[v]))
            for v in broker_ids[:top]
        ],
    }

    # projections
    union_hubs: dict[str, set[str]] = defaultdict(set)
    group_hubs: dict[str, set[str]] = defaultdict(set)
    for s, o, d in G.edges(data=True):
        rel = d.get("rel")
        if rel in ("organizes", "participatesIn") and cls[s] == _UNION and cls[o] == "Program":
            union_hubs[o].add(s)
        elif rel == "benefits" and cls[s] == "Program" and cls[o] == "WorkerGroup":
            group_hubs[s].add(o)
    served: dict[str, set[str]] = defaultdict(set)
    for prog, groups in group_hubs.items():
        for g in groups:
            served[g].add(prog)
    projections = {
        "union_program": {
            "definition": (
                "unions linked when they organise or take part in the same program; weight = shared programs"
            ),
            "programs": len(union_hubs),
            "unions": len(set().union(*union_hubs.values())) if union_hubs else 0,
            **_projection(G, union_hubs, "unions", "programs"),
        },
        "program_worker_group": {
            "definition": "worker groups linked when one program benefits both; weight = shared programs",
            "programs": len(group_hubs),
            "groups": [
                {
                    "id": g,
                    "label": G.nodes[g].get("label", g),
                    "count": len(progs),
                    "programs": sorted(G.nodes[p].get("label", p) for p in progs),
                }
                for g, progs in sorted(
                    served.items(), key=lambda kv: (-len(kv[1]), G.nodes[kv[0]].get("label", ""))
                )
            ][: max(top, 1) * 3],
            **_projection(G, group_hubs, "groups", "programs"),
        },
    }

    return {
        "graph": {
            "nodes": G.number_of_nodes(),
            "edges": G.number_of_edges(),
            "linked_pairs": U.number_of_edges(),
            "focus": G.graph.get("focus"),
            "seed": seed,
            "top": top,
        },
        "classes": {c: n for c, n in class_counts.items() if n or c in CLASSES},
        "relations": rel_counts,
        "hubs": hubs,
        "top": by_class,
        "betweenness": {"exact": samples is None, "samples": samples},
        "communities": communities,
        "components": components,
        "brokers": broker_info,
        "projections": projections,
    }


# ---------------------------------------------------------------------------
# markdown


def _md(text: Any) -> str:
    """A table cell: no pipes or line breaks."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(head: list[str], rows: Iterable[Iterable[Any]]) -> list[str]:
    body = ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
    if not body:
        return ["None."]
    return ["| " + " | ".join(head) + " |", "|" + "---|" * len(head), *body]


def render_markdown(result: dict[str, Any]) -> str:
    """The analysis as a Markdown report."""
    g = result["graph"]
    out = ["# Network analysis", ""]
    if g.get("focus"):
        f = g["focus"]
        out += [f"Ego network of **{_md(f['label'])}** within {f['radius']} hop(s).", ""]
    out += [
        f"{g['nodes']} entities, {g['edges']} relations ({g['linked_pairs']} linked pairs); "
        f"community seed {g['seed']}.",
        "",
        "## Counts",
        "",
    ]
    out += _table(
        ["class", "类别", "entities"],
        ((c, CLASS_LABELS_ZH.get(c, ""), n) for c, n in result["classes"].items()),
    )
    out += [""]
    out += _table(["relation", "edges"], ((r, n) for r, n in result["relations"].items() if n))
    out += ["", "## Hubs (PageRank)", ""]
    out += _table(
        ["#", "entity", "class", "degree", "PageRank", "betweenness"],
        (
            (i, h["label"], h["cls"], h["degree"], f"{h['pagerank']:.4f}", f"{h['betweenness']:.4f}")
            for i, h in enumerate(result["hubs"], 1)
        ),
    )
    bt = result["betweenness"]
    if not bt["exact"]:
        out += ["", f"Betweenness estimated from {bt['samples']} sampled sources."]
    out += ["", "## Top entities per class", ""]
    for c, tables in result["top"].items():
        out += [f"### {c} ({CLASS_LABELS_ZH.get(c, '')})", ""]
        rows = itertools.zip_longest(tables["degree"], tables["pagerank"], tables["betweenness"])
        out += _table(
            ["#", "by degree", "by PageRank", "by betweenness"],
            (
                (
                    i,
                    *(
                        ""
                        if e is None
                        else f"{e['label']} ({e['score'] if k == 0 else format(e['score'], '.4f')})"
                        for k, e in enumerate(row)
                    ),
                )
                for i, row in enumerate(rows, 1)
            ),
        )
        out += [""]

    cm = result["communities"]
    out += [
        "## Communities",
        "",
        f"Louvain (seed {cm['seed']}): {cm['count']} communities of two or more entities, "
        f"{cm['singletons']} isolated entities; modularity {cm['modularity']:.3f}.",
        "",
    ]
    out += _table(
        ["#", "community", "size", "classes", "members"],
        (
            (
                i,
                c["name"],
                c["size"],
                ", ".join(f"{k} {v}" for k, v in c["classes"].items()),
                "、".join(c["labels"][:10]) + (" …" if c["size"] > 10 else ""),
            )
            for i, c in enumerate(cm["items"], 1)
        ),
    )

    cp = result["components"]
    sizes = ", ".join(str(s) for s in cp["sizes"][:20]) + (" …" if len(cp["sizes"]) > 20 else "")
    out += [
        "",
        "## Connected components",
        "",
        f"{cp['count']} components (sizes {sizes or '-'}); {cp['isolated']} isolated entities. "
        f"The largest holds {cp['largest']['size']} entities ({cp['largest']['share']:.0%}).",
    ]
    if cp["largest"]["members"]:
        out += ["", "Largest component: " + "、".join(_md(m) for m in cp["largest"]["members"]) + "."]

    br = result["brokers"]
    out += [
        "",
        "## Brokers",
        "",
        f"A broker is an entity whose removal disconnects (trade union, program or enterprise) pairs "
        f"that do not include it, scored by the number of such pairs. "
        f"{br['articulation_points']} articulation points, {br['count']} brokers.",
        "",
    ]
    out += _table(
        ["#", "entity", "class", "pairs disconnected", "pieces left", "degree"],
        (
            (i, e["label"], e["cls"], e["pairs_disconnected"], e["pieces"], e["degree"])
            for i, e in enumerate(br["items"], 1)
        ),
    )

    up = result["projections"]["union_program"]
    out += [
        "",
        "## Unions sharing programs",
        "",
        f"{up['definition'][0].upper()}{up['definition'][1:]}. "
        f"{up['unions']} unions, {up['programs']} programs, {up['pairs_total']} linked pairs.",
        "",
    ]
    out += _table(
        ["unions", "shared", "programs"],
        ((" — ".join(p["unions"]), p["weight"], "、".join(p["programs"])) for p in up["pairs"]),
    )
    pw = result["projections"]["program_worker_group"]
    out += [
        "",
        "## Programs and the worker groups they serve",
        "",
        f"{pw['programs']} programs benefit worker groups; {pw['definition']}.",
        "",
    ]
    out += _table(
        ["worker group", "programs", "program names"],
        ((gr["label"], gr["count"], "、".join(gr["programs"])) for gr in pw["groups"]),
    )
    if pw["pairs"]:
        out += [""]
        out += _table(
            ["worker groups", "shared", "programs"],
            ((" — ".join(p["groups"]), p["weight"], "、".join(p["programs"])) for p in pw["pairs"]),
        )
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------
# paths


def _best_edge(G: nx.MultiDiGraph, u: str, v: str) -> tuple[str, dict[str, Any], bool]:
    candidates: list[tuple[int, int, str, dict[str, Any], bool]] = []
    for a, b, forward in ((u, v, True), (v, u, False)):
        for key, data in (G.get_edge_data(a, b) or {}).items():
            candidates.append((-len(data.get("evidence") or ()), 0 if forward else 1, key, data, forward))
    candidates.sort(key=lambda c: c[:3])
    _, _, key, data, forward = candidates[0]
    return key, data, forward


def shortest_path(G: nx.MultiDiGraph, a: str, b: str) -> list[Hop]:
    """The shortest connection between two named entities, ignoring direction.

    ``a`` and ``b`` are names, aliases or IRIs (see :func:`kg.graph.find_node`).
    Between two consecutive entities the relation with the most evidence is
    shown.  Raises :class:`kg.errors.KgError` when they are not connected.
    """
    import networkx as nx

    src, dst = find_node(G, a), find_node(G, b)
    try:
        nodes = nx.shortest_path(G.to_undirected(as_view=True), src, dst)
    except nx.NetworkXNoPath:
        la, lb = G.nodes[src].get("label", src), G.nodes[dst].get("label", dst)
        raise KgError(f"no connection between {la} and {lb} in this graph") from None
    hops = []
    for u, v in itertools.pairwise(nodes):
        key, data, forward = _best_edge(G, u, v)
        hops.append(
            Hop(
                source=u,
                target=v,
                source_label=G.nodes[u].get("label", u),
                target_label=G.nodes[v].get("label", v),
                rel=data.get("rel", key),
                label_zh=data.get("label_zh", key),
                forward=forward,
                evidence=list(data.get("evidence") or ()),
            )
        )
    return hops


def format_path(G: nx.MultiDiGraph, hops: list[Hop]) -> str:
    """Hops as text: one line per hop, its evidence sentences indented below."""
    articles = G.graph.get("articles") or {}
    lines = []
    for hop in hops:
        lines.append(str(hop))
        if not hop.evidence:
            lines.append("    (no evidence sentence recorded)")
        for text, art, conf in hop.evidence:
            info = articles.get(art) or {}
            where = [f"《{info['headline']}》" if info.get("headline") else art]
            if info.get("position") is not None:
                where.append(f"article {info['position']}")
            if conf is not None:
                where.append(f"confidence {conf:g}")
            lines.append(f"    “{text}” ({', '.join(where)})")
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# the entry point of `kg analyze`


def write_analysis(
    build_dir: Any,
    *,
    focus: str | None = None,
    radius: int = 2,
    top: int = 10,
    seed: int = 0,
) -> dict[str, Any]:
    """Analyse a build and write ``analysis.md`` and ``analysis.json`` into it.

    ``focus`` restricts the analysis to the ego network of that entity (name,
    alias or IRI) within ``radius`` hops.  Returns the result of
    :func:`analyze`; both files are written atomically.
    """
    from pathlib import Path

    from .errors import InputError, OutputError
    from .graph import subgraph, to_networkx
    from .store import atomic_write_text, write_json

    if top < 1:
        raise InputError(f"--top must be 1 or more, not {top}")
    G = to_networkx(build_dir)
    if focus:
        G = subgraph(G, focus=focus, radius=radius)
    result = analyze(G, seed=seed, top=top)
    out = Path(build_dir)
    try:
        write_json(out / "analysis.json", result)
        atomic_write_text(out / "analysis.md", render_markdown(result))
    except PermissionError as e:
        raise OutputError(f"{out}: cannot write the analysis ({e.strerror})") from None
    return result
