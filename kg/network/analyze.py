"""Network analysis of a knowledge graph: hubs, communities, brokers, paths.

Everything here works on the multigraph of :func:`kg.network.graph.to_networkx`.
Places and articles are context, not actors: hubs, brokers, communities,
components and paths are computed over organisations, people, programs,
worker groups and awards (:func:`kg.network.graph.actors`), unless
``with_places=True``.  Centralities and communities are computed on the
undirected simple projection (:func:`kg.network.graph.simple_undirected`), where two
entities are linked when any relation joins them.

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
community name
    The label of its most central trade union, else of its most central
    program, else of its most central member (:func:`community_name`).
    Communities of two entities are counted, not listed first.
union activity
    For each trade union: the programs it organises, the worker groups
    those programs benefit, the money stated about it or its programs
    (figures in 元) and its membership (figures in 人 counting 会员).
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import KgError
from ..model import CLASSES, RELATIONS
from .graph import (
    ARTICLE,
    CLASS_LABELS_ZH,
    actors,
    communities,
    find_node,
    ordered_subgraph,
    pagerank,
    simple_undirected,
)

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = [
    "BETWEENNESS_EXACT_LIMIT",
    "Hop",
    "analyze",
    "brokers",
    "community_name",
    "format_path",
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
#: Communities smaller than this are counted but not listed as findings.
_MIN_COMMUNITY = 3


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
    relation: str
    label_zh: str
    forward: bool
    evidence: list[tuple[str, str, float | None]] = field(default_factory=list)

    def __str__(self) -> str:
        if self.forward:
            return f"{self.source_label} —[{self.label_zh}]→ {self.target_label}"
        return f"{self.source_label} ←[{self.label_zh}]— {self.target_label}"


# ---------------------------------------------------------------------------
# centrality


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
    return {"id": v, "label": d.get("label", v), "class": d.get("class", ""), **scores}


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


def community_name(G: nx.MultiDiGraph, members: Iterable[str], score: dict[str, float]) -> str:
    """The name of a community: its leading trade union, else its leading program, else its leading member.

    "Leading" is the highest ``score`` (PageRank); ties go to the shorter,
    then the smaller label, so the name is stable.
    """
    ranked = sorted(members, key=lambda v: (-score.get(v, 0.0), len(str(G.nodes[v].get("label", v))),
                                             str(G.nodes[v].get("label", v)), str(v)))  # fmt: skip
    if not ranked:
        return ""
    for wanted in (_UNION, "Program"):
        for v in ranked:
            if G.nodes[v].get("class") == wanted:
                return str(G.nodes[v].get("label", v))
    return str(G.nodes[ranked[0]].get("label", ranked[0]))


def _yuan(value: float) -> str:
    """Money for a report: 252490000 → '2.52 亿元', 3800000 → '380 万元', 40 → '40 元'."""
    if value >= 1e8:
        return f"{value / 1e8:.3g} 亿元"
    if value >= 1e4:
        return f"{value / 1e4:.4g} 万元"
    return f"{value:g} 元"


def _union_activity(G: nx.MultiDiGraph, top: int) -> dict[str, Any]:
    """Programs, worker groups served, money and members per trade union (see the module's definitions)."""
    cls = {v: d.get("class", "") for v, d in G.nodes(data=True)}
    runs: dict[str, set[str]] = defaultdict(set)
    serves: dict[str, set[str]] = defaultdict(set)
    for s, o, d in G.edges(data=True):
        rel = d.get("relation")
        if rel == "organizes" and cls[s] == _UNION and cls[o] == "Program":
            runs[s].add(o)
        elif rel == "benefits" and cls[s] == "Program" and cls[o] == "WorkerGroup":
            serves[s].add(o)

    def money(v: str) -> float:
        return float(sum(f["value"] for f in G.nodes[v].get("figures") or () if f.get("unit") == "元"))

    def label(v: str) -> str:
        return str(G.nodes[v].get("label", v))

    rows = []
    for u in (v for v in G if cls[v] == _UNION):
        programs = runs.get(u, set())
        groups = set().union(*(serves.get(p, set()) for p in programs)) if programs else set()
        total = money(u) + sum(money(p) for p in programs)
        members = [f["value"] for f in G.nodes[u].get("figures") or ()
                   if f.get("unit") == "人" and "会员" in str(f.get("measure", ""))]  # fmt: skip
        if not programs and not total and not members:
            continue
        d = G.nodes[u]
        rows.append({
            "id": u,
            "label": label(u),
            "programs": sorted(label(p) for p in programs),
            "worker_groups": sorted(label(g) for g in groups),
            "money_yuan": total,
            "members": max(members) if members else None,
            "articles": len(d.get("articles") or ()),
            "first_date": d.get("first_date"),
            "last_date": d.get("last_date"),
        })  # fmt: skip
    rows.sort(key=lambda r: (-len(r["programs"]), -r["money_yuan"], -(r["members"] or 0), r["label"]))
    return {
        "definition": (
            "programs a union organises, the worker groups they benefit, money stated about the union "
            "or its programs (元), members (人 counting 会员)"
        ),
        "unions": len(rows),
        "items": rows[: max(top, 1) * 2],
    }


def analyze(G: nx.MultiDiGraph, *, seed: int = 0, top: int = 10, with_places: bool = False) -> dict[str, Any]:
    """Analyse a knowledge graph.

    Parameters
    ----------
    G
        A graph from :func:`kg.network.graph.to_networkx` (possibly cut down with
        :func:`kg.network.graph.ego`; its focus is then reported).
    seed
        Seed of the community detection and of sampled betweenness: the same
        graph and seed give the same result.
    top
        How many entities to list per ranking.
    with_places
        Count places as actors in hubs, brokers, communities and
        components (by default they are context and left out).

    Returns
    -------
    dict
        JSON-serialisable; see :func:`render_markdown` for its sections.
    """
    focus = G.graph.get("focus") or {}
    A = actors(G, with_places=with_places, keep=[focus["id"]] if focus.get("id") else ())
    U = simple_undirected(A)
    cls = {v: d.get("class", "") for v, d in G.nodes(data=True)}
    degree = {v: float(d) for v, d in U.degree()}
    pr = pagerank(U)
    bc, samples = _betweenness(U, seed)
    hubs = [
        _entry(G, v, degree=int(degree[v]), pagerank=_round(pr.get(v, 0.0)), betweenness=_round(bc.get(v, 0.0)))
        for v in _ranked(U.nodes, pr, G, top)
    ]
    components, largest = _components(G, U, degree)
    return {
        "graph": {
            "nodes": G.number_of_nodes(),
            "edges": G.number_of_edges(),
            "actors": U.number_of_nodes(),
            "linked_pairs": U.number_of_edges(),
            "with_places": with_places,
            "focus": G.graph.get("focus"),
            "seed": seed,
            "top": top,
        },
        **_counts(G, cls),
        "hubs": hubs,
        "top": _top_per_class(G, U, cls, {"degree": degree, "pagerank": pr, "betweenness": bc}, top),
        "betweenness": {"exact": samples is None, "samples": samples},
        "activity": _union_activity(G, top),
        "communities": _communities_found(G, U, cls, pr, largest, seed),
        "components": components,
        "brokers": _brokers_found(G, U, cls, degree, top),
        "projections": _projections(G, cls, top),
    }


def _counts(G: nx.MultiDiGraph, cls: dict[str, str]) -> dict[str, dict[str, int]]:
    """Entities per class (every contract class listed) and edges per relation."""
    class_counts = {c: 0 for c in CLASSES}
    class_counts.update(Counter(cls.values()))
    rel_counts = {r: 0 for r in (*RELATIONS, "holds")}
    rel_counts.update(Counter(d.get("relation", k) for _, _, k, d in G.edges(keys=True, data=True)))
    return {"classes": {c: n for c, n in class_counts.items() if n or c in CLASSES}, "relations": rel_counts}


def _top_per_class(
    G: nx.MultiDiGraph, U: nx.Graph, cls: dict[str, str], measures: dict[str, dict[str, float]], top: int
) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """For each class with actors, its ``top`` entities by degree, by PageRank and by betweenness."""
    by_class: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for c in [*CLASSES, ARTICLE]:
        members = [v for v in U if cls[v] == c]
        if not members:
            continue
        by_class[c] = {
            name: [_entry(G, v, score=_round(table.get(v, 0.0))) for v in _ranked(members, table, G, top)]
            for name, table in measures.items()
        }
        for e in by_class[c]["degree"]:
            e["score"] = int(e["score"])
    return by_class


def _components(G: nx.MultiDiGraph, U: nx.Graph, degree: dict[str, float]) -> tuple[dict[str, Any], list[str]]:
    """Connected components of the actors: counts, sizes and the largest one (also returned, ranked by degree)."""
    import networkx as nx

    comps = sorted(nx.connected_components(U), key=lambda c: (-len(c), min(c))) if U else []
    largest = _ranked(comps[0], degree, G, len(comps[0])) if comps else []
    info = {
        "count": len(comps),
        "sizes": [len(c) for c in comps],
        "isolated": sum(1 for c in comps if len(c) == 1),
        "largest": {
            "size": len(largest),
            "share": _round(len(largest) / U.number_of_nodes()) if U.number_of_nodes() else 0.0,
            "members": [G.nodes[v].get("label", v) for v in largest] if len(largest) <= 25 else None,
        },
    }
    return info, largest


def _communities_found(
    G: nx.MultiDiGraph, U: nx.Graph, cls: dict[str, str], pr: dict[str, float], largest: list[str], seed: int
) -> dict[str, Any]:
    """Louvain communities, named and sized, with the modularity of the split of the largest component."""
    import networkx as nx

    comms = communities(U, seed=seed)
    items: list[dict[str, Any]] = []
    for comm in comms:
        if len(comm) < 2:
            continue
        members = _ranked(comm, pr, G, len(comm))
        items.append(
            {
                "name": community_name(G, members, pr),
                "size": len(members),
                "members": members,
                "labels": [G.nodes[v].get("label", v) for v in members],
                "classes": dict(sorted(Counter(cls[v] for v in members).items())),
                "trivial": len(members) < _MIN_COMMUNITY,
            }
        )
    items.sort(key=lambda c: (c["trivial"], -c["size"], c["name"]))
    inside = set(largest)
    in_largest = [set(c) & inside for c in comms if set(c) & inside]
    modularity = None
    if len(in_largest) > 1 and ordered_subgraph(U, inside).number_of_edges():
        modularity = _round(nx.community.modularity(ordered_subgraph(U, inside), in_largest, weight="weight"))
    return {
        "algorithm": "louvain",
        "seed": seed,
        "count": sum(1 for c in items if not c["trivial"]),
        "pairs": sum(1 for c in items if c["trivial"]),
        "singletons": sum(1 for c in comms if len(c) == 1),
        "modularity_largest": modularity,
        "items": items,
    }


def _brokers_found(
    G: nx.MultiDiGraph, U: nx.Graph, cls: dict[str, str], degree: dict[str, float], top: int
) -> dict[str, Any]:
    """The brokers between unions and programs or enterprises, most pairs disconnected first."""
    b = brokers(U, lambda v: cls[v] == _UNION, lambda v: cls[v] in _TARGETS)
    broker_ids = [v for v in b["articulation_points"] if b["lost"][v] > 0]
    broker_ids.sort(key=lambda v: (-b["lost"][v], G.nodes[v].get("label", ""), v))
    return {
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


def _projections(G: nx.MultiDiGraph, cls: dict[str, str], top: int) -> dict[str, Any]:
    """Unions that share programs, and worker groups that programs serve (see the module's definitions)."""
    union_hubs: dict[str, set[str]] = defaultdict(set)
    group_hubs: dict[str, set[str]] = defaultdict(set)
    for s, o, d in G.edges(data=True):
        rel = d.get("relation")
        if rel in ("organizes", "participatesIn") and cls[s] == _UNION and cls[o] == "Program":
            union_hubs[o].add(s)
        elif rel == "benefits" and cls[s] == "Program" and cls[o] == "WorkerGroup":
            group_hubs[s].add(o)
    served: dict[str, set[str]] = defaultdict(set)
    for prog, groups in group_hubs.items():
        for g in groups:
            served[g].add(prog)
    return {
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


def _names(labels: list[str], limit: int = 6) -> str:
    return "、".join(labels[:limit]) + (f" … (+{len(labels) - limit})" if len(labels) > limit else "")


def render_markdown(result: dict[str, Any]) -> str:
    """The analysis as a Markdown report."""
    out = _md_scope(result["graph"])
    out += _md_counts(result)
    out += _md_hubs(result)
    out += _md_activity(result["activity"])
    out += _md_communities(result["communities"])
    out += _md_components(result["components"])
    out += _md_top_per_class(result["top"])
    out += _md_brokers(result["brokers"])
    out += _md_projections(result["projections"])
    return "\n".join(out) + "\n"


def _md_scope(g: dict[str, Any]) -> list[str]:
    """The title, the focus and what counts as an actor."""
    out = ["# Network analysis", ""]
    if g.get("focus"):
        f = g["focus"]
        out += [f"Ego network of **{_md(f['label'])}** within {f['radius']} hop(s).", ""]
    scope = (
        "places count as actors (--with-places)"
        if g.get("with_places")
        else "places and articles are context: hubs, communities, components and brokers are computed over "
        "organisations, people, programs, worker groups and awards (--with-places to include places)"
    )
    return out + [
        f"{g['nodes']} entities, {g['edges']} relations; {g['actors']} actors with {g['linked_pairs']} "
        f"linked pairs; community seed {g['seed']}. {scope[0].upper()}{scope[1:]}.",
        "",
    ]


def _md_counts(result: dict[str, Any]) -> list[str]:
    """Entities per class and edges per relation."""
    out = ["## Counts", ""]
    out += _table(
        ["class", "类别", "entities"],
        ((c, CLASS_LABELS_ZH.get(c, ""), n) for c, n in result["classes"].items()),
    )
    out += [""]
    return out + _table(["relation", "edges"], ((r, n) for r, n in result["relations"].items() if n))


def _md_hubs(result: dict[str, Any]) -> list[str]:
    """The most central entities by PageRank."""
    out = ["", "## Hubs (PageRank)", ""]
    out += _table(
        ["#", "entity", "class", "degree", "PageRank", "betweenness"],
        (
            (i, h["label"], h["class"], h["degree"], f"{h['pagerank']:.4f}", f"{h['betweenness']:.4f}")
            for i, h in enumerate(result["hubs"], 1)
        ),
    )
    bt = result["betweenness"]
    if not bt["exact"]:
        out += ["", f"Betweenness estimated from {bt['samples']} sampled sources."]
    return out


def _md_activity(act: dict[str, Any]) -> list[str]:
    """Each union's programs, the worker groups they serve, its money and members."""
    out = ["", "## Unions: programs, worker groups, money", "",
           f"{act['unions']} unions organise a program or have money or members stated. "
           f"Money adds the figures in 元 stated about the union and about its programs.", ""]  # fmt: skip
    return out + _table(
        ["#", "union", "programs", "worker groups served", "money", "members", "articles", "dates"],
        (
            (
                i,
                r["label"],
                f"{len(r['programs'])}: {_names(r['programs'], 4)}" if r["programs"] else "0",
                _names(r["worker_groups"], 4),
                _yuan(r["money_yuan"]) if r["money_yuan"] else "",
                f"{r['members']:,}" if r["members"] else "",
                r["articles"],
                "–".join(dict.fromkeys(d for d in (r["first_date"], r["last_date"]) if d)),
            )
            for i, r in enumerate(act["items"], 1)
        ),
    )


def _md_communities(cm: dict[str, Any]) -> list[str]:
    """The communities of three or more entities, with the count of the smaller ones."""
    mod = cm.get("modularity_largest")
    out = [
        "",
        "## Communities",
        "",
        f"Louvain (seed {cm['seed']}): {cm['count']} communities of {_MIN_COMMUNITY} or more entities, "
        f"each named after its leading union or program; besides them {cm['pairs']} pairs and "
        f"{cm['singletons']} entities with no relation."
        + (f" Modularity within the largest component: {mod:.3f}." if mod is not None else ""),
        "",
    ]
    return out + _table(
        ["#", "community", "size", "classes", "members"],
        (
            (
                i,
                c["name"],
                c["size"],
                ", ".join(f"{k} {v}" for k, v in c["classes"].items()),
                "、".join(c["labels"][:10]) + (" …" if c["size"] > 10 else ""),
            )
            for i, c in enumerate((c for c in cm["items"] if not c["trivial"]), 1)
        ),
    )


def _md_components(cp: dict[str, Any]) -> list[str]:
    """Component sizes, and the members of the largest when it is small."""
    sizes = ", ".join(str(s) for s in cp["sizes"][:20]) + (" …" if len(cp["sizes"]) > 20 else "")
    out = [
        "",
        "## Connected components",
        "",
        f"{cp['count']} components (sizes {sizes or '-'}); {cp['isolated']} isolated entities. "
        f"The largest holds {cp['largest']['size']} entities ({cp['largest']['share']:.0%}).",
    ]
    if cp["largest"]["members"]:
        out += ["", "Largest component: " + "、".join(_md(m) for m in cp["largest"]["members"]) + "."]
    return out


def _md_top_per_class(top: dict[str, dict[str, list[dict[str, Any]]]]) -> list[str]:
    """One table per class: its leading entities by degree, PageRank and betweenness side by side."""
    out = ["", "## Top entities per class", ""]
    for c, tables in top.items():
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
    return out


def _md_brokers(br: dict[str, Any]) -> list[str]:
    """The brokers and the pairs each one holds together."""
    out = [
        "## Brokers",
        "",
        f"A broker is an entity whose removal disconnects (trade union, program or enterprise) pairs "
        f"that do not include it, scored by the number of such pairs. "
        f"{br['articulation_points']} articulation points, {br['count']} brokers.",
        "",
    ]
    return out + _table(
        ["#", "entity", "class", "pairs disconnected", "pieces left", "degree"],
        (
            (i, e["label"], e["class"], e["pairs_disconnected"], e["pieces"], e["degree"])
            for i, e in enumerate(br["items"], 1)
        ),
    )


def _md_projections(projections: dict[str, Any]) -> list[str]:
    """Unions sharing programs; programs and the worker groups they serve."""
    up = projections["union_program"]
    out = [
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
    pw = projections["program_worker_group"]
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
    return out


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


def shortest_path(G: nx.MultiDiGraph, a: str, b: str, *, with_places: bool = False) -> list[Hop]:
    """The shortest connection between two named entities, ignoring direction.

    ``a`` and ``b`` are names, aliases or IRIs (see :func:`kg.network.graph.find_node`).
    The path does not pass through places (two people in one city are not
    thereby connected) unless ``with_places``; the two ends themselves may
    be places.  Between two consecutive entities the relation with the most
    evidence is shown.  Raises :class:`kg.errors.KgError` when they are not
    connected.
    """
    import networkx as nx

    src, dst = find_node(G, a), find_node(G, b)
    H = actors(G, with_places=with_places, keep=(src, dst))
    try:
        nodes = nx.shortest_path(H.to_undirected(as_view=True), src, dst)
    except nx.NetworkXNoPath:
        la, lb = G.nodes[src].get("label", src), G.nodes[dst].get("label", dst)
        hint = ""
        if not with_places and nx.has_path(G.to_undirected(as_view=True), src, dst):
            hint = "; they are linked through places: pass --with-places to see how"
        raise KgError(f"no connection between {la} and {lb} in this graph{hint}") from None
    hops = []
    for u, v in itertools.pairwise(nodes):
        key, data, forward = _best_edge(G, u, v)
        hops.append(
            Hop(
                source=u,
                target=v,
                source_label=G.nodes[u].get("label", u),
                target_label=G.nodes[v].get("label", v),
                relation=data.get("relation", key),
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
    with_places: bool = False,
) -> dict[str, Any]:
    """Analyse a build and write ``analysis.md`` and ``analysis.json`` into it.

    ``focus`` restricts the analysis to the ego network of that entity (name,
    alias or IRI) within ``radius`` hops; ``with_places`` counts places as
    actors.  Returns the result of :func:`analyze`; both files are written
    atomically.
    """
    from pathlib import Path

    from ..errors import InputError, OutputError
    from ..store import atomic_write_text, write_json
    from .graph import subgraph, to_networkx

    if top < 1:
        raise InputError(f"--top must be 1 or more, not {top}")
    G = to_networkx(build_dir)
    if focus:
        G = subgraph(G, focus=focus, radius=radius)
    result = analyze(G, seed=seed, top=top, with_places=with_places)
    out = Path(build_dir)
    try:
        write_json(out / "analysis.json", result)
        atomic_write_text(out / "analysis.md", render_markdown(result))
    except PermissionError as e:
        raise OutputError(f"{out}: cannot write the analysis ({e.strerror})") from None
    return result
