"""`kiosk export calls`: the telephone log between two dates as CSV."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.exports.writer import write_csv
from kiosk.rows.calls import CALL_KINDS, PHONES_USED
from kiosk.services.phone_log import calls_between

if TYPE_CHECKING:
    from kiosk.context import KioskContext

HEADER = (
    "Date",
    "Time",
    "Kind",
    "Member of staff",
    "Pupil",
    "Contact",
    "Number",
    "Phone used",
    "Number withheld",
    "Permitted by",
    "Purpose",
    "Outcome",
    "Recorded by",
)


def export_calls(ctx: KioskContext, start: date, end: date, out: Path) -> int:
    """Write the calls made on school dates ``start`` to ``end`` (inclusive, midnight to
    midnight school time) to the CSV file ``out``, oldest first; return how many rows.

    Dates and times are the school's local time (HH:MM); kinds and phones are their labels.
    The file is replaced whole or left untouched (see :func:`write_csv`); raises OSError
    when it cannot be written.
    """
    rows = []
    for call in calls_between(ctx, start, end):
        local = call.called_at.astimezone(ctx.timezone)
        rows.append(
            (
                local.date().isoformat(),
                local.strftime("%H:%M"),
                CALL_KINDS[call.kind],
                call.staff_name,
                call.pupil_name,
                call.contact,
                call.number,
                PHONES_USED[call.phone_used],
                "yes" if call.number_withheld else "no",
                call.permitted_by,
                call.purpose,
                call.outcome,
                call.recorded_by,
            )
        )
    return write_csv(out, HEADER, rows)
