"""Taking a call from the keyboard: Tab follows the form's reading order and never drops
into the list of matching people, so the caller's name and number land where typed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kiosk.services.directory import save_entry
from ui.components.calls.panel import CallsPanel


def _type_into_focus(qtbot, text: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(QApplication.focusWidget(), text)


def _tab(qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)


def _ready(qtbot, panel: CallsPanel) -> None:  # type: ignore[no-untyped-def]
    panel.activateWindow()
    panel.for_whom.setFocus()
    qtbot.waitUntil(panel.for_whom.hasFocus)


def test_tab_from_for_whom_goes_to_the_caller_not_into_the_matches(
    desk_panel, qtbot, ctx, manager
) -> None:
    for name in ("Mrs Rhian Bevan", "Mr Rhodri Bevan"):
        save_entry(ctx, manager, name=name, job_title="Teacher")
    panel = desk_panel(CallsPanel, manager)
    _ready(qtbot, panel)
    qtbot.keyClicks(panel.for_whom, "bevan")
    assert len(panel.suggestions()) == 2 and panel.suggestion_list.isVisible()

    _tab(qtbot)
    _type_into_focus(qtbot, "Mrs Kelly")
    _tab(qtbot)
    _type_into_focus(qtbot, "01632 960 123")

    assert panel.caller.text() == "Mrs Kelly"
    assert panel.number.text() == "01632 960 123"
    assert panel.for_whom.text() == "bevan"  # two matches: the name is kept as typed
    assert not panel.suggestion_list.isVisible()


def test_tab_takes_the_only_match_and_down_chooses_among_several(
    desk_panel, qtbot, ctx, manager
) -> None:
    save_entry(ctx, manager, name="Mrs Rhian Bevan", job_title="Head of Year 9")
    save_entry(ctx, manager, name="Mr Rhodri Bevan", job_title="Teacher")
    panel = desk_panel(CallsPanel, manager)
    _ready(qtbot, panel)
    qtbot.keyClicks(panel.for_whom, "rhian")
    _tab(qtbot)
    assert panel.for_whom.text() == "Mrs Rhian Bevan"
    assert "Head of Year 9" in panel.person.text()
    assert panel.caller.hasFocus()

    panel.for_whom.setFocus()
    qtbot.waitUntil(panel.for_whom.hasFocus)
    panel.for_whom.clear()
    qtbot.keyClicks(panel.for_whom, "bevan")
    second = panel.suggestions()[1].name
    qtbot.keyClick(panel.for_whom, Qt.Key.Key_Down)
    qtbot.keyClick(panel.for_whom, Qt.Key.Key_Return)
    assert panel.for_whom.text() == second
