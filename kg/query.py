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

The prefixes of :data:`kg.namespace.PREFIXES` (``gh``, ``id``, ``rdfs``,
``skos``, ``prov`` …) are predeclared: a query may use them without ``PREFIX``
lines, and a ``PREFIX`` line of its own takes precedence.  The declarations
are prepended as one line, which is subtracted again from the line numbers of
syntax errors so that they point into the query as written.

>>> from kg.query import query_form
>>> query_form("PREFIX ex: <http://example.org/>\\nASK { ?s ex:p ?o }")
'ask'
>>> query_form("INSERT DATA { <http://a> <http://b> <http://c> }")
'update'
"""

from __future__ import annotations

import itertools
import json
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .errors import QueryError
from .namespace import PREFIXES

__all__ = [
    "FORMATS",
    "QueryResult",
    "QuerySyntaxError",
    "declared_prefixes",
    "bind_params",
    "example_params",
    "format_result",
    "parse_param",
    "query_form",
    "run_query",
    "shorten_iri",
    "summary",
    "term_text",
    "uses_service",
]

#: Output formats of :func:`format_result`, by the kind of result they fit.
FORMATS: dict[str, tuple[str, ...]] = {
    "select": ("table", "csv", "tsv", "json", "xml"),
    "ask": ("table", "csv", "tsv", "json", "xml"),
    "graph": ("table", "ttl", "nt", "rdfxml", "jsonld"),
}

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
        from .store import open_store

        return open_store(source, read_only=True)
    return source


def run_query(
    source: Any,
    sparql: str,
    *,
    limit: int | None = None,
    prefixes: Mapping[str, str] | None = None,
    default_graphs: Sequence[str] | None = None,
    named_graphs: Sequence[str] | None = None,
    params: Mapping[str, Any] | None = None,
) -> QueryResult:
    """Run a SPARQL query on a build and return its whole answer.

    Parameters
    ----------
    source
        A build directory (``kg build -o OUT``), opened read-only, or an open
        ``pyoxigraph.Store``.
    sparql
        A SELECT, ASK, CONSTRUCT or DESCRIBE query.  Updates are refused by
        the parser (the build is never changed).
    limit
        Keep at most this many rows (or triples); ``truncated`` tells whether
        there were more.
    prefixes
        Predeclared prefixes; :data:`kg.namespace.PREFIXES` by default, ``{}``
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
        The query failed while running.
    BuildDirError
        ``source`` is not a build directory.
    """
    import pyoxigraph as ox

    pre = PREFIXES if prefixes is None else prefixes
    user_text = sparql.lstrip("\ufeff")
    if not user_text.strip():
        raise QueryError("empty query")
    user_text = bind_params(user_text, params or {})
    if query_form(user_text) == "update":
        raise QueryError(
            "this is a SPARQL Update; a build is only read (use SELECT, ASK, CONSTRUCT or DESCRIBE)"
        )
    prologue = _prologue(user_text, pre)
    store = _open(source)
    kwargs: dict[str, Any] = {"use_default_graph_as_union": False}
    if default_graphs:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
    if named_graphs:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]

    cap = None if limit is None else max(limit, 0)
    try:
        answer = store.query(prologue + user_text, **kwargs)
        if isinstance(answer, ox.QueryBoolean):
            return QueryResult("ask", boolean=bool(answer))
        if isinstance(answer, ox.QuerySolutions):
            names = [v.value for v in answer.variables]
            it = answer if cap is None else itertools.islice(answer, cap + 1)
            rows = [tuple(sol[i] for i in range(len(names))) for sol in it]
            over = cap is not None and len(rows) > cap
            return QueryResult("select", variables=names, rows=rows[:cap] if over else rows, truncated=over)
        it = answer if cap is None else itertools.islice(answer, cap + 1)
        triples = list(it)
        over = cap is not None and len(triples) > cap
        return QueryResult("graph", triples=triples[:cap] if over else triples, truncated=over)
    except SyntaxError as e:
        raise _syntax_error(e, user_text, prologue.count("\n"), pre) from None
    except ValueError as e:
        raise QueryError(f"bad query: {_one_line(e)}") from None
    except (RuntimeError, OSError) as e:
        raise QueryError(f"query failed: {_one_line(e)}") from None


def _one_line(e: Exception) -> str:
    text = " ".join(str(e).split())
    return text[:300] + ("…" if len(text) > 300 else "")


# ----------------------------------------------------------------- formatting


def shorten_iri(iri: str, prefixes: Mapping[str, str] | None = None) -> str:
    """The IRI with a known namespace written as its prefix, for reading (not for pasting).

    >>> shorten_iri("https://w3id.org/gonghui-kg/id/TradeUnion/全国总工会")
    'id:TradeUnion/全国总工会'
    >>> shorten_iri("http://example.org/x")
    '<http://example.org/x>'
    """
    pre = PREFIXES if prefixes is None else prefixes
    best: str | None = None
    best_ns = ""
    for p, ns in pre.items():
        if ns and iri.startswith(ns) and len(iri) > len(ns) and len(ns) > len(best_ns):
            best, best_ns = p, ns
    if best is not None:
        return f"{best}:{iri[len(best_ns) :]}"
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


def _results_json(result: QueryResult) -> bytes:
    if result.kind == "ask":
        doc: dict[str, Any] = {"head": {}, "boolean": bool(result.boolean)}
    else:
        bindings = [
            {v: _json_term(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
            for row in result.rows
        ]
        doc = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _is_numeric(term: Any) -> bool:
    import pyoxigraph as ox

    return isinstance(term, ox.Literal) and term.datatype.value in _NUMERIC


def _table(result: QueryResult, prefixes: Mapping[str, str] | None) -> str:
    from .table import render_table

    if result.kind == "ask":
        return "true" if result.boolean else "false"
    if result.kind == "graph":
        rows = [[term_text(x, prefixes) for x in (t.subject, t.predicate, t.object)] for t in result.triples]
        return render_table(["subject", "predicate", "object"], rows)
    align = ""
    for i in range(len(result.variables)):
        col = [row[i] for row in result.rows if row[i] is not None]
        align += "r" if col and all(_is_numeric(t) for t in col) else "l"
    rows = [[term_text(t, prefixes) for t in row] for row in result.rows]
    return render_table(result.variables, rows, align)


def format_result(
    result: QueryResult, fmt: str = "table", *, prefixes: Mapping[str, str] | None = None
) -> str | bytes:
    """Write a result in one of :data:`FORMATS`.

    ``table`` gives a ``str`` for reading; every other format gives UTF-8
    ``bytes``: the SPARQL 1.1 results formats ``json``, ``xml``, ``csv`` and
    ``tsv`` for SELECT and ASK, and ``ttl``, ``nt``, ``rdfxml`` or ``jsonld``
    for CONSTRUCT and DESCRIBE.  Turtle uses ``prefixes``
    (:data:`kg.namespace.PREFIXES` by default).

    Raises
    ------
    QueryError
        The format does not fit the kind of result.
    """
    import pyoxigraph as ox

    if fmt not in FORMATS[result.kind]:
        what = {"select": "a SELECT", "ask": "an ASK", "graph": "a CONSTRUCT or DESCRIBE"}[result.kind]
        raise QueryError(
            f"format '{fmt}' does not fit {what} query; use one of {', '.join(FORMATS[result.kind])}"
        )
    if fmt == "table":
        return _table(result, prefixes)
    if result.kind == "graph":
        rdf = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML,
               "jsonld": ox.RdfFormat.JSON_LD}[fmt]  # fmt: skip
        pre = (
            _used_prefixes(result.triples, PREFIXES if prefixes is None else prefixes)
            if fmt == "ttl"
            else None
        )
        data = ox.serialize(result.triples, format=rdf, prefixes=pre)
        assert data is not None
        return data
    body = _results_json(result)
    if fmt == "json":
        return body
    target = {
        "xml": ox.QueryResultsFormat.XML,
        "csv": ox.QueryResultsFormat.CSV,
        "tsv": ox.QueryResultsFormat.TSV,
    }
    parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    out = parsed.serialize(format=target[fmt])
    assert out is not None
    return out


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


def summary(result: QueryResult) -> str:
    """A one-line count: ``3 rows``, ``1 triple``, ``true``; says when a limit cut the answer."""
    if result.kind == "ask":
        return "true" if result.boolean else "false"
    n = len(result)
    noun = ("triple" if result.kind == "graph" else "row") + ("" if n == 1 else "s")
    return f"{n} {noun}" + (" (truncated: more exist)" if result.truncated else "")
