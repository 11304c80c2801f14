"""`kg schema`, the ontology's named graph in each build, and the vocabulary's example queries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.rdf.ontology import ONTOLOGY_GRAPH, add_to_store, describe, load_ontology, ontology_path
from kg.sparql.query import run_query

GH = "https://w3id.org/gonghui-kg/ontology#"
OWL = "http://www.w3.org/2002/07/owl#"


def test_describe_lists_every_class_and_property_of_the_ontology():
    from rdflib import RDF, URIRef

    onto = load_ontology()
    declared = {
        str(s)
        for kind in ("Class", "ObjectProperty", "DatatypeProperty")
        for s in onto.subjects(RDF.type, URIRef(OWL + kind))
        if str(s).startswith(GH)
    }
    terms = describe()
    assert {t["iri"] for t in terms} == declared and len(terms) == len(declared)
    assert all(t["label_zh"] and t["label_en"] and (t["comment_en"] or t["comment_zh"]) for t in terms)
    kinds = [t["kind"] for t in terms]
    assert kinds == sorted(kinds, key=["class", "object property", "datatype property"].index)
    by = {t["term"]: t for t in terms}
    assert by["gh:memberOf"]["domain"] == ["gh:Person | gh:WorkerGroup"]
    assert by["gh:memberOf"]["range"] == ["gh:TradeUnion"]
    assert by["gh:value"]["range"] == ["xsd:decimal"]
    assert "gh:Organization" in by["gh:TradeUnion"]["subclass_of"]


def test_every_example_query_runs_on_a_build(page_build):
    answered = set()
    for t in describe():
        result = run_query(page_build, t["example"])
        assert result.kind == "select", t["term"]
        if len(result):
            answered.add(t["term"])
    # the classes and relations the page has answer with rows
    assert {"gh:TradeUnion", "gh:Program", "gh:Place", "gh:organizes", "gh:holds", "gh:value"} <= answered


def test_cli_schema_text_one_term_and_formats(page_build):
    runner = CliRunner()
    out_dir = str(page_build)
    res = runner.invoke(cli, ["schema", out_dir])
    assert res.exit_code == 0, res.output
    out = res.stdout

    def count(pattern: str) -> int:
        return int(run_query(page_build, f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}").rows[0][0].value)

    unions, organizes, groups = count("?s a gh:TradeUnion"), count("?s gh:organizes ?o"), count("?s a gh:WorkerGroup")
    assert unions > 20 and organizes > 5 and groups > 5
    assert f"gh:TradeUnion  工会 · trade union  ({unions} in this build)" in out
    assert f"gh:organizes  举办 · organises  ({organizes} in this build)" in out
    assert "domain: gh:Organization    range: gh:Program" in out
    assert f"GRAPH <{ONTOLOGY_GRAPH}>" in out and 'FILTER(STR(?label) = "货车司机")' in out
    one = runner.invoke(cli, ["schema", out_dir, "职工群体", "--format", "json"])
    assert one.exit_code == 0
    (term,) = json.loads(one.stdout)
    assert term["term"] == "gh:WorkerGroup" and term["label_en"] == "worker group" and term["count"] == groups
    assert runner.invoke(cli, ["schema", out_dir, "gh:organizes"]).stdout.count("example:") == 1
    md = runner.invoke(cli, ["schema", out_dir, "--format", "markdown"]).stdout
    assert md.startswith("| term | 中文 | English |") and "| `gh:benefits` | 惠及 | benefits |" in md
    bad = runner.invoke(cli, ["schema", out_dir, "TradeUnoin"])
    assert bad.exit_code == 2 and bad.stderr.strip() == (
        "kg: error: no class or property named 'TradeUnoin'; did you mean TradeUnion?"
    )


def test_build_keeps_the_ontology_in_its_own_graph(page_build):
    labels = run_query(page_build, f"SELECT ?l WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ gh:organizes rdfs:label ?l }} }}")
    assert sorted(row[0].value for row in labels.rows) == ["organises", "举办"]
    # the facts stay apart: the default graph declares no class
    assert len(run_query(page_build, "SELECT ?c WHERE { ?c a owl:Class }")) == 0
    # and the ontology graph holds the ontology file, once
    import pyoxigraph as ox

    expected = len(list(ox.parse(ontology_path("gonghui.ttl").read_bytes(), format=ox.RdfFormat.TURTLE)))
    n = run_query(page_build, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} }}")
    assert int(n.rows[0][0].value) == expected


def test_loading_the_ontology_again_replaces_it(tmp_path: Path):
    import pyoxigraph as ox

    store = ox.Store()
    graph = ox.NamedNode(ONTOLOGY_GRAPH)
    store.add(ox.Quad(ox.NamedNode(GH + "Stale"), ox.NamedNode(OWL + "deprecated"), ox.Literal("true"), graph))
    fact = ox.Quad(ox.NamedNode("https://w3id.org/gonghui-kg/id/TradeUnion/x"), ox.NamedNode(GH + "locatedIn"),
                   ox.NamedNode("https://w3id.org/gonghui-kg/id/Place/y"))  # fmt: skip
    store.add(fact)
    add_to_store(store)
    add_to_store(store)
    in_graph = list(store.quads_for_pattern(None, None, None, graph))
    assert not any(q.subject.value == GH + "Stale" for q in in_graph)
    assert len(in_graph) == len(list(ox.parse(ontology_path("gonghui.ttl").read_bytes(), format=ox.RdfFormat.TURTLE)))
    assert fact in store


@pytest.mark.parametrize("name", ["TradeUnion", "gh:TradeUnion", "工会", "trade union", "TRADEUNION"])
def test_a_term_is_found_by_any_of_its_names(mini_build, name):
    res = CliRunner().invoke(cli, ["schema", str(mini_build), name, "--format", "json"])
    assert res.exit_code == 0 and [t["term"] for t in json.loads(res.stdout)] == ["gh:TradeUnion"]
