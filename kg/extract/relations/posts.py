"""Posts and jobs: who holds which post where, who works for whom.

Titles before a name give posts in unions and state bodies and jobs in
enterprises (see :mod:`.titles`); elections and appointments give posts
after the name (李秀英当选成都市总工会兼职副主席, 由王五担任…主席); a title in
brackets after the name (王五（杭州市总工会主席）) and a copula (杭州市总工会主席是王五)
give the same.
"""

from __future__ import annotations

import re

from ...model import Mention
from .base import SentenceView, family, trigger_re
from .titles import Title, role_at, role_before, titles_before

__all__ = ["top_unit"]

#: A person elected or appointed to a post: 李秀英当选成都市总工会兼职副主席.
ELECTED = re.compile(r"(?:同志)?(?:已|正式|光荣|高票|全票)?(?:当选为?|担任|出任|被任命为|被选举为|任|为)")
#: Units of an enterprise that have posts of their own (a plant, a branch, a workshop, a team).
UNIT = re.compile(r"厂|分院|分行|支行|分公司|分店|车间|班|组|站|所|队|中心|院|工段")
#: Ordinal words between an organisation and the role it elects (第十四届委员会委员, 首届主席).
TERM = re.compile(r"(?:第[一二三四五六七八九十百\d]+届|首届|新一届)?(?:委员会|工会委员会|经审委员会)?")


def top_unit(org: Mention, v: SentenceView) -> Mention:
    """The enterprise or institution a unit belongs to (中国航天科技集团有限公司 in …第五研究院529厂)."""
    nested = [o for o in v.orgs if o.start == org.start and o.cls in ("Enterprise", "OtherOrganization")
              and o.end < org.end]
    return min(nested, key=lambda o: o.end) if nested else org


def _is_platform_worker(org: Mention, t: Title) -> bool:
    return bool(trigger_re("platform").fullmatch(org.canonical or org.key)) and bool(
        trigger_re("platform_work").search(t.role))


def _apply(v: SentenceView, p: Mention, t: Title, roles: list[Title]) -> None:
    """The statements one title with an organisation makes about ``p`` (``roles`` share its organisation)."""
    org = t.org
    assert org is not None
    if org.cls in ("TradeUnion", "GovernmentBody"):
        for r in roles:
            if r.kind == "office":
                v.post(p, org, r.role, 0.9, "post:title")
        return
    if t.kind == "press" and org.cls == "OtherOrganization":
        v.post(p, org, t.role, 0.9, "post:press-title")
        at = v.s(org) - 1  # 工人日报-中工网记者: a paper and its site, the reporter is both's
        partner = v.ending_at(at, v.top_orgs) if at > 0 and v.text[at] in "-—－" else None
        if partner is not None and partner.cls == "OtherOrganization":
            v.post(p, partner, t.role, 0.85, "post:press-title")
        return
    if t.kind == "occupation" and "平台" in t.dept:
        return  # 美团平台骑手: works through the platform, which the text does not say employs them
    if t.kind == "occupation" and _is_platform_worker(org, t):
        v.relate(p, "employedBy", top_unit(org, v), 0.7, "employedBy:platform-title")
    elif t.dept or t.kind == "occupation":  # a job in the enterprise or in one of its units
        v.relate(p, "employedBy", top_unit(org, v), 0.85, "employedBy:title")
    elif t.kind == "office":  # an officer of the enterprise, and so (less often said) its employee
        v.relate(p, "employedBy", top_unit(org, v), 0.5, "employedBy:office-title")
    if t.dept and UNIT.search(t.dept):
        return  # a post in a unit of the enterprise (选矿厂粗碎车间, 兰州新区分院): not in the enterprise
    for r in roles:
        if r.kind == "office":
            v.post(p, org, r.role, 0.8 if t.dept else 0.85, "post:title")


def _statements(v: SentenceView, p: Mention, chain: list[Title]) -> bool:
    """Posts, jobs and honours of one chain of titles; True when an organisation was found."""
    pending: list[Title] = []
    found = False
    for t in chain:
        if t.award is not None:
            v.relate(p, "receivedAward", t.award, 0.75, "award:title")
            continue
        if t.org is not None:
            _apply(v, p, t, [t, *pending])
            pending, found = [], True
        elif t.kind == "office":
            pending.append(t)
        else:
            pending = []
    return found


