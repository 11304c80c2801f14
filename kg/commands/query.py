"""``kg query OUT 'SPARQL'`` and ``kg query OUT -f FILE.rq``."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO, Any

import click

from ..errors import InputError
from . import reports_errors

__all__ = ["query_cmd"]

_FORMATS = ("table", "csv", "tsv", "json", "xml", "ttl", "nt", "rdfxml", "jsonld")
#: Rows shown on a terminal before saying that ``--limit`` would help.
HINT_AFTER = 1000


def _read_query(path: str) -> str:
    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as e:
        raise InputError(f"{path}: cannot read the query ({e.strerror or e})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path}: the query is not UTF-8 text") from None


def _query_text(sparql: str | None, file_: str | None) -> str:
    if sparql is not None and file_ is not None:
        raise InputError("give the query either as an argument or with -f FILE, not both")
    if sparql is not None:
        return sparql
    if file_ is None:
        raise InputError("no query: give it as an argument or with -f FILE.rq")
    return _read_query(file_)


def _params(given: tuple[str, ...]) -> dict[str, object]:
    from ..sparql.query import parse_param

    return dict(parse_param(p) for p in given)


def _start(out: Path, text: str, file_: str | None, limit: int | None, params: dict[str, object]) -> Any:
    """The running query; a syntax error in a file names the file."""
    from ..sparql.query import QuerySyntaxError, stream_query

    try:
        return stream_query(out, text, limit=limit, params=params)
    except QuerySyntaxError as e:
        if file_ is None or file_ == "-":
            raise
        raise QuerySyntaxError(f"{file_}: {e}", e.line, e.column) from None


def _hint(stream: Any, dest: _Output) -> None:
    """On a terminal, say once that the answer is long and how to see less of it."""
    noun = "triples" if stream.kind == "graph" else "rows"

    def say() -> None:
        dest.flush()
        click.echo(f"kg: more than {HINT_AFTER:,} {noun}; --limit N shows the first N (Ctrl+C stops)", err=True)

    stream.watch(HINT_AFTER, say)


def _report(stream: Any, fmt: str) -> None:
    """The count after a table, and a note when the limit cut the answer or the table outgrew its layout."""
    from ..sparql.query import CHUNK, summary

    if fmt == "table" and stream.kind != "ask":
        note = f" (columns sized by the first {CHUNK:,})" if stream.count > CHUNK else ""
        click.echo(summary(stream) + note, err=True)
    elif stream.truncated:
        click.echo(f"kg: {summary(stream)}; raise --limit to see them", err=True)


class _Output:
    """Standard output as a binary file that remembers whether its last byte ended a line."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.last = b"\n"

    def write(self, data: bytes) -> int:
        if data:
            self.raw.write(data)
            self.last = data[-1:]
        return len(data)

    def flush(self) -> None:
        self.raw.flush()

    def end_line(self) -> None:
        if self.last != b"\n":
            self.write(b"\n")
        self.flush()


def _quiet_stdout() -> None:
    """Point standard output at /dev/null, so that nothing more is written to a closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


@click.command("query")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.argument("sparql", required=False)
@click.option(
    "-f", "--file", "file_", metavar="FILE.rq", help="Read the query from a file ('-' for standard input)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(_FORMATS),
    default="table",
    show_default=True,
    help="table, or SPARQL results (csv, tsv, json, xml) for SELECT/ASK, or RDF (ttl, nt, rdfxml, jsonld) "
    "for CONSTRUCT/DESCRIBE.",
)
@click.option("--limit", type=click.IntRange(min=0), metavar="N", help="Show at most N rows (or triples).")
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Give the query's variable ?NAME this value (repeatable): text matches with or without "
    'the @zh tag of names; or write <IRI>, gh:Term, 3, "名称"@zh.',
)
@reports_errors
def query_cmd(
    out: Path, sparql: str | None, file_: str | None, fmt: str, limit: int | None, params: tuple[str, ...]
) -> None:
    """Run a SPARQL query against the build in OUT.

    The default graph holds the facts; the evidence for each statement is in
    named graphs (GRAPH ?ev { … }).  The prefixes gh, id, rdf, rdfs, owl, xsd,
    skos, org, schema, prov, oa, foaf and dcterms need no PREFIX line.

    Rows are printed as they are found, so a large answer takes little
    memory; a table's columns are as wide as its first 1,000 rows need.
    An ASK query prints true or false and exits with 0 or 1.  A syntax error
    exits with 2.  Saved queries take their inputs as parameters
    (--param name=镇安县总工会): the value goes to the query's ?name as a
    VALUES clause, the text with and without the @zh tag that names carry.
    In a query of your own, "货车司机"@zh matches a name, "货车司机" does not;
    FILTER(STR(?label) = "货车司机") matches it whatever its tag.

    \b
    Examples:
      kg query out 'SELECT ?u ?name WHERE { ?u a gh:TradeUnion ; rdfs:label ?name }'
      kg query out -f examples/queries/unions-and-leaders.rq --format csv
      kg query out 'CONSTRUCT WHERE { ?s gh:partOf ?o }' --format ttl
      kg query out -f examples/queries/who-chairs-a-union.rq --param name=哈尔滨市总工会
    """
    from ..sparql.query import write_result

    stream = _start(out, _query_text(sparql, file_), file_, limit, _params(params))
    dest = _Output(sys.stdout.buffer)
    if limit is None and sys.stdout.isatty():
        _hint(stream, dest)
    try:
        write_result(stream, fmt, dest, terminal=sys.stdout.isatty())
        dest.end_line()
    except BrokenPipeError:  # the reader stopped early (| head): stop quietly, like any filter
        _quiet_stdout()
        raise SystemExit(141) from None
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    _report(stream, fmt)
    if stream.kind == "ask" and not stream.boolean:
        raise SystemExit(1)
