"""Organisations by the grammar of their names.

A name ends in a suffix that gives its class (总工会, 有限公司, 人社局, 学院 …)
and begins after the last word that cannot be part of a name (a verb,
particle, punctuation, or a word the tagger reads so); it needs a proper
part (a place, a known organisation, an unknown word such as a brand,
digits or a quotation), so 企业工会 and 各级工会 stay generic.  Also:
abbreviations (PLACE + 总, a bare 市总工会 completed with the article's place)
and coordination (河南、湖北省总工会).
"""

from __future__ import annotations

import re

from ...read.tokenize import cut, tag_of, word_freq
from ..lexicon import Lexicon
from .base import (
    DETERMINERS,
    FUNCTION_CHARS,
    GENERIC_PARTS,
    HAN_NAME,
    LEVEL_WORDS,
    MAX_NAME,
    PUNCT,
    QUANTITY_RE,
    STOP_WORDS,
    ZONE_SUFFIXES,
    ZONGS_AFTER_OK,
    ArticleContext,
    Candidate,
    Scan,
    Token,
    after_function_word,
    finder,
    is_name_token,
    stop_ends,
)
from .known import generic_department
from .places import TOWNSHIP_ENDS


def _left_extend(text: str, toks: list[Token], start: int, place_spans: dict[tuple[int, int], str],
                 org_spans: dict[int, tuple[int, str]], limit: int = MAX_NAME,
                 stops: frozenset[int] | set[int] = frozenset(), whole: bool = False) -> int:
    """Where a name ending at ``start`` begins: walk left over name material.

    ``stops`` are offsets where the tagger ends a word that cannot stand in a
    name (a verb, a person, a particle: 产生|中国能源建设集团, 贺彪|国网…公司).
    With ``whole``, the name is a whole body (a union, a government, a party
    committee) and the walk does not take in a whole body named before it.
    """
    by_end = {t.end: t for t in toks}
    place_by_end = {e: s for (s, e) in place_spans}
    pos = start
    while pos > 0 and start - pos < limit:
        if pos in place_by_end:
            pos = place_by_end[pos]
            continue
        if pos in org_spans:
            if whole and text.endswith(WHOLE_BODIES, 0, pos):
                break  # 中共陕西省委|陕西省人民政府, 全国总工会|中国海员建设工会: two bodies side by side
            pos = org_spans[pos][0]
            continue
        if text[pos - 1] in ")）":
            # a part in brackets inside a name: 艾美特电器(九江)有限公司, 民生能源(集团)股份有限公司
            q = max(text.rfind("(", max(0, pos - 8), pos - 1), text.rfind("（", max(0, pos - 8), pos - 1))
            inner = text[q + 1:pos - 1] if q >= 0 else ""
            if q > 0 and HAN_NAME.match(inner or "x") and text[q - 1] not in PUNCT and (
                    inner in ("集团", "股份", "控股") or (q + 1, pos - 1) in place_spans
                    or (tag_of(inner) is None and inner not in GENERIC_PARTS)):
                pos = q
                continue
            break
        if text[pos - 1] in "”\"」』":
            q = max(text.rfind("“", max(0, pos - 24), pos - 1), text.rfind('"', max(0, pos - 24), pos - 1))
            if q >= 0 and all(c not in "，。；：！？、" for c in text[q:pos]):
                pos = q
                continue
            break
        if pos in stops:
            break
        tok = by_end.get(pos)
        if tok is None:
            # inside a jieba word: step back one character if it is a CJK or digit
            ch = text[pos - 1]
            if ch in PUNCT or ch in FUNCTION_CHARS or not ch.isalnum():
                break
            pos -= 1
            continue
        if not is_name_token(tok):
            # jieba glued a function word to a name (由市 in 由市总工会): keep the name part
            if tok.tag is None and len(tok.text) > 1 and tok.text[0] in FUNCTION_CHARS:
                pos = tok.start + 1
            break
        pos = tok.start
    return pos


UNION_AS_MODIFIER = ("组织", "工作", "干部", "经费", "会员", "服务", "阵地", "建设", "改革", "活动", "力量", "驿站",
                     "作用", "系统", "法", "组建", "换届")


STATIONED = frozenset({"纪检监察组", "办事处", "工作组", "联络处"})


