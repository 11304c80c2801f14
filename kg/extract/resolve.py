"""Alias resolution: one node per real thing.

Every mention gets a canonical key (its identity, in simplified script):

* places: the GB/T 2260 division code (zones: their name);
* names the lexicons know, abbreviations resolved by rule (镇安县总, 全总,
  市总工会 in context): the canonical name;
* other names: the name as written, without a higher place before a lower one
  (黑龙江省哈尔滨市总工会 → 哈尔滨市总工会), with short place names completed
  (湖北货运… → 湖北省货运…) and 首 read as 第一 (首份 → 第一份).

Within a document, a name is also merged into a longer one that adds only a
place, a year or a legal form (爱奔物流园 → 宜昌市爱奔物流园, 第十二届…运动会 →
深圳市第十二届…运动会, 中国航天科技集团 → …集团有限公司) when exactly one candidate
exists; with two candidates the conflict is reported, not guessed.

Across documents, equal keys are one node.  Persons are keyed by name and the
context that tells namesakes apart (their organisation, else the document), so
two 李晨 of different unions stay two nodes;
namesakes are listed as possible matches.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..model import Entity, Mention
from . import ArticleResult
from .lexicon import Lexicon

__all__ = ["DocumentEntities", "Resolver", "canonical_key", "resolve_document"]

QUOTES = re.compile(r"[“”\"「」『』《》]")
#: Spellings of one suffix: the key uses the second (志愿者服务队 → 志愿服务队).
SUFFIX_VARIANTS = (("志愿者服务队", "志愿服务队"), ("人力资源和社会保障局", "人社局"),
                   ("人力资源社会保障局", "人社局"), ("人民代表大会常务委员会", "人大常委会"))
LEGAL = ("股份有限公司", "有限责任公司", "有限公司")


def _strip_ancestors(name: str, lx: Lexicon) -> str:
    """黑龙江省哈尔滨市总工会 → 哈尔滨市总工会 (a higher place directly before a lower one)."""
    changed = True
    while changed:
        changed = False
        for first in _places_at_start(name, lx):
            rest = name[len(first[0]):]
            nxt = _places_at_start(rest, lx)
            if nxt and any(lx.is_ancestor(first[1], n[1]) for n in nxt) and len(rest) > len(nxt[0][0]):
                name = rest
                changed = True
                break
    return name


def _places_at_start(name: str, lx: Lexicon) -> list[tuple[str, str]]:
    out = []
    for L in range(min(len(name), 9), 1, -1):
        w = name[:L]
        codes = lx.place_names.get(w) or lx.place_short.get(w)
        if codes:
            out.append((w, codes[0]))
    return [(w, c) for w, c in out]


def _complete_place(name: str, lx: Lexicon) -> str:
    """湖北货运物流行业… → 湖北省货运物流行业… (a short place at the start)."""
    for L in range(min(len(name), 4), 1, -1):
        w = name[:L]
        codes = lx.place_short.get(w)
        if codes and w not in lx.place_names:
            full = lx.places[min(codes, key=lambda c: lx.places[c].rank)].name
            if not name.startswith(full):
                return full + name[L:]
    return name


def canonical_key(m: Mention, lx: Lexicon) -> str:
    """The identity key of a mention (before document-level merging)."""
    if m.cls == "Place":
        return m.attrs.get("code") or m.canonical or m.key
    if m.canonical and m.rule != "program:quoted":
        key = m.canonical
    else:
        key = QUOTES.sub("", m.key)
    if m.cls == "Person":
        return m.key
    key = _strip_ancestors(key, lx)
    for variant, standard in SUFFIX_VARIANTS:
        if key.endswith(variant):
            key = key[: -len(variant)] + standard
            break
    if m.cls == "Enterprise" and key.endswith("公司") and not key.endswith(LEGAL):
        known = lx.orgs.get(key[:-2])
        if known is not None and known[1] == "Enterprise":
            key = known[0]  # 华为公司: the known 华为
    if m.cls == "Program":
        key = _complete_place(key, lx)
        key = re.sub(r"首([份届批次轮])", r"第一\1", key)
    return key


@dataclass
class DocumentEntities:
    """The entities of one document and the entity each mention stands for."""

    entities: dict[tuple[str, str], Entity] = field(default_factory=dict)
    of_mention: dict[int, Entity] = field(default_factory=dict)  # id(mention) → entity
    conflicts: list[str] = field(default_factory=list)

    def entity(self, m: Mention) -> Entity | None:
        return self.of_mention.get(id(m)) or m.entity


def _brand(short: str, lx: Lexicon) -> str | None:
    """The brand of 顺丰 or 顺丰公司 (the short form of an enterprise), or None."""
    if short.endswith(LEGAL):
        return None
    brand = short[:-2] if short.endswith("公司") else short
    if len(brand) < 2 or brand in lx.place_names or brand in lx.place_short:
        return None
    return brand


def _without_places(full: str, lx: Lexicon) -> str:
    """四川顺丰速运有限公司 → 顺丰速运有限公司 (the places at the start)."""
    body = full
    while (places := _places_at_start(body, lx)) and len(places[0][0]) < len(body):
        body = body[len(places[0][0]):]
    return body


def _merge_map(keys: dict[str, set[str]], lx: Lexicon, doc_places: set[str],
               only: dict[str, set[str]] | None = None) -> tuple[dict[tuple[str, str], str], list[str]]:
    """Within one document: short key → longer key it abbreviates (for the keys of ``only``, if given)."""
    mapping: dict[tuple[str, str], str] = {}
    conflicts: list[str] = []
    for cls, ks in keys.items():
        if cls in ("Place", "Person", "WorkerGroup", "Award"):
            continue
        bodies = {o: _without_places(o, lx) for o in ks if o.endswith(LEGAL)} if cls == "Enterprise" else {}
        brands = {k: _brand(k, lx) for k in ks} if cls == "Enterprise" else {}
        # the longer keys each key ends with, and the legal names each brand opens: looked up, not searched
        ending: dict[str, list[str]] = defaultdict(list)
        for other in ks:
            for i in range(1, len(other)):
                if other[i:] in ks:
                    ending[other[i:]].append(other)
        opening: dict[str, list[str]] = defaultdict(list)
        wanted = set(brands.values())
        for other, body in bodies.items():
            for i in range(2, len(body) + 1):
                if body[:i] in wanted:
                    opening[body[:i]].append(other)
        for k in sorted(ks if only is None else only.get(cls, ())):
            cands = set()
            brand = brands.get(k)
            if cls == "Enterprise" and k.endswith("公司") and not k.endswith(LEGAL) and k[:-2] in ks and \
                    len(k) >= 4 and k[:-2] not in lx.place_names and k[:-2] not in lx.place_short:
                cands.add(k[:-2])  # 华为公司 for the known 华为
            for other in ending.get(k, ()):
                extra_front = other[: len(other) - len(k)]
                if extra_front in doc_places or re.fullmatch(r"(?:(?:19|20)\d\d年)?", extra_front) or \
                        (cls == "Program" and re.match(r"(?:19|20)\d\d年|第", k)) or \
                        (cls == "Program" and extra_front in doc_places):
                    cands.add(other)
                elif cls == "Program" and re.match(r"第[\d一二三四五六七八九十百]+[届次期]", k):
                    cands.add(other)
            # the name with a legal form (中国航天科技集团 → …集团有限公司)
            cands.update(k + legal for legal in LEGAL if k + legal in ks)
            # 顺丰 or 顺丰公司 for 四川顺丰速运有限公司: place + brand + trade + legal form
            for other in opening.get(brand, ()) if brand is not None else ():
                if other != k and len(other) > len(k) and len(bodies[other]) > len(k):
                    cands.add(other)
            if len(cands) == 1:
                mapping[(cls, k)] = cands.pop()
            elif len(cands) > 1:
                conflicts.append(f"{k} ({cls}) could be any of: {', '.join(sorted(cands))}")
    # follow chains
    for key, target in list(mapping.items()):
        seen = {key[1]}
        while (key[0], target) in mapping and target not in seen:
            seen.add(target)
            target = mapping[(key[0], target)]
        mapping[key] = target
    return mapping, conflicts


class Resolver:
    """Resolution of a document given a window of sentences at a time (see :func:`kg.extract.extract_windows`).

    Each window is resolved as a document of its own would be, against what
    the earlier windows established: their keys (a short name merges into a
    longer one named before), their merges (a key merged once stays merged),
    the organisation each person works for, and the places named.  The
    entities are gathered in :attr:`entities` without their mentions (label
    and language as first resolved, the highest confidence, every alias), to
    be written once at the end; a mention keeps its entity in
    ``Mention.entity`` for a later window that points back to it.
    """

    def __init__(self, lx: Lexicon, doc_id: str) -> None:
        self.lx = lx
        self.doc_id = doc_id
        self.keys: dict[str, set[str]] = defaultdict(set)
        self.doc_places: set[str] = set()
        self.mapping: dict[tuple[str, str], str] = {}
        self.by_name: dict[str, str] = {}
        self.entities: dict[tuple[str, str], Entity] = {}
        self.conflicts: dict[str, None] = {}
        self.traditional: dict[int, bool] = {}  # id(article) → written in traditional script

    def resolve(self, results: list[ArticleResult]) -> DocumentEntities:
        """The entities of a window; :attr:`entities` takes them in (their mentions link to both)."""
        ents = resolve_document(results, self.lx, self.doc_id, carry=self)
        for (cls, key), e in ents.entities.items():
            kept = self.entities.get((cls, key))
            if kept is None:
                kept = self.entities[(cls, key)] = Entity(cls=cls, label=e.label, key=key, aliases=set(e.aliases),
                                                          confidence=e.confidence, attrs=dict(e.attrs), lang=e.lang)
            else:
                if e.label != kept.label and "“" in e.label:
                    kept.label = e.label  # the quoted form of a program, as a whole document takes it
                kept.aliases |= e.aliases
                kept.confidence = max(kept.confidence, e.confidence)
                for k, v in e.attrs.items():
                    kept.attrs.setdefault(k, v)
            for m in e.mentions:
                m.entity = kept
        self.conflicts.update(dict.fromkeys(ents.conflicts))
        return ents


def resolve_document(results: list[ArticleResult], lx: Lexicon, doc_id: str,
                     carry: Resolver | None = None) -> DocumentEntities:
    """Group the mentions of one document (or of one window of it, with ``carry``) into entities."""
    out = DocumentEntities()
    keyed, keys, doc_places = _keyed_mentions(results, lx, carry)
    if carry is None:
        mapping, conflicts = _merge_map(keys, lx, doc_places)
    else:
        mapping, conflicts = _window_mapping(keys, lx, doc_places, carry)
    _merge_program_cores(keyed, keys, mapping)
    out.conflicts.extend(conflicts)
    # persons: the context that tells namesakes apart
    person_ctx = _person_contexts(results, lx, doc_id, mapping, None if carry is None else carry.by_name)
    for m, k in keyed:
        k = mapping.get((m.cls, k), k)
        if m.cls == "Person":
            k = f"{k}--{person_ctx.get((id(m.sentence.article), m.key), doc_id)}"
        _add_mention(out, m, k, lx)
    _traditional_labels(out, results, carry)
    return out


def _keyed_mentions(results: list[ArticleResult], lx: Lexicon, carry: Resolver | None
                    ) -> tuple[list[tuple[Mention, str]], dict[str, set[str]], set[str]]:
    """Each mention with its canonical key, the keys of each class and the places the document names."""
    keyed: list[tuple[Mention, str]] = []
    keys: dict[str, set[str]] = defaultdict(set)
    doc_places: set[str] = set() if carry is None else carry.doc_places
    for r in results:
        for m in r.mentions:
            k = canonical_key(m, lx)
            keyed.append((m, k))
            keys[m.cls].add(k)
            if m.cls == "Place":
                doc_places.add(QUOTES.sub("", m.key))
                code = m.attrs.get("code")
                if code:
                    doc_places.add(lx.places[code].name)
    return keyed, keys, doc_places


def _window_mapping(keys: dict[str, set[str]], lx: Lexicon, doc_places: set[str], carry: Resolver
                    ) -> tuple[dict[tuple[str, str], str], list[str]]:
    """The merges of a window's keys against every key named so far; a key merged before stays merged."""
    fresh = {cls: {k for k in ks if (cls, k) not in carry.mapping} for cls, ks in keys.items()}
    for cls, ks in keys.items():
        carry.keys[cls] |= ks
    mapping, conflicts = _merge_map(carry.keys, lx, doc_places, only=fresh)
    carry.mapping.update(mapping)
    for key, target in list(carry.mapping.items()):
        seen = {key[1]}
        while (key[0], target) in carry.mapping and target not in seen:
            seen.add(target)
            target = carry.mapping[(key[0], target)]
        carry.mapping[key] = target
    mapping = {(cls, k): carry.mapping[(cls, k)] for cls, ks in keys.items() for k in ks
               if (cls, k) in carry.mapping}
    return mapping, conflicts


