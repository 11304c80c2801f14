"""``kg viz OUT``: the offline viewer, or a PNG/SVG picture."""

from __future__ import annotations

from pathlib import Path

import click

from . import reports_errors

__all__ = ["viz_cmd"]


@click.command("viz")
@click.argument("out", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default OUT/graph.html, or OUT/graph.png|svg).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "png", "svg"]),
    help="Output format (default: from -o's suffix, else html).",
)
@click.option("--top", type=click.IntRange(min=1), help="Keep the N most central entities.")
@click.option("--focus", metavar="NAME", help="Show only the ego network of this entity (name or alias).")
@click.option(
    "--radius", type=click.IntRange(min=0), default=2, show_default=True, help="Hops around --focus to keep."
)
@click.option("--classes", metavar="C1,C2", help="Keep only these classes, e.g. TradeUnion,Program.")
@click.option("--articles", is_flag=True, help="Also show the articles as nodes.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the layout.")
@click.option("--title", help="Title of the page or picture.")
@click.option("--force", is_flag=True, help="Overwrite an existing -o file.")
@reports_errors
def viz_cmd(
    out: Path,
    output: Path | None,
    fmt: str | None,
    top: int | None,
    focus: str | None,
    radius: int,
    classes: str | None,
    articles: bool,
    seed: int,
    title: str | None,
    force: bool,
) -> None:
    """Write the interactive offline viewer of a build (or a PNG/SVG picture).

    The page needs no network: open it from disk in any browser.

    \b
    Examples:
      kg viz out                              # rewrites out/graph.html
      kg viz out --focus 镇安县总工会 --radius 2 -o zhenan.html
      kg viz out --classes TradeUnion,Program --format svg -o unions.svg
    """
    from ..network.viz import write_viewer

    path = write_viewer(
        out,
        output,
        fmt=fmt,
        top=top,
        focus=focus,
        radius=radius,
        classes=[c for c in classes.split(",") if c.strip()] if classes is not None else None,
        articles=articles,
        seed=seed,
        title=title,
        force=force,
    )
    click.echo(f"wrote {path}")
