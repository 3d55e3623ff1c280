"""`kiosk roll-call`, `kiosk purge-visitors [--dry-run]` and `kiosk export visitors`."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pypdfium2 as pdfium

from kiosk.cli import main
from kiosk.services import visitors
from tests.factories import make_visit


def test_roll_call_command_writes_who_is_on_site(ctx, db_url: str, tmp_path: Path, capsys) -> None:
    make_visit(ctx, name="Siobhán Ní Bhriain")
    out = tmp_path / "roll.pdf"
    assert main(["--db", db_url, "roll-call", "--out", str(out)]) == 0
    assert "1 visitor(s) on site" in capsys.readouterr().out
    assert "Siobhán Ní Bhriain" in pdfium.PdfDocument(out)[0].get_textpage().get_text_range()


def test_export_visitors_writes_the_visitor_book_with_formula_cells_neutralised(
    ctx, db_url: str, tmp_path: Path
) -> None:
    signed = make_visit(ctx, name="=HYPERLINK(1)", organisation="Acme & Co")
    visitors.sign_out_by_badge(ctx, signed.badge_code)
    out = tmp_path / "visitors.csv"
    assert (
        main(
            [
                "--db",
                db_url,
                "export",
                "visitors",
                "--from",
                "2026-11-24",
                "--to",
                "2026-11-24",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert len(rows) == 1
    assert rows[0]["name"] == "'=HYPERLINK(1)"
    assert rows[0]["organisation"] == "Acme & Co"
    assert rows[0]["time in"] == "08:40" and rows[0]["signed out by"] == "badge scan"
    assert rows[0]["category"] == "Contractor"
    empty = tmp_path / "none.csv"
    assert (
        main(
            [
                "--db",
                db_url,
                "export",
                "visitors",
                "--from",
                "2026-11-25",
                "--to",
                "2026-11-30",
                "--out",
                str(empty),
            ]
        )
        == 0
    )
    assert len(list(csv.DictReader(empty.open(encoding="utf-8-sig")))) == 0


def test_purge_dry_run_command_lists_and_changes_nothing(
    ctx, db_url: str, clock, manager, capsys
) -> None:
    visitors.update_visitor_settings(ctx, manager, retention_days=30)
    # The command runs on the real clock: the visit was 40 days before it.
    clock.set(datetime.now(UTC) - timedelta(days=40))
    make_visit(ctx, name="Old Visitor")
    assert main(["--db", db_url, "purge-visitors", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Old Visitor" in out and "Nothing was changed" in out
    assert (
        len(
            visitors.visits_between(ctx, clock() - timedelta(days=400), clock() + timedelta(days=1))
        )
        == 1
    )
    assert main(["--db", db_url, "purge-visitors"]) == 0
    assert "removed 1 visit(s)" in capsys.readouterr().out
    assert (
        visitors.visits_between(ctx, clock() - timedelta(days=400), clock() + timedelta(days=1))
        == []
    )
