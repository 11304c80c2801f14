"""Run SPARQL queries against a build and format their results.

The query runs on the build's Oxigraph store (``OUT/store``) with the store's
default graph as the query's default graph, so a plain pattern sees the facts
of ``graph.ttl`` and nothing else.  Provenance sits in one named graph per
evidence sentence (``ontology/README.md``) and is reached with ``GRAPH``::

    SELECT ?text WHERE {
      GRAPH ?ev { ?person gh:holds ?post }
      ?ev prov:wasDerivedFrom ?s . ?s gh:text ?text .
    }

The union of all graphs is deliberately *not* the default graph: every fact is
repeated in its evidence graph, so a union would count facts twice in
aggregates and mix evidence into answers about the world.

The prefixes of :data:`kg.rdf.namespace.PREFIXES` (``gh``, ``id``, ``rdfs``,
``skos``, ``prov`` …) are predeclared: a query may use them without ``PREFIX``
lines, and a ``PREFIX`` line of its own takes precedence.  The declarations
are prepended as one line, which is subtracted again from the line numbers of
syntax errors so that they point into the query as written.

>>> from kg.sparql.query import query_form
>>> query_form("PREFIX ex: <http://example.org/>\\nASK { ?s ex:p ?o }")
'ask'
>>> query_form("INSERT DATA { <http://a> <http://b> <http://c> }")
'update'
"""

from __future__ import annotations

import io
import itertools
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from ..errors import QueryError
from ..rdf.namespace import PREFIXES

__all__ = [
    "CHUNK",
    "FORMATS",
    "QueryResult",
    "QueryStream",
    "QuerySyntaxError",
    "bind_params",
    "collect",
    "declared_prefixes",
    "example_params",
    "format_result",
    "parse_param",
    "query_form",
    "replay",
    "run_query",
    "shorten_iri",
    "stream_query",
    "summary",
    "table_lines",
    "term_text",
    "terminal_tables",
    "uses_service",
    "write_result",
]

#: Output formats of :func:`format_result`, by the kind of result they fit.
FORMATS: dict[str, tuple[str, ...]] = {
    "select": ("table", "csv", "tsv", "json", "xml"),
    "ask": ("table", "csv", "tsv", "json", "xml"),
    "graph": ("table", "ttl", "nt", "rdfxml", "jsonld"),
}
#: Rows (or triples) written at a time; the first ones size a table's columns and name Turtle's prefixes.
CHUNK = 1000
_RESULTS_FORMATS = {"json": "JSON", "xml": "XML", "csv": "CSV", "tsv": "TSV"}
_RDF_FORMATS = {"ttl": "TURTLE", "nt": "N_TRIPLES", "rdfxml": "RDF_XML", "jsonld": "JSON_LD"}

_XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMERIC = frozenset(
    _XSD + t
    for t in (
        "integer decimal double float long int short byte nonNegativeInteger positiveInteger "
        "negativeInteger nonPositiveInteger unsignedLong unsignedInt unsignedShort unsignedByte"
    ).split()
)
_PLAIN_DATATYPES = frozenset({_XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"})

_QUERY_FORMS = frozenset({"select", "construct", "describe", "ask"})
_UPDATE_WORDS = frozenset(
    {"insert", "delete", "load", "clear", "create", "drop", "copy", "move", "add", "with"}
)

# One token of SPARQL, enough to tell keywords from strings, IRIs, comments,
# variables and prefixed names.  Not a parser: Oxigraph does the parsing.
_TOKEN = re.compile(
    r"""
    (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
        |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
    |(?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
    |(?P<comment>\#[^\n\r]*)
    |(?P<var>[?$]\w+)
    |(?P<pname>(?:[^\W\d][\w.\-]*)?:(?:[\w.\-:%]|\\.)*)
    |(?P<word>[^\W\d]\w*)
    |(?P<other>\S)
    """,
    re.VERBOSE | re.DOTALL,
)

_POSITION = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.DOTALL)
_EXPECTED_ITEM = re.compile(r"""\[(?:'(?:[^'\\]|\\.)*'|[^\]'])*\]|"(?:[^"\\]|\\.)*"|[^,\[\]"]+""")


class QuerySyntaxError(QueryError):
    """A query that does not parse; ``line`` and ``column`` are 1-based, in the query as written."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


@dataclass(slots=True)
class QueryResult:
    """The materialised answer to one query.

    ``kind`` is ``select`` (``variables`` and ``rows``, one pyoxigraph term or
    ``None`` per variable), ``ask`` (``boolean``) or ``graph`` for
    CONSTRUCT and DESCRIBE (``triples``).  ``truncated`` is true when a limit
    cut the answer short.
    """

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[Any] = field(default_factory=list)
    truncated: bool = False

    def __len__(self) -> int:
        if self.kind == "graph":
            return len(self.triples)
        if self.kind == "ask":
            return 1
        return len(self.rows)


# --------------------------------------------------------------------- lexing


def _tokens(sparql: str) -> Iterator[tuple[str, str, int]]:
    """``(kind, text, offset)`` for each token, comments included."""
    for m in _TOKEN.finditer(sparql):
        kind = m.lastgroup or "other"
        yield kind, m.group(), m.start()


def _code_tokens(sparql: str) -> Iterator[tuple[str, str, int]]:
    return ((k, t, o) for k, t, o in _tokens(sparql) if k != "comment")


def declared_prefixes(sparql: str) -> set[str]:
    """Prefixes the query declares itself with ``PREFIX name: <…>``.

    >>> sorted(declared_prefixes("PREFIX gh: <x:> prefix : <y:> SELECT * {}"))
    ['', 'gh']
    """
    found: set[str] = set()
    if "prefix" not in sparql.lower():
        return found
    toks = list(_code_tokens(sparql))
    for (k1, t1, _), (k2, t2, _) in itertools.pairwise(toks):
        if k1 == "word" and t1.lower() == "prefix" and k2 == "pname" and t2.endswith(":"):
            found.add(t2[:-1])
    return found


def query_form(sparql: str) -> str | None:
    """``select``, ``construct``, ``describe``, ``ask``, ``update``, or ``None`` if unrecognisable.

    Looks at the first keyword after the prologue (``BASE`` and ``PREFIX``
    declarations); it does not check the rest of the query.
    """
    for kind, text, _ in _code_tokens(sparql):
        if kind != "word":
            continue
        word = text.lower()
        if word in ("base", "prefix"):
            continue
        if word in _QUERY_FORMS:
            return word
        return "update" if word in _UPDATE_WORDS else None
    return None


def uses_service(sparql: str) -> bool:
    """True when the query has a ``SERVICE`` clause (a federated call to another endpoint).

    >>> uses_service("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    True
    >>> uses_service('SELECT * { ?s ?p "SERVICE" }  # SERVICE in a comment')
    False
    """
    if "service" not in sparql.lower():  # the usual case, without tokenizing
        return False
    return any(k == "word" and t.lower() == "service" for k, t, _ in _code_tokens(sparql))


# ------------------------------------------------------------------- running


def _prologue(sparql: str, prefixes: Mapping[str, str]) -> str:
    """PREFIX declarations, on one line, for the prefixes the query leaves undeclared."""
    own = declared_prefixes(sparql)
    missing = [f"PREFIX {p}: <{ns}>" for p, ns in prefixes.items() if p not in own]
    return " ".join(missing) + "\n" if missing else ""


def _line_col_to_offset(text: str, line: int, column: int) -> int:
    lines = text.split("\n")
    if line < 1 or line > len(lines):
        return len(text)
    return sum(len(x) + 1 for x in lines[: line - 1]) + min(max(column - 1, 0), len(lines[line - 1]))


def _offset_to_line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _unknown_prefixes(text: str, prefixes: Mapping[str, str]) -> list[tuple[int, str]]:
    """``(offset, prefix)`` of each prefixed name whose prefix is declared nowhere."""
    known = set(prefixes) | declared_prefixes(text)
    found = []
    for kind, tok, off in _code_tokens(text):
        name = tok.split(":", 1)[0]
        if kind != "pname" or name == "_" or name in known:
            continue
        if text[off - 1 : off] == "<" or text.startswith("//", off + len(name) + 1):
            continue  # the scheme of an IRI that failed to parse, not a prefix
        found.append((off, name))
    return found


def _near(text: str, offset: int) -> str:
    for _, tok, start in _tokens(text):
        if start <= offset < start + len(tok):
            offset = start
            break
    rest = text[offset:].lstrip()
    if not rest:
        return "at the end of the query"
    snippet = rest.split("\n", 1)[0].strip()
    if len(snippet) > 20:
        snippet = snippet[:20] + "…"
    return f"near '{snippet}'"


def _summarise_expected(detail: str) -> tuple[list[str], list[str]]:
    """Split Oxigraph's ``expected one of …`` list into (tokens, messages)."""
    body = re.sub(r"^expected( one of)?\s*", "", detail.strip())
    tokens: list[str] = []
    messages: list[str] = []
    for raw in _EXPECTED_ITEM.findall(body):
        item = raw.strip()
        if not item or item.startswith("["):
            continue
        if item.startswith('"'):
            tokens.append(f"'{item[1:-1]}'")
        elif " " in item:
            messages.append(item)
        else:
            tokens.append(item)
    return tokens, messages


def _syntax_error(
    err: Exception, user_text: str, shift: int, prefixes: Mapping[str, str]
) -> QuerySyntaxError:
    """Turn Oxigraph's ``SyntaxError`` into a one-line message about the query as written."""
    raw = str(err)
    m = _POSITION.match(raw)
    if not m:
        first = raw.strip().splitlines()[0] if raw.strip() else "cannot parse the query"
        return QuerySyntaxError(f"syntax error: {first}", 1, 1)
    line, column, detail = int(m.group(1)) - shift, int(m.group(2)), m.group(3)
    if line < 1:
        line, column = 1, 1
    offset = _line_col_to_offset(user_text, line, column)
    tokens, messages = _summarise_expected(detail)
    unknown = _unknown_prefixes(user_text, prefixes)
    if unknown:
        # Oxigraph does not always name the undeclared prefix (its error is
        # where parsing stopped), but an undeclared prefix is always an error.
        o, name = unknown[0]
        line, column = _offset_to_line_col(user_text, o)
        return QuerySyntaxError(
            f"line {line}, column {column}: unknown prefix '{name}:' (declare it: PREFIX {name}: <…>)",
            line,
            column,
        )
    messages = [x for x in messages if x != "Prefix not found"]
    if messages:
        text = messages[0]
        if len(text) > 1 and text[0].isupper() and text[1].islower():  # The … → the …, not SELECT → sELECT
            text = text[0].lower() + text[1:]
        return QuerySyntaxError(f"line {line}, column {column}: {text}", line, column)
    if not detail.startswith("expected"):
        return QuerySyntaxError(f"line {line}, column {column}: {detail.splitlines()[0]}", line, column)
    where = f"syntax error at line {line}, column {column} {_near(user_text, offset)}"
    if not tokens:
        return QuerySyntaxError(where, line, column)
    shown = ", ".join(tokens[:6]) + (", …" if len(tokens) > 6 else "")
    what = f"expected {shown}" if len(tokens) == 1 else f"expected one of {shown}"
    return QuerySyntaxError(f"{where}: {what}", line, column)


def parse_param(text: str, prefixes: Mapping[str, str] | None = None) -> tuple[str, Any]:
    """``NAME=VALUE`` (as ``kg query --param`` takes it) → the variable's name and an RDF term.

    VALUE is read as a Turtle term when it is one: ``<IRI>``, a prefixed
    name with a known prefix (``gh:TradeUnion``), a number, ``true`` or
    ``false``, or a quoted literal with a language tag or a datatype
    (``"货车司机"@zh``, ``"2022-11-11"^^xsd:date``).  Anything else is plain
    text, which :func:`bind_params` matches with or without the ``@zh`` tag
    that names carry.

    >>> parse_param("name=镇安县总工会")
    ('name', <Literal value=镇安县总工会 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>)
    >>> parse_param("cls=gh:Program")[1].value
    'https://w3id.org/gonghui-kg/ontology#Program'
    >>> parse_param("n=3")[1].datatype.value
    'http://www.w3.org/2001/XMLSchema#integer'
    """
    import pyoxigraph as ox

    name, sep, value = text.partition("=")
    name = name.strip().lstrip("?$")
    if not sep or not re.fullmatch(r"\w+", name):
        raise QueryError(f"--param {text!r}: write NAME=VALUE, e.g. --param name=镇安县总工会")
    pre = PREFIXES if prefixes is None else prefixes
    head = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in pre.items())
    try:
        triples = list(ox.parse(f"{head}<urn:x:s> <urn:x:p> {value} .".encode(), format=ox.RdfFormat.TURTLE))
    except (SyntaxError, ValueError, OSError):
        triples = []
    return name, triples[0].object if len(triples) == 1 else ox.Literal(value)


def example_params(sparql: str) -> dict[str, Any]:
    """The parameters a saved query documents in its leading comments (``--param NAME=VALUE``).

    >>> sorted(example_params("# Parameters: --param name=全总 --param role=主席\\nSELECT * {}"))
    ['name', 'role']
    """
    head = []
    for line in sparql.lstrip("\ufeff").splitlines():
        if not line.startswith("#"):
            break
        head.append(line)
    return dict(parse_param(m) for m in re.findall(r"--param\s+(\w+=[^\s()]+)", "\n".join(head)))


def _forms(value: Any) -> list[Any]:
    """The terms a parameter stands for: plain text matches itself and the same text tagged @zh."""
    import pyoxigraph as ox

    if isinstance(value, ox.NamedNode | ox.BlankNode):
        return [value]
    if not isinstance(value, ox.Literal):
        value = ox.Literal(str(value))
    if value.datatype.value == _XSD + "string":
        return [value, ox.Literal(value.value, language="zh")]
    return [value]


def bind_params(sparql: str, params: Mapping[str, Any]) -> str:
    """The query with ``VALUES`` for the given variables at the start of its ``WHERE`` block.

    A value is an RDF term (see :func:`parse_param`) or text; text matches
    the same text with or without the ``@zh`` tag, so ``name="货车司机"``
    finds ``rdfs:label "货车司机"@zh`` through the store's indexes, as if
    the query had been written with that name.  The clause is inserted on
    the line where the block opens, so line numbers of errors do not move.

    >>> bind_params("SELECT ?u WHERE { ?u rdfs:label ?name }", {"name": "全总"})
    'SELECT ?u WHERE { VALUES ?name { "全总" "全总"@zh } ?u rdfs:label ?name }'

    Raises
    ------
    QueryError
        For a variable the query does not use, or a query with no block to
        put the values in.
    """
    if not params:
        return sparql
    tokens = list(_code_tokens(sparql))
    used = {t[1:] for k, t, _ in tokens if k == "var"}
    for name in params:
        if name not in used:
            shown = ", ".join(f"?{v}" for v in sorted(used)) or "none"
            raise QueryError(f"--param {name}: the query has no variable ?{name} (its variables: {shown})")
    where = None
    for i, (kind, text, _) in enumerate(tokens):
        if kind == "word" and text.lower() == "where":
            where = i
            break
    start = where if where is not None else next(
        (i for i, (k, t, _) in enumerate(tokens) if k == "word" and t.lower() in _QUERY_FORMS), 0
    )
    brace = next((off for k, t, off in tokens[start:] if t == "{"), None)
    if brace is None:
        raise QueryError("--param: the query has no { … } block to give the values to")
    clauses = " ".join(
        f"VALUES ?{name} {{ {' '.join(str(t) for t in _forms(value))} }}" for name, value in params.items()
    )
    return f"{sparql[: brace + 1]} {clauses}{sparql[brace + 1 :]}"


def _open(source: Any) -> Any:
    if isinstance(source, (str, os.PathLike)):
        from ..store import open_store

        return open_store(source, read_only=True)
    return source


def _graph_nodes(iris: Sequence[str] | None, what: str) -> list[Any] | None:
    """``NamedNode``s for the graph IRIs of a request; a string that is not an IRI is a :class:`QueryError`."""
    import pyoxigraph as ox

    if not iris:
        return None
    nodes = []
    for iri in iris:
        try:
            nodes.append(ox.NamedNode(iri))
        except ValueError:
            raise QueryError(f"{what} {iri!r} is not an IRI") from None
    return nodes


def _query_error(e: Exception) -> QueryError:
    if isinstance(e, ValueError):
        return QueryError(f"bad query: {_one_line(e)}")
    return QueryError(f"query failed: {_one_line(e)}")


@dataclass(slots=True, eq=False)
class QueryStream:
    """The answer to one query, read once, as the store produces it.

    ``kind``, ``variables`` and ``boolean`` are known at once; iterating gives
    the rows (sequences of pyoxigraph terms, ``None`` for unbound) or the
    triples, at most ``limit`` of them.  ``count`` is how many were given so
    far and ``truncated`` turns true when the limit held back a further one.
    """

    kind: str
    variables: list[str] = field(default_factory=list)
    boolean: bool | None = None
    limit: int | None = None
    answer: Any = None  #: the store's own iterator (or any iterable of rows or triples)
    store: Any = None  #: kept open while the answer is read
    count: int = 0
    truncated: bool = False
    started: bool = False
    watchers: list[tuple[int, Any]] = field(default_factory=list)

    def watch(self, after: int, callback: Any) -> None:
        """Call ``callback()`` once, when the ``after + 1``-th row (or triple) comes."""
        self.watchers.append((after, callback))

    def native(self) -> Any | None:
        """The store's untouched answer when it may be written as a whole (no limit, no watcher).

        The stream lets go of it: the caller then holds the only reference.
        """
        import pyoxigraph as ox

        if self.started or self.limit is not None or self.watchers:
            return None
        if not isinstance(self.answer, (ox.QuerySolutions, ox.QueryTriples)):
            return None
        self.started = True
        answer, self.answer = self.answer, None
        return answer

    def __iter__(self) -> Iterator[Any]:
        if self.started:
            raise RuntimeError("a query's answer can be read only once")
        self.started = True
        if self.kind == "ask":
            return
        try:
            yield from self._items(iter(self.answer))
        finally:
            # pyoxigraph's iterators must be dropped by the thread that made them: let go of them
            # here rather than leave them to the garbage collector (a watcher that refers to its
            # stream makes a cycle, which any thread may collect)
            self.answer = None
            self.watchers = []

    def _items(self, it: Iterator[Any]) -> Iterator[Any]:
        cap = self.limit
        watch = sorted(self.watchers, key=lambda w: w[0])
        while True:
            try:
                item = next(it)
            except StopIteration:
                return
            except (RuntimeError, OSError, ValueError) as e:
                raise _query_error(e) from None
            if cap is not None and self.count >= cap:
                self.truncated = True
                return
            while watch and self.count >= watch[0][0]:
                watch.pop(0)[1]()
            self.count += 1
            yield item


def _dataset(default_graphs: Sequence[str] | None, named_graphs: Sequence[str] | None) -> dict[str, Any]:
    """The keyword arguments of ``Store.query`` that choose the query's dataset."""
    options: dict[str, Any] = {"use_default_graph_as_union": False}
    defaults = _graph_nodes(default_graphs, "default-graph-uri")
    if defaults:
        options["default_graph"] = defaults
    named = _graph_nodes(named_graphs, "named-graph-uri")
    if named:
        options["named_graphs"] = named
    return options


def _checked_text(sparql: str) -> str:
    """The query without a byte-order mark; an empty query or an update is a :class:`QueryError`."""
    text = sparql.lstrip("\ufeff")
    if not text.strip():
        raise QueryError("empty query")
    if query_form(text) == "update":
        raise QueryError(
            "this is a SPARQL Update; a build is only read (use SELECT, ASK, CONSTRUCT or DESCRIBE)"
        )
    return text


def _as_stream(answer: Any, limit: int | None, store: Any) -> QueryStream:
    import pyoxigraph as ox

    cap = None if limit is None else max(limit, 0)
    if isinstance(answer, ox.QueryBoolean):
        return QueryStream("ask", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        names = [v.value for v in answer.variables]
        return QueryStream("select", variables=names, limit=cap, answer=answer, store=store)
    return QueryStream("graph", limit=cap, answer=answer, store=store)


def stream_query(
    source: Any,
    sparql: str,
    *,
    limit: int | None = None,
    prefixes: Mapping[str, str] | None = None,
    default_graphs: Sequence[str] | None = None,
    named_graphs: Sequence[str] | None = None,
    params: Mapping[str, Any] | None = None,
) -> QueryStream:
    """Start a SPARQL query on a build; its rows come as the store finds them.

    Memory stays flat however large the answer (an ``ORDER BY`` or
    ``GROUP BY`` still gathers its input inside the store).

    Parameters
    ----------
    source
        A build directory (``kg build -o OUT``), opened read-only, or an open
        ``pyoxigraph.Store``.
    sparql
        A SELECT, ASK, CONSTRUCT or DESCRIBE query.  Updates are refused by
        the parser (the build is never changed).
    limit
        Give at most this many rows (or triples); ``truncated`` tells whether
        there were more.
    prefixes
        Predeclared prefixes; :data:`kg.rdf.namespace.PREFIXES` by default, ``{}``
        for none.
    default_graphs, named_graphs
        Graph IRIs that replace the default graph and restrict the named
        graphs, as the SPARQL protocol's ``default-graph-uri`` and
        ``named-graph-uri`` do.
    params
        Values for variables of the query (``{"name": "镇安县总工会"}``),
        given to it by :func:`bind_params`: text matches with or without
        the ``@zh`` tag; see :func:`parse_param` for other terms.

    Raises
    ------
    QuerySyntaxError
        The query does not parse; the message gives line and column.
    QueryError
        The query failed, or a graph IRI is not an IRI (also while the rows
        are read).
    BuildDirError
        ``source`` is not a build directory.
    """
    pre = PREFIXES if prefixes is None else prefixes
    text = bind_params(_checked_text(sparql), params or {})
    options = _dataset(default_graphs, named_graphs)
    prologue = _prologue(text, pre)
    store = _open(source)
    try:
        answer = store.query(prologue + text, **options)
    except SyntaxError as e:
        raise _syntax_error(e, text, prologue.count("\n"), pre) from None
    except (ValueError, RuntimeError, OSError) as e:
        raise _query_error(e) from None
    return _as_stream(answer, limit, store)


def run_query(source: Any, sparql: str, **options: Any) -> QueryResult:
    """Run a SPARQL query on a build and return its whole answer.

    Takes the arguments of :func:`stream_query` (``limit``, ``prefixes``,
    ``default_graphs``, ``named_graphs``, ``params``) and raises the same errors; use
    :func:`stream_query` for answers too large to hold.
    """
    return collect(stream_query(source, sparql, **options))


def collect(stream: QueryStream) -> QueryResult:
    """Read the whole of ``stream`` into a :class:`QueryResult`."""
    if stream.kind == "ask":
        return QueryResult("ask", boolean=stream.boolean)
    if stream.kind == "select":
        rows = [tuple(row) for row in stream]
        return QueryResult("select", variables=stream.variables, rows=rows, truncated=stream.truncated)
    triples = list(stream)
    return QueryResult("graph", triples=triples, truncated=stream.truncated)


def replay(result: QueryResult) -> QueryStream:
    """A :class:`QueryStream` over an answer already read."""
    items = result.triples if result.kind == "graph" else result.rows
    return QueryStream(result.kind, variables=list(result.variables), boolean=result.boolean, answer=items)


def _one_line(e: Exception) -> str:
    text = " ".join(str(e).split())
    return text[:300] + ("…" if len(text) > 300 else "")


# ----------------------------------------------------------------- formatting


def _longest_first(prefixes: Mapping[str, str]) -> list[tuple[str, str]]:
    """``(prefix, namespace)`` pairs, longer namespaces first (in order of the mapping among equals)."""
    return sorted(((p, ns) for p, ns in prefixes.items() if ns), key=lambda pair: -len(pair[1]))


_DEFAULT_ORDER = _longest_first(PREFIXES)


def shorten_iri(iri: str, prefixes: Mapping[str, str] | None = None) -> str:
    """The IRI with a known namespace written as its prefix, for reading (not for pasting).

    >>> shorten_iri("https://w3id.org/gonghui-kg/id/TradeUnion/全国总工会")
    'id:TradeUnion/全国总工会'
    >>> shorten_iri("http://example.org/x")
    '<http://example.org/x>'
    """
    order = _DEFAULT_ORDER if prefixes is None or prefixes is PREFIXES else _longest_first(prefixes)
    for p, ns in order:
        if len(iri) > len(ns) and iri.startswith(ns):
            return f"{p}:{iri[len(ns) :]}"
    return f"<{iri}>"


def term_text(term: Any, prefixes: Mapping[str, str] | None = None) -> str:
    """A term as a table shows it: literals as plain text, IRIs shortened, blank nodes as ``_:id``."""
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        return str(term.value)
    if isinstance(term, ox.NamedNode):
        return shorten_iri(term.value, prefixes)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        parts = (term_text(x, prefixes) for x in (term.subject, term.predicate, term.object))
        return "<< " + " ".join(parts) + " >>"
    return str(term)


def _json_term(term: Any) -> dict[str, Any]:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value not in _PLAIN_DATATYPES:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(term.subject),
                "predicate": _json_term(term.predicate),
                "object": _json_term(term.object),
            },
        }
    raise TypeError(f"not an RDF term: {term!r}")


