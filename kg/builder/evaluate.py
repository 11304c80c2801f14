"""Score a built graph against gold annotations (the gold format of the eval set).

Matching follows the published rules: a node matches a gold entity when one of
its labels (rdfs:label, skos:prefLabel, skos:altLabel), with quotes, brackets,
dots and spaces removed, equals the gold name or an alias; it is correct when
its class is the gold type and no other node matched that entity first
(longest label first).  Optional gold items are neither rewarded nor punished.
A relation is correct when both ends matched and the gold has the triple;
``holdsPost`` stands for gh:holds/gh:postIn.

Besides the totals, a :class:`Score` keeps each record's own score and its
errors (false positives and misses), so a report can show them per document
and per slice (the letter an id starts with: ``a01`` is in slice ``a``).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..model import CLASSES, RELATIONS

__all__ = ["EvalError", "Score", "evaluate", "format_errors", "format_scores", "read_gold", "score_graph"]

_STRIP = re.compile(r"[\s\"'“”‘’「」『』《》〈〉()（）·・.]")


def _norm(s: str) -> str:
    return _STRIP.sub("", s)


@dataclass(frozen=True)
class EvalError:
    """One false positive or miss of one record.

    ``kind`` is ``fp`` (extracted, not in the gold), ``fn`` (in the gold, not
    extracted), ``class`` (found with another class than the gold's: ``detail``
    names the gold class) or ``duplicate`` (a second node for a gold entity
    another node already matched).
    """

    doc: str
    part: str  #: entities or relations
    kind: str
    group: str  #: the class (entities) or the relation type
    text: str
    detail: str = ""


@dataclass
class Score:
    """tp/fp/fn per class (entities) and per relation."""

    entities: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))
    relations: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))
    missing: list[str] = field(default_factory=list)
    errors: list[EvalError] = field(default_factory=list)
    #: each record's own score, by id (filled by :func:`evaluate`)
    records: dict[str, Score] = field(default_factory=dict)

    def add(self, other: Score) -> None:
        for mine, theirs in ((self.entities, other.entities), (self.relations, other.relations)):
            for k, v in theirs.items():
                for j in range(3):
                    mine[k][j] += v[j]
        self.errors.extend(other.errors)

    def slices(self) -> dict[str, Score]:
        """The records' scores summed per slice (the first letter of the id)."""
        out: dict[str, Score] = {}
        for rid, sc in sorted(self.records.items()):
            out.setdefault(rid[:1], Score()).add(sc)
        return out

    def table(self) -> dict[str, dict[str, dict[str, float]]]:
        out: dict[str, dict[str, dict[str, float]]] = {}
        for name, t in (("entities", self.entities), ("relations", self.relations)):
            rows = {k: _prf(*t[k]) for k in sorted(t)}
            rows["ALL"] = _prf(*(sum(v[j] for v in t.values()) for j in range(3)))
            out[name] = rows
        return out


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "p": round(p, 3), "r": round(r, 3), "f1": round(f, 3)}


def _predicted(g: Any) -> tuple[dict[Any, tuple[str, set[str]]], set[tuple[Any, str, Any]]]:
    from rdflib import RDF, RDFS
    from rdflib.namespace import SKOS

    from ..rdf.namespace import GH

    ents: dict[Any, tuple[str, set[str]]] = {}
    for t in CLASSES:
        for s in g.subjects(RDF.type, GH[t]):
            labels = {_norm(str(o)) for p in (RDFS.label, SKOS.prefLabel, SKOS.altLabel) for o in g.objects(s, p)}
            labels.discard("")
            if s in ents:
                ents[s][1].update(labels)
            else:
                ents[s] = (t, labels)
    rels = {(s, r, o) for r in RELATIONS for s, o in g.subject_objects(GH[r])}
    for person, post in g.subject_objects(GH.holds):
        for org in g.objects(post, GH.postIn):
            rels.add((person, "holdsPost", org))
    return ents, rels


def _label(labels: set[str]) -> str:
    return max(sorted(labels), key=len) if labels else "?"


