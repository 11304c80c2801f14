"""Meta-tests: the help, README.md and the public API say what the program does.

Every command documents itself with an example, every option has help, the
README's first two lines are the install-and-run and the test commands, and
every ``kg …`` line the README shows really runs.
"""

from __future__ import annotations

import importlib.util
import os
import select
import shlex
import shutil
import signal
import subprocess
import sys
import tomllib
import urllib.parse
import urllib.request
from pathlib import Path

import click
import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text("utf-8")
PAGE = ROOT / "examples" / "workers-daily-2022-11-11-p3.md"


def _commands() -> list[str]:
    from kg.cli import COMMANDS

    return sorted(COMMANDS)


def _command(name: str) -> click.Command:
    from kg.cli import cli

    cmd = cli.get_command(click.Context(cli), name)
    assert cmd is not None, name
    return cmd


def _example_lines(text: str) -> list[str]:
    """Lines of ``text`` that are ``kg`` command lines."""
    return [ln.strip() for ln in text.splitlines() if ln.strip().startswith("kg ")]


def _code_blocks(markdown: str) -> list[tuple[str, str]]:
    """(language, body) of every fenced code block."""
    blocks, lang, body, inside = [], "", [], False
    for line in markdown.splitlines():
        if line.startswith("```"):
            if inside:
                blocks.append((lang, "\n".join(body)))
                body, inside = [], False
            else:
                lang, inside = line[3:].strip(), True
        elif inside:
            body.append(line)
    assert not inside, "README.md has an unclosed code block"
    return blocks


def _section(markdown: str, title: str) -> str:
    head = f"\n## {title}\n"
    assert head in markdown, f"README.md has no section {title!r}"
    return markdown.split(head, 1)[1].split("\n## ", 1)[0]


def _argv(line: str) -> list[str]:
    """A shell line as argv, without comments and without what follows a pipe."""
    words = shlex.split(line, comments=True)
    return words[: words.index("|")] if "|" in words else words


def _parses(argv: list[str]) -> None:
    """Parse ``kg ARGS`` as click would, without running it."""
    assert argv[0] == "kg", argv
    assert argv[1] in _commands(), f"unknown command in {argv}"
    cmd = _command(argv[1])
    try:
        cmd.make_context(argv[1], list(argv[2:]))
    except click.BadParameter as e:
        if "does not exist" not in e.format_message():  # an example may name the reader's own files
            pytest.fail(f"{shlex.join(argv)}: {e.format_message()}")
    except click.UsageError as e:
        pytest.fail(f"{shlex.join(argv)}: {e.format_message()}")


def _kg() -> list[str]:
    exe = shutil.which("kg")
    return [exe] if exe else [sys.executable, "-m", "kg"]


# --------------------------------------------------------------------------- help


@pytest.mark.parametrize("name", _commands())
def test_command_help_has_an_example(name: str) -> None:
    cmd = _command(name)
    assert cmd.help and cmd.help.strip(), f"kg {name} has no help"
    examples = _example_lines(cmd.help)
    assert examples, f"the help of kg {name} has no example line starting with 'kg '"
    assert any(_argv(e)[1] == name for e in examples)


@pytest.mark.parametrize("name", _commands())
def test_help_examples_parse(name: str) -> None:
    for line in _example_lines(_command(name).help or ""):
        _parses(_argv(line))


def test_group_help_examples_parse() -> None:
    from kg.cli import cli

    lines = _example_lines(cli.help or "")
    assert lines
    for line in lines:
        _parses(_argv(line))


@pytest.mark.parametrize("name", _commands())
def test_every_option_has_help(name: str) -> None:
    cmd = _command(name)
    missing = [
        p.opts[0]
        for p in cmd.get_params(click.Context(cmd))
        if isinstance(p, click.Option) and not (p.help or "").strip()
    ]
    assert missing == [], f"kg {name}: options without help: {missing}"


def test_group_options_have_help() -> None:
    from kg.cli import cli

    missing = [
        p.opts[0]
        for p in cli.get_params(click.Context(cli))
        if isinstance(p, click.Option) and not (p.help or "").strip()
    ]
    assert missing == []


def test_short_help_of_every_command() -> None:
    from kg.cli import COMMANDS

    for name, (module, short) in COMMANDS.items():
        assert short.strip() and len(short) <= 90, name
        assert importlib.util.find_spec(f"kg.commands.{module}") is not None, (
            f"kg {name}: no kg/commands/{module}.py"
        )


@pytest.mark.parametrize("name", _commands())
def test_every_command_is_in_the_readme(name: str) -> None:
    assert f"kg {name} " in README or f"`kg {name}`" in README, f"README.md never mentions kg {name}"


# --------------------------------------------------------------------------- README


