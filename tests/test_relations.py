"""Relations, posts and their negative cases, one construction a row."""

from __future__ import annotations

import pytest
from extract_helpers import relations

# fmt: off
CASES = [
    # posts from appositive titles, chains with 、
    ("哈尔滨市人大常委会副主任、市总工会主席林艳秋提出要求。",
     {("林艳秋", "holds:副主任", "哈尔滨市人大常委会"), ("林艳秋", "holds:主席", "哈尔滨市总工会")}),
    ("衡阳市总工会党组书记、常务副主席段志阳介绍。",
     {("段志阳", "holds:党组书记", "衡阳市总工会"), ("段志阳", "holds:常务副主席", "衡阳市总工会")}),
    ("全总副主席、书记处书记谭天星主持座谈会。",
     {("谭天星", "holds:副主席", "全国总工会"), ("谭天星", "holds:书记处书记", "全国总工会")}),
    # jobs in enterprises
    ("美团外卖骑手徐昌顺骑着电瓶车来到餐饮店。", {("徐昌顺", "employedBy", "美团")}),
    ("中国航天科技集团有限公司第五研究院529厂的郑兴是一名技师。",
     {("郑兴", "employedBy", "中国航天科技集团有限公司")}),
    # organizes: active and passive with an anaphoric subject
    ("哈尔滨市总工会出台《全市工会深度参与经济工作工作方案》。",
     {("哈尔滨市总工会", "organizes", "全市工会深度参与经济工作工作方案")}),
    ("北京市总工会围绕“十百千”建会专项行动开展工作。",
     {("北京市总工会", "organizes", "“十百千”建会专项行动")}),
    # participates / benefits
    ("宜昌市爱奔物流园召开职代会，签订了湖北省货运物流行业第一份集体合同，共惠及货车司机6800多名。",
     {("宜昌市爱奔物流园", "participatesIn", "湖北省货运物流行业第一份集体合同"),
      ("湖北省货运物流行业第一份集体合同", "benefits", "货车司机")}),
    ("镇安县开展“工会进万家·新就业形态劳动者温暖行动”服务月活动。",
     {("“工会进万家·新就业形态劳动者温暖行动”服务月活动", "benefits", "新就业形态劳动者")}),
    # a rank in the chain of titles
    ("成都市总工会副主席、一级巡视员刘志强表示，将加强服务。",
     {("刘志强", "holds:副主席", "成都市总工会"), ("刘志强", "holds:一级巡视员", "成都市总工会")}),
    # elected or appointed to a post
    ("会议选举王五担任杭州市总工会主席。", {("王五", "holds:主席", "杭州市总工会")}),
    ("王东明出任全国总工会党组书记。", {("王东明", "holds:党组书记", "全国总工会")}),
    # an honour as a title before the name, then elected
    ("四川省劳动模范李秀英当选成都市总工会兼职副主席。",
     {("李秀英", "receivedAward", "四川省劳动模范"), ("李秀英", "holds:兼职副主席", "成都市总工会")}),
    # passive with the program after it: 由甲主办、乙承办的“P”
    ("由成都市总工会主办、成都市交通运输工会承办的“货车司机职业技能竞赛”在成都举行。",
     {("成都市总工会", "organizes", "“货车司机职业技能竞赛”"),
      ("成都市交通运输工会", "organizes", "“货车司机职业技能竞赛”"),
      ("“货车司机职业技能竞赛”", "benefits", "货车司机")}),
    # partners listed before a shared verb: 甲、乙、丙共同举办…, 甲、乙日前联合印发…
    ("江苏省总工会、江苏省人社厅、江苏省教育厅共同举办2023年江苏技能大赛。",
     {("江苏省总工会", "organizes", "2023年江苏技能大赛"), ("江苏省人社厅", "organizes", "2023年江苏技能大赛"),
      ("江苏省教育厅", "organizes", "2023年江苏技能大赛")}),
    ("广东省总工会、省人力资源和社会保障厅日前联合印发《广东省技能人才培养行动计划》。",
     {("广东省总工会", "organizes", "广东省技能人才培养行动计划"),
      ("广东省人力资源和社会保障厅", "organizes", "广东省技能人才培养行动计划")}),
    # negative: partners named as whose officials attend organize nothing
    ("江苏省总工会、江苏省人社厅和江苏省教育厅的负责人出席2023年江苏技能大赛。", set()),
    # worker groups join the union the sentence named
    ("青岛市货车司机工会联合会正式成立，首批1200名货车司机加入工会。",
     {("货车司机", "memberOf", "青岛市货车司机工会联合会")}),
    ("南海区总工会介绍，全区已有1.6万名货车司机、网约车司机加入工会。",
     {("货车司机", "memberOf", "南海区总工会"), ("网约车司机", "memberOf", "南海区总工会")}),
    # negative: an aim is no membership
    ("青岛市总工会开展活动，要让货车司机加入工会。", set()),
    # negative: a person doing something for a union holds no post there
    ("李四为杭州市总工会的发展作出贡献。", set()),
    # negative: a union merely mentioned organizes nothing
    ("记者从北京市总工会获悉，2023年北京市职工运动会即将开幕。", set()),
    ("参加过深圳市总工会培训的职工表示，2022年深圳技能大赛很有意义。", set()),
]
# fmt: on


def _interesting(rels: set[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
    return {r for r in rels if r[1] not in ("locatedIn", "partOf")}


@pytest.mark.parametrize("text,expected", CASES)
def test_relations(text: str, expected: set[tuple[str, str, str]]) -> None:
    assert _interesting(relations(text)) == expected


def test_passive_organizers_take_the_programs_of_the_previous_sentence() -> None:
    rels = relations("广东省深圳市第十二届职工技术创新运动会暨2022年深圳技能大赛启动仪式举行。",
                     "此次竞赛由深圳市总工会、市人社局主办。")
    org = {(h, t) for h, r, t in rels if r == "organizes"}
    assert org == {(u, p) for u in ("深圳市总工会", "深圳市人社局")
                   for p in ("深圳市第十二届职工技术创新运动会", "2022年深圳技能大赛")}


def test_located_in_comes_from_the_name() -> None:
    rels = relations("河南、湖北省总工会制定了制度。")
    assert ("河南省总工会", "locatedIn", "河南省") not in rels  # mapped in RDF, not a sentence relation
