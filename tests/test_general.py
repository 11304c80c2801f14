"""The general-news name tagger (kg.extract.general) and its training script, on sentences written here."""

from __future__ import annotations

import fnmatch
import json
import subprocess
import sys
import threading
import tomllib
from importlib import resources
from pathlib import Path

import pytest
from extract_helpers import article_of

from kg.extract import general
from kg.extract.general import GeneralError, GeneralTagger, features, general_candidates, model, read_spans, spans
from kg.extract.lexicon import lexicon
from kg.extract.names.base import tokens_of
from kg.extract.tagger import tagger
from kg.extract.train_general import bioes, read_cluener

ROOT = Path(__file__).resolve().parent.parent

GENERAL_NEWS = [
    "外交部发言人汪文斌在例行记者会上回答了记者提问。",
    "招商银行发布公告称，董事长缪建民将出席股东大会。",
    "印度外交部发言人巴格奇周四表示，双方会谈取得了进展。",
    "小米集团创始人雷军在发布会上介绍了新款手机。",
]


def found(texts: list[str]) -> list[set[tuple[str, str]]]:
    return [{(t[s:e], lab) for s, e, lab, _ in f} for t, f in zip(texts, spans(texts, tagger().tag(texts)),
                                                                  strict=True)]


def test_company_ministry_and_person_in_general_news() -> None:
    got = found(GENERAL_NEWS)
    assert {("外交部", "government"), ("汪文斌", "name")} <= got[0]
    assert {("招商银行", "company"), ("缪建民", "name")} <= got[1]
    assert {("印度外交部", "government"), ("巴格奇", "name")} <= got[2]
    assert {("小米集团", "company"), ("雷军", "name")} <= got[3]


def test_scores_are_probabilities_and_spans_are_ordered() -> None:
    for text, f in zip(GENERAL_NEWS, spans(GENERAL_NEWS, tagger().tag(GENERAL_NEWS)), strict=True):
        assert f == sorted(f)
        for s, e, lab, score in f:
            assert 0 <= s < e <= len(text) and 0.0 < score <= 1.0 and lab


def test_deterministic_across_calls_instances_and_threads() -> None:
    words = tagger().tag(GENERAL_NEWS)
    first = spans(GENERAL_NEWS, words)
    assert spans(GENERAL_NEWS, words) == first
    assert GeneralTagger().spans(GENERAL_NEWS, words) == first
    results: list[object] = [None] * 4

    def work(k: int) -> None:
        results[k] = model().spans(GENERAL_NEWS * 3, words * 3)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == first * 3 for r in results)


def test_empty_and_odd_texts() -> None:
    texts = ["", "。", "2023年", "ABC"]
    out = spans(texts, tagger().tag(texts))
    assert out[0] == [] and len(out) == 4
    assert len(features("ABC", tagger().tag(["ABC"])[0])) == 3


def test_extractor_takes_the_models_company_government_and_person() -> None:
    r = article_of("华晨宝马今年在沈阳新招了两千名工人。", "印度外交部发言人巴格奇周四表示，双方会谈取得了进展。")
    got = {(m.key, m.cls, m.rule) for m in r.mentions}
    assert ("华晨宝马", "Enterprise", "enterprise:general") in got
    assert ("印度外交部", "GovernmentBody", "governmentbody:general") in got
    assert any(key == "巴格奇" and cls == "Person" for key, cls, _rule in got)
    assert ("沈阳", "Place", "place:gazetteer") in got  # the gazetteer's place stays the grammar's


def test_grammar_keeps_union_news_and_generic_words_are_not_proposed() -> None:
    lx = lexicon()
    for text in ("各级工会组织要关心困难职工的生活。", "市总工会副主席张伟走访了困难职工。",
                 "区法院和市政府联合召开了座谈会。", "他在卫健系统工作了二十年。"):
        words = tagger().tag([text])[0]
        drop, extra = general_candidates(text, words, [], lx)
        assert drop == set()
        assert all(cls == "Person" for _s, _e, cls, _c, _r in extra), (text, extra)
    r = article_of("市总工会副主席张伟走访了困难职工。")
    assert {m.rule for m in r.mentions if m.key == "张伟"} == {"person:after-role"}


def test_a_proposal_never_crosses_a_candidate_and_takes_the_suffixs_class() -> None:
    text = "招商银行发布公告称，董事长缪建民将出席股东大会。"
    words = tagger().tag([text])[0]
    lx = lexicon()
    _drop, extra = general_candidates(text, words, [(2, 6, "Place", "test")], lx)
    assert not any(s < 6 and 2 < e for s, e, *_ in extra)
    _drop, extra = general_candidates(text, words, [], lx)
    assert (0, 4, "Enterprise") in {(s, e, cls) for s, e, cls, _c, _r in extra}  # 银行: an enterprise


