"""Confiscated devices: taking in, escalation, the chain of custody, release with signature,
the custody export and the audit log (on SQLite and on PostgreSQL)."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk.cli import main as cli_main
from kiosk.context import KioskContext
from kiosk.errors import InvalidInput, NotAllowed
from kiosk.persistence.models import Confiscation, ConfiscationEvent, ConfiscationRelease
from kiosk.rows.people import Actor, PupilRow
from kiosk.services import audit, contacts
from kiosk.services import confiscations as conf
from tests.conftest import LONDON, TEST_PIN
from tests.factories import (
    SIGNATURE_PNG,
    make_manager,
    make_pupil,
    make_receptionist,
    make_teacher,
)


@pytest.fixture
def people(any_ctx: KioskContext) -> tuple[Actor, Actor, Actor]:
    """A manager (the DSL), a receptionist, and a teacher who confiscates but cannot sign in."""
    manager = make_manager(any_ctx, "Mrs Dee Lead")
    receptionist = make_receptionist(any_ctx, manager)
    teacher = make_teacher(any_ctx, manager)
    return manager, receptionist, Actor(teacher.id, teacher.name, "teacher")


@pytest.fixture
def zoe(any_ctx: KioskContext) -> PupilRow:
    return make_pupil(any_ctx, forename="Zoë", surname="Adebayo")


def take_in(ctx: KioskContext, actor: Actor, pupil: PupilRow, teacher: Actor, **extra):  # type: ignore[no-untyped-def]
    fields = {
        "device": "Black iPhone 13, cracked case",
        "reason": "lesson",
        "confiscated_by": teacher.staff_id,
        "location": "Safe",
        "bag_number": "0042",
    } | extra
    return conf.confiscate(ctx, actor, pupil.id, **fields)


def table_count(ctx: KioskContext, model: type) -> int:
    with ctx.db.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_confiscation_is_recorded_with_its_first_custody_entry(any_ctx, people, zoe) -> None:  # type: ignore[no-untyped-def]
    _, receptionist, teacher = people
    row = take_in(any_ctx, receptionist, zoe, teacher)

    assert row.status == "held" and row.status_text == "Held at the office"
    assert row.place == "Safe · bag 0042"
    assert row.confiscated_by == "Ms Tia O'Brien"
    assert row.recorded_by == "Mr Ben Desk"
    assert [(e.label, e.staff_name, e.location) for e in row.events] == [
        ("Taken in", "Mr Ben Desk", "Safe")
    ]
    assert row.events[0].detail == "Confiscated by Ms Tia O'Brien: Used in a lesson"
    entry = audit.recent_entries(any_ctx, limit=1, entity="confiscation")[0]
    assert entry.action == "confiscate" and '"device": "Black iPhone 13' in (entry.after or "")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"device": "  "}, "Describe the device."),
        ({"reason": "rudeness"}, "Choose why the device was confiscated."),
        ({"reason": "other", "note": " "}, "Say what happened in the note."),
        ({"location": ""}, "Say where it is stored."),
        ({"confiscated_by": 9999}, "Choose the member of staff who confiscated it from the list."),
    ],
)
def test_bad_confiscation_is_refused_and_stores_nothing(
    any_ctx, people, zoe, fields, message
) -> None:  # type: ignore[no-untyped-def]
    _, receptionist, teacher = people
    with pytest.raises(InvalidInput) as refused:
        take_in(any_ctx, receptionist, zoe, teacher, **fields)
    assert refused.value.message == message
    assert table_count(any_ctx, Confiscation) == 0


def test_confiscation_time_cannot_be_in_the_future(any_ctx, people, zoe, clock) -> None:  # type: ignore[no-untyped-def]
    _, receptionist, teacher = people
    with pytest.raises(InvalidInput, match="cannot be in the future"):
        take_in(any_ctx, receptionist, zoe, teacher, taken_at=clock() + timedelta(hours=1))


def test_repeat_confiscations_are_counted_for_this_term_only(any_ctx, people, zoe, clock) -> None:  # type: ignore[no-untyped-def]
    _, receptionist, teacher = people
    take_in(any_ctx, receptionist, zoe, teacher, taken_at=datetime(2026, 7, 10, 10, tzinfo=LONDON))
    take_in(any_ctx, receptionist, zoe, teacher, taken_at=datetime(2026, 9, 14, 10, tzinfo=LONDON))
    take_in(any_ctx, receptionist, zoe, teacher)
    assert conf.count_this_term(any_ctx, zoe.id) == 2


def test_receptionist_cannot_release_or_move_a_device_held_for_the_dsl(
    any_ctx, people, zoe
) -> None:  # type: ignore[no-untyped-def]
    _, receptionist, teacher = people
    row = take_in(any_ctx, receptionist, zoe, teacher)
    contact = contacts.add_contact(
        any_ctx, receptionist, zoe.id, name="Ama Adebayo", relationship="Mother"
    )
    conf.hold_for_dsl(any_ctx, receptionist, row.id, concern="Possible images of another pupil")

    with pytest.raises(NotAllowed, match="held for the DSL: only a manager can release it"):
        conf.release_device(
            any_ctx,
            receptionist,
            row.id,
            collector_name=contact.name,
            contact_id=contact.id,
            signature_png=SIGNATURE_PNG,
        )
    with pytest.raises(NotAllowed, match="only a manager can move it"):
        conf.move_device(any_ctx, receptionist, row.id, location="Office")
    after = conf.get_confiscation(any_ctx, row.id)
    assert after.status == "dsl" and after.location == "Safe"
    assert table_count(any_ctx, ConfiscationRelease) == 0


def test_full_path_confiscate_escalate_police_return_release_to_parent(
    any_ctx, people, zoe, clock, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    manager, receptionist, teacher = people
    mum = contacts.add_contact(
        any_ctx, receptionist, zoe.id, name="Ama Adebayo", relationship="Mother", phone="07700"
    )
    contacts.verify_contact(any_ctx, receptionist, mum.id, TEST_PIN)
    row = take_in(any_ctx, receptionist, zoe, teacher, reason="recording")
    clock.advance(minutes=20)
    conf.hold_for_dsl(any_ctx, receptionist, row.id, concern="Video of a fight on the field")
    clock.advance(minutes=30)
    conf.record_search(
        any_ctx, manager, row.id, pupil_consented=True, searched_by="Mrs Dee Lead (DSL)"
    )
    clock.advance(minutes=5)
    conf.hand_to_police(
        any_ctx, manager, row.id, officer_name="PC Sam Patel", reference="Collar 4471"
    )
    clock.advance(minutes=60 * 24)
    conf.returned_by_police(
        any_ctx, manager, row.id, officer_name="PC Sam Patel", location="Safe", reference="4471"
    )
    clock.advance(minutes=5)
    conf.move_device(any_ctx, manager, row.id, location="Office", note="For collection")
    clock.advance(minutes=60)
    released = conf.release_device(
        any_ctx,
        manager,
        row.id,
        collector_name="ama adebayo",
        signature_png=SIGNATURE_PNG,
        id_checked=True,
    )

    assert released.status == "released"
    assert released.release is not None
    assert released.release.listed_contact and released.release.relationship == "Mother"
    assert released.release.signature_png == SIGNATURE_PNG
    assert [e.kind for e in released.events] == [
        "taken_in",
        "held_for_dsl",
        "searched",
        "police",
        "police_return",
        "moved",
        "released",
    ]
    police = released.events[3]
    assert (police.officer_name, police.officer_reference, police.location) == (
        "PC Sam Patel",
        "Collar 4471",
        "Police",
    )
    assert released.events[-1].detail == (
        "Released to ama adebayo (Mother); ID checked; listed contact; signed"
    )
    assert mum.may_collect

    out = tmp_path / "custody.csv"
    today = clock().astimezone(LONDON).date()
    code = cli_main(
        [
            "--db",
            any_ctx.db.url,
            "export",
            "custody",
            "--from",
            (today - timedelta(days=1)).isoformat(),
            "--to",
            today.isoformat(),
            "--out",
            str(out),
        ]
    )
    assert code == 0
    with out.open(encoding="utf-8-sig", newline="") as fh:
        lines = list(csv.DictReader(fh))
    assert [line["What happened"] for line in lines] == [
        "Taken in",
        "Held for the DSL",
        "Searched with the pupil's consent",
        "Handed to the police",
        "Returned by the police",
        "Moved",
        "Released",
    ]
    assert lines[3]["Officer"] == "PC Sam Patel"
    assert lines[3]["Collar number or reference"] == "Collar 4471"
    assert {line["Pupil"] for line in lines} == {"Zoë Adebayo"}
    assert lines[-1]["Status now"] == "Released"

    actions = [e.action for e in reversed(audit.recent_entries(any_ctx, entity="confiscation"))]
    assert actions == [
        "confiscate",
        "hold_for_dsl",
        "search",
        "hand_to_police",
        "returned_by_police",
        "move",
        "release",
    ]


def test_export_leaves_out_entries_outside_the_dates(any_ctx, people, zoe, clock, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _, receptionist, teacher = people
    take_in(any_ctx, receptionist, zoe, teacher, taken_at=clock() - timedelta(days=3))
    from kiosk.exports.custody import export_custody

    today = clock().astimezone(LONDON).date()
    assert export_custody(any_ctx, today, today, tmp_path / "none.csv") == 0
    assert export_custody(any_ctx, today - timedelta(days=3), today, tmp_path / "one.csv") == 1


def test_collector_who_is_not_a_listed_contact_needs_a_manager_pin(any_ctx, people, zoe) -> None:  # type: ignore[no-untyped-def]
    manager, receptionist, teacher = people
    contacts.add_contact(any_ctx, receptionist, zoe.id, name="Ama Adebayo", relationship="Mother")
    contacts.add_contact(
        any_ctx, receptionist, zoe.id, name="Kofi Adebayo", relationship="Uncle", may_collect=False
    )
    row = take_in(any_ctx, receptionist, zoe, teacher)

    for name in ("Jo Bloggs", "Kofi Adebayo"):
        with pytest.raises(conf.OverrideNeeded) as refused:
            conf.release_device(
                any_ctx,
                receptionist,
                row.id,
                collector_name=name,
                signature_png=SIGNATURE_PNG,
                id_checked=True,
            )
        assert refused.value.message == (
            f"{name} is not listed as a parent or carer who may collect for Zoë Adebayo. "
            "A manager's PIN is needed to release the device to them."
        )
    with pytest.raises(NotAllowed, match="That is not a manager's PIN"):
        conf.release_device(
            any_ctx,
            receptionist,
            row.id,
            collector_name="Jo Bloggs",
            signature_png=SIGNATURE_PNG,
            override_pin="1357",
        )
    assert conf.get_confiscation(any_ctx, row.id).status == "held"

    released = conf.release_device(
        any_ctx,
        receptionist,
        row.id,
        collector_name="Jo Bloggs",
        relationship="Family friend",
        signature_png=SIGNATURE_PNG,
        id_checked=True,
        override_pin=TEST_PIN,
        override_reason="Mother phoned to say Jo would collect",
    )
    assert released.release is not None
    assert released.release.override_by == "Mrs Dee Lead"
    assert released.release.override_reason == "Mother phoned to say Jo would collect"
    assert not released.release.listed_contact
    entry = audit.recent_entries(any_ctx, limit=1, entity="confiscation")[0]
    assert '"override_by": "Mrs Dee Lead"' in (entry.after or "")


def test_release_without_signature_or_twice_is_refused(any_ctx, people, zoe, clock) -> None:  # type: ignore[no-untyped-def]
    _, receptionist, teacher = people
    mum = contacts.add_contact(any_ctx, receptionist, zoe.id, name="Ama Adebayo")
    contacts.verify_contact(any_ctx, receptionist, mum.id, TEST_PIN)
    row = take_in(any_ctx, receptionist, zoe, teacher)

    for signature in (b"", b"not a picture"):
        with pytest.raises(InvalidInput, match="Ask the person collecting the device to sign"):
            conf.release_device(
                any_ctx,
                receptionist,
                row.id,
                collector_name=mum.name,
                contact_id=mum.id,
                signature_png=signature,
            )
    assert table_count(any_ctx, ConfiscationRelease) == 0

    conf.release_device(
        any_ctx,
        receptionist,
        row.id,
        collector_name=mum.name,
        signature_png=SIGNATURE_PNG,
        id_checked=True,
    )
    events_before = table_count(any_ctx, ConfiscationEvent)
    with pytest.raises(InvalidInput) as refused:
        conf.release_device(
            any_ctx, receptionist, row.id, collector_name=mum.name, signature_png=SIGNATURE_PNG
        )
    assert refused.value.message == (
        "This device was already released to Ama Adebayo at 08:40; nothing was changed."
    )
    assert table_count(any_ctx, ConfiscationEvent) == events_before
    clock.advance(days=3)  # Friday
    with pytest.raises(InvalidInput, match="released to Ama Adebayo on Tuesday at 08:40;"):
        conf.release_device(
            any_ctx, receptionist, row.id, collector_name=mum.name, signature_png=SIGNATURE_PNG
        )


def test_release_to_the_pupil_only_when_the_school_allows_it(any_ctx, people, zoe) -> None:  # type: ignore[no-untyped-def]
    manager, receptionist, teacher = people
    row = take_in(any_ctx, receptionist, zoe, teacher)
    assert conf.release_setting(any_ctx) == "parent"
    with pytest.raises(NotAllowed, match="only to a parent or carer"):
        conf.release_device(
            any_ctx,
            receptionist,
            row.id,
            collector_name="",
            to_pupil=True,
            signature_png=SIGNATURE_PNG,
        )
    with pytest.raises(NotAllowed):
        conf.set_release_setting(any_ctx, receptionist, "pupil")

    conf.set_release_setting(any_ctx, manager, "pupil")
    released = conf.release_device(
        any_ctx, receptionist, row.id, collector_name="", to_pupil=True, signature_png=SIGNATURE_PNG
    )
    assert released.release is not None
    assert (released.release.collector_name, released.release.relationship) == (
        "Zoë Adebayo",
        "Pupil",
    )


def test_device_with_the_police_cannot_be_released_or_moved(any_ctx, people, zoe) -> None:  # type: ignore[no-untyped-def]
    manager, receptionist, teacher = people
    row = take_in(any_ctx, receptionist, zoe, teacher)
    with pytest.raises(NotAllowed, match="Only a manager can hand a device to the police"):
        conf.hand_to_police(any_ctx, receptionist, row.id, officer_name="PC A", reference="1")
    with pytest.raises(InvalidInput, match="collar number"):
        conf.hand_to_police(any_ctx, manager, row.id, officer_name="PC A", reference=" ")
    conf.hand_to_police(any_ctx, manager, row.id, officer_name="PC A", reference="1")
    with pytest.raises(InvalidInput, match="with the police"):
        conf.release_device(
            any_ctx, manager, row.id, collector_name="Anyone", signature_png=SIGNATURE_PNG
        )
    with pytest.raises(InvalidInput, match="with the police"):
        conf.move_device(any_ctx, manager, row.id, location="Office")


def test_search_needs_consent_and_deletion_needs_a_search(any_ctx, people, zoe) -> None:  # type: ignore[no-untyped-def]
    manager, receptionist, teacher = people
    row = take_in(any_ctx, receptionist, zoe, teacher)
    with pytest.raises(InvalidInput, match="only with the pupil's consent"):
        conf.record_search(any_ctx, manager, row.id, pupil_consented=False, searched_by="DSL")
    with pytest.raises(NotAllowed):
        conf.record_search(any_ctx, receptionist, row.id, pupil_consented=True, searched_by="DSL")
    with pytest.raises(InvalidInput, match="Record the search"):
        conf.record_content_deleted(any_ctx, manager, row.id, what="Two photos")
    conf.record_search(any_ctx, manager, row.id, pupil_consented=True, searched_by="Mrs Lead")
    done = conf.record_content_deleted(
        any_ctx, manager, row.id, what="Two photos of <Year 8> & a video"
    )
    assert done.events[-1].label == "Content deleted at the pupil's request"
    assert done.events[-1].detail == "Two photos of <Year 8> & a video"


def test_devices_due_for_release_today_leave_out_dsl_and_police(any_ctx, people, zoe) -> None:  # type: ignore[no-untyped-def]
    manager, receptionist, teacher = people
    kai = make_pupil(any_ctx, forename="Kai", surname="Łukasz")
    sam = make_pupil(any_ctx, forename="Sam", surname="Nguyễn")
    a = take_in(any_ctx, receptionist, zoe, teacher)
    b = take_in(any_ctx, receptionist, kai, teacher)
    c = take_in(any_ctx, receptionist, sam, teacher)
    conf.hold_for_dsl(any_ctx, receptionist, b.id, concern="Concern")
    conf.hand_to_police(any_ctx, manager, c.id, officer_name="PC A", reference="1")
    assert [r.id for r in conf.due_for_release_today(any_ctx)] == [a.id]
    assert [r.id for r in conf.open_confiscations(any_ctx)] == [a.id, b.id, c.id]


def test_signed_out_person_cannot_confiscate(any_ctx, people, zoe) -> None:  # type: ignore[no-untyped-def]
    _, _, teacher = people
    with pytest.raises(NotAllowed):
        take_in(any_ctx, Actor(None, "Pupil card", "pupil"), zoe, teacher)


def test_this_term_follows_the_schools_own_term_dates(any_ctx, people, zoe, clock) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from kiosk.services.calendar import add_term

    manager, receptionist, teacher = people
    add_term(any_ctx, manager, "Autumn 2", date(2026, 11, 2), date(2026, 12, 18))
    take_in(any_ctx, receptionist, zoe, teacher, taken_at=datetime(2026, 10, 20, 10, tzinfo=LONDON))
    take_in(any_ctx, receptionist, zoe, teacher)
    assert conf.count_this_term(any_ctx, zoe.id) == 1
