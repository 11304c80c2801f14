"""The grammar of names, one phenomenon a row (sentences of real union news)."""

from __future__ import annotations

import pytest
from extract_helpers import article_of, entities, labels

from kg.extract import lexicon
from kg.extract.resolve import resolve_document

# fmt: off
UNIONS = [
    # place + 总工会 at every level
    ("广州市总工会联合市人社局举办技能大赛。", {"广州市总工会"}),
    ("浙江省总工会发布了通知。", {"浙江省总工会"}),
    ("昆山市总工会推动建立工会组织。", {"昆山市总工会"}),
    # coordination: one union per place
    ("河南、湖北省总工会制定了研究会商制度。", {"河南省总工会", "湖北省总工会"}),
    ("宜昌市及猇亭区总工会坚持服务先行。", {"宜昌市总工会", "猇亭区总工会"}),
    ("江苏、浙江、安徽省总工会签署合作协议。", {"江苏省总工会", "浙江省总工会", "安徽省总工会"}),
    # abbreviations: PLACE + 总, 全总
    ("镇安县总以服务为抓手推进入会。", {"镇安县总工会"}),
    ("全总副主席出席会议。", {"全国总工会"}),
    # enterprise + 工会, industry unions
    ("华为技术有限公司工会组织职工参加活动。", {"华为技术有限公司工会"}),
    ("中国海员建设工会召开会议。", {"中国海员建设工会"}),
    # place + sector + union
    ("上海市快递行业工会联合会成立。", {"上海市快递行业工会联合会"}),
    ("成都市新就业形态劳动者工会联合会于2021年成立。", {"成都市新就业形态劳动者工会联合会"}),
    # generic phrases are not unions
    ("北京市企业工会主席出席。", set()),
    ("全国工会稳步推进专项工作。", set()),
    ("上海市举办快递行业工会联合会成立大会。", set()),
    ("各级工会要关爱职工。", set()),
    ("企业工会和基层工会要发挥作用。", set()),
    ("推动县级工会建强建优。", set()),
    ("职工代表大会审议通过了方案。", set()),
]
# fmt: on


@pytest.mark.parametrize("text,expected", UNIONS)
def test_union_names(text: str, expected: set[str]) -> None:
    assert labels("TradeUnion", text) == expected


def test_bare_level_resolves_to_the_article_place() -> None:
    ents = entities("湖南省衡阳市组建志愿服务队。", "市总工会将建立激励机制。", "市总将开展培训。")
    unions = {label: aliases for (cls, label), aliases in ents.items() if cls == "TradeUnion"}
    assert set(unions) == {"衡阳市总工会"}
    assert {"市总工会", "市总"} <= unions["衡阳市总工会"]


def test_higher_place_before_lower_is_one_union() -> None:
    ents = entities("黑龙江省哈尔滨市总工会出台方案。", "哈尔滨市总工会提出要求。")
    unions = {label: aliases for (cls, label), aliases in ents.items() if cls == "TradeUnion"}
    assert set(unions) == {"哈尔滨市总工会"}
    assert "黑龙江省哈尔滨市总工会" in unions["哈尔滨市总工会"]


def test_committee_of_a_union_is_its_own_node() -> None:
    got = labels("TradeUnion", "湖南省衡阳市近日组建服务队。", "服务队由市总工会女职工委员会统一管理。")
    assert "衡阳市总工会女职工委员会" in got


# fmt: off
NATIONAL_BODIES = [
    # ministries and commissions of the State Council, named without a place
    ("人力资源社会保障部、全国总工会联合开展活动。", {"人力资源和社会保障部"}),
    ("财政部、公安部联合发文。", {"财政部", "公安部"}),
    ("住房和城乡建设部发布新规。", {"住房和城乡建设部"}),
    ("国家统计局数据显示就业形势稳定。", {"国家统计局"}),
    ("最高人民法院、最高人民检察院发布典型案例。", {"最高人民法院", "最高人民检察院"}),
    # abbreviations are the same node
    ("中国人民银行宣布降准，央行表示将保持流动性合理充裕。", {"中国人民银行"}),
    # a party committee's department: place + 委 + department
    ("深圳市委宣传部副部长出席。", {"深圳市委宣传部"}),
    # provincial departments, whose one-character suffix (厅) alone says too little
    ("江苏省教育厅、湖北省财政厅联合发文。", {"江苏省教育厅", "湖北省财政厅"}),
    # 部门 is any department: 公安部门 is not 公安部
    ("公安部门、财政部门和教育部门联合检查。", set()),
    ("南昌市总工会与当地人社部门签订合作协议。", set()),
]
# fmt: on


