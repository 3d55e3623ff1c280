"""The whole application: desk window and kiosk face wired to one scan listener."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

import ui.app
from kiosk.changes import Changes
from kiosk.codes.pupil_card import CardKey
from kiosk.context import KioskContext
from kiosk.rows.people import Actor
from kiosk.services.custody import hand_in_for_pupil, held_phones
from kiosk.services.pupils import card_payload
from kiosk.services.school import update_school
from tests.factories import make_pupil
from ui.app import main
from ui.application import KioskDeskApp, start
from ui.ask import ScriptedAsker
from ui.components.custody.board import BoardView
from ui.components.custody.pupils import PupilPanel
from ui.screens.desk_window import DeskWindow


def scan(qtbot, payload: str) -> None:  # type: ignore[no-untyped-def]
    """Type a card the way a wedge scanner does, into whatever has focus now."""
    target = QApplication.focusWidget()
    assert target is not None
    qtbot.keyClicks(target, payload)
    qtbot.keyClick(target, Qt.Key.Key_Return)


@pytest.fixture
def app(qtbot, qapp, db_url: str, clock, ctx) -> Iterator[KioskDeskApp]:  # type: ignore[no-untyped-def]
    running = start(db_url, qapp, ScriptedAsker(), clock=clock, return_after_ms=60_000)
    qtbot.addWidget(running.desk)
    qtbot.addWidget(running.face)
    running.desk.show()
    running.face.show()
    running.desk.activateWindow()
    running.desk.lock_screen.focus_first_field()
    yield running
    running.listener.uninstall(qapp)
    running.ctx.close()


def sign_in(desk: DeskWindow, name: str, pin: str) -> None:
    lock = desk.lock_screen
    lock.staff_box.setCurrentIndex(lock.staff_box.findText(name, Qt.MatchFlag.MatchStartsWith))
    lock.pin.setText(pin)
    lock.sign_in_button.click()


def count_refreshes(desk: DeskWindow) -> list[Changes]:
    calls: list[Changes] = []
    original = desk.workspace.apply

    def counting(changes: Changes) -> None:
        calls.append(changes)
        original(changes)

    desk.workspace.apply = counting  # type: ignore[method-assign]
    return calls


def test_desk_opens_locked_with_the_school_in_its_title(manager, app: KioskDeskApp) -> None:  # type: ignore[no-untyped-def]
    assert app.desk.is_locked
    assert app.desk.windowTitle() == "Reception Kiosk — Test School"
    assert app.desk.stack.currentWidget() is app.desk.lock_screen
    assert app.desk.header.who.text() == "Locked"
    assert app.face.school.text() == "Test School"


def test_scan_while_locked_is_recorded_and_shown_on_the_kiosk_face(
    qtbot, manager, app, ctx
) -> None:  # type: ignore[no-untyped-def]
    pupil = make_pupil(ctx)
    app.desk.lock_screen.pin.setFocus()

    scan(qtbot, card_payload(ctx, pupil))

    assert app.face.state == "handed_in"
    assert app.face.headline.text() == "Put it in Office tray · slot 1"
    assert app.face.name.text() == "Zoë Ní Bhriain · 9B"
    assert [(h.pupil.name, h.slot) for h in held_phones(ctx)] == [("Zoë Ní Bhriain", 1)]
    assert (
        "Zoë Ní Bhriain (9B) handed in → Office tray · slot 1" in app.desk.header.banner_message()
    )
    assert app.desk.is_locked
    assert app.desk.lock_screen.pin.text() == ""


def test_scan_during_first_run_set_up_is_recorded(qtbot, app, ctx) -> None:  # type: ignore[no-untyped-def]
    pupil = make_pupil(ctx, forename="Dafydd", surname="ap Gruffudd", form="10W")
    guide = app.desk.setup_guide
    assert app.desk.stack.currentWidget() is guide
    guide.school_name.setText("Riverside")
    guide.next_button.click()
    guide.manager_name.setFocus()

    scan(qtbot, card_payload(ctx, pupil))

    assert app.face.name.text() == "Dafydd ap Gruffudd · 10W"
    assert [h.pupil.name for h in held_phones(ctx)] == ["Dafydd ap Gruffudd"]
    assert guide.manager_name.text() == ""


def test_unrecognised_code_is_refused_on_the_face_and_the_banner(qtbot, manager, app, ctx) -> None:  # type: ignore[no-untyped-def]
    app.desk.lock_screen.pin.setFocus()

    scan(qtbot, "V1VISITORBADGE42")

    assert app.face.state == "rejected"
    assert "not a Reception Kiosk card" in app.face.detail_lines()[0]
    assert "Card not accepted" in app.desk.header.banner_message()
    assert held_phones(ctx) == []


def test_first_run_set_up_opens_the_workspace(app: KioskDeskApp, ctx) -> None:  # type: ignore[no-untyped-def]
    guide = app.desk.setup_guide
    guide.school_name.setText("Riverside")
    guide.next_button.click()
    guide.manager_name.setText("Ms Ada Manager")
    guide.new_pin.setText("2468")
    guide.new_pin_again.setText("2468")
    guide.next_button.click()
    for _step in ("pupils", "contacts", "staff"):
        guide.skip_button.click()
    guide.next_button.click()  # "Open the desk"

    assert not app.desk.is_locked
    assert app.desk.stack.currentWidget() is app.desk.workspace
    assert app.desk.header.who.text() == "Signed in: Ms Ada Manager"


def test_board_updates_at_once_when_a_pupil_scans(qtbot, receptionist, app, ctx) -> None:  # type: ignore[no-untyped-def]
    pupil = make_pupil(ctx)
    sign_in(app.desk, "Mr Ben Desk", "1357")
    assert not app.desk.is_locked
    board = app.desk.workspace.show_panel(BoardView)
    assert board.tile("Office tray", 1).pupil_name == ""

    scan(qtbot, card_payload(ctx, pupil))

    assert board.tile("Office tray", 1).pupil_name == "Zoë Ní Bhriain"
    assert board.summary.text().startswith("1 phone held")


def test_clicking_the_banner_opens_the_pupil(qtbot, receptionist, app, ctx) -> None:  # type: ignore[no-untyped-def]
    pupil = make_pupil(ctx)
    sign_in(app.desk, "Mr Ben Desk", "1357")
    scan(qtbot, card_payload(ctx, pupil))

    qtbot.mouseClick(app.desk.header.banner, Qt.MouseButton.LeftButton)

    assert app.desk.workspace.current_panel() is app.desk.workspace.panel(PupilPanel)


def test_lock_button_locks_the_desk_and_scans_still_work(qtbot, receptionist, app, ctx) -> None:  # type: ignore[no-untyped-def]
    pupil = make_pupil(ctx)
    sign_in(app.desk, "Mr Ben Desk", "1357")

    qtbot.mouseClick(app.desk.header.lock_button, Qt.MouseButton.LeftButton)

    assert app.desk.is_locked
    assert app.desk.actor() is None
    assert app.desk.header.who.text() == "Locked"
    app.desk.lock_screen.pin.setFocus()
    scan(qtbot, card_payload(ctx, pupil))
    assert [h.pupil.name for h in held_phones(ctx)] == ["Zoë Ní Bhriain"]


def test_school_renamed_in_settings_reaches_the_kiosk_face(manager, app: KioskDeskApp, ctx) -> None:  # type: ignore[no-untyped-def]
    update_school(ctx, manager, name="Ysgol Gyfun Cwm Rhondda")

    app.desk.refresh()

    assert app.desk.windowTitle() == "Reception Kiosk — Ysgol Gyfun Cwm Rhondda"
    assert app.face.school.text() == "Ysgol Gyfun Cwm Rhondda"


# --- the desk window on its own timers ---------------------------------------------------------


def make_desk(qtbot, ctx: KioskContext, **options: int) -> DeskWindow:  # type: ignore[no-untyped-def]
    desk = DeskWindow(ctx, ScriptedAsker(), **options)  # type: ignore[arg-type]
    qtbot.addWidget(desk)
    desk.show()
    return desk


def test_change_made_elsewhere_appears_on_the_board(qtbot, ctx, receptionist: Actor) -> None:  # type: ignore[no-untyped-def]
    pupil = make_pupil(ctx)
    desk = make_desk(qtbot, ctx, poll_ms=50)
    desk.unlock(receptionist)
    board = desk.workspace.show_panel(BoardView)
    refreshes = count_refreshes(desk)

    hand_in_for_pupil(ctx, receptionist, pupil.id)  # as another desk or the command line would

    qtbot.waitUntil(lambda: board.tile("Office tray", 1).pupil_name != "")
    assert board.tile("Office tray", 1).pupil_name == "Zoë Ní Bhriain"
    assert refreshes


def test_idle_desk_locks_itself(qtbot, ctx, receptionist: Actor) -> None:  # type: ignore[no-untyped-def]
    desk = make_desk(qtbot, ctx, idle_lock_ms=100)
    desk.unlock(receptionist)
    assert not desk.is_locked

    qtbot.waitUntil(lambda: desk.is_locked)
    assert desk.stack.currentWidget() is desk.lock_screen
    assert desk.header.who.text() == "Locked"


# --- main() -------------------------------------------------------------------------------


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> ScriptedAsker:
    asker = ScriptedAsker()
    monkeypatch.setattr(ui.app, "Asker", lambda: asker)
    return asker


def test_selftest_draws_both_windows_and_exits_zero(qapp, db_url: str, errors, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["--db", db_url, "--selftest"]) == 0
    assert "Self-test passed" in capsys.readouterr().out
    assert errors.asked == []


def test_demo_builds_and_opens_the_demo_school_at_the_default_address(
    qapp, tmp_path: Path, errors
) -> None:  # type: ignore[no-untyped-def]
    assert main(["--demo", "--selftest"]) == 0

    demo_file = tmp_path / "data" / "demo.db"  # KIOSK_DATA_DIR is tmp_path/data in tests
    with sqlite3.connect(demo_file) as conn:
        (pupils,) = conn.execute("SELECT count(*) FROM pupil").fetchone()
    assert pupils > 0
    assert errors.asked == []


def test_newer_database_is_refused_with_a_plain_message(qapp, db_url: str, errors) -> None:  # type: ignore[no-untyped-def]
    with sqlite3.connect(db_url.removeprefix("sqlite:///")) as conn:
        # Several feature heads may be stored; a newer version leaves one unknown head.
        conn.execute("DELETE FROM alembic_version")
        conn.execute("INSERT INTO alembic_version VALUES ('9999_from_the_future')")

    assert main(["--db", db_url, "--selftest"]) == 1

    [(kind, title, text)] = errors.asked
    assert (kind, title) == ("error", "Reception Kiosk cannot start")
    assert "newer version of Reception Kiosk" in text


def test_wrong_card_key_file_is_refused_with_a_plain_message(
    qapp, db_url: str, tmp_path: Path, errors, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    other_key = tmp_path / "other.card.key"
    CardKey.load_or_create(other_key)
    monkeypatch.setenv("KIOSK_KEY_FILE", str(other_key))

    assert main(["--db", db_url, "--selftest"]) == 1

    [(kind, _title, text)] = errors.asked
    assert kind == "error"
    assert "does not belong to this database" in text
