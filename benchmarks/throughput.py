"""Build throughput on real union news against plain ``jieba.lcut`` (whole processes).

The articles are read from a folder you name (they are not part of this
repository).  They are repeated, each copy with a distinct first line, until
the corpus holds about ``--chars`` characters; then two commands run over the
same files, each in a fresh process, alternately, ``--runs`` times:

* ``kg build CORPUS -o OUT --no-viewer -q`` (with its default ``--jobs auto``: one
  worker per processor for a corpus this size)
* ``python -c "…jieba.lcut over every file…"``

The figure is the median of the per-pair ratios jieba time / build time: the
share of plain segmentation speed that a whole build keeps.

Usage::

    python benchmarks/throughput.py ../shared/eval/dev/docs --chars 1000000 --runs 3
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

JIEBA = """
import sys, pathlib, jieba, logging
jieba.setLogLevel(logging.WARNING)
jieba.initialize()
n = 0
for p in sorted(pathlib.Path(sys.argv[1]).glob("*.txt")):
    n += len(jieba.lcut(p.read_text("utf-8")))
print(n)
"""


def make_corpus(src: Path, dst: Path, chars: int) -> int:
    texts = [p.read_text("utf-8") for p in sorted(src.glob("*.txt"))]
    if not texts:
        raise SystemExit(f"{src}: no .txt articles")
    total, copy = 0, 0
    while total < chars:
        for i, t in enumerate(texts):
            body = f"第{copy + 1}辑 第{i + 1}篇\n{t}"
            (dst / f"{copy:04d}-{i:03d}.txt").write_text(body, "utf-8")
            total += len(body)
        copy += 1
    return total


def timed(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("articles", type=Path, help="folder of .txt articles")
    ap.add_argument("--chars", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        chars = make_corpus(args.articles, corpus, args.chars)
        kg = [sys.executable, "-m", "kg", "build", str(corpus), "-o", str(Path(tmp) / "out"), "--no-viewer", "-q",
              "--force"]
        jb = [sys.executable, "-c", JIEBA, str(corpus)]
        builds, jiebas = [], []
        for _ in range(args.runs):
            shutil.rmtree(Path(tmp) / "out", ignore_errors=True)
            builds.append(timed(kg))
            jiebas.append(timed(jb))
        ratios = [j / b for j, b in zip(jiebas, builds, strict=True)]
        print(f"corpus: {chars:,} characters in {len(list(corpus.glob('*.txt')))} files")
        b, j = statistics.median(builds), statistics.median(jiebas)
        print(f"kg build: median {b:.1f} s ({chars / b:,.0f} chars/s)")
        print(f"jieba.lcut: median {j:.1f} s ({chars / j:,.0f} chars/s)")
        print(f"build / jieba.lcut: median {statistics.median(ratios):.3f} (runs: "
              + ", ".join(f"{r:.3f}" for r in ratios) + ")")


if __name__ == "__main__":
    main()
