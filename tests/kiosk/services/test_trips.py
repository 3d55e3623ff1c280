"""Educational visits: staff on a visit are out that day; the record sheet carries the
lead's and deputy's numbers and every name as stored."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime, time

import pytest

from kiosk.errors import InvalidInput
from kiosk.printing.trip_sheet import trip_sheet_pdf_bytes
from kiosk.services.directory import save_entry, staff_on_trips
from kiosk.services.trips import cancel_trip, save_trip, trips_on
from tests.factories import make_directory_entry


@pytest.fixture
def staff(any_ctx, any_manager):
    lead = make_directory_entry(any_ctx, any_manager, "Ms Siobhán Kelly", mobile="07700 900001")
    deputy = make_directory_entry(any_ctx, any_manager, "Mr Dafydd ap Gruffudd")
    teacher = make_directory_entry(any_ctx, any_manager, "Mrs Zoë O'Brien & <Co>")
    return any_manager, lead, deputy, teacher


def test_staff_on_a_visit_show_as_out_that_day_only(any_ctx, staff) -> None:
    manager, lead, deputy, teacher = staff
    visit = save_trip(
        any_ctx,
        manager,
        on_date=date(2026, 11, 24),
        destination="Kew Gardens",
        lead_id=lead.id,
        lead_mobile="07700 900001",
        deputy_id=deputy.id,
        deputy_mobile="07700 900002",
        attending=[teacher.id],
        leaves_at=time(9, 15),
        returns_at=time(15, 0),
    )
    assert {name for _id, name in visit.attending} == {
        "Ms Siobhán Kelly",
        "Mr Dafydd ap Gruffudd",
        "Mrs Zoë O'Brien & <Co>",
    }
    assert set(staff_on_trips(any_ctx, date(2026, 11, 24))) == {lead.id, deputy.id, teacher.id}
    assert staff_on_trips(any_ctx, date(2026, 11, 25)) == {}
    cancel_trip(any_ctx, manager, visit.id)
    assert trips_on(any_ctx, date(2026, 11, 24)) == []


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"destination": " "}, "where the visit is going"),
        ({"lead_mobile": ""}, "lead's mobile"),
        ({"lead_mobile": "07700 CALL"}, "only have digits"),
        ({"returns_at": time(8, 0)}, "return time must be after"),
    ],
)
def test_bad_visits_are_refused(any_ctx, staff, fields, reason) -> None:
    manager, lead, _deputy, _teacher = staff
    values = {
        "on_date": date(2026, 11, 24),
        "destination": "Zoo",
        "lead_id": lead.id,
        "lead_mobile": "07700 900001",
        "leaves_at": time(9, 0),
    } | fields
    with pytest.raises(InvalidInput, match=reason):
        save_trip(any_ctx, manager, **values)
    assert trips_on(any_ctx, date(2026, 11, 24)) == []


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext")
def test_trip_sheet_carries_numbers_and_names_as_stored(ctx, manager, tmp_path) -> None:
    lead = save_entry(ctx, manager, name="Ms Siobhán Kelly")
    teacher = save_entry(ctx, manager, name="Mrs Zoë O'Brien & <Co>")
    visit = save_trip(
        ctx,
        manager,
        on_date=date(2026, 11, 24),
        destination="Natural History Museum",
        lead_id=lead.id,
        lead_mobile="07700 900001",
        attending=[teacher.id],
        notes="Packed lunches 🥪",
    )
    pdf = tmp_path / "visit.pdf"
    pdf.write_bytes(trip_sheet_pdf_bytes(visit, "Wrenfield Academy", datetime(2026, 11, 23, 9)))
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    for expected in (
        "Natural History Museum",
        "Ms Siobhán Kelly",
        "07700 900001",
        "Mrs Zoë O'Brien & <Co>",
        "Tuesday 24 November 2026",
        "Wrenfield Academy",
    ):
        assert expected in text
