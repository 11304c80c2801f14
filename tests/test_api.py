"""The Python API (kg.open / kg.api): its documented session runs as doctests, names match the exports."""

from __future__ import annotations

import datetime as dt
import doctest
import tomllib
from pathlib import Path

import pytest

import kg
from kg.errors import BuildDirError, InputError, QueryError
from kg.export import EDGE_COLUMNS, NODE_COLUMNS

ROOT = Path(__file__).resolve().parent.parent


def test_the_api_page_runs_as_doctests(tmp_path, monkeypatch):
    """The tour in kg/api.py builds the bundled page and asks it questions; every output must match."""
    import kg.api

    (tmp_path / "examples").symlink_to(ROOT / "examples")
    monkeypatch.chdir(tmp_path)
    result = doctest.testmod(kg.api, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 15 and result.failed == 0


@pytest.mark.parametrize("module", ["kg.network.graph", "kg.network.viz", "kg.export", "kg.sparql.query",
                                    "kg.rdf.ontology"])
def test_module_examples_run(module):
    import importlib

    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 1 and result.failed == 0


@pytest.fixture(scope="module")
def g(page_build):
    return kg.open(page_build)


def test_rows_have_the_export_names_and_plain_values(g):
    entities = g.entities()
    assert len(entities) == 147 and all(tuple(e) == NODE_COLUMNS for e in entities)  # with 司机之家, a program
    assert all(tuple(r) == EDGE_COLUMNS for r in g.relations())
    union = g.entity("鎮安縣總工會")  # traditional script
    assert union["class"] == "TradeUnion" and isinstance(union["aliases"], list)
    assert isinstance(union["pagerank"], float) and union["community"] >= 0
    G = g.to_networkx()
    assert all("class" in d and "cls" not in d for _, d in G.nodes(data=True))
    assert all("relation" in d and "rel" not in d for _, _, d in G.edges(data=True))


def test_query_values_and_parameters(g):
    rows = g.query(
        "SELECT ?name ?value ?unit WHERE { ?u rdfs:label ?name . "
        "?s gh:about ?u ; gh:measure '会员'@zh ; gh:value ?value ; gh:unit ?unit }",
        name="镇安县总工会",
    )
    assert rows == [{"name": "镇安县总工会", "value": 22353.0, "unit": "人"}]
    dates = g.query("SELECT DISTINCT ?d WHERE { ?a gh:date ?d } ORDER BY DESC(?d)")
    assert dates[0] == {"d": dt.date(2022, 11, 11)} and all(isinstance(r["d"], dt.date) for r in dates)
    assert g.query("SELECT ?n WHERE { VALUES ?n { 3 } }", n=3) == [{"n": 3}]
    assert g.query("SELECT ?n WHERE { VALUES ?n { 3 } }", n=4) == []
    triples = g.query("CONSTRUCT { ?a gh:partOf ?b } WHERE { ?a gh:partOf ?b } LIMIT 1")
    assert len(triples) == 1 and triples[0][1] == "https://w3id.org/gonghui-kg/ontology#partOf"
    with pytest.raises(QueryError):
        g.query("SELECT WHERE")


def test_errors_are_kg_errors(g, tmp_path):
    with pytest.raises(BuildDirError):
        kg.open(tmp_path)
    with pytest.raises(InputError, match="unknown class"):
        g.entities("Union")
    with pytest.raises(InputError, match="unknown relation"):
        g.relations("runs")
    with pytest.raises(InputError, match="did you mean"):
        g.entity("镇安县总工")


def test_matplotlib_and_scipy_install_with_the_package():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["dependencies"]
    names = {d.split(">")[0].split("=")[0].split("[")[0].strip() for d in deps}
    assert {"matplotlib", "scipy", "networkx"} <= names