@pytest.mark.parametrize("text,expected", NATIONAL_BODIES)
def test_national_and_party_bodies(text: str, expected: set[str]) -> None:
    assert labels("GovernmentBody", text) == expected


def test_brand_with_company_is_the_full_enterprise() -> None:
    ents = entities("四川顺丰速运有限公司成立了工会。", "顺丰公司快递员王刚说。", "华为公司职工参加活动。")
    firms = {label: aliases for (cls, label), aliases in ents.items() if cls == "Enterprise"}
    assert firms["四川顺丰速运有限公司"] >= {"顺丰公司"}
    assert firms["华为"] >= {"华为公司"}
    assert set(firms) == {"四川顺丰速运有限公司", "华为"}


def test_institution_known_to_the_dictionary() -> None:
    got = labels("OtherOrganization", "广州市总工会与华南理工大学、广州市建筑业协会签署合作协议。")
    assert got == {"华南理工大学", "广州市建筑业协会"}
    assert labels("OtherOrganization", "这所大学很有名，该协会成立于2010年。") == set()
    assert labels("OtherOrganization", "青岛市总工会党组书记孙立新为联合会授牌。") == set()


def test_ministry_abbreviation_is_an_alias() -> None:
    ents = entities("人社部、全国总工会联合印发通知。", "人力资源社会保障部有关负责人介绍。")
    bodies = {label: aliases for (cls, label), aliases in ents.items() if cls == "GovernmentBody"}
    assert set(bodies) == {"人力资源和社会保障部"}
    assert {"人社部", "人力资源社会保障部"} <= bodies["人力资源和社会保障部"]


# fmt: off
PLACES = [
    ("陕西省商洛市镇安县美团外卖骑手来到餐饮店。", {"陕西省", "商洛市", "镇安县"}),
    ("黑龙江、新疆等地工会开展调研。", {"黑龙江省", "新疆维吾尔自治区"}),
    ("福建泉州台商投资区近年来推进改革。", {"福建省", "泉州市", "泉州台商投资区"}),
    ("苏州工业园区总工会开展活动。", {"苏州工业园区"}),
    # a county name inside a common word is not a place (示范县 is not 范县)
    ("选树30个示范县级工会。", set()),
]
# fmt: on


@pytest.mark.parametrize("text,expected", PLACES)
def test_places(text: str, expected: set[str]) -> None:
    assert expected <= labels("Place", text)
    if not expected:
        assert labels("Place", text) == set()


# fmt: off
ORGS = [
    ("镇安县圆通物业有限公司成立工会后，带动周围的鑫园物业成立工会。", "Enterprise",
     {"镇安县圆通物业有限公司", "鑫园物业"}),
    ("宜昌市爱奔物流园召开职代会。", "Enterprise", {"宜昌市爱奔物流园"}),
    ("中国铁路北京局丰台机务段司机长讲述故事。", "Enterprise", {"中国铁路北京局", "中国铁路北京局丰台机务段"}),
    ("此次竞赛由深圳市总工会、深圳市人社局主办。", "GovernmentBody", {"深圳市人社局"}),
    ("哈尔滨市人大常委会副主任出席。", "GovernmentBody", {"哈尔滨市人大常委会"}),
    ("中国劳动关系学院劳模本科班学员参加会议。", "OtherOrganization", {"中国劳动关系学院"}),
    ("成都市“匠心”志愿服务队走进社区。", "OtherOrganization", {"成都市匠心志愿服务队"}),
    ("美团、饿了么等平台企业建立工会。", "Enterprise", {"美团", "饿了么"}),
    # a stationed group's sender is part of its name; the union it is stationed at is a name of its own
    ("南京市纪委监委驻市总工会纪检监察组组长王强出席会议。", "GovernmentBody", {"南京市纪委监委驻市总工会纪检监察组"}),
    ("南京市纪委监委驻市总工会纪检监察组组长王强出席会议。", "TradeUnion", {"南京市总工会"}),
    # 格局 ends in 局 but is not a bureau
    ("形成工会主抓、企业主体的工作格局。", "GovernmentBody", set()),
]
# fmt: on


