"""Unions: enterprises founding them, members joining them, their hierarchy."""

from __future__ import annotations

import re

from .base import ArticleView, SentenceView, family, most_named

#: Make a node for the union an enterprise set up when the text does not name it
#: (镇安县圆通物业有限公司成立工会 → 镇安县圆通物业有限公司工会).
IMPLICIT_UNIONS = True
FOUND = re.compile(r"(?:成立|组建|建立)(?:了)?工会(?!组织|工作|阵地)")
JOIN = re.compile(r"加入(?:了)?工会(?!组织)?")
JOIN_BLOCKERS = ("表示", "说", "让", "要", "将", "推进", "推动", "引导", "吸引", "动员", "鼓励", "，", ",", "、")
#: 等 and a noun of enterprises after the last one listed: 圆通、顺丰等快递企业成立工会.
LISTED_UNITS = re.compile(r"等[\u4e00-\u9fff]{0,6}?(?:企业|单位|公司|商户)")


@family("established-union", ("establishedUnion",), examples=[
    ("镇安县圆通物业有限公司成立工会，吸纳会员30人。",
     {("镇安县圆通物业有限公司", "establishedUnion", "镇安县圆通物业有限公司工会")}),
    # negative: founding union organisations in general is no enterprise's act
    ("全县推动新就业形态企业普遍建立工会组织。", set()),
])
def established_union(v: SentenceView) -> None:
    """ENTERPRISE 成立/组建/建立工会 (the union is made when the text does not name it)."""
    if not IMPLICIT_UNIONS:
        return
    for m in FOUND.finditer(v.text):
        ent = next((o for o in reversed(v.top_orgs) if o.cls == "Enterprise" and v.e(o) <= m.start()
                    and (m.start() - v.e(o) <= 3 or LISTED_UNITS.fullmatch(v.text[v.e(o):m.start()]))), None)
        if ent is not None:
            v.relate(ent, "establishedUnion", ent, 0.7, "establishedUnion:成立工会")


@family("joiners", ("memberOf",), examples=[
    ("青岛市货车司机工会联合会正式成立，首批1200名货车司机加入工会。",
     {("货车司机", "memberOf", "青岛市货车司机工会联合会")}),
    ("南海区总工会介绍，全区已有1.6万名货车司机、网约车司机加入工会。",
     {("货车司机", "memberOf", "南海区总工会"), ("网约车司机", "memberOf", "南海区总工会")}),
    # negative: an aim is no membership
    ("青岛市总工会开展活动，要让货车司机加入工会。", set()),
])
def joiners(v: SentenceView) -> None:
    """PERSON/WORKER GROUP 加入工会: members of the union named before, else of the article's (at its end)."""
    for m in JOIN.finditer(v.text):
        named = [o for o in v.top_orgs if o.cls == "TradeUnion" and v.e(o) <= m.start()]
        union = named[-1] if named else None
        for p in v.persons:  # the person must be the one who joins: 徐昌顺与同伴一起加入工会
            gap = v.text[v.e(p):m.start()]
            if v.e(p) <= m.start() and len(gap) <= 8 and not any(w in gap for w in JOIN_BLOCKERS):
                v.state.joiners.append((p, v.sent, union))
        for g in v.groups:  # worker groups that join, alone or listed: 1.6万名货车司机、网约车司机加入工会
            gap = v.text[v.e(g):m.start()]
            for other in v.groups:
                if v.s(other) >= v.e(g):
                    gap = gap.replace(v.text[v.s(other):v.e(other)], "")
            before = v.text[max(0, v.s(g) - 8):v.s(g)]
            if v.e(g) <= m.start() and re.fullmatch(r"[、和及与等们]*(?:已|都|纷纷|陆续|相继|先后)?", gap) \
                    and not any(w in before for w in JOIN_BLOCKERS if len(w) > 1 or w in "让要将"):
                v.state.joiners.append((g, v.sent, union))


#: A group that is the union's members: 52名外卖配送员作为会员代表, 全市出租汽车司机有了共同的“娘家”.
MEMBERS = re.compile(r"^(?:们|等)?(?:[\d余多名位]*)?(?:作为|成为|都是|均为)(?:了)?(?:工会)?会员"
                     r"|^(?:们|等)?(?:从此|终于|也)?有了(?:自己|共同)?的?[“\"]?娘家")


@family("members", ("memberOf",), examples=[
    ("东台市快递行业联合工会成立，全市快递员有了自己的“娘家”。", {("快递员", "memberOf", "东台市快递行业联合工会")}),
    (("东台市快递行业联合工会成立。", "会议的召开，标志着全市快递员有了自己的“娘家”。"),
     {("快递员", "memberOf", "东台市快递行业联合工会")}),
    ("东台市新业态联合工会成立大会召开，52名外卖送餐员作为会员代表参加会议。",
     {("外卖送餐员", "memberOf", "东台市新业态联合工会")}),
])
def members(v: SentenceView) -> None:
    """GROUP 作为会员(代表) / 有了…“娘家”: members of the union the sentence names, else the article's."""
    unions = [o for o in v.top_orgs if o.cls == "TradeUnion"]
    for g in v.groups:
        if MEMBERS.search(v.text[v.e(g):v.e(g) + 20]):
            if unions:
                union = min(unions, key=lambda u: abs(u.start - g.start))
                v.relate(g, "memberOf", union, 0.65, "memberOf:members")
            else:  # the sector union the article is about (at its end)
                v.state.members.append((g, v.sent))


