"""What every name finder shares: tokens, candidates, the article's context and the registry.

A finder is a function of a :class:`Scan` (one sentence: its text, jieba
tokens, the tagger's words, lexicon hits, the places found so far and the
candidates found so far) that returns new :class:`Candidate` names.  Each
registers itself with :func:`finder`, with its place in the order and the
sentences it is written for; :func:`kg.extract.names.find_mentions` runs them
all and chooses among crossing candidates.  Adding a phenomenon adds one
finder (and its example rows, which run as tests) and edits nothing else.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ...read.tokenize import cut_tagged, tag_table
from ..lexicon import Lexicon, Place
from ..tagger import Word

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


def is_name_token(tok: Token) -> bool:
    if not tok.text.strip() or tok.text[0] in PUNCT:
        return False
    if tok.text in STOP_WORDS:
        return False
    if tok.tag is None:
        return tok.text[0] not in FUNCTION_CHARS  # unknown word: a brand or a name
    return tok.tag in NAME_TAGS


def pick_place(codes: Iterable[str], ctx: ArticleContext, short: bool = False) -> str:
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
class Candidate:
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


ORGS = frozenset({"TradeUnion", "Enterprise", "GovernmentBody", "OtherOrganization"})


FULL_NAME_ENDS = ("公司", "集团", "工会", "总工会", "联合会", "学院", "大学", "协会")


HAN_NAME = re.compile(r"^[\u4e00-\u9fff]+$")


#: The tagger's tags of words that never stand inside an organisation's name.
STOP_TAGS = frozenset({"PER", "p", "c", "u", "xc", "w", "r", "d", "TIME", "v", "vd", "ad"})


def stop_ends(words: list[Word], through_persons: bool = False, text: str = "") -> set[int]:
    """Ends of the tagger's words a name cannot reach back over; a studio's name holds its person.

    A "punctuation" word that holds letters (the tagger's reading of ``)有限公司``) is no stop.
    """
    return {w.end for w in words if w.tag in STOP_TAGS and not (through_persons and w.tag == "PER")
            and not (w.tag == "w" and text and any(c not in PUNCT for c in text[w.start:w.end]))}


def after_function_word(text: str, pos: int) -> bool:
    return any(text.endswith(w, 0, pos) for w in AFTER_WORDS)


#: Words after which a name may begin: particles, prepositions and linking verbs (的, 由, 从市总工会).
AFTER_WORDS = ("的", "由", "在", "和", "与", "及", "对", "向", "为", "据", "驻", "是", "了", "让", "请", "被", "将",
               "从", "自", "经", "受", "给", "同", "跟", "按", "依", "至", "到")


YEAR_PREFIX = re.compile(r"^(?:19|20)\d\d年度?")


@dataclass
class Scan:
    """One sentence as the finders see it, and what they have found so far."""

    text: str
    toks: list[Token]
    words: list[Word]
    hits: list[Any]
    ctx: ArticleContext
    place_spans: dict[tuple[int, int], str] = field(default_factory=dict)
    cands: list[Candidate] = field(default_factory=list)

    @property
    def lx(self) -> Lexicon:
        return self.ctx.lexicon

    @functools.cached_property
    def tok_start(self) -> set[int]:
        return {t.start for t in self.toks}

    @functools.cached_property
    def tok_end(self) -> set[int]:
        return {t.end for t in self.toks}

    def word_boundary(self, s: int, e: int) -> bool:
        """The span does not cut a jieba word in two (used for short forms)."""
        return (s in self.tok_start or s == 0) and (e in self.tok_end or e == len(self.text))


Finder = Callable[[Scan], Iterable[Candidate]]


@dataclass(frozen=True)
class Registered:
    """A finder with its name, its place in the order and its example rows."""

    name: str
    order: int
    run: Finder
    #: (sentence, {(class, label)} that must be found in it)
    examples: tuple[tuple[str, frozenset[tuple[str, str]]], ...]


FINDERS: dict[str, Registered] = {}


def finder(name: str, order: int,
           examples: Iterable[tuple[str, set[tuple[str, str]]]] = ()) -> Callable[[Finder], Finder]:
    """Register a name finder; lower ``order`` runs first (later ones see earlier candidates)."""

    def register(fn: Finder) -> Finder:
        if name in FINDERS:
            raise ValueError(f"a name finder {name!r} is registered twice")
        FINDERS[name] = Registered(name, order, fn, tuple((s, frozenset(e)) for s, e in examples))
        return fn

    return register


def registered() -> list[Registered]:
    """The finders in the order they run."""
    return sorted(FINDERS.values(), key=lambda f: (f.order, f.name))
