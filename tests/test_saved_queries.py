"""The saved queries of examples/queries/ on a build of the bundled page.

Expected rows were checked against the page text
(examples/workers-daily-2022-11-11-p3.md), not copied from the extractor's
output.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.sparql.query import run_query

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "examples" / "queries"

#: Every saved query and the test below that checks its answer.
TESTED = {
    "aliases-of-unions.rq",
    "articles-mentioning-two-entities.rq",
    "awards-and-recipients.rq",
    "enterprises-unions-and-contracts.rq",
    "figures-about-a-union.rq",
    "people-with-several-posts.rq",
    "places-by-union-activity.rq",
    "programs-for-a-worker-group.rq",
    "programs-organizers-beneficiaries.rq",
    "reporters-and-articles.rq",
    "statements-about-an-entity.rq",
    "union-hierarchy-by-place.rq",
    "unions-and-leaders.rq",
    "unions-for-worker-group.rq",
    "unions-programs-money.rq",
    "vocabulary.rq",
    "who-chairs-a-union.rq",
}


def saved() -> list[str]:
    return sorted(p.name for p in QUERIES.glob("*.rq"))


def rows(build: Path, query: str, **params: str) -> list[dict[str, str | None]]:
    """The answer of a saved query, given its parameters: one dict per row, values as plain strings."""
    r = run_query(build, (QUERIES / query).read_text("utf-8"), params=params)
    return [
        {v: (t.value if t is not None else None) for v, t in zip(r.variables, row, strict=True)}
        for row in r.rows
    ]


def pairs(result: list[dict[str, str | None]], *keys: str) -> set[tuple[str | None, ...]]:
    return {tuple(r[k] for k in keys) for r in result}


# ------------------------------------------------------------------ the files


def test_every_saved_query_has_a_test():
    assert len(saved()) >= 12
    assert set(saved()) == TESTED


@pytest.mark.parametrize("name", saved())
def test_saved_query_is_commented_and_self_contained(name):
    text = (QUERIES / name).read_text("utf-8")
    head = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        head.append(line)
    assert len(head) >= 2 and all(line.startswith("# ") for line in head), "start with '# ' comment lines"
    assert "Adapt" in "\n".join(head), "say how to adapt the query"
    # each file declares its own prefixes, so it runs on any SPARQL endpoint
    from kg.sparql.query import declared_prefixes

    used = {p for p in ("gh", "rdfs", "skos", "prov", "oa") if f"{p}:" in text.split("\n", len(head))[-1]}
    assert used <= declared_prefixes(text)


@pytest.mark.parametrize("name", saved())
def test_saved_query_runs_from_the_command_line(page_build, name):
    res = CliRunner().invoke(
        cli, ["query", str(page_build), "-f", str(QUERIES / name)], catch_exceptions=False
    )
    assert res.exit_code == 0, res.stderr
    assert not res.stderr.startswith("0 rows")


# -------------------------------------------------------------- the answers


def test_unions_and_leaders(page_build):
    got = pairs(rows(page_build, "unions-and-leaders.rq"), "union", "person", "role")
    assert got == {
        ("哈尔滨市总工会", "林艳秋", "主席"),  # 市总工会主席林艳秋
        ("镇安县总工会", "张家升", "常务副主席"),  # 镇安县总工会常务副主席张家升
        ("全国总工会", "谭天星", "副主席"),  # 全总副主席、书记处书记谭天星
        ("全国总工会", "谭天星", "书记处书记"),
        ("衡阳市总工会", "段志阳", "党组书记"),  # 衡阳市总工会党组书记、常务副主席段志阳
        ("衡阳市总工会", "段志阳", "常务副主席"),
    }


def test_programs_organizers_beneficiaries(page_build):
    result = rows(page_build, "programs-organizers-beneficiaries.rq")
    organized = pairs(result, "program", "organizer")
    # 此次竞赛由深圳市总工会、市人社局主办 (the launch of all three contests)
    for contest in ("深圳市第十二届职工技术创新运动会", "2022年深圳技能大赛", "2022年深圳市重点工程劳动竞赛"):
        assert (contest, "深圳市总工会") in organized
        assert (contest, "深圳市人社局") in organized
    # 哈尔滨市总工会出台《全市工会深度参与经济工作促进经济发展工作方案》
    assert ("全市工会深度参与经济工作促进经济发展工作方案", "哈尔滨市总工会") in organized
    # the collective contract: signed at 爱奔物流园, benefiting truck drivers
    contract = [r for r in result if r["program"] and r["program"].endswith("集体合同")]
    assert pairs(contract, "participant", "beneficiary") == {("宜昌市爱奔物流园", "货车司机")}
    assert any(
        r["beneficiary"] == "新就业形态劳动者" and "新就业形态劳动者温暖行动" in (r["program"] or "")
        for r in result
    )


def test_union_hierarchy_by_place(page_build):
    got = pairs(rows(page_build, "union-hierarchy-by-place.rq"), "union", "place", "province", "parentUnion")
    assert {
        ("猇亭区总工会", "猇亭区", "湖北省", "宜昌市总工会"),  # 宜昌市及猇亭区总工会
        ("宜昌市总工会", "宜昌市", "湖北省", None),
        ("镇安县总工会", "镇安县", "陕西省", None),  # 陕西省商洛市镇安县
        ("哈尔滨市总工会", "哈尔滨市", "黑龙江省", None),
        ("深圳市总工会", "深圳市", "广东省", None),
        ("衡阳市总工会", "衡阳市", "湖南省", None),
        ("湖北省总工会", "湖北省", "湖北省", None),
    } <= got


def test_enterprises_with_collective_contracts(page_build):
    got = pairs(rows(page_build, "enterprises-unions-and-contracts.rq"), "enterprise", "what", "detail")
    # 宜昌市爱奔物流园召开职代会,签订了湖北省货运物流行业第一份集体合同
    assert ("宜昌市爱奔物流园", "signed a collective contract", "湖北省货运物流行业第一份集体合同") in got


def test_enterprises_that_set_up_unions(page_build):
    got = {
        r["enterprise"]
        for r in rows(page_build, "enterprises-unions-and-contracts.rq")
        if r["what"] == "set up a union"
    }
    # 镇安县圆通物业有限公司成立工会后,带动周围的鑫园物业等物管企业成立工会
    assert {"镇安县圆通物业有限公司", "鑫园物业"} <= got


def test_figures_about_a_union(page_build):
    result = rows(page_build, "figures-about-a-union.rq", name="哈尔滨市总工会")
    assert {r["name"] for r in result} == {"哈尔滨市总工会"}
    by_alias = rows(page_build, "figures-about-a-union.rq", name="哈尔滨市总")  # an alias works too
    assert [r["surface"] for r in by_alias] == [r["surface"] for r in result]
    got = {(r["surface"], float(r["value"] or 0), r["unit"], r["approximate"], r["period"]) for r in result}
    assert got == {
        ("5000多家", 5000, "家", "true", None),  # 覆盖企业5000多家
        ("40万人次", 400000, "人次", "false", None),  # 职工40万人次
        ("12992户", 12992, "户", "false", "2020年以来"),  # 2020年以来…返还12992户小微企业工会经费25249万元
        ("25249万元", 252490000, "元", "false", "2020年以来"),
        ("3500名", 3500, "名", "false", "今年"),  # 今年…为3500名职工提供免费健康体检服务
        ("100名", 100, "名", "false", "今年"),  # 为100名劳模、170名哈尔滨大工匠和300名职工…
        ("170名", 170, "名", "false", "今年"),
        ("300名", 300, "名", "false", "今年"),
        ("17家", 17, "家", "false", "截至目前"),  # 截至目前…17家省级以上…示范单位
        ("50%", 50, "%", "false", "截至目前"),  # 非公企业占比50%
        ("3家", 3, "家", "false", "截至目前"),  # 新业态企业3家
    }
    assert [r["surface"] for r in result][0] == "25249万元"  # largest value first


def test_statements_about_an_entity(page_build):
    result = rows(page_build, "statements-about-an-entity.rq", name="深圳市总工会")
    got = pairs(result, "subject", "property", "object", "sentence")
    sentence = "此次竞赛由深圳市总工会、市人社局主办。"
    for contest in ("深圳市第十二届职工技术创新运动会", "2022年深圳技能大赛", "2022年深圳市重点工程劳动竞赛"):
        assert ("深圳市总工会", "organizes", contest, sentence) in got
    assert ("深圳市总工会", "locatedIn", "深圳市", sentence) in got
    assert all(r["rule"] for r in result)
    assert all(r["property"] != "mentionedIn" for r in result)


def test_awards_and_recipients(page_build):
    result = rows(page_build, "awards-and-recipients.rq")
    awards = {r["award"] for r in result}
    # 全国五一劳动奖章获得者 … 荣获了全国劳动模范称号; 深圳市五一劳动奖章, 深圳市工人先锋号, 深圳市技术能手
    assert {
        "全国五一劳动奖章",
        "全国劳动模范",
        "深圳市五一劳动奖章",
        "深圳市工人先锋号",
        "深圳市技术能手",
    } <= awards
    # the national honours went to a courier named only on page 1 (他); the
    # Shenzhen ones are still to be awarded: nobody on this page is a recipient
    assert {r["recipient"] for r in result} == {None}
    shenzhen = {r["headline"] for r in result if r["award"] == "深圳市工人先锋号"}
    assert shenzhen == {"深圳举行第十二届职工技术创新运动会"}


def test_people_with_several_posts(page_build):
    result = rows(page_build, "people-with-several-posts.rq")
    # 哈尔滨市人大常委会副主任、市总工会主席林艳秋
    assert [(r["person"], r["organizations"]) for r in result] == [("林艳秋", "2")]
    assert set((result[0]["posts"] or "").split("; ")) == {"哈尔滨市总工会 主席", "哈尔滨市人大常委会 副主任"}


def test_places_by_union_activity(page_build):
    result = rows(page_build, "places-by-union-activity.rq", province="湖北省")
    by_place = {r["place"]: r for r in result}
    first = result[0]
    # 湖北省总工会, 宜昌市总工会 and 猇亭区总工会 (宜昌市 → 湖北省)
    assert (first["place"], first["unions"]) == ("湖北省", "3")
    assert by_place["宜昌市"]["unions"] == "2"
    assert set(by_place) <= {"湖北省", "宜昌市", "猇亭区", "武汉市"}, "a place outside the province"
    activity = [int(r["activity"] or 0) for r in result]
    assert activity == sorted(activity, reverse=True)


def test_places_by_union_activity_in_another_province(page_build):
    other = rows(page_build, "places-by-union-activity.rq", province="黑龙江省")
    got = {r["place"]: [r["unions"], r["programs"], r["figures"]] for r in other}
    # 黑龙江省总工会 and 哈尔滨市总工会, the work plan, 1 + 11 figures
    assert got["黑龙江省"] == ["2", "1", "12"]
    assert got["哈尔滨市"][2] == "11"
    shaanxi = rows(page_build, "places-by-union-activity.rq", province="陕西省")
    assert {r["place"]: r["unions"] for r in shaanxi}["陕西省"] == "2"  # with 镇安县总工会
    everywhere = {r["province"] for r in rows(page_build, "places-by-union-activity.rq")}
    assert {"湖北省", "黑龙江省", "陕西省"} <= everywhere  # without the parameter: every province


def test_programs_for_a_worker_group(page_build):
    programs = {r["program"] for r in rows(page_build, "programs-for-a-worker-group.rq", group="新就业形态劳动者")}
    # 镇安县"工会进万家·新就业形态劳动者温暖行动"服务月活动
    assert any("工会进万家·新就业形态劳动者温暖行动" in (p or "") for p in programs)


def test_unions_for_a_worker_group(page_build):
    result = rows(page_build, "unions-for-worker-group.rq")
    # 宜昌市及猇亭区总工会……补贴20万元在爱奔物流园建成司机之家: both unions, the drivers' home, and the sentence
    assert pairs(result, "union", "program") == {("宜昌市总工会", "司机之家"), ("猇亭区总工会", "司机之家")}
    assert all("建成司机之家" in (r["evidence"] or "") for r in result)


def test_reporters_and_articles(page_build):
    got = pairs(rows(page_build, "reporters-and-articles.rq"), "reporter", "headline")
    assert got == {
        ("刘友婷", "深圳举行第十二届职工技术创新运动会"),  # (记者刘友婷 通讯员焦慧茹)
        ("焦慧茹", "深圳举行第十二届职工技术创新运动会"),
        ("陈竞", "“三方四促五协同”模式助“产改”提速"),  # (通讯员陈竞)
        ("张翀", "湖北货运物流行业首份集体合同签订"),  # (记者张翀通讯员罗晓峰谭勇)
        ("罗晓峰", "湖北货运物流行业首份集体合同签订"),
        ("谭勇", "湖北货运物流行业首份集体合同签订"),
        ("王鑫", "衡阳市总聚焦职工婚恋交友难问题"),  # (记者王鑫 方大丰 通讯员张阳琛)
        ("方大丰", "衡阳市总聚焦职工婚恋交友难问题"),
        ("张阳琛", "衡阳市总聚焦职工婚恋交友难问题"),
    }


def test_articles_mentioning_two_entities(page_build):
    result = rows(page_build, "articles-mentioning-two-entities.rq", first="深圳市总工会", second="深圳市人社局")
    assert [r["headline"] for r in result] == ["深圳举行第十二届职工技术创新运动会"]


def test_aliases_of_unions(page_build):
    aliases = {
        r["union"]: set((r["aliases"] or "").split("、")) for r in rows(page_build, "aliases-of-unions.rq")
    }
    assert "全总" in aliases["全国总工会"]  # 全总副主席、书记处书记谭天星
    assert "镇安县总" in aliases["镇安县总工会"]  # 镇安县总以"分层次、多形式"入会为目标
    assert {"哈尔滨市总", "市总工会"} <= aliases["哈尔滨市总工会"]  # headline 哈尔滨市总…; 市总工会将…
    assert {"衡阳市总", "市总工会"} <= aliases["衡阳市总工会"]  # headline 衡阳市总…; 市总工会女职工委员会


def test_who_chairs_a_union_with_provenance(page_build):
    result = rows(page_build, "who-chairs-a-union.rq", name="哈尔滨市总工会", role="主席")
    assert len(result) == 1
    row = result[0]
    assert (row["person"], row["role"]) == ("林艳秋", "主席")
    assert (row["sentence"] or "").startswith("哈尔滨市人大常委会副主任、市总工会主席林艳秋提出")
    # the offsets point into the source file, where the sentence stands as printed
    source = Path(row["file"] or "")
    if not source.is_absolute():
        source = ROOT / source
    raw = source.read_text("utf-8")[int(row["start"] or 0) : int(row["end"] or 0)]
    assert raw.startswith("哈尔滨市人大常委会副主任、市总工会")
    assert "主席林艳秋" in raw


def test_unions_programs_money(page_build):
    result = rows(page_build, "unions-programs-money.rq")
    by_union = {r["union"]: r for r in result}
    # 深圳市总工会 and 市人社局 hold the three contests; 北京市总工会's three programs
    assert by_union["深圳市总工会"]["programs"] == by_union["北京市总工会"]["programs"] == "3"
    assert result[0]["union"] in ("北京市总工会", "深圳市总工会")
    assert float(by_union["宜昌市总工会"]["yuan"] or 0) == 200000  # 20万元 补贴
    one = rows(page_build, "unions-programs-money.rq", union="深圳市总工会")
    assert [r["union"] for r in one] == ["深圳市总工会"]


def test_vocabulary_from_the_ontology_graph(page_build):
    result = rows(page_build, "vocabulary.rq")
    names = {r["term"]: (r["name"], r["english"]) for r in result}
    assert names["https://w3id.org/gonghui-kg/ontology#organizes"] == ("举办", "organises")
    assert rows(page_build, "vocabulary.rq", name="工会")[0]["english"] == "trade union"


def test_param_on_the_command_line(page_build):
    query = str(QUERIES / "who-chairs-a-union.rq")
    res = CliRunner().invoke(cli, ["query", str(page_build), "-f", query, "--param", "name=哈尔滨市总工会",
                                   "-p", "role=主席", "--format", "csv"])  # fmt: skip
    assert res.exit_code == 0, res.stderr
    assert res.stdout.splitlines()[1].startswith("哈尔滨市总工会,林艳秋,主席,")
    # a tagged literal, an IRI and a number are terms; unknown names are one-line errors
    tagged = CliRunner().invoke(cli, ["query", str(page_build), "SELECT ?l WHERE { ?u rdfs:label ?l }",
                                      "-p", 'l="镇安县总工会"@zh'])  # fmt: skip
    assert tagged.exit_code == 0 and tagged.stdout.count("镇安县总工会") == 1
    bad = CliRunner().invoke(cli, ["query", str(page_build), "-f", query, "-p", "union=x"])
    assert bad.exit_code == 2 and bad.stderr.startswith("kg: error: --param union: the query has no variable ?union")
    shape = CliRunner().invoke(cli, ["query", str(page_build), "-f", query, "-p", "name"])
    assert shape.exit_code == 2 and "write NAME=VALUE" in shape.stderr


def test_untagged_string_matches_only_through_str(page_build):
    """Names are @zh literals: a plain "货车司机" is another term; STR() compares the text alone."""
    plain = run_query(page_build, 'SELECT ?g WHERE { ?g rdfs:label "货车司机" }')
    tagged = run_query(page_build, 'SELECT ?g WHERE { ?g rdfs:label "货车司机"@zh }')
    either = run_query(page_build, 'SELECT ?g WHERE { ?g rdfs:label ?l FILTER(STR(?l) = "货车司机") }')
    assert len(plain) == 0 and len(tagged) == len(either) == 1


@pytest.mark.parametrize("name", saved())
def test_documented_parameters_are_variables_and_answer(page_build, name):
    """Every `--param NAME=VALUE` a saved query shows in its comments names a variable and finds rows."""
    from kg.sparql.query import example_params

    text = (QUERIES / name).read_text("utf-8")
    params = example_params(text)
    result = run_query(page_build, text, params=params)
    assert len(result) > 0
    for var, value in params.items():
        column = result.variables.index(var)
        assert {row[column].value for row in result.rows} == {value.value}, var
