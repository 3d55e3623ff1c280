"""Small tables on the settings page: receptacles, release windows and staff."""

from __future__ import annotations

from typing import Any

from kiosk.rows.custody import ReceptacleRow
from kiosk.rows.people import StaffRow
from kiosk.rows.school import ReleaseWindowRow
from ui.models.row_table import Column, RowTableModel

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def years_text(year_groups: str) -> str:
    if not year_groups:
        return "Any year"
    if year_groups == "*":
        return "Every year"
    return "Years " + ", ".join(y.strip() for y in year_groups.split(",") if y.strip())


class ReceptacleModel(RowTableModel[ReceptacleRow]):
    columns = (
        Column("Name", lambda r: r.name),
        Column("Slots", lambda r: str(r.capacity), align_right=True),
        Column("For", lambda r: years_text(r.year_groups)),
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)


class ReleaseWindowModel(RowTableModel[ReleaseWindowRow]):
    columns = (
        Column("Day", lambda w: WEEKDAYS[w.weekday] if 0 <= w.weekday < 7 else str(w.weekday)),
        Column("From", lambda w: w.starts.strftime("%H:%M")),
        Column("To", lambda w: w.ends.strftime("%H:%M")),
        Column("Label", lambda w: w.label),
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)


class StaffModel(RowTableModel[StaffRow]):
    columns = (
        Column("Name", lambda s: s.name),
        Column("Role", lambda s: s.role.capitalize()),
        Column("Can sign in", lambda s: "Yes" if s.has_pin else "No PIN yet"),
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
