"""Train the general-news name tagger (:mod:`kg.extract.general`) from CLUENER2020.

Data: the training split of CLUENER2020 (Xu et al., "CLUENER2020: Fine-grained
Named Entity Recognition Dataset and Benchmark for Chinese", arXiv:2001.04351;
released by the CLUE benchmark, text from Sina News RSS by way of THUCTC),
``train.json`` in JSON Lines: ``{"text": ..., "label": {label: {surface:
[[start, end], ...]}}}`` with inclusive ends.  The release names no licence;
its authors ask to be cited, and THUCTC, the source of the text, is free for
research.  The data is not part of this package: only the model trained from
it is, and the data's terms apply to that use.

Every example of ``DATA/cluener2020/train.json`` (or of the file named) is
read, sorted by text, tagged by the word tagger, described by
:func:`kg.extract.general.features` and given BIOES tags of all ten labels;
then a CRF is fitted by L-BFGS with L1 and L2 penalties (deterministic: the
same data and options give the same model file).  The model is written to a
temporary file beside ``--out`` and renamed, so an interrupted run leaves the
previous model whole.

    python -m kg.extract.train_general DATA [-o kg/data/general-ner.crfsuite] [--dev]

``DATA`` is a folder holding ``cluener2020/train.json`` (and ``dev.json``
for ``--dev``), or a training file itself.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..errors import KgError

__all__ = ["bioes", "main", "read_cluener", "train"]

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "data" / "general-ner.crfsuite"
#: Fitting options (see CRFsuite's ``lbfgs`` trainer).
PARAMS = {"c1": 0.1, "c2": 0.01, "max_iterations": 150, "feature.minfreq": 1, "feature.possible_transitions": True}


def read_cluener(path: Path, limit: int | None = None) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """``(text, [(start, end, label), ...])`` of each example (ends exclusive), sorted by text."""
    out = []
    try:
        lines = path.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise KgError(f"{path}: cannot read: {e}") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            text = rec["text"]
            spans = [(int(s), int(e) + 1, str(label)) for label, names in (rec.get("label") or {}).items()
                     for places in names.values() for s, e in places]
        except (ValueError, KeyError, TypeError, AttributeError):
            raise KgError(f"{path}:{n}: not a CLUENER record ({{\"text\", \"label\"}})") from None
        if not isinstance(text, str) or any(not 0 <= s < e <= len(text) for s, e, _ in spans):
            raise KgError(f"{path}:{n}: a name lies outside its text")
        out.append((text, sorted(spans)))
    out.sort()
    return out[:limit] if limit else out


def bioes(n: int, spans: Iterable[tuple[int, int, str]]) -> list[str]:
    """BIOES tags of a text of ``n`` characters; of nested or crossing names the longer, earlier one is kept."""
    tags = ["O"] * n
    for s, e, label in sorted(spans, key=lambda x: (x[0], -(x[1] - x[0]))):
        if any(t != "O" for t in tags[s:e]):
            continue
        if e - s == 1:
            tags[s] = "S-" + label
        else:
            tags[s] = "B-" + label
            tags[s + 1:e - 1] = ["I-" + label] * (e - s - 2)
            tags[e - 1] = "E-" + label
    return tags


def train(examples: Sequence[tuple[str, list[tuple[int, int, str]]]], out: Path,
          params: dict[str, object] | None = None, log: bool = True) -> Path:
    """Fit a CRF to ``examples`` and write it to ``out`` (through a temporary file)."""
    try:
        import pycrfsuite
    except ImportError:
        raise KgError("training needs python-crfsuite: pip install python-crfsuite") from None
    from .general import features
    from .lexicon import lexicon
    from .tagger import tagger

    def say(msg: str) -> None:
        if log:
            print(msg, file=sys.stderr, flush=True)

    t0 = time.monotonic()
    texts = [t for t, _ in examples]
    words = tagger().tag(texts)
    lx = lexicon()
    trainer = pycrfsuite.Trainer(verbose=False)
    for (text, spans), ws in zip(examples, words, strict=True):
        trainer.append(features(text, ws, lx), bioes(len(text), spans))
    say(f"{len(texts)} examples, {sum(map(len, texts))} characters described in {time.monotonic() - t0:.0f} s")
    trainer.set_params({**PARAMS, **(params or {})})
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=out.name + ".", suffix=".tmp", dir=out.parent)
    os.close(fd)
    try:
        t1 = time.monotonic()
        trainer.train(tmp)
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    say(f"trained in {time.monotonic() - t1:.0f} s: {out} ({out.stat().st_size:,} bytes)")
    return out


def evaluate(path: Path, model: Path) -> dict[str, tuple[float, float, float]]:
    """Precision, recall and F1 by exact span of each label of a CLUENER file, with the model at ``model``."""
    from .general import GeneralTagger
    from .tagger import tagger

    examples = read_cluener(path)
    texts = [t for t, _ in examples]
    found = GeneralTagger(str(model)).spans(texts, tagger().tag(texts))
    counts: dict[str, list[int]] = {}
    for (_text, gold), pred in zip(examples, found, strict=True):
        g = set(gold)
        p = {(s, e, lab) for s, e, lab, _ in pred}
        for s, e, lab in g | p:
            c = counts.setdefault(lab, [0, 0, 0])
            c[0 if (s, e, lab) in g and (s, e, lab) in p else 1 if (s, e, lab) in p else 2] += 1
    out = {}
    for lab, (tp, fp, fn) in sorted(counts.items()):
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        out[lab] = (prec, rec, 2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m kg.extract.train_general",
                                 description="Train the general-news name tagger from CLUENER2020.")
    ap.add_argument("data", help="folder holding cluener2020/train.json, or a training file")
    ap.add_argument("-o", "--out", default=str(DEFAULT_OUT), help="model file to write (default: the bundled one)")
    ap.add_argument("--c1", type=float, default=PARAMS["c1"], help="L1 penalty (prunes features)")
    ap.add_argument("--c2", type=float, default=PARAMS["c2"], help="L2 penalty")
    ap.add_argument("--iterations", type=int, default=PARAMS["max_iterations"], help="L-BFGS iterations at most")
    ap.add_argument("--limit", type=int, help="only the first N examples (after sorting)")
    ap.add_argument("--dev", action="store_true", help="then score the model on dev.json beside train.json")
    args = ap.parse_args(argv)
    data = Path(args.data)
    path = data if data.is_file() else data / "cluener2020" / "train.json"
    try:
        if not path.is_file():
            raise KgError(f"{path}: no such file (expected a folder holding cluener2020/train.json)")
        examples = read_cluener(path, args.limit)
        if not examples:
            raise KgError(f"{path}: no examples")
        out = train(examples, Path(args.out), {"c1": args.c1, "c2": args.c2, "max_iterations": args.iterations})
        if args.dev:
            dev = path.with_name("dev.json")
            for lab, (p, r, f) in evaluate(dev, out).items():
                print(f"{lab:<13} P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    except KgError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
