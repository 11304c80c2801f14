"""The knowledge graph as a NetworkX multigraph, for analysis and drawing.

:func:`to_networkx` reads a build (or an in-memory ``pyoxigraph.Store``) with
SPARQL and returns a :class:`networkx.MultiDiGraph`:

* one node per entity, keyed by its IRI, with the attributes ``class`` (the
  contract class, e.g. ``TradeUnion``), ``label``, ``aliases``, ``iri``,
  ``articles`` (IRIs of the articles that mention it), ``first_date`` and
  ``last_date`` (the earliest and latest date of those articles, or
  ``None``), ``figures`` (the figures stated about it: dicts of ``measure``,
  ``value`` and ``unit``) and, for places with a division code, ``code``;
* one edge per direct relation of the core vocabulary, keyed by the
  property's local name, with ``relation``, the Chinese edge label
  ``label_zh`` (the ontology's ``rdfs:label``) and ``evidence``, a list of
  ``(sentence text, article IRI, confidence)``;
* one ``Person → organisation`` edge per post, with ``relation == "holds"``,
  ``role`` (the Chinese role, which is also its ``label_zh``) and the key
  ``holds:ROLE``, so that two posts in one organisation stay two edges.

The attribute names are those of the exports (``kg export --format graphml``)
and of :meth:`kg.api.KnowledgeGraph.entities`.

``G.graph["articles"]`` maps every article IRI to its ``headline``,
``position``, ``source`` and ``date``, so that callers can show where a node
or an edge comes from without going back to the store.

:func:`find_node` resolves a name typed by a user (label or alias, in either
script) to a node; :func:`subgraph` (with :func:`ego` and :func:`top_nodes`)
cuts the graph down for focused analyses and pictures.

Places and articles are context, not actors: :func:`actors` drops them (or
keeps the places), and the centralities and communities of
:mod:`kg.network.analyze`, the viewer and the exports are computed on what it keeps.
:func:`pagerank` and :func:`communities` are the shared measures.
"""

from __future__ import annotations

import difflib
import functools
import os
import unicodedata
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..model import CLASSES, RELATIONS

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = [
    "ARTICLE",
    "CLASS_LABELS_ZH",
    "CONTEXT_CLASSES",
    "PLACE",
    "REL_LABELS_ZH",
    "actors",
    "communities",
    "ordered_subgraph",
    "ego",
    "find_node",
    "fold",
    "pagerank",
    "simple_undirected",
    "subgraph",
    "to_networkx",
    "top_nodes",
]

#: The ``class`` of article nodes (present only with ``articles=True``).
ARTICLE = "Article"
#: The class of places.
PLACE = "Place"
#: Classes that give context (where, in which report) rather than act.
CONTEXT_CLASSES = frozenset({PLACE, ARTICLE})

#: Chinese edge labels: the ``rdfs:label@zh`` of each property in the
#: ontology (a test keeps the two equal; reading them here avoids loading
#: rdflib for every graph).
REL_LABELS_ZH: dict[str, str] = {
    "locatedIn": "位于",
    "partOf": "隶属于",
    "subOrganizationOf": "从属于",
    "memberOf": "加入",
    "organizes": "举办",
    "participatesIn": "参与",
    "benefits": "惠及",
    "employedBy": "就职于",
    "establishedUnion": "建立工会",
    "receivedAward": "获得荣誉",
    "holds": "任职",
    "mentionedIn": "见于",
    "byline": "署名",
}

#: Chinese names of the classes, for legends and reports.
CLASS_LABELS_ZH: dict[str, str] = {
    "TradeUnion": "工会",
    "Enterprise": "企业",
    "GovernmentBody": "党政机关",
    "OtherOrganization": "其他组织",
    "Person": "人物",
    "Program": "项目活动",
    "Place": "地点",
    "WorkerGroup": "职工群体",
    "Award": "荣誉",
    ARTICLE: "报道",
}

#: The ontology namespace (kept equal to ``kg.rdf.namespace.GH`` by a test; not
#: imported from there so that loading this module does not load rdflib).
_GH = "https://w3id.org/gonghui-kg/ontology#"
_QUOTES = "\"'“”‘’「」『』《》〈〉【】〔〕()（）"


def _values(names: Iterable[str]) -> str:
    return " ".join(f"gh:{n}" for n in names)


