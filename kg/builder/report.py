"""What a build produced: its figures, ``report.md``, the summary line and the progress display.

:class:`BuildResult` is filled by the pipeline and the assembler alike, and
:func:`render_report` writes it as ``report.md``.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["ENTITY_CLASSES", "RELATION_KEYS", "BuildResult", "Progress", "render_report", "version"]


@dataclass
class BuildResult:
    """What a build produced."""

    out: Path
    documents: list[dict[str, Any]] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    merged_columns: list[str] = field(default_factory=list)
    triples: int = 0
    quads: int = 0
    chars: int = 0
    seconds: float = 0.0

    @property
    def articles(self) -> int:
        return sum(d["articles"] for d in self.documents)

    def summary(self) -> str:
        ents = sum(self.counts[c] for c in ENTITY_CLASSES)
        rels = sum(v for k, v in self.counts.items() if k in RELATION_KEYS)
        return (f"kg: built {self.out}: {len(self.documents)} documents, {self.articles} articles, "
                f"{ents} entities, {rels} relations, {self.counts['Post']} posts, "
                f"{self.counts['Statistic']} figures, {self.triples} triples in {self.seconds:.1f}s"
                + (f" ({len(self.warnings)} warnings, see report.md)" if self.warnings else ""))


ENTITY_CLASSES = ("TradeUnion", "Enterprise", "GovernmentBody", "OtherOrganization", "Person", "Program",
                  "Place", "WorkerGroup", "Award")
RELATION_KEYS = ("locatedIn", "partOf", "subOrganizationOf", "memberOf", "organizes", "participatesIn",
                 "benefits", "employedBy", "establishedUnion", "receivedAward")


class Progress:
    """Files and characters done, with rate and ETA, on standard error when it is a terminal (rich)."""

    def __init__(self, total_chars: int, enabled: bool) -> None:
        self.total = total_chars
        self.files = 0
        self.chars = 0
        self._bar: Any = None
        if not enabled:
            return
        from rich.progress import BarColumn, TaskProgressColumn, TextColumn, TimeRemainingColumn
        from rich.progress import Progress as Bar

        from ..table import console

        out = console()
        if not out.is_terminal:
            return
        self._bar = Bar(TextColumn("{task.fields[files]} files"), BarColumn(), TaskProgressColumn(),
                        TextColumn("{task.completed:,.0f} chars, {task.fields[rate]} chars/s"),
                        TimeRemainingColumn(), console=out, transient=True)
        self._task = self._bar.add_task("build", total=max(total_chars, 1), files=0, rate="-")
        self._start = time.monotonic()
        self._bar.start()

    def update(self, chars: int) -> None:
        self.files += 1
        self.chars += chars
        if self._bar is not None:
            rate = self.chars / max(time.monotonic() - self._start, 1e-6)
            self._bar.update(self._task, completed=min(self.chars, self.total), files=self.files,
                             rate=f"{rate:,.0f}")

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


def version() -> str:
    from .._version import __version__

    return __version__


def render_report(r: BuildResult) -> str:
    """report.md: what was built."""
    lines = ["# gonghui-kg build report", "",
             f"- built: {len(r.documents)} documents, {r.articles} articles, {r.chars:,} characters "
             f"in {r.seconds:.1f} s",
             f"- graph: {r.triples:,} triples in graph.ttl, {r.quads:,} quads in store/ (facts and provenance)", "",
             "## Documents", "", "| source | encoding | articles | characters | date |", "|---|---|---|---|---|"]
    for d in r.documents:
        lines.append(f"| {d['source']} | {d['encoding']} | {d['articles']} | {d['chars']:,} | {d['date'] or ''} |")
    lines += ["", "## Entities per class", "", "| class | entities |", "|---|---|"]
    for c in ENTITY_CLASSES:
        lines.append(f"| {c} | {r.counts.get(c, 0)} |")
    lines += ["", "## Relations per type", "", "| relation | statements |", "|---|---|"]
    for k in RELATION_KEYS:
        lines.append(f"| {k} | {r.counts.get(k, 0)} |")
    lines.append(f"| holds (posts) | {r.counts.get('Post', 0)} |")
    lines.append(f"| figures (gh:Statistic) | {r.counts.get('Statistic', 0)} |")
    for title, items in (("Notes", r.notes), ("Skipped (already built)", r.skipped), ("OCR repairs", r.repairs),
                         ("Merged columns flagged", r.merged_columns),
                         ("Alias conflicts (left unmerged)", r.conflicts), ("Warnings", r.warnings)):
        lines += ["", f"## {title}", ""]
        lines += [f"- {x}" for x in items] or ["- none"]
    return "\n".join(lines) + "\n"
