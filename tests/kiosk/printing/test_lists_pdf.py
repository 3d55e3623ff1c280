"""The desk's lists on paper: what the printed page says, read back with pdftotext."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest

from kiosk.clock import FixedClock
from kiosk.context import KioskContext
from kiosk.printing.lists import list_pdf_bytes
from kiosk.rows.lists import (
    confiscations_held_table,
    end_of_day_table,
    on_site_table,
    phone_log_table,
)
from kiosk.services import confiscations, custody, phone_log, visitors
from tests.conftest import LONDON
from tests.lists_data import make_lists_day

PRINTED_AT = datetime(2026, 11, 24, 16, 45, tzinfo=LONDON)


def text_of(pdf: bytes, tmp_path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    source = tmp_path / "list.pdf"
    source.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(source), "-"], capture_output=True, text=True, check=True
    ).stdout


def lines_with(text: str, *words: str) -> list[str]:
    return [line for line in text.splitlines() if all(w in line for w in words)]


def test_end_of_day_list_prints_each_tray_in_slot_order_with_names(
    ctx: KioskContext, clock: FixedClock, tmp_path: Path
) -> None:
    make_lists_day(ctx, clock)
    _closing, phones = custody.end_of_day(ctx)

    text = text_of(
        list_pdf_bytes(
            end_of_day_table(phones, LONDON),
            school_name="Hillside School",
            printed_at=PRINTED_AT,
            timezone=LONDON,
        ),
        tmp_path,
    )

    assert "End-of-day list — Hillside School" in text
    assert "Printed at 16:45 on Tuesday 24 November 2026. 3 phones not yet collected." in text
    places = [line.split("  ")[0] for line in text.splitlines() if "· slot" in line]
    assert places == ["Tray A · slot 1", "Tray A · slot 2", "Tray B · slot 1"]
    assert lines_with(text, "Tray A · slot 1", "Zoë Ní Bhriain", "7A", "Tue 24 Nov 2026 08:31")
    assert lines_with(text, "Tray B · slot 1", "Haddad", "8B")
    assert "Page 1 of 1" in text


def test_on_site_list_prints_visitors_with_host_and_escort(
    ctx: KioskContext, clock: FixedClock, tmp_path: Path
) -> None:
    make_lists_day(ctx, clock)

    text = text_of(
        list_pdf_bytes(
            on_site_table(visitors.on_site(ctx), LONDON),
            school_name="Hillside School",
            printed_at=PRINTED_AT,
            timezone=LONDON,
        ),
        tmp_path,
    )

    assert "Visitors on site — Hillside School" in text
    assert "1 visitor signed in and not signed out." in text
    assert lines_with(text, "Łukasz Wiśniewski", "=Sparks & Co", "Contractor", "Mrs Bevan")
    assert lines_with(text, "Łukasz Wiśniewski", "Escorted")
    assert "10:05" in text


def test_confiscations_held_list_prints_where_each_device_is(
    ctx: KioskContext, clock: FixedClock, tmp_path: Path
) -> None:
    make_lists_day(ctx, clock)

    text = text_of(
        list_pdf_bytes(
            confiscations_held_table(confiscations.open_confiscations(ctx), LONDON),
            school_name="",
            printed_at=PRINTED_AT,
            timezone=LONDON,
        ),
        tmp_path,
    )

    assert "Confiscated devices held" in text
    assert "1 device held." in text
    assert lines_with(text, "Safe · bag 0042", "Zoë Ní Bhriain", "Blue Samsung", "Ms Ada Manager")


def test_telephone_log_prints_the_calls_of_the_dates_asked_for(
    ctx: KioskContext, clock: FixedClock, tmp_path: Path
) -> None:
    make_lists_day(ctx, clock)
    day = date(2026, 11, 24)

    text = text_of(
        list_pdf_bytes(
            phone_log_table(phone_log.calls_between(ctx, day, day), LONDON, day, day),
            school_name="Hillside School",
            printed_at=PRINTED_AT,
            timezone=LONDON,
        ),
        tmp_path,
    )

    assert "Telephone log — Hillside School" in text
    assert "1 call, Tue 24 Nov 2026." in text
    assert lines_with(text, "2026-11-24", "10:05", "Mr Ben Desk")
    assert "Mrs Haddad" in text
    assert "Phone left in the" in text


def test_an_empty_list_says_so_on_the_page(ctx: KioskContext, tmp_path: Path) -> None:
    text = text_of(
        list_pdf_bytes(
            end_of_day_table([], LONDON), school_name="", printed_at=PRINTED_AT, timezone=LONDON
        ),
        tmp_path,
    )

    assert "Every phone has been collected." in text
    assert "0 phones not yet collected." in text


def test_a_long_list_runs_over_pages_each_numbered_of_the_whole(
    ctx: KioskContext, clock: FixedClock, tmp_path: Path
) -> None:
    make_lists_day(ctx, clock)
    _closing, phones = custody.end_of_day(ctx)

    text = text_of(
        list_pdf_bytes(
            end_of_day_table(phones * 40, LONDON),
            school_name="",
            printed_at=PRINTED_AT,
            timezone=LONDON,
        ),
        tmp_path,
    )

    pages = [line.strip() for line in text.splitlines() if line.strip().startswith("Page ")]
    assert len(pages) >= 3
    assert pages == [f"Page {n} of {len(pages)}" for n in range(1, len(pages) + 1)]
