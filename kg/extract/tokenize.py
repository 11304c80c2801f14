"""jieba, initialised once, with the dictionary's part-of-speech table.

Running jieba's POS tagger costs several times plain segmentation, so we cut
with ``jieba.lcut`` and look each word's usual tag up in the dictionary table;
words jieba's HMM invents (unknown names such as 爱奔, 鑫园) have no tag.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

__all__ = ["cut", "tag_of", "word_freq"]


@functools.lru_cache(maxsize=1)
def _jieba() -> Any:
    try:
        import jieba
        import jieba.posseg
    except ImportError as e:  # pragma: no cover - dependency is declared
        raise ImportError("gonghui-kg needs jieba: pip install jieba") from e
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    dt = jieba.posseg.dt
    dt.word_tag_tab  # noqa: B018 - loads the tag table now, once
    return jieba


def _tags() -> dict[str, str]:
    tab: dict[str, str] = _jieba().posseg.dt.word_tag_tab
    return tab


def cut(text: str) -> list[str]:
    """Segment ``text`` with jieba (HMM on, for unknown names)."""
    words: list[str] = _jieba().lcut(text, HMM=True)
    return words


def tag_of(word: str) -> str | None:
    """The dictionary's usual POS tag of ``word``, or None for unknown words."""
    return _tags().get(word)


def word_freq(word: str) -> int:
    """jieba's dictionary frequency of ``word`` (0 when unknown)."""
    f: int = _jieba().dt.FREQ.get(word, 0)
    return f


def add_word(word: str, tag: str = "nz", freq: int | None = None) -> None:
    """Teach jieba a word (from the lexicons or a user's rules)."""
    _jieba().add_word(word, freq=freq, tag=tag)
    _tags()[word] = tag
