"""The gonghui-kg ontology files and helpers to load them.

The files (``gonghui.ttl`` the OWL ontology, ``shapes.ttl`` the SHACL shapes,
``context.jsonld`` the JSON-LD context) live in the repository's top-level
``ontology/`` folder; ``kg/ontology/`` links to them, so a wheel carries them
as package data of ``kg.ontology`` and :func:`importlib.resources.files`
finds them from a checkout and from an installed package alike.

>>> from rdflib import RDFS, Literal
>>> from kg.namespace import GH
>>> from kg.ontology import load_ontology
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
    "ONTOLOGY_IRI",
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

    from kg.namespace import PREFIXES

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
