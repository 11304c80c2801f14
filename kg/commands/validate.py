"""``kg validate OUT``: check a build against the SHACL shapes."""

from __future__ import annotations

import click

from ..rdf.validate import format_report, validate
from . import reports_errors


@click.command("validate")
@click.argument("out", type=click.Path(file_okay=False, path_type=str))
@reports_errors
def validate_cmd(out: str) -> None:
    """Check the facts of the build OUT against the SHACL shapes.

    Prints one line per problem (the node's name and IRI, the property, what
    is wrong) and exits with status 1 when any violation is found; warnings
    are printed but the graph still conforms.  A graph that conforms prints
    "conforms: N nodes checked" and exits 0.

    \b
    Example:
      kg build examples/workers-daily-2022-11-11-p3.md -o out
      kg validate out
    """
    report = validate(out)
    click.echo(format_report(report))
    if not report.conforms:
        raise SystemExit(1)
