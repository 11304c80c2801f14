"""``kg query OUT 'SPARQL'`` and ``kg query OUT -f FILE.rq``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import InputError
from . import reports_errors

__all__ = ["query_cmd"]

_FORMATS = ("table", "csv", "tsv", "json", "xml", "ttl", "nt", "rdfxml", "jsonld")


def _read_query(path: str) -> str:
    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as e:
        raise InputError(f"{path}: cannot read the query ({e.strerror or e})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path}: the query is not UTF-8 text") from None


def _params(given: tuple[str, ...]) -> dict[str, object]:
    from ..query import parse_param

    return dict(parse_param(p) for p in given)


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
    from ..query import QuerySyntaxError, format_result, run_query, summary

    if sparql is not None and file_ is not None:
        raise InputError("give the query either as an argument or with -f FILE, not both")
    if sparql is None and file_ is None:
        raise InputError("no query: give it as an argument or with -f FILE.rq")
    text = _read_query(file_) if file_ is not None else sparql
    assert text is not None
    try:
        result = run_query(out, text, limit=limit, params=_params(params))
    except QuerySyntaxError as e:
        if file_ is None or file_ == "-":
            raise
        raise QuerySyntaxError(f"{file_}: {e}", e.line, e.column) from None
    output = format_result(result, fmt)
    if isinstance(output, str):
        click.echo(output)
    else:
        stream = sys.stdout.buffer
        stream.write(output if output.endswith(b"\n") or not output else output + b"\n")
        stream.flush()
    if fmt == "table" and result.kind != "ask":
        click.echo(summary(result), err=True)
    elif result.truncated:
        click.echo(f"kg: {summary(result)}; raise --limit to see them", err=True)
    if result.kind == "ask" and not result.boolean:
        raise SystemExit(1)
