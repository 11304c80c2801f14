"""A long article read a window of sentences at a time, and quads passed on in batches as they are made.

The article here is written for the test: a block of sentences about one
district's union, its enterprises, people and programs, repeated with other
figures, and no line break anywhere.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.builder import pipeline
from kg.extract import lexicon
from kg.read.ingest import iter_documents

BLOCK = ("江宁区总工会主席王建国在座谈会上介绍，今年以来全区新建基层工会{a}家，发展会员{b}人。"
         "江宁区恒安物流有限公司成立工会，{c}名货车司机当天加入工会。"
         "恒安物流有限公司工会主席李秀英表示，企业与职工签订集体合同{d}份。"
         "江宁区总工会联合区人社局开展“技能提升月”活动，为{b}名快递员提供免费培训。"
         "截至10月底，江宁区累计发放困难职工帮扶资金{a}万元，惠及职工{c}户。"
         "外卖骑手张海燕荣获全国五一劳动奖章。"
         "下一步，江宁区总工会将继续推进“暖心驿站”建设，计划再建成{d}座户外劳动者服务站点。")


def _long_text(blocks: int) -> str:
    head = "江宁区总工会多措并举服务新就业形态劳动者本报讯（记者张明）"
    return head + "".join(BLOCK.format(a=10 + i, b=300 + 7 * i, c=20 + i % 9, d=3 + i % 5) for i in range(blocks))


def _document(tmp_path: Path, text: str):  # noqa: ANN202
    path = tmp_path / "long.txt"
    path.write_text(text, "utf-8")
    return next(iter_documents([str(path)], date=None, stdin=None, warn=None, info=None))


def _quads(doc, **kw) -> tuple[set[str], object, list]:  # noqa: ANN001
    made: list = []
    mapper, results = pipeline.extract_document(doc, lexicon(), sink=made.extend, **kw)
    lines = ox.serialize(made, format=ox.RdfFormat.N_QUADS).decode("utf-8").splitlines()
    assert len(lines) == len(set(lines)), "a quad was passed on twice"
    return set(lines), mapper, results


@pytest.fixture(scope="module")
def long_doc(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    return _document(tmp_path_factory.mktemp("long"), _long_text(40))


def test_a_long_article_read_in_windows_gives_the_graph_read_whole(long_doc) -> None:  # noqa: ANN001
    whole, read_whole, results = _quads(long_doc, window=10_000)
    assert results[0].mentions  # read whole: the article's results hold its mentions
    windowed, mapper, results = _quads(long_doc, window=25)
    assert not results[0].mentions  # read in windows: nothing of the windows is kept
    assert windowed == whole
    # the windows did find what the article says, in its last sentences too
    text = "\n".join(sorted(windowed))
    assert '"王建国"@zh' in text and '"恒安物流有限公司"@zh' in text and "receivedAward" in text
    assert mapper.counts == read_whole.counts and mapper.counts["Statistic"] == 40 * 8


def test_an_ordinary_article_is_read_whole(tmp_path: Path) -> None:
    doc = _document(tmp_path, _long_text(2))
    whole, _, results = _quads(doc)
    assert results[0].mentions
    assert _quads(doc, window=10)[0] == whole


@pytest.mark.parametrize("window", [10_000, 25])
def test_quads_passed_on_in_small_batches_are_the_same(long_doc, window: int) -> None:  # noqa: ANN001
    def run(chunk: int) -> tuple[bytes, bytes]:
        nquads: list[bytes] = []
        turtle: list[bytes] = []
        serializer = pipeline.QuadSerializer(lambda nq, ttl: (nquads.append(nq), turtle.append(ttl)))
        pipeline.extract_document(long_doc, lexicon(), sink=serializer, window=window, chunk=chunk)
        serializer.close()
        return b"".join(nquads), b"".join(turtle)

    one = run(10**9)
    small = run(97)
    assert small == one  # the same N-Quads and the same Turtle, to the byte
    assert one[1].count(b" .\n") > 1000


def test_a_large_document_comes_back_from_a_worker_in_files(tmp_path: Path) -> None:
    import kg

    src = tmp_path / "docs"
    src.mkdir()
    (src / "long.txt").write_text(_long_text(12), "utf-8")
    (src / "short.txt").write_text(_long_text(1), "utf-8")
    kg.build([str(src)], str(tmp_path / "one"), quiet=True, viewer=False)
    # in a process of its own (workers are forked), where every document's quads count as large
    script = ("import sys, kg, kg.builder.pipeline as p; p.SPILL_BYTES = 10; "
              "kg.build([sys.argv[1]], sys.argv[2], quiet=True, viewer=False, jobs=2)")
    subprocess.run([sys.executable, "-c", script, str(src), str(tmp_path / "two")], check=True, timeout=120)
    one, two = (tmp_path / "one" / "graph.ttl").read_bytes(), (tmp_path / "two" / "graph.ttl").read_bytes()
    assert one == two
    assert not list((tmp_path / "two" / ".kg").glob("parts-*"))  # the files are gone
