"""Reading inputs: files, folders, standard input, JSONL, encodings, bad inputs."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.errors import DecodeError, InputError
from kg.read.ingest import InputLog, date_from_name, decode_bytes, document_id, iter_documents, parse_date

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "examples" / "workers-daily-2022-11-11-p3.md"
READ = Path(__file__).resolve().parent / "data" / "read"
SIMP = (READ / "simp-article.md").read_text("utf-8")
TRAD = (READ / "trad-article.md").read_text("utf-8")


def read(inputs: list[str], **kw: object) -> tuple[list, InputLog]:
    log = InputLog()
    docs = list(iter_documents(inputs, warn=log.problem, info=log.note, **kw))  # type: ignore[arg-type]
    return docs, log


def messages(log: InputLog) -> list[tuple[str, str]]:
    return [(Path(w.source).name, w.message) for w in log.problems]


# --------------------------------------------------------------------------- files


def test_page() -> None:
    (doc,) = list(iter_documents([str(PAGE)]))
    assert doc.text == PAGE.read_text("utf-8")
    assert doc.source == str(PAGE)
    assert doc.encoding == "utf-8"
    assert doc.date == dt.date(2022, 11, 11)  # from the file name
    assert len(doc.id) == 16 and int(doc.id, 16) >= 0
    assert doc.id == document_id(doc.text)
    assert doc.title is None and doc.url is None and doc.outlet is None


def test_bom_is_dropped_and_id_is_the_same(tmp_path: Path) -> None:
    plain, bom = tmp_path / "a.md", tmp_path / "b.md"
    plain.write_text(SIMP, "utf-8")
    bom.write_bytes(b"\xef\xbb\xbf" + SIMP.encode("utf-8"))
    a, b = list(iter_documents([str(plain), str(bom)]))
    assert b.text == SIMP and b.encoding == "utf-8"
    assert a.id == b.id


@pytest.mark.parametrize("codec", ["gbk", "gb2312", "gb18030"])
def test_gb_twin(tmp_path: Path, codec: str) -> None:
    p = tmp_path / "gb.txt"
    p.write_bytes(SIMP.encode(codec))
    (doc,), log = read([str(p)])
    assert doc.text == SIMP
    assert doc.encoding == "gb18030"
    assert doc.id == document_id(SIMP)  # same text, same id, whatever the bytes
    assert [w.message for w in log.notes] == ["read as GB18030"]
    assert log.problems == []


def test_gb18030_beyond_gbk(tmp_path: Path) -> None:
    text = "工会𠀀会员€"  # an extension-B character and the euro sign: GB18030 only
    p = tmp_path / "x.txt"
    p.write_bytes(text.encode("gb18030"))
    (doc,) = list(iter_documents([str(p)], warn=lambda s, m: None))
    assert doc.text == text and doc.encoding == "gb18030"


@pytest.mark.parametrize("codec", ["big5", "cp950", "big5hkscs"])
def test_big5_twin(tmp_path: Path, codec: str) -> None:
    p = tmp_path / "big5.txt"
    p.write_bytes(TRAD.encode(codec))
    (doc,), log = read([str(p)])
    assert doc.text == TRAD
    assert doc.encoding in {"big5hkscs", "cp950"}
    assert [w.message for w in log.notes] == ["read as BIG5"]


def test_utf16_with_bom(tmp_path: Path) -> None:
    p = tmp_path / "u16.txt"
    p.write_bytes(SIMP.encode("utf-16"))
    (doc,) = list(iter_documents([str(p)], warn=lambda s, m: None))
    assert doc.text == SIMP and doc.encoding == "utf-16"


# fmt: off
PLAUSIBLE = [
    # text, codec it is written in, codec it must be read as
    ("工会", "gbk", "gb18030"),
    ("工會", "big5", "big5hkscs"),
    ("你好", "gbk", "gb18030"),
    ("你好", "big5", "big5hkscs"),
    ("镇安县总工会会员22353人", "gbk", "gb18030"),
    ("鎮安縣總工會會員22353人", "big5", "big5hkscs"),
    ("鎮安縣總工會", "gbk", "gb18030"),           # traditional characters written in GBK
    ("臺灣省總工會", "big5", "big5hkscs"),
    # short lines, where a detector has too little to go on and plausibility decides
    ("职工技能大赛圆满落幕", "gbk", "gb18030"),
    ("临时工会员入会率提高", "gb2312", "gb18030"),
    ("總工會呼籲調漲基本工資", "big5", "big5hkscs"),
    ("工會會員代表大會開幕", "cp950", "big5hkscs"),
    # long enough for charset-normalizer's verdict
    ("高雄市產業總工會與市政府攜手推動職場安全衛生，保障基層勞工權益並改善工作環境", "big5", "big5hkscs"),
    ("市总工会为一线职工送去清凉，慰问环卫工人、快递员和网约车司机等户外劳动者", "gbk", "gb18030"),
]
# fmt: on


@pytest.mark.parametrize(("text", "codec", "read_as"), PLAUSIBLE)
def test_encoding_guess(text: str, codec: str, read_as: str) -> None:
    assert decode_bytes(text.encode(codec)) == (text, read_as)


def test_damaged_utf8(tmp_path: Path) -> None:
    data = bytearray(SIMP.encode("utf-8"))
    data[40] = 0xFF  # one broken byte in a UTF-8 file
    p = tmp_path / "damaged.md"
    p.write_bytes(bytes(data) + "末尾".encode()[:-1])  # and the last character cut
    (doc,), log = read([str(p)])
    assert doc.encoding == "utf-8"
    assert doc.text.count("\ufffd") == 4 and doc.text.startswith(SIMP[:10])
    assert [w.message for w in log.notes] == ["read as UTF-8, with undecodable bytes replaced by U+FFFD"]


def test_undecodable() -> None:
    with pytest.raises(DecodeError, match="not text in UTF-8, GB18030 or BIG5"):
        decode_bytes(b"abc \xff\xff\xff\xff\xff\xff\xff\xff def")


# --------------------------------------------------------------------------- bad inputs


def test_bad_inputs_are_reported_and_the_rest_is_read(tmp_path: Path) -> None:
    good = tmp_path / "good.md"
    good.write_text(SIMP, "utf-8")
    binary = tmp_path / "picture.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.txt"
    blank.write_text(" \n\u3000\n", "utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"abc \xff\xff\xff\xff\xff\xff\xff\xff def")
    nodir = tmp_path / "notext"
    nodir.mkdir()
    (nodir / "image.png").write_bytes(b"\x89PNG")
    inputs = [
        str(tmp_path / "missing.md"),
        str(binary),
        str(empty),
        str(good),
        str(blank),
        str(bad),
        str(nodir),
    ]
    docs, log = read(inputs)
    assert [d.source for d in docs] == [str(good)]
    assert messages(log) == [
        ("missing.md", "no such file or directory"),
        ("picture.txt", "not a text file (binary data)"),
        ("empty.txt", "empty file"),
        ("blank.txt", "no text (only whitespace)"),
        ("bad.txt", "not text in UTF-8, GB18030 or BIG5"),
        ("notext", "no .txt, .md or .jsonl files in this folder"),
    ]
    for w in log.problems:  # one line each
        assert "\n" not in w.message


def test_empty_path_is_not_the_current_folder(tmp_path: Path) -> None:
    docs, log = read(["", str(PAGE)])
    assert len(docs) == 1
    assert [(w.source, w.message) for w in log.problems] == [("''", "empty path")]


def test_broken_symlink(tmp_path: Path) -> None:
    link = tmp_path / "gone.md"
    link.symlink_to(tmp_path / "nowhere.md")
    ok = tmp_path / "ok.md"
    ok.write_text(SIMP, "utf-8")
    docs, log = read([str(link), str(ok)])
    assert len(docs) == 1
    assert messages(log) == [("gone.md", "no such file or directory")]


_CHECK_UNREADABLE = """
import sys
from kg.read.ingest import InputLog, iter_documents
log = InputLog()
docs = list(iter_documents(sys.argv[1:], warn=log.problem))
print(len(docs), *[w.message for w in log.problems], sep="|")
"""


def test_unreadable_file(tmp_path: Path) -> None:
    p = tmp_path / "secret.md"
    p.write_text(SIMP, "utf-8")
    ok = tmp_path / "ok.md"
    ok.write_text(SIMP, "utf-8")
    p.chmod(0)
    cmd = [sys.executable, "-c", _CHECK_UNREADABLE, str(p), str(ok)]
    if os.geteuid() == 0:  # root reads any file: run without the capabilities that allow it
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv")
        caps = "-dac_override,-dac_read_search"
        cmd = ["setpriv", f"--bounding-set={caps}", f"--inh-caps={caps}", *cmd]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=True, timeout=60).stdout
    finally:
        p.chmod(0o644)
    assert out.strip() == "1|permission denied"


def test_without_warn_the_first_problem_raises(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"missing\.md: no such file or directory$"):
        list(iter_documents([str(tmp_path / "missing.md"), str(PAGE)]))
    binary = tmp_path / "b.txt"
    binary.write_bytes(b"\x00\x01\x02")
    with pytest.raises(DecodeError, match=r"b\.txt: not a text file \(binary data\)$"):
        list(iter_documents([str(binary)]))


def test_nothing_readable(tmp_path: Path) -> None:
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="^no readable text in the inputs$"):
        read([str(empty)])
    with pytest.raises(InputError, match="^no readable text in the inputs$"):
        list(iter_documents([]))


def test_info_defaults_to_warn(tmp_path: Path) -> None:
    p = tmp_path / "gb.txt"
    p.write_bytes(SIMP.encode("gbk"))
    seen: list[tuple[str, str]] = []
    list(iter_documents([str(p)], warn=lambda s, m: seen.append((s, m))))
    assert seen == [(str(p), "read as GB18030")]


# --------------------------------------------------------------------------- folders


def test_folder_recursive_sorted_filtered(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    (root / "b" / "deep").mkdir(parents=True)
    (root / "a").mkdir()
    (root / ".hidden").mkdir()
    (root / "z.md").write_text("第三篇。", "utf-8")
    (root / "b" / "deep" / "x.TXT").write_text("第二篇。", "utf-8")
    (root / "a" / "y.txt").write_text("第一篇。", "utf-8")
    (root / "a" / "notes.csv").write_text("不读", "utf-8")
    (root / ".hidden" / "h.md").write_text("不读", "utf-8")
    (root / ".dot.md").write_text("不读", "utf-8")
    docs, log = read([str(root)])
    assert [d.text for d in docs] == ["第一篇。", "第二篇。", "第三篇。"]
    assert [Path(d.source).relative_to(root).as_posix() for d in docs] == ["a/y.txt", "b/deep/x.TXT", "z.md"]
    assert log.problems == []


def test_same_file_twice_is_read_once(tmp_path: Path) -> None:
    p = tmp_path / "a.md"
    p.write_text(SIMP, "utf-8")
    docs, _ = read([str(p), str(tmp_path), str(p)])
    assert len(docs) == 1


def test_explicit_file_of_any_name(tmp_path: Path) -> None:
    p = tmp_path / "article.text"
    p.write_text(SIMP, "utf-8")
    (doc,), _ = read([str(p)])
    assert doc.text == SIMP


# --------------------------------------------------------------------------- stdin


def test_stdin() -> None:
    data = SIMP.encode("gbk")
    docs, log = read(["-"], stdin=io.BytesIO(data), date=dt.date(2022, 11, 9))
    (doc,) = docs
    assert doc.source == "<stdin>" and doc.text == SIMP and doc.encoding == "gb18030"
    assert doc.date == dt.date(2022, 11, 9)
    assert log.notes[0].source == "<stdin>"


def test_stdin_empty(tmp_path: Path) -> None:
    docs, log = read(["-", str(PAGE)], stdin=io.BytesIO(b""))
    assert len(docs) == 1
    assert [(w.source, w.message) for w in log.problems] == [("<stdin>", "empty input")]


def test_stdin_jsonl() -> None:
    lines = [{"text": "甲工会成立。", "title": "甲"}, {"text": "乙工会成立。"}]
    data = "\n".join(json.dumps(x, ensure_ascii=False) for x in lines).encode()
    docs, _ = read(["-"], stdin=io.BytesIO(data))
    assert [(d.source, d.title, d.text) for d in docs] == [
        ("<stdin>#1", "甲", "甲工会成立。"),
        ("<stdin>#2", None, "乙工会成立。"),
    ]


# --------------------------------------------------------------------------- JSONL


def test_jsonl(tmp_path: Path) -> None:
    p = tmp_path / "news-2022-11-01.jsonl"
    rows = [
        json.dumps(
            {
                "text": "本报讯 近日,某市总工会召开会议。",
                "title": "某市总工会召开会议",
                "date": "2022-11-11",
                "url": "https://example.org/1",
                "source": "工人日报",
            },
            ensure_ascii=False,
        ),
        "",
        "{not json",
        json.dumps({"title": "无正文"}, ensure_ascii=False),
        json.dumps(["a list"]),
        json.dumps({"text": 42}),
        json.dumps({"text": "  "}),
        json.dumps({"text": "第二篇。", "date": "2022年11月10日"}, ensure_ascii=False),
        json.dumps({"text": "第三篇。", "date": "下周"}, ensure_ascii=False),
        json.dumps({"text": "第四篇。"}, ensure_ascii=False),
    ]
    p.write_text("\n".join(rows) + "\n", "utf-8")
    docs, log = read([str(p)])
    assert [(d.source.rsplit("#", 1)[1], d.text, d.date) for d in docs] == [
        ("1", "本报讯 近日,某市总工会召开会议。", dt.date(2022, 11, 11)),
        ("8", "第二篇。", dt.date(2022, 11, 10)),
        ("9", "第三篇。", dt.date(2022, 11, 1)),  # a date not understood: the file name's
        ("10", "第四篇。", dt.date(2022, 11, 1)),
    ]
    first = docs[0]
    assert first.source == f"{p}#1"
    assert (first.title, first.url, first.outlet) == (
        "某市总工会召开会议",
        "https://example.org/1",
        "工人日报",
    )
    assert first.id == document_id(first.text)
    assert [(w.source.rsplit("/", 1)[1], w.message) for w in log.problems] == [
        ("news-2022-11-01.jsonl:3", "not valid JSON"),
        ("news-2022-11-01.jsonl:4", 'no "text" field'),
        ("news-2022-11-01.jsonl:5", "not a JSON object"),
        ("news-2022-11-01.jsonl:6", '"text" is not a string'),
        ("news-2022-11-01.jsonl:7", '"text" is empty'),
        ("news-2022-11-01.jsonl:9", "date '下周' not understood; ignored"),
    ]


def test_date_option_wins(tmp_path: Path) -> None:
    p = tmp_path / "a-2022-11-11.jsonl"
    p.write_text(json.dumps({"text": "正文。", "date": "2022-11-10"}) + "\n", "utf-8")
    (doc,), _ = read([str(p)], date=dt.date(2023, 1, 2))
    assert doc.date == dt.date(2023, 1, 2)


def test_jsonl_in_gbk(tmp_path: Path) -> None:
    p = tmp_path / "gbk.jsonl"
    p.write_bytes((json.dumps({"text": "工会会员。"}, ensure_ascii=False) + "\n").encode("gbk"))
    (doc,), log = read([str(p)])
    assert doc.text == "工会会员。" and doc.encoding == "gb18030"
    assert [w.message for w in log.notes] == ["read as GB18030"]


# --------------------------------------------------------------------------- dates

# fmt: off
NAME_DATES = [
    ("workers-daily-2022-11-11-p3.md", dt.date(2022, 11, 11)),
    ("grrb_20221111_03.txt", dt.date(2022, 11, 11)),
    ("2022.11.09 page.md", dt.date(2022, 11, 9)),
    ("2022_01_31.md", dt.date(2022, 1, 31)),
    ("corpus/2022-11-11/p3.md", dt.date(2022, 11, 11)),
    ("p3.md", None),
    ("2022-13-01.md", None),            # no 13th month
    ("2022-02-30.md", None),            # no 30 February
    ("id-120221111.md", None),          # digits run on
    ("2022-1111.md", None),             # mixed separators
]
TEXT_DATES = [
    ("2022-11-11", dt.date(2022, 11, 11)),
    ("2022-11-11T08:30:00+08:00", dt.date(2022, 11, 11)),
    ("2022/11/11", dt.date(2022, 11, 11)),
    ("2022年11月11日", dt.date(2022, 11, 11)),
    ("2022年1月5日 08:00", dt.date(2022, 1, 5)),
    ("20221111", dt.date(2022, 11, 11)),
    ("11/11/2022", None),
    ("2022-02-30", None),
    ("", None),
]
# fmt: on


@pytest.mark.parametrize(("name", "date"), NAME_DATES)
def test_date_from_name(name: str, date: dt.date | None) -> None:
    assert date_from_name(name) == date


@pytest.mark.parametrize(("text", "date"), TEXT_DATES)
def test_parse_date(text: str, date: dt.date | None) -> None:
    assert parse_date(text) == date


# --------------------------------------------------------------------------- size


def test_twenty_megabytes_without_line_breaks(tmp_path: Path) -> None:
    from kg.read.segment import MAX_SENTENCE, article_text, segment, split_sentences

    unit = "工会组织职工参加劳动竞赛，推进产业工人队伍建设改革，"
    p = tmp_path / "huge.txt"
    p.write_bytes((unit * (20_000_000 // len(unit.encode()) + 1)).encode("utf-8"))
    assert p.stat().st_size >= 20_000_000
    t0 = time.perf_counter()
    (doc,), _ = read([str(p)])
    (art,) = segment(doc)
    assert art.headline == "" and len(art.body) == 1
    assert art.merged_columns == []
    norm = article_text(art)
    sentences = split_sentences(art, norm)
    elapsed = time.perf_counter() - t0
    assert len(norm.text) == len(doc.text)
    assert max(len(s.text) for s in sentences) <= MAX_SENTENCE
    assert sentences[-1].span.end == len(doc.text)
    assert elapsed < 30, elapsed


# --------------------------------------------------------------------------- line separators and NUL bytes


def test_jsonl_lines_end_at_newline_only(tmp_path: Path) -> None:
    # U+2028, U+2029, U+0085 and a form feed are text inside a JSON string, not line ends
    texts = ["甲工会成立。\u2028会员八十人。", "乙工会\u0085召开会员大会。", "丙工会\u2029换届。"]
    rows = [json.dumps({"text": t}, ensure_ascii=False) for t in texts]
    assert all(sep in "".join(rows) for sep in "\u2028\u2029\u0085")  # written raw, not escaped
    p = tmp_path / "news.jsonl"
    p.write_text("\r\n".join([rows[0], rows[1], "{broken", rows[2]]) + "\n", "utf-8")
    docs, log = read([str(p)])
    assert [(d.source.rsplit("#", 1)[1], d.text) for d in docs] == [("1", texts[0]), ("2", texts[1]), ("4", texts[2])]
    assert [(Path(w.source).name, w.message) for w in log.problems] == [("news.jsonl:3", "not valid JSON")]


def test_jsonl_on_stdin_with_a_line_separator_in_the_first_record() -> None:
    data = json.dumps({"text": "甲\u2028乙。"}, ensure_ascii=False) + "\n" + json.dumps({"text": "丙。"})
    docs, log = read(["-"], stdin=io.BytesIO(data.encode()))
    assert [(d.source, d.text) for d in docs] == [("<stdin>#1", "甲\u2028乙。"), ("<stdin>#2", "丙。")]
    assert log.problems == []


def test_an_early_nul_byte_is_ignored_with_a_warning(tmp_path: Path) -> None:
    p = tmp_path / "saved.txt"
    p.write_bytes(b"\x00" + SIMP.encode("utf-8"))
    (doc,), log = read([str(p)])
    assert doc.text == " " + SIMP  # the NUL stands as a space: offsets still count the file's characters
    assert [(Path(w.source).name, w.message) for w in log.problems] == [("saved.txt", "ignored 1 NUL byte (at byte 0)")]
    # without a warn callback the file is read all the same
    (strict,) = list(iter_documents([str(p)]))
    assert strict.text == doc.text


def test_nul_bytes_in_gbk_text(tmp_path: Path) -> None:
    p = tmp_path / "gbk.txt"
    p.write_bytes(b"\x00\x00" + SIMP.encode("gbk") + b"\x00")
    (doc,), log = read([str(p)])
    assert doc.encoding == "gb18030" and doc.text == "  " + SIMP + " "
    assert [w.message for w in log.problems] == ["ignored 3 NUL bytes (at byte 0)"]


@pytest.mark.parametrize(
    "data",
    [
        "工会".encode() + b"\x00" * 9,  # more NULs than a damaged save leaves
        b"\x00\x07" + "工会会员".encode(),  # a NUL beside other control bytes
        b"\x7fELF\x02\x01\x01" + bytes(64),
    ],
)
def test_binary_files_are_still_refused(tmp_path: Path, data: bytes) -> None:
    p = tmp_path / "data.txt"
    p.write_bytes(data)
    docs, log = read([str(p), str(PAGE)])
    assert len(docs) == 1
    assert messages(log) == [("data.txt", "not a text file (binary data)")]


def test_nul_bytes_build_a_graph_whose_quotes_match_the_file(tmp_path: Path) -> None:
    from kg.builder.pipeline import extract_document
    from kg.extract import lexicon
    from kg.read.segment import article_text, segment, split_sentences

    p = tmp_path / "saved.txt"
    p.write_bytes(b"\x00" + "本报讯 江宁区总工会主席王建国走访环卫工人。".encode())
    (doc,), _ = read([str(p)])
    (art,) = segment(doc)
    (sent,) = split_sentences(art, article_text(art))
    assert doc.text[sent.span.start : sent.span.end] == "江宁区总工会主席王建国走访环卫工人。"
    _, results = extract_document(doc, lexicon())
    assert {m.key for r in results for m in r.mentions} >= {"江宁区总工会", "王建国"}


# --------------------------------------------------------------------------- web pages

PAGE_HTML = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="{charset}">
<title>江宁区总工会为户外劳动者送清凉_新闻中心</title>
<meta property="og:title" content="江宁区总工会为户外劳动者送清凉">
<meta name="publishdate" content="2023-07-15">
<link rel="canonical" href="https://example.org/news/2023/0715/1.html">
</head><body>
<nav><a href="/">首页</a> | <a href="/news">新闻动态</a> | <a href="/about">关于我们</a></nav>
<div class="article">
<h1>江宁区总工会为户外劳动者送清凉</h1>
<p>本报讯（记者张明）7月14日，江宁区总工会主席王建国带队走访辖区内的环卫站点，为坚守岗位的环卫工人送去防暑降温物资。</p>
<p>此次活动共发放绿豆、毛巾、清凉油等慰问品2000余份，覆盖全区12个街道的户外劳动者。</p>
<p>王建国表示，区总工会将持续推进“暖心驿站”建设，让户外劳动者渴了能喝水、累了能歇脚。</p>
</div>
<footer>版权所有 &copy; 2023 示例网站 联系电话：025-12345678</footer>
<script>var note = "<p>脚本里的文字</p>";</script>
</body></html>
"""


