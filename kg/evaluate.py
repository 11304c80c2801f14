"""Score a built graph against gold annotations (the gold format of the eval set).

Matching follows the published rules: a node matches a gold entity when one of
its labels (rdfs:label, skos:prefLabel, skos:altLabel), with quotes, brackets,
dots and spaces removed, equals the gold name or an alias; it is correct when
its class is the gold type and no other node matched that entity first
(longest label first).  Optional gold items are neither rewarded nor punished.
A relation is correct when both ends matched and the gold has the triple;
``holdsPost`` stands for gh:holds/gh:postIn.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError
from .model import CLASSES, RELATIONS

__all__ = ["Score", "evaluate", "format_scores", "score_graph"]

_STRIP = re.compile(r"[\s\"'“”‘’「」『』《》〈〉()（）·・.]")


def _norm(s: str) -> str:
    return _STRIP.sub("", s)


@dataclass
class Score:
    """tp/fp/fn per class (entities) and per relation."""

    entities: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))
    relations: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))
    missing: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for mine, theirs in ((self.entities, other.entities), (self.relations, other.relations)):
            for k, v in theirs.items():
                for j in range(3):
                    mine[k][j] += v[j]

    def table(self) -> dict[str, dict[str, dict[str, float]]]:
        out: dict[str, dict[str, dict[str, float]]] = {}
        for name, t in (("entities", self.entities), ("relations", self.relations)):
            rows = {k: _prf(*t[k]) for k in sorted(t)}
            rows["ALL"] = _prf(*(sum(v[j] for v in t.values()) for j in range(3)))
            out[name] = rows
        return out


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "p": round(p, 3), "r": round(r, 3), "f1": round(f, 3)}


def _predicted(g: Any) -> tuple[dict[Any, tuple[str, set[str]]], set[tuple[Any, str, Any]]]:
    from rdflib import RDF, RDFS
    from rdflib.namespace import SKOS

    from .namespace import GH

    ents: dict[Any, tuple[str, set[str]]] = {}
    for t in CLASSES:
        for s in g.subjects(RDF.type, GH[t]):
            labels = {_norm(str(o)) for p in (RDFS.label, SKOS.prefLabel, SKOS.altLabel) for o in g.objects(s, p)}
            labels.discard("")
            if s in ents:
                ents[s][1].update(labels)
            else:
                ents[s] = (t, labels)
    rels = {(s, r, o) for r in RELATIONS for s, o in g.subject_objects(GH[r])}
    for person, post in g.subject_objects(GH.holds):
        for org in g.objects(post, GH.postIn):
            rels.add((person, "holdsPost", org))
    return ents, rels


def score_graph(gold: dict[str, Any], g: Any) -> Score:
    """Score one graph against one gold record."""
    sc = Score()
    ents, rels = _predicted(g)
    index: dict[str, int] = {}
    for i, e in enumerate(gold["entities"]):
        for s in [e["name"], *e.get("aliases", [])]:
            index.setdefault(_norm(s), i)
    matched: dict[int, Any] = {}
    gold_of: dict[Any, str] = {}
    order = sorted(ents.items(), key=lambda kv: (-max((len(x) for x in kv[1][1]), default=0), str(kv[0])))
    for iri, (cls, labels) in order:
        hits = {index[x] for x in labels if x in index}
        if not hits:
            sc.entities[cls][1] += 1
            continue
        gi = min(hits)
        ge = gold["entities"][gi]
        gold_of[iri] = ge["name"]
        if ge.get("optional"):
            continue
        if ge["type"] == cls and gi not in matched:
            matched[gi] = iri
            sc.entities[cls][0] += 1
        else:
            sc.entities[cls][1] += 1
    for i, e in enumerate(gold["entities"]):
        if not e.get("optional") and i not in matched:
            sc.entities[e["type"]][2] += 1
    gold_rel = {(r["head"], r["rel"], r["tail"]): bool(r.get("optional")) for r in gold.get("relations", [])}
    seen: set[tuple[str | None, str, str | None]] = set()
    for s, r, o in rels:
        key = (gold_of.get(s), r, gold_of.get(o))
        if key in gold_rel:
            if not gold_rel[key] and key not in seen:
                sc.relations[r][0] += 1
                seen.add(key)
            continue
        sc.relations[r][1] += 1
    for key, optional in gold_rel.items():
        if not optional and key not in seen:
            sc.relations[key[1]][2] += 1
    return sc


def evaluate(gold_path: str | Path, graph_dir: str | Path, ids: set[str] | None = None) -> Score:
    """Score ``graph_dir/<id>/graph.ttl`` for every record of ``gold_path``."""
    import rdflib

    from .store import current_build, is_build_dir

    gp = Path(gold_path)
    if not gp.is_file():
        raise InputError(f"{gp}: no such gold file")
    if not Path(graph_dir).is_dir():
        raise InputError(f"{graph_dir}: no such folder of builds (expected {graph_dir}/<id>/graph.ttl)")
    total = Score()
    seen = 0
    for n, line in enumerate(gp.read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            gold = json.loads(line)
        except ValueError:
            raise InputError(f"{gp}:{n}: not a JSON object") from None
        if ids and gold.get("id") not in ids:
            continue
        folder = Path(graph_dir) / gold["id"]
        ttl = current_build(folder).graph_ttl if is_build_dir(folder) else folder / "graph.ttl"
        g = rdflib.Graph()
        if ttl.exists():
            g.parse(ttl, format="turtle")
        else:
            total.missing.append(gold["id"])
        total.add(score_graph(gold, g))
        seen += 1
    if seen and len(total.missing) == seen:
        raise InputError(f"{graph_dir}: holds no <id>/graph.ttl for any gold record "
                         f"(expected e.g. {graph_dir}/{total.missing[0]}/graph.ttl)")
    return total


def format_scores(sc: Score) -> str:
    """A table like the eval script's."""
    lines = []
    for name, rows in sc.table().items():
        lines.append(f"{name:>10}  {'tp':>4} {'fp':>4} {'fn':>4}   P     R     F1")
        for k, v in rows.items():
            lines.append(f"{k:>18} {int(v['tp']):4d} {int(v['fp']):4d} {int(v['fn']):4d}  "
                         f"{v['p']:.3f} {v['r']:.3f} {v['f1']:.3f}")
    if sc.missing:
        lines.append("missing graphs: " + ",".join(sc.missing))
    return "\n".join(lines)
