"""What an import tells the person who ran it: counts, and each rejected row by line.

These rows stay beside the importers rather than in :mod:`kiosk.rows`: only an import makes
them, and the desk and the command line only show their summary and problems.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """A row that was skipped: the line it starts on (as a text editor numbers lines) and
    why, in words for the person who exported the file."""

    line: int
    reason: str


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
