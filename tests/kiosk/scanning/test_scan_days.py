"""What a pupil is told when their phone is already held: when it was handed in and when it
comes back, each said from the moment of the scan in school time (DESIGN, storage), with the
next release window taken from the calendar: weekends, closure days and holidays skipped."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from kiosk.clock import FixedClock
from kiosk.context import KioskContext
from kiosk.rows.people import Actor
from kiosk.scanning.service import act_on_scan
from kiosk.services.calendar import add_closure, add_term
from kiosk.services.pupils import card_payload
from tests.conftest import LONDON
from tests.factories import make_pupil

# November 2026: Tuesday 24th, Friday 27th, Monday 30th. Phones come back at 15:10.


@pytest.fixture
def card(ctx: KioskContext) -> str:
    pupil = make_pupil(ctx, forename="Zoë", surname="Adebayo", form="9B")
    return card_payload(ctx, pupil)


def hand_in_at(ctx: KioskContext, clock: FixedClock, card: str, when: datetime) -> None:
    clock.set(when)
    assert act_on_scan(ctx, card).kind == "handed_in"


def told(ctx: KioskContext, clock: FixedClock, card: str, when: datetime) -> str:
    """The line the kiosk face shows under "Your phone is in …" for a scan at ``when``."""
    clock.set(when)
    result = act_on_scan(ctx, card)
    assert result.kind == "already_held"
    return result.message.detail[0]


def test_a_phone_kept_overnight_comes_back_today_when_scanned_next_morning(
    ctx: KioskContext, clock: FixedClock, card: str
) -> None:
    hand_in_at(ctx, clock, card, datetime(2026, 11, 24, 17, 0, tzinfo=LONDON))

    assert told(ctx, clock, card, datetime(2026, 11, 24, 17, 5, tzinfo=LONDON)) == (
        "Handed in at 17:00. It comes back at 15:10 tomorrow."
    )
    assert told(ctx, clock, card, datetime(2026, 11, 25, 8, 20, tzinfo=LONDON)) == (
        "Handed in at 17:00 yesterday. It comes back at 15:10."
    )


def test_the_command_line_says_the_same_day_as_the_kiosk(
    ctx: KioskContext, clock: FixedClock, card: str
) -> None:
    hand_in_at(ctx, clock, card, datetime(2026, 11, 24, 17, 0, tzinfo=LONDON))
    clock.set(datetime(2026, 11, 25, 8, 20, tzinfo=LONDON))

    assert act_on_scan(ctx, card).message.one_line == (
        "ALREADY HELD Zoë Adebayo (9B) in Office tray · slot 1; it comes back at 15:10."
    )


def test_across_midnight_tomorrow_becomes_today(
    ctx: KioskContext, clock: FixedClock, card: str
) -> None:
    hand_in_at(ctx, clock, card, datetime(2026, 11, 24, 23, 59, tzinfo=LONDON))

    assert told(ctx, clock, card, datetime(2026, 11, 24, 23, 59, 30, tzinfo=LONDON)) == (
        "Handed in at 23:59. It comes back at 15:10 tomorrow."
    )
    assert told(ctx, clock, card, datetime(2026, 11, 25, 0, 1, tzinfo=LONDON)) == (
        "Handed in at 23:59 yesterday. It comes back at 15:10."
    )


def test_friday_evening_says_monday_and_monday_says_today(
    any_ctx: KioskContext, clock: FixedClock
) -> None:
    card = card_payload(any_ctx, make_pupil(any_ctx, forename="Zoë", surname="Adebayo"))
    hand_in_at(any_ctx, clock, card, datetime(2026, 11, 27, 16, 45, tzinfo=LONDON))

    assert told(any_ctx, clock, card, datetime(2026, 11, 27, 17, 0, tzinfo=LONDON)) == (
        "Handed in at 16:45. It comes back on Monday at 15:10."
    )
    assert told(any_ctx, clock, card, datetime(2026, 11, 28, 11, 0, tzinfo=LONDON)) == (
        "Handed in at 16:45 yesterday. It comes back on Monday at 15:10."
    )
    assert told(any_ctx, clock, card, datetime(2026, 11, 29, 11, 0, tzinfo=LONDON)) == (
        "Handed in on Friday at 16:45. It comes back at 15:10 tomorrow."
    )
    assert told(any_ctx, clock, card, datetime(2026, 11, 30, 8, 20, tzinfo=LONDON)) == (
        "Handed in on Friday at 16:45. It comes back at 15:10."
    )


def test_a_closure_day_is_skipped(
    ctx: KioskContext, manager: Actor, clock: FixedClock, card: str
) -> None:
    add_closure(ctx, manager, date(2026, 11, 30), "Training day")
    hand_in_at(ctx, clock, card, datetime(2026, 11, 27, 16, 45, tzinfo=LONDON))

    assert told(ctx, clock, card, datetime(2026, 11, 27, 17, 0, tzinfo=LONDON)) == (
        "Handed in at 16:45. It comes back on Tuesday at 15:10."
    )
    assert told(ctx, clock, card, datetime(2026, 11, 30, 9, 0, tzinfo=LONDON)) == (
        "Handed in on Friday at 16:45. It comes back at 15:10 tomorrow."
    )


def test_over_the_holidays_the_first_day_of_term_is_given_by_date(
    ctx: KioskContext, manager: Actor, clock: FixedClock, card: str
) -> None:
    add_term(ctx, manager, "Autumn term", date(2026, 9, 3), date(2026, 12, 18))
    add_term(ctx, manager, "Spring term", date(2027, 1, 5), date(2027, 3, 26))
    hand_in_at(ctx, clock, card, datetime(2026, 12, 18, 16, 45, tzinfo=LONDON))

    assert told(ctx, clock, card, datetime(2026, 12, 18, 17, 0, tzinfo=LONDON)) == (
        "Handed in at 16:45. It comes back on Tue 5 Jan 2027 at 15:10."
    )
    assert told(ctx, clock, card, datetime(2027, 1, 4, 12, 0, tzinfo=LONDON)) == (
        "Handed in on Fri 18 Dec 2026 at 16:45. It comes back at 15:10 tomorrow."
    )


def test_without_a_term_entered_the_pupil_is_sent_to_reception(
    ctx: KioskContext, manager: Actor, clock: FixedClock, card: str
) -> None:
    add_term(ctx, manager, "Summer term", date(2026, 4, 13), date(2026, 7, 22))
    hand_in_at(ctx, clock, card, datetime(2026, 7, 22, 16, 45, tzinfo=LONDON))

    assert told(ctx, clock, card, datetime(2026, 7, 22, 17, 0, tzinfo=LONDON)) == (
        "Handed in at 16:45. Ask at reception when it can be collected."
    )


@pytest.mark.parametrize(
    ("friday", "monday_release"),
    [
        # The clocks go forward on Sunday 29 March 2026: Monday's 15:10 is 14:10 UTC.
        (datetime(2026, 3, 27, 16, 45, tzinfo=LONDON), datetime(2026, 3, 30, 14, 10, tzinfo=UTC)),
        # The clocks go back on Sunday 25 October 2026: Monday's 15:10 is 15:10 UTC.
        (datetime(2026, 10, 23, 16, 45, tzinfo=LONDON), datetime(2026, 10, 26, 15, 10, tzinfo=UTC)),
    ],
)
def test_over_a_clock_change_the_release_keeps_its_school_time(
    ctx: KioskContext, clock: FixedClock, card: str, friday: datetime, monday_release: datetime
) -> None:
    hand_in_at(ctx, clock, card, friday)
    clock.set(friday.replace(hour=17, minute=0))
    result = act_on_scan(ctx, card)

    assert result.outcome is not None
    assert result.outcome.returns_at == monday_release
    assert result.message.detail[0] == "Handed in at 16:45. It comes back on Monday at 15:10."
    # Early on the Sunday of the change, a minute either side of 01:00 UTC.
    sunday = datetime(friday.year, friday.month, friday.day + 2, tzinfo=UTC)
    for minutes in (59, 61):
        clock.set(sunday + timedelta(minutes=minutes))
        assert act_on_scan(ctx, card).message.detail[0] == (
            "Handed in on Friday at 16:45. It comes back at 15:10 tomorrow."
        )
