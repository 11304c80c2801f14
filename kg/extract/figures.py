"""Figures: numbers with units in normalised Chinese news text.

A *figure* is a number that counts or measures something and carries a unit:
会员22353人, 返还工会经费25249万元, 惠及货车司机6800多名, 非公企业占比50%.
:func:`find_figures` finds them in a sentence, with offsets, a value in base
units, what is counted (the *measure*) and the time phrase that scopes it
(the *period*).  The module is plain text processing (no tokenizer): regular
expressions compiled on first use and a unit table, ``kg/data/units.tsv``.

What is a figure
----------------
* Arabic numbers (``22353``, ``1.2``, ``1,234``) and Chinese numerals with a
  definite value (三, 十二, 一百二十, 两千, 百万), optionally with a magnitude
  (``25249万``, ``1.2万``, ``3亿``, ``3千``), followed by a unit of the table.
  A space between the number, its magnitude and its unit is allowed.
* Approximations are part of the figure and set ``approximate``: 多 and 余
  (``6800多名``, ``380多万元``, ``30余场``), 以上 / 左右 / 以下 / 以内 after the
  unit, and 超过 / 超 / 近 / 约 / 逾 / 将近 / 接近 / 大约 / 至少 / 不到 / 不足
  before the number; 上 and 过 before a bare magnitude (``上百页``, ``过万人``).
* Ranges ``2~3家``, ``3至5万元`` and ``两三家`` give ``value`` (the lower bound)
  and ``value_max``.
* ``百分之五十`` and ``50%`` are percentages; ``七成`` is 70 %.

What is not
-----------
* Dates and durations, ages and ordinal-like counters: the number is followed
  by a unit of kind date, duration, age, ordinal or other in the table (2022年,
  11月10日, 42年, 24小时, 两个月, 86岁, 十二届, 4任).  Ages and durations are not
  treated as statistics.
* Ordinals and rates: a number after 第 (第一名, 第五研究院, 第二个) or 每.
* Model numbers and codes: a number touching an ASCII letter (C919) or a
  number without a unit (529厂).
* A bare 一 before a counter (一家餐饮店, 一名技师, 一次性): it works as an
  article, not a count.
* Bare magnitudes used as round words (万家, 千家万户, 百名) unless an
  approximation marks them (上百, 近百, 万余); indefinite numbers (数十, 几百,
  十几).
* Numbers inside short quoted slogans or book titles ("两个确立", 《…》), and a
  single Chinese digit with 元 that is part of a name (三元畜牧).
* A unit that makes a word with what follows it (家庭, 项目, 期间, 个体).

Units
-----
``unit`` is the base unit: a magnitude is folded into the value (万元 → 元,
亿元 → 元, 万人次 → 人次, 千米 → 米), 成 becomes %, 个百分点 becomes 百分点.  The
person counters 名 and 位 are kept as written rather than folded into 人: they
count the same kind of thing, and a query can join them.

Measure
-------
What is counted is read from the local grammar, without a tokenizer:

* the noun phrase after a counter (``12992户小微企业`` → 小微企业, ``为3500名职工提供``
  → 职工, ``3个"职工之家"`` → 职工之家);
* else the noun phrase before the number, past a linking verb (``会员达到22353人``
  → 会员, ``涉及优惠减免金额达380多万元`` → 优惠减免金额, ``设比赛项目64个`` →
  比赛项目);
* money prefers ``的`` + noun after the amount (``一次性20万元的经费补助`` →
  经费补助), then the noun before it (``补贴20万元`` → 补贴), then a noun right
  after it (``发放500万元慰问金``); a percentage takes the noun after it
  (``50%的职工``, ``七成以上职工``) or the one before (``非公企业占比50%``).

A phrase ends at punctuation, at another number, at a time phrase, at a verb
or particle of the curated lists below, and at the subject of a clause (…总工会).
A head that cannot stand alone takes the word before it (参加人数, 帮扶资金,
慰问金); a scope word in front is dropped (全省, 全市).  When the noun after a
count is shared with the money figure that follows, the money noun is left to
the money (``12992户小微企业工会经费25249万元``: 小微企业 and 小微企业工会经费).

Period
------
The nearest time phrase before the figure in the same sentence (ended by
。！？；): 2020年以来, 今年, 今年以来, 今年1-10月, 近6年来, 近年来, 截至目前,
截至2022年底, 到2023年9月底, 目前, 至今, 全年, 第三季度 … as written.  A phrase
after 比 or 较 is a baseline of comparison, not the period.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

__all__ = ["Figure", "find_figures", "parse_chinese_number", "to_base"]

#: Kinds of unit whose figures are statistics; the other kinds in the table
#: (date, duration, age, ordinal, other) only stop a number from being read.
_STAT_KINDS = frozenset({"count", "money", "percent", "ratio", "quantity"})

_UNITS_FILE = Path(__file__).resolve().parent.parent / "data" / "units.tsv"

_CN_DIGIT = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10**4, "亿": 10**8}
_CN_NUMERALS = frozenset(_CN_DIGIT) | frozenset(_CN_SMALL) | frozenset(_CN_BIG)
_MAGNITUDE_RE = re.compile(r"[十百千]?万?亿?")
_ARABIC_RE = re.compile(r"([0-9０-９]+(?:,[0-9]{3})*(?:[.．][0-9０-９]+)?)[ \u3000]?([十百千万亿]*)")
_TO_ASCII = str.maketrans("０１２３４５６７８９．", "0123456789.")

# Approximation words before a number, longest first.  上 and 过 only mark a
# bare magnitude (上百, 过万).  A single-character word is not one when it
# ends a longer word (最近, 节约, 赶超 ...).
_APPROX_BEFORE = tuple("不少于 不低于 超过 超出 将近 接近 大约 约为 至少 不到 不足 逾 超 近 约 上 过".split())
_NOT_APPROX_AFTER = {
    "近": set("最附亲靠邻就贴将接"),
    "约": set("节条公合签制邀预契相规大"),
    "超": set("赶高特"),
    "上": set("零〇一二两三四五六七八九十百千万亿以之"),
    "过": set("超经通不越"),
}
_APPROX_AFTER = ("以上", "左右", "以下", "以内")
_INDEFINITE_BEFORE = set("数几若")
_OPEN_QUOTES = "\"“「『‘'"
_CLOSE_QUOTES = "\"”」』’'"
_SENTENCE_END = re.compile(r"[。!?;！？；\n]")

# Words between what is counted and its number: 会员达到22353人, 金额达380多万元.
_LINKS = tuple(
    """分别为 增加到 增长到 提高到 达到了 达到 已达 多达 高达 增至 共计 累计 合计 总计 共有 已有 只有 突破
    分别 已经 达 为 共 计 是 有 已 均 仅 约""".split()
)

# Verbs that end a noun phrase on either side of a figure.
_VERBS = frozenset(
    """建立 成立 组建 新建 筹建 建成 发展 覆盖 涵盖 惠及 涉及 返还 提供 实现 开展 举办 主办 承办 协办
    举行 发放 投入 筹集 募集 安置 吸纳 吸引 推动 推进 培育 选树 评选 表彰 设立 设置 确定 制定 提出
    出台 完成 输送 帮助 走访 接待 签订 引导 带动 参加 参与 达成 促成 获得 获评 接受 成为 形成 进入
    加入 纳入 来自 通过 担任 共计 合计 总计 累计 全额 分别 先后 共同 已经 目前 今年 用了 用于 受益
    领取 享受 开设 新增 发起 召开 联系 选派 派出 选拔 招聘 培养 指导 服务于 解决 办理
    其中 共有 现有 拥有 已有 观看 收看 参观 浏览 报名 提高 提升 降低 下降 下拨 拨付 划拨 安排 追回 挽回 讨回
    节约 节省 购买 受理 办结 调解 化解 深入 走进 前往 奔赴 获奖 荣获 当选 入选 受到 得到
    另有 包括 根据 围绕 面向 针对 依托 对于 关于 按照 旨在 进行 开放 办好 超过 达到 增加 减少 增长
    送去 送上 送出 送来 送达 捐赠 捐献 赠送 颁发 发出 送给""".split()
)
_VERB_LENGTHS = sorted({len(v) for v in _VERBS}, reverse=True)
# Verbs that also modify nouns (职工服务中心, 帮扶资金, 培训班): before a figure
# they end the noun only where they open a clause (,服务职工两千人; 累计帮扶困难职工).
_NOMINAL_VERBS = frozenset("服务 培训 帮扶 救助 慰问 资助 管理".split())
# The subject of a clause, ending a noun phrase before a figure (总工会补贴20万元).
_ORG_ENDS = ("总工会", "公司", "集团", "政府", "委员会", "常委会")
# Single characters that end a noun phrase: particles, prepositions, copulas.
_STOP_BEFORE = frozenset("的在为对向给从将把被由与或了让使是等共达有设到")
_STOP_AFTER = frozenset("的在为对将被从向和与及或等是有都也就已用给让把并而又再还均中内后时了着过到")
# Two-character words that hold a stop character and must not be split.
_WORDS = frozenset(
    """作为 成为 因为 行为 认为 称为 为主 为民 所在 存在 现在 正在 实在 内在 潜在 在职 在岗 在校 在册
    在编 在线 在建 在读 从业 从事 自从 对口 对象 针对 面对 相对 绝对 对外 和谐 和平 给予 由于 理由 自由
    及时 普及 以及 与会 了解 使用 大使 使命 是否 等级 平等 同等 对等 达标 到达 发达 表达 传达 下达 共享
    共建 共青 公共 总共 一共 共同 设计 设施 设备 建设 国有 所有 拥有 享有 具有 没有 有关 有限 有效 有序
    有力 有机 私有 公有 目的 的确 向往 方向 导向 志向 把关 被告 或者 中心 中式 中国 中央 中小 中层
    中级 中型 中等 中医 中学 中职 中华 中青 内容 内部 内地 后勤 后备 时代 时间 过程 着力 再就 就业 用工
    用人 也许 已婚 均衡 给付 让利 使得 把握 还款 到岗 到位""".split()
)
# A noun that names a share or a total, not a thing: extend it to the word before (参加人数).
_GENERIC_HEADS = frozenset("人数 金额 比例 占比 数量 总数 次数 总额 规模 人次 资金 经费 费用 基金".split())
_BOUND_HEADS = frozenset("金率费款员者数额量站点班队")
# What money is (工会经费25249万元); stripped from a phrase shared by a count
# and the money figure after it (12992户小微企业工会经费25249万元).
_MONEY_NOUNS = tuple(
    """工会经费 补助资金 帮扶资金 补助金 慰问金 救助金 奖励金 经费 资金 补贴 补助 奖金 金额 款项 费用 工资
    收入 基金 款 费""".split()
)
# Words that open a noun phrase before a figure without being part of it:
# 其中, a verb of setting up (设比赛项目), a scope (全省新就业形态劳动者).
_LEADING_WORD = re.compile(r"(?:其中|另有|另|共|计|设(?![施备计立置])|全(?:国|省|市|县|区|州|镇|乡)(?=..))")
_MAX_BEFORE = 16
_MAX_AFTER = 24

_YEAR = r"(?:(?<![0-9])[12][0-9]{3}|[零〇一二三四五六七八九]{4})[ ]?年"
_MONTH = r"(?:[0-9]{1,2}|[一二三四五六七八九十]{1,2})[ ]?月份?(?:[0-9]{1,2}[ ]?日)?"
_MONTHS = rf"(?:[0-9]{{1,2}}[-—~至到])?{_MONTH}(?:[-—~至到]{_MONTH})?"
_YEAR_SUFFIX = r"(?:以来|至今|以前|年底|年初|上半年|下半年|前三季度|第?[一二三四]季度|全年|底|末|初|前)"
_NUMWORD = r"(?:[0-9]{1,2}|[一二两三四五六七八九十]{1,3}|多)"
_PERIOD_RE = re.compile(
    rf"""(?:截至到|截止到|截至|截止|直到|到)\ ?{_MONTHS}(?:底|末|初|中旬|上旬|下旬)?
    |(?:(?:截至到|截止到|截至|截止|直到|到|至)\ ?)?
    (?:{_YEAR}(?:{_MONTHS})?(?:[-—~至到]{_YEAR})?{_YEAR_SUFFIX}?
     |(?:今年|去年|前年|明年|当年|本年度|本年|上年)(?:{_MONTHS})?{_YEAR_SUFFIX}?
     |近{_NUMWORD}个?(?:年|月)(?:来|以来)?
     |近些?年来|近些?年|(?<![0-9]){_NUMWORD}年来(?!自)|过去{_NUMWORD}年
     |目前为止|目前|迄今为止|迄今|至今|当前
     |(?<![0-9年])(?:上半年|下半年|前三季度|第?[一二三四]季度|全年))""",
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class Figure:
    """A number with a unit found in a text.

    Attributes
    ----------
    start, end
        Offsets into the searched text covering the figure with its unit and
        approximation words: ``text[start:end] == surface``.
    surface
        The figure as written (``6800多名``, ``超过百万人次``).
    value
        The value in base units (``25249万元`` → ``Decimal('252490000')``); the
        lower bound of a range.
    unit
        The base unit: 人, 人次, 名, 位, 家, 个, 户, 元, %, 百分点 ...
    kind
        ``count``, ``money``, ``percent``, ``ratio`` or ``quantity``.
    approximate
        True when the text marks the number as approximate (多, 余, 超过, 近,
        约, 以上, 左右, 上百 ...).
    value_max
        The upper bound of a range (``2~3家``), else None.
    measure
        What is counted, as written (会员, 小微企业工会经费, 货车司机); may be "".
    period
        The time phrase that scopes the figure (2020年以来, 今年, 截至目前), or None.
    measure_span, period_span
        Offsets of ``measure`` and ``period`` in the text, or None.
    """

    start: int
    end: int
    surface: str
    value: Decimal
    unit: str
    kind: str
    approximate: bool = False
    value_max: Decimal | None = None
    measure: str = ""
    period: str | None = None
    measure_span: tuple[int, int] | None = field(default=None, compare=False)
    period_span: tuple[int, int] | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class _Unit:
    name: str
    kind: str
    base: str
    factor: Decimal
    not_before: tuple[str, ...]


# ---------------------------------------------------------------------------
# numbers


def parse_chinese_number(s: str) -> Decimal | None:
    """Value of a number written in Chinese numerals, Arabic digits or both.

    Returns None when ``s`` has no definite value (数十, 亿万, 十百千, 五一).

    Examples
    --------
    >>> parse_chinese_number("十二")
    Decimal('12')
    >>> parse_chinese_number("一百二十")
    Decimal('120')
    >>> parse_chinese_number("两千")
    Decimal('2000')
    >>> parse_chinese_number("1.2万")
    Decimal('12000')
    >>> parse_chinese_number("百万")
    Decimal('1000000')
    >>> parse_chinese_number("25249万")
    Decimal('252490000')
    >>> parse_chinese_number("三亿五千万")
    Decimal('350000000')
    >>> parse_chinese_number("一百零五"), parse_chinese_number("三百五")
    (Decimal('105'), Decimal('350'))
    >>> parse_chinese_number("12,345")
    Decimal('12345')
    >>> parse_chinese_number("亿万") is None, parse_chinese_number("数十") is None
    (True, True)
    """
    s = s.strip()
    if not s:
        return None
    m = _ARABIC_RE.fullmatch(s)
    if m:
        return _arabic_value(m.group(1), m.group(2))
    value = _parse_cn(s)
    return None if value is None else _clean(Decimal(value))


def _arabic_value(digits: str, magnitude: str) -> Decimal | None:
    if not _MAGNITUDE_RE.fullmatch(magnitude):
        return None
    try:
        value = Decimal(digits.translate(_TO_ASCII).replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits digits only
        return None
    for ch in magnitude:
        value *= _CN_SMALL.get(ch) or _CN_BIG[ch]
    return _clean(value)


def _parse_cn(s: str) -> int | None:
    """Integer value of a Chinese numeral, or None (not a numeral, or no definite value)."""
    total = 0  # everything up to the last 亿
    wan = 0  # the 万 part below the last 亿
    section = 0  # below 万
    digit: int | None = None
    last_small = 10**5  # units inside a section must fall: 一百二十
    last_unit = 0  # the unit just before a trailing digit: 三百五 = 350
    zero = False
    seen_wan = seen_yi = False
    for i, ch in enumerate(s):
        if ch in _CN_DIGIT:
            d = _CN_DIGIT[ch]
            if digit is not None:
                return None  # 五一, 二〇二二: digits in a row have no place value
            if d == 0:
                zero = True
                continue
            digit = d
        elif ch in _CN_SMALL:
            unit = _CN_SMALL[ch]
            if unit >= last_small:
                return None
            if digit is None:
                if section or zero:
                    return None
                digit = 1  # 十二, 百万
            section += digit * unit
            digit, last_small, last_unit, zero = None, unit, unit, False
        elif ch in _CN_BIG:
            part = section + (digit or 0)
            if ch == "万":
                if seen_wan:
                    return None  # 万万
                if not part:
                    if i:
                        return None  # 亿万
                    part = 1
                wan, seen_wan = part * 10**4, True
            else:
                if seen_yi:
                    return None
                if not part and not wan:
                    if i:
                        return None
                    part = 1
                total = (total + wan + part) * 10**8
                wan, seen_yi, seen_wan = 0, True, False
            section, digit, last_small, last_unit, zero = 0, None, 10**5, _CN_BIG[ch], False
        else:
            return None
    if digit is not None:
        # a digit straight after 百/千/万 is the next place down (三百五, 一万二)
        section += digit * last_unit // 10 if last_unit >= 100 and not zero else digit
    return total + wan + section


def _parse_cn_range(s: str) -> tuple[int, int] | None:
    """两三 → (2, 3), 三四百 → (300, 400), 十五六 → (15, 16)."""
    for i in range(len(s) - 1):
        a, b = _CN_DIGIT.get(s[i]), _CN_DIGIT.get(s[i + 1])
        if a and b and b == a + 1:
            lo, hi = _parse_cn(s[: i + 1] + s[i + 2 :]), _parse_cn(s[:i] + s[i + 1 :])
            if lo is not None and hi is not None and lo < hi:
                return lo, hi
            return None
    return None


def _clean(value: Decimal) -> Decimal:
    """12000.0 → 12000, 12.50 → 12.5 (no exponent notation)."""
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize()


def to_base(value: Decimal | int | str, unit: str) -> tuple[Decimal, str]:
    """Fold a magnitude written in a unit into the value.

    Units of the table keep their name except for base conversions (成 → %,
    个百分点 → 百分点); a unit the table does not know is returned as given,
    less its magnitude.

    Examples
    --------
    >>> to_base(25249, "万元")
    (Decimal('252490000'), '元')
    >>> to_base("1.2", "万个")
    (Decimal('12000'), '个')
    >>> to_base(40, "万人次")
    (Decimal('400000'), '人次')
    >>> to_base(7, "成")
    (Decimal('70'), '%')
    >>> to_base(3, "名")
    (Decimal('3'), '名')
    """
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).translate(_TO_ASCII))
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None
    units = _units()
    unit = unit.strip()
    if unit not in units:
        magnitude = _MAGNITUDE_RE.match(unit)
        if magnitude and magnitude.end() and magnitude.end() < len(unit):
            for ch in magnitude.group():
                number *= _CN_SMALL.get(ch) or _CN_BIG[ch]
            unit = unit[magnitude.end() :]
    known = units.get(unit)
    if known is None or known.kind not in _STAT_KINDS:
        return _clean(number), unit
    return _clean(number * known.factor), known.base


# ---------------------------------------------------------------------------
# the unit table and the scanner


@cache
def _units() -> dict[str, _Unit]:
    units: dict[str, _Unit] = {}
    for n, line in enumerate(_UNITS_FILE.read_text("utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 4:
            raise ValueError(f"{_UNITS_FILE}:{n}: expected unit, kind, base and factor")
        name, kind, base, factor = cols[:4]
        not_before = tuple(w for w in (cols[4] if len(cols) > 4 else "").split(",") if w)
        units[name] = _Unit(name, kind, base, Decimal(factor), not_before)
    return units


@cache
def _scanner() -> re.Pattern[str]:
    units = "|".join(re.escape(u) for u in sorted(_units(), key=len, reverse=True))
    # a number starts where a run of digits or numerals starts (no match from inside a run)
    arabic = r"(?<![0-9０-９.．])[0-9０-９]+(?:,[0-9]{3}(?![0-9]))*(?:[.．][0-9０-９]+)?"
    cn = r"(?<![零〇一二两三四五六七八九十百千万亿])[零〇一二两三四五六七八九十百千万亿]+"
    mag = r"[十百千万亿]+"
    sp = r"[ \u3000]?"
    post = "|".join(_APPROX_AFTER)
    return re.compile(
        rf"""(?P<pct>百分之{sp}(?P<pn>{arabic}|{cn})(?P<ppost>{post})?)
        |(?:(?P<a>{arabic}){sp}(?P<am>{mag})?
              (?:{sp}(?P<sep>[~～\-—–至到]){sp}(?P<b>{arabic}){sp}(?P<bm>{mag})?)?
           |(?P<c>{cn}))
         (?P<ap>{sp}[多余])?(?P<m2>{sp}[万亿])?(?P<ap2>[多余])?{sp}(?P<unit>{units})
         (?P<post>{post})?""",
        re.VERBOSE,
    )


# ---------------------------------------------------------------------------
# finding figures


class _Context:
    """Sentence bounds and time phrases of a text, computed on first need."""

    __slots__ = ("text", "_ends", "_periods", "_period_starts")

    def __init__(self, text: str) -> None:
        self.text = text
        self._ends: list[int] | None = None
        self._periods: list[tuple[int, int]] | None = None
        self._period_starts: list[int] = []

    def sentence_start(self, pos: int) -> int:
        if self._ends is None:
            self._ends = [m.start() for m in _SENTENCE_END.finditer(self.text)]
        i = bisect_left(self._ends, pos)
        return self._ends[i - 1] + 1 if i else 0

    def periods(self) -> list[tuple[int, int]]:
        if self._periods is None:
            self._periods = [m.span() for m in _PERIOD_RE.finditer(self.text)]
            self._period_starts = [s for s, _ in self._periods]
        return self._periods

    def overlaps_period(self, start: int, end: int) -> bool:
        periods = self.periods()
        i = bisect_left(self._period_starts, end)
        return i > 0 and periods[i - 1][1] > start

    def period_before(self, pos: int, floor: int, *, baselines: bool = True) -> tuple[int, int] | None:
        """The last time phrase ending at or before ``pos`` and starting at or after ``floor``.

        With ``baselines=False`` a phrase after 比 or 较 (比去年提高3.5个百分点)
        is passed over: it is what the figure is compared with, not its period.
        """
        periods = self.periods()
        i = bisect_right(self._period_starts, pos)
        while i > 0:
            i -= 1
            start, end = periods[i]
            if start < floor:
                return None
            if end <= pos and (baselines or self.text[start - 1 : start] not in ("比", "较")):
                return start, end
        return None


def find_figures(text: str) -> list[Figure]:
    """Figures (numbers with units) in a sentence of normalised Chinese text.

    Parameters
    ----------
    text
        Normalised text: a sentence, a paragraph or more (time phrases and
        measures are looked for within the sentence of each figure).

    Returns
    -------
    list of Figure
        In text order; offsets point into ``text``.

    Examples
    --------
    >>> [f.surface for f in find_figures("覆盖企业5000多家、职工40万人次")]
    ['5000多家', '40万人次']
    >>> f = find_figures("2020年以来,累计全额返还12992户小微企业工会经费25249万元。")[1]
    >>> f.value, f.unit, f.measure, f.period
    (Decimal('252490000'), '元', '小微企业工会经费', '2020年以来')
    >>> f = find_figures("共惠及货车司机6800多名。")[0]
    >>> f.value, f.unit, f.approximate, f.measure
    (Decimal('6800'), '名', True, '货车司机')
    >>> find_figures("2022年11月10日,第一名")
    []
    """
    if not text:
        return []
    units = _units()
    ctx = _Context(text)
    figures: list[Figure] = []
    floor = 0
    scanner = _scanner()
    for m in scanner.finditer(text):
        figure = _figure(text, m, floor, ctx, units)
        if figure is not None:
            if figures and figures[-1].measure_span and figures[-1].measure_span[1] > figure.start:
                figures[-1] = _cut_measure(text, figures[-1], figure.start)
            figures.append(figure)
        floor = m.end()
    return figures


def _cut_measure(text: str, figure: Figure, end: int) -> Figure:
    """End ``figure``'s measure before the next figure (3家约…: 约 opens the next one)."""
    start = figure.measure_span[0] if figure.measure_span else end
    span = _valid(text, start, end) if end > start else None
    measure = text[span[0] : span[1]] if span else ""
    return replace(figure, measure=measure, measure_span=span)


