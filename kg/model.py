"""The data that flows between the pipeline's stages.

read (:mod:`kg.read.ingest`) → :class:`Document`
segment (:mod:`kg.read.segment`) → :class:`Article` (with :class:`Byline`)
normalize (:mod:`kg.read.normalize`) → :class:`NormText` (with a map back to raw offsets)
sentences (:mod:`kg.read.segment`) → :class:`Sentence`
extract (:mod:`kg.extract`) → :class:`Mention`, :class:`RelationFact`, :class:`PostFact`,
:class:`StatisticFact`
resolve (:mod:`kg.extract.resolve`) → :class:`Entity`
map (:mod:`kg.rdf.mapping`) → RDF quads

Every offset called *raw* points into :attr:`Document.text`, the decoded text of
the source file, so provenance can quote the source exactly.
"""

from __future__ import annotations

import datetime as _dt
from array import array
from dataclasses import dataclass, field

__all__ = [
    "CLASSES",
    "RELATIONS",
    "Article",
    "Byline",
    "Document",
    "Entity",
    "Mention",
    "NormText",
    "PostFact",
    "RelationFact",
    "Repair",
    "Sentence",
    "Span",
    "StatisticFact",
    "Warning_",
]

#: The contract classes of ../shared/ONTOLOGY.md, in a fixed order.
CLASSES: tuple[str, ...] = (
    "TradeUnion",
    "Enterprise",
    "GovernmentBody",
    "OtherOrganization",
    "Person",
    "Program",
    "Place",
    "WorkerGroup",
    "Award",
)

#: The direct relations between entity nodes (ONTOLOGY.md).
RELATIONS: tuple[str, ...] = (
    "locatedIn",
    "partOf",
    "subOrganizationOf",
    "memberOf",
    "organizes",
    "participatesIn",
    "benefits",
    "employedBy",
    "establishedUnion",
    "receivedAward",
)

ORG_CLASSES = frozenset({"TradeUnion", "Enterprise", "GovernmentBody", "OtherOrganization"})


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open range ``[start, end)`` of raw character offsets."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"bad span {self.start}..{self.end}")

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class Warning_:
    """Something the user should know about an input; it did not stop the build."""

    source: str
    message: str


@dataclass(slots=True)
class Document:
    """One input text: a file, one line of a JSONL file, or standard input."""

    id: str  #: content hash (hex), stable across runs and machines
    source: str  #: path as given, ``<stdin>``, or ``file.jsonl#LINE``
    text: str  #: the decoded text (of a web page: its main text), untouched: raw offsets point here
    encoding: str = "utf-8"
    date: _dt.date | None = None  #: publication date when known
    title: str | None = None  #: a title given outside the text (JSONL)
    url: str | None = None
    outlet: str | None = None  #: the newspaper or site (JSONL ``source``)


@dataclass(frozen=True, slots=True)
class Byline:
    """A reporter or correspondent credited in an article (记者刘友婷)."""

    role: str  #: 记者 or 通讯员 (or another credit word)
    name: str
    span: Span  #: raw offsets of the name


@dataclass(slots=True)
class Article:
    """One news article of a document."""

    doc: Document
    index: int  #: 0-based position in the document
    headline: str
    headline_span: Span | None = None
    kickers: list[str] = field(default_factory=list)  #: lines above the headline (引题)
    subheadlines: list[str] = field(default_factory=list)  #: lines below it (副题)
    #: raw spans of the kickers and sub-headlines (and page lines such as a source or a date between
    #: the headline and the body): they name things too
    title_lines: list[Span] = field(default_factory=list)
    #: raw span of the outlet that opens the lead (中工网 in 中工网讯, 新华社 in 新华社北京11月10日电)
    outlet: Span | None = None
    body: list[Span] = field(default_factory=list)  #: raw spans of the body paragraphs, in order
    bylines: list[Byline] = field(default_factory=list)
    dateline_place: str | None = None  #: 北京 in (本报北京11月10日电)
    dateline_date: _dt.date | None = None
    date: _dt.date | None = None  #: the article's date (dateline, document, or --date)
    continuation: bool = False  #: a fragment continued from another page (上接第1版)
    continued_from: int | None = None  #: that page's number
    merged_columns: list[Span] = field(default_factory=list)  #: raw spans that look interleaved