_Q_ENTITIES = f"""
SELECT ?e ?cls ?label WHERE {{
  VALUES ?cls {{ {_values(CLASSES)} }}
  ?e a ?cls .
  OPTIONAL {{ ?e rdfs:label ?label }}
}}"""

_Q_ATTRS = """
SELECT ?e ?p ?v WHERE {
  VALUES ?p { skos:altLabel gh:mentionedIn gh:divisionCode gh:confidence }
  ?e ?p ?v .
}"""

_Q_RELATIONS = f"""
SELECT ?s ?p ?o WHERE {{
  VALUES ?p {{ {_values(RELATIONS)} }}
  ?s ?p ?o .
}}"""

_Q_POSTS = """
SELECT ?person ?post ?org ?role ?asOf WHERE {
  ?person gh:holds ?post .
  ?post gh:postIn ?org .
  OPTIONAL { ?post gh:role ?role }
  OPTIONAL { ?post gh:asOf ?asOf }
}"""

_Q_EVIDENCE = f"""
SELECT ?s ?p ?o ?text ?art ?idx ?conf WHERE {{
  VALUES ?p {{ {_values(RELATIONS)} gh:holds }}
  GRAPH ?ev {{ ?s ?p ?o }}
  ?ev prov:wasDerivedFrom ?sent .
  ?sent gh:text ?text ; gh:inArticle ?art .
  OPTIONAL {{ ?sent gh:sentenceIndex ?idx }}
  OPTIONAL {{ ?ev gh:confidence ?conf }}
}}"""

_Q_ARTICLES = """
SELECT ?a ?headline ?position ?source ?date WHERE {
  ?a a gh:Article .
  OPTIONAL { ?a gh:headline ?headline }
  OPTIONAL { ?a gh:position ?position }
  OPTIONAL { ?a gh:sourceFile ?source }
  OPTIONAL { ?a gh:date ?date }
}"""

_Q_FIGURES = """
SELECT ?e ?measure ?value ?unit WHERE {
  ?s a gh:Statistic ; gh:about ?e ; gh:value ?value .
  OPTIONAL { ?s gh:measure ?measure }
  OPTIONAL { ?s gh:unit ?unit }
}"""

_Q_BYLINES = """
SELECT ?a ?p WHERE { ?a a gh:Article ; gh:byline ?p . }
"""


def _local(iri: str) -> str:
    if iri.startswith(_GH):
        return iri[len(_GH) :]
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _float(term: Any) -> float | None:
    if term is None:
        return None
    try:
        return float(term.value)
    except ValueError:
        return None


def _int(term: Any) -> int | None:
    value = _float(term)
    return None if value is None else int(value)


def _rows(store: Any, query: str) -> Iterable[Any]:
    from ..rdf.namespace import PREFIXES

    return store.query(query, prefixes=PREFIXES)  # type: ignore[no-any-return]


def _open(source: Any) -> Any:
    if isinstance(source, str | os.PathLike):
        from ..store import open_store

        return open_store(source)
    if hasattr(source, "quads_for_pattern") and hasattr(source, "query"):
        return source
    raise TypeError(f"expected a build directory or a pyoxigraph.Store, not {type(source).__name__}")


def _check_classes(classes: Collection[str] | None) -> set[str] | None:
    if classes is None:
        return None
    wanted = {c.strip() for c in classes if c.strip()}
    known = {*CLASSES, ARTICLE}
    unknown = sorted(wanted - known)
    if unknown:
        raise InputError(f"unknown class {', '.join(unknown)}; choose from {', '.join([*CLASSES, ARTICLE])}")
    return wanted


def _pick_label(labels: list[tuple[str, str]]) -> str | None:
    """Prefer a ``@zh`` label, then any; the smallest string breaks ties."""
    if not labels:
        return None
    return min(labels, key=lambda lv: (lv[1] != "zh", lv[0]))[0]


@dataclass
class _Read:
    """What :func:`to_networkx` reads from the store, before any node is made."""

    cls_of: dict[str, str] = field(default_factory=dict)  #: entity IRI → its class's local name
    labels: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    aliases: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    mentioned: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    codes: dict[str, str] = field(default_factory=dict)
    confidence: dict[str, float] = field(default_factory=dict)
    articles: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: (s, p, o) → {(text, article, confidence, sentence index)}
    evidence: dict[tuple[str, str, str], set[tuple[str, str, float | None, int]]] = field(
        default_factory=lambda: defaultdict(set)
    )
    figures: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))


