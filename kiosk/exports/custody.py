"""``kiosk export custody``: every chain-of-custody entry for confiscated devices between two
dates, one line per movement, for the DSL's records or a police request."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.exports.writer import write_csv
from kiosk.services.confiscations import custody_events_between

if TYPE_CHECKING:
    from kiosk.context import KioskContext

HEADER = (
    "Confiscation",
    "When",
    "What happened",
    "By",
    "Where",
    "Details",
    "Officer",
    "Collar number or reference",
    "Pupil",
    "UPN",
    "Form",
    "Device",
    "Reason",
    "Status now",
)


def export_custody(ctx: KioskContext, start: date, end: date, out: Path) -> int:
    """Write the entries dated ``start`` to ``end`` (school dates, inclusive) to the CSV
    file ``out`` in time order, one row per entry; return how many rows.

    Times are the school's local time ("YYYY-MM-DD HH:MM"). The file is replaced whole or
    left untouched (see :func:`write_csv`); raises OSError when it cannot be written.
    """
    rows = (
        (
            c.id,
            event.at.astimezone(ctx.timezone).strftime("%Y-%m-%d %H:%M"),
            event.label,
            event.staff_name,
            event.location,
            event.detail,
            event.officer_name,
            event.officer_reference,
            c.pupil.name,
            c.pupil.upn or c.pupil.id_label,
            c.pupil.form,
            c.device,
            c.reason_text,
            c.status_text,
        )
        for c, event in custody_events_between(ctx, start, end)
    )
    return write_csv(out, HEADER, rows)
