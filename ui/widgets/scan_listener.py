"""Recognise a keyboard-wedge scanner anywhere in the application.

A wedge scanner "types" its code as a burst of key presses and then presses a suffix key
(Enter, or Tab, or a line feed: Ctrl+J). The listener sits on the QApplication as an event
filter and holds back every printable key press for a moment. It times keys by the key
events' own timestamps (milliseconds, from the window system), not by when it gets to
handle them, so a GUI thread busy for a moment cannot split one scan into two.

It decides by timing *and* content (the shapes are in :mod:`kiosk.scanning.keystrokes`):

* keys arriving at most ``threshold_ms`` apart are a **fast burst**, whatever they say:
  ended by a suffix after at least ``min_length`` characters it is a scan
  (``sig_scanned``; the scan service refuses garbage with "not a card"); stopped without a
  suffix, or a suffix after too short a burst, it is a damaged scan (``sig_garbled``);
* keys up to ``slow_threshold_ms`` apart (slow scanners: Bluetooth, some 2D imagers) stay
  held only while their text could still become a pupil card or visitor badge; a burst
  with a code's exact shape is a scan whatever its suffix, or with none after a pause;
* anything else was typed by a person (a PIN at 60 ms a key, a name): it is delivered
  again, in order and unchanged, to the object that first received it, followed by the key
  that showed it was typing. Nothing is lost.

Keys with Ctrl, Alt or Meta (but Ctrl+J), auto-repeated keys and keys that type nothing pass
through untouched (after any held-back keys, so their order is kept).

For the desk's scanner test, :meth:`ScanListener.start_trial` hands the next burst, with
its timing and suffix, to ``sig_trial`` instead of scanning it.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, cast

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent

from kiosk.scanning.keystrokes import (
    FAST_KEY_INTERVAL_MS,
    NO_SUFFIX,
    SLOW_KEY_INTERVAL_MS,
    SUFFIX_ENTER,
    SUFFIX_LINE_FEED,
    SUFFIX_TAB,
    KeyBurst,
    could_become_code,
    is_code_shape,
)

DEFAULT_THRESHOLD_MS = FAST_KEY_INTERVAL_MS
DEFAULT_SLOW_THRESHOLD_MS = SLOW_KEY_INTERVAL_MS
DEFAULT_MIN_LENGTH = 6
# During the scanner test a pause this long ends the burst, so a scanner too slow to work
# is still measured (and told so) rather than split.
TRIAL_PAUSE_MS = 400
# A pause timer this late means the GUI thread was busy: keys typed meanwhile may still be
# queued behind it, so it waits this much longer once before deciding.
LATE_TIMER_MS = 20
LATE_GRACE_MS = 30

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
_NOT_WITH_CTRL_J = Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier


@dataclass(slots=True)
class _HeldKey:
    receiver: QObject
    key: int
    modifiers: Qt.KeyboardModifier
    text: str
    at_ms: float
    released: bool = False


class ScanListener(QObject):
    """Tell scanner bursts from typing, whichever widget has the keyboard focus."""

    sig_scanned = Signal(str)
    """A complete scan: a fast burst ended by a suffix, or any burst with a code's shape."""

    sig_garbled = Signal(str)
    """A partial or damaged scan: a fast burst without a suffix, or too short to be a code."""

    sig_trial = Signal(object)
    """The burst heard during a scanner test (:meth:`start_trial`): a
    :class:`~kiosk.scanning.keystrokes.KeyBurst`. Nothing is scanned or typed then."""

    _installed: ClassVar[ScanListener | None] = None

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        threshold_ms: int = DEFAULT_THRESHOLD_MS,
        slow_threshold_ms: int = DEFAULT_SLOW_THRESHOLD_MS,
        min_length: int = DEFAULT_MIN_LENGTH,
        time_source: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self.threshold_ms = threshold_ms
        self.slow_threshold_ms = slow_threshold_ms
        self.min_length = min_length
        self._now = time_source
        self._held: list[_HeldKey] = []
        # True while every gap in the held burst is within threshold_ms.
        self._fast = True
        self._burst_ended_at: float | None = None
        self._replaying = False
        self._trial = False
        self._trial_until = 0.0
        self._installed_before: ScanListener | None = None
        # Key codes whose press was taken as part of a scan: their releases are not passed on.
        self._swallow_release: set[int] = set()
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setTimerType(Qt.TimerType.PreciseTimer)
        self._pause.timeout.connect(self._on_pause)
        self._armed_at = 0.0
        self._armed_ms = 0
        self._grace_given = False

    # --- public ---------------------------------------------------------------------------

    @classmethod
    def installed(cls) -> ScanListener | None:
        """The listener installed on the running application (the last one installed), or
        None; the desk's scanner test uses it, so it measures what the scans go through."""
        listener = cls._installed
        if listener is not None and shiboken6.isValid(listener):
            return listener
        return None

    def install(self, app: QCoreApplication | None = None) -> None:
        """Start listening to every key press in the application ``app`` (or the running
        one); raises ``RuntimeError`` when there is no application."""
        self._application(app).installEventFilter(self)
        if ScanListener._installed is not self:
            self._installed_before = ScanListener._installed
        ScanListener._installed = self

    def uninstall(self, app: QCoreApplication | None = None) -> None:
        """Stop listening; keys held back are dropped and any scanner test ends."""
        self._pause.stop()
        self._held.clear()
        self._trial = False
        self._application(app).removeEventFilter(self)
        if ScanListener._installed is self:
            # A listener installed for a moment (the scanner test on its own) hands back.
            before = self._installed_before
            ScanListener._installed = (
                before if before is not None and shiboken6.isValid(before) else None
            )
        self._installed_before = None

    def pending_text(self) -> str:
        """The characters held back right now (empty between bursts)."""
        return "".join(k.text for k in self._held)

    @property
    def trial_running(self) -> bool:
        """True while a scanner test waits for its burst."""
        return self._trial

    def start_trial(self, within_ms: int = 60_000) -> None:
        """Hand the next burst to ``sig_trial`` (text, key intervals in ms, suffix) instead
        of scanning it or typing it: the desk's "Test your scanner" page. Keys held before
        are decided first, as usual. A burst that starts more than ``within_ms`` from now is
        scanned as usual again, even if the page that asked is gone."""
        self._settle()
        self._trial = True
        self._trial_until = self._now() + within_ms / 1000

    def stop_trial(self) -> None:
        """End a scanner test that heard nothing; keys of a burst it was hearing are
        dropped (they were meant for the test)."""
        if not self._trial:
            return
        self._trial = False
        if self._held:
            self._take()

    @staticmethod
    def _application(app: QCoreApplication | None) -> QCoreApplication:
        """``app``, or the running application; raises ``RuntimeError`` when there is none."""
        app = app or QCoreApplication.instance()
        if app is None:
            raise RuntimeError("Create the QApplication before listening for scans.")
        return app

    # --- the filter -----------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        """Qt's hook: True when the key event is held back or taken by a scan."""
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
        if self._trial and not self._held and self._now() > self._trial_until:
            self._trial = False  # nobody scanned in time: back to recording scans
        at = self._arrival_ms(event)
        suffix = self._suffix_of(event)
        if suffix is not None:
            return self._on_suffix(key, suffix, at)
        if not self._holds_back(event):
            self._settle()
            return False
        if self._held and not self._continues(at - self._held[-1].at_ms, event.text()):
            self._settle()
        if self._held and at - self._held[-1].at_ms > self.threshold_ms:
            self._fast = False
        self._held.append(_HeldKey(watched, key, event.modifiers(), event.text(), at))
        self._arm()
        return True

    def _on_suffix(self, key: int, suffix: str, at: float) -> bool:
        if not self._held:
            # The tail of a burst just reported (a scanner that ends with CR LF, or a
            # scan recognised after a pause): do not let it press the default button or
            # move the focus.
            if (
                self._burst_ended_at is not None
                and (self._now() - self._burst_ended_at) * 1000 <= 4 * self.threshold_ms
            ):
                self._swallow_release.add(key)
                return True
            return False
        gap = at - self._held[-1].at_ms
        limit = TRIAL_PAUSE_MS if self._trial else self.slow_threshold_ms
        if 0 <= gap <= limit:
            if self._trial:
                self._report_trial(suffix)
                self._swallow_release.add(key)
                return True
            text = self.pending_text()
            if is_code_shape(text):
                self._report_scan(self._take())
                self._swallow_release.add(key)
                return True
            # Tab or Ctrl+J straight after a few quick keys is a person moving on (keys rolled
            # over); only Enter ends a short fast burst as a damaged scan, as it always has.
            short = len(self._held) < self.min_length and suffix != SUFFIX_ENTER
            if self._fast and gap <= self.threshold_ms and not short:
                if len(self._held) == 1:
                    # One key and Enter a moment later: a person in a hurry, not a scanner.
                    self._replay()
                    return False
                text = self._take()
                self._swallow_release.add(key)
                if len(text) >= self.min_length:
                    self._report_scan(text)
                else:
                    self._report_garbled(text)
                return True
        # Typing (handed back, then the key goes on), or a burst that ended before this key
        # (reported: the key is its tail).
        return self._settle() != "typing"

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
        late_ms = (self._now() - self._armed_at) * 1000 - self._armed_ms
        if late_ms > LATE_TIMER_MS and not self._grace_given:
            # The GUI thread was busy past the pause: the rest of the burst may be queued
            # behind this timer. Let it arrive before deciding.
            self._grace_given = True
            self._pause.start(LATE_GRACE_MS)
            return
        self._settle()

    # --- deciding -------------------------------------------------------------------------

    def _arrival_ms(self, event: QKeyEvent) -> float:
        """When the key was pressed, in ms: the window system's timestamp, or (for events
        made without one) the moment it is handled."""
        stamp = event.timestamp()
        return float(stamp) if stamp else self._now() * 1000

    @staticmethod
    def _suffix_of(event: QKeyEvent) -> str | None:
        """The suffix a scanner may press after a code, or None for any other key."""
        if event.isAutoRepeat():
            return None
        key = event.key()
        modifiers = event.modifiers()
        if key in _ENTER_KEYS and not modifiers & _COMMAND_MODIFIERS:
            return SUFFIX_ENTER
        if key == Qt.Key.Key_Tab and not modifiers & _COMMAND_MODIFIERS:
            return SUFFIX_TAB
        if (
            key == Qt.Key.Key_J
            and modifiers & Qt.KeyboardModifier.ControlModifier
            and not modifiers & _NOT_WITH_CTRL_J
        ) or event.text() == "\n":
            return SUFFIX_LINE_FEED
        return None

    def _holds_back(self, event: QKeyEvent) -> bool:
        """Printable, unmodified (Shift is fine), not auto-repeated: it may be a scanner."""
        if event.isAutoRepeat() or event.modifiers() & _COMMAND_MODIFIERS:
            return False
        text = event.text()
        return bool(text) and text.isprintable()

    def _continues(self, gap_ms: float, text: str) -> bool:
        """Whether a key ``gap_ms`` after the last held one belongs to the same burst."""
        if self._trial:
            return 0 <= gap_ms <= TRIAL_PAUSE_MS
        if gap_ms < 0 or gap_ms > self.slow_threshold_ms:
            return False
        if self._fast and gap_ms <= self.threshold_ms:
            return True
        # Slower than any person's burst of typing only if it is becoming a card or badge.
        return could_become_code(self.pending_text() + text)

    def _arm(self) -> None:
        """(Re)start the pause that ends the burst: long enough for the next key of a slow
        scanner when the text may still become a code, else a fast scanner's gap."""
        if self._trial:
            wait = TRIAL_PAUSE_MS
        elif could_become_code(self.pending_text()):
            wait = self.slow_threshold_ms
        else:
            wait = self.threshold_ms
        self._armed_at = self._now()
        self._armed_ms = wait
        self._grace_given = False
        self._pause.start(wait)

    def _settle(self) -> str:
        """The burst is over without a suffix: "scan", "garbled", "trial", "typing" (keys
        re-delivered) or "none" (nothing was held)."""
        self._pause.stop()
        if not self._held:
            return "none"
        if self._trial:
            self._report_trial(NO_SUFFIX)
            return "trial"
        if is_code_shape(self.pending_text()):
            self._report_scan(self._take())
            return "scan"
        if self._fast and len(self._held) >= self.min_length:
            self._report_garbled(self._take())
            return "garbled"
        self._replay()
        return "typing"

    def _take(self) -> str:
        """Empty the buffer as consumed by a scan: its keys' releases are swallowed too."""
        self._pause.stop()
        text = "".join(k.text for k in self._held)
        self._swallow_release.update(k.key for k in self._held if not k.released)
        self._held.clear()
        self._fast = True
        return text

    def _report_scan(self, text: str) -> None:
        self._burst_ended_at = self._now()
        self.sig_scanned.emit(text)

    def _report_garbled(self, text: str) -> None:
        self._burst_ended_at = self._now()
        self.sig_garbled.emit(text)

    def _report_trial(self, suffix: str) -> None:
        stamps = [k.at_ms for k in self._held]
        intervals = tuple(b - a for a, b in itertools.pairwise(stamps))
        burst = KeyBurst(self._take(), intervals, suffix)
        self._trial = False
        self._burst_ended_at = self._now()
        self.sig_trial.emit(burst)

    def _replay(self) -> None:
        """Deliver held-back keys, in order, to the object that first received them."""
        self._pause.stop()
        held, self._held = self._held, []
        self._fast = True
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
