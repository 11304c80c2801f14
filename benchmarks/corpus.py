"""A seeded synthetic corpus of union news, for throughput and scale measurements.

Articles are assembled from sentence templates whose slots are filled from the
package's own gazetteer and lexicons (``kg/data``): administrative divisions
with their codes and short names, well-known organisations, organisation
suffixes, role words, worker groups, honours, program heads and units.  The
phenomena the extractor handles all occur, in random mixes:

* unions adopting or holding programs (出台《…方案》, 举办第N届…技能大赛,
  “…”专项行动), with organisers and beneficiaries;
* posts (主席X, 党组书记、常务副主席Y), employers (…公司快递员X);
* figures with units (会员N人, 经费N万元, 企业N家, N%), some in Chinese numerals;
* coordination (河南、湖北省总工会) and abbreviations (镇安县总 after 镇安县总工会);
* enterprises founding unions (…有限公司成立工会), honours (荣获全国五一劳动奖章);
* bylines (本报讯（记者X 通讯员Y）) and datelines;
* about a fifth of the articles converted to traditional script (OpenCC s2t).

:func:`write_corpus` writes the articles as newspaper pages in Markdown (100
articles per page, a date in each file name) and as JSONL files (one article
a line), so a build reads both inputs.  The same seed gives the same files.

    python benchmarks/corpus.py 1000 /tmp/corpus [--seed 0]
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "kg" / "data"

__all__ = ["Corpus", "Lexicons", "SyntheticArticle", "generate", "lexicons", "write_corpus"]


# --------------------------------------------------------------------- lexicons


def _rows(name: str) -> list[list[str]]:
    """The data rows of a TSV (or one-column) file of ``kg/data``, comments skipped."""
    out = []
    for line in (DATA / name).read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        out.append(line.split("\t"))
    return out


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    short: str
    level: str
    parent: str


@dataclass
class Lexicons:
    """The name pools the templates draw from, read from ``kg/data``."""

    provinces: list[Place] = field(default_factory=list)
    cities: list[Place] = field(default_factory=list)
    counties: list[Place] = field(default_factory=list)
    by_code: dict[str, Place] = field(default_factory=dict)
    children: dict[str, list[Place]] = field(default_factory=dict)
    unions: list[str] = field(default_factory=list)
    enterprises: list[str] = field(default_factory=list)
    ent_suffixes: list[str] = field(default_factory=list)
    gov_suffixes: list[str] = field(default_factory=list)
    offices: list[str] = field(default_factory=list)
    occupations: list[str] = field(default_factory=list)
    worker_groups: list[str] = field(default_factory=list)
    awards: list[str] = field(default_factory=list)
    quoted_heads: list[str] = field(default_factory=list)
    titled_heads: list[str] = field(default_factory=list)
    book_heads: list[str] = field(default_factory=list)
    surnames: list[str] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)


@cache
def lexicons() -> Lexicons:
    """Read the pools once."""
    lx = Lexicons()
    for row in _rows("divisions.tsv"):
        if len(row) < 4:
            continue
        code, name, parent, level = row[:4]
        short = row[4] if len(row) > 4 and row[4] else name
        p = Place(code, name, short, level, parent)
        lx.by_code[code] = p
        # county-level names that are districts of big cities read oddly alone; keep counties, cities, banners
        {"province": lx.provinces, "city": lx.cities, "county": lx.counties}.get(level, []).append(p)
    lx.counties = [c for c in lx.counties if c.name.endswith(("县", "市", "旗")) and c.parent in lx.by_code]
    lx.cities = [c for c in lx.cities if c.name.endswith("市") and c.parent in lx.by_code]
    lx.provinces = [p for p in lx.provinces if p.name.endswith(("省", "自治区", "市")) and p.code < "700000"]
    lx.cities = [c for c in lx.cities if c.code < "700000"]
    for c in lx.counties:
        lx.children.setdefault(c.parent, []).append(c)
    lx.cities = [c for c in lx.cities if c.code in lx.children]
    for row in _rows("known_orgs.tsv"):
        if len(row) > 1 and row[1] == "TradeUnion":
            lx.unions.append(row[0])
        elif len(row) > 1 and row[1] == "Enterprise":
            lx.enterprises.append(row[0])
    for row in _rows("org_suffixes.tsv"):
        if len(row) > 1 and row[1] == "Enterprise" and row[0] in COMMON_ENTERPRISE_SUFFIXES:
            lx.ent_suffixes.append(row[0])
        elif len(row) > 1 and row[1] == "GovernmentBody" and row[0].endswith("局") and len(row[0]) > 2:
            lx.gov_suffixes.append(row[0])
    for row in _rows("roles.tsv"):
        if len(row) > 1 and row[1] == "office" and row[0] in ("主席", "书记", "党组书记", "委员", "负责人"):
            lx.offices.append(row[0])
        elif len(row) > 1 and row[1] == "occupation":
            lx.occupations.append(row[0])
    lx.offices += ["常务副主席", "副主席", "党组书记、主席"]
    lx.worker_groups = [r[0] for r in _rows("worker_groups.tsv")]
    lx.awards = [r[0] for r in _rows("awards.tsv")]
    for row in _rows("program_heads.tsv"):
        kinds = row[1].split() if len(row) > 1 else []
        if "quoted" in kinds:
            lx.quoted_heads.append(row[0])
        if "titled" in kinds:
            lx.titled_heads.append(row[0])
        if "book" in kinds:
            lx.book_heads.append(row[0])
    lx.surnames = [r[0] for r in _rows("surnames.txt") if len(r[0]) == 1][:120]
    lx.programs = [r[0] for r in _rows("programs.tsv")]
    return lx


# --------------------------------------------------------------------- pieces

GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰文斌海波宁晨晓峰亮鹏飞琳慧颖欣雪梅春生永"
TRADE = "鑫宏华恒盛达通远新源泰丰瑞安德隆兴顺昌祥和信嘉宇博正"
INDUSTRY = ["物流", "科技", "建设", "电子", "食品", "纺织", "机械", "汽车", "医药", "能源",
            "家政", "物业", "餐饮", "快递"]
SLOGANS = ["工会进万家", "春送岗位", "夏送清凉", "金秋助学", "冬送温暖", "职工之家建设", "服务职工零距离",
           "娘家人暖心", "技能强企", "安康杯", "建会入会", "户外劳动者关爱", "法律服务进企业", "巾帼建功"]
TOPICS = ["深度参与经济工作", "推进产业工人队伍建设改革", "加强新就业形态劳动者权益保障", "开展工资集体协商",
          "推动职工技能提升", "深化工会改革", "服务职工群众", "加强基层工会建设", "助企纾困",
          "构建和谐劳动关系"]
SKILLS = ["职工职业技能大赛", "职工技能竞赛", "劳动竞赛", "职工运动会", "技能大赛", "职工文化节"]
MEASURES = [("新发展会员", "人"), ("建立工会组织", "个"), ("投入帮扶资金", "万元"),
            ("返还小微企业工会经费", "万元"),
            ("覆盖企业", "家"), ("惠及职工", "人次"), ("组织职工疗休养", "人次"), ("发放慰问金", "万元"),
            ("签订集体合同", "份"), ("培训职工", "人次")]
FILLERS = [
    "各级工会要立足职工所需，把服务做在前面，切实解决职工急难愁盼问题",
    "活动现场气氛热烈，参赛选手精神饱满，充分展示了新时代产业工人的风采",
    "下一步，将继续完善服务体系，推动工作向基层延伸",
    "通过开展思想政治引领、组织劳动竞赛和搭建成长平台，助力企业提升技术创新能力",
    "不少职工表示，工会的关心让他们感受到了温暖",
    "会议强调，要坚持问题导向，注重实效，增强工作的针对性和实效性",
    "据了解，此次活动持续一个月，覆盖城区主要商圈和物流园区",
    "与会人员围绕如何做好新形势下的工会工作进行了深入交流",
    "这是推动高质量发展的重要举措，也是维护职工合法权益的具体行动",
    "现场还设置了法律咨询、心理疏导、免费体检等服务台",
]
COMMON_ENTERPRISE_SUFFIXES = {"有限公司", "股份有限公司", "有限责任公司", "公司", "集团", "物业", "酒店",
                              "超市"}
CN_DIGITS = "〇一二三四五六七八九"


def _cn_number(n: int) -> str:
    """A small number in Chinese numerals (一百二十三), for figures written that way."""
    units = [(1000, "千"), (100, "百"), (10, "十")]
    out, zero = "", False
    for value, name in units:
        d, n = divmod(n, value)
        if d:
            out += ("" if (value == 10 and not out and d == 1) else CN_DIGITS[d]) + name
            zero = False
        elif out and not zero:
            zero = True
    if n:
        out += ("零" if zero else "") + CN_DIGITS[n]
    return out or "零"


class _Gen:
    """Fills templates for one article; holds the names already used in it."""

    def __init__(self, rng: random.Random, lx: Lexicons) -> None:
        self.rng = rng
        self.lx = lx
        city = rng.choice(lx.cities)
        counties = lx.children.get(city.code)
        county = rng.choice(counties) if counties else rng.choice(lx.counties)
        province = lx.by_code.get(city.parent) or rng.choice(lx.provinces)
        self.county, self.city, self.province = county, city, province
        self.people: list[str] = []

    # -- names
    def person(self) -> str:
        r = self.rng
        name = r.choice(self.lx.surnames) + "".join(r.choices(GIVEN, k=r.choice((1, 2, 2))))
        self.people.append(name)
        return name

    def enterprise(self) -> str:
        r = self.rng
        if r.random() < 0.2:
            return r.choice(self.lx.enterprises)
        place = r.choice((self.city.short if self.city.short != self.city.name else self.city.name[:-1],
                          self.county.name[:-1]))
        return place + "".join(r.sample(TRADE, 2)) + r.choice(INDUSTRY) + r.choice(self.lx.ent_suffixes)

    def union(self) -> str:
        r = self.rng.random()
        if r < 0.35:
            return self.city.name + "总工会"
        if r < 0.65:
            return self.province.name + "总工会" if self.province.name.endswith(("省", "自治区")) else \
                self.city.name + "总工会"
        if r < 0.9:
            return self.county.name + "总工会"
        return self.rng.choice(self.lx.unions)

    def program(self, kind: str) -> str:
        """A program name: ``document`` (《…方案》, adopted), ``event`` (…大赛, “…”行动, held)."""
        r = self.rng
        if kind == "document":
            return f"《{self.city.name[:-1]}{r.choice(TOPICS)}{r.choice(self.lx.book_heads)}》"
        x = r.random()
        if x < 0.45:
            return f"“{r.choice(SLOGANS)}”{r.choice(self.lx.quoted_heads)}"
        if x < 0.95:
            return f"{r.randint(2018, 2024)}年{self.city.name}{r.choice(SKILLS)}"
        return r.choice(self.lx.programs)

    def number(self, unit: str) -> str:
        r = self.rng
        if unit == "万元":
            return f"{r.randint(12, 9800)}{'.' + str(r.randint(1, 9)) if r.random() < 0.3 else ''}"
        if r.random() < 0.15:
            return _cn_number(r.randint(3, 999))
        return str(r.randint(3, 50000))

    # -- sentences
    def sentences(self) -> Iterator[str]:
        """Body sentences, each a template of one phenomenon (or filler)."""
        r, lx = self.rng, self.lx
        u = self.union()
        local = u.endswith("总工会") and u[:-3] in (self.county.name, self.city.name)
        u_short = u[:-3] + "总" if local else None
        wg = r.choice(lx.worker_groups)
        doc, prog = self.program("document"), self.program("event")
        templates = [
            lambda: f"近日，{u}出台{doc}，提出要{r.choice(TOPICS)}，{r.choice(FILLERS)}。",
            lambda: f"{u}举办{prog}，{self.number('人')}名{wg}参加。",
            lambda: f"{u}{r.choice(lx.offices)}{self.person()}表示，{r.choice(FILLERS)}。",
            lambda: (lambda m: f"{r.randint(2019, 2023)}年以来，{u}累计{m[0]}{self.number(m[1])}{m[1]}，"
                     f"为{self.number('名')}名{wg}提供免费体检服务。")(r.choice(MEASURES)),
            lambda: self._coordination(prog),
            lambda: f"例如，{self.enterprise()}成立工会后，带动周边{self.number('家')}家企业建会。",
            lambda: f"{self.enterprise()}{r.choice(lx.occupations)}{self.person()}荣获"
                    f"{r.choice(('全国', self.province.short, self.city.name))}{r.choice(lx.awards)}。",
            lambda: f"此次活动由{u}、{self.city.name[:-1]}{r.choice(lx.gov_suffixes)}主办，"
                    f"{self.enterprise()}承办。",
            lambda: (lambda m: f"截至目前，{u}推动全县{m[0]}{self.number(m[1])}{m[1]}，"
                     f"其中{wg}工会会员{self.number('人')}人，占比{r.randint(5, 95)}%。")(r.choice(MEASURES)),
            lambda: f"{r.choice(FILLERS)}。",
            lambda: f"{r.choice(FILLERS)}。",
            lambda: f"{self.person()}是{self.enterprise()}的一名{r.choice(lx.occupations)}，"
                    f"去年加入了{u}，{r.choice(FILLERS)}。",
        ]
        if u_short:
            templates.append(lambda: f"此外，{u_short}通过深耕“示范田”，带动{wg}入会，{r.choice(FILLERS)}。")
        # the union's full name comes first, so a later abbreviation can be resolved
        yield templates[0]() if r.random() < 0.5 else templates[1]()
        for _ in range(r.randint(4, 10)):
            yield r.choice(templates)()

    def _coordination(self, prog: str) -> str:
        a, b = self.rng.sample([p for p in self.lx.provinces if p.name.endswith("省")], 2)
        return f"{a.name[:-1]}、{b.name[:-1]}省总工会联合开展{prog}，{self.rng.choice(FILLERS)}。"

    def headline(self) -> str:
        r = self.rng
        return r.choice((
            f"{self.city.name[:-1]}“{r.choice(SLOGANS)}”助力职工",
            f"{self.county.name}总工会{r.choice(TOPICS)}",
            f"{self.city.name}举行{r.choice(SKILLS)}",
            f"{r.choice(self.lx.worker_groups)}有了“娘家人”",
            f"{self.province.short}多措并举{r.choice(TOPICS)}",
        ))


@dataclass
class SyntheticArticle:
    """One generated article."""

    headline: str
    body: str
    date: _dt.date
    traditional: bool


def generate(n: int, seed: int = 0, *, traditional_share: float = 0.2) -> Iterator[SyntheticArticle]:
    """``n`` seeded synthetic articles."""
    lx = lexicons()
    rng = random.Random(seed)
    conv = None
    if traditional_share > 0:
        import opencc

        conv = opencc.OpenCC("s2t")
    start = _dt.date(2021, 1, 1)
    for i in range(n):
        g = _Gen(rng, lx)
        date = start + _dt.timedelta(days=i // 100)
        paras: list[str] = []
        lead = ""
        if rng.random() < 0.6:
            lead = (f"本报讯（记者{g.person()} 通讯员{g.person()}）" if rng.random() < 0.7
                    else f"本报讯（记者{g.person()}）")
        sents = list(g.sentences())
        k = 0
        while k < len(sents):
            take = rng.randint(2, 4)
            paras.append("".join(sents[k:k + take]))
            k += take
        if lead:
            paras[0] = lead + paras[0]
        head = g.headline()
        body = "\n\n".join(paras)
        trad = rng.random() < traditional_share
        if trad and conv is not None:
            head, body = conv.convert(head), conv.convert(body)
        yield SyntheticArticle(head, body, date, trad)


@dataclass
class Corpus:
    """What :func:`write_corpus` wrote."""

    folder: Path
    files: list[Path]
    articles: int
    chars: int
    traditional: int


def write_corpus(n: int, folder: str | Path, *, seed: int = 0, per_page: int = 100,
                 jsonl_share: float = 0.2, traditional_share: float = 0.2) -> Corpus:
    """Write ``n`` articles into ``folder``: Markdown pages of ``per_page`` articles and JSONL files.

    Every fifth group of ``per_page`` articles (``jsonl_share``) goes into a
    JSONL file, the others into pages named ``workers-daily-YYYY-MM-DD-pK.md``.
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    chars = trad = written = 0
    every = max(1, round(1 / jsonl_share)) if jsonl_share > 0 else 0
    group: list[SyntheticArticle] = []

    def flush(index: int) -> None:
        nonlocal chars
        if not group:
            return
        day = group[0].date.isoformat()
        if every and index % every == every - 1:
            path = out / f"wire-{day}-{index:05d}.jsonl"
            lines = [json.dumps({"title": a.headline, "text": a.body, "date": a.date.isoformat(),
                                 "source": "工人日报"}, ensure_ascii=False) for a in group]
            text = "\n".join(lines) + "\n"
            chars += sum(len(a.body) for a in group)
        else:
            path = out / f"workers-daily-{day}-p{index:05d}.md"
            text = "\n\n".join(f"# {a.headline}\n\n{a.body}" for a in group) + "\n"
            chars += len(text)
        path.write_text(text, "utf-8")
        files.append(path)
        group.clear()

    index = 0
    for art in generate(n, seed, traditional_share=traditional_share):
        group.append(art)
        trad += art.traditional
        written += 1
        if len(group) == per_page:
            flush(index)
            index += 1
    flush(index)
    return Corpus(out, files, written, chars, trad)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("articles", type=int)
    ap.add_argument("folder")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    c = write_corpus(args.articles, args.folder, seed=args.seed)
    print(f"{c.articles} articles ({c.traditional} traditional), {c.chars:,} characters, "
          f"{len(c.files)} files in {c.folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
