"""kg.sparql.query, kg.table and ``kg query`` on the hand-written mini build."""

from __future__ import annotations

import gc
import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.cli import cli
from kg.errors import BuildDirError, QueryError
from kg.sparql.query import (
    QuerySyntaxError,
    declared_prefixes,
    format_result,
    query_form,
    run_query,
    shorten_iri,
    summary,
    term_text,
    uses_service,
)
from kg.table import display_width, pad, render_table

ROOT = Path(__file__).resolve().parent.parent
ID = "https://w3id.org/gonghui-kg/id/"
UNIONS = "SELECT ?u ?name WHERE { ?u a gh:TradeUnion ; rdfs:label ?name } ORDER BY ?name"


def labels(result, var="name"):
    i = result.variables.index(var)
    return [row[i].value for row in result.rows]


# ------------------------------------------------------------------ kg.table

# fmt: off
WIDTHS = [
    ("", 0),
    ("ACFTU", 5),
    ("工会", 4),
    ("哈尔滨市总工会", 14),
    ("“全总”", 6),          # curly quotes are ambiguous width: one column
    ("（全总）", 8),        # full-width parentheses: two columns each
    ("ＡＢ", 4),            # full-width Latin
    ("e\u0301", 1),         # combining accent takes no column
    ("工会\u200b", 4),      # zero-width space
    ("25249万元", 9),
]
# fmt: on


@pytest.mark.parametrize("text,width", WIDTHS)
def test_display_width(text, width):
    assert display_width(text) == width


def test_pad_counts_columns_not_characters():
    assert pad("工会", 6) == "工会  "
    assert pad("工会", 6, "r") == "  工会"
    assert pad("哈尔滨市总工会", 4) == "哈尔滨市总工会"


def test_render_table_aligns_cjk_columns():
    out = render_table(["单位", "n"], [["哈尔滨市总工会", "3"], ["全总", "12"], ["ACFTU", "100"]], align="lr")
    lines = out.split("\n")
    assert lines[0].startswith("单位")
    assert set(lines[1]) <= {"-", " "}
    # the second column ends at the same terminal column on every line
    ends = {display_width(line) for line in lines}
    assert len(ends) == 1
    assert lines[2] == "哈尔滨市总工会    3"
    assert lines[3] == "全总             12"


def test_render_table_keeps_rows_on_one_line():
    out = render_table(["text"], [["第一句。\n第二句。\t完"]])
    assert out.split("\n")[2] == "第一句。 第二句。 完"


cells = st.text(alphabet=st.sampled_from("工会总abc12 ·“”（）"), max_size=8)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(cells, cells), min_size=1, max_size=6))
def test_render_table_second_column_starts_at_one_column(rows):
    out = render_table(["a", "b"], [list(r) for r in rows]).split("\n")
    width_a = max(display_width(x) for x in ["a", *(r[0] for r in rows)])
    for line, row in zip(out[2:], rows, strict=True):
        if row[1].strip():
            # the text of the second cell begins right after column a and the separator
            assert line.endswith(row[1].rstrip())
            head = line[: len(line) - len(row[1].rstrip())]
            assert display_width(head) == width_a + 2


_CONSOLE = "from kg.table import console\nc = console()\nprint(c.is_terminal)\nc.print('工会会员' * 30)\n"
#: Variables by which rich would be told to take any stream for a terminal, or to take another width.
_RICH_ENV = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS", "LINES")


def test_console_knows_a_terminal_from_a_pipe():
    import fcntl
    import os
    import pty
    import struct
    import termios

    env = {k: v for k, v in os.environ.items() if k not in _RICH_ENV}
    piped = subprocess.run([sys.executable, "-c", _CONSOLE], capture_output=True, text=True, timeout=60, env=env,
                           stdin=subprocess.DEVNULL)  # fmt: skip
    assert piped.stdout == "False\n"
    assert piped.stderr == "工会会员" * 30 + "\n"  # into a pipe: one line, no escape codes
    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 60, 0, 0))  # a terminal 60 columns wide
    proc = subprocess.Popen([sys.executable, "-c", _CONSOLE], stdout=subprocess.PIPE, stderr=child, env=env,
                            stdin=subprocess.DEVNULL)  # fmt: skip
    os.close(child)
    shown = _read_terminal(main)
    assert proc.stdout is not None and proc.stdout.read() == b"True\n"
    assert proc.wait(timeout=60) == 0
    # on the terminal the text is wrapped at its width: lines of 30 characters of two columns each
    lines = [line for line in shown.decode().split("\r\n") if line]
    assert "".join(lines) == "工会会员" * 30 and {display_width(line) for line in lines} == {60}


# ------------------------------------------------------------ lexing helpers

