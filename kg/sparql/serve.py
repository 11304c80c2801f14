"""A read-only SPARQL 1.1 Protocol endpoint over a build (``kg serve OUT``).

``/sparql`` answers queries sent the three ways of the SPARQL 1.1 Protocol
(GET ``?query=``, POST ``application/x-www-form-urlencoded``, POST
``application/sparql-query``), with the protocol's ``default-graph-uri`` and
``named-graph-uri`` parameters; HEAD gives the headers of the GET answer.
``/`` is a small self-contained page to try queries in a browser.  The graphs
and predeclared prefixes are those of :func:`kg.sparql.query.run_query`.  The HTTP
side is a Starlette application on uvicorn (asyncio): a burst of clients
costs a coroutine each, not a thread, and the listening socket has a deep
accept queue.

Read-only, three times over: updates (``update=``, ``application/sparql-update``,
a query text that is an update) and the methods PUT, DELETE and PATCH are
refused before anything runs; the query engine's parser accepts no updates;
and the store is opened with ``Store.read_only``.  ``SERVICE`` clauses are
refused too, because they would make the server send requests to any address
a client names.  Browsers on other sites may not read the answers unless the
server runs with ``cors=True`` (``--cors``).

Workers.  pyoxigraph cannot cancel a running query, so queries run in a pool
of worker *processes*, each with its own read-only handle on the store; a
query that exceeds ``timeout`` gets ``503`` and its worker is killed and
replaced.  A query still running after :data:`LONG_AFTER` seconds is *long*:
at most ``long_queries`` (fewer than the workers) may be long at once, so the
other workers always stay free for short queries; a long query's worker is
niced, so that short queries also get the CPU first, and is replaced once the
query ends.  A query that would be long beyond that number gets ``503`` at
once.  Workers die with the server, even when it is killed outright (Linux
``PR_SET_PDEATHSIG``, on multiprocessing's fork server, which ends with the
server).

Rebuilds.  Every half second the server looks at the build's published store
(:func:`store_generation`: the real path and inode of the store, and the
manifest beside it).  When it has changed and stayed so for one look, a new
set of workers opens the new store; once all of them are ready they take
over, and the old workers leave as they finish.  Each answer therefore comes
whole from one build, and no answer mixes builds; while a rebuild is half
done the previous build goes on being served.

Answers are capped at ``max_rows`` rows (or triples); a cut answer carries
``X-KG-Truncated: true``.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import os
import re
import signal
import socket
import sys
import threading
import time
import urllib.parse
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..errors import InputError, QueryError
from ..store import MANIFEST

__all__ = [
    "BACKLOG",
    "DEFAULT_PORT",
    "LONG_AFTER",
    "MAX_BODY",
    "default_workers",
    "is_loopback",
    "make_app",
    "negotiate",
    "open_store_dir",
    "serve",
    "store_dir",
    "store_generation",
]

DEFAULT_PORT = 7878
#: Largest request body accepted, in bytes.
MAX_BODY = 1 << 20
#: Largest body read and thrown away before refusing it.
_DRAIN_LIMIT = 16 << 20
#: Largest request line and headers, in bytes (a GET carries the query in its URL; longer ones go by
#: POST).  httptools has this limit built in; it is given to h11 too.
_MAX_HEAD = 80 << 10
#: Seconds after which a running query counts as long.
LONG_AFTER = 1.0
#: Connections the kernel queues for the server before it accepts them.
BACKLOG = 2048
#: Seconds between two looks at the build for a new store.
WATCH_EVERY = 0.5
#: Seconds a new worker may take to open the store.
START_TIMEOUT = 60.0

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
_ALLOW = "GET, HEAD, POST, OPTIONS"
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_TEXT = "text/plain; charset=utf-8"


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


# ---------------------------------------------------------------------- store


def store_dir(build_dir: str | os.PathLike[str]) -> Path:
    """Where the build publishes its Oxigraph store (the one place the server asks)."""
    from ..errors import BuildDirError
    from ..store import current_build

    try:
        return current_build(build_dir).store
    except (BuildDirError, OSError):
        return Path(build_dir) / "store"


def open_store_dir(path: str | os.PathLike[str]) -> Any:
    """Open the store at ``path`` read-only (what each worker does once)."""
    import pyoxigraph

    return pyoxigraph.Store.read_only(str(path))


@dataclass(frozen=True, slots=True)
class Generation:
    """One published build: its store's real path and identity, and the manifest's."""

    path: str
    store: tuple[int, int]
    manifest: tuple[int, int, int] | None


def store_generation(build_dir: str | os.PathLike[str]) -> Generation | None:
    """The build's store as published now, or ``None`` while there is none.

    Compares equal for as long as the same store is published: a rebuild
    that swaps in a new directory (or points a link at another generation)
    changes the real path or the inode, and one that adds to the store in
    place rewrites the manifest beside it.
    """
    try:
        real = os.path.realpath(store_dir(build_dir))
        st = os.stat(real)
    except OSError:
        return None
    try:
        m = os.stat(os.path.join(os.path.dirname(real), MANIFEST))
        manifest: tuple[int, int, int] | None = (m.st_ino, m.st_mtime_ns, m.st_size)
    except OSError:
        manifest = None
    return Generation(real, (st.st_dev, st.st_ino), manifest)


# -------------------------------------------------------------------- workers


@dataclass(slots=True)
class _Job:
    query: str
    accept: str
    formats: list[str]
    default_graphs: list[str]
    named_graphs: list[str]


Answer = tuple[int, str, bytes, dict[str, str]]


def _answer(store: Any, job: _Job, max_rows: int) -> Answer:
    """Run one job against an open store: (status, content type, body, extra headers)."""
    import io

    from .query import stream_query, write_result

    try:
        stream = stream_query(
            store, job.query, limit=max_rows, default_graphs=job.default_graphs, named_graphs=job.named_graphs
        )
        fmt = negotiate(stream.kind, job.accept, job.formats)
        body = io.BytesIO()
        write_result(stream, fmt, body)
    except QueryError as e:
        return 400, _TEXT, f"{e}\n".encode(), {}
    except Exception as e:  # a bug: say so, keep serving
        return 500, _TEXT, f"internal error: {type(e).__name__}: {e}\n".encode(), {}
    return 200, CONTENT_TYPES[fmt], body.getvalue(), {"X-KG-Truncated": "true" if stream.truncated else "false"}


def _die_with_parent() -> None:
    """Have the kernel kill this process when its parent goes, however it goes (Linux).

    The parent is multiprocessing's fork server, which ends once every holder
    of its "alive" pipe has closed it.  A forked worker inherits that pipe:
    closing it here leaves the server as its only holder, so the fork server
    (and with it every worker, even one deep in a query) ends with the
    server, even on SIGKILL.
    """
    from multiprocessing import forkserver

    alive = getattr(getattr(forkserver, "_forkserver", None), "_forkserver_alive_fd", None)
    if isinstance(alive, int):
        with contextlib.suppress(OSError):
            os.close(alive)
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if parent == 1 or os.getppid() != parent:  # orphaned already
        os._exit(0)


def _worker_main(store_path: str, max_rows: int, conn: Any) -> None:
    """A worker process: open the store, say so, answer jobs until the pipe closes."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    try:
        from . import query  # noqa: F401 (loaded now rather than on the first job)

        store = open_store_dir(store_path)
    except Exception as e:
        conn.send(("error", " ".join(str(e).split()) or type(e).__name__))
        return
    conn.send(("ready", None))
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
    """One worker process and the server's end of its pipe."""

    def __init__(self, ctx: Any, gen: Generation, max_rows: int) -> None:
        self.gen = gen
        self.long = False
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(
            target=_worker_main, args=(gen.path, max_rows, child), name="kg-serve-worker", daemon=True
        )
        self.proc.start()
        child.close()

    def kill(self) -> None:
        """SIGKILL; the pipe stays open, so that whoever waits on it reads the end of file."""
        with contextlib.suppress(OSError, ValueError, AttributeError):
            self.proc.kill()

    def gone(self) -> bool:
        """True (and the pipe closed) once the process has ended."""
        if self.proc.is_alive():
            return False
        with contextlib.suppress(OSError):
            self.conn.close()
        return True


