"""``kg serve OUT``: a read-only SPARQL endpoint."""

from __future__ import annotations

from pathlib import Path

import click

from . import reports_errors

__all__ = ["serve_cmd"]


@click.command("serve")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=7878, show_default=True, help="0 picks a free port."
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=30.0,
    show_default=True,
    metavar="SECONDS",
    help="Longest a query may take, waiting for a worker included; slower ones get 503 and are stopped.",
)
@click.option(
    "--max-rows",
    type=click.IntRange(min=1),
    default=10000,
    show_default=True,
    metavar="N",
    help="Rows (or triples) at most per answer; a cut answer has the header X-KG-Truncated: true.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=2),
    metavar="N",
    help="Query worker processes [default: two per CPU, from 2 to 8].",
)
@click.option(
    "--long-queries",
    type=click.IntRange(min=1),
    metavar="N",
    help="Queries that may run longer than a second at once, fewer than --workers so that short queries "
    "always find one free; one more gets 503 [default: half the workers].",
)
@click.option("--cors", is_flag=True, help="Let web pages of any origin read the answers (off: only this page).")
@click.option("-q", "--quiet", is_flag=True, help="Do not log requests.")
@reports_errors
def serve_cmd(
    out: Path,
    host: str,
    port: int,
    timeout: float,
    max_rows: int,
    workers: int | None,
    long_queries: int | None,
    cors: bool,
    quiet: bool,
) -> None:
    """Serve the build in OUT as a read-only SPARQL 1.1 endpoint.

    The endpoint is http://HOST:PORT/sparql (GET ?query=, or POST); the page
    at http://HOST:PORT/ lets you try queries in a browser.  Updates and
    SERVICE are refused.  It listens on this machine only unless --host says
    otherwise.  When OUT is rebuilt, the new build is served once it is
    complete.  Stop it with Ctrl+C or SIGTERM.

    \b
    Examples:
      kg serve out
      kg serve out --port 0          # prints the URL of a free port
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * { ?s a gh:Award }' http://127.0.0.1:7878/sparql
    """
    from ..sparql.serve import serve

    serve(
        out,
        host,
        port,
        timeout=timeout,
        max_rows=max_rows,
        workers=workers,
        long_queries=long_queries,
        cors=cors,
        quiet=quiet,
    )
