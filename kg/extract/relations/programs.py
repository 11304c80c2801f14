"""Programs: who organises them, who takes part, which workers they serve.

An organisation organises a program when it is the subject of the clause
and a verb of holding or issuing (举办, 开展, 出台 …) stands between them, or
when 由…主办 names it.  A union merely mentioned in the sentence (记者从
市总工会获悉, 参加过市总工会培训的职工) organises nothing.
"""

from __future__ import annotations

import functools
import re

from ...model import ORG_CLASSES, Mention
from .base import SentenceView, family, trigger_re, triggers

#: 此次竞赛, 该活动, 本届大赛: a reference to the program named before.
ANAPHOR = re.compile(r"(?:此次|本次|这次|该|本届|此项|这项|这份|该项)(?:[\u4e00-\u9fff]{0,4})")
#: A clause opening with a preposition has no subject there (以东风汽车集团、中国信科集团为引领, 从市总工会获悉).
PREPOSITION = re.compile(r"\s*(?:[\d年月日]+|近日|日前|目前|今年|近年来|此外|同时|记者|还|也)*"
                         r"(?:以|从|在|对|向|据|经|根据|按照|依托|通过|同|跟|与|和|给|把|将|被|受|为|随着|围绕|对于|关于)")
#: A verb that makes others act: 号召职工参加 is no taking part of the subject's.
CAUSE = re.compile(r"(?:号召|动员|组织|鼓励|引导|吸引|带领|发动|邀请|让|要求|推荐|选派|派出)[\u4e00-\u9fff]{0,8}$")
#: An outlet opening its report (中国网武汉3月4日讯, 大众网记者了解到) is not who acts.
NEWS_LEAD = re.compile(r"[\u4e00-\u9fff]{0,6}?\d{0,2}月?\d{0,2}日?(?:讯|电)|(?:首席|特约)?记者|消息|报道|客户端")
#: Between the subject and a partner: 联合, 会同, 携手, 与, 和, 、 (日前联合了).
CO_LINK = re.compile(r"(?:联合了?|会同|携手|与|和|及|、|同)")


def _passive() -> re.Pattern[str]:
    verbs = "|".join(triggers("organize"))
    return re.compile(r"由((?:[^，。；由]{2,30}?[、和及与])*[^，。；由]{2,30}?)(" + verbs + ")")


def _passive_more() -> re.Pattern[str]:
    """After 由甲主办: more organisers (、乙承办)."""
    return re.compile(r"[、，,]([^，。；、]{2,30}?)(?:" + trigger_re("passive").pattern + ")")


@family("subject", (), stage=20)
def subject(v: SentenceView) -> None:
    """The clause's acting organisation: the first one named before any verb of organising or joining."""
    acts = trigger_re("organize"), trigger_re("participate")
    for o in v.top_orgs:
        start = v.clause_start(v.s(o))
        head = v.text[start:v.s(o)]
        if any(c in v.text[:v.s(o)] for c in "；。") or any(a.search(head) for a in acts):
            return
        if not PREPOSITION.match(v.text, start, v.s(o)) and not NEWS_LEAD.match(v.text, v.e(o)):
            v.subject = o
            v.partners = _linked(v, o)
            return


def _linked(v: SentenceView, subj: Mention) -> list[Mention]:
    """The organisations linked to the subject by 联合/会同/携手/与/、 (甲联合乙、丙…)."""
    out: list[Mention] = []
    prev = v.e(subj)
    for o in v.top_orgs:
        if v.s(o) < prev:
            continue
        if not CO_LINK.fullmatch(v.text, prev, v.s(o)):
            break
        out.append(o)
        prev = v.e(o)
    return out


