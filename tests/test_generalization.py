"""Articles written for the tests (other provinces, county level, traditional
script, enterprise unions): the extractor must not depend on the development page."""

from __future__ import annotations

from pathlib import Path

import pytest

import kg
from kg.sparql.query import run_query

ARTICLES = Path(__file__).parent / "data" / "articles"


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = {}
    for f in sorted(ARTICLES.glob("*.md")):
        d = tmp_path_factory.mktemp(f.stem) / "out"
        kg.build([str(f)], d, quiet=True, viewer=False)
        out[f.stem] = d
    return out


def entities(build: Path) -> set[tuple[str, str]]:
    q = """SELECT ?c ?l WHERE { ?s a ?c ; rdfs:label ?l .
           FILTER(?c IN (gh:TradeUnion, gh:Enterprise, gh:GovernmentBody, gh:OtherOrganization, gh:Person,
                         gh:Program, gh:Place, gh:WorkerGroup, gh:Award)) }"""
    return {(c.value.rsplit("#", 1)[1], lab.value) for c, lab in run_query(build, q).rows}


def relations(build: Path) -> set[tuple[str, str, str]]:
    q = """SELECT ?a ?p ?b WHERE { ?s ?p ?o . ?s rdfs:label ?a . ?o rdfs:label ?b .
           FILTER(STRSTARTS(STR(?p), STR(gh:)) && ?p != gh:possibleSameAs) }"""
    rels = {(a.value, p.value.rsplit("#", 1)[1], b.value) for a, p, b in run_query(build, q).rows}
    q = """SELECT ?a ?r ?b WHERE { ?s gh:holds ?p . ?p gh:role ?r ; gh:postIn ?o . ?s rdfs:label ?a .
           ?o rdfs:label ?b }"""
    rels |= {(a.value, "holds:" + r.value, b.value) for a, r, b in run_query(build, q).rows}
    return rels