def _merge_program_cores(keyed: list[tuple[Mention, str]], keys: dict[str, set[str]],
                         mapping: dict[tuple[str, str], str]) -> None:
    """Quoted programs: the bare core, and other heads on the same core, are one program."""
    by_core: dict[str, set[str]] = defaultdict(set)
    for m, k in keyed:
        core = m.attrs.get("core")
        if m.cls == "Program" and core:
            by_core[core].add(mapping.get(("Program", k), k))
    for core, ks in by_core.items():
        target = max(ks, key=lambda k: (len(k), k))
        for k in ks | ({core} if core in keys["Program"] else set()):
            if k != target:
                mapping.setdefault(("Program", k), target)


def _add_mention(out: DocumentEntities, m: Mention, k: str, lx: Lexicon) -> None:
    """The entity of key ``k`` (made on its first mention) takes mention ``m``, its surface as an alias."""
    ent = out.entities.get((m.cls, k))
    if ent is None:
        ent = Entity(cls=m.cls, label=_label_for(m, k, lx), key=k)
        if m.cls == "Place":
            code = m.attrs.get("code")
            if code:
                ent.attrs["code"] = code
            elif m.attrs.get("parent"):
                ent.attrs["parent"] = m.attrs["parent"]
        out.entities[(m.cls, k)] = ent
    ent.mentions.append(m)
    if m.cls == "Program" and "“" in m.surface and "《" not in m.surface and ent.label != m.surface \
            and QUOTES.sub("", m.key) == k:
        ent.label = m.surface  # the quoted form wherever the program is first named
    ent.confidence = max(ent.confidence, m.confidence)
    surface = m.surface
    if m.rule == "org:coordination" and not surface.endswith(("会", "局", "司")):
        surface = ent.label  # 河南 in 河南、湖北省总工会 names the place, not the union
    if surface != ent.label:
        ent.aliases.add(surface)
    core = m.attrs.get("core")
    if core and core != ent.label:
        ent.aliases.add(core)
    out.of_mention[id(m)] = ent


