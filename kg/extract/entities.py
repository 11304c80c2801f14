"""Typed entity mentions from the grammar of Chinese names.

The rules, each a phenomenon rather than a string:

* places: gazetteer names and the short forms of provinces and cities
  (黑龙江, 哈尔滨); development zones named after a place (泉州台商投资区);
* organisations: a name ends in a suffix that gives its class (总工会, 有限公司,
  人社局, 学院 …) and begins after the last word that cannot be part of a name
  (a verb, particle, punctuation); it needs a proper part (a place, a known
  organisation, an unknown word such as a brand, digits or a quotation), so
  企业工会 and 各级工会 stay generic;
* abbreviations: PLACE + 总 (镇安县总), 全总, and a bare level (市总工会,
  市人社局) completed with the article's place of that level;
* coordination: 河南、湖北省总工会 and 宜昌市及猇亭区总工会 name one union per place;
* programs: a quoted name followed by a program word ("十百千"建会专项行动),
  a policy document in 《》, or a name with a year, place or ordinal prefix
  ending in a program word (2022年深圳技能大赛, 湖北省…第一份集体合同);
* worker groups, awards (a level prefix + an honour) and known names from the lexicons;
* persons: see :mod:`kg.extract.persons`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..model import Mention, Sentence
from .lexicon import Lexicon, Place
from .tagger import Word
from .tokenize import cut, cut_tagged, tag_of, tag_table, word_freq

__all__ = ["ArticleContext", "Token", "find_mentions", "tokens_of"]

#: Tags of words that may stand inside an organisation or program name.
NAME_TAGS = frozenset({"n", "nr", "nr1", "nr2", "nrt", "nrfg", "ns", "nsf", "nt", "nz", "nl", "ng", "j",
                       "vn", "an", "eng", "m", "mq", "s", "l", "i", "z", "zg", "g", "k", "h", "vi"})
#: Verbs and function words that never stand inside a name, whatever jieba's table says.
STOP_WORDS = frozenset({"主办", "承办", "协办", "举办", "举行", "深化", "推进", "推动", "开展", "组织", "成立",
                        "建立", "组建", "签订", "出台", "制定", "印发", "发布", "实施", "启动", "召开", "要求",
                        "提出", "通过", "加强", "围绕", "参与", "参加", "带动", "吸引", "帮助", "惠及", "面向",
                        "覆盖", "获得", "荣获", "授予", "发挥", "选择", "确定", "打造", "聚焦", "坚持", "联合",
                        "指导", "支持", "会同", "携手", "牵头", "依托", "作为", "包括", "其中", "以及", "大型",
                        "新建", "加盟", "首个", "首家", "第一个", "第一家", "两级", "三级", "多级", "各级"})
FUNCTION_CHARS = frozenset("由在和的与及对向把被将为从以于是了等驻据受跟按至")
QUANTITY_RE = re.compile(r"^.*?[\d一二三四五六七八九十百千万两几多余]+[多余]?[个家户名位批所支条项]")
#: Words that open a generic phrase: 各级工会, 该企业, 相关园区.
DETERMINERS = ("各级", "各地", "各类", "各个", "各", "该", "本", "此", "这", "那", "每", "其", "我", "全市",
               "全省", "全县", "全区", "相关", "有关", "所属", "所在", "广大", "多个", "一批", "这些", "一家",
               "一个", "首支", "首批", "首家", "所有", "部分", "其他", "其它", "不同", "多家", "重点",
               "基层", "周围", "周边", "当地", "辖区", "全国各", "历届", "多地", "两地", "多个", "首支")
#: Words that are never the proper part of a name on their own.
GENERIC_PARTS = frozenset({"企业", "基层", "工会", "职工", "单位", "行业", "产业", "公司", "机关", "事业", "部门",
                           "系统", "区域", "园区", "街道", "社区", "乡镇", "村", "市级", "县级", "区级",
                           "省级", "街乡", "全国", "地方", "非公", "新业态", "新就业形态", "小微", "民营",
                           "国有", "外资", "台资", "物管", "物业", "平台", "网络", "行业性", "区域性",
                           "联合", "工作", "服务", "组织", "建设", "管理", "中心", "总", "分", "上级",
                           "下级", "本级", "同级", "二级", "小二级", "级", "先进", "示范", "模范",
                           "县域", "市域", "家庭", "个人", "会员", "新", "大型", "中小", "中小型", "街镇", "镇街"})
LEVEL_WORDS = {"省": "province", "自治区": "province", "市": "city", "州": "city", "县": "county", "区": "county",
               "旗": "county"}
ZONE_SUFFIXES = ("台商投资区", "工业园区", "经济技术开发区", "高新技术产业开发区", "经济开发区", "高新区", "开发区",
                 "新区", "自贸区", "保税区", "综合试验区")
PUNCT = set("，。、；：？！,.;:?!“”\"'‘’《》〈〉()（）[]【】—…·- \n\t#*>|")
QUOTE_RE = re.compile(r"[“\"「『]([^“”\"「」『』\n]{1,40}?)[”\"」』]")
BOOK_RE = re.compile(r"《([^《》]{2,80}?)》")
YEAR_RE = re.compile(r"(?:19|20)\d\d年(?:度)?$")
ORDINAL_RE = re.compile(r"(?:第[\d一二三四五六七八九十百零〇两]+[届次期份批轮]|首[届份批次轮])$")
ZONGS_AFTER_OK = frozenset("以在将到通推聚构委把要对为与和、，。,从牵组开深召举带发成坚积全制出建提持首等正已还也又")
MAX_NAME = 32


@dataclass(slots=True)
class Token:
    text: str
    start: int
    end: int
    tag: str | None  #: the dictionary's usual tag; None for a word the dictionary lacks
    guess: str = ""  #: for such a word, the segmenter's HMM guess (nr: name-like)


@dataclass
class ArticleContext:
    """What earlier sentences of the article established (for 市总工会, 此次竞赛 …)."""

    lexicon: Lexicon
    #: level → code of the most recently named place of that level
    places_by_level: dict[str, str] = field(default_factory=dict)
    #: the article's most prominent places in order of mention
    place_order: list[str] = field(default_factory=list)
    #: codes seen in this article (to choose among homonymous places)
    seen_codes: set[str] = field(default_factory=set)
    #: level → the place of that level the whole article names most (first on a tie), for a
    #: bare level before any place is named (市总工会 in a headline, the city in 枣庄新闻网)
    article_places: dict[str, str] = field(default_factory=dict)

    def preview(self, sentences: list[tuple[str, list[Token], list, list[Word]]]) -> None:
        """Note the places the whole article names, from its sentences' text, words and lexicon hits."""
        counts: dict[str, int] = {}
        first: dict[str, int] = {}
        scratch = ArticleContext(self.lexicon)
        for text, toks, hits, words in sentences:
            for code in find_places(text, toks, hits, scratch, words).values():
                for c in (code, *self.lexicon.ancestors(code)):
                    counts[c] = counts.get(c, 0) + (1 if c == code else 0)
                    first.setdefault(c, len(first))
        by_level: dict[str, list[str]] = {}
        for c in counts:
            by_level.setdefault(self.lexicon.places[c].level, []).append(c)
        for level, codes in by_level.items():
            self.article_places[level] = max(codes, key=lambda c: (counts[c], -first[c]))

    def note_place(self, code: str) -> None:
        p = self.lexicon.places.get(code)
        if p is None:
            return
        self.seen_codes.add(code)
        self.places_by_level[p.level] = code
        # a county implies its city and province, a city its province
        for anc in self.lexicon.ancestors(code):
            ap = self.lexicon.places.get(anc)
            if ap is not None:
                self.places_by_level.setdefault(ap.level, anc)
                if self.places_by_level[ap.level] not in self.lexicon.ancestors(code):
                    self.places_by_level[ap.level] = anc
        if code not in self.place_order:
            self.place_order.append(code)

    def place_for_level(self, level_word: str) -> Place | None:
        level = LEVEL_WORDS.get(level_word)
        if level is None:
            return None
        code = self.places_by_level.get(level) or self.article_places.get(level)
        if code is None and level_word == "市":
            # 北京, 上海, 天津, 重庆: a city that is a province
            code = next((c for c in (self.places_by_level.get("province"), self.article_places.get("province"))
                         if c and self.lexicon.places[c].name.endswith("市")), None)
            if code is not None:
                return self.lexicon.places[code]
        if code is None:
            return None
        p = self.lexicon.places[code]
        # 区 and 县 are both county level; the name's own suffix must agree
        if level == "county" and not p.name.endswith(level_word):
            return None
        if level == "city" and level_word == "州" and not p.name.endswith("州"):
            return None
        if level_word == "自治区" and not p.name.endswith("自治区"):
            return None
        if level == "city" and level_word == "市" and not p.name.endswith("市"):
            return None
        return p


