"""The house: stage folders import one way, no module imports itself back, functions stay short.

Stages, from first to last (a module may import its own stage and earlier ones):

0. the base: ``kg._version``, ``kg.errors``, ``kg.model``, ``kg.store``, ``kg.table``
1. ``kg.read``: documents, normalisation, articles, sentences, words
2. ``kg.extract``: names, relations, figures, aliases
3. ``kg.rdf``: vocabulary, mapping, ontology, validation, serialisations
4. ``kg.sparql``: queries, endpoint, push
5. ``kg.network``: entity graph, analysis, viewer, pictures, tables
6. ``kg.builder``: pipeline, assembly, distributed extraction, scoring
7. the doors: ``kg`` itself, ``kg.api``, ``kg.export``, ``kg.cli``, ``kg.commands``

Imports inside functions count as much as those at the top of a module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

KG = Path(__file__).resolve().parent.parent / "kg"

STAGES = {
    "kg._version": 0, "kg.errors": 0, "kg.model": 0, "kg.store": 0, "kg.table": 0,
    "kg.read": 1, "kg.extract": 2, "kg.rdf": 3, "kg.sparql": 4, "kg.network": 5, "kg.builder": 6,
    "kg": 7, "kg.__main__": 7, "kg.api": 7, "kg.export": 7, "kg.cli": 7, "kg.commands": 7,
}  # fmt: skip

#: The longest function allowed in kg/, in lines (signature and docstring included).
LONGEST = 80


def _module(path: Path) -> tuple[str, str]:
    """The module a file defines and the package its relative imports start from."""
    parts = list(path.relative_to(KG.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        name = ".".join(parts[:-1])
        return name, name
    name = ".".join(parts)
    return name, name.rsplit(".", 1)[0]


def _is_module(name: str) -> bool:
    path = KG.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _imports(path: Path, package: str | None = None) -> list[tuple[str, int]]:
    """The kg modules a file imports, with the line of each import (relative to ``package``, by default its own)."""
    package = package or _module(path)[1]
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("kg"):
                continue
            subs = [f"{target}.{a.name}" for a in node.names if _is_module(f"{target}.{a.name}")]
            if subs:
                found += [(s, node.lineno) for s in subs]
            else:
                found.append((target, node.lineno))
        elif isinstance(node, ast.Import):
            found += [(a.name, node.lineno) for a in node.names if a.name.split(".")[0] == "kg"]
    return found


def _stage(module: str) -> tuple[str, int]:
    for prefix in sorted(STAGES, key=len, reverse=True):
        if module == prefix or module.startswith(prefix + "."):
            return prefix, STAGES[prefix]
    raise AssertionError(f"{module} belongs to no stage: add it to STAGES")


def _files() -> list[Path]:
    return sorted(KG.rglob("*.py"))


def test_every_module_belongs_to_a_stage():
    for path in _files():
        _stage(_module(path)[0])


def test_imports_run_from_later_stages_to_earlier_ones():
    upward = []
    for path in _files():
        here = _module(path)[0]
        _, rank = _stage(here)
        for target, line in _imports(path):
            there, target_rank = _stage(target)
            if target_rank > rank:
                upward.append(f"{path.relative_to(KG.parent)}:{line} imports {target} (stage {there})")
    assert not upward, "\n".join(upward)


def test_no_import_loops():
    g = nx.DiGraph()
    for path in _files():
        here = _module(path)[0]
        for target, _line in _imports(path):
            # a package's __init__ gathering its own modules is not a loop back to it
            if target != here and not (path.name == "__init__.py" and target.startswith(here + ".")):
                g.add_edge(here, target)
    loops = [c for c in nx.simple_cycles(g) if len(c) > 1]
    assert not loops, loops


def test_no_function_is_longer_than_the_limit():
    long = []
    for path in _files():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                n = node.end_lineno - node.lineno + 1  # type: ignore[operator]
                if n > LONGEST:
                    long.append(f"{path.relative_to(KG.parent)}:{node.lineno} {node.name} {n} lines")
    assert not long, "\n".join(long)


@pytest.mark.parametrize(("source", "target"), [
    ("from ..network.viz import render_html", "kg.network.viz"),
    ("from ..builder import pipeline", "kg.builder.pipeline"),
])  # fmt: skip
def test_the_checker_sees_an_upward_import(tmp_path, source, target):
    """A read module importing a later stage is caught (the check can fail)."""
    probe = tmp_path / "probe.py"
    probe.write_text(f"def f():\n    {source}\n", "utf-8")
    assert (target, 2) in _imports(probe, "kg.read")
    assert _stage(target)[1] > _stage("kg.read.ingest")[1]


def test_the_version_is_the_one_of_the_package_metadata():
    import tomllib

    import kg

    meta = tomllib.loads((KG.parent / "pyproject.toml").read_text("utf-8"))
    assert kg.__version__ == meta["project"]["version"]