def _figure(text: str, m: re.Match[str], floor: int, ctx: _Context, units: dict[str, _Unit]) -> Figure | None:
    """The figure of a scanner match, or None when it is not a statistic."""
    c = m.group("c")
    bare_magnitude = c is not None and len(c) == 1 and c in "百千万亿"
    start = _approx_prefix(text, m.start(), floor, bare_magnitude=bare_magnitude)
    approximate = start < m.start() or any(m.group(g) for g in ("ap", "ap2", "post", "ppost"))
    if m.group("pct") is not None:
        unit = units["%"]
        value = parse_chinese_number(m.group("pn")) if m.group("pn") != "一" else None
        value_max = None
    else:
        unit = units[m.group("unit")]
        if not _unit_fits(text, m, unit, units):
            return None
        if c is not None and not _numeral_fits(text, m, unit, approximate=approximate):
            return None
        value, value_max = _number(m)
    if value is None or not _plausible(text, start, m.start(), m.end(), unit, ctx):
        return None
    end = m.end()
    measure_span = _measure(text, start, end, floor, unit, ctx)
    period_span = ctx.period_before(start, ctx.sentence_start(start), baselines=False)
    return Figure(
        start=start,
        end=end,
        surface=text[start:end],
        value=_clean(value * unit.factor),
        unit=unit.base,
        kind=unit.kind,
        approximate=approximate,
        value_max=None if value_max is None else _clean(value_max * unit.factor),
        measure=text[measure_span[0] : measure_span[1]] if measure_span else "",
        period=text[period_span[0] : period_span[1]] if period_span else None,
        measure_span=measure_span,
        period_span=period_span,
    )