def to_networkx(
    store_or_build_dir: Any,
    *,
    articles: bool = False,
    classes: Collection[str] | None = None,
) -> nx.MultiDiGraph:
    """Project the entity graph of a build onto a NetworkX multigraph.

    Parameters
    ----------
    store_or_build_dir
        A build directory (``kg build -o OUT``) or an open ``pyoxigraph.Store``
        in the layout of ``ontology/README.md``.
    articles
        Also add the articles as nodes (``class == "Article"``, label = headline)
        with ``mentionedIn`` edges from the entities they mention and
        ``byline`` edges to their reporters.
    classes
        Keep only nodes of these classes (local names such as
        ``"TradeUnion"``; ``"Article"`` implies ``articles``).

    Returns
    -------
    networkx.MultiDiGraph
        Nodes and edges are inserted in sorted order, so two loads of one
        build give identical graphs.

    Examples
    --------
    >>> G = to_networkx("out")  # doctest: +SKIP
    >>> G.nodes["https://w3id.org/gonghui-kg/id/TradeUnion/全国总工会"]["class"]  # doctest: +SKIP
    'TradeUnion'
    """
    import networkx as nx

    wanted = _check_classes(classes)
    if wanted is not None and ARTICLE in wanted:
        articles = True
    store = _open(store_or_build_dir)
    read = _Read()
    _read_entities(store, read)
    _read_attributes(store, read)
    _read_articles(store, read)
    _read_evidence(store, read)
    _read_figures(store, read)

    G = nx.MultiDiGraph(articles={a: read.articles[a] for a in sorted(read.articles)})
    _add_entity_nodes(G, read, wanted)
    edges = _relation_edges(store, G, read) + _post_edges(store, G, read)
    if articles:
        edges += _article_nodes(store, G, read)
    _add_edges(G, edges)
    return G


def _read_entities(store: Any, read: _Read) -> None:
    """Every entity of a contract class, with its most specific class and its labels."""
    order = {c: i for i, c in enumerate(CLASSES)}
    for row in _rows(store, _Q_ENTITIES):
        iri = row["e"].value
        cls = _local(row["cls"].value)
        if iri not in read.cls_of or order[cls] < order[read.cls_of[iri]]:
            read.cls_of[iri] = cls
        if row["label"] is not None:
            read.labels[iri].append((row["label"].value, row["label"].language or ""))


def _read_attributes(store: Any, read: _Read) -> None:
    """Aliases, articles, division codes and confidence of the entities."""
    for row in _rows(store, _Q_ATTRS):
        iri = row["e"].value
        if iri not in read.cls_of:
            continue
        p, v = _local(row["p"].value), row["v"]
        if p == "altLabel":
            read.aliases[iri].add(v.value)
        elif p == "mentionedIn":
            read.mentioned[iri].add(v.value)
        elif p == "divisionCode":
            read.codes[iri] = v.value
        elif p == "confidence" and (f := _float(v)) is not None:
            read.confidence[iri] = max(f, read.confidence.get(iri, f))


def _read_articles(store: Any, read: _Read) -> None:
    """Headline, position, source file and date of every article."""
    for row in _rows(store, _Q_ARTICLES):
        info = read.articles.setdefault(
            row["a"].value, {"headline": None, "position": None, "source": None, "date": None}
        )
        if row["headline"] is not None and info["headline"] is None:
            info["headline"] = row["headline"].value
        if row["position"] is not None:
            info["position"] = _int(row["position"])
        if row["source"] is not None:
            info["source"] = row["source"].value
        if row["date"] is not None:
            info["date"] = row["date"].value


def _read_evidence(store: Any, read: _Read) -> None:
    """The sentences behind each relation and post, from the evidence graphs."""
    for row in _rows(store, _Q_EVIDENCE):
        key = (row["s"].value, _local(row["p"].value), row["o"].value)
        idx = _int(row["idx"])
        read.evidence[key].add((row["text"].value, row["art"].value, _float(row["conf"]), -1 if idx is None else idx))


