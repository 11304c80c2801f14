"""Honours: who received which award.

An honour goes to whoever the text says received it, a person or an
organisation, unit or team; a nominee (拟推荐, 候选) is no recipient.
"""

from __future__ import annotations

from .base import SentenceView, family, trigger_re


@family("award-verb", ("receivedAward",), examples=[])
def award_verb(v: SentenceView) -> None:
    """HOLDER 荣获/被授予/获评 AWARD; AWARD获得者 PERSON."""
    trig = trigger_re("award")
    for a in v.awards:
        as_, ae = v.local(a)
        if v.starting_at(ae, v.persons) is not None:
            continue  # an honour as a title before the name (the titles family)
        after = v.text[ae:ae + 3]
        if after.startswith(("获得者", "得主")):
            holder = next((p for p in v.persons if v.s(p) >= ae), None)
            if holder is not None:
                v.relate(holder, "receivedAward", a, 0.75, "award:holder")
            continue
        before = v.text[:as_][-12:]
        hits = list(trig.finditer(before))
        if not hits:
            continue
        m = hits[-1]
        at = as_ - len(before) + m.start()
        cands = [x for x in v.persons + v.top_orgs if v.e(x) <= at]
        if cands:
            v.relate(max(cands, key=lambda x: x.end), "receivedAward", a, 0.7, f"award:{m.group()}")
