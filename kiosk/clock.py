"""Time sources, and how a moment is said to a person.

Services ask a clock for "now" so tests can set the time of day. :func:`say_when` is the one
place that turns an instant into words relative to now ("at 15:10 tomorrow", "on Monday at
08:40"): every relative day the product says is computed there, from now, in the school's
time zone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, tzinfo

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class FixedClock:
    """A clock that stays where it is put; ``advance`` moves it on."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")
        self.now = start.astimezone(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        """Move the clock on by ``timedelta`` keywords (``minutes=5``, ``days=1``)."""
        self.now += timedelta(**delta)

    def set(self, when: datetime) -> None:
        """Put the clock at ``when`` (timezone-aware; kept in UTC)."""
        self.now = when.astimezone(UTC)


# A weekday name alone is clear for a week either side of today; beyond that the same name
# would mean two different days, so the date is given.
_WEEKDAY_ONLY_DAYS = 6


def say_when(at: datetime, now: datetime, timezone: tzinfo, *, bare: bool = False) -> str:
    """The instant ``at`` as a person is told it at the instant ``now``, in the school's
    ``timezone`` (both instants aware, any zone; the words are in school time).

    The day is counted between the two school dates, never the UTC ones, so 00:30 in a
    British summer is already the new day, and a time across a clock change keeps its wall
    clock. With ``bare`` False (a phrase to follow "It comes back" or "Handed in"):

    - the same day: "at 15:10"
    - the next or previous day: "at 15:10 tomorrow", "at 15:10 yesterday"
    - up to six days either way: "on Monday at 08:40" (ahead or back: the verb says which)
    - further: "on Tue 8 Dec at 15:10", with the year when it is not this year's.

    With ``bare`` True (a table cell, or after "since"): "15:10 today", "15:10 tomorrow",
    "15:10 yesterday", "08:40 on Monday", "15:10 on Tue 8 Dec". Never raises.

    The rule comes from the design's storage section: times are stored in UTC and every
    "today", "tomorrow" or weekday said to a person is computed from now in the school's
    time zone.
    """
    local = at.astimezone(timezone)
    today = now.astimezone(timezone).date()
    clock = f"{local:%H:%M}"
    days = (local.date() - today).days
    if days == 0:
        return f"{clock} today" if bare else f"at {clock}"
    if abs(days) == 1:
        word = "tomorrow" if days == 1 else "yesterday"
        return f"{clock} {word}" if bare else f"at {clock} {word}"
    if abs(days) <= _WEEKDAY_ONLY_DAYS:
        day = f"{local:%A}"
    else:
        day = f"{local:%a} {local.day} {local:%b}"
        if local.year != today.year:
            day += f" {local.year}"
    return f"{clock} on {day}" if bare else f"on {day} at {clock}"
