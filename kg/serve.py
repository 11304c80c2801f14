"""A read-only SPARQL 1.1 Protocol endpoint over a build (``kg serve OUT``).

``/sparql`` answers queries sent the three ways of the SPARQL 1.1 Protocol
(GET ``?query=``, POST ``application/x-www-form-urlencoded``, POST
``application/sparql-query``), with the protocol's ``default-graph-uri`` and
``named-graph-uri`` parameters.  ``/`` is a small self-contained page to try
queries in a browser.  The graphs and predeclared prefixes are those of
:func:`kg.query.run_query`.

Read-only, three times over: updates (``update=``, ``application/sparql-update``,
a query text that is an update) and the methods PUT, DELETE and PATCH are
refused before anything runs; the query engine's parser accepts no updates;
and the store is opened with ``Store.read_only``.  ``SERVICE`` clauses are
refused too, because they would make the server send requests to any address
a client names.

Timeouts.  pyoxigraph cannot cancel a running query, and a thread that runs a
runaway query keeps a core busy until the query ends.  Queries therefore run in
a small pool of worker *processes*, each with its own read-only handle on the
store; a query that exceeds ``timeout`` gets ``503`` and its worker is killed
and replaced.  The price is a process start (under a second) after each
timeout and one store handle per worker; the gain is that a bad query
cannot eat the machine.  When every worker is busy a request waits for one,
within the same ``timeout``.

Answers are capped at ``max_rows`` rows (or triples); a cut answer carries
``X-KG-Truncated: true``.  Every answer carries
``Access-Control-Allow-Origin: *`` so pages on other origins may query.
"""

from __future__ import annotations

import ipaddress
import os
import queue
import re
import socket
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO, Any

from .errors import InputError, QueryError

__all__ = [
    "DEFAULT_PORT",
    "MAX_BODY",
    "SparqlServer",
    "is_loopback",
    "make_server",
    "negotiate",
    "serve",
]

DEFAULT_PORT = 7878
#: Largest request body accepted, in bytes.
MAX_BODY = 1 << 20
#: Largest body read and thrown away before refusing it (so the client sees the answer).
_DRAIN_LIMIT = 16 << 20

#: Media types offered for SELECT and ASK results, best first.
RESULT_TYPES: tuple[tuple[str, str], ...] = (
    ("application/sparql-results+json", "json"),
    ("application/json", "json"),
    ("application/sparql-results+xml", "xml"),
    ("application/xml", "xml"),
    ("text/csv", "csv"),
    ("text/tab-separated-values", "tsv"),
    ("text/xml", "xml"),
)
#: Media types offered for CONSTRUCT and DESCRIBE results, best first.
GRAPH_TYPES: tuple[tuple[str, str], ...] = (
    ("text/turtle", "ttl"),
    ("application/x-turtle", "ttl"),
    ("text/n3", "ttl"),
    ("application/n-triples", "nt"),
    ("text/plain", "nt"),
    ("application/rdf+xml", "rdfxml"),
    ("application/ld+json", "jsonld"),
)
CONTENT_TYPES: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "ttl": "text/turtle; charset=utf-8",
    "nt": "application/n-triples",
    "rdfxml": "application/rdf+xml",
    "jsonld": "application/ld+json",
}
# Short names clients put in ``format=`` / ``output=``: (for results, for graphs).
_FORMAT_NAMES: dict[str, tuple[str | None, str | None]] = {
    "json": ("json", "jsonld"),
    "xml": ("xml", "rdfxml"),
    "csv": ("csv", None),
    "tsv": ("tsv", None),
    "turtle": (None, "ttl"),
    "ttl": (None, "ttl"),
    "n3": (None, "ttl"),
    "nt": (None, "nt"),
    "ntriples": (None, "nt"),
    "n-triples": (None, "nt"),
    "rdf": (None, "rdfxml"),
    "rdfxml": (None, "rdfxml"),
    "rdf+xml": (None, "rdfxml"),
    "jsonld": (None, "jsonld"),
    "json-ld": (None, "jsonld"),
}
_CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "X-KG-Truncated",
}
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


