"""``kg push``."""

from __future__ import annotations

import os

import click

from . import reports_errors


@click.command("push")
@click.argument("out", type=click.Path(file_okay=False))
@click.option("--endpoint", required=True, metavar="URL",
              help="Graph Store URL (gsp) or SPARQL Update URL (update) of the store.")
@click.option("--graph", metavar="IRI",
              help="Put the facts into this named graph instead of the default graph.")
@click.option("--protocol", type=click.Choice(["gsp", "update"]), default="gsp", show_default=True,
              help="Graph Store HTTP Protocol (N-Quads POST) or SPARQL 1.1 Update (INSERT DATA).")
@click.option("--batch", type=click.IntRange(1), default=50_000, show_default=True, metavar="N",
              help="Quads per request.")
@click.option("--facts-only", is_flag=True,
              help="Send only the facts (no evidence graphs); with gsp as Turtle to ?default or ?graph=IRI.")
@click.option("--timeout", type=click.FloatRange(0, min_open=True), default=120.0, show_default=True,
              metavar="SECONDS", help="Seconds to wait for each answer.")
@click.option("--user", metavar="NAME", help="User for HTTP authentication; the password is read from "
              "the environment variable KG_PUSH_PASSWORD.")
@click.option("-q", "--quiet", is_flag=True, help="No summary line.")
@reports_errors
def push_cmd(out: str, endpoint: str, graph: str | None, protocol: str, batch: int, facts_only: bool,
             timeout: float, user: str | None, quiet: bool) -> None:
    """Push a build into a SPARQL 1.1 store.

    OUT is a build directory.  By default the whole dataset (facts in the
    default graph, one named graph per evidence sentence) is POSTed as
    N-Quads to the store's Graph Store endpoint, in batches.  Nothing in the
    store is replaced: pushing twice equals pushing once.

    \b
    Examples:
      oxigraph serve -l data &      # a store on http://localhost:7878
      kg push out --endpoint http://localhost:7878/store
      kg push out --endpoint http://localhost:7878/update --protocol update
      kg push out --endpoint http://localhost:3030/ds/data --graph https://example.org/kg/2022
      KG_PUSH_PASSWORD=secret kg push out --protocol update --user dba \\
          --endpoint http://localhost:8890/sparql-auth
    """
    from kg.sparql.push import push

    try:
        result = push(out, endpoint, graph=graph, protocol=protocol, batch=batch, facts_only=facts_only,
                      timeout=timeout, user=user, password=os.environ.get("KG_PUSH_PASSWORD") if user else None)
    except KeyboardInterrupt:
        click.echo("kg: push interrupted; the batches already sent stay in the store", err=True)
        raise SystemExit(130) from None
    if not quiet:
        click.echo(result.summary(), err=True)
