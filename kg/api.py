"""The Python API: open a build and ask it questions, in plain Python values.

``kg.open(OUT)`` returns a :class:`KnowledgeGraph` over the build in ``OUT``
(``kg build … -o OUT``).  Everything a notebook needs is a method of it:

================================  ==================================================
``query(sparql, **params)``       SPARQL; rows as dicts of ``str``, ``int``, ``float``,
                                  ``bool``, ``datetime.date`` (IRIs as ``str``)
``entities(cls=None)``            one dict per entity, the columns of the exports
``relations(relation=None)``      one dict per relation, the columns of the exports
``to_networkx()``                 a ``networkx.MultiDiGraph`` with the same names
``analyze(**options)``            hubs, unions' programs, communities (``kg analyze``)
``path(a, b)``                    how two entities connect, hop by hop, with evidence
``schema()``                      the classes and properties (``kg schema``)
================================  ==================================================

The attribute names are the same everywhere: ``class`` and ``relation``
(never ``cls`` or ``rel``), ``label``, ``aliases``, ``articles``,
``first_date``, ``last_date`` … as in ``kg export --format graphml|gexf|csv``.

A session on the bundled page (the examples below run as doctests):

>>> import kg
>>> _ = kg.build(["examples/workers-daily-2022-11-11-p3.md"], "out", quiet=True)
>>> g = kg.open("out")
>>> g  # doctest: +ELLIPSIS
<KnowledgeGraph out: ... entities, ... relations>

SPARQL, with the prefixes gh, rdfs, skos … predeclared.  Names are Chinese
literals tagged ``@zh``; a keyword argument gives a variable its value, and
text matches with or without the tag:

>>> g.query('''
...     SELECT ?name ?person ?role WHERE {
...       ?u a gh:TradeUnion ; rdfs:label ?name .
...       ?post gh:postIn ?u ; gh:role ?role . ?p gh:holds ?post ; rdfs:label ?person .
...     }''', name="哈尔滨市总工会")
[{'name': '哈尔滨市总工会', 'person': '林艳秋', 'role': '主席'}]
>>> g.query("SELECT (COUNT(*) AS ?n) WHERE { ?u a gh:TradeUnion }")  # doctest: +ELLIPSIS
[{'n': ...}]
>>> g.query("ASK { ?u rdfs:label '镇安县总工会'@zh }")
True

Entities and relations, as the exports write them:

>>> union = g.entity("镇安县总")  # a name or an alias, in either script
>>> union["label"], union["class"], union["aliases"], union["articles"], union["first_date"]
('镇安县总工会', 'TradeUnion', ['镇安县总'], 1, '2022-11-11')
>>> [e["label"] for e in g.entities("Program")][:2]
['2022年深圳市重点工程劳动竞赛', '2022年深圳技能大赛']
>>> r = g.relations("holds")[0]
>>> r["source_label"], r["relation"], r["role"], r["target_label"]
('张家升', 'holds', '常务副主席', '镇安县总工会')

NetworkX, for anything else:

>>> G = g.to_networkx()
>>> G.nodes[union["id"]]["class"], G.number_of_nodes() > 100
('TradeUnion', True)
>>> sorted({d["relation"] for _, _, d in G.edges(data=True)})[:3]
['benefits', 'employedBy', 'establishedUnion']

The analysis of ``kg analyze`` and the paths of ``kg path``:

>>> g.analyze()["hubs"][0]["label"]
'北京市总工会'
>>> [str(hop) for hop in g.path("徐昌顺", "张家升")]
['徐昌顺 —[加入]→ 镇安县总工会', '镇安县总工会 ←[常务副主席]— 张家升']
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from .network.analyze import Hop

__all__ = ["KnowledgeGraph", "open_build", "python_value"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = frozenset(
    _XSD + t
    for t in (
        "integer long int short byte nonNegativeInteger positiveInteger negativeInteger nonPositiveInteger "
        "unsignedLong unsignedInt unsignedShort unsignedByte"
    ).split()
)
_FLOATS = frozenset({_XSD + "decimal", _XSD + "double", _XSD + "float"})


def python_value(term: Any) -> Any:
    """An RDF term as a plain Python value.

    IRIs become ``str``, blank nodes ``"_:id"``; literals become ``int``,
    ``float`` (xsd:decimal, double, float), ``bool``, ``datetime.date`` or
    ``datetime.datetime`` by their datatype, and ``str`` otherwise (the
    language tag is dropped); ``None`` stays ``None``.

    >>> import pyoxigraph as ox
    >>> python_value(ox.Literal("22353", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
    22353
    >>> python_value(ox.Literal("镇安县总工会", language="zh"))
    '镇安县总工会'
    """
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if not isinstance(term, ox.Literal):
        return str(term)
    dt, text = term.datatype.value, term.value
    try:
        if dt in _INTEGERS:
            return int(text)
        if dt in _FLOATS:
            return float(text)
        if dt == _XSD + "boolean":
            return text in ("true", "1")
        if dt == _XSD + "date":
            return _dt.date.fromisoformat(text[:10])
        if dt == _XSD + "dateTime":
            return _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    return text


def _term(value: Any) -> Any:
    """A Python value as an RDF term for a query parameter."""
    import pyoxigraph as ox

    if isinstance(value, ox.NamedNode | ox.BlankNode | ox.Literal):
        return value
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(_XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(_XSD + "integer"))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(_XSD + "double"))
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(_XSD + "date"))
    return ox.Literal(str(value))


class KnowledgeGraph:
    """A build opened for reading (see the module's documentation for a tour).

    The store is opened once, read-only; the NetworkX projection and the
    tables are computed on first use and kept.
    """

    def __init__(self, build_dir: str | os.PathLike[str]) -> None:
        from .store import open_store

        self.directory = Path(build_dir)
        self._store = open_store(self.directory)
        self._graph: nx.MultiDiGraph | None = None
        self._tables: tuple[list[dict[str, Any]], list[dict[str, Any]]] | None = None

    def __repr__(self) -> str:
        G = self.to_networkx()
        return f"<KnowledgeGraph {self.directory}: {G.number_of_nodes()} entities, {G.number_of_edges()} relations>"

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    # -- SPARQL ---------------------------------------------------------------
    def query(self, sparql: str, *, limit: int | None = None, **params: Any) -> Any:
        """Run a SPARQL query; SELECT gives a list of dicts, ASK a bool, CONSTRUCT a list of triples.

        Values are plain Python (:func:`python_value`).  Keyword arguments
        give values to variables of the query (``name="镇安县总工会"``, see
        :func:`kg.sparql.query.bind_params`): a ``str`` matches that text with or
        without the ``@zh`` tag, ``int``, ``float``, ``bool`` and
        ``datetime.date`` are typed literals, and a pyoxigraph term is used
        as it is.  Raises :class:`kg.errors.QueryError` for a query that
        does not parse or run.
        """
        from .sparql.query import run_query

        result = run_query(self._store, sparql, limit=limit, params={k: _term(v) for k, v in params.items()})
        if result.kind == "ask":
            return bool(result.boolean)
        if result.kind == "graph":
            return [tuple(python_value(x) for x in (t.subject, t.predicate, t.object)) for t in result.triples]
        return [
            {v: python_value(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
            for row in result.rows
        ]

    # -- tables ---------------------------------------------------------------
    def _rows(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        if self._tables is None:
            from .export import entity_tables

            nodes, edges = entity_tables(self.to_networkx())
            for row in nodes:
                row["aliases"] = row["aliases"].split("|") if row["aliases"] else []
                row["first_date"] = row["first_date"] or None
                row["last_date"] = row["last_date"] or None
            self._tables = nodes, edges
        return self._tables

    def entities(self, cls: str | None = None) -> list[dict[str, Any]]:
        """One dict per entity (optionally of one class, e.g. ``"TradeUnion"``), in IRI order.

        Keys: those of :data:`kg.export.NODE_COLUMNS` (``id``, ``label``,
        ``class``, ``aliases`` as a list, ``degree``, ``pagerank``,
        ``community``, ``community_name``, ``articles`` as a count,
        ``first_date``/``last_date`` as ISO strings or ``None``, and the
        viewer's ``color``, ``size``, ``x``, ``y``).
        """
        from .network.graph import _check_classes

        rows = self._rows()[0]
        if cls is None:
            return [dict(r) for r in rows]
        _check_classes([cls])
        return [dict(r) for r in rows if r["class"] == cls]

    def entity(self, name: str) -> dict[str, Any]:
        """The entity with this name, alias or IRI (either script); :class:`kg.errors.InputError` if none."""
        from .network.graph import find_node

        iri = find_node(self.to_networkx(), name)
        return next(dict(r) for r in self._rows()[0] if r["id"] == iri)

    def relations(self, relation: str | None = None) -> list[dict[str, Any]]:
        """One dict per relation (optionally of one kind, e.g. ``"organizes"`` or ``"holds"``).

        Keys: those of :data:`kg.export.EDGE_COLUMNS` (``source``,
        ``source_label``, ``relation``, ``label_zh``, ``target``,
        ``target_label``, ``role`` for posts, ``evidence`` as a count).
        """
        rows = self._rows()[1]
        if relation is None:
            return [dict(r) for r in rows]
        from .model import RELATIONS

        known = {*RELATIONS, "holds"}
        if relation not in known:
            raise InputError(f"unknown relation {relation!r}; choose from {', '.join(sorted(known))}")
        return [dict(r) for r in rows if r["relation"] == relation]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.entities())

    # -- graphs and analysis -----------------------------------------------------
    def to_networkx(self) -> nx.MultiDiGraph:
        """The entity graph of :func:`kg.network.graph.to_networkx` (computed once; copy it before changing it)."""
        if self._graph is None:
            from .network.graph import to_networkx

            self._graph = to_networkx(self._store)
        return self._graph

    def analyze(self, **options: Any) -> dict[str, Any]:
        """The result of ``kg analyze`` (:func:`kg.network.analyze.analyze`): ``seed``, ``top``, ``with_places``."""
        from .network.analyze import analyze

        return analyze(self.to_networkx(), **options)

    def path(self, a: str, b: str, *, with_places: bool = False) -> list[Hop]:
        """How two entities connect, as ``kg path`` shows it (:func:`kg.network.analyze.shortest_path`)."""
        from .network.analyze import shortest_path

        return shortest_path(self.to_networkx(), a, b, with_places=with_places)

    @staticmethod
    def schema() -> list[dict[str, Any]]:
        """The classes and properties, as ``kg schema`` lists them (:func:`kg.rdf.ontology.describe`)."""
        from .rdf.ontology import describe

        return describe()


def open_build(build_dir: str | os.PathLike[str]) -> KnowledgeGraph:
    """Open a build directory for reading; :class:`kg.errors.BuildDirError` when it is not one."""
    return KnowledgeGraph(build_dir)