@dataclass(frozen=True, slots=True)
class Repair:
    """One OCR repair: ``before`` at raw ``span`` was read as ``after``."""

    span: Span
    before: str
    after: str
    rule: str


@dataclass(slots=True)
class NormText:
    """Normalised text with a map back to raw offsets.

    ``text`` is the form used for matching (spaces from line breaks dropped,
    full-width ASCII folded, traditional folded to simplified, OCR slips
    repaired).  ``display`` has the same length and the same cleaning except
    the folding of script, so labels keep the script of the source.
    ``offsets[i]`` is the raw offset of ``text[i]``; ``offsets[len(text)]`` is
    the raw end.  A character that stands for several raw ones (a letter and
    its combining marks, composed) has its raw end in ``ends``.  ``offsets``
    is an ``array.array`` of machine integers (4 bytes an offset).
    """

    text: str
    display: str
    offsets: array[int]
    repairs: list[Repair] = field(default_factory=list)
    ends: dict[int, int] = field(default_factory=dict)

    def raw_end(self, i: int) -> int:
        """Raw end of normalised character ``i``."""
        return self.ends.get(i, self.offsets[i] + 1) if self.ends else self.offsets[i] + 1

    def raw_span(self, start: int, end: int) -> Span:
        """Raw span covering normalised ``[start, end)``."""
        if start >= end:
            pos = self.offsets[start]
            return Span(pos, pos)
        return Span(self.offsets[start], self.raw_end(end - 1))


@dataclass(slots=True)
class Sentence:
    """A sentence of an article's normalised body (or its headline)."""

    article: Article
    index: int  #: 0-based within the article; the headline is sentence 0
    start: int  #: offset into the article's NormText
    end: int
    text: str  #: normalised matching text
    display: str  #: normalised text in the source script
    span: Span  #: raw span in the document


@dataclass(slots=True)
class Mention:
    """A typed surface form found in a sentence."""

    cls: str  #: one of CLASSES
    surface: str  #: the text as written (source script, cleaned)
    key: str  #: the matching form (simplified, canonicalised where known)
    sentence: Sentence
    start: int  #: offsets into the article's NormText
    end: int
    confidence: float = 0.9
    rule: str = ""
    #: the canonical name this mention stands for when the rule knows it
    #: (镇安县总 → 镇安县总工会); resolution may still change it
    canonical: str | None = None
    #: free attributes: place division code, parent place, role words, ...
    attrs: dict[str, str] = field(default_factory=dict)
    #: the entity it was resolved to, when a later window of a long article may point back to it
    entity: Entity | None = field(default=None, repr=False, compare=False)

    def display_differs(self) -> bool:
        """True when the source writes this mention in another script (traditional)."""
        return self.surface != self.key


@dataclass(slots=True)
class Entity:
    """One real-world thing: the resolved node for a set of mentions."""

    cls: str
    label: str  #: canonical name, in the script of the source
    key: str  #: identity key used in its IRI (simplified)
    aliases: set[str] = field(default_factory=set)
    mentions: list[Mention] = field(default_factory=list)
    confidence: float = 0.0
    attrs: dict[str, str] = field(default_factory=dict)
    lang: str = "zh"  #: zh or zh-Hant


@dataclass(slots=True)
class RelationFact:
    """``head --rel--> tail`` with its evidence."""

    head: Mention | Entity
    rel: str  #: one of RELATIONS
    tail: Mention | Entity
    sentence: Sentence | None
    confidence: float = 0.8
    rule: str = ""


@dataclass(slots=True)
class PostFact:
    """A person holding a role in an organisation (W3C ORG's Post pattern)."""

    person: Mention | Entity
    org: Mention | Entity
    role: str
    sentence: Sentence | None
    confidence: float = 0.85
    rule: str = ""


@dataclass(slots=True)
class StatisticFact:
    """A figure in the text (会员22353人, 返还经费25249万元)."""

    about: Mention | Entity | None
    measure: str  #: what is counted (会员, 小微企业工会经费)
    value: str  #: decimal in base units, as a string (252490000)
    unit: str  #: 人, 元, 家, 个, 户, 人次 ...
    surface: str  #: the figure as written (25249万元)
    sentence: Sentence
    start: int
    end: int
    approximate: bool = False
    period: str | None = None  #: 2020年以来, 今年, 近6年来
    confidence: float = 0.8
