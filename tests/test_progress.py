"""The build's progress display: rate and ETA on a terminal, nothing in a pipe or a log."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import threading
from pathlib import Path

ARTICLE = "市总工会为快递员送清凉\n\n本报讯 近日，某市总工会在城区开展夏季送清凉活动，为300名快递员送去防暑用品。\n"


def _inputs(tmp_path: Path, n: int = 30) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(n):
        (folder / f"{i:03d}.txt").write_text(f"第{i}篇\n\n" + ARTICLE * 20, "utf-8")
    return folder


def _build(args: list[str], stderr: int) -> int:
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm"}
    env.pop("NO_COLOR", None)
    return subprocess.run([sys.executable, "-m", "kg", "build", *args], stderr=stderr, stdout=subprocess.DEVNULL,
                          env=env, timeout=300).returncode


def _on_terminal(args: list[str]) -> tuple[int, str]:
    """Run a build with standard error on a pseudo-terminal; its exit status and what the terminal showed."""
    primary, secondary = pty.openpty()
    chunks: list[bytes] = []

    def read() -> None:
        while True:
            try:
                data = os.read(primary, 65536)
            except OSError:  # the build ended and its end of the terminal closed
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        code = _build(args, secondary)
    finally:
        os.close(secondary)
        reader.join(timeout=30)
        os.close(primary)
    return code, b"".join(chunks).decode("utf-8", "replace")


def test_progress_is_drawn_on_a_terminal(tmp_path):
    inputs = _inputs(tmp_path)
    code, text = _on_terminal([str(inputs), "-o", str(tmp_path / "out"), "--no-viewer"])
    assert code == 0
    assert "files" in text and "chars/s" in text, text[-500:]
    assert "kg: built" in text


def test_no_progress_in_a_pipe(tmp_path):
    inputs = _inputs(tmp_path)
    log = tmp_path / "log.txt"
    with log.open("wb") as f:
        code = _build([str(inputs), "-o", str(tmp_path / "out"), "--no-viewer"], f.fileno())
    text = log.read_text("utf-8")
    assert code == 0
    assert "chars/s" not in text and "\r" not in text and "\x1b" not in text
    assert text.startswith("kg: built")


def test_quiet_draws_nothing_even_on_a_terminal(tmp_path):
    inputs = _inputs(tmp_path, 3)
    code, text = _on_terminal([str(inputs), "-o", str(tmp_path / "out"), "--no-viewer", "-q"])
    assert code == 0
    assert "chars/s" not in text
