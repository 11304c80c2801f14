"""Push a build into a SPARQL 1.1 store over HTTP.

Two protocols, in batches of quads streamed from the build's store (memory
stays flat whatever the size of the build):

``gsp`` (Graph Store HTTP Protocol)
    The whole dataset, facts and evidence graphs, is POSTed as N-Quads to the
    endpoint URL itself: the dataset upload of Oxigraph (``…/store``) and
    Apache Jena Fuseki (``…/DATASET/data``).  With ``facts_only`` only the
    default graph is sent, as Turtle, to ``ENDPOINT?default`` (or
    ``ENDPOINT?graph=IRI``): plain GSP that every store with the protocol
    accepts (Virtuoso's ``…/sparql-graph-crud``, GraphDB's ``…/statements``).
``update`` (SPARQL 1.1 Update)
    ``INSERT DATA { … GRAPH <g> { … } }`` requests POSTed, URL-encoded as
    the ``update`` parameter (the form every update service reads), to the
    update endpoint (Oxigraph ``…/update``, Fuseki ``…/DATASET/update``,
    Virtuoso ``…/sparql-auth``).

``graph`` puts the facts (the build's default graph) into that named graph
instead of the store's default graph; evidence graphs keep their own IRIs.
Every request adds (POST), nothing is replaced, and RDF has set semantics:
pushing the same build twice leaves the store as pushing it once.

Only the standard library talks HTTP; every request has a timeout, and any
failure is a :class:`PushError` with a one-line message (the server's own
message for a 4xx or 5xx answer).
"""

from __future__ import annotations

import base64
import http.client
import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Generator, Iterable
from dataclasses import dataclass
from typing import Any

from ..errors import InputError, PushError

__all__ = ["PROTOCOLS", "PushError", "PushResult", "push"]

#: Protocols of :func:`push`.
PROTOCOLS = ("gsp", "update")
#: Quads per request, by default (about 10 MB of N-Quads for Chinese text).
BATCH = 50_000
#: Seconds to wait for each answer, by default.
TIMEOUT = 120.0



@dataclass
class PushResult:
    """What a push sent."""

    endpoint: str
    protocol: str
    quads: int = 0  #: quads sent (facts and evidence)
    facts: int = 0  #: of which in the default graph of the build
    graphs: int = 0  #: evidence graphs sent
    requests: int = 0
    bytes: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        rate = self.quads / self.seconds if self.seconds > 0 else 0.0
        return (f"kg: pushed {self.quads:,} quads ({self.facts:,} facts, {self.graphs:,} evidence graphs) "
                f"to {self.endpoint} in {self.requests} request{'s' if self.requests != 1 else ''}, "
                f"{self.bytes / 1e6:.1f} MB, {self.seconds:.1f} s ({rate:,.0f} quads/s)")


# --------------------------------------------------------------------- HTTP


