"""kg.rdf.validate and ``kg validate``: the SHACL shapes find what a build must not hold."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATA, make_build_from_trig
from rdflib import Graph, URIRef

from kg.cli import cli
from kg.errors import BuildDirError
from kg.export import load_facts
from kg.rdf.validate import Report, Violation, format_report, validate, validate_graph

ID = "https://w3id.org/gonghui-kg/id/"
PREFIXES = """
PREFIX gh: <https://w3id.org/gonghui-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
"""
# nodes of tests/data/mini.trig
UNION = f"<{ID}TradeUnion/镇安县总工会>"
ACFTU = f"<{ID}TradeUnion/全国总工会>"
MEITUAN = f"<{ID}Enterprise/美团>"
XU = f"<{ID}Person/徐昌顺/美团>"
ZHANG = f"<{ID}Person/张家升/镇安县总工会>"
POST = f"<{ID}Post/张家升/镇安县总工会/常务副主席>"
PROGRAM = f"<{ID}Program/工会进万家·新就业形态劳动者温暖行动>"
GROUP = f"<{ID}WorkerGroup/新就业形态劳动者>"
AWARD = f"<{ID}Award/全国劳动模范>"
SHAANXI = f"<{ID}Place/610000>"
ZHENAN = f"<{ID}Place/611025>"
STAT = f"<{ID}Statistic/d0c0ffee/0/120>"
ART = f"<{ID}Article/d0c0ffee/0>"
ART1 = f"<{ID}Article/d0c0ffee/1>"
SENT = f"<{ID}Article/d0c0ffee/0/s4>"
POS = f"<{ID}Article/d0c0ffee/0/s4/pos>"
EVIDENCE = f"<{ID}Evidence/0001>"

POST_LABEL = "Post/张家升/镇安县总工会/常务副主席"
SENT_LABEL = "调研中,徐昌顺告诉镇安县总工会常务副主席张家升:上一家公司已连续两个月没发工资"
PROGRAM_LABEL = "工会进万家·新就业形态劳动者温暖行动"


@pytest.fixture(scope="module")
def mini_facts(mini_build: Path) -> Graph:
    return load_facts(mini_build)


@pytest.fixture(scope="module")
def broken_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_build_from_trig(DATA / "broken.trig", tmp_path_factory.mktemp("broken") / "out")


def swap(node: str, prop: str, new: str) -> str:
    """A SPARQL update giving ``node`` the single value ``new`` for ``prop``."""
    return f"DELETE WHERE {{ {node} {prop} ?x }} ; INSERT DATA {{ {node} {prop} {new} }}"


def changed(facts: Graph, update: str) -> Graph:
    g = Graph()
    for t in facts:
        g.add(t)
    g.update(PREFIXES + update)
    return g


def find(report: Report, label: str, path: str) -> Violation:
    hits = [v for v in report.violations if v.label == label and v.path == path]
    assert hits, f"no result for {label} {path}; got:\n{format_report(report)}"
    return hits[0]


# ---------------------------------------------------------------- builds


def test_mini_build_conforms(mini_build: Path) -> None:
    report = validate(mini_build)
    assert report.conforms, format_report(report)
    assert report.violations == []
    assert report.nodes == 19
    assert report.triples > 90
    assert format_report(report) == "conforms: 19 nodes checked"


def test_broken_build_fails_with_readable_messages(broken_build: Path) -> None:
    report = validate(broken_build)
    assert not report.conforms
    assert len(report.errors) == 4 and report.warnings == []
    two_labels = find(report, "镇安县工会 / 镇安县总工会", "rdfs:label")
    assert "exactly one rdfs:label" in two_labels.message
    assert "at least one gh:role" in find(report, POST_LABEL, "gh:role").message
    value = find(report, "22353人", "gh:value")
    assert "xsd:decimal" in value.message and value.value == '"22353人"'
    located = find(report, "全国总工会", "gh:locatedIn")
    assert located.message == "Value does not have class gh:Place"
    assert located.value == f"徐昌顺 {XU}"
    assert located.focus == f"{ID}TradeUnion/全国总工会"


def test_format_report_names_the_focus_nodes(broken_build: Path) -> None:
    lines = format_report(validate(broken_build)).splitlines()
    assert (
        f"全国总工会 <{ID}TradeUnion/全国总工会>  gh:locatedIn  Value does not have class gh:Place"
        f"  (value: 徐昌顺 {XU})"
    ) in lines
    assert f"镇安县工会 / 镇安县总工会 {UNION}  rdfs:label  needs exactly one rdfs:label" in "\n".join(lines)
    assert f"{POST_LABEL} {POST}  gh:role  a post needs at least one gh:role" in lines
    assert lines[-1] == "does not conform: 4 violations in 19 nodes checked"


def test_validate_graph_leaves_its_input_alone(mini_facts: Graph) -> None:
    before = set(mini_facts)
    validate_graph(mini_facts)
    assert set(mini_facts) == before


def test_missing_or_foreign_directory(tmp_path: Path) -> None:
    with pytest.raises(BuildDirError, match="no such build directory"):
        validate(tmp_path / "nothing")
    with pytest.raises(BuildDirError, match="not a gonghui-kg build"):
        validate(tmp_path)


# ---------------------------------------------------------------- one phenomenon per shape

# (case id, SPARQL update on the mini facts, focus label, path, message part, severity)
# fmt: off
BREAKAGES = [
    ("two entity classes", f"INSERT DATA {{ {UNION} a gh:Enterprise }}",
     "镇安县总工会", "rdf:type", "more than one entity class", "Violation"),
    ("label without language",
     swap(MEITUAN, "rdfs:label", '"美团"'),
     "美团", "rdfs:label", "@zh", "Violation"),
    ("no article", f"DELETE WHERE {{ {AWARD} gh:mentionedIn ?a }}",
     "全国劳动模范", "gh:mentionedIn", "not linked to any article", "Violation"),
    ("short division code",
     swap(SHAANXI, "gh:divisionCode", '"61"'),
     "陕西省", "gh:divisionCode", "six-digit", "Violation"),
    ("confidence above 1",
     swap(MEITUAN, "gh:confidence", "1.5"),
     "美团", "gh:confidence", "between 0 and 1", "Violation"),
    ("partOf an organisation", f"INSERT DATA {{ {ZHENAN} gh:partOf {UNION} }}",
     "镇安县", "gh:partOf", "Value does not have class gh:Place", "Violation"),
    ("locatedIn from a program", f"INSERT DATA {{ {PROGRAM} gh:locatedIn {ZHENAN} }}",
     PROGRAM_LABEL, "gh:locatedIn", "subject of gh:locatedIn must be an organisation", "Violation"),
    ("subOrganizationOf a place", f"INSERT DATA {{ {UNION} gh:subOrganizationOf {SHAANXI} }}",
     "镇安县总工会", "gh:subOrganizationOf", "is not an organisation", "Violation"),
    ("memberOf from a place", f"INSERT DATA {{ {SHAANXI} gh:memberOf {UNION} }}",
     "陕西省", "gh:memberOf", "subject of gh:memberOf must be", "Violation"),
    ("memberOf an enterprise", f"INSERT DATA {{ {XU} gh:memberOf {MEITUAN} }}",
     "徐昌顺", "gh:memberOf", "Value does not have class gh:TradeUnion", "Violation"),
    ("organizes from a person", f"INSERT DATA {{ {XU} gh:organizes {PROGRAM} }}",
     "徐昌顺", "gh:organizes", "subject of gh:organizes must be an organisation", "Violation"),
    ("participatesIn from an award", f"INSERT DATA {{ {AWARD} gh:participatesIn {PROGRAM} }}",
     "全国劳动模范", "gh:participatesIn", "subject of gh:participatesIn must be", "Violation"),
    ("benefits a person", f"INSERT DATA {{ {PROGRAM} gh:benefits {XU} }}",
     PROGRAM_LABEL, "gh:benefits", "Value does not have class gh:WorkerGroup", "Violation"),
    ("employedBy a place", f"INSERT DATA {{ {XU} gh:employedBy {ZHENAN} }}",
     "徐昌顺", "gh:employedBy", "is not an organisation", "Violation"),
    ("establishedUnion from a union", f"INSERT DATA {{ {UNION} gh:establishedUnion {ACFTU} }}",
     "镇安县总工会", "gh:establishedUnion", "must be a gh:Enterprise", "Violation"),
    ("receivedAward a person", f"INSERT DATA {{ {XU} gh:receivedAward {ZHANG} }}",
     "徐昌顺", "gh:receivedAward", "Value does not have class gh:Award", "Violation"),
    ("post with two holders", f"INSERT DATA {{ {XU} gh:holds {POST} }}",
     POST_LABEL, "^gh:holds", "exactly one holder", "Violation"),
    ("post without organisation", f"DELETE WHERE {{ {POST} gh:postIn ?o }}",
     POST_LABEL, "gh:postIn", "exactly one gh:postIn", "Violation"),
    ("post in a place", swap(POST, "gh:postIn", ZHENAN),
     POST_LABEL, "gh:postIn", "is not an organisation", "Violation"),
    ("unit with a multiplier", swap(STAT, "gh:unit", '"万元"'),
     "22353人", "gh:unit", "not a known base unit", "Violation"),
    ("value as a double", swap(STAT, "gh:value", "22353e0"),
     "22353人", "gh:value", "xsd:decimal", "Violation"),
    ("figure about an article", swap(STAT, "gh:about", ART),
     "22353人", "gh:about", "not an entity", "Violation"),
    ("figure about nothing", f"DELETE WHERE {{ {STAT} gh:about ?x }}",
     "22353人", "gh:about", "not tied to any entity", "Warning"),
    ("figure without measure", f"DELETE WHERE {{ {STAT} gh:measure ?x }}",
     "22353人", "gh:measure", "does not say what it counts", "Warning"),
    ("article without source file", f"DELETE WHERE {{ {ART1} gh:sourceFile ?x }}",
     "座谈会", "gh:sourceFile", "exactly one gh:sourceFile", "Violation"),
    ("article with upper-case hash",
     swap(ART1, "gh:contentHash", '"D0C0FFEE"'),
     "座谈会", "gh:contentHash", "hexadecimal", "Violation"),
    ("sentence without index", f"DELETE WHERE {{ {SENT} gh:sentenceIndex ?x }}",
     SENT_LABEL, "gh:sentenceIndex",
     "exactly one gh:sentenceIndex", "Violation"),
    ("selector start after end", swap(POS, "oa:start", "200"),
     "Article/d0c0ffee/0/s4/pos", "oa:start", "after oa:end", "Violation"),
    ("selector offset as a decimal",
     swap(POS, "oa:end", "141.0"),
     "Article/d0c0ffee/0/s4/pos", "oa:end", "integer from 0", "Violation"),
    ("evidence from an article",
     swap(EVIDENCE, "prov:wasDerivedFrom", ART),
     "Evidence/0001", "prov:wasDerivedFrom", "Value does not have class gh:Sentence", "Violation"),
    ("evidence without confidence", f"DELETE WHERE {{ {EVIDENCE} gh:confidence ?c }}",
     "Evidence/0001", "gh:confidence", "needs a gh:confidence", "Violation"),
    ("possibleSameAs an article", f"INSERT DATA {{ {XU} gh:possibleSameAs {ART} }}",
     "徐昌顺", "gh:possibleSameAs", "not an entity", "Violation"),
    ("mentionedIn from a sentence", f"INSERT DATA {{ {SENT} gh:mentionedIn {ART} }}",
     SENT_LABEL, "gh:mentionedIn",
     "subject of gh:mentionedIn must be", "Violation"),
]
# fmt: on


@pytest.mark.parametrize(
    ("update", "label", "path", "message", "severity"),
    [b[1:] for b in BREAKAGES],
    ids=[b[0] for b in BREAKAGES],
)
def test_each_breakage_is_named(
    mini_facts: Graph, update: str, label: str, path: str, message: str, severity: str
) -> None:
    report = validate_graph(changed(mini_facts, update))
    v = find(report, label, path)
    assert message in v.message
    assert v.severity == severity
    assert report.conforms == (severity != "Violation")
    assert len(report.violations) == 1, format_report(report)


# fmt: off
ALLOWED = [
    ("article without headline (a continued fragment)", f"DELETE WHERE {{ {ART1} gh:headline ?h }}"),
    ("offsets typed xsd:nonNegativeInteger",
     swap(POS, "oa:start", '"100"^^xsd:nonNegativeInteger')),
    ("a figure linked to its article", f"INSERT DATA {{ {STAT} gh:mentionedIn {ART} }}"),
    ("a name kept in traditional script",
     swap(MEITUAN, "rdfs:label", '"美團"@zh-Hant')),
    ("a finer class as an extra type",
     f"INSERT DATA {{ <urn:x:CountyUnion> rdfs:subClassOf gh:TradeUnion . {UNION} a <urn:x:CountyUnion> }}"),
    ("a byline line as sentence -1",
     swap(SENT, "gh:sentenceIndex", "-1")),
    ("a person in a byline", f"INSERT DATA {{ {ART} gh:byline {ZHANG} }}"),
    ("a union an enterprise set up", f"INSERT DATA {{ {MEITUAN} gh:establishedUnion {UNION} }}"),
]
# fmt: on


@pytest.mark.parametrize("update", [a[1] for a in ALLOWED], ids=[a[0] for a in ALLOWED])
def test_what_the_layout_allows_conforms(mini_facts: Graph, update: str) -> None:
    report = validate_graph(changed(mini_facts, update))
    assert report.conforms and report.violations == [], format_report(report)


def test_warnings_are_listed_but_the_graph_conforms(mini_facts: Graph) -> None:
    report = validate_graph(changed(mini_facts, f"DELETE WHERE {{ {STAT} gh:about ?x }}"))
    text = format_report(report)
    assert text.splitlines()[0].startswith(f"warning: 22353人 {STAT}  gh:about")
    assert text.splitlines()[-1] == "conforms: 19 nodes checked, 1 warning"


def test_a_few_thousand_triples_take_seconds(mini_facts: Graph) -> None:
    """Sixty copies of the mini build (about 6000 triples) validate in well under a minute."""
    big = Graph()
    for i in range(60):
        for s, p, o in mini_facts:
            s2 = URIRef(f"{s}-{i}") if str(s).startswith(ID) else s
            o2 = URIRef(f"{o}-{i}") if isinstance(o, URIRef) and str(o).startswith(ID) else o
            big.add((s2, p, o2))
    assert len(big) > 5000
    start = time.perf_counter()
    report = validate_graph(big)
    elapsed = time.perf_counter() - start
    assert report.conforms and report.nodes == 60 * 19
    assert elapsed < 30, f"validation took {elapsed:.1f}s"


# ---------------------------------------------------------------- the command


def test_cli_conforming_build(mini_build: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", str(mini_build)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "conforms: 19 nodes checked\n"


def test_cli_broken_build(broken_build: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", str(broken_build)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 5
    assert any(line.startswith(f"全国总工会 <{ID}TradeUnion/全国总工会>  gh:locatedIn") for line in lines)
    assert result.stderr == ""


def test_cli_missing_build(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "nothing")])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("kg: error: ")
    assert "no such build directory" in result.stderr
    assert "Traceback" not in result.output


def test_cli_not_a_build(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x", "utf-8")
    result = CliRunner().invoke(cli, ["validate", str(tmp_path)])
    assert result.exit_code == 2
    assert "not a gonghui-kg build directory" in result.stderr


def test_cli_help_has_an_example() -> None:
    result = CliRunner().invoke(cli, ["validate", "--help"])
    assert result.exit_code == 0
    assert "Example:\n    kg build" in result.stdout and "kg validate out" in result.stdout


# ---------------------------------------------------------------- a real build


def test_page_build_conforms(page_build: Path) -> None:
    report = validate(page_build)
    assert report.conforms, format_report(report)
    assert report.nodes > 100
