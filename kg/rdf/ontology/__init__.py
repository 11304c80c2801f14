"""The gonghui-kg ontology files and helpers to load them.

The files (``gonghui.ttl`` the OWL ontology, ``shapes.ttl`` the SHACL shapes,
``context.jsonld`` the JSON-LD context) live in the repository's top-level
``ontology/`` folder; ``kg/rdf/ontology/`` links to them, so a wheel carries them
as package data of ``kg.rdf.ontology`` and :func:`importlib.resources.files`
finds them from a checkout and from an installed package alike.

>>> from rdflib import RDFS, Literal
>>> from kg.rdf.namespace import GH
>>> from kg.rdf.ontology import load_ontology
>>> Literal("工会", lang="zh") in set(load_ontology().objects(GH.TradeUnion, RDFS.label))
True

rdflib is imported when a loader runs, not when this module is imported.
"""

from __future__ import annotations

import json
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import rdflib

__all__ = [
    "FILES",
    "GENID",
    "ONTOLOGY_GRAPH",
    "ONTOLOGY_IRI",
    "add_to_store",
    "describe",
    "VERSION_IRI",
    "load_context",
    "load_ontology",
    "load_shapes",
    "ontology_as",
    "ontology_path",
]

#: The files this package carries.
FILES: tuple[str, ...] = ("gonghui.ttl", "shapes.ttl", "context.jsonld")

ONTOLOGY_IRI = "https://w3id.org/gonghui-kg/ontology"
VERSION_IRI = "https://w3id.org/gonghui-kg/ontology/0.1.0"
#: The named graph of a build's store that holds the ontology, beside the facts.
ONTOLOGY_GRAPH = ONTOLOGY_IRI
#: Prefix of the IRIs that stand for the ontology's blank nodes in a store (skolem IRIs).
GENID = "https://w3id.org/gonghui-kg/.well-known/genid/ontology-"

#: Names accepted by :func:`ontology_as`, mapped to rdflib serializer names.
_FORMATS: dict[str, str] = {
    "ttl": "turtle",
    "turtle": "turtle",
    "xml": "xml",
    "rdfxml": "xml",
    "owl": "xml",
    "nt": "nt",
    "jsonld": "json-ld",
    "json-ld": "json-ld",
}


def ontology_path(name: str) -> Traversable:
    """The installed file ``name`` (one of :data:`FILES`).

    For an ordinary or editable install this is a :class:`pathlib.Path`.

    Raises
    ------
    ValueError
        When ``name`` is not one of the ontology files.
    """
    if name not in FILES:
        raise ValueError(f"unknown ontology file {name!r}; expected one of {', '.join(FILES)}")
    return files(__name__).joinpath(name)


def _parse_turtle(name: str) -> rdflib.Graph:
    import rdflib

    from kg.rdf.namespace import PREFIXES

    g = rdflib.Graph()
    for prefix, iri in PREFIXES.items():
        g.bind(prefix, iri, override=True, replace=True)
    g.parse(data=ontology_path(name).read_text("utf-8"), format="turtle")
    return g


def load_ontology() -> rdflib.Graph:
    """A new :class:`rdflib.Graph` holding the OWL ontology (``gonghui.ttl``)."""
    return _parse_turtle("gonghui.ttl")


def load_shapes() -> rdflib.Graph:
    """A new :class:`rdflib.Graph` holding the SHACL shapes (``shapes.ttl``)."""
    return _parse_turtle("shapes.ttl")


def load_context() -> dict[str, Any]:
    """The JSON-LD context object (the value of ``@context`` in ``context.jsonld``)."""
    data: dict[str, Any] = json.loads(ontology_path("context.jsonld").read_text("utf-8"))
    ctx: dict[str, Any] = data["@context"]
    return ctx


def add_to_store(store: Any) -> None:
    """Put the ontology into a ``pyoxigraph.Store`` as the named graph :data:`ONTOLOGY_GRAPH`.

    What the graph held before is replaced, so a build made again, or
    extended with ``--append``, carries the ontology of the version that
    made it.  Blank nodes become skolem IRIs (:data:`GENID` and their rank
    in the file), so every build holds exactly the same quads.  The facts
    (the default graph) and the evidence graphs are not touched.  The
    classes and properties, with their labels, comments, domains and
    ranges, can then be asked beside the facts::

        SELECT ?p ?label WHERE {
          GRAPH <https://w3id.org/gonghui-kg/ontology> { ?p a owl:ObjectProperty ; rdfs:label ?label }
        }
    """
    import pyoxigraph as ox

    graph = ox.NamedNode(ONTOLOGY_GRAPH)
    names: dict[str, Any] = {}

    def named(term: Any) -> Any:
        # blank nodes (class unions, lists) get IRIs numbered in the file's order, so that two
        # builds hold the same quads and pushing a build twice adds nothing the second time
        if isinstance(term, ox.BlankNode):
            if term.value not in names:
                names[term.value] = ox.NamedNode(f"{GENID}{len(names)}")
            return names[term.value]
        return term

    quads = [
        ox.Quad(named(t.subject), t.predicate, named(t.object), graph)
        for t in ox.parse(ontology_path("gonghui.ttl").read_bytes(), format=ox.RdfFormat.TURTLE)
    ]
    store.remove_graph(graph)
    store.extend(quads)


