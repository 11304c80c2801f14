"""Beneficiaries: which workers a program serves.

A worker group benefits from a program when the program's name says so
(货车司机入会集中行动), or when the text serves the group in the program's
sentence, or in a later one that points back to it (此次慰问活动, 活动期间):
惠及/面向/慰问/为 … the group, or the group 参加/领到/受益 ….  A program
whose name mentions workers to honour or reform them (表彰…劳动模范的决定,
产业工人队伍建设改革) does not serve them.
"""

from __future__ import annotations

import re

from ...model import Mention
from .base import SentenceView, family, trigger_re

#: Words that point back to the program named before.
POINTER = re.compile(r"此次|本次|这次|该活动|该项|本届|此项|这项|活动期间|活动中|活动现场|活动当天|仪式上|现场")
#: Programs that are about workers without serving them.
NOT_SERVING = re.compile(r"(?:改革|决定|条例|规定|法|通报|名单)$|表彰")
#: Programs that are documents: they serve only whom their name says.
DOCUMENT = re.compile(r"(?:通知|意见|办法|方案|规定|决定|细则|条例|纲要|规划|文件)$")
#: A clause of purpose (为推动和帮助解决…问题): what it names, the sentence's program serves.
PURPOSE = re.compile(r"为了?(?:推动|帮助|解决|进一步|切实|更好|保障|维护|让|使)")
#: A program named as the means of another act (依托“司机之家”，…开展“六送”活动): not the one that serves.
MEANS = re.compile(r"(?:依托|通过|借助|利用|根据|按照|结合)“?$")
#: Between two groups of one list.
GROUP_LINK = re.compile(r"(?:、|和|及|以及|与|等)")
#: The group is the one served: what stands right before it in its clause.
SERVED_BEFORE = re.compile(r"(?:惠及|面向|覆盖|帮助|帮扶|服务|关爱|慰问|走访|看望|资助|救助|聚焦|针对|关心|关怀|保障|"
                           r"为|向|给|对|让|使|以|吸引|吸纳|送给|送到|惠泽)(?:了|广大|全体|全市|全省|全区|全县|部分)?"
                           r"[^，,。；;：:、]{0,12}?$")
#: ... or what the group does right after it.
SERVED_AFTER = re.compile(r"(?:们|等|群体|代表)*(?:[\d余多名位人]*)?"
                          r"(?:参加|参与|受益|领取|领到|获得|享受|报名|入会|纷纷|免费)")


def _programs_for(v: SentenceView) -> list[Mention]:
    if v.programs:
        return v.programs
    return list(v.state.last_programs) if POINTER.search(v.text) else []


def _joined(v: SentenceView, p: Mention, g: Mention) -> bool:
    """The group names the second part of a program joined by 暨 (“流动暖新”主题活动暨新就业形态劳动者集中入会仪式)."""
    if p.sentence is not v.sent or v.e(p) > v.s(g):
        return False
    gap = v.text[v.e(p):v.s(g)]
    return "暨" in gap and len(gap) <= 12 and not re.search(r"[，,。；;：:、]", gap)


def _document(p: Mention) -> bool:
    name = p.canonical or p.key
    return name.startswith("《") or bool(DOCUMENT.search(name.strip("《》")))


def _target(v: SentenceView, g: Mention, progs: list[Mention]) -> Mention | None:
    """The program serving ``g``: the nearest in the sentence within two clauses (any, from a purpose
    clause 为…), else the one pointed back to; documents serve nobody but who their name says."""
    cands = [p for p in progs if not _document(p) and not NOT_SERVING.search(p.canonical or p.key)
             and not (p.sentence is v.sent and MEANS.search(v.text, max(0, v.s(p) - 3), v.s(p)))]
    here = [p for p in cands if p.sentence is v.sent]
    if not here:
        return cands[0] if cands else None
    purpose = PURPOSE.match(v.text, v.clause_start(v.s(g), "，,。；;：:"))

    def commas(p: Mention) -> int:
        a, b = sorted((v.e(p), v.s(g)) if v.e(p) <= v.s(g) else (v.e(g), v.s(p)))
        return sum(v.text.count(c, a, b) for c in "，,")

    near = [p for p in here if purpose or commas(p) <= 2]
    return min(near, key=lambda p: abs(v.s(p) - v.s(g))) if near else None


def _served(v: SentenceView, g: Mention) -> bool:
    before = v.text[v.clause_start(v.s(g), "，,。；;：:"):v.s(g)]
    return bool(SERVED_BEFORE.search(before) or trigger_re("benefit").search(before[-12:])
                or SERVED_AFTER.match(v.text, v.e(g)))


@family("benefits", ("benefits",), examples=[
    ("镇安县开展“工会进万家·新就业形态劳动者温暖行动”服务月活动。",
     {("“工会进万家·新就业形态劳动者温暖行动”服务月活动", "benefits", "新就业形态劳动者")}),
    ("东台市总工会开展“冬日暖心”活动，为奔波在街头的快递员送去慰问品。",
     {("东台市总工会", "organizes", "“冬日暖心”活动"), ("“冬日暖心”活动", "benefits", "快递员")}),
    (("东台市总工会开展“冬日暖心”活动。", "此次活动聚焦户外劳动者，为环卫工人发放防寒用品。"),
     {("东台市总工会", "organizes", "“冬日暖心”活动"), ("“冬日暖心”活动", "benefits", "户外劳动者"),
      ("“冬日暖心”活动", "benefits", "环卫工人")}),
    ("东台市总工会举办“冬日暖心”主题活动暨快递员集中入会仪式。",
     {("东台市总工会", "organizes", "“冬日暖心”主题活动"), ("“冬日暖心”主题活动", "benefits", "快递员")}),
    # negative: workers named in a program that honours or reforms them are not served by it
    ("大会宣读了《关于表彰东台市劳动模范的决定》。", set()),
])
def benefits(v: SentenceView) -> None:
    """GROUP in the program's name; 惠及/慰问/为 … GROUP or GROUP 参加/领到 … with the program in focus."""
    progs = _programs_for(v)
    if not progs:
        return
    served: list[Mention] = []
    for g in v.groups:
        inside = [p for p in progs if p.start <= g.start and g.end <= p.end or _joined(v, p, g)]
        if inside:
            for p in inside:
                if not NOT_SERVING.search((p.canonical or p.key).strip("《》“”\"")):
                    v.relate(p, "benefits", g, 0.75, "benefits:in-name")
            continue
        listed = served and GROUP_LINK.fullmatch(v.text, v.e(served[-1]), v.s(g))
        if listed or _served(v, g):
            served.append(g)
    for g in served:  # a list of groups shares what serves its first (为环卫工人、快递员发放…)
        p = _target(v, g, progs)
        if p is not None:
            v.relate(p, "benefits", g, 0.65, "benefits:served")