@pytest.mark.parametrize("text,cls,expected", ORGS)
def test_organisations(text: str, cls: str, expected: set[str]) -> None:
    assert labels(cls, text) == expected


def test_organisation_with_and_without_place_is_one_node() -> None:
    ents = entities("湖北省宜昌市爱奔物流园召开职代会。", "爱奔物流园将研发数字平台。")
    names = [label for (cls, label) in ents if cls == "Enterprise"]
    assert names == ["宜昌市爱奔物流园"]
    assert "爱奔物流园" in ents[("Enterprise", "宜昌市爱奔物流园")]


# fmt: off
PROGRAMS = [
    ("北京市总工会围绕“十百千”建会专项行动开展工作。", {"“十百千”建会专项行动"}),
    # recurring national campaigns known by name
    ("石家庄市总工会筹集“金秋助学”资金近千万元。", {"金秋助学"}),
    # a few describing words between the quotes and an event head
    ("江西省总工会在南昌启动“715”服务职工行动。", {"“715”服务职工行动"}),
    # … but a mechanism that far from its quotes belongs to the quoted thing
    ("衡阳市总工会建立“工会红娘”队伍激励机制。", set()),
    ("全国工会稳步推进“县级工会加强年”专项工作。", {"“县级工会加强年”专项工作"}),
    ("哈尔滨市总工会出台《全市工会深度参与经济工作促进经济发展工作方案》。",
     {"全市工会深度参与经济工作促进经济发展工作方案"}),
    ("广东省深圳市第十二届职工技术创新运动会暨2022年深圳技能大赛启动。",
     {"深圳市第十二届职工技术创新运动会", "2022年深圳技能大赛"}),
    ("爱奔物流园签订了湖北省货运物流行业第一份集体合同。", {"湖北省货运物流行业第一份集体合同"}),
    ("杭州市总工会举办2023年杭州市职工运动会。", {"2023年杭州市职工运动会"}),
    # generic program words without a name are not programs
    ("组织劳动竞赛和技能比武。", set()),
    ("要把“盆景”变成“风景”。", set()),
    ("推动“两个维护”成为自觉行动。", set()),
]
# fmt: on


@pytest.mark.parametrize("text,expected", PROGRAMS)
def test_programs(text: str, expected: set[str]) -> None:
    assert labels("Program", text) == expected


def test_program_short_and_long_forms_merge() -> None:
    ents = entities("湖北省宜昌市爱奔物流园签订了湖北省货运物流行业第一份集体合同。",
                    "湖北货运物流行业首份集体合同惠及货车司机。")
    progs = [label for (cls, label) in ents if cls == "Program"]
    assert progs == ["湖北省货运物流行业第一份集体合同"]


def test_quoted_core_is_an_alias() -> None:
    ents = entities("推进“县级工会加强年”专项工作。", "县级工会加强年取得实效。")
    progs = {label: al for (cls, label), al in ents.items() if cls == "Program"}
    assert list(progs) == ["“县级工会加强年”专项工作"]
    assert "县级工会加强年" in progs["“县级工会加强年”专项工作"]


