"""Cut a document into articles, and an article into sentences.

A newspaper page, as OCR'd into Markdown or plain text, is read as a list of
units: heading lines (``#`` … ``######``) and paragraphs (lines between blank
lines; hard-wrapped lines of one paragraph are joined).  Then:

* **Headlines.**  Headings, and short plain lines without clause punctuation
  that stand before a ``本报讯`` lead, a heading or a body paragraph, start an
  article.  Of a run of such lines, the biggest heading is the headline (for
  plain lines: the first, unless it is much shorter than the next); lines
  above it are kickers (引题), lines below it sub-headlines (副题).  A lone
  column fragment between a kicker line and its heading is kept with the
  article before and flagged in its ``merged_columns``.
* **Continuations.**  A heading or paragraph opening with ``(上接第N版)``
  starts a fragment of an article continued from page N.
* **Leads.**  ``本报讯`` / ``本报北京11月10日电`` / ``(记者 X)北京11月10日电``
  and the parenthesised byline after them are cut from the body; the byline
  gives :class:`~kg.model.Byline` entries (names run together are split with a
  list of surnames: 罗晓峰谭勇 → 罗晓峰, 谭勇).  A lead also starts a new article
  when the current one already has a body.
* **Datelines.**  ``(本报北京11月10日电)`` gives the place and the date (year
  from the document) and closes the article.
* **Merged columns.**  A paragraph whose line breaks almost never fall inside
  a word was most likely made of two columns read line by line; its span is
  recorded in ``Article.merged_columns``.

A JSONL record is always one article (its ``title`` is the headline).
"""

from __future__ import annotations

import bisect
import datetime as _dt
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from ..model import Article, Byline, Document, NormText, Sentence, Span
from .normalize import normalize

__all__ = [
    "MAX_SENTENCE",
    "article_text",
    "parse_byline",
    "segment",
    "split_names",
    "split_sentences",
]

#: Longest sentence handed to extraction; longer runs are cut at a comma, else between two words.
MAX_SENTENCE = 300
#: Longest plain line taken for a headline (normalised characters).
TITLE_MAX = 40
#: Raw characters at the start of a paragraph examined for a lead or a marker.
_HEAD = 240

