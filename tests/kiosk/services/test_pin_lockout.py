"""PIN lockout (issue 10, finding 5) and atomic first-manager set-up (finding 6).

Wrong PINs are counted per person in the database: after five in a row every PIN for that
person, the right one too, is refused for a growing delay that a restart does not forget.
"""

from __future__ import annotations

import json
import multiprocessing
import socket
from pathlib import Path
from typing import Any

import pytest

from kiosk.clock import FixedClock
from kiosk.context import KioskContext
from kiosk.errors import NotAllowed, PinLocked
from kiosk.rows.people import Actor
from kiosk.services import audit, staff
from kiosk.services import confiscations as conf
from kiosk.startup import open_kiosk
from tests.conftest import TEST_PIN
from tests.factories import (
    SIGNATURE_PNG,
    make_confiscation,
    make_manager,
    make_pupil,
    make_receptionist,
    make_teacher,
)

RECEPTIONIST_PIN = "1357"
WRONG = "9999"


@pytest.fixture
def any_manager(any_ctx: KioskContext) -> Actor:
    """The first manager, on whichever database ``any_ctx`` is."""
    return make_manager(any_ctx)


@pytest.fixture
def any_receptionist(any_ctx: KioskContext, any_manager: Actor) -> Actor:
    return make_receptionist(any_ctx, any_manager)


def wrong_pins(ctx: KioskContext, staff_id: int, times: int) -> list[str]:
    """Type a wrong PIN ``times`` times at the lock screen; the messages given."""
    said = []
    for _ in range(times):
        with pytest.raises(NotAllowed) as refused:
            staff.sign_in(ctx, staff_id, WRONG)
        said.append(refused.value.message)
    return said


def entries(ctx: KioskContext, staff_id: int, action: str) -> list[dict[str, Any]]:
    return [
        json.loads(e.after or "{}")
        for e in audit.recent_entries(ctx, entity="staff", entity_id=staff_id)
        if e.action == action
    ]


def test_five_wrong_pins_lock_out_even_the_right_pin(
    any_ctx, any_manager, any_receptionist
) -> None:  # type: ignore[no-untyped-def]
    said = wrong_pins(any_ctx, any_receptionist.staff_id, 5)

    assert said[:4] == ["That PIN is not right. Try again."] * 4
    assert said[4] == (
        "Too many wrong PINs for Mr Ben Desk. Try again in 30 s, "
        "or ask a manager to clear the lock."
    )
    with pytest.raises(PinLocked, match="Try again in 30 s"):
        staff.sign_in(any_ctx, any_receptionist.staff_id, RECEPTIONIST_PIN)


def test_lock_message_says_the_time_left(ctx, clock: FixedClock, manager, receptionist) -> None:  # type: ignore[no-untyped-def]
    wrong_pins(ctx, receptionist.staff_id, 5)
    clock.advance(seconds=31)
    wrong_pins(ctx, receptionist.staff_id, 1)  # the 6th: one minute
    clock.advance(seconds=61)
    wrong_pins(ctx, receptionist.staff_id, 1)  # the 7th: five minutes
    clock.advance(seconds=30)

    with pytest.raises(PinLocked) as refused:
        staff.sign_in(ctx, receptionist.staff_id, RECEPTIONIST_PIN)
    assert refused.value.message == (
        "Too many wrong PINs for Mr Ben Desk. Try again in 4 min 30 s, "
        "or ask a manager to clear the lock."
    )


def test_delay_grows_with_each_further_wrong_pin(
    ctx, clock: FixedClock, manager, receptionist
) -> None:  # type: ignore[no-untyped-def]
    wrong_pins(ctx, receptionist.staff_id, 4)
    delays = []
    for _ in range(5):
        said = wrong_pins(ctx, receptionist.staff_id, 1)[0]
        delays.append(said.split("Try again in ")[1].split(",")[0])
        clock.advance(minutes=16)  # past any delay, but no right PIN in between
    assert delays == ["30 s", "1 min", "5 min", "15 min", "15 min"]
    assert [
        e["locked_seconds"] for e in reversed(entries(ctx, receptionist.staff_id, "pin_locked"))
    ] == [
        30,
        60,
        300,
        900,
        900,
    ]


