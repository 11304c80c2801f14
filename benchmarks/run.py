"""Throughput, memory and scale of gonghui-kg, measured in one run so that ratios mean something.

The corpus is the bundled page, the CLUENER2020 texts (read in place from
``../shared/data/cluener2020``) and ``--size`` synthetic articles from
:mod:`corpus` (Markdown pages and JSONL, a fifth in traditional script).
Measured:

* ``jieba``  plain ``jieba.lcut`` over the same documents: the yardstick;
* ``build``  end-to-end ``kg build`` in a subprocess, characters per second,
  peak RSS, the time of the steps after extraction;
* ``jobs``   the same build with ``--jobs N``;
* ``rss``    a build of a corpus a tenth the size, to see how memory grows;
* ``store``  quads per second into a fresh store (``bulk_load``) and the
  Turtle write rate of ``graph.ttl``;
* ``sparql`` latency (median, p95) of every saved query of
  ``examples/queries`` over a store of about 10^6 triples (the build's
  quads, replicated under fresh IRIs as often as needed);
* ``viewer`` time until the offline viewer of a 5,000-node graph is
  interactive in headless Chromium (:mod:`viewer`).

Prints a table with PASS/FAIL against the targets and writes every figure to
JSON (``benchmarks/results/run-<timestamp>.json`` unless ``--json``).

    python benchmarks/run.py [--size N] [--jobs N] [--json FILE] [--skip viewer,sparql,...]
"""

from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import json
import math
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE)] if "PYTHONPATH" in os.environ and "--child" in sys.argv else [str(ROOT), str(HERE)]

PAGE = ROOT / "examples" / "workers-daily-2022-11-11-p3.md"
QUERIES = ROOT / "examples" / "queries"
CLUENER = ROOT.parent / "shared" / "data" / "cluener2020"
SECTIONS = ("jieba", "build", "jobs", "rss", "store", "sparql", "viewer")
ID = b"<https://w3id.org/gonghui-kg/id/"

#: the targets, as (comparison, threshold)
TARGETS = {
    "build_vs_jieba": (">=", 0.5),
    "jobs_speedup": (">=", 1.7),
    "rss_mb_at_1e5": ("<", 2048.0),
    "rss_exponent": ("<", 1.0),
    "sparql_median_ms": ("<", 100.0),
    "viewer_s": ("<", 3.0),
}


@dataclass
class Line:
    """One row of the table."""

    section: str
    metric: str
    value: str
    target: str = ""
    result: str = ""  # PASS, FAIL or empty (information)


def _judge(key: str, value: float) -> tuple[str, str]:
    op, limit = TARGETS[key]
    ok = value >= limit if op == ">=" else value < limit
    return f"{op} {limit:g}", "PASS" if ok else "FAIL"