async def _readable(conn: Any, timeout: float) -> bool:
    """Wait until the pipe has something to read (``False`` after ``timeout`` seconds)."""
    if timeout <= 0:
        return conn.poll()
    loop = asyncio.get_running_loop()
    ready = loop.create_future()
    fd = conn.fileno()
    loop.add_reader(fd, lambda: ready.done() or ready.set_result(None))
    try:
        done, _ = await asyncio.wait([ready], timeout=timeout)
        return bool(done)
    finally:
        loop.remove_reader(fd)
        ready.cancel()


class _Pool:
    """Worker processes, handed out on the event loop; see the module's documentation.

    Workers are forked by multiprocessing's fork server, a process that has
    already imported the query code: a new worker is ready in tens of
    milliseconds (the time to open the store), where a fresh interpreter
    takes most of a second.  That matters after every timeout and long query.
    """

    def __init__(
        self, build_dir: str | os.PathLike[str], size: int, long_slots: int, max_rows: int, log: Any
    ) -> None:
        import multiprocessing

        if "forkserver" in multiprocessing.get_all_start_methods():
            self._ctx = multiprocessing.get_context("forkserver")
            self._ctx.set_forkserver_preload(["kg.sparql.serve", "kg.sparql.query", "pyoxigraph"])
        else:  # Windows: a fresh interpreter per worker
            self._ctx = multiprocessing.get_context("spawn")
        self._build = build_dir
        self.size = size
        self.long_slots = long_slots
        self._max_rows = max_rows
        self._log = log
        self.gen: Generation | None = None
        self._idle: deque[_Worker] = deque()
        self._waiters: deque[asyncio.Future[_Worker]] = deque()
        self._workers: set[_Worker] = set()
        self._dying: list[_Worker] = []
        self._long = 0
        self._closed = False
        self._seen: Generation | None = None
        self._failed: Generation | None = None
        self._switching = False
        self._watcher: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()

    # -- starting and stopping workers

    def _start(self, gen: Generation) -> _Worker:
        w = _Worker(self._ctx, gen, self._max_rows)
        self._workers.add(w)
        return w

    async def _ready(self, w: _Worker) -> str | None:
        """``None`` once the worker has opened its store, else why it could not."""
        if not await _readable(w.conn, START_TIMEOUT):
            return f"it did not start within {START_TIMEOUT:g} s"
        try:
            status, message = w.conn.recv()
        except (EOFError, OSError):
            return "it stopped while starting"
        return None if status == "ready" else message

    async def _start_many(self, gen: Generation, n: int) -> list[_Worker]:
        """``n`` ready workers on ``gen``; none (all stopped) if any fails, with :class:`InputError`."""
        workers = [self._start(gen) for _ in range(n)]
        errors = [e for e in await asyncio.gather(*(self._ready(w) for w in workers)) if e]
        if errors:
            for w in workers:
                self._retire(w)
            raise InputError(f"cannot open the store {gen.path}: {errors[0]}")
        return workers

    def _retire(self, w: _Worker) -> None:
        if w.long:
            w.long = False
            self._long -= 1
        if w in self._workers:
            self._workers.discard(w)
            w.kill()
            self._dying.append(w)

    def _reap(self) -> None:
        self._dying = [w for w in self._dying if not w.gone()]

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _refill(self) -> None:
        """Start workers until the current build has ``size`` of them again."""
        if self._closed or self.gen is None:
            return
        have = sum(1 for w in self._workers if w.gen == self.gen)
        for _ in range(self.size - have):
            self._spawn(self._bring_in(self._start(self.gen)))

    async def _bring_in(self, w: _Worker) -> None:
        error = await self._ready(w)
        if error is not None and not self._closed:
            self._log(f"kg serve: a query worker could not start: {error}")
            self._retire(w)
            await asyncio.sleep(2.0)  # no tight loop while the store cannot be opened
            self._refill()
        elif w.gen != self.gen or self._closed:
            self._retire(w)
        else:
            self._give(w)

    # -- handing workers out

    def _give(self, w: _Worker) -> None:
        while self._waiters:
            fut = self._waiters.popleft()
            if not fut.done():
                fut.set_result(w)
                return
        self._idle.append(w)

    async def _acquire(self, wait: float, timeout: float) -> _Worker:
        if self._idle:
            return self._idle.popleft()
        fut: asyncio.Future[_Worker] = asyncio.get_running_loop().create_future()
        self._waiters.append(fut)
        try:
            done, _ = await asyncio.wait([fut], timeout=max(wait, 0.0))
        except asyncio.CancelledError:
            if fut.done() and not fut.cancelled():
                self._give(fut.result())
            fut.cancel()
            raise
        if not done:
            fut.cancel()
            raise _HttpError(503, f"no query worker was free within the server's --timeout ({_secs(timeout)} s); "
                             "try again later", {"Retry-After": "5"})  # fmt: skip
        return fut.result()

    def _release(self, w: _Worker, ok: bool) -> None:
        if ok and not w.long and w.gen == self.gen and not self._closed:
            self._give(w)
            return
        self._retire(w)
        self._refill()

    def _make_long(self, w: _Worker) -> bool:
        """Count ``w``'s query as long, if a slot is free, and lower its worker's priority."""
        if self._long >= self.long_slots:
            return False
        self._long += 1
        w.long = True
        with contextlib.suppress(OSError, AttributeError):
            os.setpriority(os.PRIO_PROCESS, w.proc.pid, min(19, os.getpriority(os.PRIO_PROCESS, w.proc.pid) + 10))
        return True

    async def run(self, job: _Job, timeout: float, started: float | None = None) -> Answer:
        """Answer ``job`` within ``timeout`` seconds from ``started`` (the loop's time; now by default)."""
        if self._closed:
            raise _HttpError(503, "the server is shutting down")
        loop = asyncio.get_running_loop()
        deadline = (loop.time() if started is None else started) + timeout
        w = await self._acquire(deadline - loop.time(), timeout)
        ok = False
        try:
            w.conn.send(job)
            ready = await _readable(w.conn, min(LONG_AFTER, deadline - loop.time()))
            if not ready and deadline - loop.time() > 0:
                if not self._make_long(w):
                    raise _HttpError(
                        503,
                        f"this query runs long and {self._long} long queries are running already "
                        f"(the server's --long-queries); try again later",
                        {"Retry-After": "5"},
                    )
                ready = await _readable(w.conn, deadline - loop.time())
            if not ready:
                if self._closed:
                    raise _HttpError(503, "the server is shutting down")
                raise _HttpError(503, f"query timed out after {_secs(timeout)} s (the server's --timeout)")
            answer: Answer = w.conn.recv()
            ok = True
            return answer
        except (EOFError, OSError):
            if self._closed:
                raise _HttpError(503, "the server is shutting down") from None
            raise _HttpError(500, "the query worker stopped unexpectedly") from None
        finally:
            self._release(w, ok)

    # -- rebuilds

    async def _switch(self, gen: Generation) -> bool:
        """Serve ``gen`` once all its workers are ready; ``False`` when they cannot open it."""
        try:
            fresh = await self._start_many(gen, self.size)
        except InputError as e:
            self._log(f"kg serve: the build changed but {e}; still serving the previous store")
            return False
        if self._closed:
            for w in fresh:
                self._retire(w)
            return True
        self.gen = gen
        while self._idle:
            self._retire(self._idle.popleft())
        for w in fresh:
            self._give(w)
        self._log(f"kg serve: the build changed; now serving {gen.path}")
        return True

    def _look(self) -> None:
        """Start a switch when the published store has changed and stayed so since the last look."""
        gen = store_generation(self._build)
        seen, self._seen = self._seen, gen
        if gen is None or gen in (self.gen, self._failed) or gen != seen or self._switching:
            return
        self._switching = True

        async def switch() -> None:
            try:
                if not await self._switch(gen):
                    self._failed = gen  # tried again once the build changes again
            finally:
                self._switching = False
                self._seen = None

        self._spawn(switch())

    async def _watch(self) -> None:
        while not self._closed:
            await asyncio.sleep(WATCH_EVERY)
            self._reap()
            for w in [w for w in self._idle if not w.proc.is_alive()]:
                self._idle.remove(w)
                self._retire(w)
                self._refill()
            self._look()

    # -- life

    async def open(self) -> None:
        gen = store_generation(self._build)
        if gen is None:
            raise InputError(f"{self._build}: the build has no store/ (rebuild with `kg build`)")
        for w in await self._start_many(gen, self.size):
            self._give(w)
        self.gen = gen
        self._watcher = asyncio.get_running_loop().create_task(self._watch())

    def close(self) -> None:
        """Kill every worker at once; requests still waiting get 503."""
        self._closed = True
        if self._watcher is not None:
            self._watcher.cancel()
        for fut in self._waiters:
            if not fut.done():
                fut.set_exception(_HttpError(503, "the server is shutting down"))
        self._waiters.clear()
        self._idle.clear()
        for w in list(self._workers):
            self._retire(w)

    def join(self, timeout: float = 5.0) -> None:
        """Wait for the killed workers to be gone."""
        end = time.monotonic() + timeout
        for w in self._dying:
            w.proc.join(max(0.0, end - time.monotonic()))
        self._reap()

    def pids(self) -> list[int]:
        """Process ids of the live workers."""
        return [w.proc.pid for w in self._workers if w.proc.pid is not None]