@family("titles", ("holdsPost", "employedBy", "receivedAward"), examples=[
    ("哈尔滨市人大常委会副主任、市总工会主席林艳秋提出要求。",
     {("林艳秋", "holds:副主任", "哈尔滨市人大常委会"), ("林艳秋", "holds:主席", "哈尔滨市总工会")}),
    ("衡阳市总工会党组书记、常务副主席段志阳介绍。",
     {("段志阳", "holds:党组书记", "衡阳市总工会"), ("段志阳", "holds:常务副主席", "衡阳市总工会")}),
    ("全总副主席、书记处书记谭天星主持座谈会。",
     {("谭天星", "holds:副主席", "全国总工会"), ("谭天星", "holds:书记处书记", "全国总工会")}),
    ("成都市总工会副主席、一级巡视员刘志强表示，将加强服务。",
     {("刘志强", "holds:副主席", "成都市总工会"), ("刘志强", "holds:一级巡视员", "成都市总工会")}),
    ("美团外卖骑手徐昌顺骑着电瓶车来到餐饮店。", {("徐昌顺", "employedBy", "美团")}),
    # negative: a rider who works through a platform is not said to be employed by it
    ("美团平台骑手张三骑着电瓶车来到餐饮店。", set()),
    # department words between the organisation and the role
    ("南京市总工会职工服务中心副主任王立新出席。", {("王立新", "holds:职工服务中心副主任", "南京市总工会")}),
    ("江苏华丰机械有限公司装配车间副主任吴刚获奖。", {("吴刚", "employedBy", "江苏华丰机械有限公司")}),
    ("华丰机械有限公司的总经理李明说，订单增加了。",
     {("李明", "holds:总经理", "华丰机械有限公司"), ("李明", "employedBy", "华丰机械有限公司")}),
    # an officer of an enterprise, and of its party committee
    ("南通港务集团有限公司党委书记、董事长周平讲话。",
     {("周平", "holds:党委书记", "南通港务集团有限公司"), ("周平", "holds:董事长", "南通港务集团有限公司"),
      ("周平", "employedBy", "南通港务集团有限公司")}),
    # a role alone takes the organisation of the title before it in the list
    ("苏州市总工会常务副主席赵明、副主席钱亮陪同。",
     {("赵明", "holds:常务副主席", "苏州市总工会"), ("钱亮", "holds:副主席", "苏州市总工会")}),
    # a post in a body the entity finder did not name stays there; the chain goes on before it
    ("苏州市总工会常委、市属企业工会主席赵明出席。", {("赵明", "holds:常委", "苏州市总工会")}),
    ("华丰机械有限公司职工李明、东台镇卫生院职工王芳受到慰问。",
     {("李明", "employedBy", "华丰机械有限公司"), ("王芳", "employedBy", "东台镇卫生院")}),
    # a reporter of a paper and its site
    ("工人日报-中工网记者李明报道。", {("李明", "holds:记者", "工人日报"), ("李明", "holds:记者", "中工网")}),
    # negative: a person doing something for a union holds no post there
    ("李四为杭州市总工会的发展作出贡献。", set()),
])
def titles(v: SentenceView) -> None:
    """ORG [DEPT] ROLE (、 …)* PERSON; a role alone borrows from the previous title of the list."""
    last: tuple[Mention, list[Title]] | None = None
    for p in v.persons:
        chain = titles_before(v, p)
        found = _statements(v, p, chain)
        start = chain[-1].start if chain else v.s(p)
        listed = last is not None and v.text[v.e(last[0]):start] in ("、", "，", ",", "和", "及")
        if not found and listed and last is not None:
            _inherit(v, p, chain, last)
        if chain and (found or not listed):
            last = (p, chain)
        elif not listed:
            last = None


def _inherit(v: SentenceView, p: Mention, chain: list[Title], last: tuple[Mention, list[Title]]) -> None:
    """A title without its organisation in a list (…常务副主席方志红、副主席万强): the previous one's."""
    prev_org = next((t for t in last[1] if t.org is not None), None)
    if prev_org is None or any(t.kind == "elsewhere" for t in chain):
        return  # nothing to borrow, or the titles name a body of their own (、木石镇卫生院职工袁晓露)
    if chain:
        roles = [t for t in chain if t.award is None]
        if roles:
            _apply(v, p, Title(roles[-1].start, roles[0].role, roles[0].kind, prev_org.org, roles[0].dept or
                               prev_org.dept), roles)
        return
    if v.text[v.e(last[0]):v.s(p)] == "、":  # 副经理王亮、侯祯: the same title
        _statements(v, p, last[1])