# fmt: off
EXPECTED = {
    "pidu-2023-05-12": (
        {("Place", "四川省"), ("Place", "成都市"), ("Place", "郫都区"), ("TradeUnion", "郫都区总工会"),
         ("GovernmentBody", "郫都区人社局"), ("Program", "2023年郫都区职工职业技能大赛"),
         ("Program", "“技能强区”行动"), ("Person", "李明"), ("Person", "王芳"), ("Person", "陈建国"),
         ("WorkerGroup", "产业工人")},
        {("郫都区总工会", "organizes", "2023年郫都区职工职业技能大赛"),
         ("郫都区人社局", "organizes", "2023年郫都区职工职业技能大赛"),
         ("郫都区总工会", "organizes", "“技能强区”行动"),
         ("陈建国", "holds:党组书记", "郫都区总工会"), ("陈建国", "holds:常务副主席", "郫都区总工会"),
         ("郫都区总工会", "locatedIn", "郫都区"), ("郫都区", "partOf", "成都市"), ("成都市", "partOf", "四川省")},
    ),
    "yuegonghui-trad": (
        {("Place", "廣東省"), ("Place", "廣州市"), ("TradeUnion", "廣東省總工會"),
         ("Program", "“粵工惠”服務月活動"), ("WorkerGroup", "快遞員"), ("WorkerGroup", "網約車司機"),
         ("WorkerGroup", "新就業形態勞動者"), ("Person", "張偉")},
        {("廣東省總工會", "organizes", "“粵工惠”服務月活動"), ("張偉", "holds:副主席", "廣東省總工會"),
         ("廣東省總工會", "locatedIn", "廣東省"), ("廣州市", "partOf", "廣東省")},
    ),
    "shengze-2023-03-01": (
        {("Place", "江苏省"), ("Place", "苏州市"), ("Place", "吴江区"), ("Place", "盛泽镇"),
         ("TradeUnion", "吴江区盛泽镇纺织行业工会"),
         ("Program", "2023年度纺织行业工资专项集体合同"), ("Enterprise", "苏州恒力化纤有限公司"),
         ("TradeUnion", "苏州恒力化纤有限公司工会"), ("Enterprise", "苏州宏达物流有限公司"), ("Person", "刘红"),
         ("TradeUnion", "苏州宏达物流有限公司工会")},
        {("吴江区盛泽镇纺织行业工会", "participatesIn", "2023年度纺织行业工资专项集体合同"),
         ("刘红", "holds:主席", "苏州恒力化纤有限公司工会"),
         ("苏州宏达物流有限公司", "establishedUnion", "苏州宏达物流有限公司工会")},
    ),
    "acftu-2023-07-20": (
        {("TradeUnion", "全国总工会"), ("Program", "关于加强新就业形态劳动者权益保障工作的意见"),
         ("Person", "徐留平"), ("Person", "赵雷"), ("WorkerGroup", "货车司机"), ("WorkerGroup", "网约配送员"),
         ("WorkerGroup", "新就业形态劳动者")},
        {("全国总工会", "organizes", "关于加强新就业形态劳动者权益保障工作的意见"),
         ("徐留平", "holds:党组书记", "全国总工会"), ("徐留平", "holds:副主席", "全国总工会"),
         ("徐留平", "holds:书记处第一书记", "全国总工会")},
    ),
    "hangzhou-2023-07-18": (
        {("TradeUnion", "杭州市总工会"), ("Place", "杭州市"), ("Program", "2023年“夏送清凉”专项行动"),
         ("Person", "周洁"), ("Person", "李晨"), ("Person", "王建国"), ("Award", "全国劳动模范"),
         ("Enterprise", "杭州公交集团"),
         ("WorkerGroup", "环卫工人"), ("WorkerGroup", "快递员"), ("WorkerGroup", "户外劳动者")},
        {("杭州市总工会", "organizes", "2023年“夏送清凉”专项行动"), ("李晨", "holds:副主席", "杭州市总工会"),
         ("王建国", "receivedAward", "全国劳动模范"), ("王建国", "employedBy", "杭州公交集团"),
         ("2023年“夏送清凉”专项行动", "benefits", "环卫工人")},
    ),
    "yinchuan-2023-07-02": (
        {("TradeUnion", "银川市总工会"), ("Place", "银川市"), ("Place", "宁夏回族自治区"),
         ("TradeUnion", "宁夏回族自治区总工会"), ("Person", "李晨"), ("Person", "马红梅"), ("Program", "“暖新行动”"),
         ("WorkerGroup", "新就业形态劳动者"), ("WorkerGroup", "货车司机"), ("WorkerGroup", "网约车司机")},
        {("银川市总工会", "organizes", "“暖新行动”"), ("李晨", "holds:主席", "银川市总工会"),
         ("马红梅", "holds:党组书记", "宁夏回族自治区总工会"), ("马红梅", "holds:副主席", "宁夏回族自治区总工会")},
    ),
    "seafarers-trad": (
        {("TradeUnion", "中國海員建設工會"), ("Person", "趙明"), ("Enterprise", "上海港務集團有限公司"),
         ("Place", "上海市")},
        {("趙明", "holds:主席", "中國海員建設工會")},
    ),
}
# fmt: on


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_entities(builds: dict[str, Path], name: str) -> None:
    got = entities(builds[name])
    expected, _ = EXPECTED[name]
    assert expected - got == set(), "missed"
    assert got - expected == set(), "extra"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_relations(builds: dict[str, Path], name: str) -> None:
    _, expected = EXPECTED[name]
    assert expected - relations(builds[name]) == set()


def test_namesakes_in_different_unions_stay_apart(tmp_path: Path) -> None:
    out = tmp_path / "out"
    kg.build([str(ARTICLES / "hangzhou-2023-07-18.md"), str(ARTICLES / "yinchuan-2023-07-02.md")], out,
             quiet=True, viewer=False)
    q = """SELECT ?p ?org WHERE { ?p a gh:Person ; rdfs:label "李晨"@zh ; gh:holds/gh:postIn/rdfs:label ?org }"""
    rows = run_query(out, q).rows
    assert {org.value for _, org in rows} == {"杭州市总工会", "银川市总工会"}
    assert len({p.value for p, _ in rows}) == 2  # two people, not one
    ask = "ASK { ?a gh:possibleSameAs ?b . ?a rdfs:label \"李晨\"@zh . ?b rdfs:label \"李晨\"@zh }"
    assert run_query(out, ask).boolean is True


def test_a_speaker_is_not_a_new_member(builds: dict[str, Path]) -> None:
    # 李晨表示，…让更多货车司机和网约车司机加入工会: 李晨 does not join
    assert not any(r[1] == "memberOf" for r in relations(builds["yinchuan-2023-07-02"]))


def test_union_as_a_modifier_is_no_name(builds: dict[str, Path]) -> None:
    # 326家企业新建工会组织: no union called 企业新建工会
    assert not any("新建" in label for cls, label in entities(builds["hangzhou-2023-07-18"]))
