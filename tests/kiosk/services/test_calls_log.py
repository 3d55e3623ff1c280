"""The telephone log: calls to parents, personal calls with permission, emergency calls
from a personal device; filters and the CSV export (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
from datetime import date, datetime

import pytest

from kiosk.cli import main
from kiosk.errors import InvalidInput
from kiosk.services.directory import save_entry
from kiosk.services.phone_log import calls_between, log_call
from tests.conftest import LONDON
from tests.factories import make_manager, make_pupil


@pytest.fixture
def people(any_ctx):
    manager = make_manager(any_ctx)
    teacher = save_entry(any_ctx, manager, name="Mr Dafydd ap Gruffudd")
    pupil_id = make_pupil(any_ctx, forename="Zoë", surname="O'Brien", form="9C").id
    return manager, teacher, pupil_id


def test_call_to_a_parent_is_on_record_with_the_phone_used(any_ctx, people) -> None:
    manager, teacher, pupil_id = people
    log_call(
        any_ctx,
        manager,
        kind="parent",
        staff_id=teacher.id,
        pupil_id=pupil_id,
        contact="Mrs O'Brien (mother)",
        number="01632 960 555",
        phone_used="school_landline",
        purpose="Phone confiscated in Maths",
        outcome="Mother will collect at 15:30",
    )
    [call] = calls_between(any_ctx, date(2026, 11, 24), date(2026, 11, 24))
    assert (call.staff_name, call.pupil_name, call.phone_used) == (
        "Mr Dafydd ap Gruffudd",
        "Zoë O'Brien",
        "school_landline",
    )


def test_personal_phone_to_a_parent_needs_number_withheld_and_permission(any_ctx, people) -> None:
    manager, teacher, pupil_id = people
    base = {
        "kind": "parent",
        "staff_id": teacher.id,
        "pupil_id": pupil_id,
        "contact": "Dad",
        "phone_used": "personal",
        "purpose": "Working from home, no school mobile",
    }
    with pytest.raises(InvalidInput, match="withhold the number"):
        log_call(any_ctx, manager, **base)
    with pytest.raises(InvalidInput, match="permitted"):
        log_call(any_ctx, manager, **base, number_withheld=True)
    call = log_call(any_ctx, manager, **base, number_withheld=True, permitted_by=manager.staff_id)
    assert call.number_withheld and call.permitted_by == "Ms Ada Manager"


def test_personal_call_on_a_school_phone_names_the_permitting_manager(any_ctx, people) -> None:
    manager, teacher, _ = people
    with pytest.raises(InvalidInput, match="manager who permitted"):
        log_call(
            any_ctx,
            manager,
            kind="personal",
            staff_id=teacher.id,
            phone_used="school_landline",
            purpose="Childminder",
        )
    call = log_call(
        any_ctx,
        manager,
        kind="personal",
        staff_id=teacher.id,
        phone_used="school_landline",
        purpose="Childminder",
        permitted_by=manager.staff_id,
    )
    assert call.kind == "personal"


def test_emergency_call_from_a_personal_device_is_an_incident(any_ctx, people) -> None:
    manager, teacher, pupil_id = people
    with pytest.raises(InvalidInput, match="Emergency calls on a school phone"):
        log_call(
            any_ctx,
            manager,
            kind="emergency",
            staff_id=teacher.id,
            phone_used="school_landline",
            purpose="x",
        )
    call = log_call(
        any_ctx,
        manager,
        kind="emergency",
        staff_id=teacher.id,
        pupil_id=pupil_id,
        number="999",
        phone_used="personal",
        purpose="Pupil collapsed in Science; all lines busy; ambulance called",
    )
    assert call.kind == "emergency"
    assert calls_between(any_ctx, date(2026, 11, 1), date(2026, 11, 30), kind="parent") == []


def test_a_number_with_letters_is_refused(any_ctx, people) -> None:
    manager, teacher, _ = people
    with pytest.raises(InvalidInput, match="only have digits"):
        log_call(
            any_ctx,
            manager,
            kind="parent",
            staff_id=teacher.id,
            contact="Mum",
            number="O1632 96O",
            phone_used="work_mobile",
            purpose="x",
        )


def test_export_calls_writes_the_days_asked_for(
    any_ctx, any_db_url, people, clock, tmp_path
) -> None:
    manager, teacher, pupil_id = people
    clock.set(datetime(2026, 11, 26, 9, 0, tzinfo=LONDON))
    for day, purpose in ((23, '=HYPERLINK("x")'), (24, "Late collection"), (25, "Outside")):
        log_call(
            any_ctx,
            manager,
            kind="parent",
            staff_id=teacher.id,
            pupil_id=pupil_id,
            contact="Mum",
            phone_used="work_mobile",
            purpose=purpose,
            called_at=datetime(2026, 11, day, 8, 0, tzinfo=LONDON),
        )
    out = tmp_path / "calls.csv"
    code = main(
        [
            "--db",
            any_db_url,
            "export",
            "calls",
            "--from",
            "2026-11-23",
            "--to",
            "2026-11-24",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["Purpose"] for r in rows] == ['\'=HYPERLINK("x")', "Late collection"]
    assert rows[0]["Member of staff"] == "Mr Dafydd ap Gruffudd"
    assert rows[0]["Phone used"] == "Work mobile"
