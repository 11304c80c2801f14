"""gonghui-kg: build an RDF knowledge graph from Chinese trade-union news.

>>> import kg
>>> result = kg.build(["examples/workers-daily-2022-11-11-p3.md"], "out")  # doctest: +SKIP
>>> result.counts["TradeUnion"]  # doctest: +SKIP
27

Heavy modules (jieba, rdflib, pyoxigraph, pyvis) load on first use.
"""

from __future__ import annotations

from typing import Any

from ._version import __version__

__all__ = [
    "BuildDirError",
    "ClusterError",
    "DecodeError",
    "InputError",
    "KgError",
    "OutputError",
    "PushError",
    "QueryError",
    "RulesError",
    "ValidationError",
    "__version__",
    "build",
    "open",
]

from .errors import (
    BuildDirError,
    ClusterError,
    DecodeError,
    InputError,
    KgError,
    OutputError,
    PushError,
    QueryError,
    RulesError,
    ValidationError,
)


def build(*args: Any, **kwargs: Any) -> Any:
    """Build a graph from inputs into an output directory; see :func:`kg.builder.pipeline.build`."""
    from .builder.pipeline import build as _build

    return _build(*args, **kwargs)


def open(build_dir: Any) -> Any:  # noqa: A001 - kg.open, as a user would call it
    """Open a build for reading: a :class:`kg.api.KnowledgeGraph` with ``query()``, ``entities()``,
    ``relations()``, ``to_networkx()``, ``analyze()``, ``path()`` and ``schema()``; see :mod:`kg.api`."""
    from .api import open_build

    return open_build(build_dir)
