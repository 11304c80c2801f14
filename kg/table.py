"""Aligned plain-text tables that stay aligned with Chinese text.

A terminal gives wide characters (CJK ideographs, full-width punctuation:
``unicodedata.east_asian_width`` W or F) two columns and combining marks none,
so padding by ``len()`` would break every column after a Chinese cell.

>>> print(render_table(["名称", "n"], [["哈尔滨市总工会", "3"], ["全总", "12"]], align="lr"))
名称             n
--------------  --
哈尔滨市总工会   3
全总            12
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence

__all__ = ["TableLayout", "clean_cell", "display_width", "pad", "render_table"]

#: Characters that would break a row (line and paragraph separators, tabs).
_BREAKS = str.maketrans({"\n": " ", "\r": " ", "\t": " ", "\v": " ", "\f": " ", "\u2028": " ", "\u2029": " "})


@functools.cache
def _char_width(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf", "Cc"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal.

    >>> display_width("工会"), display_width("ACFTU"), display_width("“全总”")
    (4, 5, 6)
    """
    if text.isascii() and text.isprintable():
        return len(text)
    return sum(map(_char_width, text))


def clean_cell(text: str) -> str:
    """``text`` on one line: line breaks and tabs become spaces.

    >>> clean_cell("第一行\\n第二行")
    '第一行 第二行'
    """
    return text.translate(_BREAKS)


def pad(text: str, width: int, align: str = "l") -> str:
    """Pad ``text`` with spaces to ``width`` display columns (``align`` ``l`` or ``r``).

    >>> pad("工会", 6) + "|"
    '工会  |'
    >>> pad("12", 4, "r")
    '  12'
    """
    fill = " " * max(0, width - display_width(text))
    return fill + text if align == "r" else text + fill


class TableLayout:
    """Column widths and alignment fixed once, from the header and some rows.

    ``head()`` gives the header line and the rule under it; ``line(cells)``
    gives one row.  A cell wider than its column pushes the rest of its row
    to the right, so rows after the ones measured may be laid out at once.
    """

    def __init__(self, headers: Sequence[str], rows: Sequence[Sequence[str]], align: str | None = None) -> None:
        self.ncols = len(headers)
        self.aligns = (align or "").ljust(self.ncols, "l")
        self.headers = [clean_cell(h) for h in headers]
        self.widths = [display_width(h) for h in self.headers]
        for row in rows:
            for i, cell in enumerate(row[: self.ncols]):
                self.widths[i] = max(self.widths[i], display_width(clean_cell(cell)))

    def head(self) -> list[str]:
        """The header line and the rule of dashes under it."""
        return [self._join(self.headers), "  ".join("-" * max(w, 1) for w in self.widths)]

    def line(self, cells: Sequence[str]) -> str:
        """One row; a short row is padded with empty cells, extra cells are dropped."""
        row = [clean_cell(c) for c in cells[: self.ncols]]
        return self._join(row + [""] * (self.ncols - len(row)))

    def _join(self, cells: Sequence[str]) -> str:
        return "  ".join(pad(c, w, a) for c, w, a in zip(cells, self.widths, self.aligns, strict=True)).rstrip()


def render_table(headers: Sequence[str], rows: Sequence[Sequence[str]], align: str | None = None) -> str:
    """Render ``rows`` under ``headers`` as an aligned table (no trailing newline).

    Parameters
    ----------
    headers
        Column titles.
    rows
        Cells as strings; a short row is padded with empty cells.
    align
        One letter per column, ``l`` (left, the default) or ``r`` (right).

    Returns
    -------
    str
        The header line, a rule of dashes, then one line per row.  Columns are
        separated by two spaces and trailing spaces are dropped.
    """
    layout = TableLayout(headers, rows, align)
    return "\n".join([*layout.head(), *map(layout.line, rows)])
