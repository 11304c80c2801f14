"""Places: gazetteer names and short forms, counties by short name, towns and streets, zones."""

from __future__ import annotations

import re

from ...read.tokenize import tag_of, word_freq
from ..tagger import Word
from .base import (
    DETERMINERS,
    FUNCTION_CHARS,
    HAN_NAME,
    PUNCT,
    ZONE_SUFFIXES,
    ArticleContext,
    Candidate,
    Scan,
    Token,
    finder,
    is_name_token,
    pick_place,
    stop_ends,
)


def find_places(text: str, toks: list[Token], hits: list, ctx: ArticleContext,
                words: list[Word] = ()) -> dict[tuple[int, int], str]:
    """Gazetteer places of a sentence, ``(start, end) → code``, the longest where they nest.

    A word boundary is one jieba or the tagger sees (山西|大同市 where jieba reads 山西大同).
    """
    tok_end = {t.end for t in toks} | {w.end for w in words}
    tok_start = {t.start for t in toks} | {w.start for w in words}

    def word_boundary(s: int, e: int) -> bool:
        return (s in tok_start or s == 0) and (e in tok_end or e == len(text))

    # where an organisation's suffix begins (重庆|日报, 柳州|新闻网): a short form before it opens the name
    suffix_starts = {s for s, _e, _surface, entries in hits if any(k == "suffix" for k, _ in entries)}
    # places written one after the other (山西大同市灵丘县): where one ends the next may begin
    full_starts = {s for s, _e, _surface, entries in hits if any(k == "place" for k, _ in entries)}
    chain_ends = {e for _s, e, _surface, entries in hits if any(k in ("place", "place_short") for k, _ in entries)}
    place_spans: dict[tuple[int, int], str] = {}
    for s, e, _surface, entries in hits:
        for kind, payload in entries:
            if kind == "place":
                if e - s <= 3 and s > 0 and s not in tok_start and text[s - 1] not in PUNCT and s not in chain_ends:
                    continue  # 范县 inside 示范县
                place_spans[(s, e)] = pick_place(payload, ctx)
            elif kind == "place_short" and (word_boundary(s, e) or (
                    (s == 0 or s in tok_start) and (text.startswith(ZONE_SUFFIXES, e) or e in suffix_starts
                                                    or e in full_starts))):
                # a short form is a place when jieba keeps it whole, or it opens a longer name
                place_spans[(s, e)] = pick_place(payload, ctx, short=True)
    # a county's short form beside its parent (福建晋江, 扬州江都), before a suffix (鄂前旗总工会), or with
    # the level of a former county-level city (临安市)
    parent_ends = {e: code for (s, e), code in place_spans.items()}
    for s, e, _surface, entries in hits:
        for kind, payload in entries:
            if kind != "county_short" or not word_boundary(s, s) and s not in parent_ends:
                continue
            parent = parent_ends.get(s)
            codes = [c for c in payload if parent and ctx.lexicon.is_ancestor(parent, c)]
            if codes:
                level = text[e:e + 1]  # 大通|县 for 大通回族土族自治县: the level word belongs to the name
                place_spans[(s, e + 1 if level and level in "县区市旗" and e not in suffix_starts else e)] = codes[0]
            elif text.startswith(("总工会", "市", "县"), e) and not text.startswith(("市场", "县域", "市民"), e):
                end = e + 1 if text[e] in "市县" else e
                place_spans[(s, end)] = pick_place(payload, ctx)
    # drop places inside longer places (黑龙江 inside 黑龙江省)
    kept: list[tuple[int, int]] = []
    for sp in sorted(place_spans, key=lambda x: (x[0], -(x[1] - x[0]))):
        if not any(k[0] <= sp[0] and sp[1] <= k[1] for k in kept):
            kept.append(sp)
    return {k: place_spans[k] for k in kept}


#: Township-level places the gazetteer lacks: 上地街道, 天目山镇, 富民村.
TOWNSHIP_ENDS = ("街道", "镇", "乡", "村", "港区")


#: Stems that make no township: 全镇, 该村, 乡镇, 城乡, 新农村.
NOT_TOWNSHIP = frozenset({"全", "该", "本", "各", "每", "此", "城", "乡", "农", "新农", "社区", "美丽", "我", "所在",
                          "周边", "附近", "当地", "一个", "两个", "贫困", "示范", "重点", "特色", "老", "小"})


