"""Jobs: who works for which enterprise or institution, beyond titles before the name.

A rider or driver who works through a platform is not thereby employed by
it: only the platform's own title before the name (美团外卖骑手徐昌顺) links
them, and at a lower confidence (see :mod:`.posts`).
"""

from __future__ import annotations

import re

from ...model import Mention
from .base import SentenceView, family
from .posts import UNIT, top_unit
from .titles import DEPARTMENT, Title, role_before


@family("employed-de", ("employedBy",), examples=[
    ("中国航天科技集团有限公司第五研究院529厂的郑兴是一名技师。",
     {("郑兴", "employedBy", "中国航天科技集团有限公司")}),
])
def employed_de(v: SentenceView) -> None:
    """ENTERPRISE(…)的PERSON."""
    for p in v.persons:
        ps = v.s(p)
        if ps == 0 or v.text[ps - 1] != "的":
            continue
        org = next((o for o in v.top_orgs if v.e(o) <= ps - 1 and ps - 1 - v.e(o) <= 6 and o.cls == "Enterprise"
                    and not any(c in v.text[v.e(o):ps] for c in "，。、；：")), None)
        if org is not None:
            v.relate(p, "employedBy", top_unit(org, v), 0.8, "employedBy:de")


#: Another name of the organisation in brackets after it.
BRACKETED = re.compile(r"(?:[（(][^（()）]{1,20}[)）])?")
#: PERSON 为/是/现任 … : what follows says where the person works (孙鸿雁为昆明理工大学艺术与传媒学院副院长).
COPULA = re.compile(r"(?:同志)?(?:现为|现任|原是|原为|曾是|曾为|是|为|系)")


def _title_after(v: SentenceView, at: int) -> tuple[Mention, Title, int] | None:
    """An organisation starting at ``at``, the words after it and a role that ends the clause there
    (昆明理工大学艺术与传媒学院副院长、…), with where the role ends."""
    for org in sorted((o for o in v.orgs if v.s(o) == at), key=lambda o: -o.end):
        after = BRACKETED.match(v.text, v.e(org)).end()  # 云南技师学院(云南工贸职业技术学院)教师
        end = v.clause_end(after, "，,、；;。！？!?（(")
        for stop in range(min(end, after + 30), after, -1):
            r = role_before(v.text, stop, v.lx)
            if r is None or r[0] < after:
                continue
            gap = v.text[after:r[0]]
            if gap.endswith("的"):  # 台板厂计量室的职工
                gap = gap[:-1]
            if not gap or DEPARTMENT.fullmatch(gap) or stop == end:
                return org, Title(v.s(org), gap + r[1], r[2], org=org, dept=gap), stop
    return None


@family("employed-copula", ("employedBy",), examples=[
    ("技师李明为南京工业大学机械学院副院长、教授。", {("李明", "employedBy", "南京工业大学")}),
    ("技师李明为南京技师学院（南京工业职业技术学院）教师。", {("李明", "employedBy", "南京技师学院")}),
    ("技师李明为华丰机械有限公司熔炼厂作业经理、特级技师。", {("李明", "employedBy", "华丰机械有限公司")}),
    ("劳模李明原是华丰机械有限公司装配车间的职工。", {("李明", "employedBy", "华丰机械有限公司")}),
    # negative: a person doing something for an organisation does not work there
    ("技师李明为南京工业大学捐赠设备。", set()),
])
def employed_copula(v: SentenceView) -> None:
    """PERSON 为/是/现任 ORG [DEPT] ROLE: the person works there."""
    for p in v.persons:
        m = COPULA.match(v.text, v.e(p))
        found = _title_after(v, m.end()) if m else None
        if found is None:
            continue
        org, t, _ = found
        if org.cls in ("Enterprise", "OtherOrganization"):
            v.relate(p, "employedBy", top_unit(org, v), 0.8, "employedBy:copula")


#: 在ORG工作: the person works at the organisation.
WORKS_AT = re.compile(r"(?:已经|已|一直|长期|曾|都)?在$")
WORK = re.compile(r"(?:工作|任职|上班|就职|供职)")


@family("employed-at", ("employedBy",), examples=[
    ("获奖的技师李明已经在南通港务集团有限公司工作了八年。", {("李明", "employedBy", "南通港务集团有限公司")}),
])
def employed_at(v: SentenceView) -> None:
    """PERSON … 在ORG工作/任职/上班 (in the same clause)."""
    for o in v.top_orgs:
        if o.cls not in ("Enterprise", "OtherOrganization") or not WORK.match(v.text, v.e(o)):
            continue
        start = v.clause_start(v.s(o))
        if not WORKS_AT.search(v.text, start, v.s(o)):
            continue
        who = [p for p in v.persons if start <= v.s(p) and v.e(p) <= v.s(o)]
        if who:
            v.relate(who[-1], "employedBy", top_unit(o, v), 0.75, "employedBy:at")


@family("name-title-line", ("employedBy", "holdsPost"), examples=[
    (("全国五一劳动奖章；", "王丽华 南京市第一中学教师；"),
     {("王丽华", "employedBy", "南京市第一中学"), ("王丽华", "receivedAward", "全国五一劳动奖章")}),
])
def name_title_line(v: SentenceView) -> None:
    """A list line: PERSON ORG [DEPT] ROLE and nothing after (王丽华 南京市实验小学校长)."""
    for p in v.persons:
        at = v.e(p)
        while at < len(v.text) and v.text[at] in " \u3000":
            at += 1
        found = _title_after(v, at)
        if found is None:
            continue
        org, t, stop = found
        rest = v.text[stop:].strip(" 。；;")
        if v.text[:v.s(p)].strip(" \u3000.、0123456789．") or rest:
            continue
        if org.cls in ("Enterprise", "OtherOrganization"):
            v.relate(p, "employedBy", top_unit(org, v), 0.8, "employedBy:list-line")
        if t.kind == "office" and not UNIT.search(t.dept):
            v.post(p, org, t.role, 0.75, "post:list-line")


#: What follows the person's name in a studio's: 劳模创新工作室, 技能大师工作室.
STUDIO = re.compile(r"(?P<name>[\u4e00-\u9fff]{2,3}?)(?:劳模|工匠|技能大师|职工|技能人才|首席技师)?(?:创新)?工作室")


@family("studio", ("employedBy",), stage=10, examples=[
    ("国网苏州供电公司王强劳模创新工作室被评为示范点。", {("王强", "employedBy", "国网苏州供电公司")}),
])
def studio(v: SentenceView) -> None:
    """ENTERPRISE PERSON (劳模)创新工作室: the studio bears the name of one of the enterprise's workers."""
    from ..persons import plausible_name

    for o in v.orgs:
        if not (o.canonical or o.key).endswith("工作室"):
            continue
        firms = [f for f in v.orgs if f.start == o.start and f.end < o.end and f.cls in ("Enterprise",
                                                                                        "OtherOrganization")]
        firm = max(firms, key=lambda f: f.end, default=None)
        m = STUDIO.fullmatch(v.text, v.e(firm), v.e(o)) if firm is not None else None
        if m is None or not plausible_name(m.group("name"), v.lx) or v.inside(m.start(), m.end("name"), v.persons):
            continue
        p = v.propose("Person", m.start(), m.end("name"), 0.7, "person:studio")
        v.relate(p, "employedBy", top_unit(firm, v), 0.7, "employedBy:studio")