def _secs(t: float) -> str:
    return f"{t:g}"


# ------------------------------------------------------------------ requests


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


async def _body(request: Any, timeout: float) -> bytes:
    """The request body: at most :data:`MAX_BODY` bytes, all there within ``timeout`` seconds.

    A larger body is read on (up to :data:`_DRAIN_LIMIT` bytes) and thrown
    away before the refusal, so that a client still sending sees the answer.
    """
    from starlette.requests import ClientDisconnect

    async def read() -> bytes:
        parts: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size <= MAX_BODY:
                parts.append(chunk)
            elif size > _DRAIN_LIMIT:
                break
        if size > MAX_BODY:
            raise _HttpError(413, f"request body too large (over {MAX_BODY} bytes)", {"Connection": "close"})
        return b"".join(parts)

    try:
        return await asyncio.wait_for(read(), timeout)
    except TimeoutError:
        raise _HttpError(408, f"the request body did not all arrive within {_secs(timeout)} s",
                         {"Connection": "close"}) from None  # fmt: skip
    except ClientDisconnect:
        raise _HttpError(400, "the request body ended before its Content-Length") from None


def _job(params: dict[str, list[str]], body_query: str | None, accept: str) -> _Job:
    """Check a request's query before it goes to a worker."""
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
    return _Job(
        query=text,
        accept=accept,
        formats=params.get("format", []) + params.get("output", []) + params.get("results", []),
        default_graphs=params.get("default-graph-uri", []),
        named_graphs=params.get("named-graph-uri", []),
    )