@family("organizes-passive", ("organizes",), examples=[
    (("广东省深圳市第十二届职工技术创新运动会暨2022年深圳技能大赛启动仪式举行。",
      "此次竞赛由深圳市总工会、市人社局主办。"),
     {(u, "organizes", p) for u in ("深圳市总工会", "深圳市人社局")
      for p in ("深圳市第十二届职工技术创新运动会", "2022年深圳技能大赛")}),
    ("近日，由拉萨市总工会主办的拉萨市首届“工匠杯”职工职业技能大赛落幕。",
     {("拉萨市总工会", "organizes", "拉萨市第一届工匠杯职工职业技能大赛")}),
    ("由成都市总工会主办、成都市交通运输工会承办的“货车司机职业技能竞赛”在成都举行。",
     {("成都市总工会", "organizes", "“货车司机职业技能竞赛”"),
      ("成都市交通运输工会", "organizes", "“货车司机职业技能竞赛”"),
      ("“货车司机职业技能竞赛”", "benefits", "货车司机")}),
    ("由江苏省总工会主办，江苏省电力工会承办，南通港务集团有限公司协办的2023年江苏电力职工技能大赛落幕。",
     {("江苏省总工会", "organizes", "2023年江苏电力职工技能大赛"),
      ("江苏省电力工会", "organizes", "2023年江苏电力职工技能大赛"),
      ("南通港务集团有限公司", "participatesIn", "2023年江苏电力职工技能大赛")}),
])
def organizes_passive(v: SentenceView) -> None:
    """由甲、乙主办 (the program before, after 的, or the one the article named last)."""
    passive = _passive().search(v.text)
    if not passive:
        return
    organizers = v.inside(passive.start(1), passive.end(1), v.top_orgs)
    targets = [p for p in v.programs if v.e(p) <= passive.start()]
    tail = re.compile(r"(?:" + _passive_more().pattern + r")*的").match(v.text, passive.end())
    helpers: list[Mention] = []
    if not targets and tail:  # 由甲主办、乙承办的“P”: the program follows, after more organisers
        after = v.program_after(tail.end())
        targets = [after] if after is not None else []
        if targets:
            for seg in _passive_more().finditer(v.text, passive.end(), tail.end()):
                named = v.inside(seg.start(1), seg.end(1), v.top_orgs)
                (helpers if seg.group().endswith("协办") else organizers).extend(named)
    if not targets and ANAPHOR.search(v.text[:passive.start()]):
        targets = list(v.state.last_programs)
    for prog in targets:
        for o in organizers:
            v.relate(o, "organizes", prog, 0.85, "organizes:passive")
        for o in helpers:  # 协办: a co-sponsor takes part
            v.relate(o, "participatesIn", prog, 0.75, "participatesIn:协办")


def _acting(v: SentenceView, subj: Mention, prog: Mention) -> bool:
    """Whether another organisation acting between the subject and the program takes over."""
    verbs = triggers("organize") + triggers("participate")
    return any(v.e(subj) <= v.s(o) and v.e(o) <= v.s(prog) and o.cls == subj.cls
               and v.text[v.e(o):v.e(o) + 2] in verbs for o in v.top_orgs if o is not subj)


@family("organizes-subject", ("organizes", "participatesIn"), examples=[
    ("哈尔滨市总工会出台《全市工会深度参与经济工作工作方案》。",
     {("哈尔滨市总工会", "organizes", "全市工会深度参与经济工作工作方案")}),
    ("北京市总工会围绕“十百千”建会专项行动开展工作。", {("北京市总工会", "organizes", "“十百千”建会专项行动")}),
    ("宜昌市爱奔物流园召开职代会，签订了湖北省货运物流行业第一份集体合同，共惠及货车司机6800多名。",
     {("宜昌市爱奔物流园", "participatesIn", "湖北省货运物流行业第一份集体合同"),
      ("湖北省货运物流行业第一份集体合同", "benefits", "货车司机")}),
    ("江苏省总工会、江苏省人社厅、江苏省教育厅共同举办2023年江苏技能大赛。",
     {("江苏省总工会", "organizes", "2023年江苏技能大赛"), ("江苏省人社厅", "organizes", "2023年江苏技能大赛"),
      ("江苏省教育厅", "organizes", "2023年江苏技能大赛")}),
    ("广东省总工会、省人力资源和社会保障厅日前联合印发《广东省技能人才培养行动计划》。",
     {("广东省总工会", "organizes", "广东省技能人才培养行动计划"),
      ("广东省人力资源和社会保障厅", "organizes", "广东省技能人才培养行动计划")}),
    # negative: partners named as whose officials attend organise nothing
    ("江苏省总工会、江苏省人社厅和江苏省教育厅的负责人出席2023年江苏技能大赛。", set()),
    # negative: a union merely mentioned organises nothing
    ("记者从北京市总工会获悉，2023年北京市职工运动会即将开幕。", set()),
    ("参加过深圳市总工会培训的职工表示，2022年深圳技能大赛很有意义。", set()),
    ("以南通港务集团有限公司等龙头企业为引领，组织职工开展2023年南通技能大赛。", set()),
    # negative: an outlet opening its report does not act
    ("新华网南京3月4日讯 2023年江苏技能大赛启动大会召开。", set()),
])
def organizes_subject(v: SentenceView) -> None:
    """SUBJECT … 举办/开展/签订 … PROGRAM, with partners linked by 联合/会同/与/、 before the verb."""
    subj = v.subject
    if subj is None or subj.cls not in ORG_CLASSES or _passive().search(v.text):
        return
    org_re, part_re = trigger_re("organize"), trigger_re("participate")
    for prog in v.programs:
        seg = v.text[v.e(subj):v.s(prog)] if v.e(subj) <= v.s(prog) else ""
        if not seg and v.e(subj) > v.s(prog) or any(c in seg for c in "。；") or _acting(v, subj, prog):
            continue
        orgs = [(m.start(), m.group()) for m in org_re.finditer(seg)]
        parts = [(m.start(), m.group()) for m in part_re.finditer(seg)]
        if parts and (not orgs or parts[-1][0] > orgs[-1][0]):
            if not CAUSE.search(seg, 0, parts[-1][0]):  # 号召职工参加: others take part
                v.relate(subj, "participatesIn", prog, 0.8, "participatesIn:subject")
        elif orgs:
            v.relate(subj, "organizes", prog, 0.8, "organizes:subject")
            _partners(v, subj, prog)


