"""Persons: the grammar of :mod:`kg.extract.persons` with the tagger's repairs."""

from __future__ import annotations

from ..persons import find_persons
from .base import Candidate, Scan, finder


@finder("persons", 100, examples=[
    ("哈尔滨市总工会主席林艳秋提出要求。", {("Person", "林艳秋")}),
    ("国网乐山供电公司马天智劳模创新工作室被命名。", {("Person", "马天智")}),
])
def persons(scan: Scan) -> list[Candidate]:
    """Names where the context says a person stands; last, so that names of other kinds are known."""
    taken = [(c.start, c.end) for c in scan.cands if c.cls != "Place" or c.end - c.start > 1]
    return [Candidate("Person", s, e, scan.text[s:e], rule=rule, confidence=conf, priority=1,
                      nested_ok=rule == "person:studio")
            for s, e, rule, conf in find_persons(scan.text, scan.toks, scan.hits, taken, scan.lx, scan.words)]
