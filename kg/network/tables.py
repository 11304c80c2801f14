"""The entity graph as tables and as network files (GraphML, GEXF, CSV).

:func:`entity_tables` gives one row per entity and one per direct relation,
with the columns of :data:`NODE_COLUMNS` and :data:`EDGE_COLUMNS`; the
GraphML, GEXF and CSV writers of ``kg export`` and :mod:`kg.api` are built on
them.  Articles, sentences and figures are not nodes; a post becomes a
``holds`` edge from the person to the organisation.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["EDGE_COLUMNS", "NODE_COLUMNS", "csv_tables", "entity_tables", "gexf_bytes", "graphml_bytes"]


#: Node and edge columns of the network exports, the CSV tables and :mod:`kg.api`.
NODE_COLUMNS = (
    "id", "label", "class", "aliases", "degree", "pagerank", "community", "community_name",
    "articles", "first_date", "last_date", "color", "size", "x", "y",
)  # fmt: skip
EDGE_COLUMNS = ("source", "source_label", "relation", "label_zh", "target", "target_label", "role", "evidence")


def _measures(G: nx.MultiDiGraph, seed: int = 0) -> dict[str, dict[str, Any]]:
    """PageRank and community of each node over the actors; places and articles get 0 and -1."""
    from .analyze import community_name
    from .graph import actors, communities, pagerank, simple_undirected

    U = simple_undirected(actors(G))
    pr = pagerank(U)
    out: dict[str, dict[str, Any]] = {
        v: {"pagerank": round(pr.get(v, 0.0), 6), "community": -1, "community_name": ""} for v in G
    }
    found = [c for c in communities(U, seed=seed) if len(c) > 1]
    for i, members in enumerate(found):
        name = community_name(G, members, pr)
        for v in members:
            out[v].update(community=i, community_name=name)
    return out


def _positions(G: nx.MultiDiGraph, seed: int = 0) -> dict[str, tuple[float, float]]:
    """The viewer's layout (canvas units); nodes with no relation in a grid below it."""
    import math

    from .graph import simple_undirected
    from .viz import UNIT, structure_layout

    pos = {v: (x * UNIT, y * UNIT) for v, (x, y) in structure_layout(simple_undirected(G), seed=seed).items()}
    alone = [v for v in G if v not in pos]
    if alone:
        top = max((y for _, y in pos.values()), default=-UNIT) + 2 * UNIT
        cols = max(1, math.ceil(math.sqrt(len(alone) * 2.5)))
        for i, v in enumerate(alone):
            pos[v] = ((i % cols) * 1.1 * UNIT, top + (i // cols) * 1.1 * UNIT)
    return {v: (round(x, 2), round(y, 2)) for v, (x, y) in pos.items()}


def entity_tables(G: nx.MultiDiGraph, *, seed: int = 0) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The rows of the network exports: one dict per entity and one per relation.

    ``G`` is a graph of :func:`kg.network.graph.to_networkx`.  Node rows have the
    keys of :data:`NODE_COLUMNS`: ``aliases`` joined with ``|``, ``degree``
    the number of relations, ``pagerank`` and ``community`` (numbered from
    0, largest first; -1 for none) computed over the actors as in ``kg
    analyze`` (places and articles get 0 and -1), ``community_name`` its
    leading union or program, ``articles`` the number of articles that
    mention the entity, ``first_date``/``last_date`` their earliest and
    latest date (``""`` when unknown), and the viewer's ``color``, ``size``
    and position ``x``/``y``.  Edge rows have the keys of
    :data:`EDGE_COLUMNS`: a post is a ``holds`` edge from the person to the
    organisation with its ``role``; ``evidence`` counts the sentences that
    state the relation.
    """
    from .graph import REL_LABELS_ZH
    from .viz import STYLE, UNIT, node_sizes

    measures = _measures(G, seed)
    ranks = {v: m["pagerank"] for v, m in measures.items()}
    sizes = node_sizes(G, ranks)
    pos = _positions(G, seed)
    nodes = []
    for v, d in G.nodes(data=True):
        cls = d.get("class", "")
        nodes.append({
            "id": v,
            "label": d.get("label", v),
            "class": cls,
            "aliases": "|".join(d.get("aliases") or ()),
            "degree": int(G.degree(v)),
            **measures[v],
            "articles": len(d.get("articles") or ()),
            "first_date": d.get("first_date") or "",
            "last_date": d.get("last_date") or "",
            "color": STYLE.get(cls, ("#999999",))[0],
            "size": round(sizes[v] * UNIT, 1),
            "x": pos[v][0],
            "y": pos[v][1],
        })  # fmt: skip
    edges = []
    for s, o, d in G.edges(data=True):
        rel = d.get("relation", "")
        edges.append({
            "source": s,
            "source_label": G.nodes[s].get("label", s),
            "relation": rel,
            "label_zh": REL_LABELS_ZH.get(rel, d.get("label_zh", rel)),
            "target": o,
            "target_label": G.nodes[o].get("label", o),
            "role": d.get("role", "") if rel == "holds" else "",
            "evidence": len(d.get("evidence") or ()),
        })  # fmt: skip
    return nodes, edges


def _entity_graph(store: Any, *, viz: bool = False) -> nx.MultiDiGraph:
    """The entities and their direct relations as a graph with the export attributes.

    Nodes are entity IRIs with the columns of :func:`entity_tables` (``id``
    aside); edges are keyed ``e0``, ``e1`` … in a fixed order.  With ``viz``
    each node also gets GEXF's ``viz`` colour, size and position.
    """
    import networkx as nx

    from .graph import to_networkx

    nodes, edges = entity_tables(to_networkx(store))
    g = nx.MultiDiGraph()
    for row in nodes:
        attrs = {k: v for k, v in row.items() if k != "id"}
        if viz:
            colour = row["color"].lstrip("#")
            r, gr, b = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
            attrs["viz"] = {
                "color": {"r": r, "g": gr, "b": b, "a": 1.0},
                "size": row["size"],
                "position": {"x": row["x"], "y": -row["y"], "z": 0.0},  # GEXF's y axis points up
            }
        g.add_node(row["id"], **attrs)
    for n, row in enumerate(edges):
        attrs = {k: v for k, v in row.items() if k not in ("source", "target", "source_label", "target_label")}
        if row["relation"] != "holds":
            attrs.pop("role")
        g.add_edge(row["source"], row["target"], key=f"e{n}", **attrs)
    return g


def graphml_bytes(store: Any) -> bytes:
    """Entities and relations as GraphML (yEd, Cytoscape, Gephi)."""
    import networkx as nx

    buf = io.BytesIO()
    nx.write_graphml(_entity_graph(store), buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue()


def gexf_bytes(store: Any) -> bytes:
    """Entities and relations as GEXF (Gephi)."""
    from networkx.readwrite.gexf import GEXFWriter

    from .._version import __version__

    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    meta = writer.xml.find("meta")
    if meta is not None:  # no date stamp, so the same build gives the same file
        meta.attrib.pop("lastmodifieddate", None)
        creator = meta.find("creator")
        if creator is not None:
            creator.text = f"gonghui-kg {__version__}"
    writer.add_graph(_entity_graph(store, viz=True))
    _drop_attribute(writer.xml, "edge", "networkx_key")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _drop_attribute(root: Any, kind: str, title: str) -> None:
    """Remove the declaration and the values of one GEXF attribute (NetworkX adds the edge key)."""
    ns = {"g": root.tag[1:].split("}")[0]} if root.tag.startswith("{") else {}
    prefix = "g:" if ns else ""
    for block in root.iter(f"{{{ns['g']}}}attributes" if ns else "attributes"):
        if block.get("class") != kind:
            continue
        for attr in list(block):
            if attr.get("title") == title:
                ident = attr.get("id")
                block.remove(attr)
                for values in root.iterfind(f".//{prefix}{kind}/{prefix}attvalues", ns):
                    for value in list(values):
                        if value.get("for") == ident:
                            values.remove(value)


def _csv_bytes(header: tuple[str, ...], rows: Iterable[Iterable[Any]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


def csv_tables(store: Any) -> tuple[bytes, bytes]:
    from .graph import to_networkx

    nodes, edges = entity_tables(to_networkx(store))
    return (
        _csv_bytes(NODE_COLUMNS, ([row[c] for c in NODE_COLUMNS] for row in nodes)),
        _csv_bytes(EDGE_COLUMNS, ([row[c] for c in EDGE_COLUMNS] for row in edges)),
    )