def _read_figures(store: Any, read: _Read) -> None:
    """The figures stated about each entity."""
    for row in _rows(store, _Q_FIGURES):
        iri = row["e"].value
        if iri in read.cls_of and (value := _float(row["value"])) is not None:
            read.figures[iri].append(
                {
                    "measure": row["measure"].value if row["measure"] is not None else "",
                    "value": int(value) if value.is_integer() else value,
                    "unit": row["unit"].value if row["unit"] is not None else "",
                }
            )


def _evidence_of(read: _Read, key: tuple[str, str, str]) -> list[tuple[str, str, float | None]]:
    """One ``(text, article, confidence)`` per sentence, in article order, the highest confidence kept."""
    items = sorted(read.evidence.get(key, ()), key=lambda e: (e[1], e[3], e[0], -(e[2] or 0.0)))
    seen: dict[tuple[str, str], float | None] = {}
    for text, art, conf, _ in items:
        if (text, art) not in seen or (conf or 0.0) > (seen[(text, art)] or 0.0):
            seen[(text, art)] = conf
    return [(text, art, conf) for (text, art), conf in seen.items()]


def _add_entity_nodes(G: nx.MultiDiGraph, read: _Read, wanted: set[str] | None) -> None:
    """One node per entity of the wanted classes, in IRI order."""
    for iri in sorted(read.cls_of):
        if wanted is not None and read.cls_of[iri] not in wanted:
            continue
        label = _pick_label(read.labels.get(iri, [])) or _fallback_label(iri)
        arts = sorted(read.mentioned.get(iri, ()))
        dates = sorted(d for a in arts if (d := (read.articles.get(a) or {}).get("date")))
        attrs: dict[str, Any] = {
            "class": read.cls_of[iri],
            "label": label,
            "aliases": sorted(read.aliases.get(iri, set()) - {label}),
            "iri": iri,
            "articles": arts,
            "first_date": dates[0] if dates else None,
            "last_date": dates[-1] if dates else None,
            "figures": sorted(read.figures.get(iri, ()), key=lambda f: (f["measure"], f["unit"], f["value"])),
        }
        if iri in read.codes:
            attrs["code"] = read.codes[iri]
        if iri in read.confidence:
            attrs["confidence"] = read.confidence[iri]
        G.add_node(iri, **attrs)


_Edge = tuple[str, str, str, dict[str, Any]]


def _relation_edges(store: Any, G: nx.MultiDiGraph, read: _Read) -> list[_Edge]:
    """The direct relations between two nodes of ``G``, with their evidence."""
    edges: list[_Edge] = []
    for row in _rows(store, _Q_RELATIONS):
        s, p, o = row["s"].value, _local(row["p"].value), row["o"].value
        if s in G and o in G and s != o:
            data = {"relation": p, "label_zh": REL_LABELS_ZH[p], "evidence": _evidence_of(read, (s, p, o))}
            edges.append((s, o, p, data))
    return edges


def _post_edges(store: Any, G: nx.MultiDiGraph, read: _Read) -> list[_Edge]:
    """One ``holds:ROLE`` edge from a person to an organisation per post held there."""
    edges: list[_Edge] = []
    for row in _rows(store, _Q_POSTS):
        person, post, org = row["person"].value, row["post"].value, row["org"].value
        if person not in G or org not in G or person == org:
            continue
        role = row["role"].value if row["role"] is not None else _fallback_label(post)
        data = {
            "relation": "holds",
            "role": role,
            "label_zh": role,
            "post": post,
            "evidence": _evidence_of(read, (person, "holds", post)),
        }
        if row["asOf"] is not None:
            data["as_of"] = row["asOf"].value
        edges.append((person, org, f"holds:{role}", data))
    return edges


def _article_nodes(store: Any, G: nx.MultiDiGraph, read: _Read) -> list[_Edge]:
    """Add the articles as nodes; return their ``mentionedIn`` and ``byline`` edges."""
    for a in sorted(read.articles):
        info = read.articles[a]
        label = info["headline"] or _fallback_label(a)
        G.add_node(
            a, **{"class": ARTICLE}, label=label, aliases=[], iri=a, articles=[a],
            first_date=info["date"], last_date=info["date"], figures=[],
        )  # fmt: skip
    edges: list[_Edge] = []
    for iri, arts in read.mentioned.items():
        if iri in G:
            edges.extend((iri, a, "mentionedIn", _plain_edge("mentionedIn")) for a in arts if a in G)
    for row in _rows(store, _Q_BYLINES):
        a, p = row["a"].value, row["p"].value
        if a in G and p in G:
            edges.append((a, p, "byline", _plain_edge("byline")))
    return edges


