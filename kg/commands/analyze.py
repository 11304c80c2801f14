"""``kg analyze OUT`` and ``kg path OUT A B``."""

from __future__ import annotations

from pathlib import Path

import click

from . import reports_errors

__all__ = ["analyze_cmd", "path_cmd"]

_WITH_PLACES = click.option(
    "--with-places",
    is_flag=True,
    help="Count places as actors (by default places and articles are context and left out).",
)


@click.command("analyze")
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--focus", metavar="NAME", help="Analyse only the ego network of this entity (name or alias).")
@click.option(
    "--radius", type=click.IntRange(min=0), default=2, show_default=True, help="Hops around --focus to keep."
)
@click.option(
    "--top", type=click.IntRange(min=1), default=10, show_default=True, help="Entities per ranking."
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of community detection.")
@_WITH_PLACES
@reports_errors
def analyze_cmd(out: Path, focus: str | None, radius: int, top: int, seed: int, with_places: bool) -> None:
    """Network analysis of a build: hubs, unions' programs and money, communities, brokers.

    Hubs, communities, components and brokers are computed over
    organisations, people, programs, worker groups and awards: places and
    articles are context (--with-places counts places too).  Writes
    OUT/analysis.md and OUT/analysis.json.  The same seed gives the same
    communities.

    \b
    Examples:
      kg analyze out
      kg analyze out --focus 镇安县总工会 --radius 2 --top 5
      kg analyze out --with-places
    """
    from ..network.analyze import write_analysis

    result = write_analysis(out, focus=focus, radius=radius, top=top, seed=seed, with_places=with_places)
    g, cm = result["graph"], result["communities"]
    click.echo(
        f"{g['nodes']} entities ({g['actors']} actors), {g['edges']} relations, "
        f"{cm['count']} communities of 3 or more"
    )
    hubs = "、".join(h["label"] for h in result["hubs"][:5])
    if hubs:
        click.echo(f"hubs: {hubs}")
    named = "、".join(c["name"] for c in cm["items"][:5] if not c["trivial"])
    if named:
        click.echo(f"communities: {named}")
    click.echo(f"wrote {out / 'analysis.md'} and {out / 'analysis.json'}")


@click.command("path")
@click.argument("out", type=click.Path(path_type=Path))
@click.argument("a")
@click.argument("b")
@_WITH_PLACES
@reports_errors
def path_cmd(out: Path, a: str, b: str, with_places: bool) -> None:
    """Shortest connection between two named entities, with its evidence.

    A and B are names or aliases (either script).  The path does not go
    through places (sharing a city is not a connection) unless --with-places.
    Each hop is printed as `A —[relation]→ B` followed by the sentences that
    support it; exit status 1 when the two are not connected.

    \b
    Example:
      kg path out 徐昌顺 张家升
    """
    from ..network.analyze import format_path, shortest_path
    from ..network.graph import to_networkx

    G = to_networkx(out)
    hops = shortest_path(G, a, b, with_places=with_places)
    if not hops:
        click.echo(f"{a} and {b} are the same entity")
        return
    click.echo(format_path(G, hops))
