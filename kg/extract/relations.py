"""Relations, posts and figures between the mentions of a sentence.

Patterns, each a construction of news Chinese rather than a string:

* appositive titles before a name, chained with 、 (哈尔滨市人大常委会副主任、市总工会主席林艳秋
  → two posts; 衡阳市总工会党组书记、常务副主席段志阳 → both roles in one union);
  a job in an enterprise (美团外卖骑手徐昌顺, …529厂的郑兴) → employedBy;
* a subject organisation and a trigger verb before a program (出台, 主办, 开展 …)
  → organizes; the passive 由 A、B 主办 with an anaphoric subject (此次竞赛)
  → every program the article named last;
* 签订/参加/参与 a program → participatesIn; a program and 惠及/面向/帮助 a worker
  group, or a worker group inside the program's name → benefits;
* 成立工会 after an enterprise → establishedUnion; 荣获/被授予/获得者 → receivedAward;
* 加入工会 → memberOf the union the article is about.

A union that is merely named in a sentence about a program organizes nothing:
the organisation must be the clause's subject, before the trigger.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import ORG_CLASSES, Mention, PostFact, RelationFact, Sentence
from .lexicon import Lexicon, occupation_word

__all__ = ["ArticleState", "sentence_relations"]

CO_LINKS = ("联合", "会同", "携手", "与", "和", "、", "联合了")
#: Between the last partner and the shared verb: when and how they act together (日前联合, 近日共同).
CO_ACT = re.compile(r"(?:日前|近日|近期|今年|日后|昨天|今天|也|还|再次|首次|正式|共|已)*"
                    r"(?:联合|共同|携手|一道|一起)?(?:了)?")
CO_LINK_NEXT = re.compile(r"(?:、|和|与|及)")
ORGANIZE = ("主办", "承办", "举办", "推进", "出台", "制定", "印发", "发布", "推出", "组建", "开展", "组织", "启动",
            "实施", "发起", "建立", "围绕", "部署", "打造", "创建", "举行")
PARTICIPATE = ("签订", "签署", "参加", "参与", "加入", "承接")
BENEFIT = ("惠及", "面向", "帮助", "服务", "关爱", "覆盖", "吸引", "惠泽")
AWARD = ("荣获", "获得", "被授予", "授予", "获评", "被评为", "评为", "当选")
ANAPHOR = re.compile(r"(?:此次|本次|这次|该|本届|此项|这项|这份|该项)(?:[\u4e00-\u9fff]{0,4})")
ROLE_PREFIX = re.compile(r"(?:书记处|党组|党委|常务|执行|首席|高级|专职|兼职|名誉|第一|一级|二级|三级)*副?")
ROLE_MOD = re.compile(ROLE_PREFIX.pattern + "$")
CLAUSE = "。；！？;!?"
#: A person elected or appointed to a post: 李秀英当选成都市总工会兼职副主席.
ELECTED = re.compile(r"(?:已|正式|光荣)?(?:当选为?|担任|出任|被任命为|任|为)")
#: After 由甲主办: more organisers (、乙承办) and the 的 that attaches them all to the program that follows.
PASSIVE_MORE = re.compile(r"[、，,]([^，。；、]{2,30}?)(?:" + "|".join(("主办", "承办", "协办", "联办")) + ")")
PASSIVE_TAIL = re.compile(r"(?:" + PASSIVE_MORE.pattern + r")*的")
JOIN_BLOCKERS = ("表示", "说", "让", "要", "将", "推进", "推动", "引导", "吸引", "动员", "鼓励", "，", ",", "、")
#: Make a node for the union an enterprise set up when the text does not name it
#: (镇安县圆通物业有限公司成立工会 → 镇安县圆通物业有限公司工会).
IMPLICIT_UNIONS = True
COMMA = "，,：:"


@dataclass
class ArticleState:
    """What the article has established so far."""

    lexicon: Lexicon
    last_programs: list[Mention] = field(default_factory=list)
    unions: list[Mention] = field(default_factory=list)
    last_subject: Mention | None = None
    #: who 加入工会, where, and the union named before it in the sentence (else the article's)
    joiners: list[tuple[Mention, Sentence, Mention | None]] = field(default_factory=list)

    def main_union(self) -> Mention | None:
        """The union the article is most about (most mentions, first named on a tie)."""
        if not self.unions:
            return None
        counts: dict[str, int] = {}
        for u in self.unions:
            counts[u.canonical or u.key] = counts.get(u.canonical or u.key, 0) + 1
        best, most = None, 0
        for u in self.unions:  # the first named wins a tie
            if counts[u.canonical or u.key] > most:
                best, most = u, counts[u.canonical or u.key]
        return best


def _between(text: str, a: int, b: int) -> str:
    return text[a:b] if a <= b else ""


def _top_unit(org: Mention, orgs: list[Mention]) -> Mention:
    """The parent enterprise of a chain of units (中国航天科技集团有限公司 in …第五研究院529厂)."""
    nested = [o for o in orgs if o.start == org.start and o.cls == "Enterprise" and o.end < org.end]
    return min(nested, key=lambda o: o.end) if nested else org


def _roles_before(text: str, end: int, lx: Lexicon) -> list[tuple[int, str, str]]:
    """Every role word (with modifiers) ending at ``end``, longest first."""
    out = []
    pos = end
    while True:
        r = _role_before(text, pos, lx)
        if r is None:
            break
        out.append(r)
        # a shorter role inside the longer one (外卖骑手 → 骑手)
        rs, role, _ = r
        shorter = [_role_before(text[rs + k:end], end - rs - k, lx) for k in range(1, len(role) - 1)]
        out.extend((rs + k + x[0], x[1], x[2]) for k, x in zip(range(1, len(role) - 1), shorter, strict=True) if x)
        break
    return out


def _role_before(text: str, end: int, lx: Lexicon) -> tuple[int, str, str] | None:
    """A role word (with modifiers) ending at ``end``: (start, role, kind)."""
    best = None
    for L in range(min(end, 10), 1, -1):
        w = text[end - L:end]
        kind = lx.roles.get(w)
        if kind is None:
            # modifiers + a known role: 常务副主席, 党组书记
            for k in range(1, L):
                base = w[k:]
                if base in lx.roles and ROLE_MOD.fullmatch(w[:k]):
                    kind = lx.roles[base]
                    break
        if kind is not None:
            best = (end - L, w, kind)
            break
    if best is None:
        # an occupation word not in the list: 驾驶员, 检修工, 列车长 (a dictionary word ending so)
        for L in (4, 3, 2):
            w = text[end - L:end] if end >= L else ""
            if len(w) == L and occupation_word(w):
                best = (end - L, w, "office" if w.endswith("长") else "occupation")
                break
    return best


def _role_at(text: str, pos: int, lx: Lexicon) -> tuple[str, str] | None:
    """The role word (with its modifiers: 兼职副主席, 一级巡视员) that starts at ``pos``, and its kind."""
    m = ROLE_PREFIX.match(text, pos)
    at = m.end() if m else pos
    for size in range(min(6, len(text) - at), 0, -1):
        kind = lx.roles.get(text[at:at + size])
        if kind is not None:
            return text[pos:at + size], kind
    return None


def sentence_relations(sent: Sentence, mentions: list[Mention], state: ArticleState,
                       art_start: int) -> tuple[list[RelationFact], list[PostFact]]:
    """Relations and posts in one sentence.  ``art_start`` converts offsets (mentions are article-relative)."""
    text = sent.text
    base = sent.start
    lx = state.lexicon
    rels: list[RelationFact] = []
    posts: list[PostFact] = []
    ms = sorted(mentions, key=lambda m: (m.start, -m.end))
    orgs = [m for m in ms if m.cls in ORG_CLASSES]
    top_orgs = [m for m in orgs if not any(o is not m and o.start <= m.start and m.end <= o.end and
                                           (o.end - o.start) > (m.end - m.start) for o in orgs)]
    programs = [m for m in ms if m.cls == "Program"]
    groups = [m for m in ms if m.cls == "WorkerGroup"]
    persons = [m for m in ms if m.cls == "Person"]
    awards = [m for m in ms if m.cls == "Award"]

    def rel(h: Mention, r: str, t: Mention, conf: float, rule: str) -> None:
        rels.append(RelationFact(h, r, t, sent, conf, rule))

    def local(m: Mention) -> tuple[int, int]:
        return m.start - base, m.end - base

    # -- posts and jobs: ORG ROLE(、[ORG] ROLE)* PERSON ------------------
    for p in persons:
        ps, _pe = local(p)
        pos = ps
        pending: list[str] = []
        while pos > 0:
            options = _roles_before(text, pos, lx)
            if not options:
                break
            org = None
            rs, role, kind = options[0]
            for rs_, role_, kind_ in options:
                org = next((o for o in reversed(top_orgs) if local(o)[1] <= rs_ and rs_ - local(o)[1] <= 10
                            and not any(c in text[local(o)[1]:rs_] for c in "，。、；：,;:“”\"")
                            and not any(x.start >= o.end and x.end <= base + rs_ and x is not o
                                        for x in top_orgs)), None)
                if org is not None:
                    rs, role, kind = rs_, role_, kind_
                    break
            if org is not None and kind == "office" and org.cls != "Enterprise" and local(org)[1] == rs:
                for role_word in [role, *pending]:
                    posts.append(PostFact(p, org, role_word, sent, 0.9, "post:appositive"))
                pending = []
            elif org is not None and org.cls == "Enterprise":
                top = _top_unit(org, orgs)
                rel(p, "employedBy", top, 0.85, "employedBy:appositive")
                if kind == "office" and local(org)[1] == rs and top is org:
                    posts.append(PostFact(p, org, role, sent, 0.85, "post:appositive"))
                pending = []
            elif org is None and kind == "office":
                pending.append(role)
            else:
                pending = []
            start_of_chain = local(org)[0] if org is not None else rs
            if start_of_chain > 0 and text[start_of_chain - 1] == "、":
                pos = start_of_chain - 1
                honour = next((a for a in awards if local(a)[1] == pos), None)
                if honour is not None:
                    rel(p, "receivedAward", honour, 0.75, "award:appositive")
                    break
                continue
            break
        # ENTERPRISE(…)的PERSON
        if ps > 0 and text[ps - 1] == "的":
            org = next((o for o in top_orgs if local(o)[1] <= ps - 1 and ps - 1 - local(o)[1] <= 6
                        and o.cls == "Enterprise" and not any(c in text[local(o)[1]:ps] for c in "，。、；：")), None)
            if org is not None:
                rel(p, "employedBy", _top_unit(org, orgs), 0.8, "employedBy:de")

    # -- PERSON 当选/担任 ORG ROLE ---------------------------------------------
    for p in persons:
        m = ELECTED.match(text, local(p)[1])
        if m is None:
            continue
        org = next((o for o in top_orgs if local(o)[0] == m.end()), None)
        if org is None:
            continue
        role = _role_at(text, local(org)[1], lx)
        if role is None:
            continue
        word, kind = role
        if org.cls == "Enterprise":
            rel(p, "employedBy", _top_unit(org, orgs), 0.8, "employedBy:elected")
        if kind == "office":
            posts.append(PostFact(p, org, word, sent, 0.85, "post:elected"))

    # -- the subject of the sentence ------------------------------------------
    subject = None
    for o in top_orgs:
        s, _ = local(o)
        head = text[:s]
        if not any(c in head for c in "；。") and not any(t in head for t in ORGANIZE + PARTICIPATE):
            subject = o
            break

    # -- organizes / participatesIn -----------------------------------------
    passive = re.search(r"由((?:[^，。；由]{2,30}?[、和及与])*[^，。；由]{2,30}?)(" + "|".join(ORGANIZE) + ")", text)
    if passive:
        organizers = [o for o in top_orgs if passive.start(1) <= local(o)[0] and local(o)[1] <= passive.end(1)]
        targets = [p for p in programs if local(p)[1] <= passive.start()]
        # 由甲主办、乙承办的“P”: the program follows, after more organisers
        tail = PASSIVE_TAIL.match(text, passive.end())
        if not targets and tail:
            targets = [p for p in programs if 0 <= local(p)[0] - tail.end() <= 1]
            if targets:
                for seg in PASSIVE_MORE.finditer(text, passive.end(), tail.end()):
                    organizers += [o for o in top_orgs
                                   if seg.start(1) <= local(o)[0] and local(o)[1] <= seg.end(1)]
        if not targets and ANAPHOR.search(text[:passive.start()]):
            targets = list(state.last_programs)
        for o in organizers:
            for prog in targets:
                rel(o, "organizes", prog, 0.85, "organizes:passive")
    elif subject is not None:
        for prog in programs:
            ps_, _ = local(prog)
            seg = _between(text, local(subject)[1], ps_)
            if any(c in seg for c in "。；") or subject.cls not in ORG_CLASSES:
                continue
            # another organisation acting in between takes over
            if any(local(subject)[1] <= local(o)[0] and local(o)[1] <= ps_ and o.cls == subject.cls
                   and text[local(o)[1]:local(o)[1] + 2] in ORGANIZE + PARTICIPATE for o in top_orgs
                   if o is not subject):
                continue
            trig = [t for t in ORGANIZE if t in seg]
            ptrig = [t for t in PARTICIPATE if t in seg]
            if ptrig and (not trig or seg.rfind(ptrig[-1]) > max(seg.rfind(t) for t in trig)):
                rel(subject, "participatesIn", prog, 0.8, f"participatesIn:{ptrig[-1]}")
            elif trig:
                rel(subject, "organizes", prog, 0.8, f"organizes:{trig[-1]}")
                # co-organisers: 甲联合乙举办…, 甲会同乙开展…, 甲、乙、丙日前联合印发…
                prev_end = local(subject)[1]
                waiting: list[Mention] = []  # partners listed before the one the verb follows
                for o in top_orgs:
                    os_, oe = local(o)
                    if o is subject or not (prev_end <= os_ and oe <= ps_):
                        continue
                    link = text[prev_end:os_]
                    if link not in CO_LINKS:
                        break
                    prev_end = oe
                    act = CO_ACT.match(text, oe)
                    after = text[act.end():ps_] if act else text[oe:ps_]
                    if any(after.startswith(t, k) for t in ORGANIZE for k in range(0, 3)):
                        for q in [*waiting, o]:
                            rel(q, "organizes", prog, 0.75, f"organizes:{link}")
                        waiting = []
                    elif CO_LINK_NEXT.match(text, oe):
                        waiting.append(o)
                    else:
                        break

    # -- benefits ------------------------------------------------------------
    targets = programs or ([] if not ANAPHOR.search(text) else state.last_programs)
    for g in groups:
        gs, _ = local(g)
        for prog in targets:
            if prog.start <= g.start and g.end <= prog.end:
                rel(prog, "benefits", g, 0.8, "benefits:in-name")
                continue
            seg = text[:gs] if prog.sentence is not sent else _between(text, local(prog)[1], gs)
            if (any(t in seg[-12:] for t in BENEFIT) or re.search(r"[，,]为$", seg)) and "。" not in seg:
                rel(prog, "benefits", g, 0.75, "benefits:verb")

    # -- awards --------------------------------------------------------------
    for a in awards:
        as_, ae = local(a)
        after = text[ae:ae + 3]
        named = next((p for p in persons if local(p)[0] == ae), None)
        if named is not None:  # 全国劳动模范李秀英: the honour as a title before the name
            rel(named, "receivedAward", a, 0.75, "award:title")
            continue
        if after.startswith("获得者") or after.startswith("得主"):
            holder = next((p for p in persons if local(p)[0] >= ae), None)
            if holder is not None:
                rel(holder, "receivedAward", a, 0.75, "award:holder")
            continue
        before = text[:as_]
        trig = next((t for t in AWARD if t in before[-12:]), None)
        if trig:
            cands = [m for m in persons + top_orgs if local(m)[1] <= as_ - len(trig)]
            if cands:
                rel(max(cands, key=lambda m: m.end), "receivedAward", a, 0.7, f"award:{trig}")

    # -- establishedUnion and memberOf ----------------------------------------
    for m in re.finditer(r"(?:成立|组建|建立)(?:了)?工会(?!组织|工作|阵地)", text) if IMPLICIT_UNIONS else ():
        ent = next((o for o in reversed(top_orgs) if o.cls == "Enterprise" and local(o)[1] <= m.start()
                    and (m.start() - local(o)[1] <= 3 or re.fullmatch(
                        r"等[\u4e00-\u9fff]{0,6}?(?:企业|单位|公司|商户)", text[local(o)[1]:m.start()]))), None)
        if ent is not None:
            rels.append(RelationFact(ent, "establishedUnion", ent, sent, 0.7, "establishedUnion:成立工会"))
    for m in re.finditer(r"加入(?:了)?工会(?!组织)?", text):
        # the person must be the one who joins: 徐昌顺与同伴一起加入工会, not 李晨表示…让司机加入工会
        # the union named before in the sentence (青岛市货车司机工会联合会成立，1200名货车司机加入工会),
        # else the one the article is about
        named = [o for o in top_orgs if o.cls == "TradeUnion" and local(o)[1] <= m.start()]
        union = named[-1] if named else None
        for p in persons:
            gap = text[local(p)[1]:m.start()]
            if local(p)[1] <= m.start() and len(gap) <= 8 and not any(w in gap for w in JOIN_BLOCKERS):
                state.joiners.append((p, sent, union))
        # worker groups that join, alone or listed: 1.6万名货车司机、网约车司机加入工会
        for g in groups:
            gap = text[local(g)[1]:m.start()]
            for other in groups:
                if local(other)[0] >= local(g)[1]:
                    gap = gap.replace(text[local(other)[0]:local(other)[1]], "")
            before = text[max(0, local(g)[0] - 8):local(g)[0]]
            if local(g)[1] <= m.start() and re.fullmatch(r"[、和及与等们]*(?:已|都|纷纷|陆续|相继|先后)?", gap) \
                    and not any(w in before for w in JOIN_BLOCKERS if len(w) > 1 or w in "让要将"):
                state.joiners.append((g, sent, union))

    # -- subOrganizationOf: committees, departments, coordinated levels --------
    for o in orgs:
        for inner in orgs:
            if inner is o or inner.cls != "TradeUnion":
                continue
            if inner.start == o.start and inner.end < o.end and o.cls == "TradeUnion":
                rel(o, "subOrganizationOf", inner, 0.85, "sub:department")
    coord = [o for o in orgs if o.rule == "org:coordination"]
    for lower in coord:
        for upper in coord:
            lp, up = lower.attrs.get("place"), upper.attrs.get("place")
            if lp and up and lp != up and lx.is_ancestor(up, lp):
                rel(lower, "subOrganizationOf", upper, 0.7, "sub:coordination")

    # -- article state ----------------------------------------------------------
    if programs:
        state.last_programs = programs
    state.unions.extend(o for o in orgs if o.cls == "TradeUnion")
    if subject is not None:
        state.last_subject = subject
    return rels, posts
