"""``build()``: read → segment → normalise → extract → resolve → RDF → store and files.

Documents are processed one at a time and their quads go into an on-disk
Oxigraph store (and ``graph.ttl``) in batches as they are mapped, so memory
grows neither with the corpus nor with the length of a document: an article
of thousands of sentences is read a window of sentences at a time (see
:func:`extract_document`).  Everything
is written into a new generation of the build directory, published with one
atomic rename when complete, so an interrupted build leaves the previous build
intact (see :mod:`kg.store`).
"""

from __future__ import annotations

import datetime as _dt
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ..errors import InputError
from .report import BuildResult, Progress, render_report

if TYPE_CHECKING:
    from ..store import Generation

__all__ = ["BuildResult", "DocOutput", "Progress", "auto_jobs", "batches", "build", "check_out_is_not_an_input",
           "extract_document", "init_worker", "process_document", "read_documents", "render_report",
           "total_size"]


def extract_document(doc: Any, lx: Any, *, repair: bool = True, min_confidence: float = 0.0,
                     sink: Callable[[list[Any]], None] | None = None, window: int | None = None,
                     chunk: int | None = None) -> tuple[Any, Any]:
    """Extract one document: returns (DocumentMapper with its quads, per-article results).

    With a ``sink``, the quads are passed to it in batches as they are made
    (the last batch when this returns, ``chunk`` quads each: default
    :data:`kg.rdf.mapping.CHUNK_QUADS`) instead of being kept by the mapper.

    A document with an article of more than ``window`` sentences (default
    :data:`kg.extract.WINDOW`, thousands of sentences: far more than any
    news article) is read a window of sentences at a time and its entities
    resolved window by window (:func:`kg.extract.extract_windows`,
    :class:`kg.extract.resolve.Resolver`), so that its memory does not grow with its
    length; its per-article results then hold no mentions.  Any other
    document is extracted, resolved and mapped whole.
    """
    from ..extract import WINDOW, extract_article
    from ..extract.resolve import resolve_document
    from ..rdf.mapping import CHUNK_QUADS, DocumentMapper
    from ..read.segment import article_text, segment, split_sentences

    window = WINDOW if window is None else window
    parts = []
    for art in segment(doc):
        norm = article_text(art, repair=repair)
        parts.append((art, norm, split_sentences(art, norm)))
    mapper = DocumentMapper(doc, lx, min_confidence=min_confidence, sink=sink,
                            chunk=CHUNK_QUADS if chunk is None else chunk)
    if any(len(sentences) > window for _, _, sentences in parts):
        results = _extract_in_windows(parts, lx, mapper, window)
    else:
        results = [extract_article(art, norm, sentences, lx) for art, norm, sentences in parts]
        ents = resolve_document(results, lx, doc.id)
        mapper.map_document(results, ents)
        mapper.conflicts = ents.conflicts
    mapper.flush()
    return mapper, results


def _extract_in_windows(parts: list[Any], lx: Any, mapper: Any, window: int) -> list[Any]:
    """Extract, resolve and map the articles of ``parts`` a window at a time; empty results, one per article."""
    from ..extract import ArticleResult, extract_article, extract_windows
    from ..extract.resolve import Resolver

    resolver = Resolver(lx, mapper.doc.id)
    mapper.digests = True
    results = []
    for i, (art, norm, sentences) in enumerate(parts):
        parts[i] = None  # the sentences of a window go with it
        results.append(ArticleResult(art, norm, []))
        if len(sentences) > window:
            pieces = extract_windows(art, norm, sentences, lx, window)
        else:
            pieces = iter([extract_article(art, norm, sentences, lx)])
        del sentences
        for res in pieces:
            mapper.map_window([res], resolver.resolve([res]), resolver.entities)
    for _, e in sorted(resolver.entities.items()):
        if e.confidence >= mapper.min_conf:
            mapper.entity(e)
    mapper.conflicts = list(resolver.conflicts)
    return results


@dataclass
class DocOutput:
    """What one document contributes (picklable, so workers can send it back).

    The quads of a large document come back in two files instead (``files``:
    its N-Quads and its Turtle, written by the worker; ``nquads`` and
    ``turtle`` are then empty), so that they never travel or wait whole in
    memory.  They were all given to ``emit`` instead when
    :func:`process_document` had one (both are empty then).
    """

    meta: dict[str, Any]
    nquads: bytes  #: every quad: facts and evidence graphs
    turtle: bytes  #: the default graph's triples, as Turtle statements for graph.ttl
    quads: int
    repairs: list[str]
    merged_columns: list[str]
    conflicts: list[str]
    files: tuple[str, str] | None = None  #: the N-Quads and Turtle files of a large document


