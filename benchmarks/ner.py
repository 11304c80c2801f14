"""General-news check of entity extraction on public NER data.

Reads (never copies) the data beside the repository:

* CLUENER2020 dev (../shared/data/cluener2020/dev.json): labels company →
  Enterprise, government → GovernmentBody, name → Person, address → Place;
* People's Daily NER dev (../shared/data/peoples_daily_ner/example.dev, BIO):
  PER → Person, LOC → Place, ORG → the four organisation classes.

Three systems are scored by exact span and label:

* ``extractor``: each text run through the same extractor as ``kg build``
  (one article, sentences split as usual), the general-news model's
  proposals included;
* ``general``: the general-news model alone (kg.extract.general, trained on
  CLUENER2020's training split only), its name, company, government,
  organization and address as Person, Enterprise, GovernmentBody,
  OtherOrganization and Place;
* ``tagger``: the word tagger alone (kg.extract.tagger, all texts in one
  call), its PER as Person, LOC as Place, and ORG as GovernmentBody when the
  name ends in a word of state (政府, 局, 部, 委, 法院, 海关, 军, … see
  ``GOVERNMENT``), else as Enterprise.  The tagger has one organisation tag,
  so CLUENER's other organisations (schools, teams, associations) it finds
  count against company or government.

The extractor's targets on CLUENER2020 (F1 of company, government and name, see
``TARGETS``) are checked: the exit status is 1 when one is missed.

The data's terms allow research and benchmark use only.

    python benchmarks/ner.py [--data ../shared/data] [--systems extractor,tagger,general] [--json out.json]
                             [--limit N]
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
# the word tagger's name tags; ORG is split by org_class
TAGGER = {"PER": "Person", "LOC": "Place", "ORG": None}
GOVERNMENT = re.compile(r"(?:政府|中央|国务院|法院|检察院|委员会|常委会|人大|政协|纪委|委|局|部|厅|署|处|办|办公室|"
                        r"派出所|使馆|领事馆|海关|警方|检方|军|部队|武警|公安|央行|人民银行)$")


def extract_spans(text: str) -> set[tuple[int, int, str]]:
    """(start, end, class) of the mentions found in ``text`` (offsets into ``text``)."""
    from kg.extract import extract_article
    from kg.extract.lexicon import lexicon
    from kg.model import Article, Document, Sentence, Span
    from kg.read.normalize import normalize

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


def tagger_spans(texts: list[str]) -> list[set[tuple[int, int, str]]]:
    """The word tagger's names as (start, end, class): PER → Person, LOC → Place, ORG → :func:`org_class`."""
    from kg.extract.tagger import tagger

    out = []
    for text, words in zip(texts, tagger().tag(texts), strict=True):
        spans = set()
        for w in words:
            if w.tag in TAGGER:
                cls = TAGGER[w.tag] or org_class(text[w.start:w.end])
                spans.add((w.start, w.end, cls))
        out.append(spans)
    return out


def org_class(name: str) -> str:
    """GovernmentBody when ``name`` ends in a word of state (局, 政府, 法院, 海关, 军 …), else Enterprise."""
    return "GovernmentBody" if GOVERNMENT.search(name) else "Enterprise"


def extractor_spans(texts: list[str]) -> list[set[tuple[int, int, str]]]:
    return [extract_spans(t) for t in texts]


#: The general-news model's labels as classes.
GENERAL = {"name": "Person", "company": "Enterprise", "government": "GovernmentBody",
           "organization": "OtherOrganization", "address": "Place"}


def general_spans(texts: list[str]) -> list[set[tuple[int, int, str]]]:
    """The general-news model alone (kg.extract.general) on the word tagger's words: its labels as classes."""
    from kg.extract.general import spans
    from kg.extract.tagger import tagger

    found = spans(texts, tagger().tag(texts))
    return [{(s, e, GENERAL[lab]) for s, e, lab, _score in f if lab in GENERAL} for f in found]


SYSTEMS = {"extractor": extractor_spans, "tagger": tagger_spans, "general": general_spans}
#: The least F1 of the extractor on general news (the exit status is 1 when one is missed).
TARGETS = {("cluener2020-dev", "company"): 0.60, ("cluener2020-dev", "government"): 0.60,
           ("cluener2020-dev", "name"): 0.80}


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"p": round(p, 3), "r": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "tp": tp, "fp": fp, "fn": fn}