async def _request_job(request: Any, timeout: float) -> _Job:
    """The job a GET or POST to ``/sparql`` asks for (its body read within ``timeout`` seconds)."""
    params = _params(request.scope.get("query_string", b"").decode("latin-1"))
    accept = request.headers.get("accept", "")
    if request.method in ("GET", "HEAD"):
        return _job(params, None, accept)
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media == "application/sparql-update":
        raise _HttpError(403, "SPARQL Update refused: this endpoint is read-only")
    if media not in ("application/x-www-form-urlencoded", "application/sparql-query"):
        raise _HttpError(
            415,
            "send the query as application/sparql-query or application/x-www-form-urlencoded "
            f"(got {media or 'no Content-Type'})",
        )
    body = await _body(request, timeout)
    if media == "application/sparql-query":
        try:
            return _job(params, body.decode("utf-8-sig"), accept)
        except UnicodeDecodeError:
            raise _HttpError(400, "the query is not UTF-8 text") from None
    try:
        form = body.decode("ascii")
    except UnicodeDecodeError:
        raise _HttpError(400, "a form body must be percent-encoded ASCII") from None
    for k, v in _params(form).items():
        params.setdefault(k, []).extend(v)
    return _job(params, None, accept)


def _text(status: int, message: str, headers: dict[str, str] | None = None) -> Any:
    from starlette.responses import Response

    return Response((message + "\n").encode("utf-8"), status, {"Content-Type": _TEXT, **(headers or {})})


