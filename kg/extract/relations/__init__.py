"""Relations and posts between the mentions of a sentence and of an article.

Every pair of typed mentions in a sentence is a candidate, and so are the
article's subject and the program of an earlier sentence for the words that
point back to them (该, 此次, 活动期间).  Each relation is decided by a
registered *trigger family* (:mod:`.base`): one construction of news
Chinese, its trigger words (kg/data/triggers.tsv) and its example rows.
The families live by topic:

* :mod:`.posts` — titles before a name, elections, copulas and brackets;
* :mod:`.jobs` — employment stated other than by a title;
* :mod:`.programs` — the acting subject, organisers and partners;
* :mod:`.beneficiaries` — the workers a program serves;
* :mod:`.facilities` — service places a union builds (司机之家, 驿站), proposed as programs;
* :mod:`.participation` — signing parties, entrants, winners;
* :mod:`.awards` — honours and their recipients;
* :mod:`.unions` — unions founded, joined and nested;
* :mod:`.press` — reporters and correspondents at their outlet.
"""

from __future__ import annotations

from ...model import Mention, PostFact, RelationFact, Sentence
from . import awards, beneficiaries, facilities, jobs, participation, posts, press, programs, unions  # noqa: F401 - importing registers the families
from .base import FAMILIES, ArticleState, ArticleView, Family, SentenceView, family

__all__ = ["FAMILIES", "ArticleState", "Family", "article_relations", "family", "sentence_relations"]


def sentence_relations(sent: Sentence, mentions: list[Mention], state: ArticleState,
                       art_start: int = 0) -> tuple[list[RelationFact], list[PostFact]]:
    """Relations and posts in one sentence (mention offsets are article-relative)."""
    v = SentenceView(sent, mentions, state)
    for f in FAMILIES:
        if f.scope == "sentence":
            f.run(v)
    if v.programs:
        state.last_programs = v.programs
        state.programs.extend(v.programs)
    state.unions.extend(o for o in v.orgs if o.cls == "TradeUnion")
    if v.subject is not None:
        state.last_subject = v.subject
        state.last_partners = v.partners
    return v.rels, v.posts


def article_relations(result: object, state: ArticleState) -> tuple[list[RelationFact], list[PostFact]]:
    """Relations and posts that need the whole article (its joiners, its bylines)."""
    a = ArticleView(result, state)
    for f in FAMILIES:
        if f.scope == "article":
            f.run(a)
    return a.rels, a.posts
