"""Person names from the words around them.

A Chinese name is a surname and one or two given-name characters.  Alone that
shape is everywhere (高度, 方面, 万家), so a name is only taken where the
context says a person stands there:

* after a title or role: 常务副主席张家升, 记者刘友婷, 外卖骑手徐昌顺, or an
  honour: 全国劳动模范李秀英;
* in a list closed by 等: 白羽、王振强、丛慧敏…等6位;
* at the head of a clause before a verb of saying or doing: 王东明要求, 郑兴说;
* after an election or appointment: 选举王五担任…;
* after 的 and before a verb or a comma: 529厂的郑兴是…, 热心的谭真第一时间…;
* as a word jieba does not know that starts with a surname and stands where a
  subject or object stands (lower confidence).

Common words never become persons: a candidate that is a dictionary word
(other than a name) is rejected.
"""

from __future__ import annotations

import re

from ..read.tokenize import tag_of, word_freq
from .lexicon import Lexicon, occupation_word

__all__ = ["complete_names", "find_persons", "model_name", "plausible_name"]

HAN = re.compile(r"^[\u4e00-\u9fff]+$")
#: Verbs and words that commonly follow a person's name.
#: What a sentence says of someone's past right after the name (李明原是…, 王芳曾在…).
FORMERLY = ("原是", "原为", "原系", "原在", "原任", "曾是", "曾为", "曾在", "曾任", "曾经")


def before_formerly(text: str, s: int, e: int) -> int:
    """The end of the name ``text[s:e]`` when its last character begins 原是, 曾在 … (李明原|是 → 李明)."""
    return e - 1 if e - s > 2 and text.startswith(FORMERLY, e - 1) else e


AFTER_NAME = ("说", "表示", "指出", "要求", "强调", "介绍", "认为", "告诉", "讲述", "坦言", "回忆", "回想",
              "看到", "感到", "进一步", "信心", "热切", "决心", "主持", "希望", "提出", "是", "的", "在", "等",
              "和", "与", "也", "就", "还", "正", "已", "将", "为", "对", "向", "乐于", "第一时间", "走进",
              "出席", "参加", "带领", "呼吁", "透露", "称", "谈到", "坚持", "发言", "报名", "当选", "获得",
              "荣获", "被", "把", "从", "自", "曾", "又", "都", "一直", "同时", "作为", "骑着", "来到",
              "告", "拿", "担任", "出任", "被任命", "任", "牵头", "通过", "倍感", "现场", "深有", "激动", "：",
              "先生", "女士", "同志")
CLAUSE_START = set("，。；：！？、“”\"‘’(（「『 \n,;:!?")
FUNCTION_BEFORE = ("的", "和", "与", "及", "同", "跟", "让", "请", "对", "向", "给", "为", "帮")


#: Words that follow a surname to address someone without the given name (王师傅, 李老师).
ADDRESS_TERMS = frozenset({"师傅", "老师", "阿姨", "大姐", "大哥", "同志", "先生", "女士"})


def plausible_name(name: str, lx: Lexicon) -> bool:
    """A 2–3 (or 4 with a compound surname) character string that could be a name."""
    if not HAN.match(name) or not 2 <= len(name) <= 4:
        return False
    if len(name) == 4 and name[:2] not in lx.surnames:
        return False
    if name[0] not in lx.surnames and name[:2] not in lx.surnames:
        return False
    given = name[2:] if len(name) > 2 and name[:2] in lx.surnames else name[1:]
    if lx.roles.get(given) or given in ADDRESS_TERMS:
        return False  # 张主席, 王师傅: a surname and a title or a term of address
    tag = tag_of(name)
    if tag is not None and not tag.startswith("nr") and word_freq(name) > 2:
        return False  # a common word (高度, 方面, 万家)
    if lx.roles.get(name) or name in lx.groups or name in lx.place_short or name in lx.place_names:
        return False
    # the given name must not be a function word glued on (王东明要 → 王东明)
    if name[-1] in "说的了在是和与也就还将把被对向为等":
        return False
    return True


