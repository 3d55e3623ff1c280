"""Tables of the Confiscations tab: devices held, a device's chain of custody, and the
pupil's parents and carers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject

from kiosk.clock import say_when
from kiosk.rows.confiscations import ConfiscationRow, CustodyEventRow
from kiosk.rows.people import ContactRow
from ui.models.formatting import plain_tooltip, school_timestamp
from ui.models.row_table import Column, RowTableModel


class ConfiscationsModel(RowTableModel[ConfiscationRow]):
    """Devices not yet released; those held for the DSL or with the police stand out.

    ``now`` gives the current moment (UTC-aware), so "Taken" reads "08:40 today".
    """

    def __init__(
        self, tz: ZoneInfo, now: Callable[[], datetime], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.columns = (
            Column("Taken", lambda c: say_when(c.taken_at, now(), tz, bare=True)),
            Column("Pupil", lambda c: c.pupil.name),
            Column("Form", lambda c: c.pupil.form),
            Column("Device", lambda c: c.device, stretch=True),
            Column("Status", lambda c: c.status_text),
            Column("Where", lambda c: c.place),
        )

    def needs_attention(self, row: ConfiscationRow) -> bool:
        return row.status in ("dsl", "police")


def officer_text(event: CustodyEventRow) -> str:
    """The police officer's name and reference on a hand-over, "" when there was none."""
    return " · ".join(part for part in (event.officer_name, event.officer_reference) if part)


class CustodyChainModel(RowTableModel[CustodyEventRow]):
    """One row per chain-of-custody entry, oldest first, in school time."""

    def __init__(self, tz: ZoneInfo, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = (
            Column("When", lambda e: school_timestamp(e.at, tz)),
            Column("What happened", lambda e: e.label),
            Column("By", lambda e: e.staff_name),
            Column("Where", lambda e: e.location),
            Column("Officer", officer_text),
            Column(
                "Details",
                lambda e: e.detail,
                tooltip=lambda e: plain_tooltip(e.detail),
                stretch=True,
            ),
        )


class ContactsModel(RowTableModel[ContactRow]):
    """A pupil's parents and carers; those who may not collect, or whom no manager has
    confirmed yet, stand out."""

    columns = (
        Column("Name", lambda c: c.name),
        Column("Relationship", lambda c: c.relationship),
        Column("Phone", lambda c: c.phone),
        Column("Email", lambda c: c.email),
        Column("May collect", lambda c: "Yes" if c.may_collect else "No"),
        Column("Confirmed", lambda c: "Yes" if c.verified else "Not yet: ask a manager"),
    )

    def needs_attention(self, row: ContactRow) -> bool:
        return not row.may_collect or not row.verified