_WORKER: dict[str, Any] = {}
#: Characters of documents sent to a ``--jobs`` worker at a time.
BATCH_CHARS = 64_000
#: Bytes of N-Quads and Turtle a worker keeps in memory for one document before writing them to files.
SPILL_BYTES = 16 * 1024 * 1024

#: N-Quads and Turtle of a batch of quads, handed on in order.
Emit = Callable[[bytes, bytes], None]


def init_worker(rules: str | None, repair: bool, min_confidence: float, spill: str | None = None) -> None:
    """Load the lexicon, the rules and the tokenizer's tables in this process.

    ``spill`` is a folder for the quads of documents too large to send back
    in memory (see :class:`DocOutput`); without one they are sent whole.
    """
    from ..extract.lexicon import load_lexicon
    from ..read.tokenize import cut_tagged, tag_table

    lx = load_lexicon()
    if rules:
        from ..extract.rules import load_rules

        lx.add_rules(load_rules(rules))
    cut_tagged("工会")  # load the segmenter and the tag table before the first document
    tag_table()
    _WORKER.update(lx=lx, repair=repair, min_confidence=min_confidence, spill=spill)


class QuadSerializer:
    """Quads of one document, a batch at a time, as N-Quads and Turtle statements for ``emit``.

    The Turtle of a batch stops before the statements about the last subject
    it names; they go with the next batch, so that the statements about one
    subject stay together (``s p o ; p2 o2 .``) and the Turtle of a document
    is the same bytes however its quads were cut into batches.
    """

    def __init__(self, emit: Emit) -> None:
        self.emit = emit
        self._held: list[Any] = []  # default-graph quads about the last subject, held for the next batch

    def __call__(self, quads: list[Any]) -> None:
        import pyoxigraph as ox

        default = self._held
        default.extend(q for q in quads if isinstance(q.graph_name, ox.DefaultGraph))
        cut = len(default)
        while cut and default[cut - 1].subject == default[-1].subject:
            cut -= 1
        self._held = default[cut:]
        self.emit(ox.serialize(quads, format=ox.RdfFormat.N_QUADS), self._turtle(default[:cut]))

    def close(self) -> None:
        """The statements held back."""
        held, self._held = self._held, []
        if held:
            self.emit(b"", self._turtle(held))

    @staticmethod
    def _turtle(quads: list[Any]) -> bytes:
        from .assemble import turtle_of

        return turtle_of(quads) if quads else b""


class _Spool:
    """N-Quads and Turtle of one document: in memory, then in two files of ``folder`` past ``limit`` bytes."""

    def __init__(self, folder: str | None, limit: int) -> None:
        self.folder = folder
        self.limit = limit
        self.nquads: list[bytes] = []
        self.turtle: list[bytes] = []
        self.size = 0
        self.files: tuple[IO[bytes], IO[bytes]] | None = None

    def __call__(self, nquads: bytes, turtle: bytes) -> None:
        if self.files is not None:
            self.files[0].write(nquads)
            self.files[1].write(turtle)
            return
        self.nquads.append(nquads)
        self.turtle.append(turtle)
        self.size += len(nquads) + len(turtle)
        if self.folder is not None and self.size > self.limit:
            import tempfile

            nq = tempfile.NamedTemporaryFile("wb", suffix=".nq", dir=self.folder, delete=False)  # noqa: SIM115
            ttl = tempfile.NamedTemporaryFile("wb", suffix=".ttl", dir=self.folder, delete=False)  # noqa: SIM115
            self.files = (nq, ttl)
            nq.writelines(self.nquads)
            ttl.writelines(self.turtle)
            self.nquads, self.turtle = [], []

    def close(self) -> tuple[bytes, bytes, tuple[str, str] | None]:
        """(N-Quads, Turtle, None) in memory, or (b"", b"", their two files)."""
        if self.files is None:
            return b"".join(self.nquads), b"".join(self.turtle), None
        for f in self.files:
            f.close()
        return b"", b"", (self.files[0].name, self.files[1].name)

    def discard(self) -> None:
        if self.files is not None:
            for f in self.files:
                f.close()
                Path(f.name).unlink(missing_ok=True)


