"""Assembling a build directory from what extraction produced, wherever it ran.

Extraction (in this process, in ``--jobs`` workers or on Dask) turns each
document into two byte strings: its quads as N-Quads, for the store, and its
default-graph triples as Turtle, for ``graph.ttl``.  In this process they
come in batches as the document is mapped; from a worker, a large
document's come in two files, read a batch at a time
(:meth:`Assembler.add_files`).  :class:`Assembler` receives them in input
order and

* loads the N-Quads into the on-disk store in a thread of its own (the load
  runs in Rust without the GIL, so it overlaps with extraction);
* appends the Turtle to ``graph.ttl`` as it comes (a triple that several
  documents state, such as an organisation's label, is written once per
  document; a Turtle reader keeps one);
* at the end links namesakes, counts what was built with selective queries
  run side by side, writes the manifest, report and viewer, and publishes
  the generation (:meth:`kg.store.Generation.commit`).

Everything is written into a new generation folder of ``OUT``; nothing of it
is visible until :meth:`Assembler.finish` publishes it.
"""

from __future__ import annotations

import itertools
import os
import queue
import shutil
import threading
import time
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..store import FORMAT, MANIFEST, atomic_write_text, crash_point, write_json

if TYPE_CHECKING:
    from ..store import Generation
    from .report import BuildResult

__all__ = ["Assembler", "turtle_prefixes", "turtle_of"]

#: Bytes of N-Quads gathered before one load into the store.
LOAD_BATCH = 8 * 1024 * 1024
#: Namesakes linked by gh:possibleSameAs only while a name has at most this many nodes.
MAX_NAMESAKES = 20
#: Classes whose instances get a prefix of their own in graph.ttl (person:王伟--…).
CLASS_PREFIXES = ("TradeUnion", "Enterprise", "GovernmentBody", "OtherOrganization", "Person", "Program", "Place",
                  "WorkerGroup", "Award", "Article", "Post", "Statistic", "Evidence")

_STOP = object()


def turtle_prefixes() -> dict[str, str]:
    """The prefixes of graph.ttl, in a fixed order."""
    from ..rdf.namespace import PREFIXES

    prefixes = {k: PREFIXES[k] for k in sorted(PREFIXES) if k != "id"}
    prefixes.update({c.lower(): PREFIXES["id"] + c + "/" for c in CLASS_PREFIXES})
    return prefixes


_HEADER: list[bytes] = []


def _header() -> bytes:
    """The prefix lines the Turtle serializer writes before the first statement."""
    if not _HEADER:
        import pyoxigraph as ox

        # an empty graph is written without prefixes: serialize one statement and keep its prefix lines
        one = ox.Triple(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.NamedNode("urn:x:o"))
        data = ox.serialize([one], format=ox.RdfFormat.TURTLE, prefixes=turtle_prefixes())
        lines = data.splitlines(keepends=True)
        _HEADER.append(b"".join(ln for ln in lines if ln.startswith(b"@prefix ")))
    return _HEADER[0]


def turtle_of(triples: Iterable[Any]) -> bytes:
    """Default-graph quads (or triples) as Turtle statements, without the prefix lines."""
    import pyoxigraph as ox

    data: bytes = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=turtle_prefixes())
    head = _header()
    if data.startswith(head):
        return data[len(head):]
    # the same prefixes in another order: drop them all the same (they are declared once, at the top)
    lines = data.splitlines(keepends=True)
    i = 0
    while i < len(lines) and lines[i].startswith(b"@prefix "):
        i += 1
    return b"".join(lines[i:])


class _Loader(threading.Thread):
    """Loads batches of N-Quads (bytes, or a file path) into the store, one after the other."""

    def __init__(self, store: Any, transactional: bool) -> None:
        super().__init__(name="kg-store-loader", daemon=True)
        self.store = store
        self.transactional = transactional
        self.queue: queue.Queue[Any] = queue.Queue(maxsize=2)  # bounds the memory held by pending batches
        self.error: BaseException | None = None

    def run(self) -> None:
        import pyoxigraph as ox

        while True:
            item = self.queue.get()
            if item is _STOP:
                return
            if self.error is not None:
                continue  # drain, so that put() never blocks after a failure
            try:
                kw = {"path": str(item)} if isinstance(item, Path) else {"input": item}
                if self.transactional:
                    self.store.load(format=ox.RdfFormat.N_QUADS, **kw)
                else:
                    self.store.bulk_load(format=ox.RdfFormat.N_QUADS, **kw)
            except BaseException as e:  # reported by the main thread
                self.error = e

    def put(self, item: Any) -> None:
        self.check()
        self.queue.put(item)

    def check(self) -> None:
        if self.error is not None:
            raise self.error

    def close(self) -> None:
        self.queue.put(_STOP)
        self.join()
        self.check()