def _name_at(text: str, pos: int, toks_by_start: dict[int, int], lx: Lexicon) -> int | None:
    """End of a plausible name starting at ``pos``, or None.

    A name followed by punctuation or a word that commonly follows names beats
    one that would leave a stray character (张家升: beats 张家 + 升:).
    """
    scored = []
    for L in (3, 2):
        cand = text[pos:pos + L]
        if len(cand) < L or not plausible_name(cand, lx):
            continue
        rest = text[pos + L:]
        score = 0
        if not rest or rest[0] in CLAUSE_START:
            score = 3
        elif rest.startswith(FORMERLY):
            score = 2.5  # 李明|原是: not 李明原|是
        elif rest.startswith(AFTER_NAME):
            score = 2
        elif (pos + L) in toks_by_start:
            score = 1
        if toks_by_start.get(pos) == pos + L:
            score += 0.5
        if score:
            scored.append((score, L))
    if not scored:
        return None
    scored.sort(reverse=True)
    return pos + scored[0][1]


#: A name from a minority language, its parts joined by a middle dot (阿依古再丽·吾普尔).
DOTTED_NAME = re.compile(r"^[\u4e00-\u9fff]{1,8}(?:[·•・][\u4e00-\u9fff]{1,8})+$")
#: Characters that end a tagged span but not a name: 吴恒作(报告), 魏锋家, 努尔斯曼周说.
NOT_NAME_END = "说作家们等的了在是和与及对向为将把被让称讲道"


def model_name(name: str, lx: Lexicon) -> bool:
    """A span the tagger calls a person that is shaped like a name and is no common word.

    Names without a Han surname (米玛扎西, 拉巴次珠) are taken when they are no
    dictionary word; a dotted name (阿依古再丽·吾普尔) whatever its parts.
    """
    if DOTTED_NAME.match(name):
        return True
    if not HAN.match(name) or not 2 <= len(name) <= 4 or name[-1] in NOT_NAME_END:
        return False
    if any(name.endswith(t) for t in ADDRESS_TERMS):
        return False  # 王师傅, 李老师
    if plausible_name(name, lx) or (tag_of(name) or "").startswith("nr") and word_freq(name) < 50:
        return True
    if tag_of(name) is not None or lx.roles.get(name) or name in lx.groups or name in lx.place_names:
        return False
    if any(name.endswith(r) for r in lx.roles):
        return False  # 赵书记: a surname and a title
    if name[0] in "小老" and len(name) <= 3:
        return False  # 小纪, 老马: what colleagues call someone, not a name
    return len(name) == 4 or name[0] in lx.surnames


class _Found:
    """Person spans found so far in one sentence, and where other names already stand."""

    def __init__(self, text: str, toks: list, taken: list[tuple[int, int]], lx: Lexicon) -> None:
        self.text, self.toks, self.taken, self.lx = text, toks, taken, lx
        self.toks_by_start = {t.start: t.end for t in toks}
        self.out: dict[tuple[int, int], tuple[str, float]] = {}

    def free(self, s: int, e: int) -> bool:
        return not any(a < e and s < b for a, b in self.taken)

    def add(self, s: int, e: int, rule: str, conf: float) -> None:
        if self.free(s, e) and (s, e) not in self.out:
            self.out[(s, e)] = (rule, conf)

    def name_at(self, pos: int) -> int | None:
        return _name_at(self.text, pos, self.toks_by_start, self.lx)


def _after_role(f: _Found, hits: list) -> None:
    """After a title, an occupation or an honour: 常务副主席张家升, 全国劳动模范李秀英."""
    role_ends: dict[int, str] = {}
    for _s, e, surface, entries in hits:
        for kind, _payload in entries:
            if kind in ("role", "award_head") and (e not in role_ends or len(surface) > len(role_ends[e])):
                role_ends[e] = surface
    for t in f.toks:
        if t.end not in role_ends and occupation_word(t.text):
            role_ends[t.end] = t.text
    for e in sorted(role_ends):
        end = f.name_at(e)
        if end is not None:
            f.add(e, end, "person:after-role", 0.9)


def _listed(f: _Found, hits: list) -> None:
    """In a list closed by 等: 白羽、王振强、丛慧敏等."""
    for m in re.finditer(r"((?:[\u4e00-\u9fff]{2,3}、){1,}[\u4e00-\u9fff]{2,3})等", f.text):
        items = m.group(1).split("、")
        if all(plausible_name(x, f.lx) for x in items):
            pos = m.start(1)
            for x in items:
                f.add(pos, pos + len(x), "person:list", 0.85)
                pos += len(x) + 1


