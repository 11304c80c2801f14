"""kg.export and ``kg export``: every format reads back to what the store holds."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from conftest import ROOT
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kg.cli import cli
from kg.errors import BuildDirError, InputError, OutputError
from kg.export import EDGE_COLUMNS, FORMATS, NODE_COLUMNS, export, guess_format, serialize, write_csv
from kg.network.tables import _entity_graph
from kg.rdf.ontology import load_context
from kg.store import open_store

ID = "https://w3id.org/gonghui-kg/id/"
RDF_FORMATS = ["ttl", "nt", "jsonld", "rdfxml"]  # the facts
DATASET_FORMATS = ["trig", "nq"]  # facts and evidence graphs
RDFLIB_NAMES = {
    "ttl": "turtle",
    "nt": "nt",
    "jsonld": "json-ld",
    "rdfxml": "xml",
    "trig": "trig",
    "nq": "nquads",
}
OX_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "trig": ox.RdfFormat.TRIG,
    "nq": ox.RdfFormat.N_QUADS,
}


@pytest.fixture(params=["mini_build", "page_build"])
def build(request: pytest.FixtureRequest) -> Path:
    """Each test runs on the hand-written mini build and on a real build of the bundled page."""
    path: Path = request.getfixturevalue(request.param)
    return path


def quiet_parse(target: Any, data: bytes, fmt: str) -> Any:
    """Parse with rdflib, whose dataset and JSON-LD parsers warn about its own deprecated classes."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return target.parse(data=data, format=RDFLIB_NAMES[fmt])


def store_quads(build: Path) -> set[ox.Quad]:
    return set(open_store(build).quads_for_pattern(None, None, None, None))


def store_facts_rdflib(build: Path) -> Graph:
    """The default graph as rdflib reads it from oxigraph's own N-Triples dump."""
    data = open_store(build).dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    return Graph().parse(data=data, format="nt")


def assert_isomorphic(expected: Graph, got: Graph) -> None:
    if not isomorphic(expected, got):
        _, only_expected, only_got = graph_diff(to_isomorphic(expected), to_isomorphic(got))
        pytest.fail(
            "graphs differ\n-- only in the store:\n"
            + only_expected.serialize(format="nt")
            + "\n-- only in the export:\n"
            + only_got.serialize(format="nt")
        )


# ---------------------------------------------------------------- RDF round trips


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_facts_round_trip_through_rdflib(build: Path, fmt: str) -> None:
    data = serialize(build, fmt)
    assert_isomorphic(store_facts_rdflib(build), quiet_parse(Graph(), data, fmt))


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_facts_round_trip_through_oxigraph(build: Path, fmt: str) -> None:
    got = set(ox.parse(serialize(build, fmt), OX_FORMATS[fmt]))
    facts = {q.triple for q in store_quads(build) if isinstance(q.graph_name, ox.DefaultGraph)}
    assert {q.triple for q in got} == facts
    assert all(isinstance(q.graph_name, ox.DefaultGraph) for q in got)


@pytest.mark.parametrize("fmt", DATASET_FORMATS)
def test_dataset_round_trips_through_oxigraph(build: Path, fmt: str) -> None:
    got = set(ox.parse(serialize(build, fmt), OX_FORMATS[fmt]))
    expected = store_quads(build)
    assert got == expected
    assert any(not isinstance(q.graph_name, ox.DefaultGraph) for q in expected), "no evidence graphs"


@pytest.mark.parametrize("fmt", DATASET_FORMATS)
def test_dataset_round_trips_through_rdflib(build: Path, fmt: str) -> None:
    got = quiet_parse(Dataset(), serialize(build, fmt), fmt)
    expected = quiet_parse(Dataset(), open_store(build).dump(format=ox.RdfFormat.N_QUADS), "nq")
    names = {g.identifier for g in expected.graphs()}
    assert {g.identifier for g in got.graphs()} == names
    for name in sorted(names):
        assert_isomorphic(expected.graph(name), got.graph(name))


def test_jsonld_is_compact_with_the_project_context(mini_build: Path) -> None:
    doc = json.loads(serialize(mini_build, "jsonld"))
    assert doc["@context"] == load_context()
    nodes = {n["@id"]: n for n in doc["@graph"]}
    union = nodes[f"{ID}TradeUnion/镇安县总工会"]
    assert union["@type"] == "TradeUnion"
    assert union["label"] == "镇安县总工会"  # @language zh is the default
    assert union["altLabel"] == ["县总工会", "镇安县总"]
    assert union["locatedIn"] == f"{ID}Place/611025"
    stat = nodes[f"{ID}Statistic/d0c0ffee/0/120"]
    assert stat["unit"] == "人" and stat["value"] == "22353" and stat["approximate"] is False