def tokens_of(text: str) -> list[Token]:
    """jieba tokens with offsets and dictionary tags."""
    out: list[Token] = []
    pos = 0
    tags = tag_table()
    for w, guess in cut_tagged(text):
        end = pos + len(w)
        tag = tags.get(w)
        out.append(Token(w, pos, end, tag, guess if tag is None else ""))
        pos = end
    return out


def _is_name_token(tok: Token) -> bool:
    if not tok.text.strip() or tok.text[0] in PUNCT:
        return False
    if tok.text in STOP_WORDS:
        return False
    if tok.tag is None:
        return tok.text[0] not in FUNCTION_CHARS  # unknown word: a brand or a name
    return tok.tag in NAME_TAGS


def _pick_place(codes: Iterable[str], ctx: ArticleContext, short: bool = False) -> str:
    """Choose among homonymous places: one seen before, or under a place seen before, else the highest.

    A short form (海南, 吉林) names the highest-ranked place unless that very place was seen.
    """
    codes = list(codes)
    if len(codes) == 1:
        return codes[0]
    lx = ctx.lexicon
    if short:
        seen = [c for c in codes if c in ctx.seen_codes]
        return seen[0] if seen else min(codes, key=lambda c: (lx.places[c].rank, c))
    for c in codes:
        if c in ctx.seen_codes:
            return c
    for c in codes:
        if any(a in ctx.seen_codes for a in lx.ancestors(c)):
            return c
    return min(codes, key=lambda c: (lx.places[c].rank, c))


@dataclass(slots=True)
class _Cand:
    cls: str
    start: int
    end: int
    surface: str
    canonical: str | None = None
    confidence: float = 0.9
    rule: str = ""
    attrs: dict[str, str] = field(default_factory=dict)
    nested_ok: bool = False  # may stand inside a longer mention (places, groups, parent orgs)
    priority: int = 0


def find_places(text: str, toks: list[Token], hits: list, ctx: ArticleContext,
                words: list[Word] = ()) -> dict[tuple[int, int], str]:
    """Gazetteer places of a sentence, ``(start, end) → code``, the longest where they nest.

    A word boundary is one jieba or the tagger sees (山西|大同市 where jieba reads 山西大同).
    """
    tok_end = {t.end for t in toks} | {w.end for w in words}
    tok_start = {t.start for t in toks} | {w.start for w in words}

    def word_boundary(s: int, e: int) -> bool:
        return (s in tok_start or s == 0) and (e in tok_end or e == len(text))

    # where an organisation's suffix begins (重庆|日报, 柳州|新闻网): a short form before it opens the name
    suffix_starts = {s for s, _e, _surface, entries in hits if any(k == "suffix" for k, _ in entries)}
    place_spans: dict[tuple[int, int], str] = {}
    for s, e, _surface, entries in hits:
        for kind, payload in entries:
            if kind == "place":
                if e - s <= 3 and s > 0 and s not in tok_start and text[s - 1] not in PUNCT:
                    continue  # 范县 inside 示范县
                place_spans[(s, e)] = _pick_place(payload, ctx)
            elif kind == "place_short" and (word_boundary(s, e) or (
                    (s == 0 or s in tok_start) and (text.startswith(ZONE_SUFFIXES, e) or e in suffix_starts))):
                # a short form is a place when jieba keeps it whole, or it opens a longer name
                place_spans[(s, e)] = _pick_place(payload, ctx, short=True)
    # a county's short form beside its parent (福建晋江, 扬州江都), before a suffix (鄂前旗总工会), or with
    # the level of a former county-level city (临安市)
    parent_ends = {e: code for (s, e), code in place_spans.items()}
    for s, e, _surface, entries in hits:
        for kind, payload in entries:
            if kind != "county_short" or not word_boundary(s, s) and s not in parent_ends:
                continue
            parent = parent_ends.get(s)
            codes = [c for c in payload if parent and ctx.lexicon.is_ancestor(parent, c)]
            if codes:
                level = text[e:e + 1]  # 大通|县 for 大通回族土族自治县: the level word belongs to the name
                place_spans[(s, e + 1 if level and level in "县区市旗" and e not in suffix_starts else e)] = codes[0]
            elif text.startswith(("总工会", "市", "县"), e) and not text.startswith(("市场", "县域", "市民"), e):
                end = e + 1 if text[e] in "市县" else e
                place_spans[(s, end)] = _pick_place(payload, ctx)
    # drop places inside longer places (黑龙江 inside 黑龙江省)
    kept: list[tuple[int, int]] = []
    for sp in sorted(place_spans, key=lambda x: (x[0], -(x[1] - x[0]))):
        if not any(k[0] <= sp[0] and sp[1] <= k[1] for k in kept):
            kept.append(sp)
    return {k: place_spans[k] for k in kept}