def make_app(pool: _Pool, *, timeout: float, cors: bool = False) -> Any:
    """The Starlette application that answers over ``pool``.

    ``cors`` lets pages of any origin read the answers
    (``Access-Control-Allow-Origin: *``); off by default, so that a web page
    a user happens to visit cannot read a local endpoint.
    """
    from starlette.applications import Starlette
    from starlette.exceptions import HTTPException
    from starlette.middleware import Middleware
    from starlette.middleware.cors import CORSMiddleware
    from starlette.responses import Response
    from starlette.routing import Route

    async def sparql(request: Any) -> Any:
        if request.method in ("PUT", "DELETE", "PATCH"):
            return _text(405, f"{request.method} refused: this SPARQL endpoint is read-only", {"Allow": _ALLOW})
        if request.method == "OPTIONS":
            return Response(status_code=204, headers={"Allow": _ALLOW})
        started = asyncio.get_running_loop().time()
        job = await _request_job(request, timeout)
        status, ctype, body, headers = await pool.run(job, timeout, started)
        return Response(body, status, {"Content-Type": ctype, **(headers if status == 200 else {})})

    async def page(request: Any) -> Any:
        return Response(_page(), 200, {"Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": _CSP})

    async def http_error(request: Any, exc: Exception) -> Any:
        if isinstance(exc, _HttpError):
            return _text(exc.status, exc.message, exc.headers)
        assert isinstance(exc, HTTPException)
        if exc.status_code == 404:
            return _text(404, f"no such page: {request.url.path} (the endpoint is /sparql)")
        return _text(exc.status_code, str(exc.detail), dict(exc.headers or {}))

    async def internal_error(request: Any, exc: Exception) -> Any:
        logging.getLogger("uvicorn.error").error("internal error: %r", exc)
        return _text(500, f"internal error: {type(exc).__name__}")

    middleware = []
    if cors:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=["*"],
                allow_methods=["GET", "HEAD", "POST"],
                allow_headers=["Accept", "Content-Type"],
                expose_headers=["X-KG-Truncated"],
                max_age=86400,
            )
        )
    methods = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]
    return Starlette(
        routes=[Route("/", page, methods=["GET"]), Route("/index.html", page, methods=["GET"]),
                Route("/sparql", sparql, methods=methods)],  # fmt: skip
        middleware=middleware,
        exception_handlers={_HttpError: http_error, HTTPException: http_error, Exception: internal_error},
    )


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


