"""Extraction on a Dask cluster: documents → N-Quads shards → the usual build directory.

Documents are independent, so extraction spreads over any number of machines.
The client reads the inputs (the same readers as ``kg build``: folders,
JSONL, encodings, content-hash deduplication) and sends batches of documents
to the workers; each worker runs the extraction of :mod:`kg.builder.pipeline`
(:func:`kg.builder.pipeline.init_worker` once per set of options, then
:func:`kg.builder.pipeline.process_document` per document) and answers with the batch's
N-Quads and Turtle.  The client writes each batch as a shard::

    shard-00000.nq     the quads of one batch of documents (facts and evidence graphs)
    shard-00000.ttl    the same batch's default-graph triples, as Turtle statements
    shard-00000.json   what each of those documents contributed (source, articles,
                       characters, OCR repairs, flagged columns, alias conflicts)

:func:`build_with_dask` loads the shards into an on-disk Oxigraph store as
they arrive and finishes the build with the same :class:`kg.builder.assemble.Assembler`
as :func:`kg.build` (namesakes linked, counts, ``graph.ttl``, manifest, report,
viewer).  The quads of a document do not depend on where it was extracted and
``graph.ttl`` takes the shards' Turtle in input order, so it is byte-identical
to the one of a local build of the same inputs.

Where the shards are written is a trade-off:

* by the client (the default): the workers need no shared file system, only
  the package; every quad travels worker → scheduler → client once (N-Quads
  are about 200 bytes a quad, some 50 MB per 10,000 articles), and the
  client's memory holds at most the batches in flight;
* by the workers (``write_on_workers=True``): nothing but small metadata comes
  back, which suits large clusters with a shared folder (NFS, a mounted
  bucket); ``out_dir`` must then be the same path on every worker.  A
  worker writes a document's quads to its shard as they are mapped, so even
  a document of millions of characters is never held whole.

Extraction is pure Python and holds the GIL: give each worker process one
thread (``dask worker --nthreads 1 --nworkers N``); a worker with more threads
runs its batches one after the other.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ..errors import ClusterError, InputError
from .pipeline import batches, read_documents
from .report import BuildResult, Progress

if TYPE_CHECKING:
    from ..store import Generation

__all__ = ["ClusterError", "Shard", "build_with_dask", "extract_shards"]

#: A batch closes when its documents reach this many characters (or BATCH_DOCS documents).
BATCH_CHARS = 200_000
BATCH_DOCS = 200
#: Seconds to wait for the scheduler to answer, and for a first worker to join it.
CONNECT_TIMEOUT = 10.0
WORKER_TIMEOUT = 60.0



@dataclass(frozen=True)
class _Options:
    """What every worker needs to extract like the client would (picklable)."""

    repair: bool = True
    min_confidence: float = 0.0
    rules_text: str | None = None  #: the rules file's text (workers need not see the client's files)

    @property
    def key(self) -> str:
        h = hashlib.sha256(repr((self.repair, self.min_confidence, self.rules_text)).encode("utf-8"))
        return h.hexdigest()[:16]


@dataclass
class Shard:
    """One batch of documents, extracted."""

    index: int
    path: Path  #: the N-Quads file
    documents: list[dict[str, Any]] = field(default_factory=list)  #: per document, in input order

    @property
    def quads(self) -> int:
        return sum(d["quads"] for d in self.documents)

    @property
    def turtle(self) -> Path:
        """The shard's default-graph triples as Turtle statements (no prefix lines)."""
        return self.path.with_suffix(".ttl")


# ------------------------------------------------------------------ worker side

_LOCK = threading.Lock()
_STATE: dict[str, Any] = {"key": None}


def _ensure_worker(options: _Options) -> None:
    """Load the lexicon (and the rules) in this worker process, once per set of options."""
    from . import pipeline

    if _STATE["key"] == options.key:
        return
    rules = None
    if options.rules_text is not None:
        folder = Path(tempfile.gettempdir()) / "gonghui-kg-rules"
        folder.mkdir(parents=True, exist_ok=True)
        rules = str(folder / f"{options.key}.toml")
        tmp = f"{rules}.{os.getpid()}.tmp"
        Path(tmp).write_text(options.rules_text, "utf-8")
        os.replace(tmp, rules)
    pipeline.init_worker(rules, options.repair, options.min_confidence)
    _STATE["key"] = options.key


