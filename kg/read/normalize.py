"""Normalise raw OCR text for matching, keeping a map back to raw offsets.

What :func:`normalize` does, in order, to the raw spans it is given:

1. **Fold** character forms one for one: full-width letters, digits and
   ASCII punctuation become half-width (``Ａ１（）`` → ``A1()``), except the
   Chinese sentence punctuation ``，：；？！`` which keeps its meaning;
   half-width CJK punctuation becomes full-width (``｡､`` → ``。、``); Kangxi
   radicals and compatibility ideographs become the ordinary character
   (``⼯`` → ``工``); the middle dots ``・‧･`` become ``·``.
2. **Quotes**: double quotes of every style (``"``, ``＂``, ``「」``, ``〝〞``)
   become the pair ``“`` ``”``; a straight ``"`` opens when no quote is open in
   its span and closes otherwise.  ``『』`` become ``‘’``; straight ``'`` is left
   alone (it may be an apostrophe).
3. **Whitespace and readings**: pinyin in brackets right after a character
   (``总经(jīng)理``) goes; a run of whitespace (line breaks, U+3000, NBSP …) is
   dropped when a CJK character, CJK punctuation or a quote stands on either
   side, as line breaks in Chinese text leave such spaces inside words
   (``哈尔滨市总工 会``, ``返还 12992 户``); between two Latin letters or digits it
   becomes one space.  Zero-width characters and control characters go.
4. **Composition**: text in Unicode normal form C (NFC), so that a name spelt
   with combining marks (``e`` + U+0301) and one spelt precomposed (``é``) are
   one name; a composed character maps to the raw span of all its parts.
5. **Script**: ``text`` is folded from traditional to simplified characters
   with OpenCC (``t2s``), one character for one; ``display`` keeps the source
   script.
6. **OCR repair** (``repair=True``): the context rules of
   ``kg/data/ocr_confusions.tsv`` (人会 → 入会 after 建会/群体 …) are applied
   to ``text`` and ``display``; each is listed in :attr:`NormText.repairs`.

``len(text) == len(display) == len(offsets) - 1`` always, and ``offsets`` only
grows: strictly, except that a separator between two touching spans shares
its offset with the next character.  ``NormText.raw_span`` gives the raw span
of a stretch of ``text``.  ``offsets`` is an :class:`array.array` of machine
integers (4 bytes an offset), not a list of Python ints (about 36 bytes
each): a text of millions of characters keeps its map in a few megabytes.

>>> normalize("哈尔滨市总工 会").text
'哈尔滨市总工会'
>>> n = normalize('镇安县"工会进万家"（試點）')
>>> n.text, n.display
('镇安县“工会进万家”(试点)', '镇安县“工会进万家”(試點)')
>>> normalize("建会人会").repairs[0].after
'入会'
"""

from __future__ import annotations

import bisect
import csv
import re
import unicodedata
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from ..model import NormText, Repair, Span

__all__ = ["RepairRule", "fold", "is_wide", "load_repairs", "normalize"]

# --------------------------------------------------------------------------- folding

#: Full-width punctuation kept as it is: it carries Chinese sentence structure.
_KEEP_FULLWIDTH = frozenset("，：；？！")


@cache
def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in range(0xFF01, 0xFF5F):
        ch = chr(cp)
        if ch not in _KEEP_FULLWIDTH:
            table[cp] = chr(cp - 0xFEE0)
    table.update(
        {
            ord("｡"): "。",
            ord("､"): "、",
            ord("｢"): "“",
            ord("｣"): "”",
            ord("「"): "“",
            ord("」"): "”",
            ord("﹁"): "“",
            ord("﹂"): "”",
            ord("〝"): "“",
            ord("〞"): "”",
            ord("〟"): "”",
            ord("『"): "‘",
            ord("』"): "’",
            ord("﹃"): "‘",
            ord("﹄"): "’",
            ord("・"): "·",
            ord("‧"): "·",
            ord("･"): "·",
        }
    )
    # Kangxi radicals, radical supplement, compatibility ideographs: the plain character.
    for lo, hi in ((0x2E80, 0x2FDF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F)):
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            nf = unicodedata.normalize("NFKC", ch)
            if nf != ch and len(nf) == 1:
                table[cp] = nf
    return table


@cache
def _foldable() -> re.Pattern[str]:
    ranges: list[list[int]] = []
    for cp in sorted(_fold_table()):
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    cls = "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges)
    return re.compile(f"[{cls}]")


def fold(s: str) -> str:
    """Fold character forms one for one (step 1 above); quotes are not paired.

    >>> fold("Ｃ９１９（试点）：⼯会")
    'C919(试点)：工会'
    """
    if _foldable().search(s) is None:
        return s
    return s.translate(_fold_table())


