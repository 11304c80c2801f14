"""Shared fixtures: a hand-written mini build and a real build of the bundled page."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
PAGE = ROOT / "examples" / "workers-daily-2022-11-11-p3.md"


def make_build_from_trig(trig: Path, out: Path) -> Path:
    """Write a build directory (manifest, store, graph.ttl) holding ``trig``'s quads."""
    import pyoxigraph as ox

    from kg.rdf.namespace import PREFIXES
    from kg.store import FORMAT, MANIFEST

    out.mkdir(parents=True, exist_ok=True)
    store = ox.Store(str(out / "store"))
    store.load(path=str(trig), format=ox.RdfFormat.TRIG)
    store.flush()
    triples = [q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())]
    ox.serialize(triples, str(out / "graph.ttl"), ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    del store
    (out / MANIFEST).write_text(json.dumps({"format": FORMAT, "documents": {}}), "utf-8")
    return out


@pytest.fixture(scope="session")
def mini_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A read-only build of tests/data/mini.trig (copy it before writing into it)."""
    return make_build_from_trig(DATA / "mini.trig", tmp_path_factory.mktemp("mini") / "out")


@pytest.fixture(scope="session")
def page_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build of the bundled development page, made once per test session (read-only)."""
    import kg

    out = tmp_path_factory.mktemp("page") / "out"
    kg.build([str(PAGE)], str(out), quiet=True)
    return out


@pytest.fixture
def writable_copy(tmp_path: Path):
    """Copy a build directory so a test may change it."""

    def copy(build: Path) -> Path:
        dst = tmp_path / build.name
        shutil.copytree(build, dst)
        return dst

    return copy
