"""Builds killed at any instant, and builds that meet in one folder.

Real ``kg build`` and ``kg build --append`` subprocesses are killed with
SIGKILL at each named step of a build (``KG_TEST_KILL_AT``, honoured only
under pytest) and after random delays.  After every kill the folder must hold
the previous build or the new one, whole: the store opens, and the manifest,
``graph.ttl`` (read through its plain path), the store and the report describe
the same documents and the same triples.  The next build must work on what the
kill left, and leave no leftovers.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
from build_checks import assert_tidy, whole

#: The named steps of a build, in the order a build passes them (see kg.store.crash_point).
BUILD_STEPS = ("locked", "generation", "loaded", "written", "commit", "linked", "published", "tidied")
APPEND_STEPS = ("locked", "generation", "cloned", "loaded", "written", "commit", "linked", "published", "tidied")
#: Steps after which the new build is the published one.
AFTER_PUBLISH = ("published", "tidied")


def _article(n: int) -> str:
    """A short news item of our own, different for each ``n``."""
    city = ("杭州", "宁波", "温州", "绍兴", "湖州", "嘉兴", "金华", "台州", "丽水", "衢州", "舟山")[n % 11]
    return (f"{city}市总工会开展第{n}期职工技能培训\n\n"
            f"本报讯 日前，{city}市总工会举办第{n}期职工技能培训班，{n + 40}名一线职工参加培训。"
            f"{city}市总工会副主席李{'明亮华'[n % 3]}出席开班仪式并讲话。\n")


def _write(folder: Path, names: range) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in names:
        (folder / f"item-{n:03d}.md").write_text(_article(n), "utf-8")
    return folder


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_TEST_")}
    env.update(extra)
    return env


def _start(args: list[str], **env: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "kg", *map(str, args)], env=_env(**env),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _finish(proc: subprocess.Popen[bytes], timeout: float = 120) -> tuple[int, str]:
    _, err = proc.communicate(timeout=timeout)
    text = err.decode("utf-8", "replace")
    assert "Traceback" not in text, text
    return proc.returncode, text


def _kill_trials(out: Path, sources: list[list[Path]], steps: tuple[str, ...], append: bool) -> None:
    """One build per step, killed there; the builds alternate between inputs so that each changes the build."""
    before = whole(out)
    for i, step in enumerate(steps):
        inputs = sources[i % len(sources)]
        # the appends leave out the viewer (the builds write it, so its step in the commit is covered)
        args = ["build", "--append", out, *inputs, "--no-viewer"] if append else ["build", *inputs, "-o", out]
        code, err = _finish(_start([*args, "-q"], KG_TEST_KILL_AT=step))
        assert code == -signal.SIGKILL, f"{step}: exit {code}\n{err}"
        after = whole(out)
        expected = set(before) | {p.name for p in inputs} if append else {p.name for p in inputs}
        if step in AFTER_PUBLISH:
            assert set(after) == expected, f"killed after '{step}': the new build is not the published one"
        else:
            assert after == before, f"killed at '{step}': the previous build changed"
        before = after


def test_a_build_killed_at_any_step_leaves_the_old_or_the_new_build_whole(tmp_path: Path) -> None:
    docs = _write(tmp_path / "docs", range(6))
    files = sorted(docs.iterdir())
    out_build, out_append = tmp_path / "b", tmp_path / "a"
    # both folders start from a build; their kill sequences run side by side
    first = [_start(["build", files[0], "-o", out, "-q", "--no-viewer"]) for out in (out_build, out_append)]
    assert [_finish(p)[0] for p in first] == [0, 0]
    failures: list[BaseException] = []

    def run(fn: Callable[..., None], *a: object) -> None:
        try:
            fn(*a)
        except BaseException as e:  # reported by the main thread
            failures.append(e)

    jobs = [threading.Thread(target=run, args=(_kill_trials, out_build, [[files[1], files[2]], [files[3]]],
                                               BUILD_STEPS, False)),
            threading.Thread(target=run, args=(_kill_trials, out_append, [[files[n]] for n in range(1, 6)],
                                               APPEND_STEPS, True))]
    for j in jobs:
        j.start()
    for j in jobs:
        j.join()
    if failures:
        raise failures[0]
    # what the kills left is no obstacle: a build and an append go through and tidy up
    assert _finish(_start(["build", files[4], "-o", out_build, "-q"]))[0] == 0
    assert whole(out_build) == (files[4].name,)
    assert _finish(_start(["build", "--append", out_build, files[5], "-q"]))[0] == 0
    assert whole(out_build) == (files[4].name, files[5].name)
    assert_tidy(out_build)


def test_builds_killed_after_random_delays(tmp_path: Path) -> None:
    docs = _write(tmp_path / "docs", range(6))
    files = sorted(docs.iterdir())
    out = tmp_path / "out"
    t0 = time.monotonic()
    code, _ = _finish(_start(["build", files[0], "-o", out, "-q"]))
    assert code == 0
    span = time.monotonic() - t0  # how long one build takes here, now
    rng = random.Random(20221111)
    state = whole(out)
    for trial in range(4):
        append = trial % 2 == 1
        inputs = [files[trial + 1]] if append else files[: trial + 2]
        args = ["build", "--append", out, *inputs] if append else ["build", *inputs, "-o", out]
        proc = _start([*args, "-q"])
        time.sleep(rng.uniform(0.3, 1.1) * span)
        proc.send_signal(signal.SIGKILL)
        code, err = _finish(proc)
        assert code in (0, -signal.SIGKILL), err
        new = set(state) | {p.name for p in inputs} if append else {p.name for p in inputs}
        after = whole(out)
        assert after == state or set(after) == new, f"trial {trial}: {after} is neither {state} nor {sorted(new)}"
        if code == 0:
            assert set(after) == new
        state = after
    assert _finish(_start(["build", "--append", out, files[5], "-q"]))[0] == 0
    assert files[5].name in whole(out)
    assert_tidy(out)


# --------------------------------------------------------------------------- one build at a time


def _paused(args: list[str], flag: Path, step: str = "locked") -> subprocess.Popen[bytes]:
    """A build stopped at ``step`` (holding the lock) until ``flag`` is removed."""
    proc = _start(args, KG_TEST_PAUSE_AT=step, KG_TEST_PAUSE_FILE=str(flag))
    deadline = time.monotonic() + 60
    while not flag.exists():
        assert proc.poll() is None, proc.communicate()[1].decode()
        assert time.monotonic() < deadline, "the build never reached the pause"
        time.sleep(0.02)
    return proc


def test_a_second_build_of_the_same_out_is_refused_and_can_wait(tmp_path: Path) -> None:
    docs = _write(tmp_path / "docs", range(3))
    a, b, c = sorted(docs.iterdir())
    out = tmp_path / "out"
    flag = tmp_path / "pause"
    first = _paused(["build", a, "-o", out, "-q"], flag)
    code, err = _finish(_start(["build", b, "-o", out]))
    assert code == 2
    assert err.splitlines() == [f"kg: error: {out}: another kg build is writing it (process {first.pid}); "
                                "try again when it is done, or pass --wait"]
    log = tmp_path / "waiting.log"
    with open(log, "wb") as f:
        waiter = subprocess.Popen([sys.executable, "-m", "kg", "build", str(c), "-o", str(out), "--wait"],
                                  env=_env(), stdout=subprocess.DEVNULL, stderr=f)
        deadline = time.monotonic() + 60
        while b"waiting" not in log.read_bytes():
            assert waiter.poll() is None, log.read_text("utf-8")
            assert time.monotonic() < deadline
            time.sleep(0.02)
        assert log.read_text("utf-8").splitlines()[0] == \
            f"kg: waiting for the kg build writing {out} (process {first.pid})"
        time.sleep(0.3)
        assert waiter.poll() is None, "--wait did not wait"
        flag.unlink()
        assert _finish(first)[0] == 0
        assert waiter.wait(timeout=120) == 0, log.read_text("utf-8")
    assert whole(out) == (c.name,)  # the waiting build came second
    assert_tidy(out)


def test_the_lock_goes_with_a_killed_holder(tmp_path: Path) -> None:
    docs = _write(tmp_path / "docs", range(2))
    a, b = sorted(docs.iterdir())
    out = tmp_path / "out"
    holder = _paused(["build", a, "-o", out, "-q"], tmp_path / "pause")
    holder.send_signal(signal.SIGKILL)
    assert _finish(holder)[0] == -signal.SIGKILL
    code, err = _finish(_start(["build", b, "-o", out, "-q", "--no-viewer"]))
    assert code == 0, err
    assert whole(out) == (b.name,)
    assert_tidy(out)


# --------------------------------------------------------------------------- readers of an older generation


def test_an_append_reads_the_published_build_and_never_writes_it(tmp_path: Path) -> None:
    import kg

    docs = _write(tmp_path / "docs", range(2))
    a, b = sorted(docs.iterdir())
    out = tmp_path / "out"
    kg.build([str(a)], str(out), quiet=True, viewer=False)
    gen = (out / ".kg" / "current").resolve()
    files = {p: (p.stat().st_mtime_ns, p.stat().st_size) for p in gen.rglob("*") if p.is_file()}
    reader = ox.Store.read_only(str(out / "store"))  # a reader that keeps the published store open
    before = len(reader)
    kg.build([str(b)], str(out), quiet=True, viewer=False, append=True)
    assert (out / ".kg" / "current").resolve() != gen
    assert {p: (p.stat().st_mtime_ns, p.stat().st_size) for p in gen.rglob("*") if p.is_file()} == files
    assert len(reader) == before  # the generation it reads is kept while it is the one before
    assert whole(out) == (a.name, b.name)
    kg.build([str(a)], str(out), quiet=True, viewer=False)
    assert not gen.exists()  # two builds later it is gone
    assert_tidy(out)


def test_a_build_of_the_first_layout_killed_while_it_is_turned_into_links(tmp_path: Path) -> None:
    docs = _write(tmp_path / "docs", range(3))
    a, b, c = sorted(docs.iterdir())
    built = tmp_path / "built"
    assert _finish(_start(["build", a, "-o", built, "-q"]))[0] == 0
    out = tmp_path / "out"
    shutil.copytree(built / ".kg" / "current", out)  # every file at the top, as the first layout had them
    assert whole(out) == (a.name,)
    # killed with the old store moved away and its link not made yet
    assert _finish(_start(["build", b, "-o", out, "-q", "--no-viewer"], KG_TEST_KILL_AT="unflatten:store"))[0] == \
        -signal.SIGKILL
    assert not os.path.lexists(out / "store") and not os.path.lexists(out / "graph.html")  # the old viewer went first
    assert whole(out.joinpath(".kg", "current")) == (b.name,)  # readers of the folder see the new build
    assert _finish(_start(["build", "--append", out, c, "-q", "--no-viewer"]))[0] == 0
    assert whole(out) == (b.name, c.name)
    assert sorted(p.name for p in out.iterdir()) == [".kg", "graph.ttl", "manifest.json", "report.md", "store"]
    assert_tidy(out)