def _after_unit(text: str, m: re.Match[str]) -> str:
    """A few characters after the unit, across one stray space (两个 月)."""
    end = m.end("unit")
    return text[end + 1 : end + 4] if text[end : end + 1] == " " else text[end : end + 3]


def _unit_fits(text: str, m: re.Match[str], unit: _Unit, units: dict[str, _Unit]) -> bool:
    """False for dates, durations, ages and ordinals, and for a unit that makes a word with what follows."""
    if unit.kind not in _STAT_KINDS:
        return False  # 2022年, 86岁, 24小时, 十二届
    rest = _after_unit(text, m)
    if any(rest.startswith(w) for w in unit.not_before):
        return False  # 家庭, 项目, 期间
    if text[m.end("unit") : m.end("unit") + 1] != " ":
        return True
    return not any(unit.name + rest[:n] in units for n in (1, 2) if len(rest) >= n)  # 两个 月


def _numeral_fits(text: str, m: re.Match[str], unit: _Unit, *, approximate: bool) -> bool:
    """False for Chinese numerals that are not a count: 一家, 数十家, 十几个, 万家, 三元畜牧."""
    c, start = m.group("c"), m.start()
    if c in ("一", "〇", "零"):
        return False  # 一家餐饮店, 一名技师: an article, not a count
    if c[0] in "十百千万亿" and start and text[start - 1] in _INDEFINITE_BEFORE:
        return False  # 数十家, 几百人
    if text.startswith("几", m.end("c")):
        return False  # 十几个, 二十几家
    if len(c) == 1 and c in "百千万亿" and not approximate:
        return False  # 万家, 百名: a round word
    if unit.kind == "money" and len(c) == 1 and c in _CN_DIGIT:
        nxt = _after_unit(text, m)[:1]
        return not _is_word_char(nxt) or nxt in "的钱"  # 三元畜牧: a name, not three yuan
    return True


