"""``kg eval``: errors per document, slices, records without a file, bad records."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.builder.evaluate import evaluate, format_errors, read_gold
from kg.cli import cli

DATA = Path(__file__).resolve().parent / "data" / "cli" / "eval"


def _run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(cli, ["eval", *args])
    return r.exit_code, r.stdout, r.stderr


def test_errors_list_false_positives_misses_and_wrong_classes() -> None:
    sc = evaluate(DATA / "gold.jsonl", DATA / "graphs", {"a"})
    kinds = {(e.kind, e.group, e.text) for e in sc.errors if e.part == "entities"}
    assert ("fn", "OtherOrganization", "宁波日报") in kinds
    assert ("fn", "Person", "赵雪") in kinds
    assert any(k == "class" and g == "Enterprise" for k, g, _ in kinds)  # a person typed as an enterprise
    assert any(k == "duplicate" and g == "TradeUnion" for k, g, _ in kinds)  # the same union as two nodes
    rel = {(e.kind, e.group) for e in sc.errors if e.part == "relations"}
    assert ("fn", "benefits") in rel and ("fp", "memberOf") in rel
    text = format_errors(sc)
    assert "## a" in text and "-宁波日报" in text and "OtherOrganization:" in text


def test_eval_cli_prints_errors_and_json_errors() -> None:
    code, out, _ = _run(str(DATA / "gold.jsonl"), str(DATA / "graphs"), "--ids", "a", "--errors")
    assert code == 0
    assert "-宁波日报" in out and "-赵雪" in out
    code, out, _ = _run(str(DATA / "gold.jsonl"), str(DATA / "graphs"), "--ids", "a", "--errors", "--json")
    assert code == 0
    errors = json.loads(out)["errors"]
    assert {"doc": "a", "part": "entities", "kind": "fn", "group": "Person", "text": "赵雪", "detail": ""} in errors


def test_a_missed_relation_says_which_end_was_not_found() -> None:
    sc = evaluate(DATA / "gold.jsonl", DATA / "graphs")
    b = [e for e in sc.errors if e.doc == "b" and e.part == "relations"]
    assert [e.detail for e in b] == ["entity missed: 深圳市总工会, 深圳市"]


def test_slices_are_the_first_letter_of_the_id(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    lines = (DATA / "gold.jsonl").read_text("utf-8").splitlines()
    recs = [json.loads(line) for line in lines]
    recs[0]["id"], recs[1]["id"] = "x1", "y1"
    gold.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in recs) + "\n", "utf-8")
    graphs = tmp_path / "graphs"
    shutil.copytree(DATA / "graphs" / "a", graphs / "x1")
    (graphs / "y1").mkdir()
    sc = evaluate(gold, graphs)
    assert sorted(sc.slices()) == ["x", "y"]
    assert sc.slices()["x"].table() == sc.records["x1"].table()
    code, out, _ = _run(str(gold), str(graphs))
    assert code == 0
    slice_lines = [ln.split() for ln in out.splitlines() if ln.split()[:1] in (["x"], ["y"])]
    assert [row[:2] for row in slice_lines] == [["x", "1"], ["y", "1"]]
    assert json.loads(_run(str(gold), str(graphs), "--json")[1])["slices"]["y"]["entities"]["ALL"]["fn"] == 2


def test_a_record_without_file_means_id_txt(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "n1", "entities": [{"name": "宁波市总工会", "type": "TradeUnion"}]},
                               ensure_ascii=False) + "\n", "utf-8")
    assert read_gold(gold)[0]["file"] == "n1.txt"
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "n1.txt").write_text("宁波市总工会近日为环卫工人送去清凉。\n", "utf-8")
    code, out, err = _run(str(gold), str(tmp_path / "out"), "--docs", str(docs), "--json")
    assert code == 0, err
    assert json.loads(out)["entities"]["TradeUnion"]["tp"] == 1


# fmt: off
BAD_RECORDS = [
    ("[1, 2]\n",                                              "gold.jsonl:1: not a JSON object"),
    ('{"id": "a", "entities": []}\n{"id": "b", ',             "gold.jsonl:2: not a JSON object"),
    ('{"entities": []}\n',                                    'gold.jsonl:1: a record needs an "id"'),
    ('{"id": "../x", "entities": []}\n',                      'gold.jsonl:1: a record needs an "id"'),
    ('{"id": "a", "entities": [{"name": "甲"}]}\n',           'gold.jsonl:1: "entities" must be a list'),
    ('{"id": "a", "entities": [], "relations": {}}\n',        'gold.jsonl:1: "relations" must be a list'),
    ('{"id": "a", "entities": [], "file": 3}\n',              'gold.jsonl:1: "file" must be a string'),
]
# fmt: on


@pytest.mark.parametrize(("text", "message"), BAD_RECORDS)
def test_a_bad_record_is_a_one_line_error(tmp_path: Path, text: str, message: str) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(text, "utf-8")
    (tmp_path / "graphs").mkdir()
    code, out, err = _run(str(gold), str(tmp_path / "graphs"))
    assert code != 0
    assert message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err + out


def test_a_missing_document_is_a_one_line_error(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": "gone", "entities": []}\n', "utf-8")
    (tmp_path / "docs").mkdir()
    code, _, err = _run(str(gold), str(tmp_path / "out"), "--docs", str(tmp_path / "docs"))
    assert code != 0 and "gone.txt: no such document" in err and len(err.strip().splitlines()) == 1
