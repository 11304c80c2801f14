"""Typed entity mentions from the grammar of Chinese names, with a statistical tagger's help.

Each phenomenon is a registered finder (see :mod:`.base`), run in order over a
sentence: places (10–30), names the lexicons know (40–50), organisations by
suffix (60), programs (70–72), honours (80), brands the tagger finds (90) and
persons (100).  Crossing candidates are then resolved (:mod:`.choose`): the
longest, most specific name wins, and names nested in it stay where they are
names of their own (a place in a union's name).
"""

from __future__ import annotations

from ...model import Mention, Sentence
from ..tagger import Word
from . import awards, brands, general, known, orgs, people, places, programs  # noqa: F401 - they register their finders
from .base import FINDERS, ArticleContext, Candidate, Registered, Scan, Token, finder, registered, tokens_of
from .choose import resolve_overlaps, user_rules
from .places import find_places, preview_places

__all__ = ["FINDERS", "ArticleContext", "Candidate", "Registered", "Scan", "Token", "find_mentions", "find_places",
           "finder", "preview_places", "registered", "tokens_of"]


def find_mentions(sent: Sentence, ctx: ArticleContext, toks: list[Token] | None = None,
                  words: list[Word] | None = None, hits: list | None = None) -> list[Mention]:
    """Typed mentions in one sentence, updating ``ctx`` with the places seen.

    ``words`` are the sentence's words as a statistical tagger tags them
    (:mod:`kg.extract.tagger`); its persons and organisations are proposals
    that the grammar accepts, types and trims.
    """
    text = sent.text
    scan = Scan(text, toks if toks is not None else tokens_of(text), words or [],
                hits if hits is not None else ctx.lexicon.scan(text), ctx)
    for f in registered():
        scan.cands.extend(f.run(scan))
    return [Mention(cls=c.cls, surface=sent.display[c.start:c.end], key=c.surface, sentence=sent,
                    start=sent.start + c.start, end=sent.start + c.end, confidence=c.confidence,
                    rule=c.rule, canonical=c.canonical, attrs=c.attrs)
            for c in user_rules(resolve_overlaps(scan.cands), ctx.lexicon)]
