"""Segmentation of pages into articles, leads and bylines, datelines, sentences."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from kg.model import Article, Document, Span
from kg.read.ingest import iter_documents
from kg.read.segment import MAX_SENTENCE, article_text, parse_byline, segment, split_names, split_sentences

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "examples" / "workers-daily-2022-11-11-p3.md"
READ = Path(__file__).resolve().parent / "data" / "read"


def doc_of(
    text: str, source: str = "x.md", date: dt.date | None = dt.date(2022, 11, 11), **kw: object
) -> Document:
    return Document("0" * 16, source, text, date=date, **kw)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def page() -> list[Article]:
    (doc,) = list(iter_documents([str(PAGE)]))
    return segment(doc)


# --------------------------------------------------------------------------- the development page

# How the page is cut.  The two pieces continued from page 1 are kept as two
# fragments, as the page prints them: a "#### (上接第1版)" heading with the
# paragraph 王东明要求…, then a paragraph opening "(上接第1版)他也通过…" that runs on
# with the forum's 郑兴 paragraphs up to the next headline.  The forum article
# itself is the one under the heading 认真学习宣传贯彻…, closed by its dateline.
# fmt: off
HEADLINES = [
    # headline, kickers, sub-headlines, continued from page, first words of the body
    ("哈尔滨市总“三管齐下”助力经济发展", ["减压力 稳队伍"], [], None, "前,黑龙江省"),
    ("“加入了工会就是不一样”", [], [], None, '"加入了工会就是不一样。"'),
    ("深圳举行第十二届职工技术创新运动会", [], [], None, "近 日,广东省"),
    ("(上接第1版)", [], [], 1, "王东明要求"),
    ("(上接第1版)", [], [], 1, "他也通过多年的努力"),
    ("“三方四促五协同”模式助“产改”提速", ["泉州台商投资区推进产业工人队伍建设改革"], [], None,
     "福建泉州台商投"),
    ("认真学习宣传贯彻党的二十大精神 团结动员 亿万职工在奋进新征程中更好发挥主力军作用", [], [], None,
     "座谈会后"),
    ("湖北货运物流行业首份集体合同签订", [], ["优惠减免项目惠及货车司机6800多名"], None, "日前,湖北省"),
    ("衡阳市总聚焦职工婚恋交友难问题", [], [], None, "近日,湖南"),
    ("全国工会稳步推进“县级工会加强年”专项工作", [], [], None, "县级工会现状如何"),
]
BYLINES = [
    (2, [("记者", "刘友婷"), ("通讯员", "焦慧茹")]),
    (5, [("通讯员", "陈竞")]),
    (7, [("记者", "张翀"), ("通讯员", "罗晓峰"), ("通讯员", "谭勇")]),
    (8, [("记者", "王鑫"), ("记者", "方大丰"), ("通讯员", "张阳琛")]),
]
# fmt: on


def test_page_has_ten_articles(page: list[Article]) -> None:
    assert len(page) == 10
    assert [a.index for a in page] == list(range(10))


@pytest.mark.parametrize(("i", "expected"), list(enumerate(HEADLINES)))
def test_page_headlines(page: list[Article], i: int, expected: tuple) -> None:
    headline, kickers, subs, continued, body_start = expected
    art = page[i]
    assert art.headline == headline
    assert art.kickers == kickers
    assert art.subheadlines == subs
    assert art.continuation == (continued is not None)
    assert art.continued_from == continued
    raw = art.doc.text
    assert raw[art.body[0].start :].startswith(body_start)
    assert art.headline_span is not None
    assert art.headline_span.end <= art.body[0].start


def test_page_bylines(page: list[Article]) -> None:
    raw = page[0].doc.text
    got = {a.index: [(b.role, b.name) for b in a.bylines] for a in page if a.bylines}
    assert got == dict(BYLINES)
    for a in page:
        for b in a.bylines:
            assert raw[b.span.start : b.span.end] == b.name  # spans point at the names
            # the lead is not part of the body
            assert all(not raw[s.start : s.end].startswith("本报讯") for s in a.body)


def test_page_dateline_and_dates(page: list[Article]) -> None:
    forum = page[6]
    assert forum.dateline_place == "北京"
    assert forum.dateline_date == dt.date(2022, 11, 10)  # year from the file name
    assert forum.date == dt.date(2022, 11, 10)
    for a in page:
        if a is not forum:
            assert a.dateline_place is None and a.date == dt.date(2022, 11, 11)


def test_page_merged_columns(page: list[Article]) -> None:
    raw = page[0].doc.text
    forum = page[6]
    flagged = [raw[s.start : s.end] for s in forum.merged_columns]
    assert flagged[0].startswith('员起无穷的力量!"时至今日,首农食品三元 座谈会上,中国铁路北京局丰台机务段')
    assert flagged[1].startswith("建优质高效的服务业新体系")
    # the column fragment between the Quanzhou kicker and its heading stays with
    # the article before it, flagged
    (stray,) = page[4].merged_columns
    assert raw[stray.start : stray.end].startswith("中式宴会摆台3个项目")
    assert stray in page[4].body
    ordinary = [a for a in page if not a.continuation and a is not forum]
    assert len(ordinary) == 7
    assert all(a.merged_columns == [] for a in ordinary)


def test_page_body_spans_cover_the_text_in_order(page: list[Article]) -> None:
    raw = page[0].doc.text
    spans = [s for a in page for s in ([a.headline_span] if a.headline_span else []) + a.body]
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:], strict=False))
    for s in spans:
        assert raw[s.start : s.end] == raw[s.start : s.end].strip()
    # every paragraph of the page is somewhere, except kickers, sub-headlines and leads
    covered = "".join(raw[s.start : s.end] for s in spans)
    for para in ["徐昌顺主动加入工会组织", "有序开展。", "(本报北京11月10日电)"]:
        assert para in covered.replace(" ", "")


def test_page_repairs(page: list[Article]) -> None:
    fired = []
    for a in page:
        n = article_text(a)
        fired += [(a.index, r.before, r.after) for r in n.repairs]
        names = [b.span for b in a.bylines]
        for r in n.repairs:  # no repair inside a name
            assert all(r.span.end <= s.start or r.span.start >= s.end for s in names)
    assert fired == [(1, "人会", "入会"), (6, "官传", "宣传"), (9, "人会", "入会")]


def test_page_names_survive(page: list[Article]) -> None:
    text = "\n".join(article_text(a).text for a in page)
    for name in ["徐昌顺", "哈尔滨市总工会", "林艳秋", "张家升", "谭天星", "段志阳", "建会入会"]:
        assert name in text
    assert "人会" not in text.replace("工人会", "")


# --------------------------------------------------------------------------- sentences


def test_page_sentences(page: list[Article]) -> None:
    raw = page[0].doc.text
    for a in page:
        norm = article_text(a)
        sents = split_sentences(a, norm)
        hs = a.headline_span
        assert hs is not None and hs.start <= sents[0].span.start and sents[0].span.end <= hs.end  # the headline
        lines = norm.text.split("\n")
        assert sents[0].text in lines and len(lines) >= 1 + len(a.kickers) + len(a.subheadlines)
        assert [s.index for s in sents] == list(range(len(sents)))
        for s in sents:
            assert s.text == norm.text[s.start : s.end] and s.display == norm.display[s.start : s.end]
            assert s.text == s.text.strip()
            if "\n" in s.text:  # only a title in 《》 broken by a column break goes on
                head = s.text.split("\n")[0]
                assert head.count("《") > head.count("》")
            assert len(s.text) <= MAX_SENTENCE
            # the raw span holds the sentence, spaces and line breaks aside
            assert raw[s.span.start : s.span.end].replace(" ", "").replace('"', "").replace("\n", "") == (
                s.display.replace("“", "").replace("”", "").replace("\n", "")
            ) or any(r.span.start >= s.span.start and r.span.end <= s.span.end for r in norm.repairs)
    second = split_sentences(page[1], article_text(page[1]))
    assert second[0].text == "“加入了工会就是不一样”"
    assert second[1].text == "“加入了工会就是不一样。”"  # the closing quote stays with its sentence
    assert second[2].text.endswith("说,“这是工会送的呢!”")
    harbin = split_sentences(page[0], article_text(page[0]))
    assert "增信心方面,哈尔滨市总工会提出要引" in [s.text for s in harbin]  # a sentence ends with its paragraph


def test_sentence_boundaries() -> None:
    text = "# 标题\n\n第一句。第二句!第三句?“第四句；”第五句 C919 型号 v1.2; http://x.org/a?b=1\n\n第二段"
    (art,) = segment(doc_of(text))
    got = [s.text for s in split_sentences(art)]
    assert got == [
        "标题",
        "第一句。",
        "第二句!",
        "第三句?",
        "“第四句；”",
        "第五句C919型号v1.2;",
        "http://x.org/a?b=1",
        "第二段",
    ]


def test_long_sentences_are_cut() -> None:
    body = "甲" * 250 + "，" + "乙" * 400 + "。"
    (art,) = segment(doc_of(body))
    sents = split_sentences(art)
    assert [len(s.text) for s in sents] == [251, 300, 101]
    assert "".join(s.text for s in sents) == body


FILL = "工会组织职工开展劳动竞赛活动"  # no punctuation at all


def _cuts(body: str) -> list[str]:
    (art,) = segment(doc_of(body, source="a.txt"))
    sents = split_sentences(art)
    assert "".join(s.text for s in sents) == body
    assert all(len(s.text) <= MAX_SENTENCE for s in sents)
    return [s.text for s in sents]


@pytest.mark.parametrize("before", [297, 298, 299])
def test_a_long_sentence_is_not_cut_inside_a_figure(before: int) -> None:
    body = (FILL * 30)[:before] + "100颗石榴树苗由王建国带领职工栽下" + FILL * 10 + "。"
    cuts = _cuts(body)
    assert any("100颗" in c for c in cuts)
    assert not any(c.startswith(("00颗", "0颗", "颗")) for c in cuts)
    assert any("王建国" in c for c in cuts)


def test_a_long_sentence_is_not_cut_inside_a_name_or_a_latin_word() -> None:
    for name in ("王建国", "Wangjianguo2023", "全国五一劳动奖章"):
        for before in range(290, 300):
            cuts = _cuts((FILL * 30)[:before] + name + FILL * 10)
            assert any(name in c for c in cuts), (name, before)


def test_a_long_sentence_is_cut_after_a_closing_quote_before_a_word() -> None:
    body = FILL * 10 + "“暖心驿站”" + FILL * 20 + "。"
    cuts = _cuts(body)
    assert cuts[0].endswith("“暖心驿站”")


def test_only_a_digit_run_longer_than_the_limit_is_cut_inside() -> None:
    cuts = _cuts("编号" + "1234567890" * 40 + "。")
    assert [len(c) for c in cuts] == [300, 103]


def test_a_title_in_book_marks_runs_on_over_lines_until_it_closes() -> None:
    paragraphs = ["本报讯 依据《中华人民共和国", "工会法》", "开展工作。", "第二句。"]  # a column break inside 《》
    (art,) = segment(doc_of("\n\n".join(paragraphs), source="a.txt"))
    assert [s.text for s in split_sentences(art)] == ["依据《中华人民共和国\n工会法》", "开展工作。", "第二句。"]


def test_an_unclosed_title_mark_before_thousands_of_lines() -> None:
    body = "本报讯 会议学习《决定\n\n" + "\n\n".join(f"第{i}条" for i in range(3000)) + "\n\n完。"
    (art,) = segment(doc_of(body, source="a.txt"))
    sents = split_sentences(art)
    assert all(len(s.text) <= MAX_SENTENCE for s in sents)
    assert "".join(s.text for s in sents).replace("\n", "") == body.removeprefix("本报讯 ").replace("\n", "")
    assert sents[-1].text.endswith("完。")


def test_a_long_run_of_headline_like_lines() -> None:
    # short lines without punctuation: each could be a headline; only one followed by a long body is
    short = ["工会小组甲", "工会小组乙"] * 1000
    body = "江宁区总工会召开全委会议，" * 5 + "部署下一阶段工作。"
    text = "\n\n".join(["江宁区总工会全委会议开幕了，会议听取了工作报告。", *short, "职工之家建设推进会", body])
    arts = segment(doc_of(text, source="a.txt"))
    assert [a.headline for a in arts] == ["", "职工之家建设推进会"]
    assert len(arts[0].body) == 1 + 2000 and arts[1].kickers == [] and arts[1].subheadlines == []


def test_no_headline_sentence_without_headline_span() -> None:
    doc = doc_of("第一句。第二句。", source="a.jsonl#1", title="外部标题")
    (art,) = segment(doc)
    assert art.headline == "外部标题" and art.headline_span is None
    assert [s.text for s in split_sentences(art)] == ["第一句。", "第二句。"]


# --------------------------------------------------------------------------- script and encodings


def test_traditional_twin() -> None:
    (simp,) = list(iter_documents([str(READ / "simp-article.md")]))
    (trad,) = list(iter_documents([str(READ / "trad-article.md")]))
    (a,), (b,) = segment(simp), segment(trad)
    na, nb = article_text(a), article_text(b)
    assert na.text == nb.text  # matching text is simplified for both
    assert nb.display != na.display and "寧波市總工會" in nb.display  # labels keep their script
    assert b.headline == "寧波市總工會“暖心驛站”覆蓋全市"
    assert a.headline == "宁波市总工会“暖心驿站”覆盖全市"
    assert b.kickers == ["關愛一線 溫暖同行"]
    assert [(x.role, x.name) for x in b.bylines] == [("记者", "李明華"), ("通讯员", "趙雪")]
    assert [(x.role, x.name) for x in a.bylines] == [("记者", "李明华"), ("通讯员", "赵雪")]
    assert (a.dateline_place, b.dateline_place) == ("宁波", "寧波")
    assert [s.text for s in split_sentences(a, na)] == [s.text for s in split_sentences(b, nb)]


@pytest.mark.parametrize(("name", "codec"), [("simp-article.md", "gbk"), ("trad-article.md", "big5")])
def test_encoded_twins(tmp_path: Path, name: str, codec: str) -> None:
    text = (READ / name).read_text("utf-8")
    p = tmp_path / name
    p.write_bytes(text.encode(codec))
    (utf8,) = list(iter_documents([str(READ / name)]))
    (other,) = list(iter_documents([str(p)], warn=lambda s, m: None))
    (a,), (b,) = segment(utf8), segment(other)
    assert article_text(a) == article_text(b)
    assert (a.headline, a.bylines, a.body) == (b.headline, b.bylines, b.body)
    (simp,) = list(iter_documents([str(READ / "simp-article.md")]))
    assert article_text(b).text == article_text(segment(simp)[0]).text


# --------------------------------------------------------------------------- page structure

# fmt: off
STRUCTURES = [
    # (text, [(headline, kickers, subheadlines)])
    ("### 引题短\n\n# 正式的标题比引题长\n\n正文。", [("正式的标题比引题长", ["引题短"], [])]),
    ("# 主标题\n\n### 副标题在这里\n\n正文。", [("主标题", [], ["副标题在这里"])]),
    ("## 较长的一个标题在前面\n\n## 短的副题\n\n正文。", [("较长的一个标题在前面", [], ["短的副题"])]),
    ("### 一个标题\n\n一行副题没有标点\n\n本报讯 正文。", [("一个标题", [], ["一行副题没有标点"])]),
    ("短的引题行\n\n### 标题在此\n\n本报讯 正文。", [("标题在此", ["短的引题行"], [])]),
    ("平凡的标题一行\n\n本报讯(记者张三)正文。\n\n另一个平凡的标题\n\n本报讯(记者李四)正文。",
     [("平凡的标题一行", [], []), ("另一个平凡的标题", [], [])]),
    ("#### (上接第1版)\n\n# 被续的标题\n\n正文。", [("被续的标题", [], [])]),
    ("### (上接第2版)被续的标题\n\n正文。", [("被续的标题", [], [])]),
    ("**加粗的一行标题**\n\n本报讯 正文。", [("加粗的一行标题", [], [])]),
    # page furniture goes
    ("2022年11月11日 星期五\n\n第3版\n\n# 标题\n\n正文。\n\n责任编辑 张三", [("标题", [], [])]),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), STRUCTURES)
def test_structures(text: str, expected: list[tuple[str, list[str], list[str]]]) -> None:
    arts = segment(doc_of(text))
    assert [(a.headline, a.kickers, a.subheadlines) for a in arts] == expected
    for a in arts:
        assert a.body, a.headline


def test_continuation_heading_then_headline() -> None:
    (art,) = segment(doc_of("#### (上接第1版)\n\n# 被续的标题\n\n正文。"))
    assert art.continuation and art.continued_from == 1


def test_continuation_paragraph_inside_an_article() -> None:
    text = "# 标题\n\n第一段。\n\n(上接第十二版)续上的一段。\n\n再一段。"
    a, b = segment(doc_of(text))
    assert (a.headline, len(a.body)) == ("标题", 1)
    assert (b.headline, b.continuation, b.continued_from) == ("(上接第十二版)", True, 12)
    raw = b.doc.text
    assert [raw[s.start : s.end] for s in b.body] == ["续上的一段。", "再一段。"]
    assert [s.text for s in split_sentences(b)] == ["(上接第十二版)", "续上的一段。", "再一段。"]


def test_plain_file_one_paragraph() -> None:
    (art,) = segment(doc_of("某市总工会日前召开全委会议,部署今年工作。会议强调要做好服务职工工作。", "a.txt"))
    assert art.headline == "" and art.headline_span is None and len(art.body) == 1


def test_first_line_of_a_plain_file_is_its_title() -> None:
    (art,) = segment(doc_of("某市总工会召开全委会议\n\n会议强调做好服务。", "a.txt"))
    assert art.headline == "某市总工会召开全委会议"
    assert [s.text for s in split_sentences(art)] == ["某市总工会召开全委会议", "会议强调做好服务。"]


def test_heading_then_continuation_paragraph() -> None:
    (art,) = segment(doc_of("# 被续的标题\n\n(上接第1版)续上的正文。"))
    assert (art.headline, art.continuation, art.continued_from) == ("被续的标题", True, 1)
    assert art.doc.text[art.body[0].start :] == "续上的正文。"


def test_invisible_heading_is_ignored() -> None:
    (art,) = segment(doc_of("# \u200b\n\n正文。"))
    assert art.headline == "" and [s.text for s in split_sentences(art)] == ["正文。"]


def test_plain_file_with_title_line_and_hard_wraps() -> None:
    text = (
        "某市总工会部署年度工作\n"
        "某市总工会日前召开全委会议,部署今年的重点工作,会议要求各级\n"
        "工会组织围绕中心服务大局,做好维权服务工作。\n"
        "会议还表彰了一批先进集体和个人。\n"
    )
    (art,) = segment(doc_of(text, "a.txt"))
    assert art.headline == "某市总工会部署年度工作"
    raw = art.doc.text
    assert [raw[s.start : s.end].replace("\n", "|") for s in art.body] == [
        "某市总工会日前召开全委会议,部署今年的重点工作,会议要求各级|工会组织围绕中心服务大局,做好维权服务工作。",
        "会议还表彰了一批先进集体和个人。",
    ]
    sents = split_sentences(art)
    assert sents[1].text == (
        "某市总工会日前召开全委会议,部署今年的重点工作,会议要求各级工会组织围绕中心服务大局,做好维权服务工作。"
    )


def test_crlf_page_segments_the_same(page: list[Article]) -> None:
    text = PAGE.read_text("utf-8").replace("\n", "\r\n")
    arts = segment(doc_of(text))
    assert [a.headline for a in arts] == [a.headline for a in page]
    assert [[(b.role, b.name) for b in a.bylines] for a in arts] == [
        [(b.role, b.name) for b in a.bylines] for a in page
    ]
    for a in arts:
        for s in a.body:
            assert "\r" not in text[s.start : s.end]


def test_jsonl_record_is_one_article() -> None:
    text = "工会开展送温暖活动\n\n本报讯(记者王芳)近日,某工会开展送温暖活动。\n\n## 小标题\n\n活动覆盖全市。"
    doc = doc_of(text, source="news.jsonl#3", title="工会开展送温暖活动")
    (art,) = segment(doc)
    assert art.headline == "工会开展送温暖活动"
    assert art.headline_span == Span(0, 9)  # the title is also the first line of the text
    assert [(b.role, b.name) for b in art.bylines] == [("记者", "王芳")]
    assert len(art.body) == 3
    assert split_sentences(art)[0].text == "工会开展送温暖活动"


def test_jsonl_record_without_title() -> None:
    (art,) = segment(doc_of("# 标题一\n\n正文一。\n\n# 标题二\n\n正文二。", source="<stdin>#1"))
    assert art.headline == "标题一" and len(art.body) == 3


def test_credit_line_and_closing_marks() -> None:
    text = "# 标题\n\n本报记者 刘友婷 方大丰\n\n正文一。(下转第2版)\n\n另一篇没有标题的正文。"
    a, b = segment(doc_of(text))
    assert [(x.role, x.name) for x in a.bylines] == [("记者", "刘友婷"), ("记者", "方大丰")]
    raw = a.doc.text
    assert [raw[s.start : s.end] for s in a.body] == ["正文一。(下转第2版)"]
    assert b.headline == "" and raw[b.body[0].start :].startswith("另一篇")


def test_lead_starts_an_article() -> None:
    text = "# 标题\n\n本报讯 第一篇正文。\n\n本报讯(通讯员陈竞)第二篇正文。"
    a, b = segment(doc_of(text))
    assert a.headline == "标题" and b.headline == ""
    assert [(x.role, x.name) for x in b.bylines] == [("通讯员", "陈竞")]


def test_empty_document() -> None:
    assert segment(doc_of("\n\n  \n")) == []


# --------------------------------------------------------------------------- bylines

# fmt: off
BYLINE_CASES = [
    ("记者刘友婷 通讯员焦慧茹", [("记者", "刘友婷"), ("通讯员", "焦慧茹")]),
    ("通讯员陈竞", [("通讯员", "陈竞")]),
    ("记者张翀通讯员罗晓峰谭勇", [("记者", "张翀"), ("通讯员", "罗晓峰"), ("通讯员", "谭勇")]),
    ("记者王鑫 方大丰 通讯员张阳琛", [("记者", "王鑫"), ("记者", "方大丰"), ("通讯员", "张阳琛")]),
    ("记者 王鑫、方大丰", [("记者", "王鑫"), ("记者", "方大丰")]),
    ("记者王鑫方大丰", [("记者", "王鑫"), ("记者", "方大丰")]),              # no separator at all
    ("记者刘友 婷", [("记者", "刘友婷")]),                                   # a line break inside a name
    ("记者 徐 昌顺", [("记者", "徐昌顺")]),
    ("特约记者欧阳晓峰 实习生李明", [("特约记者", "欧阳晓峰"), ("实习生", "李明")]),
    ("记者 阿依古丽·买买提", [("记者", "阿依古丽·买买提")]),
    ("记者张三 摄", [("记者", "张三")]),
    ("见习记者赵六六 通讯员周七", [("见习记者", "赵六六"), ("通讯员", "周七")]),
    ("张三", []),                                                          # no credit word
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), BYLINE_CASES)
def test_parse_byline(text: str, expected: list[tuple[str, str]]) -> None:
    got = parse_byline(text)
    assert [(r, n) for r, n, _, _ in got] == expected
    for _, name, a, b in got:
        assert text[a:b].replace(" ", "") == name


@pytest.mark.parametrize(
    ("run", "names"),
    [
        ("罗晓峰谭勇", ["罗晓峰", "谭勇"]),
        ("谭勇罗晓峰", ["谭勇", "罗晓峰"]),
        ("张三李四", ["张三", "李四"]),
        ("张三丰李四光", ["张三丰", "李四光"]),
        ("欧阳晓峰", ["欧阳晓峰"]),
        ("努尔古丽", ["努尔古丽"]),  # four characters, no surname split
        ("张翀", ["张翀"]),
        ("一二三四五", None),
    ],
)
def test_split_names(run: str, names: list[str] | None) -> None:
    assert split_names(run) == names


def test_byline_spans_in_a_document() -> None:
    text = "# 标题\n\n本报讯 (记者王 鑫 方大丰 通讯员张阳琛)近日,正文。"
    (art,) = segment(doc_of(text))
    raw = art.doc.text
    assert [(b.name, raw[b.span.start : b.span.end]) for b in art.bylines] == [
        ("王鑫", "王 鑫"),
        ("方大丰", "方大丰"),
        ("张阳琛", "张阳琛"),
    ]
    assert raw[art.body[0].start :].startswith("近日")


# --------------------------------------------------------------------------- datelines

NOV10, NOV11 = dt.date(2022, 11, 10), dt.date(2022, 11, 11)

# fmt: off
DATELINES = [
    # body, document date, (place, date), byline names
    ("正文。\n\n(本报北京11月10日电)", NOV11, ("北京", NOV10), []),
    ("正文在此。(本报北京11月10日电)", NOV11, ("北京", NOV10), []),
    ("本报北京11月10日电 (记者 刘友婷)正文。", NOV11, ("北京", NOV10), ["刘友婷"]),
    ("本报上海11月9日专电 正文。", NOV11, ("上海", dt.date(2022, 11, 9)), []),
    ("(记者 王鑫)长沙11月10日电 正文。", NOV11, ("长沙", NOV10), ["王鑫"]),
    ("新华社北京11月10日电(记者张翀)正文。", NOV11, ("北京", NOV10), ["张翀"]),
    ("正文。\n\n(本报北京十一月十日电)", NOV11, ("北京", NOV10), []),
    ("正文。\n\n(本报北京12月31日电)", dt.date(2023, 1, 2), ("北京", dt.date(2022, 12, 31)), []),
    ("正文。\n\n(本报北京11月10日电)", None, ("北京", None), []),
    ("正文。\n\n(本报北京2月30日电)", dt.date(2022, 3, 1), ("北京", None), []),
    ("正文没有电头。", NOV11, (None, None), []),
    ("正文。(中新社台北9日电)", NOV11, ("台北", dt.date(2022, 11, 9)), []),   # no month: this month
    ("正文。(本报台北15日电)", NOV11, ("台北", dt.date(2022, 10, 15)), []),  # day to come: last month
    ("■本报记者 刘友婷\n\n正文。", NOV11, (None, None), ["刘友婷"]),
]
# fmt: on


@pytest.mark.parametrize(("body", "date", "expected", "names"), DATELINES)
def test_datelines(body: str, date: dt.date | None, expected: tuple, names: list[str]) -> None:
    (art,) = segment(doc_of("# 标题\n\n" + body, date=date))
    assert (art.dateline_place, art.dateline_date) == expected
    assert art.date == (expected[1] or date)
    assert [b.name for b in art.bylines] == names
    assert not art.doc.text[art.body[0].start :].startswith(("本报", "新华社", "("))


def test_dateline_closes_the_article() -> None:
    a, b = segment(doc_of("# 标题\n\n正文。\n\n(本报北京11月10日电)\n\n下一篇的正文,标题丢了。"))
    assert a.dateline_place == "北京" and b.headline == "" and b.dateline_place is None


# --------------------------------------------------------------------------- merged columns

COLUMN_A = (
    "今年以来,市总工会围绕企业发展中的难点问题,组织开展了多场技能培训和劳动竞赛,"
    "参加培训的职工普遍反映收获很大。许多青年职工通过比赛提升了操作水平,"
    "有的还走上了班组长岗位。市总工会还为困难职工家庭送去慰问金和生活用品,"
    "帮助他们解决实际困难,让职工真切感受到工会组织的温暖。"
)
COLUMN_B = (
    "在新就业形态劳动者集中的商圈和物流园区,区总工会设立了多个服务站点,"
    "为外卖骑手和快递小哥提供休息、饮水、充电等便利服务。工作人员介绍,"
    "服务站点开放以来,每天接待劳动者上百人次,很多人在这里办理了入会手续,"
    "成为工会会员。下一步,区总工会将继续扩大服务覆盖面。"
)


def _lines(text: str, width: int) -> list[str]:
    return [text[i : i + width] for i in range(0, len(text), width)]


@pytest.mark.parametrize("width", [12, 16, 18, 22])
def test_interleaved_columns_are_flagged(width: int) -> None:
    a, b = _lines(COLUMN_A, width), _lines(COLUMN_B, width)
    merged = " ".join(x for pair in zip(a, b, strict=False) for x in pair)
    text = f"# 标题\n\n{' '.join(a)}\n\n{merged}\n\n{' '.join(b)}\n"
    (art,) = segment(doc_of(text))
    raw = art.doc.text
    assert [raw[s.start : s.end] for s in art.merged_columns] == [merged]


@pytest.mark.parametrize("width", [12, 16, 18, 22])
def test_wrapped_running_text_is_not_flagged(width: int) -> None:
    text = "\n".join(_lines(COLUMN_A + COLUMN_B, width))  # hard-wrapped with newlines
    (art,) = segment(doc_of(text, "a.txt"))
    assert art.merged_columns == []


# --------------------------------------------------------------------------- size


def test_huge_single_line_with_spaces_is_linear() -> None:
    unit = "工会组织职 工参加劳动竞赛,推进产业工人队 伍建设改革。"
    text = unit * 60_000  # 1.6 million characters, 120,000 line-break spaces
    (art,) = segment(doc_of(text, "big.txt"))
    assert art.merged_columns == []
    sents = split_sentences(art)
    assert len(sents) == 60_000 and sents[-1].span.end == len(text)


def test_stdin_page_bytes() -> None:
    (doc,) = list(iter_documents(["-"], stdin=io.BytesIO(PAGE.read_bytes()), date=dt.date(2022, 11, 11)))
    assert len(segment(doc)) == 10


def test_the_outlet_of_a_lead_and_the_page_lines_under_a_headline_are_kept() -> None:
    text = "# 市总工会开展送清凉活动\n\n江城传媒网\n\n江城网讯 近日，江城市总工会为环卫工人送去清凉。\n"
    (art,) = segment(doc_of(text))
    assert art.outlet is not None and text[art.outlet.start:art.outlet.end] == "江城网"
    norm = article_text(art)
    assert "江城传媒网" in [s.text for s in split_sentences(art, norm)]