def _clause_subject(f: _Found, hits: list) -> None:
    """At the head of a clause, before a verb of saying or doing: 王东明要求, 郑兴说."""
    text, lx = f.text, f.lx
    for i in range(len(text)):
        if i > 0 and text[i - 1] not in CLAUSE_START:
            continue
        if text[i] not in lx.surnames and text[i:i + 2] not in lx.surnames:
            continue
        for L in ((4, 3) if text[i:i + 2] in lx.surnames else (3, 2)):
            cand = text[i:i + L]
            if len(cand) == L and plausible_name(cand, lx) and text.startswith(AFTER_NAME, i + L) \
                    and text[i + L:i + L + 1] not in ("的", "和", "在", "是", "等", "也", "就", "还", "将") \
                    and (text[i + L:i + L + 1] != "：" or i == 0):
                f.add(i, i + L, "person:subject", 0.8)
                break


def _appointed(f: _Found, hits: list) -> None:
    """The person an election or appointment names: 选举王五担任…, 任命张三为…"""
    for m in re.finditer(r"(?:选举|推选|任命|聘任|聘请)", f.text):
        end = f.name_at(m.end())
        if end is not None and f.text.startswith(("担任", "出任", "为", "任"), end):
            f.add(m.end(), end, "person:appointed", 0.8)


def _honorific(f: _Found, hits: list) -> None:
    """Before 先生/女士/同志: 程阳先生."""
    text = f.text
    for m in re.finditer(r"(?:先生|女士|同志)", text):
        for L in (3, 2):
            i = m.start() - L
            if i >= 0 and plausible_name(text[i:m.start()], f.lx) and (i == 0 or text[i - 1] in CLAUSE_START
                                                                         or i in f.toks_by_start):
                f.add(i, m.start(), "person:honorific", 0.8)
                break


def _after_de(f: _Found, hits: list) -> None:
    """After 的 and before a comma or a verb: 529厂的郑兴是…, 热心的谭真第一时间…"""
    text = f.text
    for m in re.finditer("的", text):
        i = m.end()
        end = f.name_at(i)
        if end is None:
            continue
        rest = text[end:]
        if (rest[:1] in ("，", ",", "是") or rest.startswith(("乐于", "第一时间", "反复", "表示", "说"))) \
                and tag_of(text[i:end]) is None:
            f.add(i, end, "person:after-de", 0.7)


def _unknown_words(f: _Found, hits: list) -> None:
    """A word the dictionary lacks, shaped like a name, where a subject or object stands."""
    text = f.text
    for t in f.toks:
        w = t.text
        if t.tag is not None or not 2 <= len(w) <= 3 or not plausible_name(w, f.lx):
            continue
        before = text[t.start - 1] if t.start > 0 else "，"
        after = text[t.end:t.end + 1]
        if (before in CLAUSE_START or text.endswith(FUNCTION_BEFORE, 0, t.start)) and \
                (after in CLAUSE_START or text.startswith(AFTER_NAME, t.end)):
            f.add(t.start, t.end, "person:surname-model", 0.6)
        elif getattr(t, "guess", "").startswith("nr") and len(w) == 3:
            # a three-character word the dictionary lacks, name-like to the HMM and led by a surname
            f.add(t.start, t.end, "person:hmm", 0.55)


def _studio(f: _Found, hits: list) -> None:
    """The person a studio is named after (…公司张新太劳模创新工作室), inside the studio's name."""
    for m in STUDIO_AFTER.finditer(f.text):
        for L in (3, 2):
            i = m.start() - L
            if i >= 0 and plausible_name(f.text[i:m.start()], f.lx) and (i, m.start()) not in f.out:
                f.out[(i, m.start())] = ("person:studio", 0.8)
                break


#: The person rules, in the order they claim a span (the first rule to find a span names it).
PERSON_RULES = (_after_role, _listed, _clause_subject, _appointed, _honorific, _after_de, _unknown_words, _studio)


def find_persons(text: str, toks: list, hits: list, taken: list[tuple[int, int]],
                 lx: Lexicon, words: list | None = None) -> list[tuple[int, int, str, float]]:
    """Person spans in ``text`` as ``(start, end, rule, confidence)``.

    ``taken`` are spans other names hold; ``words`` the tagger's words, whose
    persons repair and extend what the rules find (see :func:`_reconcile`).
    """
    f = _Found(text, toks, taken, lx)
    for rule in PERSON_RULES:
        rule(f, hits)
    out = _reconcile(text, f.out, words, lx, f.free) if words else f.out
    return [(s, e, r, c) for (s, e), (r, c) in sorted(out.items())]