def test_a_person_only_the_tagger_proposed_is_dropped_when_the_model_reads_none() -> None:
    text = "招商银行发布公告称，董事长缪建民将出席股东大会。"
    words = tagger().tag([text])[0]
    existing = [(0, 2, "Person", "person:model"), (13, 16, "Person", "person:model"),
                (0, 2, "Person", "person:after-role")]
    drop, _extra = general_candidates(text, words, existing, lexicon())
    assert drop == {0}  # 招商 is no person; 缪建民 is; a title's person is never reviewed


def test_model_is_loaded_lazily() -> None:
    code = ("import sys, kg.cli, kg.extract, kg.extract.general as g\n"
            "assert 'pycrfsuite' not in sys.modules and g._MODEL is None\n"
            "g.model()\n"
            "assert 'pycrfsuite' in sys.modules\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, timeout=120)


def test_missing_package_gives_a_one_line_hint() -> None:
    code = ("import sys\nsys.modules['pycrfsuite'] = None\n"
            "from kg.extract.general import GeneralTagger, GeneralError\n"
            "try:\n    GeneralTagger()\nexcept GeneralError as e:\n    print(e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT,
                         timeout=120).stdout
    assert out.strip() == "the general-news tagger needs python-crfsuite: pip install python-crfsuite"


def test_unreadable_model_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.crfsuite"
    bad.write_bytes(b"not a model at all")
    for path in (bad, tmp_path / "missing.crfsuite"):
        with pytest.raises(GeneralError, match="cannot read the general-news model"):
            GeneralTagger(str(path))


def test_model_ships_as_package_data() -> None:
    f = resources.files("kg").joinpath("data", "general-ner.crfsuite")
    assert f.is_file() and 100_000 < len(f.read_bytes()) < 8_000_000
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    patterns = meta["tool"]["setuptools"]["package-data"]["kg"]
    assert any(fnmatch.fnmatch("data/general-ner.crfsuite", p) for p in patterns)
    assert any(d.startswith("python-crfsuite") for d in meta["project"]["dependencies"])


def test_bioes_and_read_spans_agree() -> None:
    gold = [(0, 3, "company"), (5, 6, "name"), (7, 10, "government")]
    tags = bioes(12, [*gold, (1, 2, "name")])  # a nested name gives way to the longer one
    assert tags[:4] == ["B-company", "I-company", "E-company", "O"] and tags[5] == "S-name"
    assert read_spans(tags) == gold
    assert read_spans(["I-name", "E-name", "B-company", "O"]) == [(0, 2, "name"), (2, 3, "company")]


# --------------------------------------------------------------------------- training

PEOPLE = ["王立新", "陈思远", "刘晓梅", "赵国强", "孙文博", "周海燕"]
COMPANIES = ["远航科技", "青禾食品", "恒通物流", "星河电子", "瑞丰制药", "金穗农业"]
BODIES = ["商务部", "交通运输部", "教育部", "国家统计局", "水利部", "财政部"]


def tiny_sample() -> list[dict[str, object]]:
    out = []
    for k in range(len(PEOPLE)):
        p, c, b = PEOPLE[k], COMPANIES[k], BODIES[k]
        t1 = f"{c}董事长{p}表示，公司今年将扩大生产。"
        t2 = f"{b}昨天发布通知，要求各地做好准备。"
        t3 = f"{p}说，{c}已经和{b}签署了合作协议。"
        out.append({"text": t1, "label": {"company": {c: [[0, len(c) - 1]]},
                                          "name": {p: [[len(c) + 3, len(c) + 2 + len(p)]]}}})
        out.append({"text": t2, "label": {"government": {b: [[0, len(b) - 1]]}}})
        i, j = t3.index(c), t3.index(b)
        out.append({"text": t3, "label": {"name": {p: [[0, len(p) - 1]]}, "company": {c: [[i, i + len(c) - 1]]},
                                          "government": {b: [[j, j + len(b) - 1]]}}})
    return out


def write_sample(folder: Path) -> Path:
    path = folder / "cluener2020" / "train.json"
    path.parent.mkdir(parents=True)
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in tiny_sample()) + "\n", "utf-8")
    return path