# fmt: off
PERSONS = [
    ("镇安县总工会常务副主席张家升介绍了情况。", {"张家升"}),
    ("哈尔滨市人大常委会副主任、市总工会主席林艳秋提出要求。", {"林艳秋"}),
    ("会上，白羽、王振强、丛慧敏、宋学文等4位代表先后发言。", {"白羽", "王振强", "丛慧敏", "宋学文"}),
    ("王东明要求，要进一步找准结合点。", {"王东明"}),
    ("美团外卖骑手徐昌顺骑着电瓶车来到餐饮店。", {"徐昌顺"}),
    ("热心的谭真第一时间报名。", {"谭真"}),
    ("苏州市总工会主席刘晓东出席会议。", {"刘晓东"}),
    ("欧阳明辉表示，将继续努力。", {"欧阳明辉"}),
    # common words shaped like names are not persons
    ("方面的工作要加强，高度重视普惠服务。", set()),
    ("报告是宣言，激发了人民的斗志。", set()),
    # a surname with a title or a term of address is a reference, not a name
    ("工会主席赵慧芳到班组走访，职工有事都找赵主席。", {"赵慧芳"}),
    ("车间的王师傅和李老师带着徒弟练技能。", set()),
]
# fmt: on


@pytest.mark.parametrize("text,expected", PERSONS)
def test_persons(text: str, expected: set[str]) -> None:
    assert labels("Person", text) == expected


# fmt: off
GROUPS_AWARDS = [
    ("推进快递员、外卖送餐员、货运司机等群体入会。", "WorkerGroup", {"快递员", "外卖送餐员", "货车司机"}),
    ("市总工会为下岗职工和码头装卸工开设技能培训班。", "WorkerGroup", {"下岗职工", "装卸工"}),
    ("全国工商联、中国残联与全国总工会联合发出倡议。", "OtherOrganization",
     {"中华全国工商业联合会", "中国残疾人联合会"}),
    ("为困难农民工和返乡农民工送温暖。", "WorkerGroup", {"困难农民工", "返乡农民工"}),
    ("大力弘扬劳模精神，女职工委员会成立。", "WorkerGroup", set()),
    ("现场为外卖员、保安员、商场信息员等群体办理入会。", "WorkerGroup", {"外卖送餐员", "保安员", "商场信息员"}),
    ("关爱新就业形态劳动者。", "WorkerGroup", {"新就业形态劳动者"}),
    ("平台货车司机纳入工会组织。", "WorkerGroup", {"货车司机"}),
    ("他荣获了全国劳动模范称号。", "Award", {"全国劳动模范"}),
    ("第一名将被授予深圳市五一劳动奖章。", "Award", {"深圳市五一劳动奖章"}),
    ("成为全国五一劳动奖章获得者。", "Award", {"全国五一劳动奖章"}),
    ("劳动模范和大国工匠参加座谈。", "WorkerGroup", {"劳动模范", "大国工匠"}),
    ("该公司先后获得全国模范劳动关系和谐企业、河南省厂务公开先进单位。", "Award",
     {"全国模范劳动关系和谐企业", "河南省厂务公开先进单位"}),
    ("他获得自治区五一劳动奖章，班组获评全国“五一”劳动奖状。", "Award", {"自治区五一劳动奖章", "全国五一劳动奖状"}),
    ("工会首次把外地职工纳入市劳动模范评选范围。", "Award", {"市劳动模范"}),
    ("第三届陇上工匠发布仪式举行，王海入选2024年“北疆工匠”。", "Award", {"第三届陇上工匠", "北疆工匠"}),
    ("全国快递员中首位全国五一劳动奖章获得者。", "Award", {"全国五一劳动奖章"}),
    ("第三届大国工匠创新交流大会在成都举行。", "Award", set()),
]
# fmt: on


@pytest.mark.parametrize("text,cls,expected", GROUPS_AWARDS)
def test_groups_and_awards(text: str, cls: str, expected: set[str]) -> None:
    assert labels(cls, text) == expected


def test_worker_group_aliases_fold_to_one_node() -> None:
    ents = entities("关爱劳模。", "劳动模范参加座谈。")
    assert [label for (cls, label) in ents if cls == "WorkerGroup"] == ["劳动模范"]


def test_the_surface_of_a_place_is_kept_beside_its_gazetteer_name() -> None:
    r = article_of("青海省西宁市大通县总工会为环卫工人送去清凉。")
    ents = resolve_document([r], lexicon(), "t" * 16)
    place = next(e for e in ents.entities.values() if e.cls == "Place" and e.label == "大通回族土族自治县")
    assert "大通县" in place.aliases