def _model_spans(text: str, words: list, lx: Lexicon) -> list[tuple[int, int]]:
    """The tagger's persons, trimmed to a name: a verb or 家 glued after (魏锋家, …周说) and a
    title after a surname (赵书记) come off; two names run together where a space was
    dropped (任燕满建锋) are parted."""
    out = []
    for w in words:
        if w.tag != "PER" or _quoted(text, w.start, w.end):
            continue
        s, e = w.start, w.end
        while e - s > 2 and text[e - 1] in NOT_NAME_END:
            e -= 1
        e = before_formerly(text, s, e)
        name = text[s:e]
        if model_name(name, lx):
            out.append((s, e))
        elif 4 <= len(name) <= 6 and HAN.match(name):
            out.extend(_two_names(name, s, lx))
    return out


def _two_names(name: str, s: int, lx: Lexicon) -> list[tuple[int, int]]:
    """Two names run together (刘颖岳国君 → 刘颖, 岳国君); [] when no cut makes two names.

    The cut whose second part opens with the commoner surname wins.
    """
    rank = lx.surname_rank
    cuts = [k for k in (2, 3) if len(name) - k in (2, 3) and plausible_name(name[:k], lx)
            and plausible_name(name[k:], lx)]
    if not cuts:
        return []
    k = min(cuts, key=lambda k: rank.get(name[k], 9999))
    return [(s, s + k), (s + k, s + len(name))]


#: What may follow a name that stands inside a studio's name (张新太劳模创新工作室).
STUDIO_AFTER = re.compile(r"(?:劳模|工匠|技能大师|技能人才|职工|技术)?创新工作室")


def _reconcile(text: str, found: dict[tuple[int, int], tuple[str, float]], words: list, lx: Lexicon,
               free: object) -> dict[tuple[int, int], tuple[str, float]]:
    """Let the tagger repair the grammar's persons and propose its own.

    A grammar person that a tagged person overlaps takes the tagger's
    boundaries (主席朱忠|玪 → 朱忠玪, 吴恒作|报告 → 吴恒) unless the tagged one is
    a piece of it; one the tagger reads as other words is dropped (职工和企业,
    宣传下) unless the tagger has it as one noun and a strong rule found it
    (砌筑工|游军); a tagged person no rule found is added when it is shaped
    like a name.
    """
    model = _model_spans(text, words, lx)
    out: dict[tuple[int, int], tuple[str, float]] = {}
    for (s, e), (rule, conf) in found.items():
        over = [m for m in model if m[0] < e and s < m[1]]
        # the tagger cut the name in pieces of which one is a lone surname (马|宝民)
        split = any(w.tag == "PER" and w.end - w.start == 1 and s <= w.start < e for w in words)
        if over and _follows_name(text, e) and not _follows_name(text, over[0][1]):
            out[(s, e)] = (rule, conf)  # 热心的谭真|乐于助人, where the tagger read 谭真乐
        elif over:
            out.setdefault(over[0], (rule, conf))
        elif split or STUDIO_AFTER.match(text, e) or (conf >= 0.8 and word_freq(text[s:e]) < 50 and any(
                w.start == s and w.end == e and w.tag in ("nz", "nw", "n") for w in words)):
            out[(s, e)] = (rule, conf - 0.1)
    for s, e in model:
        if not any(a < e and s < b for a, b in out) and free(s, e):  # type: ignore[operator]
            out[(s, e)] = ("person:model", 0.75)
    return out


def _follows_name(text: str, end: int) -> bool:
    return end >= len(text) or text[end] in CLAUSE_START or text.startswith(AFTER_NAME, end)


def complete_names(mentions: list) -> None:
    """One name, one reading in an article: a person cut short where the article
    names the same person in full elsewhere (徐昌|顺感到 beside 骑手徐昌顺) is
    completed from the sentence."""
    persons = [m for m in mentions if m.cls == "Person"]
    full = {m.key for m in persons if m.confidence >= 0.75}
    for m in persons:
        longer = [n for n in full if len(n) > len(m.key) and n.startswith(m.key)]
        sent = m.sentence
        for n in sorted(longer, key=lambda n: (-len(n), n)):
            rest = n[len(m.key):]
            if sent.text.startswith(rest, m.end - sent.start):
                m.end += len(rest)
                m.key = n
                m.surface = sent.display[m.start - sent.start:m.end - sent.start]
                break


def _quoted(text: str, s: int, e: int) -> bool:
    """The span is the whole of a quotation (“秦快哥”智能驿站): a brand or a title, not a person."""
    return s > 0 and text[s - 1] in QUOTES and text[e:e + 1] in QUOTES


QUOTES = "“”\"「」『』‘’'"