# fmt: off
FORMS = [
    ("SELECT * WHERE { ?s ?p ?o }", "select"),
    ("select * { }", "select"),
    ("PREFIX ex: <http://e/>\nBASE <http://b/>\nCONSTRUCT WHERE { ?s ex:p ?o }", "construct"),
    ("# a comment mentioning INSERT\nASK { ?s ?p ?o }", "ask"),
    ("DESCRIBE <http://e/x>", "describe"),
    ("INSERT DATA { <http://a> <http://b> <http://c> }", "update"),
    ("PREFIX ex: <http://e/> DELETE WHERE { ?s ex:p ?o }", "update"),
    ("DROP ALL", "update"),
    ("clear default", "update"),
    ("LOAD <http://example.org/data.ttl>", "update"),
    ("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "update"),
    ("CREATE GRAPH <http://g>", "update"),
    ("", None),
    ("hello", None),
]
# fmt: on


@pytest.mark.parametrize("text,form", FORMS)
def test_query_form(text, form):
    assert query_form(text) == form


def test_declared_prefixes_ignores_strings_and_comments():
    text = 'PREFIX a: <http://a/>\n# PREFIX b: <http://b/>\nSELECT * { ?s ?p "PREFIX c: <http://c/>" }'
    assert declared_prefixes(text) == {"a"}


@pytest.mark.parametrize(
    "text,expected",
    [
        ("SELECT * { SERVICE <http://x/sparql> { ?s ?p ?o } }", True),
        ("select * { service silent <http://x/sparql> { ?s ?p ?o } }", True),
        ('SELECT * { ?s ?p "SERVICE" }', False),
        ("SELECT ?service { ?service ?p ?o }", False),
        ("SELECT * { ?s <http://e/SERVICE> ?o } # SERVICE", False),
    ],
)
def test_uses_service(text, expected):
    assert uses_service(text) is expected


# ----------------------------------------------------------------- run_query


def test_select_on_the_default_graph(mini_build):
    result = run_query(mini_build, UNIONS)
    assert result.kind == "select"
    assert result.variables == ["u", "name"]
    assert labels(result) == ["全国总工会", "镇安县总工会"]
    assert result.rows[1][0].value == ID + "TradeUnion/镇安县总工会"
    assert not result.truncated


def test_default_graph_is_the_facts_not_the_union(mini_build):
    # the post is stated once as a fact and once more in its evidence graph
    facts = run_query(mini_build, "SELECT (COUNT(*) AS ?n) WHERE { ?p gh:holds ?post }")
    assert facts.rows[0][0].value == "1"
    # the evidence graph is reachable with GRAPH, and it leads to the sentence
    ev = run_query(
        mini_build,
        """SELECT ?g ?text WHERE {
             GRAPH ?g { ?person gh:holds ?post }
             ?g prov:wasDerivedFrom ?s . ?s gh:text ?text }""",
    )
    assert [r[0].value for r in ev.rows] == [ID + "Evidence/0001"]
    assert "常务副主席张家升" in ev.rows[0][1].value
    # and the evidence graph itself holds no articles: named graphs are not merged in
    none = run_query(mini_build, "ASK { GRAPH ?g { ?a a gh:Article } }")
    assert none.boolean is False


def test_named_graph_restrictions(mini_build):
    only_evidence = run_query(
        mini_build, "SELECT ?s WHERE { ?s gh:role ?r }", default_graphs=[ID + "Evidence/0001"]
    )
    assert [r[0].value for r in only_evidence.rows] == [ID + "Post/张家升/镇安县总工会/常务副主席"]
    no_named = run_query(
        mini_build, "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", named_graphs=[ID + "Evidence/none"]
    )
    assert no_named.rows == []


def test_own_prefix_declaration_wins(mini_build):
    text = "PREFIX gh: <http://example.org/other#>\nSELECT ?u WHERE { ?u a gh:TradeUnion }"
    assert run_query(mini_build, text).rows == []
    assert len(run_query(mini_build, text, prefixes={}).rows) == 0
    assert len(run_query(mini_build, "SELECT ?u WHERE { ?u a gh:TradeUnion }").rows) == 2


def test_no_predeclared_prefixes_when_asked(mini_build):
    with pytest.raises(QuerySyntaxError, match="unknown prefix 'gh:'"):
        run_query(mini_build, "SELECT ?u WHERE { ?u a gh:TradeUnion }", prefixes={})


def test_run_on_an_open_store(mini_build):
    import pyoxigraph as ox

    store = ox.Store.read_only(str(mini_build / "store"))
    assert labels(run_query(store, UNIONS)) == ["全国总工会", "镇安县总工会"]


def test_limit_marks_truncation(mini_build):
    places = "SELECT ?p WHERE { ?p a gh:Place } ORDER BY ?p"
    assert len(run_query(mini_build, places).rows) == 3
    cut = run_query(mini_build, places, limit=2)
    assert len(cut.rows) == 2 and cut.truncated
    exact = run_query(mini_build, places, limit=3)
    assert len(exact.rows) == 3 and not exact.truncated
    assert summary(cut) == "2 rows (truncated: more exist)"
    graph = run_query(mini_build, "CONSTRUCT WHERE { ?p gh:partOf ?q }", limit=1)
    assert len(graph.triples) == 1 and graph.truncated


def test_ask_construct_describe(mini_build):
    assert run_query(mini_build, "ASK { ?x gh:receivedAward ?a }").boolean is False
    assert run_query(mini_build, "ASK { ?x a gh:Award }").boolean is True
    g = run_query(mini_build, "CONSTRUCT { ?a gh:partOf ?b } WHERE { ?a gh:partOf ?b }")
    assert g.kind == "graph"
    assert {(t.subject.value, t.object.value) for t in g.triples} == {
        (ID + "Place/611025", ID + "Place/611000"),
        (ID + "Place/611000", ID + "Place/610000"),
    }
    d = run_query(mini_build, "DESCRIBE <https://w3id.org/gonghui-kg/id/Award/全国劳动模范>")
    assert d.kind == "graph" and len(d.triples) == 4
    assert summary(d) == "4 triples"


def test_empty_select(mini_build):
    r = run_query(mini_build, "SELECT ?x WHERE { ?x a gh:Nothing }")
    assert r.rows == [] and summary(r) == "0 rows"
    assert format_result(r) == "x\n-"


# fmt: off
SYNTAX = [
    # (query, line, column, message)
    ("SELECT * WHERE {\n  ?s foo:p ?o }", 2, 6,
     "line 2, column 6: unknown prefix 'foo:' (declare it: PREFIX foo: <…>)"),
    ("PREFIX ex: <http://e/>\nSELECT * {\n ?s ex:p ?o ; foo:bar ?x }", 3, 15,
     "line 3, column 15: unknown prefix 'foo:' (declare it: PREFIX foo: <…>)"),
    ("SELECT * { ?s ?p ?o . :x ?p ?o }", 1, 23,
     "line 1, column 23: unknown prefix ':' (declare it: PREFIX : <…>)"),
    ("SELECT * WHERE { ?s ?p ?o", 1, 26,
     "syntax error at line 1, column 26 at the end of the query: "
     "expected one of ',', '.', ';', '{', '{|', '}', …"),
    ("SELECT * WHERE { ?s ?p ?o } LIMIT x", 1, 35,
     "syntax error at line 1, column 35 near 'x': expected one of HAVING, OFFSET, OPTIONAL, VALUES"),
    ("SELECT ?x WHERE { ?s ?p ?o } GROUP BY ?s", 1, 41,
     "line 1, column 41: the SELECT contains a variable that is unbound"),
    ("SELECT * WHERE { ?s ?p ?o } GROUP BY ?s", 1, 40,
     "line 1, column 40: SELECT * is not authorized with GROUP BY"),
    ("SELECT * WHERE { ?s <http://example.org/a b> ?o }", 1, 45,
     "line 1, column 45: IRI parsing failed"),
]
# fmt: on


@pytest.mark.parametrize("text,line,column,message", SYNTAX)
def test_syntax_errors_point_into_the_query_as_written(mini_build, text, line, column, message):
    with pytest.raises(QuerySyntaxError) as info:
        run_query(mini_build, text)
    assert str(info.value) == message
    assert (info.value.line, info.value.column) == (line, column)
    assert "\n" not in str(info.value)


def test_updates_are_refused_and_change_nothing(mini_build):
    before = run_query(mini_build, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0].value
    for update in ("INSERT DATA { <http://a> <http://b> <http://c> }", "DROP ALL", "CLEAR DEFAULT"):
        with pytest.raises(QueryError, match="SPARQL Update"):
            run_query(mini_build, update)
    after = run_query(mini_build, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0].value
    assert before == after != "0"


def test_empty_query(mini_build):
    with pytest.raises(QueryError, match="empty query"):
        run_query(mini_build, "  \n")


def test_not_a_build(tmp_path):
    with pytest.raises(BuildDirError, match="no such build directory"):
        run_query(tmp_path / "missing", "ASK {}")
    with pytest.raises(BuildDirError, match="not a gonghui-kg build"):
        run_query(tmp_path, "ASK {}")


# ---------------------------------------------------------------- formatting


def test_shorten_and_term_text():
    import pyoxigraph as ox

    assert shorten_iri("https://w3id.org/gonghui-kg/ontology#TradeUnion") == "gh:TradeUnion"
    assert shorten_iri(ID + "Place/230100") == "id:Place/230100"
    assert shorten_iri("https://w3id.org/gonghui-kg/id/") == "<https://w3id.org/gonghui-kg/id/>"
    assert term_text(ox.Literal("哈尔滨市", language="zh")) == "哈尔滨市"
    assert term_text(
        ox.Literal("2022-11-11", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))
    ) == ("2022-11-11")
    assert term_text(ox.BlankNode("b0")) == "_:b0"
    assert term_text(None) == ""


