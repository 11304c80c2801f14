"""The RDF serialisations of a build's store.

Each writer takes an open store and returns bytes, in a fixed order so that
the same build always gives byte-identical files: the facts (the default
graph) as Turtle, N-Triples, RDF/XML or compact JSON-LD, and the facts with
the evidence named graphs as TriG or N-Quads.  :data:`WRITERS` maps a format
name to its file extension and writer; :mod:`kg.export` offers them with the
network formats under ``kg export``.

JSON-LD is compacted with the context of ``ontology/context.jsonld``, embedded
in the file so that it parses offline.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from ..store import open_store
from .namespace import PREFIXES

if TYPE_CHECKING:  # pragma: no cover
    import rdflib

__all__ = ["WRITERS", "load_facts"]

#: Prefixes declared in exported Turtle, TriG and RDF/XML.  Entity IRIs are
#: written in full (no ``id:`` prefix): their paths hold ``/`` that Turtle
#: would have to escape, and whole IRIs paste into any tool.
_EXPORT_PREFIXES = {k: v for k, v in PREFIXES.items() if k != "id"}

#: Format name → (file extension, writer of a store's bytes).
WRITERS: dict[str, tuple[str, Callable[[Any], bytes]]] = {}


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


#: The formats pyoxigraph writes: name → (file extension, what goes in, its format, whether prefixes are declared).
#: ttl, nt and rdfxml hold the facts (the default graph); trig and nq the evidence named graphs as well.
_OX_FORMATS: dict[str, tuple[str, Callable[[Any], list[Any]], str, bool]] = {
    "ttl": ("ttl", _facts, "TURTLE", True),
    "nt": ("nt", _facts, "N_TRIPLES", False),
    "rdfxml": ("rdf", _facts, "RDF_XML", True),
    "trig": ("trig", _quads, "TRIG", True),
    "nq": ("nq", _quads, "N_QUADS", False),
}
for _name, (_ext, _items, _ox_name, _prefixes) in _OX_FORMATS.items():
    WRITERS[_name] = (_ext, lambda store, items=_items, fmt=_ox_name, prefixes=_prefixes:
                      _ox_serialize(items(store), fmt, prefixes=prefixes))


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


WRITERS["jsonld"] = ("jsonld", _write_jsonld)
