"""Time fields that take typed digits: "1510", "15:10", "15.10" and "9:05" all set the time.

Qt's own QTimeEdit ignores digits typed into a section that is already full (the hour shows
"09", so typing "1" is refused), which leaves a receptionist with only the arrow keys. These
fields read what is typed as a whole time instead, section by section as it grows.
"""

from __future__ import annotations

from PySide6.QtCore import QTime
from PySide6.QtGui import QFocusEvent, QKeyEvent, Qt
from PySide6.QtWidgets import QDateTimeEdit, QTimeEdit, QWidget

_SEPARATORS = frozenset(":.")


def parse_typed_time(typed: str) -> QTime | None:
    """Read a time as a receptionist types it, or ``None`` while it is not (yet) a time.

    Takes digits with at most one separator (":" or "."). Without a separator one or two
    digits are the hour ("9" → 09:00, "15" → 15:00; "91", no hour, is 09:10 on the way to
    "910"), three are H:MM ("910" → 09:10, or "084" → 08:40
    on the way to "0840" when H:MM cannot be) and
    four HH:MM ("1510" → 15:10). With a separator the part before is the hour and the part
    after the minutes ("15:1" → 15:01, "15:10" → 15:10). The 24-hour clock, as UK school
    timetables are written. Returns ``None`` for an hour above 23, minutes above 59, or
    more than four digits.
    """
    if not typed:
        return None
    parts = typed.replace(".", ":").split(":")
    if len(parts) > 2 or not all(p.isdigit() or p == "" for p in parts):
        return None
    if len(parts) == 2:
        hour_text, minute_text = parts
        if not hour_text or len(hour_text) > 2 or len(minute_text) > 2:
            return None
        hour, minute = int(hour_text), int(minute_text or "0")
    else:
        digits = parts[0]
        if len(digits) <= 2 and int(digits) <= 23:
            hour, minute = int(digits), 0
        elif len(digits) == 2:
            # "91" on the way to "910": 09:10 so far.
            hour, minute = int(digits[0]), int(digits[1]) * 10
        elif len(digits) == 3 and int(digits[1:]) > 59:
            # "084" on the way to "0840": 08:40 so far.
            hour, minute = int(digits[:2]), int(digits[2]) * 10
        elif len(digits) <= 4:
            hour, minute = int(digits[:-2]), int(digits[-2:])
        else:
            return None
    if hour > 23 or minute > 59:
        return None
    return QTime(hour, minute)


class _TypedTime:
    """What has been typed into a time field since it took focus (digits and a separator)."""

    def __init__(self) -> None:
        self.typed = ""

    def take(self, event: QKeyEvent) -> QTime | None | bool:
        """Add the key to what was typed; the new time, ``None`` if the key is refused
        (it would make no time), ``False`` if the key is not part of typing a time (the
        field handles it as usual)."""
        text = event.text()
        if event.key() == Qt.Key.Key_Backspace and self.typed:
            self.typed = self.typed[:-1]
            return parse_typed_time(self.typed)
        if len(text) != 1 or not (text.isdigit() or text in _SEPARATORS):
            self.typed = ""
            return False
        candidate = self.typed + text
        if parse_typed_time(candidate) is None:
            if not _complete(self.typed):
                return None  # refused, as a time field refuses a 25th hour
            # After a whole time ("1510"), the next digit begins a new one.
            candidate = text
        self.typed = candidate
        return parse_typed_time(candidate)


def _complete(typed: str) -> bool:
    """True when ``typed`` is a whole time that one more key cannot extend."""
    if parse_typed_time(typed) is None:
        return False
    digits = typed.replace(".", ":")
    return len(digits) == 4 if ":" not in digits else len(digits.split(":")[1]) == 2


class TimeField(QTimeEdit):
    """A 24-hour HH:mm time field that takes typed digits as well as the arrow keys."""

    def __init__(self, time: QTime | None = None, parent: QWidget | None = None) -> None:
        """Start at ``time`` (default 00:00), shown as HH:mm."""
        super().__init__(parent)
        self._typing = _TypedTime()
        self.setDisplayFormat("HH:mm")
        if time is not None:
            self.setTime(time)

    def focusInEvent(self, event: QFocusEvent) -> None:
        """Start a new time when the field takes focus."""
        self._typing.typed = ""
        super().focusInEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Digits and ":" or "." set the whole time (see ``parse_typed_time``); other keys
        (arrows, Tab, Enter) behave as in any time field."""
        result = self._typing.take(event)
        if result is False:
            super().keyPressEvent(event)
            return
        if isinstance(result, QTime):
            self.setTime(result)
        event.accept()


class DateTimeField(QDateTimeEdit):
    """A date-and-time field whose time part takes typed digits.

    The date keeps Qt's own editing (and its calendar pop-up); when the field takes focus
    the hour is the current section, because the date is usually today and the time is
    what gets corrected. Typing while the hour or minutes are current sets the whole time.
    """

    _TIME_SECTIONS = (QDateTimeEdit.Section.HourSection, QDateTimeEdit.Section.MinuteSection)

    def __init__(self, parent: QWidget | None = None) -> None:
        """An empty field; the caller sets its display format and value."""
        super().__init__(parent)
        self._typing = _TypedTime()

    def focusInEvent(self, event: QFocusEvent) -> None:
        """Start a new time and make the hour current when the field takes focus."""
        self._typing.typed = ""
        super().focusInEvent(event)
        if self.displayedSections() & QDateTimeEdit.Section.HourSection:
            self.setCurrentSection(QDateTimeEdit.Section.HourSection)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """In the hour or minutes, digits and ":" or "." set the whole time; elsewhere
        (and for arrows, Tab, Enter) the field behaves as usual."""
        if self.currentSection() not in self._TIME_SECTIONS:
            self._typing.typed = ""
            super().keyPressEvent(event)
            return
        result = self._typing.take(event)
        if result is False:
            super().keyPressEvent(event)
            return
        if isinstance(result, QTime):
            self.setTime(result)
            self.setCurrentSection(QDateTimeEdit.Section.HourSection)
        event.accept()