def find_mentions(sent: Sentence, ctx: ArticleContext, toks: list[Token] | None = None,
                  words: list[Word] | None = None, hits: list | None = None) -> list[Mention]:
    """Typed mentions in one sentence, updating ``ctx`` with the places seen.

    ``words`` are the sentence's words as a statistical tagger tags them
    (:mod:`kg.extract.tagger`); its persons and organisations are proposals
    that the grammar accepts, types and trims.
    """
    text = sent.text
    words = words or []
    lx = ctx.lexicon
    if toks is None:
        toks = tokens_of(text)
    if hits is None:
        hits = lx.scan(text)
    cands: list[_Cand] = []
    tok_end = {t.end: t for t in toks}
    tok_start = {t.start: t for t in toks}

    def word_boundary(s: int, e: int) -> bool:
        """The span does not cut a jieba word in two (used for short forms)."""
        return (s in tok_start or s == 0) and (e in tok_end or e == len(text))

    # -- places ---------------------------------------------------------
    place_spans = find_places(text, toks, hits, ctx, words)
    for (s, e), code in sorted(place_spans.items()):
        p = lx.places[code]
        ctx.note_place(code)
        cands.append(_Cand("Place", s, e, text[s:e], canonical=p.name, rule="place:gazetteer",
                           attrs={"code": code}, nested_ok=True, confidence=0.95 if e - s > 2 else 0.85))
    towns = _townships(text, toks, words, place_spans, hits, lx.place_short)
    cands.extend(towns)
    for t in towns:  # the short place a town's name opens is no place of its own (金华 in 金华镇)
        cands[:] = [c for c in cands if not (c.cls == "Place" and c.rule == "place:gazetteer"
                                             and (c.start, c.end) != (t.start, t.end)
                                             and t.start == c.start and c.end < t.end)]
    # development zones: PLACE + 台商投资区 …
    starts = {ps for (ps, _pe) in place_spans}
    for (s, e), code in sorted(place_spans.items()):
        if e in starts:
            continue  # 福建泉州台商投资区: the zone is named after the last place
        for zs in ZONE_SUFFIXES:
            j = text.find(zs, e, e + 8 + len(zs))
            if j < 0:
                continue
            mid = text[e:j]
            if all(c not in PUNCT for c in mid) and (not mid or all(_is_name_token(t) for t in toks
                                                                    if e <= t.start and t.end <= j)):
                zname = text[s:j + len(zs)]
                cands.append(_Cand("Place", s, j + len(zs), zname, canonical=zname,
                                   rule="place:zone", attrs={"parent": code}, nested_ok=True, priority=1,
                                   confidence=0.85))
                break

    # -- lexicon entries ---------------------------------------------------
    for s, e, surface, entries in hits:
        for kind, payload in entries:
            if kind in ("org", "extra"):
                canon, cls = payload
                if len(surface) <= 2 and not word_boundary(s, e) and kind == "org":
                    continue
                if surface == "全总" and e < len(text) and text[e] in "工":
                    continue
                if _generic_department(text, e, surface):
                    continue
                cands.append(_Cand(cls, s, e, surface, canonical=canon, rule=f"{kind}:lexicon", nested_ok=True,
                                   confidence=0.95, priority=2))
            elif kind == "group":
                if text.startswith(GROUP_COMPOUNDS, e) or text[max(0, s - 1):s] in ("省", "市", "级", "届") \
                        and text.startswith(lx.award_heads_tuple, s):
                    continue  # 劳模精神, 女职工委员会, 户外劳动者服务站; 省劳动模范 is an honour
                m = GROUP_MODIFIER.search(text, max(0, s - 8), s)
                if m is not None and m.end() == s and (m.start() == 0 or text[m.start() - 1] in PUNCT
                                                       or _after_function_word(text, m.start())
                                                       or m.start() in tok_start):
                    cands.append(_Cand("WorkerGroup", m.start(), e, text[m.start():e], canonical=text[m.start():e],
                                       rule="group:modified", nested_ok=True, confidence=0.85, priority=1))
                    continue
                cands.append(_Cand("WorkerGroup", s, e, surface, canonical=payload, rule="group:lexicon",
                                   nested_ok=True, confidence=0.9))
            elif kind == "program":
                cands.append(_Cand("Program", s, e, surface, canonical=payload, rule="program:lexicon",
                                   nested_ok=True, confidence=0.9))

    # -- worker groups named in a list beside known ones (货车司机、网约配送员等群体) --
    known_groups = [(s_, e_) for s_, e_, _sf, entries in hits if any(k == "group" for k, _ in entries)]
    if known_groups:
        cands.extend(_listed_groups(text, known_groups))

    # -- organisations by suffix ----------------------------------------
    cands.extend(_suffix_orgs(text, toks, hits, place_spans, ctx, words))
    # -- programs, awards -----------------------------------------------
    cands.extend(_quoted_programs(text, lx))
    cands.extend(_titled_programs(text, toks, hits, place_spans, lx))
    cands.extend(_headed_programs(text, words, hits, place_spans, lx))
    cands.extend(_awards(text, hits, place_spans, lx, words))
    # -- organisations the tagger finds and the grammar has no suffix for (顺丰、德邦, 沃尔玛)
    cands.extend(_model_orgs(text, words, toks, cands, lx))
    # -- persons ----------------------------------------------------------
    from .persons import find_persons

    taken = [(c.start, c.end) for c in cands if c.cls != "Place" or c.end - c.start > 1]
    for s, e, rule, conf in find_persons(text, toks, hits, taken, lx, words):
        cands.append(_Cand("Person", s, e, text[s:e], rule=rule, confidence=conf, priority=1,
                           nested_ok=rule == "person:studio"))

    chosen = _user_rules(_resolve_overlaps(cands), lx)
    out: list[Mention] = []
    for c in chosen:
        out.append(Mention(cls=c.cls, surface=sent.display[c.start:c.end], key=c.surface, sentence=sent,
                           start=sent.start + c.start, end=sent.start + c.end, confidence=c.confidence,
                           rule=c.rule, canonical=c.canonical, attrs=c.attrs))
    return out


ORGS = frozenset({"TradeUnion", "Enterprise", "GovernmentBody", "OtherOrganization"})
FULL_NAME_ENDS = ("公司", "集团", "工会", "总工会", "联合会", "学院", "大学", "协会")


OCCUPATION_ENDS = ("司机", "骑手", "员", "工", "师", "手", "匠", "人员", "警察", "保安")
#: Words before the first item of a list that belong to the clause, not the item (现场为|外卖员).
LEADING_CLAUSE = re.compile(r"^.*?(?:为|向|给|对|帮|让|组织|包括|其中|涵盖|覆盖|面向)")
LIST_ITEM = re.compile(r"[\u4e00-\u9fff]{2,8}")


#: Nouns a worker group's word modifies in a compound that is no group (劳模精神, 女职工委员会, 户外劳动者服务站).
GROUP_COMPOUNDS = ("精神", "委员会", "委员", "服务站", "驿站", "评选", "大会", "论坛", "人才", "年度人物", "队伍",
                   "创新工作室", "工作室", "示范", "之家", "小家", "协会", "联合会", "工会", "称号", "荣誉", "创新交流",
                   "工匠", "先进人物", "和工匠", "(先进工作者)")
#: Words that narrow a worker group into a group of its own (困难农民工, 网约送餐员, 返乡农民工).
GROUP_MODIFIER = re.compile(r"(?:困难|特困|生活困难|返乡|优秀|网约|新业态网约|纺织|金融|苦脏累险岗位|台籍|外籍|青年|"
                            r"新生代|退休|临近退休|高龄|残疾|大龄|单身|女性|男性)$")


def _listed_groups(text: str, known: list[tuple[int, int]]) -> list[_Cand]:
    """Items of a 、-list that holds a known worker group and end like an occupation."""
    out = []
    for m in re.finditer(r"[\u4e00-\u9fff]{2,8}(?:、[\u4e00-\u9fff]{2,8})+(?:和[\u4e00-\u9fff]{2,8})?"
                         r"(?=等|和|及|$|，|。)", text):
        items = []
        pos = m.start()
        for part in re.split(r"(、|和)", m.group(0)):
            if part in ("、", "和"):
                pos += 1
                continue
            items.append((pos, pos + len(part), part))
            pos += len(part)
        if not any(any(ks <= a < ke or a <= ks < b for ks, ke in known) for a, b, _ in items):
            continue
        for a, b, part in items:
            if any(a <= ks and ke <= b for ks, ke in known):
                continue
            q = QUANTITY_RE.match(part) or LEADING_CLAUSE.match(part)
            if q is not None and q.end() < len(part) - 1:
                a, part = a + q.end(), part[q.end():]  # 近千名商场信息员, 现场为外卖员
            if part.endswith(OCCUPATION_ENDS) and not part.startswith(("推进", "推动", "吸引", "帮助", "关爱")):
                out.append(_Cand("WorkerGroup", a, b, part, rule="group:list", confidence=0.7))
    return out


#: Endings of a news outlet's name (中工网, 宜都融媒, 西藏商报, 新华社).
OUTLET_ENDS = ("网", "报", "社", "台", "融媒", "新闻", "传媒")


#: Words after an enterprise's short name: its staff, branches and standing (沃尔玛员工, 顺丰快递员, 苏宁门店).
AFTER_BRAND = ("员工", "职工", "工人", "快递员", "骑手", "司机", "店", "门店", "分店", "超市", "商场", "品牌", "平台",
               "总部", "旗下", "集团", "公司", "等企业", "等公司", "等品牌", "等平台", "等快递", "等外资", "等知名")
#: Verbs that follow a workplace (在沃尔玛工作, 与京东签订).
AT_WORK = re.compile(r"(?:工作|上班|就职|任职|签订|签署|成立|组建|建立|入职)")
LATIN_NAME = re.compile(r"^[A-Z][A-Z0-9&]{1,7}$")
PINYIN = re.compile(r"[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]")
#: Endings the grammar types by itself or that mark a body, a team or a part, not a brand.
NOT_BRAND_ENDS = ("委", "部", "办", "院", "队", "区", "局", "厅", "会", "处", "所", "站", "中心", "行业")