def _townships(text: str, toks: list[Token], words: list[Word], place_spans: dict[tuple[int, int], str],
               hits: list, lx_short: object = ()) -> list[Candidate]:
    """Towns, streets and villages (天目山镇, 上地街道, 桥上村) under the county named before them.

    A stem of two to four characters before 街道/镇/乡/村 is a place when a
    place stands right before it, when the tagger reads the stretch as a
    place or a body, when a union or committee of it follows, or when it
    stands in a list of such places.
    """
    out = []
    place_by_end = {e: (s, c) for (s, e), c in place_spans.items()}
    stops = stop_ends(words, text=text)
    tok_start = {t.start for t in toks}
    tagged = [(w.start, w.end) for w in words if w.tag in ("LOC", "ORG")]
    suffix_starts = {s for s, _e, _sf, entries in hits if any(k == "suffix" for k, _ in entries)}
    for m in re.finditer("|".join(TOWNSHIP_ENDS), text):
        a, e = m.start(), m.end()
        if text.startswith(("镇街", "乡镇", "村镇", "村委", "村民", "镇党委"), a) and m.group() != "街道":
            if not text.startswith("镇党委", a):
                continue
        s = a
        while s > 0 and a - s < 4 and text[s - 1] not in PUNCT and s not in place_by_end and \
                not (s in stops and s < a) and not text[s - 1].isdigit():
            s -= 1
        if s == a and s in place_by_end and text[place_by_end[s][0]:a] in lx_short:
            s = place_by_end[s][0]  # 金华|镇: a town named like a city, not the city
        elif s in place_by_end and a - s < 2:
            continue
        stem = text[s:a]
        if not 2 <= len(stem) <= 4 or not HAN_NAME.match(stem) or stem in NOT_TOWNSHIP or \
                stem.startswith(DETERMINERS) or stem[-1] in FUNCTION_CHARS or (s not in tok_start and s > 0):
            continue
        if (tag_of(stem) or "")[:1] in ("v", "a", "d", "r") and word_freq(stem) > 50:
            continue
        parent = place_by_end.get(s)
        evidence = parent is not None or e in suffix_starts or any(
            ts <= s and e <= te or (ts == s and te >= a) for ts, te in tagged) or \
            text[s - 1:s] == "、" or text[e:e + 1] == "、"
        if not evidence:
            continue
        attrs = {"parent": parent[1]} if parent else {}
        out.append(Candidate("Place", s, e, text[s:e], canonical=text[s:e], rule="place:township", attrs=attrs,
                         nested_ok=True, confidence=0.8, priority=1))
    return out



@finder("places", 10, examples=[
    ("江苏省苏州市吴江区盛泽镇纺织行业工会成立。", {("Place", "江苏省"), ("Place", "苏州市"), ("Place", "吴江区")}),
    ("山西大同市灵丘县货运司机入会。", {("Place", "山西省"), ("Place", "大同市"), ("Place", "灵丘县")}),
])
def gazetteer_places(scan: Scan) -> list[Candidate]:
    """Gazetteer places; each is noted in the article's context (for 市总工会 and homonyms)."""
    scan.place_spans = find_places(scan.text, scan.toks, scan.hits, scan.ctx, scan.words)
    out = []
    for (s, e), code in sorted(scan.place_spans.items()):
        p = scan.lx.places[code]
        scan.ctx.note_place(code)
        out.append(Candidate("Place", s, e, scan.text[s:e], canonical=p.name, rule="place:gazetteer",
                             attrs={"code": code}, nested_ok=True, confidence=0.95 if e - s > 2 else 0.85))
    return out


@finder("townships", 20, examples=[
    ("北京市海淀区上地街道总工会成立。", {("Place", "上地街道")}),
    ("贵阳市观山湖区金华镇林业站挂牌。", {("Place", "金华镇")}),
])
def town_places(scan: Scan) -> list[Candidate]:
    """Towns, streets and villages; the short place a town's name opens is no place of its own (金华|镇)."""
    towns = _townships(scan.text, scan.toks, scan.words, scan.place_spans, scan.hits, scan.lx.place_short)
    for t in towns:
        scan.cands[:] = [c for c in scan.cands if not (c.cls == "Place" and c.rule == "place:gazetteer"
                                                       and (c.start, c.end) != (t.start, t.end)
                                                       and t.start == c.start and c.end < t.end)]
    return towns


@finder("zones", 30, examples=[
    ("福建泉州台商投资区总工会成立。", {("Place", "泉州台商投资区")}),
])
def zones(scan: Scan) -> list[Candidate]:
    """Development zones named after the place before them (泉州台商投资区)."""
    text, out = scan.text, []
    starts = {ps for (ps, _pe) in scan.place_spans}
    for (s, e), code in sorted(scan.place_spans.items()):
        if e in starts:
            continue  # 福建泉州台商投资区: the zone is named after the last place
        for zs in ZONE_SUFFIXES:
            j = text.find(zs, e, e + 8 + len(zs))
            if j < 0:
                continue
            mid = text[e:j]
            if all(c not in PUNCT for c in mid) and (not mid or all(is_name_token(t) for t in scan.toks
                                                                    if e <= t.start and t.end <= j)):
                zname = text[s:j + len(zs)]
                out.append(Candidate("Place", s, j + len(zs), zname, canonical=zname, rule="place:zone",
                                     attrs={"parent": code}, nested_ok=True, priority=1, confidence=0.85))
                break
    return out


def preview_places(ctx: ArticleContext, sentences: list[tuple[str, list[Token], list, list[Word]]]) -> None:
    """Note in ``ctx`` the places the whole article names, from its sentences' text, words and lexicon hits."""
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    scratch = ArticleContext(ctx.lexicon)
    for text, toks, hits, words in sentences:
        for code in find_places(text, toks, hits, scratch, words).values():
            for c in (code, *ctx.lexicon.ancestors(code)):
                counts[c] = counts.get(c, 0) + (1 if c == code else 0)
                first.setdefault(c, len(first))
    by_level: dict[str, list[str]] = {}
    for c in counts:
        by_level.setdefault(ctx.lexicon.places[c].level, []).append(c)
    for level, codes in by_level.items():
        ctx.article_places[level] = max(codes, key=lambda c: (counts[c], -first[c]))
