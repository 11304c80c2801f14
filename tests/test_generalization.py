"""Articles written for the tests (other provinces, county level, traditional
script, enterprise unions): the extractor must not depend on the development page."""

from __future__ import annotations

from pathlib import Path

import pytest

import kg
from kg.query import run_query

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
        {("Place", "江苏省"), ("Place", "苏州市"), ("Place", "吴江区"), ("TradeUnion", "吴江区盛泽镇纺织行业工会"),
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
