"""The five desk shortcuts: each key does what its tooltip says, and only when unlocked."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kiosk.rows.people import Actor
from kiosk.services.custody import held_for_pupil
from tests.factories import make_pupil
from ui.ask import ScriptedAsker
from ui.components.calls.panel import CallsPanel
from ui.components.custody.pupils import PupilPanel
from ui.components.desk.shortcuts import DESK_SHORTCUTS
from ui.screens.desk_window import DeskWindow


def _desk(qtbot, ctx) -> DeskWindow:  # type: ignore[no-untyped-def]
    desk = DeskWindow(ctx, ScriptedAsker())
    qtbot.addWidget(desk)
    desk.show()
    desk.activateWindow()
    qtbot.waitUntil(desk.isActiveWindow)
    return desk


def _press(qtbot, desk: DeskWindow, key: Qt.Key) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(QApplication.focusWidget() or desk, key, Qt.KeyboardModifier.ControlModifier)


def test_five_shortcuts_each_with_its_own_key() -> None:
    keys = [s.keys for s in DESK_SHORTCUTS]
    assert len(DESK_SHORTCUTS) == 5 and len(set(keys)) == 5


def test_shortcuts_find_a_pupil_hand_in_take_a_call_and_lock(
    qtbot, ctx, receptionist: Actor
) -> None:  # type: ignore[no-untyped-def]
    pupil = make_pupil(ctx, forename="Jayden", surname="Adeyemi")
    desk = _desk(qtbot, ctx)
    desk.unlock(receptionist)
    pupils = desk.workspace.panel(PupilPanel)
    calls = desk.workspace.panel(CallsPanel)

    _press(qtbot, desk, Qt.Key.Key_T)
    assert desk.workspace.current_panel() is calls
    qtbot.waitUntil(calls.for_whom.hasFocus)
    assert "(Ctrl+T)" in calls.for_whom.toolTip()

    _press(qtbot, desk, Qt.Key.Key_F)
    assert desk.workspace.current_panel() is pupils
    qtbot.waitUntil(pupils.picker.search.hasFocus)
    assert pupils.picker.search.toolTip().endswith("(Ctrl+F)")

    pupils.show_pupil(pupil.id)
    _press(qtbot, desk, Qt.Key.Key_H)
    assert held_for_pupil(ctx, pupil.id) is not None  # the phone is held
    assert pupils.hand_in_button.toolTip().endswith("(Ctrl+H)")

    asked: list[bool] = []
    desk.sig_kiosk_face_requested.connect(lambda: asked.append(True))
    _press(qtbot, desk, Qt.Key.Key_I)
    assert asked == [True]
    assert desk.header.kiosk_button.toolTip().endswith("(Ctrl+I)")

    _press(qtbot, desk, Qt.Key.Key_L)
    assert desk.is_locked
    assert desk.header.lock_button.toolTip().endswith("(Ctrl+L)")

    _press(qtbot, desk, Qt.Key.Key_T)  # locked: the keys open nothing behind the lock
    assert desk.stack.currentWidget() is desk.lock_screen
