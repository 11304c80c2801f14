"""Figures: numbers with units, their values in base units, measures and periods."""

from __future__ import annotations

import dataclasses
import doctest
import re
import time
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extract import figures
from kg.extract.figures import Figure, find_figures, parse_chinese_number, to_base

PAGE = Path(__file__).resolve().parent.parent / "examples" / "workers-daily-2022-11-11-p3.md"


# (sentence, [(surface, value, unit, measure, period, approximate), ...])
# fmt: off
CASES: list[tuple[str, list[tuple[str, str, str, str, str | None, bool]]]] = [
    # money: magnitudes fold into 元, the noun before names it
    ("2020年以来,哈尔滨市总工会累计全额返还12992户小微企业工会经费25249万元。",
     [("12992户", "12992", "户", "小微企业", "2020年以来", False),
      ("25249万元", "252490000", "元", "小微企业工会经费", "2020年以来", False)]),
    ("涉及优惠减免金额达380多万元,共惠及货车司机6800多名。",
     [("380多万元", "3800000", "元", "优惠减免金额", None, True),
      ("6800多名", "6800", "名", "货车司机", None, True)]),
    ("宜昌市及猇亭区总工会补贴20万元在爱奔物流园建成司机之家。",
     [("20万元", "200000", "元", "补贴", None, False)]),
    ("对示范县(区)级工会给予一次性20万元的经费补助。",
     [("20万元", "200000", "元", "经费补助", None, False)]),
    ("优惠减免项目惠及货车司机6800多名", [("6800多名", "6800", "名", "货车司机", None, True)]),
    # the noun after a counter stops at the verb that follows it
    ("唐山市总工会为全市3.5万名环卫工人送去价值约420万元的慰问品。",
     [("3.5万名", "35000", "名", "环卫工人", None, False), ("约420万元", "4200000", "元", "慰问品", None, True)]),
    ("免除24小时40元的停车费。", [("40元", "40", "元", "停车费", None, False)]),
    ("共发放500万元慰问金,惠及两三千名职工。",
     [("500万元", "5000000", "元", "慰问金", None, False),
      ("两三千名", "2000", "名", "职工", None, False)]),
    ("全省工会筹集帮扶资金1.5亿元,救助职工2万余人次。",
     [("1.5亿元", "150000000", "元", "帮扶资金", None, False),
      ("2万余人次", "20000", "人次", "职工", None, True)]),
    ("全国总工会下拨专项资金2亿元,支持各地开展职工疗休养。",
     [("2亿元", "200000000", "元", "专项资金", None, False)]),
    ("今年以来,该区总工会共为职工追回欠薪3200余万元,涉及职工1500余人。",
     [("3200余万元", "32000000", "元", "欠薪", "今年以来", True),
      ("1500余人", "1500", "人", "职工", "今年以来", True)]),
    ("平均每月为职工节约开支约2000元。", [("约2000元", "2000", "元", "开支", None, True)]),
    ("参加人数三千人,１２３名职工获奖。",
     [("三千人", "3000", "人", "参加人数", None, False), ("１２３名", "123", "名", "职工", None, False)]),
    ("2023年,市总工会投入帮扶资金1200万元,帮扶困难职工家庭3200户。",
     [("1200万元", "12000000", "元", "帮扶资金", "2023年", False),
      ("3200户", "3200", "户", "困难职工家庭", "2023年", False)]),
    ("建成职工服务中心56个,服务职工两千人次。",
     [("56个", "56", "个", "职工服务中心", None, False), ("两千人次", "2000", "人次", "职工", None, False)]),
    ("投资1,234万元建设职工之家。", [("1,234万元", "12340000", "元", "投资", None, False)]),
    # counts: the noun after a counter, else the noun before
    ("截至目前,镇安县总推动全县建立工会组织679个,会员达到22353人。",
     [("679个", "679", "个", "工会组织", "截至目前", False),
      ("22353人", "22353", "人", "会员", "截至目前", False)]),
    ("其中今年发展新业态领域工会组织3家,涵盖企业19家,新就业形态劳动者工会会员453人。",
     [("3家", "3", "家", "新业态领域工会组织", "今年", False),
      ("19家", "19", "家", "企业", "今年", False),
      ("453人", "453", "人", "新就业形态劳动者工会会员", "今年", False)]),
    ("开展劳动竞赛,覆盖企业5000多家、职工40万人次。",
     [("5000多家", "5000", "家", "企业", None, True),
      ("40万人次", "400000", "人次", "职工", None, False)]),
    ("设比赛项目64个,参与职工超过百万人次。",
     [("64个", "64", "个", "比赛项目", None, False),
      ("超过百万人次", "1000000", "人次", "职工", None, True)]),
    ("四川省总工会确定了建立新就业形态基层工会1.2万个以上、发展新就业形态劳动者会员150万人以上的目标。",
     [("1.2万个以上", "12000", "个", "新就业形态基层工会", None, True),
      ("150万人以上", "1500000", "人", "新就业形态劳动者会员", None, True)]),
    ("今年,哈尔滨市总工会已经为3500名职工提供免费健康体检服务,为100名劳模、170名哈尔滨大工匠和300名职工提供免费疗休养服务。",
     [("3500名", "3500", "名", "职工", "今年", False),
      ("100名", "100", "名", "劳模", "今年", False),
      ("170名", "170", "名", "哈尔滨大工匠", "今年", False),
      ("300名", "300", "名", "职工", "今年", False)]),
    ("截至目前,哈尔滨市总工会已经组织17家省级以上厂务公开民主管理示范单位开展帮扶结对工作,非公企业占比50%,新业态企业3家。",
     [("17家", "17", "家", "省级以上厂务公开民主管理示范单位", "截至目前", False),
      ("50%", "50", "%", "非公企业占比", "截至目前", False),
      ("3家", "3", "家", "新业态企业", "截至目前", False)]),
    ("近6年来,衡阳市总工会主办全市大型职工婚恋交友活动30余场次,参加人数超3000人次,覆盖单位200余个。",
     [("30余场次", "30", "场次", "大型职工婚恋交友活动", "近6年来", True),
      ("超3000人次", "3000", "人次", "参加人数", "近6年来", True),
      ("200余个", "200", "个", "单位", "近6年来", True)]),
    ("来自全市各级工会的49名志愿者接受市总工会的聘书并上岗。", [("49名", "49", "名", "志愿者", None, False)]),
    ("至今已成功帮8对单身男女促成姻缘。", [("8对", "8", "对", "单身男女", "至今", False)]),
    ("为企业培训和输送紧缺技术工人1800人次。", [("1800人次", "1800", "人次", "紧缺技术工人", None, False)]),
    ("建立工作协调、定期联络等5项制度;确定3家企业为改革示范点。",
     [("5项", "5", "项", "制度", None, False), ("3家", "3", "家", "企业", None, False)]),
    ("黑龙江省总工会对120多个县级工会实现调研全覆盖;江西省总工会根据48个关键指标进行摸底。",
     [("120多个", "120", "个", "县级工会", None, True), ("48个", "48", "个", "关键指标", None, False)]),
    ("上海市总工会提出23条具体措施。", [("23条", "23", "条", "具体措施", None, False)]),
    ("从业人员300人,在职职工5000名,国有企业30家。",
     [("300人", "300", "人", "从业人员", None, False),
      ("5000名", "5000", "名", "在职职工", None, False),
      ("30家", "30", "家", "国有企业", None, False)]),
    ("截至2022年底,全省共有基层工会3.2万个,会员超过1200万人。",
     [("3.2万个", "32000", "个", "基层工会", "截至2022年底", False),
      ("超过1200万人", "12000000", "人", "会员", "截至2022年底", True)]),
    ("今年1-10月,全市新建工会组织300余家,发展会员2.5万人。",
     [("300余家", "300", "家", "工会组织", "今年1-10月", True),
      ("2.5万人", "25000", "人", "会员", "今年1-10月", False)]),
    ("2021年至2022年,共培训职工1.8万人次。",
     [("1.8万人次", "18000", "人次", "职工", "2021年至2022年", False)]),
    ("共举办3期培训班,参训学员200人。",
     [("3期", "3", "期", "培训班", None, False), ("200人", "200", "人", "参训学员", None, False)]),
    ("全国已建立工会的基层单位达到280.9万个,覆盖单位655.1万家,工会会员3.06亿人。",
     [("280.9万个", "2809000", "个", "基层单位", None, False),
      ("655.1万家", "6551000", "家", "单位", None, False),
      ("3.06亿人", "306000000", "人", "工会会员", None, False)]),
    ("该公司现有员工3000余人,其中技术工人1800人,高级技师56名。",
     [("3000余人", "3000", "人", "员工", None, True),
      ("1800人", "1800", "人", "技术工人", None, False),
      ("56名", "56", "名", "高级技师", None, False)]),
    ("近三年来,全省共评选表彰劳动模范和先进工作者1500名。",
     [("1500名", "1500", "名", "劳动模范和先进工作者", "近三年来", False)]),
    ("组织100多名劳模工匠深入企业开展宣讲400余场。",
     [("100多名", "100", "名", "劳模工匠", None, True), ("400余场", "400", "场", "宣讲", None, True)]),
    ("全年接待职工来访300多批次,受理法律援助案件126件。",
     [("300多批次", "300", "批", "职工来访", "全年", True),
      ("126件", "126", "件", "法律援助案件", "全年", False)]),
    ('举办职工技能大赛23场,参赛选手达1.2万人,评选出"金牌工人"100名。',
     [("23场", "23", "场", "职工技能大赛", None, False),
      ("1.2万人", "12000", "人", "参赛选手", None, False),
      ("100名", "100", "名", "金牌工人", None, False)]),
    ("建成3个“职工之家”示范点。", [("3个", "3", "个", "职工之家", None, False)]),
    ('评出"金牌工人"100名,"优秀工会干部"50名。',
     [("100名", "100", "名", "金牌工人", None, False), ("50名", "50", "名", "优秀工会干部", None, False)]),
    ("走访了10个多功能服务站。", [("10个", "10", "个", "多功能服务站", None, False)]),
    ("面积达2000平方米。", [("2000平方米", "2000", "平方米", "面积", None, False)]),
    # Chinese numerals and approximations
    ("活动吸引近百家企业、上千名职工参加,逾万人次观看直播。",
     [("近百家", "100", "家", "企业", None, True),
      ("上千名", "1000", "名", "职工", None, True),
      ("逾万人次", "10000", "人次", "", None, True)]),
    ("会议记录和感想心得密密麻麻写了上百页。", [("上百页", "100", "页", "", None, True)]),
    ("全县建成职工书屋一百二十个,服务职工两千人。",
     [("一百二十个", "120", "个", "职工书屋", None, False), ("两千人", "2000", "人", "职工", None, False)]),
    ("设立十二个服务站,帮扶三十多万人次。",
     [("十二个", "12", "个", "服务站", None, False), ("三十多万人次", "300000", "人次", "", None, True)]),
    ("全市3千名职工参加,约300名志愿者服务。",
     [("3千名", "3000", "名", "职工", None, False), ("约300名", "300", "名", "志愿者", None, True)]),
    ("参赛职工将近2000人,获奖人数不到200人。",
     [("将近2000人", "2000", "人", "参赛职工", None, True),
      ("不到200人", "200", "人", "获奖人数", None, True)]),
    ("参加活动的职工有500人左右。", [("500人左右", "500", "人", "职工", None, True)]),
    ("发展会员 150 万人以上", [("150 万人以上", "1500000", "人", "会员", None, True)]),
    # shares
    ("全市七成以上职工参加了体检,比去年提高3.5个百分点。",
     [("七成以上", "70", "%", "职工", None, True), ("3.5个百分点", "3.5", "百分点", "", None, False)]),
    ("百分之九十的会员对服务满意,50%的职工参加了培训。",
     [("百分之九十", "90", "%", "会员", None, False), ("50%", "50", "%", "职工", None, False)]),
    ("凡入住爱奔酒店,标间优惠30%并免除停车费。", [("30%", "30", "%", "标间优惠", None, False)]),
    ("经费增长2倍。", [("2倍", "2", "倍", "", None, False)]),
    ("非公企业占比３０％以上。", [("３０％以上", "30", "%", "非公企业占比", None, True)]),
    ("全市共有一线职工12.6万名,其中农民工占比超过六成。",
     [("12.6万名", "126000", "名", "一线职工", None, False),
      ("超过六成", "60", "%", "农民工占比", None, True)]),
    # periods
    ("河北省总工会要求到2023年9月底,每个县至少培育2~3家产业工人队伍建设改革试点典型。",
     [("2~3家", "2", "家", "产业工人队伍建设改革试点典型", "到2023年9月底", False)]),
    ("近年来,全市工会累计帮扶困难职工3000户。", [("3000户", "3000", "户", "困难职工", "近年来", False)]),
    ("今年以来,全市新增会员1.2万名。", [("1.2万名", "12000", "名", "会员", "今年以来", False)]),
    ("第三季度,全市新增会员600名。", [("600名", "600", "名", "会员", "第三季度", False)]),
    ("截至9月底,全省新就业形态劳动者入会人数达到82.3万人,同比增长35%。",
     [("82.3万人", "823000", "人", "新就业形态劳动者入会人数", "截至9月底", False),
      ("35%", "35", "%", "", "截至9月底", False)]),
    ("目前,全区已建成驿站85个。", [("85个", "85", "个", "驿站", "目前", False)]),
]
# fmt: on

