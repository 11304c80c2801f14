"""Map the extraction of one document to RDF quads (see ontology/README.md).

Facts go to the default graph.  Each statement is also put in a named graph
of its own evidence (one per sentence and statement), described in the
default graph by ``prov:wasDerivedFrom`` its sentence and a confidence.
Terms are pyoxigraph terms, so quads go straight into the store.

A document's quads can be passed on in batches as they are made (``sink``),
so that a document of millions of characters never holds all its quads at
once.  Each quad is still made once: only facts about things several
statements share (entities, posts, articles) are remembered to keep them
from repeating; the quads of a sentence, of an evidence graph or of a
figure belong to it alone and are made once by construction (a sentence
and an evidence graph are remembered by a small key, a figure's facts only
while its sentence's figures are mapped).
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from ..extract import ArticleResult
from ..extract.lexicon import Lexicon
from ..extract.resolve import DocumentEntities
from ..model import Article, Document, Entity, Mention, Sentence
from .namespace import BASE, OA, PREFIXES, PROV

__all__ = ["CHUNK_QUADS", "DocumentMapper", "entity_iri", "iri_escape"]

#: Quads a mapper with a sink holds before passing them on.
CHUNK_QUADS = 50_000

GH_NS = PREFIXES["gh"]
RDF_TYPE = PREFIXES["rdf"] + "type"
RDFS_LABEL = PREFIXES["rdfs"] + "label"
SKOS_ALT = PREFIXES["skos"] + "altLabel"
#: A name that is only a level and a kind of body (市总工会, 县人社局, 区委): the article's, not a label.
_GENERIC = re.compile(r"^(?:省|市|县|区|州|旗|镇|乡|自治区|自治州|本市|本省|全国)"
                      r"(?:总工会|总|工会|人社局|人社厅|委|政府|人大|人大常委会|政协|人民政府|"
                      r"总工会[^\s]{0,8}(?:部|委员会|中心))$")


def clean_label(name: str) -> str:
    """A name as a label: no book-title marks, line breaks or runs of spaces.

    >>> clean_label("《工会法》\n实施办法")
    '工会法实施办法'
    """
    return " ".join(name.replace("《", "").replace("》", "").split()) if name else name


def generic_alias(name: str) -> bool:
    """A bare level and a kind of body, which names a different body in every article.

    >>> generic_alias("市总工会"), generic_alias("县总"), generic_alias("镇安县总工会")
    (True, True, False)
    """
    return bool(_GENERIC.match(name))
XSD = PREFIXES["xsd"]
DEPARTMENTS = ("女职工委员会", "经费审查委员会", "基层工作部", "组织部", "宣传教育部", "权益保障部")
_SAFE = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@")


def iri_escape(s: str) -> str:
    """Percent-encode what an IRI may not hold; keep CJK and other Unicode letters (RDF 1.1 IRIs)."""
    out = []
    for ch in s:
        if ord(ch) < 128:
            out.append(ch if ch in _SAFE else f"%{ord(ch):02X}")
        elif ch.isspace() or ch in "\u200b\ufeff":
            out.append("_")
        else:
            out.append(ch)
    return "".join(out)


def entity_iri(cls: str, key: str) -> str:
    return f"{BASE}id/{cls}/{iri_escape(key)}"


def _h(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


class DocumentMapper:
    """Collects the quads of one document.

    Without a ``sink``, :attr:`quads` ends up holding them all, in order.
    With one, every ``chunk`` quads are passed to ``sink`` (a list, in
    order) and let go; :meth:`flush` passes the rest.  Either way the
    sequence of quads is the same, each quad once.
    """

    def __init__(self, doc: Document, lx: Lexicon, *, min_confidence: float = 0.0,
                 sink: Callable[[list[Any]], None] | None = None, chunk: int = CHUNK_QUADS) -> None:
        import pyoxigraph as ox

        self.ox = ox
        self.doc = doc
        self.lx = lx
        self.min_conf = min_confidence
        self.quads: list[Any] = []  #: quads not passed to the sink yet
        self.sink = sink
        self.chunk = max(1, chunk)
        self.passed = 0  #: quads passed to the sink
        self._facts: set[Any] = set()  # default-graph quads about shared things, which several statements repeat
        self.digests = False  #: remember those by a digest (see :meth:`add`)
        self._figure: tuple[Any, set[Any]] = (None, set())  # the sentence whose figures are mapped, their facts
        self._sentences: set[tuple[int, int]] = set()  # (article, sentence) of the sentences described
        self._evidence: set[int] = set()  # the hashes of the evidence graphs made
        self.counts: dict[str, int] = defaultdict(int)
        self.entity_keys: list[tuple[str, str]] = []
        self.conflicts: list[str] = []
        self._nodes: dict[str, Any] = {}
        self._articles: set[int] = set()  # articles described
        self._parts: set[str] = set()  # places whose partOf is said
        self._located_done: set[tuple[str, str]] = set()  # (organisation, place) located

    # -- terms ------------------------------------------------------------
    def n(self, iri: str) -> Any:
        node = self._nodes.get(iri)
        if node is None:  # a document names the same nodes many times; build each term once
            node = self._nodes[iri] = self.ox.NamedNode(iri)
        return node

    def gh(self, local: str) -> Any:
        return self.n(GH_NS + local)

    def lit(self, value: str, lang: str | None = None, dt: str | None = None) -> Any:
        if lang:
            return self.ox.Literal(value, language=lang)
        if dt:
            return self.ox.Literal(value, datatype=self.n(XSD + dt))
        return self.ox.Literal(value)

    def dec(self, x: float | str) -> Any:
        """An xsd:decimal in the canonical form the store keeps (1, 0.8, 12.75), so graph.ttl says the same."""
        s = x if isinstance(x, str) else f"{x:.2f}"
        if "." in s:
            s = s.rstrip("0").rstrip(".") or "0"
        return self.lit(s, dt="decimal")

    @property
    def total(self) -> int:
        """Quads made so far."""
        return self.passed + len(self.quads)

    def add(self, s: Any, p: Any, o: Any, g: Any = None, seen: set[Any] | None = None) -> None:
        """A quad, unless it is in ``seen`` (default: the facts about shared things) already.

        With :attr:`digests` the facts are remembered by a 128-bit digest of
        their N-Quads form (about 90 bytes each, against some 500 for the quad
        itself), for a document too long to remember its facts as they are.
        """
        q = self.ox.Quad(s, p, o, g) if g is not None else self.ox.Quad(s, p, o)
        key: Any = q
        if seen is None:
            seen = self._facts
            if self.digests:
                key = hashlib.blake2b(str(q).encode("utf-8"), digest_size=16).digest()
        if key not in seen:
            seen.add(key)
            self._put(q)

    def _put(self, q: Any) -> None:
        """A quad that is made once by construction."""
        self.quads.append(q)
        if self.sink is not None and len(self.quads) >= self.chunk:
            self.flush()

    def _once(self, s: Any, p: Any, o: Any, g: Any = None) -> None:
        self._put(self.ox.Quad(s, p, o, g) if g is not None else self.ox.Quad(s, p, o))

    def flush(self) -> None:
        """Pass the quads made since the last flush to the sink (without a sink: keep them)."""
        if self.sink is None or not self.quads:
            return
        quads, self.quads = self.quads, []
        self.passed += len(quads)
        self._nodes.clear()  # terms of sentences and evidence already passed on are not named again
        self.sink(quads)

    # -- provenance -------------------------------------------------------------
    def article_iri(self, art: Article) -> str:
        return f"{BASE}id/Article/{self.doc.id}-{art.index}"

    def sentence_iri(self, sent: Sentence) -> str:
        a = self.article_iri(sent.article)
        return f"{a}-s{sent.index}" if sent.index >= 0 else f"{a}-b{-1 - sent.index}"

    def sentence(self, sent: Sentence, repairs: Iterable[Any] = ()) -> Any:
        iri = self.sentence_iri(sent)
        node = self.n(iri)
        key = (sent.article.index, sent.index)  # the IRI's own parts: one sentence, one key
        if key in self._sentences:
            return node
        self._sentences.add(key)
        self._once(node, self.n(RDF_TYPE), self.gh("Sentence"))
        self._once(node, self.gh("inArticle"), self.n(self.article_iri(sent.article)))
        self._once(node, self.gh("sentenceIndex"), self.lit(str(sent.index), dt="integer"))
        self._once(node, self.gh("text"), self.lit(sent.display, lang="zh"))
        pos, quote = self.n(iri + "-pos"), self.n(iri + "-quote")
        self._once(node, self.n(str(OA) + "hasSelector"), pos)
        self._once(node, self.n(str(OA) + "hasSelector"), quote)
        self._once(pos, self.n(RDF_TYPE), self.n(str(OA) + "TextPositionSelector"))
        self._once(pos, self.n(str(OA) + "start"), self.lit(str(sent.span.start), dt="nonNegativeInteger"))
        self._once(pos, self.n(str(OA) + "end"), self.lit(str(sent.span.end), dt="nonNegativeInteger"))
        self._once(quote, self.n(RDF_TYPE), self.n(str(OA) + "TextQuoteSelector"))
        self._once(quote, self.n(str(OA) + "exact"), self.lit(self.doc.text[sent.span.start:sent.span.end]))
        reps = repairs if isinstance(repairs, list) else list(repairs)  # in order of their start
        i = bisect.bisect_left(reps, sent.span.start, key=lambda r: r.span.start)
        seen: set[Any] = set()  # two repairs of one kind in a sentence are said once
        while i < len(reps) and reps[i].span.start < sent.span.end:
            self.add(node, self.gh("repair"), self.lit(f"{reps[i].before}→{reps[i].after}"), seen=seen)
            i += 1
        return node

    def evidence(self, sent: Sentence | None, triples: list[tuple[Any, Any, Any]], conf: float, rule: str,
                 repairs: Iterable[Any] = (), scoped: list[tuple[Any, Any, Any]] = (),
                 facts: set[Any] | None = None) -> None:
        """Record that ``sent`` supports ``triples`` (also added as facts, unless in ``facts`` already).

        ``scoped`` triples hold only inside the sentence's evidence graph (an
        alias that is a bare level, 市总工会, says nothing outside its article).
        """
        if conf < self.min_conf:
            return
        for t in triples:
            self.add(*t, seen=facts)
        if sent is None:
            return
        s_node = self.sentence(sent, repairs)
        digest = _h(self.sentence_iri(sent), *(str(x) for t in triples for x in t))
        ev = self.n(f"{BASE}id/Evidence/{digest}")
        key = int(digest, 16)
        if key in self._evidence:  # the same sentence and triples: the same graph, made already
            for t in scoped:
                self.add(*t, ev)
            return
        self._evidence.add(key)
        for t in dict.fromkeys((*triples, *scoped)):
            self._once(*t, ev)
        self._once(ev, self.n(RDF_TYPE), self.gh("Evidence"))
        self._once(ev, self.n(str(PROV) + "wasDerivedFrom"), s_node)
        self._once(ev, self.gh("confidence"), self.dec(conf))
        if rule:
            self._once(ev, self.gh("rule"), self.lit(rule))

    # -- the document --------------------------------------------------------
    def map_document(self, results: list[ArticleResult], ents: DocumentEntities) -> None:
        for r in results:
            self._article(r)
        kept: dict[int, Entity] = {}
        for (_cls, _key), e in sorted(ents.entities.items()):
            if e.confidence >= self.min_conf:
                kept[id(e)] = e
                self.entity(e)
        self._statements(results, ents, kept)

    def map_window(self, results: list[ArticleResult], ents: DocumentEntities, known: dict[Any, Entity]) -> None:
        """The statements of one window of a long document (see :class:`kg.extract.resolve.Resolver`).

        ``known`` are the entities of the document so far, which a window's
        statements may name too; their own facts wait for :meth:`entity`, once
        the whole document has been read (an article starts with its first window).
        """
        for r in results:
            if r.article.index not in self._articles:
                self._article(r)
        kept = {id(e): e for e in known.values() if e.confidence >= self.min_conf}
        kept.update((id(e), e) for e in ents.entities.values() if e.confidence >= self.min_conf)
        self._statements(results, ents, kept)

    def entity(self, e: Entity) -> None:
        """An entity's own facts: class, label, aliases, confidence, division code."""
        node = self.n(entity_iri(e.cls, e.key))
        self.entity_keys.append((e.cls, e.key))
        self.add(node, self.n(RDF_TYPE), self.gh(e.cls))
        label = clean_label(e.label)
        self.add(node, self.n(RDFS_LABEL), self.lit(label, lang=e.lang))
        for alias in sorted({clean_label(a) for a in e.aliases} - {label}):
            if not generic_alias(alias):
                self.add(node, self.n(SKOS_ALT), self.lit(alias, lang=e.lang))
        self.add(node, self.gh("confidence"), self.dec(e.confidence))
        if "code" in e.attrs:
            self.add(node, self.gh("divisionCode"), self.lit(e.attrs["code"]))
        self.counts[e.cls] += 1

    def _statements(self, results: list[ArticleResult], ents: DocumentEntities, kept: dict[int, Entity]) -> None:
        """Everything but the entities' own facts: mentions, places, relations, posts, figures, bylines."""
        mentions: dict[int, tuple[Sentence, list[tuple[Any, Any, Any]]]] = {}
        local: dict[int, set[tuple[Any, Any, Any]]] = {}
        for (cls, key), e in sorted(ents.entities.items()):
            if id(e) not in kept:
                continue
            node = self.n(entity_iri(cls, key))
            label = clean_label(e.label)
            for m in e.mentions:
                if m.confidence >= self.min_conf:
                    mentions.setdefault(id(m.sentence), (m.sentence, []))[1].append(
                        (node, self.gh("mentionedIn"), self.n(self.article_iri(m.sentence.article))))
                    if generic_alias(clean_label(m.surface)) and clean_label(m.surface) != label:
                        # 市总工会 names 哈尔滨市总工会 in this article only: the alias stays in the
                        # evidence of the sentence that uses it, never a label of the node
                        local.setdefault(id(m.sentence), set()).add(
                            (node, self.n(SKOS_ALT), self.lit(clean_label(m.surface), lang=e.lang)))
        # one evidence graph per sentence for the entities it mentions (their confidence is on the node)
        repairs_of = {id(r.article): r.norm.repairs for r in results}
        for sent, triples in mentions.values():
            self.evidence(sent, sorted(set(triples), key=str), 1.0, "mention", repairs_of.get(id(sent.article), []),
                          scoped=sorted(local.get(id(sent), ()), key=str))
        self._places(ents, kept)
        self._located(results, ents, kept)
        for r in results:
            repairs = r.norm.repairs
            for rel in r.relations:
                self._relation(rel, ents, kept, repairs, r)
            for p in r.posts:
                self._post(p, ents, kept, repairs)
            for st in r.stats:
                self._statistic(st, ents, kept, repairs)
            self._bylines(r, ents, kept)

    def _article(self, r: ArticleResult) -> None:
        art = r.article
        self._articles.add(art.index)
        node = self.n(self.article_iri(art))
        self.add(node, self.n(RDF_TYPE), self.gh("Article"))
        if art.headline:
            self.add(node, self.gh("headline"), self.lit(art.headline, lang="zh"))
        for k in art.kickers:
            self.add(node, self.gh("kicker"), self.lit(k, lang="zh"))
        for k in art.subheadlines:
            self.add(node, self.gh("subheadline"), self.lit(k, lang="zh"))
        self.add(node, self.gh("sourceFile"), self.lit(self.doc.source))
        self.add(node, self.gh("contentHash"), self.lit(self.doc.id))
        self.add(node, self.gh("position"), self.lit(str(art.index), dt="integer"))
        if art.date:
            self.add(node, self.gh("date"), self.lit(art.date.isoformat(), dt="date"))
        if art.continuation:
            self.add(node, self.gh("continuation"), self.lit("true", dt="boolean"))
            if art.continued_from is not None:
                self.add(node, self.gh("continuedFromPage"), self.lit(str(art.continued_from), dt="integer"))
        if self.doc.url:
            self.add(node, self.gh("url"), self.lit(self.doc.url, dt="anyURI"))
        self.counts["Article"] += 1

    def _node(self, x: Mention | Entity, ents: DocumentEntities, kept: dict[int, Entity]) -> Any:
        e = x if isinstance(x, Entity) else ents.entity(x)
        if e is None or id(e) not in kept:
            return None
        return self.n(entity_iri(e.cls, e.key))

    def _places(self, ents: DocumentEntities, kept: dict[int, Entity]) -> None:
        """partOf: each place under its nearest ancestor named in the document."""
        by_code = {e.attrs["code"]: e for e in kept.values() if "code" in e.attrs}
        for e in ents.entities.values():
            if e.cls != "Place" or id(e) not in kept or e.key in self._parts:
                continue
            chain = self.lx.ancestors(e.attrs["code"]) if "code" in e.attrs else (
                [e.attrs["parent"], *self.lx.ancestors(e.attrs["parent"])] if "parent" in e.attrs else [])
            for anc in chain:
                if anc in by_code and by_code[anc].key != e.key:
                    parent = by_code[anc]
                    m = e.mentions[0]
                    self.evidence(m.sentence, [(self.n(entity_iri("Place", e.key)), self.gh("partOf"),
                                                self.n(entity_iri("Place", parent.key)))], 0.9, "partOf:gazetteer")
                    self.counts["partOf"] += 1
                    self._parts.add(e.key)
                    break

    def _located(self, results: list[ArticleResult], ents: DocumentEntities, kept: dict[int, Entity]) -> None:
        """locatedIn: the place an organisation's name starts with, or the place its abbreviation stood for."""
        by_code = {e.attrs["code"]: e for e in kept.values() if "code" in e.attrs}
        done = self._located_done
        for r in results:
            places: dict[tuple[int, int], list[Mention]] = {}  # (sentence, start) → places starting there
            for m in r.mentions:
                if m.cls == "Place":
                    places.setdefault((id(m.sentence), m.start), []).append(m)
            for m in r.mentions:
                if m.cls not in ("TradeUnion", "GovernmentBody", "Enterprise"):
                    continue
                if (m.canonical or m.key).endswith(DEPARTMENTS):
                    continue  # a committee or department is located where its union is
                org = self._node(m, ents, kept)
                if org is None:
                    continue
                code = m.attrs.get("place")
                target = by_code.get(code) if code else None
                if target is None:
                    chain = []
                    pos = m.start
                    while True:
                        nxt = [p for p in places.get((id(m.sentence), pos), ()) if p.end <= m.end]
                        if not nxt:
                            break
                        p = max(nxt, key=lambda x: x.end)
                        chain.append(p)
                        pos = p.end
                    if chain and chain[-1].end < m.end:
                        target = ents.entity(chain[-1])
                if target is None or id(target) not in kept:
                    continue
                key = (str(org), target.key)
                if key in done:
                    continue
                done.add(key)
                self.evidence(m.sentence, [(org, self.gh("locatedIn"), self.n(entity_iri("Place", target.key)))],
                              0.85, "locatedIn:name", r.norm.repairs)
                self.counts["locatedIn"] += 1

    def _relation(self, rel: Any, ents: DocumentEntities, kept: dict[int, Entity], repairs: Any,
                  r: ArticleResult) -> None:
        if rel.confidence < self.min_conf:
            return
        h = self._node(rel.head, ents, kept)
        if h is None:
            return
        if rel.rel == "establishedUnion" and rel.tail is rel.head:  # the union the text does not name
            e = ents.entity(rel.head) if isinstance(rel.head, Mention) else rel.head
            if e is None:
                return
            key = e.key + "工会"
            union = self.n(entity_iri("TradeUnion", key))
            art = self.n(self.article_iri(r.article))
            self.evidence(rel.sentence, [(union, self.n(RDF_TYPE), self.gh("TradeUnion")),
                                         (union, self.n(RDFS_LABEL), self.lit(key, lang=e.lang)),
                                         (union, self.gh("mentionedIn"), art),
                                         (union, self.gh("confidence"), self.dec(rel.confidence)),
                                         (h, self.gh("establishedUnion"), union)], rel.confidence, rel.rule, repairs)
            self.counts["establishedUnion"] += 1
            return
        t = self._node(rel.tail, ents, kept)
        if t is None or t == h:
            return
        self.evidence(rel.sentence, [(h, self.gh(rel.rel), t)], rel.confidence, rel.rule, repairs)
        self.counts[rel.rel] += 1

    def _post(self, p: Any, ents: DocumentEntities, kept: dict[int, Entity], repairs: Any) -> None:
        if p.confidence < self.min_conf:
            return
        person, org = self._node(p.person, ents, kept), self._node(p.org, ents, kept)
        if person is None or org is None:
            return
        post = self.n(f"{BASE}id/Post/{_h(str(person), str(org), p.role)}")
        triples = [(person, self.gh("holds"), post), (post, self.n(RDF_TYPE), self.gh("Post")),
                   (post, self.gh("postIn"), org), (post, self.gh("role"), self.lit(p.role, lang="zh"))]
        if p.sentence is not None and p.sentence.article.date:
            triples.append((post, self.gh("asOf"), self.lit(p.sentence.article.date.isoformat(), dt="date")))
        self.evidence(p.sentence, triples, p.confidence, p.rule, repairs)
        self.counts["Post"] += 1

    def _statistic(self, st: Any, ents: DocumentEntities, kept: dict[int, Entity], repairs: Any) -> None:
        if st.confidence < self.min_conf:
            return
        art = st.sentence.article
        node = self.n(f"{BASE}id/Statistic/{self.doc.id}-{art.index}-{st.start}")
        triples = [(node, self.n(RDF_TYPE), self.gh("Statistic")),
                   (node, self.gh("value"), self.dec(st.value)),
                   (node, self.gh("unit"), self.lit(st.unit)),
                   (node, self.gh("surface"), self.lit(st.surface)),
                   (node, self.gh("approximate"), self.lit("true" if st.approximate else "false", dt="boolean")),
                   (node, self.gh("mentionedIn"), self.n(self.article_iri(art)))]
        if st.measure:
            triples.append((node, self.gh("measure"), self.lit(st.measure, lang="zh")))
        if st.period:
            triples.append((node, self.gh("period"), self.lit(st.period, lang="zh")))
        if art.date:
            triples.append((node, self.gh("asOf"), self.lit(art.date.isoformat(), dt="date")))
        about = self._node(st.about, ents, kept) if st.about is not None else None
        if about is not None:
            triples.append((node, self.gh("about"), about))
        # a figure's node is its article and position: only another figure of its sentence could repeat it
        if self._figure[0] is not st.sentence:
            self._figure = (st.sentence, set())
        self.evidence(st.sentence, triples, st.confidence, "figure", repairs, facts=self._figure[1])
        self.counts["Statistic"] += 1

    def _bylines(self, r: ArticleResult, ents: DocumentEntities, kept: dict[int, Entity]) -> None:
        art = self.n(self.article_iri(r.article))
        outlet = None
        if self.doc.outlet:
            outlet = self.n(entity_iri("OtherOrganization", self.doc.outlet))
            self.add(outlet, self.n(RDF_TYPE), self.gh("OtherOrganization"))
            self.add(outlet, self.n(RDFS_LABEL), self.lit(self.doc.outlet, lang="zh"))
            self.add(outlet, self.gh("mentionedIn"), art)
            self.add(art, self.gh("outlet"), outlet)
        for m in r.mentions:
            if not m.attrs.get("byline"):
                continue
            person = self._node(m, ents, kept)
            if person is None:
                continue
            self.evidence(m.sentence, [(art, self.gh("byline"), person)], 0.95, "byline")
            if outlet is not None:
                post = self.n(f"{BASE}id/Post/{_h(str(person), str(outlet), m.attrs['byline'])}")
                self.evidence(m.sentence, [(person, self.gh("holds"), post), (post, self.n(RDF_TYPE), self.gh("Post")),
                                           (post, self.gh("postIn"), outlet),
                                           (post, self.gh("role"), self.lit(m.attrs["byline"], lang="zh"))],
                              0.9, "post:byline")