def _partners(v: SentenceView, subj: Mention, prog: Mention) -> None:
    """Co-organisers linked to the subject: 甲联合乙举办…, 甲会同乙开展…, 甲、乙、丙日前联合印发….

    An enterprise a union works with (菏泽市总工会联合市邮政公司…推出服务卡) takes part; it does not organise.
    """
    prev_end = v.e(subj)
    for o in v.top_orgs:
        os_, oe = v.local(o)
        if o is subj or not (prev_end <= os_ and oe <= v.s(prog)):
            continue
        link = CO_LINK.fullmatch(v.text[prev_end:os_])
        if link is None:
            break
        prev_end = oe
        if o.cls == "Enterprise":
            v.relate(o, "participatesIn", prog, 0.7, "participatesIn:partner")
        else:
            v.relate(o, "organizes", prog, 0.75, "organizes:partner")


#: A clause that acts without naming who (并启动…, 此外，与省科技厅…联合开展…): the last subject acts.
ELIDED_HEAD = (r"\s*(?:此外|同时|随后|并|还|又|也|现场|活动中|期间)*[，,]?\s*"
               r"(?:与(?P<partners>[^，,。；;]{2,40}?)(?:联合|共同|一起|携手))?")


@functools.cache
def _elided() -> re.Pattern[str]:
    return re.compile(ELIDED_HEAD + "(?:" + trigger_re("organize").pattern + ")了?")


@family("organizes-elided", ("organizes",), stage=60, examples=[
    (("东台市总工会联合东台市人社局在物流园挂牌“骑手驿站”。", "现场为骑手录入信息，并启动2023年东台市暖冬行动。"),
     {(u, "organizes", p) for u in ("东台市总工会", "东台市人社局") for p in ("骑手驿站", "2023年东台市暖冬行动")}
     | {("2023年东台市暖冬行动", "benefits", "外卖送餐员")}),
    (("东台市总工会开展培训。", "此外，与东台市人社局联合开展2023年东台市职工技能竞赛。"),
     {(u, "organizes", "2023年东台市职工技能竞赛") for u in ("东台市总工会", "东台市人社局")}),
])
def organizes_elided(v: SentenceView) -> None:
    """A clause that organises a program without naming who: the subject of the sentence before, and
    its partners or those named with 与 in the clause."""
    subj = v.state.last_subject
    if v.subject is not None or subj is None or any(r.rel == "organizes" for r in v.rels):
        return
    for prog in v.programs:
        m = _elided().match(v.text, v.clause_start(v.s(prog)), v.s(prog))
        if m is None or v.program_after(m.end()) is not prog:
            continue
        named = v.inside(m.start("partners"), m.end("partners"), v.top_orgs) if m.group("partners") else []
        others = [o for o in v.ms if v.s(o) < v.s(prog) and o.cls in ("Place", "Person", *ORG_CLASSES)
                  and not any(n.start <= o.start and o.end <= n.end for n in named)]
        if others:
            continue  # someone or some place is named acting (城阳区持续…，开展…): not this family's
        for o in [subj, *(named or v.state.last_partners)]:
            v.relate(o, "organizes", prog, 0.65, "organizes:elided")


@family("organizes-possessive", ("organizes",), examples=[
    ("根据苏州市总工会《关于开展职工技能竞赛的通知》，吴江区总工会开展竞赛。",
     {("苏州市总工会", "organizes", "关于开展职工技能竞赛的通知")}),
    ("根据全总、浙江省总工会“暖心礼包”活动安排，市总工会发放礼包。",
     {(u, "organizes", "浙江省总工会“暖心礼包”活动") for u in ("全国总工会", "浙江省总工会")}),
])
def organizes_possessive(v: SentenceView) -> None:
    """ORG(、ORG)*《P》 or ORG“P”: the program or document is the organisation's (the program's mention
    may hold the owner's name: 浙江省总工会“暖心礼包”活动)."""
    for prog in v.programs:
        owner = _owner(v, prog)
        if owner is None:
            continue
        listed = [owner]
        while True:  # 全总、省总“…”: every owner listed
            at = v.s(listed[-1])
            before = v.ending_at(at - 1, v.top_orgs) if v.text[at - 1:at] in ("、", "和", "与") else None
            if before is None:
                break
            listed.append(before)
        for o in listed:
            v.relate(o, "organizes", prog, 0.7, "organizes:possessive")


