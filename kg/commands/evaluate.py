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
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@reports_errors
def eval_cmd(gold: str, graphs: str, docs: str | None, ids: str | None, as_json: bool) -> None:
    """Score a build against gold annotations.

    GOLD is a JSONL file, one record per document ({"id", "file",
    "entities", "relations"}); GRAPHS/<id>/graph.ttl is the build of the
    record's document.  With --docs, each record's file is built from that
    folder first.

    \b
    Example:
      kg eval gold.jsonl builds/ --docs articles/
    """
    from ..evaluate import evaluate, format_scores

    wanted = set(ids.split(",")) if ids else None
    if docs:
        import kg

        for line in Path(gold).read_text("utf-8").splitlines():
            if not line.strip():
                continue
            rec = json.loads(line)
            if wanted and rec["id"] not in wanted:
                continue
            kg.build([str(Path(docs) / rec["file"])], Path(graphs) / rec["id"], quiet=True, viewer=False,
                     force=False)
    sc = evaluate(gold, graphs, wanted)
    click.echo(json.dumps(sc.table(), ensure_ascii=False) if as_json else format_scores(sc))