def _number(m: re.Match[str]) -> tuple[Decimal | None, Decimal | None]:
    """Value and upper bound (ranges) of a match with a unit, before unit factors."""
    magnitude = (m.group("m2") or "").strip()
    if m.group("am") and magnitude:
        return None, None  # 1万多万
    c = m.group("c")
    if c is None:
        lo = _arabic_value(m.group("a"), (m.group("am") or m.group("bm") or "") + magnitude)
        if m.group("b") is None or lo is None:
            return lo, None
        hi = _arabic_value(m.group("b"), (m.group("bm") or m.group("am") or "") + magnitude)
        return (lo, hi) if hi is not None and hi > lo else (None, None)
    factor = _CN_BIG[magnitude] if magnitude else 1
    whole = _parse_cn(c)
    if whole is not None:
        return Decimal(whole * factor), None
    pair = _parse_cn_range(c)  # 两三千, 三四百
    if pair is None:
        return None, None
    return Decimal(pair[0] * factor), Decimal(pair[1] * factor)


def _approx_prefix(text: str, start: int, floor: int, *, bare_magnitude: bool) -> int:
    """Start of the approximation word before the number at ``start`` (超过, 近, 约 ...), else ``start``."""
    end = start - 1 if start > floor and text[start - 1] == " " else start
    for word in _APPROX_BEFORE:
        ws = end - len(word)
        if ws < floor or not text.startswith(word, ws):
            continue
        if word in ("上", "过") and not bare_magnitude:
            continue
        if len(word) == 1 and ws > 0 and text[ws - 1] in _NOT_APPROX_AFTER.get(word, ()):
            continue
        return ws
    return start