def default_workers() -> int:
    """Worker processes by default: two per CPU, from 2 to 8."""
    return min(8, max(2, 2 * (os.cpu_count() or 1)))


def _listen(host: str, port: int) -> socket.socket:
    """A bound, listening socket with a deep accept queue; :class:`InputError` when that fails."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        addr = socket.getaddrinfo(host.strip("[]"), port, family, socket.SOCK_STREAM)[0][4]
        sock = socket.socket(family, socket.SOCK_STREAM)
    except OSError as e:
        raise InputError(f"cannot listen on {host}:{port} ({e.strerror or e})") from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(addr)
        sock.listen(BACKLOG)
    except OSError as e:
        sock.close()
        raise InputError(f"cannot listen on {host}:{port} ({e.strerror or e})") from None
    sock.setblocking(False)
    return sock


def _url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/sparql"


def _logging(err: IO[str], quiet: bool) -> None:
    """uvicorn's warnings on ``err``; request lines too unless ``quiet``."""
    handler = logging.StreamHandler(err)
    handler.setFormatter(logging.Formatter("%(message)s"))
    for name, level in (("uvicorn.error", logging.WARNING), ("uvicorn.access", logging.INFO)):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(level)
        logger.propagate = False
        logger.disabled = quiet and name == "uvicorn.access"


