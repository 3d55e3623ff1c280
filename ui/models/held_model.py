"""Phones still held, for the end-of-day panel: by receptacle, then slot, with outcomes so far."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.rows.custody import HeldPhone
from ui.models.formatting import moment_cell, plain_tooltip
from ui.models.row_table import Column, RowTableModel

NO_OUTCOME_YET = "None yet"


def outcomes_text(phone: HeldPhone, tz: ZoneInfo, now: datetime | None) -> str:
    if not phone.outcomes:
        return NO_OUTCOME_YET
    return "; ".join(
        f"{o.label} ({moment_cell(o.recorded_at, tz, now)})" + (f": {o.note}" if o.note else "")
        for o in phone.outcomes
    )


class HeldPhonesModel(RowTableModel[HeldPhone]):
    """One row per phone not yet collected. Rows with no outcome recorded today after
    closing time ask for attention."""

    def __init__(self, tz: ZoneInfo, parent: Any = None) -> None:
        super().__init__(parent)
        self._tz = tz
        self._now: datetime | None = None
        self._closing: datetime | None = None
        self.columns = (
            Column("Name", lambda h: h.pupil.name),
            Column("Form", lambda h: h.pupil.form),
            Column("Where", lambda h: h.place),
            Column("Since", lambda h: moment_cell(h.since, tz, self._now)),
            Column(
                "Outcomes so far",
                self._outcomes_column,
                tooltip=lambda h: plain_tooltip(outcomes_text(h, tz, self._now)),
            ),
        )

    def set_phones(
        self, phones: list[HeldPhone], *, now: datetime, closing: datetime | None
    ) -> None:
        self.beginResetModel()
        self._now, self._closing = now, closing
        self._rows = tuple(phones)
        self.endResetModel()

    def needs_attention(self, row: HeldPhone) -> bool:
        """After closing time, a phone with nothing recorded today needs an outcome."""
        if self._now is None or self._closing is None or self._now < self._closing:
            return False
        today = self._now.astimezone(self._tz).date()
        return not any(o.recorded_at.astimezone(self._tz).date() == today for o in row.outcomes)

    def attention_count(self) -> int:
        return sum(1 for row in self._rows if self.needs_attention(row))

    def _outcomes_column(self, phone: HeldPhone) -> str:
        text = outcomes_text(phone, self._tz, self._now)
        if self.needs_attention(phone):
            return f"{text} — needs an outcome" if phone.outcomes else f"{text} — needs one"
        return text
