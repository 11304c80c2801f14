"""``kg schema OUT [TERM]``: the classes and properties, with labels, comments, an example query each
and how often the build uses them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from ..errors import InputError
from . import reports_errors

__all__ = ["schema_cmd"]

_HEADINGS = {"class": "Classes 类", "object property": "Relations 关系 (object properties)",
             "datatype property": "Values 属性值 (datatype properties)"}  # fmt: skip


def _pick(terms: list[dict[str, Any]], wanted: str) -> list[dict[str, Any]]:
    key = wanted.strip().removeprefix("gh:").casefold()
    found = [
        t for t in terms
        if key in (t["term"][3:].casefold(), t["label_zh"].casefold(), t["label_en"].casefold())
    ]  # fmt: skip
    if found:
        return found
    import difflib

    names = [t["term"][3:] for t in terms] + [t["label_zh"] for t in terms if t["label_zh"]]
    close = difflib.get_close_matches(wanted.removeprefix("gh:"), names, n=4, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else "; `kg schema OUT` lists them all"
    raise InputError(f"no class or property named {wanted!r}{hint}")


def _text(terms: list[dict[str, Any]], graph: str) -> str:
    lines: list[str] = []
    kind = None
    for t in terms:
        if t["kind"] != kind:
            kind = t["kind"]
            lines += ["" if lines else "", _HEADINGS[kind], "=" * 8]
        lines.append(f"{t['term']}  {t['label_zh']} · {t['label_en']}  ({t['count']:,} in this build)")
        for comment in (t["comment_zh"], t["comment_en"]):
            if comment:
                lines.append(f"    {comment}")
        if t["subclass_of"]:
            lines.append(f"    subclass of: {', '.join(t['subclass_of'])}")
        if t["domain"] or t["range"]:
            lines.append(f"    domain: {', '.join(t['domain']) or '-'}    range: {', '.join(t['range']) or '-'}")
        lines.append(f"    example: {t['example']}")
        lines.append("")
    lines += [
        f"Each build holds this vocabulary beside the facts, in the named graph <{graph}>:",
        f"  kg query OUT 'SELECT ?p ?label WHERE {{ GRAPH <{graph}> "
        "{ ?p a owl:ObjectProperty ; rdfs:label ?label } }'",
        'Names are Chinese literals tagged @zh: match "货车司机"@zh, '
        'or any tag with FILTER(STR(?label) = "货车司机").',
    ]
    return "\n".join(lines).strip("\n")


def _markdown(terms: list[dict[str, Any]]) -> str:
    out = ["| term | 中文 | English | kind | domain | range | in this build | comment |",
           "|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for t in terms:
        cells = [f"`{t['term']}`", t["label_zh"], t["label_en"], t["kind"], ", ".join(t["domain"]),
                 ", ".join(t["range"]), str(t["count"]), t["comment_en"]]  # fmt: skip
        out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(out)


def _count(out: Path, terms: list[dict[str, Any]]) -> None:
    """How many entities of each class, and statements of each property, the build holds (its facts)."""
    from ..store import open_store

    store = open_store(out)
    for t in terms:
        pattern = f"?x a <{t['iri']}>" if t["kind"] == "class" else f"?x <{t['iri']}> ?y"
        t["count"] = int(next(iter(store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")))["n"].value)


@click.command("schema")
@click.argument("out", type=click.Path(path_type=Path))
@click.argument("term", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="text to read, markdown for a table, json for programs.",
)
@reports_errors
def schema_cmd(out: Path, term: str | None, fmt: str) -> None:
    """The vocabulary of the build OUT: classes and properties with Chinese and English labels.

    For each term: its comments, domain and range (or superclasses), how
    many entities or statements of it the build holds, and one SPARQL query
    to run with kg query.  TERM picks one term by its name or either label
    (TradeUnion, gh:organizes, 工会, trade union).  The same vocabulary is in
    the build's store, in the named graph
    <https://w3id.org/gonghui-kg/ontology>, to be queried beside the facts.

    \b
    Examples:
      kg schema out
      kg schema out organizes
      kg schema out 职工群体 --format json
    """
    from ..rdf.ontology import ONTOLOGY_GRAPH, describe
    from ..store import read_manifest

    read_manifest(out)
    terms = describe()
    if term is not None:
        terms = _pick(terms, term)
    _count(out, terms)
    if fmt == "json":
        click.echo(json.dumps(terms, ensure_ascii=False, indent=2))
    elif fmt == "markdown":
        click.echo(_markdown(terms))
    else:
        click.echo(_text(terms, ONTOLOGY_GRAPH))