def _add_edges(G: nx.MultiDiGraph, edges: list[_Edge]) -> None:
    """Add ``edges`` in sorted order, each (source, target, key) once."""
    edges.sort(key=lambda e: (e[0], e[2], e[1]))
    seen_keys: set[tuple[str, str, str]] = set()
    for s, o, edge_key, data in edges:
        if (s, o, edge_key) in seen_keys:
            continue
        seen_keys.add((s, o, edge_key))
        G.add_edge(s, o, key=edge_key, **data)


def _plain_edge(relation: str) -> dict[str, Any]:
    return {"relation": relation, "label_zh": REL_LABELS_ZH[relation], "evidence": []}


def _fallback_label(iri: str) -> str:
    from urllib.parse import unquote

    return unquote(iri.rstrip("/").rsplit("/", 1)[-1])


# ---------------------------------------------------------------------------
# names


@functools.lru_cache(maxsize=1)
def _t2s() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def fold(name: str) -> str:
    """The matching form of a name: NFKC, simplified script, no quotes or spaces.

    >>> fold(" 「鎮安縣總」 ")
    '镇安县总'
    >>> fold("ＡＢＣ 工会")
    'abc工会'
    """
    text = unicodedata.normalize("NFKC", name)
    text = "".join(ch for ch in text if not ch.isspace() and ch not in _QUOTES)
    return str(_t2s().convert(text)).lower()


def _describe(G: nx.MultiDiGraph, n: str) -> str:
    d = G.nodes[n]
    return f"{d.get('label', n)} [{d.get('class', '?')}] <{n}>"


def find_node(G: nx.MultiDiGraph, name: str) -> str:
    """Resolve a user-given name, alias or IRI to a node of ``G``.

    Labels win over aliases: ``全总`` finds 全国总工会 through its alias only
    when no node is labelled ``全总``.  Matching folds width, script
    (traditional → simplified), quotes and spaces.

    Raises
    ------
    kg.errors.InputError
        When no node has that name (the message suggests close names) or
        when several have it (the message lists them).
    """
    if name in G:
        return name
    key = fold(name)
    if not key:
        raise InputError("empty entity name")
    by_label: list[str] = []
    by_alias: list[str] = []
    names: dict[str, str] = {}
    for n, d in G.nodes(data=True):
        label = d.get("label") or ""
        lk = fold(label)
        names.setdefault(lk, label)
        if lk == key:
            by_label.append(n)
        for alias in d.get("aliases") or ():
            ak = fold(alias)
            names.setdefault(ak, alias)
            if ak == key:
                by_alias.append(n)
    for found in (by_label, by_alias):
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            shown = "; ".join(_describe(G, n) for n in sorted(found)[:8])
            more = f" and {len(found) - 8} more" if len(found) > 8 else ""
            raise InputError(f"{name!r} is ambiguous: {shown}{more}; give the full name or the IRI")
    close = difflib.get_close_matches(key, list(names), n=5, cutoff=0.5)
    if not close:
        close = [k for k in names if key in k or (k and k in key)][:5]
    if close:
        raise InputError(f"no entity named {name!r}; did you mean {', '.join(names[c] for c in close)}?")
    raise InputError(f"no entity named {name!r} in the graph")


# ---------------------------------------------------------------------------
# subgraphs


def ordered_subgraph(U: nx.Graph, nodes: Iterable[Any]) -> nx.Graph:
    """A copy of the subgraph of ``U`` on ``nodes``, its nodes in ``U``'s order.

    NetworkX's own ``subgraph`` view may list a small node set in the set's
    order, which changes with the hash seed; layouts and communities that
    read it would then differ between runs.
    """
    import networkx as nx

    keep = set(nodes)
    S = nx.Graph()
    S.add_nodes_from((v, d) for v, d in U.nodes(data=True) if v in keep)
    S.add_edges_from((a, b, d) for a, b, d in U.edges(data=True) if a in keep and b in keep)
    return S


def simple_undirected(G: nx.MultiDiGraph) -> nx.Graph:
    """The undirected simple graph of ``G``: one edge per linked pair, no self-loops.

    An edge's ``weight`` is the number of relations between the pair.
    """
    import networkx as nx

    U = nx.Graph()
    U.add_nodes_from(G.nodes(data=True))
    for s, o in G.edges():
        if s == o:
            continue
        if U.has_edge(s, o):
            U[s][o]["weight"] += 1
        else:
            U.add_edge(s, o, weight=1)
    return U


