"""Choosing among crossing candidates, and a user's rules over all of them."""

from __future__ import annotations

from ..lexicon import Lexicon
from .base import FULL_NAME_ENDS, ORGS, Candidate
from .orgs import STATIONED


def user_rules(chosen: list[Candidate], lx: Lexicon) -> list[Candidate]:
    """A user's rules have the last word: dropped names go, named ones keep their class."""
    if not lx.forced and not lx.dropped:
        return chosen
    out = []
    for c in chosen:
        if c.surface in lx.dropped or (c.canonical or "") in lx.dropped:
            continue
        forced = lx.forced.get(c.surface)
        if forced is not None and forced[1] != c.cls:
            c.cls, c.canonical, c.rule = forced[1], forced[0], "rules:forced"
        out.append(c)
    return out


def resolve_overlaps(cands: list[Candidate]) -> list[Candidate]:
    """Keep the best of crossing candidates; nested ones may stay inside longer names."""
    order = sorted(cands, key=lambda c: (-(c.end - c.start), -c.priority, -c.confidence, c.start, c.cls))
    chosen: list[Candidate] = []
    for c in order:
        ok = True
        for k in chosen:
            if c.end <= k.start or k.end <= c.start:
                continue
            if (c.start, c.end) == (k.start, k.end):
                if {c.cls, k.cls} == {"Place", "TradeUnion"} and "org:coordination" in (c.rule, k.rule):
                    continue  # 宜昌市 in 宜昌市及猇亭区总工会 is a place and names a union
                ok = False  # same span: first (higher priority) wins
                break
            inside = k.start <= c.start and c.end <= k.end
            if inside and c.cls in ORGS and k.cls in ORGS and "驻" in k.surface[c.end - k.start:] and \
                    k.rule.startswith("org:suffix") and k.surface.endswith(tuple(STATIONED)):
                ok = False  # 中央纪委国家监委 in …驻全总机关纪检监察组 names the stationed group's sender
                break
            if inside and c.cls == "GovernmentBody" and k.cls == "GovernmentBody" and c.rule.startswith("org:suffix"):
                ok = False  # 北戴河区委 in 北戴河区委社会工作部: the office, not the committee, is named
                break
            if inside and c.cls == "Program" and k.cls == "Program":
                ok = False  # 夏送清凉 in “夏送清凉”专项行动: the one program, named in full
                break
            if inside and c.cls == "WorkerGroup" and (k.cls in ORGS or k.cls == "Award"):
                ok = False  # 海员 in 中国海员建设工会, 劳动模范 in 全国劳动模范: part of a name
                break
            if inside and c.nested_ok and not (c.end == k.end and c.cls == k.cls) and \
                    not (c.rule == "org:lexicon" and k.cls in ORGS and not c.surface.endswith(FULL_NAME_ENDS)):
                continue
            ok = False
            break
        if ok:
            chosen.append(c)
    # a chain of units keeps its parent and its full name, not the levels between
    # (中国航天科技集团有限公司 / …第五研究院 / …第五研究院529厂)
    orgs = [c for c in chosen if c.cls in ORGS and c.rule.startswith("org:suffix")]
    drop = set()
    for c in orgs:
        same = [o for o in chosen if o.cls in ORGS and o.start == c.start and o is not c]
        # …有限公司 under its union (…有限公司工会委员会) is the union's owner, not a level between
        longer = [o for o in same if o.end > c.end and not (o.cls == "TradeUnion" != c.cls)]
        if any(o.end < c.end for o in same) and longer:
            drop.add(id(c))
    chosen = [c for c in chosen if id(c) not in drop]
    chosen.sort(key=lambda c: (c.start, -c.end))
    return chosen