#: Township-level places the gazetteer lacks: 上地街道, 天目山镇, 富民村.
TOWNSHIP_ENDS = ("街道", "镇", "乡", "村", "港区")
#: Stems that make no township: 全镇, 该村, 乡镇, 城乡, 新农村.
NOT_TOWNSHIP = frozenset({"全", "该", "本", "各", "每", "此", "城", "乡", "农", "新农", "社区", "美丽", "我", "所在",
                          "周边", "附近", "当地", "一个", "两个", "贫困", "示范", "重点", "特色", "老", "小"})


def _townships(text: str, toks: list[Token], words: list[Word], place_spans: dict[tuple[int, int], str],
               hits: list, lx_short: object = ()) -> list[_Cand]:
    """Towns, streets and villages (天目山镇, 上地街道, 桥上村) under the county named before them.

    A stem of two to four characters before 街道/镇/乡/村 is a place when a
    place stands right before it, when the tagger reads the stretch as a
    place or a body, when a union or committee of it follows, or when it
    stands in a list of such places.
    """
    out = []
    place_by_end = {e: (s, c) for (s, e), c in place_spans.items()}
    stops = _stops(words, text=text)
    tok_start = {t.start for t in toks}
    tagged = [(w.start, w.end) for w in words if w.tag in ("LOC", "ORG")]
    suffix_starts = {s for s, _e, _sf, entries in hits if any(k == "suffix" for k, _ in entries)}
    for m in re.finditer("|".join(TOWNSHIP_ENDS), text):
        a, e = m.start(), m.end()
        if text.startswith(("镇街", "乡镇", "村镇", "村委", "村民", "镇党委"), a) and m.group() != "街道":
            if not text.startswith("镇党委", a):
                continue
        s = a
        while s > 0 and a - s < 4 and text[s - 1] not in PUNCT and s not in place_by_end and \
                not (s in stops and s < a) and not text[s - 1].isdigit():
            s -= 1
        if s == a and s in place_by_end and text[place_by_end[s][0]:a] in lx_short:
            s = place_by_end[s][0]  # 金华|镇: a town named like a city, not the city
        elif s in place_by_end and a - s < 2:
            continue
        stem = text[s:a]
        if not 2 <= len(stem) <= 4 or not HAN_NAME.match(stem) or stem in NOT_TOWNSHIP or \
                stem.startswith(DETERMINERS) or stem[-1] in FUNCTION_CHARS or (s not in tok_start and s > 0):
            continue
        if (tag_of(stem) or "")[:1] in ("v", "a", "d", "r") and word_freq(stem) > 50:
            continue
        parent = place_by_end.get(s)
        evidence = parent is not None or e in suffix_starts or any(
            ts <= s and e <= te or (ts == s and te >= a) for ts, te in tagged) or \
            text[s - 1:s] == "、" or text[e:e + 1] == "、"
        if not evidence:
            continue
        attrs = {"parent": parent[1]} if parent else {}
        out.append(_Cand("Place", s, e, text[s:e], canonical=text[s:e], rule="place:township", attrs=attrs,
                         nested_ok=True, confidence=0.8, priority=1))
    return out


def _model_orgs(text: str, words: list[Word], toks: list[Token], cands: list[_Cand], lx: Lexicon) -> list[_Cand]:
    """Enterprises the tagger finds that no rule names: brands and short names (德邦, 沃尔玛).

    The tagger's organisations are taken only where the sentence treats them
    as companies: in a list of them (顺丰、苏宁、德邦), before their staff or
    shops (沃尔玛员工, 苏宁门店), or as a workplace (在肯德基工作).  A common
    word, a piece of a longer name, a body with a suffix the grammar knows
    and pinyin are never taken.
    """
    tok_bounds = set()
    for t in toks:
        tok_bounds.update((t.start, t.end))
    orgs = [(w.start, w.end) for w in words if w.tag == "ORG"]
    out = []
    for s, e in orgs:
        name = text[s:e]
        if len(name) < 2 or any(c in PUNCT for c in name) or name[0].isdigit() or PINYIN.search(name):
            continue
        if not HAN_NAME.match(name) and not LATIN_NAME.match(name):
            continue
        if s not in tok_bounds or e not in tok_bounds:
            continue  # cuts a word: a piece of a longer name (乐山一拉|得)
        if lx.suffix_of(name) is not None or name.endswith(NOT_BRAND_ENDS) or name in lx.groups \
                or name in lx.place_names or name in lx.place_short or name in GENERIC_PARTS:
            continue
        if (tag_of(name) or "")[:1] in ("v", "a", "d", "j") or word_freq(name) >= 100 and tag_of(name) == "n":
            continue
        if any(c.start < e and s < c.end and (c.cls != "Place" or not (s <= c.start and c.end <= e))
               for c in cands if c.cls != "WorkerGroup"):
            continue
        listed = text[s - 1:s] == "、" or text[e:e + 1] == "、" and any(a == e + 1 for a, _ in orgs)
        if not (listed or text.startswith(AFTER_BRAND, e) or AT_WORK.match(text, e) or LATIN_NAME.match(name)):
            continue
        out.append(_Cand("Enterprise", s, e, name, rule="org:model", confidence=0.7))
    return out


HAN_NAME = re.compile(r"^[\u4e00-\u9fff]+$")


def _user_rules(chosen: list[_Cand], lx: Lexicon) -> list[_Cand]:
    """A user's rules have the last word: dropped names go, named ones keep their class."""
    if not lx.forced and not lx.dropped:
        return chosen
    out = []
    for c in chosen:
        if c.surface in lx.dropped or (c.canonical or "") in lx.dropped:
            continue
        forced = lx.forced.get(c.surface)
        if forced is not None and forced[1] != c.cls:
            c.cls, c.canonical, c.rule = forced[1], forced[0], "rules:forced"
        out.append(c)
    return out


def _resolve_overlaps(cands: list[_Cand]) -> list[_Cand]:
    """Keep the best of crossing candidates; nested ones may stay inside longer names."""
    order = sorted(cands, key=lambda c: (-(c.end - c.start), -c.priority, -c.confidence, c.start, c.cls))
    chosen: list[_Cand] = []
    for c in order:
        ok = True
        for k in chosen:
            if c.end <= k.start or k.end <= c.start:
                continue
            if (c.start, c.end) == (k.start, k.end):
                if {c.cls, k.cls} == {"Place", "TradeUnion"} and "org:coordination" in (c.rule, k.rule):
                    continue  # 宜昌市 in 宜昌市及猇亭区总工会 is a place and names a union
                ok = False  # same span: first (higher priority) wins
                break
            inside = k.start <= c.start and c.end <= k.end
            if inside and c.cls in ORGS and k.cls in ORGS and "驻" in k.surface[c.end - k.start:] and \
                    k.rule.startswith("org:suffix") and k.surface.endswith(tuple(STATIONED)):
                ok = False  # 中央纪委国家监委 in …驻全总机关纪检监察组 names the stationed group's sender
                break
            if inside and c.cls == "GovernmentBody" and k.cls == "GovernmentBody" and c.rule.startswith("org:suffix"):
                ok = False  # 北戴河区委 in 北戴河区委社会工作部: the office, not the committee, is named
                break
            if inside and c.cls == "Program" and k.cls == "Program":
                ok = False  # 夏送清凉 in “夏送清凉”专项行动: the one program, named in full
                break
            if inside and c.cls == "WorkerGroup" and (k.cls in ORGS or k.cls == "Award"):
                ok = False  # 海员 in 中国海员建设工会, 劳动模范 in 全国劳动模范: part of a name
                break
            if inside and c.nested_ok and not (c.end == k.end and c.cls == k.cls) and \
                    not (c.rule == "org:lexicon" and k.cls in ORGS and not c.surface.endswith(FULL_NAME_ENDS)):
                continue
            ok = False
            break
        if ok:
            chosen.append(c)
    # a chain of units keeps its parent and its full name, not the levels between
    # (中国航天科技集团有限公司 / …第五研究院 / …第五研究院529厂)
    orgs = [c for c in chosen if c.cls in ORGS and c.rule.startswith("org:suffix")]
    drop = set()
    for c in orgs:
        same = [o for o in chosen if o.cls in ORGS and o.start == c.start and o is not c]
        if any(o.end < c.end for o in same) and any(o.end > c.end for o in same):
            drop.add(id(c))
    chosen = [c for c in chosen if id(c) not in drop]
    chosen.sort(key=lambda c: (c.start, -c.end))
    return chosen