# Ranges of characters that need no space beside them in Chinese text.
_WIDE_RANGES: tuple[tuple[int, int], ...] = (
    (0x00B7, 0x00B7),  # middle dot
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x2010, 0x2027),  # dashes, quotes, ellipsis
    (0x2030, 0x205E),  # per mille, reference mark …
    (0x2E80, 0x303F),  # radicals, ideographic description, CJK symbols and punctuation
    (0x3040, 0x9FFF),  # kana, bopomofo, enclosed, compatibility, ext. A, unified ideographs
    (0xA000, 0xA4CF),  # Yi
    (0xAC00, 0xD7AF),  # Hangul syllables
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0xFE10, 0xFE1F),  # vertical forms
    (0xFE30, 0xFE6F),  # compatibility and small forms
    (0xFF00, 0xFFEF),  # full-width and half-width forms
    (0x1F200, 0x1F2FF),  # enclosed ideographic supplement
    (0x20000, 0x3FFFF),  # ideographs, ext. B onwards
)
_WIDE_STARTS = [lo for lo, _ in _WIDE_RANGES]


def is_wide(ch: str) -> bool:
    """True for CJK characters and punctuation, which take no space beside them.

    >>> is_wide("工"), is_wide("，"), is_wide("“"), is_wide("a"), is_wide("1")
    (True, True, True, False, False)
    """
    cp = ord(ch)
    if cp < 0xB7:
        return False
    i = bisect.bisect_right(_WIDE_STARTS, cp) - 1
    return i >= 0 and cp <= _WIDE_RANGES[i][1]


#: Whitespace, zero-width characters, soft hyphen and control characters; and the pinyin that web
#: pages put after a character to give its reading (总经(jīng)理, 孙(sūn)志海), which goes like a gap.
_GAP = re.compile(r"[\s\u200b-\u200d\u2060\ufeff\u00ad\x00-\x08\x0e-\x1f\x7f-\x9f]+"
                  r"|(?<=[\u3400-\u4dbf\u4e00-\u9fff])\((?=[a-z]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])"
                  r"[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,14}\)")
_SPACE = re.compile(r"\s")
_DQUOTE = re.compile(r'["“”]')


def _pair_quotes(s: str) -> str:
    """Turn straight double quotes into “ or ” by the open/closed state of the span."""
    if '"' not in s:
        return s
    out = list(s)
    open_ = False
    for m in _DQUOTE.finditer(s):
        q = m.group()
        if q == '"':
            out[m.start()] = "”" if open_ else "“"
            open_ = not open_
        else:
            open_ = q == "“"
    return "".join(out)


def _offset_map(size: int) -> array[int]:
    """An empty offset map for raw offsets below ``size``: 4 bytes an offset (8 from 2**31 on)."""
    return array("i" if size < 2**31 else "q")


@cache
def _numpy() -> Any:
    import numpy

    return numpy


def _extend_run(offsets: array[int], lo: int, hi: int) -> None:
    """Append ``lo, lo + 1, … hi - 1`` to ``offsets`` (a long run without a Python int per offset)."""
    if hi - lo > 16:
        np = _numpy()
        offsets.frombytes(np.arange(lo, hi, dtype=f"i{offsets.itemsize}").tobytes())
    else:
        offsets.extend(range(lo, hi))


def _squeeze(s: str, base: int, keep_spaces: bool, pieces: list[str], offsets: array[int]) -> None:
    """Append ``s`` (raw offset ``base``) without its droppable whitespace."""
    pos = 0
    n = len(s)
    for m in _GAP.finditer(s):
        a, b = m.start(), m.end()
        if a > pos:
            pieces.append(s[pos:a])
            _extend_run(offsets, base + pos, base + a)
        pos = b
        if a == 0 or b == n or s[a] == "(":
            continue  # leading and trailing gaps go; so does a reading in pinyin
        sp = _SPACE.search(s, a, b)
        if sp is None:
            continue
        if keep_spaces or not (is_wide(s[a - 1]) or is_wide(s[b])):
            pieces.append(" ")
            offsets.append(base + sp.start())
    if pos < n:
        pieces.append(s[pos:])
        _extend_run(offsets, base + pos, base + n)


# --------------------------------------------------------------------------- composition

