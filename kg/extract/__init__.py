"""Extraction: typed mentions, relations, posts and figures of one article.

:func:`extract_article` runs the parts in order over the sentences of an
article; each part is a module of this package (entities, persons,
relations, figures).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Article, Mention, NormText, PostFact, RelationFact, Sentence, Span, StatisticFact
from .lexicon import Lexicon, lexicon
from .names import ArticleContext, find_mentions, tokens_of
from .persons import complete_names
from .relations import ArticleState, article_relations, sentence_relations
from .tagger import tagger

__all__ = ["ArticleResult", "extract_article", "lexicon"]


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
    from ..normalize import normalize

    return normalize(name).text


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
    ctx.preview(seen)
    for sent, (_text, toks, hits, _words) in zip(chinese, seen, strict=True):
        ms = find_mentions(sent, ctx, toks, words[id(sent)], hits)
        res.mentions.extend(ms)
        found.append((sent, ms))
    complete_names(res.mentions)
    for sent, ms in found:  # relations read the names as completed
        rels, posts = sentence_relations(sent, ms, state, 0)
        res.relations.extend(rels)
        res.posts.extend(posts)
        res.stats.extend(_figures(sent, ms, state))
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
    res.mentions.extend(state.proposed)  # programs the relation families found (a facility built)
    rels, posts = article_relations(res, state)
    res.relations.extend(rels)
    res.posts.extend(posts)
    return res
