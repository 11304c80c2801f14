"""Run the extractor over one article of plain sentences (no file needed)."""

from __future__ import annotations

import re

from kg.extract import ArticleResult, extract_article
from kg.extract.lexicon import lexicon
from kg.extract.resolve import resolve_document
from kg.model import Article, Document, NormText, Sentence, Span


def article_of(*sentences: str) -> ArticleResult:
    text = "".join(sentences)
    doc = Document("t" * 16, "test.txt", text)
    art = Article(doc, 0, "", body=[Span(0, len(text))])
    norm = NormText(text, text, list(range(len(text) + 1)))
    sents = []
    for m in re.finditer(r"[^。！？；]+[。！？；]?", text):
        sents.append(Sentence(art, len(sents), m.start(), m.end(), m.group(0), m.group(0), Span(m.start(), m.end())))
    return extract_article(art, norm, sents, lexicon())


def entities(*sentences: str) -> dict[tuple[str, str], set[str]]:
    """(class, canonical label) → aliases."""
    r = article_of(*sentences)
    ents = resolve_document([r], lexicon(), "t" * 16)
    return {(e.cls, e.label): set(e.aliases) for e in ents.entities.values()}


def labels(cls: str, *sentences: str) -> set[str]:
    return {label for (c, label) in entities(*sentences) if c == cls}


def relations(*sentences: str) -> set[tuple[str, str, str]]:
    """(head label, relation, tail label), posts as (person, holds:ROLE, org)."""
    r = article_of(*sentences)
    ents = resolve_document([r], lexicon(), "t" * 16)
    out = set()
    for rel in r.relations:
        h, t = ents.entity(rel.head), ents.entity(rel.tail)
        if h is not None and t is not None:
            implicit = rel.rel == "establishedUnion" and rel.tail is rel.head  # a union the text does not name
            out.add((h.label, rel.rel, t.label + "工会" if implicit else t.label))
    for p in r.posts:
        h, t = ents.entity(p.person), ents.entity(p.org)
        if h is not None and t is not None:
            out.add((h.label, "holds:" + p.role, t.label))
    return out