#: Characters that may take part in a canonical composition: all but ASCII and CJK ideographs.
_UNSTABLE = re.compile(r"[^\x00-\x7f\u3400-\u4dbf\u4e00-\u9fff]+")


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def _compose(s: str, offsets: array[int]) -> tuple[str, array[int], dict[int, int]]:
    """``s`` in NFC, the raw offset of each of its characters and the raw ends of composed ones.

    ``offsets[i]`` is the raw offset of ``s[i]``, one raw character each.  A
    cluster (a character and the marks that compose with it, once the
    characters that go are gone) that composes to fewer characters maps its
    last character to the raw end of the cluster;
    one that NFC would expand (a few Indic letters) is left as it is.

    >>> text, offs, ends = _compose("Cafe\u0301 工会", array("i", range(8)))
    >>> text, offs.tolist(), ends
    ('Café 工会', [0, 1, 2, 3, 5, 6, 7], {3: 5})
    """
    out: list[str] = []
    offs = array(offsets.typecode)
    ends: dict[int, int] = {}
    pos = 0
    for m in _UNSTABLE.finditer(s):
        a, b = max(pos, m.start() - 1), m.end()  # from the letter a mark may compose with
        out.append(s[pos:a])
        offs.extend(offsets[pos:a])
        i = a
        while i < b:
            j = i + 1
            while j < b and (unicodedata.combining(s[j]) or _nfc(s[i:j + 1]) != _nfc(s[i:j]) + _nfc(s[j])):
                j += 1
            c = _nfc(s[i:j])
            if len(c) > j - i:
                c = s[i:j]
            out.append(c)
            offs.extend(offsets[i:i + len(c)])
            if len(c) < j - i:
                ends[len(offs) - 1] = offsets[j - 1] + 1
            i = j
        pos = b
    out.append(s[pos:])
    offs.extend(offsets[pos:])
    return "".join(out), offs, ends


# --------------------------------------------------------------------------- script


@cache
def _converter() -> object:
    import opencc

    return opencc.OpenCC("t2s")


_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]+")
_NOT_HAN = re.compile(r"[^\u3400-\u9fff]")
_CHUNK = 8192


def _t2s(s: str) -> str:
    """Traditional → simplified, one character for one."""
    conv = _converter()
    convert = conv.convert  # type: ignore[attr-defined]
    out: list[str] = []
    i = 0
    n = len(s)
    while i < n:
        j = min(n, i + _CHUNK)
        if j < n:  # end the chunk at a character that is not Han, so phrases stay whole
            m = _NOT_HAN.search(s, j, min(n, j + 256))
            j = m.end() if m else j
        chunk = s[i:j]
        conv_chunk = convert(chunk)
        if len(conv_chunk) != len(chunk):
            conv_chunk = _t2s_runs(chunk, convert)
        out.append(conv_chunk)
        i = j
    return "".join(out)


def _t2s_runs(chunk: str, convert: object) -> str:
    parts: list[str] = []
    pos = 0
    for m in _HAN_RUN.finditer(chunk):
        parts.append(chunk[pos : m.start()])
        run = m.group()
        conv = convert(run)  # type: ignore[operator]
        if len(conv) != len(run):
            conv = "".join(c if len(c2 := convert(c)) != 1 else c2 for c in run)  # type: ignore[operator]
        parts.append(conv)
        pos = m.end()
    parts.append(chunk[pos:])
    return "".join(parts)


# --------------------------------------------------------------------------- repairs


@dataclass(frozen=True)
class RepairRule:
    """One row of the OCR confusion table.

    The rule fires where ``wrong`` occurs in the normalised text, ``left``
    matches text ending just before it and ``right`` matches text starting
    just after it (an empty pattern always matches).
    """

    wrong: str
    right: str
    left: re.Pattern[str] | None
    right_context: re.Pattern[str] | None
    note: str

    @property
    def name(self) -> str:
        """The rule's name in :attr:`Repair.rule`: ``ocr:人会→入会``."""
        return f"ocr:{self.wrong}→{self.right}"


#: How far back a left context may look.
_LEFT_WINDOW = 12


def load_repairs(path: str | None = None) -> tuple[RepairRule, ...]:
    """Read a confusion table (default: the bundled ``ocr_confusions.tsv``).

    Columns: wrong, right, left-context regex, right-context regex, note;
    ``#`` starts a comment line; the first other line is the header.
    """
    if path is None:
        text = resources.files("kg").joinpath("data/ocr_confusions.tsv").read_text("utf-8")
    else:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    rows = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    rules: list[RepairRule] = []
    for i, row in enumerate(csv.reader(rows[1:], delimiter="\t", quoting=csv.QUOTE_NONE), 2):
        cells = [*row, "", "", "", "", ""][:5]
        wrong, right, left, rctx, note = cells
        if not wrong or len(wrong) != len(right):
            raise ValueError(
                f"confusion table row {i}: wrong and right must be non-empty and of equal length"
            )
        rules.append(
            RepairRule(
                wrong,
                right,
                re.compile(f"(?:{left})$") if left else None,
                re.compile(rctx) if rctx else None,
                note,
            )
        )
    return tuple(rules)