def _plausible(text: str, start: int, number_start: int, end: int, unit: _Unit, ctx: _Context) -> bool:
    """False for ordinals, rates, codes, slogans, titles and numbers inside time phrases."""
    before = text[start - 1] if start else "\n"
    if before == " " and start > 1:
        before = text[start - 2]
    if before in ("第", "每", "-", "/", "#") or (before.isascii() and before.isalpha()):
        return False  # 第一名, 每百人, C919
    if before == "前" and unit.name in ("名", "位"):
        return False  # 前三名: a rank
    after = text[end : end + 1]
    if after.isascii() and after.isalpha():
        return False  # 3A, 5G
    if after.isdigit() and text[number_start : number_start + 1] in ("1", "一"):
        return False  # 1人1策, 1户1档: a slogan
    if before in _OPEN_QUOTES:
        k = end
        while k < end + 8 and k < len(text) and (_is_word_char(text[k]) or text[k] == " "):
            k += 1
        if text[k : k + 1] in tuple(_CLOSE_QUOTES):
            return False  # "两个确立", "100%": a slogan
    lo = ctx.sentence_start(start)
    if text.rfind("《", lo, start) > text.rfind("》", lo, start):
        return False  # inside a title
    return not ctx.overlaps_period(number_start, end)


def _is_word_char(ch: str) -> bool:
    """A character that can be part of a noun: a CJK ideograph or an ASCII letter."""
    if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf":
        return True
    return ch.isascii() and ch.isalpha()


