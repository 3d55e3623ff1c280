"""`kiosk scan` on cards and badges, `kiosk on-site [--json]` and `kiosk badge VISIT_ID`.

The command line acts through the same scan service as the kiosk face, so a printed visitor
badge signs its visitor out from the command line too.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from kiosk.cli import EXIT_DONE, EXIT_REFUSED, main
from kiosk.codes.visitor_badge import BADGE_NOT_GENUINE
from kiosk.faults import EXIT_DATABASE_UNAVAILABLE
from kiosk.rows.people import Actor
from kiosk.services import visitors
from kiosk.services.audit import latest_change
from tests.conftest import LONDON
from tests.factories import make_visit
from tests.kiosk.printing.test_badges import decode


def on_site_json(db_url: str, capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    assert main(["--db", db_url, "on-site", "--json"]) == EXIT_DONE
    return json.loads(capsys.readouterr().out)


def test_scanning_a_printed_badge_signs_the_visitor_out_and_on_site_no_longer_lists_them(
    ctx, db_url: str, capsys
) -> None:
    signed = make_visit(ctx, name="Ms A Shah")
    printed = decode(visitors.badge_pdf(ctx, signed, "a6"))[0]
    assert [row["visit_id"] for row in on_site_json(db_url, capsys)] == [signed.visit.id]

    assert main(["--db", db_url, "scan", printed]) == EXIT_DONE

    captured = capsys.readouterr()
    assert captured.out == "SIGNED OUT Ms A Shah (Shah Electrical Ltd)\n"
    assert captured.err == ""
    assert on_site_json(db_url, capsys) == []


def test_scanning_a_badge_twice_refuses_the_second_time_with_one_line(
    ctx, db_url: str, capsys
) -> None:
    signed = make_visit(ctx)
    assert main(["--db", db_url, "scan", signed.badge_code]) == EXIT_DONE
    capsys.readouterr()
    before = latest_change(ctx)

    assert main(["--db", db_url, "scan", signed.badge_code]) == EXIT_REFUSED

    captured = capsys.readouterr()
    assert captured.err == visitors.SIGNED_OUT_ALREADY + "\n"
    assert captured.out == ""
    assert latest_change(ctx) == before


def test_scanning_a_forged_badge_changes_nothing(ctx, db_url: str, capsys) -> None:
    signed = make_visit(ctx)
    genuine = signed.badge_code
    forged = genuine[:-1] + ("A" if genuine[-1] != "A" else "B")
    before = latest_change(ctx)

    assert main(["--db", db_url, "scan", forged]) == EXIT_REFUSED

    assert capsys.readouterr().err == BADGE_NOT_GENUINE + "\n"
    assert [v.id for v in visitors.on_site(ctx)] == [signed.visit.id]
    assert latest_change(ctx) == before


def test_on_site_json_gives_each_visit_with_since_in_school_time(
    ctx, clock, db_url: str, capsys
) -> None:
    clock.set(datetime(2026, 6, 16, 9, 5, tzinfo=LONDON))  # summer time: UTC+1
    first = make_visit(ctx, name="Siobhán Ní Bhriain", organisation="", category="parent_carer")
    clock.set(datetime(2026, 6, 16, 10, 30, tzinfo=LONDON))
    second = make_visit(ctx, name="Ms A Shah")
    gone = make_visit(ctx, name="Mr Gone Home")
    visitors.sign_out_by_badge(ctx, gone.badge_code)

    rows = on_site_json(db_url, capsys)

    assert rows == [
        {
            "visit_id": first.visit.id,
            "name": "Siobhán Ní Bhriain",
            "organisation": "",
            "category": "Parent or carer",
            "host": "Site manager",
            "since": "2026-06-16T09:05:00+01:00",
        },
        {
            "visit_id": second.visit.id,
            "name": "Ms A Shah",
            "organisation": "Shah Electrical Ltd",
            "category": "Contractor",
            "host": "Site manager",
            "since": "2026-06-16T10:30:00+01:00",
        },
    ]


def test_on_site_lists_visitors_one_a_line_with_a_count(ctx, db_url: str, capsys) -> None:
    signed = make_visit(ctx, name="Ms A Shah")

    assert main(["--db", db_url, "on-site"]) == EXIT_DONE

    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"{signed.visit.id:>6}  Ms A Shah (Shah Electrical Ltd) · Contractor, "
        "visiting Site manager  since Tue 24 Nov 08:40",
        "1 visitor(s) on site.",
    ]


def test_on_site_says_so_when_nobody_is_signed_in(db_url: str, capsys) -> None:
    assert main(["--db", db_url, "on-site"]) == EXIT_DONE
    assert capsys.readouterr().out == "Nobody is signed in as a visitor.\n"


def test_badge_reprint_carries_the_code_the_kiosk_printed_and_signs_the_visitor_out(
    ctx, db_url: str, tmp_path: Path, capsys
) -> None:
    signed = make_visit(ctx, name="Ms A Shah")
    out = tmp_path / "badge.pdf"

    assert main(["--db", db_url, "badge", str(signed.visit.id), "--out", str(out)]) == EXIT_DONE

    assert capsys.readouterr().out == (
        f"Badge for Ms A Shah (visit {signed.visit.id}) written to {out}\n"
    )
    pdf = out.read_bytes()
    assert decode(pdf) == [signed.badge_code]
    assert decode(pdf) == decode(visitors.badge_pdf(ctx, signed))
    assert "Ms A Shah" in pdfium.PdfDocument(pdf)[0].get_textpage().get_text_range()
    assert main(["--db", db_url, "scan", decode(pdf)[0]]) == EXIT_DONE
    assert visitors.on_site(ctx) == []


def test_badge_reprint_after_a_desk_reissue_carries_the_new_code(
    ctx, db_url: str, receptionist: Actor, tmp_path: Path
) -> None:
    signed = make_visit(ctx)
    reissued = visitors.reissue_badge(ctx, receptionist, signed.visit.id)
    out = tmp_path / "badge.pdf"

    assert main(["--db", db_url, "badge", str(signed.visit.id), "--out", str(out)]) == EXIT_DONE

    assert decode(out.read_bytes()) == [reissued.badge_code]
    assert reissued.badge_code != signed.badge_code


def test_badge_reprint_at_the_label_size(ctx, db_url: str, tmp_path: Path) -> None:
    signed = make_visit(ctx)
    out = tmp_path / "label.pdf"

    assert (
        main(
            ["--db", db_url, "badge", str(signed.visit.id), "--out", str(out), "--size", "label62"]
        )
        == EXIT_DONE
    )

    width, height = pdfium.PdfDocument(out.read_bytes())[0].get_size()
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (62, 100)


def test_badge_for_an_unknown_visit_is_refused_and_writes_nothing(
    db_url: str, tmp_path: Path, capsys
) -> None:
    out = tmp_path / "badge.pdf"

    assert main(["--db", db_url, "badge", "4242", "--out", str(out)]) == EXIT_REFUSED

    captured = capsys.readouterr()
    assert captured.err == "Visit 4242 is not on record; no badge written.\n"
    assert captured.out == ""
    assert not out.exists()


def test_badge_for_a_signed_out_visit_is_refused_and_writes_nothing(
    ctx, db_url: str, tmp_path: Path, capsys
) -> None:
    signed = make_visit(ctx, name="Ms A Shah")
    visitors.sign_out_by_badge(ctx, signed.badge_code)
    out = tmp_path / "badge.pdf"

    assert main(["--db", db_url, "badge", str(signed.visit.id), "--out", str(out)]) == EXIT_REFUSED

    assert capsys.readouterr().err == (
        f"Visit {signed.visit.id} (Ms A Shah) has been signed out; no badge written.\n"
    )
    assert not out.exists()


def test_help_documents_the_exit_status(capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])

    assert exited.value.code == 0
    help_text = capsys.readouterr().out
    assert "exit status:" in help_text
    assert f"{EXIT_REFUSED}  refused, not found or not recorded" in help_text


def test_an_unreachable_database_is_one_plain_line_not_a_traceback(capsys) -> None:
    status = main(["--db", "postgresql://nobody@127.0.0.1:1/nothing", "on-site"])

    captured = capsys.readouterr()
    assert status == EXIT_DATABASE_UNAVAILABLE
    assert captured.err.startswith(
        "The database cannot be used: the database server cannot be reached "
        "(Connection refused)."
    )
    assert len(captured.err.splitlines()) == 1
    assert "Traceback" not in captured.err


def test_scanning_on_a_database_another_program_is_writing_says_busy_in_one_line(
    ctx, db_url: str, tmp_path: Path
) -> None:
    """Run as its own process, as the school's scripts run it: standard error is exactly the
    one plain line, with no traceback and no log noise, and the exit status is 3."""
    import sqlite3
    import subprocess
    import sys

    from kiosk.services.pupils import card_payload
    from tests.factories import make_pupil

    card = card_payload(ctx, make_pupil(ctx))
    before = latest_change(ctx)
    other = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        done = subprocess.run(
            [sys.executable, "-m", "kiosk.cli", "--db", db_url, "scan", card],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=Path(__file__).resolve().parents[3],
        )
    finally:
        other.execute("ROLLBACK")
        other.close()

    assert done.returncode == EXIT_DATABASE_UNAVAILABLE == 3
    assert done.stdout == ""
    assert done.stderr == (
        "The database is busy (another program or desk is writing to it). "
        "Wait a moment and try again. Nothing was recorded.\n"
    )
    assert latest_change(ctx) == before
