"""``kiosk export visitors``: the visitor book between two dates as CSV."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.exports.writer import write_csv
from kiosk.rows.visitors import SIGNED_OUT_HOW
from kiosk.services.visitors import visits_between

if TYPE_CHECKING:
    from kiosk.context import KioskContext

HEADER = (
    "date",
    "time in",
    "time out",
    "name",
    "organisation",
    "category",
    "visiting",
    "car registration",
    "ID checked",
    "DBS assurance",
    "escorted",
    "signed out by",
    "rules version signed",
)


def export_visitors(ctx: KioskContext, start: date, end: date, out: Path) -> int:
    """Write the visits that began on days ``start`` to ``end`` (inclusive, school time)
    to the CSV file ``out``, oldest first; return the row count.

    Dates and times in and out are the school's local time; a visit still open has an
    empty "time out". The file is replaced whole or left untouched (see :func:`write_csv`);
    raises OSError when it cannot be written.
    """
    tz = ctx.timezone
    begin = datetime.combine(start, time.min, tzinfo=tz)
    finish = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)

    def rows() -> Iterator[tuple[object, ...]]:
        for visit in visits_between(ctx, begin, finish):
            arrived = visit.signed_in_at.astimezone(tz)
            # A visit closed as "not signed out" has no time of leaving: it is unknown.
            left = (
                visit.signed_out_at.astimezone(tz)
                if visit.signed_out_at and visit.signed_out_how != "not_signed_out"
                else None
            )
            yield (
                arrived.date(),
                f"{arrived:%H:%M}",
                f"{left:%H:%M}" if left else "",
                visit.name,
                visit.organisation,
                visit.category_label,
                visit.host_name,
                visit.car_registration,
                "yes" if visit.id_checked else "no",
                "yes" if visit.dbs_assured else "no",
                "yes" if visit.escorted else "no",
                SIGNED_OUT_HOW.get(visit.signed_out_how or "", ""),
                visit.policy_version or "",
            )

    return write_csv(out, HEADER, rows())
