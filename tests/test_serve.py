"""``kg serve``: a real server process on the mini build, queried by real clients."""

from __future__ import annotations

import json
import os
import re
import selectors
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from kg.sparql.query import run_query
from kg.sparql.serve import is_loopback, negotiate

ROOT = Path(__file__).resolve().parent.parent
GH = "https://w3id.org/gonghui-kg/ontology#"
ID = "https://w3id.org/gonghui-kg/id/"
UNIONS = (
    f"SELECT ?u ?name WHERE {{ ?u a <{GH}TradeUnion> ; <http://www.w3.org/2000/01/rdf-schema#label> ?name }}"
)
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
MAX_ROWS = 40


# ------------------------------------------------------------------- helpers


@dataclass
class Server:
    proc: subprocess.Popen[str]
    url: str
    log: Path

    @property
    def base(self) -> str:
        return self.url.rsplit("/", 1)[0]

    def workers(self) -> set[int]:
        """The query workers: the children of multiprocessing's fork server."""
        servers = [pid for pid, cmd in _children(self.proc.pid) if "forkserver" in cmd]
        return {pid for fs in servers for pid, _ in _children(fs)}

    def descendants(self) -> set[int]:
        """Every process below the server (workers and multiprocessing's helper)."""
        found: set[int] = set()
        todo = [self.proc.pid]
        while todo:
            for pid, _ in _children(todo.pop()):
                found.add(pid)
                todo.append(pid)
        return found

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if self.proc.stdout:
            self.proc.stdout.close()


