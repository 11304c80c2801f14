"""The registry of trigger families and what a family sees of a sentence.

A *family* is one construction of news Chinese that states a relation
(titles before a name, 由甲主办的P, 荣获…称号 …).  It is a function over a
:class:`SentenceView` (or, for facts that need the whole article, an
:class:`ArticleView`) registered with :func:`family`, together with the
sentences that show it at work: each example is a test row, so adding a
phenomenon adds one entry and its rows and edits nothing else.

A view holds every typed mention of the sentence; a family looks at the
words, punctuation and structure between and around two of them and, when
the evidence is there, records a statement with :meth:`SentenceView.relate`
or a post with :meth:`SentenceView.post`, with the confidence of its rule.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from ...model import ORG_CLASSES, Mention, PostFact, RelationFact, Sentence
from ..lexicon import Lexicon

__all__ = ["FAMILIES", "ArticleState", "ArticleView", "Example", "Family", "SentenceView", "family", "most_named",
           "trigger_re", "triggers"]

#: An example row: the sentences of a small article and every relation it must give
#: (posts as ``(person, "holds:ROLE", org)``; locatedIn and partOf are left out).
Example = tuple[str | tuple[str, ...], set[tuple[str, str, str]]]

#: Characters that end a clause inside a sentence.
CLAUSE_END = "，,；;。！？!?：:"
#: What may stand before a program's name without being part of its mention: a place, a year, an ordinal.
NAME_PREFIX = re.compile(r"[“\"]?(?:[\u4e00-\u9fff]{1,8}?(?:省|市|区|县|州|镇|街道))?(?:\d{4}年度?)?"
                         r"(?:首届|第[一二三四五六七八九十百\d]+届|第[一二三四五六七八九十百\d]+次)?")
#: Characters that end a sentence-level unit (a clause list goes on across commas).
SENTENCE_END = "；;。！？!?"


@dataclass(frozen=True)
class Family:
    """One construction and the relations it states."""

    name: str
    relations: tuple[str, ...]
    run: Callable[[Any], None]
    scope: str  #: "sentence" or "article"
    examples: tuple[Example, ...]
    doc: str
    #: when it runs among the families of its scope: lower first (what others read, such as the
    #: clause's subject or a program proposed from the sentence, comes early)
    stage: int = 50


#: Every registered family, in the order they run (by stage, then as registered).
FAMILIES: list[Family] = []


def family(name: str, relations: Iterable[str], *, examples: Iterable[Example] = (), scope: str = "sentence",
           stage: int = 50) -> Callable[[Callable[[Any], None]], Callable[[Any], None]]:
    """Register the decorated function as the family ``name``."""

    def register(fn: Callable[[Any], None]) -> Callable[[Any], None]:
        if any(f.name == name for f in FAMILIES):
            raise ValueError(f"two relation families named {name}")
        FAMILIES.append(Family(name, tuple(relations), fn, scope, tuple(examples), (fn.__doc__ or "").strip(), stage))
        FAMILIES.sort(key=lambda f: f.stage)  # stable: registration order within a stage
        return fn

    return register


@functools.lru_cache(maxsize=1)
def _trigger_table() -> dict[str, tuple[str, ...]]:
    text = resources.files("kg").joinpath("data", "triggers.tsv").read_text("utf-8")
    table: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, words = line.split("\t")[:2]
        table.setdefault(kind, []).extend(w for w in words.split() if w)
    # longest first, so an alternation prefers 被授予 to 授予
    return {k: tuple(sorted(set(v), key=lambda w: (-len(w), w))) for k, v in table.items()}


def triggers(kind: str) -> tuple[str, ...]:
    """The trigger words of ``kind`` in kg/data/triggers.tsv, longest first."""
    return _trigger_table()[kind]


@functools.cache
def trigger_re(kind: str) -> re.Pattern[str]:
    """An alternation of the trigger words of ``kind``."""
    return re.compile("|".join(re.escape(w) for w in triggers(kind)))


@dataclass
class ArticleState:
    """What the article has established so far."""

    lexicon: Lexicon
    #: the programs of the last sentence that named one (what 此次/该活动 refers to)
    last_programs: list[Mention] = field(default_factory=list)
    #: every program the article named, in order
    programs: list[Mention] = field(default_factory=list)
    unions: list[Mention] = field(default_factory=list)
    #: the organisation that acted last as a clause's subject
    last_subject: Mention | None = None
    #: the organisations that acted with it (甲联合乙…): they act with it in a sentence that names neither
    last_partners: list[Mention] = field(default_factory=list)
    #: who 加入工会, where, and the union named before it in the sentence (else the article's)
    joiners: list[tuple[Mention, Sentence, Mention | None]] = field(default_factory=list)
    #: worker groups named as members of a union the sentence does not name: (group, sentence)
    members: list[tuple[Mention, Sentence]] = field(default_factory=list)
    #: mentions the families proposed (a facility named as what a union built): the article adds them
    proposed: list[Mention] = field(default_factory=list)

    def main_union(self) -> Mention | None:
        """The union the article is most about (most mentions, first named on a tie)."""
        return most_named(self.unions)

    def main_program(self) -> Mention | None:
        """The program the article is most about (most mentions, first named on a tie)."""
        return most_named(self.programs)


def most_named(ms: list[Mention]) -> Mention | None:
    """The mention whose name comes most often; the first named wins a tie (linear in the mentions)."""
    counts: dict[str, int] = {}
    for m in ms:
        counts[m.canonical or m.key] = counts.get(m.canonical or m.key, 0) + 1
    best, most = None, 0
    for m in ms:
        if counts[m.canonical or m.key] > most:
            best, most = m, counts[m.canonical or m.key]
    return best


def _outermost(ms: list[Mention]) -> list[Mention]:
    """The mentions not inside a longer one."""
    return [m for m in ms if not any(o is not m and o.start <= m.start and m.end <= o.end
                                     and (o.end - o.start) > (m.end - m.start) for o in ms)]


class SentenceView:
    """One sentence, its mentions by class, and the statements found in it."""

    def __init__(self, sent: Sentence, mentions: list[Mention], state: ArticleState) -> None:
        self.sent = sent
        self.text = sent.text
        self.base = sent.start
        self.state = state
        self.lx = state.lexicon
        self.ms = sorted(mentions, key=lambda m: (m.start, -m.end))
        self.orgs = [m for m in self.ms if m.cls in ORG_CLASSES]
        self.top_orgs = _outermost(self.orgs)
        self.programs = [m for m in self.ms if m.cls == "Program"]
        self.groups = [m for m in self.ms if m.cls == "WorkerGroup"]
        self.persons = [m for m in self.ms if m.cls == "Person"]
        self.awards = [m for m in self.ms if m.cls == "Award"]
        self.rels: list[RelationFact] = []
        self.posts: list[PostFact] = []
        #: the organisation acting as the sentence's subject and those acting with it (the subject family)
        self.subject: Mention | None = None
        self.partners: list[Mention] = []

    # -- positions --------------------------------------------------------
    def local(self, m: Mention) -> tuple[int, int]:
        """Offsets of ``m`` in :attr:`text`."""
        return m.start - self.base, m.end - self.base

    def s(self, m: Mention) -> int:
        return m.start - self.base

    def e(self, m: Mention) -> int:
        return m.end - self.base

    def between(self, a: Mention, b: Mention) -> str:
        """The text from the end of the earlier mention to the start of the later one."""
        first, second = (a, b) if a.start <= b.start else (b, a)
        return self.text[self.e(first):self.s(second)] if first.end <= second.start else ""

    def ending_at(self, pos: int, among: list[Mention]) -> Mention | None:
        """The longest mention of ``among`` that ends at local ``pos``."""
        hits = [m for m in among if self.e(m) == pos]
        return min(hits, key=lambda m: m.start) if hits else None

    def starting_at(self, pos: int, among: list[Mention]) -> Mention | None:
        """The longest mention of ``among`` that starts at local ``pos``."""
        hits = [m for m in among if self.s(m) == pos]
        return max(hits, key=lambda m: m.end) if hits else None

    def inside(self, a: int, b: int, among: list[Mention]) -> list[Mention]:
        """The mentions of ``among`` that lie within local ``[a, b)``."""
        return [m for m in among if a <= self.s(m) and self.e(m) <= b]

    def program_after(self, pos: int) -> Mention | None:
        """The program whose name begins at local ``pos``, perhaps after the place, year or ordinal that
        the entity finder left out of it (的|拉萨市首届“工匠杯”…大赛)."""
        for p in self.programs:
            gap = self.text[pos:self.s(p)]
            if self.s(p) >= pos and (not gap or NAME_PREFIX.fullmatch(gap)):
                return p
        return None

    def clause_start(self, pos: int, ends: str = CLAUSE_END) -> int:
        """Where the clause holding local ``pos`` starts."""
        k = max(self.text.rfind(c, 0, pos) for c in ends)
        return k + 1

    def clause_end(self, pos: int, ends: str = CLAUSE_END) -> int:
        """Where the clause holding local ``pos`` ends."""
        hits = [k for k in (self.text.find(c, pos) for c in ends) if k >= 0]
        return min(hits) if hits else len(self.text)

    # -- statements ----------------------------------------------------------
    def relate(self, head: Mention, rel: str, tail: Mention, conf: float, rule: str) -> None:
        """Record ``head --rel--> tail`` with this sentence as evidence."""
        self.rels.append(RelationFact(head, rel, tail, self.sent, conf, rule))

    def post(self, person: Mention, org: Mention, role: str, conf: float, rule: str) -> None:
        """Record that ``person`` holds ``role`` in ``org``."""
        self.posts.append(PostFact(person, org, role, self.sent, conf, rule))

    def propose(self, cls: str, start: int, end: int, conf: float, rule: str) -> Mention:
        """A mention of ``cls`` at local ``[start, end)`` that the entity finder left out."""
        m = Mention(cls, self.sent.display[start:end], self.text[start:end], self.sent, self.base + start,
                    self.base + end, conf, rule)
        self.state.proposed.append(m)
        self.ms = sorted([*self.ms, m], key=lambda x: (x.start, -x.end))
        self.programs = [x for x in self.ms if x.cls == "Program"]
        self.persons = [x for x in self.ms if x.cls == "Person"]
        return m

    def pairs(self, heads: Iterable[Mention], tails: Iterable[Mention]) -> Iterator[tuple[Mention, Mention, str]]:
        """Every (head, tail) candidate with the text between them."""
        tails = list(tails)
        for h in heads:
            for t in tails:
                if h is not t:
                    yield h, t, self.between(h, t)


@dataclass
class ArticleView:
    """The whole article after its sentences: facts that need more than one sentence."""

    result: Any  #: the article's :class:`~kg.extract.ArticleResult`
    state: ArticleState
    rels: list[RelationFact] = field(default_factory=list)
    posts: list[PostFact] = field(default_factory=list)

    def relate(self, head: Mention, rel: str, tail: Mention, sent: Sentence | None, conf: float, rule: str) -> None:
        self.rels.append(RelationFact(head, rel, tail, sent, conf, rule))

    def post(self, person: Mention, org: Mention, role: str, sent: Sentence | None, conf: float, rule: str) -> None:
        self.posts.append(PostFact(person, org, role, sent, conf, rule))