def test_table_hides_tags_and_right_aligns_numbers(mini_build):
    r = run_query(
        mini_build,
        "SELECT ?about ?measure ?value WHERE { ?s gh:about ?about ; gh:measure ?measure ; gh:value ?value }",
    )
    lines = format_result(r, "table").split("\n")
    assert lines[0].split() == ["about", "measure", "value"]
    assert lines[2].split() == ["id:TradeUnion/镇安县总工会", "会员", "22353"]
    assert "@zh" not in "\n".join(lines) and "^^" not in "\n".join(lines)
    # the number column is right-aligned: its header ends where the number ends
    assert display_width(lines[0]) == display_width(lines[2])


@pytest.mark.parametrize("fmt", ["xml", "csv", "tsv"])
def test_results_formats_match_oxigraph(mini_build, fmt):
    import pyoxigraph as ox

    q = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
    store = ox.Store.read_only(str(mini_build / "store"))
    target = {
        "xml": ox.QueryResultsFormat.XML,
        "csv": ox.QueryResultsFormat.CSV,
        "tsv": ox.QueryResultsFormat.TSV,
    }
    from kg.rdf.namespace import PREFIXES

    prologue = " ".join(f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items()) + "\n"
    expected = store.query(prologue + q).serialize(format=target[fmt])
    assert format_result(run_query(store, q), fmt) == expected


