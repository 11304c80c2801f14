"""Extraction: typed mentions, relations, posts and figures of one article.

:func:`extract_article` runs the parts in order over the sentences of an
article; each part is a module of this package (entities, persons,
relations, figures).  :func:`extract_windows` reads an article too long to
hold whole (a text of millions of characters without a break) a window of
sentences at a time.
"""

from __future__ import annotations

import dataclasses
import re
from array import array
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..model import Article, Mention, NormText, PostFact, RelationFact, Sentence, Span, StatisticFact
from .lexicon import Lexicon, lexicon
from .names import ArticleContext, find_mentions, preview_places, tokens_of
from .persons import complete_names
from .relations import ArticleState, article_relations, sentence_relations
from .tagger import TAGS, Word, tagger

__all__ = ["WINDOW", "ArticleResult", "extract_article", "extract_windows", "lexicon"]

#: Sentences of an article read at a time when it has more (see :func:`extract_windows`).
WINDOW = 2000


@dataclass
class ArticleResult:
    """Everything extracted from one article."""

    article: Article
    norm: NormText
    sentences: list[Sentence]
    mentions: list[Mention] = field(default_factory=list)
    relations: list[RelationFact] = field(default_factory=list)
    posts: list[PostFact] = field(default_factory=list)
    stats: list[StatisticFact] = field(default_factory=list)
    byline_sentences: list[Sentence] = field(default_factory=list)


def _figures(sent: Sentence, mentions: list[Mention], state: ArticleState) -> list[StatisticFact]:
    from .figures import find_figures

    out = []
    figs = find_figures(sent.text)
    if not figs:
        return out
    orgs = [m for m in mentions if m.cls in ("TradeUnion", "Enterprise", "GovernmentBody", "OtherOrganization")]
    programs = [m for m in mentions if m.cls == "Program"]
    topic = None
    if re.match(r"(?:此次|本次|这次|该|本届)?[\u4e00-\u9fff]{0,4}?(?:大赛|竞赛|运动会|活动|行动|合同|计划)",
                sent.text) and not orgs and not programs and state.last_programs:
        topic = state.last_programs[0]  # 大赛面向…，设比赛项目64个: the figures are the program's
    for f in figs:
        pos = sent.start + f.start
        before = [m for m in orgs if m.end <= pos]
        if topic is not None:
            about = topic
        else:
            about = before[0] if before else (state.last_subject if state.last_subject is not None else None)
        out.append(StatisticFact(about=about, measure=f.measure or "", value=format(f.value, "f"), unit=f.unit,
                                 surface=f.surface, sentence=sent, start=pos, end=sent.start + f.end,
                                 approximate=bool(f.approximate), period=f.period,
                                 confidence=0.75 if about is not None else 0.5))
    return out


HAN = re.compile(r"[\u4e00-\u9fff]")


def _simplified(name: str) -> str:
    from ..read.normalize import normalize

    return normalize(name).text


def _credits(article: Article, res: ArticleResult) -> None:
    """The outlet that opens the lead and the persons credited in the byline, as mentions of ``res``."""
    raw = article.doc.text
    if article.outlet is not None:  # the outlet that opens the lead (中工网讯, 新华社北京…电)
        sp = article.outlet
        shown = raw[sp.start:sp.end]
        s = Sentence(article, -100, 0, len(shown), _simplified(shown), shown, sp)
        res.byline_sentences.append(s)
        res.mentions.append(Mention("OtherOrganization", shown, _simplified(shown), s, 0, len(shown), 0.9,
                                    "org:lead"))
    # reporters and correspondents credited in the byline
    for i, b in enumerate(article.bylines):
        # the credit line from its role word (记者刘友婷; 记者王鑫 方大丰 for the second name)
        start = raw.rfind(b.role, max(0, b.span.start - 24), b.span.start)
        start = start if start >= 0 else b.span.start
        shown = raw[start:b.span.end]
        s = Sentence(article, -1 - i, 0, len(shown), shown, shown, Span(start, b.span.end))
        res.byline_sentences.append(s)
        key = _simplified(b.name)
        res.mentions.append(Mention("Person", b.name, key, s, len(shown) - len(b.name), len(shown), 0.95,
                                    "person:byline", attrs={"byline": b.role}))


def extract_article(article: Article, norm: NormText, sentences: list[Sentence],
                    lx: Lexicon | None = None) -> ArticleResult:
    """Mentions, relations, posts and figures of ``article``."""
    lx = lx or lexicon()
    res = ArticleResult(article, norm, sentences)
    ctx = ArticleContext(lx)
    state = ArticleState(lx)
    chinese = [s for s in sentences if HAN.search(s.text)]  # a data blob or a table of numbers holds no names
    words = dict(zip(map(id, chinese), tagger().tag([s.text for s in chinese]), strict=True))
    found = []
    seen = [(s.text, tokens_of(s.text), lx.scan(s.text), words[id(s)]) for s in chinese]
    preview_places(ctx, seen)
    for sent, (_text, toks, hits, _words) in zip(chinese, seen, strict=True):
        ms = find_mentions(sent, ctx, toks, words[id(sent)], hits)
        res.mentions.extend(ms)
        found.append((sent, ms))
    complete_names(res.mentions)
    _relate(res, found, state, credits=True)  # relations read the names as completed
    return res


