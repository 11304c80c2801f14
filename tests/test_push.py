"""``kg push`` into a real Oxigraph server (the ``oxigraph`` package's CLI) on 127.0.0.1."""

from __future__ import annotations

import base64
import json
import shutil
import socket
import socketserver
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import make_build_from_trig

from kg.cli import cli
from kg.errors import BuildDirError, InputError
from kg.sparql.push import PushError, push

GRAPH = "https://example.org/kg/工会/2022"
ALL = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
DEFAULT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
NAMED = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _oxigraph() -> str:
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    assert found, "the oxigraph server is part of the test extra: pip install '.[test]'"
    return found


@dataclass
class Oxigraph:
    base: str

    @property
    def store(self) -> str:
        return f"{self.base}/store"

    @property
    def update(self) -> str:
        return f"{self.base}/update"

    def ask(self, query: str) -> int:
        body = urllib.parse.urlencode({"query": query}).encode()
        req = urllib.request.Request(f"{self.base}/query", data=body,
                                     headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            return int(json.load(r)["results"]["bindings"][0]["n"]["value"])

    def quads(self) -> set[str]:
        import pyoxigraph as ox

        req = urllib.request.Request(self.store, headers={"Accept": "application/n-quads"})
        with urllib.request.urlopen(req, timeout=30) as r:
            return {str(q) for q in ox.parse(r.read(), format=ox.RdfFormat.N_QUADS)}

    def clear(self) -> None:
        req = urllib.request.Request(self.update, data=b"CLEAR ALL", method="POST",
                                     headers={"Content-Type": "application/sparql-update"})
        with urllib.request.urlopen(req, timeout=30):
            pass


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Oxigraph]:
    port = _free_port()
    data = tmp_path_factory.mktemp("oxigraph")
    log = (data / "server.log").open("wb")
    cmd = [_oxigraph(), "serve", "--location", str(data / "db"), "--bind", f"127.0.0.1:{port}"]
    proc = subprocess.Popen(cmd,
                            stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                assert proc.poll() is None, (data / "server.log").read_text()
                assert time.monotonic() < deadline, "oxigraph server did not start"
                time.sleep(0.05)
        yield Oxigraph(base)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


@pytest.fixture
def empty(server: Oxigraph) -> Oxigraph:
    server.clear()
    return server


def _build_quads(build: Path) -> tuple[set[str], int, int]:
    """Every quad of a build, its default-graph size and its number of named graphs."""
    import pyoxigraph as ox

    store = ox.Store.read_only(str(build / "store"))
    quads = {str(q) for q in store}
    facts = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    graphs = sum(1 for _ in store.named_graphs())
    return quads, facts, graphs


# ------------------------------------------------------------------ both protocols


@pytest.mark.parametrize("protocol", ["gsp", "update"])
def test_push_mini_build_gives_the_same_dataset(empty: Oxigraph, mini_build: Path, protocol: str) -> None:
    quads, facts, graphs = _build_quads(mini_build)
    url = empty.store if protocol == "gsp" else empty.update
    result = push(mini_build, url, protocol=protocol, batch=7)
    assert empty.quads() == quads
    assert empty.ask(ALL) == len(quads) and empty.ask(DEFAULT) == facts and empty.ask(NAMED) == graphs
    assert result.quads == len(quads) and result.facts == facts and result.graphs == graphs
    assert result.requests == -(-len(quads) // 7)


@pytest.mark.parametrize("protocol", ["gsp", "update"])
def test_push_page_build(empty: Oxigraph, page_build: Path, protocol: str) -> None:
    quads, facts, graphs = _build_quads(page_build)
    url = empty.store if protocol == "gsp" else empty.update
    result = push(page_build, url, protocol=protocol, batch=1000)
    assert empty.ask(ALL) == len(quads) == result.quads
    assert empty.ask(DEFAULT) == facts and empty.ask(NAMED) == graphs
    assert result.requests > 1
    # again: nothing doubles
    push(page_build, url, protocol=protocol)
    assert empty.quads() == quads


@pytest.mark.parametrize("protocol", ["gsp", "update"])
def test_facts_into_a_named_graph(empty: Oxigraph, mini_build: Path, protocol: str) -> None:
    quads, facts, graphs = _build_quads(mini_build)
    url = empty.store if protocol == "gsp" else empty.update
    push(mini_build, url, protocol=protocol, graph=GRAPH, batch=10)
    assert empty.ask(DEFAULT) == 0
    assert empty.ask(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}") == facts
    assert empty.ask(NAMED) == graphs + 1
    assert empty.ask(ALL) == len(quads)


@pytest.mark.parametrize("graph", [None, GRAPH])
def test_facts_only_with_plain_graph_store_requests(empty: Oxigraph, mini_build: Path,
                                                    graph: str | None) -> None:
    _, facts, _ = _build_quads(mini_build)
    result = push(mini_build, empty.store, facts_only=True, graph=graph, batch=10)
    assert result.graphs == 0 and result.quads == result.facts == facts
    assert empty.ask(ALL) == facts
    where = "?s ?p ?o" if graph is None else f"GRAPH <{graph}> {{ ?s ?p ?o }}"
    assert empty.ask(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}") == facts


def test_blank_nodes_travel_together(empty: Oxigraph, tmp_path: Path) -> None:
    trig = tmp_path / "blank.trig"
    trig.write_text("""
        @prefix ex: <https://example.org/> .
        ex:a ex:p ex:b . ex:c ex:p ex:d . ex:e ex:p ex:f .
        _:x ex:q "1" ; ex:r "2" ; ex:s "3" .
        ex:g { _:y ex:q "4" ; ex:r "5" . }
    """, "utf-8")
    build = make_build_from_trig(trig, tmp_path / "out")
    for protocol, url in (("gsp", empty.store), ("update", empty.update)):
        empty.clear()
        push(build, url, protocol=protocol, batch=1)
        # one subject carries q, r and s: the blank node was not split across requests
        assert empty.ask("SELECT (COUNT(*) AS ?n) WHERE { ?x <https://example.org/q> ?q ; "
                         "<https://example.org/r> ?r ; <https://example.org/s> ?s }") == 1
        assert empty.ask("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?x <https://example.org/q> ?q ; "
                         "<https://example.org/r> ?r } }") == 1


def test_cli_push(empty: Oxigraph, mini_build: Path) -> None:
    quads, _, _ = _build_quads(mini_build)
    r = CliRunner().invoke(cli, ["push", str(mini_build), "--endpoint", empty.update, "--protocol", "update"])
    assert r.exit_code == 0, r.output
    assert f"pushed {len(quads):,} quads" in r.output
    assert empty.quads() == quads


# ------------------------------------------------------------------ errors


def test_connection_refused(mini_build: Path) -> None:
    url = f"http://127.0.0.1:{_free_port()}/store"
    refused = r"^cannot push to .*: connection refused \(is the store running\?\)$"
    with pytest.raises(PushError, match=refused):
        push(mini_build, url)
    r = CliRunner().invoke(cli, ["push", str(mini_build), "--endpoint", url])
    assert r.exit_code == 1
    assert r.output.strip().splitlines() == [f"kg: error: cannot push to {url}: connection refused "
                                             "(is the store running?)"]


def test_not_found_shows_the_server_message(server: Oxigraph, mini_build: Path) -> None:
    with pytest.raises(PushError, match=r"HTTP 404 Not Found: .*is this the Graph Store endpoint"):
        push(mini_build, f"{server.base}/nowhere")


def test_bad_request_shows_the_server_message(server: Oxigraph, mini_build: Path) -> None:
    # a Graph Store upload sent to the update endpoint: the server says what it expected
    with pytest.raises(PushError, match=r"/update: HTTP 4\d\d .+: .+") as e:
        push(mini_build, server.update, protocol="gsp")
    assert "\n" not in str(e.value)


class _Stub(BaseHTTPRequestHandler):
    """A store that wants a password, fails, or is slow, as the path says."""

    seen: list[tuple[str, str | None, bytes]] = []

    def do_POST(self) -> None:  # noqa: N802
        try:
            self._post()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting

    def _post(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.seen.append((self.path, self.headers.get("Authorization"), body))
        if self.path.startswith("/slow"):
            time.sleep(2)
        if self.path.startswith("/broken") or (self.path.startswith("/second")
                                               and sum(p == self.path for p, _, _ in self.seen) > 1):
            self._answer(503, "store is read-only for maintenance")
        elif self.path.startswith("/auth") and self.headers.get("Authorization") != \
                "Basic " + base64.b64encode(b"kg:s3cret").decode():
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="kg"')
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self._answer(204, "")

    def _answer(self, code: int, text: str) -> None:
        data = text.encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def stub() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Stub)
    httpd.daemon_threads = True
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_server_error_and_partial_push(stub: str, mini_build: Path) -> None:
    said = r"/broken: HTTP 503 Service Unavailable: store is read-only for maintenance$"
    with pytest.raises(PushError, match=said):
        push(mini_build, f"{stub}/broken")
    with pytest.raises(PushError, match=r"/second: HTTP 503 .*maintenance \(after 10 quads were stored\)$"):
        push(mini_build, f"{stub}/second", batch=10)


def test_timeout(stub: str, mini_build: Path) -> None:
    with pytest.raises(PushError, match=r"/slow: no answer within 0.3 s$"):
        push(mini_build, f"{stub}/slow", timeout=0.3)


def test_basic_authentication(stub: str, mini_build: Path) -> None:
    with pytest.raises(PushError, match="HTTP 401 .*give --user"):
        push(mini_build, f"{stub}/auth")
    _Stub.seen.clear()
    result = push(mini_build, f"{stub}/auth?x=1", user="kg", password="s3cret", facts_only=True, graph=GRAPH,
                  batch=20)
    assert result.requests == len(_Stub.seen) > 1
    path, auth, body = _Stub.seen[0]
    assert path == "/auth?x=1&graph=" + urllib.parse.quote(GRAPH, safe="")
    assert auth is not None and auth.startswith("Basic ")
    assert "徐昌顺".encode() in b"".join(b for _, _, b in _Stub.seen)


def test_bad_arguments(mini_build: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not an HTTP endpoint"):
        push(mini_build, "ftp://example.org/store")
    with pytest.raises(InputError, match="not an absolute IRI"):
        push(mini_build, "http://127.0.0.1:9/store", graph="no iri")
    with pytest.raises(InputError, match="unknown protocol"):
        push(mini_build, "http://127.0.0.1:9/store", protocol="ftp")
    with pytest.raises(BuildDirError):
        push(tmp_path, "http://127.0.0.1:9/store")
    r = CliRunner().invoke(cli, ["push", str(tmp_path / "none"), "--endpoint", "http://127.0.0.1:9/store"])
    assert r.exit_code == 2 and r.output.startswith("kg: error: ") and len(r.output.strip().splitlines()) == 1


# ------------------------------------------------- answers that are not HTTP


class _Raw(socketserver.BaseRequestHandler):
    """A server that says, on the path's behalf, something a store would never say."""

    def handle(self) -> None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = self.request.recv(65536)
            if not chunk:
                return
            data += chunk
        path = data.split(b" ", 2)[1]
        if path.startswith(b"/ssh"):
            self.request.sendall(b"SSH-2.0-OpenSSH_9.6\r\n")
        elif path.startswith(b"/cut"):
            self.request.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly a part")
        elif path.startswith(b"/silent"):
            time.sleep(2)
        # /hangup: close at once


@pytest.fixture(scope="module")
def raw() -> Iterator[str]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Raw)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("path,said", [
    ("/ssh", "the answer is not HTTP (is this the store's address and port?)"),
    ("/hangup", "the server closed the connection without answering"),
    ("/cut", "the answer broke off after 11 bytes"),
    ("/silent", "no answer within 0.5 s"),
])  # fmt: skip
def test_every_failure_is_one_line(raw: str, mini_build: Path, path: str, said: str) -> None:
    url = raw + path
    with pytest.raises(PushError) as e:
        push(mini_build, url, timeout=0.5)
    assert str(e.value) == f"cannot push to {url}: {said}"
    cli_run = subprocess.run(
        [sys.executable, "-m", "kg", "push", str(mini_build), "--endpoint", url, "--timeout", "0.5"],
        capture_output=True, text=True, encoding="utf-8", timeout=60, cwd=Path(__file__).parent.parent,
    )  # fmt: skip
    assert cli_run.returncode == 1
    assert cli_run.stderr == f"kg: error: cannot push to {url}: {said}\n"


def test_unusable_endpoints_are_input_errors(mini_build: Path) -> None:
    for url in ("http://[::1/store", "http://127.0.0.1:99999/store", "http:///store"):
        r = CliRunner().invoke(cli, ["push", str(mini_build), "--endpoint", url])
        assert r.exit_code == 2, (url, r.output)
        assert r.output.startswith(f"kg: error: {url}: ") and len(r.output.strip().splitlines()) == 1