# ---------------------------------------------------------------------------
# organisations


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
        if not _is_name_token(tok):
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


def _generic_department(text: str, end: int, surface: str) -> bool:
    """A ministry's name inside the generic 部门 (公安部门, 人社部门 are any such department, not the ministry)."""
    return surface.endswith("部") and text.startswith("门", end)


#: The tagger's tags of words that never stand inside an organisation's name.
STOP_TAGS = frozenset({"PER", "p", "c", "u", "xc", "w", "r", "d", "TIME", "v", "vd", "ad"})


def _stops(words: list[Word], through_persons: bool = False, text: str = "") -> set[int]:
    """Ends of the tagger's words a name cannot reach back over; a studio's name holds its person.

    A "punctuation" word that holds letters (the tagger's reading of ``)有限公司``) is no stop.
    """
    return {w.end for w in words if w.tag in STOP_TAGS and not (through_persons and w.tag == "PER")
            and not (w.tag == "w" and text and any(c not in PUNCT for c in text[w.start:w.end]))}


def _suffix_orgs(text: str, toks: list[Token], hits: list, place_spans: dict[tuple[int, int], str],
                 ctx: ArticleContext, words: list[Word] = ()) -> list[_Cand]:
    lx = ctx.lexicon
    stops = _stops(list(words), text=text)
    studio_stops = _stops(list(words), through_persons=True, text=text)
    out: list[_Cand] = []
    # known organisations found by the lexicon, by end offset
    org_spans: dict[int, tuple[int, str]] = {}
    for s, e, _surface, entries in hits:
        for kind, payload in entries:
            if kind in ("org", "extra") and payload[1] != "Person" and not _generic_department(text, e, _surface):
                if e not in org_spans or org_spans[e][0] > s:
                    org_spans[e] = (s, payload[1])
    suffix_hits = [(s, e, surface, cls) for s, e, surface, entries in hits
                   for kind, cls in entries if kind == "suffix"]
    # the longest suffix ending at each position
    best: dict[int, tuple[int, str, str]] = {}
    for s, e, surface, cls in suffix_hits:
        if e not in best or best[e][0] > s:
            best[e] = (s, surface, cls)
    ends = sorted(best)
    produced_ends: dict[int, int] = {}
    for e in ends:
        s_suf, suffix, cls = best[e]
        # a suffix followed by more name material belongs to a longer name (工会 in 工会联合会)
        if e in best and any(e2 > e and best[e2][0] < e for e2 in ends):
            continue
        if text.startswith(LEGAL_FORMS, e):
            continue  # 集团 in 集团有限公司: the longer name follows

        if e - s_suf == 1:
            host = next((t for t in toks if t.start < s_suf < t.end or (t.start < s_suf and t.end == e)), None)
            if host is not None and host.tag not in (None, "nt", "ns", "nz", "j"):
                continue  # 局 in 格局, 厅 in 大厅
        start = _left_extend(text, toks, s_suf, place_spans, {k: v for k, v in org_spans.items() if k <= s_suf},
                             stops=studio_stops if suffix.endswith("工作室") else stops,
                             whole=suffix in WHOLE_BODIES)
        if suffix in STATIONED and start >= 1 and text[start - 1] == "驻":
            # 中央纪委国家监委驻全总机关纪检监察组: the sending body is part of the name
            start = _left_extend(text, toks, start - 1, place_spans,
                                 {k: v for k, v in org_spans.items() if k <= start - 1})
        start = _trim_determiners(text, start, s_suf)
        start = _trim_leading(text, start, s_suf, place_spans, org_spans, toks)
        name = text[start:e]
        # departments and committees need a union before them
        if suffix in ("女职工委员会", "经费审查委员会", "基层工作部", "组织部", "宣传教育部", "权益保障部"):
            inner = [(os_, oe) for oe, (os_, c) in org_spans.items() if c == "TradeUnion" and oe == s_suf]
            inner += [(ps, pe) for pe, (ps, _s, c) in produced_ends.items() if c == "TradeUnion" and pe == s_suf]
            if not inner and not _bare_level_before(text, s_suf):
                continue
        # bare level words: 市总工会, 市人社局, 县总工会
        level_cand = _bare_level(text, start, s_suf, e, cls, ctx, toks)
        if level_cand is not None:
            out.append(level_cand)
            produced_ends[e] = (level_cand.start, suffix, cls)
            org_spans.setdefault(e, (level_cand.start, cls))
            continue
        # coordination: 河南、湖北省总工会; 宜昌市及猇亭区总工会
        coord = _coordinated(text, start, s_suf, e, suffix, cls, place_spans, lx)
        if coord:
            out.extend(coord)
            continue
        if cls == "TradeUnion" and any(ps == start and text[pe:s_suf] in GENERIC_SECTORS
                                       for (ps, pe) in place_spans):
            continue  # 北京市企业工会: any enterprise union in Beijing
        if suffix == "工会" and any(ps == start and pe == s_suf for (ps, pe) in place_spans):
            continue  # 青岛工会, 云南省工会: the unions of a place, not one body (that is its 总工会)
        if suffix in PARTY_UNITS and not any(start <= ps < s_suf for (ps, _pe) in place_spans) \
                and not (s_suf - start > 2 and text[start:s_suf].endswith(TOWNSHIP_ENDS + ZONE_SUFFIXES + ("新区",))):
            continue  # 浙江院党委, 镇党委: a unit's or a level's party committee, not a named body
        # a whole institution's name in jieba's dictionary: 华南理工大学 (unions need a place or a known name)
        known_name = cls != "TradeUnion" and start < s_suf and \
            any(t.start == start and t.end == e and t.tag == "nt" for t in toks) \
            and not text.startswith(("全国", "全省", "全市", "全县", "各"), start)
        if not known_name and not _has_proper_part(text, start, s_suf, place_spans, org_spans, toks):
            if cls != "TradeUnion":
                continue
            # PLACE + sector + union: 上海市快递行业工会联合会, 成都市新就业形态劳动者工会联合会
            sector = _sector_start(text, toks, start, place_spans)
            if sector is None or text[start:s_suf] in GENERIC_SECTORS:
                continue
            start = sector
            name = text[start:e]
        if suffix.endswith("工会") and text.startswith(UNION_AS_MODIFIER, e) and \
                not any(start <= os_ and oe <= s_suf for oe, (os_, _c) in org_spans.items()):
            continue  # 新建工会组织, 工会工作: 工会 describes; a named body's 工会组织职工 stays a name
        final_cls = cls
        inner_orgs = [(os_, c) for oe, (os_, c) in org_spans.items() if start <= os_ and oe <= s_suf]
        inner_orgs += [(ps, c) for pe, (ps, _s, c) in produced_ends.items() if start <= ps and pe <= s_suf]
        if inner_orgs:
            head_cls = min(inner_orgs)[1]
            # a unit of an enterprise is an enterprise (中国铁路北京局, 集团…研究院)
            if head_cls == "Enterprise" and cls in ("GovernmentBody", "OtherOrganization") \
                    and not suffix.endswith(("工作室", "学院", "学校", "医院")):
                final_cls = "Enterprise"
            if head_cls == "TradeUnion" and suffix not in ("工会", "总工会"):
                final_cls = "TradeUnion" if cls in ("TradeUnion",) else cls
        out.append(_Cand(final_cls, start, e, name, rule=f"org:suffix:{suffix}", nested_ok=True,
                         confidence=0.85 if final_cls != "TradeUnion" else 0.9))
        produced_ends[e] = (start, suffix, final_cls)
        org_spans.setdefault(e, (start, final_cls))
    # union abbreviations: PLACE + 总, 全总
    for (ps, pe), code in place_spans.items():
        if pe < len(text) and text[pe] == "总" and not text.startswith("总工会", pe):
            nxt = text[pe + 1:pe + 2]
            two = text[pe:pe + 2]
            if nxt and ((nxt in ZONGS_AFTER_OK or nxt in PUNCT) and (word_freq(two) == 0 or nxt in PUNCT)
                        or text.startswith("有关", pe + 1)):  # 湖北省总有关负责人表示
                place = lx.places[code]
                if text[ps:pe] != place.name and place.level != "province":
                    continue  # 哈尔滨总 is not an abbreviation; 哈尔滨市总 is
                out.append(_Cand("TradeUnion", ps, pe + 1, text[ps:pe + 1], canonical=place.name + "总工会",
                                 rule="union:abbrev", confidence=0.85, attrs={"place": code}, priority=1))
    for m in re.finditer(r"(?<![\u4e00-\u9fff])([市县区省])总(?!工会)", text):
        nxt = text[m.end():m.end() + 1]
        if nxt and nxt not in ZONGS_AFTER_OK and nxt not in PUNCT:
            continue
        if m.start() > 0 and text[m.start() - 1] not in PUNCT and not _after_function_word(text, m.start()):
            continue
        place = ctx.place_for_level(m.group(1))
        if place is not None:
            out.append(_Cand("TradeUnion", m.start(), m.end(), m.group(0), canonical=place.name + "总工会",
                             rule="union:abbrev-level", confidence=0.75, attrs={"place": place.code}))
    return out


