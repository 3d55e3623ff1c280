"""A database another program is writing to, met by the running application: the kiosk face
answers "Not recorded — please scan again" within about 2 s instead of freezing, the desk
says what is wrong in plain words, and nothing is half-written. The lock is a real one: a
second connection to the same SQLite file holding a write transaction open."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from kiosk.context import KioskContext
from kiosk.persistence.database import INTERACTIVE
from kiosk.rows.people import Actor
from kiosk.scanning.words import NOT_RECORDED
from kiosk.services.audit import latest_change
from kiosk.services.custody import held_phones, receptacles, save_receptacle
from kiosk.services.pupils import card_payload
from kiosk.startup import open_kiosk
from tests.factories import make_pupil
from ui.application import start
from ui.ask import ScriptedAsker
from ui.components.custody.pupils import PupilPanel
from ui.components.desk.lock_screen import LockScreen

BUSY = "The database is busy (another program or desk is writing to it)."
BUSY_MESSAGE = f"{BUSY} Wait a moment and try again. Nothing was recorded."
# Generous bounds: the desk gives up after INTERACTIVE.lock_wait_ms (2 s); a shared test
# machine may add a little. A frozen face would wait for the other writer (forever here).
ANSWERED_WITHIN_S = 5.0


@contextmanager
def another_writer(db_url: str) -> Iterator[None]:
    """Another program holding the database's write lock until the block ends."""
    other = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_scan_on_a_busy_database_says_not_recorded_quickly_and_records_nothing(
    qtbot, db_url: str, ctx: KioskContext, manager: Actor
) -> None:  # type: ignore[no-untyped-def]
    pupil = make_pupil(ctx, forename="Zoë", surname="Ní Bhriain")
    card = card_payload(ctx, pupil)
    before = latest_change(ctx)
    app = start(db_url, QApplication.instance(), ScriptedAsker(), return_after_ms=60_000)
    qtbot.addWidget(app.desk)
    qtbot.addWidget(app.face)
    app.show()
    pin = app.desk.lock_screen.pin
    pin.setFocus()

    with another_writer(db_url):
        QTest.keyClicks(pin, card)
        started = time.monotonic()
        QTest.keyClick(pin, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: app.face.state == "failed", timeout=int(ANSWERED_WITHIN_S * 1000))
        answered_after = time.monotonic() - started

    assert answered_after < ANSWERED_WITHIN_S
    assert app.face.headline.text() == "Not recorded — please scan again"
    assert app.face.detail_lines() == [NOT_RECORDED]
    banner = app.desk.header.banner_message()
    assert "Not recorded — please scan again: " + BUSY in banner
    assert "Something went wrong" not in banner + " ".join(app.face.detail_lines())
    assert held_phones(ctx) == []
    assert latest_change(ctx) == before

    # Once the other program lets go, the same card hands the phone in.
    QTest.keyClicks(pin, card)
    QTest.keyClick(pin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: app.face.state == "handed_in")
    assert [h.pupil.name for h in held_phones(ctx)] == ["Zoë Ní Bhriain"]
    app.close()


def test_signing_in_on_a_busy_database_says_so_plainly(
    qtbot, db_url: str, ctx: KioskContext, manager: Actor, receptionist: Actor
) -> None:  # type: ignore[no-untyped-def]
    desk_ctx = open_kiosk(db_url, patience=INTERACTIVE)
    lock = LockScreen(desk_ctx)
    qtbot.addWidget(lock)
    lock.show()
    unlocked: list[Actor] = []
    lock.sig_unlocked.connect(unlocked.append)
    lock.staff_box.setCurrentIndex(lock.staff_box.findData(receptionist.staff_id))

    with another_writer(db_url):
        lock.pin.setText("1357")
        started = time.monotonic()
        lock.sign_in_button.click()
        answered_after = time.monotonic() - started

    assert answered_after < ANSWERED_WITHIN_S
    assert lock.message() == BUSY_MESSAGE
    assert unlocked == []
    assert lock.pin.text() == "1357"  # kept, so trying again is one click

    lock.sign_in_button.click()
    assert unlocked == [receptionist]
    desk_ctx.close()


def test_a_desk_hand_in_on_a_busy_database_is_one_plain_message_and_stores_nothing(
    qtbot, db_url: str, ctx: KioskContext, receptionist: Actor
) -> None:  # type: ignore[no-untyped-def]
    zoe = make_pupil(ctx, forename="Zoë", surname="Adebayo")
    before = latest_change(ctx)
    desk_ctx = open_kiosk(db_url, patience=INTERACTIVE)
    asker = ScriptedAsker(None)  # the message box, acknowledged
    panel = PupilPanel(desk_ctx, lambda: receptionist, asker)
    qtbot.addWidget(panel)
    panel.show()
    panel.show_pupil(zoe.id)

    with another_writer(db_url):
        started = time.monotonic()
        panel.hand_in_button.click()
        answered_after = time.monotonic() - started

    assert answered_after < ANSWERED_WITHIN_S
    assert asker.asked == [("error", "Hand in phone", BUSY_MESSAGE)]
    assert not panel.slot_big.isVisible()
    assert held_phones(ctx) == []
    assert latest_change(ctx) == before
    desk_ctx.close()


def test_a_fault_escaping_a_desk_action_is_shown_on_the_banner_not_as_a_traceback(
    qtbot, db_url: str, ctx: KioskContext, manager: Actor
) -> None:  # type: ignore[no-untyped-def]
    app = start(db_url, QApplication.instance(), ScriptedAsker(), return_after_ms=60_000)
    qtbot.addWidget(app.desk)
    qtbot.addWidget(app.face)
    tray = receptacles(ctx)[0]

    def resize_straight_from_a_slot() -> None:  # an action with no handler of its own
        save_receptacle(app.ctx, manager, name=tray.name, capacity=80, receptacle_id=tray.id)

    with another_writer(db_url):
        QTimer.singleShot(0, resize_straight_from_a_slot)
        qtbot.waitUntil(lambda: "Not done" in app.desk.header.banner_message(), timeout=5000)

    assert app.desk.header.banner_message().endswith("Not done: " + BUSY_MESSAGE)
    assert receptacles(ctx)[0].capacity == tray.capacity
    app.close()
