"""Honours: who received which award.

An honour goes to whoever the text says received it, a person or an
organisation, unit or team, alone or listed (甲、乙等13名职工获全国五一劳动奖章).
A unit the entity finder did not name (…分厂磷酸三班荣获…) takes the honour
itself: its enterprise does not.  A nominee (拟推荐, 候选, 公示) is no recipient.
"""

from __future__ import annotations

import re

from ...model import ORG_CLASSES, Mention, Sentence
from .base import ArticleView, SentenceView, family, trigger_re
from .titles import titles_before

#: Between the recipients and the verb: a count, an honorific, the giver, an adverb
#: (等13名先进职工, 3人被中华全国总工会, 同志, 相继).
TAIL = re.compile(r"(?:等(?:[\d一二三四五六七八九十百千]+(?:名|个|家|位|人|项))?[\u4e00-\u9fff]{0,6}?"
                  r"|[\d一二三四五六七八九十百千]+(?:名|个|家|位|人))?"
                  r"(?:同志|教授|师傅|女士|先生|老师)?(?:被[^，,。；;、]{0,20}?)?"
                  r"(?:先后|相继|均|分别|都|也|还|已|再次|曾|曾经|又|光荣|一举|共|今年|去年|前年|近日|日前|"
                  r"近年来|多次|连续|此前|(?:19|20)\d\d年)*$")
LIST_LINK = ("、", "和", "及", "与", "以及")
#: After the honour: a nomination, not the honour (获得“塞上工匠”荣誉称号提名).
NOMINATED_AFTER = re.compile(r"[”\"」』》]?(?:荣誉)?(?:称号)?(?:的)?(?:提名|候选)")
#: Between the verb and the honour: quotes and particles (荣获了“…”, 被评为2023年度…).
GAP = re.compile(r"^了?(?:\d{4}年度?|\d{4}|首届|第[一二三四五六七八九十\d]+届)?[“\"「『《\s]{0,2}$")


def _item_start(v: SentenceView, m: Mention) -> int:
    """Where a listed recipient begins: a person with the titles before the name, else the mention."""
    if m.cls == "Person":
        chain = titles_before(v, m)
        return chain[-1].start if chain else v.s(m)
    return v.s(m)


def recipients(v: SentenceView, end: int) -> list[Mention]:
    """The persons and organisations listed right before local ``end`` (a verb of receiving)."""
    start = v.clause_start(end, "，,；;。！？!?：:")
    tail = TAIL.search(v.text, start, end)
    pos = tail.start() if tail else end
    out: list[Mention] = []
    cands = v.persons + v.top_orgs
    while pos > start:
        item = v.ending_at(pos, cands)
        if item is None:
            break
        out.append(item)
        at = _item_start(v, item)
        link = next((w for w in LIST_LINK if v.text.endswith(w, start, at)), None)
        if link is None:
            break
        pos = at - len(link)
    return out


def _nominated(v: SentenceView, at: int) -> bool:
    return bool(trigger_re("nominee").search(v.text, v.clause_start(at, "；;。！？!?"), at))


@family("award-verb", ("receivedAward",), examples=[
    ("江苏华丰机械有限公司技术员李明、南通港务集团有限公司副经理王强等12名职工获全国五一劳动奖章。",
     {("李明", "receivedAward", "全国五一劳动奖章"), ("王强", "receivedAward", "全国五一劳动奖章"),
      ("李明", "employedBy", "江苏华丰机械有限公司"), ("王强", "employedBy", "南通港务集团有限公司"),
      ("王强", "holds:副经理", "南通港务集团有限公司")}),
    ("江苏华丰机械有限公司荣获全国五一劳动奖状。", {("江苏华丰机械有限公司", "receivedAward", "全国五一劳动奖状")}),
    ("快递员王海去年荣获浙江省五一劳动奖章。", {("王海", "receivedAward", "浙江省五一劳动奖章")}),
    ("技师李明、技师王强2人被江苏省总工会认定为2025年“江苏工匠”。",
     {("李明", "receivedAward", "江苏工匠"), ("王强", "receivedAward", "江苏工匠")}),
    ("技师李明荣获“江苏工匠”荣誉称号，技师王强获得“江苏工匠”荣誉称号提名。", {("李明", "receivedAward", "江苏工匠")}),
    # the honour goes to a team of the enterprise, not to the enterprise
    ("江苏华丰机械有限公司装配车间甲班荣获全国工人先锋号。", set()),
    # a nominee is no recipient
    ("拟推荐江苏华丰机械有限公司为全国五一劳动奖状候选单位，江苏华丰机械有限公司获全国五一劳动奖状提名。", set()),
])
def award_verb(v: SentenceView) -> None:
    """RECIPIENT(、RECIPIENT)* (等N名…) 荣获/获/被授予/被评为/入选 AWARD."""
    trig = trigger_re("award")
    for a in v.awards:
        as_, ae = v.local(a)
        if v.starting_at(ae, v.persons) is not None:
            continue  # an honour as a title before the name (the titles family)
        if v.text[ae:ae + 3].startswith(("获得者", "得主")):
            holder = next((p for p in v.persons if v.s(p) >= ae), None)
            if holder is not None:
                v.relate(holder, "receivedAward", a, 0.75, "award:holder")
            continue
        before = v.text[max(0, as_ - 12):as_]
        hits = [m for m in trig.finditer(before) if GAP.match(before[m.end():])]
        if not hits or _nominated(v, as_) or NOMINATED_AFTER.match(v.text, ae):
            continue
        m = hits[-1]
        at = as_ - len(before) + m.start()
        for r in recipients(v, at):
            v.relate(r, "receivedAward", a, 0.8, "award:verb")