def score_graph(gold: dict[str, Any], g: Any) -> Score:
    """Score one graph against one gold record."""
    sc = Score()
    doc = str(gold.get("id", ""))

    def err(part: str, kind: str, group: str, text: str, detail: str = "") -> None:
        sc.errors.append(EvalError(doc, part, kind, group, text, detail))

    ents, rels = _predicted(g)
    shown: dict[Any, str] = {}
    index: dict[str, int] = {}
    for i, e in enumerate(gold["entities"]):
        for s in [e["name"], *e.get("aliases", [])]:
            index.setdefault(_norm(s), i)
    matched: dict[int, Any] = {}
    gold_of: dict[Any, str] = {}
    order = sorted(ents.items(), key=lambda kv: (-max((len(x) for x in kv[1][1]), default=0), str(kv[0])))
    for iri, (cls, labels) in order:
        hits = {index[x] for x in labels if x in index}
        shown[iri] = _label(labels)
        if not hits:
            sc.entities[cls][1] += 1
            err("entities", "fp", cls, shown[iri])
            continue
        gi = min(hits)
        ge = gold["entities"][gi]
        gold_of[iri] = ge["name"]
        if ge.get("optional"):
            continue
        if ge["type"] == cls and gi not in matched:
            matched[gi] = iri
            sc.entities[cls][0] += 1
        else:
            sc.entities[cls][1] += 1
            if ge["type"] != cls:
                err("entities", "class", cls, shown[iri], ge["type"])
            else:
                err("entities", "duplicate", cls, shown[iri], ge["name"])
    for i, e in enumerate(gold["entities"]):
        if not e.get("optional") and i not in matched:
            sc.entities[e["type"]][2] += 1
            err("entities", "fn", e["type"], e["name"])
    gold_rel = {(r["head"], r["rel"], r["tail"]): bool(r.get("optional")) for r in gold.get("relations", [])}
    seen: set[tuple[str | None, str, str | None]] = set()
    for s, r, o in rels:
        key = (gold_of.get(s), r, gold_of.get(o))
        if key in gold_rel:
            if not gold_rel[key] and key not in seen:
                sc.relations[r][0] += 1
                seen.add(key)
            continue
        sc.relations[r][1] += 1
        err("relations", "fp", r, f"{gold_of.get(s) or shown.get(s, '?')} → {gold_of.get(o) or shown.get(o, '?')}")
    found = {gold["entities"][gi]["name"] for gi in matched} | {
        e["name"] for e in gold["entities"] if e.get("optional") and e["name"] in gold_of.values()}
    for key, optional in gold_rel.items():
        if not optional and key not in seen:
            sc.relations[key[1]][2] += 1
            lost = [end for end in (key[0], key[2]) if end not in found]
            err("relations", "fn", key[1], f"{key[0]} → {key[2]}",
                "entity missed: " + ", ".join(lost) if lost else "")
    return sc


def read_gold(gold_path: str | Path) -> list[dict[str, Any]]:
    """The records of a gold file, checked: one JSON object a line with an ``id`` and lists.

    A record without ``"file"`` stands for ``ID.txt``.  A bad record is an
    :class:`~kg.errors.InputError` naming its line.
    """
    gp = Path(gold_path)
    if not gp.is_file():
        raise InputError(f"{gp}: no such gold file")
    try:
        text = gp.read_text("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{gp}: not UTF-8 text") from None
    records = []
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except ValueError:
            raise InputError(f"{gp}:{n}: not a JSON object") from None
        if not isinstance(rec, dict):
            raise InputError(f"{gp}:{n}: not a JSON object")
        if not isinstance(rec.get("id"), str) or not rec["id"] or "/" in rec["id"] or rec["id"] in (".", ".."):
            raise InputError(f"{gp}:{n}: a record needs an \"id\" that can name a folder")
        for part, need in (("entities", ("name", "type")), ("relations", ("head", "rel", "tail"))):
            items = rec.setdefault(part, [])
            if not isinstance(items, list) or not all(
                    isinstance(x, dict) and all(isinstance(x.get(k), str) for k in need) for x in items):
                raise InputError(f"{gp}:{n}: \"{part}\" must be a list of objects with "
                                 + ", ".join(f'"{k}"' for k in need))
            for x in items:
                if not isinstance(x.get("aliases", []), list):
                    raise InputError(f"{gp}:{n}: \"aliases\" of {x.get('name')} must be a list")
        if not isinstance(rec.setdefault("file", rec["id"] + ".txt"), str):
            raise InputError(f"{gp}:{n}: \"file\" must be a string")
        records.append(rec)
    return records