def process_document(doc: Any, emit: Emit | None = None) -> DocOutput:
    """Extract one document into N-Quads and Turtle (runs in a worker process or inline).

    With ``emit``, the N-Quads and Turtle go to it in batches, in order, as
    they are made (the :class:`DocOutput` then holds only the document's
    record); else they come back in the :class:`DocOutput`, in memory or, for
    a large document in a worker with a spill folder, in files.
    """
    spool = None
    if emit is None:
        spool = _Spool(_WORKER.get("spill"), SPILL_BYTES)
        emit = spool
    serializer = QuadSerializer(emit)
    try:
        mapper, results = extract_document(doc, _WORKER["lx"], repair=_WORKER["repair"],
                                           min_confidence=_WORKER["min_confidence"], sink=serializer)
        serializer.close()
    except BaseException:
        if spool is not None:
            spool.discard()
        raise
    repairs = [f"{doc.source}:{rep.span.start}: {rep.before} → {rep.after} ({rep.rule})"
               for r in results for rep in r.norm.repairs]
    merged = [f"{doc.source}:{sp.start}-{sp.end} (article {r.article.index}: {r.article.headline or '(no headline)'})"
              for r in results for sp in r.article.merged_columns]
    meta = {"source": doc.source, "id": doc.id, "encoding": doc.encoding, "chars": len(doc.text),
            "articles": len(results), "date": doc.date.isoformat() if doc.date else None}
    conflicts = [f"{doc.source}: {c}" for c in mapper.conflicts]
    nq, ttl, files = spool.close() if spool is not None else (b"", b"", None)
    return DocOutput(meta, nq, ttl, mapper.total, repairs, merged, conflicts, files)


def _process_batch(docs: list[Any]) -> list[DocOutput]:
    return [process_document(d) for d in docs]


def batches(docs: Iterable[Any], chars: int, max_docs: int | None = None) -> Iterator[list[Any]]:
    """Documents in lists of about ``chars`` characters (and at most ``max_docs``): one round trip to a worker."""
    batch: list[Any] = []
    size = 0
    for d in docs:
        batch.append(d)
        size += len(d.text)
        if size >= chars or (max_docs is not None and len(batch) >= max_docs):
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def read_documents(inputs: Sequence[str], *, date: _dt.date | None, outlet: str | None, stdin: IO[bytes] | None,
                   known: dict[str, dict[str, Any]], result: BuildResult | None,
                   warn: Callable[[str], None] | None) -> Iterator[Any]:
    """The documents to extract, in input order; one whose content hash is in ``known`` is skipped.

    Problems go to ``warn`` and, with notes and skips, to ``result`` when given.
    """
    from ..read.ingest import iter_documents

    def on_warning(source: str, message: str) -> None:
        line = f"{source}: {message}"
        if result is not None:
            result.warnings.append(line)
        if warn is not None:
            warn(line)

    def on_note(source: str, message: str) -> None:
        if result is not None:
            result.notes.append(f"{source}: {message}")

    for doc in iter_documents(list(inputs), date=date, stdin=stdin, warn=on_warning, info=on_note):
        if doc.id in known:
            if result is not None:
                result.skipped.append(f"{doc.source}: same text as {known[doc.id]['source']}, skipped")
            continue
        known[doc.id] = {"source": doc.source}
        if outlet and not doc.outlet:
            doc.outlet = outlet
        yield doc


def check_out_is_not_an_input(inputs: Sequence[str], out: str | os.PathLike[str]) -> None:
    """Refuse an INPUT folder that is the build directory itself (a build does not read its own outputs)."""
    target = Path(out).resolve()
    for item in inputs:
        if item != "-" and item.strip() and Path(item).is_dir() and Path(item).resolve() == target:
            raise InputError(f"{item}: is both an INPUT folder and the build directory; choose another -o")


def _tell(message: str) -> None:
    sys.stderr.write(f"kg: {message}\n")
    sys.stderr.flush()


def build(inputs: Sequence[str], out: str | os.PathLike[str], *, force: bool = False, quiet: bool = False,
          repair: bool = True, date: _dt.date | None = None, rules: str | None = None,
          outlet: str | None = None, min_confidence: float = 0.0, viewer: bool = True, jobs: int | None = 1,
          append: bool = False, stdin: IO[bytes] | None = None,
          warn: Callable[[str], None] | None = None, wait: bool = False) -> BuildResult:
    """Build the knowledge graph of ``inputs`` into the directory ``out``.

    Parameters
    ----------
    inputs : files, folders (searched for .txt, .md, .jsonl) and ``-`` for standard input.
    out : the build directory; an existing one must be empty or a previous build (else ``force``).
    repair : apply the conservative OCR repairs (``--no-repair`` turns them off).
    date : the publication date when neither the file name nor the text gives one.
    rules : a TOML file of extra names, aliases, suffixes and roles.
    outlet : the newspaper the inputs come from (reporters get posts there).
    min_confidence : drop entities and statements below this confidence.
    jobs : worker processes for extraction (documents are independent); ``None``: as
        :func:`auto_jobs` decides from the inputs and the processors.
    append : add the inputs to the existing build ``out``; documents it already
        holds (same content hash) are skipped.
    wait : when another build is writing ``out``, wait for it instead of failing.

    The build is written as a new generation of ``out`` and published at
    once when complete (see :mod:`kg.store`): a failed or killed build leaves
    the previous one as it was.
    """
    from ..store import new_generation

    if not inputs:
        raise InputError("no INPUT given (files, folders or - for standard input)")
    chars = total_size(inputs)  # for the progress display too: the inputs are walked once
    if jobs is None:
        jobs = auto_jobs(inputs, chars)
    if jobs < 1:
        raise InputError("--jobs must be at least 1")
    check_out_is_not_an_input(inputs, out)
    with new_generation(out, append=append, force=force, wait=wait, warn=warn,
                        on_wait=None if quiet else _tell) as gen:
        return _build(inputs, gen, time.monotonic(), append, quiet, repair, date, rules, outlet, min_confidence,
                      viewer, jobs, stdin, warn, chars)


