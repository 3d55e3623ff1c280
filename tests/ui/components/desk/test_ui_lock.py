"""The desk's lock screen: first-run set-up, sign-in by PIN, and scans while locked."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kiosk.context import KioskContext
from kiosk.demo.school import DEMO_MANAGER_PIN, DEMO_RECEPTIONIST_NAME, DEMO_RECEPTIONIST_PIN
from kiosk.rows.people import Actor
from kiosk.services.custody import held_phones
from kiosk.services.pupils import card_payload
from kiosk.services.staff import create_first_manager, list_staff, needs_first_manager
from tests.factories import RECEPTIONIST_PIN, make_pupil
from tests.keyboard import StampedKeyboard
from ui.components.desk.lock_screen import PINS_DIFFER, SCANS_STILL_WORK, LockScreen
from ui.scan_router import ScanRouter
from ui.screens.kiosk_face import KioskFace
from ui.widgets.scan_listener import ScanListener


def make_lock(qtbot, ctx: KioskContext, *, demo: bool = False) -> LockScreen:  # type: ignore[no-untyped-def]
    lock = LockScreen(ctx, demo=demo)
    qtbot.addWidget(lock)
    lock.show()
    return lock


def unlocked_by(lock: LockScreen) -> list[Actor]:
    actors: list[Actor] = []
    lock.sig_unlocked.connect(actors.append)
    return actors


def choose(lock: LockScreen, name: str) -> None:
    index = next(
        i for i in range(lock.staff_box.count()) if lock.staff_box.itemText(i).startswith(name)
    )
    lock.staff_box.setCurrentIndex(index)


def test_first_run_sets_up_the_manager_and_unlocks(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    lock = make_lock(qtbot, ctx)
    actors = unlocked_by(lock)
    assert lock.first_run
    assert lock.setup_page.isVisible()

    lock.manager_name.setText("Siobhán O'Brien")
    lock.new_pin.setText("4826")
    lock.new_pin_again.setText("4826")
    lock.set_up_button.click()

    assert [(a.name, a.role) for a in actors] == [("Siobhán O'Brien", "manager")]
    assert not needs_first_manager(ctx)
    assert [s.name for s in list_staff(ctx, can_sign_in=True)] == ["Siobhán O'Brien"]


def test_first_run_refuses_two_different_pins(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    lock = make_lock(qtbot, ctx)
    actors = unlocked_by(lock)

    lock.manager_name.setText("Ms Ada Manager")
    lock.new_pin.setText("4826")
    lock.new_pin_again.setText("4862")
    lock.set_up_button.click()

    assert actors == []
    assert lock.message() == PINS_DIFFER
    assert lock.new_pin.text() == ""
    assert needs_first_manager(ctx)


def test_first_run_refuses_a_pin_that_is_too_short(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    lock = make_lock(qtbot, ctx)
    actors = unlocked_by(lock)

    lock.manager_name.setText("Ms Ada Manager")
    lock.new_pin.setText("12")
    lock.new_pin_again.setText("12")
    lock.set_up_button.click()

    assert actors == []
    assert "4 to 12 digits" in lock.message()
    assert needs_first_manager(ctx)


def test_pin_fields_take_digits_only(qtbot, ctx, manager) -> None:  # type: ignore[no-untyped-def]
    lock = make_lock(qtbot, ctx)

    qtbot.keyClicks(lock.pin, "12ab34", delay=60)

    qtbot.waitUntil(lambda: lock.pin.text() == "1234")


def test_sign_in_with_the_right_pin(qtbot, ctx, manager, receptionist) -> None:  # type: ignore[no-untyped-def]
    lock = make_lock(qtbot, ctx)
    actors = unlocked_by(lock)
    assert not lock.first_run

    choose(lock, "Mr Ben Desk")
    lock.pin.setText("1357")
    qtbot.keyClick(lock.pin, Qt.Key.Key_Return)

    assert actors == [receptionist]
    assert lock.pin.text() == ""


def test_wrong_pin_is_refused_plainly_and_cleared(qtbot, ctx, manager, receptionist) -> None:  # type: ignore[no-untyped-def]
    lock = make_lock(qtbot, ctx)
    actors = unlocked_by(lock)

    choose(lock, "Ms Ada Manager")
    lock.pin.setText("1357")  # the receptionist's PIN, not the manager's
    lock.sign_in_button.click()

    assert actors == []
    assert lock.message() == "That PIN is not right. Try again."
    assert lock.pin.text() == ""


def test_lock_screen_says_pupils_can_still_scan(qtbot, ctx, manager) -> None:  # type: ignore[no-untyped-def]
    lock = make_lock(qtbot, ctx)

    assert lock.scans_line.text() == SCANS_STILL_WORK
    assert lock.scans_line.isVisible()


def test_demo_mode_states_the_demo_pins(qtbot, ctx, manager) -> None:  # type: ignore[no-untyped-def]
    demo_lock = make_lock(qtbot, ctx, demo=True)
    real_lock = make_lock(qtbot, ctx)

    line = demo_lock.demo_line.text()
    assert DEMO_RECEPTIONIST_NAME in line
    assert DEMO_RECEPTIONIST_PIN in line
    assert DEMO_MANAGER_PIN in line
    assert demo_lock.demo_line.isVisible()
    assert not real_lock.demo_line.isVisible()


@pytest.fixture
def listening_router(qapp: QApplication, ctx: KioskContext) -> Iterator[ScanRouter]:
    router = ScanRouter(ctx)
    listener = ScanListener()
    listener.sig_scanned.connect(router.route_scan)
    listener.sig_garbled.connect(router.route_garbled)
    listener.install(qapp)
    yield router
    listener.uninstall(qapp)


def test_scan_with_the_pin_field_focused_hands_the_phone_in(
    qtbot, ctx, manager, listening_router
) -> None:  # type: ignore[no-untyped-def]
    pupil = make_pupil(ctx, forename="Zoë", surname="Ní Bhriain")
    lock = make_lock(qtbot, ctx)
    actors = unlocked_by(lock)
    lock.pin.setFocus()

    qtbot.keyClicks(lock.pin, card_payload(ctx, pupil))
    qtbot.keyClick(lock.pin, Qt.Key.Key_Return)

    assert [h.pupil.name for h in held_phones(ctx)] == ["Zoë Ní Bhriain"]
    assert listening_router.last_result is not None
    assert listening_router.last_result.kind == "handed_in"
    assert lock.pin.text() == ""
    assert lock.message() == ""
    assert actors == []


def test_too_many_wrong_pins_say_the_time_left_and_refuse_the_right_pin(
    qtbot, ctx, clock, manager, receptionist
) -> None:  # type: ignore[no-untyped-def]
    lock = make_lock(qtbot, ctx)
    actors = unlocked_by(lock)
    choose(lock, "Mr Ben Desk")
    for _ in range(5):
        lock.pin.setText("9999")
        lock.sign_in_button.click()
    assert lock.message() == (
        "Too many wrong PINs for Mr Ben Desk. Try again in 30 s, "
        "or ask a manager to clear the lock."
    )
    assert lock.pin.text() == ""

    clock.advance(seconds=12)
    lock.pin.setText("1357")
    qtbot.keyClick(lock.pin, Qt.Key.Key_Return)

    assert actors == []
    assert lock.message() == (
        "Too many wrong PINs for Mr Ben Desk. Try again in 18 s, "
        "or ask a manager to clear the lock."
    )
    assert lock.pin.text() == ""
    assert lock.pin.isEnabled()  # the screen never freezes: another person may sign in
    choose(lock, "Ms Ada Manager")
    lock.pin.setText("2468")
    lock.sign_in_button.click()
    assert actors == [manager]


def test_set_up_finished_at_another_desk_is_refused_plainly(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    lock = make_lock(qtbot, ctx)
    actors = unlocked_by(lock)
    lock.manager_name.setText("Mr Cal Manager")
    lock.new_pin.setText("4826")
    lock.new_pin_again.setText("4826")
    create_first_manager(ctx, "Ms Ada Manager", "2468")  # the other desk, a moment earlier

    lock.set_up_button.click()

    assert actors == []
    assert lock.message() == (
        "A first manager was set up at another desk a moment ago; sign in with their PIN."
    )
    assert not lock.first_run  # sign-in is offered instead
    assert [s.name for s in list_staff(ctx)] == ["Ms Ada Manager"]


def test_pin_typed_at_60_ms_a_key_signs_in_and_the_kiosk_face_stays_calm(
    qtbot, ctx, manager, receptionist, listening_router
) -> None:  # type: ignore[no-untyped-def]
    face = KioskFace("Wrenfield Academy")
    qtbot.addWidget(face)
    listening_router.sig_result.connect(face.show_result)
    lock = make_lock(qtbot, ctx)
    actors = unlocked_by(lock)
    choose(lock, "Mr Ben Desk")
    lock.pin.setFocus()
    keyboard = StampedKeyboard()

    keyboard.type(lock.pin, RECEPTIONIST_PIN, 60)
    keyboard.enter(lock.pin, 60)

    assert actors == [receptionist]
    assert listening_router.last_result is None
    assert face.state == "attract"
    assert held_phones(ctx) == []
