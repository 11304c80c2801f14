"""The build's assembly: graph.ttl written from each document's Turtle, the store loaded in a thread."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import PAGE

from kg.builder.assemble import Assembler, count, turtle_of, turtle_prefixes
from kg.builder.report import BuildResult
from kg.store import new_generation


def _facts_of_turtle(path: Path) -> set[ox.Quad]:
    """graph.ttl's triples as a store holds them (Oxigraph keeps xsd:nonNegativeInteger as xsd:integer)."""
    mem = ox.Store()
    mem.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return set(mem.quads_for_pattern(None, None, None, ox.DefaultGraph()))


def test_graph_ttl_holds_exactly_the_default_graph_of_the_store(page_build: Path) -> None:
    store = ox.Store.read_only(str(page_build / "store"))
    facts = set(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    assert facts, "the store holds no facts"
    assert _facts_of_turtle(page_build / "graph.ttl") == facts


def test_graph_ttl_declares_each_prefix_once(page_build: Path) -> None:
    lines = (page_build / "graph.ttl").read_text("utf-8").splitlines()
    prefixes = [ln for ln in lines if ln.startswith("@prefix")]
    assert len(prefixes) == len(set(prefixes)) == len(turtle_prefixes())
    assert all(ln.startswith("@prefix") for ln in lines[: len(prefixes)]), "prefix lines after statements"


def test_turtle_of_leaves_out_the_prefix_lines() -> None:
    gh = turtle_prefixes()["gh"]
    q = ox.Quad(ox.NamedNode(turtle_prefixes()["tradeunion"] + "全国总工会"), ox.NamedNode(gh + "label"),
                ox.Literal("全国总工会", language="zh"))
    text = turtle_of([q]).decode("utf-8")
    assert "@prefix" not in text
    assert text.startswith("tradeunion:全国总工会 gh:label")
    assert turtle_of([]) == b""


def test_counts_match_a_scan_of_the_store(page_build: Path) -> None:
    store = ox.Store.read_only(str(page_build / "store"))
    counts, triples = count(store)
    gh = turtle_prefixes()["gh"]
    typed = [q.object.value[len(gh):] for q in store.quads_for_pattern(None, ox.NamedNode(
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), None, ox.DefaultGraph())
        if q.object.value.startswith(gh)]
    for cls in ("TradeUnion", "Person", "Program", "Statistic", "Article"):
        assert counts[cls] == typed.count(cls) > 0
    assert counts["organizes"] == sum(1 for _ in store.quads_for_pattern(None, ox.NamedNode(gh + "organizes"),
                                                                          None, ox.DefaultGraph()))
    assert triples == sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))


def test_a_failed_load_reports_the_error_and_leaves_the_previous_build(tmp_path: Path, page_build: Path) -> None:
    import time

    out = tmp_path / "out"
    shutil.copytree(page_build, out, symlinks=True)
    before = {n: (out / n).read_bytes() for n in ("graph.ttl", "manifest.json", "report.md")}
    kept = sorted(p.name for p in (out / ".kg").iterdir())
    with pytest.raises(SyntaxError), new_generation(out) as gen:
        asm = Assembler(gen, BuildResult(out))
        asm.start()
        asm.add(b"<not an N-Quads line\n", b"")
        try:
            asm.finish(time.monotonic(), viewer=False)
        finally:
            asm.abort()
    assert {n: (out / n).read_bytes() for n in before} == before
    assert sorted(p.name for p in (out / ".kg").iterdir()) == kept  # the new generation is gone
    assert ox.Store.read_only(str(out / "store")) is not None


def test_abort_before_anything_was_added_removes_what_it_made(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(KeyboardInterrupt), new_generation(out) as gen:
        asm = Assembler(gen, BuildResult(out))
        asm.abort()
        raise KeyboardInterrupt
    assert list(out.iterdir()) == []


def test_append_extends_graph_ttl_without_rewriting_it(tmp_path: Path) -> None:
    import kg

    text = PAGE.read_text("utf-8")
    half = text.index("\n\n", len(text) // 2)
    first, second = tmp_path / "a.md", tmp_path / "b.md"
    first.write_text(text[:half], "utf-8")
    second.write_text(text[half:], "utf-8")
    out = tmp_path / "out"
    kg.build([str(first)], str(out), quiet=True, viewer=False)
    old = (out / "graph.ttl").read_bytes()
    kg.build([str(second)], str(out), quiet=True, viewer=False, append=True)
    new = (out / "graph.ttl").read_bytes()
    assert new.startswith(old) and len(new) > len(old)
    store = ox.Store.read_only(str(out / "store"))
    assert _facts_of_turtle(out / "graph.ttl") == set(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
