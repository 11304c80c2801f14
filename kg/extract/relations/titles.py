"""Reading the titles written before a name: ORG [DEPARTMENT] ROLE (、 …)* PERSON.

A title is an organisation, the department words after it and a role word
with its modifiers (江西省总工会法律工作部部长, 全总集体合同部工资协商处处长),
an honour used as a title (全国劳动模范), or a role alone (副主席) that takes
the organisation of the title before it in the chain or the list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...model import Mention
from ...read.tokenize import tag_of
from ..lexicon import Lexicon, occupation_word
from .base import SentenceView, triggers

__all__ = ["ROLE_PREFIX", "Title", "role_at", "titles_before"]

ROLE_PREFIX = re.compile(r"(?:书记处|党组|党委|党总支|党支部|纪委|常务|执行|首席|高级|专职|兼职|名誉|第一"
                         r"|一级|二级|三级|四级)*副?")
ROLE_MOD = re.compile(ROLE_PREFIX.pattern + "$")
#: Department words between an organisation and a role (集体合同部工资协商处, 职工服务中心, 选矿厂粗碎车间协力一组).
DEPARTMENT = re.compile(r"(?:[\u4e00-\u9fff\dA-Za-z]{1,12}?(?:工作部|部|处|科|室|中心|车间|分厂|厂|班|组|站|所|队|"
                        r"院|分院|分行|支行|分公司|分店|委员会|工委|办公室|办|馆|团队|工段|段|局|学院|系)){1,3}")

#: A department named without its organisation, at the head of a clause (基层部, 职工服务中心): no bodies
#: such as 法院 or 局, which are organisations the entity finder did not know.
BARE_DEPARTMENT = re.compile(r"[\u4e00-\u9fff]{1,8}?(?:工作部|部|处|科|室|中心|车间|班组|班|组)")

#: A word of trade before a job (纺织, 外卖, 一线).
TRADE = re.compile(r"[\u4e00-\u9fff]{1,4}")
#: The party committee, discipline committee or board of an enterprise, named after it.
BOARD = re.compile(r"党委|党组|党支部|党总支|纪委|董事会|监事会|经理层")

#: A name the entity finder did not know, shaped like an organisation's (省部属企事业工会): a role after it is
#: a post there, not in the organisation of the title before it.
UNKNOWN_BODY = re.compile(r"[\u4e00-\u9fff]{0,14}(?:工会|委员会|公司|集团|局|厅|委|院|中心|协会|学会|联合会"
                          r"|政府|人大|政协)")


@dataclass
class Title:
    """One title in a chain before a name."""

    start: int  #: local offset where the title begins (its organisation, else its role)
    role: str  #: the role as written, with the department words (基层部部长)
    kind: str  #: office, occupation, press, honour, or elsewhere (a post in a body not named as an entity)
    org: Mention | None = None
    dept: str = ""
    award: Mention | None = None


def post_roles(lx: Lexicon) -> dict[str, str]:
    """The lexicon's role words with the posts and jobs only relations read (常委, 调解员, 女工)."""
    key = id(lx.roles), len(lx.roles)
    cached = _ROLES.get(key)
    if cached is None:
        extra = {w: "office" for w in triggers("post_role")} | {w: "occupation" for w in triggers("job")}
        cached = _ROLES[key] = extra | lx.roles
    return cached


_ROLES: dict[tuple[int, int], dict[str, str]] = {}


def role_before(text: str, end: int, lx: Lexicon) -> tuple[int, str, str] | None:
    """A role word (with modifiers) ending at ``end``: (start, role, kind)."""
    roles = post_roles(lx)
    for size in range(min(end, 10), 1, -1):
        w = text[end - size:end]
        kind = roles.get(w)
        if kind is None:
            for k in range(1, size):  # modifiers + a known role: 常务副主席, 党组书记
                if w[k:] in roles and ROLE_MOD.fullmatch(w[:k]):
                    kind = roles[w[k:]]
                    break
        if kind is not None:
            return end - size, w, kind
    for size in (4, 3, 2):  # an occupation word not in the list: 驾驶员, 检修工, 列车长
        w = text[end - size:end] if end >= size else ""
        if len(w) == size and occupation_word(w):
            return end - size, w, "office" if w.endswith("长") else "occupation"
    return None


def roles_before(text: str, end: int, lx: Lexicon) -> list[tuple[int, str, str]]:
    """Every role word ending at ``end``, longest first (外卖骑手, then 骑手)."""
    r = role_before(text, end, lx)
    if r is None:
        return []
    out = [r]
    rs, role, _ = r
    for k in range(1, len(role) - 1):
        x = role_before(text[rs + k:end], end - rs - k, lx)
        if x is not None:
            out.append((rs + k + x[0], x[1], x[2]))
    return out