def _after_function_word(text: str, pos: int) -> bool:
    return any(text.endswith(w, 0, pos) for w in AFTER_WORDS)


#: Words after which a name may begin: particles, prepositions and linking verbs (的, 由, 从市总工会).
AFTER_WORDS = ("的", "由", "在", "和", "与", "及", "对", "向", "为", "据", "驻", "是", "了", "让", "请", "被", "将",
               "从", "自", "经", "受", "给", "同", "跟", "按", "依", "至", "到")


def _bare_level_before(text: str, s: int) -> bool:
    return text.endswith("总工会", 0, s)


def _bare_level(text: str, start: int, s_suf: int, e: int, cls: str, ctx: ArticleContext,
                toks: list[Token] | None = None) -> _Cand | None:
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
    if start > 0 and text[start - 1] not in PUNCT and not _after_function_word(text, start) \
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
    return _Cand(cls, start, e, text[start:e], canonical=canonical, rule="org:level-context", confidence=0.8,
                 attrs={"place": place.code}, nested_ok=True)


def _coordinated(text: str, start: int, s_suf: int, e: int, suffix: str, cls: str,
                 place_spans: dict[tuple[int, int], str], lx: Lexicon) -> list[_Cand]:
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
    if pos > 0 and text[pos - 1] not in PUNCT and not _after_function_word(text, pos) and \
            text[pos - 1] not in "等":
        # 等地工会 and the like are not coordinations of names
        pass
    out = []
    for a, b, pcode in conjuncts:
        pname = lx.places[pcode].name
        out.append(_Cand(cls, a, b if (a, b) != (ps, pe) else e, text[a:b] + ("" if (a, b) == (ps, pe) else ""),
                         canonical=pname + suffix, rule="org:coordination", confidence=0.85,
                         attrs={"place": pcode}, nested_ok=True))
    # the last conjunct spans its own name with the suffix
    out[-1].surface = text[ps:e]
    return out


# ---------------------------------------------------------------------------
# programs and awards


#: Characters that link clauses or phrases: a longer stretch between quotes and a head holding one is no name.
_LINKING = frozenset("在和与了中等及并将对向把被从到让使由于也还都")
#: Heads of events and campaigns, which may follow a quoted name after a few describing words
#: (“715”服务职工行动); a mechanism or model that far from its quotes is the quoted thing's (“工会红娘”队伍激励机制).
_EVENT_HEADS = frozenset({"专项行动", "行动", "活动", "服务月活动", "竞赛", "劳动竞赛", "技能竞赛", "大赛", "技能大赛",
                          "运动会", "职工运动会", "文化节", "读书月", "工程"})


QUOTED_FAR_HEAD = re.compile(r"((?:(?:19|20)\d\d年度?)?[\u4e00-\u9fff]{2,10}?)(?:活动|行动|专项行动|竞赛|大赛)")
THEME_BEFORE = re.compile(r"以$")
THEME_AFTER = ("为主题", "为题", "为口号")


def _quoted_programs(text: str, lx: Lexicon) -> list[_Cand]:
    out = []
    quoted_heads = sorted((h for h, k in lx.program_heads.items() if "quoted" in k), key=len, reverse=True)
    for m in QUOTE_RE.finditer(text):
        inner = m.group(1).strip()
        if len(inner) < 2:
            continue
        after = text[m.end():m.end() + 12]
        head = None
        # the head may follow a few words that describe the program (“715”服务职工行动)
        for gap in range(0, 7):
            for h in quoted_heads:
                if after.startswith(h, gap) and all(c not in PUNCT for c in after[:gap]) and \
                        not any(v in after[:gap] for v in ("成为", "是", "为", "作", "的")) and \
                        (gap <= 3 or (h in _EVENT_HEADS and not any(c in _LINKING for c in after[:gap]))):
                    head = after[:gap + len(h)]
                    break
            if head:
                break
        if head is None:
            # a longer description between the quote and an event head (“…”2020年快递行业送温暖活动)
            far = QUOTED_FAR_HEAD.match(text, m.end())
            if far is not None and not any(c in _LINKING for c in far.group(1)) and \
                    not any(v in far.group(1) for v in GOVERNING_VERBS if len(v) > 1):
                head = far.group(0)
        inner_head = next((h for h in quoted_heads if inner.endswith(h) and len(inner) > len(h) + 1), None)
        if head is None and inner_head is None:
            if THEME_BEFORE.search(text, max(0, m.start() - 4), m.start()) and text.startswith(THEME_AFTER, m.end()):
                # 以“冬日送温暖，工会暖人心”为主题: a campaign's slogan is its name
                out.append(_Cand("Program", m.start(), m.end(), text[m.start():m.end()], canonical=inner,
                                 rule="program:theme", confidence=0.8, priority=3))
            continue
        end = m.end() + (len(head) if head else 0)
        surface = text[m.start():end]
        cand = _Cand("Program", m.start(), end, surface, canonical=None, rule="program:quoted",
                     confidence=0.85, attrs={"core": inner}, priority=3)
        out.append(cand)
    for m in BOOK_RE.finditer(text):
        inner = m.group(1).replace("\n", "")
        if any(inner.endswith(h) for h, k in lx.program_heads.items() if "book" in k):
            out.append(_Cand("Program", m.start(), m.end(), text[m.start():m.end()], canonical=inner,
                             rule="program:book", confidence=0.9, priority=3))
    return out


