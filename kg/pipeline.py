"""``build()``: read → segment → normalise → extract → resolve → RDF → store and files.

Documents are processed one at a time and their quads go straight into an
on-disk Oxigraph store, so memory does not grow with the corpus.  Everything
is written into a new generation of the build directory, published with one
atomic rename when complete, so an interrupted build leaves the previous build
intact (see :mod:`kg.store`).
"""

from __future__ import annotations

import datetime as _dt
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .errors import InputError

if TYPE_CHECKING:
    from .store import Generation

__all__ = ["BuildResult", "DocOutput", "Progress", "batches", "build", "check_out_is_not_an_input",
           "extract_document", "init_worker", "process_document", "read_documents", "render_report",
           "total_size"]


@dataclass
class BuildResult:
    """What a build produced."""

    out: Path
    documents: list[dict[str, Any]] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    merged_columns: list[str] = field(default_factory=list)
    triples: int = 0
    quads: int = 0
    chars: int = 0
    seconds: float = 0.0

    @property
    def articles(self) -> int:
        return sum(d["articles"] for d in self.documents)

    def summary(self) -> str:
        ents = sum(self.counts[c] for c in ENTITY_CLASSES)
        rels = sum(v for k, v in self.counts.items() if k in RELATION_KEYS)
        return (f"kg: built {self.out}: {len(self.documents)} documents, {self.articles} articles, "
                f"{ents} entities, {rels} relations, {self.counts['Post']} posts, "
                f"{self.counts['Statistic']} figures, {self.triples} triples in {self.seconds:.1f}s"
                + (f" ({len(self.warnings)} warnings, see report.md)" if self.warnings else ""))


ENTITY_CLASSES = ("TradeUnion", "Enterprise", "GovernmentBody", "OtherOrganization", "Person", "Program",
                  "Place", "WorkerGroup", "Award")
RELATION_KEYS = ("locatedIn", "partOf", "subOrganizationOf", "memberOf", "organizes", "participatesIn",
                 "benefits", "employedBy", "establishedUnion", "receivedAward")


class Progress:
    """Files and characters done, rate and ETA on stderr, only when it is a terminal."""

    def __init__(self, total_chars: int, enabled: bool) -> None:
        self.total = total_chars
        self.enabled = enabled and sys.stderr.isatty()
        self.start = time.monotonic()
        self.last = 0.0
        self.files = 0
        self.chars = 0

    def update(self, chars: int) -> None:
        self.files += 1
        self.chars += chars
        now = time.monotonic()
        if not self.enabled or now - self.last < 0.2:
            return
        self.last = now
        rate = self.chars / max(now - self.start, 1e-6)
        eta = (self.total - self.chars) / rate if self.total > self.chars and rate else 0
        sys.stderr.write(f"\r{self.files} files, {self.chars:,} chars, {rate:,.0f} chars/s, ETA {eta:,.0f}s   ")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 70 + "\r")


def extract_document(doc: Any, lx: Any, *, repair: bool = True, min_confidence: float = 0.0) -> tuple[Any, Any]:
    """Extract one document: returns (DocumentMapper with its quads, per-article results)."""
    from .extract import extract_article
    from .rdf import DocumentMapper
    from .resolve import resolve_document
    from .segment import article_text, segment, split_sentences

    results = []
    for art in segment(doc):
        norm = article_text(art, repair=repair)
        sentences = split_sentences(art, norm)
        results.append(extract_article(art, norm, sentences, lx))
    ents = resolve_document(results, lx, doc.id)
    mapper = DocumentMapper(doc, lx, min_confidence=min_confidence)
    mapper.map_document(results, ents)
    mapper.conflicts = ents.conflicts
    return mapper, results


@dataclass
class DocOutput:
    """What one document contributes (picklable, so workers can send it back)."""

    meta: dict[str, Any]
    nquads: bytes  #: every quad: facts and evidence graphs
    turtle: bytes  #: the default graph's triples, as Turtle statements for graph.ttl
    quads: int
    repairs: list[str]
    merged_columns: list[str]
    conflicts: list[str]


_WORKER: dict[str, Any] = {}
#: Characters of documents sent to a ``--jobs`` worker at a time.
BATCH_CHARS = 64_000


def init_worker(rules: str | None, repair: bool, min_confidence: float) -> None:
    """Load the lexicon, the rules and the tokenizer's tables in this process."""
    from .extract.lexicon import load_lexicon
    from .extract.tokenize import cut_tagged, tag_table

    lx = load_lexicon()
    if rules:
        from .rules import load_rules

        lx.add_rules(load_rules(rules))
    cut_tagged("工会")  # load the segmenter and the tag table before the first document
    tag_table()
    _WORKER.update(lx=lx, repair=repair, min_confidence=min_confidence)


