"""The school and its calendar: opening hours, release windows, periods, terms, closures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time


@dataclass(frozen=True, slots=True)
class PeriodRow:
    id: int
    weekday: int
    name: str
    kind: str
    starts: time
    ends: time



@dataclass(frozen=True, slots=True)
class TermRow:
    id: int
    name: str
    starts_on: date
    ends_on: date



@dataclass(frozen=True, slots=True)
class ClosureRow:
    id: int
    day: date
    reason: str



@dataclass(frozen=True, slots=True)
class FreeTime:
    """The next break, lunch or end of day: when it starts (UTC) and what it is called."""

    starts: datetime
    name: str
    kind: str



@dataclass(frozen=True, slots=True)
class SchoolRow:
    name: str
    card_code: str
    timezone: str
    permission_years: str
    printer_a4: str



@dataclass(frozen=True, slots=True)
class SchoolDayRow:
    weekday: int
    opens: time
    closes: time



@dataclass(frozen=True, slots=True)
class ReleaseWindowRow:
    id: int
    weekday: int
    starts: time
    ends: time
    label: str