def _titled_programs(text: str, toks: list[Token], hits: list, place_spans: dict[tuple[int, int], str],
                     lx: Lexicon) -> list[_Cand]:
    out = []
    heads = [(s, e, surface) for s, e, surface, entries in hits
             for kind, payload in entries if kind == "program_head" and "titled" in payload]
    best: dict[int, tuple[int, str]] = {}
    for s, e, surface in heads:
        if e not in best or best[e][0] > s:
            best[e] = (s, surface)
    by_end = {t.end: t for t in toks}
    place_by_end = {pe: ps for (ps, pe) in place_spans}
    for e, (s_head, head) in sorted(best.items()):
        # the next character must not continue the word (活动室, 行动者)
        if e < len(text) and text[e] not in PUNCT and text[e:e + 2] not in ("启动", "签订", "开幕", "闭幕", "举行"):
            nt = next((t for t in toks if t.start <= e < t.end and t.start < e), None)
            if nt is not None:
                continue
        pos = s_head
        prefix_kind = None
        while pos > 0 and s_head - pos < 30:
            window = text[max(0, pos - 12):pos]
            ym = YEAR_RE.search(window)
            om = ORDINAL_RE.search(window)
            if pos in place_by_end:
                pos = place_by_end[pos]
                prefix_kind = "place"
                continue
            if ym:
                pos -= len(ym.group(0))
                prefix_kind = "year"
                continue
            if om:
                pos -= len(om.group(0))
                prefix_kind = prefix_kind or "ordinal"
                continue
            tok = by_end.get(pos)
            if tok is None:
                # the head starts inside a word (职业技能|大赛 cut as 职业|技能大赛): take the whole word
                inner = next((t for t in toks if t.start < pos < t.end), None)
                if inner is not None and _is_name_token(inner) and inner.tag != "m":
                    pos = inner.start
                    continue
                break
            if not _is_name_token(tok) or tok.tag == "m":
                break
            if tok.text in ("暨", "和", "及", "与"):
                break
            pos = tok.start
        # the name must open with its prefix: trim words before the first year/place/ordinal
        s = pos
        while s < s_head:
            if YEAR_RE.match(text[s:s + 5] + "年"[0:0]) or re.match(r"(?:19|20)\d\d年", text[s:]):
                break
            if any(ps == s for (ps, pe) in place_spans):
                break
            if re.match(r"第[\d一二三四五六七八九十百零〇两]+[届次期份批轮]|首[届份批次轮]", text[s:]):
                break
            s += 1
        if s >= s_head or prefix_kind is None or head.endswith(MEETING_HEADS) and prefix_kind != "place":
            continue
        # a higher place directly followed by its child keeps only the child (广东省深圳市 → 深圳市)
        for (ps, pe), code in sorted(place_spans.items()):
            if ps == s:
                nxt = [(a, b) for (a, b) in place_spans if a == pe]
                if nxt and lx.is_ancestor(code, place_spans[nxt[0]]):
                    s = pe
                break
        name = text[s:e]
        if len(name) - len(head) < 2:
            continue
        out.append(_Cand("Program", s, e, name, rule="program:titled", confidence=0.8, priority=1))
    return out


#: What may open an honour's name: 全国, a level (省, 市级, 自治区), an ordinal (第五届) or a year (2021年).
AWARD_OPEN = re.compile(r"(?:全国|(?:省|市|县|区|州)级?|自治区|第[\d一二三四五六七八九十]+届|首届|"
                        r"(?:19|20)\d\d年度?)$")
#: Characters that never stand between an honour's level and its head.
AWARD_BREAK = frozenset("，。、；：！？,;:!?的和与及获评授被为在是了")
#: Heads that are honours only with a level or in quotes (工匠 alone is a craftsman, 工作室 a studio).
WEAK_AWARD_HEADS = frozenset({"工匠", "年度人物", "工匠人才", "创新工作室", "示范工会", "示范单位", "和谐企业",
                              "先进单位", "先进集体", "先进个人"})
YEAR_PREFIX = re.compile(r"^(?:19|20)\d\d年度?")
#: Words after a weak head that make it part of another name (大国工匠创新交流大会, 工匠精神).
NOT_AFTER_HONOUR = ("创新", "论坛", "大会", "精神", "选树", "评选", "学院", "杯", "风采", "活动")


#: Verbs that take a program as their object and so open the clause before its name (开展|…行动).
GOVERNING_VERBS = frozenset({"提出", "明确", "要求", "强调", "表示",
                             "出台", "制定", "印发", "发布", "实施", "开展", "启动", "举办", "组织", "签订", "签署",
                             "推进", "推出", "打造", "创建", "举行", "召开", "参加", "参与", "加入", "获得", "荣获",
                             "发放", "赠送", "通过", "审议", "成立", "建立", "组建", "推行", "落实", "执行", "依据",
                             "按照", "根据", "围绕", "加大", "扩大", "提高", "做好", "抓好", "完善", "健全", "深化",
                             "部署", "设立", "开通", "配齐", "领取", "发起", "承办", "主办", "协办", "联合", "携手",
                             "参保", "续保", "宣传", "覆盖", "签下", "提供", "给予", "享受", "享有", "成为", "作为",
                             "列入", "纳入", "促成", "迎来", "迎接", "学习", "贯彻", "落地", "投入", "是", "为", "有"})
#: Tags of the tagger's words that may stand inside a program's name.
PROGRAM_TAGS = frozenset({"n", "nz", "nw", "vn", "an", "ns", "LOC", "ORG", "TIME", "j", "a", "v", "m", "q", "s", "f"})
PROGRAM_NUMBER = re.compile(r"^(?:(?:19|20)\d\d年度?|第[\d一二三四五六七八九十百]+[届次期份批轮]|首[届份批次轮家]|"
                            r"(?:\d+|[二三四五六七八九十]+)条|[\d一二三四五六七八九十]+\+[\d一二三四五六七八九十]+)$")
DATELINE = re.compile(r"\d+月\d+日|讯$|电$")
#: Heads of documents, whose names may hold verbs (关爱服务新就业形态劳动者11条措施).
DOCUMENT_HEADS = ("措施", "政策", "办法", "意见", "规定", "方案", "章程", "制度", "条例")
#: Heads of meetings, which need the body that holds them (厦门市工会第十四次代表大会).
MEETING_HEADS = ("代表大会", "职代会", "推进会", "协商会", "恳谈会")
#: Words that describe the kind of a program without naming it (行业性, 区域性, 独立).
PROGRAM_KIND_WORDS = ("行业性", "区域性", "独立", "各类", "相关", "具体", "系列", "一系列", "重要", "专门")
PROGRAM_LEVEL = ("全省", "全市", "全区", "全县", "全国", "全网")
#: Words that may follow a program's head without making it part of a longer word.
HEAD_FOLLOWERS = ("启动", "签订", "开幕", "闭幕", "举行", "发布", "揭牌", "发放", "工作", "等")
#: Verbs that say what a program does and may stand in its name (建会入会集中行动, 云岭工匠选树活动).
PROGRAM_VERBS = frozenset({"建会", "入会", "送温暖", "评选", "选树", "征集", "疗休养", "帮扶", "慰问", "救助", "关爱",
                           "助学", "送清凉", "创新", "服务"})
PROGRAM_VERB_ORDER = tuple(sorted(PROGRAM_VERBS, key=lambda v: (-len(v), v)))
PROGRAM_COUNT = re.compile(r"(?:\d+|[一二三四五六七八九十]+)条|具体|系列|专项|重要")