@family("award-grant", ("receivedAward",), examples=[
    ("江苏省总工会授予技师李明“江苏省五一劳动奖章”。", {("李明", "receivedAward", "江苏省五一劳动奖章")}),
])
def award_grant(v: SentenceView) -> None:
    """GIVER 授予/命名/表彰 RECIPIENT(、RECIPIENT)* AWARD (称号)."""
    grant = trigger_re("award_grant")
    for a in v.awards:
        as_ = v.s(a)
        start = v.clause_start(as_, "，,；;。！？!?")
        g = [m for m in grant.finditer(v.text, start, as_)]
        if not g or _nominated(v, as_):
            continue
        listed = sorted((m for m in v.persons + v.top_orgs if g[-1].end() <= v.s(m) and v.e(m) <= as_),
                        key=lambda m: m.start)
        edges = [g[-1].end()] + [x for m in listed for x in (_item_start(v, m), v.e(m))] + [as_]
        gaps = [v.text[edges[i]:edges[i + 1]] for i in range(0, len(edges), 2)]
        if listed and all(re.fullmatch(r"[、和及“\"为了\s]*", x) for x in gaps):
            for m in listed:
                v.relate(m, "receivedAward", a, 0.8, "award:grant")


#: The numbering before an entry of a list (1. / （一） / 一、).
NUMBERING = re.compile(r"^[\s\d.．、)）(（一二三四五六七八九十]*")
#: A line that is only an honour's name: the heading of a list of recipients.
HEADING_REST = re.compile(r"^[\s:：“”\"（(）)名单获奖者。；;]*$")


def _heading(s: Sentence, ms: list[Mention]) -> Mention | None:
    awards = [m for m in ms if m.cls == "Award"]
    if len(awards) != 1:
        return None
    a = awards[0]
    rest = s.text[:a.start - s.start] + s.text[a.end - s.start:]
    return a if HEADING_REST.match(rest) else None


@family("award-list", ("receivedAward",), scope="article", examples=[
    (("全国五一劳动奖状；", "江苏华丰机械有限公司；", "南通港务集团有限公司；", "全国工人先锋号；",
      "南京地铁运营有限公司。"),
     {("江苏华丰机械有限公司", "receivedAward", "全国五一劳动奖状"),
      ("南通港务集团有限公司", "receivedAward", "全国五一劳动奖状"),
      ("南京地铁运营有限公司", "receivedAward", "全国工人先锋号")}),
])
def award_list(a: ArticleView) -> None:
    """A heading line naming an honour, then one recipient a line (a unit, or a person and where they work)."""
    by_sent: dict[int, list[Mention]] = {}
    for m in a.result.mentions:
        by_sent.setdefault(id(m.sentence), []).append(m)
    current: Mention | None = None
    for s in a.result.sentences:
        ms = sorted(by_sent.get(id(s), []), key=lambda m: (m.start, -m.end))
        head = _heading(s, ms)
        if head is not None:
            current = None if trigger_re("nominee").search(s.text) else head
            continue
        if current is None or len(s.text) > 60 or re.search(r"[，,。；;！？!?]", s.text.rstrip("。；;")):
            current = None  # the list ends at a line of prose
            continue
        first = next((m for m in ms if m.cls in ORG_CLASSES or m.cls == "Person"), None)
        if first is not None and first.start - s.start == len(NUMBERING.match(s.text).group()):
            a.relate(first, "receivedAward", current, s, 0.8, "award:list")