LEGAL_FORMS = ("有限公司", "股份有限公司", "有限责任公司", "股份公司")


#: Party organs inside a unit, named only by the unit they belong to.
PARTY_UNITS = frozenset({"党委", "党总支", "党支部", "党工委", "纪委"})


#: Endings of a body that stands whole, never as a unit of the body named before it.
WHOLE_BODIES = ("总工会", "工会", "人民政府", "政府", "人大", "人大常委会", "政协", "省委", "市委", "区委", "县委",
                "州委", "党委")


def _trim_leading(text: str, s: int, e: int, place_spans: dict[tuple[int, int], str],
                  org_spans: dict[int, tuple[int, str]], toks: list[Token]) -> int:
    """Drop a quantity (120多个) and common words before the first place or known name."""
    m = QUANTITY_RE.match(text[s:e])
    if m:
        s += m.end()
    while s < e and text[s].isdigit() and any(ps == s + 1 or ps > s for (ps, _pe) in place_spans):
        s += 1  # a stray digit before a name (1聊城日报): a page number or a date's tail
    firsts = [ps for (ps, pe) in place_spans if s <= ps < e] + [os_ for oe, (os_, _) in org_spans.items()
                                                                   if s <= os_ < e]
    if firsts:
        f = min(firsts)
        if f > s and not _has_proper_part(text, s, f, {}, {}, toks):
            s = f
    return s


def _trim_determiners(text: str, s: int, e: int) -> int:
    changed = True
    while changed:
        changed = False
        for d in DETERMINERS:
            if text.startswith(d, s) and e - s >= len(d):
                s += len(d)
                changed = True
    return s


def _has_proper_part(text: str, s: int, e: int, place_spans: dict[tuple[int, int], str],
                     org_spans: dict[int, tuple[int, str]], toks: list[Token]) -> bool:
    if s >= e:
        return False
    if any(s <= ps and pe <= e for (ps, pe) in place_spans):
        return True
    if any(s <= os_ and oe <= e for oe, (os_, _) in org_spans.items()):
        return True
    if any(ch.isdigit() for ch in text[s:e]):
        return True
    q = re.search(r"[“\"]([^”\"]+)[”\"]", text[s:e])
    if q is not None:
        inner = [w for w in cut(q.group(1)) if w.strip()]
        if any(w not in GENERIC_PARTS and len(w) > 1 for w in inner):
            return True
    for t in toks:
        if t.start >= s and t.end <= e and t.start < t.end:
            if t.text in GENERIC_PARTS:
                continue
            if t.tag is None and len(t.text) >= 2 and t.text[0] not in FUNCTION_CHARS and t.text[0] not in PUNCT:
                return True  # an unknown word: a brand name
            if t.tag in ("nt", "nz", "ns", "nrt", "j", "nr", "nrfg") and t.text not in GENERIC_PARTS:
                return True
    return False


#: Words that name a trade or sector inside a union's name, though jieba tags some as verbs (快递).
SECTOR_WORDS = frozenset({"快递", "物流", "外卖", "货运", "运输", "建筑", "餐饮", "家政", "网约", "出租", "环卫",
                          "互联网", "平台", "新业态", "新就业", "就业", "形态", "行业", "产业", "园区", "楼宇",
                          "商圈", "市场", "劳动者", "司机", "骑手", "快递员", "新"})


#: Kinds of union that are no sector: 北京市企业工会 and 北京市基层工会 are any such union in Beijing.
GENERIC_SECTORS = frozenset({"企业", "基层", "机关", "单位", "各级", "非公企业", "事业单位", "企事业单位", "中小企业"})


#: Characters a sector modifier may span at most, between the place and the union suffix.
MAX_SECTOR = 10


def _sector_start(text: str, toks: list[Token], start: int, place_spans: dict[tuple[int, int], str]) -> int | None:
    """Where a union name that begins with a place and a sector begins, or None.

    Walks left from ``start`` over nouns and sector words; only a place where
    the walk stops makes a name (the place is the proper part).
    """
    by_end = {t.end: t for t in toks}
    place_by_end = {pe: ps for (ps, pe) in place_spans}
    pos = start
    while start - pos <= MAX_SECTOR:
        if pos in place_by_end:
            return place_by_end[pos] if pos < start else None
        tok = by_end.get(pos)
        if tok is None or tok.text in STOP_WORDS or tok.text[0] in FUNCTION_CHARS or tok.text[0] in PUNCT:
            return None
        if tok.text not in SECTOR_WORDS and tok.tag not in ("n", "nz", "vn", "b", "j", "nt"):
            return None
        pos = tok.start
    return None


