"""The desk's lists as tables of words, the one home for their columns: the end-of-day list,
visitors on site, confiscated devices held and the telephone log.

The printed list (``kiosk/printing/lists.py``) and the CSV export (``kiosk/exports/lists.py``)
both read these tables, so paper and spreadsheet always say the same thing. Times are the
school's local time; every cell is plain text (names as typed, in any script).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from kiosk.rows.calls import CALL_KINDS, PHONES_USED, CallLogRow
from kiosk.rows.confiscations import ConfiscationRow
from kiosk.rows.custody import HeldPhone
from kiosk.rows.visitors import VisitRow


@dataclass(frozen=True, slots=True)
class ListColumn:
    """One column: its heading, its share of the printed width (0 = not printed, only in
    the CSV file)."""

    heading: str
    weight: float = 1.0

    @property
    def on_paper(self) -> bool:
        return self.weight > 0


@dataclass(frozen=True, slots=True)
class ListTable:
    """A titled table of words: ``rows`` has one cell per column, in the columns' order;
    ``summary`` is the line under the title on paper ("3 phones still held")."""

    title: str
    columns: tuple[ListColumn, ...]
    rows: tuple[tuple[str, ...], ...]
    summary: str
    empty: str  # what the printed page says when there are no rows

    @property
    def headings(self) -> tuple[str, ...]:
        return tuple(c.heading for c in self.columns)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _when(moment: datetime, tz: ZoneInfo) -> str:
    local = moment.astimezone(tz)
    return f"{local:%a} {local.day} {local:%b %Y} {local:%H:%M}"


def end_of_day_table(phones: Sequence[HeldPhone], tz: ZoneInfo) -> ListTable:
    """The phones not yet collected, in the order given (the service's: receptacle in board
    order, then slot; phones out of a slot last), with where each is, since when (school
    time) and what has been recorded for it."""
    rows = []
    for phone in phones:
        outcomes = "; ".join(
            f"{o.label} ({_when(o.recorded_at, tz)}"
            + (f", {o.recorded_by}" if o.recorded_by else "")
            + ")"
            + (f": {o.note}" if o.note else "")
            for o in phone.outcomes
        )
        rows.append(
            (
                phone.place,
                phone.receptacle or "",
                "" if phone.slot is None else str(phone.slot),
                phone.pupil.name,
                phone.pupil.form,
                phone.pupil.upn or phone.pupil.id_label,
                _when(phone.since, tz),
                "yes" if phone.no_permission else "no",
                outcomes or "None yet",
            )
        )
    return ListTable(
        "End-of-day list",
        (
            ListColumn("Where", 1.3),
            ListColumn("Receptacle", 0),
            ListColumn("Slot", 0),
            ListColumn("Pupil", 1.5),
            ListColumn("Form", 0.6),
            ListColumn("UPN or pupil ID", 0),
            ListColumn("Handed in", 1.2),
            ListColumn("No permission on file", 0),
            ListColumn("Outcomes so far", 2.2),
        ),
        tuple(rows),
        f"{_plural(len(rows), 'phone', 'phones')} not yet collected.",
        "Every phone has been collected.",
    )


def on_site_table(visits: Sequence[VisitRow], tz: ZoneInfo) -> ListTable:
    """Visitors signed in and not out, in the order given (earliest arrival first)."""
    rows = tuple(
        (
            v.name,
            v.organisation,
            v.category_label,
            v.host_name,
            _when(v.signed_in_at, tz),
            v.car_registration,
            "yes" if v.id_checked else "no",
            "yes" if v.dbs_assured else "no",
            "Escorted" if v.escorted else "Unescorted",
        )
        for v in visits
    )
    return ListTable(
        "Visitors on site",
        (
            ListColumn("Name", 1.4),
            ListColumn("Organisation", 1.2),
            ListColumn("Category", 1.0),
            ListColumn("Visiting", 1.2),
            ListColumn("Signed in", 1.1),
            ListColumn("Car", 0.7),
            ListColumn("ID checked", 0),
            ListColumn("DBS assurance", 0),
            ListColumn("Escort", 0.8),
        ),
        rows,
        f"{_plural(len(rows), 'visitor', 'visitors')} signed in and not signed out.",
        "Nobody is signed in as a visitor.",
    )


def confiscations_held_table(confiscations: Sequence[ConfiscationRow], tz: ZoneInfo) -> ListTable:
    """Confiscated devices not yet released, in the order given, with where each is kept."""
    rows = tuple(
        (
            c.place,
            c.pupil.name,
            c.pupil.form,
            c.pupil.upn or c.pupil.id_label,
            c.device,
            c.reason_text,
            c.confiscated_by,
            _when(c.taken_at, tz),
            c.status_text,
        )
        for c in confiscations
        if c.is_open
    )
    return ListTable(
        "Confiscated devices held",
        (
            ListColumn("Where", 1.1),
            ListColumn("Pupil", 1.3),
            ListColumn("Form", 0.5),
            ListColumn("UPN or pupil ID", 0),
            ListColumn("Device", 1.4),
            ListColumn("Reason", 1.2),
            ListColumn("Confiscated by", 1.1),
            ListColumn("Taken", 1.1),
            ListColumn("Status", 0.9),
        ),
        rows,
        f"{_plural(len(rows), 'device', 'devices')} held.",
        "No confiscated devices are held.",
    )


def phone_log_table(calls: Sequence[CallLogRow], tz: ZoneInfo, start: date, end: date) -> ListTable:
    """The telephone log between the school dates ``start`` and ``end`` (inclusive), in
    the order given (oldest first)."""
    rows = []
    for call in calls:
        local = call.called_at.astimezone(tz)
        rows.append(
            (
                local.date().isoformat(),
                local.strftime("%H:%M"),
                CALL_KINDS.get(call.kind, call.kind),
                call.staff_name,
                call.pupil_name,
                call.contact,
                call.number,
                PHONES_USED.get(call.phone_used, call.phone_used),
                "yes" if call.number_withheld else "no",
                call.permitted_by,
                call.purpose,
                call.outcome,
                call.recorded_by,
            )
        )
    span = (
        f"{start:%a} {start.day} {start:%b %Y}"
        if start == end
        else f"{start:%a} {start.day} {start:%b %Y} to {end:%a} {end.day} {end:%b %Y}"
    )
    return ListTable(
        "Telephone log",
        (
            ListColumn("Date", 0.9),
            ListColumn("Time", 0.5),
            ListColumn("Kind", 1.0),
            ListColumn("Member of staff", 1.1),
            ListColumn("Pupil", 1.1),
            ListColumn("Contact", 1.0),
            ListColumn("Number", 0.9),
            ListColumn("Phone used", 0.9),
            ListColumn("Number withheld", 0),
            ListColumn("Permitted by", 0),
            ListColumn("Purpose", 1.3),
            ListColumn("Outcome", 1.3),
            ListColumn("Recorded by", 0),
        ),
        tuple(rows),
        f"{_plural(len(rows), 'call', 'calls')}, {span}.",
        "No calls are on record for these dates.",
    )
