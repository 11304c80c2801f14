"""The ``kg`` command line as a demanding new user meets it.

Every case runs through click's ``CliRunner`` (in this process) and, where the
difference matters, through a real ``python -m kg`` or the installed ``kg``
script.  Effects are checked on disk (graph.ttl parsed by rdflib and by
pyoxigraph, the store, the manifest, the report); errors by their exact
one-line message on stderr, their exit status, and the absence of any
traceback.
"""

from __future__ import annotations

import base64
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import click
import pytest

from kg.model import CLASSES

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "examples" / "workers-daily-2022-11-11-p3.md"
READ = Path(__file__).resolve().parent / "data" / "read"
DATA = Path(__file__).resolve().parent / "data" / "cli"
SIMP = (READ / "simp-article.md").read_text("utf-8")
TRAD = (READ / "trad-article.md").read_text("utf-8")

ENTITY_CLASSES = CLASSES
BUILD_FILES = ("graph.ttl", "graph.html", "report.md", "manifest.json")
SUMMARY = re.compile(
    r"^kg: built (?P<out>.+?): (?P<docs>\d+) documents?, (?P<articles>\d+) articles?, .*?"
    r"\b(?P<triples>\d+) triples\b[^(]*( \((?P<warnings>\d+) warnings?\b.*\))?$"
)
NO_TEXT = "kg: error: no readable text in the inputs"


# --------------------------------------------------------------------------- running kg


@dataclass
class Run:
    """What one ``kg`` invocation did."""

    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return [ln for ln in self.err.splitlines() if ln.strip()]

    def clean(self) -> Run:
        """Assert that nothing looks like a crash."""
        assert "Traceback" not in self.err, self.err
        assert "Traceback" not in self.out, self.out
        return self

    def ok(self) -> Run:
        self.clean()
        assert self.code == 0, f"exit {self.code}\n{self.err}"
        return self


def invoke(args: list[str], input: bytes | str | None = None) -> Run:
    """Run ``kg ARGS`` in this process with click's CliRunner."""
    from click.testing import CliRunner

    from kg.cli import cli

    r = CliRunner().invoke(cli, [str(a) for a in args], input=input, prog_name="kg")
    err = r.stderr
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        err += "".join(traceback.format_exception(r.exception))
    return Run(r.exit_code, r.stdout, err)


def kg_command(script: bool = False) -> list[str]:
    if script:
        exe = shutil.which("kg")
        assert exe is not None, "the kg script is not installed (pip install -e .)"
        return [exe]
    return [sys.executable, "-m", "kg"]


def run_kg(
    args: list[str],
    *,
    input: bytes | None = None,
    cwd: Path | None = None,
    script: bool = False,
    timeout: float = 120,
    env: dict[str, str] | None = None,
) -> Run:
    """Run ``kg ARGS`` in a real subprocess."""
    p = subprocess.run(
        [*kg_command(script), *map(str, args)],
        input=input,
        capture_output=True,
        cwd=cwd,
        timeout=timeout,
        env=env,
    )
    return Run(p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"))


@pytest.fixture(params=["runner", "module"])
def kgrun(request: pytest.FixtureRequest) -> Callable[..., Run]:
    """``kg`` through CliRunner, then through ``python -m kg``."""
    if request.param == "runner":
        return invoke
    return lambda args, input=None: run_kg(args, input=input)


# --------------------------------------------------------------------------- reading a build


def parse_graph(out: Path) -> object:
    """graph.ttl parsed by rdflib and by pyoxigraph; both must agree on the (distinct) triples.

    A triple that several documents state (an organisation's label) is written
    once per document, so pyoxigraph's stream may repeat it."""
    import pyoxigraph as ox
    import rdflib

    g = rdflib.Graph()
    g.parse(out / "graph.ttl", format="turtle")
    n = len(set(ox.parse(path=str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE)))
    assert len(g) == n
    return g


def entities(g: object) -> set[tuple[str, str]]:
    """(IRI, class) of every entity of an rdflib graph."""
    from rdflib import RDF

    from kg.rdf.namespace import GH

    return {(str(s), c) for c in ENTITY_CLASSES for s in g.subjects(RDF.type, GH[c])}  # type: ignore[attr-defined]


def labels(g: object) -> set[str]:
    from rdflib import RDFS

    return {str(o) for o in g.objects(None, RDFS.label)}  # type: ignore[attr-defined]


def count_articles(g: object) -> int:
    from rdflib import RDF

    from kg.rdf.namespace import GH

    return len(set(g.subjects(RDF.type, GH.Article)))  # type: ignore[attr-defined]


def store_triples(out: Path) -> int:
    """Triples in the default graph of OUT/store."""
    import pyoxigraph as ox

    from kg.store import open_store

    store = open_store(out)
    return sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))


def manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text("utf-8"))


def report_section(out: Path, title: str) -> list[str]:
    """The bullet lines of one section of OUT/report.md."""
    text = (out / "report.md").read_text("utf-8")
    m = re.search(rf"^## {re.escape(title)}\n\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert m, f"report.md has no section {title!r}"
    return [ln[2:] for ln in m.group(1).splitlines() if ln.startswith("- ")]


def assert_nothing_built(out: Path) -> None:
    for name in (*BUILD_FILES, "store"):
        assert not (out / name).exists(), name
    assert not out.exists() or not any(out.iterdir()), sorted(p.name for p in out.iterdir())


def tmp_files(out: Path) -> list[str]:
    """Leftovers of a build: temporary files, unpublished or old generations, working folders."""
    found = [p.name for p in out.iterdir() if p.name.startswith(".") and p.name != ".kg"]
    kg = out / ".kg"
    if kg.is_dir():
        current = os.readlink(kg / "current")
        gens = sorted(p.name for p in kg.iterdir() if p.name.startswith("gen-"))
        found += [n for n in os.listdir(kg) if n not in ("lock", "current") and not n.startswith("gen-")]
        found += [g for g in gens if g > current] + gens[:-2]
    return sorted(found)


def new_generations(out: Path) -> list[Path]:
    """Generation folders of OUT that are not the published one (a build at work)."""
    kg = out / ".kg"
    current = os.readlink(kg / "current") if (kg / "current").is_symlink() else None
    return [p for p in kg.glob("gen-*") if p.name != current] if kg.is_dir() else []


# --------------------------------------------------------------------------- the bundled page


@pytest.mark.parametrize("how", ["runner", "module", "script"])
def test_build_the_bundled_page(tmp_path: Path, how: str) -> None:
    out = tmp_path / "out"
    args = ["build", str(PAGE), "-o", str(out)]
    r = (invoke(args) if how == "runner" else run_kg(args, script=how == "script")).ok()
    for name in BUILD_FILES:
        assert (out / name).is_file(), name
    assert (out / "store").is_dir()
    assert r.out == ""  # nothing on stdout: the summary is a message
    (line,) = r.err_lines
    m = SUMMARY.match(line)
    assert m, line
    assert (m["out"], m["docs"], m["articles"]) == (str(out), "1", "10")
    warnings = [w for w in report_section(out, "Warnings") if w != "none"]
    assert int(m["warnings"] or 0) == len(warnings)
    g = parse_graph(out)
    assert 300 <= len(g) == int(m["triples"]) == manifest(out)["triples"] == store_triples(out)
    assert count_articles(g) == 10
    assert {"哈尔滨市总工会", "镇安县总工会", "深圳市总工会", "林艳秋"} <= labels(g)
    assert manifest(out)["format"] == "gonghui-kg-build/1"
    assert "<html" in (out / "graph.html").read_text("utf-8").lower()


def test_quiet_silences_the_summary(tmp_path: Path) -> None:
    out = tmp_path / "out"
    r = invoke(["build", str(PAGE), "-o", str(out), "--quiet"]).ok()
    assert (r.out, r.err) == ("", "")
    assert (out / "graph.ttl").is_file()


def test_stdin_through_a_pipe(tmp_path: Path, page_build: Path) -> None:
    out = tmp_path / "out"
    kg = " ".join(kg_command(script=True))
    p = subprocess.run(
        f"cat '{PAGE}' | {kg} build - -o '{out}'", shell=True, capture_output=True, text=True, timeout=120
    )
    Run(p.returncode, p.stdout, p.stderr).ok()
    g = parse_graph(out)
    assert count_articles(g) == 10
    assert entities(g) == entities(parse_graph(page_build))  # same text, same entities
    from kg.rdf.namespace import GH

    assert {str(o) for o in g.objects(None, GH.sourceFile)} == {"<stdin>"}


def test_stdin_in_process(tmp_path: Path, page_build: Path) -> None:
    out = tmp_path / "out"
    invoke(["build", "-", "-o", str(out), "-q"], input=PAGE.read_bytes()).ok()
    assert entities(parse_graph(out)) == entities(parse_graph(page_build))


# --------------------------------------------------------------------------- bad inputs


def _bad_input(kind: str, tmp_path: Path) -> tuple[Path, str]:
    """Make one bad input; return it and the warning it must give."""
    if kind == "missing":
        return tmp_path / "no-such-page.md", "no such file or directory"
    if kind == "folder without text":
        d = tmp_path / "scans"
        d.mkdir()
        (d / "page.png").write_bytes(b"\x89PNG\r\n\x1a\n")
        (d / "notes.csv").write_text("a,b\n", "utf-8")
        return d, "no .txt, .md or .jsonl files in this folder"
    if kind == "binary":
        p = tmp_path / "page.txt"
        p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
        return p, "not a text file (binary data)"
    if kind == "empty":
        p = tmp_path / "empty.md"
        p.write_bytes(b"")
        return p, "empty file"
    raise AssertionError(kind)


BAD_KINDS = ["missing", "folder without text", "binary", "empty"]


@pytest.mark.parametrize("kind", BAD_KINDS)
def test_bad_input_alone(tmp_path: Path, kgrun: Callable[..., Run], kind: str) -> None:
    bad, message = _bad_input(kind, tmp_path)
    out = tmp_path / "out"
    r = kgrun(["build", str(bad), "-o", str(out)]).clean()
    assert r.code == 2
    assert r.err_lines == [f"kg: warning: {bad}: {message}", NO_TEXT]
    assert r.out == ""
    assert_nothing_built(out)


@pytest.mark.parametrize("kind", BAD_KINDS)
def test_bad_input_beside_a_good_one(tmp_path: Path, kind: str) -> None:
    bad, message = _bad_input(kind, tmp_path)
    good = tmp_path / "good.md"
    good.write_text(SIMP, "utf-8")
    out = tmp_path / "out"
    r = invoke(["build", str(bad), str(good), "-o", str(out)]).ok()
    warning = f"{bad}: {message}"
    assert r.err_lines[0] == f"kg: warning: {warning}"
    m = SUMMARY.match(r.err_lines[-1])
    assert m and m["docs"] == "1" and m["warnings"] == "1", r.err
    assert len(r.err_lines) == 2
    assert "宁波市总工会" in labels(parse_graph(out))
    assert report_section(out, "Warnings") == [warning]


_NO_READ_CAPS = "-dac_override,-dac_read_search"


def _without_read_override(cmd: list[str]) -> list[str]:
    """As root, drop the capabilities that let root read any file."""
    if os.geteuid() != 0:
        return cmd
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv")
    return ["setpriv", f"--bounding-set={_NO_READ_CAPS}", f"--inh-caps={_NO_READ_CAPS}", *cmd]


@pytest.mark.parametrize("with_good", [False, True], ids=["alone", "beside-good"])
def test_unreadable_file(tmp_path: Path, with_good: bool) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text(SIMP, "utf-8")
    secret.chmod(0)
    out = tmp_path / "out"
    cmd = _without_read_override(
        [*kg_command(), "build", str(secret), *([str(PAGE)] if with_good else []), "-o", str(out)]
    )
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    finally:
        secret.chmod(0o644)
    r = Run(p.returncode, p.stdout, p.stderr).clean()
    assert r.err_lines[0] == f"kg: warning: {secret}: permission denied"
    if with_good:
        assert r.code == 0 and len(r.err_lines) == 2 and SUMMARY.match(r.err_lines[1])
        assert count_articles(parse_graph(out)) == 10
    else:
        assert r.code == 2 and r.err_lines == [f"kg: warning: {secret}: permission denied", NO_TEXT]
        assert_nothing_built(out)


def test_all_bad_inputs_at_once_beside_a_good_one(tmp_path: Path) -> None:
    bads = [_bad_input(kind, tmp_path) for kind in BAD_KINDS]
    out = tmp_path / "out"
    r = run_kg(["build", *(str(b) for b, _ in bads), str(PAGE), "-o", str(out)], script=True).ok()
    assert r.err_lines[:-1] == [f"kg: warning: {b}: {m}" for b, m in bads]
    m = SUMMARY.match(r.err_lines[-1])
    assert m and m["warnings"] == str(len(bads))
    assert count_articles(parse_graph(out)) == 10


def test_gbk_and_big5_files_are_read_and_the_report_says_how(tmp_path: Path) -> None:
    gbk, big5 = tmp_path / "nb-gbk.txt", tmp_path / "nb-big5.txt"
    gbk.write_bytes(SIMP.encode("gbk"))
    big5.write_bytes(TRAD.encode("big5"))
    out = tmp_path / "out"
    invoke(["build", str(gbk), str(big5), "-o", str(out)]).ok()
    g = parse_graph(out)
    assert count_articles(g) == 2
    assert "宁波市总工会" in labels(g)
    notes = report_section(out, "Notes")
    assert f"{gbk}: read as GB18030" in notes
    assert f"{big5}: read as BIG5" in notes
    report = (out / "report.md").read_text("utf-8")
    assert re.search(rf"^\| {re.escape(str(gbk))} \| gb18030 \| 1 \|", report, re.M)
    assert re.search(rf"^\| {re.escape(str(big5))} \| big5\w* \| 1 \|", report, re.M)
    docs = {d["source"]: d["encoding"] for d in manifest(out)["document_list"]}
    assert docs[str(gbk)] == "gb18030" and docs[str(big5)].startswith(("big5", "cp950"))


def test_20_mb_without_line_breaks_finishes(tmp_path: Path) -> None:
    """A pasted data blob after a real article: one 20 MB line."""
    big = tmp_path / "one-line.txt"
    rnd = random.Random(0)
    blob = base64.b64encode(rnd.randbytes(15_000_000)).decode("ascii")
    head = SIMP.replace("\n", " ") + " "
    big.write_text(head + blob[: 20_000_000 - len(head.encode())], "utf-8")
    assert big.stat().st_size >= 20_000_000 and b"\n" not in big.read_bytes()
    out = tmp_path / "out"
    t0 = time.monotonic()
    try:
        r = run_kg(["build", str(big), "-o", str(out)], timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("kg build took more than 30 s on a 20 MB file with no line breaks")
    r.ok()
    assert time.monotonic() - t0 < 30
    assert "宁波市总工会" in labels(parse_graph(out))


# --------------------------------------------------------------------------- the output folder


def test_out_with_foreign_files_is_refused(tmp_path: Path, kgrun: Callable[..., Run]) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("我的笔记", "utf-8")
    r = kgrun(["build", str(PAGE), "-o", str(out)]).clean()
    assert r.code == 2
    assert r.err_lines == [
        f"kg: error: {out}: exists and holds files that are not a previous build "
        "(notes.txt); choose another -o or pass --force"
    ]
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]


def test_force_writes_beside_the_users_files(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    (out / "drafts").mkdir(parents=True)
    (out / "notes.txt").write_text("我的笔记", "utf-8")
    (out / "drafts" / "a.md").write_text("草稿", "utf-8")
    invoke(["build", str(PAGE), "-o", str(out), "--force", "-q"]).ok()
    assert (out / "notes.txt").read_text("utf-8") == "我的笔记"
    assert (out / "drafts" / "a.md").read_text("utf-8") == "草稿"
    assert count_articles(parse_graph(out)) == 10


def _lookalike(out: Path) -> dict[str, bytes]:
    """A folder of the user's whose names look like a build's (no manifest)."""
    (out / "store").mkdir(parents=True)
    (out / "store" / "mine.sqlite").write_bytes(b"x")
    (out / "report.md").write_text("我的笔记", "utf-8")
    return {"store/mine.sqlite": b"x", "report.md": "我的笔记".encode()}


def _contents(out: Path, files: dict[str, bytes]) -> dict[str, bytes]:
    return {n: (out / n).read_bytes() for n in files}


def test_a_hidden_folder_of_the_same_name_is_not_taken(tmp_path: Path) -> None:
    out = tmp_path / "u"
    (out / ".kg").mkdir(parents=True)
    (out / ".kg" / "settings").write_text("someone else's", "utf-8")
    r = invoke(["build", str(PAGE), "-o", str(out), "--force"]).clean()
    assert r.code == 2
    assert r.err_lines == [f"kg: error: {out}/.kg: exists and was not made by kg build; "
                           "move it away or choose another -o"]
    assert [p.name for p in out.rglob("*")] == [".kg", "settings"]


def test_a_folder_that_only_looks_like_a_build_is_refused(tmp_path: Path, kgrun: Callable[..., Run]) -> None:
    out = tmp_path / "u"
    mine = _lookalike(out)
    r = kgrun(["build", str(PAGE), "-o", str(out)]).clean()
    assert r.code == 2
    assert r.err_lines == [
        f"kg: error: {out}: exists and holds files that are not a previous build "
        "(report.md, store); choose another -o or pass --force"
    ]
    assert _contents(out, mine) == mine
    assert sorted(p.name for p in out.iterdir()) == ["report.md", "store"]


def test_force_builds_beside_files_at_the_builds_names_and_leaves_them(tmp_path: Path) -> None:
    out = tmp_path / "u"
    mine = _lookalike(out)
    nb = tmp_path / "nb.md"
    nb.write_text(SIMP, "utf-8")
    r = invoke(["build", str(nb), "-o", str(out), "--force", "-q"]).ok()
    assert r.err_lines == [
        f"kg: warning: {out}/{name}: not written by kg build, left as it is; "
        f"this build's {name} is {out}/.kg/current/{name}"
        for name in ("report.md", "store")
    ]
    assert _contents(out, mine) == mine
    assert "宁波市总工会" in labels(parse_graph(out))
    assert store_triples(out) == manifest(out)["triples"]  # readers find the build's own store
    # it is a build now: rebuilt without --force, and the user's files still stay
    invoke(["build", str(PAGE), "-o", str(out), "-q"]).ok()
    assert _contents(out, mine) == mine
    assert "哈尔滨市总工会" in labels(parse_graph(out))
    assert store_triples(out) == manifest(out)["triples"]
    assert tmp_files(out) == []


def test_files_made_from_an_older_build_go_with_it(tmp_path: Path) -> None:
    out = tmp_path / "out"
    nb = tmp_path / "nb.md"
    nb.write_text(SIMP, "utf-8")
    invoke(["build", str(nb), "-o", str(out), "-q"]).ok()
    invoke(["viz", str(out), "--format", "png"]).ok()
    invoke(["analyze", str(out)]).ok()
    invoke(["export", str(out), "-f", "csv"]).ok()
    invoke(["export", str(out)]).ok()
    derived = ("graph.html", "graph.png", "analysis.md", "analysis.json", "export-csv/nodes.csv", "export.ttl")
    assert all((out / n).is_file() for n in derived)
    invoke(["build", str(PAGE), "-o", str(out), "-q", "--no-viewer"]).ok()
    assert [n for n in derived if os.path.lexists(out / n.split("/")[0])] == []
    assert sorted(p.name for p in out.iterdir()) == [".kg", "graph.ttl", "manifest.json", "report.md", "store"]
    invoke(["analyze", str(out)]).ok()  # made again, from the new build
    assert "哈尔滨市总工会" in (out / "analysis.json").read_text("utf-8")
    assert tmp_files(out) == []


def test_an_out_inside_its_input_folder_does_not_read_its_own_files(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "nb.md").write_text(SIMP, "utf-8")
    out = docs / "out"
    for args in (["build", str(docs), "-o", str(out)], ["build", str(docs), "-o", str(out)],
                 ["build", "--append", str(out), str(docs)]):
        invoke([*args, "-q"]).ok()
        assert [d["source"] for d in manifest(out)["document_list"]] == [str(docs / "nb.md")]
    r = invoke(["build", str(docs), "-o", str(docs), "--force"]).clean()
    assert r.code == 2
    assert r.err_lines == [f"kg: error: {docs}: is both an INPUT folder and the build directory; choose another -o"]
    assert not (docs / ".kg").exists()


def test_build_folders_among_the_inputs_are_skipped(tmp_path: Path, page_build: Path) -> None:
    from conftest import DATA, make_build_from_trig

    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "nb.md").write_text(SIMP, "utf-8")
    shutil.copytree(page_build, archive / "built", symlinks=True)
    make_build_from_trig(DATA / "mini.trig", archive / "first-layout")
    (archive / "first-layout" / "notes.md").write_text(TRAD, "utf-8")  # inside a build: not read either
    invoke(["build", str(archive), "-o", str(tmp_path / "out"), "-q"]).ok()
    assert [d["source"] for d in manifest(tmp_path / "out")["document_list"]] == [str(archive / "nb.md")]
    r = invoke(["build", str(archive / "built"), "-o", str(tmp_path / "o2")]).clean()
    assert r.code == 2
    assert r.err_lines == [
        f"kg: warning: {archive / 'built'}: a kg build directory, skipped (its files are outputs, not news)",
        NO_TEXT,
    ]


def test_a_build_of_the_first_layout_is_read_and_rebuilt(tmp_path: Path, page_build: Path) -> None:
    out = tmp_path / "old"
    shutil.copytree(page_build / ".kg" / "current", out)  # every file at the top, as the first layout had them
    (out / "analysis.md").write_text("an analysis of the old build", "utf-8")
    assert store_triples(out) == manifest(out)["triples"]
    nb = tmp_path / "nb.md"
    nb.write_text(SIMP, "utf-8")
    invoke(["build", str(nb), "-o", str(out), "-q", "--no-viewer"]).ok()
    assert sorted(p.name for p in out.iterdir()) == [".kg", "graph.ttl", "manifest.json", "report.md", "store"]
    assert all((out / n).is_symlink() for n in ("graph.ttl", "manifest.json", "report.md", "store"))
    g = parse_graph(out)
    assert "宁波市总工会" in labels(g) and "哈尔滨市总工会" not in labels(g)
    assert tmp_files(out) == []


def test_a_copy_that_followed_the_links_is_still_a_build(tmp_path: Path, page_build: Path) -> None:
    out = tmp_path / "copy"
    shutil.copytree(page_build, out)  # links followed: plain files everywhere
    assert store_triples(out) == manifest(out)["triples"]
    nb = tmp_path / "nb.md"
    nb.write_text(SIMP, "utf-8")
    invoke(["build", "--append", str(out), str(nb), "-q"]).ok()
    assert (out / ".kg" / "current").is_symlink() and (out / "graph.ttl").is_symlink()
    assert [d["source"] for d in manifest(out)["document_list"]] == [str(PAGE), str(nb)]
    assert store_triples(out) == manifest(out)["triples"]
    assert tmp_files(out) == []


def test_out_that_is_a_file(tmp_path: Path, kgrun: Callable[..., Run]) -> None:
    out = tmp_path / "out"
    out.write_text("not a folder", "utf-8")
    r = kgrun(["build", str(PAGE), "-o", str(out)]).clean()
    assert r.code == 2
    assert r.err_lines == [f"kg: error: {out}: exists and is not a directory"]
    assert out.read_text("utf-8") == "not a folder"


def test_a_previous_build_is_rebuilt_without_force(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = tmp_path / "nb.md"
    first.write_text(SIMP, "utf-8")
    invoke(["build", str(first), "-o", str(out), "-q"]).ok()
    assert "宁波市总工会" in labels(parse_graph(out))
    invoke(["build", str(PAGE), "-o", str(out), "-q"]).ok()
    g = parse_graph(out)
    assert "宁波市总工会" not in labels(g) and "哈尔滨市总工会" in labels(g)  # replaced, not added to
    assert [d["source"] for d in manifest(out)["document_list"]] == [str(PAGE)]
    assert tmp_files(out) == []


def test_a_failed_rebuild_leaves_the_previous_build(tmp_path: Path, page_build: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(page_build, out, symlinks=True)
    before = {n: (out / n).read_bytes() for n in ("graph.ttl", "manifest.json", "report.md")}
    r = invoke(["build", str(tmp_path / "missing.md"), "-o", str(out)]).clean()
    assert r.code == 2
    assert {n: (out / n).read_bytes() for n in before} == before
    assert store_triples(out) == manifest(out)["triples"]
    assert tmp_files(out) == []


# --------------------------------------------------------------------------- interrupted builds


def _many_pages(tmp_path: Path, n: int = 12) -> Path:
    """A folder of ``n`` different documents (the page under different headings)."""
    folder = tmp_path / "many"
    folder.mkdir()
    text = PAGE.read_text("utf-8")
    for i in range(n):
        (folder / f"page-{i:02d}.md").write_text(f"第{i + 1}期\n\n{text}", "utf-8")
    return folder


def _start_build(inputs: Path, out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [*kg_command(), "build", str(inputs), "-o", str(out), "-q", "--no-viewer"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _kill_when(proc: subprocess.Popen[bytes], ready: Callable[[], bool], timeout: float = 60) -> bool:
    """SIGKILL ``proc`` as soon as ``ready()``; False when it ended first."""
    deadline = time.monotonic() + timeout
    try:
        while proc.poll() is None:
            if ready():
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait()
                return True
            if time.monotonic() > deadline:
                raise AssertionError("the build neither finished nor reached the point to interrupt it")
            time.sleep(0.001)
        return False
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        assert proc.stderr is not None
        proc.stderr.close()


def test_killed_build_keeps_the_previous_graph(tmp_path: Path, page_build: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(page_build, out, symlinks=True)
    before = {n: (out / n).read_bytes() for n in ("graph.ttl", "manifest.json")}
    proc = _start_build(_many_pages(tmp_path, 40), out)
    started: list[float] = []

    def extracting() -> bool:  # well into extraction: the new generation has its store
        if not started and any((g / "store").exists() for g in new_generations(out)):
            started.append(time.monotonic())
        return bool(started) and time.monotonic() - started[0] > 0.3

    assert _kill_when(proc, extracting), "the build finished before it could be interrupted"
    assert {n: (out / n).read_bytes() for n in before} == before
    assert len(parse_graph(out)) == manifest(out)["triples"] == store_triples(out)
    # the folder is still a build: later commands read it and a rebuild needs no --force
    invoke(["build", str(PAGE), "-o", str(out), "-q"]).ok()
    assert (out / "graph.ttl").read_bytes() == before["graph.ttl"]
    assert tmp_files(out) == []


def test_killed_first_build_leaves_no_graph(tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = _start_build(_many_pages(tmp_path, 24), out)
    assert _kill_when(proc, lambda: any((g / "store").exists() for g in new_generations(out)))
    assert not (out / "graph.ttl").exists()
    assert not (out / "manifest.json").exists()
    invoke(["build", str(PAGE), "-o", str(out), "-q"]).ok()  # the leftovers do not make OUT foreign
    assert count_articles(parse_graph(out)) == 10
    assert tmp_files(out) == []


# --------------------------------------------------------------------------- incremental and parallel builds


def test_append_adds_only_new_documents(tmp_path: Path) -> None:
    import rdflib.compare

    nb = tmp_path / "nb.md"
    nb.write_text(SIMP, "utf-8")
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    invoke(["build", str(nb), "-o", str(out), "-q"]).ok()
    r = invoke(["build", "--append", str(out), str(PAGE)]).ok()
    m = SUMMARY.match(r.err_lines[-1])
    assert m and m["docs"] == "2" and m["articles"] == "11"
    assert [d["source"] for d in manifest(out)["document_list"]] == [str(nb), str(PAGE)]
    invoke(["build", str(nb), str(PAGE), "-o", str(fresh), "-q"]).ok()
    a, b = parse_graph(out), parse_graph(fresh)
    if not rdflib.compare.isomorphic(a, b):
        _, only_a, only_b = rdflib.compare.graph_diff(a, b)
        pytest.fail(
            f"appended build differs from a fresh one:\nonly appended:\n"
            f"{only_a.serialize(format='nt')[:3000]}\nonly fresh:\n{only_b.serialize(format='nt')[:3000]}"
        )
    assert store_triples(out) == manifest(out)["triples"] == len(a)


def test_append_of_known_documents_changes_nothing(tmp_path: Path, page_build: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(page_build, out)
    graph = (out / "graph.ttl").read_bytes()
    copy = tmp_path / "copy-of-page.md"  # same text under another name
    shutil.copy(PAGE, copy)
    invoke(["build", "--append", str(out), str(PAGE), str(copy), "-q"]).ok()
    assert (out / "graph.ttl").read_bytes() == graph
    assert [d["source"] for d in manifest(out)["document_list"]] == [str(PAGE)]
    skipped = report_section(out, "Skipped (already built)")
    assert len(skipped) == 2 and all(s.endswith("skipped") for s in skipped)


@pytest.mark.parametrize("target", ["missing", "not a build"])
def test_append_needs_a_build(tmp_path: Path, target: str) -> None:
    out = tmp_path / "out"
    if target == "not a build":
        out.mkdir()
        (out / "notes.txt").write_text("x", "utf-8")
        message = f"kg: error: {out}: not a gonghui-kg build directory (no manifest.json from `kg build`)"
    else:
        message = f"kg: error: {out}: no such build directory (run `kg build INPUT -o {out}` first)"
    r = invoke(["build", "--append", str(out), str(PAGE)]).clean()
    assert (r.code, r.err_lines) == (2, [message])


def test_jobs_give_the_same_bytes(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(PAGE, folder / PAGE.name)
    shutil.copy(READ / "simp-article.md", folder / "nb-simp.md")
    shutil.copy(READ / "trad-article.md", folder / "nb-trad.md")
    shutil.copy(DATA / "rules-article.md", folder / "hz.md")
    shutil.copy(DATA / "news.jsonl", folder / "news.jsonl")
    (folder / "gbk.txt").write_bytes(SIMP.replace("宁波", "温州").encode("gbk"))
    one, two = tmp_path / "one", tmp_path / "two"
    run_kg(["build", str(folder), "-o", str(one), "-q", "--no-viewer", "--jobs", "1"]).ok()
    run_kg(["build", str(folder), "-o", str(two), "-q", "--no-viewer", "--jobs", "2"]).ok()
    assert len(manifest(one)["document_list"]) == 8
    assert (one / "graph.ttl").read_bytes() == (two / "graph.ttl").read_bytes()
    assert manifest(one) == manifest(two)


# --------------------------------------------------------------------------- the other commands


def _command(name: str) -> click.Command:
    from kg.cli import cli

    cmd = cli.get_command(click.Context(cli), name)
    assert cmd is not None
    return cmd


def _invocation(name: str, target: Path, gold: Path) -> list[str]:
    """``kg NAME`` with ``target`` as its build folder and placeholders for what else it needs."""
    args = [name]
    for p in _command(name).params:
        if isinstance(p, click.Argument) and p.required:
            if p.name in ("out", "graphs"):
                args.append(str(target))
            elif p.name == "gold":
                args.append(str(gold))
            elif p.name and ("url" in p.name or "endpoint" in p.name):
                args.append("http://127.0.0.1:9/sparql")
            else:
                args.append("工会")
        elif isinstance(p, click.Option) and p.required:
            args += [
                p.opts[0],
                "http://127.0.0.1:9/sparql" if "url" in p.opts[0] or "endpoint" in p.opts[0] else "x",
            ]
    if name == "query":
        args.append("SELECT * WHERE { ?s ?p ?o }")
    return args


def _other_commands() -> list[str]:
    from kg.cli import COMMANDS

    return sorted(set(COMMANDS) - {"build"})


@pytest.mark.parametrize("target", ["missing", "not a build"])
@pytest.mark.parametrize("name", _other_commands())
def test_other_commands_need_a_build(tmp_path: Path, name: str, target: str) -> None:
    out = tmp_path / "out"
    if target == "not a build":
        out.mkdir()
        (out / "notes.txt").write_text("x", "utf-8")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        json.dumps({"id": "out", "file": "x.md", "entities": [], "relations": []}) + "\n", "utf-8"
    )
    args = _invocation(name, out, gold)
    r = (run_kg(args, timeout=60) if name == "serve" else invoke(args)).clean()  # a server must not start
    assert r.code == 2, (r.code, r.out, r.err)
    if name == "eval":  # GRAPHS is a folder of builds, one per gold record
        assert len(r.err_lines) == 1 and r.err_lines[0].startswith(f"kg: error: {out}: "), r.err
    elif target == "missing":
        assert r.err_lines == [
            f"kg: error: {out}: no such build directory (run `kg build INPUT -o {out}` first)"
        ]
    else:
        assert r.err_lines == [
            f"kg: error: {out}: not a gonghui-kg build directory (no manifest.json from `kg build`)"
        ]


@pytest.mark.parametrize("name", ["query", "validate"])
def test_other_commands_need_a_build_in_a_subprocess(tmp_path: Path, name: str) -> None:
    out = tmp_path / "nowhere"
    r = run_kg(_invocation(name, out, tmp_path / "gold.jsonl"), script=True).clean()
    assert r.code == 2
    assert r.err_lines == [f"kg: error: {out}: no such build directory (run `kg build INPUT -o {out}` first)"]


# --------------------------------------------------------------------------- version and help


def test_version() -> None:
    import kg

    for r in (invoke(["--version"]), run_kg(["--version"], script=True), run_kg(["-V"])):
        r.ok()
        assert r.out.strip() == f"kg, version {kg.__version__}"


def test_help_lists_every_command() -> None:
    from kg.cli import COMMANDS

    for r in (invoke(["--help"]), run_kg(["--help"], script=True), run_kg(["-h"])):
        r.ok()
        assert r.out.startswith("Usage: kg ")
        listed = re.findall(r"^  (\S+)\s", r.out.split("Commands:")[1], re.M)
        assert listed == sorted(COMMANDS)


def _all_commands() -> list[str]:
    from kg.cli import COMMANDS

    return sorted(COMMANDS)


@pytest.mark.parametrize("name", _all_commands())
def test_command_help(name: str) -> None:
    for r in (invoke([name, "--help"]), run_kg([name, "--help"], script=True)):
        r.ok()
        assert r.out.startswith(f"Usage: kg {name} ")
        assert "Options:" in r.out and "--help" in r.out


def test_help_loads_no_heavy_module() -> None:
    code = (
        "import sys\nfrom kg.cli import cli\n"
        "try:\n    cli(['--help'], prog_name='kg')\nexcept SystemExit:\n    pass\n"
        "heavy = ('jieba', 'rdflib', 'pyoxigraph', 'pyvis', 'networkx', 'matplotlib', 'pyshacl')\n"
        "print(sorted(m for m in heavy if m in sys.modules), file=sys.stderr)\n"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0 and p.stderr.strip() == "[]", p.stderr


def test_unknown_command_is_a_usage_error() -> None:
    r = invoke(["bulid", str(PAGE)]).clean()
    assert r.code == 2
    assert "No such command 'bulid'" in r.err
