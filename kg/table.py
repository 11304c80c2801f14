"""Tables and messages for the terminal, measured and drawn by rich.

rich measures text in terminal columns: a CJK ideograph or a full-width
punctuation mark takes two, a combining mark or a zero-width space none, so
columns of Chinese text line up where ``len()`` would shift them.

One table, two renderings:

* :func:`rich_table`, for a person at a terminal: the header in bold over a
  rule, fitted to the terminal's width (a long cell wraps inside its column);
* :class:`TableLayout` and :func:`render_table`, for a pipe or a file: plain
  lines with columns two spaces apart, a rule of dashes under the header, one
  row a line and no trailing spaces.  They are written as fast as the rows
  come, which a rich table, laid out whole before it is printed, is not.

:func:`console` is a rich console on standard error (or another stream) that
knows whether it writes to a terminal, for messages and progress displays.

>>> print(render_table(["名称", "n"], [["哈尔滨市总工会", "3"], ["全总", "12"]], align="lr"))
名称             n
--------------  --
哈尔滨市总工会   3
全总            12
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING

from rich.cells import cell_len

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console
    from rich.table import Table

__all__ = ["TableLayout", "clean_cell", "console", "display_width", "pad", "render_table", "rich_table"]

#: Characters that would break a row (line and paragraph separators, tabs).
_BREAKS = str.maketrans({"\n": " ", "\r": " ", "\t": " ", "\v": " ", "\f": " ", "\u2028": " ", "\u2029": " "})


def console(file: IO[str] | None = None, *, terminal: bool | None = None, width: int | None = None) -> Console:
    """A rich console on ``file`` (standard error by default) that knows whether it writes to a terminal.

    ``console().is_terminal`` says so, as rich finds it (``terminal`` decides
    instead when given).  On a terminal the console has colours and the
    terminal's width; elsewhere it writes plain text without colour codes
    and without wrapping lines, so that a log keeps one message a line.
    Markup, emoji codes and highlighting are off: text taken from the news
    is printed as it is.
    """
    from rich.console import Console

    out = Console(
        file=sys.stderr if file is None else file,
        force_terminal=terminal,
        width=width,
        markup=False,
        emoji=False,
        highlight=False,
    )
    if not out.is_terminal:
        out.soft_wrap = True
    return out


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal.

    >>> display_width("工会"), display_width("ACFTU"), display_width("“全总”")
    (4, 5, 6)
    """
    if text.isascii() and text.isprintable():
        return len(text)
    return cell_len(text)


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


def rich_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    align: str | None = None,
    *,
    min_widths: Sequence[int] | None = None,
    header: bool = True,
) -> Table:
    """``rows`` under ``headers`` as a rich table for a terminal.

    Columns are two spaces apart, with no frame; the header is bold over a
    rule.  ``align`` is one letter per column, ``l`` or ``r``.  A table
    printed after another for the same answer passes that one's widths as
    ``min_widths`` and ``header=False``, so that its columns line up below
    (a column grows when a later cell needs more, as far as the terminal
    allows).  Cells are text, never markup.
    """
    from rich import box
    from rich.table import Column, Table
    from rich.text import Text

    aligns = (align or "").ljust(len(headers), "l")
    columns = [
        Column(
            clean_cell(h),
            justify="right" if a == "r" else "left",
            min_width=min_widths[i] if min_widths else None,
            overflow="fold",
        )
        for i, (h, a) in enumerate(zip(headers, aligns, strict=False))
    ]
    table = Table(
        *columns, box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1, 0, 0),
        show_header=header, header_style="bold",
    )  # fmt: skip
    for row in rows:
        cells = [clean_cell(c) for c in row[: len(headers)]]
        table.add_row(*(Text(c) for c in cells + [""] * (len(headers) - len(cells))))
    return table


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
    """Render ``rows`` under ``headers`` as plain aligned lines (no trailing newline).

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