def test_json_results_match_oxigraph(mini_build):
    import pyoxigraph as ox

    q = "SELECT ?s ?label ?none WHERE { ?s rdfs:label ?label OPTIONAL { ?s gh:nothing ?none } } ORDER BY ?s"
    ours = json.loads(format_result(run_query(mini_build, q), "json"))
    store = ox.Store.read_only(str(mini_build / "store"))
    prologue = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX gh: <https://w3id.org/gonghui-kg/ontology#>\n"
    theirs = json.loads(store.query(prologue + q).serialize(format=ox.QueryResultsFormat.JSON))
    assert ours == theirs
    assert ours["results"]["bindings"][0]["label"]["xml:lang"] == "zh"
    ask = json.loads(format_result(run_query(mini_build, "ASK { ?s a gh:Place }"), "json"))
    assert ask == {"head": {}, "boolean": True}


def test_graph_formats_round_trip(mini_build):
    import pyoxigraph as ox
    from rdflib import Graph

    r = run_query(mini_build, "CONSTRUCT WHERE { ?s rdfs:label ?l ; gh:confidence ?c }")
    expected = set(r.triples)
    assert len(expected) > 10
    for fmt, rdf in (("ttl", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES),
                     ("rdfxml", ox.RdfFormat.RDF_XML), ("jsonld", ox.RdfFormat.JSON_LD)):  # fmt: skip
        data = format_result(r, fmt)
        assert isinstance(data, bytes)
        assert {q.triple for q in ox.parse(data, format=rdf)} == expected, fmt
    # another RDF library reads the Turtle the same way
    assert len(Graph().parse(data=format_result(r, "ttl"), format="turtle")) == len(expected)
    ttl = format_result(r, "ttl").decode()
    assert "@prefix gh:" in ttl and "@prefix owl:" not in ttl  # only prefixes in use
    assert "\\/" not in ttl  # entity IRIs are written in full, not as id:Place\/…


def test_format_must_fit_the_query(mini_build):
    sel = run_query(mini_build, UNIONS)
    with pytest.raises(QueryError, match="format 'ttl' does not fit a SELECT query"):
        format_result(sel, "ttl")
    graph = run_query(mini_build, "CONSTRUCT WHERE { ?s gh:partOf ?o }")
    with pytest.raises(QueryError, match="use one of table, ttl, nt"):
        format_result(graph, "csv")
    assert format_result(graph, "table").split("\n")[0].split() == ["subject", "predicate", "object"]


# ----------------------------------------------------------------- kg query


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args, input=None):
        return runner.invoke(cli, ["query", *map(str, args)], input=input, catch_exceptions=False)

    return invoke


def test_cli_table(run, mini_build):
    res = run(mini_build, UNIONS)
    assert res.exit_code == 0
    lines = res.stdout.splitlines()
    assert lines[0].split() == ["u", "name"]
    assert lines[2].split() == ["id:TradeUnion/全国总工会", "全国总工会"]
    assert res.stderr.strip() == "2 rows"


def test_cli_table_into_a_pipe_is_plain_text(run, mini_build):
    res = run(mini_build, "SELECT ?name ?u WHERE { ?u a gh:TradeUnion ; rdfs:label ?name } ORDER BY ?name")
    assert res.stdout.splitlines() == [
        "name          u",
        "------------  --------------------------",
        "全国总工会    id:TradeUnion/全国总工会",
        "镇安县总工会  id:TradeUnion/镇安县总工会",
    ]


