"""Export a build in standard formats (``kg export``).

RDF formats (:mod:`kg.rdf.serialize`) carry the store as it is:

=========  ==========================================  =====================
format     content                                     default file
=========  ==========================================  =====================
ttl        the facts (default graph), Turtle           ``OUT/export.ttl``
nt         the facts, N-Triples                        ``OUT/export.nt``
rdfxml     the facts, RDF/XML                          ``OUT/export.rdf``
jsonld     the facts, compact JSON-LD (see below)      ``OUT/export.jsonld``
trig       facts and evidence named graphs, TriG       ``OUT/export.trig``
nq         facts and evidence named graphs, N-Quads    ``OUT/export.nq``
=========  ==========================================  =====================

JSON-LD is compacted with the context of ``ontology/context.jsonld``, embedded
in the file so that it parses offline: gh terms are short names
(``locatedIn``), ``@vocab`` is the gh namespace and ``@language`` is ``zh``.

Network formats (:mod:`kg.network.tables`) hold an entity graph for Gephi, Cytoscape or yEd:

- ``graphml`` (``OUT/export.graphml``) and ``gexf`` (``OUT/export.gexf``):
  nodes are the entities (id = IRI) with the attributes of
  :data:`NODE_COLUMNS`: ``label``, ``class``, ``aliases`` (joined with
  ``|``), ``degree``, ``pagerank`` and ``community`` (over the actors, as
  ``kg analyze`` computes them; -1 for places and unlinked entities),
  ``community_name``, ``articles`` (how many mention it), ``first_date``,
  ``last_date``, and the viewer's class ``color``, ``size`` and position
  ``x``/``y``; GEXF also carries them as ``viz`` colour, size and position,
  so Gephi opens the file coloured and laid out.  Edges are the direct
  relations with ``relation`` (the property's local name, e.g.
  ``locatedIn``), ``label_zh`` (its Chinese label, e.g. 位于), ``evidence``
  (how many sentences state it) and, for a post, ``role``: a post becomes a
  person → organisation edge with relation ``holds``.  Articles, sentences
  and figures are not nodes.
- ``csv`` writes the same columns as two tables, UTF-8 with a byte-order
  mark so that Excel shows Chinese correctly: ``-o graph.csv`` gives
  ``graph.nodes.csv`` and ``graph.edges.csv``, ``-o tables/`` (any name not
  ending in ``.csv``) gives ``tables/nodes.csv`` and ``tables/edges.csv``;
  by default ``OUT/export-csv/``.

Every export is deterministic: the same build gives byte-identical files.
Files are written atomically and an existing file is replaced only with
``force=True``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InputError, OutputError
from .network.tables import EDGE_COLUMNS, NODE_COLUMNS, csv_tables, entity_tables, gexf_bytes, graphml_bytes
from .rdf.serialize import WRITERS, load_facts
from .store import atomic_writer, open_store, output_dir, read_manifest

__all__ = [
    "EDGE_COLUMNS",
    "FORMATS",
    "NODE_COLUMNS",
    "csv_targets",
    "entity_tables",
    "export",
    "guess_format",
    "load_facts",
    "serialize",
    "write_csv",
]

_CSV_DIR = "export-csv"


@dataclass(frozen=True, slots=True)
class _Format:
    name: str
    ext: str  #: file extension, without the dot; "" for a directory
    write: Callable[[Any], bytes] | None  #: store → bytes; None for csv


#: Every format: the RDF serialisations, the network files and csv (two files in a directory).
_REGISTRY: dict[str, _Format] = {
    **{name: _Format(name, ext, write) for name, (ext, write) in WRITERS.items()},
    "graphml": _Format("graphml", "graphml", graphml_bytes),
    "gexf": _Format("gexf", "gexf", gexf_bytes),
    "csv": _Format("csv", "", None),  # see write_csv
}


def csv_targets(build_dir: str | os.PathLike[str], output: str | os.PathLike[str] | None) -> tuple[Path, Path]:
    """Where ``kg export --format csv -o OUTPUT`` writes its two tables.

    ``None``: ``BUILD/export-csv/nodes.csv`` and ``edges.csv``.  A name
    ending in ``.csv`` is a stem: ``graph.csv`` gives ``graph.nodes.csv``
    and ``graph.edges.csv`` beside it.  Anything else is a folder (made when
    missing) that receives ``nodes.csv`` and ``edges.csv``.

    >>> [p.name for p in csv_targets("out", "tables/graph.csv")]
    ['graph.nodes.csv', 'graph.edges.csv']
    >>> [str(p) for p in csv_targets("out", "tables")]
    ['tables/nodes.csv', 'tables/edges.csv']
    """
    if output is None:
        d = Path(build_dir) / _CSV_DIR
        return d / "nodes.csv", d / "edges.csv"
    text = str(output)
    path = Path(output)
    if path.suffix.lower() == ".csv" and not text.endswith(("/", os.sep)) and not path.is_dir():
        return path.with_name(f"{path.stem}.nodes.csv"), path.with_name(f"{path.stem}.edges.csv")
    return path / "nodes.csv", path / "edges.csv"


def write_csv(
    build_dir: str | os.PathLike[str],
    output: str | os.PathLike[str] | None = None,
    *,
    force: bool = False,
) -> tuple[Path, Path]:
    """Write the node and edge tables of the entity graph (see :func:`csv_targets` for where).

    Returns the two paths.  Columns: :data:`NODE_COLUMNS` and
    :data:`EDGE_COLUMNS`, UTF-8 with a byte-order mark so that Excel shows
    Chinese correctly.

    Raises
    ------
    OutputError
        When a file would be replaced without ``force``, or the folder
        cannot be used.
    """
    read_manifest(build_dir)
    targets = csv_targets(build_dir, output)
    d = targets[0].parent
    if d.exists() and not d.is_dir():
        raise OutputError(f"{d}: exists and is not a directory (csv writes nodes.csv and edges.csv into one)")
    existing = [p.name for p in targets if p.exists()]
    if existing and not force:
        raise OutputError(f"{d}: {' and '.join(existing)} already exist; pass --force to replace them")
    tables = csv_tables(open_store(build_dir))
    try:
        if output is None:
            output_dir(build_dir, _CSV_DIR)  # the build's own: in its generation, linked from the top
        else:
            d.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"{d}: cannot create directory ({e.strerror})") from None
    for path, data in zip(targets, tables, strict=True):
        _write_bytes(path, data)
    return targets


# ---------------------------------------------------------------- public entry points

#: Format name → file extension ("" for csv, which writes a directory).
FORMATS: dict[str, str] = {name: f.ext for name, f in sorted(_REGISTRY.items())}

_SUFFIXES: dict[str, str] = {
    ".ttl": "ttl",
    ".turtle": "ttl",
    ".nt": "nt",
    ".rdf": "rdfxml",
    ".xml": "rdfxml",
    ".owl": "rdfxml",
    ".jsonld": "jsonld",
    ".json": "jsonld",
    ".trig": "trig",
    ".nq": "nq",
    ".graphml": "graphml",
    ".gexf": "gexf",
    ".csv": "csv",
}


def guess_format(output: str | os.PathLike[str] | None) -> str:
    """The format named by the extension of ``output``; ``ttl`` when it names none.

    >>> guess_format("graph.trig")
    'trig'
    >>> guess_format(None)
    'ttl'
    """
    if output is None or str(output) == "-":
        return "ttl"
    return _SUFFIXES.get(Path(output).suffix.lower(), "ttl")


def _check_format(fmt: str) -> _Format:
    try:
        return _REGISTRY[fmt]
    except KeyError:
        raise InputError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}") from None


def serialize(build_dir: str | os.PathLike[str], fmt: str = "ttl") -> bytes:
    """A single-file export of a build as bytes (UTF-8).

    Parameters
    ----------
    build_dir
        A directory written by ``kg build``.
    fmt
        One of :data:`FORMATS` except ``csv``.

    Raises
    ------
    InputError
        For an unknown format, or ``csv``.
    BuildDirError
        When ``build_dir`` is not a build.
    """
    f = _check_format(fmt)
    if f.write is None:
        raise InputError(
            f"{fmt} writes several files; use write_csv() or `kg export OUT --format {fmt} -o DIR`"
        )
    return f.write(open_store(build_dir))


def _write_bytes(path: Path, data: bytes) -> None:
    try:
        with atomic_writer(path, "wb") as fh:
            fh.write(data)
    except OSError as e:
        raise OutputError(f"{path}: cannot write ({e.strerror})") from None


def _check_target(path: Path, force: bool) -> None:
    if path.is_dir():
        raise OutputError(
            f"{path}: is a directory; give a file name with -o (only csv writes into a directory)"
        )
    if path.exists() and not force:
        raise OutputError(f"{path}: already exists; pass --force to replace it")
    parent = path.parent
    if not parent.is_dir():
        raise OutputError(f"{parent}: no such directory")
    if not os.access(parent, os.W_OK):
        raise OutputError(f"{parent}: directory is not writable")


def export(
    build_dir: str | os.PathLike[str],
    fmt: str | None = None,
    output: str | os.PathLike[str] | None = None,
    *,
    force: bool = False,
) -> list[Path]:
    """Export a build to a file, a directory (csv) or standard output.

    Parameters
    ----------
    build_dir
        A directory written by ``kg build``.
    fmt
        One of :data:`FORMATS`; when ``None`` it is taken from the extension
        of ``output`` (``graph.trig`` → ``trig``), else ``ttl``.
    output
        A file; ``"-"`` writes to standard output.  For ``csv``, a name
        ending in ``.csv`` is a stem (``graph.csv`` → ``graph.nodes.csv`` and
        ``graph.edges.csv``) and any other name a folder (see
        :func:`csv_targets`).  When ``None``: ``BUILD/export.<ext>``, or
        ``BUILD/export-csv/``.
    force
        Replace files that already exist.

    Returns
    -------
    list of Path
        The files written; empty when writing to standard output.

    Raises
    ------
    InputError, OutputError, BuildDirError
        Unknown format; a file that would be replaced without ``force``; a
        directory that is not a build.
    """
    fmt = fmt or guess_format(output)
    f = _check_format(fmt)
    read_manifest(build_dir)
    if f.write is None:
        if output is not None and str(output) == "-":
            raise InputError(
                "csv writes two files (nodes.csv, edges.csv) and cannot go to standard output; "
                "give a folder or a FILE.csv stem with -o"
            )
        return list(write_csv(build_dir, output, force=force))
    if output is not None and str(output) == "-":
        data = serialize(build_dir, fmt)
        out = sys.stdout.buffer
        out.write(data)
        out.flush()
        return []
    if output is not None and str(output).endswith(("/", os.sep)):
        raise OutputError(
            f"{output}: names a directory; give a file name with -o (only csv writes into a directory)"
        )
    path = Path(output) if output is not None else Path(build_dir) / f"export.{f.ext}"
    _check_target(path, force)
    _write_bytes(path, serialize(build_dir, fmt))
    return [path]
