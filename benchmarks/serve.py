"""Latency of ``kg serve`` under a burst of clients, alone and beside long queries.

Builds the bundled page (or takes ``--build OUT``), starts ``kg serve`` in a
child process and sends ``--rounds`` bursts of ``--clients`` GET requests
that all start at the same moment (a new connection each), measuring:

* ``burst``  the latency of a simple query (median, p95, max over every
  request of every burst);
* ``beside long``  the same while ``--long`` queries that never finish by
  themselves (a cross product of the whole store) hold workers; they end
  with ``503`` at the server's ``--timeout``.

With ``--query-rows N`` it measures ``kg query`` instead: a build of N
labelled unions, and ``SELECT ?u ?name`` over all of them printed as CSV and
as a table into /dev/null, each in a child process: wall time and the peak
resident memory of the child, polled from /proc.

Every answer is checked (status 200 and the expected rows); ``failed``
counts the others, whose latency still counts.  The CPU time that the
server, its workers and the clients spend per request in the first bursts
is printed too: unlike latency it hardly depends on what else the machine
is doing.  The clients are
one asyncio process on the same machine, so they share its cores with the
server.  Prints a table and, with ``--json FILE``, writes the figures.

    python benchmarks/serve.py [--clients 50] [--rounds 20] [--long 2] [--build OUT] [--json FILE] [--code DIR]
    python benchmarks/serve.py --query-rows 2000000 [--code DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

PAGE = ROOT / "examples" / "workers-daily-2022-11-11-p3.md"
SIMPLE = "SELECT ?u ?name WHERE { ?u a gh:TradeUnion ; rdfs:label ?name } LIMIT 5"
LONG = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def start_server(
    build: Path, timeout: float, extra: list[str], code: Path = ROOT
) -> tuple[subprocess.Popen[str], str, int]:
    """``kg serve BUILD --port 0`` (the ``kg`` of the checkout ``code``) in a child process; its host and port."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", str(build), "--port", "0", "--quiet", "--timeout", str(timeout),
         *extra],
        stdout=subprocess.PIPE, text=True, cwd=code,
    )  # fmt: skip
    assert proc.stdout is not None
    line = proc.stdout.readline()
    m = re.match(r"kg serve: http://([\d.]+):(\d+)/sparql", line)
    if not m:
        proc.kill()
        raise SystemExit(f"kg serve did not start: {line!r}")
    return proc, m.group(1), int(m.group(2))


async def get(host: str, port: int, query: str) -> tuple[float, int, bytes]:
    """One GET on a new connection: (seconds, status, body)."""
    t0 = time.perf_counter()
    reader, writer = await asyncio.open_connection(host, port)
    path = "/sparql?" + urllib.parse.urlencode({"query": query})
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: application/sparql-results+json\r\n"
                 "Connection: close\r\n\r\n".encode())  # fmt: skip
    data = await reader.read()
    took = time.perf_counter() - t0
    writer.close()
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head else 0
    return took, status, body


async def burst(host: str, port: int, clients: int, expected: int) -> list[tuple[float, bool]]:
    """``clients`` clients sending one request each at the same moment: (latency, right answer) each."""

    async def client() -> tuple[float, bool]:
        t0 = time.perf_counter()
        try:
            took, status, body = await get(host, port, SIMPLE)
        except OSError:  # refused or reset: a failure, after the time it took
            return time.perf_counter() - t0, False
        return took, status == 200 and len(json.loads(body)["results"]["bindings"]) == expected

    return list(await asyncio.gather(*(client() for _ in range(clients))))


async def bursts(host: str, port: int, clients: int, rounds: int, expected: int) -> list[tuple[float, bool]]:
    """``rounds`` bursts, a tenth of a second apart."""
    answers: list[tuple[float, bool]] = []
    for _ in range(rounds):
        answers += await burst(host, port, clients, expected)
        await asyncio.sleep(0.1)
    return answers


def figures(answers: list[tuple[float, bool]]) -> dict[str, float]:
    """Median, p95 and max latency (ms) over every request, and how many did not get the right answer."""
    ordered = sorted(took for took, _ in answers)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * len(ordered)) - 1)]
    return {"n": len(ordered), "p50_ms": 1000 * statistics.median(ordered), "p95_ms": 1000 * p95,
            "max_ms": 1000 * ordered[-1], "failed": sum(not ok for _, ok in answers)}  # fmt: skip