def _traditional_labels(out: DocumentEntities, results: list[ArticleResult], carry: Resolver | None) -> None:
    """Labels keep the script of the source: an entity of a traditional-script document is labelled
    as that document writes it (廣東省總工會), with the language tag zh-Hant."""
    if carry is None:
        trad = {id(r.article) for r in results if _is_traditional(r.norm.text, r.norm.display)}
    else:
        for r in results:
            if id(r.article) not in carry.traditional:
                carry.traditional[id(r.article)] = _is_traditional(r.norm.text, r.norm.display)
        trad = {id(r.article) for r in results if carry.traditional[id(r.article)]}
    if not trad:
        return
    for ent in out.entities.values():
        if not all(id(m.sentence.article) in trad for m in ent.mentions):
            continue
        written = next((m.surface for m in ent.mentions if QUOTES.sub("", m.key) == ent.key
                        or m.key == ent.label), None)
        new_label = written or _to_traditional(ent.label)
        ent.aliases.discard(new_label)
        if new_label != ent.label and ent.cls != "Person":
            ent.aliases.discard(ent.label)
        ent.label = new_label
        ent.lang = "zh-Hant"


def _is_traditional(text: str, display: str) -> bool:
    """True when at least 2% of the characters were folded from traditional script."""
    if not text or text == display:
        return False
    sample = min(len(text), 20000)  # the opening of an article tells its script
    diff = sum(1 for a, b in zip(text[:sample], display[:sample], strict=True) if a != b)
    return diff >= max(1, sample // 50)


@functools.lru_cache(maxsize=1)
def _s2t() -> Any:
    import opencc

    return opencc.OpenCC("s2t")


def _to_traditional(s: str) -> str:
    out: str = _s2t().convert(s)
    return out


def _label_for(m: Mention, key: str, lx: Lexicon) -> str:
    if m.cls == "Place":
        code = m.attrs.get("code")
        return lx.places[code].name if code else key
    if m.cls == "Person":
        return m.surface
    if m.cls == "Program" and "《" not in m.surface and QUOTES.sub("", m.key) == key:
        return m.surface
    return key


def _person_contexts(results: list[ArticleResult], lx: Lexicon, doc_id: str, mapping: dict[tuple[str, str], str],
                     by_name: dict[str, str] | None = None) -> dict[tuple[int, str], str]:
    """(article, name) → context key: the organisation of a post or job, else the article's place.

    ``by_name`` holds the organisation of each person named so far, and receives the new ones.
    """
    ctx: dict[tuple[int, str], str] = {}
    by_name = {} if by_name is None else by_name
    for r in results:
        for p in r.posts:
            if isinstance(p.person, Mention) and isinstance(p.org, Mention):
                k = canonical_key(p.org, lx)
                by_name.setdefault(p.person.key, mapping.get((p.org.cls, k), k))
        for rel in r.relations:
            if rel.rel == "employedBy" and isinstance(rel.head, Mention) and isinstance(rel.tail, Mention):
                k = canonical_key(rel.tail, lx)
                by_name.setdefault(rel.head.key, mapping.get((rel.tail.cls, k), k))
    for r in results:
        for m in r.mentions:
            if m.cls != "Person":
                continue
            if m.key in by_name:
                ctx[(id(r.article), m.key)] = by_name[m.key]
            elif m.attrs.get("byline"):
                ctx[(id(r.article), m.key)] = r.article.doc.outlet or doc_id
            else:
                ctx[(id(r.article), m.key)] = doc_id
    return ctx