def test_readme_first_line_installs_and_builds_the_page() -> None:
    line = README.splitlines()[0]
    steps = [s.strip() for s in line.split("&&")]
    assert len(steps) == 2, line
    assert shlex.split(steps[0])[:2] == ["pip", "install"] and "." in shlex.split(steps[0])[2:]
    argv = shlex.split(steps[1])
    assert argv[:3] == ["kg", "build", "examples/workers-daily-2022-11-11-p3.md"], argv
    assert (ROOT / argv[2]).is_file()
    assert "-o" in argv or "--out" in argv
    _parses(argv)


def test_readme_second_line_installs_test_extras_and_runs_pytest() -> None:
    line = README.splitlines()[1]
    steps = [shlex.split(s) for s in line.split("&&")]
    pip = [s for s in steps if s[:2] == ["pip", "install"]]
    assert pip and any(".[test]" in s for s in pip), line
    assert steps[-1][:3] == ["python", "-m", "pytest"], line
    assert any("chromium" in s for s in steps) and any("fonts-noto-cjk" in s for s in steps)
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["optional-dependencies"]
    assert any(d.startswith("pytest") for d in extras["test"])


def test_ci_runs_the_second_readme_line(tmp_path: Path) -> None:
    run = ROOT / ".ci" / "run"
    assert run.is_file() and os.access(run, os.X_OK)
    (tmp_path / ".ci").mkdir()
    shutil.copy(run, tmp_path / ".ci" / "run")
    (tmp_path / "README.md").write_text(
        "echo first > line1\necho second > line2 && exit 3\nechothird > line3\n", "utf-8"
    )
    p = subprocess.run([str(tmp_path / ".ci" / "run")], cwd="/", capture_output=True, text=True, timeout=60)
    assert p.returncode == 3
    assert [x.name for x in sorted(tmp_path.iterdir()) if x.name.startswith("line")] == ["line2"]
    assert (tmp_path / "line2").read_text().strip() == "second"


def test_readme_kg_lines_parse() -> None:
    lines = [ln for _, body in _code_blocks(README) for ln in _example_lines(body)]
    assert len(lines) >= 8
    for line in lines:
        _parses(_argv(line))


def _start_server(argv: list[str], cwd: Path) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], 60)
    line = proc.stdout.readline() if ready else ""
    urls = [w for w in line.split() if w.startswith("http://")]
    if not urls:
        proc.kill()
        _, err = proc.communicate()
        pytest.fail(f"{shlex.join(argv)} printed no URL: {line!r} {err}")
    return proc, urls[0]


def test_readme_tour_runs(tmp_path: Path) -> None:
    """Every line of the five-minute tour, for real, in a fresh folder."""
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    blocks = [
        body for lang, body in _code_blocks(_section(README, "A five-minute tour")) if lang in ("sh", "")
    ]
    lines = [ln for body in blocks for ln in _example_lines(body)]
    assert lines and _argv(lines[0])[:2] == ["kg", "build"], "the tour starts with a build"
    failures = []
    for line in lines:
        argv = [*_kg(), *_argv(line)[1:]]
        if _argv(line)[1] == "serve":  # runs until Ctrl+C: ask it one question, then stop it
            proc, url = _start_server([*argv, "--port", "0"], tmp_path)
            try:
                query = urllib.parse.urlencode(
                    {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?u a gh:TradeUnion }"}
                )
                with urllib.request.urlopen(f"{url}?{query}", timeout=30) as resp:
                    assert resp.status == 200 and b'"n"' in resp.read()
            finally:
                proc.send_signal(signal.SIGINT)
                try:
                    _, err = proc.communicate(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.communicate()
                    raise
            if proc.returncode != 0 or "Traceback" in err:
                failures.append(f"{line}\nexit {proc.returncode}\n{err}")
            continue
        p = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True, timeout=120)
        if p.returncode != 0 or "Traceback" in p.stderr:
            failures.append(f"{line}\nexit {p.returncode}\n{p.stderr}")
    assert not failures, "\n\n".join(failures)
    assert (tmp_path / "out" / "graph.ttl").is_file()
    assert (tmp_path / "out" / "analysis.md").is_file()
    assert (tmp_path / "graph.jsonld").is_file()


def test_readme_python_example_runs(tmp_path: Path) -> None:
    block = next(body for lang, body in _code_blocks(README) if lang == "python")  # the tour's example
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    p = subprocess.run(
        [sys.executable, "-c", block], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith("kg: built out: 1 documents, 10 articles"), p.stdout
    assert (tmp_path / "out" / "graph.ttl").is_file()


# --------------------------------------------------------------------------- public API


def test_all_is_sorted_and_importable() -> None:
    import kg

    assert kg.__all__ == sorted(kg.__all__)
    assert len(set(kg.__all__)) == len(kg.__all__)
    for name in kg.__all__:
        assert hasattr(kg, name), name
    namespace: dict[str, object] = {}
    exec("from kg import *", namespace)  # noqa: S102 - the star import a user would write
    assert set(kg.__all__) <= set(namespace)


def test_errors_are_exported() -> None:
    import kg
    from kg import errors

    assert set(errors.__all__) <= set(kg.__all__)
    for name in errors.__all__:
        assert issubclass(getattr(kg, name), kg.KgError)