def _server_class() -> Any:
    import uvicorn

    class Server(uvicorn.Server):
        """uvicorn's server, which first stops the workers when asked to stop, then exits with status 0."""

        pool: _Pool

        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            if threading.current_thread() is not threading.main_thread():
                yield  # only the main thread may handle signals
                return
            handled = (signal.SIGINT, signal.SIGTERM)
            before = {sig: signal.signal(sig, self.handle_exit) for sig in handled}
            try:
                yield
            finally:
                for sig, handler in before.items():
                    signal.signal(sig, handler)

        async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
            self.pool.close()
            await super().shutdown(sockets)

    return Server


def _check_limits(timeout: float, max_rows: int, size: int, slots: int) -> None:
    """Refuse limits the server cannot work with, one line saying which."""
    if timeout <= 0:
        raise InputError("--timeout must be positive")
    if max_rows < 1:
        raise InputError("--max-rows must be at least 1")
    if size < 2:
        raise InputError("--workers must be at least 2 (one of them is kept for short queries)")
    if not 1 <= slots < size:
        raise InputError(f"--long-queries must be less than --workers ({size}), so that short queries find a worker")


def _config(app: Any, quiet: bool) -> Any:
    """uvicorn's settings: HTTP only, no lifespan events, no server header, our own logging."""
    import uvicorn

    return uvicorn.Config(
        app,
        http="auto",  # httptools, a C parser, when installed (a dependency); h11 otherwise
        ws="none",
        lifespan="off",
        log_config=None,
        access_log=not quiet,
        server_header=False,
        timeout_graceful_shutdown=5,
        backlog=BACKLOG,
        h11_max_incomplete_event_size=_MAX_HEAD,
    )


def serve(
    build_dir: str | os.PathLike[str],
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    *,
    timeout: float = 30.0,
    max_rows: int = 10000,
    workers: int | None = None,
    long_queries: int | None = None,
    cors: bool = False,
    quiet: bool = False,
    out: IO[str] | None = None,
    err: IO[str] | None = None,
) -> None:
    """Serve the build until SIGINT or SIGTERM; prints ``kg serve: URL`` once it answers.

    Parameters
    ----------
    build_dir
        A ``kg build`` output directory.
    host, port
        Where to listen; port 0 picks a free port (the printed URL has it).
    timeout
        Seconds a query may take, waiting for a worker included.
    max_rows
        Rows (or triples) at most in one answer.
    workers
        Query worker processes (at least 2); :func:`default_workers` by default.
    long_queries
        Queries that may run longer than :data:`LONG_AFTER` at once; fewer
        than ``workers``; half of them by default.
    cors
        Let web pages of any origin read the answers.
    quiet
        Do not log requests.
    out, err
        Where the URL and the log go (standard output and error by default).
    """
    from ..store import open_store

    out = out or sys.stdout
    err = err or sys.stderr
    size = workers or default_workers()
    slots = long_queries or max(1, size // 2)
    _check_limits(timeout, max_rows, size, slots)
    open_store(build_dir, read_only=True)  # checks the build before anything starts
    sock = _listen(host, port)

    def log(line: str) -> None:
        err.write(line + "\n")
        err.flush()

    pool = _Pool(build_dir, size, slots, max_rows, log)
    _logging(err, quiet)
    server = _server_class()(_config(make_app(pool, timeout=timeout, cors=cors), quiet))
    server.pool = pool

    async def main() -> None:
        try:
            await pool.open()
            if not is_loopback(host):
                log(f"kg serve: warning: listening on {host}, so other machines can reach this endpoint "
                    "(it has no authentication)")  # fmt: skip
            out.write(f"kg serve: {_url(sock)}\n")
            out.flush()
            await server.serve(sockets=[sock])
        finally:
            pool.close()

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
    finally:
        pool.close()
        pool.join()
        sock.close()


def _page() -> bytes:
    """The query page, with the predeclared prefixes for shortening IRIs."""
    import json

    from ..rdf.namespace import PREFIXES

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