def ontology_as(fmt: str = "xml") -> str:
    """The ontology serialised as ``fmt``.

    ``xml`` (also ``rdfxml``, ``owl``) gives RDF/XML, the form Protégé and
    most OWL tools open; ``ttl``, ``nt`` and ``jsonld`` are also accepted.

    Raises
    ------
    ValueError
        When ``fmt`` is not a known format name.
    """
    try:
        name = _FORMATS[fmt.lower()]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(sorted(_FORMATS))}") from None
    return load_ontology().serialize(format=name)


# ---------------------------------------------------------------- the vocabulary as a table

_KINDS = (
    ("http://www.w3.org/2002/07/owl#Class", "class"),
    ("http://www.w3.org/2002/07/owl#ObjectProperty", "object property"),
    ("http://www.w3.org/2002/07/owl#DatatypeProperty", "datatype property"),
)


def _short(term: Any, graph: rdflib.Graph) -> str:
    """A term as a reader writes it: ``gh:Program``, ``xsd:date``, ``gh:Person | gh:WorkerGroup``."""
    from rdflib import OWL, BNode
    from rdflib.collection import Collection

    if isinstance(term, BNode):
        members = graph.value(term, OWL.unionOf)
        if members is not None:
            return " | ".join(_short(m, graph) for m in Collection(graph, members))
        return "(anonymous class)"
    return str(graph.namespace_manager.normalizeUri(term))


def _example(name: str, kind: str) -> str:
    if kind == "class":
        return f"SELECT ?x ?label WHERE {{ ?x a gh:{name} . OPTIONAL {{ ?x rdfs:label ?label }} }} LIMIT 10"
    if kind == "object property":
        return (
            f"SELECT ?s ?s_label ?o ?o_label WHERE {{ ?s gh:{name} ?o . "
            "OPTIONAL { ?s rdfs:label ?s_label } OPTIONAL { ?o rdfs:label ?o_label } } LIMIT 10"
        )
    return f"SELECT ?s ?value WHERE {{ ?s gh:{name} ?value }} LIMIT 10"


def describe() -> list[dict[str, Any]]:
    """Every class and property of the ``gh:`` namespace, as the ``kg schema`` command shows them.

    Each entry has ``term`` (``gh:TradeUnion``), ``iri``, ``kind`` (``class``,
    ``object property`` or ``datatype property``), ``label_zh``,
    ``label_en``, ``comment_en``, ``comment_zh`` (``""`` when absent),
    ``domain``, ``range`` and ``subclass_of`` (lists of short names; a union
    of classes is written ``A | B``) and ``example``, a SPARQL query that
    runs on any build with ``kg query``.  Entries come classes first, in the
    order of the ontology file.

    >>> union = next(t for t in describe() if t["term"] == "gh:TradeUnion")
    >>> union["label_zh"], union["label_en"], union["kind"]
    ('工会', 'trade union', 'class')
    >>> organizes = next(t for t in describe() if t["term"] == "gh:organizes")
    >>> organizes["domain"], organizes["range"]
    (['gh:Organization'], ['gh:Program'])
    """
    from rdflib import RDF, RDFS, URIRef

    from kg.rdf.namespace import GH

    g = load_ontology()
    gh = str(GH._NS)
    text = ontology_path("gonghui.ttl").read_text("utf-8")
    out: list[dict[str, Any]] = []
    for kind_iri, kind in _KINDS:
        terms = [t for t in g.subjects(RDF.type, URIRef(kind_iri)) if str(t).startswith(gh)]
        terms.sort(key=lambda t: (text.find(f"gh:{str(t)[len(gh):]} a "), str(t)))
        for t in terms:
            name = str(t)[len(gh) :]

            def literal(p: Any, lang: str, t: Any = t) -> str:
                found = sorted(str(o) for o in g.objects(t, p) if getattr(o, "language", None) == lang)
                return found[0] if found else ""

            out.append({
                "term": f"gh:{name}",
                "iri": str(t),
                "kind": kind,
                "label_zh": literal(RDFS.label, "zh"),
                "label_en": literal(RDFS.label, "en"),
                "comment_en": literal(RDFS.comment, "en"),
                "comment_zh": literal(RDFS.comment, "zh"),
                "domain": sorted(_short(o, g) for o in g.objects(t, RDFS.domain)),
                "range": sorted(_short(o, g) for o in g.objects(t, RDFS.range)),
                "subclass_of": sorted(_short(o, g) for o in g.objects(t, RDFS.subClassOf)),
                "example": _example(name, kind),
            })  # fmt: skip
    return out