def test_cli_empty_select(run, mini_build):
    res = run(mini_build, "SELECT ?x WHERE { ?x a gh:Nothing }")
    assert res.exit_code == 0
    assert res.stdout.splitlines() == ["x", "-"]
    assert res.stderr.strip() == "0 rows"


def test_cli_ask_exit_codes(run, mini_build):
    yes = run(mini_build, "ASK { ?x a gh:Place }")
    assert (yes.exit_code, yes.stdout.strip()) == (0, "true")
    no = run(mini_build, "ASK { ?x a gh:Nothing }")
    assert (no.exit_code, no.stdout.strip()) == (1, "false")
    as_json = run(mini_build, "ASK { ?x a gh:Nothing }", "--format", "json")
    assert as_json.exit_code == 1 and json.loads(as_json.stdout) == {"head": {}, "boolean": False}


def test_cli_syntax_error(run, mini_build):
    res = run(mini_build, "SELECT * WHERE {\n  ?s foo:p ?o }")
    assert res.exit_code == 2
    assert res.stderr == "kg: error: line 2, column 6: unknown prefix 'foo:' (declare it: PREFIX foo: <…>)\n"
    assert res.stdout == ""


def test_cli_query_file(run, mini_build, tmp_path):
    rq = tmp_path / "places.rq"
    rq.write_text("# places below 商洛市\nSELECT ?name WHERE {\n  ?p gh:partOf/rdfs:label '商洛市'@zh ;\n"
                  "     rdfs:label ?name }\n", "utf-8")  # fmt: skip
    res = run(mini_build, "-f", rq, "--format", "csv")
    assert res.exit_code == 0
    assert res.stdout_bytes == "name\r\n镇安县\r\n".encode()
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT *\nWHERE { ?s bar:x ?o }\n", "utf-8")
    res = run(mini_build, "-f", bad)
    assert res.exit_code == 2
    assert (
        res.stderr
        == f"kg: error: {bad}: line 2, column 12: unknown prefix 'bar:' (declare it: PREFIX bar: <…>)\n"
    )


def test_cli_query_from_stdin(run, mini_build):
    res = run(
        mini_build,
        "-f",
        "-",
        "--format",
        "tsv",
        input="SELECT ?c WHERE { ?p gh:divisionCode ?c } ORDER BY ?c",
    )
    assert res.exit_code == 0
    assert res.stdout.splitlines() == ["?c", '"610000"', '"611000"', '"611025"']


def test_cli_formats(run, mini_build):
    js = run(mini_build, UNIONS, "--format", "json")
    data = json.loads(js.stdout)
    assert [b["name"]["value"] for b in data["results"]["bindings"]] == ["全国总工会", "镇安县总工会"]
    assert js.stderr == ""
    nt = run(mini_build, "CONSTRUCT WHERE { ?s gh:partOf ?o }", "--format", "nt")
    assert nt.exit_code == 0 and len(nt.stdout.strip().splitlines()) == 2
    ttl = run(mini_build, "CONSTRUCT WHERE { ?s gh:partOf ?o }", "--format", "ttl")
    from rdflib import Graph

    assert len(Graph().parse(data=ttl.stdout, format="turtle")) == 2
    wrong = run(mini_build, UNIONS, "--format", "ttl")
    assert wrong.exit_code == 2 and "does not fit a SELECT query" in wrong.stderr


def test_cli_limit(run, mini_build):
    res = run(mini_build, "SELECT ?p WHERE { ?p a gh:Place }", "--limit", "1")
    assert res.exit_code == 0
    assert len(res.stdout.splitlines()) == 3
    assert res.stderr.strip() == "1 row (truncated: more exist)"
    csv = run(mini_build, "SELECT ?p WHERE { ?p a gh:Place }", "--limit", "2", "--format", "csv")
    assert len(csv.stdout.splitlines()) == 3
    assert "raise --limit" in csv.stderr


def test_cli_argument_errors(run, mini_build, tmp_path):
    both = run(mini_build, "ASK {}", "-f", tmp_path / "x.rq")
    assert both.exit_code == 2 and "not both" in both.stderr
    neither = run(mini_build)
    assert neither.exit_code == 2 and "no query" in neither.stderr
    missing = run(mini_build, "-f", tmp_path / "missing.rq")
    assert missing.exit_code == 2 and "cannot read the query" in missing.stderr
    gbk = tmp_path / "gbk.rq"
    gbk.write_bytes("SELECT * { ?s rdfs:label '工会' }".encode("gbk"))
    res = run(mini_build, "-f", gbk)
    assert res.exit_code == 2 and res.stderr == f"kg: error: {gbk}: the query is not UTF-8 text\n"
    nobuild = run(tmp_path / "nothing", "ASK {}")
    assert nobuild.exit_code == 2 and "no such build directory" in nobuild.stderr


