"""Tables of the Calls tab: the telephone log, educational trips and the staff directory."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject

from kiosk.rows.calls import CALL_KINDS, PHONES_USED, CallLogRow, DirectoryEntry, TripRow
from ui.models.formatting import plain_tooltip
from ui.models.row_table import Column, RowTableModel


def phone_text(call: CallLogRow) -> str:
    """The phone a call was made on, as the log shows it ("Personal phone (number withheld)")."""
    return PHONES_USED[call.phone_used] + (" (number withheld)" if call.number_withheld else "")


class CallLogModel(RowTableModel[CallLogRow]):
    """Calls on the telephone log, in school time; emergency calls stand out."""

    def __init__(self, tz: ZoneInfo, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = (
            Column("When", lambda c: c.called_at.astimezone(tz).strftime("%a %d %b %H:%M")),
            Column("Kind", lambda c: CALL_KINDS[c.kind]),
            Column("Staff", lambda c: c.staff_name),
            Column("Pupil", lambda c: c.pupil_name),
            Column("Contact", lambda c: c.contact),
            Column("Phone", phone_text),
            Column("Permitted by", lambda c: c.permitted_by),
            Column(
                "Purpose", lambda c: c.purpose, lambda c: plain_tooltip(c.purpose), stretch=True
            ),
            Column("Outcome", lambda c: c.outcome, lambda c: plain_tooltip(c.outcome)),
        )

    def needs_attention(self, row: CallLogRow) -> bool:
        return row.kind == "emergency"


class TripsModel(RowTableModel[TripRow]):
    """Educational trips coming up, with the numbers school calls the lead and deputy on."""

    columns = (
        Column("Date", lambda t: t.on_date.strftime("%a %d %b %Y")),
        Column("Destination", lambda t: t.destination + (" (cancelled)" if t.cancelled else "")),
        Column("Lead", lambda t: f"{t.lead_name} {t.lead_mobile}"),
        Column("Deputy", lambda t: f"{t.deputy_name} {t.deputy_mobile}".strip()),
        Column("Staff", lambda t: ", ".join(name for _id, name in t.attending), stretch=True),
    )


DirectoryLine = tuple[DirectoryEntry, str]
"""A directory entry with where the person is today: "" in school, else the trip's
destination."""


class DirectoryModel(RowTableModel[DirectoryLine]):
    """Directory rows with where each person is today; those out on a trip stand out."""

    columns = (
        Column("Name", lambda r: r[0].name),
        Column(
            "Today",
            lambda r: (
                (f"Out on a visit: {r[1]}" if r[1] else "In school")
                + (" · signs in at the desk" if r[0].can_sign_in else "")
            ),
        ),
        Column("Job title", lambda r: r[0].job_title),
        Column("Initials", lambda r: r[0].initials),
        Column("Pigeonhole", lambda r: r[0].pigeonhole),
        Column("Extension", lambda r: r[0].extension),
        Column("Email", lambda r: r[0].email),
        Column("Mobile", lambda r: r[0].mobile),
    )

    def needs_attention(self, row: DirectoryLine) -> bool:
        return bool(row[1])