def _relate(res: ArticleResult, found: list[tuple[Sentence, list[Mention]]], state: ArticleState,
            credits: bool) -> None:
    """The relations, posts and figures of the sentences ``found`` with their mentions, then those of the
    article (with the byline's credits when ``credits``)."""
    for sent, ms in found:
        rels, posts = sentence_relations(sent, ms, state, 0)
        res.relations.extend(rels)
        res.posts.extend(posts)
        res.stats.extend(_figures(sent, ms, state))
    if credits:
        _credits(res.article, res)
    res.mentions.extend(state.proposed)  # programs the relation families found (a facility built)
    rels, posts = article_relations(res, state)
    res.relations.extend(rels)
    res.posts.extend(posts)


_TAG_CODE = {t: chr(0x41 + i) for i, t in enumerate(sorted(TAGS))}
_CODE_TAG = {c: t for t, c in _TAG_CODE.items()}


def _pack(words: list[Word]) -> Any:
    """A sentence's words in a few bytes each: their bounds in an array, their tags one letter each."""
    if any(w.tag not in _TAG_CODE for w in words):
        return words
    bounds = array("i")
    for w in words:
        bounds.append(w.start)
        bounds.append(w.end)
    return bounds, "".join(_TAG_CODE[w.tag] for w in words)


def _unpack(packed: Any) -> list[Word]:
    if isinstance(packed, list):
        return packed
    bounds, tags = packed
    return [Word(bounds[2 * k], bounds[2 * k + 1], _CODE_TAG[c]) for k, c in enumerate(tags)]


def extract_windows(article: Article, norm: NormText, sentences: list[Sentence], lx: Lexicon | None = None,
                    window: int = WINDOW) -> Iterator[ArticleResult]:
    """The mentions, relations, posts and figures of a long article, one window of sentences at a time.

    Each result holds ``window`` consecutive sentences and what was found in
    them; the first also holds the credits of the byline.  What one window
    finds is the same as :func:`extract_article` finds there, except where it
    needs sentences after the window:

    * the places the article names most are counted over the whole article
      first (a pass that tags every sentence and keeps its words packed, a
      few bytes a word, so that sentences are tagged once);
    * a name cut short (徐昌|顺感到) is completed from the names given in full
      in this window and the earlier ones;
    * facts about the whole article (the union and the program it names
      most, joiners, members, agreements) are decided for each window, from
      its own sentences.

    Only what a later sentence may point back to is kept from one window to
    the next (the last subject, its partners and the last programs, and a
    copy of one mention of each name given in full), so memory does not grow
    with the article.
    """
    lx = lx or lexicon()
    ctx = ArticleContext(lx)
    state = ArticleState(lx)
    parts = [sentences[i:i + window] for i in range(0, len(sentences), window)] or [[]]
    del sentences  # each window's sentences go with it
    packed: dict[int, Any] = {}

    def tagged() -> Iterator[tuple[str, Any, Any, list[Word]]]:
        for part in parts:
            chinese = [s for s in part if HAN.search(s.text)]
            for s, words in zip(chinese, tagger().tag([s.text for s in chinese]), strict=True):
                packed[s.index] = _pack(words)
                yield s.text, tokens_of(s.text), lx.scan(s.text), words

    preview_places(ctx, tagged())  # type: ignore[arg-type]  # read once, in order
    full: dict[str, Mention] = {}  # a copy of a mention of each name given in full so far
    longer: dict[str, list[str]] = defaultdict(list)  # the start of a name → the names given in full
    for n, part in enumerate(parts):
        res = ArticleResult(article, norm, part)
        found = []
        for sent in part:
            if sent.index not in packed:
                continue
            words = _unpack(packed.pop(sent.index))
            ms = find_mentions(sent, ctx, tokens_of(sent.text), words, lx.scan(sent.text))
            res.mentions.extend(ms)
            found.append((sent, ms))
        for m in res.mentions:  # the names given in full, before any is completed
            if m.cls == "Person" and m.confidence >= 0.75 and m.key not in full:
                full[m.key] = dataclasses.replace(m)
                for i in range(1, len(m.key)):
                    longer[m.key[:i]].append(m.key)
        for m in res.mentions:  # each with fresh copies of the longer names it may be the start of
            if m.cls == "Person" and m.key in longer:
                complete_names([m, *(dataclasses.replace(full[k]) for k in longer[m.key])])
        _relate(res, found, state, credits=n == 0)
        for done in (state.proposed, state.joiners, state.members, state.unions, state.programs):
            done.clear()
        parts[n] = []
        yield res