def _check_endpoint(endpoint: str) -> str:
    try:
        parts = urllib.parse.urlsplit(endpoint)
        parts.port  # noqa: B018 (raises for a port that is not a number from 0 to 65535)
    except ValueError as e:
        raise InputError(f"{endpoint}: not a usable URL ({e})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"{endpoint}: not an HTTP endpoint (expected http://host:port/path)")
    if parts.fragment:
        raise InputError(f"{endpoint}: an endpoint URL has no #fragment")
    return endpoint


def _with_query(endpoint: str, query: str) -> str:
    parts = urllib.parse.urlsplit(endpoint)
    q = f"{parts.query}&{query}" if parts.query else query
    return urllib.parse.urlunsplit(parts._replace(query=q))


def _server_message(e: urllib.error.HTTPError) -> str:
    try:
        body = e.read(4000).decode("utf-8", "replace")
    except (OSError, ValueError, http.client.HTTPException):
        body = ""
    text = " ".join(body.split())
    if "<" in text and ">" in text:  # an HTML error page: keep its words
        import re

        text = " ".join(re.sub(r"<[^>]*>", " ", text).split())
    return text[:300] + ("…" if len(text) > 300 else "")


_HINTS = {
    "gsp": "the Graph Store endpoint (Oxigraph …/store, Fuseki …/DATASET/data)",
    "update": "the SPARQL Update endpoint (Oxigraph …/update, Fuseki …/DATASET/update)",
}


class _Http:
    """POSTs with a timeout and optional credentials; every failure becomes a :class:`PushError`."""

    def __init__(self, endpoint: str, protocol: str, timeout: float, user: str | None,
                 password: str | None) -> None:
        self.protocol = protocol
        self.timeout = timeout
        handlers: list[Any] = []
        self.auth: str | None = None
        if user is not None:
            mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            mgr.add_password(None, endpoint, user, password or "")
            handlers.append(urllib.request.HTTPDigestAuthHandler(mgr))
            # Basic credentials go with every request (no extra round trip with the body);
            # a server that asks for Digest gets it from the handler instead
            self.auth = "Basic " + base64.b64encode(f"{user}:{password or ''}".encode()).decode("ascii")
        self.opener = urllib.request.build_opener(*handlers)

    def post(self, url: str, body: bytes, content_type: str, done: int) -> None:
        req = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": content_type, "Accept": "*/*"})
        if self.auth is not None:
            req.add_unredirected_header("Authorization", self.auth)
        after = f" (after {done:,} quads were stored)" if done else ""
        try:
            with self.opener.open(req, timeout=self.timeout) as resp:
                resp.read()
        except urllib.error.HTTPError as e:
            msg = _server_message(e)
            hint = ""
            if e.code in (404, 405, 415):
                hint = f"; is this {_HINTS[self.protocol]}?"
            elif e.code in (401, 403):
                hint = "; give --user (and the password in KG_PUSH_PASSWORD)" if self.auth is None else \
                    "; check the user and password"
            said = f": {msg}" if msg else ""
            raise PushError(f"{url}: HTTP {e.code} {e.reason}{said}{hint}{after}") from None
        except urllib.error.URLError as e:
            reason = e.reason
            if isinstance(reason, ConnectionRefusedError):
                text = "connection refused (is the store running?)"
            elif isinstance(reason, (TimeoutError, socket.timeout)):
                text = f"no answer within {self.timeout:g} s"
            elif isinstance(reason, socket.gaierror):
                text = f"unknown host ({reason.strerror})"
            else:
                text = " ".join(str(getattr(reason, "strerror", None) or reason).split())
            raise PushError(f"cannot push to {url}: {text}{after}") from None
        except TimeoutError:
            raise PushError(f"cannot push to {url}: no answer within {self.timeout:g} s{after}") from None
        except http.client.HTTPException as e:
            raise PushError(f"cannot push to {url}: {_broken_answer(e)}{after}") from None
        except (ConnectionError, OSError) as e:
            raise PushError(f"cannot push to {url}: {_one_line(e.strerror or e)}{after}") from None
        except ValueError as e:  # the URL or the server's authentication request cannot be used
            raise PushError(f"cannot push to {url}: {_one_line(e)}{after}") from None


def _one_line(what: object) -> str:
    text = " ".join(str(what).split())
    return text[:300] + ("…" if len(text) > 300 else "")


def _broken_answer(e: http.client.HTTPException) -> str:
    """What went wrong with an answer that is not (or not all) HTTP."""
    if isinstance(e, http.client.RemoteDisconnected):
        return "the server closed the connection without answering"
    if isinstance(e, http.client.IncompleteRead):
        return f"the answer broke off after {len(e.partial):,} bytes"
    if isinstance(e, (http.client.BadStatusLine, http.client.LineTooLong, http.client.UnknownProtocol)):
        return "the answer is not HTTP (is this the store's address and port?)"
    return f"a broken HTTP answer ({type(e).__name__}: {_one_line(e)})"


# --------------------------------------------------------------------- batches


def _batches(quads: Iterable[Any], size: int) -> Generator[list[Any], None, None]:
    """Quads in lists of ``size``; those with blank nodes all in one last list.

    A blank node is scoped to one request, so the quads that share one must
    travel together.  Builds mint IRIs for everything, so there are none in
    practice.
    """
    import pyoxigraph as ox

    blank: list[Any] = []
    batch: list[Any] = []
    for q in quads:
        if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) or \
                isinstance(q.graph_name, ox.BlankNode):
            blank.append(q)
            continue
        batch.append(q)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
    if blank:
        yield blank


def _nquads(batch: list[Any]) -> bytes:
    import pyoxigraph as ox

    return ox.serialize(batch, format=ox.RdfFormat.N_QUADS) or b""


def _ntriples(batch: list[Any]) -> bytes:
    import pyoxigraph as ox

    return ox.serialize((q.triple for q in batch), format=ox.RdfFormat.N_TRIPLES) or b""


def _insert_data(batch: list[Any]) -> bytes:
    """``INSERT DATA`` of the batch: N-Triples lines are valid SPARQL triples."""
    import pyoxigraph as ox

    parts = [b"INSERT DATA {\n"]
    run: list[Any] = []
    graph: Any = None

    def flush() -> None:
        if not run:
            return
        body = _ntriples(run)
        if isinstance(graph, ox.DefaultGraph):
            parts.append(body)
        else:
            parts.extend((f"GRAPH {graph} {{\n".encode(), body, b"}\n"))
        run.clear()

    for q in batch:
        if q.graph_name != graph:
            flush()
            graph = q.graph_name
        run.append(q)
    flush()
    parts.append(b"}\n")
    return b"".join(parts)


# --------------------------------------------------------------------- push


def _checked(endpoint: str, graph: str | None, protocol: str, batch: int, timeout: float) -> Any:
    """Check the options of :func:`push`; return the graph the facts go to (the default graph unless ``graph``)."""
    import pyoxigraph as ox

    if protocol not in PROTOCOLS:
        raise InputError(f"unknown protocol {protocol!r} (expected {' or '.join(PROTOCOLS)})")
    if batch < 1:
        raise InputError("--batch must be at least 1")
    if timeout <= 0:
        raise InputError("--timeout must be positive")
    _check_endpoint(endpoint)
    if graph is None:
        return ox.DefaultGraph()
    try:
        target = ox.NamedNode(graph)
    except ValueError:
        raise InputError(f"{graph}: not an absolute IRI for --graph") from None
    if ":" not in graph:
        raise InputError(f"{graph}: not an absolute IRI for --graph")
    return target


def _request_body(batch: list[Any], protocol: str, facts_only: bool) -> tuple[bytes, str]:
    """The body of the request that sends ``batch``, and its content type."""
    if protocol == "update":
        # the URL-encoded form of the protocol: every update service reads it
        body = b"update=" + urllib.parse.quote_from_bytes(_insert_data(batch), safe="").encode("ascii")
        return body, "application/x-www-form-urlencoded"
    if facts_only:
        return _ntriples(batch), "text/turtle; charset=utf-8"  # N-Triples is Turtle
    return _nquads(batch), "application/n-quads"


def _tally(result: PushResult, batch: list[Any], target: Any, last_graph: Any) -> Any:
    """Count the quads, facts and evidence graphs of a batch that was sent; return the last graph seen.

    The quads of one evidence graph come together, so a graph is new when it differs from the one before.
    """
    import pyoxigraph as ox

    default = ox.DefaultGraph()
    result.quads += len(batch)
    for q in batch:
        g = q.graph_name
        if g == target or g == default:
            result.facts += 1
        elif g != last_graph:
            result.graphs += 1
        last_graph = g
    return last_graph


def push(out: str | os.PathLike[str], endpoint: str, *, graph: str | None = None, protocol: str = "gsp",
         batch: int = BATCH, facts_only: bool = False, timeout: float = TIMEOUT, user: str | None = None,
         password: str | None = None) -> PushResult:
    """Send the build ``out`` to a SPARQL 1.1 store.

    Parameters
    ----------
    out : a build directory (``kg build -o OUT``).
    endpoint : for ``gsp`` the Graph Store URL (Oxigraph ``http://host:7878/store``),
        for ``update`` the update URL (Oxigraph ``http://host:7878/update``).
    graph : put the facts into this named graph (an absolute IRI) rather
        than the store's default graph.
    protocol : ``gsp`` or ``update`` (see the module's documentation).
    batch : quads per request.
    facts_only : send only the default graph (no evidence graphs); with
        ``gsp`` as Turtle to ``?default`` / ``?graph=IRI``, which every
        Graph Store endpoint accepts.
    timeout : seconds to wait for each answer.
    user, password : credentials (HTTP Basic, or Digest when the server asks for it).

    Raises
    ------
    PushError : the store cannot be reached or refuses a request.
    InputError : a bad endpoint, graph IRI, protocol or batch size.
    BuildDirError : ``out`` is not a build.
    """
    import pyoxigraph as ox

    from ..store import open_store

    target = _checked(endpoint, graph, protocol, batch, timeout)
    store = open_store(out)
    http = _Http(endpoint, protocol, timeout, user, password)
    result = PushResult(endpoint, protocol)
    t0 = time.monotonic()
    default = ox.DefaultGraph()
    if protocol == "gsp" and facts_only:
        url = _with_query(endpoint, "default" if graph is None
                          else "graph=" + urllib.parse.quote(graph, safe=""))
    else:
        url = endpoint
    last_graph: Any = None
    quads = store.quads_for_pattern(None, None, None, default if facts_only else None)
    batches = _batches(quads, batch)
    try:
        for b in batches:
            if graph is not None:
                b = [ox.Quad(q.subject, q.predicate, q.object, target) if q.graph_name == default else q
                     for q in b]
            body, ctype = _request_body(b, protocol, facts_only)
            http.post(url, body, ctype, result.quads)
            result.requests += 1
            result.bytes += len(body)
            last_graph = _tally(result, b, target, last_graph)
    finally:
        # the store's iterators must be dropped by this thread, not later by the garbage collector
        batches.close()
        del batches, quads, store
    result.seconds = time.monotonic() - t0
    return result