# Sentences with no figure at all: dates, ordinals, ages, durations, codes,
# articles, names, slogans, titles, round and indefinite numbers.
# fmt: off
NO_FIGURES = [
    "2022年11月10日",
    "本报北京11月10日电",
    "2020年以来,哈尔滨市总工会持续发力",
    "河北省总工会要求到2023年9月底完成",
    "深圳市第十二届职工技术创新运动会暨2022 年深圳技能大赛",
    "个人竞赛项目第一名将被授予深圳市五一劳动奖章",
    "机车组的第七任司机长陈福汉",
    "中国航天科技集团有限公司第五研究院529厂的郑兴",
    "(上接第1版)他也通过多年的努力,在2017 年成为全国快递员中首位全国五一劳动奖章获得者",
    "李向东热切期待着驾驶C919这一国之重器",
    "这位86岁的前辈叮嘱",
    "从零到一用了42年的时间",
    "凡入住爱奔酒店并免除24小时停车费",
    "上一家公司已连续两个月没发工资",
    "他花了3个多月完成",
    "美团外卖骑手徐昌顺骑着电瓶车来到一家餐饮店取外卖",
    "郑兴是一名载人航天器密封舱体焊接高级技师",
    "给予一次性补助",
    "天津市总工会推动实现每个区至少有一家工人文化宫",
    '推动"两个确立"更加深入人心、"两个维护"成为自觉行动',
    '围绕"十百千"建会专项行动、"万家暖心驿站"建设计划',
    "工会进万家·新就业形态劳动者温暖行动",
    "团结动员亿万职工在奋进新征程中更好发挥主力军作用",
    "首农食品三元畜牧奶牛中心副经理丛慧敏",
    "湖南省衡阳市组建首支志愿服务队,热心的谭真报名并成功获聘为首批志愿者",
    "成千上万名职工参与其中,千家万户受益",
    "数十家企业和几百名职工参加,十几个部门协同",
    "每百名职工中,前三名获得奖励",
    "统筹推进五位一体总体布局,增强\"四个意识\"",
    "《关于做好100名劳模疗休养工作的通知》印发",
    '"十四五"期间,打造"100%满意"工程',
    "推动“两个确立”深入人心",
    "一人一策,一家一户",
    "中国铁路北京局丰台机务段,连续4届担任党代表,曾有4任司机长当选",
    "党的十八大以来,党的二十大代表",
    "开展一对一帮扶,1对1结对,推行1人1策",
    "二十几家企业,二期工程",
    "他在3A级景区工作,5G基站",
]
# fmt: on