# ---------------------------------------------------------------------------
# what is counted


def _measure(
    text: str, start: int, end: int, floor: int, unit: _Unit, ctx: _Context
) -> tuple[int, int] | None:
    """Offsets of what the figure counts: the noun after a counter, else the noun before."""
    if unit.kind == "money":  # 一次性20万元的经费补助, 工会经费25249万元, 发放500万元慰问金
        return (
            _noun_after(text, end, allow_de=True, require_de=True)
            or _noun_before(text, start, floor, ctx)
            or _noun_after(text, end, allow_de=False, require_de=False)
        )
    # 50%的职工, 七成以上职工, 非公企业占比50%; 12992户小微企业, 会员达到22353人
    after = _noun_after(text, end, allow_de=unit.kind == "percent", require_de=False)
    return after or _noun_before(text, start, floor, ctx)


def _stop_at(text: str, i: int, single: frozenset[str], forward: bool) -> bool:
    """Does a verb or stop character begin (forward) or end (backward) at ``i``?"""
    for n in _VERB_LENGTHS:
        word = text[i : i + n] if forward else text[max(0, i - n) : i]
        if len(word) == n and word in _VERBS:
            return True
    if not forward and text[i - 2 : i] in _NOMINAL_VERBS and _opens_clause(text, i - 2):
        return True
    ch = text[i : i + 1] if forward else text[i - 1 : i]
    if ch not in single:
        return False
    k = i if forward else i - 1
    return text[k - 1 : k + 1] not in _WORDS and text[k : k + 2] not in _WORDS