def _known_org_ends(text: str, hits: list) -> dict[int, tuple[int, str]]:
    """Organisations the lexicon knows, by end offset: (start, class)."""
    org_spans: dict[int, tuple[int, str]] = {}
    for s, e, surface, entries in hits:
        for kind, payload in entries:
            if kind in ("org", "extra") and payload[1] != "Person" and not generic_department(text, e, surface):
                if e not in org_spans or org_spans[e][0] > s:
                    org_spans[e] = (s, payload[1])
    return org_spans


def _longest_suffixes(hits: list) -> dict[int, tuple[int, str, str]]:
    """The longest organisation suffix ending at each offset: end → (start, suffix, class)."""
    best: dict[int, tuple[int, str, str]] = {}
    for s, e, surface, entries in hits:
        for kind, cls in entries:
            if kind == "suffix" and (e not in best or best[e][0] > s):
                best[e] = (s, surface, cls)
    return best


#: Departments and committees that are a union's only when a union stands before them.
UNION_DEPARTMENTS = frozenset({"女职工委员会", "经费审查委员会", "基层工作部", "组织部", "宣传教育部", "权益保障部"})


#: Titles of a unit's head that begin with the unit's own suffix (厂长 of a 厂, 局长 of a 局).
HEAD_TITLES = frozenset({"厂长", "局长", "处长", "院长", "所长", "站长", "队长", "校长", "社长", "行长", "部长",
                         "科长", "馆长", "庭长", "台长", "店长", "场长", "矿长", "段长"})


