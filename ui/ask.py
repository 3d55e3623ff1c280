"""Questions put to the person at the desk, behind one small object so tests can answer.

Widgets never call ``QMessageBox`` or ``QInputDialog`` directly; they call ``ask.…`` on
the :class:`Asker` they were given. Tests pass a :class:`ScriptedAsker` with the answers.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget


def _message_box(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
) -> QMessageBox.StandardButton:
    """A message box that shows names and notes literally, never as rich text."""
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return QMessageBox.StandardButton(box.exec())


class Asker:
    """Real dialogs (the desk window only: the kiosk face never opens one)."""

    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool:
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        answer = _message_box(parent, QMessageBox.Icon.Question, title, text, buttons)
        return answer == QMessageBox.StandardButton.Yes

    def text(self, parent: QWidget | None, title: str, label: str, default: str = "") -> str | None:
        value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, default)
        return value if ok else None

    def secret(self, parent: QWidget | None, title: str, label: str) -> str | None:
        value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Password)
        return value if ok else None

    def choice(
        self, parent: QWidget | None, title: str, label: str, options: list[str]
    ) -> str | None:
        value, ok = QInputDialog.getItem(parent, title, label, options, 0, False)
        return value if ok else None

    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        _message_box(parent, QMessageBox.Icon.Information, title, text)

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        _message_box(parent, QMessageBox.Icon.Warning, title, text)

    def save_path(
        self, parent: QWidget | None, title: str, suggested: str, file_filter: str
    ) -> str | None:
        path, _ = QFileDialog.getSaveFileName(parent, title, suggested, file_filter)
        return path or None

    def open_path(self, parent: QWidget | None, title: str, file_filter: str) -> str | None:
        path, _ = QFileDialog.getOpenFileName(parent, title, "", file_filter)
        return path or None


class ScriptedAsker(Asker):
    """Answers from a queue, in order, and remembers every question (for tests)."""

    def __init__(self, *answers: Any) -> None:
        self.answers: deque[Any] = deque(answers)
        self.asked: list[tuple[str, str, str]] = []

    def _next(self, kind: str, title: str, text: str) -> Any:
        self.asked.append((kind, title, text))
        if not self.answers:
            raise AssertionError(f"unexpected question ({kind}): {title}: {text}")
        return self.answers.popleft()

    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool:
        return bool(self._next("confirm", title, text))

    def text(self, parent: QWidget | None, title: str, label: str, default: str = "") -> str | None:
        return self._next("text", title, label)

    def secret(self, parent: QWidget | None, title: str, label: str) -> str | None:
        return self._next("secret", title, label)

    def choice(
        self, parent: QWidget | None, title: str, label: str, options: list[str]
    ) -> str | None:
        return self._next("choice", title, label)

    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        self.asked.append(("info", title, text))

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        self.asked.append(("error", title, text))

    def save_path(
        self, parent: QWidget | None, title: str, suggested: str, file_filter: str
    ) -> str | None:
        return self._next("save_path", title, suggested)

    def open_path(self, parent: QWidget | None, title: str, file_filter: str) -> str | None:
        return self._next("open_path", title, file_filter)