#: A union for one sector or its new workers, the kind whose members a text names as a group.
SECTOR_UNION = re.compile(r"联合工会|工会联合会|行业工会|产业工会")


@family("members-of-sector-union", ("memberOf",), scope="article")
def members_of_sector_union(a: ArticleView) -> None:
    """Groups named as members without their union: the sector union the article names most."""
    main = most_named([u for u in a.state.unions if SECTOR_UNION.search(u.canonical or u.key)])
    if main is not None:
        for g, sent in a.state.members:
            a.relate(g, "memberOf", main, sent, 0.6, "memberOf:members")


@family("joined-union", ("memberOf",), scope="article")
def joined_union(a: ArticleView) -> None:
    """The joiners of the article's sentences: members of the union named with them, else the article's."""
    main = a.state.main_union()
    for member, sent, named in a.state.joiners:
        union = named or main
        if union is not None:
            a.relate(member, "memberOf", union, sent, 0.6, "memberOf:加入工会")


@family("union-departments", ("subOrganizationOf",), examples=[
    ("衡阳市总工会女职工委员会开展活动。", {("衡阳市总工会女职工委员会", "subOrganizationOf", "衡阳市总工会")}),
])
def union_departments(v: SentenceView) -> None:
    """A committee or department named after its union (衡阳市总工会女职工委员会); coordinated levels."""
    for o in v.orgs:
        for inner in v.orgs:
            if inner is not o and inner.cls == "TradeUnion" and o.cls == "TradeUnion" \
                    and inner.start == o.start and inner.end < o.end:
                v.relate(o, "subOrganizationOf", inner, 0.85, "sub:department")
    coord = [o for o in v.orgs if o.rule == "org:coordination"]
    for lower in coord:
        for upper in coord:
            lp, up = lower.attrs.get("place"), upper.attrs.get("place")
            if lp and up and lp != up and v.lx.is_ancestor(up, lp):
                v.relate(lower, "subOrganizationOf", upper, 0.7, "sub:coordination")


#: What a union named after its enterprise adds to the enterprise's name.
UNION_OF = ("工会委员会", "联合工会", "工会")
QUOTES = re.compile(r"[“”\"「」『』‘’']")


@family("enterprise-union", ("establishedUnion",), scope="article", examples=[
    (("南通港务集团有限公司召开职代会。", "南通港务集团有限公司工会主席王强主持会议。"),
     {("南通港务集团有限公司", "establishedUnion", "南通港务集团有限公司工会"),
      ("王强", "holds:主席", "南通港务集团有限公司工会")}),
])
def enterprise_union(a: ArticleView) -> None:
    """A union named after an enterprise the article names (江西制氧机厂 … 江西制氧机厂工会): the enterprise's own."""
    firms: dict[str, object] = {}
    for m in a.result.mentions:
        if m.cls == "Enterprise":
            firms.setdefault(QUOTES.sub("", m.canonical or m.key), m)
    for u in a.result.mentions:
        if u.cls != "TradeUnion":
            continue
        name = QUOTES.sub("", u.canonical or u.key)
        for suffix in UNION_OF:
            firm = firms.get(name[:-len(suffix)]) if name.endswith(suffix) else None
            if firm is not None:
                a.relate(firm, "establishedUnion", u, u.sentence, 0.8, "establishedUnion:name")
                break



#: X是Y所属的…工会, X隶属于Y, X归Y领导: the first is under the second.
UNDER = re.compile(r"^(?:是|为|系)?(?:隶属于|直属于|归属于|隶属|归)?$")
UNDER_AFTER = re.compile(r"(?:所属|下属|直属|领导|管理)(?:的|下的)?")
#: Y下属的X / Y所属X: the second is under the first.
OVER = re.compile(r"^(?:所属|下属|直属|领导的|管辖的)(?:的)?(?:[\u4e00-\u9fff]{0,4}(?:工会|单位|组织)[，,、]?)?$")


@family("union-hierarchy", ("subOrganizationOf",), examples=[
    ("泰兴市总工会是泰州市总工会所属的县级工会。", {("泰兴市总工会", "subOrganizationOf", "泰州市总工会")}),
    ("泰州市总工会下属的泰兴市总工会开展活动。", {("泰兴市总工会", "subOrganizationOf", "泰州市总工会")}),
    ("泰兴市总工会归泰州市总工会领导。", {("泰兴市总工会", "subOrganizationOf", "泰州市总工会")}),
    # negative: two unions acting together are no hierarchy
    ("泰兴市总工会和泰州市总工会共同开展慰问。", set()),
])
def union_hierarchy(v: SentenceView) -> None:
    """X 是 Y 所属的…, X 隶属于 Y, Y 下属的 X."""
    unions = [o for o in v.top_orgs if o.cls == "TradeUnion"]
    for x, y in zip(unions, unions[1:], strict=False):
        gap = v.text[v.e(x):v.s(y)]
        if gap and UNDER.match(gap) and ("隶属" in gap or "归" in gap or UNDER_AFTER.match(v.text, v.e(y))):
            v.relate(x, "subOrganizationOf", y, 0.8, "sub:prose")
        elif OVER.match(gap):
            v.relate(y, "subOrganizationOf", x, 0.8, "sub:prose")
