"""Relations and posts: every example row of every registered family, and the registry itself."""

from __future__ import annotations

import pytest
from extract_helpers import relations

from kg.extract.relations import FAMILIES, family
from kg.model import RELATIONS

ROWS = [pytest.param(f.name, ex, id=f"{f.name}-{i}") for f in FAMILIES for i, ex in enumerate(f.examples)]


def _interesting(rels: set[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
    return {r for r in rels if r[1] not in ("locatedIn", "partOf")}


@pytest.mark.parametrize("name,example", ROWS)
def test_family_examples(name: str, example: tuple) -> None:
    sentences, expected = example
    sentences = (sentences,) if isinstance(sentences, str) else sentences
    assert _interesting(relations(*sentences)) == expected


def test_every_family_names_contract_relations_and_runs_somewhere() -> None:
    for f in FAMILIES:
        assert f.scope in ("sentence", "article"), f.name
        assert set(f.relations) <= set(RELATIONS) | {"holdsPost"}, f.name
        assert f.doc, f"{f.name} says what construction it reads"


def test_a_family_name_is_registered_once() -> None:
    with pytest.raises(ValueError, match="two relation families"):
        family(FAMILIES[0].name, ())(lambda v: None)


def test_located_in_comes_from_the_name() -> None:
    rels = relations("河南、湖北省总工会制定了制度。")
    assert ("河南省总工会", "locatedIn", "河南省") not in rels  # mapped in RDF, not a sentence relation