@family("elected", ("holdsPost", "employedBy"), examples=[
    ("会议选举王五担任杭州市总工会主席。", {("王五", "holds:主席", "杭州市总工会")}),
    ("王东明出任全国总工会党组书记。", {("王东明", "holds:党组书记", "全国总工会")}),
    ("四川省劳动模范李秀英当选成都市总工会兼职副主席。",
     {("李秀英", "receivedAward", "四川省劳动模范"), ("李秀英", "holds:兼职副主席", "成都市总工会")}),
    ("刘洋同志当选为宁波市总工会第十六届委员会委员。", {("刘洋", "holds:委员", "宁波市总工会")}),
])
def elected(v: SentenceView) -> None:
    """PERSON 当选/担任/出任 ORG ROLE."""
    for p in v.persons:
        m = ELECTED.match(v.text, v.e(p))
        if m is None:
            continue
        org = v.starting_at(m.end(), v.top_orgs)
        if org is None:
            continue
        term = TERM.match(v.text, v.e(org))
        role = role_at(v.text, term.end(), v.lx)
        if role is None:
            continue
        word, kind = role
        if org.cls in ("Enterprise", "OtherOrganization"):
            unit = top_unit(org, v)
            v.relate(p, "employedBy", unit, 0.8, "employedBy:elected")
            if unit is not org:
                continue  # a post in a unit of the institution (…大学机械学院副院长)
        if kind == "office":
            v.post(p, org, word, 0.85, "post:elected")


#: After the name in 主席由王五担任.
APPOINTED = re.compile(r"(?:同志)?(?:担任|出任|兼任)")


@family("post-copula", ("holdsPost",), examples=[
    ("选举结果揭晓，东台市总工会主席由技师李明担任。", {("李明", "holds:主席", "东台市总工会")}),
    ("目前温州市总工会主席是温州市人大常委会副主任陈立。",
     {("陈立", "holds:主席", "温州市总工会"), ("陈立", "holds:副主任", "温州市人大常委会")}),
])
def post_copula(v: SentenceView) -> None:
    """ORG ROLE 是 PERSON (or 由 PERSON 担任), and a following ，ROLE 是 PERSON of the same organisation."""
    org: Mention | None = None
    for p in v.persons:
        chain = titles_before(v, p)
        k = (chain[-1].start if chain else v.s(p)) - 1
        if k >= 1 and v.text[k] == "由" and APPOINTED.match(v.text, v.e(p)):
            pass  # 杭州市总工会主席由王五担任
        elif k < 1 or v.text[k] != "是":
            continue
        role = role_before(v.text, k, v.lx)
        if role is None or role[2] != "office":
            continue
        rs, word, _ = role
        named = v.ending_at(rs, v.top_orgs)
        if named is not None:
            org = named
        elif v.text[rs - 1:rs] not in ("，", ","):
            continue
        if org is not None:
            v.post(p, org, word, 0.8, "post:copula")


@family("post-bracket", ("holdsPost",), examples=[
    ("技师王五（杭州市总工会兼职副主席）介绍经验。", {("王五", "holds:兼职副主席", "杭州市总工会")}),
])
def post_bracket(v: SentenceView) -> None:
    """PERSON（ORG ROLE）: the title in brackets after the name."""
    for p in v.persons:
        at = v.e(p)
        if v.text[at:at + 1] not in ("（", "("):
            continue
        org = v.starting_at(at + 1, v.top_orgs)
        if org is None:
            continue
        role = role_at(v.text, v.e(org), v.lx)
        if role is not None and role[1] == "office" and v.text[v.e(org) + len(role[0]):][:1] in ("）", ")"):
            v.post(p, org, role[0], 0.85, "post:bracket")


#: An organisation sending its people: 由台前县总工会委派两位劳动争议调解员…
DISPATCH = re.compile(r"(?:委派|选派|派出|指派|安排|派驻)(?:了)?(?:[\d一二三四五六七八九十两]+(?:位|名|个))?")


@family("post-dispatch", ("holdsPost",), examples=[
    ("宿迁市总工会委派两位劳动争议调解员李芳、王强进行诉前调解。",
     {("李芳", "holds:劳动争议调解员", "宿迁市总工会"), ("王强", "holds:劳动争议调解员", "宿迁市总工会")}),
])
def post_dispatch(v: SentenceView) -> None:
    """ORG 委派/选派 (N位) ROLE PERSON(、PERSON)*: the people sent hold that post in the organisation."""
    for o in v.top_orgs:
        m = DISPATCH.match(v.text, v.e(o))
        if m is None or o.cls not in ("TradeUnion", "GovernmentBody"):
            continue
        people = []
        for p in v.persons:
            if v.s(p) < m.end():
                continue
            chain = titles_before(v, p)
            if not people and chain and chain[-1].start == m.end() and chain[0].kind == "office":
                people.append((p, chain[0].role))
            elif people and v.text[v.e(people[-1][0]):v.s(p)] in ("、", "和", "及"):
                people.append((p, people[-1][1]))
        for p, role in people:
            v.post(p, o, role, 0.8, "post:dispatch")
