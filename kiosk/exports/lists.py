"""The desk's lists as CSV files: the end-of-day list, visitors on site, confiscated devices
held and the telephone log, with the same columns as the printed lists
(:mod:`kiosk.rows.lists`) and every cell made safe for a spreadsheet (:mod:`.writer`)."""

from __future__ import annotations

from pathlib import Path

from kiosk.exports.writer import write_csv
from kiosk.rows.lists import ListTable


def write_list_csv(table: ListTable, out: Path) -> int:
    """Write every column of ``table`` (those only in the file as well as those on paper)
    to the CSV file ``out``; return the number of rows.

    Cells that a spreadsheet would run as a formula are neutralised; the file is replaced
    whole or left untouched (see :func:`~kiosk.exports.writer.write_csv`); raises OSError
    when it cannot be written.
    """
    return write_csv(out, table.headings, table.rows)
