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
  nodes are the entities (id = IRI) with attributes ``label``, ``class``,
  ``aliases`` (alternative names joined with ``|``) and ``degree``; edges are
  the direct relations with attributes ``relation`` (the property's local
  name, e.g. ``locatedIn``), ``label_zh`` (its Chinese label, e.g. 位于) and,
  for a post, ``role``: a post becomes a person → organisation edge with
  relation ``holds``.  Articles, sentences and figures are not nodes.
- ``csv`` writes ``nodes.csv`` and ``edges.csv`` into a directory
  (``OUT/export-csv/``), UTF-8 with a byte-order mark so that Excel shows
  Chinese correctly.  ``nodes.csv``: ``id, label, class, aliases, degree``.
  ``edges.csv``: ``source, source_label, relation, label_zh, target,
  target_label, role``.

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
from .model import CLASSES, RELATIONS
from .namespace import GH, ID, PREFIXES
from .store import atomic_writer, open_store, output_dir, read_manifest

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
    import rdflib

__all__ = [
    "FORMATS",
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
_NODE_COLUMNS = ("id", "label", "class", "aliases", "degree")
_EDGE_COLUMNS = ("source", "source_label", "relation", "label_zh", "target", "target_label", "role")


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
    from .ontology import load_context

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

_GH = str(GH._NS)
_VALUES_CLASSES = " ".join(f"gh:{c}" for c in CLASSES)
_VALUES_RELATIONS = " ".join(f"gh:{r}" for r in RELATIONS)
_Q_PREFIXES = f"PREFIX gh: <{_GH}>\nPREFIX rdfs: <{PREFIXES['rdfs']}>\nPREFIX skos: <{PREFIXES['skos']}>\n"
_Q_NODES = (
    _Q_PREFIXES
    + f"SELECT ?e ?cls WHERE {{ VALUES ?cls {{ {_VALUES_CLASSES} }} ?e a ?cls . FILTER(isIRI(?e)) }}"
)
_Q_NAMES = _Q_PREFIXES + (
    f"SELECT ?e ?p ?name WHERE {{ VALUES ?cls {{ {_VALUES_CLASSES} }} ?e a ?cls . "
    "VALUES ?p { rdfs:label skos:altLabel } ?e ?p ?name }"
)
_Q_EDGES = _Q_PREFIXES + f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {_VALUES_RELATIONS} }} ?s ?p ?o }}"
_Q_POSTS = _Q_PREFIXES + (
    "SELECT ?post ?person ?org ?role WHERE { ?person gh:holds ?post . ?post gh:postIn ?org . "
    "OPTIONAL { ?post gh:role ?role } }"
)


def _relation_labels() -> dict[str, str]:
    """Property local name → its Chinese label in the ontology (locatedIn → 位于)."""
    from rdflib import RDFS

    from .ontology import load_ontology

    onto = load_ontology()
    labels: dict[str, str] = {}
    for name in (*RELATIONS, "holds"):
        zh = sorted(
            str(o) for o in onto.objects(GH._NS[name], RDFS.label) if getattr(o, "language", None) == "zh"
        )
        labels[name] = zh[0] if zh else name
    return labels


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _entity_graph(store: Any) -> nx.MultiDiGraph:
    """Project the facts onto entities and their direct relations.

    Nodes are entity IRIs; edges are keyed ``e0``, ``e1`` … in a fixed order.
    A post ``?person gh:holds ?post . ?post gh:postIn ?org`` becomes one
    ``holds`` edge from the person to the organisation, with the role.
    """
    import networkx as nx
    import pyoxigraph as ox

    classes: dict[str, set[str]] = {}
    for row in store.query(_Q_NODES):
        classes.setdefault(row["e"].value, set()).add(_local(row["cls"].value))
    labels: dict[str, set[str]] = {}
    aliases: dict[str, set[str]] = {}
    for row in store.query(_Q_NAMES):
        into = labels if row["p"].value.endswith("#label") else aliases
        into.setdefault(row["e"].value, set()).add(row["name"].value)

    g = nx.MultiDiGraph()
    for iri in sorted(classes):
        names = sorted(labels.get(iri, ()))
        label = names[0] if names else iri.removeprefix(str(ID))
        alts = sorted(aliases.get(iri, set()) - {label})
        g.add_node(iri, label=label, **{"class": sorted(classes[iri])[0]}, aliases="|".join(alts))

    rel_zh = _relation_labels()
    edges: list[tuple[str, str, str, str]] = []  # source, target, relation, role
    for row in store.query(_Q_EDGES):
        s, o = row["s"], row["o"]
        if isinstance(o, ox.NamedNode) and s.value in classes and o.value in classes:
            edges.append((s.value, o.value, _local(row["p"].value), ""))
    roles: dict[tuple[str, str, str], set[str]] = {}
    for row in store.query(_Q_POSTS):
        person, org = row["person"].value, row["org"].value
        if person in classes and org in classes:
            found = roles.setdefault((row["post"].value, person, org), set())
            if row["role"] is not None:
                found.add(row["role"].value)
    for (_post, person, org), found in sorted(roles.items()):
        edges.append((person, org, "holds", "|".join(sorted(found))))

    for n, (s, o, rel, role) in enumerate(sorted(edges)):
        attrs = {"relation": rel, "label_zh": rel_zh.get(rel, rel)}
        if rel == "holds":
            attrs["role"] = role
        g.add_edge(s, o, key=f"e{n}", **attrs)
    for iri in g.nodes:
        g.nodes[iri]["degree"] = int(g.degree(iri))
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
    writer.add_graph(_entity_graph(store))
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


# ---------------------------------------------------------------- CSV

_REGISTRY["csv"] = _Format("csv", "", None)  # two files in a directory: see write_csv


def _csv_bytes(header: tuple[str, ...], rows: Iterable[Iterable[Any]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


def _csv_tables(store: Any) -> tuple[bytes, bytes]:
    g = _entity_graph(store)
    nodes = ((n, d["label"], d["class"], d["aliases"], d["degree"]) for n, d in g.nodes(data=True))
    edges = (
        (u, g.nodes[u]["label"], d["relation"], d["label_zh"], v, g.nodes[v]["label"], d.get("role", ""))
        for u, v, d in g.edges(data=True)
    )
    return _csv_bytes(_NODE_COLUMNS, nodes), _csv_bytes(_EDGE_COLUMNS, edges)


def write_csv(
    build_dir: str | os.PathLike[str],
    directory: str | os.PathLike[str] | None = None,
    *,
    force: bool = False,
) -> tuple[Path, Path]:
    """Write ``nodes.csv`` and ``edges.csv`` of the entity graph into ``directory``.

    ``directory`` defaults to ``BUILD/export-csv`` and is created when missing.
    Returns the two paths.

    Raises
    ------
    OutputError
        When a file would be replaced without ``force``, or the directory
        cannot be used.
    """
    read_manifest(build_dir)
    d = Path(directory) if directory is not None else Path(build_dir) / _CSV_DIR
    if d.exists() and not d.is_dir():
        raise OutputError(f"{d}: exists and is not a directory (csv writes nodes.csv and edges.csv into one)")
    targets = (d / "nodes.csv", d / "edges.csv")
    existing = [p.name for p in targets if p.exists()]
    if existing and not force:
        raise OutputError(f"{d}: {' and '.join(existing)} already exist; pass --force to replace them")
    tables = _csv_tables(open_store(build_dir))
    try:
        if directory is None:
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
        A file (a directory for ``csv``); ``"-"`` writes to standard output.
        When ``None``: ``BUILD/export.<ext>``, or ``BUILD/export-csv/``.
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
                "give a directory with -o"
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