class Assembler:
    """Turns a stream of extracted documents into a new generation of a build directory.

    Parameters
    ----------
    gen : the :class:`~kg.store.Generation` to fill (see :func:`kg.store.new_generation`).
    result : the :class:`~kg.builder.report.BuildResult` that receives the figures.
    append : start from the published build (``gen.previous``): a checkpoint
        of its store (hard links to its immutable files) is extended and its
        ``graph.ttl`` copied and continued; the published files are only read.
    """

    def __init__(self, gen: Generation, result: BuildResult, *, append: bool = False) -> None:
        import pyoxigraph as ox

        self.gen = gen
        self.out = gen.path
        self.result = result
        self.append = append
        self.store_path = self.out / "store"
        self.ttl_path = self.out / "graph.ttl"
        base = gen.previous if append else None
        if append and base is None:
            raise ValueError("nothing to append to: the folder holds no build")
        if base is not None:
            ox.Store.read_only(str(base.store)).backup(str(self.store_path))
            if base.graph_ttl.is_file():
                shutil.copyfile(base.graph_ttl, self.ttl_path)
            crash_point("cloned")
        self.store = ox.Store(str(self.store_path))
        self._pending: list[bytes] = []
        self._pending_size = 0
        self._loader: _Loader | None = None
        self._ttl = open(self.ttl_path, "ab" if base is not None else "wb")  # noqa: SIM115 (closed in finish or abort)
        if self._ttl.tell() == 0:
            self._ttl.write(_header())

    # -- receiving -------------------------------------------------------------
    def start(self) -> None:
        """Start the loading thread (after any worker processes were forked)."""
        if self._loader is None:
            self._loader = _Loader(self.store, transactional=self.append)
            self._loader.start()

    def add(self, nquads: bytes, turtle: bytes) -> None:
        """One document's (or batch's) N-Quads and Turtle, in input order."""
        self._ttl.write(turtle)
        self._pending.append(nquads)
        self._pending_size += len(nquads)
        if self._pending_size > LOAD_BATCH:
            self._flush()

    def load_file(self, nquads: Path) -> None:
        """A shard's N-Quads file, loaded as it is (its Turtle goes in with :meth:`add_turtle_file`, in order)."""
        self._flush()
        self.start()
        assert self._loader is not None
        self._loader.put(Path(nquads))

    def add_turtle_file(self, turtle: Path) -> None:
        with open(turtle, "rb") as f:
            shutil.copyfileobj(f, self._ttl)

    def add_document(self, out: Any) -> None:
        """A :class:`~kg.builder.pipeline.DocOutput`: its quads and its record in the result."""
        if out.files is not None:
            self.add_files(Path(out.files[0]), Path(out.files[1]))
        else:
            self.add(out.nquads, out.turtle)
        self.record(out.meta, out.quads, out.repairs, out.merged_columns, out.conflicts)

    def add_files(self, nquads: Path, turtle: Path) -> None:
        """A document's N-Quads and Turtle from files (then removed), read a batch at a time."""
        try:
            self.add_turtle_file(turtle)
            with open(nquads, "rb") as f:
                rest = b""
                while block := f.read(LOAD_BATCH):
                    cut = block.rfind(b"\n") + 1  # whole lines only
                    if cut == 0:
                        rest += block
                        continue
                    self.add(rest + block[:cut], b"")
                    rest = block[cut:]
                if rest:
                    self.add(rest, b"")
        finally:
            nquads.unlink(missing_ok=True)
            turtle.unlink(missing_ok=True)

    def record(self, meta: dict[str, Any], quads: int, repairs: list[str], merged: list[str],
               conflicts: list[str]) -> None:
        r = self.result
        r.quads += quads
        r.repairs.extend(repairs)
        r.merged_columns.extend(merged)
        r.conflicts.extend(conflicts)
        r.documents.append(meta)
        r.chars += meta["chars"]

    def _flush(self) -> None:
        if self._pending:
            self.start()
            assert self._loader is not None
            self._loader.put(b"".join(self._pending))
            self._pending = []
            self._pending_size = 0

    # -- finishing ---------------------------------------------------------------
    def finish(self, t0: float, *, viewer: bool = True) -> BuildResult:
        """Load what is pending, link namesakes, count, write the files and publish the generation."""
        from .report import render_report, version

        self._flush()
        if self._loader is not None:
            self._loader.close()
            self._loader = None
        self._link_namesakes()
        from ..rdf.ontology import add_to_store; add_to_store(self.store)  # noqa: E702, I001 (vocabulary beside the facts)
        self._ttl.close()
        self.store.flush()
        crash_point("loaded")
        r = self.result
        r.counts, r.triples = count(self.store)
        del self.store
        r.seconds = time.monotonic() - t0
        write_json(self.out / MANIFEST, {
            "format": FORMAT,
            "kg_version": version(),
            "documents": {d["id"]: d["source"] for d in r.documents},
            "document_list": r.documents,
            "counts": dict(sorted(r.counts.items())),
            "triples": r.triples,
        })
        atomic_write_text(self.out / "report.md", render_report(r))
        crash_point("written")
        if viewer:
            from ..network.viz import write_viewer

            write_viewer(self.out)
        self.gen.commit()
        return r

    def abort(self) -> None:
        """Stop the loader and close what is open; the generation is discarded by its owner."""
        if self._loader is not None:
            try:
                self._loader.close()
            except BaseException:
                pass
            self._loader = None
        if not self._ttl.closed:
            self._ttl.close()
        if hasattr(self, "store"):
            del self.store

    def _link_namesakes(self) -> None:
        """Link namesakes kept apart (different organisations or documents) as possible matches.

        Only links the store does not hold yet are added, and appended to
        graph.ttl.  The links stream from the store to a file and back, in
        sorted order, so that no Python object is made per link (an archive
        has millions of them).
        """
        import pyoxigraph as ox

        from ..rdf.namespace import PREFIXES

        # a name shared by more than MAX_NAMESAKES nodes (王伟) says too little to link them all pairwise
        links = self.store.query(f"""
            PREFIX gh: <{PREFIXES['gh']}> PREFIX rdfs: <{PREFIXES['rdfs']}>
            CONSTRUCT {{ ?a gh:possibleSameAs ?b }} WHERE {{
              {{ SELECT ?name WHERE {{ ?p a gh:Person ; rdfs:label ?name }}
                GROUP BY ?name HAVING (COUNT(?p) > 1 && COUNT(?p) <= {MAX_NAMESAKES}) }}
              ?a a gh:Person ; rdfs:label ?name . ?b a gh:Person ; rdfs:label ?name .
              FILTER(?a != ?b && NOT EXISTS {{ ?a gh:possibleSameAs ?b }})
            }} ORDER BY ?a ?b""")
        tmp = self.out / ".namesakes.nt.new"
        try:
            with open(tmp, "wb") as f:
                links.serialize(f, ox.RdfFormat.N_TRIPLES)
            if tmp.stat().st_size == 0:
                return
            self.store.load(path=str(tmp), format=ox.RdfFormat.N_TRIPLES)
            # as Turtle with the build's prefixes, streamed a chunk of links at a time
            triples = ox.parse(path=str(tmp), format=ox.RdfFormat.N_TRIPLES)
            while True:
                chunk = list(itertools.islice(triples, 100_000))
                if not chunk:
                    break
                self._ttl.write(turtle_of(chunk))
        finally:
            tmp.unlink(missing_ok=True)


def count(store: Any) -> tuple[Counter[str], int]:
    """Entities per class, statements per relation, posts, figures, and the facts in the default graph.

    One selective query per class and relation (each reads one index range),
    run side by side: the store answers them without the GIL.
    """
    from ..rdf.namespace import PREFIXES
    from .report import ENTITY_CLASSES, RELATION_KEYS

    gh = PREFIXES["gh"]
    jobs: dict[str, str] = {}
    for c in (*ENTITY_CLASSES, "Post", "Statistic", "Article", "Sentence", "Evidence"):
        jobs[c] = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s a <{gh}{c}> }}"
    for p in RELATION_KEYS:
        jobs[p] = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{gh}{p}> ?o }}"
    jobs[""] = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

    def run(q: str) -> int:
        return int(next(iter(store.query(q)))["n"].value)

    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        futures = {k: pool.submit(run, q) for k, q in jobs.items()}
        found = {k: f.result() for k, f in futures.items()}
    triples = found.pop("")
    return Counter({k: v for k, v in found.items() if v}), triples
