"""The desk's lists as CSV: the columns, the values, and cells a spreadsheet would run as
formulas neutralised."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from kiosk.clock import FixedClock
from kiosk.context import KioskContext
from kiosk.exports.calls import export_calls
from kiosk.exports.lists import write_list_csv
from kiosk.rows.lists import (
    confiscations_held_table,
    end_of_day_table,
    on_site_table,
    phone_log_table,
)
from kiosk.services import confiscations, custody, phone_log, visitors
from tests.conftest import LONDON
from tests.lists_data import make_lists_day


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return next(csv.reader(fh))


def test_end_of_day_csv_has_receptacle_and_slot_columns_in_tray_order(
    ctx: KioskContext, clock: FixedClock, tmp_path: Path
) -> None:
    day = make_lists_day(ctx, clock)
    out = tmp_path / "end-of-day.csv"

    assert write_list_csv(end_of_day_table(custody.end_of_day(ctx)[1], LONDON), out) == 3

    assert header(out) == [
        "Where",
        "Receptacle",
        "Slot",
        "Pupil",
        "Form",
        "UPN or pupil ID",
        "Handed in",
        "No permission on file",
        "Outcomes so far",
    ]
    rows = read(out)
    assert [(r["Receptacle"], r["Slot"]) for r in rows] == [
        ("Tray A", "1"),
        ("Tray A", "2"),
        ("Tray B", "1"),
    ]
    first = rows[0]
    assert first["Pupil"] == "Zoë Ní Bhriain"
    assert first["UPN or pupil ID"] == day.zoe.upn
    assert first["Handed in"] == "Tue 24 Nov 2026 08:31"
    assert first["Outcomes so far"] == "None yet"


def test_end_of_day_csv_says_what_was_recorded_and_by_whom(
    ctx: KioskContext, clock: FixedClock, tmp_path: Path
) -> None:
    day = make_lists_day(ctx, clock)
    phone = next(p for p in custody.end_of_day(ctx)[1] if p.pupil.id == day.walid.id)
    custody.record_outcome(ctx, day.desk, phone.custody_id, "parent_called", "Mum at 17:30")
    out = tmp_path / "end-of-day.csv"

    write_list_csv(end_of_day_table(custody.end_of_day(ctx)[1], LONDON), out)

    walid = next(r for r in read(out) if r["Form"] == "8B")
    assert walid["Outcomes so far"] == (
        "Parent or carer called (Tue 24 Nov 2026 10:05, Mr Ben Desk): Mum at 17:30"
    )


def test_on_site_csv_neutralises_a_formula_and_keeps_the_name(
    ctx: KioskContext, clock: FixedClock, tmp_path: Path
) -> None:
    make_lists_day(ctx, clock)
    out = tmp_path / "on-site.csv"

    assert write_list_csv(on_site_table(visitors.on_site(ctx), LONDON), out) == 1

    (visitor,) = read(out)
    assert visitor == {
        "Name": "Łukasz Wiśniewski",
        "Organisation": "'=Sparks & Co",
        "Category": "Contractor",
        "Visiting": "Mrs Bevan",
        "Signed in": "Tue 24 Nov 2026 10:05",
        "Car": "AB12 CDE",
        "ID checked": "no",
        "DBS assurance": "no",
        "Escort": "Escorted",
    }


def test_confiscations_held_csv_lists_open_devices_only(
    ctx: KioskContext, clock: FixedClock, tmp_path: Path
) -> None:
    make_lists_day(ctx, clock)
    out = tmp_path / "confiscations.csv"

    assert (
        write_list_csv(confiscations_held_table(confiscations.open_confiscations(ctx), LONDON), out)
        == 1
    )

    (device,) = read(out)
    assert (device["Where"], device["Pupil"], device["Device"]) == (
        "Safe · bag 0042",
        "Zoë Ní Bhriain",
        "Blue Samsung",
    )
    assert (device["Confiscated by"], device["Taken"], device["Status"]) == (
        "Ms Ada Manager",
        "Tue 24 Nov 2026 10:05",
        "Held at the office",
    )


def test_telephone_log_csv_from_the_desk_matches_the_command_line_export(
    ctx: KioskContext, clock: FixedClock, tmp_path: Path
) -> None:
    make_lists_day(ctx, clock)
    day = date(2026, 11, 24)
    desk_file, command_line_file = tmp_path / "desk.csv", tmp_path / "cli.csv"

    write_list_csv(
        phone_log_table(phone_log.calls_between(ctx, day, day), LONDON, day, day), desk_file
    )
    export_calls(ctx, day, day, command_line_file)

    assert desk_file.read_bytes() == command_line_file.read_bytes()
    (call,) = read(desk_file)
    assert (call["Date"], call["Time"], call["Member of staff"], call["Number"]) == (
        "2026-11-24",
        "10:05",
        "Mr Ben Desk",
        "'+44 1632 960 111",
    )