def process_document(doc: Any) -> DocOutput:
    """Extract one document into N-Quads and Turtle (runs in a worker process or inline)."""
    import pyoxigraph as ox

    from .assemble import turtle_of

    mapper, results = extract_document(doc, _WORKER["lx"], repair=_WORKER["repair"],
                                       min_confidence=_WORKER["min_confidence"])
    repairs = [f"{doc.source}:{rep.span.start}: {rep.before} → {rep.after} ({rep.rule})"
               for r in results for rep in r.norm.repairs]
    merged = [f"{doc.source}:{sp.start}-{sp.end} (article {r.article.index}: {r.article.headline or '(no headline)'})"
              for r in results for sp in r.article.merged_columns]
    meta = {"source": doc.source, "id": doc.id, "encoding": doc.encoding, "chars": len(doc.text),
            "articles": len(results), "date": doc.date.isoformat() if doc.date else None}
    nq = ox.serialize(mapper.quads, format=ox.RdfFormat.N_QUADS)
    ttl = turtle_of(q for q in mapper.quads if isinstance(q.graph_name, ox.DefaultGraph))
    conflicts = [f"{doc.source}: {c}" for c in mapper.conflicts]
    return DocOutput(meta, nq, ttl, len(mapper.quads), repairs, merged, conflicts)


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
    from .ingest import iter_documents

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
          outlet: str | None = None, min_confidence: float = 0.0, viewer: bool = True, jobs: int = 1,
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
    jobs : worker processes for extraction (documents are independent).
    append : add the inputs to the existing build ``out``; documents it already
        holds (same content hash) are skipped.
    wait : when another build is writing ``out``, wait for it instead of failing.

    The build is written as a new generation of ``out`` and published at
    once when complete (see :mod:`kg.store`): a failed or killed build leaves
    the previous one as it was.
    """
    from .store import new_generation

    if not inputs:
        raise InputError("no INPUT given (files, folders or - for standard input)")
    if jobs < 1:
        raise InputError("--jobs must be at least 1")
    check_out_is_not_an_input(inputs, out)
    with new_generation(out, append=append, force=force, wait=wait, warn=warn,
                        on_wait=None if quiet else _tell) as gen:
        return _build(inputs, gen, time.monotonic(), append, quiet, repair, date, rules, outlet, min_confidence,
                      viewer, jobs, stdin, warn)


def _build(inputs: Sequence[str], gen: Generation, t0: float, append: bool,
           quiet: bool, repair: bool, date: _dt.date | None, rules: str | None, outlet: str | None,
           min_confidence: float, viewer: bool, jobs: int, stdin: IO[bytes] | None,
           warn: Callable[[str], None] | None) -> BuildResult:
    from .assemble import Assembler

    result = BuildResult(gen.out)
    previous = gen.previous.manifest if append and gen.previous is not None else {}
    known: dict[str, dict[str, Any]] = {d["id"]: d for d in previous.get("document_list", [])}
    result.documents.extend(known.values())
    # also checks the rules file before any work; forked workers inherit what it loads
    init_worker(rules, repair, min_confidence)
    docs = read_documents(inputs, date=date, outlet=outlet, stdin=stdin, known=known, result=result, warn=warn)

    progress = Progress(total_size(inputs), not quiet)
    pool = None
    asm = None
    try:
        if jobs > 1:
            import multiprocessing as mp

            fork = sys.platform == "linux"
            # the pool is made before the loading thread starts: forking a process with threads is unsafe
            pool = mp.get_context("fork" if fork else "spawn").Pool(
                jobs, initializer=None if fork else init_worker, initargs=(rules, repair, min_confidence))
            # batches keep the workers busy between round trips; imap keeps the input order
            outputs = (o for batch in pool.imap(_process_batch, batches(docs, BATCH_CHARS)) for o in batch)
        else:
            outputs = map(process_document, docs)
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


def version() -> str:
    from . import __version__

    return __version__


def render_report(r: BuildResult) -> str:
    """report.md: what was built."""
    lines = ["# gonghui-kg build report", "",
             f"- built: {len(r.documents)} documents, {r.articles} articles, {r.chars:,} characters "
             f"in {r.seconds:.1f} s",
             f"- graph: {r.triples:,} triples in graph.ttl, {r.quads:,} quads in store/ (facts and provenance)", "",
             "## Documents", "", "| source | encoding | articles | characters | date |", "|---|---|---|---|---|"]
    for d in r.documents:
        lines.append(f"| {d['source']} | {d['encoding']} | {d['articles']} | {d['chars']:,} | {d['date'] or ''} |")
    lines += ["", "## Entities per class", "", "| class | entities |", "|---|---|"]
    for c in ENTITY_CLASSES:
        lines.append(f"| {c} | {r.counts.get(c, 0)} |")
    lines += ["", "## Relations per type", "", "| relation | statements |", "|---|---|"]
    for k in RELATION_KEYS:
        lines.append(f"| {k} | {r.counts.get(k, 0)} |")
    lines.append(f"| holds (posts) | {r.counts.get('Post', 0)} |")
    lines.append(f"| figures (gh:Statistic) | {r.counts.get('Statistic', 0)} |")
    for title, items in (("Notes", r.notes), ("Skipped (already built)", r.skipped), ("OCR repairs", r.repairs),
                         ("Merged columns flagged", r.merged_columns),
                         ("Alias conflicts (left unmerged)", r.conflicts), ("Warnings", r.warnings)):
        lines += ["", f"## {title}", ""]
        lines += [f"- {x}" for x in items] or ["- none"]
    return "\n".join(lines) + "\n"
