"""Recognise a keyboard-wedge scanner anywhere in the application.

A wedge scanner "types" its code as a burst of key presses a few milliseconds apart and then
presses Enter. People type far more slowly. The listener sits on the QApplication as an
event filter and holds back every printable key press for a moment:

* keys that keep arriving faster than ``threshold_ms`` apart stay in the buffer;
* Enter ending such a burst of at least ``min_length`` characters is a scan
  (``sig_scanned``); nothing reaches the widget that had focus;
* a burst that stops without Enter, or Enter after too short a burst, is a damaged scan
  (``sig_garbled``); nothing is typed anywhere either;
* a key followed by a pause longer than the threshold was typed by a person: it is
  delivered again, unchanged, to the object that first received it, at most
  ``threshold_ms`` late.

Keys with Ctrl, Alt or Meta, auto-repeated keys and keys that type nothing pass through
untouched (after any held-back keys, so their order is kept).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent

DEFAULT_THRESHOLD_MS = 35
DEFAULT_MIN_LENGTH = 6

_ENTER_KEYS = frozenset({Qt.Key.Key_Return, Qt.Key.Key_Enter})
# Pressing or releasing a modifier types nothing; scanners wrap capitals in Shift presses.
_MODIFIER_KEYS = frozenset(
    {
        Qt.Key.Key_Shift,
        Qt.Key.Key_Control,
        Qt.Key.Key_Alt,
        Qt.Key.Key_AltGr,
        Qt.Key.Key_Meta,
        Qt.Key.Key_CapsLock,
        Qt.Key.Key_NumLock,
    }
)
_COMMAND_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


@dataclass(slots=True)
class _HeldKey:
    receiver: QObject
    key: int
    modifiers: Qt.KeyboardModifier
    text: str
    released: bool = False


class ScanListener(QObject):
    """Tell scanner bursts from typing, whichever widget has the keyboard focus."""

    sig_scanned = Signal(str)
    """A complete scan: the characters of a fast burst that ended with Enter."""

    sig_garbled = Signal(str)
    """A partial or damaged scan: a fast burst without Enter, or too short to be a code."""

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        threshold_ms: int = DEFAULT_THRESHOLD_MS,
        min_length: int = DEFAULT_MIN_LENGTH,
        time_source: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self.threshold_ms = threshold_ms
        self.min_length = min_length
        self._now = time_source
        self._held: list[_HeldKey] = []
        self._last_key_at = 0.0
        self._burst_ended_at: float | None = None
        self._replaying = False
        # Key codes whose press was taken as part of a scan: their releases are not passed on.
        self._swallow_release: set[int] = set()
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setTimerType(Qt.TimerType.PreciseTimer)
        self._pause.timeout.connect(self._on_pause)

    # --- public ---------------------------------------------------------------------------

    def install(self, app: QCoreApplication | None = None) -> None:
        """Start listening to every key press in the application."""
        self._application(app).installEventFilter(self)

    def uninstall(self, app: QCoreApplication | None = None) -> None:
        self._pause.stop()
        self._held.clear()
        self._application(app).removeEventFilter(self)

    def pending_text(self) -> str:
        """The characters held back right now (empty between bursts)."""
        return "".join(k.text for k in self._held)

    @staticmethod
    def _application(app: QCoreApplication | None) -> QCoreApplication:
        """``app``, or the running application; raises ``RuntimeError`` when there is none."""
        app = app or QCoreApplication.instance()
        if app is None:
            raise RuntimeError("Create the QApplication before listening for scans.")
        return app

    # --- the filter -----------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        kind = event.type()
        if kind is QEvent.Type.KeyPress:
            if self._replaying:
                return False
            # Qt sends every KeyPress and KeyRelease as a QKeyEvent.
            return self._on_key_press(watched, cast(QKeyEvent, event))
        if kind is QEvent.Type.KeyRelease:
            if self._replaying:
                return False
            return self._on_key_release(cast(QKeyEvent, event))
        return False

    def _on_key_press(self, watched: QObject, event: QKeyEvent) -> bool:
        key = event.key()
        if key in _MODIFIER_KEYS:
            return False
        now = self._now()
        fast = bool(self._held) and self._gap_ms(now) <= self.threshold_ms
        if key in _ENTER_KEYS and not event.modifiers() & _COMMAND_MODIFIERS:
            return self._on_enter(now, fast)
        if not self._holds_back(event):
            self._settle()
            return False
        if self._held and not fast:
            self._settle()
        self._held.append(_HeldKey(watched, key, event.modifiers(), event.text()))
        self._last_key_at = now
        self._pause.start(self.threshold_ms)
        return True

    def _on_enter(self, now: float, fast: bool) -> bool:
        if not self._held:
            # The tail of a burst just reported (a scanner that ends with CR LF, or a damaged
            # scan): do not let it press the default button of whatever has focus.
            return (
                self._burst_ended_at is not None
                and (now - self._burst_ended_at) * 1000 <= 4 * self.threshold_ms
            )
        if not fast:
            settled_as_typing = self._settle()
            return not settled_as_typing
        if len(self._held) == 1:
            # One key and Enter a moment later: a person in a hurry, not a scanner.
            self._replay()
            return False
        text = self._take()
        self._swallow_release.add(int(Qt.Key.Key_Return))
        self._swallow_release.add(int(Qt.Key.Key_Enter))
        if len(text) >= self.min_length:
            self._burst_ended_at = now
            self.sig_scanned.emit(text)
        else:
            self._report_garbled(text)
        return True

    def _on_key_release(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key in _MODIFIER_KEYS or event.isAutoRepeat():
            return False
        for held in reversed(self._held):
            if held.key == key and not held.released:
                held.released = True
                return True
        if key in self._swallow_release:
            self._swallow_release.discard(key)
            return True
        return False

    def _on_pause(self) -> None:
        self._settle()

    # --- deciding -------------------------------------------------------------------------

    def _holds_back(self, event: QKeyEvent) -> bool:
        """Printable, unmodified (Shift is fine), not auto-repeated: it may be a scanner."""
        if event.isAutoRepeat() or event.modifiers() & _COMMAND_MODIFIERS:
            return False
        text = event.text()
        return bool(text) and text.isprintable()

    def _gap_ms(self, now: float) -> float:
        return (now - self._last_key_at) * 1000

    def _settle(self) -> bool:
        """The burst is over without Enter. Returns True when it was typing (re-delivered)."""
        self._pause.stop()
        if not self._held:
            return True
        if len(self._held) < self.min_length:
            self._replay()
            return True
        self._report_garbled(self._take())
        return False

    def _take(self) -> str:
        """Empty the buffer as consumed by a scan: its keys' releases are swallowed too."""
        self._pause.stop()
        text = "".join(k.text for k in self._held)
        self._swallow_release.update(k.key for k in self._held if not k.released)
        self._held.clear()
        return text

    def _report_garbled(self, text: str) -> None:
        self._burst_ended_at = self._now()
        self.sig_garbled.emit(text)

    def _replay(self) -> None:
        """Deliver held-back keys, in order, to the object that first received them."""
        self._pause.stop()
        held, self._held = self._held, []
        self._replaying = True
        try:
            for k in held:
                receiver = k.receiver if shiboken6.isValid(k.receiver) else None
                if receiver is None:
                    receiver = QGuiApplication.focusObject()
                if receiver is None:
                    continue
                press = QKeyEvent(QEvent.Type.KeyPress, k.key, k.modifiers, k.text)
                QCoreApplication.sendEvent(receiver, press)
                if k.released:
                    release = QKeyEvent(QEvent.Type.KeyRelease, k.key, k.modifiers, k.text)
                    QCoreApplication.sendEvent(receiver, release)
        finally:
            self._replaying = False