def test_wrong_pins_during_a_lock_are_not_checked_and_do_not_extend_it(
    ctx, clock: FixedClock, manager, receptionist
) -> None:  # type: ignore[no-untyped-def]
    wrong_pins(ctx, receptionist.staff_id, 5)
    clock.advance(seconds=10)
    said = wrong_pins(ctx, receptionist.staff_id, 3)

    assert (
        said
        == [
            "Too many wrong PINs for Mr Ben Desk. Try again in 20 s, "
            "or ask a manager to clear the lock."
        ]
        * 3
    )
    assert len(entries(ctx, receptionist.staff_id, "pin_refused_locked")) == 3
    clock.advance(seconds=21)
    assert staff.sign_in(ctx, receptionist.staff_id, RECEPTIONIST_PIN) == receptionist


def test_right_pin_after_the_delay_gets_in_and_resets_the_count(
    any_ctx, clock: FixedClock, any_manager, any_receptionist
) -> None:  # type: ignore[no-untyped-def]
    wrong_pins(any_ctx, any_receptionist.staff_id, 5)
    clock.advance(seconds=30)

    assert staff.sign_in(any_ctx, any_receptionist.staff_id, RECEPTIONIST_PIN) == any_receptionist
    # Counting starts again from nought: four more wrong PINs do not lock.
    assert (
        wrong_pins(any_ctx, any_receptionist.staff_id, 4)
        == ["That PIN is not right. Try again."] * 4
    )
    assert staff.sign_in(any_ctx, any_receptionist.staff_id, RECEPTIONIST_PIN) == any_receptionist


def test_lock_survives_a_restart(db_url: str, clock: FixedClock) -> None:
    first = open_kiosk(db_url, clock=clock)
    boss = make_manager(first)
    wrong_pins(first, boss.staff_id, 5)
    first.close()

    again = open_kiosk(db_url, clock=clock)
    try:
        with pytest.raises(PinLocked, match="Too many wrong PINs for Ms Ada Manager"):
            staff.sign_in(again, boss.staff_id, TEST_PIN)
    finally:
        again.close()


def test_lock_is_per_person(any_ctx, any_manager, any_receptionist) -> None:  # type: ignore[no-untyped-def]
    wrong_pins(any_ctx, any_receptionist.staff_id, 5)

    assert staff.sign_in(any_ctx, any_manager.staff_id, TEST_PIN) == any_manager
    assert [(row.name, row.locked) for row in staff.pin_locks(any_ctx)] == [("Mr Ben Desk", True)]


def test_manager_clears_a_lock(any_ctx, any_manager, any_receptionist) -> None:  # type: ignore[no-untyped-def]
    wrong_pins(any_ctx, any_receptionist.staff_id, 5)

    staff.clear_pin_lock(any_ctx, any_manager, any_receptionist.staff_id)

    assert staff.sign_in(any_ctx, any_receptionist.staff_id, RECEPTIONIST_PIN) == any_receptionist
    assert staff.pin_locks(any_ctx) == []
    [cleared] = [
        e
        for e in audit.recent_entries(any_ctx, entity="staff", entity_id=any_receptionist.staff_id)
        if e.action == "pin_lock_cleared"
    ]
    assert cleared.actor == "Ms Ada Manager (manager)"
    assert json.loads(cleared.before or "{}")["wrong_in_a_row"] == 5


def test_receptionist_cannot_clear_a_lock_even_claiming_to_be_a_manager(
    ctx, manager, receptionist
) -> None:  # type: ignore[no-untyped-def]
    wrong_pins(ctx, manager.staff_id, 5)
    claimed = Actor(receptionist.staff_id, receptionist.name, "manager")

    with pytest.raises(NotAllowed, match="Only a manager can clear a PIN lock"):
        staff.clear_pin_lock(ctx, claimed, manager.staff_id)
    assert [row.locked for row in staff.pin_locks(ctx)] == [True]


