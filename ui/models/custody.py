"""The register of permissions and exemptions, as a table."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QObject

from kiosk.rows.people import RegisterEntry
from ui.models.row_table import Column, RowTableModel


def day_text(value: date | None) -> str:
    """A day as "3 Sep 2026", or "" for none."""
    return f"{value.day} {value:%b %Y}" if value is not None else ""


class RegisterModel(RowTableModel[RegisterEntry]):
    """Register entries; those due for review (or overdue) stand out.

    ``today`` gives the school's date now (in the school's time zone).
    """

    def __init__(self, today: Callable[[], date], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._today = today
        self.columns = (
            Column("Pupil", lambda e: e.pupil.name),
            Column("Form", lambda e: e.pupil.form),
            Column("Kind", lambda e: e.kind_label),
            Column("Arrangement", lambda e: e.title),
            Column("Agreed by", lambda e: e.agreed_by),
            Column("From", lambda e: day_text(e.starts_on)),
            Column("Review", lambda e: day_text(e.review_on)),
            Column("Ended", lambda e: day_text(e.ends_on)),
            Column("Conditions", lambda e: e.conditions, stretch=True),
        )

    def needs_attention(self, row: RegisterEntry) -> bool:
        today = self._today()
        return row.is_current(today) and row.review_due(today)
