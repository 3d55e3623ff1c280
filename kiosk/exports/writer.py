"""Writing CSV exports that open safely in a spreadsheet.

A cell that starts with ``= + - @``, a tab or a carriage return would be run as a formula
by Excel or LibreOffice; such cells get a leading apostrophe, which spreadsheets show as
text. Files are UTF-8 with a byte-order mark so Excel reads accents and emoji correctly.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """The text to write for one CSV cell: "" for None, ISO 8601 for a date or datetime,
    a number as it is, and any other text with a leading apostrophe when it starts like a
    formula (``= + - @``, tab or carriage return), so a spreadsheet shows it as text."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return text  # a negative number is a number, not a formula
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_csv(out: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Write ``rows`` under ``header`` to ``out`` (all or nothing); return the row count.

    The file is UTF-8 with a byte-order mark, every cell passed through :func:`safe_cell`.
    Rows go to a hidden ``.NAME.partial`` file beside ``out`` that replaces ``out`` only
    once complete, so an error (OSError from the disk, or any error raised while `rows` is
    iterated) leaves ``out`` as it was and is raised to the caller.
    """
    out = Path(out)
    partial = out.with_name(f".{out.name}.partial")
    count = 0
    try:
        with partial.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            for row in rows:
                writer.writerow([safe_cell(v) for v in row])
                count += 1
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return count
