"""``kg export OUT``: write a build in a standard format."""

from __future__ import annotations

import click

from ..export import FORMATS, export
from . import reports_errors


@click.command("export")
@click.argument("out", type=click.Path(file_okay=False, path_type=str))
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(sorted(FORMATS), case_sensitive=False),
    default=None,
    help="Output format; by default taken from the extension of -o, else ttl.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=True, allow_dash=True, path_type=str),
    default=None,
    help="File to write ('-' for standard output). For csv, NAME.csv writes NAME.nodes.csv and "
    "NAME.edges.csv, any other name is a folder. Default: OUT/export.EXT, or OUT/export-csv/ for csv.",
)
@click.option("--force", is_flag=True, help="Replace files that already exist.")
@reports_errors
def export_cmd(out: str, fmt: str | None, output: str | None, force: bool) -> None:
    """Export the build OUT as RDF or as a network for Gephi, Cytoscape or Excel.

    \b
    Formats:
      ttl      facts (the default graph) as Turtle
      nt       facts as N-Triples
      rdfxml   facts as RDF/XML
      jsonld   facts as compact JSON-LD, context embedded
      trig     facts and evidence named graphs as TriG
      nq       facts and evidence named graphs as N-Quads
      graphml  entity network for Cytoscape, yEd, Gephi: nodes with label,
               class, aliases, degree, pagerank, community, community_name,
               articles, first_date, last_date, color, size, x, y; edges
               with relation, label_zh, role, evidence
      gexf     the same for Gephi, with viz colours, sizes and positions
      csv      the same as two tables, UTF-8 with BOM for Excel

    Without -o the file goes into the build directory (OUT/export.ttl,
    OUT/export-csv/ …); an existing file is never replaced unless --force is
    given.  The same build always gives the same bytes.

    \b
    Examples:
      kg export out                          # out/export.ttl
      kg export out -f trig -o graph.trig    # facts with provenance
      kg export out -o graph.gexf            # format from the extension
      kg export out -f nt -o - | wc -l       # to standard output
      kg export out -f csv -o graph.csv      # graph.nodes.csv, graph.edges.csv
      kg export out -f csv -o tables/        # tables/nodes.csv, tables/edges.csv
    """
    paths = export(out, fmt.lower() if fmt else None, output, force=force)
    for p in paths:
        click.echo(f"wrote {p}", err=True)
