"""Honours: a level, a place, an ordinal or a year, a few describing words and a head."""

from __future__ import annotations

import re

from ..lexicon import Lexicon
from ..tagger import Word
from .base import HAN_NAME, PUNCT, QUOTE_RE, YEAR_PREFIX, Candidate, Scan, finder

#: What may open an honour's name: 全国, a level (省, 市级, 自治区), an ordinal (第五届) or a year (2021年).
AWARD_OPEN = re.compile(r"(?:全国|(?:省|市|县|区|州)级?|自治区|第[\d一二三四五六七八九十]+届|首届|"
                        r"(?:19|20)\d\d年度?)$")


#: Characters that never stand between an honour's level and its head.
AWARD_BREAK = frozenset("，。、；：！？,;:!?的和与及获评授被为在是了")


#: Heads that are honours only with a level or in quotes (工匠 alone is a craftsman, 工作室 a studio).
WEAK_AWARD_HEADS = frozenset({"工匠", "年度人物", "工匠人才", "创新工作室", "示范工会", "示范单位", "和谐企业",
                              "先进单位", "先进集体", "先进个人"})


#: Words after a weak head that make it part of another name (大国工匠创新交流大会, 工匠精神).
NOT_AFTER_HONOUR = ("创新", "论坛", "大会", "精神", "选树", "评选", "学院", "杯", "风采", "活动")


def _awards(text: str, hits: list, place_spans: dict[tuple[int, int], str], lx: Lexicon,
            words: list[Word] = ()) -> list[Candidate]:
    """Honours: a level, a place, an ordinal or a year, a few describing words, and a head.

    全国五一劳动奖章, 安徽省后勤保障工作先进单位, 第五届陇原工匠, 全国“五一”劳动奖章,
    自治区工人先锋号, 市劳动模范 (after a verb: 纳入市劳动模范评选); a quoted honour
    (“塞上工匠”, “大国工匠人才”) is one by itself.  A year before the name is not part of it.
    """
    out = []
    place_by_end = {pe: ps for (ps, pe) in place_spans}
    stops = {w.end for w in words if w.tag in ("v", "p", "c", "u", "PER", "vd")}
    heads = {}
    for s, e, surface, entries in hits:
        if any(k == "award_head" for k, _ in entries):
            if e not in heads or heads[e][0] > s:
                heads[e] = (s, surface)
    starts = {s for s, _h in heads.values()}
    for e, (s, head) in sorted(heads.items()):
        if e < len(text) and text[e] in "”\"" and s > 0:
            continue  # the closing quote follows: handled as a quoted honour below
        if e in starts or head in WEAK_AWARD_HEADS and text.startswith(NOT_AFTER_HONOUR, e):
            continue  # 工匠|年度人物: the longer head names it; 大国工匠|创新交流大会 names an event
        start = _award_start(text, s, place_by_end, stops)
        if start is None or text.count("“", start, e) != text.count("”", start, e):
            continue
        y = YEAR_PREFIX.match(text, start)
        if y is not None and y.end() < s:
            start = y.end()
            if start not in place_by_end.values() and not AWARD_OPEN.search(text, 0, start) and \
                    not text.startswith(("全国", "第", "首届", "“", '"'), start) and head in WEAK_AWARD_HEADS \
                    and not HAN_NAME.match(text[start:s] or "x"):
                continue
        out.append(Candidate("Award", start, e, text[start:e], rule="award:level+head", confidence=0.85, priority=2))
    for m in QUOTE_RE.finditer(text):
        inner = m.group(1)
        if any(inner.endswith(h) and len(inner) > len(h) for h in lx.award_heads) or inner in lx.award_heads and \
                AWARD_OPEN.search(text, 0, m.start()):
            start = m.start()
            lead = AWARD_OPEN.search(text, 0, m.start())
            if lead is not None and not YEAR_PREFIX.match(lead.group()) and not lead.group().startswith(("第", "首")):
                start = lead.start()
            out.append(Candidate("Award", start, m.end(), text[start:m.end()], rule="award:quoted", confidence=0.85,
                             priority=2))
    return out


def _award_start(text: str, s: int, place_by_end: dict[int, int], stops: set[int]) -> int | None:
    """Where the honour whose head starts at ``s`` begins, or None when nothing names a level."""
    pos = s
    best = None
    while pos > 0 and s - pos <= 12:
        if pos in place_by_end:
            best = place_by_end[pos]
            break
        lead = AWARD_OPEN.search(text, max(0, pos - 6), pos)
        if lead is not None:
            bare = lead.group() in ("省", "市", "县", "区", "州")
            if not bare or lead.start() == 0 or text[lead.start() - 1] in PUNCT or lead.start() in stops \
                    or text[lead.start() - 1] in AWARD_BREAK:
                best = lead.start()
                if best in place_by_end:
                    best = place_by_end[best]  # 陕西省|第五届, 甘肃|省级
                break
        ch = text[pos - 1]
        if ch in AWARD_BREAK or (ch in PUNCT and ch not in "“”\"") or pos in stops:
            break
        pos -= 1
    return best



@finder("awards", 80, examples=[
    ("该公司获得全国模范劳动关系和谐企业。", {("Award", "全国模范劳动关系和谐企业")}),
    ("他获得自治区五一劳动奖章。", {("Award", "自治区五一劳动奖章")}),
])
def awards(scan: Scan) -> list[Candidate]:
    """Honours with their level (全国五一劳动奖章) and quoted ones (“北疆工匠”)."""
    return _awards(scan.text, scan.hits, scan.place_spans, scan.lx, scan.words)
