"""The board's compact list: one row per phone held, by receptacle then slot number."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from ui.models.formatting import moment_cell
from ui.models.row_table import Column, RowTableModel

STATE_WORDS = {
    "held": "",
    "flagged": "No permission on file",
    "overdue": "Held since before today",
}


@dataclass(frozen=True, slots=True)
class HeldSlotLine:
    """One phone held: where (a receptacle and slot, or another place with no slot), whose,
    since when (UTC), and its board state ("held", "flagged" or "overdue")."""

    place: str
    slot: int | None
    custody_id: int
    pupil_name: str
    form: str
    since: datetime | None
    state: str


class HeldSlotsModel(RowTableModel[HeldSlotLine]):
    """Receptacle, slot, pupil, form, since and a note; flagged and overdue rows ask for
    attention (the grid's colours, said in words here)."""

    def __init__(self, tz: ZoneInfo, parent: Any = None) -> None:
        super().__init__(parent)
        self.now: datetime | None = None
        self.columns = (
            Column("Receptacle", lambda r: r.place),
            Column("Slot", lambda r: str(r.slot) if r.slot is not None else "—", align_right=True),
            Column("Pupil", lambda r: r.pupil_name),
            Column("Form", lambda r: r.form),
            Column(
                "Handed in",
                lambda r: moment_cell(r.since, tz, self.now) if r.since is not None else "",
            ),
            Column("Note", lambda r: STATE_WORDS.get(r.state, "")),
        )

    def needs_attention(self, row: HeldSlotLine) -> bool:
        """Flagged (no permission) and overdue phones are marked, as on the grid."""
        return row.state in ("flagged", "overdue")
