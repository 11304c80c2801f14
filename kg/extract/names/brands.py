"""Enterprises the tagger finds that no rule names: brands and short names (德邦, 沃尔玛)."""

from __future__ import annotations

import re

from ...read.tokenize import tag_of, word_freq
from ..lexicon import Lexicon
from ..tagger import Word
from .base import GENERIC_PARTS, HAN_NAME, PUNCT, Candidate, Scan, Token, finder

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


def _model_orgs(text: str, words: list[Word], toks: list[Token], cands: list[Candidate],
                lx: Lexicon) -> list[Candidate]:
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
        if any(s < c.start < e < c.end for c in cands if c.cls == "WorkerGroup"):
            continue  # 灵丘县货运|司机: the tagger's organisation ends inside a worker group
        listed = text[s - 1:s] == "、" or text[e:e + 1] == "、" and any(a == e + 1 for a, _ in orgs)
        if not (listed or text.startswith(AFTER_BRAND, e) or AT_WORK.match(text, e) or LATIN_NAME.match(name)):
            continue
        out.append(Candidate("Enterprise", s, e, name, rule="org:model", confidence=0.7))
    return out



@finder("brands", 90, examples=[
    ("顺丰、苏宁、德邦等企业的快递员入会。", {("Enterprise", "苏宁"), ("Enterprise", "德邦")}),
])
def brands(scan: Scan) -> list[Candidate]:
    """The tagger's organisations in a list, before their staff or shops, or as a workplace."""
    return _model_orgs(scan.text, scan.words, scan.toks, scan.cands, scan.lx)
