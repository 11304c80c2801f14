"""Extraction on a real Dask cluster (two worker processes): the same build as a local one."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from build_checks import assert_tidy, whole
from click.testing import CliRunner

import kg
from kg.builder.distributed import ClusterError, build_with_dask, extract_shards
from kg.cli import cli
from kg.store import is_build_dir

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "examples" / "workers-daily-2022-11-11-p3.md"
ARTICLES = Path(__file__).resolve().parent / "data" / "articles"
INPUTS = [str(PAGE), str(ARTICLES)]
RULES = """
[[entity]]
name = "镇安县美团外卖站"
class = "Enterprise"
aliases = ["美团外卖站"]

award = ["最美快递员"]
"""


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=50) as c:
        yield c


@pytest.fixture(scope="module")
def client(cluster):
    from distributed import Client

    with Client(cluster.scheduler_address, set_as_default=False) as c:
        yield c


@pytest.fixture(scope="module")
def local_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("local") / "out"
    kg.build(INPUTS, str(out), quiet=True, viewer=False)
    return out


def _quads(build: Path) -> set[str]:
    import pyoxigraph as ox

    store = ox.Store.read_only(str(build / "store"))
    return {str(q) for q in store}


def _report_without_timing(build: Path) -> str:
    """The report, less the line that gives the build's duration."""
    lines = (build / "report.md").read_text("utf-8").splitlines()
    return "\n".join(ln for ln in lines if not ln.startswith("- built:"))


def _documents(build: Path) -> int:
    return len(json.loads((build / "manifest.json").read_text("utf-8"))["document_list"])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_build_with_dask_is_byte_identical_to_a_local_build(cluster, local_build: Path,
                                                             tmp_path: Path) -> None:
    out = tmp_path / "out"
    # two documents a batch: the documents become several tasks spread over both workers
    result = build_with_dask(INPUTS, out, cluster.scheduler_address, quiet=True, viewer=False, batch_docs=2)
    assert (out / "graph.ttl").read_bytes() == (local_build / "graph.ttl").read_bytes()
    assert (out / "manifest.json").read_bytes() == (local_build / "manifest.json").read_bytes()
    assert _quads(out) == _quads(local_build)
    assert _report_without_timing(out) == _report_without_timing(local_build)
    assert len(result.documents) == _documents(local_build) >= 5 and result.articles >= 10
    assert result.triples == json.loads((local_build / "manifest.json").read_text("utf-8"))["triples"]
    # published as a generation, like a local build; the working folder of the shards is gone
    assert sorted(p.name for p in (out / ".kg").iterdir()) == ["current", "gen-000001", "lock"]
    assert (out / "graph.ttl").is_symlink() and (out / "store").is_symlink()
    assert is_build_dir(out)


def test_workers_can_write_the_shards_and_shards_can_be_kept(cluster, local_build: Path,
                                                             tmp_path: Path) -> None:
    shards = tmp_path / "shards"
    out = tmp_path / "out"
    build_with_dask(INPUTS, out, cluster.scheduler_address, quiet=True, viewer=False, batch_docs=1,
                    write_on_workers=True, shard_dir=shards)
    assert (out / "graph.ttl").read_bytes() == (local_build / "graph.ttl").read_bytes()
    n = _documents(local_build)
    assert sorted(p.name for p in shards.glob("*.nq")) == [f"shard-{i:05d}.nq" for i in range(n)]
    assert len(list(shards.glob("*.json"))) == n


