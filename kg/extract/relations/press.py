"""Reporters and correspondents: a post at the outlet the article comes from.

A credit (记者刘友婷, 通讯员焦慧茹, 记者 张锋锋 摄) names a person and a role;
the outlet is the one named before the role (河北工人报记者朱润胜: the titles
family), else the one the article names as its source: the lead (中工网讯,
新华社北京12月21日电), a source line (来源：湛江日报), the paper's name in the
head lines (《工人日报》(2016年05月12日 06版)), or the paper whose reporter the
text quotes (重庆日报记者从市总工会获悉) when it says 本报.
"""

from __future__ import annotations

import re

from ...model import Mention
from .base import ArticleView, family
from .titles import role_before

#: The name of a news outlet (工人日报, 中工网, 新华社, 宜都融媒, 大众网, 柳州日报).
OUTLET = re.compile(r"(?:报|网|社|台|融媒|客户端|新闻|杂志|周刊|频道)$")
#: Words that mark an outlet as the article's source, by how sure they are.
SOURCE_BEFORE = re.compile(r"(?:来源|來源|稿源|出处|转自|发布单位)\s*[:：]?\s*$")
LEAD_AFTER = re.compile(r"^\s*(?:[\u4e00-\u9fff]{0,6}\d{0,2}月?\d{0,2}日?)?\s*(?:讯|電|电|消息)")
REPORTER_AFTER = re.compile(r"^(?:首席|特约|本报)?(?:记者|記者)")
#: A credit line naming the author: 作者：苏羽.
AUTHOR = re.compile(r"^\s*(?:作者|文|撰稿|供稿)\s*[:：]\s*$")
#: How many sentences from the top count as the head lines of an article.
HEAD_SENTENCES = 3


def _outlets(a: ArticleView) -> list[Mention]:
    return [m for m in a.result.mentions if m.cls == "OtherOrganization" and m.sentence.index >= 0
            and OUTLET.search(m.canonical or m.key)]


def article_outlet(a: ArticleView) -> tuple[Mention, float] | None:
    """The outlet the article says it comes from, with how sure that is."""
    found: list[tuple[int, int, Mention, float]] = []
    for m in _outlets(a):
        s = m.sentence
        before = s.text[:m.start - s.start]
        after = s.text[m.end - s.start:]
        if SOURCE_BEFORE.search(before):
            found.append((0, m.start, m, 0.9))
        elif LEAD_AFTER.match(after) and not before.strip("《》 "):
            found.append((1, m.start, m, 0.9))
        elif s.index < HEAD_SENTENCES and not before.strip("《》 "):
            found.append((2, m.start, m, 0.85))
        elif (r := REPORTER_AFTER.match(after)) is not None:
            if _co_credit(a, m, r.end()):
                continue  # 新华社记者林红梅、本报记者…: a reporter of another outlet writing with the paper's own
            found.append((3, m.start, m, 0.8))
        else:  # named anywhere else, a page footer for one (…聊城日报content_38352.html)
            found.append((4, m.start, m, 0.7))
    doc = a.result.article.doc.id
    if not found:
        # an article cut from a page whose head named the outlet (a lead-in article before it)
        return _LAST[1] if _LAST is not None and _LAST[0] == doc else None
    _, _, m, conf = min(found, key=lambda x: (x[0], x[1]))
    if found and min(x[0] for x in found) <= 2:
        _remember(doc, (m, conf))
    return m, conf


def _co_credit(a: ArticleView, outlet: Mention, width: int) -> bool:
    """Whether ``outlet`` credits a reporter beside one of the paper's own (新华社记者林红梅、本报记者冉永平).

    Such an outlet is a partner of the article, not its source; a credit of
    the paper itself ((河北工人报记者朱润胜 通讯员马佳俊)) does not say 本报.
    """
    at = outlet.end + width
    return "本报" in outlet.sentence.text and any(
        p.cls == "Person" and p.sentence is outlet.sentence and at <= p.start <= at + 1 for p in a.result.mentions)


#: The outlet the latest article of the document named in its head, for the articles after it.
_LAST: tuple[str, tuple[Mention, float]] | None = None


def _remember(doc: str, outlet: tuple[Mention, float]) -> None:
    global _LAST
    _LAST = (doc, outlet)


def _credits(a: ArticleView) -> list[tuple[Mention, str]]:
    """Every credited person with the role: byline credits and 记者/通讯员 before a name in a sentence."""
    out = []
    lx = a.state.lexicon
    for m in a.result.mentions:
        if m.cls != "Person":
            continue
        if m.attrs.get("byline"):
            out.append((m, m.attrs["byline"]))
            continue
        at = m.start - m.sentence.start
        author = AUTHOR.search(m.sentence.text, 0, at)
        if author is not None:  # 作者：苏羽
            out.append((m, "作者"))
            continue
        r = role_before(m.sentence.text, at, lx)
        if r is None or r[2] != "press":
            continue
        named = any(o.sentence is m.sentence and o.cls == "OtherOrganization" and o.end - m.sentence.start == r[0]
                    for o in a.result.mentions)
        if not named:  # 河北工人报记者朱润胜 is the titles family's
            out.append((m, r[1]))
    return out


@family("press-credit", ("holdsPost",), scope="article", examples=[
    (("本报讯（记者李明 通讯员王芳）日前，南京市总工会举办培训。", "来源：江海日报"),
     {("李明", "holds:记者", "江海日报"), ("王芳", "holds:通讯员", "江海日报")}),
    (("中工网讯（记者李明）日前，南京市总工会举办培训。",), {("李明", "holds:记者", "中工网")}),
    (("作者：李明；", "来源：中工网；", "南京市总工会日前举办培训。"), {("李明", "holds:作者", "中工网")}),
    (("本报南京5月8日讯 新华社记者王立新、本报记者陈晓东报道：南京市总工会日前举办培训。",),
     {("王立新", "holds:记者", "新华社")}),
    (("（江海工人报记者王立新 通讯员陈晓东）南京市总工会日前举办培训。",),
     {("王立新", "holds:记者", "江海工人报"), ("陈晓东", "holds:通讯员", "江海工人报")}),
])
def press_credit(a: ArticleView) -> None:
    """记者/通讯员 PERSON: a post at the article's outlet."""
    found = article_outlet(a)
    if found is None:
        return
    outlet, conf = found
    for p, role in _credits(a):
        a.post(p, outlet, role, p.sentence, conf, "post:press")