def _cpu_seconds(root: int) -> dict[int, float]:
    """CPU seconds (user and system) of a process and each of its descendants, by pid."""
    tick = os.sysconf("SC_CLK_TCK")
    stats: dict[int, tuple[int, float]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as f:
                    fields = f.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue
            stats[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    tree, todo = {}, [root]
    while todo:
        pid = todo.pop()
        tree[pid] = stats.get(pid, (0, 0.0))[1]
        todo += [p for p, (parent, _) in stats.items() if parent == pid]
    return tree


async def measure(args: argparse.Namespace, build: Path) -> dict[str, Any]:
    proc, host, port = start_server(build, args.timeout, args.serve_args, args.code)
    try:
        _, status, body = await get(host, port, SIMPLE)
        assert status == 200, body
        expected = len(json.loads(body)["results"]["bindings"])
        await bursts(host, port, args.clients, 2, expected)  # warm-up
        before, client_before = _cpu_seconds(proc.pid), time.process_time()
        out: dict[str, Any] = {"burst": figures(await bursts(host, port, args.clients, args.rounds, expected))}
        after, n = _cpu_seconds(proc.pid), args.clients * args.rounds
        out["cpu_ms_per_request"] = {
            "server": round(1000 * (after[proc.pid] - before[proc.pid]) / n, 3),
            "workers": round(1000 * sum(t - before.get(p, 0.0) for p, t in after.items() if p != proc.pid) / n, 3),
            "clients": round(1000 * (time.process_time() - client_before) / n, 3),
        }
        long = [asyncio.create_task(get(host, port, LONG)) for _ in range(args.long)]
        await asyncio.sleep(2.0)  # the long queries are past the server's one second now
        out["beside_long"] = figures(await bursts(host, port, args.clients, args.rounds, expected))
        ends = await asyncio.gather(*long)
        out["long_statuses"] = [status for _, status, _ in ends]
        out["long_seconds"] = [round(took, 2) for took, _, _ in ends]
        return out
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def labelled_build(out: Path, rows: int) -> Path:
    """A build of ``rows`` unions with a Chinese label each (bulk-loaded)."""
    import pyoxigraph as ox

    from kg.store import FORMAT, MANIFEST

    out.mkdir(parents=True)
    nq = out.parent / "labels.nq"
    with nq.open("w", encoding="utf-8") as f:
        for i in range(rows):
            f.write(f"<https://w3id.org/gonghui-kg/id/TradeUnion/u{i}> <http://www.w3.org/2000/01/rdf-schema#label> "
                    f'"第{i}个基层工会"@zh .\n')  # fmt: skip
    ox.Store(str(out / "store")).bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    nq.unlink()
    (out / MANIFEST).write_text(json.dumps({"format": FORMAT, "documents": {}}), "utf-8")
    return out


def query_memory(build: Path, code: Path) -> dict[str, Any]:
    """``kg query`` of every label, as CSV and as a table into /dev/null: wall seconds and peak RSS (MB)."""
    from run import _tree_rss_kb

    out: dict[str, Any] = {}
    for fmt in ("csv", "table"):
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "kg", "query", str(build), "SELECT ?u ?name WHERE { ?u rdfs:label ?name }",
             "--format", fmt],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=code,
        )  # fmt: skip
        peak = 0
        while proc.poll() is None:
            peak = max(peak, _tree_rss_kb(proc.pid))
            time.sleep(0.1)
        out[fmt] = {"wall_s": round(time.perf_counter() - t0, 1), "peak_rss_mb": round(peak / 1024),
                    "status": proc.returncode}  # fmt: skip
    return out


def print_serve(result: dict[str, Any], args: argparse.Namespace) -> None:
    print(f"{args.rounds} bursts of {args.clients} clients, one simple query each (ms)")
    print(f"{'':14}{'p50':>10}{'p95':>10}{'max':>10}{'failed':>8}")
    for name, key in (("burst", "burst"), (f"beside {args.long} long", "beside_long")):
        f = result[key]
        print(f"{name:14}{f['p50_ms']:10.1f}{f['p95_ms']:10.1f}{f['max_ms']:10.1f}{f['failed']:8d}")
    print(f"long queries: status {result['long_statuses']} after {result['long_seconds']} s")
    cpu = result["cpu_ms_per_request"]
    print(f"CPU ms per request in the bursts: server {cpu['server']}, workers {cpu['workers']}, "
          f"clients {cpu['clients']}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--rounds", type=int, default=20, help="bursts of --clients requests (default 20)")
    ap.add_argument("--long", type=int, default=2, help="long queries beside the second burst (default 2)")
    ap.add_argument("--timeout", type=float, default=30.0, help="the server's --timeout (default 30)")
    ap.add_argument("--build", type=Path, help="serve this build instead of building the bundled page")
    ap.add_argument("--json", type=Path, help="write the figures here")
    ap.add_argument("--code", type=Path, default=ROOT, help="run the kg of this checkout (to compare versions)")
    ap.add_argument("--query-rows", type=int, metavar="N", help="measure kg query over N rows instead")
    ap.add_argument("serve_args", nargs="*", help="more options for kg serve (after --)")
    args = ap.parse_args(argv)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="kg-serve-bench-") as tmp:
        if args.query_rows:
            result = query_memory(labelled_build(Path(tmp) / "out", args.query_rows), args.code)
            for fmt, f in result.items():
                print(f"kg query, {args.query_rows:,} rows as {fmt}: {f['wall_s']} s, peak RSS {f['peak_rss_mb']} MB")
        else:
            build = args.build
            if build is None:
                import kg

                build = Path(tmp) / "out"
                kg.build([str(PAGE)], str(build), quiet=True)
            result = asyncio.run(measure(args, build))
            result["clients"], result["rounds"], result["long"] = args.clients, args.rounds, args.long
            print_serve(result, args)
    result["machine"] = {"cpus": os.cpu_count(), "load_before": load_before, "load_after": os.getloadavg()[0],
                         "python": platform.python_version()}  # fmt: skip
    print(f"load average {load_before:.2f} before, {result['machine']['load_after']:.2f} after, "
          f"on {result['machine']['cpus']} CPUs")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
