"""CSV exports open in a spreadsheet as plain text, never as formulas."""

from __future__ import annotations

import csv
from datetime import UTC, datetime

from kiosk.exports.writer import safe_cell, write_csv


def test_cells_that_a_spreadsheet_would_run_are_neutralised() -> None:
    assert [safe_cell(v) for v in ("=SUM(A1)", "+44 7700", "-x", "@cmd", "\tx", "\rx")] == [
        "'=SUM(A1)",
        "'+44 7700",
        "'-x",
        "'@cmd",
        "'\tx",
        "'\rx",
    ]
    assert safe_cell(-3) == "-3"
    assert safe_cell(None) == ""
    assert safe_cell('Zoë & <Co> "x" 📱') == 'Zoë & <Co> "x" 📱'
    assert safe_cell(datetime(2026, 11, 24, 9, 0, tzinfo=UTC)) == "2026-11-24T09:00:00+00:00"


def test_write_csv_writes_utf8_with_bom_and_counts_rows(tmp_path) -> None:
    out = tmp_path / "export.csv"
    assert write_csv(out, ["name", "note"], [["Łukasz", "=1+1"], ["Siobhán", "ok"]]) == 2
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as fh:
        assert list(csv.reader(fh)) == [["name", "note"], ["Łukasz", "'=1+1"], ["Siobhán", "ok"]]
    assert [p.name for p in tmp_path.iterdir()] == ["export.csv"]