def test_turtle_writes_entity_iris_whole(mini_build: Path) -> None:
    text = serialize(mini_build, "ttl").decode("utf-8")
    assert "@prefix gh: <https://w3id.org/gonghui-kg/ontology#> ." in text
    assert f"<{ID}TradeUnion/镇安县总工会> a gh:TradeUnion" in text
    assert "\\/" not in text


# ---------------------------------------------------------------- determinism


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "csv"])
def test_same_build_gives_the_same_bytes(mini_build: Path, fmt: str) -> None:
    assert serialize(mini_build, fmt) == serialize(mini_build, fmt)


def test_bytes_do_not_depend_on_hash_seed(mini_build: Path, tmp_path: Path) -> None:
    """Two interpreters with different string hashing write identical files."""
    script = (
        "import sys, hashlib\n"
        "from kg.export import FORMATS, serialize\n"
        "for f in sorted(FORMATS):\n"
        "    if f != 'csv':\n"
        "        print(f, hashlib.sha256(serialize(sys.argv[1], f)).hexdigest())\n"
    )
    outs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", script, str(mini_build)], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        outs.append(done.stdout)
    assert outs[0] == outs[1]
    assert len(outs[0].splitlines()) == len(FORMATS) - 1


# ---------------------------------------------------------------- the entity network


def projection(build: Path) -> nx.MultiDiGraph:
    return _entity_graph(open_store(build))


def test_projection_of_the_mini_build(mini_build: Path) -> None:
    g = projection(mini_build)
    assert g.number_of_nodes() == 11  # the entities; articles, sentences and figures are not nodes
    label = {n: d["label"] for n, d in g.nodes(data=True)}
    edges = {
        (label[u], d["relation"], d["label_zh"], label[v], d.get("role")) for u, v, d in g.edges(data=True)
    }
    # fmt: off
    assert edges == {
        ("镇安县总工会", "locatedIn", "位于", "镇安县", None),
        ("镇安县", "partOf", "隶属于", "商洛市", None),
        ("商洛市", "partOf", "隶属于", "陕西省", None),
        ("镇安县总工会", "organizes", "举办", "工会进万家·新就业形态劳动者温暖行动", None),
        ("工会进万家·新就业形态劳动者温暖行动", "benefits", "惠及", "新就业形态劳动者", None),
        ("徐昌顺", "employedBy", "就职于", "美团", None),
        ("徐昌顺", "memberOf", "加入", "镇安县总工会", None),
        ("张家升", "holds", "任职", "镇安县总工会", "常务副主席"),
    }
    # fmt: on
    union = g.nodes[f"{ID}TradeUnion/镇安县总工会"]
    assert set(union) == set(NODE_COLUMNS) - {"id"}
    assert {k: union[k] for k in ("label", "class", "aliases", "degree", "articles", "first_date", "last_date")} == {
        "label": "镇安县总工会",
        "class": "TradeUnion",
        "aliases": "县总工会|镇安县总",
        "degree": 4,
        "articles": 1,
        "first_date": "2022-11-11",
        "last_date": "2022-11-11",
    }
    assert union["color"] == "#d62728" and union["community_name"] == "镇安县总工会" and union["community"] >= 0
    ranks = {n: d["pagerank"] for n, d in g.nodes(data=True)}
    assert max(ranks, key=ranks.get) == f"{ID}TradeUnion/镇安县总工会"
    place = g.nodes[f"{ID}Place/611025"]
    assert place["pagerank"] == 0 and place["community"] == -1 and place["size"] < union["size"]  # context
    award = g.nodes[f"{ID}Award/全国劳动模范"]
    assert award["community"] == -1 and award["first_date"] == "2022-11-11"


def _read_back(fmt: str, data: bytes) -> nx.Graph:
    if fmt == "graphml":
        return nx.read_graphml(io.BytesIO(data))
    return nx.read_gexf(io.BytesIO(data))


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_network_files_read_back(build: Path, fmt: str) -> None:
    expected = projection(build)
    got = _read_back(fmt, serialize(build, fmt))
    assert got.number_of_nodes() == expected.number_of_nodes()
    assert got.number_of_edges() == expected.number_of_edges()
    assert set(got.nodes) == set(expected.nodes)
    for n, d in expected.nodes(data=True):
        back = got.nodes[n]
        assert back["label"] == d["label"] and back["class"] == d["class"]
        assert int(back["degree"]) == d["degree"] and int(back["articles"]) == d["articles"]
        assert back.get("aliases", "") == d["aliases"]
        assert float(back["pagerank"]) == pytest.approx(d["pagerank"]) and int(back["community"]) == d["community"]
        assert back.get("first_date", "") == d["first_date"] and back.get("community_name", "") == d["community_name"]
        if fmt == "gexf":  # Gephi's colours, sizes and positions
            viz = back["viz"]
            assert "#{:02x}{:02x}{:02x}".format(*(viz["color"][c] for c in "rgb")) == d["color"]
            assert viz["size"] == pytest.approx(d["size"]) and viz["position"]["x"] == pytest.approx(d["x"])
        else:
            assert back["color"] == d["color"] and float(back["x"]) == pytest.approx(d["x"])
    relations = sorted(d["relation"] for _, _, d in got.edges(data=True))
    assert relations == sorted(d["relation"] for _, _, d in expected.edges(data=True))
    assert all("networkx_key" not in d for _, _, d in got.edges(data=True))
    assert all(int(d["evidence"]) >= 0 for _, _, d in got.edges(data=True))