def evaluate(gold_path: str | Path, graph_dir: str | Path, ids: set[str] | None = None) -> Score:
    """Score ``graph_dir/<id>/graph.ttl`` for every record of ``gold_path``."""
    import rdflib

    from ..store import current_build, is_build_dir

    records = read_gold(gold_path)
    if not Path(graph_dir).is_dir():
        raise InputError(f"{graph_dir}: no such folder of builds (expected {graph_dir}/<id>/graph.ttl)")
    total = Score()
    seen = 0
    for gold in records:
        if ids and gold["id"] not in ids:
            continue
        folder = Path(graph_dir) / gold["id"]
        ttl = current_build(folder).graph_ttl if is_build_dir(folder) else folder / "graph.ttl"
        g = rdflib.Graph()
        if ttl.exists():
            try:
                g.parse(ttl, format="turtle")
            except Exception as e:  # noqa: BLE001 - any parser failure is the build's, reported in one line
                raise InputError(f"{ttl}: not valid Turtle ({str(e).splitlines()[0][:120]})") from None
        else:
            total.missing.append(gold["id"])
        one = score_graph(gold, g)
        total.records[gold["id"]] = one
        total.add(one)
        seen += 1
    if seen and len(total.missing) == seen:
        raise InputError(f"{graph_dir}: holds no <id>/graph.ttl for any gold record "
                         f"(expected e.g. {graph_dir}/{total.missing[0]}/graph.ttl)")
    return total


def _row(name: str, v: dict[str, float]) -> str:
    return (f"{name:>18} {int(v['tp']):4d} {int(v['fp']):4d} {int(v['fn']):4d}  "
            f"{v['p']:.3f} {v['r']:.3f} {v['f1']:.3f}")


def format_scores(sc: Score, slices: bool = True) -> str:
    """A table like the eval script's, then one line per slice when there are several."""
    lines = []
    for name, rows in sc.table().items():
        lines.append(f"{name:>10}  {'tp':>4} {'fp':>4} {'fn':>4}   P     R     F1")
        for k, v in rows.items():
            lines.append(_row(k, v))
    per = sc.slices()
    if slices and len(per) > 1:
        lines.append(f"{'slices':>10}  {'docs':>4}  entity P   R     F1    relation P   R     F1")
        for letter, one in per.items():
            t = one.table()
            e, r = t["entities"]["ALL"], t["relations"]["ALL"]
            docs = sum(1 for rid in sc.records if rid[:1] == letter)
            lines.append(f"{letter:>10}  {docs:4d}  {e['p']:8.3f} {e['r']:.3f} {e['f1']:.3f}"
                         f"  {r['p']:10.3f} {r['r']:.3f} {r['f1']:.3f}")
    if sc.missing:
        lines.append("missing graphs: " + ",".join(sc.missing))
    return "\n".join(lines)


_KIND = {"fp": "+", "fn": "-", "class": "~", "duplicate": "="}


def format_errors(sc: Score) -> str:
    """False positives (+), misses (-), wrong classes (~) and duplicates (=) per document, grouped by class."""
    lines = ["errors: + extracted, not in the gold; - in the gold, missed; "
             "~ found with another class; = a second node for one gold entity"]
    by_doc: dict[str, list[EvalError]] = defaultdict(list)
    for e in sc.errors:
        by_doc[e.doc].append(e)
    for doc in sorted(by_doc):
        lines.append(f"## {doc}")
        for part in ("entities", "relations"):
            groups: dict[str, list[EvalError]] = defaultdict(list)
            for e in by_doc[doc]:
                if e.part == part:
                    groups[e.group].append(e)
            for group in sorted(groups):
                items = sorted(groups[group], key=lambda e: (e.kind != "fp", e.kind, e.text))
                shown = "  ".join(f"{_KIND[e.kind]}{e.text}" + (f" ({e.detail})" if e.detail and e.kind != "duplicate"
                                                                 else "") for e in items)
                lines.append(f"  {group}: {shown}")
    return "\n".join(lines)