class _SuffixWalk:
    """Names ending in a suffix, found from the first suffix of the sentence to the last.

    Each name found becomes an organisation that a later name may take in
    (镇安县圆通物业有限公司|工会), so the state grows as the walk goes on.
    """

    def __init__(self, scan: Scan) -> None:
        self.scan, self.text, self.toks = scan, scan.text, scan.toks
        self.places = scan.place_spans
        self.stops = stop_ends(list(scan.words), text=scan.text)
        self.studio_stops = stop_ends(list(scan.words), through_persons=True, text=scan.text)
        self.org_spans = _known_org_ends(scan.text, scan.hits)
        self.produced: dict[int, tuple[int, str, str]] = {}  # end → (start, suffix, class)
        self.out: list[Candidate] = []

    def run(self) -> list[Candidate]:
        best = _longest_suffixes(self.scan.hits)
        ends = sorted(best)
        for e in ends:
            s_suf, suffix, cls = best[e]
            if any(e2 > e and best[e2][0] < e for e2 in ends):
                continue  # a suffix followed by more name material belongs to a longer name (工会 in 工会联合会)
            if self.text.startswith(LEGAL_FORMS, e) or self._inside_word(s_suf, e) or self._head_title(s_suf, e):
                continue  # 集团 in 集团有限公司; 局 in 格局; 厂 of 厂长 after a 厂
            self._one(s_suf, e, suffix, cls)
        return self.out

    def _head_title(self, s_suf: int, e: int) -> bool:
        """A one-character suffix that begins the title of the unit's head after a name of that unit
        (塑料制品厂|厂长, 交通局|局长): the name ends before it."""
        return e - s_suf == 1 and s_suf > 0 and self.text[s_suf - 1] == self.text[s_suf] \
            and self.text[s_suf:s_suf + 2] in HEAD_TITLES

    def _inside_word(self, s_suf: int, e: int) -> bool:
        """A one-character suffix inside a common word (局 in 格局, 厅 in 大厅)."""
        if e - s_suf != 1:
            return False
        host = next((t for t in self.toks if t.start < s_suf < t.end or (t.start < s_suf and t.end == e)), None)
        return host is not None and host.tag not in (None, "nt", "ns", "nz", "j")

    def _start(self, s_suf: int, suffix: str) -> int:
        """Where the name ending in the suffix at ``s_suf`` begins."""
        text, known = self.text, {k: v for k, v in self.org_spans.items() if k <= s_suf}
        start = _left_extend(text, self.toks, s_suf, self.places, known,
                             stops=self.studio_stops if suffix.endswith("工作室") else self.stops,
                             whole=suffix in WHOLE_BODIES)
        if suffix in STATIONED and start >= 1 and text[start - 1] == "驻":
            # 中央纪委国家监委驻全总机关纪检监察组: the sending body is part of the name
            start = _left_extend(text, self.toks, start - 1, self.places,
                                 {k: v for k, v in self.org_spans.items() if k <= start - 1})
        start = self._tagger_start(start, s_suf)
        start = _trim_determiners(text, start, s_suf)
        return _trim_leading(text, start, s_suf, self.places, self.org_spans, self.toks)

    def _tagger_start(self, start: int, s_suf: int) -> int:
        """Where the tagger begins a name the grammar's walk stopped inside (甘肃德福新|材料有限公司,
        兰州榕通管业制造|有限公司: an adjective or a verb the grammar would not cross)."""
        text = self.text
        for w in self.scan.words:
            if w.tag == "ORG" and w.start < start and w.start <= s_suf < w.end and text[w.start] not in FUNCTION_CHARS \
                    and not any(c in PUNCT for c in text[w.start:start]) \
                    and not any(v in text[w.start:start] for v in STOP_WORDS if len(v) > 1) \
                    and not any(w.start < oe <= start for oe in self.org_spans):
                return w.start  # but not over a verb or a whole body (…总工会联合|旗交通局)
        return start

    def _note(self, cand: Candidate, suffix: str) -> None:
        self.out.append(cand)
        self.produced[cand.end] = (cand.start, suffix, cand.cls)
        self.org_spans.setdefault(cand.end, (cand.start, cand.cls))

    def _one(self, s_suf: int, e: int, suffix: str, cls: str) -> None:
        text, ctx = self.text, self.scan.ctx
        start = self._start(s_suf, suffix)
        if suffix in UNION_DEPARTMENTS and not self._union_before(s_suf):
            return  # departments and committees need a union before them
        level_cand = _bare_level(text, start, s_suf, e, cls, ctx, self.toks)
        if level_cand is not None:  # bare level words: 市总工会, 市人社局, 县总工会
            self._note(level_cand, suffix)
            return
        coord = _coordinated(text, start, s_suf, e, suffix, cls, self.places, ctx.lexicon)
        if coord:  # 河南、湖北省总工会; 宜昌市及猇亭区总工会
            self.out.extend(coord)
            return
        if self._generic(start, s_suf, suffix, cls):
            return
        start = self._with_proper_part(start, s_suf, e, cls)
        if start is None:
            return
        if suffix.endswith("工会") and text.startswith(UNION_AS_MODIFIER, e) and \
                not any(start <= os_ and oe <= s_suf for oe, (os_, _c) in self.org_spans.items()):
            return  # 新建工会组织, 工会工作: 工会 describes; a named body's 工会组织职工 stays a name
        final_cls = self._class_of_unit(start, s_suf, suffix, cls)
        self._note(Candidate(final_cls, start, e, text[start:e], rule=f"org:suffix:{suffix}", nested_ok=True,
                             confidence=0.85 if final_cls != "TradeUnion" else 0.9), suffix)

    def _union_before(self, s_suf: int) -> bool:
        inner = [1 for oe, (_os, c) in self.org_spans.items() if c == "TradeUnion" and oe == s_suf]
        inner += [1 for pe, (_ps, _s, c) in self.produced.items() if c == "TradeUnion" and pe == s_suf]
        return bool(inner) or _bare_level_before(self.text, s_suf)

    def _generic(self, start: int, s_suf: int, suffix: str, cls: str) -> bool:
        """A kind of body in a place rather than one body (北京市企业工会, 青岛工会, 镇党委)."""
        text, places = self.text, self.places
        if cls == "TradeUnion" and any(ps == start and text[pe:s_suf] in GENERIC_SECTORS for (ps, pe) in places):
            return True  # 北京市企业工会: any enterprise union in Beijing
        if suffix == "工会" and any(ps == start and pe == s_suf for (ps, pe) in places):
            return True  # 青岛工会, 云南省工会: the unions of a place, not one body (that is its 总工会)
        return suffix in PARTY_UNITS and not any(start <= ps < s_suf for (ps, _pe) in places) \
            and not (s_suf - start > 2 and text[start:s_suf].endswith(TOWNSHIP_ENDS + ZONE_SUFFIXES + ("新区",)))

    def _with_proper_part(self, start: int, s_suf: int, e: int, cls: str) -> int | None:
        """The start of a name that holds a proper part, or None for a generic phrase (各级工会)."""
        text, toks = self.text, self.toks
        # a whole institution's name in jieba's dictionary: 华南理工大学 (unions need a place or a known name)
        known_name = cls != "TradeUnion" and start < s_suf and \
            any(t.start == start and t.end == e and t.tag == "nt" for t in toks) \
            and not text.startswith(("全国", "全省", "全市", "全县", "各"), start)
        if known_name or _has_proper_part(text, start, s_suf, self.places, self.org_spans, toks):
            return start
        if cls != "TradeUnion":
            return None
        # PLACE + sector + union: 上海市快递行业工会联合会, 成都市新就业形态劳动者工会联合会
        sector = _sector_start(text, toks, start, self.places)
        return None if sector is None or text[start:s_suf] in GENERIC_SECTORS else sector

    def _class_of_unit(self, start: int, s_suf: int, suffix: str, cls: str) -> str:
        """A unit takes the class of the body it belongs to (中国铁路北京局 is an enterprise)."""
        inner = [(os_, c) for oe, (os_, c) in self.org_spans.items() if start <= os_ and oe <= s_suf]
        inner += [(ps, c) for pe, (ps, _s, c) in self.produced.items() if start <= ps and pe <= s_suf]
        if not inner:
            return cls
        head_cls = min(inner)[1]
        if head_cls == "Enterprise" and cls in ("GovernmentBody", "OtherOrganization") \
                and not suffix.endswith(("工作室", "学院", "学校", "医院")):
            return "Enterprise"
        return cls