def test_gexf_carries_no_date_stamp(mini_build: Path) -> None:
    text = serialize(mini_build, "gexf").decode("utf-8")
    assert "lastmodifieddate" not in text
    assert "<creator>gonghui-kg" in text
    assert "networkx_key" not in text and "<viz:color" in text


def test_csv_tables(build: Path, tmp_path: Path) -> None:
    nodes_path, edges_path = write_csv(build, tmp_path / "tables")
    expected = projection(build)
    for path in (nodes_path, edges_path):
        assert path.read_bytes().startswith(b"\xef\xbb\xbf"), "Excel needs the byte-order mark"
    with nodes_path.open(encoding="utf-8-sig", newline="") as f:
        nodes = list(csv.DictReader(f))
    with edges_path.open(encoding="utf-8-sig", newline="") as f:
        edges = list(csv.DictReader(f))
    assert tuple(nodes[0]) == NODE_COLUMNS
    assert tuple(edges[0]) == EDGE_COLUMNS == (
        "source", "source_label", "relation", "label_zh", "target", "target_label", "role", "evidence",
    )  # fmt: skip
    assert len(nodes) == expected.number_of_nodes()
    assert len(edges) == expected.number_of_edges()
    ids = {row["id"] for row in nodes}
    assert all(row["source"] in ids and row["target"] in ids for row in edges)


def test_csv_of_the_mini_build_reads_in_chinese(mini_build: Path, tmp_path: Path) -> None:
    _, edges_path = write_csv(mini_build, tmp_path)
    with edges_path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    holds = [r for r in rows if r["relation"] == "holds"]
    assert holds == [
        {
            "source": f"{ID}Person/张家升/镇安县总工会",
            "source_label": "张家升",
            "relation": "holds",
            "label_zh": "任职",
            "target": f"{ID}TradeUnion/镇安县总工会",
            "target_label": "镇安县总工会",
            "role": "常务副主席",
            "evidence": "1",
        }
    ]


# ---------------------------------------------------------------- where files go


def test_default_file_is_in_the_build(mini_build: Path, writable_copy: Any) -> None:
    out = writable_copy(mini_build)
    assert export(out) == [out / "export.ttl"]
    assert (out / "export.ttl").read_bytes() == serialize(out, "ttl")
    assert export(out, "csv") == [out / "export-csv" / "nodes.csv", out / "export-csv" / "edges.csv"]


def test_existing_file_is_kept_without_force(mini_build: Path, tmp_path: Path) -> None:
    target = tmp_path / "graph.ttl"
    target.write_text("mine", "utf-8")
    with pytest.raises(OutputError, match="already exists; pass --force"):
        export(mini_build, "ttl", target)
    assert target.read_text("utf-8") == "mine"
    assert export(mini_build, "ttl", target, force=True) == [target]
    assert target.read_bytes() == serialize(mini_build, "ttl")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"], "a temporary file was left behind"


def test_existing_csv_is_kept_without_force(mini_build: Path, tmp_path: Path) -> None:
    (tmp_path / "edges.csv").write_text("mine", "utf-8")
    with pytest.raises(OutputError, match="edges.csv already exist"):
        write_csv(mini_build, tmp_path)
    assert (tmp_path / "edges.csv").read_text("utf-8") == "mine"
    assert not (tmp_path / "nodes.csv").exists()
    write_csv(mini_build, tmp_path, force=True)
    assert (tmp_path / "edges.csv").read_bytes().startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("g.ttl", "ttl"),
        ("g.TRIG", "trig"),
        ("g.nq", "nq"),
        ("g.nt", "nt"),
        ("g.jsonld", "jsonld"),
        ("g.json", "jsonld"),
        ("g.rdf", "rdfxml"),
        ("g.graphml", "graphml"),
        ("g.gexf", "gexf"),
        ("g", "ttl"),
    ],
)
def test_format_follows_the_file_name(mini_build: Path, tmp_path: Path, name: str, fmt: str) -> None:
    assert guess_format(name) == fmt
    (path,) = export(mini_build, None, tmp_path / name)
    assert path.read_bytes() == serialize(mini_build, fmt)