def _json_row(variables: Sequence[str], row: Sequence[Any]) -> dict[str, Any]:
    return {v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}


def _dumps(doc: Any) -> bytes:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _json_chunks(stream: QueryStream) -> Iterator[bytes]:
    """SPARQL JSON results of ``stream``, in pieces of about :data:`CHUNK` rows."""
    if stream.kind == "ask":
        yield _dumps({"head": {}, "boolean": bool(stream.boolean)})
        return
    yield b'{"head":{"vars":' + _dumps(stream.variables) + b'},"results":{"bindings":['
    batch: list[dict[str, Any]] = []
    sep = b""
    for row in stream:
        batch.append(_json_row(stream.variables, row))
        if len(batch) >= CHUNK:
            yield sep + _dumps(batch)[1:-1]
            sep, batch = b",", []
    if batch:
        yield sep + _dumps(batch)[1:-1]
    yield b"]}}"


class _ChunkReader(io.RawIOBase):
    """A binary file that reads the pieces a generator gives."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        super().__init__()
        self._chunks = chunks
        self._rest = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buf: Any) -> int:
        while not self._rest:
            piece = next(self._chunks, None)
            if piece is None:
                return 0
            self._rest = memoryview(piece)
        n = min(len(buf), len(self._rest))
        buf[:n] = self._rest[:n]
        self._rest = self._rest[n:]
        return n


def _write_solutions(stream: QueryStream, fmt: str, out: IO[bytes]) -> None:
    """SELECT and ASK results in a SPARQL results format, written as they come.

    XML, CSV and TSV are Oxigraph's own writers reading the JSON results as
    they are produced, so every format says exactly what Oxigraph says.
    """
    import pyoxigraph as ox

    native = stream.native()
    if native is not None:
        native.serialize(out, getattr(ox.QueryResultsFormat, _RESULTS_FORMATS[fmt]))
        return
    if fmt == "json":
        for piece in _json_chunks(stream):
            out.write(piece)
        return
    reader = io.BufferedReader(_ChunkReader(_json_chunks(stream)), 1 << 16)
    parsed = ox.parse_query_results(reader, format=ox.QueryResultsFormat.JSON)
    parsed.serialize(out, getattr(ox.QueryResultsFormat, _RESULTS_FORMATS[fmt]))


def _write_graph(stream: QueryStream, fmt: str, out: IO[bytes], prefixes: Mapping[str, str] | None) -> None:
    """CONSTRUCT and DESCRIBE triples in an RDF format, written as they come.

    Turtle declares the prefixes that the first :data:`CHUNK` triples use;
    later IRIs of other namespaces are written in full.
    """
    import pyoxigraph as ox

    triples: Iterable[Any]
    used = None
    if fmt == "ttl":
        it = iter(stream)
        first = list(itertools.islice(it, CHUNK))
        used = _used_prefixes(first, PREFIXES if prefixes is None else prefixes)
        triples = itertools.chain(first, it)
    else:
        triples = stream.native() or stream
    ox.serialize(triples, out, getattr(ox.RdfFormat, _RDF_FORMATS[fmt]), prefixes=used)


def _check_format(kind: str, fmt: str) -> None:
    if fmt not in FORMATS[kind]:
        what = {"select": "a SELECT", "ask": "an ASK", "graph": "a CONSTRUCT or DESCRIBE"}[kind]
        raise QueryError(f"format '{fmt}' does not fit {what} query; use one of {', '.join(FORMATS[kind])}")


def write_result(
    stream: QueryStream,
    fmt: str,
    out: IO[bytes],
    *,
    prefixes: Mapping[str, str] | None = None,
    terminal: bool = False,
) -> None:
    """Write an answer to the binary file ``out`` in one of :data:`FORMATS`, as it comes.

    ``table`` is UTF-8 text, its columns as wide as the first :data:`CHUNK`
    rows need: plain lines (see :func:`table_lines`), or, when ``out`` is a
    ``terminal``, rich tables fitted to its width (see
    :func:`terminal_tables`).  The other formats are those of
    :func:`format_result`.  Memory stays flat whatever the answer's size.

    Raises
    ------
    QueryError
        The format does not fit the kind of result, or the query failed
        while its rows were read.
    """
    _check_format(stream.kind, fmt)
    if fmt == "table" and terminal:
        _write_terminal_tables(stream, out, prefixes)
    elif fmt == "table":
        batch: list[str] = []
        for line in table_lines(stream, prefixes):
            batch.append(line)
            if len(batch) >= CHUNK:
                out.write(("\n".join(batch) + "\n").encode("utf-8"))
                batch = []
        if batch:
            out.write(("\n".join(batch) + "\n").encode("utf-8"))
    elif stream.kind == "graph":
        _write_graph(stream, fmt, out, prefixes)
    else:
        _write_solutions(stream, fmt, out)


def _is_numeric(term: Any) -> bool:
    import pyoxigraph as ox

    return isinstance(term, ox.Literal) and term.datatype.value in _NUMERIC


def _alignment(width: int, rows: Sequence[Sequence[Any]]) -> str:
    """``r`` for each column whose bound values are all numbers, ``l`` for the others."""
    align = ""
    for i in range(width):
        col = [row[i] for row in rows if row[i] is not None]
        align += "r" if col and all(_is_numeric(t) for t in col) else "l"
    return align


def _table_start(
    stream: QueryStream, prefixes: Mapping[str, str] | None
) -> tuple[Iterator[Any], list[str], str, Callable[[Any], list[str]], list[list[str]]]:
    """The start of a SELECT or graph answer's table, read from ``stream``.

    Returns the rows still to come, the headers, the columns' alignment (set
    by the first :data:`CHUNK` rows), how a row becomes cells, and the cells
    of the first :data:`CHUNK` rows.
    """
    rows = iter(stream)
    first = list(itertools.islice(rows, CHUNK))
    if stream.kind == "graph":

        def triple_cells(t: Any) -> list[str]:
            return [term_text(x, prefixes) for x in (t.subject, t.predicate, t.object)]

        return rows, ["subject", "predicate", "object"], "", triple_cells, [triple_cells(t) for t in first]

    def row_cells(row: Any) -> list[str]:
        return [term_text(t, prefixes) for t in row]

    align = _alignment(len(stream.variables), first)
    return rows, list(stream.variables), align, row_cells, [row_cells(r) for r in first]


def table_lines(stream: QueryStream, prefixes: Mapping[str, str] | None = None) -> Iterator[str]:
    """The answer as the lines of an aligned table (``true`` or ``false`` for ASK), as it comes.

    The first :data:`CHUNK` rows set the columns' widths and alignment; a
    later, wider cell pushes the rest of its row to the right.
    """
    from ..table import TableLayout

    if stream.kind == "ask":
        yield "true" if stream.boolean else "false"
        return
    rest, headers, align, cells, shown = _table_start(stream, prefixes)
    layout = TableLayout(headers, shown, align)
    yield from layout.head()
    yield from map(layout.line, shown)
    del shown
    for row in rest:
        yield layout.line(cells(row))


def terminal_tables(stream: QueryStream, prefixes: Mapping[str, str] | None = None) -> Iterator[Any]:
    """The answer as rich tables for a terminal (``true`` or ``false`` for ASK), as it comes.

    The first :data:`CHUNK` rows come in a table under the header; each
    further :data:`CHUNK` rows in a table without one, its columns at least
    as wide as the first table's, so that they line up below it.
    """
    from ..table import TableLayout, rich_table

    if stream.kind == "ask":
        yield "true" if stream.boolean else "false"
        return
    rest, headers, align, cells, shown = _table_start(stream, prefixes)
    widths = TableLayout(headers, shown, align).widths
    yield rich_table(headers, shown, align)
    del shown
    while batch := [cells(r) for r in itertools.islice(rest, CHUNK)]:
        yield rich_table(headers, batch, align, min_widths=widths, header=False)


def _write_terminal_tables(stream: QueryStream, out: IO[bytes], prefixes: Mapping[str, str] | None) -> None:
    """Draw :func:`terminal_tables` for the terminal that ``out`` writes to, one table at a time."""
    import shutil

    from ..table import console

    text = io.StringIO()
    con = console(text, terminal=True, width=shutil.get_terminal_size().columns)
    for piece in terminal_tables(stream, prefixes):
        con.print(piece)
        out.write(text.getvalue().encode("utf-8"))
        text.seek(0)
        text.truncate()


def format_result(
    result: QueryResult, fmt: str = "table", *, prefixes: Mapping[str, str] | None = None
) -> str | bytes:
    """Write a result in one of :data:`FORMATS`.

    ``table`` gives a ``str`` for reading; every other format gives UTF-8
    ``bytes``: the SPARQL 1.1 results formats ``json``, ``xml``, ``csv`` and
    ``tsv`` for SELECT and ASK, and ``ttl``, ``nt``, ``rdfxml`` or ``jsonld``
    for CONSTRUCT and DESCRIBE.  Turtle uses ``prefixes``
    (:data:`kg.rdf.namespace.PREFIXES` by default).  :func:`write_result` writes
    the same to a file as the rows come.

    Raises
    ------
    QueryError
        The format does not fit the kind of result.
    """
    _check_format(result.kind, fmt)
    if fmt == "table":
        return "\n".join(table_lines(replay(result), prefixes))
    buf = io.BytesIO()
    write_result(replay(result), fmt, buf, prefixes=prefixes)
    return buf.getvalue()


_SIMPLE_LOCAL = re.compile(r"[^\W\d][\w\-]*\Z")


def _used_prefixes(triples: Sequence[Any], prefixes: Mapping[str, str]) -> dict[str, str]:
    """The prefixes that shorten some IRI of ``triples`` to a plain ``p:name``.

    IRIs whose rest holds a slash (entity IRIs such as ``id:TradeUnion/…``)
    stay written in full rather than as ``id:TradeUnion\\/…``.
    """
    import pyoxigraph as ox

    iris: set[str] = set()
    for t in triples:
        for term in (t.subject, t.predicate, t.object):
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
            elif isinstance(term, ox.Literal) and term.datatype.value not in _PLAIN_DATATYPES:
                iris.add(term.datatype.value)
    used = {}
    for p, ns in prefixes.items():
        if any(i.startswith(ns) and _SIMPLE_LOCAL.match(i[len(ns) :]) for i in iris):
            used[p] = ns
    return used


def summary(result: QueryResult | QueryStream) -> str:
    """A one-line count: ``3 rows``, ``1 triple``, ``true``; says when a limit cut the answer.

    For a :class:`QueryStream`, the rows read so far.
    """
    if result.kind == "ask":
        return "true" if result.boolean else "false"
    n = result.count if isinstance(result, QueryStream) else len(result)
    noun = ("triple" if result.kind == "graph" else "row") + ("" if n == 1 else "s")
    return f"{n:,} {noun}" + (" (truncated: more exist)" if result.truncated else "")
