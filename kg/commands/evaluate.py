"""``kg eval``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from . import reports_errors


@click.command("eval")
@click.argument("gold", type=click.Path(dir_okay=False))
@click.argument("graphs", type=click.Path(file_okay=False))
@click.option("--docs", type=click.Path(exists=True, file_okay=False),
              help="Folder of the gold records' files: build each into GRAPHS/<id>/ first.")
@click.option("--ids", help="Only these record ids (comma-separated).")
@click.option("--errors", "show_errors", is_flag=True,
              help="Also list each document's false positives and misses, grouped by class.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@reports_errors
def eval_cmd(gold: str, graphs: str, docs: str | None, ids: str | None, show_errors: bool, as_json: bool) -> None:
    """Score a build against gold annotations.

    GOLD is a JSONL file, one record per document ({"id", "file",
    "entities", "relations"}; without "file" the document is ID.txt);
    GRAPHS/<id>/graph.ttl is the build of the record's document.  With
    --docs, each record's file is built from that folder first.  Several
    slices (ids starting with different letters) get a line each.

    \b
    Example:
      kg eval gold.jsonl builds/ --docs articles/ --errors
    """
    from ..builder.evaluate import evaluate, format_errors, format_scores, read_gold
    from ..errors import InputError

    wanted = set(ids.split(",")) if ids else None
    if docs:
        import kg

        for rec in read_gold(gold):
            if wanted and rec["id"] not in wanted:
                continue
            src = Path(docs) / rec["file"]
            if not src.is_file():
                raise InputError(f"{src}: no such document for gold record {rec['id']}")
            kg.build([str(src)], Path(graphs) / rec["id"], quiet=True, viewer=False, force=False)
    sc = evaluate(gold, graphs, wanted)
    if as_json:
        out = sc.table()
        if len(sc.slices()) > 1:
            out["slices"] = {k: v.table() for k, v in sc.slices().items()}  # type: ignore[assignment]
        if show_errors:
            out["errors"] = [e.__dict__ for e in sc.errors]  # type: ignore[assignment]
        click.echo(json.dumps(out, ensure_ascii=False))
        return
    click.echo(format_scores(sc))
    if show_errors:
        click.echo(format_errors(sc))