def role_at(text: str, pos: int, lx: Lexicon) -> tuple[str, str] | None:
    """The role word (with modifiers: 兼职副主席, 一级巡视员) that starts at ``pos``, and its kind."""
    m = ROLE_PREFIX.match(text, pos)
    at = m.end() if m else pos
    roles = post_roles(lx)
    for size in range(min(6, len(text) - at), 0, -1):
        kind = roles.get(text[at:at + size])
        if kind is not None:
            return text[pos:at + size], kind
    return None


def _trade(gap: str) -> bool:
    """A word of trade, not a verb or a function word (纺织女工, not 慰问骑手)."""
    return bool(TRADE.fullmatch(gap)) and tag_of(gap) in ("n", "nz", "vn", "j", "ng", "b")


def _org_before(v: SentenceView, rs: int, kind: str) -> tuple[Mention, str] | None:
    """The organisation a role starting at ``rs`` belongs to, with the department words between.

    A job may also stand after a word of its trade (五环集团实业有限公司纺织女工).
    """
    best = None
    for o in v.orgs:  # not only the outermost: 南京市实验小学|校长 overlaps 南京市实验小学校
        oe = v.e(o)
        if oe > rs or rs - oe > 16:
            continue
        gap = v.text[oe:rs]
        if gap == "的":  # 沃尔玛武汉徐东分店的总经理詹文
            gap = ""
        elif gap and not DEPARTMENT.fullmatch(gap) and not (kind == "occupation" and _trade(gap)):
            continue
        if any(x is not o and v.s(x) >= oe and v.e(x) <= rs for x in v.top_orgs):
            continue
        if best is None or oe > v.e(best[0]) or (oe == v.e(best[0]) and o.start < best[0].start):
            best = (o, gap)
    return best


def _parent_body(v: SentenceView, org: Mention) -> tuple[Mention, str]:
    """A department named with its union or state body (全总基层工作部): that body and the department words.

    The party committee or board of an enterprise (中国宝武武钢集团党委) is the enterprise's.
    """
    board = [o for o in v.orgs if o.start == org.start and o.end < org.end and o.cls == "Enterprise"
             and BOARD.fullmatch(v.text[v.e(o):v.e(org)])]
    if board:
        body = max(board, key=lambda o: o.end)
        return body, v.text[v.e(body):v.e(org)]
    if org.cls not in ("TradeUnion", "GovernmentBody", "OtherOrganization"):
        return org, ""
    inner = [o for o in v.orgs if o.start == org.start and o.end < org.end and o.cls in ("TradeUnion", "GovernmentBody")
             and DEPARTMENT.fullmatch(v.text[v.e(o):v.e(org)])]
    if not inner:
        return org, ""
    body = max(inner, key=lambda o: o.end)
    return body, v.text[v.e(body):v.e(org)]


def _title_ending_at(v: SentenceView, end: int) -> Title | None:
    award = v.ending_at(end, v.awards)
    if award is not None:
        return Title(v.s(award), award.surface, "honour", award=award)
    options = roles_before(v.text, end, v.lx)
    for rs, role, kind in options:
        found = _org_before(v, rs, kind)
        if found is not None:
            org, dept = found
            org, inner = _parent_body(v, org)
            return Title(v.s(org), inner + dept + role, kind, org=org, dept=inner + dept)
    if not options:
        return None
    rs, role, kind = options[0]
    # a department heading the clause without its organisation (，基层部二级调研员王克岩)
    head = v.clause_start(rs, "，,、；;。：:")
    dept = v.text[head:rs]
    if dept and BARE_DEPARTMENT.fullmatch(dept) and not v.inside(head, rs, v.ms):
        return Title(head, dept + role, kind, dept=dept)
    if dept and UNKNOWN_BODY.fullmatch(dept):  # 、省部属企事业工会主席: a body the entity finder did not name
        return Title(head, dept + role, "elsewhere", dept=dept)
    return Title(rs, role, kind)


def titles_before(v: SentenceView, person: Mention) -> list[Title]:
    """The chain of titles before ``person``, nearest first."""
    out: list[Title] = []
    pos = v.s(person)
    while pos > 0:
        t = _title_ending_at(v, pos)
        if t is None:
            break
        out.append(t)
        if t.start > 0 and v.text[t.start - 1] == "、":
            pos = t.start - 1
            continue
        break
    return out
