"""Taking part: who signs an agreement, enters a competition, joins a campaign.

Signing parties all take part (甲与乙、丙签订《协议》); so do the units and
people listed before 参加/参与/参赛, the program named or, for a bare 竞赛/活动,
the one the article is about; an enterprise takes part in the contract that
bears its name; the winners of the article's competition took part in it.
"""

from __future__ import annotations

import re

from ...model import Mention
from .base import ArticleView, SentenceView, family, trigger_re

#: Between two parties that sign together: 近年来相继与, 、, 和.
PARTY_LINK = re.compile(r"(?:近年来|近日|日前|先后|相继|分别|共同|正式|已经|已)*(?:与|和|同|跟|及|、)")
#: Between the last party and the verb: 双方, 正式, 共同.
PARTY_TAIL = re.compile(r"(?:双方|三方|各方|共同|正式|现场|当场|成功|日前|近日)*")
SIGN = re.compile(r"(?:签订|签署|达成|续签|签下|共签)(?:了)?(?:的)?")
#: After the listed entrants: a count and the people they send (等20余家单位职工, 的7个创新成果).
ENTRANT_TAIL = re.compile(r"(?:等)?(?:[\d一二三四五六七八九十百余多]+(?:家|个|名|位|支)?)?"
                          r"(?:单位|企业|公司|代表队|队伍)?(?:的)?(?:职工|代表|选手|员工|队员|推荐的[^，,。；;]{0,8})?"
                          r"(?:共同|积极|踊跃|先后|纷纷|报名)?$")
#: Between two listed entrants: a link, and perhaps the head of a name the entity finder cut short
#: (…联合工会和威海美年大健康|体检中心经区旗舰店).
LIST_LINK = re.compile(r"(?:、|和|及|以及|与)[\u4e00-\u9fff]{0,8}")
#: After the last entrant found: nothing, or one or two more listed names (、贵州金元).
LAST_ITEM = re.compile(r"(?:(?:、|和|及|以及|与)[^，,、。；;：:“”和]{1,18}){0,2}")
JOIN = re.compile(r"(?:参加|参与|参赛|角逐|报名参加|参加了|参与了)")
#: A bare noun after 参加 that stands for the program the article is about.
BARE_PROGRAM = re.compile(r"(?:本次|此次|本届|该|这次)?(?:竞赛|比赛|大赛|活动|决赛|评选|赛事|角逐|初赛|复赛)")


def _parties(v: SentenceView, at: int) -> list[Mention]:
    """The organisations listed right before local ``at`` and linked by 与/和/、."""
    start = v.clause_start(at)
    orgs = [o for o in v.top_orgs if start <= v.s(o) and v.e(o) <= at]
    if not orgs or not PARTY_TAIL.fullmatch(v.text, v.e(orgs[-1]), at):
        return []
    return _chain(v, orgs, PARTY_LINK)


def _chain(v: SentenceView, items: list[Mention], link: re.Pattern[str]) -> list[Mention]:
    """The last of ``items`` and those before it, each linked to the next by ``link``."""
    out = [items[-1]]
    for m in reversed(items[:-1]):
        if not link.fullmatch(v.text, v.e(m), v.s(out[-1])):
            break
        out.append(m)
    return out


@family("participates-signing", ("participatesIn",), examples=[
    ("苏州市总工会近年来相继与南通市总工会、无锡市总工会签订《工会交流合作协议》。",
     {(u, "participatesIn", "工会交流合作协议") for u in ("苏州市总工会", "南通市总工会", "无锡市总工会")}),
])
def participates_signing(v: SentenceView) -> None:
    """PARTY (与 PARTY)* 签订/签署/达成 (的) AGREEMENT."""
    for prog in v.programs:
        m = next((m for m in SIGN.finditer(v.text, max(0, v.s(prog) - 6), v.s(prog)) if m.end() == v.s(prog)), None)
        if m is None:
            continue
        for o in _parties(v, m.start()):
            v.relate(o, "participatesIn", prog, 0.8, "participatesIn:signing")


def _entrants(v: SentenceView, at: int) -> list[Mention]:
    """The organisations and persons listed before local ``at`` (a verb of taking part).

    The last one listed may be a name the entity finder did not know (…、乙公司以及贵州金元等20余家单位).
    """
    start = v.clause_start(at)
    tail = ENTRANT_TAIL.search(v.text, start, at)
    pos = tail.start() if tail else at
    cands = sorted((m for m in v.top_orgs + v.persons if start <= v.s(m) and v.e(m) <= pos), key=lambda m: m.start)
    if not cands or not LAST_ITEM.fullmatch(v.text, v.e(cands[-1]), pos):
        return []
    return _chain(v, cands, LIST_LINK)