def _owner(v: SentenceView, prog: Mention) -> Mention | None:
    """The organisation named right before a program's quoted or titled name (or with 的)."""
    ps = v.s(prog)
    inside = next((o for o in v.orgs if v.s(o) == ps and v.e(o) < v.e(prog) and v.text[v.e(o)] in "“《\"「"), None)
    if inside is not None:
        return inside
    owner = v.ending_at(ps, v.top_orgs) or v.ending_at(ps - 1, v.top_orgs) if ps > 0 else None
    if owner is None or (v.e(owner) < ps and v.text[v.e(owner)] not in "的“《\"「"):
        return None  # right before the name, or before its opening quote, or with 的
    if not v.text.startswith(("《", "“", "\"", "「"), ps) and v.e(owner) == ps:
        return None
    return owner


@family("organizes-issuer", ("organizes",), examples=[
    ("大会宣读了《中共江苏省委江苏省人民政府关于表彰江苏省劳动模范的决定》。",
     {("中共江苏省委", "organizes", "中共江苏省委江苏省人民政府关于表彰江苏省劳动模范的决定"),
      ("江苏省人民政府", "organizes", "中共江苏省委江苏省人民政府关于表彰江苏省劳动模范的决定")}),
])
def organizes_issuer(v: SentenceView) -> None:
    """《ORG(、ORG)*关于…》: a document names its issuers before 关于."""
    for prog in v.programs:
        pos = v.s(prog) + (1 if v.text[v.s(prog)] in "《“" else 0)
        issuers = []
        while True:
            o = v.starting_at(pos, [x for x in v.orgs if v.e(x) <= v.e(prog)])
            if o is None:
                break
            issuers.append(o)
            pos = v.e(o) + (1 if v.text[v.e(o):v.e(o) + 1] in ("、", "和") else 0)
        if issuers and v.text.startswith(("关于", "联合"), pos):
            for o in issuers:
                v.relate(o, "organizes", prog, 0.85, "organizes:issuer")


#: ORG (去年/日前…) 举办/下发 (了)的 P: a relative clause names the program's organiser.
RELATIVE_GAP = re.compile(r"(?:去年|今年|前年|近日|日前|近年来|此前|曾|已|先后|\d{4}年|\d{1,2}月|共同|联合|专门|精心)*")


@family("organizes-relative", ("organizes",), examples=[
    ("技师李明参加完苏州市总工会举办的2023年苏州市职工运动会后说，很开心。",
     {("苏州市总工会", "organizes", "2023年苏州市职工运动会")}),
    ("全总去年下发的《关于加强工会经费管理的意见》明确了目标。",
     {("全国总工会", "organizes", "关于加强工会经费管理的意见")}),
    # negative: the union is where the program is announced, not who holds it
    ("记者从苏州市总工会举办的发布会上获悉，2023年苏州技能大赛将开幕。", set()),
])
def organizes_relative(v: SentenceView) -> None:
    """ORG [when] VERB 的 PROGRAM, the verb one of holding or issuing."""
    rel = re.compile(RELATIVE_GAP.pattern + "(?:" + trigger_re("organize").pattern + ")了?的")
    for o in v.top_orgs:
        m = rel.match(v.text, v.e(o))
        prog = v.program_after(m.end()) if m else None
        if prog is not None and v.clause_start(v.s(prog)) <= v.s(o):
            v.relate(o, "organizes", prog, 0.8, "organizes:relative")


#: 在ORG的组织下: the program that follows in the clause is the organisation's.
UNDER_AFTER = re.compile(r"的?(?:组织|领导|指导|牵头|统筹|主导|推动)下")


@family("organizes-under", ("organizes",), examples=[
    ("近日，在江都区总工会的组织下，2023年江都区职工技能大赛开幕。",
     {("江都区总工会", "organizes", "2023年江都区职工技能大赛")}),
])
def organizes_under(v: SentenceView) -> None:
    """在 ORG 的组织/指导/牵头下, PROGRAM …."""
    for o in v.top_orgs:
        m = UNDER_AFTER.match(v.text, v.e(o))
        if m is None or not v.text[:v.s(o)].endswith("在"):
            continue
        end = v.clause_end(v.clause_end(m.end()) + 1)
        for prog in v.inside(m.end(), end, v.programs):
            v.relate(o, "organizes", prog, 0.75, "organizes:under")
