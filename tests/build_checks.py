"""Checks of a build directory shared by the crash, CLI and Dask tests."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyoxigraph as ox

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def whole(out: Path) -> tuple[str, ...]:
    """The documents of the build in ``out``, after checking that its parts describe that one build."""
    from kg.store import current_build

    build = current_build(out)
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))  # through the plain path, as a user reads it
    assert manifest == build.manifest
    store = ox.Store.read_only(str(out / "store"))
    facts = set(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    mem = ox.Store()
    mem.load(path=str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    assert set(mem.quads_for_pattern(None, None, None, ox.DefaultGraph())) == facts, "graph.ttl ≠ store"
    assert manifest["triples"] == len(facts) > 0
    gh = "https://w3id.org/gonghui-kg/ontology#"
    articles = sum(1 for _ in store.quads_for_pattern(None, RDF_TYPE, ox.NamedNode(gh + "Article"),
                                                       ox.DefaultGraph()))
    docs = manifest["document_list"]
    assert articles == sum(d["articles"] for d in docs) > 0
    report = (out / "report.md").read_text("utf-8")
    assert f"- built: {len(docs)} documents" in report
    assert f"- graph: {len(facts):,} triples in graph.ttl" in report
    return tuple(sorted(Path(d["source"]).name for d in docs))


def names(folder: Path) -> tuple[str, ...]:
    return tuple(sorted(p.name for p in folder.iterdir()))


def assert_tidy(out: Path) -> None:
    """After a finished build: the lock, the link, the published generation and at most the one before."""
    kg = out / ".kg"
    current = os.readlink(kg / "current")
    gens = sorted(p.name for p in kg.iterdir() if p.name.startswith("gen-"))
    assert set(names(kg)) == {"lock", "current", *gens}, names(kg)
    assert current == gens[-1] and len(gens) <= 2, gens
    assert not [p.name for p in out.iterdir() if p.name.startswith(".") and p.name != ".kg"]
    assert all(p.exists() for p in out.iterdir()), "a link into the build leads nowhere"
