"""Hand-in and collection (DESIGN workflow 1), on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from kiosk.clock import FixedClock
from kiosk.context import KioskContext
from kiosk.errors import InvalidInput, NoFreeSlot, NotAllowed, NotFound
from kiosk.persistence.models import PhoneCustody
from kiosk.rows.people import PUPIL_AT_KIOSK, Actor, PupilRow
from kiosk.scanning.words import SWITCH_OFF, describe_scan
from kiosk.services import audit, custody, pupils, school
from tests.conftest import LONDON
from tests.factories import make_manager, make_pupil, make_pupils, make_receptionist

AT_RELEASE = datetime(2026, 11, 24, 15, 15, tzinfo=LONDON)
AFTER_RELEASE = datetime(2026, 11, 24, 17, 0, tzinfo=LONDON)


def add_pupils(
    ctx: KioskContext, count: int, *, year: str = "9", form: str = "9R"
) -> list[PupilRow]:
    names = [(f"Pupil{n}", f"Surname{n}") for n in range(count)]
    return make_pupils(ctx, names, year_group=year, form=form)


@pytest.fixture
def pupil(any_ctx: KioskContext) -> PupilRow:
    # The UPN is given because the held-phones listing and its JSON are checked for it.
    return make_pupil(
        any_ctx,
        forename="Siobhán",
        surname="Ní Bhriain",
        year_group="8",
        form="8NB",
        upn="H801200001001",
    )


@pytest.fixture
def desk(any_ctx: KioskContext) -> Actor:
    return make_receptionist(any_ctx, make_manager(any_ctx))


def test_first_scan_hands_in_at_once_and_names_the_slot(any_ctx, pupil) -> None:
    outcome = custody.scan_card(any_ctx, pupils.card_payload(any_ctx, pupil))
    assert (outcome.kind, outcome.receptacle, outcome.slot) == ("handed_in", "Office tray", 1)
    message = describe_scan(outcome, any_ctx.timezone, any_ctx.clock())
    assert message.headline == "Put it in Office tray · slot 1"
    assert message.name == "Siobhán Ní Bhriain · 8NB"
    assert SWITCH_OFF in message.detail
    held = custody.held_phones(any_ctx)
    assert [(h.pupil.upn, h.place) for h in held] == [("H801200001001", "Office tray · slot 1")]
    entry = audit.recent_entries(any_ctx, limit=1)[0]
    assert (entry.action, entry.actor) == ("hand_in", PUPIL_AT_KIOSK.name)
    assert json.loads(entry.after)["slot"] == 1


def test_second_scan_while_held_says_where_and_when_it_comes_back(any_ctx, pupil, clock) -> None:
    payload = pupils.card_payload(any_ctx, pupil)
    custody.scan_card(any_ctx, payload)
    before = audit.latest_change(any_ctx)
    clock.advance(minutes=30)
    again = custody.scan_card(any_ctx, payload)
    assert again.kind == "already_held"
    assert again.returns_at == AT_RELEASE.replace(minute=10)
    message = describe_scan(again, any_ctx.timezone, any_ctx.clock())
    assert message.headline == "Your phone is in Office tray · slot 1"
    assert "It comes back at 15:10." in message.detail[0]
    assert audit.latest_change(any_ctx) == before
    assert len(custody.held_phones(any_ctx)) == 1


def test_second_scan_in_release_window_records_collection(any_ctx, pupil, clock) -> None:
    payload = pupils.card_payload(any_ctx, pupil)
    custody.scan_card(any_ctx, payload)
    clock.set(AT_RELEASE)
    outcome = custody.scan_card(any_ctx, payload)
    assert (outcome.kind, outcome.place) == ("collected", "Office tray · slot 1")
    assert describe_scan(outcome, any_ctx.timezone, any_ctx.clock()).headline == "Collect from Office tray · slot 1"
    assert custody.held_phones(any_ctx) == []
    with any_ctx.db.read() as s:
        record = s.query(PhoneCustody).one()
        assert record.collected_at == AT_RELEASE
        assert record.early_reason is None


def test_double_scan_at_collection_does_not_hand_the_phone_in_again(any_ctx, pupil, clock) -> None:
    payload = pupils.card_payload(any_ctx, pupil)
    custody.scan_card(any_ctx, payload)
    clock.set(AT_RELEASE)
    custody.scan_card(any_ctx, payload)
    clock.advance(seconds=20)
    repeat = custody.scan_card(any_ctx, payload)
    assert repeat.kind == "collected"
    assert custody.held_phones(any_ctx) == []
    clock.advance(minutes=10)
    assert custody.scan_card(any_ctx, payload).kind == "handed_in"


def test_hand_in_is_accepted_late_in_the_day_and_comes_back_tomorrow(any_ctx, pupil, clock) -> None:
    clock.set(AFTER_RELEASE)
    outcome = custody.scan_card(any_ctx, pupils.card_payload(any_ctx, pupil))
    assert outcome.kind == "handed_in"
    again = custody.scan_card(any_ctx, pupils.card_payload(any_ctx, pupil))
    assert (
        describe_scan(again, any_ctx.timezone, any_ctx.clock())
        .detail[0]
        .endswith("It comes back at 15:10 tomorrow.")
    )


def test_full_receptacle_overflows_into_the_next(any_ctx, desk) -> None:
    boss = make_manager(any_ctx)
    custody.save_receptacle(
        any_ctx,
        boss,
        name="Office tray",
        capacity=2,
        receptacle_id=custody.receptacles(any_ctx)[0].id,
    )
    custody.save_receptacle(any_ctx, boss, name="Tray B", capacity=3)
    class_ = add_pupils(any_ctx, 5)
    places = [custody.scan_card(any_ctx, pupils.card_payload(any_ctx, p)).place for p in class_]
    assert places == [
        "Office tray · slot 1",
        "Office tray · slot 2",
        "Tray B · slot 1",
        "Tray B · slot 2",
        "Tray B · slot 3",
    ]


def test_year_tied_receptacle_is_used_first(any_ctx) -> None:
    boss = make_manager(any_ctx)
    custody.save_receptacle(any_ctx, boss, name="Year 7 box", capacity=10, year_groups="7")
    year7 = add_pupils(any_ctx, 1, year="7", form="7C")[0]
    year9 = add_pupils(any_ctx, 1, year="9", form="9C")[0]
    assert custody.scan_card(any_ctx, pupils.card_payload(any_ctx, year9)).receptacle == (
        "Office tray"
    )
    assert custody.scan_card(any_ctx, pupils.card_payload(any_ctx, year7)).receptacle == (
        "Year 7 box"
    )


def test_scan_is_refused_plainly_when_every_slot_is_full(any_ctx) -> None:
    boss = make_manager(any_ctx)
    custody.save_receptacle(
        any_ctx,
        boss,
        name="Office tray",
        capacity=1,
        receptacle_id=custody.receptacles(any_ctx)[0].id,
    )
    first, second = add_pupils(any_ctx, 2)
    custody.scan_card(any_ctx, pupils.card_payload(any_ctx, first))
    changes = audit.latest_change(any_ctx)
    with pytest.raises(NoFreeSlot, match=r"Every phone slot is full \(1 slots\)"):
        custody.scan_card(any_ctx, pupils.card_payload(any_ctx, second))
    assert audit.latest_change(any_ctx) == changes
    assert custody.held_for_pupil(any_ctx, second.id) is None


def test_collected_slot_is_given_to_the_next_pupil(any_ctx, clock) -> None:
    first, second = add_pupils(any_ctx, 2)
    custody.scan_card(any_ctx, pupils.card_payload(any_ctx, first))
    clock.set(AT_RELEASE)
    custody.scan_card(any_ctx, pupils.card_payload(any_ctx, first))
    assert custody.scan_card(any_ctx, pupils.card_payload(any_ctx, second)).slot == 1


def test_hand_in_without_permission_is_accepted_and_flagged(any_ctx, desk) -> None:
    boss = make_manager(any_ctx)
    school.update_school(any_ctx, boss, permission_years="5, 6")
    walker, other = add_pupils(any_ctx, 2, year="6", form="6W")
    pupils.add_arrangement(
        any_ctx,
        desk,
        walker.id,
        kind="permission",
        title="Walks home alone",
        conditions="Phone off until the gate",
        agreed_by="Mrs Head",
    )
    with_permission = custody.scan_card(any_ctx, pupils.card_payload(any_ctx, walker))
    without = custody.scan_card(any_ctx, pupils.card_payload(any_ctx, other))
    assert with_permission.no_permission is False
    assert describe_scan(with_permission, any_ctx.timezone, any_ctx.clock()).detail[1] == (
        "Permission: Walks home alone — Phone off until the gate"
    )
    assert without.kind == "handed_in" and without.no_permission is True
    assert describe_scan(without, any_ctx.timezone, any_ctx.clock()).tone == "warning"
    flagged = [h.pupil.id for h in custody.held_phones(any_ctx) if h.no_permission]
    assert flagged == [other.id]


def test_exemption_is_shown_at_hand_in(any_ctx, pupil, desk) -> None:
    pupils.add_arrangement(
        any_ctx,
        desk,
        pupil.id,
        kind="exemption",
        title="Medical monitoring",
        conditions="Keeps phone for glucose app",
    )
    outcome = custody.scan_card(any_ctx, pupils.card_payload(any_ctx, pupil))
    assert [a.title for a in outcome.arrangements] == ["Medical monitoring"]


def test_early_release_needs_a_reason_which_is_recorded(any_ctx, pupil, desk) -> None:
    custody.scan_card(any_ctx, pupils.card_payload(any_ctx, pupil))
    with pytest.raises(InvalidInput, match="give a reason"):
        custody.release_phone(any_ctx, desk, pupil.id)
    with pytest.raises(InvalidInput):
        custody.release_phone(any_ctx, desk, pupil.id, "   ")
    assert custody.held_for_pupil(any_ctx, pupil.id) is not None
    outcome = custody.release_phone(any_ctx, desk, pupil.id, "Dentist at 11:00")
    assert outcome.kind == "collected" and outcome.early_reason == "Dentist at 11:00"
    entry = audit.recent_entries(any_ctx, limit=1)[0]
    assert entry.actor == "Mr Ben Desk (receptionist)"
    assert json.loads(entry.after)["early_reason"] == "Dentist at 11:00"
    with pytest.raises(NotFound, match="no phone held"):
        custody.release_phone(any_ctx, desk, pupil.id, "again")


def test_release_in_the_window_needs_no_reason(any_ctx, pupil, desk, clock) -> None:
    custody.hand_in_for_pupil(any_ctx, desk, pupil.id)
    clock.set(AT_RELEASE)
    assert custody.release_phone(any_ctx, desk, pupil.id).kind == "collected"


def test_pupil_at_the_kiosk_cannot_use_desk_actions(any_ctx, pupil) -> None:
    with pytest.raises(NotAllowed):
        custody.hand_in_for_pupil(any_ctx, PUPIL_AT_KIOSK, pupil.id)
    with pytest.raises(NotAllowed):
        custody.release_phone(any_ctx, PUPIL_AT_KIOSK, pupil.id, "because")


def test_only_managers_change_receptacles(any_ctx, desk) -> None:
    with pytest.raises(NotAllowed, match="Only a manager"):
        custody.save_receptacle(any_ctx, desk, name="Tray Z", capacity=10)


def test_receptacle_cannot_shrink_below_a_held_phone(any_ctx, clock) -> None:
    boss = make_manager(any_ctx)
    class_ = add_pupils(any_ctx, 3)
    for p in class_:
        custody.scan_card(any_ctx, pupils.card_payload(any_ctx, p))
    tray = custody.receptacles(any_ctx)[0]
    with pytest.raises(InvalidInput, match="Slot 3 of Office tray holds a phone"):
        custody.save_receptacle(any_ctx, boss, name=tray.name, capacity=2, receptacle_id=tray.id)


def test_end_of_day_lists_uncollected_phones_and_keeps_them_until_collected(
    any_ctx, pupil, desk, clock: FixedClock
) -> None:
    custody.scan_card(any_ctx, pupils.card_payload(any_ctx, pupil))
    clock.set(AFTER_RELEASE)
    closing, still_held = custody.end_of_day(any_ctx)
    assert closing == datetime(2026, 11, 24, 15, 30, tzinfo=LONDON)
    assert [h.pupil.id for h in still_held] == [pupil.id]
    with pytest.raises(InvalidInput, match="Say what happened"):
        custody.record_outcome(any_ctx, desk, still_held[0].custody_id, "other")
    custody.record_outcome(
        any_ctx, desk, still_held[0].custody_id, "parent_called", "Mum collecting at 17:30"
    )
    moved = custody.record_outcome(any_ctx, desk, still_held[0].custody_id, "safe")
    assert (moved.place, moved.slot) == ("Safe", None)
    assert [o.label for o in moved.outcomes] == [
        "Parent or carer called",
        "Kept in the safe overnight",
    ]
    assert moved.outcomes[0].recorded_by == "Mr Ben Desk"
    # The next morning it is still on record, out of its slot, and the slot is free again.
    clock.set(datetime(2026, 11, 25, 8, 30, tzinfo=LONDON))
    assert [h.place for h in custody.end_of_day(any_ctx)[1]] == ["Safe"]
    assert all(s.custody_id is None for s in custody.board(any_ctx)[0].slots)
    clock.set(datetime(2026, 11, 25, 15, 20, tzinfo=LONDON))
    collected = custody.scan_card(any_ctx, pupils.card_payload(any_ctx, pupil))
    assert (collected.kind, collected.place) == ("collected", "Safe")


def test_board_shows_every_slot_with_the_holder(any_ctx, pupil) -> None:
    custody.scan_card(any_ctx, pupils.card_payload(any_ctx, pupil))
    (tray,) = custody.board(any_ctx)
    assert (tray.receptacle.name, len(tray.slots), tray.used) == ("Office tray", 60, 1)
    assert (tray.slots[0].pupil_name, tray.slots[0].form) == ("Siobhán Ní Bhriain", "8NB")


def test_kiosk_held_json_lists_the_phone_with_its_slot(any_db_url, any_ctx, pupil, capsys) -> None:
    from kiosk.cli import main

    custody.scan_card(any_ctx, pupils.card_payload(any_ctx, pupil))
    assert main(["--db", any_db_url, "held", "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["upn"] == "H801200001001"
    assert (row["name"], row["form"], row["receptacle"], row["slot"]) == (
        "Siobhán Ní Bhriain",
        "8NB",
        "Office tray",
        1,
    )
    assert row["since"] == "2026-11-24T08:40:00+00:00"


def test_end_of_day_lists_phones_by_receptacle_then_slot_not_by_time_handed_in(
    any_ctx, clock: FixedClock
) -> None:
    boss = make_manager(any_ctx)
    office = custody.receptacles(any_ctx)[0]
    custody.save_receptacle(
        any_ctx, boss, name="Tray A", capacity=5, year_groups="7", receptacle_id=office.id
    )
    custody.save_receptacle(any_ctx, boss, name="Tray B", capacity=5, year_groups="8")
    sevens = add_pupils(any_ctx, 2, year="7", form="7A")
    eights = add_pupils(any_ctx, 2, year="8", form="8B")
    # Year 7 and Year 8 arrive in turn, as a morning queue does: A, B, A, B by time.
    morning = datetime(2026, 11, 24, 8, 30, tzinfo=LONDON)
    for minute, pupil in enumerate((sevens[0], eights[0], sevens[1], eights[1])):
        clock.set(morning.replace(minute=30 + minute))
        custody.scan_card(any_ctx, pupils.card_payload(any_ctx, pupil))

    _closing, still_held = custody.end_of_day(any_ctx)

    assert [h.place for h in still_held] == [
        "Tray A · slot 1",
        "Tray A · slot 2",
        "Tray B · slot 1",
        "Tray B · slot 2",
    ]