def _children(pid: int) -> list[tuple[int, str]]:
    """(pid, command line) of the processes whose parent is ``pid``."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == pid:
                cmd = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode()
                found.append((int(entry), cmd))
        except (OSError, ValueError, IndexError):
            continue
    return found


def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _alive(pid: int) -> bool:
    fields = _stat(pid)
    return fields is not None and fields[0] != "Z"


def _nice(pid: int) -> int:
    fields = _stat(pid)
    assert fields is not None
    return int(fields[16])


def _all_gone(pids: set[int], within: float = 10.0) -> bool:
    deadline = time.monotonic() + within
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not any(_alive(p) for p in pids)


def _wait_for(predicate, within: float = 15.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def start_server(build: Path, tmp: Path, *args: str) -> Server:
    """Start ``python -m kg serve BUILD --port 0 ARGS`` and read its URL (30 s at most)."""
    log = tmp / f"serve-{time.monotonic_ns()}.log"
    err = log.open("w", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", str(build), "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=err,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
    )
    err.close()
    assert proc.stdout is not None
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + 30
    try:
        while time.monotonic() < deadline:
            if sel.select(timeout=max(0.0, deadline - time.monotonic())):
                line = proc.stdout.readline()
                if not line:
                    break
                m = re.match(r"kg serve: (http://\S+/sparql)$", line.strip())
                if m:
                    return Server(proc, m.group(1), log)
    finally:
        sel.close()
    Server(proc, "", log).stop()
    raise AssertionError(f"kg serve did not start: {log.read_text('utf-8')}")


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def ctype(self) -> str:
        return self.headers.get("content-type", "").split(";")[0]

    def json(self):
        return json.loads(self.body)


def http(method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> Reply:
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return Reply(resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read())
    except urllib.error.HTTPError as e:
        with e:
            return Reply(e.code, {k.lower(): v for k, v in e.headers.items()}, e.read())


def get(server: Server, query: str | None = None, accept: str | None = None, **params: str) -> Reply:
    if query is not None:
        params["query"] = query
    qs = urllib.parse.urlencode(params)
    return http("GET", server.url + ("?" + qs if qs else ""), headers={"Accept": accept} if accept else None)


def post_query(server: Server, query: str, accept: str | None = None, qs: str = "") -> Reply:
    headers = {"Content-Type": "application/sparql-query"}
    if accept:
        headers["Accept"] = accept
    return http("POST", server.url + qs, query.encode("utf-8"), headers)


def post_form(server: Server, **params: str) -> Reply:
    body = urllib.parse.urlencode(params).encode()
    return http("POST", server.url, body, {"Content-Type": "application/x-www-form-urlencoded"})


def preflight(server: Server) -> Reply:
    """What a browser asks before POSTing a query from a page of another origin."""
    return http(
        "OPTIONS",
        server.url,
        headers={"Origin": "http://example.org", "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type"},
    )  # fmt: skip


def names(reply: Reply) -> list[str]:
    return sorted(b["name"]["value"] for b in reply.json()["results"]["bindings"])


def expected_names(build: Path) -> list[str]:
    r = run_query(build, UNIONS)
    return sorted(row[1].value for row in r.rows)


def total(server: Server) -> str:
    return get(server, COUNT_ALL).json()["results"]["bindings"][0]["n"]["value"]


@pytest.fixture(scope="module")
def server(mini_build, tmp_path_factory):
    s = start_server(mini_build, tmp_path_factory.mktemp("serve"), "--max-rows", str(MAX_ROWS), "--workers", "2")
    yield s
    s.stop()


# ------------------------------------------------------------ pure functions


# fmt: off
NEGOTIATION = [
    ("select", None, None, "json"),
    ("select", "*/*", None, "json"),
    ("select", "application/sparql-results+xml", None, "xml"),
    ("select", "text/csv", None, "csv"),
    ("select", "text/tab-separated-values", None, "tsv"),
    ("select", "application/json", None, "json"),
    ("select", "text/csv;q=0.5, application/sparql-results+xml", None, "xml"),
    ("select", "text/*", None, "csv"),
    ("select", "text/turtle", None, "json"),        # nothing fits: the default
    ("select", "text/csv;q=0", None, "json"),
    ("select", "text/csv", ["tsv"], "tsv"),          # format= wins over Accept
    ("select", None, ["text/tab-separated-values"], "tsv"),
    ("select", None, ["n3", "csv"], "csv"),          # the first value that fits
    ("ask", "application/sparql-results+xml", None, "xml"),
    ("graph", None, None, "ttl"),
    ("graph", "application/n-triples", None, "nt"),
    ("graph", "application/rdf+xml", None, "rdfxml"),
    ("graph", "application/ld+json", None, "jsonld"),
    ("graph", "application/sparql-results+xml, application/rdf+xml", None, "rdfxml"),
    ("graph", "application/sparql-results+json", None, "ttl"),
    ("graph", None, ["xml"], "rdfxml"),
    ("graph", None, ["json"], "jsonld"),
]
# fmt: on


@pytest.mark.parametrize("kind,accept,formats,fmt", NEGOTIATION)
def test_negotiate(kind, accept, formats, fmt):
    assert negotiate(kind, accept, formats) == fmt


@pytest.mark.parametrize(
    "host,loop",
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("192.168.1.5", False),
        ("::", False),
        ("example.org", False),
    ],  # fmt: skip
)
def test_is_loopback(host, loop):
    assert is_loopback(host) is loop


# ------------------------------------------------------------------ clients


def test_sparqlwrapper_agrees_with_kg_query(server, mini_build):
    from SPARQLWrapper import CSV, JSON, POST, POSTDIRECTLY, SPARQLWrapper

    want = expected_names(mini_build)
    assert want == ["全国总工会", "镇安县总工会"]
    w = SPARQLWrapper(server.url)
    w.setTimeout(30)
    w.setQuery(UNIONS)
    w.setReturnFormat(JSON)
    got = sorted(b["name"]["value"] for b in w.query().convert()["results"]["bindings"])
    assert got == want
    w.setMethod(POST)  # form-encoded
    assert sorted(b["name"]["value"] for b in w.query().convert()["results"]["bindings"]) == want
    w.setRequestMethod(POSTDIRECTLY)  # application/sparql-query
    assert sorted(b["name"]["value"] for b in w.query().convert()["results"]["bindings"]) == want
    w.setReturnFormat(CSV)
    lines = w.query().convert().decode("utf-8").splitlines()
    assert lines[0] == "u,name" and sorted(x.split(",")[1] for x in lines[1:]) == want


def test_rdflib_sparqlstore_agrees_with_kg_query(server, mini_build):
    from rdflib import Graph, URIRef
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    g = Graph(store=SPARQLStore(server.url))
    rows = sorted((str(u), str(n)) for u, n in g.query(UNIONS))
    local = run_query(mini_build, UNIONS)
    assert rows == sorted((r[0].value, r[1].value) for r in local.rows)
    assert g.query(f"ASK {{ ?x a <{GH}Award> }}").askAnswer is True
    assert g.query(f"ASK {{ ?x <{GH}receivedAward> ?a }}").askAnswer is False
    parts = g.query(f"CONSTRUCT WHERE {{ ?a <{GH}partOf> ?b }}")
    assert {(str(s), str(o)) for s, _, o in parts} == {
        (ID + "Place/611025", ID + "Place/611000"),
        (ID + "Place/611000", ID + "Place/610000"),
    }
    county = URIRef(ID + "Place/611025")
    assert {str(o) for o in g.objects(county, URIRef(GH + "partOf"))} == {ID + "Place/611000"}


# -------------------------------------------------------------- negotiation


@pytest.mark.parametrize(
    "accept,ctype",
    [
        (None, "application/sparql-results+json"),
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
    ],
)
def test_select_formats(server, mini_build, accept, ctype):
    import pyoxigraph as ox

    r = get(server, UNIONS, accept)
    assert r.status == 200 and r.ctype == ctype
    want = expected_names(mini_build)
    if ctype.endswith("json"):
        assert names(r) == want
    elif ctype == "text/csv":
        lines = r.body.decode().split("\r\n")
        assert lines[0] == "u,name" and sorted(x.split(",")[1] for x in lines[1:] if x) == want
    else:
        fmt = ox.QueryResultsFormat.XML if "xml" in ctype else ox.QueryResultsFormat.TSV
        got = sorted(sol["name"].value for sol in ox.parse_query_results(r.body, format=fmt))
        assert got == want


@pytest.mark.parametrize(
    "accept,ctype,rdf",
    [
        (None, "text/turtle", "TURTLE"),
        ("text/turtle", "text/turtle", "TURTLE"),
        ("application/n-triples", "application/n-triples", "N_TRIPLES"),
        ("application/rdf+xml", "application/rdf+xml", "RDF_XML"),
        ("application/ld+json", "application/ld+json", "JSON_LD"),
    ],
)
def test_construct_formats(server, mini_build, accept, ctype, rdf):
    import pyoxigraph as ox

    q = f"CONSTRUCT WHERE {{ ?a <{GH}partOf> ?b }}"
    r = post_query(server, q, accept)
    assert r.status == 200 and r.ctype == ctype
    got = {t.triple for t in ox.parse(r.body, format=getattr(ox.RdfFormat, rdf))}
    assert got == set(run_query(mini_build, q).triples)


def test_format_parameter_and_ask(server):
    r = get(server, UNIONS, format="csv")
    assert r.ctype == "text/csv"
    r = get(server, UNIONS, output="xml")
    assert r.ctype == "application/sparql-results+xml"
    ask = get(server, f"ASK {{ ?x a <{GH}Place> }}")
    assert ask.json() == {"head": {}, "boolean": True}
    ask_xml = get(server, f"ASK {{ ?x a <{GH}Nothing> }}", "application/sparql-results+xml")
    assert b"<boolean>false</boolean>" in ask_xml.body


def test_predeclared_prefixes_and_graph_parameters(server):
    r = get(server, "SELECT ?name WHERE { ?u a gh:TradeUnion ; rdfs:label ?name }")
    assert names(r) == ["全国总工会", "镇安县总工会"]
    # default-graph-uri makes an evidence graph the default graph
    r = get(
        server, "SELECT ?role WHERE { ?post gh:role ?role }", **{"default-graph-uri": ID + "Evidence/0001"}
    )
    assert [b["role"]["value"] for b in r.json()["results"]["bindings"]] == ["常务副主席"]
    # the default graph is the facts: articles are not in evidence graphs
    r = get(server, "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    assert [b["g"]["value"] for b in r.json()["results"]["bindings"]] == [ID + "Evidence/0001"]


def test_row_cap(server):
    r = get(server, "SELECT * WHERE { ?s ?p ?o }")
    assert r.status == 200
    assert len(r.json()["results"]["bindings"]) == MAX_ROWS
    assert r.headers["x-kg-truncated"] == "true"
    g = post_query(server, "CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples")
    assert len(g.body.decode().strip().splitlines()) == MAX_ROWS
    assert g.headers["x-kg-truncated"] == "true"
    small = get(server, UNIONS)
    assert small.headers["x-kg-truncated"] == "false"


# ----------------------------------------------------------------- read-only


def test_updates_are_refused_and_nothing_changes(server, mini_build):
    before = total(server)
    insert = "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }"
    attempts = [
        post_form(server, update=insert),
        http("POST", server.url, insert.encode(), {"Content-Type": "application/sparql-update"}),
        http("POST", server.url, b"DROP ALL", {"Content-Type": "application/sparql-update; charset=utf-8"}),
        get(server, insert),
        get(server, "DROP ALL"),
        get(server, "CLEAR DEFAULT"),
        post_query(server, "PREFIX ex: <http://example.org/>\nDELETE WHERE { ?s ?p ?o }"),
        post_form(server, query="LOAD <http://example.org/x.ttl>"),
        http("GET", server.url + "?update=" + urllib.parse.quote("DROP ALL")),
    ]
    for r in attempts:
        assert r.status == 403, r.body
        assert r.body.decode().strip() == "SPARQL Update refused: this endpoint is read-only"
    for method in ("PUT", "DELETE", "PATCH"):
        r = http(method, server.url, b"<http://a> <http://b> <http://c> .", {"Content-Type": "text/turtle"})
        assert r.status == 405 and "read-only" in r.body.decode()
        assert r.headers["allow"] == "GET, HEAD, POST, OPTIONS"
    assert total(server) == before
    assert get(server, "ASK { <http://example.org/a> ?p ?o }").json()["boolean"] is False
    local = run_query(mini_build, COUNT_ALL)
    assert local.rows[0][0].value == before


def test_service_is_refused_without_any_outgoing_request(server):
    hits: list[str] = []

    class Record(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(500)
            self.end_headers()

        do_POST = do_GET

        def log_message(self, *args):
            pass

    other = ThreadingHTTPServer(("127.0.0.1", 0), Record)
    t = threading.Thread(target=other.serve_forever, daemon=True)
    t.start()
    try:
        q = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{other.server_port}/sparql> {{ ?s ?p ?o }} }}"
        r = get(server, q)
        assert r.status == 403 and "SERVICE" in r.body.decode()
        r = post_query(server, q.replace("SERVICE", "service silent"))
        assert r.status == 403
        assert hits == []
    finally:
        other.shutdown()
        other.server_close()


# ----------------------------------------------------------------- robustness


def test_burst_of_fifty_clients(server, mini_build):
    queries = [f"SELECT ?p WHERE {{ ?p a <{GH}Place> }} ORDER BY ?p LIMIT {1 + i % 3}" for i in range(25)]
    queries += [UNIONS] * 25
    start = threading.Barrier(50)

    def ask(i: int) -> tuple[int, Reply]:
        q = queries[i]
        start.wait(timeout=30)
        return i, (get(server, q) if i % 2 else post_query(server, q))

    with ThreadPoolExecutor(max_workers=50) as pool:
        replies = list(pool.map(ask, range(50)))
    for i, r in replies:
        assert r.status == 200, r.body
        bindings = r.json()["results"]["bindings"]
        if i < 25:
            assert len(bindings) == 1 + i % 3
        else:
            assert sorted(b["name"]["value"] for b in bindings) == expected_names(mini_build)


def test_listening_queue_is_deep(server):
    # the kernel queues this many connections before the server accepts them (ss shows it as Send-Q)
    port = urllib.parse.urlsplit(server.url).port
    listening = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True, timeout=30)
    fields = listening.stdout.split()
    assert fields and int(fields[2]) >= 1024, listening.stdout


def _raw(server: Server, data: bytes) -> bytes:
    """Send raw bytes; everything the server answers until it closes the connection."""
    parts = urllib.parse.urlsplit(server.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=15) as s:
        s.sendall(data)
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    return answer


def test_client_errors_are_4xx_and_the_server_goes_on(server):
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    direct = {"Content-Type": "application/sparql-query"}
    cases = [
        (get(server), 400, "no query"),
        (get(server, "   "), 400, "no query"),
        (get(server, "SELECT * WHERE { ?s ?p ?o"), 400, "syntax error at line 1, column 26"),
        (get(server, "SELECT * WHERE {\n ?s foo:bar ?o }"), 400, "line 2, column 5: unknown prefix 'foo:'"),
        (http("GET", server.url + "?query=SELECT%zz"), 400, "bad percent-encoding"),
        (http("GET", server.url + "?query=%FF%FE"), 400, "not UTF-8"),
        (http("GET", server.url + "?query=ASK%7B%7D&query=ASK%7B%7D"), 400, "more than one query"),
        (get(server, "ASK {}", **{"default-graph-uri": "not an iri"}), 400, "default-graph-uri 'not an iri'"),
        (get(server, "ASK {}", **{"named-graph-uri": "<x>"}), 400, "named-graph-uri '<x>' is not an IRI"),
        (post_form(server, other="x"), 400, "no query"),
        (http("POST", server.url, b"query=%GG", form), 400, "bad percent-encoding"),
        (http("POST", server.url, b"\xff\xfe", direct), 400, "not UTF-8"),
        (http("POST", server.url, b"x" * (1024 * 1024 + 1), direct), 413, "too large"),
        (
            http("POST", server.url, b"ASK {}", {"Content-Type": "text/plain"}),
            415,
            "application/sparql-query",
        ),
        (http("GET", server.base + "/nothing"), 404, "no such page"),
        (http("POST", server.base + "/", b"ASK {}", direct), 405, "Method Not Allowed"),
    ]
    for reply, status, text in cases:
        assert reply.status == status, (reply.status, reply.body)
        message = reply.body.decode()
        assert text in message
        assert message.count("\n") == 1  # one line
        assert "access-control-allow-origin" not in reply.headers
    # request lines that are not HTTP at all
    for garbage in (
        b"NONSENSE\r\n\r\n",
        b"GET /sparql HTTP/x.y\r\n\r\n",
        b"\x16\x03\x01\x02\x00\x01\r\n\r\n",
    ):
        answer = _raw(server, garbage)
        assert re.match(rb"HTTP/1\.[01] 400 ", answer), answer
    assert get(server, "ASK { ?s ?p ?o }").json()["boolean"] is True


def test_a_body_that_never_arrives_gets_408(mini_build, tmp_path):
    s = start_server(mini_build, tmp_path, "--timeout", "2", "--workers", "2", "--quiet")
    try:
        started = time.monotonic()
        short = _raw(s, b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                        b"Content-Length: 100\r\n\r\nASK {}")  # fmt: skip
        assert short.startswith(b"HTTP/1.1 408 "), short
        assert 1.5 < time.monotonic() - started < 8
        assert get(s, "ASK { ?s ?p ?o }").json()["boolean"] is True
    finally:
        s.stop()


def test_a_long_query_fits_in_a_get(server):
    padding = "# " + "工会" * 3000 + "\n"  # 54 kB once percent-encoded
    r = get(server, padding + "ASK { ?s ?p ?o }")
    assert r.status == 200 and r.json()["boolean"] is True
    too_long = get(server, "# " + "工会" * 6000 + "\nASK { ?s ?p ?o }")
    assert too_long.status in (400, 431)
    assert post_query(server, "# " + "工会" * 6000 + "\nASK { ?s ?p ?o }").json()["boolean"] is True


def test_chunked_post_is_read(server):
    body = b"ASK { ?s ?p ?o }"
    raw = _raw(server, b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                       b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                       + f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n")  # fmt: skip
    head, _, answer = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 ")
    assert json.loads(answer) == {"head": {}, "boolean": True}


def test_head_gives_the_headers_of_get(server):
    full = get(server, UNIONS)
    head = http("HEAD", server.url + "?" + urllib.parse.urlencode({"query": UNIONS}))
    assert head.status == 200 and head.body == b""
    assert head.ctype == full.ctype == "application/sparql-results+json"
    assert head.headers["content-length"] == str(len(full.body))
    assert head.headers["x-kg-truncated"] == "false"
    assert http("HEAD", server.base + "/").status == 200
    assert http("HEAD", server.url).status == 400  # no query: the status a GET would get


def test_no_cors_unless_asked(server):
    r = http("GET", server.url + "?" + urllib.parse.urlencode({"query": UNIONS}),
             headers={"Origin": "http://example.org"})  # fmt: skip
    assert r.status == 200 and "access-control-allow-origin" not in r.headers
    pre = preflight(server)
    assert pre.status == 204 and pre.headers["allow"] == "GET, HEAD, POST, OPTIONS"
    assert not any(k.startswith("access-control-") for k in pre.headers)


def test_cors_when_asked(mini_build, tmp_path):
    s = start_server(mini_build, tmp_path, "--cors", "--workers", "2", "--quiet")
    try:
        r = http("GET", s.url + "?" + urllib.parse.urlencode({"query": UNIONS}),
                 headers={"Origin": "http://example.org"})  # fmt: skip
        assert r.status == 200 and r.headers["access-control-allow-origin"] == "*"
        assert "x-kg-truncated" in r.headers["access-control-expose-headers"].lower()
        pre = preflight(s)
        assert pre.status == 200
        assert pre.headers["access-control-allow-origin"] == "*"
        assert "POST" in pre.headers["access-control-allow-methods"]
        assert "content-type" in pre.headers["access-control-allow-headers"].lower()
    finally:
        s.stop()


# ---------------------------------------------------------------- the page


def test_page_is_self_contained(server):
    r = http("GET", server.base + "/")
    assert r.status == 200 and r.ctype == "text/html"
    html = r.body.decode("utf-8")
    assert "<textarea" in html and "SELECT" in html
    assert not re.search(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
    assert "<link" not in html and "@import" not in html and "url(" not in html
    assert "default-src 'none'" in r.headers["content-security-policy"]


def test_page_runs_a_query_in_chromium(server):
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("no Chromium at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    base = server.base
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.set_default_timeout(20000)
            page.on("request", lambda req: requests.append(req.url))
            page.goto(base + "/")
            page.click("#run")
            page.wait_for_selector("#results table td")
            cells = page.locator("#results td").all_inner_texts()
            assert "全国总工会" in cells and "镇安县总工会" in cells
            assert "id:TradeUnion/全国总工会" in cells  # IRIs shortened with the predeclared prefixes
            assert "rows" in page.inner_text("#status")
            page.fill("#query", "SELECT * WHERE { ?s ?p ")
            page.click("#run")
            page.wait_for_selector("#results .error")
            assert "400" in page.inner_text("#results .error")
        finally:
            browser.close()
    assert requests and all(u.startswith(base + "/") for u in requests)


# ----------------------------------------------------- timeouts and shutdown


def _in_background(fn, *args):
    """Run ``fn(*args)`` in a thread; the future of its result."""
    pool = ThreadPoolExecutor(max_workers=1)
    future = pool.submit(fn, *args)
    pool.shutdown(wait=False)
    return future


def test_timeout_kills_the_worker_and_serving_goes_on(mini_build, tmp_path):
    s = start_server(mini_build, tmp_path, "--timeout", "1", "--workers", "2", "--quiet")
    try:
        first = s.workers()
        assert len(first) == 2
        started = time.monotonic()
        r = get(s, SLOW)
        took = time.monotonic() - started
        assert r.status == 503 and r.body.decode() == "query timed out after 1 s (the server's --timeout)\n"
        assert took < 10
        gone = {p for p in first if not _alive(p)}
        assert _wait_for(lambda: len([p for p in first if not _alive(p)]) == 1)  # the runaway query is stopped
        assert get(s, UNIONS).status == 200
        assert _wait_for(lambda: len(s.workers()) == 2 and not s.workers() & gone)  # and replaced
    finally:
        s.stop()
    assert s.log.read_text("utf-8") == ""  # --quiet


def test_long_queries_leave_workers_for_short_ones(mini_build, tmp_path):
    # two workers, one of them may run a long query: the second long query is refused after a
    # second, and short queries are answered all along
    s = start_server(mini_build, tmp_path, "--timeout", "8", "--workers", "2", "--long-queries", "1", "--quiet")
    try:
        before = s.workers()
        first = _in_background(get, s, SLOW)
        assert _wait_for(lambda: any(_nice(p) > 0 for p in s.workers()), within=10)  # long now, and niced
        (niced,) = [p for p in s.workers() if _nice(p) > 0]
        started = time.monotonic()
        second = get(s, SLOW)
        assert second.status == 503 and "1 long queries are running already" in second.body.decode()
        assert second.headers["retry-after"] == "5"
        assert time.monotonic() - started < 5
        for _ in range(5):
            t = time.monotonic()
            r = get(s, UNIONS)
            assert r.status == 200 and time.monotonic() - t < 4  # not the 8 s of the long query
        assert not first.done()  # the long query still runs meanwhile
        r = first.result(timeout=30)
        assert r.status == 503 and "timed out after 8 s" in r.body.decode()
        assert _wait_for(lambda: not _alive(niced))  # a niced worker is not kept
        assert _wait_for(lambda: len(s.workers()) == 2 and all(_nice(p) == 0 for p in s.workers()))
        assert s.workers() != before
    finally:
        s.stop()


def test_two_long_queries_do_not_block_short_ones(mini_build, tmp_path):
    s = start_server(mini_build, tmp_path, "--timeout", "8", "--workers", "4", "--quiet")
    try:
        long = [_in_background(get, s, SLOW) for _ in range(2)]
        assert _wait_for(lambda: sum(_nice(p) > 0 for p in s.workers()) == 2, within=10)
        replies = []
        with ThreadPoolExecutor(max_workers=10) as pool:
            replies = list(pool.map(lambda _: get(s, UNIONS), range(20)))
        assert [r.status for r in replies] == [200] * 20
        assert not any(f.done() for f in long)
        assert [f.result(timeout=30).status for f in long] == [503, 503]
    finally:
        s.stop()


def test_sigint_stops_server_and_workers(mini_build, tmp_path):
    s = start_server(mini_build, tmp_path, "--workers", "2")
    assert len(s.workers()) == 2
    assert get(s, UNIONS).status == 200
    below = s.descendants()
    s.proc.send_signal(signal.SIGINT)
    assert s.proc.wait(timeout=15) == 0
    s.stop()
    assert _all_gone(below)
    log = s.log.read_text("utf-8")
    assert '"GET /sparql?query=' in log and "Traceback" not in log


def test_sigterm_ends_every_worker_even_a_busy_one(mini_build, tmp_path):
    s = start_server(mini_build, tmp_path, "--workers", "2", "--timeout", "60")
    busy = _in_background(get, s, SLOW)
    assert _wait_for(lambda: any(_nice(p) > 0 for p in s.workers()), within=10)
    below = s.descendants()
    assert len(below) >= 2
    started = time.monotonic()
    s.proc.send_signal(signal.SIGTERM)
    assert s.proc.wait(timeout=15) == 0
    assert time.monotonic() - started < 10
    s.stop()
    assert _all_gone(below)
    try:
        r = busy.result(timeout=15)
        assert r.status == 503 and "shutting down" in r.body.decode()
    except (urllib.error.URLError, ConnectionError):
        pass  # the connection closed before the answer: fine too
    assert "Traceback" not in s.log.read_text("utf-8")


def test_sigkill_of_the_server_takes_its_workers_along(mini_build, tmp_path):
    s = start_server(mini_build, tmp_path, "--workers", "2", "--timeout", "60", "--quiet")
    _in_background(get, s, SLOW)
    assert _wait_for(lambda: any(_nice(p) > 0 for p in s.workers()), within=10)
    below = s.descendants()
    s.proc.kill()
    s.proc.wait(timeout=15)
    s.stop()
    assert _all_gone(below)


# ----------------------------------------------------------------- rebuilds


def _count(server: Server) -> int:
    r = get(server, "SELECT (COUNT(*) AS ?n) WHERE { ?u a gh:TradeUnion }")
    assert r.status == 200, r.body
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def test_a_rebuild_is_served_whole_once_it_is_done(tmp_path):
    import kg

    one = tmp_path / "one.md"
    one.write_text("# 测试\n\n本报讯 哈尔滨市总工会近日召开会议。\n", "utf-8")
    two = tmp_path / "two.md"
    two.write_text("# 测试\n\n本报讯 哈尔滨市总工会近日召开会议。镇安县总工会开展送温暖活动。\n", "utf-8")
    out = tmp_path / "out"
    kg.build([str(one)], str(out), quiet=True)
    s = start_server(out, tmp_path, "--workers", "2", "--quiet")
    try:
        assert _count(s) == 1
        old = s.workers()
        stop = threading.Event()

        def keep_asking() -> list[int]:
            seen: list[int] = []
            while not stop.is_set() and seen[-3:] != [2, 2, 2]:
                seen.append(_count(s))
            return seen

        askers = [_in_background(keep_asking) for _ in range(3)]
        rebuild = subprocess.run([sys.executable, "-m", "kg", "build", str(two), "-o", str(out)],
                                 capture_output=True, text=True, encoding="utf-8", timeout=120, cwd=ROOT)  # fmt: skip
        assert rebuild.returncode == 0, rebuild.stderr
        try:
            answers = [a.result(timeout=30) for a in askers]
        finally:
            stop.set()
        for seen in answers:
            # each client sees the first build, then the second, never one after the other again
            assert seen[0] == 1 and seen[-3:] == [2, 2, 2], seen
            assert seen == sorted(seen), seen
        assert _wait_for(lambda: not s.workers() & old and len(s.workers()) == 2)  # the old workers left
        assert [_count(s) for _ in range(10)] == [2] * 10
    finally:
        s.stop()
    assert "the build changed; now serving" in s.log.read_text("utf-8")


def test_non_loopback_host_warns(mini_build, tmp_path):
    s = start_server(mini_build, tmp_path, "--host", "0.0.0.0", "--workers", "2")
    try:
        assert s.url.startswith("http://0.0.0.0:")
        log = s.log.read_text("utf-8")
        assert "warning: listening on 0.0.0.0" in log
    finally:
        s.stop()


def test_loopback_host_does_not_warn(server):
    assert urllib.parse.urlsplit(server.url).hostname == "127.0.0.1"
    assert "warning" not in server.log.read_text("utf-8")


def test_startup_errors(mini_build, tmp_path):
    missing = subprocess.run(
        [sys.executable, "-m", "kg", "serve", str(tmp_path / "none"), "--port", "0"],
        capture_output=True, text=True, encoding="utf-8", timeout=60, cwd=ROOT,
    )  # fmt: skip
    assert missing.returncode == 2
    assert missing.stderr.startswith("kg: error: ") and "no such build directory" in missing.stderr
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        busy = subprocess.run(
            [sys.executable, "-m", "kg", "serve", str(mini_build), "--port", str(port), "--workers", "2"],
            capture_output=True, text=True, encoding="utf-8", timeout=60, cwd=ROOT,
        )  # fmt: skip
    assert busy.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in busy.stderr
    assert "Traceback" not in busy.stderr


def test_a_store_that_cannot_be_opened_leaves_the_previous_one_served(mini_build, writable_copy, tmp_path):
    out = writable_copy(mini_build)
    s = start_server(out, tmp_path, "--workers", "2", "--quiet")
    try:
        before = total(s)
        (out / "store").rename(out / "store.old")
        (out / "store").mkdir()  # what a half-published build might leave
        assert _wait_for(lambda: "still serving the previous store" in s.log.read_text("utf-8"), within=20)
        assert total(s) == before
        log = s.log.read_text("utf-8")
        assert log.count("\n") == 1 and "cannot open the store" in log  # said once, not again and again
        time.sleep(1.5)
        assert s.log.read_text("utf-8") == log
    finally:
        s.stop()


def test_worker_options_are_checked(mini_build):
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "kg", "serve", str(mini_build), "--port", "0", *args],
            capture_output=True, text=True, encoding="utf-8", timeout=60, cwd=ROOT,
        )  # fmt: skip

    same = run("--workers", "2", "--long-queries", "2")
    assert same.returncode == 2
    assert same.stderr == (
        "kg: error: --long-queries must be less than --workers (2), so that short queries find a worker\n"
    )
    one = run("--workers", "1")
    assert one.returncode == 2 and "--workers" in one.stderr and "Traceback" not in one.stderr