def test_cli_update_refused(run, mini_build):
    res = run(mini_build, "INSERT DATA { <http://a> <http://b> <http://c> }")
    assert res.exit_code == 2
    assert "SPARQL Update" in res.stderr
    assert run(mini_build, "ASK { <http://a> <http://b> <http://c> }").exit_code == 1


def test_python_m_kg_query(mini_build):
    import subprocess
    import sys

    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "kg",
            "query",
            str(mini_build),
            "SELECT ?n WHERE { ?x a gh:Award ; rdfs:label ?n }",
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        cwd=Path(__file__).parent.parent,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[2] == "全国劳动模范"
    assert proc.stderr.strip() == "1 row"


# ------------------------------------------- SERVICE detection against Oxigraph


@pytest.fixture(scope="module")
def recorder():
    """A local HTTP server that records every request made to it."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    hits: list[str] = []

    class Record(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(500)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_POST = do_GET

        def log_message(self, *args):
            pass

    gc.collect()  # results of earlier queries are freed here, not by a collection on one of the server's threads
    server = ThreadingHTTPServer(("127.0.0.1", 0), Record)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_port, hits
    server.shutdown()
    server.server_close()


PIECES = [
    "?s ?p ?o .",
    "# a comment\n",
    "# SERVICE in a comment <\n",
    '"SERVICE # not a comment"',
    "'''a long\n# string'''",
    "<http://example.org/a\\u0023b>",
    "<http://example.org/x#>",
    "?s <http://example.org/p\\u0041#> ?o .",
    "OPTIONAL { ?s ?p ?o }",
    "FILTER(?o<?s)",
    "{SERVICE}",
    "SERVICE <{url}> { ?a ?b ?c }",
    "service silent <{url}> { ?a ?b ?c }",
    "SERVICE<{url}>{?a ?b ?c}",
    "\n",
    " ",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=6))
def test_uses_service_catches_every_query_oxigraph_would_federate(recorder, pieces):
    import pyoxigraph as ox

    port, hits = recorder
    url = f"http://127.0.0.1:{port}/sparql"
    text = "SELECT * WHERE { " + " ".join(p.replace("{url}", url) for p in pieces) + " }"
    before = len(hits)
    try:
        solutions = ox.Store().query(text)
        try:
            list(solutions)
        finally:
            del solutions  # dropped here, on the thread that made it (pyoxigraph's results may not cross threads)
    except (SyntaxError, OSError, RuntimeError):
        pass
    gc.collect()  # nothing of this query is left for a collection on the recorder's thread
    if len(hits) > before:
        assert uses_service(text), text


# ------------------------------------------------------------------ streaming

LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def _numbered_build(out: Path, n: int, wide_last: bool = False) -> Path:
    """A build of ``n`` unions, each with a label (the last one's very long when ``wide_last``)."""
    import pyoxigraph as ox

    from kg.store import FORMAT, MANIFEST

    out.mkdir(parents=True)
    store = ox.Store(str(out / "store"))
    for i in range(n):
        label = f"第{i}个基层工会" + ("，全称很长" * 20 if wide_last and i == n - 1 else "")
        union = ox.NamedNode(f"{ID}TradeUnion/u{i:05d}")
        store.add(ox.Quad(union, ox.NamedNode(LABEL), ox.Literal(label, language="zh")))
    store.flush()
    del store
    (out / MANIFEST).write_text(json.dumps({"format": FORMAT, "documents": {}}), "utf-8")
    return out


@pytest.fixture(scope="module")
def numbered(tmp_path_factory):
    """2,500 labelled unions: more than one chunk of rows."""
    return _numbered_build(tmp_path_factory.mktemp("numbered") / "out", 2500, wide_last=True)


LABELS = "SELECT ?u ?name WHERE { ?u rdfs:label ?name } ORDER BY ?u"


def test_stream_counts_and_marks_truncation(numbered):
    from kg.sparql.query import stream_query

    s = stream_query(numbered, LABELS, limit=3)
    assert s.kind == "select" and s.variables == ["u", "name"]
    rows = iter(s)
    first = next(rows)
    assert first[1].value == "第0个基层工会" and s.count == 1 and not s.truncated
    assert len(list(rows)) == 2 and s.count == 3 and s.truncated
    with pytest.raises(RuntimeError, match="only once"):
        list(s)
    whole = stream_query(numbered, LABELS)
    calls = []
    whole.watch(1000, lambda: calls.append(whole.count))
    assert sum(1 for _ in whole) == 2500 and not whole.truncated
    assert calls == [1000]  # once, when row 1,001 came


@pytest.mark.parametrize("fmt", ["csv", "tsv", "xml", "json"])
def test_limited_and_whole_answers_are_written_alike(numbered, fmt):
    import io

    from kg.sparql.query import stream_query, write_result

    whole, limited = io.BytesIO(), io.BytesIO()
    write_result(stream_query(numbered, LABELS), fmt, whole)  # the store's own writer
    write_result(stream_query(numbered, LABELS, limit=10**9), fmt, limited)  # row by row
    if fmt == "json":
        assert json.loads(whole.getvalue()) == json.loads(limited.getvalue())
    else:
        assert whole.getvalue() == limited.getvalue()
    assert whole.getvalue().count(b"\xe5\x9f\xba\xe5\xb1\x82") == 2500  # 基层 in every row


literals = st.one_of(
    st.text(max_size=12).map(lambda t: ("plain", t)),
    st.tuples(st.text(max_size=8), st.sampled_from(["zh", "en-GB"])).map(lambda t: ("lang", t)),
    st.sampled_from(["0", "-12", "3.50", "1.0E3", "true", "2022-11-11", "+7"]).map(lambda t: ("typed", t)),
)


@settings(max_examples=30, deadline=None)
@given(st.lists(literals, min_size=1, max_size=6))
def test_row_by_row_writers_say_what_oxigraph_says(values):
    import io

    import pyoxigraph as ox

    from kg.sparql.query import stream_query, write_result

    xsd = "http://www.w3.org/2001/XMLSchema#"
    types = {"0": "integer", "-12": "integer", "3.50": "decimal", "1.0E3": "double", "true": "boolean",
             "2022-11-11": "date", "+7": "integer"}  # fmt: skip
    store = ox.Store()
    for i, (kind, v) in enumerate(values):
        if kind == "plain":
            lit = ox.Literal(v)
        elif kind == "lang":
            lit = ox.Literal(v[0], language=v[1])
        else:
            lit = ox.Literal(v, datatype=ox.NamedNode(xsd + types[v]))
        store.add(ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), ox.NamedNode("http://example.org/p"), lit))
    q = "SELECT ?s ?o ?none WHERE { ?s ?p ?o OPTIONAL { ?s <http://example.org/q> ?none } } ORDER BY ?s"
    for fmt in ("csv", "tsv", "xml", "json"):
        native, ours = io.BytesIO(), io.BytesIO()
        write_result(stream_query(store, q, prefixes={}), fmt, native)
        write_result(stream_query(store, q, prefixes={}, limit=100), fmt, ours)
        if fmt == "json":
            assert json.loads(ours.getvalue()) == json.loads(native.getvalue())
        else:
            assert ours.getvalue() == native.getvalue(), fmt