def cluener(path: Path, limit: int | None) -> tuple[list[str], list[set[tuple[int, int, str]]]]:
    """Texts and gold (start, end, label) of CLUENER2020 (its ends are inclusive)."""
    texts, golds = [], []
    for n, line in enumerate(path.read_text("utf-8").splitlines()):
        if limit and n >= limit:
            break
        rec = json.loads(line)
        texts.append(rec["text"])
        golds.append({(s, e + 1, lab) for lab, ents in rec.get("label", {}).items() if lab in CLUENER
                      for spans in ents.values() for s, e in spans})
    return texts, golds


def peoples_daily(path: Path, limit: int | None) -> tuple[list[str], list[set[tuple[int, int, str]]]]:
    """Texts and gold (start, end, label) of People's Daily NER (one character a line, BIO tags)."""
    sents: list[list[tuple[str, str]]] = [[]]
    for line in path.read_text("utf-8").splitlines():
        if not line.strip():
            if sents[-1]:
                sents.append([])
            continue
        ch, _, tag = line.partition(" ")
        sents[-1].append((ch, tag.strip()))
    texts, golds = [], []
    for n, sent in enumerate(s for s in sents if s):
        if limit and n >= limit:
            break
        texts.append("".join(c for c, _ in sent))
        gold = set()
        start, lab = None, None
        for i, (_, tag) in enumerate([*sent, ("", "O")]):
            if start is not None and not tag.startswith("I-"):
                gold.add((start, i, lab))
                start = None
            if tag.startswith("B-"):
                start, lab = i, tag[2:]
        golds.append(gold)
    return texts, golds


def score(golds: list[set], preds: list[set], labels: dict[str, set[str]]) -> dict[str, dict[str, float]]:
    """P/R/F1 by exact span of each gold label; a prediction counts for a label when its class is in the label's set."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for gold, pred in zip(golds, preds, strict=True):
        for lab, classes in labels.items():
            g = {x for x in gold if x[2] == lab}
            p = {(s, e, lab) for s, e, c in pred if c in classes}
            counts[lab][0] += len(g & p)
            counts[lab][1] += len(p - g)
            counts[lab][2] += len(g - p)
    return {lab: prf(*counts[lab]) for lab in labels}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--json", help="write the figures here")
    ap.add_argument("--limit", type=int, help="only the first N examples of each set")
    ap.add_argument("--systems", default="extractor,tagger,general",
                    help="comma-separated: extractor, tagger, general")
    args = ap.parse_args(argv)
    unknown = [s for s in args.systems.split(",") if s not in SYSTEMS]
    if unknown:
        ap.error(f"unknown system {unknown[0]!r}: choose among {', '.join(SYSTEMS)}")
    data = Path(args.data)
    sets = {"cluener2020-dev": (cluener(data / "cluener2020" / "dev.json", args.limit),
                                {lab: {cls} for lab, cls in CLUENER.items()}),
            "peoples-daily-dev": (peoples_daily(data / "peoples_daily_ner" / "example.dev", args.limit), PD)}
    out: dict[str, object] = {}
    for system in args.systems.split(","):
        t0 = time.monotonic()
        res: dict[str, object] = {}
        for name, ((texts, golds), labels) in sets.items():
            res[name] = score(golds, SYSTEMS[system](texts), labels)
        res["seconds"] = round(time.monotonic() - t0, 1)
        out[system] = res
        print(f"{system} ({res['seconds']} s)")
        for name in sets:
            print(f"  {name}\n    {'label':<12} {'P':>6} {'R':>6} {'F1':>6} {'tp':>6} {'fp':>6} {'fn':>6}")
            for lab, v in res[name].items():  # type: ignore[union-attr]
                print(f"    {lab:<12} {v['p']:6.3f} {v['r']:6.3f} {v['f1']:6.3f} {v['tp']:6d} {v['fp']:6d} "
                      f"{v['fn']:6d}")
    missed = []
    if "extractor" in out:
        print("targets (extractor F1)")
        for (name, lab), target in TARGETS.items():
            f1 = out["extractor"][name][lab]["f1"]  # type: ignore[index]
            ok = f1 >= target
            missed += [] if ok else [lab]
            print(f"    {name} {lab:<12} {f1:.3f} >= {target:.2f} {'PASS' if ok else 'FAIL'}")
    if args.json:
        Path(args.json).write_text(json.dumps(out, ensure_ascii=False, indent=2), "utf-8")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