@finder("suffix-orgs", 60, examples=[
    ("镇安县圆通物业有限公司成立工会。", {("Enterprise", "镇安县圆通物业有限公司")}),
    ("艾美特电器(九江)有限公司工会成立。", {("Enterprise", "艾美特电器(九江)有限公司")}),
    ("选举产生中国能源建设集团浙江省电力设计院有限公司工会委员会。",
     {("Enterprise", "中国能源建设集团浙江省电力设计院有限公司")}),
    ("河南、湖北省总工会联合开展活动。", {("TradeUnion", "河南省总工会"), ("TradeUnion", "湖北省总工会")}),
    ("拟推荐甘肃德福新材料有限公司。", {("Enterprise", "甘肃德福新材料有限公司")}),
    ("南阳市红星塑料制品厂厂长李明介绍。", {("Enterprise", "南阳市红星塑料制品厂")}),
])
def suffix_orgs(scan: Scan) -> list[Candidate]:
    """Organisations by suffix, with their coordinations and bare levels (市总工会)."""
    return _SuffixWalk(scan).run()


@finder("union-abbreviations", 61, examples=[
    ("镇安县总以多种形式推进入会。", {("TradeUnion", "镇安县总工会")}),
    ("湖北省总有关负责人表示。", {("TradeUnion", "湖北省总工会")}),
])
def union_abbreviations(scan: Scan) -> list[Candidate]:
    """PLACE + 总 (镇安县总) and a bare 市总/县总 completed with the article's place."""
    text, lx, out = scan.text, scan.lx, []
    for (ps, pe), code in scan.place_spans.items():
        if pe < len(text) and text[pe] == "总" and not text.startswith("总工会", pe):
            nxt = text[pe + 1:pe + 2]
            two = text[pe:pe + 2]
            if nxt and ((nxt in ZONGS_AFTER_OK or nxt in PUNCT) and (word_freq(two) == 0 or nxt in PUNCT)
                        or text.startswith("有关", pe + 1)):  # 湖北省总有关负责人表示
                place = lx.places[code]
                if text[ps:pe] != place.name and place.level != "province":
                    continue  # 哈尔滨总 is not an abbreviation; 哈尔滨市总 is
                out.append(Candidate("TradeUnion", ps, pe + 1, text[ps:pe + 1], canonical=place.name + "总工会",
                                     rule="union:abbrev", confidence=0.85, attrs={"place": code}, priority=1))
    for m in re.finditer(r"(?<![\u4e00-\u9fff])([市县区省])总(?!工会)", text):
        nxt = text[m.end():m.end() + 1]
        if nxt and nxt not in ZONGS_AFTER_OK and nxt not in PUNCT:
            continue
        if m.start() > 0 and text[m.start() - 1] not in PUNCT and not after_function_word(text, m.start()):
            continue
        place = scan.ctx.place_for_level(m.group(1))
        if place is not None:
            out.append(Candidate("TradeUnion", m.start(), m.end(), m.group(0), canonical=place.name + "总工会",
                                 rule="union:abbrev-level", confidence=0.75, attrs={"place": place.code}))
    return out