def test_streamed_table_keeps_the_first_rows_layout(numbered):
    from kg.sparql.query import CHUNK, stream_query, table_lines

    lines = list(table_lines(stream_query(numbered, LABELS)))
    assert len(lines) == 2 + 2500
    assert lines[0].split() == ["u", "name"]
    starts = {display_width(x[: x.index("第")]) for x in lines[2:]}
    assert starts == {display_width(lines[0][: lines[0].index("name")])}  # one layout for every row
    assert len(lines) > 2 + CHUNK
    assert lines[-1].endswith("，全称很长" * 20)  # a wider cell later simply runs on
    assert lines[-2].split()[-1] == "第2498个基层工会"


def test_streamed_turtle_and_ntriples_read_back(numbered):
    import io

    import pyoxigraph as ox

    from kg.sparql.query import stream_query, write_result

    q = "CONSTRUCT WHERE { ?u rdfs:label ?name }"
    want = {q.triple for q in ox.Store.read_only(str(numbered / "store"))}
    for fmt, rdf in (("ttl", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES), ("rdfxml", ox.RdfFormat.RDF_XML),
                     ("jsonld", ox.RdfFormat.JSON_LD)):  # fmt: skip
        for limit in (None, 10**9):
            out = io.BytesIO()
            write_result(stream_query(numbered, q, limit=limit), fmt, out)
            assert {t.triple for t in ox.parse(out.getvalue(), format=rdf)} == want, (fmt, limit)


def test_cli_json_ends_with_a_newline_and_counts_big_numbers(run, numbered):
    res = run(numbered, LABELS, "--format", "json")
    assert res.stdout.endswith("}\n") and res.stdout.count("\n") == 1
    table = run(numbered, LABELS)
    assert res.exit_code == table.exit_code == 0
    assert table.stderr == "2,500 rows (columns sized by the first 1,000)\n"