def test_every_wrong_pin_and_lock_is_audited_with_the_desk(ctx, manager, receptionist) -> None:  # type: ignore[no-untyped-def]
    wrong_pins(ctx, receptionist.staff_id, 5)

    wrong = entries(ctx, receptionist.staff_id, "pin_wrong")
    assert [e["wrong_in_a_row"] for e in reversed(wrong)] == [1, 2, 3, 4, 5]
    assert {e["desk"] for e in wrong} == {socket.gethostname()}
    assert {e["name"] for e in wrong} == {"Mr Ben Desk"}
    [locked] = entries(ctx, receptionist.staff_id, "pin_locked")
    assert (locked["desk"], locked["locked_seconds"]) == (socket.gethostname(), 30)


def test_wrong_override_pins_at_release_count_towards_the_managers_lock(
    any_ctx, clock: FixedClock, any_manager, any_receptionist
) -> None:  # type: ignore[no-untyped-def]
    zoe = make_pupil(any_ctx, forename="Zoë", surname="Adebayo")
    teacher = make_teacher(any_ctx, any_manager)
    row = make_confiscation(any_ctx, any_receptionist, zoe.id, confiscated_by=teacher.id)

    def release(pin: str) -> conf.ConfiscationRow:
        return conf.release_device(
            any_ctx,
            any_receptionist,
            row.id,
            collector_name="Jo Bloggs",
            signature_png=SIGNATURE_PNG,
            id_checked=True,
            override_pin=pin,
            override_reason="Aunt: the mother asked for her by telephone",
        )

    for _ in range(4):
        with pytest.raises(NotAllowed, match="That is not a manager's PIN"):
            release(WRONG)
    with pytest.raises(NotAllowed, match="Too many wrong PINs for Ms Ada Manager"):
        release(WRONG)
    # The manager's own PIN is refused too, at release and at the lock screen.
    with pytest.raises(NotAllowed, match="Try again in 30 s"):
        release(TEST_PIN)
    with pytest.raises(PinLocked):
        staff.sign_in(any_ctx, any_manager.staff_id, TEST_PIN)
    assert conf.get_confiscation(any_ctx, row.id).status == "held"
    wrong = entries(any_ctx, any_manager.staff_id, "pin_wrong")
    assert {(e["where"], e["desk"]) for e in wrong} == {("manager override", socket.gethostname())}
    assert {
        e.actor
        for e in audit.recent_entries(any_ctx, entity="staff", entity_id=any_manager.staff_id)
        if e.action == "pin_wrong"
    } == {"Mr Ben Desk (receptionist)"}

    clock.advance(seconds=30)
    assert release(TEST_PIN).status == "released"


def test_lock_screen_and_override_share_one_count(ctx, manager, receptionist) -> None:  # type: ignore[no-untyped-def]
    wrong_pins(ctx, manager.staff_id, 4)

    with pytest.raises(PinLocked, match="Ms Ada Manager"):
        staff.verify_manager_pin(ctx, WRONG, actor=receptionist)


# --- first-run set-up at two desks at once -------------------------------------------------


def set_up_first_manager(url: str, key_path: str, name: str, barrier: Any, results: Any) -> None:
    """One desk finishing first-run set-up at the same moment as the other."""
    from kiosk.errors import KioskError

    ctx = open_kiosk(url, key_path=Path(key_path))
    try:
        barrier.wait(timeout=30)
        try:
            staff.create_first_manager(ctx, name, "2468")
            results.put((name, "set up"))
        except KioskError as refused:
            results.put((name, refused.message))
    finally:
        ctx.close()


def test_two_desks_setting_up_at_once_make_one_first_manager(any_ctx) -> None:  # type: ignore[no-untyped-def]
    url = any_ctx.db.url
    key_path = str(any_ctx.key_path)
    spawn = multiprocessing.get_context("spawn")
    barrier, results = spawn.Barrier(2), spawn.Queue()
    desks = [
        spawn.Process(target=set_up_first_manager, args=(url, key_path, name, barrier, results))
        for name in ("Ms Ada Manager", "Mr Cal Manager")
    ]
    for desk in desks:
        desk.start()
    answers = [results.get(timeout=60) for _ in desks]
    for desk in desks:
        desk.join(timeout=30)

    assert sorted(outcome for _, outcome in answers) == [
        "A first manager was set up at another desk a moment ago; sign in with their PIN.",
        "set up",
    ]
    assert [(row.name, row.role) for row in staff.list_staff(any_ctx)] == [
        next((name, "manager") for name, outcome in answers if outcome == "set up")
    ]
