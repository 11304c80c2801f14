"""The OWL ontology, the SHACL shapes and the JSON-LD context agree with each other and with the code."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest
from conftest import DATA, ROOT
from rdflib import OWL, RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import DCTERMS, SKOS, XSD

from kg.model import CLASSES
from kg.rdf.namespace import GH, ORG, PROV, SCHEMA
from kg.rdf.ontology import (
    FILES,
    ONTOLOGY_IRI,
    VERSION_IRI,
    load_context,
    load_ontology,
    load_shapes,
    ontology_as,
    ontology_path,
)

FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SH = Namespace("http://www.w3.org/ns/shacl#")
GH_NS = str(GH._NS)
TERMS = {GH._NS[name] for name in GH.__annotations__}


@pytest.fixture(scope="module")
def onto() -> Graph:
    return load_ontology()


def defined_terms(g: Graph) -> set[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return {
        s for k in kinds for s in g.subjects(RDF.type, k) if isinstance(s, URIRef) and s.startswith(GH_NS)
    }


def assert_isomorphic(expected: Graph, got: Graph) -> None:
    if not isomorphic(expected, got):
        _, only_expected, only_got = graph_diff(to_isomorphic(expected), to_isomorphic(got))
        pytest.fail(
            "graphs differ\n-- only in expected:\n"
            + only_expected.serialize(format="nt")
            + "\n-- only in result:\n"
            + only_got.serialize(format="nt")
        )


# ---------------------------------------------------------------- files and header


def test_files_are_installed_with_the_package() -> None:
    for name in FILES:
        assert ontology_path(name).is_file(), name
    with pytest.raises(ValueError, match="unknown ontology file"):
        ontology_path("nothing.ttl")


def test_header(onto: Graph) -> None:
    o = URIRef(ONTOLOGY_IRI)
    assert (o, RDF.type, OWL.Ontology) in onto
    assert onto.value(o, OWL.versionIRI) == URIRef(VERSION_IRI)
    assert str(onto.value(o, OWL.versionInfo)) == "0.1.0"
    assert {t.language for t in onto.objects(o, DCTERMS.title)} == {"en", "zh"}
    assert onto.value(o, DCTERMS.license) is not None


# ---------------------------------------------------------------- terms


def test_namespace_and_ontology_define_the_same_terms(onto: Graph) -> None:
    defined = defined_terms(onto)
    assert sorted(TERMS - defined) == [], "in kg/rdf/namespace.py but not defined in gonghui.ttl"
    assert sorted(defined - TERMS) == [], "defined in gonghui.ttl but not in kg/rdf/namespace.py"


def test_every_contract_term_is_defined(onto: Graph) -> None:
    lines = (DATA / "contract-terms.txt").read_text("utf-8").splitlines()
    names = {line.strip() for line in lines if line.strip() and not line.startswith("#")}
    assert len(names) >= 20, "the contract list is unexpectedly short"
    assert sorted(n for n in names if GH_NS + n not in {str(t) for t in defined_terms(onto)}) == []


def test_every_term_has_labels_and_a_comment(onto: Graph) -> None:
    for term in sorted(TERMS):
        langs = {lit.language for lit in onto.objects(term, RDFS.label) if isinstance(lit, Literal)}
        assert {"zh", "en"} <= langs, f"{term}: labels in {langs}"
        comments = {lit.language for lit in onto.objects(term, RDFS.comment) if isinstance(lit, Literal)}
        assert "en" in comments, f"{term}: no English comment"


def test_every_property_has_domain_and_range(onto: Graph) -> None:
    datatypes = {RDF.langString, XSD.string, XSD.decimal, XSD.integer, XSD.boolean, XSD.date, XSD.anyURI}
    for prop in sorted(set(onto.subjects(RDF.type, OWL.ObjectProperty)) & TERMS):
        assert onto.value(prop, RDFS.domain) is not None, prop
        rng = onto.value(prop, RDFS.range)
        assert rng is not None and rng not in datatypes, f"{prop}: object property with range {rng}"
    for prop in sorted(set(onto.subjects(RDF.type, OWL.DatatypeProperty)) & TERMS):
        assert onto.value(prop, RDFS.domain) is not None, prop
        assert onto.value(prop, RDFS.range) in datatypes, prop


def test_names_of_classes_and_properties_follow_owl_conventions(onto: Graph) -> None:
    for term in defined_terms(onto):
        local = term[len(GH_NS) :]
        if (term, RDF.type, OWL.Class) in onto:
            assert local[0].isupper(), term
        else:
            assert local[0].islower(), term


# ---------------------------------------------------------------- alignment

# fmt: off
ALIGNMENTS = [
    (GH.TradeUnion, RDFS.subClassOf, SCHEMA.WorkersUnion),
    (GH.TradeUnion, RDFS.subClassOf, ORG.FormalOrganization),
    (GH.TradeUnion, RDFS.subClassOf, GH.Organization),
    (GH.Enterprise, RDFS.subClassOf, SCHEMA.Corporation),
    (GH.GovernmentBody, RDFS.subClassOf, SCHEMA.GovernmentOrganization),
    (GH.OtherOrganization, RDFS.subClassOf, SCHEMA.Organization),
    (GH.Person, RDFS.subClassOf, SCHEMA.Person),
    (GH.Person, RDFS.subClassOf, FOAF.Person),
    (GH.Program, RDFS.subClassOf, PROV.Entity),
    (GH.Program, SKOS.closeMatch, SCHEMA.Event),
    (GH.Program, SKOS.closeMatch, SCHEMA.CreativeWork),
    (GH.Place, RDFS.subClassOf, SCHEMA.AdministrativeArea),
    (GH.WorkerGroup, RDFS.subClassOf, SCHEMA.Audience),
    (GH.Award, RDFS.subClassOf, SKOS.Concept),
    (GH.Article, RDFS.subClassOf, SCHEMA.NewsArticle),
    (GH.Article, RDFS.subClassOf, PROV.Entity),
    (GH.Post, RDFS.subClassOf, ORG.Post),
    (GH.Sentence, RDFS.subClassOf, PROV.Entity),
    (GH.Evidence, RDFS.subClassOf, PROV.Bundle),
    (GH.holds, RDFS.subPropertyOf, ORG.holds),
    (GH.postIn, RDFS.subPropertyOf, ORG.postIn),
    (GH.role, RDFS.seeAlso, ORG.role),
    (GH.subOrganizationOf, RDFS.subPropertyOf, ORG.subOrganizationOf),
    (GH.memberOf, RDFS.subPropertyOf, ORG.memberOf),
    (GH.locatedIn, RDFS.subPropertyOf, SCHEMA.location),
    (GH.partOf, RDFS.subPropertyOf, SCHEMA.containedInPlace),
    (GH.byline, RDFS.subPropertyOf, SCHEMA.author),
    (GH.benefits, RDFS.subPropertyOf, SCHEMA.audience),
    (GH.employedBy, RDFS.subPropertyOf, SCHEMA.worksFor),
    (GH.locatedIn, RDFS.range, GH.Place),
    (GH.organizes, RDFS.domain, GH.Organization),
]
# fmt: on


@pytest.mark.parametrize("triple", ALIGNMENTS, ids=lambda t: f"{t[0].n3().split('#')[-1]}-{t[2].n3()}")
def test_alignment(onto: Graph, triple: tuple[URIRef, URIRef, URIRef]) -> None:
    assert triple in onto


def test_organization_is_the_union_of_the_four_classes(onto: Graph) -> None:
    union = onto.value(GH.Organization, OWL.equivalentClass)
    members = set(Collection(onto, onto.value(union, OWL.unionOf)))
    assert members == {GH.TradeUnion, GH.Enterprise, GH.GovernmentBody, GH.OtherOrganization}


def _classes_of(node: URIRef, data: Graph, onto: Graph) -> set[URIRef]:
    """The types of ``node`` in ``data`` with their superclasses in ``onto``."""
    found = set(data.objects(node, RDF.type))
    todo = list(found)
    while todo:
        for sup in onto.objects(todo.pop(), RDFS.subClassOf):
            if isinstance(sup, URIRef) and sup not in found:
                found.add(sup)
                todo.append(sup)
    return found


def _admits(expr: object, node: URIRef, data: Graph, onto: Graph) -> bool:
    """Whether ``node`` belongs to a class or a union class expression."""
    if isinstance(expr, URIRef):
        return expr in _classes_of(node, data, onto)
    members = list(Collection(onto, onto.value(expr, OWL.unionOf)))  # type: ignore[arg-type]
    return any(_admits(m, node, data, onto) for m in members)


def facts_of(trig: Path) -> Graph:
    """The default graph of a TriG file."""
    import pyoxigraph as ox

    quads = ox.parse(path=str(trig), format=ox.RdfFormat.TRIG)
    facts = [q.triple for q in quads if isinstance(q.graph_name, ox.DefaultGraph)]
    return Graph().parse(data=ox.serialize(facts, None, ox.RdfFormat.N_TRIPLES), format="nt")


def test_domains_and_ranges_describe_the_documented_layout(onto: Graph) -> None:
    """Every gh statement of the hand-written build fits its property's domain and range."""
    data = facts_of(DATA / "mini.trig")
    checked = 0
    for s, p, o in data:
        if not p.startswith(GH_NS):
            continue
        assert _admits(onto.value(p, RDFS.domain), s, data, onto), f"{s} {p}: subject outside the domain"
        rng = onto.value(p, RDFS.range)
        if (p, RDF.type, OWL.ObjectProperty) in onto:
            assert _admits(rng, o, data, onto), f"{s} {p} {o}: object outside the range"
        elif rng == RDF.langString:
            assert isinstance(o, Literal) and o.language, f"{s} {p} {o!r}"
        else:
            assert isinstance(o, Literal) and (o.datatype or XSD.string) == rng, f"{s} {p} {o!r}: not {rng}"
        checked += 1
    assert checked > 50


