"""Names of general news that no rule of the grammar covers: the learned tagger's proposals."""

from __future__ import annotations

from ..general import general_candidates
from .base import Candidate, Scan, finder


@finder("general", 110, examples=[
    ("印度外交部发言人巴格奇周四表示，双方会谈取得了进展。", {("GovernmentBody", "印度外交部"), ("Person", "巴格奇")}),
])
def general(scan: Scan) -> list[Candidate]:
    """Last: the model reviews the persons only the word tagger proposed and fills the grammar's gaps."""
    drop, extra = general_candidates(scan.text, scan.words,
                                     [(c.start, c.end, c.cls, c.rule) for c in scan.cands], scan.lx,
                                     [(t.start, t.end) for t in scan.toks])
    if drop:
        scan.cands[:] = [c for k, c in enumerate(scan.cands) if k not in drop]
    return [Candidate(cls, s, e, scan.text[s:e], rule=rule, confidence=conf) for s, e, cls, conf, rule in extra]
