"""General-news names from a learned sequence tagger.

The grammar of :mod:`kg.extract.names` is written for union news; news of
any other kind names companies, ministries and people the grammar has no rule
for.  This module is a second proposer for those: a linear-chain CRF over
characters (``python-crfsuite``), trained on the public CLUENER2020 training
split by :mod:`kg.extract.train_general` and shipped as
``kg/data/general-ner.crfsuite``.

Each character is described by its neighbours (characters and character
pairs in a window of two), its character type, the word tagger's tag and its
place in that word (:mod:`kg.extract.tagger`), and the lexicons' hits
(gazetteer places, organisation suffixes, surnames).

* :func:`features` — the description of one text (what training and tagging
  share);
* :func:`spans` — for a batch of texts and their words, the names found:
  ``(start, end, label, score)`` with the labels of :data:`LABELS` and the
  score the least marginal probability of the span's tags;
* :func:`general_candidates` — the proposals for the extractor (the finder
  ``general`` of :mod:`kg.extract.names` calls it last): names where the
  grammar's own candidates leave a gap, gated by score and shape and typed
  by the grammar's suffix when the name ends in one; persons that only the
  word tagger proposed, reviewed; and a transliterated or whole name of the
  model's in place of the pieces the tagger read in it.

The model is loaded on first use; a missing package or file raises
:class:`GeneralError` with a one-line hint.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from importlib import resources
from typing import Any

from ..errors import KgError
from ..read.tokenize import cut, tag_of, word_freq
from .lexicon import Lexicon, lexicon
from .persons import before_formerly, plausible_name
from .tagger import Word

__all__ = ["LABELS", "GeneralError", "GeneralTagger", "features", "general_candidates", "model", "spans"]

INSTALL = "pip install python-crfsuite"
MODEL_FILE = "general-ner.crfsuite"

#: The names the model finds (the training data's labels, as spelled there).
LABELS = ("name", "company", "government", "organization", "address", "position")


class GeneralError(KgError):
    """The general-news tagger cannot be loaded (package missing, model file unreadable)."""


# --------------------------------------------------------------------------- features

#: ASCII and full-width digits read as 0: numbers differ, their shape does not.
_DIGITS = str.maketrans({d: "0" for d in "0123456789０１２３４５６７８９"})
_TYPES: dict[str, str] = {}


def _char_type(c: str) -> str:
    if "\u4e00" <= c <= "\u9fff":
        return "H"
    if c.isdigit():
        return "D"
    if c.isascii() and c.isalpha():
        return "L"
    if c.isspace():
        return "S"
    return "A" if c.isalnum() else "P"


def _types(text: str) -> str:
    out = []
    for c in text:
        t = _TYPES.get(c)
        if t is None:
            t = _TYPES[c] = _char_type(c)
        out.append(t)
    return "".join(out)


class _Gazetteer:
    """Places, organisation suffixes and surnames of a lexicon, in one automaton."""

    def __init__(self, lx: Lexicon) -> None:
        import ahocorasick

        a = ahocorasick.Automaton()
        for name in lx.place_names:
            if len(name) >= 2:
                a.add_word(name, ("P", len(name)))
        for name in lx.place_short:
            if len(name) >= 2 and name not in lx.place_names:
                a.add_word(name, ("p", len(name)))
        for suffix, cls in lx.org_suffixes.items():
            if not a.exists(suffix):
                a.add_word(suffix, ("S" + cls[:2], len(suffix)))
        a.make_automaton()
        self.automaton = a
        self.surnames = lx.surnames

    def marks(self, text: str) -> dict[int, list[str]]:
        """The attributes of the characters that have any: ``position → [attribute, ...]``."""
        out: dict[int, list[str]] = {}
        for end, (kind, length) in self.automaton.iter(text):
            s = end - length + 1
            if length == 1:
                out.setdefault(s, []).append("q" + kind + "S")
                continue
            out.setdefault(s, []).append("q" + kind + "B")
            for k in range(s + 1, end):
                out.setdefault(k, []).append("q" + kind + "I")
            out.setdefault(end, []).append("q" + kind + "E")
        surnames = self.surnames
        for i, ch in enumerate(text):
            if ch in surnames:
                out.setdefault(i, []).append("rs")
        return out


_GAZ: dict[int, _Gazetteer] = {}


def _gazetteer(lx: Lexicon) -> _Gazetteer:
    g = _GAZ.get(id(lx))
    if g is None:
        g = _GAZ[id(lx)] = _Gazetteer(lx)
    return g


def features(text: str, words: Sequence[Word], lx: Lexicon | None = None) -> list[tuple[str, ...]]:
    """The attributes of each character of ``text`` (``words``: the word tagger's words of it)."""
    n = len(text)
    t = text.translate(_DIGITS).lower()
    p = "\x02\x02" + t + "\x03\x03"
    c_2, c_1, c0, c1, c2 = p[0:n], p[1:n + 1], p[2:n + 2], p[3:n + 3], p[4:n + 4]
    ty = "#" + _types(text) + "#"
    tagpos = [""] * n
    for w in words:
        s, e, tag = w.start, w.end, w.tag
        if e - s == 1:
            tagpos[s] = tag + "S"
        else:
            tagpos[s] = tag + "B"
            for k in range(s + 1, e - 1):
                tagpos[k] = tag + "I"
            tagpos[e - 1] = tag + "E"
    tp = ["^", *tagpos, "$"]
    cols = (
        ["a" + x for x in c_2], ["b" + x for x in c_1], ["c" + x for x in c0], ["d" + x for x in c1],
        ["e" + x for x in c2],
        ["f" + x + y for x, y in zip(c_1, c0, strict=True)], ["g" + x + y for x, y in zip(c0, c1, strict=True)],
        ["h" + x + y for x, y in zip(c_2, c_1, strict=True)], ["i" + x + y for x, y in zip(c1, c2, strict=True)],
        ["k" + ty[i:i + 3] for i in range(n)],
        ["l" + x for x in tagpos], ["m" + x for x in tp[0:n]], ["n" + x for x in tp[2:n + 2]],
    )
    rows: list[tuple[str, ...]] = list(zip(*cols, strict=True))
    for i, extra in _gazetteer(lx or lexicon()).marks(text).items():
        rows[i] += tuple(extra)
    return rows


# --------------------------------------------------------------------------- the model


def read_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """``(start, end, label)`` of the names in a BIOES tag sequence (a broken name ends where it breaks)."""
    out = []
    start, label = None, ""
    for i, tag in enumerate(tags):
        if tag == "O":
            if start is not None:
                out.append((start, i, label))
                start = None
            continue
        head, lab = tag[0], tag[2:]
        if start is not None and (head in "BS" or lab != label):
            out.append((start, i, label))
            start = None
        if start is None:
            start, label = i, lab
        if head in "ES":
            out.append((start, i + 1, label))
            start = None
    if start is not None:
        out.append((start, len(tags), label))
    return out


class GeneralTagger:
    """The CRF of ``path`` (default: the bundled model); thread-safe."""

    def __init__(self, path: str | None = None) -> None:
        try:
            import pycrfsuite
        except ImportError:
            raise GeneralError(f"the general-news tagger needs python-crfsuite: {INSTALL}") from None
        try:
            data = open(path, "rb").read() if path else resources.files("kg").joinpath("data", MODEL_FILE).read_bytes()
            tagger = pycrfsuite.Tagger()
            tagger.open_inmemory(data)
        except (OSError, ValueError) as e:
            where = path or f"kg/data/{MODEL_FILE}"
            raise GeneralError(f"cannot read the general-news model {where}: {e}; reinstall gonghui-kg") from None
        self._data = data  # the tagger reads the model from this buffer: it must live as long
        self._tagger: Any = tagger
        self._lock = threading.Lock()

    def spans(self, texts: Sequence[str], words: Sequence[Sequence[Word]],
              lx: Lexicon | None = None) -> list[list[tuple[int, int, str, float]]]:
        """For each text, its names as ``(start, end, label, score)`` in order."""
        return [self.read(text, ws, lx)[0] for text, ws in zip(texts, words, strict=True)]

    def read(self, text: str, words: Sequence[Word], lx: Lexicon | None = None, label: str = "",
             probes: Sequence[tuple[int, int]] = ()) -> tuple[list[tuple[int, int, str, float]], list[float]]:
        """The names of one text (as :meth:`spans`) and, for each ``(start, end)`` of ``probes``, the
        highest probability the model gives any of its characters of standing in a name of ``label``."""
        if not text:
            return [], [0.0] * len(probes)
        xs = features(text, words, lx)
        with self._lock:
            tg = self._tagger
            tags = tg.tag(xs)
            found = []
            for s, e, lab in read_spans(tags):
                score = min(tg.marginal(tags[k], k) for k in range(s, e))
                found.append((s, e, lab, round(score, 4)))
            probs = []
            if probes:
                mine = [t for t in tg.labels() if t.endswith("-" + label)]
                for s, e in probes:
                    probs.append(max(sum(tg.marginal(t, k) for t in mine) for k in range(s, e)))
        return found, probs


_LOCK = threading.Lock()
_MODEL: GeneralTagger | None = None


def model() -> GeneralTagger:
    """The process-wide tagger of the bundled model, loaded on the first call."""
    global _MODEL
    if _MODEL is None:
        with _LOCK:
            if _MODEL is None:
                _MODEL = GeneralTagger()
    return _MODEL


def spans(texts: Sequence[str], words: Sequence[Sequence[Word]]) -> list[list[tuple[int, int, str, float]]]:
    """Names in each text (see :meth:`GeneralTagger.spans`), with the bundled model."""
    return model().spans(texts, words)


# --------------------------------------------------------------------------- proposals for the extractor

CLASSES = {"name": "Person", "company": "Enterprise", "government": "GovernmentBody",
           "organization": "OtherOrganization"}
#: The least score a proposal needs, by class.
MIN_SCORE = {"Person": 0.75, "Enterprise": 0.6, "GovernmentBody": 0.6, "OtherOrganization": 0.9}
#: The word tagger's tags of names and proper nouns.
NAME_TAGS = frozenset({"ORG", "LOC", "PER", "nz", "nw"})
#: Words more frequent than this in the segmenter's dictionary are common words, not names.
COMMON = 1000
#: Characters that never stand inside one organisation's name (a list or a clause).
NOT_IN_NAME = frozenset("和与及、，。；：！？,;:!?“”\"'《》 \t\n的了是在")
#: A bare level before an office (市法院, 区委): the article's place is meant, which the grammar completes.
BARE_LEVELS = frozenset("省市县区镇乡村州旗")
#: Words of a union's own bodies (工会, 经审委): the grammar names those.
UNION_WORDS = ("工会", "经审", "职代会", "女职委")
#: Words after a name that make it the modifier of a sector (卫健系统, 金融行业), not a body.
SECTOR_AFTER = ("系统", "行业", "领域", "战线", "条线", "口")
#: Characters that end an organisation's name as a word of their own (…银行 aside: 华夏银|行 is cut).
LAST_CHARS = frozenset("厂局厅店行所院站社部委办处署队团馆台网报司军")
#: Endings of a news outlet's name: a gh:OtherOrganization.
OUTLET_ENDS = ("网", "报", "社", "电视台", "广播电台", "融媒", "新闻")
#: Characters that never end a person's name: verbs of saying and particles after it.
NOT_LAST = frozenset("说的了在是和与也就还将把被对向为等称道")
ORDINAL = re.compile(r"^(?:第|[0-9０-９])")
HAN_ONLY = re.compile(r"^[\u4e00-\u9fff]+$")
FOREIGN_NAME = re.compile(r"^[\u4e00-\u9fff]+(?:[·•・\-－][\u4e00-\u9fff]+)+$")
LATIN_NAME = re.compile(r"^[A-Za-z][a-z]+(?: [A-Z][a-z]+)?$|^[A-Z][A-Za-z0-9]{1,11}$")


def _proper_word(word: str) -> bool:
    """A word that can make a name proper: not generic (企业, 基层), and a place or person or not one of the
    commonest words."""
    from .names.base import GENERIC_PARTS

    return any(t not in GENERIC_PARTS and (word_freq(t) < COMMON or (tag_of(t) or "").startswith(("ns", "nr")))
               for t in cut(word))


def _proper_part(text: str, s: int, e: int, words: Sequence[Word], lx: Lexicon) -> bool:
    """Whether ``text[s:e]`` holds what makes a name proper: a gazetteer place, Latin letters, or a word
    the tagger reads as a name or a proper noun that is not generic (浙商银行, 暴雪; not 委员会, 工会组织)."""
    name = text[s:e]
    if any(c.isascii() and c.isalpha() for c in name):
        return True
    for _end, (key, _entries) in lx.automaton().iter(name):
        if key in lx.place_names or key in lx.place_short:
            return True
    for w in words:
        if s <= w.start and w.end <= e and w.tag in NAME_TAGS and _proper_word(text[w.start:w.end]):
            return True
    return False


def _balanced(name: str) -> bool:
    depth = 0
    for c in name:
        depth += (c in "(（") - (c in ")）")
        if depth < 0:
            return False
    return depth == 0


def _organisation(text: str, s: int, e: int, cls: str, words: Sequence[Word], lx: Lexicon,
                  pieces: Sequence[tuple[int, int]] = ()) -> str | None:
    """The class of an organisation the model names at ``text[s:e]``, or None when the grammar would not take it.

    ``pieces`` are the segmenter's words of the text as ``(start, end)``; a
    name must not end in a lone character that names nothing (无锡银、证、保:
    a list of abbreviations).
    """
    name = text[s:e]
    if any(c in NOT_IN_NAME for c in name) or len(name) < 2 or any(w in name for w in UNION_WORDS) \
            or ORDINAL.match(name) or text.startswith(SECTOR_AFTER, e):
        return None
    if name in lx.place_names or name in lx.place_short or name in lx.county_short or name in lx.groups:
        return None
    from .names.base import FUNCTION_CHARS, STOP_WORDS

    if name[0] in FUNCTION_CHARS or name.startswith(tuple(STOP_WORDS)) or not _balanced(name):
        return None  # 联合|市邮政储蓄银行, 易初)莲花超市
    bounds = {w.start for w in words} | {len(text)}
    if s not in bounds or e not in bounds:
        return None  # a piece of a word: 共享|铸钢有限公司, 无锡银|行
    last = max((a for a, b in pieces if a < e <= b), default=s)
    if e - last == 1 and e - s > 1 and name[-1] not in LAST_CHARS:
        return None  # 无锡银、证、保: the first of a list of abbreviations
    if name[0] in BARE_LEVELS and not any(name.startswith(p) for p in (*lx.place_names, *lx.place_short)
                                          if p[0] == name[0]):
        return None
    suffix = lx.suffix_of(name)
    if suffix is not None:
        cls = lx.org_suffixes[suffix]
        if cls == "TradeUnion" or suffix == name:
            return None
    if not _proper_part(text, s, e, words, lx):
        return None
    if suffix is None:
        if name.endswith("讯") and name[:-1].endswith(OUTLET_ENDS):
            return None  # 中工网讯: the lead's formula, whose outlet the article's byline names
        if name.endswith(OUTLET_ENDS):
            return "OtherOrganization"  # a news outlet (中工网, 大众网)
        head = name[:-1]
        if head in lx.place_names or head in lx.place_short:
            return None  # a place and one character (浙江院): a short form of a name the grammar reads
    return cls


def _person(name: str, lx: Lexicon, score: float) -> bool:
    """Shaped like a person's name: Chinese (surname first), transliterated (with or without ·), or Latin."""
    if name[-1] in NOT_LAST:
        return False  # 周说: a verb or a particle after the name
    if HAN_ONLY.match(name):
        if plausible_name(name, lx):
            return True
        tag = tag_of(name)
        return score >= 0.8 and 2 <= len(name) <= 7 and (tag is None or tag.startswith("nr") or word_freq(name) < 100) \
            and name not in lx.place_names and name not in lx.place_short and name not in lx.groups
    return bool(FOREIGN_NAME.match(name) or LATIN_NAME.match(name))


def _whole_name(name: str, lx: Lexicon) -> bool:
    """A name that may replace the pieces the grammar read in it: a transliterated or Latin name, or a
    Chinese one of surname and given name (not two names run together: 刘颖岳国君)."""
    return bool(FOREIGN_NAME.match(name) or LATIN_NAME.match(name)) or plausible_name(name, lx)


#: Grammar persons whose only evidence is the word tagger or the segmenter: the model reviews them.
REVIEWED = frozenset({"person:model", "person:surname-model", "person:hmm"})
#: A person that opens its line right before an organisation's name is an entry of a list (a roll of
#: honour: name, employer, post) and is not reviewed: the model has seen no such lines.
ORG_CLASSES = frozenset({"TradeUnion", "Enterprise", "GovernmentBody", "OtherOrganization"})
#: Grammar persons that a longer name of the model's, holding them, replaces.
REPAIRED = REVIEWED | {"person:subject"}
#: Such a person stays when the model reads a name there, or gives one of its characters at least this
#: probability of standing in a name.
MIN_REVIEWED = 0.1


Proposal = tuple[int, int, str, float, str]

#: The word tagger's tags of names and proper words: the model is asked only where one of them stands
#: outside every candidate of the grammar.
NAME_TAGS = frozenset({"PER", "ORG", "LOC", "nz", "nw"})


def _open_names(words: Sequence[Word], existing: Sequence[tuple[int, int, str, str]]) -> bool:
    """Whether a name-like word of the tagger lies outside the grammar's candidates."""
    spans = [(s, e) for s, e, _c, _r in existing]
    return any(w.tag in NAME_TAGS and not any(s <= w.start and w.end <= e for s, e in spans) for w in words)


def general_candidates(text: str, words: Sequence[Word], existing: Sequence[tuple[int, int, str, str]],
                       lx: Lexicon, pieces: Sequence[tuple[int, int]] = ()) -> tuple[set[int], list[Proposal]]:
    """Review the grammar's candidates of a sentence and propose the model's names in its gaps.

    ``existing`` holds the grammar's candidates as ``(start, end, class,
    rule)``, ``pieces`` the segmenter's words as ``(start, end)``.  Returns
    the indices of those to drop (persons that only the word tagger proposed
    and the model does not read as a person) and the proposals, ``(start,
    end, class, confidence, rule)``.
    """
    orgs_at = {a for a, _b, c, _r in existing if c in ORG_CLASSES}
    reviewed = [k for k, (s, e, cls, rule) in enumerate(existing)
                if cls == "Person" and rule in REVIEWED and not (s == 0 and e in orgs_at)]
    if not reviewed and not _open_names(words, existing):
        return set(), []  # nothing to review and no name the word tagger sees outside the grammar's
    found, probs = model().read(text, words, lx, "name", [existing[k][:2] for k in reviewed])
    found = [(s, before_formerly(text, s, e) if lab == "name" else e, lab, score) for s, e, lab, score in found]
    names = [(s, e) for s, e, lab, _score in found if lab == "name"]
    drop = {k for k, p in zip(reviewed, probs, strict=True)
            if p < MIN_REVIEWED and not any(a < existing[k][1] and existing[k][0] < b for a, b in names)}
    out = []
    for s, e, lab, score in found:
        cls = CLASSES.get(lab)
        if cls is None or score < MIN_SCORE[cls]:
            continue
        if cls == "Person" and _person(text[s:e], lx, score) and _whole_name(text[s:e], lx):
            inside = [k for k, (a, b, c, r) in enumerate(existing) if a < e and s < b and k not in drop]
            if inside and all(c == "Person" and r in REPAIRED and s <= a and b <= e and b - a < e - s
                              for a, b, c, r in (existing[k] for k in inside)):
                drop.update(inside)  # 索尔|坎贝尔 → 索尔-坎贝尔, 边春|和 → 边春和: the model's whole name
    kept = [x for k, x in enumerate(existing) if k not in drop]
    for s, e, lab, score in found:
        cls = CLASSES.get(lab)
        if cls is None or score < MIN_SCORE[cls]:
            continue
        if any(a < e and s < b and not (cls != "Person" and s <= a and b <= e and (c == "Place" or r == "org:lexicon"))
               for a, b, c, r in kept):
            continue  # it crosses a candidate; an organisation may hold a place or a known name (美国教育部)
        name = text[s:e]
        if cls == "Person":
            if not _person(name, lx, score):
                continue
        else:
            cls = _organisation(text, s, e, cls, words, lx, pieces)
            if cls is None:
                continue
        out.append((s, e, cls, round(0.5 + 0.4 * score, 3), f"{cls.lower()}:general"))
    return drop, out