def _say(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------- corpus


def prepare_corpus(folder: Path, size: int, seed: int) -> dict[str, Any]:
    """Synthetic articles in ``folder``, links to the CLUENER texts; returns the inputs and their size."""
    from corpus import write_corpus

    t0 = time.perf_counter()
    c = write_corpus(size, folder, seed=seed)
    cluener = []
    for name in ("train", "dev"):
        src = CLUENER / f"{name}.json"
        if src.is_file():
            link = folder / f"cluener2020-{name}.jsonl"  # a link, so the text is read where it lies
            link.symlink_to(src)
            cluener.append(str(src))
    if not cluener:
        _say(f"CLUENER2020 not found in {CLUENER}: the corpus is the page and the synthetic articles")
    return {"folder": str(folder), "inputs": [str(PAGE), str(folder)], "synthetic_articles": c.articles,
            "synthetic_traditional": c.traditional, "synthetic_files": len(c.files), "cluener": cluener,
            "generate_s": round(time.perf_counter() - t0, 2)}


def corpus_texts(inputs: list[str]) -> list[str]:
    """The documents' texts, read as ``kg build`` reads them."""
    from kg.read.ingest import iter_documents

    return [d.text for d in iter_documents(inputs, warn=lambda s, m: None)]


# --------------------------------------------------------------------- jieba


def measure_jieba(texts: list[str]) -> dict[str, Any]:
    import jieba

    t0 = time.perf_counter()
    jieba.initialize()
    init = time.perf_counter() - t0
    chars = sum(len(t) for t in texts)
    t0 = time.perf_counter()
    tokens = 0
    for t in texts:
        tokens += len(jieba.lcut(t))
    s = time.perf_counter() - t0
    out = {"chars": chars, "tokens": tokens, "seconds": s, "chars_per_s": chars / s, "init_s": init}
    try:
        import rjieba

        t0 = time.perf_counter()
        for t in texts:
            rjieba.cut(t)
        out["rjieba_chars_per_s"] = chars / (time.perf_counter() - t0)
    except ImportError:
        pass
    return out


# --------------------------------------------------------------------- builds


def _tree_rss_kb(root: int) -> int:
    """Resident memory of a process and its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
            with open(f"/proc/{entry.name}/statm", "rb") as f:
                pages = int(f.read().split()[1])
        except OSError:
            continue
        pid = int(entry.name)
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        children.setdefault(ppid, []).append(pid)
        rss[pid] = pages * (os.sysconf("SC_PAGE_SIZE") // 1024)
    total, todo = 0, [root]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo += children.get(p, [])
    return total


def run_build(inputs: list[str], out: Path, jobs: int, work: Path) -> dict[str, Any]:
    """``kg build`` in a child process: wall time, peak RSS (its own and of its process tree), step times."""
    spec = work / f"spec-{out.name}.json"
    report = work / f"result-{out.name}.json"
    spec.write_text(json.dumps({"inputs": inputs, "out": str(out), "jobs": jobs, "report": str(report)}),
                    "utf-8")
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--child", str(spec)])
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss_kb(proc.pid))
        time.sleep(0.1)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"kg build failed with exit code {proc.returncode}")
    data: dict[str, Any] = json.loads(report.read_text("utf-8"))
    # the polled peak is the figure to quote: Linux carries a process's ru_maxrss across exec, so the
    # child's own ru_maxrss is at least what this (parent) process held when it forked
    data.update(wall_s=wall, chars_per_s=data["chars"] / wall, tree_peak_mb=peak / 1024,
                ttl_sha256=hashlib.sha256((out / "graph.ttl").read_bytes()).hexdigest())
    return data


def child(spec_path: str) -> int:
    """Run one build (in the child process) and write what it did."""
    import kg
    import kg.builder.pipeline as P

    spec = json.loads(Path(spec_path).read_text("utf-8"))
    steps: dict[str, float] = {}

    def timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        import functools

        @functools.wraps(fn)
        def wrapper(*a: Any, **k: Any) -> Any:
            t = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                steps[name] = steps.get(name, 0.0) + time.perf_counter() - t

        return wrapper

    import kg.builder.assemble as A

    # the steps, timed where the build calls them
    A.Assembler.finish = timed("finish", A.Assembler.finish)  # type: ignore[method-assign]
    A.Assembler._link_namesakes = timed("namesakes", A.Assembler._link_namesakes)  # type: ignore[method-assign]
    A.count = timed("count", A.count)
    if spec["jobs"] == 1:
        P.process_document = timed("_process", P.process_document)
        A.turtle_of = timed("turtle_of", A.turtle_of)
    t0 = time.perf_counter()
    r = kg.build(spec["inputs"], spec["out"], quiet=True, viewer=False, jobs=spec["jobs"])
    seconds = time.perf_counter() - t0
    ttl = Path(spec["out"]) / "graph.ttl"
    out = {"chars": r.chars, "documents": len(r.documents), "articles": r.articles, "triples": r.triples,
           "quads": r.quads, "build_s": seconds, "steps_s": steps, "ttl_bytes": ttl.stat().st_size,
           "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
           "children_maxrss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
           "cpu_s": _cpu(resource.RUSAGE_SELF), "children_cpu_s": _cpu(resource.RUSAGE_CHILDREN),
           "entities": sum(r.counts.get(c, 0) for c in P.ENTITY_CLASSES), "package": str(Path(kg.__file__).parent)}
    Path(spec["report"]).write_text(json.dumps(out), "utf-8")
    return 0


def _cpu(who: int) -> float:
    u = resource.getrusage(who)
    return u.ru_utime + u.ru_stime


# --------------------------------------------------------------------- store


def measure_store(build: Path, work: Path) -> dict[str, Any]:
    """Quads per second into a fresh store, from the build's own quads."""
    import pyoxigraph as ox

    src = ox.Store.read_only(str(build / "store"))
    data = src.dump(format=ox.RdfFormat.N_QUADS)
    quads = len(src)
    del src
    target = work / "load-store"
    shutil.rmtree(target, ignore_errors=True)
    store = ox.Store(str(target))
    t0 = time.perf_counter()
    store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
    store.flush()
    s = time.perf_counter() - t0
    del store
    shutil.rmtree(target, ignore_errors=True)
    return {"quads": quads, "nquads_bytes": len(data), "bulk_load_s": s, "quads_per_s": quads / s}


# --------------------------------------------------------------------- sparql


def measure_sparql(build: Path, work: Path, triples: int, repeat: int) -> dict[str, Any]:
    """Median and p95 of every saved query over the build's quads replicated to about ``triples`` facts."""
    import pyoxigraph as ox

    from kg.sparql.query import example_params, run_query

    src = ox.Store.read_only(str(build / "store"))
    facts = sum(1 for _ in src.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    data = src.dump(format=ox.RdfFormat.N_QUADS)
    del src
    copies = max(1, math.ceil(triples / max(facts, 1)))
    target = work / "sparql-store"
    shutil.rmtree(target, ignore_errors=True)
    store = ox.Store(str(target))
    t0 = time.perf_counter()
    for i in range(copies):
        # the same facts about other entities: every IRI of the build gets a prefix of its own
        store.bulk_load(data if i == 0 else data.replace(ID, ID + f"copy{i}/".encode()),
                        format=ox.RdfFormat.N_QUADS)
    store.flush()
    load_s = time.perf_counter() - t0
    del data
    store = ox.Store.read_only(str(target))
    n_facts = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    results: dict[str, Any] = {}
    for q in sorted(QUERIES.glob("*.rq")):
        text = q.read_text("utf-8")
        params = example_params(text)  # the parameters the query documents
        t = time.perf_counter()
        first = run_query(store, text, params=params)  # warm-up, and the size of the answer
        first_s = time.perf_counter() - t
        n = repeat if first_s < 5 else 2
        times = []
        for _ in range(n):
            t = time.perf_counter()
            run_query(store, text, params=params)
            times.append(time.perf_counter() - t)
        times.sort()
        results[q.stem] = {"rows": len(first), "first_ms": first_s * 1000,
                           "median_ms": statistics.median(times) * 1000,
                           "p95_ms": times[min(len(times) - 1, math.ceil(0.95 * len(times)) - 1)] * 1000,
                           "runs": n}
    del store
    shutil.rmtree(target, ignore_errors=True)
    return {"facts": n_facts, "copies": copies, "load_s": load_s, "queries": results}


# --------------------------------------------------------------------- table


def fmt_rate(x: float) -> str:
    return f"{x:,.0f}"


def run(args: argparse.Namespace) -> dict[str, Any]:
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    unknown = skip - set(SECTIONS)
    if unknown:
        raise SystemExit(f"--skip: unknown section {sorted(unknown)[0]!r} (known: {', '.join(SECTIONS)})")
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="kg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    # every step of the run uses one copy of the package, even if the working tree changes meanwhile
    snapshot = work / "src"
    shutil.rmtree(snapshot, ignore_errors=True)
    shutil.copytree(ROOT / "kg", snapshot / "kg", ignore=shutil.ignore_patterns("__pycache__"))
    sys.path.insert(0, str(snapshot))
    os.environ["PYTHONPATH"] = str(snapshot) + os.pathsep + os.environ.get("PYTHONPATH", "")
    if "kg" in sys.modules:
        raise RuntimeError("kg was imported before the snapshot of the package was taken")
    lines: list[Line] = []
    out: dict[str, Any] = {"command": " ".join(["python", "benchmarks/run.py", *sys.argv[1:]]),
                           "started": _dt.datetime.now().isoformat(timespec="seconds"),
                           "machine": _machine(), "size": args.size, "jobs": args.jobs, "seed": args.seed}
    try:
        _say(f"writing the corpus ({args.size} synthetic articles) in {work}")
        corpus = prepare_corpus(work / "corpus", args.size, args.seed)
        texts = corpus_texts(corpus["inputs"])
        corpus.update(documents=len(texts), chars=sum(len(t) for t in texts))
        out["corpus"] = corpus
        del texts
        lines.append(Line("corpus", "documents / characters",
                          f"{corpus['documents']:,} / {corpus['chars']:,}"))
        lines.append(Line("corpus", "synthetic articles (traditional)",
                          f"{corpus['synthetic_articles']:,} ({corpus['synthetic_traditional']:,})"))

        if "jieba" not in skip:
            _say("jieba.lcut over the same documents")
            j = measure_jieba(corpus_texts(corpus["inputs"]))
            out["jieba"] = j
            if "rjieba_chars_per_s" in j:
                lines.append(Line("jieba", "rjieba.cut chars/s (information)",
                                  fmt_rate(j["rjieba_chars_per_s"])))

        single = None
        if not skip >= {"build", "store", "sparql"}:
            _say("kg build, one process")
            single = run_build(corpus["inputs"], work / "build-1", 1, work)
            out["build"] = single
        if "jieba" in out:
            # the machine's load may change during the build: the yardstick is the mean of before and after
            _say("jieba.lcut again, after the build")
            out["jieba_after"] = measure_jieba(corpus_texts(corpus["inputs"]))
            before, after = out["jieba"]["chars_per_s"], out["jieba_after"]["chars_per_s"]
            out["jieba_chars_per_s"] = (before + after) / 2
            lines.insert(2, Line("jieba", "jieba.lcut chars/s (yardstick), before / after the build",
                                 f"{fmt_rate(before)} / {fmt_rate(after)}"))
        if single is not None and "build" not in skip:
            lines.append(Line("build", "kg build chars/s, 1 process", fmt_rate(single["chars_per_s"])))
            if "jieba" in out:
                ratio = single["chars_per_s"] / out["jieba_chars_per_s"]
                out["build_vs_jieba"] = ratio
                lines.append(Line("build", "build / jieba.lcut", f"{ratio:.3f}",
                                  *_judge("build_vs_jieba", ratio)))
            lines.append(Line("build", "peak RSS MB, 1 process", f"{single['tree_peak_mb']:,.0f}"))
            steps = single["steps_s"]
            if "_process" in steps:
                lines.append(Line("build", "extraction share of the build",
                                  f"{steps['_process'] / single['wall_s']:.0%}"))
            if "turtle_of" in steps:
                rate = single["ttl_bytes"] / steps["turtle_of"] / 1e6
                out["turtle_mb_per_s"] = rate
                lines.append(Line("store", "graph.ttl write MB/s (Turtle of each document)", f"{rate:,.1f}"))
            if "finish" in steps:
                lines.append(Line("build", "after extraction: last load, namesakes, counts, files (s)",
                                  f"{steps['finish']:,.1f} (namesakes {steps.get('namesakes', 0):.1f}, "
                                  f"counts {steps.get('count', 0):.1f})"))
            lines.append(Line("store", "triples in graph.ttl / quads in store",
                              f"{single['triples']:,} / {single['quads']:,}"))

        if "jobs" not in skip and args.jobs > 1:
            _say(f"kg build --jobs {args.jobs}")
            par = run_build(corpus["inputs"], work / f"build-{args.jobs}", args.jobs, work)
            out["build_jobs"] = par
            lines.append(Line("jobs", f"kg build chars/s, --jobs {args.jobs}", fmt_rate(par["chars_per_s"])))
            if single is not None:
                speedup = par["chars_per_s"] / single["chars_per_s"]
                out["jobs_speedup"] = speedup
                lines.append(Line("jobs", f"--jobs {args.jobs} / 1 process", f"{speedup:.2f}",
                                  *_judge("jobs_speedup", speedup)))
                lines.append(Line("jobs", "graph.ttl identical to 1 process",
                                  "yes" if par["ttl_sha256"] == single["ttl_sha256"] else "NO", "yes",
                                  "PASS" if par["ttl_sha256"] == single["ttl_sha256"] else "FAIL"))
            if "cpu_s" in par:
                lines.append(Line("jobs", "CPU s: main process / workers",
                                  f"{par['cpu_s']:,.0f} / {par['children_cpu_s']:,.0f}"))
            lines.append(Line("jobs", f"peak RSS MB, --jobs {args.jobs} (all processes)",
                              f"{par['tree_peak_mb']:,.0f}"))
            shutil.rmtree(work / f"build-{args.jobs}", ignore_errors=True)

        if "rss" not in skip and single is not None:
            small_size = max(10, args.size // 10)
            _say(f"kg build of a corpus with {small_size} synthetic articles, for the growth of memory")
            small_corpus = prepare_corpus(work / "corpus-small", small_size, args.seed)
            small = run_build(small_corpus["inputs"], work / "build-small", 1, work)
            out["build_small"] = small
            lines.append(Line("rss", f"peak RSS MB at {small['chars']:,} / {single['chars']:,} chars",
                              f"{small['tree_peak_mb']:,.0f} / {single['tree_peak_mb']:,.0f}"))
            if single["chars"] >= 1.5 * small["chars"]:
                # peak RSS ~ a * chars^b: b < 1 is sublinear growth
                b = (math.log(single["tree_peak_mb"] / small["tree_peak_mb"])
                     / math.log(single["chars"] / small["chars"]))
                per_article = (single["chars"] - small["chars"]) / max(1, args.size - small_size)
                chars_1e5 = single["chars"] + per_article * (100_000 - args.size)
                est = single["tree_peak_mb"] * (chars_1e5 / single["chars"]) ** max(b, 0.0)
                out.update(rss_exponent=b, rss_mb_at_1e5=est if args.size < 100_000 else single["tree_peak_mb"])
                lines.append(Line("rss", "growth exponent (RSS ~ chars^b)", f"{b:.2f}",
                                  *_judge("rss_exponent", b)))
                label = "peak RSS MB at 10^5 articles" + (" (extrapolated)" if args.size < 100_000 else "")
                lines.append(Line("rss", label, f"{out['rss_mb_at_1e5']:,.0f}",
                                  *_judge("rss_mb_at_1e5", out["rss_mb_at_1e5"])))
            else:
                lines.append(Line("rss", "growth exponent", "n/a (sizes too close; raise --size)"))

        if "store" not in skip and single is not None:
            _say("bulk load of the build's quads into a fresh store")
            st = measure_store(work / "build-1", work)
            out["store"] = st
            lines.append(Line("store", "quads/s into a store (bulk_load)", fmt_rate(st["quads_per_s"])))

        if "sparql" not in skip and single is not None:
            _say(f"saved queries over about {args.sparql_triples:,} triples")
            # the largest build that fits in the target size, replicated up to it
            builds = [(b["triples"], work / name) for b, name in ((single, "build-1"),
                                                                  (out.get("build_small"), "build-small"))
                      if b is not None and (work / name).is_dir()]
            fitting = [b for b in builds if b[0] <= args.sparql_triples]
            source = max(fitting)[1] if fitting else min(builds)[1]
            sp = measure_sparql(source, work, args.sparql_triples, args.repeat)
            sp["source"] = source.name
            out["sparql"] = sp
            lines.append(Line("sparql", "store: facts (copies of a build)",
                              f"{sp['facts']:,} ({sp['copies']} × {sp['source']})"))
            medians = []
            for name, q in sp["queries"].items():
                medians.append(q["median_ms"])
                lines.append(Line("sparql", f"{name} ms median / p95 ({q['rows']:,} rows)",
                                  f"{q['median_ms']:,.1f} / {q['p95_ms']:,.1f}", *_judge("sparql_median_ms",
                                                                                       q["median_ms"])))
            if medians:
                worst = max(medians)
                out["sparql_worst_median_ms"] = worst
                lines.append(Line("sparql", "all saved queries: slowest median ms", f"{worst:,.1f}",
                                  *_judge("sparql_median_ms", worst)))

        if "viewer" not in skip:
            _say("viewer of 5,000 nodes in headless Chromium")
            try:
                import viewer

                secs = viewer.measure(args.viewer_nodes, args.seed, args.chromium)
                out["viewer_s"] = secs
                lines.append(Line("viewer", f"viewer interactive, {args.viewer_nodes:,} nodes, s",
                                  f"{secs:.2f}", *_judge("viewer_s", secs)))
            except Exception as e:  # no browser here: say so and go on
                out["viewer_error"] = f"{type(e).__name__}: {e}"
                lines.append(Line("viewer", "viewer", f"not measured ({type(e).__name__})", "< 3", "FAIL"))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    out["lines"] = [asdict(x) for x in lines]
    out["finished"] = _dt.datetime.now().isoformat(timespec="seconds")
    return out


def _machine() -> dict[str, Any]:
    info: dict[str, Any] = {"python": platform.python_version(), "platform": platform.platform(),
                            "cpus": os.cpu_count(), "load_average": os.getloadavg()}
    try:
        info["git"] = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
                                     capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        import kg

        info["kg_version"] = kg.__version__
    except ImportError:
        pass
    return info


def print_table(lines: list[dict[str, str]]) -> None:
    from kg.table import display_width  # CJK-aware widths

    heads = ("section", "metric", "value", "target", "result")
    rows = [heads] + [tuple(x[h] for h in heads) for x in lines]
    widths = [max(display_width(r[i]) for r in rows) for i in range(len(heads))]
    for n, r in enumerate(rows):
        cells = [c + " " * (w - display_width(c)) for c, w in zip(r, widths, strict=True)]
        print("  ".join(cells).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        return child(argv[1])
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=1000, help="synthetic articles (default 1000)")
    ap.add_argument("--jobs", type=int, default=2, help="processes of the parallel build (default 2)")
    ap.add_argument("--json", help="write the figures here (default benchmarks/results/run-<timestamp>.json)")
    ap.add_argument("--skip", default="", help=f"comma-separated sections to leave out: {','.join(SECTIONS)}")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--sparql-triples", type=int, default=1_000_000, help="facts in the query store")
    ap.add_argument("--repeat", type=int, default=7, help="timed runs of each query")
    ap.add_argument("--viewer-nodes", type=int, default=5000)
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    ap.add_argument("--keep", metavar="DIR", help="work in DIR and keep it (corpus, builds)")
    args = ap.parse_args(argv)
    if args.size < 10:
        ap.error("--size must be at least 10")
    t0 = time.perf_counter()
    out = run(args)
    out["total_s"] = time.perf_counter() - t0
    path = Path(args.json) if args.json else HERE / "results" / f"run-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, ensure_ascii=False, indent=2), "utf-8")
    print()
    print_table(out["lines"])
    print(f"\n{out['command']}: {out['total_s'] / 60:.1f} min; figures in {path}")
    return 1 if any(x["result"] == "FAIL" for x in out["lines"]) else 0


if __name__ == "__main__":
    raise SystemExit(main())