def _opens_clause(text: str, i: int) -> bool:
    """Is ``i`` the start of a clause: after punctuation, a verb or a linking adverb (累计, 共)?"""
    if i <= 0 or not _is_word_char(text[i - 1]):
        return True
    return any(text[max(0, i - n) : i] in _VERBS or text[max(0, i - n) : i] in _LINKS for n in (1, 2, 3))


def _noun_after(text: str, pos: int, *, allow_de: bool, require_de: bool) -> tuple[int, int] | None:
    i = pos
    if text[i : i + 1] == " ":
        i += 1
    if text[i : i + 1] == "的":
        if not allow_de:
            return None
        i += 1
    elif require_de:
        return None
    quoted = _quoted(text, i, forward=True)
    if quoted:
        return quoted
    j = _scan_forward(text, i)
    if j == i:  # 500万元慰问金, 3期培训班: a verb and a bound head make one noun
        verb = next((text[i : i + n] for n in _VERB_LENGTHS if text[i : i + n] in _VERBS), "")
        k = i + len(verb)
        head_end = _scan_forward(text, k) if verb else None
        if head_end is not None and _is_head(text[k:head_end]):
            j = head_end
    if not j or j == i:
        return None
    if j - i > 2 and text[j - 2 : j] in _NOMINAL_VERBS:
        j -= 2  # 300名志愿者服务: the verb after the noun
    k = j + (text[j : j + 1] == " ")
    for link in _LINKS + _APPROX_BEFORE:
        if text.startswith(link, k):
            k += len(link)
            break
    nxt = _scanner().match(text, k)
    if nxt is not None and nxt.group("unit") and _units()[nxt.group("unit")].kind == "money":
        # 12992户小微企业工会经费25249万元: the money noun belongs to the next figure
        phrase = text[i:j]
        for noun in _MONEY_NOUNS:
            if phrase.endswith(noun) and len(phrase) > len(noun):
                j -= len(noun)
                break
    return _valid(text, i, j)