def owl_rl_errors(data: Graph) -> list[str]:
    """Inconsistencies OWL 2 RL reasoning finds in the ontology together with ``data``."""
    import owlrl

    g = load_ontology()
    for t in data:
        g.add(t)
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, rdfs_closure=False, axiomatic_triples=False, datatype_axioms=False
    ).expand(g)
    return sorted(
        str(o) for o in g.objects(None, URIRef("http://www.daml.org/2002/03/agents/agent-ont#error"))
    )


def test_documented_layout_is_consistent_with_the_axioms() -> None:
    assert owl_rl_errors(facts_of(DATA / "mini.trig")) == []


def test_axioms_catch_a_relation_to_the_wrong_kind_of_node() -> None:
    """A union gh:locatedIn a person: the range makes him a place, and persons and places are disjoint."""
    errors = owl_rl_errors(facts_of(DATA / "broken.trig"))
    assert len(errors) == 1
    assert "Disjoint classes" in errors[0] and "Person/徐昌顺/美团" in errors[0]


# ---------------------------------------------------------------- other serialisations


@pytest.mark.parametrize("fmt", ["xml", "ttl", "nt", "jsonld"])
def test_ontology_round_trips_through_rdflib(onto: Graph, fmt: str) -> None:
    text = ontology_as(fmt)
    parse_as = {"xml": "xml", "ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}[fmt]
    with warnings.catch_warnings():  # rdflib's JSON-LD parser uses its own deprecated ConjunctiveGraph
        warnings.simplefilter("ignore", DeprecationWarning)
        parsed = Graph().parse(data=text, format=parse_as)
    assert_isomorphic(onto, parsed)


def test_rdfxml_is_read_by_oxigraph_too(onto: Graph) -> None:
    import pyoxigraph as ox

    text = ontology_as("rdfxml")
    assert text.startswith("<?xml")
    triples = list(ox.parse(text.encode("utf-8"), ox.RdfFormat.RDF_XML))
    assert len(triples) == len(onto)


def test_unknown_serialisation_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        ontology_as("docx")


# ---------------------------------------------------------------- shapes and context


def _gh_iris(text: str) -> set[str]:
    return set(re.findall(r"\bgh:([A-Za-z]+)", text))


def test_shapes_and_context_use_only_defined_terms() -> None:
    names = set(GH.__annotations__)
    shapes_text = ontology_path("shapes.ttl").read_text("utf-8")
    assert sorted(_gh_iris(shapes_text) - names) == []
    context_text = ontology_path("context.jsonld").read_text("utf-8")
    assert sorted(_gh_iris(context_text) - names) == []


def test_shapes_are_valid_shacl() -> None:
    """The shapes graph conforms to SHACL's own shapes (SHACL-SHACL)."""
    import pyshacl

    conforms, _, text = pyshacl.validate(Graph(), shacl_graph=load_shapes(), meta_shacl=True)
    assert conforms, text


def test_shapes_target_every_entity_class() -> None:
    shapes = load_shapes()
    targets = set(shapes.objects(None, SH.targetClass))
    contract = {GH._NS[c] for c in CLASSES}
    assert contract | {GH.Post, GH.Statistic, GH.Article, GH.Sentence, GH.Evidence} <= targets


def _allowed_units() -> set[str]:
    shapes = load_shapes()
    for ps in shapes.objects(None, SH.property):
        if shapes.value(ps, SH.path) == GH.unit and shapes.value(ps, SH["in"]) is not None:
            return {str(x) for x in Collection(shapes, shapes.value(ps, SH["in"]))}
    raise AssertionError("no sh:in list for gh:unit")


def test_unit_list_has_the_base_units_and_no_multiplied_ones() -> None:
    units = _allowed_units()
    assert {"人", "元", "家", "个", "户", "人次", "%"} <= units
    assert not {u for u in units if u[0] in "万亿"}, "multiplied units are converted to base units"


UNITS_TABLE = ROOT / "kg" / "data" / "units.tsv"


def test_unit_list_covers_the_figures_unit_table() -> None:
    stat_kinds = {"count", "money", "percent", "ratio", "quantity"}
    bases = set()
    for line in UNITS_TABLE.read_text("utf-8").splitlines():
        cols = line.split("\t")
        if line.startswith("#") or len(cols) < 3:
            continue
        if cols[1] in stat_kinds:
            bases.add(cols[2])
    assert bases, "no statistic units read from the table"
    assert sorted(bases - _allowed_units()) == []


def test_context_agrees_with_the_ontology(onto: Graph) -> None:
    ctx = load_context()
    assert ctx["@vocab"] == GH_NS
    assert ctx["@language"] == "zh"
    for name in GH.__annotations__:
        term = GH._NS[name]
        entry = ctx[name]
        if (term, RDF.type, OWL.Class) in onto:
            assert entry == f"gh:{name}"
            continue
        assert entry["@id"] == f"gh:{name}"
        rng = onto.value(term, RDFS.range)
        if (term, RDF.type, OWL.ObjectProperty) in onto:
            assert entry.get("@type") == "@id", name
        elif rng == XSD.string:
            assert "@language" in entry and entry["@language"] is None, name
        elif rng in (XSD.decimal, XSD.date, XSD.anyURI):
            assert entry.get("@type") == "xsd:" + rng[len(str(XSD)) :], name
        else:  # language-tagged strings take the default @language; numbers and booleans stay native
            assert "@type" not in entry and "@language" not in entry, name


def test_package_data_is_declared() -> None:
    text = (ROOT / "pyproject.toml").read_text("utf-8")
    assert '"kg.rdf.ontology" = ["*.ttl", "*.jsonld"]' in text
    assert all(Path(str(ontology_path(n))).suffix in {".ttl", ".jsonld"} for n in FILES)


def test_package_files_are_the_top_level_ontology() -> None:
    for name in FILES:
        assert (ROOT / "kg" / "rdf" / "ontology" / name).resolve() == (ROOT / "ontology" / name).resolve()
