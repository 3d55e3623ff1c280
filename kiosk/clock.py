"""Time sources. Services ask a clock for "now" so tests can set the time of day."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

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
