"""The school calendar's one read model: school days, closures, terms, opening hours and
release windows, in the school's time zone whatever the season."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from kiosk.context import KioskContext
from kiosk.errors import InvalidInput, NotAllowed
from kiosk.rows.people import Actor
from kiosk.services.calendar import (
    add_closure,
    add_term,
    guessed_term_start,
    school_calendar,
    set_periods,
)
from tests.conftest import LONDON

# A new school's week: Monday-Friday 08:30-15:30, phones back 15:10-16:30.


def test_a_closure_day_is_not_a_school_day(ctx: KioskContext, manager: Actor) -> None:
    add_closure(ctx, manager, date(2026, 11, 30), "Training day")
    calendar = school_calendar(ctx)

    assert calendar.is_school_day(date(2026, 11, 27))  # Friday
    assert not calendar.is_school_day(date(2026, 11, 30))  # Monday, the training day
    assert not calendar.is_school_day(date(2026, 11, 28))  # Saturday: no opening hours
    assert calendar.is_school_day(date(2026, 12, 1))


def test_outside_the_terms_set_no_day_is_a_school_day(ctx: KioskContext, manager: Actor) -> None:
    add_term(ctx, manager, "Autumn term", date(2026, 9, 3), date(2026, 12, 18))
    calendar = school_calendar(ctx)

    assert calendar.is_school_day(date(2026, 12, 18))
    assert not calendar.is_school_day(date(2026, 12, 21))  # Christmas holidays


def test_term_start_comes_from_the_terms_the_school_set(ctx: KioskContext, manager: Actor) -> None:
    add_term(ctx, manager, "Autumn term", date(2026, 9, 3), date(2026, 12, 18))
    add_term(ctx, manager, "Spring term", date(2027, 1, 5), date(2027, 3, 26))
    calendar = school_calendar(ctx)

    assert calendar.term_start(date(2026, 11, 24)) == date(2026, 9, 3)
    assert calendar.term_start(date(2027, 1, 5)) == date(2027, 1, 5)
    # In the holidays between the terms set, the usual three terms are the guess.
    assert calendar.term_start(date(2026, 12, 28)) == date(2026, 9, 1)


@pytest.mark.parametrize(
    ("day", "start"),
    [
        (date(2026, 11, 24), date(2026, 9, 1)),
        (date(2027, 2, 10), date(2027, 1, 1)),
        (date(2027, 6, 30), date(2027, 4, 1)),
    ],
)
def test_term_start_without_terms_set_is_the_usual_three_terms(
    ctx: KioskContext, day: date, start: date
) -> None:
    assert school_calendar(ctx).terms == ()
    assert school_calendar(ctx).term_start(day) == start == guessed_term_start(day)


@pytest.mark.parametrize(
    ("at", "open_"),
    [
        # Friday 23 October 2026, British Summer Time (UTC+1): 15:10 there is 14:10 UTC.
        (datetime(2026, 10, 23, 14, 10, tzinfo=UTC), True),
        (datetime(2026, 10, 23, 14, 9, tzinfo=UTC), False),
        (datetime(2026, 10, 23, 15, 29, tzinfo=UTC), True),  # 16:29 in London
        (datetime(2026, 10, 23, 15, 30, tzinfo=UTC), False),  # 16:30: the window has closed
        # Friday 30 October 2026, after the clocks went back (GMT): 15:10 is 15:10 UTC.
        (datetime(2026, 10, 30, 15, 10, tzinfo=UTC), True),
        (datetime(2026, 10, 30, 14, 10, tzinfo=UTC), False),
        # Friday 27 March 2026, two days before the clocks go forward: still GMT.
        (datetime(2026, 3, 27, 15, 10, tzinfo=UTC), True),
        (datetime(2026, 3, 27, 14, 10, tzinfo=UTC), False),
    ],
)
def test_the_release_window_at_15_10_on_a_friday_is_school_time_across_dst(
    ctx: KioskContext, at: datetime, open_: bool
) -> None:
    window = school_calendar(ctx).release_window_at(at)

    assert (window is not None) is open_
    if window is not None:
        assert window.starts == time(15, 10)
        assert window.label == "End of the school day"


def test_the_next_release_after_the_friday_window_is_monday_in_school_time(
    ctx: KioskContext,
) -> None:
    # Friday 23 October 2026 at 17:00 BST; the clocks go back on Sunday.
    after_school = datetime(2026, 10, 23, 17, 0, tzinfo=LONDON)

    assert school_calendar(ctx).next_release_start(after_school) == datetime(
        2026, 10, 26, 15, 10, tzinfo=UTC
    )


def test_closing_time_follows_the_opening_hours_in_utc(ctx: KioskContext, manager: Actor) -> None:
    calendar = school_calendar(ctx)
    assert calendar.closing_time(date(2026, 7, 10)) == datetime(2026, 7, 10, 14, 30, tzinfo=UTC)
    assert calendar.closing_time(date(2026, 11, 27)) == datetime(2026, 11, 27, 15, 30, tzinfo=UTC)

    # Fridays finish early: the opening hours follow the periods.
    set_periods(ctx, manager, 4, [("Period 1", "period", time(8, 30), time(13, 0))])
    assert school_calendar(ctx).closing_time(date(2026, 11, 27)) == datetime(
        2026, 11, 27, 13, 0, tzinfo=UTC
    )
    set_periods(ctx, manager, 4, [])
    assert school_calendar(ctx).closing_time(date(2026, 11, 27)) is None
    assert not school_calendar(ctx).is_school_day(date(2026, 11, 27))


def test_periods_set_the_opening_hours_they_span(ctx: KioskContext, manager: Actor) -> None:
    set_periods(
        ctx,
        manager,
        2,
        [
            ("Period 1", "period", time(8, 50), time(12, 0)),
            ("Lunch", "lunch", time(12, 0), time(12, 45)),
            ("End of day", "end_of_day", time(15, 0), time(15, 20)),
        ],
    )
    calendar = school_calendar(ctx)

    hours = calendar.hours_on(2)
    assert hours is not None
    assert (hours.opens, hours.closes) == (time(8, 50), time(15, 20))
    assert [p.name for p in calendar.periods_on(2)] == ["Period 1", "Lunch", "End of day"]
    # Wednesday 25 November 2026 at 12:00 in London is lunch.
    assert calendar.free_time_name(datetime(2026, 11, 25, 12, 0, tzinfo=LONDON)) == "Lunch"
    assert calendar.free_time_name(datetime(2026, 11, 25, 8, 50, tzinfo=LONDON)) == ""


def test_only_a_manager_changes_the_school_day(ctx: KioskContext, receptionist: Actor) -> None:
    with pytest.raises(NotAllowed):
        set_periods(ctx, receptionist, 0, [("Period 1", "period", time(9, 0), time(15, 0))])


def test_periods_must_not_overlap(ctx: KioskContext, manager: Actor) -> None:
    before = school_calendar(ctx).periods_on(0)
    with pytest.raises(InvalidInput, match="starts before Period 1 ends"):
        set_periods(
            ctx,
            manager,
            0,
            [
                ("Period 1", "period", time(9, 0), time(10, 0)),
                ("Break", "break", time(9, 50), time(10, 10)),
            ],
        )
    assert school_calendar(ctx).periods_on(0) == before


def test_the_next_release_skips_a_closure_day_and_the_holidays(
    ctx: KioskContext, manager: Actor
) -> None:
    add_term(ctx, manager, "Autumn term", date(2026, 9, 3), date(2026, 12, 18))
    add_term(ctx, manager, "Spring term", date(2027, 1, 5), date(2027, 3, 26))
    add_closure(ctx, manager, date(2026, 11, 30), "Training day")
    calendar = school_calendar(ctx)

    friday_evening = datetime(2026, 11, 27, 17, 0, tzinfo=LONDON)
    assert calendar.next_release_start(friday_evening) == datetime(
        2026, 12, 1, 15, 10, tzinfo=LONDON
    )
    last_day_of_term = datetime(2026, 12, 18, 16, 45, tzinfo=LONDON)
    assert calendar.next_release_start(last_day_of_term) == datetime(
        2027, 1, 5, 15, 10, tzinfo=LONDON
    )


def test_the_next_break_keeps_its_school_time_over_the_spring_clock_change(
    ctx: KioskContext,
) -> None:
    # Friday 27 March 2026 after school (GMT); Monday's first break is 11:00 BST.
    friday = datetime(2026, 3, 27, 16, 0, tzinfo=LONDON)
    free = school_calendar(ctx).next_free_time(friday)

    assert free is not None
    assert free.starts == datetime(2026, 3, 30, 10, 0, tzinfo=UTC)
    assert free.name == "Break"
