"""Names the lexicons know (organisations, worker groups, programs) and worker groups listed beside them."""

from __future__ import annotations

import re
from typing import Any

from .base import PUNCT, QUANTITY_RE, Candidate, Scan, after_function_word, finder

OCCUPATION_ENDS = ("司机", "骑手", "员", "工", "师", "手", "匠", "人员", "警察", "保安")


#: Words before the first item of a list that belong to the clause, not the item (现场为|外卖员).
LEADING_CLAUSE = re.compile(r"^.*?(?:为|向|给|对|帮|让|组织|包括|其中|涵盖|覆盖|面向)")


LIST_ITEM = re.compile(r"[\u4e00-\u9fff]{2,8}")


#: Nouns a worker group's word modifies in a compound that is no group (劳模精神, 女职工委员会, 户外劳动者服务站).
GROUP_COMPOUNDS = ("精神", "委员会", "委员", "服务站", "驿站", "评选", "大会", "论坛", "人才", "年度人物", "队伍",
                   "创新工作室", "工作室", "示范", "之家", "小家", "协会", "联合会", "工会", "称号", "荣誉", "创新交流",
                   "工匠", "先进人物", "和工匠", "(先进工作者)")


#: Words that narrow a worker group into a group of its own (困难农民工, 网约送餐员, 返乡农民工).
GROUP_MODIFIER = re.compile(r"(?:困难|特困|生活困难|返乡|优秀|网约|新业态网约|纺织|金融|苦脏累险岗位|台籍|外籍|青年|"
                            r"新生代|退休|临近退休|高龄|残疾|大龄|单身|女性|男性)$")


def _listed_groups(text: str, known: list[tuple[int, int]]) -> list[Candidate]:
    """Items of a 、-list that holds a known worker group and end like an occupation."""
    out = []
    for m in re.finditer(r"[\u4e00-\u9fff]{2,8}(?:、[\u4e00-\u9fff]{2,8})+(?:和[\u4e00-\u9fff]{2,8})?"
                         r"(?=等|和|及|$|，|。)", text):
        items = []
        pos = m.start()
        for part in re.split(r"(、|和)", m.group(0)):
            if part in ("、", "和"):
                pos += 1
                continue
            items.append((pos, pos + len(part), part))
            pos += len(part)
        if not any(any(ks <= a < ke or a <= ks < b for ks, ke in known) for a, b, _ in items):
            continue
        for a, b, part in items:
            if any(a <= ks and ke <= b for ks, ke in known):
                continue
            q = QUANTITY_RE.match(part) or LEADING_CLAUSE.match(part)
            if q is not None and q.end() < len(part) - 1:
                a, part = a + q.end(), part[q.end():]  # 近千名商场信息员, 现场为外卖员
            if part.endswith(OCCUPATION_ENDS) and not part.startswith(("推进", "推动", "吸引", "帮助", "关爱")):
                out.append(Candidate("WorkerGroup", a, b, part, rule="group:list", confidence=0.7))
    return out


def generic_department(text: str, end: int, surface: str) -> bool:
    """A ministry's name inside the generic 部门 (公安部门, 人社部门 are any such department, not the ministry)."""
    return surface.endswith("部") and text.startswith("门", end)



@finder("known-names", 40, examples=[
    ("全总副主席出席。", {("TradeUnion", "全国总工会")}),
    ("为困难农民工和返乡农民工送温暖。", {("WorkerGroup", "困难农民工"), ("WorkerGroup", "返乡农民工")}),
])
def known_names(scan: Scan) -> list[Candidate]:
    """Organisations, worker groups and programs of the lexicons and a user's rules."""
    out: list[Candidate] = []
    for s, e, surface, entries in scan.hits:
        for kind, payload in entries:
            if kind in ("org", "extra"):
                out.extend(_known_org(scan, s, e, surface, kind, payload))
            elif kind == "group":
                out.extend(_known_group(scan, s, e, surface, payload))
            elif kind == "program":
                out.append(Candidate("Program", s, e, surface, canonical=payload, rule="program:lexicon",
                                     nested_ok=True, confidence=0.9))
    return out


def _known_org(scan: Scan, s: int, e: int, surface: str, kind: str, payload: Any) -> list[Candidate]:
    text = scan.text
    canon, cls = payload
    if len(surface) <= 2 and not scan.word_boundary(s, e) and kind == "org":
        return []
    if surface == "全总" and e < len(text) and text[e] in "工":
        return []
    if generic_department(text, e, surface):
        return []
    return [Candidate(cls, s, e, surface, canonical=canon, rule=f"{kind}:lexicon", nested_ok=True,
                      confidence=0.95, priority=2)]


def _known_group(scan: Scan, s: int, e: int, surface: str, payload: Any) -> list[Candidate]:
    """A worker group, or the narrower group a modifier makes of it (困难农民工)."""
    text = scan.text
    if text.startswith(GROUP_COMPOUNDS, e) or text[max(0, s - 1):s] in ("省", "市", "级", "届") \
            and text.startswith(scan.lx.award_heads_tuple, s):
        return []  # 劳模精神, 女职工委员会, 户外劳动者服务站; 省劳动模范 is an honour
    m = GROUP_MODIFIER.search(text, max(0, s - 8), s)
    if m is not None and m.end() == s and (m.start() == 0 or text[m.start() - 1] in PUNCT
                                           or after_function_word(text, m.start())
                                           or m.start() in scan.tok_start):
        return [Candidate("WorkerGroup", m.start(), e, text[m.start():e], canonical=text[m.start():e],
                          rule="group:modified", nested_ok=True, confidence=0.85, priority=1)]
    return [Candidate("WorkerGroup", s, e, surface, canonical=payload, rule="group:lexicon",
                      nested_ok=True, confidence=0.9)]


@finder("listed-groups", 50, examples=[
    ("现场为外卖员、保安员、商场信息员等群体办理入会。", {("WorkerGroup", "保安员"), ("WorkerGroup", "商场信息员")}),
])
def listed_groups(scan: Scan) -> list[Candidate]:
    """Worker groups named in a list beside known ones (货车司机、网约配送员等群体)."""
    known = [(s, e) for s, e, _sf, entries in scan.hits if any(k == "group" for k, _ in entries)]
    return _listed_groups(scan.text, known) if known else []