class _HttpError(Exception):
    """An answer other than 200, with a one-line message."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


# --------------------------------------------------------------- negotiation


def _accept_ranges(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if "/" not in media:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        ranges.append((media, min(max(q, 0.0), 1.0)))
    return ranges


def _quality(media: str, ranges: list[tuple[str, float]]) -> float:
    """q of the most specific range that matches ``media`` (0 when none does)."""
    kind = media.split("/", 1)[0]
    best, spec = 0.0, -1
    for r, q in ranges:
        s = 2 if r == media else 1 if r == kind + "/*" else 0 if r == "*/*" else -1
        if s > spec:
            best, spec = q, s
    return best if spec >= 0 else 0.0


def negotiate(kind: str, accept: str | None = None, formats: list[str] | None = None) -> str:
    """The output format for a result of ``kind`` (``select``, ``ask`` or ``graph``).

    A ``format``/``output`` value that fits the result wins; then the best
    match of the ``Accept`` header; then the default (SPARQL JSON results,
    or Turtle for graphs).  Nothing is ever refused: a client that asks for
    something unknown gets the default.

    >>> negotiate("select", "text/csv, application/sparql-results+json;q=0.5")
    'csv'
    >>> negotiate("graph", "application/sparql-results+json")
    'ttl'
    >>> negotiate("select", None, ["xml"])
    'xml'
    """
    graph = kind == "graph"
    offers = GRAPH_TYPES if graph else RESULT_TYPES
    for value in formats or []:
        v = value.strip().lower()
        if v in _FORMAT_NAMES:
            fmt = _FORMAT_NAMES[v][1 if graph else 0]
            if fmt:
                return fmt
        media = v.split(";", 1)[0].strip()
        for m, fmt in offers:
            if m == media:
                return fmt
    if accept:
        ranges = _accept_ranges(accept)
        scored = [(_quality(m, ranges), -i, fmt) for i, (m, fmt) in enumerate(offers)]
        q, _, fmt = max(scored)
        if q > 0:
            return fmt
    return offers[0][1]


# -------------------------------------------------------------------- workers


@dataclass(slots=True)
class _Job:
    query: str
    accept: str
    formats: list[str]
    default_graphs: list[str]
    named_graphs: list[str]


def _answer(store: Any, job: _Job, max_rows: int) -> tuple[int, str, bytes, dict[str, str]]:
    """Run one job against an open store: (status, content type, body, extra headers)."""
    from .query import format_result, run_query

    try:
        result = run_query(
            store, job.query, limit=max_rows, default_graphs=job.default_graphs, named_graphs=job.named_graphs
        )
        fmt = negotiate(result.kind, job.accept, job.formats)
        body = format_result(result, fmt)
    except QueryError as e:
        return 400, "text/plain; charset=utf-8", f"{e}\n".encode(), {}
    except Exception as e:  # a bug: say so, keep serving
        return 500, "text/plain; charset=utf-8", f"internal error: {type(e).__name__}: {e}\n".encode(), {}
    assert isinstance(body, bytes)
    return 200, CONTENT_TYPES[fmt], body, {"X-KG-Truncated": "true" if result.truncated else "false"}


def _worker_main(store_dir: str, max_rows: int, conn: Any) -> None:
    """A worker process: open the store read-only, answer jobs until the pipe closes."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    import pyoxigraph

    from . import query  # noqa: F401 (loaded now rather than on the first job)

    store = pyoxigraph.Store.read_only(store_dir)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(_answer(store, job, max_rows))
        except (BrokenPipeError, OSError):
            return


class _Worker:
    def __init__(self, ctx: Any, store_dir: str, max_rows: int) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(
            target=_worker_main, args=(store_dir, max_rows, child), name="kg-serve-worker", daemon=True
        )
        self.proc.start()
        child.close()

    def stop(self) -> None:
        try:
            self.conn.close()
        finally:
            if self.proc.is_alive():
                self.proc.kill()
            self.proc.join(timeout=5)


