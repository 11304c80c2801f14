"""Relation quality where both ends are found, and how well confidences are calibrated.

Builds every document of a gold file in this process (the same extraction as
``kg build``), matches nodes to gold entities by the rules of ``kg eval`` and
then looks at each extracted statement with the highest confidence any of its
evidence gives it:

* per relation type: precision, recall and F1 over all gold relations (as
  ``kg eval``) and over the gold relations whose two ends were both found
  (a miss there is the relation extractor's own; a statement counts against
  it only when both its ends match gold entities);
* calibration: statements binned by confidence, the share that are right in
  each bin, and the share right among statements at confidence >= 0.8.
  A statement is right when the gold has its triple (required or optional).

    python benchmarks/calibration.py GOLD.jsonl DOCS/ [--json out.json] [--show ERRORS] [--rules]
    python benchmarks/calibration.py GOLD.jsonl DOCS/ --loso

``--rules`` prints, for each rule, the statements it supports and the share
right beside the confidence the family states.  ``--loso`` asks whether a
confidence measured per rule would do better than the stated ones: it measures
each rule's share right on three slices (the first letter of the ids), drawn
towards the stated confidence for rules with few statements, and compares both
on the fourth slice (share right at >= 0.8, Brier score).

``--show misses`` (or ``fps``, or ``both``) prints each miss with both ends
found, and each false statement with both ends matched, with the sentence the
extractor read (misses: every sentence naming both ends); ``--show all`` adds
the false statements whose ends match no gold entity (marked ``?``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BINS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)


@dataclass
class Statement:
    head: str
    rel: str
    tail: str
    confidence: float = 0.0
    rules: set[str] = field(default_factory=set)
    sentences: set[str] = field(default_factory=set)
    rule: str = ""  #: the rule of the evidence that gave the highest confidence
    evidence: dict[str, float] = field(default_factory=dict)  #: each rule that supports it, its confidence


@dataclass
class DocScore:
    doc: str
    gold_of: dict[str, str]  #: node IRI → gold entity name
    found: set[str]  #: gold entity names some node matched
    statements: dict[tuple[str, str, str], Statement]
    gold_rel: dict[tuple[str, str, str], bool]  #: triple → optional
    surfaces: dict[str, set[str]]  #: gold name → its name and aliases, normalised
    sentences: list[str]


def _statements(quads: list[Any]) -> tuple[dict[tuple[str, str, str], Statement], dict[str, tuple[str, set[str]]],
                                           list[str]]:
    """Statements with their best confidence, the typed nodes with their labels, the sentences."""
    from kg.builder.evaluate import _norm
    from kg.model import CLASSES, RELATIONS
    from kg.rdf.namespace import PREFIXES

    gh, rdf_type = PREFIXES["gh"], PREFIXES["rdf"] + "type"
    label_props = {PREFIXES["rdfs"] + "label", PREFIXES["skos"] + "altLabel", PREFIXES["skos"] + "prefLabel"}
    derived = str(PREFIXES["prov"]) + "wasDerivedFrom"
    graphs: dict[str, list[tuple[str, str, Any]]] = defaultdict(list)
    conf: dict[str, float] = {}
    rule: dict[str, str] = {}
    source: dict[str, str] = {}
    text: dict[str, str] = {}
    nodes: dict[str, tuple[str, set[str]]] = {}
    for q in quads:
        s, p, o = str(q.subject.value), str(q.predicate.value), q.object
        g = getattr(q.graph_name, "value", None)
        if g is not None:
            graphs[g].append((s, p, o))
            continue
        if p == gh + "confidence" and "/Evidence/" in s:
            conf[s] = float(o.value)
        elif p == gh + "rule":
            rule[s] = o.value
        elif p == derived:
            source[s] = str(o.value)
        elif p == gh + "text":
            text[s] = o.value
        elif p == rdf_type and str(o.value).startswith(gh) and str(o.value)[len(gh):] in CLASSES:
            nodes.setdefault(s, (str(o.value)[len(gh):], set()))
        elif p in label_props:
            nodes.setdefault(s, ("", set()))[1].add(_norm(o.value))
    stmts: dict[tuple[str, str, str], Statement] = {}
    rels = {gh + r: r for r in RELATIONS}
    for ev, triples in graphs.items():
        found = [(s, rels[p], str(o.value)) for s, p, o in triples if p in rels]
        holds = {str(o.value): s for s, p, o in triples if p == gh + "holds"}
        found += [(holds[s], "holdsPost", str(o.value)) for s, p, o in triples if p == gh + "postIn" and s in holds]
        for key in found:
            st = stmts.setdefault(key, Statement(*key))
            if conf.get(ev, 0.0) > st.confidence or not st.rule:
                st.rule = rule.get(ev, st.rule)
            st.confidence = max(st.confidence, conf.get(ev, 0.0))
            r = rule.get(ev, "?")
            st.evidence[r] = max(st.evidence.get(r, 0.0), conf.get(ev, 0.0))
            if ev in rule:
                st.rules.add(rule[ev])
            if source.get(ev) in text:
                st.sentences.add(text[source[ev]])
    return stmts, {k: v for k, v in nodes.items() if v[0]}, sorted(set(text.values()))


def score_document(gold: dict[str, Any], quads: list[Any]) -> DocScore:
    """Match nodes to gold entities as ``kg eval`` does and keep every statement."""
    from kg.builder.evaluate import _norm

    stmts, nodes, sentences = _statements(quads)
    index: dict[str, int] = {}
    surfaces: dict[str, set[str]] = {}
    for i, e in enumerate(gold["entities"]):
        for s in [e["name"], *e.get("aliases", [])]:
            index.setdefault(_norm(s), i)
            surfaces.setdefault(e["name"], set()).add(_norm(s))
    matched: dict[int, str] = {}
    gold_of: dict[str, str] = {}
    for iri, (cls, labels) in sorted(nodes.items(), key=lambda kv: (-max((len(x) for x in kv[1][1]), default=0),
                                                                    kv[0])):
        hits = {index[x] for x in labels if x in index}
        if not hits:
            continue
        gi = min(hits)
        ge = gold["entities"][gi]
        gold_of[iri] = ge["name"]
        if not ge.get("optional") and ge["type"] == cls and gi not in matched:
            matched[gi] = iri
    found = {gold["entities"][gi]["name"] for gi in matched} | {
        e["name"] for e in gold["entities"] if e.get("optional") and e["name"] in gold_of.values()}
    gold_rel = {(r["head"], r["rel"], r["tail"]): bool(r.get("optional")) for r in gold.get("relations", [])}
    return DocScore(gold["id"], gold_of, found, stmts, gold_rel, surfaces, sentences)


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "p": round(p, 3), "r": round(r, 3),
            "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}


def tally(scores: list[DocScore]) -> dict[str, Any]:
    """Per-type counts over all gold relations and over those with both ends found; the calibration bins."""
    every: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    ends: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    bins = [[0, 0] for _ in BINS[:-1]]
    for ds in scores:
        seen = set()
        for st in ds.statements.values():
            key = (ds.gold_of.get(st.head), st.rel, ds.gold_of.get(st.tail))
            right = key in ds.gold_rel
            b = next(i for i in range(len(BINS) - 1) if BINS[i] <= st.confidence < BINS[i + 1])
            bins[b][0] += 1
            bins[b][1] += right
            if right:
                if not ds.gold_rel[key] and key not in seen:
                    seen.add(key)
                    every[st.rel][0] += 1
                    ends[st.rel][0] += 1
                continue
            every[st.rel][1] += 1
            if key[0] is not None and key[2] is not None:
                ends[st.rel][1] += 1
        for key, optional in ds.gold_rel.items():
            if optional or key in seen:
                continue
            every[key[1]][2] += 1
            if key[0] in ds.found and key[2] in ds.found:
                ends[key[1]][2] += 1
    out: dict[str, Any] = {"all": {}, "ends_found": {}}
    for name, t in (("all", every), ("ends_found", ends)):
        out[name] = {k: _prf(*t[k]) for k in sorted(t)}
        out[name]["ALL"] = _prf(*(sum(v[j] for v in t.values()) for j in range(3)))
    out["bins"] = [{"from": BINS[i], "to": min(BINS[i + 1], 1.0), "statements": n, "right": r,
                    "share": round(r / n, 3) if n else None} for i, (n, r) in enumerate(bins)]
    hi = [(n, r) for i, (n, r) in enumerate(bins) if BINS[i] >= 0.8]
    n, r = sum(x for x, _ in hi), sum(y for _, y in hi)
    out["at_0.8"] = {"statements": n, "right": r, "share": round(r / n, 3) if n else None}
    return out


def _iri_name(iri: str) -> str:
    from urllib.parse import unquote

    return unquote(iri.rsplit("/", 1)[-1])


def by_rule(scores: list[DocScore]) -> dict[str, tuple[int, int, float]]:
    """Per rule: the statements it supports, how many are right, and the confidence it gives them."""
    out: dict[str, list[float]] = {}
    for ds in scores:
        for st in ds.statements.values():
            key = (ds.gold_of.get(st.head), st.rel, ds.gold_of.get(st.tail))
            for rule, conf in st.evidence.items():
                row = out.setdefault(rule, [0, 0, 0.0])
                row[0] += 1
                row[1] += key in ds.gold_rel
                row[2] = max(row[2], conf)
    return {k: (int(v[0]), int(v[1]), v[2]) for k, v in sorted(out.items())}


#: Rules made outside the relation families (kg/rdf/mapping.py): kept as they are.
MAPPED = ("locatedIn:", "partOf:", "post:byline", "byline", "mention", "figure")
#: Weight of a rule's stated confidence against what it got right (as this many statements).
PRIOR = 4


def fit(scores: list[DocScore]) -> dict[str, tuple[float, int, int]]:
    """Each family rule's measured confidence: its share right, drawn towards its stated confidence
    when it made few statements; with the statements and how many were right."""
    out = {}
    for rule, (n, right, stated) in by_rule(scores).items():
        if rule.startswith(MAPPED) or rule == "?":
            continue
        conf = (right + PRIOR * stated) / (n + PRIOR)
        out[rule] = (round(min(max(conf, 0.05), 0.99), 2), n, right)
    return out


def recalibrate(scores: list[DocScore], table: dict[str, tuple[float, int, int]]) -> None:
    """Give every statement the best confidence its evidence has under ``table``."""
    for ds in scores:
        for st in ds.statements.values():
            st.confidence = max(table[r][0] if r in table else c for r, c in st.evidence.items())


def loso(scores: list[DocScore]) -> list[dict[str, Any]]:
    """Fit on three slices, measure on the fourth: the share right at >= 0.8 and the Brier score."""
    rows = []
    for letter in sorted({ds.doc[:1] for ds in scores}):
        train = [ds for ds in scores if ds.doc[:1] != letter]
        test = [ds for ds in scores if ds.doc[:1] == letter]
        row: dict[str, Any] = {"slice": letter}
        for name, table in (("stated", {}), ("measured", fit(train))):
            recalibrate(test, table)
            pairs = [(st.confidence, (ds.gold_of.get(st.head), st.rel, ds.gold_of.get(st.tail)) in ds.gold_rel)
                     for ds in test for st in ds.statements.values()]
            hi = [ok for c, ok in pairs if c >= 0.8]
            row[name] = {"at_0.8": round(sum(hi) / len(hi), 3) if hi else None, "n_0.8": len(hi),
                         "brier": round(sum((c - ok) ** 2 for c, ok in pairs) / len(pairs), 4) if pairs else None}
        rows.append(row)
    recalibrate(scores, {})
    return rows


def show(scores: list[DocScore], what: str) -> str:
    """Misses with both ends found and false statements with both ends matched, with their sentences."""
    lines = []
    for ds in scores:
        part = []
        if what in ("misses", "both", "all"):
            got = {(ds.gold_of.get(s.head), s.rel, ds.gold_of.get(s.tail)) for s in ds.statements.values()}
            for key, optional in sorted(ds.gold_rel.items()):
                if optional or key in got or key[0] not in ds.found or key[2] not in ds.found:
                    continue
                sents = [s for s in ds.sentences if any(a in s for a in ds.surfaces.get(key[0], ()))
                         and any(b in s for b in ds.surfaces.get(key[2], ()))]
                part.append(f"  - {key[1]}: {key[0]} → {key[2]}")
                part.extend(f"      | {s}" for s in sents[:3])
        if what in ("fps", "both", "all"):
            for st in sorted(ds.statements.values(), key=lambda s: (s.rel, s.head, s.tail)):
                key = (ds.gold_of.get(st.head), st.rel, ds.gold_of.get(st.tail))
                if key in ds.gold_rel or (what != "all" and (key[0] is None or key[2] is None)):
                    continue
                shown = [k or "?" + _iri_name(x) for k, x in ((key[0], st.head), (key[2], st.tail))]
                rules = ",".join(sorted(st.rules))
                part.append(f"  + {st.rel}: {shown[0]} → {shown[1]}  [{st.confidence:.2f} {rules}]")
                part.extend(f"      | {s}" for s in sorted(st.sentences)[:2])
        if part:
            lines.append(f"## {ds.doc}")
            lines.extend(part)
    return "\n".join(lines)


def run(gold_path: str, docs: str, ids: set[str] | None = None) -> list[DocScore]:
    """Build and score every record."""
    from kg.builder.evaluate import read_gold
    from kg.builder.pipeline import extract_document
    from kg.extract.lexicon import lexicon
    from kg.read.ingest import iter_documents

    lx = lexicon()
    out = []
    for rec in read_gold(gold_path):
        if ids and rec["id"] not in ids:
            continue
        doc = next(iter_documents([str(Path(docs) / rec["file"])]))
        mapper, _ = extract_document(doc, lx)
        out.append(score_document(rec, mapper.quads))
    return out


def format_report(t: dict[str, Any]) -> str:
    lines = [f"{'relation':>18}  {'all: tp':>7} {'fp':>4} {'fn':>4}  {'P':>5} {'R':>5} {'F1':>5}   "
             f"{'ends found: tp':>14} {'fp':>4} {'fn':>4}  {'P':>5} {'R':>5} {'F1':>5}"]
    for k in t["all"]:
        a, e = t["all"][k], t["ends_found"].get(k, _prf(0, 0, 0))
        lines.append(f"{k:>18}  {a['tp']:7d} {a['fp']:4d} {a['fn']:4d}  {a['p']:.3f} {a['r']:.3f} {a['f1']:.3f}   "
                     f"{e['tp']:14d} {e['fp']:4d} {e['fn']:4d}  {e['p']:.3f} {e['r']:.3f} {e['f1']:.3f}")
    lines.append("calibration (statements by confidence; right = the gold has the triple)")
    for b in t["bins"]:
        share = f"{b['share']:.3f}" if b["share"] is not None else "  -  "
        lines.append(f"  [{b['from']:.1f}, {b['to']:.1f}{']' if b['to'] >= 1 else ')'}  "
                     f"{b['statements']:5d} statements  {b['right']:5d} right  {share}")
    h = t["at_0.8"]
    lines.append(f"  confidence >= 0.8: {h['statements']} statements, {h['right']} right, share {h['share']}")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gold")
    ap.add_argument("docs")
    ap.add_argument("--ids", help="comma-separated record ids (default: all)")
    ap.add_argument("--json", help="write the figures as JSON here")
    ap.add_argument("--rules", action="store_true", help="print each rule's statements and share right")
    ap.add_argument("--loso", action="store_true",
                    help="measure on three slices (the first letter of the ids), check on the fourth")
    ap.add_argument("--show", choices=("misses", "fps", "both", "all"),
                    help="print the errors with their sentences (all: also statements whose ends are not in the gold)")
    a = ap.parse_args()
    t0 = time.monotonic()
    try:
        scores = run(a.gold, a.docs, set(a.ids.split(",")) if a.ids else None)
    except Exception as e:  # noqa: BLE001 - one line for any unreadable input
        print(f"calibration: {e}", file=sys.stderr)
        return 2
    t = tally(scores)
    if a.show:
        print(show(scores, a.show))
    print(format_report(t))
    if a.rules:
        for rule, (n, right, conf) in by_rule(scores).items():
            print(f"  {rule:36} {n:4d} statements {right:4d} right  {right / n:.2f}  (confidence {conf:.2f})")
    if a.loso:
        rows = loso(scores)
        print("leave one slice out: share right at confidence >= 0.8 (statements), Brier score")
        for r in rows:
            print(f"  slice {r['slice']}  stated {r['stated']['at_0.8']} ({r['stated']['n_0.8']}) "
                  f"{r['stated']['brier']}   measured {r['measured']['at_0.8']} ({r['measured']['n_0.8']}) "
                  f"{r['measured']['brier']}")
        for name in ("stated", "measured"):
            vals = [r[name]["at_0.8"] for r in rows if r[name]["at_0.8"] is not None]
            print(f"  mean {name}: {sum(vals) / len(vals):.3f}")

    print(f"({len(scores)} documents in {time.monotonic() - t0:.1f}s)")
    if a.json:
        Path(a.json).write_text(json.dumps(t, ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
