"""What an import tells the person who ran it: counts, and each rejected row by line.

These rows stay beside the importers rather than in :mod:`kiosk.rows`: only an import makes
them, and the desk and the command line only show their summary and problems.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

Progress = Callable[[int, int], None]
"""Told how far an import has got: rows done and rows in all (both counts of data rows)."""

PREVIEW_ROWS = 200
"""How many of the rows to be added or updated a report names one by one (the counts are
always whole); enough for a person to check the file was read the right way round."""


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """A row that was skipped: the line it starts on (as a text editor numbers lines) and
    why, in words for the person who exported the file."""

    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class ImportChange:
    """A row that adds or updates a record: the line it starts on, ``"added"`` or
    ``"updated"``, whose record (a name as the file gives it), and for an update which
    details change ("form 7A → 8A"); empty for an addition."""

    line: int
    kind: Literal["added", "updated"]
    name: str
    detail: str = ""


class Rehearsal(Exception):
    """Raised inside an import's transaction to roll it back when only a preview was asked
    for: it carries the report the real import would have given, so a preview and an
    import are one code path and cannot disagree."""

    def __init__(self, report: ImportReport | ContactImportReport) -> None:
        super().__init__("preview only: rolled back")
        self.report = report


def describe_changes(before: dict[str, object], after: dict[str, object]) -> str:
    """The fields that differ between two states as "field old → new", joined by "; "
    (field names with underscores shown as words). Takes two dicts of the same keys."""
    parts = []
    for key, new in after.items():
        old = before.get(key)
        if old != new:
            parts.append(f"{key.replace('_', ' ')} {_shown(old)} → {_shown(new)}")
    return "; ".join(parts)


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "(empty)" if value is None or value == "" else str(value)


def keep_change(changes: list[ImportChange], change: ImportChange) -> None:
    """Add ``change`` to ``changes`` unless :data:`PREVIEW_ROWS` are already kept."""
    if len(changes) < PREVIEW_ROWS:
        changes.append(change)


@dataclass(frozen=True, slots=True)
class ImportReport:
    """The outcome of a pupil or staff import: rows added, updated, unchanged and rejected,
    pupils marked as left, and the problems in line order."""

    added: int
    updated: int
    unchanged: int
    rejected: int
    left: int
    problems: tuple[ImportProblem, ...] = ()
    changes: tuple[ImportChange, ...] = ()
    """The first :data:`PREVIEW_ROWS` rows that add or update, in line order."""

    @property
    def rows(self) -> int:
        """Every data row read: added + updated + unchanged + rejected."""
        return self.added + self.updated + self.unchanged + self.rejected

    @property
    def accepted(self) -> int:
        """The data rows imported: added + updated + unchanged."""
        return self.added + self.updated + self.unchanged

    def summary(self) -> str:
        """One line, e.g. "312 rows: 300 added, 5 updated, 4 unchanged, 3 rejected; 2 marked
        as left." """
        rows = "1 row" if self.rows == 1 else f"{self.rows:,} rows"
        text = (
            f"{rows}: {self.added:,} added, {self.updated:,} updated, "
            f"{self.unchanged:,} unchanged, {self.rejected:,} rejected"
        )
        if self.left:
            text += f"; {self.left:,} marked as left"
        return text + "."


@dataclass(frozen=True, slots=True)
class ContactImportReport:
    """The outcome of a contact import: contacts added, updated, unchanged, rows rejected,
    and the problems by line."""

    added: int
    updated: int
    unchanged: int
    rejected: int
    problems: tuple[ImportProblem, ...] = ()
    changes: tuple[ImportChange, ...] = ()
    """The first :data:`PREVIEW_ROWS` rows that add or update, in line order."""

    @property
    def left(self) -> int:
        """Always 0: a contact import never marks anyone as left."""
        return 0

    @property
    def accepted(self) -> int:
        """The contact rows imported: added + updated + unchanged."""
        return self.added + self.updated + self.unchanged

    def summary(self) -> str:
        """One line, e.g. "12 contact rows: 10 added, 1 updated, 0 unchanged, 1 rejected." """
        rows = self.added + self.updated + self.unchanged + self.rejected
        return (
            f"{rows:,} contact row{'' if rows == 1 else 's'}: {self.added:,} added, "
            f"{self.updated:,} updated, {self.unchanged:,} unchanged, {self.rejected:,} rejected."
        )