def _rows(text: str) -> list[tuple[str, str, str, str, str | None, bool]]:
    return [(f.surface, str(f.value), f.unit, f.measure, f.period, f.approximate) for f in find_figures(text)]


def _check_offsets(text: str, found: list[Figure]) -> None:
    last_end = 0
    for f in found:
        assert text[f.start : f.end] == f.surface
        assert f.start >= last_end, "figures overlap"
        last_end = f.end
        if f.measure_span is not None:
            ms, me = f.measure_span
            assert text[ms:me] == f.measure != ""
            assert not any(g.start < me and ms < g.end for g in found), "a measure overlaps a figure"
        else:
            assert f.measure == ""
        if f.period_span is not None:
            assert text[f.period_span[0] : f.period_span[1]] == f.period
            assert f.period_span[1] <= f.start
        else:
            assert f.period is None


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:16] for c in CASES])
def test_figures_table(text: str, expected: list[tuple[str, str, str, str, str | None, bool]]) -> None:
    found = find_figures(text)
    assert _rows(text) == expected
    _check_offsets(text, found)


@pytest.mark.parametrize("text", NO_FIGURES)
def test_not_figures(text: str) -> None:
    assert _rows(text) == []


# fmt: off
@pytest.mark.parametrize(("text", "value", "value_max", "unit"), [
    ("每个县至少培育2~3家试点", "2", "3", "家"),
    ("补助3至5万元", "30000", "50000", "元"),
    ("3万~5万元的补助", "30000", "50000", "元"),
    ("惠及两三千名职工", "2000", "3000", "名"),
    ("来了三四百人", "300", "400", "人"),
    ("培育十五六家企业", "15", "16", "家"),
])
# fmt: on
def test_ranges(text: str, value: str, value_max: str, unit: str) -> None:
    (f,) = find_figures(text)
    assert (str(f.value), str(f.value_max), f.unit) == (value, value_max, unit)