def _quoted(text: str, i: int, *, forward: bool) -> tuple[int, int] | None:
    """The inside of a short quoted name starting (or ending) at ``i``: 评选出"金牌工人"100名."""
    if forward:
        if i >= len(text) or text[i] not in _OPEN_QUOTES:
            return None
        start = i + 1
        ahead = range(start + 1, min(len(text), start + 13))
        end = next((k for k in ahead if text[k] in _CLOSE_QUOTES), None)
        if end is None:
            return None
    else:
        if i < 1 or text[i - 1] not in _CLOSE_QUOTES:
            return None
        end = i - 1
        opening = next((k for k in range(end - 2, max(-1, end - 14), -1) if text[k] in _OPEN_QUOTES), None)
        if opening is None:
            return None
        start = opening + 1
    inside = text[start:end]
    return (start, end) if all(_is_word_char(c) or c == "·" for c in inside) else None


def _scan_forward(text: str, i: int) -> int | None:
    """End of the noun phrase starting at ``i`` (``i`` if none), or None when it runs too long."""
    j = i
    n = len(text)
    while j < n:
        ch = text[j]
        if ch in "(\uff08":  # a short aside: 示范县(区)级工会
            close = text.find(")" if ch == "(" else "\uff09", j, j + 7)
            if close < 0 or not all(_is_word_char(c) for c in text[j + 1 : close]):
                break
            j = close + 1
            continue
        if not _is_word_char(ch) or _stop_at(text, j, _STOP_AFTER, forward=True):
            break
        if ch in _CN_NUMERALS and _scanner().match(text, j):
            break  # the next figure: 3家十二个
        j += 1
        if j - i > _MAX_AFTER:
            return None
    return j


def _is_head(phrase: str) -> bool:
    """A noun that needs the word before it: 人数, 资金, or a bound character (金, 班, 站)."""
    return phrase in _GENERIC_HEADS or (len(phrase) == 1 and phrase in _BOUND_HEADS)


def _noun_before(text: str, pos: int, floor: int, ctx: _Context) -> tuple[int, int] | None:
    i = pos
    if i > floor and text[i - 1] == " ":
        i -= 1
    stripped = True
    while stripped:  # 会员达到22353人, 金额已达380多万元
        stripped = False
        for link in _LINKS:
            if i - len(link) >= floor and text.startswith(link, i - len(link)):
                i -= len(link)
                stripped = True
                break
    quoted = _quoted(text, i, forward=False)
    if quoted and quoted[0] >= floor:
        return quoted
    end = i
    lower = max(floor, ctx.sentence_start(pos))
    period = ctx.period_before(end, lower)
    if period is not None:
        lower = period[1]  # 其中今年新业态领域工会组织3家: the time phrase ends the noun
    j = _scan_back(text, end, lower)
    if j is None:
        return None
    phrase = text[j:end]
    if _is_head(phrase):
        # 参加人数, 慰问金: the head needs the word before it
        k = j
        for n in _VERB_LENGTHS:
            if k - n >= lower and text[k - n : k] in _VERBS:
                k -= n
                break
        else:
            if k - 2 >= lower and text[k - 2 : k] in _NOMINAL_VERBS:
                k -= 2
            elif k > lower and text[k - 1] in _STOP_BEFORE:
                k -= 1
        if k < j:
            further = _scan_back(text, k, lower)
            j = k if further is None else further
    phrase = text[j:end]
    cut = max((phrase.rfind(org) + len(org) for org in _ORG_ENDS if org in phrase[:-1]), default=0)
    if 0 < cut < len(phrase):
        j += cut  # 猇亭区总工会补贴20万元: the subject is not what is counted
    lead = _LEADING_WORD.match(text, j, end)
    if lead and lead.end() < end:
        j = lead.end()
    return _valid(text, j, end)


def _scan_back(text: str, end: int, lower: int) -> int | None:
    j = end
    while j > lower:
        ch = text[j - 1]
        if ch in ")\uff09":
            open_ = text.rfind("(" if ch == ")" else "\uff08", max(lower, j - 8), j)
            if open_ < 0 or not all(_is_word_char(c) for c in text[open_ + 1 : j - 1]):
                break
            j = open_
            continue
        if not _is_word_char(ch) or _stop_at(text, j, _STOP_BEFORE, forward=False):
            break
        j -= 1
        if end - j > _MAX_BEFORE:
            return None
    return j


def _valid(text: str, i: int, j: int) -> tuple[int, int] | None:
    """The span if it can name what is counted: not empty, no ordinal, not a numeral with a counter."""
    phrase = text[i:j]
    if not phrase or "第" in phrase or (phrase[0] in _CN_NUMERALS and len(phrase) <= 2):
        return None
    return i, j
