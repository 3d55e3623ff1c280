"""Keyboard shortcuts for the five things a receptionist does most at the desk.

Each shortcut has one key and one name, here; the desk window binds them
(:func:`install_desk_shortcuts`) and the buttons and fields they lead to say them in their
tooltips (:func:`with_shortcut`), so what the tooltip says is always what the key does.
The keys are the ones an office user already knows where they can be (Ctrl+F finds,
Ctrl+L locks, as in Windows and most browsers).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget


@dataclass(frozen=True, slots=True)
class DeskShortcut:
    """A key sequence (Qt's portable text, "Ctrl+F") and what it does, in words."""

    keys: str
    action: str

    def shown(self) -> str:
        """The keys as this computer's keyboard writes them ("Ctrl+F"; "⌘F" on a Mac)."""
        return QKeySequence(self.keys).toString(QKeySequence.SequenceFormat.NativeText)


FIND_PUPIL = DeskShortcut("Ctrl+F", "Find a pupil")
HAND_IN = DeskShortcut("Ctrl+H", "Hand in a phone for a pupil without their card")
TAKE_CALL = DeskShortcut("Ctrl+T", "Take a call")
SIGN_VISITOR_IN = DeskShortcut("Ctrl+I", "Sign a visitor in at the kiosk screen")
LOCK_DESK = DeskShortcut("Ctrl+L", "Lock the desk")

DESK_SHORTCUTS: tuple[DeskShortcut, ...] = (
    FIND_PUPIL,
    HAND_IN,
    TAKE_CALL,
    SIGN_VISITOR_IN,
    LOCK_DESK,
)
"""The desk's shortcuts, most used first."""


def with_shortcut(text: str, shortcut: DeskShortcut) -> str:
    """``text`` (a tooltip) followed by the shortcut's keys in brackets:
    "Lock the desk; pupils can still scan (Ctrl+L)"."""
    return f"{text} ({shortcut.shown()})"


def install_desk_shortcuts(
    window: QWidget, actions: dict[DeskShortcut, Callable[[], None]]
) -> list[QShortcut]:
    """Bind each shortcut in ``actions`` to its function, anywhere in ``window`` (the desk
    window), and return the shortcuts made (kept by the window). Raises ``KeyError`` when
    a shortcut of :data:`DESK_SHORTCUTS` has no function: every listed key must work."""
    made = []
    for shortcut in DESK_SHORTCUTS:
        key = QShortcut(QKeySequence(shortcut.keys), window)
        key.setContext(Qt.ShortcutContext.WindowShortcut)
        key.setWhatsThis(shortcut.action)
        key.activated.connect(actions[shortcut])
        made.append(key)
    return made
