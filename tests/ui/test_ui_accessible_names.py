"""Every button without words on it (an icon, a symbol) has an accessible name for screen
readers and a tooltip for the mouse, on every page of the desk and the lock screen."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton

from kiosk.rows.people import Actor
from ui.ask import ScriptedAsker
from ui.screens.desk_window import DeskWindow


def _wordless(button: QAbstractButton) -> bool:
    return not any(ch.isalnum() for ch in button.text())


def test_every_icon_only_button_has_an_accessible_name_and_a_tooltip(
    qtbot, ctx, manager: Actor
) -> None:  # type: ignore[no-untyped-def]
    desk = DeskWindow(ctx, ScriptedAsker())
    qtbot.addWidget(desk)
    desk.show()
    locked = desk.findChildren(QAbstractButton)
    desk.unlock(manager)
    buttons = {id(b): b for b in [*locked, *desk.findChildren(QAbstractButton)]}.values()
    assert len(buttons) > 50  # the walk reached the pages
    missing = [
        f"{type(b.window()).__name__}/{b.objectName() or type(b).__name__}"
        for b in buttons
        if _wordless(b)
        and not (b.accessibleName().strip() and b.toolTip().strip())
        and type(b).__name__ not in ("QCheckBox", "QRadioButton")

    ]
    assert missing == [], "\n".join(sorted(set(missing)))
