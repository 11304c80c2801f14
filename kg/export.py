"""Export a build in standard formats (``kg export``).

RDF formats carry the store as it is:

=========  ==========================================  =====================
format     content                                     default file
=========  ==========================================  =====================
ttl        the facts (default graph), Turtle           ``OUT/export.ttl``
nt         the facts, N-Triples                        ``OUT/export.nt``
rdfxml     the facts, RDF/XML                          ``OUT/export.rdf``
jsonld     the facts, compact JSON-LD (see below)      ``OUT/export.jsonld``
trig       facts and evidence named graphs, TriG       ``OUT/export.trig``
nq         facts and evidence named graphs, N-Quads    ``OUT/export.nq``
=========  ==========================================  =====================

JSON-LD is compacted with the context of ``ontology/context.jsonld``, embedded
in the file so that it parses offline: gh terms are short names
(``locatedIn``), ``@vocab`` is the gh namespace and ``@language`` is ``zh``.

Network formats hold an entity graph for Gephi, Cytoscape or yEd:

- ``graphml`` (``OUT/export.graphml``) and ``gexf`` (``OUT/export.gexf``):
  nodes are the entities (id = IRI) with the attributes of
  :data:`NODE_COLUMNS`: ``label``, ``class``, ``aliases`` (joined with
  ``|``), ``degree``, ``pagerank`` and ``community`` (over the actors, as
  ``kg analyze`` computes them; -1 for places and unlinked entities),
  ``community_name``, ``articles`` (how many mention it), ``first_date``,
  ``last_date``, and the viewer's class ``color``, ``size`` and position
  ``x``/``y``; GEXF also carries them as ``viz`` colour, size and position,
  so Gephi opens the file coloured and laid out.  Edges are the direct
  relations with ``relation`` (the property's local name, e.g.
  ``locatedIn``), ``label_zh`` (its Chinese label, e.g. 位于), ``evidence``
  (how many sentences state it) and, for a post, ``role``: a post becomes a
  person → organisation edge with relation ``holds``.  Articles, sentences
  and figures are not nodes.
- ``csv`` writes the same columns as two tables, UTF-8 with a byte-order
  mark so that Excel shows Chinese correctly: ``-o graph.csv`` gives
  ``graph.nodes.csv`` and ``graph.edges.csv``, ``-o tables/`` (any name not
  ending in ``.csv``) gives ``tables/nodes.csv`` and ``tables/edges.csv``;
  by default ``OUT/export-csv/``.

Every export is deterministic: the same build gives byte-identical files.
Files are written atomically and an existing file is replaced only with
``force=True``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputError, OutputError
from .rdf.namespace import PREFIXES
from .store import atomic_writer, open_store, output_dir, read_manifest

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
    import rdflib

__all__ = [
    "EDGE_COLUMNS",
    "FORMATS",
    "NODE_COLUMNS",
    "csv_targets",
    "entity_tables",
    "export",
    "guess_format",
    "load_facts",
    "serialize",
    "write_csv",
]

#: Prefixes declared in exported Turtle, TriG and RDF/XML.  Entity IRIs are
#: written in full (no ``id:`` prefix): their paths hold ``/`` that Turtle
#: would have to escape, and whole IRIs paste into any tool.
_EXPORT_PREFIXES = {k: v for k, v in PREFIXES.items() if k != "id"}

_CSV_DIR = "export-csv"


@dataclass(frozen=True, slots=True)
class _Format:
    name: str
    ext: str  #: file extension, without the dot; "" for a directory
    write: Callable[[Any], bytes] | None  #: store → bytes; None for csv


_REGISTRY: dict[str, _Format] = {}


def _exporter(name: str, ext: str) -> Callable[[Callable[[Any], bytes]], Callable[[Any], bytes]]:
    """Register a single-file exporter under ``name``, writing files ``*.ext``."""

    def register(fn: Callable[[Any], bytes]) -> Callable[[Any], bytes]:
        _REGISTRY[name] = _Format(name, ext, fn)
        return fn

    return register


# ---------------------------------------------------------------- reading the store


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _triple_key(t: Any) -> tuple[str, bool, str, str]:
    """Subject, then rdf:type before other predicates, then the N-Triples form of each term."""
    return (str(t.subject), t.predicate.value != _RDF_TYPE, str(t.predicate), str(t.object))


def _facts(store: Any) -> list[Any]:
    """The triples of the default graph, in a fixed order."""
    import pyoxigraph as ox

    triples = [q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())]
    triples.sort(key=_triple_key)
    return triples


def _quads(store: Any) -> list[Any]:
    """Every quad: the default graph first, then the named graphs by name, each in a fixed order."""
    import pyoxigraph as ox

    def key(q: Any) -> tuple[bool, str, tuple[str, bool, str, str]]:
        named = not isinstance(q.graph_name, ox.DefaultGraph)
        return (named, str(q.graph_name) if named else "", _triple_key(q))

    return sorted(store.quads_for_pattern(None, None, None, None), key=key)


def _to_rdflib(term: Any) -> Any:
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef
    from rdflib.namespace import XSD

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    # normalize=False keeps the lexical form exactly as the store holds it
    if term.language:
        return Literal(term.value, lang=term.language, normalize=False)
    if term.datatype.value == str(XSD.string):
        return Literal(term.value, normalize=False)
    return Literal(term.value, datatype=URIRef(term.datatype.value), normalize=False)


def _rdflib_graph(triples: Iterable[Any]) -> rdflib.Graph:
    import rdflib

    g = rdflib.Graph()
    for prefix, iri in PREFIXES.items():
        g.bind(prefix, iri, override=True, replace=True)
    for t in triples:
        g.add((_to_rdflib(t.subject), _to_rdflib(t.predicate), _to_rdflib(t.object)))
    return g


def load_facts(build_dir: str | os.PathLike[str]) -> rdflib.Graph:
    """The default graph of a build (its facts) as an :class:`rdflib.Graph`.

    Raises
    ------
    BuildDirError
        When ``build_dir`` is missing or is not a build.
    """
    store = open_store(build_dir)
    return _rdflib_graph(_facts(store))


# ---------------------------------------------------------------- RDF formats


def _ox_serialize(items: list[Any], fmt_name: str, *, prefixes: bool = True) -> bytes:
    import pyoxigraph as ox

    fmt = getattr(ox.RdfFormat, fmt_name)
    data = ox.serialize(items, None, fmt, prefixes=_EXPORT_PREFIXES if prefixes else None)
    assert data is not None  # no output given: the bytes are returned
    return data


@_exporter("ttl", "ttl")
def _write_ttl(store: Any) -> bytes:
    """The facts (default graph) as Turtle."""
    return _ox_serialize(_facts(store), "TURTLE")


@_exporter("nt", "nt")
def _write_nt(store: Any) -> bytes:
    """The facts as N-Triples."""
    return _ox_serialize(_facts(store), "N_TRIPLES", prefixes=False)


@_exporter("rdfxml", "rdf")
def _write_rdfxml(store: Any) -> bytes:
    """The facts as RDF/XML."""
    return _ox_serialize(_facts(store), "RDF_XML")


@_exporter("trig", "trig")
def _write_trig(store: Any) -> bytes:
    """Facts and evidence named graphs as TriG."""
    return _ox_serialize(_quads(store), "TRIG")


@_exporter("nq", "nq")
def _write_nq(store: Any) -> bytes:
    """Facts and evidence named graphs as N-Quads."""
    return _ox_serialize(_quads(store), "N_QUADS", prefixes=False)


def _sort_jsonld(value: Any) -> Any:
    """Sort the arrays of a JSON-LD document (order carries no meaning outside @list)."""
    if isinstance(value, dict):
        return {k: (v if k == "@list" else _sort_jsonld(v)) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sort_jsonld(v) for v in value]
        return sorted(items, key=lambda v: (v.get("@id", "") if isinstance(v, dict) else "", _canon(v)))
    return value


def _canon(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


@_exporter("jsonld", "jsonld")
def _write_jsonld(store: Any) -> bytes:
    """The facts as compact JSON-LD (context embedded)."""
    from .rdf.ontology import load_context

    g = _rdflib_graph(_facts(store))
    ctx = load_context()
    text = g.serialize(format="json-ld", context=ctx, auto_compact=True, encoding=None)
    doc = json.loads(text)
    if isinstance(doc, list):  # an empty graph serialises as []
        doc = {"@graph": doc}
    if "@graph" not in doc:  # a single node is written without @graph
        doc = {"@graph": [{k: v for k, v in doc.items() if k != "@context"}]}
    doc["@context"] = ctx
    doc = _sort_jsonld(doc)
    return (json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


# ---------------------------------------------------------------- the entity graph

#: Node and edge columns of the network exports, the CSV tables and :mod:`kg.api`.
NODE_COLUMNS = (
    "id", "label", "class", "aliases", "degree", "pagerank", "community", "community_name",
    "articles", "first_date", "last_date", "color", "size", "x", "y",
)  # fmt: skip
EDGE_COLUMNS = ("source", "source_label", "relation", "label_zh", "target", "target_label", "role", "evidence")


def _measures(G: nx.MultiDiGraph, seed: int = 0) -> dict[str, dict[str, Any]]:
    """PageRank and community of each node over the actors; places and articles get 0 and -1."""
    from .network.analyze import community_name
    from .network.graph import actors, communities, pagerank, simple_undirected

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

    from .network.graph import simple_undirected
    from .network.viz import UNIT, structure_layout

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
    from .network.graph import REL_LABELS_ZH
    from .network.viz import STYLE, UNIT, node_sizes

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

    from .network.graph import to_networkx

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


@_exporter("graphml", "graphml")
def _write_graphml(store: Any) -> bytes:
    """Entities and relations as GraphML (yEd, Cytoscape, Gephi)."""
    import networkx as nx

    buf = io.BytesIO()
    nx.write_graphml(_entity_graph(store), buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue()


@_exporter("gexf", "gexf")
def _write_gexf(store: Any) -> bytes:
    """Entities and relations as GEXF (Gephi)."""
    from networkx.readwrite.gexf import GEXFWriter

    from . import __version__

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


# ---------------------------------------------------------------- CSV

_REGISTRY["csv"] = _Format("csv", "", None)  # two files in a directory: see write_csv


def _csv_bytes(header: tuple[str, ...], rows: Iterable[Iterable[Any]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


def _csv_tables(store: Any) -> tuple[bytes, bytes]:
    from .network.graph import to_networkx

    nodes, edges = entity_tables(to_networkx(store))
    return (
        _csv_bytes(NODE_COLUMNS, ([row[c] for c in NODE_COLUMNS] for row in nodes)),
        _csv_bytes(EDGE_COLUMNS, ([row[c] for c in EDGE_COLUMNS] for row in edges)),
    )


def csv_targets(build_dir: str | os.PathLike[str], output: str | os.PathLike[str] | None) -> tuple[Path, Path]:
    """Where ``kg export --format csv -o OUTPUT`` writes its two tables.

    ``None``: ``BUILD/export-csv/nodes.csv`` and ``edges.csv``.  A name
    ending in ``.csv`` is a stem: ``graph.csv`` gives ``graph.nodes.csv``
    and ``graph.edges.csv`` beside it.  Anything else is a folder (made when
    missing) that receives ``nodes.csv`` and ``edges.csv``.

    >>> [p.name for p in csv_targets("out", "tables/graph.csv")]
    ['graph.nodes.csv', 'graph.edges.csv']
    >>> [str(p) for p in csv_targets("out", "tables")]
    ['tables/nodes.csv', 'tables/edges.csv']
    """
    if output is None:
        d = Path(build_dir) / _CSV_DIR
        return d / "nodes.csv", d / "edges.csv"
    text = str(output)
    path = Path(output)
    if path.suffix.lower() == ".csv" and not text.endswith(("/", os.sep)) and not path.is_dir():
        return path.with_name(f"{path.stem}.nodes.csv"), path.with_name(f"{path.stem}.edges.csv")
    return path / "nodes.csv", path / "edges.csv"


def write_csv(
    build_dir: str | os.PathLike[str],
    output: str | os.PathLike[str] | None = None,
    *,
    force: bool = False,
) -> tuple[Path, Path]:
    """Write the node and edge tables of the entity graph (see :func:`csv_targets` for where).

    Returns the two paths.  Columns: :data:`NODE_COLUMNS` and
    :data:`EDGE_COLUMNS`, UTF-8 with a byte-order mark so that Excel shows
    Chinese correctly.

    Raises
    ------
    OutputError
        When a file would be replaced without ``force``, or the folder
        cannot be used.
    """
    read_manifest(build_dir)
    targets = csv_targets(build_dir, output)
    d = targets[0].parent
    if d.exists() and not d.is_dir():
        raise OutputError(f"{d}: exists and is not a directory (csv writes nodes.csv and edges.csv into one)")
    existing = [p.name for p in targets if p.exists()]
    if existing and not force:
        raise OutputError(f"{d}: {' and '.join(existing)} already exist; pass --force to replace them")
    tables = _csv_tables(open_store(build_dir))
    try:
        if output is None:
            output_dir(build_dir, _CSV_DIR)  # the build's own: in its generation, linked from the top
        else:
            d.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"{d}: cannot create directory ({e.strerror})") from None
    for path, data in zip(targets, tables, strict=True):
        _write_bytes(path, data)
    return targets


# ---------------------------------------------------------------- public entry points

#: Format name → file extension ("" for csv, which writes a directory).
FORMATS: dict[str, str] = {name: f.ext for name, f in sorted(_REGISTRY.items())}

_SUFFIXES: dict[str, str] = {
    ".ttl": "ttl",
    ".turtle": "ttl",
    ".nt": "nt",
    ".rdf": "rdfxml",
    ".xml": "rdfxml",
    ".owl": "rdfxml",
    ".jsonld": "jsonld",
    ".json": "jsonld",
    ".trig": "trig",
    ".nq": "nq",
    ".graphml": "graphml",
    ".gexf": "gexf",
    ".csv": "csv",
}


def guess_format(output: str | os.PathLike[str] | None) -> str:
    """The format named by the extension of ``output``; ``ttl`` when it names none.

    >>> guess_format("graph.trig")
    'trig'
    >>> guess_format(None)
    'ttl'
    """
    if output is None or str(output) == "-":
        return "ttl"
    return _SUFFIXES.get(Path(output).suffix.lower(), "ttl")


def _check_format(fmt: str) -> _Format:
    try:
        return _REGISTRY[fmt]
    except KeyError:
        raise InputError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}") from None


def serialize(build_dir: str | os.PathLike[str], fmt: str = "ttl") -> bytes:
    """A single-file export of a build as bytes (UTF-8).

    Parameters
    ----------
    build_dir
        A directory written by ``kg build``.
    fmt
        One of :data:`FORMATS` except ``csv``.

    Raises
    ------
    InputError
        For an unknown format, or ``csv``.
    BuildDirError
        When ``build_dir`` is not a build.
    """
    f = _check_format(fmt)
    if f.write is None:
        raise InputError(
            f"{fmt} writes several files; use write_csv() or `kg export OUT --format {fmt} -o DIR`"
        )
    return f.write(open_store(build_dir))


def _write_bytes(path: Path, data: bytes) -> None:
    try:
        with atomic_writer(path, "wb") as fh:
            fh.write(data)
    except OSError as e:
        raise OutputError(f"{path}: cannot write ({e.strerror})") from None


def _check_target(path: Path, force: bool) -> None:
    if path.is_dir():
        raise OutputError(
            f"{path}: is a directory; give a file name with -o (only csv writes into a directory)"
        )
    if path.exists() and not force:
        raise OutputError(f"{path}: already exists; pass --force to replace it")
    parent = path.parent
    if not parent.is_dir():
        raise OutputError(f"{parent}: no such directory")
    if not os.access(parent, os.W_OK):
        raise OutputError(f"{parent}: directory is not writable")


def export(
    build_dir: str | os.PathLike[str],
    fmt: str | None = None,
    output: str | os.PathLike[str] | None = None,
    *,
    force: bool = False,
) -> list[Path]:
    """Export a build to a file, a directory (csv) or standard output.

    Parameters
    ----------
    build_dir
        A directory written by ``kg build``.
    fmt
        One of :data:`FORMATS`; when ``None`` it is taken from the extension
        of ``output`` (``graph.trig`` → ``trig``), else ``ttl``.
    output
        A file; ``"-"`` writes to standard output.  For ``csv``, a name
        ending in ``.csv`` is a stem (``graph.csv`` → ``graph.nodes.csv`` and
        ``graph.edges.csv``) and any other name a folder (see
        :func:`csv_targets`).  When ``None``: ``BUILD/export.<ext>``, or
        ``BUILD/export-csv/``.
    force
        Replace files that already exist.

    Returns
    -------
    list of Path
        The files written; empty when writing to standard output.

    Raises
    ------
    InputError, OutputError, BuildDirError
        Unknown format; a file that would be replaced without ``force``; a
        directory that is not a build.
    """
    fmt = fmt or guess_format(output)
    f = _check_format(fmt)
    read_manifest(build_dir)
    if f.write is None:
        if output is not None and str(output) == "-":
            raise InputError(
                "csv writes two files (nodes.csv, edges.csv) and cannot go to standard output; "
                "give a folder or a FILE.csv stem with -o"
            )
        return list(write_csv(build_dir, output, force=force))
    if output is not None and str(output) == "-":
        data = serialize(build_dir, fmt)
        out = sys.stdout.buffer
        out.write(data)
        out.flush()
        return []
    if output is not None and str(output).endswith(("/", os.sep)):
        raise OutputError(
            f"{output}: names a directory; give a file name with -o (only csv writes into a directory)"
        )
    path = Path(output) if output is not None else Path(build_dir) / f"export.{f.ext}"
    _check_target(path, force)
    _write_bytes(path, serialize(build_dir, fmt))
    return [path]