def _extract_batch(index: int, docs: list[Any], options: _Options,
                   shard_dir: str | None) -> tuple[int, bytes | None, bytes | None, list[dict[str, Any]]]:
    """Extract a batch (runs on a worker).

    Returns the batch index, its N-Quads and Turtle (``None`` when written to
    ``shard_dir`` here) and one record per document.
    """
    from . import pipeline

    with _LOCK:  # one batch at a time per process: the lexicon is process state
        _ensure_worker(options)
        if shard_dir is not None:  # the quads go to the shard's files as they are made
            return index, None, None, _extract_to_shard(Path(shard_dir), index, docs)
        outs = [pipeline.process_document(d) for d in docs]
    nquads = b"".join(o.nquads for o in outs)
    turtle = b"".join(o.turtle for o in outs)
    return index, nquads, turtle, [_record(o) for o in outs]


def _record(out: Any) -> dict[str, Any]:
    return {"meta": out.meta, "quads": out.quads, "repairs": out.repairs, "merged_columns": out.merged_columns,
            "conflicts": out.conflicts}


def _extract_to_shard(folder: Path, index: int, docs: list[Any]) -> list[dict[str, Any]]:
    """Extract ``docs`` straight into the files of shard ``index`` (memory does not grow with a document)."""
    from ..store import atomic_writer
    from . import pipeline

    path = folder / f"{_shard_name(index)}.nq"
    with atomic_writer(path, "wb") as nq, atomic_writer(path.with_suffix(".ttl"), "wb") as ttl:
        def emit(nquads: bytes, turtle: bytes) -> None:
            nq.write(nquads)
            ttl.write(turtle)

        records = [_record(pipeline.process_document(d, emit=emit)) for d in docs]
    with atomic_writer(folder / f"{_shard_name(index)}.json") as f:
        json.dump(records, f, ensure_ascii=False)
    return records


def _worker_version() -> str:
    from .._version import __version__

    return __version__


# ------------------------------------------------------------------ client side


def _shard_name(index: int) -> str:
    return f"shard-{index:05d}"


def _write_shard(folder: Path, index: int, nquads: bytes, turtle: bytes, records: list[dict[str, Any]]) -> Path:
    from ..store import atomic_writer

    path = folder / f"{_shard_name(index)}.nq"
    with atomic_writer(path, "wb") as f:
        f.write(nquads)
    with atomic_writer(path.with_suffix(".ttl"), "wb") as f:
        f.write(turtle)
    with atomic_writer(folder / f"{_shard_name(index)}.json") as f:
        json.dump(records, f, ensure_ascii=False)
    return path


def _options(rules: str | None, repair: bool, min_confidence: float) -> _Options:
    """Check the rules file here, where its path means something, and ship its text."""
    text = None
    if rules:
        from ..extract.rules import load_rules

        load_rules(rules)  # RulesError with the user's path
        text = Path(rules).read_text("utf-8")
    return _Options(repair=repair, min_confidence=min_confidence, rules_text=text)