@family("participates-join", ("participatesIn",), examples=[
    ("苏州华丰机械有限公司、南通港务集团有限公司等20余家单位职工参加2023年江苏技能大赛。",
     {("苏州华丰机械有限公司", "participatesIn", "2023年江苏技能大赛"),
      ("南通港务集团有限公司", "participatesIn", "2023年江苏技能大赛")}),
    (("2023年江苏技能大赛在南京开幕。", "苏州华丰机械有限公司、南通港务集团有限公司等20余家单位参加竞赛。"),
     {("苏州华丰机械有限公司", "participatesIn", "2023年江苏技能大赛"),
      ("南通港务集团有限公司", "participatesIn", "2023年江苏技能大赛")}),
    # negative: who calls on others to take part does not take part
    ("苏州市总工会号召职工参加2023年江苏技能大赛。", set()),
])
def participates_join(v: SentenceView) -> None:
    """ENTRANT(、ENTRANT)* (等N家单位职工) 参加/参与/参赛 PROGRAM (or 竞赛/活动: the article's)."""
    for m in JOIN.finditer(v.text):
        after = v.starting_at(m.end(), v.programs)
        if after is None and BARE_PROGRAM.match(v.text, m.end()):
            after = v.state.main_program()
        if after is None:
            continue
        for e in _entrants(v, m.start()):
            v.relate(e, "participatesIn", after, 0.75, "participatesIn:join")


#: Between the hosts listed and the program they host: 等6家新设立的.
HOSTED = re.compile(r"等[\d一二三四五六七八九十百余多]*(?:家|个)[\u4e00-\u9fff]{0,6}?的")


@family("participates-hosts", ("participatesIn",), examples=[
    ("东台市总工会为华丰机械有限公司、东台港务有限公司等2家新设立的“爱心母婴小屋”配齐设施。",
     {(u, "participatesIn", "“爱心母婴小屋”") for u in ("华丰机械有限公司", "东台港务有限公司")}
     | {("东台市总工会", "organizes", "“爱心母婴小屋”")}),
])
def participates_hosts(v: SentenceView) -> None:
    """UNIT(、UNIT)* 等N家…的 PROGRAM: the units listed host the program."""
    for m in HOSTED.finditer(v.text):
        prog = v.program_after(m.end())
        if prog is None:
            continue
        listed = [o for o in v.top_orgs if v.clause_start(m.start()) <= v.s(o) and v.e(o) <= m.start()]
        if listed and LAST_ITEM.fullmatch(v.text, v.e(listed[-1]), m.start()):
            for o in _chain(v, listed, LIST_LINK):
                v.relate(o, "participatesIn", prog, 0.7, "participatesIn:host")


#: The kinds of program an enterprise is a party to when its name opens the program's.
AGREEMENT = re.compile(r"(?:合同|协议|专项协议|协议书|集体合同)$")


@family("participates-own-agreement", ("participatesIn",), scope="article", examples=[
    (("华丰机械有限公司召开职代会。", "会议表决通过了《华丰机械有限公司集体合同》。"),
     {("华丰机械有限公司", "participatesIn", "华丰机械有限公司集体合同")}),
])
def participates_own_agreement(a: ArticleView) -> None:
    """An agreement named after an enterprise of the article (《某公司集体合同》): the enterprise is a party."""
    firms = {m.canonical or m.key: m for m in a.result.mentions if m.cls == "Enterprise"}
    for p in a.result.mentions:
        name = (p.canonical or p.key).strip("《》“”\"")
        if p.cls != "Program" or not AGREEMENT.search(name):
            continue
        owner = max((f for k, f in firms.items() if name.startswith(k) and len(name) > len(k)),
                    key=lambda f: len(f.canonical or f.key), default=None)
        if owner is not None:
            a.relate(owner, "participatesIn", p, p.sentence, 0.75, "participatesIn:own-agreement")


#: A prize of a competition (金奖, 一等奖, 第一名): who wins one took part.
PRIZE = re.compile(r"(?:金奖|银奖|铜奖|[一二三特]等奖|优秀奖|第[一二三]名|冠军|亚军|季军|前三名"
                   r"|最佳[\u4e00-\u9fff]{0,4}奖)")
COMPETITION = re.compile(r"(?:赛|竞赛|比赛|评选|运动会|评比|选拔)")


@family("participates-winners", ("participatesIn",), scope="article", examples=[
    (("2023年南通市职工技能大赛落幕。", "获得金奖的选手包括技师王强和技师李芳。"),
     {("王强", "participatesIn", "2023年南通市职工技能大赛"), ("李芳", "participatesIn", "2023年南通市职工技能大赛")}),
])
def participates_winners(a: ArticleView) -> None:
    """Persons named in a sentence about the prizes of the article's competition took part in it."""
    main = a.state.main_program()
    if main is None or not COMPETITION.search(main.canonical or main.key):
        return
    for m in a.result.mentions:
        if m.cls == "Person" and m.sentence.index >= 0 and PRIZE.search(m.sentence.text) \
                and not trigger_re("nominee").search(m.sentence.text):
            a.relate(m, "participatesIn", main, m.sentence, 0.6, "participatesIn:winner")