_LINE_BREAK = re.compile(r"\r\n|\r|\n|\u2028|\u2029")
_HEADING = re.compile(r"[ \t]{0,3}(#{1,6})(?:[ \t\u3000]+|$)")
_BOLD = re.compile(r"(\*\*|__)\s*(\S(?:.*?\S)?)\s*\1")
_CLOSING_HASHES = re.compile(r"[ \t]+#+$")
_RULE = re.compile(r"[ \t]{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_SPACE_RUN = re.compile(r"[\s\u3000]+")

_NUM = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_HAN = r"[\u3400-\u4dbf\u4e00-\u9fff]"
#: 11月10 in a dateline; the month may be left out (台北11日电: this month).
_MONTH_DAY = rf"(?:(?P<month>{_NUM})\s*月\s*)?(?P<day>{_NUM})"
#: A lead: 本报讯 / 中工网讯 / 本报北京11月10日电 / 新华社北京11月10日电, then a byline.
_LEAD = re.compile(
    rf"^[■●◆▲★□◇○]?\s*(?P<outlet>本报|{_HAN}{{1,5}}?(?:社|网|报|台))\s*"
    rf"(?:讯|(?P<place>{_HAN}{{2,8}}?)\s*{_MONTH_DAY}\s*日\s*专?电)"
    r"\s*(?:\((?P<byline>[^()]{1,80})\))?"
)
#: A lead that opens with the byline: (记者 X)北京11月10日电.
_LEAD_BYLINE_FIRST = re.compile(
    rf"^\((?P<byline>[^()]{{1,80}})\)\s*(?P<place>{_HAN}{{2,8}}?)\s*{_MONTH_DAY}\s*日\s*专?电"
)
#: A credit line of its own: 本报记者 刘友婷 方大丰.
_CREDIT = re.compile(rf"^[■●◆▲★□◇○]?\s*(?:本报|特约)?(?:记者|通讯员)\s*{_HAN}[{_HAN[1:-1]}\s、·]{{1,24}}$")
#: A closing dateline: (本报北京11月10日电).
_DATELINE_END = re.compile(
    rf"\((?:本报|新华社|中新社)?(?P<place>{_HAN}{{2,8}}?)\s*{_MONTH_DAY}\s*日\s*专?电\)\s*$"
)
_CONTINUED = re.compile(
    r"^\(?\s*(?:上接|接上|紧接)\s*第?\s*(?P<page>\d{1,2}|[一二三四五六七八九十]{1,3})\s*版\s*\)?"
)
_CONTINUES = re.compile(r"\(?\s*下转\s*第?\s*\w{1,3}\s*版\s*\)?\s*$")
_ROLE = re.compile(r"特约记者|特约通讯员|见习记者|实习记者|首席记者|本报记者|摄影记者|通讯员|实习生|记者")
_NAME_CHUNK = re.compile(r"[^\s、,，;；/]+")
_NOT_NAME = frozenset({"摄", "摄影", "报道", "采写", "整理", "文", "图", "文图", "电", "讯"})
#: Page furniture: the date line of a page, its number, the editors' credits.
_FURNITURE = re.compile(
    r"\d{4}年\d{1,2}月\d{1,2}日.{0,6}星期[一二三四五六日天]|星期[一二三四五六日天].{0,6}\d{4}年"
    r"|^第?\s*\d{1,2}\s*版|^(?:责任编辑|责编|本版编辑|美术编辑|美编|版式设计|校对)"
)
#: Punctuation a plain headline line never contains.
_CLAUSE_PUNCT = frozenset("，,、；;。：:！!？?")
#: What a complete paragraph may end with.
_TERMINAL = frozenset("。！？!?；;…”’\"')）」』》")


# --------------------------------------------------------------------------- names


@cache
def _surnames() -> dict[str, int]:
    text = resources.files("kg").joinpath("data/read_surnames.txt").read_text("utf-8")
    tokens = [t for ln in text.splitlines() if not ln.startswith("#") for t in ln.split()]
    return {t: i for i, t in enumerate(tokens)}


def split_names(run: str) -> list[str] | None:
    """Split Chinese names written together into names of two to four characters.

    Every name must begin with a surname; fewer names win, then more common
    surnames.  A run of up to three characters is one name; a run that cannot
    be split is one name when it has four characters, else ``None``.

    >>> split_names("罗晓峰谭勇"), split_names("欧阳晓峰"), split_names("张翀")
    (['罗晓峰', '谭勇'], ['欧阳晓峰'], ['张翀'])
    >>> split_names("王鑫方大丰")
    ['王鑫', '方大丰']
    """
    n = len(run)
    if n <= 3:
        return [run]
    sur = _surnames()
    # best[i]: (pieces, rank sum, cut points) for run[:i]
    best: list[tuple[int, int, tuple[int, ...]] | None] = [None] * (n + 1)
    best[0] = (0, 0, ())
    for i in range(n):
        cur = best[i]
        if cur is None:
            continue
        for length in (2, 3, 4):
            j = i + length
            if j > n:
                break
            piece = run[i:j]
            if length == 4 or (length == 3 and piece[:2] in sur):
                rank = sur.get(piece[:2])
            else:
                rank = sur.get(piece[0])
            if rank is None:
                continue
            cand = (cur[0] + 1, cur[1] + rank, (*cur[2], j))
            if best[j] is None or cand[:2] < best[j][:2]:  # type: ignore[index]
                best[j] = cand
    done = best[n]
    if done is None:
        return [run] if n == 4 else None
    names: list[str] = []
    start = 0
    for cut in done[2]:
        names.append(run[start:cut])
        start = cut
    return names


def parse_byline(text: str) -> list[tuple[str, str, int, int]]:
    """Credits in a byline: ``(role, name, start, end)`` with offsets into ``text``.

    Several names may follow one role word, separated by spaces, ``、`` or
    nothing at all; a one-character piece is a name broken by a line break and
    joins its neighbour.  The role is the credit word in simplified script
    (``本报记者`` is a ``记者``).

    >>> [(r, n) for r, n, _, _ in parse_byline("记者张翀通讯员罗晓峰谭勇")]
    [('记者', '张翀'), ('通讯员', '罗晓峰'), ('通讯员', '谭勇')]
    >>> [(r, n) for r, n, _, _ in parse_byline("记者王鑫 方大丰 通讯员张阳琛")]
    [('记者', '王鑫'), ('记者', '方大丰'), ('通讯员', '张阳琛')]
    """
    roles = list(_ROLE.finditer(text))
    out: list[tuple[str, str, int, int]] = []
    for k, role in enumerate(roles):
        seg_end = roles[k + 1].start() if k + 1 < len(roles) else len(text)
        chunks = [
            [m.start(), m.end()]
            for m in _NAME_CHUNK.finditer(text, role.end(), seg_end)
            if m.group() not in _NOT_NAME and re.fullmatch(rf"(?:{_HAN}|·)+", m.group())
        ]
        merged: list[list[int]] = []
        for c in chunks:
            if merged and (c[1] - c[0] == 1 or merged[-1][1] - merged[-1][0] == 1):
                merged[-1][1] = c[1]  # a name broken by a line break
            else:
                merged.append(c)
        for a, b in merged:
            piece = re.sub(r"\s+", "", text[a:b])
            if len(piece) < 2:
                continue
            names = [piece] if "·" in piece else split_names(piece)
            if not names:
                continue
            pos = a
            for name in names:
                start = pos
                while text[start].isspace():
                    start += 1
                end = start
                got = 0
                while got < len(name):
                    if not text[end].isspace():
                        got += 1
                    end += 1
                out.append((role.group().removeprefix("本报"), name, start, end))  # 本报记者: a 记者
                pos = end
    return out


# --------------------------------------------------------------------------- units


@dataclass
class _Unit:
    """A heading or a paragraph of the document."""

    heading: int  # heading level, 0 for a paragraph
    span: Span  # raw span of the content (no # marks)
    norm: NormText = field(default_factory=lambda: NormText("", "", [0]))  #: the head, for matching
    spaced: NormText = field(default_factory=lambda: NormText("", "", [0]))  #: the same, spaces kept
    whole: bool = True  # the head is the whole unit
    title: bool = False  # could be a headline
    marker: re.Match[str] | None = None  # (上接第N版)
    lead: re.Match[str] | None = None
    credit: bool = False
    dateline: re.Match[str] | None = None  # closing (本报北京11月10日电), in ``tail``
    tail: NormText | None = None  # the end of the unit
    continues: bool = False  # ends with (下转第N版)
    complete: bool = True  # ends with sentence punctuation

    @property
    def text(self) -> str:
        return self.norm.text

    @property
    def display(self) -> str:
        """Labels keep the spaces that separate phrases in a headline."""
        return self.spaced.display

    @property
    def length(self) -> int:
        return len(self.norm.text)

    def raw_at(self, i: int) -> int:
        """Raw offset of matching-text position ``i`` (the unit's end past the text)."""
        return self.norm.offsets[i] if i < len(self.norm.text) else self.span.end

    def spaced_slice(self, a: int, b: int) -> tuple[str, int]:
        """The spaced text covering raw ``[a, b)`` and the index where it starts."""
        i = bisect.bisect_left(self.spaced.offsets, a, 0, len(self.spaced.text))
        j = bisect.bisect_left(self.spaced.offsets, b, 0, len(self.spaced.text))
        return self.spaced.text[i:j], i


def _lines(text: str) -> Iterator[tuple[int, int]]:
    pos = 0
    for m in _LINE_BREAK.finditer(text):
        yield pos, m.start()
        pos = m.end()
    if pos < len(text):
        yield pos, len(text)


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and (text[a].isspace() or text[a] in "\ufeff\u200b"):
        a += 1
    while b > a and (text[b - 1].isspace() or text[b - 1] in "\ufeff\u200b"):
        b -= 1
    return a, b


def _paragraphs(text: str, block: list[tuple[int, int]]) -> Iterator[Span]:
    """Paragraphs of a block of lines: a line that is as long as the block's
    longest and ends without sentence punctuation was wrapped, so it goes on
    in the next line."""
    if len(block) == 1:
        yield Span(*block[0])
        return
    longest = max(b - a for a, b in block)
    start = block[0][0]
    for i, (a, b) in enumerate(block):
        last = i == len(block) - 1
        wrapped = (b - a) >= 0.8 * longest and text[b - 1] not in _TERMINAL
        if last or not wrapped:
            yield Span(start, b)
            if not last:
                start = block[i + 1][0]


def _units(doc: Document) -> list[_Unit]:
    text = doc.text
    units: list[_Unit] = []
    block: list[tuple[int, int]] = []

    def flush() -> None:
        if len(block) == 1 and (bold := _BOLD.fullmatch(text, *block[0])):
            block[0] = bold.span(2)  # a line in bold: a headline candidate, without its marks
        if block:
            units.extend(_Unit(0, sp) for sp in _paragraphs(text, block))
            block.clear()

    for a, b in _lines(text):
        a, b = _strip(text, a, b)
        if a == b or _RULE.match(text, a, b):
            flush()
            continue
        m = _HEADING.match(text, a, b)
        if m:
            flush()
            ca, cb = _strip(text, m.end(), b)
            closing = _CLOSING_HASHES.search(text, ca, cb)
            if closing:
                cb = closing.start()
            if ca < cb and text[ca:cb].strip("#"):
                units.append(_Unit(len(m.group(1)), Span(ca, cb)))
            continue
        block.append((a, b))
    flush()
    for u in units:
        _classify(doc, u)
    return [
        u for u in units if u.norm.text and not (u.whole and u.length <= 40 and _FURNITURE.search(u.text))
    ]


def _classify(doc: Document, u: _Unit) -> None:
    raw = doc.text
    sp = u.span
    u.whole = len(sp) <= _HEAD
    head = sp if u.whole else Span(sp.start, sp.start + _HEAD)
    u.norm = normalize(raw, [head])
    u.spaced = normalize(raw, [head], keep_spaces=True)
    key = u.norm.text
    u.marker = _CONTINUED.match(key)
    if u.heading:
        u.title = True
        return
    u.lead = _LEAD.match(key) or _LEAD_BYLINE_FIRST.match(key)
    u.credit = u.whole and len(key) <= 30 and _CREDIT.match(key) is not None
    u.tail = u.norm if u.whole else normalize(raw, [Span(sp.end - 80, sp.end)])
    tail = u.tail.text
    u.dateline = _DATELINE_END.search(tail)
    u.continues = _CONTINUES.search(tail) is not None
    u.complete = bool(tail) and tail[-1] in _TERMINAL
    u.title = (
        u.whole
        and 4 <= u.length <= TITLE_MAX
        and len(re.findall(_HAN, u.text)) >= 2
        and not any(c in _CLAUSE_PUNCT for c in u.text)
        and not (u.marker or u.lead or u.credit or u.dateline)
    )


# --------------------------------------------------------------------------- articles


@dataclass
class _Builder:
    doc: Document
    articles: list[Article] = field(default_factory=list)
    closed: bool = False  # the last article ended with a dateline or (下转…)

    @property
    def current(self) -> Article | None:
        return self.articles[-1] if self.articles else None

    def new(self, headline: str = "", span: Span | None = None) -> Article:
        art = Article(doc=self.doc, index=len(self.articles), headline=headline, headline_span=span)
        self.articles.append(art)
        self.closed = False
        return art

    def body_article(self) -> Article:
        cur = self.current
        if cur is None or self.closed:
            cur = self.new()
        return cur


def _cn_number(s: str) -> int:
    if s.isdigit():
        return int(s)
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")}
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (digits.get(tens, 1) if tens else 1) * 10 + (digits.get(ones, 0) if ones else 0)
    return digits.get(s, 0)


def _dateline_date(m: re.Match[str], doc_date: _dt.date | None) -> _dt.date | None:
    if doc_date is None:
        return None
    day = _cn_number(m.group("day"))
    if m.group("month") is None:  # this month, or the last one when the day is still to come
        year, month = doc_date.year, doc_date.month
        if day > doc_date.day:
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        try:
            return _dt.date(year, month, day)
        except ValueError:
            return None
    try:
        d = _dt.date(doc_date.year, _cn_number(m.group("month")), day)
    except ValueError:
        return None
    if d > doc_date + _dt.timedelta(days=31):  # a December dateline in a January paper
        try:
            d = d.replace(year=d.year - 1)
        except ValueError:
            return None
    return d


def _set_dateline(art: Article, m: re.Match[str], norm: NormText) -> None:
    """Take place and date from dateline match ``m`` on ``norm.text``; the place keeps its script."""
    if art.dateline_place is None:
        art.dateline_place = norm.display[m.start("place") : m.end("place")]
        art.dateline_date = _dateline_date(m, art.doc.date)


def _add_bylines(art: Article, u: _Unit, start: int, end: int) -> None:
    """Credits in the matching text ``[start, end)`` of unit ``u``."""
    if start >= end:
        return
    sp = u.norm.raw_span(start, end)
    text, base = u.spaced_slice(sp.start, sp.end)
    for role, name, a, b in parse_byline(text):
        span = u.spaced.raw_span(base + a, base + b)
        display = u.spaced.display[base + a : base + b].replace(" ", "")
        art.bylines.append(Byline(role, display if len(display) == len(name) else name, span))


def _add_body(art: Article, u: _Unit, start: int | None = None) -> None:
    a = u.span.start if start is None else start
    if a < u.span.end:
        art.body.append(Span(a, u.span.end))


def _lead_paragraph(b: _Builder, u: _Unit) -> None:
    """A paragraph opening with 本报讯 (byline) or a dateline."""
    assert u.lead is not None
    cur = b.current
    if cur is None or cur.body or b.closed:
        cur = b.new()
    m = u.lead
    if m.groupdict().get("outlet") not in (None, "本报"):
        cur.outlet = Span(u.raw_at(m.start("outlet")), u.raw_at(m.end("outlet") - 1) + 1)
    if m.group("byline") is not None:
        _add_bylines(cur, u, m.start("byline"), m.end("byline"))
    if m.group("place"):
        _set_dateline(cur, m, u.norm)
    _add_body(cur, u, u.raw_at(m.end()))


Group = tuple[list[int], list[int], int]


def _title_group(units: list[_Unit], i: int) -> tuple[Group | None, int]:
    """The run of headline lines starting at ``units[i]``: ((members, strays, next index), -1).

    ``(None, j)`` when ``units[i]`` is a plain line that is not a headline
    here; ``units[i:j]`` are plain headline lines, each to be judged by
    :func:`_plain_group` with the same ``j`` (a long run of such lines is
    scanned once, not once per line); ``j`` is -1 when that does not hold.
    """
    members: list[int] = []
    strays: list[int] = []
    headed = False  # a heading among the members
    j = i
    n = len(units)
    while j < n:
        u = units[j]
        if u.heading and u.marker and members and not headed:
            break  # a plain line just before (上接第N版) ends the article before
        if u.heading or u.title:
            members.append(j)
            headed = headed or bool(u.heading)
            j += 1
            continue
        # a lone fragment between a plain kicker line and its heading
        if (
            members
            and not units[members[-1]].heading
            and j + 1 < n
            and units[j + 1].heading
            and not units[j + 1].marker
            and not (u.lead or u.marker or u.credit or u.dateline)
            and not u.complete
        ):
            strays.append(j)
            j += 1
            continue
        break
    if headed:
        return (members, strays, j), -1
    if strays:
        return None, -1
    group = _plain_group(units, i, j)
    return group, -1 if group is not None else j


def _plain_group(units: list[_Unit], i: int, j: int) -> Group | None:
    """Plain lines ``units[i:j]`` as a headline group: they need a lead or a body paragraph after them."""
    nxt = units[j] if j < len(units) else None
    first = units[i]
    if nxt is None:
        return None
    if (
        nxt.lead
        or nxt.credit
        or (i == 0 and not nxt.marker)  # the first line of a text is its title when it looks like one
        or (first.length >= 6 and nxt.length >= max(40, 2 * first.length))
    ):
        return list(range(i, j)), [], j
    return None


def _start_group(b: _Builder, units: list[_Unit], members: list[int], strays: list[int]) -> Article:
    group = [units[k] for k in members]
    markers = [u for u in group if u.marker and len(u.text) <= len(u.marker.group()) + 1]
    rest = [u for u in group if u not in markers]
    prev = b.current
    for k in strays:  # text from another column: keep it, flagged, with the article before
        if prev is not None:
            prev.body.append(units[k].span)
            prev.merged_columns.append(units[k].span)
    if not rest:
        head = markers[0]
        art = b.new(head.display, head.span)
    else:
        rest = [_after_marker(b.doc, u) for u in rest]
        headings = [u for u in rest if u.heading]
        if headings:
            top = min(u.heading for u in headings)
            main = max((u for u in headings if u.heading == top), key=lambda u: u.length)
        elif len(rest) > 1 and rest[0].length <= 0.6 * rest[1].length:
            main = rest[1]
        else:
            main = rest[0]
        art = b.new(main.display, main.span)
        pos = rest.index(main)
        art.kickers = [u.display for u in rest[:pos]]
        art.subheadlines = [u.display for u in rest[pos + 1 :]]
        art.title_lines = [u.span for u in rest if u is not main]
    marked = markers or [u for u in rest if u.marker]
    if marked:
        m = marked[0].marker
        assert m is not None
        art.continuation = True
        art.continued_from = _cn_number(m.group("page"))
    return art


def _after_marker(doc: Document, u: _Unit) -> _Unit:
    """A headline written after its (上接第N版) marker, without the marker."""
    if u.marker is None or u.marker.end() >= len(u.norm.text):
        return u
    v = _Unit(u.heading, Span(u.raw_at(u.marker.end()), u.span.end))
    _classify(doc, v)
    v.marker = u.marker
    return v


def _single(doc: Document, units: list[_Unit]) -> list[Article]:
    """A JSONL record: one article."""
    b = _Builder(doc)
    title = doc.title
    if title:
        art = b.new(normalize(title, keep_spaces=True).display)
        if units and units[0].whole and units[0].text == normalize(title).text:
            art.headline_span = units[0].span
            units = units[1:]
    elif len(units) > 1 and (units[0].heading or units[0].title):
        art = b.new(units[0].display, units[0].span)
        units = units[1:]
    else:
        art = b.new()
    for u in units:
        if u.lead and not art.body:
            _lead_paragraph(b, u)
        else:
            _add_body(art, u)
            if u.dateline and u.tail is not None:
                _set_dateline(art, u.dateline, u.tail)
    return b.articles


def _flag_merged(art: Article) -> None:
    flagged = {(s.start, s.end) for s in art.merged_columns}
    for sp in art.body:
        if (sp.start, sp.end) not in flagged:
            art.merged_columns.extend(_interleaved(art.doc.text, sp))
    art.merged_columns.sort(key=lambda s: s.start)


def segment(doc: Document) -> list[Article]:
    """Split a document into its articles, in order.

    Examples
    --------
    >>> from kg.model import Document
    >>> page = "# 标题一\\n\\n本报讯(记者张三)近日,某某工会成立。\\n\\n## 标题二\\n\\n正文。\\n"
    >>> arts = segment(Document("x", "x.md", page))
    >>> [(a.headline, [b.name for b in a.bylines]) for a in arts]
    [('标题一', ['张三']), ('标题二', [])]
    """
    units = _units(doc)
    if doc.title is not None or re.search(r"#\d+$", doc.source):
        articles = _single(doc, units)
    else:
        articles = _page(doc, units)
    kept = [a for a in articles if a.body or a.headline]
    for i, art in enumerate(kept):
        art.index = i
        _flag_merged(art)
        art.date = art.dateline_date or doc.date
    return kept


def _page(doc: Document, units: list[_Unit]) -> list[Article]:
    b = _Builder(doc)
    i = 0
    n = len(units)
    run_end = -1  # the end of a run of plain headline lines that did not make a headline group
    while i < n:
        u = units[i]
        if u.heading or u.title:
            if i < run_end:
                group = _plain_group(units, i, run_end)
            else:
                group, run_end = _title_group(units, i)
            if group is not None:
                members, strays, i = group
                _start_group(b, units, members, strays)
                continue
        i += 1
        if u.marker:
            m = u.marker
            cur = b.current
            if cur is not None and not cur.body and not b.closed and cur.headline_span is not None:
                cur.continuation = True  # the headline just above is the continued article's
                cur.continued_from = _cn_number(m.group("page"))
            else:
                marker = u.norm.raw_span(0, m.end())
                cur = b.new(normalize(doc.text, [marker], keep_spaces=True).display, marker)
                cur.continuation = True
                cur.continued_from = _cn_number(m.group("page"))
            _add_body(cur, u, u.raw_at(m.end()))
        elif u.lead:
            _lead_paragraph(b, u)
        elif u.credit and b.current is not None and not b.current.body:
            _add_bylines(b.current, u, 0, len(u.norm.text))
        else:
            _add_body(b.body_article(), u)
        cur = b.current
        if cur is not None and u.dateline and u.tail is not None:
            _set_dateline(cur, u.dateline, u.tail)
        if u.dateline or u.continues:
            b.closed = True
    return b.articles


# --------------------------------------------------------------------------- merged columns

#: Words rarer than this in jieba's dictionary do not count as words across a line break.
_MIN_WORD_FREQ = 30
#: Chance that a line break falls inside a word: in running text, and where two
#: columns were read across (measured on re-wrapped news text).
_P_WORD_RUNNING, _P_WORD_MERGED = 0.5, 0.05
#: Chance that the line after next continues a line: in running text, and in interleaved columns.
_P_SKIP_RUNNING, _P_SKIP_MERGED = 0.06, 0.4
#: Log-likelihood ratio (merged : running) from which a stretch is flagged (about 90 : 1).
_MERGED_LLR = 4.5
#: Lines looked at together; a longer paragraph is examined in overlapping windows.
_WINDOW = 40
_LLR_ADJ_HIT = math.log(_P_WORD_MERGED / _P_WORD_RUNNING)
_LLR_ADJ_MISS = math.log((1 - _P_WORD_MERGED) / (1 - _P_WORD_RUNNING))
_LLR_SKIP_HIT = math.log(_P_SKIP_MERGED / _P_SKIP_RUNNING)
_LLR_SKIP_MISS = math.log((1 - _P_SKIP_MERGED) / (1 - _P_SKIP_RUNNING))


def _words() -> frozenset[str]:
    """Common words of two to four characters from jieba's dictionary."""
    from .tokenize import common_words

    return common_words(_MIN_WORD_FREQ, 2, 4)


_HAN_CHAR = re.compile(_HAN)
_LINE_PIECE = re.compile(r"\S+")


def _joins_word(left: str, right: str, words: frozenset[str]) -> bool | None:
    """Does a word run from the end of ``left`` into the start of ``right``?

    ``None`` when either side is not a Han character (nothing to judge).
    """
    if not (left and right and _HAN_CHAR.match(left[-1]) and _HAN_CHAR.match(right[0])):
        return None
    left, right = left[-3:], right[:3]
    for k in range(1, len(left) + 1):
        for j in range(1, len(right) + 1):
            if 2 <= k + j <= 4 and left[-k:] + right[:j] in words:
                return True
    return False


def _interleaved(raw: str, sp: Span) -> list[Span]:
    """Stretches of a paragraph where two columns seem merged line by line.

    The paragraph's lines are the pieces between its whitespace (OCR leaves a
    space or a newline at each line break).  In running text a word crosses
    a line break about half of the time, and rarely the break after next; in
    two columns read across, the next line belongs to the other column and
    the line after next continues this one, so it is the other way round.
    Each break adds its log-likelihood ratio; a window of lines whose sum
    reaches :data:`_MERGED_LLR` is flagged.
    """
    pieces = [(m.start(), m.end()) for m in _LINE_PIECE.finditer(raw, sp.start, sp.end)]
    if len(pieces) < 7:
        return []
    words = _words()
    if not words:
        return []
    text = [raw[a:b] for a, b in pieces]
    scores: list[float] = []
    judged: list[int] = []
    for i in range(len(pieces) - 1):
        adj = _joins_word(text[i], text[i + 1], words)
        skip = _joins_word(text[i], text[i + 2], words) if i + 2 < len(pieces) else None
        score = 0.0
        if adj is not None:
            score += _LLR_ADJ_HIT if adj else _LLR_ADJ_MISS
        if skip is not None:
            score += _LLR_SKIP_HIT if skip else _LLR_SKIP_MISS
        scores.append(score)
        judged.append(adj is not None)
    found: list[Span] = []
    step = _WINDOW // 2
    for w in range(0, max(1, len(scores) - step), step):
        window = slice(w, w + _WINDOW)
        if sum(judged[window]) >= 5 and sum(scores[window]) >= _MERGED_LLR:
            last = min(len(pieces) - 1, w + _WINDOW)
            a = sp.start if w == 0 else pieces[w][0]
            b = sp.end if last == len(pieces) - 1 else pieces[last][1]
            if found and a <= found[-1].end:
                found[-1] = Span(found[-1].start, b)
            else:
                found.append(Span(a, b))
    return found


# --------------------------------------------------------------------------- sentences


def article_text(article: Article, *, repair: bool = True) -> NormText:
    """The normalised headline and body of an article, one paragraph a line.

    The headline (when it is in the text) is the first line, so every
    sentence, the headline included, maps back to raw offsets.  ``repair``
    is passed to :func:`~kg.read.normalize.normalize`.
    """
    spans = ([article.headline_span] if article.headline_span is not None else []) + list(article.body)
    spans += article.title_lines
    spans.sort(key=lambda s: s.start)
    return normalize(article.doc.text, spans, repair=repair)


_SENT_END = re.compile(r"[。！？；]+[”’)\]》」』'\"]*|[!?;]+(?![0-9A-Za-z])[”’)\]》」』'\"]*|\n")
_SOFT_BREAK = re.compile(r"[，,、：:]")


def _pieces(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Sentences of ``text[start:end]``: at terminators and line separators."""
    pos = start
    counted, opened = start, 0  # 《 less 》 in text[pos:counted], counted once however many lines follow
    for m in _SENT_END.finditer(text, start, end):
        if m.group() == "\n":
            opened += text.count("《", counted, m.start()) - text.count("》", counted, m.start())
            counted = m.start()
            if opened > 0:
                continue  # a title in 《》 broken across paragraphs (a column break) goes on
        stop = m.start() if m.group() == "\n" else m.end()
        yield pos, stop
        pos = counted = m.end()
        opened = 0
    yield pos, end


#: Where a sentence without commas may be cut: after closing brackets and quotes, dashes.
_WEAK_BREAK = re.compile(r"[)）\]】》」』”’…—]+")
#: Characters of numbers and Latin words: a cut never falls between two of them.
_WORDLIKE = re.compile(r"[0-9A-Za-z.%零〇一二三四五六七八九十百千万亿两]")
_NOT_WORDLIKE = re.compile(r"[^0-9A-Za-z.%零〇一二三四五六七八九十百千万亿两]")


#: Tags of words a phrase boundary falls before (verbs, prepositions, conjunctions) or after (particles).
_BEFORE_TAGS = frozenset({"v", "vd", "vi", "p", "c"})
_AFTER_TAGS = frozenset({"u", "uj", "ul", "uz", "uv", "ug", "y"})
_OPENING, _CLOSING = "“‘《(（[【「『", "”’》)）]】」』"
_BRACKET = re.compile(f"[{re.escape(_OPENING + _CLOSING)}]")


def _safe_cut(text: str, a: int, lo: int, hi: int) -> int | None:
    """The last place in ``[lo, hi]`` to cut the sentence starting at ``a`` that has no punctuation there.

    Between two words of the segmenter (which sees some text on both sides,
    so that no word is cut short), never inside a run of digits and Latin
    letters.  Preferred, in order: a boundary between phrases (before a
    verb, preposition or conjunction, after a particle) outside quotes and
    brackets and not just after a number (100|颗 would part a figure from its
    unit); any such word boundary; any word boundary.
    """
    from .tokenize import cut_tagged

    if not _HAN_CHAR.search(text, lo, hi):  # no Chinese (a code, a data blob): after the last other character
        last = None
        for last in _NOT_WORDLIKE.finditer(text, lo - 1, min(len(text), hi + 1)):  # noqa: B007
            pass
        if last is None:
            return None
        p = last.end() if last.end() <= hi else last.start()
        return p if p >= lo else None
    start = max(a, lo - 20)
    words = []  # (start, end, tag)
    pos = start
    for w, tag in cut_tagged(text[start : min(len(text), hi + 20)]):
        words.append((pos, pos + len(w), tag))
        pos += len(w)
    marks = [m.start() for m in _BRACKET.finditer(text, a, hi)]
    depth, quoted = 0, set()  # cuts that would fall inside quotes or brackets
    for k, x in enumerate(marks):
        depth += 1 if text[x] in _OPENING else -1
        if depth > 0:  # from just after this mark up to just before the next one
            quoted.update(range(x + 1, (marks[k + 1] if k + 1 < len(marks) else hi) + 1))
    tiers: list[list[int]] = [[], [], []]
    for (_, p, left), (_, _, right) in zip(words, words[1:], strict=False):
        if not lo <= p <= hi or (_WORDLIKE.match(text, p - 1) and _WORDLIKE.match(text, p)):
            continue
        tiers[2].append(p)
        if p in quoted or _WORDLIKE.match(text, p - 1):
            continue
        tiers[1].append(p)
        if right in _BEFORE_TAGS or left in _AFTER_TAGS:
            tiers[0].append(p)
    return next((t[-1] for t in tiers if t), None)


def _cut_long(text: str, a: int, b: int) -> Iterator[tuple[int, int]]:
    """``text[a:b]`` in pieces of at most :data:`MAX_SENTENCE` characters, cut where it is safe.

    At the last comma or colon past the first third, else after a closing
    bracket, quote or dash, else between two words (:func:`_safe_cut`);
    a cut never splits a number or a word.  Only a run of digits and Latin
    letters longer than the limit is cut where the limit falls.
    """
    while b - a > MAX_SENTENCE:
        lo, hi = a + MAX_SENTENCE // 3, a + MAX_SENTENCE
        soft = None
        for m in _SOFT_BREAK.finditer(text, lo, hi):
            soft = m.end()
        if soft is None:
            for m in _WEAK_BREAK.finditer(text, lo, hi):
                soft = m.end()
        if soft is None:
            soft = _safe_cut(text, a, lo, hi)
        yield a, soft or hi
        a = soft or hi
    yield a, b


def split_sentences(article: Article, norm: NormText | None = None) -> list[Sentence]:
    """Sentences of an article; sentence 0 is the headline when it is in the text.

    ``norm`` is :func:`article_text` of the article (computed when omitted).
    The body is split after ``。！？；`` (and ``!?;`` not followed by a
    letter or digit), keeping closing quotes and brackets with their sentence,
    and at paragraph ends; a sentence longer than :data:`MAX_SENTENCE` is cut
    at its last comma before the limit, else at a safe place (never inside a
    number, a Latin word or a word of the segmenter).
    """
    if norm is None:
        norm = article_text(article)
    text = norm.text
    out: list[Sentence] = []

    def add(a: int, b: int) -> None:
        while a < b and text[a] == " ":
            a += 1
        while b > a and text[b - 1] == " ":
            b -= 1
        if a < b:
            out.append(Sentence(article, len(out), a, b, text[a:b], norm.display[a:b], norm.raw_span(a, b)))

    rest = [(0, len(text))]
    if article.headline_span is not None and text:
        # the headline is what maps into its span; the separator after it maps to its end
        start = bisect.bisect_left(norm.offsets, article.headline_span.start, 0, len(text))
        end = bisect.bisect_left(norm.offsets, article.headline_span.end, 0, len(text))
        for c, d in _cut_long(text, start, end):  # a "headline" that is a whole unbroken file is cut too
            add(c, d)
        after = end + 1 if end < len(text) and text[end] == "\n" else end
        # kickers above the headline, then sub-headlines and the body
        rest = [(0, start - 1 if start > 0 else 0), (after, len(text))]
    for lo, hi in rest:
        for a, b in _pieces(text, lo, hi):
            for c, d in _cut_long(text, a, b):
                add(c, d)
    return out