@pytest.mark.parametrize(
    ("text", "kind"),
    [("返还25249万元", "money"), ("会员22353人", "count"), ("占比50%", "percent"), ("增长2倍", "ratio"),
     ("发放大米3吨", "quantity"), ("七成职工", "percent")],
)  # fmt: skip
def test_kinds(text: str, kind: str) -> None:
    (f,) = find_figures(text)
    assert f.kind == kind


def test_figure_is_frozen() -> None:
    (f,) = find_figures("会员22353人")
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.value = Decimal(1)  # type: ignore[misc]
    assert isinstance(f.value, Decimal)


def test_empty_and_plain_text() -> None:
    assert find_figures("") == []
    assert find_figures("工会提供的法律援助等贴心服务更让徐昌顺感到温暖。") == []


def test_space_between_number_and_unit() -> None:
    (f,) = find_figures("第三个100 颗用了3年的时间")
    assert (f.surface, f.value, f.unit) == ("100 颗", Decimal(100), "颗")


# --- numbers ---------------------------------------------------------------

# fmt: off
@pytest.mark.parametrize(("s", "value"), [
    ("十二", 12), ("一百二十", 120), ("两千", 2000), ("1.2万", 12000), ("百万", 1000000),
    ("25249万", 252490000), ("十", 10), ("二十万", 200000), ("一百零五", 105), ("一千零五十", 1050),
    ("三百五", 350), ("一万二", 12000), ("三亿五千万", 350000000), ("万亿", 10**12), ("千万", 10**7),
    ("3千", 3000), ("3亿", 300000000), ("12,345", 12345), ("0.5", Decimal("0.5")), ("１２", 12),
    ("一万零五百", 10500),
])
# fmt: on
def test_parse_chinese_number(s: str, value: int | Decimal) -> None:
    assert parse_chinese_number(s) == value


