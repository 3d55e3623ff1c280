"""Key presses stamped with the window system's time, as a real keyboard or scanner sends them.

``qtbot.keyClicks`` makes events without a timestamp, so the listener falls back to the
moment it handles them; these carry their own, so a test can say "5 ms apart" and still
deliver the keys late, as a busy GUI thread would.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

SHIFT = Qt.KeyboardModifier.ShiftModifier


def key_for(ch: str) -> int:
    """The Qt key code a keyboard sends for the character ``ch``."""
    return int(Qt.Key(ord(ch.upper())))


class StampedKeyboard:
    """Types into a widget with explicit timestamps (milliseconds)."""

    def __init__(self, start_ms: int = 5_000_000) -> None:
        self.at_ms = start_ms

    def key(
        self,
        receiver: QObject,
        key: int,
        text: str = "",
        modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
        *,
        after_ms: int = 0,
        post: bool = False,
    ) -> None:
        """Press and release ``key`` ``after_ms`` after the previous key; ``post`` queues
        the events instead of delivering them at once."""
        self.at_ms += after_ms
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, key, modifiers, text)
            event.setTimestamp(self.at_ms)
            if post:
                QApplication.postEvent(receiver, event)
            else:
                QApplication.sendEvent(receiver, event)

    def type(
        self,
        receiver: QObject,
        text: str,
        every_ms: int,
        *,
        first_after_ms: int = 1000,
        busy_after: int | None = None,
        busy_s: float = 0.0,
        post: bool = False,
    ) -> None:
        """Type ``text`` one key every ``every_ms`` (capitals with Shift). With
        ``busy_after``, the GUI thread is blocked for ``busy_s`` seconds after that many
        keys: the keys keep their timestamps but are delivered late."""
        for i, ch in enumerate(text):
            if busy_after is not None and i == busy_after:
                time.sleep(busy_s)
            modifiers = SHIFT if ch.isupper() else Qt.KeyboardModifier.NoModifier
            self.key(
                receiver,
                key_for(ch),
                ch,
                modifiers,
                after_ms=first_after_ms if i == 0 else every_ms,
                post=post,
            )

    def enter(self, receiver: QObject, after_ms: int, *, post: bool = False) -> None:
        """The Enter (Return) key ``after_ms`` after the previous key."""
        self.key(receiver, int(Qt.Key.Key_Return), "\r", after_ms=after_ms, post=post)

    def tab(self, receiver: QObject, after_ms: int) -> None:
        """The Tab key ``after_ms`` after the previous key."""
        self.key(receiver, int(Qt.Key.Key_Tab), "\t", after_ms=after_ms)

    def line_feed(self, receiver: QObject, after_ms: int) -> None:
        """A line feed as a scanner types it: Ctrl+J."""
        self.key(
            receiver,
            int(Qt.Key.Key_J),
            "\n",
            Qt.KeyboardModifier.ControlModifier,
            after_ms=after_ms,
        )


# --- what a scanner set to the wrong keyboard layout types on a UK computer ---------------

_GERMAN = str.maketrans("YZ", "ZY")
_FRENCH = {
    "A": "Q", "Q": "A", "Z": "W", "W": "Z", "M": "?",
    "1": "&", "2": "é", "3": '"', "4": "'", "5": "(", "6": "-", "7": "è",
}  # fmt: skip


def german_typed(code: str) -> str:
    """What a scanner set to German (QWERTZ) types for ``code``: Y and Z swapped."""
    return code.translate(_GERMAN)


def french_typed(code: str) -> str:
    """What a scanner set to French (AZERTY) types for ``code``: capitals with Shift,
    digits without (so the symbols of the digit row)."""
    return "".join(_FRENCH.get(ch, ch) for ch in code)
