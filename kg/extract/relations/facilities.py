"""Service facilities a union builds: 司机之家, 爱心驿站, 妈妈小屋, 职工书屋.

Unions serve workers through named places as much as through campaigns.
When the text says an organisation built or opened one (建成司机之家和爱心驿站,
“幸福船员小屋”揭牌), the facility is a program of that organisation; the
entity finder knows campaigns by their heads, so this family proposes the
facility when no program covers it.  A facility named after a kind of worker
(司机之家 in an article about 货车司机) serves that group.
"""

from __future__ import annotations

import re

from .base import ArticleView, SentenceView, family

#: The head of a facility's name.
FACILITY = r"(?:之家|驿站|小屋|书屋|服务站|小站|母婴室|爱心岗|暖心站|休息室)"
#: Built or opened, then one or two facilities: 建成司机之家和爱心驿站, 启用“妈妈小屋”.
BUILT = re.compile(r"(?:建成|建起|建立|建设|打造|设立|开设|启用|揭牌|挂牌|升级|新建|改建)(?:了|起|的)?"
                   r"(?P<a>“?[^的了\W\d][\u4e00-\u9fff]{0,7}?" + FACILITY + r"”?)"
                   r"(?:(?:和|及|、)(?P<b>“?[^的了\W\d][\u4e00-\u9fff]{0,7}?" + FACILITY + r"”?))?")
#: A home in general, said of what a union is to its members (有了自己的“职工之家”): no facility.
GENERIC = re.compile(r"“?(?:职工|会员|工会|温馨|幸福|暖心|新)?之家”?")
#: Whom an unquoted facility's name says it is for (司机之家, 妈妈小屋); a bare 爱心驿站 names no one.
FOR_WHOM = re.compile(r"司机|骑手|小哥|船员|快递|外卖|环卫|户外|劳动者|妈妈|母婴|女职工|农民工|新业态")
QUOTED = re.compile(r"“(?P<a>[\u4e00-\u9fff]{1,10}?" + FACILITY + r")”")


@family("facility", (), stage=10, examples=[
    ("东台市总工会补贴10万元，在物流园建成司机之家和骑手驿站。",
     {("东台市总工会", "organizes", "司机之家"), ("东台市总工会", "organizes", "骑手驿站")}),
    # negative: a facility whose name says for whom it is not (爱心驿站) is left to the entity finder
    ("东台市总工会在物流园建成爱心驿站。", set()),
    # negative: a home in general is no facility
    ("东台市总工会开展活动，让快递员有了自己的“职工之家”。", set()),
])
def facility(v: SentenceView) -> None:
    """建成/启用/揭牌 X之家/驿站/小屋, or a quoted “X小屋”: the facility is a program."""
    spans = []
    for m in BUILT.finditer(v.text):
        spans += [(m.start(g), m.end(g)) for g in ("a", "b") if m.group(g)]
    spans += [(m.start("a") - 1, m.end("a") + 1) for m in QUOTED.finditer(v.text)]
    for a, b in spans:
        if any(v.s(p) < b and a < v.e(p) for p in v.programs + v.orgs) or GENERIC.fullmatch(v.text, a, b):
            continue  # a program or an organisation the entity finder already named there, or a home in general
        quoted = v.text[a] == "“"
        if quoted or FOR_WHOM.search(v.text, a, b):  # the name without its quotes, as labels are written
            v.propose("Program", a + quoted, b - (v.text[b - 1] == "”"), 0.7, "program:facility")


#: The heads of worker nouns a facility may be named after (司机之家, 骑手驿站, 船员小屋).
WORKER_HEAD = re.compile(r"司机|骑手|小哥|船员|快递员|外卖员|环卫工|货车司机|新就业形态劳动者")


@family("benefits-facility-name", ("benefits",), scope="article", examples=[
    (("东台市总工会关心货车司机。", "东台市总工会在物流园建成司机之家。"),
     {("东台市总工会", "organizes", "司机之家"), ("司机之家", "benefits", "货车司机")}),
])
def benefits_facility_name(a: ArticleView) -> None:
    """A facility named after a kind of worker serves the article's group of that kind."""
    groups = [m for m in a.result.mentions if m.cls == "WorkerGroup"]
    for p in a.state.proposed:
        head = WORKER_HEAD.search(p.key)
        if head is None:
            continue
        named = [g for g in groups if (g.canonical or g.key).endswith(head.group())]
        if named:
            counts = {k: sum(1 for g in named if (g.canonical or g.key) == k) for k in {g.canonical or g.key
                                                                                     for g in named}}
            best = max(named, key=lambda g: counts[g.canonical or g.key])
            a.relate(p, "benefits", best, p.sentence, 0.6, "benefits:facility-name")