def _build(inputs: Sequence[str], gen: Generation, t0: float, append: bool,
           quiet: bool, repair: bool, date: _dt.date | None, rules: str | None, outlet: str | None,
           min_confidence: float, viewer: bool, jobs: int, stdin: IO[bytes] | None,
           warn: Callable[[str], None] | None, chars: int) -> BuildResult:
    from .assemble import Assembler

    result = BuildResult(gen.out)
    previous = gen.previous.manifest if append and gen.previous is not None else {}
    known: dict[str, dict[str, Any]] = {d["id"]: d for d in previous.get("document_list", [])}
    result.documents.extend(known.values())
    # the quads of a large document come back from a worker in files of this folder
    spill = gen.scratch("parts") if jobs > 1 else None
    if spill is not None:
        spill.mkdir(parents=True, exist_ok=True)
    # also checks the rules file before any work; forked workers inherit what it loads
    init_worker(rules, repair, min_confidence, str(spill) if spill is not None else None)
    docs = read_documents(inputs, date=date, outlet=outlet, stdin=stdin, known=known, result=result, warn=warn)

    progress = Progress(chars, not quiet)
    pool = None
    asm = None
    try:
        if jobs > 1:
            import multiprocessing as mp

            fork = sys.platform == "linux"
            # the pool is made before the loading thread starts: forking a process with threads is unsafe
            pool = mp.get_context("fork" if fork else "spawn").Pool(
                jobs, initializer=None if fork else init_worker,
                initargs=(rules, repair, min_confidence, str(spill)))
            # batches keep the workers busy between round trips; imap keeps the input order
            outputs: Iterator[DocOutput] = (
                o for batch in pool.imap(_process_batch, batches(docs, BATCH_CHARS)) for o in batch)
        else:
            # quads go to the store and graph.ttl in batches as they are made, however long the document
            outputs = (process_document(d, emit=asm.add) for d in docs)
        asm = Assembler(gen, result, append=append)
        asm.start()
        for o in outputs:
            asm.add_document(o)
            progress.update(o.meta["chars"])
        progress.close()
        if pool is not None:
            pool.close()
            pool.join()
            pool = None
        return asm.finish(t0, viewer=viewer)
    except BaseException:
        progress.close()
        if pool is not None:
            pool.terminate()
        if asm is not None:
            asm.abort()
        raise
    finally:
        _WORKER["spill"] = None
        if spill is not None:
            import shutil

            shutil.rmtree(spill, ignore_errors=True)


#: Characters of input from which a build uses more than one process by itself (below, starting the
#: workers costs more than they save).
AUTO_JOBS_CHARS = 500_000
#: The most worker processes a build starts by itself.
AUTO_JOBS_MAX = 4


def auto_jobs(inputs: Sequence[str], chars: int | None = None) -> int:
    """Worker processes for ``inputs``: one per processor this process may use (at most
    :data:`AUTO_JOBS_MAX`) when they hold :data:`AUTO_JOBS_CHARS` characters or more (``chars``, when
    :func:`total_size` was already asked), else 1."""
    if "-" in inputs or (total_size(inputs) if chars is None else chars) < AUTO_JOBS_CHARS:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, AUTO_JOBS_MAX))


def total_size(inputs: Sequence[str]) -> int:
    """Characters in ``inputs``, roughly (for the progress line)."""
    total = 0
    for i in inputs:
        p = Path(i)
        try:
            if p.is_file():
                total += p.stat().st_size // 3  # bytes → characters, roughly, for CJK UTF-8
            elif p.is_dir():
                total += sum(f.stat().st_size for f in p.rglob("*") if f.suffix in (".txt", ".md", ".jsonl")) // 3
        except OSError:
            pass
    return total