def _kg_query(*args: str, **popen: object) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "kg", "query", *args], cwd=ROOT, **popen)  # type: ignore[call-overload]


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@pytest.mark.parametrize("fmt", ["csv", "table", "nt"])
def test_cli_prints_a_huge_answer_as_it_goes(numbered, fmt):
    # 2,500 x 2,500 rows: printing starts at once and memory stays flat; the reader then stops it
    select = "SELECT ?a ?x WHERE { ?a rdfs:label ?x . ?b rdfs:label ?y }"
    query = select if fmt != "nt" else "CONSTRUCT { ?a rdfs:label ?y } WHERE { ?a rdfs:label ?x . ?b rdfs:label ?y }"
    proc = _kg_query(str(numbered), query, "--format", fmt, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    try:
        got = 0
        deadline = time.monotonic() + 60
        while got < 8 << 20 and time.monotonic() < deadline:
            got += len(proc.stdout.read1(1 << 16))
        assert got >= 8 << 20  # 8 MB printed (the whole answer is over 300 MB)
        assert proc.poll() is None  # and the query goes on
        assert _rss_mb(proc.pid) < 400
        proc.stdout.close()  # the reader stops, like `| head`
        assert proc.wait(timeout=60) == 141
        assert proc.stderr.read() == b""  # no traceback, no message
    finally:
        proc.kill()
        proc.wait()


def test_cli_ctrl_c_stops_quietly(numbered):
    proc = _kg_query(str(numbered), "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }", "--format", "tsv",
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    assert proc.stdout is not None and proc.stderr is not None
    try:
        assert proc.stdout.read1(1 << 16)
        proc.send_signal(signal.SIGINT)
        while proc.stdout.read1(1 << 16):
            pass
        assert proc.wait(timeout=60) == 130
        assert b"Traceback" not in proc.stderr.read()
    finally:
        proc.kill()
        proc.wait()


def _read_terminal(main: int) -> bytes:
    """All that a program wrote to the pseudo-terminal whose main side is ``main``, until it closed; closes it."""
    import os

    out = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the terminal's other side closed
            break
        if not chunk:
            break
        out += chunk
    os.close(main)
    return out


def _on_a_terminal(*args: str) -> tuple[int, str, str]:
    """Run ``kg query ARGS`` with standard output on a pseudo-terminal: (status, output, errors)."""
    import os
    import pty

    main, child = pty.openpty()
    proc = _kg_query(*args, stdout=child, stderr=subprocess.PIPE)
    os.close(child)
    out = _read_terminal(main)
    assert proc.stderr is not None
    err = proc.stderr.read().decode()
    return proc.wait(timeout=60), out.decode(), err


def test_cli_says_when_limit_would_help_on_a_terminal(numbered):
    status, out, err = _on_a_terminal(str(numbered), LABELS)
    assert status == 0 and "第2499个基层工会" in out
    assert "kg: more than 1,000 rows; --limit N shows the first N (Ctrl+C stops)\n" in err
    status, out, err = _on_a_terminal(str(numbered), LABELS, "--limit", "5")
    assert status == 0 and "more than" not in err and err.endswith("5 rows (truncated: more exist)\n")
    piped = subprocess.run([sys.executable, "-m", "kg", "query", str(numbered), LABELS, "--format", "csv"],
                           capture_output=True, timeout=120, cwd=ROOT)  # fmt: skip
    assert piped.returncode == 0 and piped.stderr == b""  # into a pipe or a file: nothing to say


def test_cli_table_on_a_terminal_is_drawn_by_rich_and_aligned(mini_build):
    names = "SELECT ?name ?u WHERE { ?u a gh:TradeUnion ; rdfs:label ?name } ORDER BY ?name"
    status, out, err = _on_a_terminal(str(mini_build), names)
    assert status == 0 and err == "2 rows\n"
    assert "\x1b[1mname" in out  # the header in bold
    lines = re.sub(r"\x1b\[[0-9;]*m", "", out).split("\r\n")
    assert lines[0].split() == ["name", "u"] and set(lines[1]) == {"─"}
    assert [ln.split() for ln in lines[2:4]] == [
        ["全国总工会", "id:TradeUnion/全国总工会"],
        ["镇安县总工会", "id:TradeUnion/镇安县总工会"],
    ]
    # the second column starts at one terminal column on every line, though the names differ in width
    starts = [display_width(ln[: ln.index(col)]) for ln, col in ((lines[0], "u"), (lines[2], "id:"), (lines[3], "id:"))]
    assert starts == [display_width("镇安县总工会") + 2] * 3


def test_a_read_stream_holds_nothing_another_thread_could_drop(numbered):
    # pyoxigraph refuses to have its iterators dropped by another thread than theirs; a watcher that
    # refers to its stream makes a cycle, and the garbage collector may run in any thread
    import gc
    import threading

    from kg.sparql.query import stream_query

    gc.collect()
    caught = []
    hook, sys.unraisablehook = sys.unraisablehook, caught.append
    try:
        for limit in (None, 5):
            s = stream_query(numbered, LABELS, limit=limit)
            s.watch(3, lambda s=s: s.count)
            assert sum(1 for _ in s) == (2500 if limit is None else 5)
            del s
        collector = threading.Thread(target=gc.collect)
        collector.start()
        collector.join()
    finally:
        sys.unraisablehook = hook
    assert [str(u.exc_value) for u in caught] == []