def _bare_level_before(text: str, s: int) -> bool:
    return text.endswith("总工会", 0, s)


def _bare_level(text: str, start: int, s_suf: int, e: int, cls: str, ctx: ArticleContext,
                toks: list[Token] | None = None) -> Candidate | None:
    """市总工会 / 市人社局 / 市总工会女职工委员会 with no place: the article's place of that level."""
    prefix = text[start:s_suf]
    level_word = None
    rest = ""
    if prefix in LEVEL_WORDS:
        level_word = prefix
    elif prefix[:1] in LEVEL_WORDS and prefix[1:] in ("总工会",):
        level_word, rest = prefix[:1], prefix[1:]
    if level_word is None:
        return None
    # the character before must not continue a place name (本市, 全市 are fine)
    if start > 0 and text[start - 1] not in PUNCT and not after_function_word(text, start) \
            and text[start - 1] not in "本该全":
        # after a verb (领到县总工会赠送的…) the level word opens a name too
        prev = next((t for t in toks or () if t.end == start), None)
        if prev is None or prev.tag is None or prev.tag[0] not in "vpcudr":
            return None
    place = ctx.place_for_level(level_word)
    if place is None:
        return None
    suffix = text[s_suf:e]
    canonical = place.name + rest + suffix
    return Candidate(cls, start, e, text[start:e], canonical=canonical, rule="org:level-context", confidence=0.8,
                 attrs={"place": place.code}, nested_ok=True)


def _coordinated(text: str, start: int, s_suf: int, e: int, suffix: str, cls: str,
                 place_spans: dict[tuple[int, int], str], lx: Lexicon) -> list[Candidate]:
    """河南、湖北省总工会 → 河南省总工会 + 湖北省总工会."""
    # the place directly before the suffix
    last = [(ps, pe) for (ps, pe) in place_spans if pe == s_suf]
    if not last:
        return []
    ps, pe = last[0]
    code = place_spans[(ps, pe)]
    level = lx.places[code].level
    conjuncts = [(ps, pe, code)]
    pos = ps
    while pos > 0:
        sep = text[pos - 1]
        if sep not in "、和及与":
            break
        prev = [(a, b) for (a, b) in place_spans if b == pos - 1]
        if not prev:
            break
        a, b = prev[0]
        pcode = place_spans[(a, b)]
        if lx.places[pcode].level != level and not lx.is_ancestor(pcode, code):
            break
        conjuncts.insert(0, (a, b, pcode))
        pos = a
    if len(conjuncts) < 2:
        return []
    if pos > 0 and text[pos - 1] not in PUNCT and not after_function_word(text, pos) and \
            text[pos - 1] not in "等":
        # 等地工会 and the like are not coordinations of names
        pass
    out = []
    for a, b, pcode in conjuncts:
        pname = lx.places[pcode].name
        out.append(Candidate(cls, a, b if (a, b) != (ps, pe) else e, text[a:b] + ("" if (a, b) == (ps, pe) else ""),
                         canonical=pname + suffix, rule="org:coordination", confidence=0.85,
                         attrs={"place": pcode}, nested_ok=True))
    # the last conjunct spans its own name with the suffix
    out[-1].surface = text[ps:e]
    return out


