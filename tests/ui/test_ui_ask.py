"""The desk's questions show names literally, whatever characters they hold."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from ui.ask import Asker


def test_confirm_shows_markup_in_a_name_as_typed(qtbot) -> None:
    seen: list[tuple[object, str]] = []

    def answer_yes() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                seen.append((widget.textFormat(), widget.text()))
                widget.button(QMessageBox.StandardButton.Yes).click()

    QTimer.singleShot(50, answer_yes)
    assert Asker().confirm(None, "Release phone", 'Release <b>Zoë</b> & "Co"\'s phone?')
    assert seen == [(Qt.TextFormat.PlainText, 'Release <b>Zoë</b> & "Co"\'s phone?')]
