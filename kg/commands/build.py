"""``kg build``."""

from __future__ import annotations

import datetime as _dt
import sys

import click

from . import reports_errors


def _parse_jobs(ctx: click.Context, param: click.Parameter, value: str) -> int | None:
    if value == "auto":
        return None
    try:
        jobs = int(value)
    except ValueError:
        jobs = 0
    if not 1 <= jobs <= 256:
        raise click.BadParameter(f"{value!r} is not auto or a number from 1 to 256")
    return jobs


def _parse_date(ctx: click.Context, param: click.Parameter, value: str | None) -> _dt.date | None:
    if value is None:
        return None
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2022-11-11") from None


@click.command("build")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("-o", "--out", type=click.Path(), help="Build directory to write.")
@click.option("--append", "append_to", type=click.Path(), metavar="OUT",
              help="Add INPUTs to the existing build OUT; documents it already holds are skipped.")
@click.option("-j", "--jobs", default="auto", show_default=True, callback=_parse_jobs, metavar="N|auto",
              help="Worker processes for extraction; auto: one per processor (at most 4) for inputs of "
                   "500,000 characters or more, else 1.")
@click.option("--force", is_flag=True,
              help="Write into OUT even if it holds files that are not a previous build (they are left as they are).")
@click.option("--wait", is_flag=True, help="If another build is writing OUT, wait for it instead of failing.")
@click.option("--no-repair", is_flag=True,
              help="Do not repair OCR slips (人会 → 入会); every repair is listed in report.md.")
@click.option("--date", callback=_parse_date, metavar="YYYY-MM-DD",
              help="Publication date when neither the file name nor the text gives one.")
@click.option("--rules", type=click.Path(exists=True, dir_okay=False),
              help="TOML file of extra names, aliases, suffixes and roles.")
@click.option("--outlet", metavar="NAME",
              help="The newspaper of the inputs, e.g. 工人日报 (reporters get posts there).")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Leave out entities and statements below this confidence.")
@click.option("--no-viewer", is_flag=True, help="Do not write graph.html.")
@click.option("-q", "--quiet", is_flag=True, help="No progress and no summary line.")
@click.option("--dask", "dask_address", metavar="SCHEDULER_ADDRESS",
              help="Extract on a Dask cluster, e.g. tcp://host:8786 (needs gonghui-kg[dask]).")
@reports_errors
def build_cmd(inputs: tuple[str, ...], out: str | None, append_to: str | None, jobs: int | None, force: bool,
              wait: bool, no_repair: bool, date: _dt.date | None, rules: str | None, outlet: str | None,
              min_confidence: float, no_viewer: bool, quiet: bool,
              dask_address: str | None = None) -> None:
    """Build a knowledge graph from newspaper text.

    INPUT is any mix of files (.txt, .md, .jsonl, .html), folders (searched
    recursively) and - for standard input.  UTF-8, GB18030/GBK and BIG5 are
    detected.  OUT receives graph.ttl (the facts), store/ (facts and
    provenance, read by query/analyze/viz), graph.html (the viewer) and
    report.md, published together when the build is complete: an
    interrupted build leaves the previous one whole.  An OUT holding
    anything but a previous build is refused unless --force; nothing of
    yours is replaced or deleted.  One build at a time writes an OUT.

    \b
    Examples:
      kg build examples/workers-daily-2022-11-11-p3.md -o out
      kg build archive/ more.jsonl -o out --outlet 工人日报
      cat page.txt | kg build - -o out --date 2022-11-11
      kg build --append out new-pages/         # only the new documents are read
      kg build archive/ -o out --jobs 2
      kg build archive/ -o out --dask tcp://10.0.0.5:8786
    """
    import kg

    if (out is None) == (append_to is None):
        raise click.UsageError("give the build directory once: -o OUT for a new build, or --append OUT")

    def warn(line: str) -> None:
        click.echo(f"kg: warning: {line}", err=True)

    if dask_address is not None:
        if jobs is not None and jobs != 1:
            raise click.UsageError("--jobs and --dask exclude each other "
                                   "(the cluster's workers do the extraction)")
        from kg.builder.distributed import build_with_dask

        result = build_with_dask(list(inputs), out or append_to, dask_address, append=append_to is not None,
                                 force=force, quiet=quiet, repair=not no_repair, date=date, rules=rules,
                                 outlet=outlet, min_confidence=min_confidence, viewer=not no_viewer,
                                 stdin=sys.stdin.buffer if "-" in inputs else None, warn=warn, wait=wait)
        if not quiet:
            click.echo(result.summary(), err=True)
        return
    result = kg.build(list(inputs), out or append_to, append=append_to is not None, jobs=jobs, force=force,
                      quiet=quiet, repair=not no_repair, date=date, rules=rules, outlet=outlet,
                      min_confidence=min_confidence, viewer=not no_viewer,
                      stdin=sys.stdin.buffer if "-" in inputs else None, warn=warn, wait=wait)
    if not quiet:
        click.echo(result.summary(), err=True)