def _headed_programs(text: str, words: list[Word], hits: list, place_spans: dict[tuple[int, int], str],
                     lx: Lexicon) -> list[_Cand]:
    """Programs named by what they are about and a head (新就业形态劳动者建会入会集中行动,
    关爱服务新就业形态劳动者11条措施, 安全卫生专项集体合同, 中国工会第十八次全国代表大会).

    The name runs left from the head over the tagger's nouns, numbers, quotes and
    describing verbs, and stops at a verb that governs it (开展, 签订, 出台), a
    particle or punctuation.  It must hold something that makes it a name: a
    year, ordinal or count, a place, an organisation, a worker group, a quote,
    专项, or a level such as 全省.
    """
    if not words:
        return []
    heads: dict[int, tuple[int, str]] = {}
    for s, e, surface, entries in hits:
        for kind, payload in entries:
            if kind == "program_head" and "titled" in payload and (e not in heads or heads[e][0] > s):
                heads[e] = (s, surface)
    if not heads:
        return []
    by_end = {w.end: w for w in words}
    groups = {(s, e) for s, e, _sf, entries in hits if any(k == "group" for k, _ in entries)}
    org_like = {(w.start, w.end) for w in words if w.tag == "ORG"} | {
        (s, e) for s, e, _sf, entries in hits if any(k in ("org", "extra") for k, _ in entries)}
    out = []
    for e, (s_head, head) in sorted(heads.items()):
        if e < len(text) and text[e] not in PUNCT and not text.startswith(HEAD_FOLLOWERS, e) \
                and any(w.start < e < w.end for w in words):
            continue  # the head is the start of a longer word (活动室, 行动者)
        pos, evidence, first, holder = s_head, False, True, False
        while pos > 0 and e - pos <= 30:
            if text[pos - 1] in "”\"」』":
                q = max(text.rfind("“", max(0, pos - 24), pos - 1), text.rfind('"', max(0, pos - 24), pos - 1))
                if q >= 0 and all(c not in "，。；：！？、,;:!?" for c in text[q:pos]):
                    pos, evidence = q, True
                    continue
                break
            verb = next((v for v in PROGRAM_VERB_ORDER if text.endswith(v, 0, pos)), None)
            if verb is not None and len(verb) > 1:
                pos, first = pos - len(verb), False  # 建会入会集中行动, where the tagger cuts 建|会|入|会
                continue
            w = by_end.get(pos)
            if w is None:
                inner = next((x for x in words if x.start < pos < x.end), None)
                if inner is None or inner.tag not in PROGRAM_TAGS:
                    break
                w = Word(inner.start, pos, inner.tag)
            word = text[w.start:w.end]
            if DATELINE.search(word):
                break  # 武汉3月4日讯|2022年…竞赛: a dateline, not the name
            if w.tag not in PROGRAM_TAGS or word in GOVERNING_VERBS \
                    or word in STOP_WORDS and not first and not head.endswith(DOCUMENT_HEADS) \
                    or word[0] in PUNCT or (w.tag in ("m", "q") and not PROGRAM_NUMBER.match(word)) \
                    or word in ("的", "和") or (w.tag == "v" and not head.endswith(DOCUMENT_HEADS)
                                              and word not in PROGRAM_VERBS):
                break
            if w.tag in ("TIME", "LOC", "ORG", "ns") or PROGRAM_NUMBER.match(word) or word in PROGRAM_LEVEL \
                    or word in ("专项",) or any(a >= w.start and b <= s_head for a, b in groups) \
                    or any(ps == w.start for ps, _pe in place_spans):
                evidence = True
            if w.tag in ("LOC", "ORG", "ns") or any(ps == w.start for ps, _pe in place_spans):
                holder = True
            pos, first = w.start, False
        while pos < s_head and (text[pos] in "的和与及" or text.startswith(PROGRAM_KIND_WORDS, pos)):
            pos += next((len(k) for k in PROGRAM_KIND_WORDS if text.startswith(k, pos)), 1)
        evidence = evidence or head.startswith("专项")
        bare = PROGRAM_COUNT.sub("", text[pos:s_head])
        if pos >= s_head or not evidence or e - pos - len(head) < 2 or len(bare) < 2:
            continue  # 23条具体措施: a count is no name
        if head.endswith(MEETING_HEADS) and not holder:
            continue  # 第一届会员代表大会 of no named body
        body = text[pos:s_head]
        if any(a == pos and b == s_head for a, b in org_like) or body in PROGRAM_LEVEL:
            continue  # 全总集体合同, 全国总工会计划: a body's plan, unnamed
        q = QUOTE_RE.search(text, pos, e)
        out.append(_Cand("Program", pos, e, text[pos:e], rule="program:headed", confidence=0.75, priority=0,
                         attrs={"core": q.group(1)} if q is not None else {}))
    return out


def _awards(text: str, hits: list, place_spans: dict[tuple[int, int], str], lx: Lexicon,
            words: list[Word] = ()) -> list[_Cand]:
    """Honours: a level, a place, an ordinal or a year, a few describing words, and a head.

    全国五一劳动奖章, 安徽省后勤保障工作先进单位, 第五届陇原工匠, 全国“五一”劳动奖章,
    自治区工人先锋号, 市劳动模范 (after a verb: 纳入市劳动模范评选); a quoted honour
    (“塞上工匠”, “大国工匠人才”) is one by itself.  A year before the name is not part of it.
    """
    out = []
    place_by_end = {pe: ps for (ps, pe) in place_spans}
    stops = {w.end for w in words if w.tag in ("v", "p", "c", "u", "PER", "vd")}
    heads = {}
    for s, e, surface, entries in hits:
        if any(k == "award_head" for k, _ in entries):
            if e not in heads or heads[e][0] > s:
                heads[e] = (s, surface)
    starts = {s for s, _h in heads.values()}
    for e, (s, head) in sorted(heads.items()):
        if e < len(text) and text[e] in "”\"" and s > 0:
            continue  # the closing quote follows: handled as a quoted honour below
        if e in starts or head in WEAK_AWARD_HEADS and text.startswith(NOT_AFTER_HONOUR, e):
            continue  # 工匠|年度人物: the longer head names it; 大国工匠|创新交流大会 names an event
        start = _award_start(text, s, place_by_end, stops)
        if start is None or text.count("“", start, e) != text.count("”", start, e):
            continue
        y = YEAR_PREFIX.match(text, start)
        if y is not None and y.end() < s:
            start = y.end()
            if start not in place_by_end.values() and not AWARD_OPEN.search(text, 0, start) and \
                    not text.startswith(("全国", "第", "首届", "“", '"'), start) and head in WEAK_AWARD_HEADS \
                    and not HAN_NAME.match(text[start:s] or "x"):
                continue
        out.append(_Cand("Award", start, e, text[start:e], rule="award:level+head", confidence=0.85, priority=2))
    for m in QUOTE_RE.finditer(text):
        inner = m.group(1)
        if any(inner.endswith(h) and len(inner) > len(h) for h in lx.award_heads) or inner in lx.award_heads and \
                AWARD_OPEN.search(text, 0, m.start()):
            start = m.start()
            lead = AWARD_OPEN.search(text, 0, m.start())
            if lead is not None and not YEAR_PREFIX.match(lead.group()) and not lead.group().startswith(("第", "首")):
                start = lead.start()
            out.append(_Cand("Award", start, m.end(), text[start:m.end()], rule="award:quoted", confidence=0.85,
                             priority=2))
    return out


def _award_start(text: str, s: int, place_by_end: dict[int, int], stops: set[int]) -> int | None:
    """Where the honour whose head starts at ``s`` begins, or None when nothing names a level."""
    pos = s
    best = None
    while pos > 0 and s - pos <= 12:
        if pos in place_by_end:
            best = place_by_end[pos]
            break
        lead = AWARD_OPEN.search(text, max(0, pos - 6), pos)
        if lead is not None:
            bare = lead.group() in ("省", "市", "县", "区", "州")
            if not bare or lead.start() == 0 or text[lead.start() - 1] in PUNCT or lead.start() in stops \
                    or text[lead.start() - 1] in AWARD_BREAK:
                best = lead.start()
                if best in place_by_end:
                    best = place_by_end[best]  # 陕西省|第五届, 甘肃|省级
                break
        ch = text[pos - 1]
        if ch in AWARD_BREAK or (ch in PUNCT and ch not in "“”\"") or pos in stops:
            break
        pos -= 1
    return best
