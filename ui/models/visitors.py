"""Tables of the Visitors tab: who is on site now, and the alert list."""

from __future__ import annotations

from collections.abc import Set
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject

from kiosk.rows.visitors import AlertRow, VisitRow
from ui.models.formatting import moment_cell
from ui.models.row_table import Column, RowTableModel


def tick(value: bool) -> str:
    """A check recorded (✓) or not (—)."""
    return "✓" if value else "—"


class OnSiteModel(RowTableModel[VisitRow]):
    """Visitors signed in and not yet out; those still on site after closing stand out.

    ``late`` holds the ids of those visits and ``now`` the moment the list was read (both
    set by the panel before ``set_rows``): a visitor still signed in from an earlier day
    reads "16:05 yesterday".
    """

    def __init__(self, tz: ZoneInfo, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = (
            Column("In at", lambda v: moment_cell(v.signed_in_at, tz, self.now)),
            Column("Name", lambda v: v.name),
            Column("Organisation", lambda v: v.organisation),
            Column("Category", lambda v: v.category_label),
            Column("Visiting", lambda v: v.host_name),
            Column("Car", lambda v: v.car_registration),
            Column("ID checked", lambda v: tick(v.id_checked)),
            Column("DBS", lambda v: tick(v.dbs_assured)),
            Column("Escort", lambda v: "Escorted" if v.escorted else "Unescorted"),
        )
        self.late: Set[int] = frozenset()
        self.now: datetime | None = None

    def needs_attention(self, row: VisitRow) -> bool:
        return row.id in self.late


class AlertListModel(RowTableModel[AlertRow]):
    """People not to be admitted, with the note and who added them."""

    columns = (
        Column("Name", lambda a: a.name),
        Column("Note", lambda a: a.note, stretch=True),
        Column("Added by", lambda a: a.added_by),
    )
