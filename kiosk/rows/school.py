"""The school and its calendar: opening hours, release windows, periods, terms, closures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time


@dataclass(frozen=True, slots=True)
class PeriodRow:
    """One part of the school day on one weekday: a lesson, a break, lunch or end of day."""

    id: int
    weekday: int  # 0 = Monday ... 6 = Sunday
    name: str  # as the school calls it, e.g. "Period 3", "Morning break"
    kind: str  # "period", "break", "lunch" or "end_of_day"
    starts: time  # school local time
    ends: time  # school local time, after starts


@dataclass(frozen=True, slots=True)
class TermRow:
    """A term: the school is open on its weekdays between these dates."""

    id: int
    name: str
    starts_on: date  # school date, first day
    ends_on: date  # school date, last day (inclusive)


@dataclass(frozen=True, slots=True)
class ClosureRow:
    """A day inside a term when the school is closed (training day, bank holiday, snow)."""

    id: int
    day: date  # school date
    reason: str


@dataclass(frozen=True, slots=True)
class FreeTime:
    """The next break, lunch or end of day: when it starts (UTC) and what it is called."""

    starts: datetime  # aware, UTC
    name: str  # the period's name, e.g. "Lunch"
    kind: str  # "break", "lunch" or "end_of_day"


@dataclass(frozen=True, slots=True)
class SchoolRow:
    """The school's settings (the one row of the school table)."""

    name: str
    card_code: str  # four base32 characters printed into every card and badge
    timezone: str  # IANA name, e.g. "Europe/London": the school's local time
    permission_years: str  # year groups needing permission for a phone: "7,8", "*", ""
    printer_a4: str  # the A4 printer's name; "" until one is chosen (printing refused)


@dataclass(frozen=True, slots=True)
class SchoolDayRow:
    """Opening hours for one weekday; a weekday without a row is closed."""

    weekday: int  # 0 = Monday ... 6 = Sunday
    opens: time  # school local time
    closes: time  # school local time


@dataclass(frozen=True, slots=True)
class ReleaseWindowRow:
    """A time on a weekday when pupils may collect their phones by scanning (end of the
    day by default; the school may add others, e.g. after clubs)."""

    id: int
    weekday: int  # 0 = Monday ... 6 = Sunday
    starts: time  # school local time
    ends: time  # school local time, after starts
    label: str  # e.g. "End of day", "After clubs"