class _Pool:
    """Worker processes handing out answers; a worker that overruns is killed and replaced."""

    def __init__(self, store_dir: str, size: int, max_rows: int) -> None:
        import multiprocessing

        self._ctx = multiprocessing.get_context("spawn")
        self._store_dir = store_dir
        self._max_rows = max_rows
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(size):
            self._add()

    def _add(self) -> None:
        w = _Worker(self._ctx, self._store_dir, self._max_rows)
        with self._lock:
            if self._closed:
                w.stop()
                return
            self._all.add(w)
        self._idle.put(w)

    def _drop(self, w: _Worker) -> None:
        with self._lock:
            self._all.discard(w)
        w.stop()

    def pids(self) -> list[int]:
        """Process ids of the live workers."""
        with self._lock:
            return [w.proc.pid for w in self._all if w.proc.pid is not None]

    def run(self, job: _Job, timeout: float) -> tuple[int, str, bytes, dict[str, str]]:
        if self._closed:
            raise _HttpError(503, "the server is shutting down")
        deadline = time.monotonic() + timeout
        try:
            w = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise _HttpError(503, f"all query workers stayed busy for {timeout:g} s; try again later",
                             {"Retry-After": "5"}) from None  # fmt: skip
        try:
            w.conn.send(job)
            if w.conn.poll(max(0.0, deadline - time.monotonic())):
                answer: tuple[int, str, bytes, dict[str, str]] = w.conn.recv()
                self._idle.put(w)
                return answer
        except (EOFError, OSError):
            self._drop(w)
            self._add()
            raise _HttpError(500, "the query worker stopped unexpectedly") from None
        self._drop(w)
        self._add()
        raise _HttpError(503, f"query timed out after {timeout:g} s (the server's --timeout)")

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            w.stop()


# --------------------------------------------------------------------- server


