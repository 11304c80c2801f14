"""Normalisation: whitespace, width and quote folding, script folding, OCR repair, offsets."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kg.model import Span
from kg.read.normalize import fold, load_repairs, normalize

PAGE = Path(__file__).resolve().parent.parent / "examples" / "workers-daily-2022-11-11-p3.md"

# fmt: off
WHITESPACE = [
    ("哈尔滨市总工 会", "哈尔滨市总工会"),             # line break inside a word
    ("徐 昌顺", "徐昌顺"),                             # inside a name
    ("深度\n参与", "深度参与"),                        # a newline inside a span
    ("工会\u3000工作", "工会工作"),                    # ideographic space
    ("工会\u00a0工作", "工会工作"),                    # no-break space
    ("返还 12992 户", "返还12992户"),                  # CJK and digits
    ("2022 年", "2022年"),
    ("1.2万个", "1.2万个"),
    ("会 1.2万个以上", "会1.2万个以上"),
    ("驾驶C919 这一", "驾驶C919这一"),                 # Latin and CJK
    ("前行。 \"我将", "前行。“我将"),                  # after CJK punctuation
    ("工作方案》, 提出", "工作方案》,提出"),            # ASCII comma then CJK
    ("C919 test case", "C919 test case"),              # Latin words keep one space
    ("a  \t b", "a b"),                                 # runs collapse
    ("  工会  ", "工会"),                               # ends are stripped
    ("工\u200b会", "工会"),                             # zero-width space
    ("ab\u200bcd", "abcd"),
]

FOLDING = [
    ("Ｃ９１９", "C919"),
    ("（试点）", "(试点)"),
    ("工会，职工：好；吗？是！", "工会，职工：好；吗？是！"),  # Chinese punctuation kept
    ("１．２万", "1.2万"),
    ("⼯会", "工会"),                                   # Kangxi radical
    ("工会・职工", "工会·职工"),
    ("｢工会｣", "“工会”"),
]

QUOTES = [
    ('镇安县"工会进万家"活动', "镇安县“工会进万家”活动"),
    ('不送"盆景"、不摆"花架 子"、不"新壶装旧酒"', "不送“盆景”、不摆“花架子”、不“新壶装旧酒”"),
    ("「工会红娘」", "“工会红娘”"),
    ("『小蜜蜂』", "‘小蜜蜂’"),
    ('“已配对”后"新的"', "“已配对”后“新的”"),
    ("做一名勤劳的'小 蜜蜂'", "做一名勤劳的'小蜜蜂'"),   # straight single quotes stay
]

REPAIRS = [
    ("推进快递员等群体人会。", "推进快递员等群体入会。", ["人会→入会"]),
    ("新就业形态劳动者 建会人会和权益维护", "新就业形态劳动者建会入会和权益维护", ["人会→入会"]),
    ("实施网上扫码人会", "实施网上扫码入会", ["人会→入会"]),
    ("举行人会仪式", "举行入会仪式", ["人会→入会"]),
    ("认真学习官传贯彻", "认真学习宣传贯彻", ["官传→宣传"]),
    ("做好官传教育工作", "做好宣传教育工作", ["官传→宣传"]),
    ("递交人党申请书", "递交入党申请书", ["人党→入党"]),
    ("成功人围决赛", "成功入围决赛", ["人围→入围"]),
    ("工作巳经完成", "工作已经完成", ["巳经→已经"]),
    ("本报北京11月10曰电", "本报北京11月10日电", ["曰→日"]),
    ("人會儀式", "入会仪式", ["人会→入会"]),          # traditional input: matched on the simplified text
]

NO_REPAIR = [
    "召开工人会议",              # 工人会议: 人会 inside 工人 + 会议
    "个人会计核算",              # 个人会计
    "每个人会工作",
    "年轻人会工作",
    "家人会来",
    "个人党性修养",
    "众人围观",
    "自己经过努力",
    "子曰学而时习之",
    "建会入会工作",              # already right
    "官员传达",                  # 官 and 传 in different words
    "张官传",                    # a name: no context
]
# fmt: on


@pytest.mark.parametrize(("raw", "text"), WHITESPACE)
def test_whitespace(raw: str, text: str) -> None:
    assert normalize(raw).text == text


@pytest.mark.parametrize(("raw", "text"), FOLDING)
def test_folding(raw: str, text: str) -> None:
    assert normalize(raw).text == text


@pytest.mark.parametrize(("raw", "text"), QUOTES)
def test_quotes(raw: str, text: str) -> None:
    assert normalize(raw).text == text


@pytest.mark.parametrize(("raw", "text", "rules"), REPAIRS)
def test_repairs(raw: str, text: str, rules: list[str]) -> None:
    n = normalize(raw)
    assert n.text == text
    assert [f"{r.before}→{r.after}" for r in n.repairs] == rules
    for r in n.repairs:
        assert r.rule == f"ocr:{r.before}→{r.after}"
        # the span points at the raw characters that were repaired
        assert normalize(raw[r.span.start : r.span.end], repair=False).text == r.before


@pytest.mark.parametrize("raw", NO_REPAIR)
def test_no_repair(raw: str) -> None:
    n = normalize(raw)
    assert n.repairs == []
    assert n.text == normalize(raw, repair=False).text


def test_repair_off() -> None:
    n = normalize("群体人会", repair=False)
    assert n.text == "群体人会" and n.repairs == []


def test_repairs_change_display_too_but_keep_its_script() -> None:
    n = normalize("推動群體人會")
    assert n.text == "推动群体入会"
    assert n.display == "推動群體入會"  # only the wrong character changes


def test_traditional_folds_in_text_and_stays_in_display() -> None:
    n = normalize("哈爾濱市總工會「三管齊下」助力經濟發展")
    assert n.text == "哈尔滨市总工会“三管齐下”助力经济发展"
    assert n.display == "哈爾濱市總工會“三管齊下”助力經濟發展"


def test_keep_spaces_for_headlines() -> None:
    raw = "认真学习官传贯彻党的二十大精神 团结动员 亿万职工"
    assert normalize(raw, keep_spaces=True).display == "认真学习宣传贯彻党的二十大精神 团结动员 亿万职工"
    assert normalize(raw).display == "认真学习宣传贯彻党的二十大精神团结动员亿万职工"


def test_spans_and_separator() -> None:
    raw = "标题\n\n正文 第一段\n\n  \n\n第二段"
    spans = [Span(0, 2), Span(4, 10), Span(12, 14), Span(16, 19)]
    n = normalize(raw, spans)
    assert n.text == "标题\n正文第一段\n第二段"  # the blank span adds no separator
    assert n.offsets[2] == 2  # the separator maps to the end of the span before it
    assert n.offsets[-1] == 19
    assert n.raw_span(3, 8) == Span(4, 10)


def test_bad_spans() -> None:
    with pytest.raises(ValueError):
        normalize("abcdef", [Span(3, 5), Span(1, 2)])
    with pytest.raises(ValueError):
        normalize("abc", [Span(0, 9)])


def test_page_repairs() -> None:
    raw = PAGE.read_text("utf-8")
    n = normalize(raw)
    fired = [(r.before, r.after, raw[r.span.start - 2 : r.span.end]) for r in n.repairs]
    assert fired == [("人会", "入会", "群体人会"), ("官传", "宣传", "学习官传"), ("人会", "入会", "建会人会")]


def test_confusion_table_is_well_formed() -> None:
    rules = load_repairs()
    assert len(rules) >= 8
    for r in rules:
        assert len(r.wrong) == len(r.right) and r.wrong != r.right
        assert r.note


def test_confusion_table_rejects_bad_rows(tmp_path: Path) -> None:
    p = tmp_path / "t.tsv"
    p.write_text("wrong\tright\tleft\tright_context\tnote\n人会\t入会会\t\t\tbad\n", "utf-8")
    with pytest.raises(ValueError, match="equal length"):
        load_repairs(str(p))


def test_long_line_is_linear() -> None:
    raw = "工会组织职工参加劳动竞赛，" * 200_000  # 2.6 million characters, no line break
    n = normalize(raw)
    assert len(n.text) == len(raw) and n.offsets[-1] == len(raw)


# --------------------------------------------------------------------------- composition (NFC)


def test_combining_marks_are_composed_and_map_to_all_their_parts() -> None:
    raw = "Cafe\u0301 工会"
    n = normalize(raw)
    assert n.text == n.display == "Café工会"
    assert n.offsets.tolist() == [0, 1, 2, 3, 6, 7, 8] and n.ends == {3: 5}
    assert n.raw_span(0, 4) == Span(0, 5)  # the accent is inside the span of the name
    assert n.raw_span(3, 4) == Span(3, 5)
    assert n.raw_span(4, 6) == Span(6, 8)


def test_decomposed_hangul_is_composed() -> None:
    nfd = unicodedata.normalize("NFD", "한국노총")
    n = normalize(nfd)
    assert len(nfd) == 11 and n.text == "한국노총"
    assert [n.raw_span(i, i + 1) for i in range(4)] == [Span(0, 3), Span(3, 6), Span(6, 8), Span(8, 11)]


def test_repair_after_a_composed_character_keeps_its_raw_span() -> None:
    n = normalize("Cafe\u0301建会人会")
    assert n.text == "Café建会入会"
    (rep,) = n.repairs
    assert rep.span == Span(7, 9)  # 人会 in the raw text, after the five characters of Café and 建会


def test_nfd_and_nfc_spellings_are_one_node() -> None:
    from kg.builder.pipeline import extract_document
    from kg.extract import lexicon
    from kg.model import Document
    from kg.rdf.mapping import entity_iri

    text = "本报讯 南京Café咖啡有限公司成立工会，首批28名员工加入工会。Café咖啡有限公司工会主席王建国介绍了情况。"
    nodes = []
    for form in ("NFC", "NFD"):
        raw = unicodedata.normalize(form, text)
        doc = Document(form, f"{form}.txt", raw)
        mapper, results = extract_document(doc, lexicon())
        iris = {entity_iri(cls, key) for cls, key in mapper.entity_keys}
        nodes.append(iris)
        assert all(unicodedata.is_normalized("NFC", iri) for iri in iris)
        # provenance still quotes the source as written, every sentence to its last character
        sents = [s for r in results for s in r.sentences]
        assert sents[-1].span.end == len(raw)
        assert "".join(raw[s.span.start : s.span.end] for s in sents) == raw.replace("本报讯 ", "")
    assert nodes[0] == nodes[1]
    assert entity_iri("Enterprise", "南京Café咖啡有限公司") in nodes[0]


# --------------------------------------------------------------------------- properties

_QUOTE_FORMS = {'"': "“”", "＂": "“”"}

texts = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("工会人入建群体官传宣学习哈爾濱總會經濟發展乾隆後著")),
        st.sampled_from(list(" \n\t\u3000\u00a0\u200b\"'“”「」『』（）()，。,.!?；：、·・")),
        st.sampled_from(list("Ａ１Ｃabc019")),
        st.sampled_from(list("\u0301\u0308\u0323\u1161\u11a8\u1100\u212b")),  # marks, jamo, a singleton
        st.characters(codec="utf-8"),
    ),
    max_size=60,
)


def _expected(raw_char: str) -> set[str]:
    if raw_char.isspace():
        return {" "}
    if raw_char in _QUOTE_FORMS:
        return set(_QUOTE_FORMS[raw_char])
    return {fold(raw_char)}


@settings(max_examples=300, deadline=None)
@given(texts)
@example("工 会")
@example('a "b')
@example("建会人会人会")
@example("Cafe\u0301 \u1112\u1161\u11ab")  # marks and jamo that compose
@example("Ａ\x1b\u0301")  # a mark that meets its letter once a control character goes
def test_properties(raw: str) -> None:
    n = normalize(raw)
    # (1) lengths
    assert len(n.text) == len(n.display) == len(n.offsets) - 1
    # (2) offsets strictly increase and stay inside the text
    assert all(a < b for a, b in zip(n.offsets, n.offsets[1:], strict=False))
    assert all(0 <= o < len(raw) for o in n.offsets[:-1])
    assert n.offsets[-1] == len(raw)
    # (3) each display character comes from its raw character, unless repaired or composed
    repaired = {o for r in n.repairs for o in range(r.span.start, r.span.end)}
    # characters that go (controls, zero-width) may bring a letter and its mark together
    kept = re.sub(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff\u00ad]", "", fold(raw))
    if unicodedata.is_normalized("NFC", kept):
        for i, ch in enumerate(n.display):
            if n.offsets[i] not in repaired:
                assert ch in _expected(raw[n.offsets[i]]), (i, ch, raw[n.offsets[i]])
    elif all(len(unicodedata.normalize("NFC", c)) == 1 for c in raw):  # (a few letters NFC expands are kept)
        # composition: the same as normalising the composed text, with the raw span of every part
        assert unicodedata.is_normalized("NFC", n.display)
        assert n.display == normalize(unicodedata.normalize("NFC", raw)).display
        assert all(n.offsets[i] < n.raw_end(i) <= n.offsets[i + 1] or n.offsets[i + 1] == len(raw)
                   for i in range(len(n.text)))
    # (4) idempotent
    assert normalize(n.text).text == n.text


@settings(max_examples=150, deadline=None)
@given(st.lists(texts, min_size=1, max_size=5))
def test_properties_with_spans(parts: list[str]) -> None:
    raw = "\n".join(parts)
    spans = []
    pos = 0
    for p in parts:
        spans.append(Span(pos, pos + len(p)))
        pos += len(p) + 1
    n = normalize(raw, spans)
    assert len(n.text) == len(n.display) == len(n.offsets) - 1
    assert all(a < b for a, b in zip(n.offsets, n.offsets[1:], strict=False))
    assert n.text.count("\n") <= len(parts) - 1


# fmt: off
READINGS = [
    ("城发(fā)物流公司总经(jīng)理丁雪峰", "城发物流公司总经理丁雪峰"),
    ("大车(dàchē)司机孙(sūn)志海", "大车司机孙志海"),
    ("自治區(qū)人大常委會", "自治区人大常委会"),
    ("标准(ISO)和(test)以及(a)", "标准(ISO)和(test)以及(a)"),  # no tone mark: not a reading
    ("(zhōng)国", "(zhōng)国"),                                # no character before it
]
# fmt: on


@pytest.mark.parametrize(("raw", "text"), READINGS)
def test_a_reading_in_pinyin_after_a_character_goes(raw: str, text: str) -> None:
    n = normalize(raw)
    assert n.text == text
    # every character left still points at itself in the raw text
    for i, ch in enumerate(n.display):
        assert raw[n.offsets[i]] == ch