@pytest.mark.parametrize("s", ["", *"亿万 十百千 五一 二〇二二 数十 十几 万万 abc 3万万 多".split()])
def test_parse_chinese_number_rejects(s: str) -> None:
    assert parse_chinese_number(s) is None


def _chinese(n: int) -> str:
    """Write 0 <= n < 10**12 the standard way (一亿零五万, 一千零五十)."""
    digits = "零一二三四五六七八九"

    def section(v: int) -> str:
        out, gap = "", False
        for place, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = v // place % 10
            if d:
                out += ("零" if gap and out else "") + digits[d] + name
                gap = False
            else:
                gap = True
        return out

    if n == 0:
        return "零"
    yi, rest = divmod(n, 10**8)
    wan, low = divmod(rest, 10**4)
    out = section(yi) + "亿" if yi else ""
    if wan:
        out += ("零" if out and wan < 1000 else "") + section(wan) + "万"
    if low:
        out += ("零" if out and (low < 1000 or not wan) else "") + section(low)
    return out


@given(st.integers(min_value=1, max_value=10**12 - 1))
def test_parse_chinese_number_roundtrip(n: int) -> None:
    assert parse_chinese_number(_chinese(n)) == n


_FACTORS = {"": 1, "十": 10, "百": 100, "千": 1000, "万": 10**4, "亿": 10**8, "千万": 10**7, "万亿": 10**12}


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(sorted(_FACTORS)))
def test_parse_arabic_with_magnitude(n: int, magnitude: str) -> None:
    assert parse_chinese_number(f"{n}{magnitude}") == n * _FACTORS[magnitude]