def is_loopback(host: str) -> bool:
    """True when ``host`` only accepts connections from this machine.

    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server; ``url`` is the endpoint's address once bound."""

    daemon_threads = True

    pool: _Pool | None = None

    def __init__(
        self,
        address: tuple[str, int],
        *,
        timeout: float,
        max_rows: int,
        quiet: bool,
        log: IO[str] | None = None,
    ) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.query_timeout = timeout
        self.max_rows = max_rows
        self.quiet = quiet
        self.log = log
        super().__init__(address, _Handler)

    @property
    def url(self) -> str:
        """``http://HOST:PORT/sparql`` with the port actually bound."""
        host, port = self.server_address[:2]
        if isinstance(host, bytes):
            host = host.decode()
        shown = f"[{host}]" if ":" in str(host) else str(host)
        return f"http://{shown}:{port}/sparql"

    def server_close(self) -> None:
        super().server_close()
        if self.pool is not None:
            self.pool.close()


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "gonghui-kg"
    sys_version = ""
    timeout = 60  # seconds a client may take to send its request
    default_request_version = "HTTP/1.0"  # answer even a garbled request line with a status line

    def version_string(self) -> str:
        return self.server_version

    # -- plumbing

    def _send(self, status: int, ctype: str, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in {**_CORS, **(headers or {})}.items():
            self.send_header(k, v)
        self.end_headers()
        if getattr(self, "command", None) != "HEAD":
            self.wfile.write(body)

    def _text(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        self._send(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"), headers)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Errors found by the request parser, as one line of text like every other error."""
        self.close_connection = True
        try:
            phrase = HTTPStatus(code).phrase
        except ValueError:
            phrase = "error"
        self._text(code, message or phrase, {"Connection": "close"})

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class's name)
        if not self.server.quiet:
            out = self.server.log or sys.stderr
            out.write(f"{self.address_string()} - {format % args}\n")
            out.flush()

    def _run(self, fn: Any, *args: Any) -> None:
        try:
            fn(*args)
        except _HttpError as e:
            self._text(e.status, e.message, e.headers)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as e:  # a bug; answer and keep serving
            self.log_error("internal error: %r", e)
            self._text(500, f"internal error: {type(e).__name__}")

    # -- methods

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._run(self._get)

    def do_POST(self) -> None:  # noqa: N802
        self._run(self._post)

    def do_OPTIONS(self) -> None:  # noqa: N802
        self.send_response(204)
        for k, v in _CORS.items():
            self.send_header(k, v)
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Accept, Content-Type")
        self.send_header("Access-Control-Max-Age", "86400")
        self.send_header("Allow", "GET, POST, OPTIONS")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _read_only(self) -> None:
        self._text(405, f"{self.command} refused: this SPARQL endpoint is read-only",
                   {"Allow": "GET, POST, OPTIONS"})  # fmt: skip

    do_PUT = do_DELETE = do_PATCH = _read_only

    # -- routes

    def _split(self) -> tuple[str, str]:
        path, _, qs = self.path.partition("?")
        return path, qs

    def _get(self) -> None:
        path, qs = self._split()
        if path in ("/", "/index.html"):
            self._send(200, "text/html; charset=utf-8", _page(), {"Content-Security-Policy": _CSP})
            return
        if path != "/sparql":
            raise _HttpError(404, f"no such page: {path} (the endpoint is /sparql)")
        self._query(_params(qs), None)

    def _post(self) -> None:
        path, qs = self._split()
        if path != "/sparql":
            self._discard_body()
            raise _HttpError(404, f"no such page: {path} (the endpoint is /sparql)")
        ctype = (self.headers.get("Content-Type") or "").split(";", 1)
        media = ctype[0].strip().lower()
        if media == "application/sparql-update":
            self._discard_body()
            raise _HttpError(403, "SPARQL Update refused: this endpoint is read-only")
        if media not in ("application/x-www-form-urlencoded", "application/sparql-query"):
            self._discard_body()
            raise _HttpError(
                415,
                "send the query as application/sparql-query or application/x-www-form-urlencoded "
                f"(got {media or 'no Content-Type'})",
            )
        body = self._body()
        params = _params(qs)
        if media == "application/sparql-query":
            try:
                text = body.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise _HttpError(400, "the query is not UTF-8 text") from None
            self._query(params, text)
        else:
            try:
                form = body.decode("ascii")
            except UnicodeDecodeError:
                raise _HttpError(400, "a form body must be percent-encoded ASCII") from None
            for k, v in _params(form).items():
                params.setdefault(k, []).extend(v)
            self._query(params, None)

    def _length(self) -> int:
        raw = self.headers.get("Content-Length")
        if raw is None:
            if self.headers.get("Transfer-Encoding"):
                self.close_connection = True
                raise _HttpError(411, "send a Content-Length (chunked bodies are not accepted)")
            return 0
        try:
            n = int(raw)
        except ValueError:
            n = -1
        if n < 0:
            self.close_connection = True
            raise _HttpError(400, f"bad Content-Length: {raw!r}")
        return n

    def _discard_body(self) -> None:
        n = self._length()
        if n > _DRAIN_LIMIT:
            self.close_connection = True
            return
        while n > 0:
            chunk = self.rfile.read(min(n, 65536))
            if not chunk:
                break
            n -= len(chunk)

    def _body(self) -> bytes:
        n = self._length()
        if n > MAX_BODY:
            self._discard_body()
            raise _HttpError(413, f"request body too large ({n} bytes; the limit is {MAX_BODY})")
        data = self.rfile.read(n)
        if len(data) < n:
            self.close_connection = True
            raise _HttpError(400, "request body shorter than its Content-Length")
        return data

    def _query(self, params: dict[str, list[str]], body_query: str | None) -> None:
        from .query import query_form, uses_service

        if "update" in params:
            raise _HttpError(403, "SPARQL Update refused: this endpoint is read-only")
        queries = params.get("query", []) + ([body_query] if body_query is not None else [])
        if len(queries) > 1:
            raise _HttpError(400, "more than one query in the request")
        if not queries or not queries[0].strip():
            raise _HttpError(400, "no query: send ?query=… (GET) or a POST body")
        text = queries[0]
        if query_form(text) == "update":
            raise _HttpError(403, "SPARQL Update refused: this endpoint is read-only")
        if uses_service(text):
            raise _HttpError(403, "SERVICE refused: this endpoint does not call other endpoints")
        formats = params.get("format", []) + params.get("output", []) + params.get("results", [])
        job = _Job(
            query=text,
            accept=self.headers.get("Accept") or "",
            formats=formats,
            default_graphs=params.get("default-graph-uri", []),
            named_graphs=params.get("named-graph-uri", []),
        )
        pool = self.server.pool
        if pool is None:
            raise _HttpError(503, "the server is not ready")
        status, ctype, body, headers = pool.run(job, self.server.query_timeout)
        if status == 200:
            self._send(status, ctype, body, headers)
        else:
            self._send(status, ctype, body)


def _params(qs: str) -> dict[str, list[str]]:
    """Parse ``a=1&b=2``; bad percent-encoding or non-UTF-8 text is a 400."""
    if not qs:
        return {}
    if _BAD_PERCENT.search(qs):
        raise _HttpError(400, "bad percent-encoding in the request")
    try:
        return urllib.parse.parse_qs(qs, keep_blank_values=True, errors="strict", max_num_fields=200)
    except UnicodeDecodeError:
        raise _HttpError(400, "the request's parameters are not UTF-8") from None
    except ValueError as e:
        raise _HttpError(400, f"bad request parameters: {e}") from None


def make_server(
    build_dir: str | os.PathLike[str],
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    *,
    timeout: float = 30.0,
    max_rows: int = 10000,
    workers: int | None = None,
    quiet: bool = False,
    log: IO[str] | None = None,
) -> SparqlServer:
    """Bind a server for the build in ``build_dir`` (not yet serving).

    Parameters
    ----------
    build_dir
        A ``kg build`` output directory.
    host, port
        Where to listen; port 0 picks a free port (see ``SparqlServer.url``).
    timeout
        Seconds a query may take, waiting for a worker included.
    max_rows
        Rows (or triples) at most in one answer.
    workers
        Query worker processes; by default the number of CPUs, at most 4.
    quiet
        Do not log requests.
    log
        Where request lines go (standard error by default).

    Call ``serve_forever()`` on the result, and ``server_close()`` to stop
    the workers.
    """
    from .store import current_build, open_store

    if timeout <= 0:
        raise InputError("--timeout must be positive")
    if max_rows < 1:
        raise InputError("--max-rows must be at least 1")
    build = current_build(build_dir)  # the published generation: served as it is, whatever is built later
    store = open_store(build.path, read_only=True)  # checks the build before anything starts
    del store
    size = workers if workers and workers > 0 else min(4, os.cpu_count() or 1)
    try:
        server = SparqlServer((host, port), timeout=timeout, max_rows=max_rows, quiet=quiet, log=log)
    except OSError as e:
        raise InputError(f"cannot listen on {host}:{port} ({e.strerror or e})") from None
    server.pool = _Pool(str(Path(build.path) / "store"), size, max_rows)
    return server


def serve(
    build_dir: str | os.PathLike[str],
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    *,
    timeout: float = 30.0,
    max_rows: int = 10000,
    workers: int | None = None,
    quiet: bool = False,
    out: IO[str] | None = None,
    err: IO[str] | None = None,
) -> None:
    """Serve the build until interrupted; prints ``kg serve: URL`` once listening."""
    out = out or sys.stdout
    err = err or sys.stderr
    server = make_server(
        build_dir, host, port, timeout=timeout, max_rows=max_rows, workers=workers, quiet=quiet, log=err
    )
    try:
        if not is_loopback(host):
            err.write(
                f"kg serve: warning: listening on {host}, so other machines can reach this endpoint "
                "(it has no authentication)\n"
            )
            err.flush()
        out.write(f"kg serve: {server.url}\n")
        out.flush()
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def _page() -> bytes:
    """The query page, with the predeclared prefixes for shortening IRIs."""
    import json

    from .namespace import PREFIXES

    return _PAGE.replace("__PREFIXES__", json.dumps(PREFIXES)).encode("utf-8")


_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'"
)

_PAGE = """<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>gonghui-kg SPARQL</title>
<style>
body { font: 15px/1.45 system-ui, "Noto Sans CJK SC", sans-serif; margin: 1.5em; color: #222; }
textarea { width: 100%; height: 11em; font: 14px/1.4 ui-monospace, monospace; box-sizing: border-box; }
button { font-size: 15px; padding: .3em 1.2em; margin: .5em 0; }
table { border-collapse: collapse; margin-top: .5em; }
th, td { border: 1px solid #ccc; padding: .2em .6em; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
#status { color: #555; margin-left: 1em; }
.error { color: #b00020; white-space: pre-wrap; }
pre { background: #f7f7f7; padding: .6em; overflow: auto; }
</style>
</head>
<body>
<h1>工会新闻知识图谱 · SPARQL</h1>
<p>The default graph holds the facts; evidence sits in named graphs (<code>GRAPH ?ev { … }</code>).
Prefixes gh, id, rdf, rdfs, owl, xsd, skos, org, schema, prov, oa, foaf and dcterms are predeclared.
Ctrl+Enter runs the query.</p>
<textarea id="query" spellcheck="false">SELECT ?union ?name ?place WHERE {
  ?union a gh:TradeUnion ; rdfs:label ?name .
  OPTIONAL { ?union gh:locatedIn/rdfs:label ?place }
}
ORDER BY ?name
LIMIT 50</textarea>
<div><button id="run" type="button">Run</button><span id="status"></span></div>
<div id="results"></div>
<script>
"use strict";
const $ = (id) => document.getElementById(id);
const PREFIXES = Object.entries(__PREFIXES__).sort((a, b) => b[1].length - a[1].length);
function shorten(iri) {
  for (const [p, ns] of PREFIXES) {
    if (iri.startsWith(ns) && iri.length > ns.length) return p + ":" + iri.slice(ns.length);
  }
  return "<" + iri + ">";
}
function cell(term) {
  if (!term) return "";
  if (term.type === "uri") return shorten(term.value);
  if (term.type === "triple") {
    return "<< " + ["subject", "predicate", "object"].map((k) => cell(term.value[k])).join(" ") + " >>";
  }
  if (term.type === "bnode") return "_:" + term.value;
  return term.value;
}
function table(vars, rows) {
  const t = document.createElement("table");
  const head = t.createTHead().insertRow();
  for (const v of vars) { const th = document.createElement("th"); th.textContent = v; head.appendChild(th); }
  const body = t.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    for (const v of vars) tr.insertCell().textContent = cell(row[v]);
  }
  return t;
}
async function run() {
  const out = $("results"), status = $("status");
  out.textContent = ""; status.textContent = "running…";
  const started = performance.now();
  try {
    const resp = await fetch("sparql", {
      method: "POST",
      headers: { "Content-Type": "application/sparql-query",
                 "Accept": "application/sparql-results+json, text/turtle;q=0.9" },
      body: $("query").value,
    });
    const text = await resp.text();
    const ms = Math.round(performance.now() - started);
    if (!resp.ok) {
      const p = document.createElement("p"); p.className = "error"; p.textContent = resp.status + ": " + text;
      out.appendChild(p); status.textContent = ""; return;
    }
    const cut = resp.headers.get("X-KG-Truncated") === "true" ? " (cut at the server's row limit)" : "";
    if ((resp.headers.get("Content-Type") || "").includes("json")) {
      const data = JSON.parse(text);
      if ("boolean" in data) {
        out.textContent = String(data.boolean); status.textContent = ms + " ms"; return;
      }
      out.appendChild(table(data.head.vars, data.results.bindings));
      status.textContent = data.results.bindings.length + " rows" + cut + ", " + ms + " ms";
    } else {
      const pre = document.createElement("pre"); pre.textContent = text; out.appendChild(pre);
      status.textContent = ms + " ms" + cut;
    }
  } catch (e) {
    status.textContent = ""; out.textContent = "request failed: " + e;
  }
}
$("run").addEventListener("click", run);
$("query").addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) run(); });
</script>
</body>
</html>
"""