def test_bad_requests(mini_build: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown export format 'docx'"):
        export(mini_build, "docx", tmp_path / "x")
    with pytest.raises(InputError, match="cannot go to standard output"):
        export(mini_build, "csv", "-")
    with pytest.raises(InputError, match="writes several files"):
        serialize(mini_build, "csv")
    with pytest.raises(OutputError, match="is a directory"):
        export(mini_build, "ttl", tmp_path)
    with pytest.raises(OutputError, match="names a directory"):
        export(mini_build, "ttl", f"{tmp_path}/new/")
    with pytest.raises(OutputError, match="no such directory"):
        export(mini_build, "ttl", tmp_path / "missing" / "g.ttl")
    (tmp_path / "file").write_text("x", "utf-8")
    with pytest.raises(OutputError, match="is not a directory"):
        write_csv(mini_build, tmp_path / "file")
    with pytest.raises(BuildDirError):
        export(tmp_path / "nothing", "ttl", tmp_path / "g.ttl")


# ---------------------------------------------------------------- the command


def test_cli_to_stdout(mini_build: Path) -> None:
    result = CliRunner().invoke(cli, ["export", str(mini_build), "-f", "nt", "-o", "-"])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == serialize(mini_build, "nt")
    assert result.stderr == ""


def test_cli_writes_file_and_reports_it(mini_build: Path, tmp_path: Path) -> None:
    target = tmp_path / "g.gexf"
    result = CliRunner().invoke(cli, ["export", str(mini_build), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert result.stderr == f"wrote {target}\n"
    assert target.read_bytes() == serialize(mini_build, "gexf")
    again = CliRunner().invoke(cli, ["export", str(mini_build), "-o", str(target)])
    assert again.exit_code == 2
    assert again.stderr == f"kg: error: {target}: already exists; pass --force to replace it\n"
    forced = CliRunner().invoke(cli, ["export", str(mini_build), "-o", str(target), "--force"])
    assert forced.exit_code == 0


def test_cli_csv_into_a_directory(mini_build: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["export", str(mini_build), "--format", "CSV", "-o", str(tmp_path / "t")]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "t").iterdir()) == ["edges.csv", "nodes.csv"]


def test_cli_csv_file_name_is_a_stem(mini_build: Path, tmp_path: Path) -> None:
    target = tmp_path / "graph.csv"
    result = CliRunner().invoke(cli, ["export", str(mini_build), "-o", str(target)])  # csv from the name
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.edges.csv", "graph.nodes.csv"]
    assert not target.exists()  # no folder named graph.csv
    assert result.stderr == f"wrote {tmp_path / 'graph.nodes.csv'}\nwrote {tmp_path / 'graph.edges.csv'}\n"
    again = CliRunner().invoke(cli, ["export", str(mini_build), "-f", "csv", "-o", str(target)])
    assert again.exit_code == 2 and "already exist" in again.stderr
    folder = CliRunner().invoke(cli, ["export", str(mini_build), "-f", "csv", "-o", f"{tmp_path}/tables/"])
    assert folder.exit_code == 0 and (tmp_path / "tables" / "nodes.csv").is_file()


def test_cli_errors_are_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["export", str(tmp_path / "nothing")])
    assert result.exit_code == 2
    assert result.stderr.startswith("kg: error: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.output


def test_cli_help_lists_formats_and_examples() -> None:
    result = CliRunner().invoke(cli, ["export", "--help"])
    assert result.exit_code == 0
    for name in FORMATS:
        assert f"\n    {name} " in result.stdout, name
    assert "Examples:\n    kg export out" in result.stdout


def test_export_module_imports_nothing_heavy() -> None:
    """pyoxigraph, pySHACL and networkx load when an export or a validation runs, not on import."""
    code = (
        "import sys, kg.export, kg.rdf.validate, kg.rdf.ontology, kg.commands.export, kg.commands.validate\n"
        "print(sorted(m for m in ('pyoxigraph', 'pyshacl', 'networkx', 'owlrl') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_round_trip_preserves_every_literal_exactly(mini_build: Path) -> None:
    """Typed values come back with the same lexical form and datatype from every RDF export."""
    facts = {q.triple for q in store_quads(mini_build) if isinstance(q.graph_name, ox.DefaultGraph)}
    literals = {str(t.object) for t in facts if isinstance(t.object, ox.Literal)}
    for fmt in RDF_FORMATS:
        got = {
            str(q.object)
            for q in ox.parse(serialize(mini_build, fmt), OX_FORMATS[fmt])
            if isinstance(q.object, ox.Literal)
        }
        assert got == literals, fmt
    assert any("XMLSchema#decimal" in lit for lit in literals)


def test_entity_iris_are_unchanged(mini_build: Path) -> None:
    g = quiet_parse(Graph(), serialize(mini_build, "jsonld"), "jsonld")
    assert (URIRef(f"{ID}Person/徐昌顺/美团"), None, None) in g
