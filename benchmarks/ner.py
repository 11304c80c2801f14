"""General-news sanity check of the entity extractor on public NER data.

Reads (never copies) the data beside the repository:

* CLUENER2020 dev (../shared/data/cluener2020/dev.json): labels company →
  Enterprise, government → GovernmentBody, name → Person, address → Place;
* People's Daily NER dev (../shared/data/peoples_daily_ner/example.dev, BIO):
  PER → Person, LOC → Place, ORG → the four organisation classes.

Each text is run through the same extractor as ``kg build`` (one article,
sentences split as usual) and scored by exact span and label.  The data's
terms allow research and benchmark use only.

    python benchmarks/ner.py [--data ../shared/data] [--json out.json] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CLUENER = {"company": "Enterprise", "government": "GovernmentBody", "name": "Person", "address": "Place"}
ORGS = {"TradeUnion", "Enterprise", "GovernmentBody", "OtherOrganization"}
PD = {"PER": {"Person"}, "LOC": {"Place"}, "ORG": ORGS}


def extract_spans(text: str) -> set[tuple[int, int, str]]:
    """(start, end, class) of the mentions found in ``text`` (offsets into ``text``)."""
    from kg.extract import extract_article
    from kg.extract.lexicon import lexicon
    from kg.model import Article, Document, Sentence, Span
    from kg.normalize import normalize

    doc = Document("0" * 16, "bench", text)
    art = Article(doc, 0, "", body=[Span(0, len(text))])
    norm = normalize(text, [Span(0, len(text))], repair=False)
    sents = []
    for m in re.finditer(r"[^。！？；\n]+[。！？；]?", norm.text):
        sents.append(Sentence(art, len(sents), m.start(), m.end(), m.group(0), norm.display[m.start():m.end()],
                              norm.raw_span(m.start(), m.end())))
    res = extract_article(art, norm, sents, lexicon())
    out = set()
    for mt in res.mentions:
        sp = norm.raw_span(mt.start, mt.end)
        out.add((sp.start, sp.end, mt.cls))
    return out


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"p": round(p, 3), "r": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "tp": tp, "fp": fp, "fn": fn}


def cluener(path: Path, limit: int | None) -> dict[str, dict[str, float]]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for n, line in enumerate(path.read_text("utf-8").splitlines()):
        if limit and n >= limit:
            break
        rec = json.loads(line)
        gold = {(s, e + 1, CLUENER[lab]) for lab, ents in rec.get("label", {}).items() if lab in CLUENER
                for spans in ents.values() for s, e in spans}
        pred = {x for x in extract_spans(rec["text"]) if x[2] in CLUENER.values()}
        for lab, cls in CLUENER.items():
            g = {x for x in gold if x[2] == cls}
            p = {x for x in pred if x[2] == cls}
            counts[lab][0] += len(g & p)
            counts[lab][1] += len(p - g)
            counts[lab][2] += len(g - p)
    return {lab: prf(*counts[lab]) for lab in CLUENER}


def peoples_daily(path: Path, limit: int | None) -> dict[str, dict[str, float]]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    sents: list[list[tuple[str, str]]] = [[]]
    for line in path.read_text("utf-8").splitlines():
        if not line.strip():
            if sents[-1]:
                sents.append([])
            continue
        ch, _, tag = line.partition(" ")
        sents[-1].append((ch, tag.strip()))
    for n, sent in enumerate(s for s in sents if s):
        if limit and n >= limit:
            break
        text = "".join(c for c, _ in sent)
        gold = set()
        start, lab = None, None
        for i, (_, tag) in enumerate([*sent, ("", "O")]):
            if start is not None and not tag.startswith("I-"):
                gold.add((start, i, lab))
                start = None
            if tag.startswith("B-"):
                start, lab = i, tag[2:]
        pred = extract_spans(text)
        for lab, classes in PD.items():
            g = {x for x in gold if x[2] == lab}
            p = {(s, e, lab) for s, e, c in pred if c in classes}
            counts[lab][0] += len(g & p)
            counts[lab][1] += len(p - g)
            counts[lab][2] += len(g - p)
    return {lab: prf(*counts[lab]) for lab in PD}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--json", help="write the figures here")
    ap.add_argument("--limit", type=int, help="only the first N examples of each set")
    args = ap.parse_args(argv)
    data = Path(args.data)
    out: dict[str, object] = {}
    t0 = time.monotonic()
    out["cluener2020-dev"] = cluener(data / "cluener2020" / "dev.json", args.limit)
    out["peoples-daily-dev"] = peoples_daily(data / "peoples_daily_ner" / "example.dev", args.limit)
    out["seconds"] = round(time.monotonic() - t0, 1)
    for name in ("cluener2020-dev", "peoples-daily-dev"):
        print(f"{name}\n  {'label':<12} {'P':>6} {'R':>6} {'F1':>6} {'tp':>6} {'fp':>6} {'fn':>6}")
        for lab, v in out[name].items():  # type: ignore[union-attr]
            print(f"  {lab:<12} {v['p']:6.3f} {v['r']:6.3f} {v['f1']:6.3f} {v['tp']:6d} {v['fp']:6d} {v['fn']:6d}")
    if args.json:
        Path(args.json).write_text(json.dumps(out, ensure_ascii=False, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