def _copy_sub(G: nx.MultiDiGraph, keep: Iterable[str]) -> nx.MultiDiGraph:
    """A copy of the subgraph on ``keep``, in ``G``'s node and edge order."""
    wanted = set(keep)
    H = G.__class__()
    H.graph.update(G.graph)
    H.add_nodes_from((n, d) for n, d in G.nodes(data=True) if n in wanted)
    H.add_edges_from(
        (s, o, k, d) for s, o, k, d in G.edges(keys=True, data=True) if s in wanted and o in wanted
    )
    return H


def ego(G: nx.MultiDiGraph, name: str, radius: int = 2) -> nx.MultiDiGraph:
    """The nodes within ``radius`` hops of the named node, ignoring direction."""
    import networkx as nx

    if radius < 0:
        raise InputError(f"--radius must be 0 or more, not {radius}")
    center = find_node(G, name)
    reach = nx.single_source_shortest_path_length(G.to_undirected(as_view=True), center, cutoff=radius)
    H = _copy_sub(G, reach)
    H.graph["focus"] = {"id": center, "label": G.nodes[center].get("label", center), "radius": radius}
    return H


def top_nodes(G: nx.MultiDiGraph, n: int) -> nx.MultiDiGraph:
    """The subgraph on the ``n`` most central nodes (PageRank of the simple projection)."""
    if n < 1:
        raise InputError(f"--top must be 1 or more, not {n}")
    if G.number_of_nodes() <= n:
        return G
    pr = pagerank(simple_undirected(G))
    ranked = sorted(G.nodes, key=lambda v: (-pr.get(v, 0.0), G.nodes[v].get("label", ""), v))
    return _copy_sub(G, ranked[:n])


def subgraph(
    G: nx.MultiDiGraph,
    *,
    focus: str | None = None,
    radius: int = 2,
    classes: Collection[str] | None = None,
    top: int | None = None,
) -> nx.MultiDiGraph:
    """Cut ``G`` down, in this order: the ego network of ``focus`` within
    ``radius`` hops, then the nodes of ``classes`` (the focus is kept), then
    the ``top`` most central nodes.  With no option, ``G`` itself is returned.
    """
    H = G
    if focus:
        H = ego(H, focus, radius)
    if classes is not None:
        wanted = _check_classes(classes) or set()
        center = (H.graph.get("focus") or {}).get("id")
        H = _copy_sub(H, (n for n, d in H.nodes(data=True) if d.get("class") in wanted or n == center))
    if top is not None:
        H = top_nodes(H, top)
    return H


# ---------------------------------------------------------------------------
# shared measures


def actors(
    G: nx.MultiDiGraph, *, with_places: bool = False, keep: Collection[Any] = ()
) -> nx.MultiDiGraph:
    """``G`` without its context nodes: articles always, places unless ``with_places``.

    Organisations, people, programs, worker groups and awards act; places
    and articles say where and in which report.  Measures of who matters
    (hubs, brokers, communities, paths) run on this graph by default.  The
    nodes in ``keep`` stay whatever their class (the ends of a path, a focus).
    """
    drop = {ARTICLE} if with_places else set(CONTEXT_CLASSES)
    kept = set(keep)
    if not any(d.get("class") in drop and n not in kept for n, d in G.nodes(data=True)):
        return G
    return _copy_sub(G, (n for n, d in G.nodes(data=True) if d.get("class") not in drop or n in kept))


def pagerank(U: nx.Graph, *, weight: str | None = "weight") -> dict[Any, float]:
    """PageRank (damping 0.85) of a graph, by NetworkX's SciPy implementation; ``{}`` when empty."""
    import networkx as nx

    if U.number_of_nodes() == 0:
        return {}
    return dict(nx.pagerank(U, weight=weight))


def communities(U: nx.Graph, *, seed: int = 0) -> list[list[Any]]:
    """Louvain communities of ``U`` (weighted), each sorted, largest first; seeded, so repeatable."""
    import networkx as nx

    if U.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(U, weight="weight", seed=seed)
    return sorted((sorted(c, key=str) for c in found), key=lambda c: (-len(c), str(c[0])))