# fmt: off
@pytest.mark.parametrize(("value", "unit", "expected"), [
    (25249, "万元", (Decimal("252490000"), "元")),
    ("1.2", "万个", (Decimal("12000"), "个")),
    (150, "万人", (Decimal("1500000"), "人")),
    (40, "万人次", (Decimal("400000"), "人次")),
    (3, "亿元", (Decimal("300000000"), "元")),
    (Decimal("1.5"), "万亿元", (Decimal("1500000000000"), "元")),
    (7, "成", (Decimal("70"), "%")),
    ("3.5", "个百分点", (Decimal("3.5"), "百分点")),
    (2, "千米", (Decimal("2000"), "米")),
    (6800, "名", (Decimal("6800"), "名")),
    (5, "位", (Decimal("5"), "位")),
    (50, "%", (Decimal("50"), "%")),
    (3, "万株", (Decimal("30000"), "株")),
])
# fmt: on
def test_to_base(value: Decimal | int | str, unit: str, expected: tuple[Decimal, str]) -> None:
    got = to_base(value, unit)
    assert got == expected
    assert str(got[0]) == str(expected[0])  # no 1.2E+4, no trailing .0


def test_to_base_rejects_non_numbers() -> None:
    with pytest.raises(ValueError, match="not a number"):
        to_base("三", "万元")


def test_unit_table_is_well_formed() -> None:
    units = figures._units()
    kinds = {"count", "money", "percent", "ratio", "quantity", "duration", "date", "age", "ordinal", "other"}
    for name, unit in units.items():
        assert name and unit.kind in kinds, name
        if unit.kind in figures._STAT_KINDS:
            assert unit.base and unit.base != "-" and unit.factor > 0, name
        assert all(unit.not_before), name
    assert set("人 人次 名 位 家 个 户 元 项 场 场次 次 批 支 所 条 对 颗 %".split()) <= set(units)


# --- properties ------------------------------------------------------------

_ALPHABET = st.sampled_from(
    list("0123456789.,~- 零一二两三四五六七八九十百千万亿多余第每约近超上以左右")
    + list("人次名位家个户元项场批支所条对颗%年月日岁届成倍")
    + list("会员企业职工达到为共的了,。;、\"《》()")
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=60).map("".join))
def test_offsets_are_consistent(text: str) -> None:
    found = find_figures(text)
    _check_offsets(text, found)
    for f in found:
        assert f.value >= 0
        assert f.value_max is None or f.value_max > f.value
        assert f.kind in figures._STAT_KINDS


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=10**9), st.sampled_from("人 家 个 元 人次 名 %".split()))
def test_any_count_is_found(n: int, unit: str) -> None:
    (f,) = find_figures(f"会员{n}{unit}。")
    assert f.value == n
    assert f.surface == f"{n}{unit}"