@cache
def _default_repairs() -> tuple[RepairRule, ...]:
    return load_repairs()


def _find_repairs(text: str, rules: Sequence[RepairRule]) -> list[tuple[int, RepairRule]]:
    """Where the rules fire in ``text``, left to right, without overlaps."""
    hits: list[tuple[int, RepairRule]] = []
    for rule in rules:
        start = text.find(rule.wrong)
        while start >= 0:
            end = start + len(rule.wrong)
            ok = (rule.left is None or rule.left.search(text, max(0, start - _LEFT_WINDOW), start)) and (
                rule.right_context is None or rule.right_context.match(text, end)
            )
            if ok:
                hits.append((start, rule))
            start = text.find(rule.wrong, start + 1)
    hits.sort(key=lambda h: h[0])
    chosen: list[tuple[int, RepairRule]] = []
    last_end = -1
    for start, rule in hits:
        if start >= last_end:
            chosen.append((start, rule))
            last_end = start + len(rule.wrong)
    return chosen


def _apply_repairs(
    text: str, display: str, offsets: array[int], ends: dict[int, int], rules: Sequence[RepairRule]
) -> tuple[str, str, list[Repair]]:
    repairs: list[Repair] = []
    for _ in range(4):  # until nothing fires, so that normalising twice changes nothing
        hits = _find_repairs(text, rules)
        if not hits:
            break
        t = list(text)
        d = list(display)
        for start, rule in hits:
            end = start + len(rule.wrong)
            for k, (w, r) in enumerate(zip(rule.wrong, rule.right, strict=True)):
                if w != r:
                    t[start + k] = r
                    d[start + k] = r
            repairs.append(
                Repair(Span(offsets[start], ends.get(end - 1, offsets[end - 1] + 1)), rule.wrong, rule.right, rule.name)
            )
        text, display = "".join(t), "".join(d)
    repairs.sort(key=lambda r: r.span.start)
    return text, display, repairs


# --------------------------------------------------------------------------- entry point


def normalize(
    raw: str,
    spans: Sequence[Span] | None = None,
    *,
    repair: bool = True,
    sep: str = "\n",
    keep_spaces: bool = False,
) -> NormText:
    """Normalise the raw ``spans`` of ``raw`` (default: all of it), joined by ``sep``.

    Parameters
    ----------
    raw
        The decoded source text; every offset in the result points into it.
    spans
        Raw spans (paragraphs) in increasing order, not overlapping.  The
        separator between two spans maps to the end of the first one.  A span
        that normalises to nothing adds no separator.
    repair
        Apply the OCR confusion rules.
    sep
        The separator put between spans (one character).
    keep_spaces
        Collapse whitespace runs to one space instead of dropping them next to
        CJK characters (for headlines, where a space separates phrases).

    Examples
    --------
    >>> normalize("哈尔滨市总工 会").text
    '哈尔滨市总工会'
    >>> normalize("返还 12992 户,约 1.2 万 个 C919 test case").text
    '返还12992户,约1.2万个C919 test case'
    >>> n = normalize("标题正文", [Span(0, 2), Span(2, 4)])
    >>> n.text, n.offsets.tolist()
    ('标题\\n正文', [0, 1, 2, 2, 3, 4])
    """
    if len(sep) != 1:
        raise ValueError("sep must be one character")
    if spans is None:
        spans = [Span(0, len(raw))]
    pieces: list[str] = []
    offsets = _offset_map(len(raw) + 1)
    prev_end = 0
    last_end = 0  # raw end of the last span that kept some text
    for sp in spans:
        if sp.start < prev_end or sp.end > len(raw):
            raise ValueError(f"spans must be in order, not overlapping and inside the text: {sp}")
        prev_end = sp.end
        s = _pair_quotes(fold(raw[sp.start : sp.end]))
        with_sep = bool(pieces)
        if with_sep:
            pieces.append(sep)
            offsets.append(last_end)
        before = len(offsets)
        _squeeze(s, sp.start, keep_spaces, pieces, offsets)
        if len(offsets) > before:
            last_end = sp.end
        elif with_sep:  # the span kept nothing: no separator for it
            pieces.pop()
            offsets.pop()
    display = "".join(pieces)
    end = spans[-1].end if spans else 0
    ends: dict[int, int] = {}
    if not unicodedata.is_normalized("NFC", display):
        display, offsets, ends = _compose(display, offsets)
    text = _t2s(display)
    repairs: list[Repair] = []
    if repair:
        text, display, repairs = _apply_repairs(text, display, offsets, ends, _default_repairs())
    offsets.append(end)
    return NormText(text=text, display=display, offsets=offsets, repairs=repairs, ends=ends)