def _connect(scheduler_address: str, timeout: float = CONNECT_TIMEOUT) -> Any:
    """A Dask client of the scheduler at ``scheduler_address``, with a worker that runs this package."""
    try:
        from distributed import Client
    except ImportError:
        raise ClusterError("Dask is not installed: pip install 'gonghui-kg[dask]'") from None
    if not scheduler_address or not scheduler_address.strip():
        raise InputError("--dask needs a scheduler address such as tcp://host:8786")
    _probe(scheduler_address, timeout)
    try:
        client = Client(scheduler_address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as e:
        reason = " ".join(str(e).split())[:200] or type(e).__name__
        raise ClusterError(f"cannot reach the Dask scheduler at {scheduler_address} ({reason})") from None
    try:
        _check_workers(client, scheduler_address)
    except BaseException:
        client.close()
        raise
    return client


def _probe(address: str, timeout: float) -> None:
    """Fail fast, with the reason, when nothing listens at a ``tcp://host:port`` address."""
    import socket
    from urllib.parse import urlsplit

    text = address if "://" in address else f"tcp://{address}"
    parts = urlsplit(text)
    if parts.scheme != "tcp":
        return  # tls://, ucx:// …: let Dask connect
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        raise InputError(f"{address}: not a scheduler address such as tcp://host:8786") from None
    if not host or port is None:
        raise InputError(f"{address}: not a scheduler address such as tcp://host:8786 (port missing)")
    try:
        with socket.create_connection((host, port), timeout=timeout):
            pass
    except ConnectionRefusedError:
        raise ClusterError(f"cannot reach the Dask scheduler at {address} (connection refused; "
                           "is `dask scheduler` running there?)") from None
    except TimeoutError:
        raise ClusterError(f"cannot reach the Dask scheduler at {address} "
                           f"(no answer within {timeout:g} s)") from None
    except OSError as e:
        raise ClusterError(f"cannot reach the Dask scheduler at {address} ({e.strerror or e})") from None


def _check_workers(client: Any, where: str, timeout: float = WORKER_TIMEOUT) -> None:
    from .._version import __version__

    try:
        client.wait_for_workers(1, timeout=timeout)
    except (TimeoutError, OSError):
        raise ClusterError(f"no Dask worker joined the scheduler at {where} within {timeout:g} s "
                           "(start some with `dask worker SCHEDULER_ADDRESS --nthreads 1`)") from None
    try:
        versions = client.run(_worker_version)
    except Exception as e:  # the workers cannot import this package
        raise ClusterError(f"the Dask workers cannot run gonghui-kg ({type(e).__name__}: "
                           f"{' '.join(str(e).split())[:160]}); install it on every worker") from None
    other = sorted({v for v in versions.values() if v != __version__})
    if other:
        raise ClusterError(f"the Dask workers run gonghui-kg {', '.join(other)}, this client {__version__}; "
                           "install the same version everywhere")


def _iter_shards(batches: Iterator[list[Any]], out_dir: Path, client: Any, options: _Options, *,
                 write_on_workers: bool, in_flight: int | None = None) -> Iterator[Shard]:
    """Submit the batches, at most ``in_flight`` at a time; yield shards as they complete."""
    from distributed import as_completed

    if in_flight is None:
        workers = max(1, len(client.nthreads()))
        in_flight = 2 * workers + 1
    shard_dir = str(out_dir.resolve()) if write_on_workers else None
    pending = as_completed(loop=client.loop)
    token = uuid.uuid4().hex[:12]
    index = 0

    def submit() -> bool:
        nonlocal index
        batch = next(batches, None)
        if batch is None:
            return False
        pending.add(client.submit(_extract_batch, index, batch, options, shard_dir,
                                  key=f"kg-extract-{token}-{index}",
                                  pure=False))
        index += 1
        return True

    for _ in range(in_flight):
        if not submit():
            break
    try:
        for future in pending:
            try:
                i, nquads, turtle, records = future.result()
            except Exception as e:
                if type(e).__name__ in ("KilledWorker", "CommClosedError", "FutureCancelledError"):
                    raise ClusterError(f"the Dask cluster lost a batch of documents ({type(e).__name__}: "
                                       f"{' '.join(str(e).split())[:160]})") from None
                raise
            path = out_dir / f"{_shard_name(i)}.nq"
            if nquads is not None:
                path = _write_shard(out_dir, i, nquads, turtle or b"", records)
            elif not path.is_file():
                raise ClusterError(f"{path}: a worker wrote this shard but the client cannot see it "
                                   "(write_on_workers needs a folder shared by every machine)")
            submit()
            yield Shard(i, path, records)
    finally:
        for f in list(pending.futures):
            f.cancel()


def extract_shards(inputs: Sequence[str], out_dir: str | os.PathLike[str], *, client: Any,
                   repair: bool = True, date: _dt.date | None = None, rules: str | None = None,
                   outlet: str | None = None, min_confidence: float = 0.0,
                   batch_chars: int = BATCH_CHARS, batch_docs: int = BATCH_DOCS,
                   write_on_workers: bool = False, stdin: IO[bytes] | None = None,
                   warn: Callable[[str], None] | None = None) -> list[Path]:
    """Extract ``inputs`` on the Dask cluster of ``client`` into N-Quads shards in ``out_dir``.

    Parameters
    ----------
    inputs : files, folders and ``-``, as for :func:`kg.build`.
    out_dir : the folder that receives ``shard-NNNNN.nq`` (and its ``.json`` record).
    client : a ``distributed.Client``.
    repair, date, rules, outlet, min_confidence : as for :func:`kg.build`.
    batch_chars, batch_docs : a batch (one task, one shard) closes at this many
        characters or documents, whichever comes first.
    write_on_workers : the workers write the shards themselves (``out_dir``
        must be shared by every machine); else they send them to the client.
    warn : called with one line per input that was skipped.

    Returns
    -------
    The ``.nq`` paths, in input order.  Duplicated documents (same content
    hash) are extracted once.
    """
    if batch_chars < 1 or batch_docs < 1:
        raise InputError("batch sizes must be at least 1")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    options = _options(rules, repair, min_confidence)
    _check_workers(client, str(getattr(client.scheduler, "address", "the scheduler")))
    docs = read_documents(inputs, date=date, outlet=outlet, stdin=stdin, known={}, result=None, warn=warn)
    shards = list(_iter_shards(batches(docs, batch_chars, batch_docs), out, client, options,
                               write_on_workers=write_on_workers))
    return [s.path for s in sorted(shards, key=lambda s: s.index)]


def build_with_dask(inputs: Sequence[str], out: str | os.PathLike[str], scheduler_address: str | None = None,
                    *, client: Any = None, force: bool = False, quiet: bool = False, repair: bool = True,
                    date: _dt.date | None = None, rules: str | None = None, outlet: str | None = None,
                    min_confidence: float = 0.0, viewer: bool = True, append: bool = False,
                    stdin: IO[bytes] | None = None, warn: Callable[[str], None] | None = None,
                    batch_chars: int = BATCH_CHARS, batch_docs: int = BATCH_DOCS,
                    write_on_workers: bool = False, shard_dir: str | os.PathLike[str] | None = None,
                    wait: bool = False) -> BuildResult:
    """Build ``inputs`` into the directory ``out`` as :func:`kg.build` does, extracting on Dask.

    Parameters
    ----------
    scheduler_address : the scheduler, e.g. ``tcp://10.0.0.5:8786``; or pass ``client``.
    client : a ``distributed.Client`` to use instead (it is left open).
    shard_dir : keep the shards in this folder (else they go to a working
        folder in ``out/.kg`` that is deleted once they are loaded).
    Other parameters : as for :func:`kg.build` and :func:`extract_shards`.

    Returns
    -------
    The :class:`~kg.builder.report.BuildResult`; ``out`` holds the same manifest,
    store, ``graph.ttl``, report and viewer as a local build, written as a new
    generation and published when complete, like a local build.
    """
    from ..store import new_generation
    from . import pipeline

    if not inputs:
        raise InputError("no INPUT given (files, folders or - for standard input)")
    if batch_chars < 1 or batch_docs < 1:
        raise InputError("batch sizes must be at least 1")
    if client is None and scheduler_address is None:
        raise InputError("give the Dask scheduler's address (or a client)")
    pipeline.check_out_is_not_an_input(inputs, out)
    with new_generation(out, append=append, force=force, wait=wait, warn=warn,
                        on_wait=None if quiet else pipeline._tell) as gen:
        t0 = time.monotonic()  # the time of the build, not of waiting for another
        options = _options(rules, repair, min_confidence)
        own_client = client is None
        if own_client:
            client = _connect(str(scheduler_address))
        else:
            _check_workers(client, str(scheduler_address or "the scheduler"))
        try:
            return _build(inputs, gen, client, options, t0, append=append, quiet=quiet, date=date, outlet=outlet,
                          viewer=viewer, stdin=stdin, warn=warn, batch_chars=batch_chars, batch_docs=batch_docs,
                          write_on_workers=write_on_workers, shard_dir=shard_dir, own_client=own_client)
        finally:
            if own_client:
                client.close()


def _build(inputs: Sequence[str], gen: Generation, client: Any, options: _Options, t0: float, *, append: bool,
           quiet: bool, date: _dt.date | None, outlet: str | None, viewer: bool, stdin: IO[bytes] | None,
           warn: Callable[[str], None] | None, batch_chars: int, batch_docs: int, write_on_workers: bool,
           shard_dir: str | os.PathLike[str] | None, own_client: bool) -> BuildResult:
    from . import pipeline
    from .assemble import Assembler

    result = BuildResult(gen.out)
    previous = gen.previous.manifest if append and gen.previous is not None else {}
    known: dict[str, dict[str, Any]] = {d["id"]: d for d in previous.get("document_list", [])}
    result.documents.extend(known.values())
    keep = shard_dir is not None
    shards_at = Path(shard_dir) if shard_dir is not None else gen.scratch("shards")
    shards_at.mkdir(parents=True, exist_ok=True)
    progress = Progress(pipeline.total_size(inputs), not quiet)
    asm = None
    done: list[Shard] = []
    try:
        asm = Assembler(gen, result, append=append)
        docs = read_documents(inputs, date=date, outlet=outlet, stdin=stdin, known=known, result=result,
                              warn=warn)
        for shard in _iter_shards(batches(docs, batch_chars, batch_docs), shards_at, client, options,
                                  write_on_workers=write_on_workers):
            asm.load_file(shard.path)  # loaded as they come; graph.ttl is written in input order
            done.append(shard)
            for rec in shard.documents:
                progress.update(rec["meta"]["chars"])
        progress.close()
        # graph.ttl and the report list documents in input order, whatever order the batches finished in
        for shard in sorted(done, key=lambda s: s.index):
            asm.add_turtle_file(shard.turtle)
            for rec in shard.documents:
                asm.record(rec["meta"], rec["quads"], rec["repairs"], rec["merged_columns"], rec["conflicts"])
        if own_client:
            client.close()
        return asm.finish(t0, viewer=viewer)
    except BaseException:
        progress.close()
        if asm is not None:
            asm.abort()
        raise
    finally:
        if not keep:
            shutil.rmtree(shards_at, ignore_errors=True)