def _page_checks(doc: object) -> None:
    assert doc.title == "江宁区总工会为户外劳动者送清凉"  # type: ignore[attr-defined]
    assert doc.date == dt.date(2023, 7, 15)  # type: ignore[attr-defined]
    assert doc.url == "https://example.org/news/2023/0715/1.html"  # type: ignore[attr-defined]
    text = doc.text  # type: ignore[attr-defined]
    assert "江宁区总工会主席王建国带队走访" in text and "歇脚。" in text
    for furniture in ("<", "首页", "关于我们", "版权所有", "脚本里的文字", "var note"):
        assert furniture not in text


def test_html_page_is_read_for_its_main_text(tmp_path: Path) -> None:
    from kg.read.segment import segment

    p = tmp_path / "site" / "jiangning.html"
    p.parent.mkdir()
    p.write_text(PAGE_HTML.format(charset="utf-8"), "utf-8")
    (tmp_path / "site" / "old.htm").write_bytes(PAGE_HTML.format(charset="gbk").encode("gbk"))
    docs, log = read([str(p.parent)])  # a folder: .html and .htm are read
    assert [Path(d.source).name for d in docs] == ["jiangning.html", "old.htm"]
    for doc in docs:
        _page_checks(doc)
    assert docs[1].encoding == "gb18030" and docs[0].text == docs[1].text
    assert [w.message for w in log.notes] == ["read as GB18030"]
    assert log.problems == []
    (art,) = segment(docs[0])  # a page is one article, headed by its title
    assert art.headline == "江宁区总工会为户外劳动者送清凉"
    assert [b.name for b in art.bylines] == ["张明"]


def test_html_on_stdin() -> None:
    docs, _ = read(["-"], stdin=io.BytesIO(PAGE_HTML.format(charset="utf-8").encode()))
    (doc,) = docs
    assert doc.source == "<stdin>"
    _page_checks(doc)


def test_html_page_without_article_text(tmp_path: Path) -> None:
    p = tmp_path / "empty.html"
    p.write_text("<html><head><title>空页</title></head><body><script>var a = '正文';</script>"
                 "<footer>版权所有</footer></body></html>", "utf-8")
    docs, log = read([str(p), str(PAGE)])
    assert len(docs) == 1
    assert messages(log) == [("empty.html", "no article text found in the page")]