def test_extract_shards_in_input_order(client, local_build: Path, tmp_path: Path) -> None:
    import pyoxigraph as ox

    paths = extract_shards(INPUTS, tmp_path / "shards", client=client, batch_docs=2)
    n = _documents(local_build)
    assert [p.name for p in paths] == [f"shard-{i:05d}.nq" for i in range((n + 1) // 2)]
    sources = []
    store = ox.Store()
    for p in paths:
        records = json.loads(p.with_suffix(".json").read_text("utf-8"))
        sources += [r["meta"]["source"] for r in records]
        n = len(store)
        store.bulk_load(path=str(p), format=ox.RdfFormat.N_QUADS)
        assert len(store) > n
        assert sum(r["quads"] for r in records) == sum(1 for _ in ox.parse(path=str(p),
                                                                             format=ox.RdfFormat.N_QUADS))
    local = json.loads((local_build / "manifest.json").read_text("utf-8"))
    assert sources == [d["source"] for d in local["document_list"]]
    # the shards hold every quad of the local build but the namesake links and the ontology graph,
    # which the build adds after loading
    local_quads = _quads(local_build)
    shard_quads = {str(q) for q in store}
    assert shard_quads <= local_quads
    assert all("possibleSameAs" in q or q.endswith("<https://w3id.org/gonghui-kg/ontology>")
               for q in local_quads - shard_quads)  # fmt: skip


def test_rules_reach_the_workers(cluster, tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES, "utf-8")
    page = tmp_path / "page.md"
    page.write_text("# 美团外卖站建会\n\n本报讯 镇安县美团外卖站成立工会，"
                    "美团外卖站骑手王小明当选主席。\n", "utf-8")
    kg.build([str(page)], str(tmp_path / "local"), rules=str(rules), quiet=True, viewer=False)
    build_with_dask([str(page)], tmp_path / "dask", cluster.scheduler_address, rules=str(rules), quiet=True,
                    viewer=False)
    ttl = (tmp_path / "dask" / "graph.ttl").read_text("utf-8")
    assert "镇安县美团外卖站" in ttl
    assert ttl == (tmp_path / "local" / "graph.ttl").read_text("utf-8")


def test_append_skips_what_the_build_holds(cluster, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_with_dask([str(PAGE)], out, cluster.scheduler_address, quiet=True, viewer=False)
    result = build_with_dask(INPUTS, out, cluster.scheduler_address, quiet=True, viewer=False, append=True)
    assert len(result.documents) == _documents(out) >= 5 and len(result.skipped) == 1
    local = tmp_path / "local"
    kg.build([str(PAGE)], str(local), quiet=True, viewer=False)
    kg.build(INPUTS, str(local), quiet=True, viewer=False, append=True)
    assert (out / "graph.ttl").read_bytes() == (local / "graph.ttl").read_bytes()


def test_cli_build_dask(cluster, local_build: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    r = CliRunner().invoke(cli, ["build", *INPUTS, "-o", str(out), "--no-viewer", "--dask",
                                 cluster.scheduler_address])
    assert r.exit_code == 0, r.output
    assert f"{_documents(local_build)} documents" in r.output
    assert (out / "graph.ttl").read_bytes() == (local_build / "graph.ttl").read_bytes()


def test_cli_dask_and_jobs_exclude_each_other(cluster, tmp_path: Path) -> None:
    r = CliRunner().invoke(cli, ["build", str(PAGE), "-o", str(tmp_path / "o"), "--jobs", "2", "--dask",
                                 cluster.scheduler_address])
    assert r.exit_code == 2
    assert "--jobs and --dask exclude each other" in r.output


def test_unreachable_scheduler_is_one_line(tmp_path: Path) -> None:
    address = f"tcp://127.0.0.1:{_free_port()}"
    with pytest.raises(ClusterError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:\d+"):
        build_with_dask([str(PAGE)], tmp_path / "o", address, quiet=True)
    r = CliRunner().invoke(cli, ["build", str(PAGE), "-o", str(tmp_path / "o2"), "--dask", address])
    assert r.exit_code == 1
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: cannot reach the Dask scheduler")
    assert not (tmp_path / "o2" / "store").exists()


def test_bad_inputs_are_reported_before_any_work(cluster, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[[nonsense]]\n", "utf-8")
    with pytest.raises(kg.RulesError, match="bad.toml"):
        build_with_dask([str(PAGE)], tmp_path / "o", cluster.scheduler_address, rules=str(bad))
    with pytest.raises(kg.InputError, match="no readable text"):
        build_with_dask([str(tmp_path / "missing.md")], tmp_path / "o", cluster.scheduler_address, quiet=True)
    with pytest.raises(kg.InputError, match="batch"):
        build_with_dask([str(PAGE)], tmp_path / "o", cluster.scheduler_address, batch_docs=0)


def test_a_dask_build_takes_the_lock_of_out(cluster, local_build: Path, tmp_path: Path) -> None:
    from kg.store import new_generation

    out = tmp_path / "out"
    shutil.copytree(local_build, out, symlinks=True)
    with pytest.raises(kg.InputError), new_generation(out):  # another build holds OUT
        with pytest.raises(kg.OutputError, match=r"another kg build is writing it \(process \d+\)"):
            build_with_dask([str(PAGE)], out, cluster.scheduler_address, quiet=True, viewer=False)
        raise kg.InputError("the holder gives up")
    assert whole(out) == tuple(sorted(Path(d["source"]).name for d in
                                      json.loads((local_build / "manifest.json").read_text("utf-8"))["document_list"]))


@pytest.mark.parametrize("step", ["loaded", "published"])
def test_a_killed_dask_append_leaves_a_whole_build(cluster, tmp_path: Path, step: str) -> None:
    out = tmp_path / "out"
    kg.build([str(PAGE)], str(out), quiet=True, viewer=False)
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_TEST_")}
    args = [sys.executable, "-m", "kg", "build", "--append", str(out), str(ARTICLES), "-q", "--no-viewer",
            "--dask", cluster.scheduler_address]
    p = subprocess.run(args, env={**env, "KG_TEST_KILL_AT": step}, capture_output=True, timeout=120)
    assert p.returncode == -signal.SIGKILL, p.stderr.decode()
    docs = whole(out)
    assert (docs == (PAGE.name,)) == (step == "loaded"), docs  # the old build before the publish, else the new
    assert any(n.startswith("shards-") for n in os.listdir(out / ".kg"))  # left by the kill, for the next build
    p = subprocess.run([*args[:6], str(PAGE), *args[7:]], env=env, capture_output=True, timeout=120)
    assert p.returncode == 0, p.stderr.decode()
    assert_tidy(out)
