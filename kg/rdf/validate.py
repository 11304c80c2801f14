"""Check a build against the SHACL shapes (``kg validate``).

The facts of a build (its default graph) are validated with pySHACL against
``ontology/shapes.ttl``, with the OWL ontology mixed in so that ``sh:class``
sees its subclass axioms.  No inference is run: inferring types from the
ranges of properties would turn a wrong link into a silently retyped node and
hide the very errors the shapes look for.

>>> from kg.rdf.validate import validate, format_report
>>> print(format_report(validate("out")))  # doctest: +SKIP
conforms: 1043 nodes checked
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .namespace import BASE, PREFIXES

if TYPE_CHECKING:  # pragma: no cover
    import rdflib

__all__ = ["Report", "Violation", "format_report", "validate", "validate_graph"]

_SH = "http://www.w3.org/ns/shacl#"
_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}
_ID = BASE + "id/"


@dataclass(frozen=True, slots=True)
class Violation:
    """One validation result.

    ``label`` is the focus node's ``rdfs:label`` (else its headline, surface
    form or text, else its IRI without the ``…/id/`` base), ``path`` the property in prefixed form
    (``gh:locatedIn``, ``^gh:holds`` for an inverse path), ``severity`` one of
    ``Violation``, ``Warning``, ``Info``, and ``value`` the offending value
    when the result names one.
    """

    focus: str
    label: str
    path: str
    message: str
    severity: str = "Violation"
    value: str | None = None


@dataclass(slots=True)
class Report:
    """The outcome of validating one graph.

    ``conforms`` is true when no result has severity ``Violation``; warnings
    are listed in ``violations`` too but do not break conformance.
    """

    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    nodes: int = 0  #: typed nodes in the graph, the ones the shapes target
    triples: int = 0

    @property
    def errors(self) -> list[Violation]:
        """The results of severity ``Violation``."""
        return [v for v in self.violations if v.severity == "Violation"]

    @property
    def warnings(self) -> list[Violation]:
        """The results of lower severity (``Warning``, ``Info``)."""
        return [v for v in self.violations if v.severity != "Violation"]


def validate(build_dir: str | os.PathLike[str]) -> Report:
    """Validate the facts of a build.

    Raises
    ------
    BuildDirError
        When ``build_dir`` is missing or is not a build.
    """
    from .serialize import load_facts

    return _validate(load_facts(build_dir), inplace=True)


def validate_graph(graph: rdflib.Graph) -> Report:
    """Validate an :class:`rdflib.Graph` of facts against the shapes.

    The graph is not changed.
    """
    return _validate(graph, inplace=False)


def _validate(graph: rdflib.Graph, *, inplace: bool) -> Report:
    """Run pySHACL; with ``inplace`` the ontology is mixed into ``graph`` itself instead of a copy."""
    import pyshacl
    from rdflib import RDF

    from .ontology import load_ontology, load_shapes

    nodes = len(set(graph.subjects(RDF.type, None)))
    triples = len(graph)
    shapes = load_shapes()
    _, results, _ = pyshacl.validate(
        graph,
        shacl_graph=shapes,
        ont_graph=load_ontology(),
        inference="none",
        allow_warnings=True,
        allow_infos=True,
        inplace=inplace,
    )
    violations = _read_results(results, graph, shapes)
    conforms = not any(v.severity == "Violation" for v in violations)
    return Report(conforms=conforms, violations=violations, nodes=nodes, triples=triples)


def _namespaces() -> Any:
    from rdflib import Graph

    g = Graph(bind_namespaces="none")
    for prefix, iri in PREFIXES.items():
        if prefix != "id":
            g.bind(prefix, iri, override=True, replace=True)
    g.bind("sh", _SH)
    return g.namespace_manager


def _read_results(results: rdflib.Graph, data: rdflib.Graph, shapes: rdflib.Graph) -> list[Violation]:
    from rdflib import RDF, URIRef
    from rdflib.namespace import SH

    nm = _namespaces()
    out: set[Violation] = set()
    for r in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(r, SH.focusNode)
        if focus is None or (None, SH.detail, r) in results:  # details restate their parent result
            continue
        path = _path(results.value(r, SH.resultPath), results, nm)
        if not path:  # a node constraint: name the property the shape targets
            shape = results.value(r, SH.sourceShape)
            target = shapes.value(shape, SH.targetSubjectsOf) if shape is not None else None
            path = nm.normalizeUri(target) if isinstance(target, URIRef) else ""
        messages = sorted(str(m) for m in results.objects(r, SH.resultMessage))
        severity = results.value(r, SH.resultSeverity)
        value = results.value(r, SH.value)
        out.add(
            Violation(
                focus=str(focus),
                label=_label(focus, data),
                path=path,
                message=messages[0] if messages else "does not conform",
                severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
                value=None if value is None or value == focus else _show(value, data, nm),
            )
        )
    return sorted(
        out, key=lambda v: (_SEVERITY_ORDER.get(v.severity, 3), v.label, v.focus, v.path, v.message)
    )


def _path(node: Any, results: rdflib.Graph, nm: Any) -> str:
    from rdflib import BNode, URIRef
    from rdflib.namespace import SH

    if isinstance(node, URIRef):
        return str(nm.normalizeUri(node))
    if isinstance(node, BNode):
        inverse = results.value(node, SH.inversePath)
        if isinstance(inverse, URIRef):
            return "^" + str(nm.normalizeUri(inverse))
        return "(complex path)"
    return ""


def _label(node: Any, data: rdflib.Graph) -> str:
    """A name for a node a person can read.

    Its labels (all of them, joined with `` / ``), else its headline, its
    surface form (a figure) or its text (a sentence), else its IRI after ``…/id/``.
    """
    from rdflib import RDFS, Literal, URIRef

    from .namespace import GH

    for prop in (RDFS.label, GH.headline, GH.surface, GH.text):
        names = sorted({str(o) for o in data.objects(node, prop) if isinstance(o, Literal)})
        if names:
            return " / ".join(names)
    text = str(node)
    if isinstance(node, URIRef) and text.startswith(_ID):
        return text[len(_ID) :]
    return text


def _show(value: Any, data: rdflib.Graph, nm: Any) -> str:
    from rdflib import Literal, URIRef

    if isinstance(value, URIRef):
        return f"{_label(value, data)} <{value}>"
    if isinstance(value, Literal):
        return str(value.n3(nm))
    return str(value)


def format_report(report: Report) -> str:
    """Readable lines, one per result, and a closing summary line.

    Each line is ``LABEL <IRI>  PATH  MESSAGE``, followed by the value when
    the result names one; lines of lower severity start with ``warning:``.
    """
    lines = []
    for v in report.violations:
        prefix = "" if v.severity == "Violation" else f"{v.severity.lower()}: "
        line = f"{prefix}{v.label} <{v.focus}>  {v.path or '-'}  {v.message}"
        if v.value is not None:
            line += f"  (value: {v.value})"
        lines.append(line)
    n_err, n_warn = len(report.errors), len(report.warnings)
    warn = f", {n_warn} warning{'s' * (n_warn != 1)}" if n_warn else ""
    if report.conforms:
        lines.append(f"conforms: {report.nodes} nodes checked{warn}")
    else:
        lines.append(
            f"does not conform: {n_err} violation{'s' * (n_err != 1)}{warn} in {report.nodes} nodes checked"
        )
    return "\n".join(lines)
