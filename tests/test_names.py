"""Every registered name finder's own example rows: what it is written to find."""

from __future__ import annotations

import pytest
from extract_helpers import entities

from kg.extract.names import FINDERS, Candidate, Scan, finder, registered

# fmt: off
ROWS = [(f.name, sentence, expected) for f in registered() for sentence, expected in f.examples]
# fmt: on


def test_every_finder_has_example_rows() -> None:
    assert len(FINDERS) >= 10
    assert [f.name for f in registered() if not f.examples] == []


@pytest.mark.parametrize(("name", "sentence", "expected"), ROWS, ids=[f"{r[0]}:{r[1][:12]}" for r in ROWS])
def test_finder_examples(name: str, sentence: str, expected: frozenset[tuple[str, str]]) -> None:
    found = set(entities(sentence))
    assert expected <= found, f"{name} missed {sorted(expected - found)}"


def test_finders_run_in_order_and_a_name_is_registered_once() -> None:
    orders = [f.order for f in registered()]
    assert orders == sorted(orders)
    # persons need every other name; the general-news model comes after them, to review them
    assert [f.name for f in registered()][-2:] == ["persons", "general"]
    with pytest.raises(ValueError, match="registered twice"):
        finder("places", 5)(lambda scan: [])


def test_a_new_finder_adds_a_name_without_touching_anything_else() -> None:
    """What the registry is for: one function, registered, and its names are found."""

    @finder("test-shops", 95, examples=[("张记面馆开张。", {("Enterprise", "张记面馆")})])
    def shops(scan: Scan) -> list[Candidate]:
        i = scan.text.find("张记面馆")
        return [Candidate("Enterprise", i, i + 4, "张记面馆", confidence=0.8, rule="test")] if i >= 0 else []

    try:
        assert ("Enterprise", "张记面馆") in entities("张记面馆开张。")
    finally:
        del FINDERS["test-shops"]
    assert ("Enterprise", "张记面馆") not in entities("张记面馆开张。")