# --- doctests and the bundled page -------------------------------------------


def test_doctests() -> None:
    result = doctest.testmod(figures, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 10
    assert result.failed == 0


def _page_paragraphs() -> list[str]:
    lines = [line for line in PAGE.read_text("utf-8").splitlines() if line.strip()]
    return [re.sub(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])", "", line) for line in lines]


@pytest.fixture(scope="module")
def page_figures() -> list[Figure]:
    found: list[Figure] = []
    for para in _page_paragraphs():
        figs = find_figures(para)
        _check_offsets(para, figs)
        found.extend(figs)
    return found


def _one(found: list[Figure], surface: str) -> Figure:
    hits = [f for f in found if f.surface.replace(" ", "") == surface]
    assert hits, f"{surface} not found"
    return hits[0]


def test_page_key_figures(page_figures: list[Figure]) -> None:
    f = _one(page_figures, "25249万元")
    assert (f.value, f.unit, f.kind) == (Decimal(252490000), "元", "money")
    assert "工会经费" in f.measure and f.period == "2020年以来"
    f = _one(page_figures, "12992户")
    assert (f.value, f.unit, f.measure) == (12992, "户", "小微企业")
    f = _one(page_figures, "22353人")
    assert (f.value, f.unit, f.measure, f.period) == (22353, "人", "会员", "截至目前")
    f = _one(page_figures, "679个")
    assert (f.value, f.measure) == (679, "工会组织")
    f = _one(page_figures, "6800多名")
    assert (f.value, f.unit, f.approximate, f.measure) == (6800, "名", True, "货车司机")
    f = _one(page_figures, "380多万元")
    assert (f.value, f.unit, f.approximate) == (3800000, "元", True)
    f = _one(page_figures, "1.2万个以上")
    assert (f.value, f.unit, f.approximate) == (12000, "个", True)
    f = _one(page_figures, "150万人以上")
    assert (f.value, f.unit, f.approximate) == (1500000, "人", True)
    twenty = [f for f in page_figures if f.surface == "20万元"]
    assert len(twenty) == 2 and all(f.value == 200000 and f.unit == "元" for f in twenty)
    f = _one(page_figures, "超过百万人次")
    assert (f.value, f.unit, f.approximate) == (1000000, "人次", True)
    f = _one(page_figures, "2~3家")
    assert (f.value, f.value_max) == (2, 3)


def test_page_has_no_dates_or_ordinals(page_figures: list[Figure]) -> None:
    assert len(page_figures) >= 40
    for f in page_figures:
        assert not re.search(r"[年月日岁届任版号]|小时", f.surface), f.surface
        assert f.value not in (1946, 2017, 2020, 2022, 2023, 529, 919), f.surface
        assert f.kind in figures._STAT_KINDS
    surfaces = {f.surface for f in page_figures}
    assert not surfaces & {"一家", "一名", "两个", "三元", "万家", "一次"}


def test_raw_page_is_safe() -> None:
    """Unnormalised text (spaces from line breaks, columns run together) leaks no date or name."""
    text = PAGE.read_text("utf-8")
    found = find_figures(text)
    _check_offsets(text, found)
    assert len(found) >= 40
    assert not {f.surface for f in found} & {"两个", "三元", "一家", "一名"}
    assert all(not re.search(r"[年月日岁届任版号]", f.surface) for f in found)


def test_speed() -> None:
    paragraphs = _page_paragraphs()
    size = sum(map(len, paragraphs))
    find_figures("预热3个")
    t = time.perf_counter()
    for _ in range(5):
        for para in paragraphs:
            find_figures(para)
    per_second = 5 * size / (time.perf_counter() - t)
    assert per_second > 100_000  # well above the pace of the tokenizer the pipeline runs