def train(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg.extract.train_general", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


def test_training_script_rebuilds_a_model_deterministically(tmp_path: Path) -> None:
    write_sample(tmp_path)
    a, b = tmp_path / "a.crfsuite", tmp_path / "b.crfsuite"
    for out in (a, b):
        r = train([str(tmp_path), "-o", str(out), "--iterations", "40"])
        assert r.returncode == 0, r.stderr
    assert a.read_bytes() == b.read_bytes()
    text = "星河电子董事长孙文博表示，公司今年将扩大生产。"
    got = {(text[s:e], lab) for s, e, lab, _ in GeneralTagger(str(a)).spans([text], tagger().tag([text]))[0]}
    assert {("星河电子", "company"), ("孙文博", "name")} <= got
    assert "18 examples" in r.stderr


def test_training_reads_examples_sorted_and_checks_them(tmp_path: Path) -> None:
    path = write_sample(tmp_path)
    examples = read_cluener(path)
    assert [t for t, _ in examples] == sorted(t for t, _ in examples) and len(examples) == 18
    text, names = next(x for x in examples if x[0].startswith("远航科技董事长"))
    assert [(text[s:e], lab) for s, e, lab in names] == [("远航科技", "company"), ("王立新", "name")]


@pytest.mark.parametrize("content, message", [
    (None, "no such file"),
    ("{not json\n", "not a CLUENER record"),
    ('{"text": "短句", "label": {"name": {"短句": [[0, 5]]}}}\n', "a name lies outside its text"),
    ("\n", "no examples"),
])
def test_training_bad_input_is_one_line(tmp_path: Path, content: str | None, message: str) -> None:
    if content is not None:
        (tmp_path / "train.json").write_text(content, "utf-8")
    out = tmp_path / "m.crfsuite"
    r = train([str(tmp_path / "train.json"), "-o", str(out)])
    assert r.returncode == 1
    assert len(r.stderr.strip().splitlines()) == 1 and message in r.stderr and "Traceback" not in r.stderr
    assert not out.exists()


# --------------------------------------------------------------------------- gates and repairs


def proposals(text: str, existing: list[tuple[int, int, str, str]] | None = None) -> tuple[set[int], dict[str, str]]:
    words = tagger().tag([text])[0]
    pieces = [(t.start, t.end) for t in tokens_of(text)]
    drop, extra = general_candidates(text, words, existing or [], lexicon(), pieces)
    return drop, {text[s:e]: cls for s, e, cls, _c, _r in extra}


def test_a_transliterated_name_replaces_the_pieces_the_tagger_read() -> None:
    text = "英格兰球员约翰-斯通斯在比赛中打进一球。"
    drop, got = proposals(text, [(5, 7, "Person", "person:model"), (8, 11, "Person", "person:model")])
    assert drop == {0, 1} and got.get("约翰-斯通斯") == "Person"
    r = article_of(text)
    assert [(m.key, m.cls) for m in r.mentions if m.cls == "Person"] == [("约翰-斯通斯", "Person")]


def test_a_title_after_a_name_is_never_replaced_and_a_verb_never_ends_a_name() -> None:
    text = "英格兰球员约翰-斯通斯在比赛中打进一球。"
    drop, _got = proposals(text, [(5, 7, "Person", "person:after-role"), (8, 11, "Person", "person:model")])
    assert 0 not in drop  # a person after a title is the grammar's
    assert not general._person("周海说", lexicon(), 0.99) and general._person("周海", lexicon(), 0.99)


def test_a_news_outlet_is_an_other_organization() -> None:
    _drop, got = proposals("据新民网报道，上海市多家医院开始试行夜间门诊。")
    assert got == {"新民网": "OtherOrganization"}
    lead = "新民网讯 上海市多家医院开始试行夜间门诊。"
    assert general._organisation(lead, 0, 4, "Enterprise", tagger().tag([lead])[0], lexicon()) is None


def test_a_list_of_abbreviations_is_not_a_company() -> None:
    _drop, got = proposals("青岛银、保、证三家监管机构联合发文。")
    assert "青岛银" not in got


def test_a_place_and_one_character_is_left_to_the_grammar() -> None:
    text = "江苏院召开专题会议。"
    words = tagger().tag([text])[0]
    assert general._organisation(text, 0, 3, "GovernmentBody", words, lexicon()) is None
    assert general._organisation("据新民网报道。", 1, 4, "Enterprise", tagger().tag(["据新民网报道。"])[0],
                                 lexicon()) == "OtherOrganization"


def test_an_entry_of_a_roll_of_honour_is_not_reviewed() -> None:
    text = "赵刚远东化工有限公司技术员"  # name, employer, post: one line of a list
    person, org = (0, 2, "Person", "person:model"), (2, 10, "Enterprise", "org:suffix:有限公司")
    assert proposals(text, [person, org])[0] == set()
    assert proposals(text, [person])[0] == {0}  # the same person without the employer after it is reviewed
