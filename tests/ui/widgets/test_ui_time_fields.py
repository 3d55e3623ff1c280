"""Typed times: digits typed into a time field set the time, as a receptionist expects."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt, QTime

from ui.widgets.time_fields import DateTimeField, TimeField, parse_typed_time


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1510", "15:10"),
        ("15:10", "15:10"),
        ("15.10", "15:10"),
        ("9:05", "09:05"),
        ("910", "09:10"),
        ("8", "08:00"),
        ("0840", "08:40"),
    ],
)
def test_typing_digits_into_a_time_field_sets_that_time(qtbot, typed, expected) -> None:
    field = TimeField(QTime(9, 0))
    qtbot.addWidget(field)
    field.show()
    field.setFocus()
    qtbot.keyClicks(field, typed)
    assert field.time().toString("HH:mm") == expected
    assert field.text() == expected


def test_a_time_field_refuses_a_digit_that_makes_no_time_and_keeps_what_it_had(qtbot) -> None:
    field = TimeField(QTime(15, 10))
    qtbot.addWidget(field)
    field.show()
    field.setFocus()
    qtbot.keyClicks(field, "1599")  # no minute 59+ after "159" (01:59): the last 9 is refused
    assert field.text() == "01:59"
    qtbot.keyClick(field, Qt.Key.Key_Backspace)
    qtbot.keyClicks(field, "0")  # Backspace takes the last digit back: "150" is 01:50
    assert field.text() == "01:50"


def test_after_a_whole_time_the_next_digit_begins_a_new_time(qtbot) -> None:
    field = TimeField(QTime(15, 10))
    qtbot.addWidget(field)
    field.show()
    field.setFocus()
    qtbot.keyClicks(field, "16309")  # a whole time, then the next digit begins a new one
    assert field.text() == "09:00"


def test_arrow_keys_still_step_the_time(qtbot) -> None:
    field = TimeField(QTime(15, 10))
    qtbot.addWidget(field)
    field.show()
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_Up)
    assert field.time() != QTime(15, 10)


def test_typing_a_time_into_a_date_and_time_field_keeps_the_date(qtbot) -> None:
    field = DateTimeField()
    field.setDisplayFormat("ddd dd MMM yyyy HH:mm")
    field.setDateTime(QDateTime(QDate(2026, 11, 24), QTime(8, 40)))
    qtbot.addWidget(field)
    field.show()
    field.activateWindow()
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)  # taking focus makes the hour current
    qtbot.keyClicks(field, "1510")
    assert field.text() == "Tue 24 Nov 2026 15:10"


def test_parse_typed_time_says_none_for_what_is_not_a_time() -> None:
    assert parse_typed_time("") is None
    assert parse_typed_time("2400") is None
    assert parse_typed_time("1575") is None
    assert parse_typed_time("15:10:00") is None
    assert parse_typed_time("12345") is None
