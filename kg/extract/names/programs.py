"""Programs: quoted names with a head, titles in 《》, names with a year, place or ordinal,
and names made of what a program is about and its head (建会入会集中行动, 11条措施)."""

from __future__ import annotations

import re

from ..lexicon import Lexicon
from ..tagger import Word
from .base import (
    BOOK_RE,
    ORDINAL_RE,
    PUNCT,
    QUOTE_RE,
    STOP_WORDS,
    YEAR_RE,
    Candidate,
    Scan,
    Token,
    finder,
    is_name_token,
)

#: Characters that link clauses or phrases: a longer stretch between quotes and a head holding one is no name.
_LINKING = frozenset("在和与了中等及并将对向把被从到让使由于也还都")


#: Heads of events and campaigns, which may follow a quoted name after a few describing words
#: (“715”服务职工行动); a mechanism or model that far from its quotes is the quoted thing's (“工会红娘”队伍激励机制).
_EVENT_HEADS = frozenset({"专项行动", "行动", "活动", "服务月活动", "竞赛", "劳动竞赛", "技能竞赛", "大赛", "技能大赛",
                          "运动会", "职工运动会", "文化节", "读书月", "工程"})


QUOTED_FAR_HEAD = re.compile(r"((?:(?:19|20)\d\d年度?)?[\u4e00-\u9fff]{2,10}?)(?:活动|行动|专项行动|竞赛|大赛)")


THEME_BEFORE = re.compile(r"以$")


THEME_AFTER = ("为主题", "为题", "为口号")


def _quoted_programs(text: str, lx: Lexicon) -> list[Candidate]:
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
                out.append(Candidate("Program", m.start(), m.end(), text[m.start():m.end()], canonical=inner,
                                 rule="program:theme", confidence=0.8, priority=3))
            continue
        end = m.end() + (len(head) if head else 0)
        surface = text[m.start():end]
        cand = Candidate("Program", m.start(), end, surface, canonical=None, rule="program:quoted",
                     confidence=0.85, attrs={"core": inner}, priority=3)
        out.append(cand)
    for m in BOOK_RE.finditer(text):
        inner = m.group(1).replace("\n", "")
        if any(inner.endswith(h) for h, k in lx.program_heads.items() if "book" in k):
            out.append(Candidate("Program", m.start(), m.end(), text[m.start():m.end()], canonical=inner,
                             rule="program:book", confidence=0.9, priority=3))
    return out


def _titled_programs(text: str, toks: list[Token], hits: list, place_spans: dict[tuple[int, int], str],
                     lx: Lexicon) -> list[Candidate]:
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
                if inner is not None and is_name_token(inner) and inner.tag != "m":
                    pos = inner.start
                    continue
                break
            if not is_name_token(tok) or tok.tag == "m":
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
        out.append(Candidate("Program", s, e, name, rule="program:titled", confidence=0.8, priority=1))
    return out


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
                     lx: Lexicon) -> list[Candidate]:
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
        out.append(Candidate("Program", pos, e, text[pos:e], rule="program:headed", confidence=0.75, priority=0,
                         attrs={"core": q.group(1)} if q is not None else {}))
    return out



@finder("quoted-programs", 70, examples=[
    ("全总开展“十百千”建会专项行动。", {("Program", "“十百千”建会专项行动")}),
    ("活动以“冬日送温暖，工会暖人心”为主题。", {("Program", "“冬日送温暖，工会暖人心”")}),
])
def quoted_programs(scan: Scan) -> list[Candidate]:
    """A quoted name and its head, a book title that names a program, a slogan given as a theme."""
    return _quoted_programs(scan.text, scan.lx)


@finder("titled-programs", 71, examples=[
    ("2022年深圳技能大赛开幕。", {("Program", "2022年深圳技能大赛")}),
])
def titled_programs(scan: Scan) -> list[Candidate]:
    """A name with a year, place or ordinal before its head."""
    return _titled_programs(scan.text, scan.toks, scan.hits, scan.place_spans, scan.lx)


@finder("headed-programs", 72, examples=[
    ("推进签订安全卫生专项集体合同。", {("Program", "安全卫生专项集体合同")}),
    ("在全市开展新就业形态劳动者建会入会集中行动。", {("Program", "新就业形态劳动者建会入会集中行动")}),
])
def headed_programs(scan: Scan) -> list[Candidate]:
    """What a program is about and its head."""
    return _headed_programs(scan.text, scan.words, scan.hits, scan.place_spans, scan.lx)
