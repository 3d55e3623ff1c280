"""How a moment is said relative to now: the day is the school's day in Europe/London, never
the UTC one, across midnight, weeks, years and both clock changes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kiosk.clock import FixedClock, say_when
from tests.conftest import LONDON

# Tuesday 24 November 2026, 08:40 in school.
TUESDAY = datetime(2026, 11, 24, 8, 40, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("at", "phrase", "cell"),
    [
        (datetime(2026, 11, 24, 15, 10, tzinfo=LONDON), "at 15:10", "15:10 today"),
        (datetime(2026, 11, 24, 7, 5, tzinfo=LONDON), "at 07:05", "07:05 today"),
        (datetime(2026, 11, 25, 15, 10, tzinfo=LONDON), "at 15:10 tomorrow", "15:10 tomorrow"),
        (datetime(2026, 11, 23, 16, 45, tzinfo=LONDON), "at 16:45 yesterday", "16:45 yesterday"),
        (datetime(2026, 11, 30, 8, 40, tzinfo=LONDON), "on Monday at 08:40", "08:40 on Monday"),
        (datetime(2026, 11, 20, 16, 45, tzinfo=LONDON), "on Friday at 16:45", "16:45 on Friday"),
        # A week on is the same weekday as today: the date says which one.
        (datetime(2026, 12, 1, 15, 10, tzinfo=LONDON), "on Tue 1 Dec at 15:10", "15:10 on Tue 1 Dec"),
        (datetime(2026, 12, 8, 15, 10, tzinfo=LONDON), "on Tue 8 Dec at 15:10", "15:10 on Tue 8 Dec"),
        (datetime(2026, 11, 17, 9, 0, tzinfo=LONDON), "on Tue 17 Nov at 09:00", "09:00 on Tue 17 Nov"),
        (datetime(2027, 1, 5, 15, 10, tzinfo=LONDON), "on Tue 5 Jan 2027 at 15:10", "15:10 on Tue 5 Jan 2027"),
    ],
)  # fmt: skip
def test_a_moment_is_said_from_today_in_school_time(at: datetime, phrase: str, cell: str) -> None:
    assert say_when(at, TUESDAY, LONDON) == phrase
    assert say_when(at, TUESDAY, LONDON, bare=True) == cell


def test_across_midnight_the_day_turns_with_the_school_clock() -> None:
    clock = FixedClock(datetime(2026, 11, 24, 23, 59, tzinfo=LONDON))
    just_after = datetime(2026, 11, 25, 0, 1, tzinfo=LONDON)

    assert say_when(just_after, clock(), LONDON) == "at 00:01 tomorrow"
    clock.advance(minutes=2)  # 00:01 on Wednesday
    assert say_when(just_after, clock(), LONDON) == "at 00:01"
    assert say_when(datetime(2026, 11, 24, 23, 59, tzinfo=LONDON), clock(), LONDON) == (
        "at 23:59 yesterday"
    )


def test_in_summer_half_past_midnight_is_already_the_new_school_day() -> None:
    # 23:30 UTC on Monday 15 June is 00:30 BST on Tuesday: the UTC date is a day behind.
    now = datetime(2026, 6, 15, 23, 30, tzinfo=UTC)
    release = datetime(2026, 6, 16, 14, 10, tzinfo=UTC)  # 15:10 BST on Tuesday

    assert say_when(release, now, LONDON) == "at 15:10"
    assert say_when(datetime(2026, 6, 15, 22, 0, tzinfo=UTC), now, LONDON) == "at 23:00 yesterday"


def test_when_the_clocks_go_forward_the_wall_clock_jumps_from_01_00_to_02_00() -> None:
    # Sunday 29 March 2026: at 01:00 UTC the clocks go from 01:00 GMT to 02:00 BST.
    before = datetime(2026, 3, 29, 0, 59, tzinfo=UTC)
    after = datetime(2026, 3, 29, 1, 1, tzinfo=UTC)

    assert say_when(before, after, LONDON) == "at 00:59"
    assert say_when(after, before, LONDON) == "at 02:01"
    # Monday's 15:10 is 14:10 UTC, said as 15:10 from Saturday night in winter time.
    saturday_night = datetime(2026, 3, 28, 23, 30, tzinfo=UTC)
    assert say_when(datetime(2026, 3, 30, 14, 10, tzinfo=UTC), saturday_night, LONDON) == (
        "on Monday at 15:10"
    )


def test_when_the_clocks_go_back_01_00_to_02_00_happens_twice() -> None:
    # Sunday 25 October 2026: at 01:00 UTC the clocks go from 02:00 BST back to 01:00 GMT.
    before = datetime(2026, 10, 25, 0, 59, tzinfo=UTC)
    after = datetime(2026, 10, 25, 1, 1, tzinfo=UTC)

    assert say_when(before, after, LONDON) == "at 01:59"
    assert say_when(after, before, LONDON) == "at 01:01"
    # Saturday evening in summer time to Monday's 15:10, which is 15:10 UTC in winter.
    saturday = datetime(2026, 10, 24, 19, 0, tzinfo=UTC)
    assert say_when(datetime(2026, 10, 26, 15, 10, tzinfo=UTC), saturday, LONDON) == (
        "on Monday at 15:10"
    )
    # 23:30 UTC on Saturday was already Sunday 00:30 BST; 22:30 UTC was Saturday 23:30.
    assert say_when(datetime(2026, 10, 24, 23, 30, tzinfo=UTC), before, LONDON) == "at 00:30"
    assert say_when(datetime(2026, 10, 24, 22, 30, tzinfo=UTC), before, LONDON) == (
        "at 23:30 yesterday"
    )
