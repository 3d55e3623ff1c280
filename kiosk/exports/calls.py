"""`kiosk export calls`: the telephone log between two dates as CSV."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from kiosk.exports.lists import write_list_csv
from kiosk.rows.lists import phone_log_table
from kiosk.services.phone_log import calls_between

if TYPE_CHECKING:
    from kiosk.context import KioskContext

HEADER = phone_log_table((), ZoneInfo("UTC"), date.min, date.min).headings


def export_calls(ctx: KioskContext, start: date, end: date, out: Path) -> int:
    """Write the calls made on school dates ``start`` to ``end`` (inclusive, midnight to
    midnight school time) to the CSV file ``out``, oldest first; return how many rows.

    Dates and times are the school's local time (HH:MM); kinds and phones are their labels;
    the columns are the telephone log's (:func:`kiosk.rows.lists.phone_log_table`). The
    file is replaced whole or left untouched (see :func:`write_csv`); raises OSError when
    it cannot be written.
    """
    table = phone_log_table(calls_between(ctx, start, end), ctx.timezone, start, end)
    return write_list_csv(table, out)
