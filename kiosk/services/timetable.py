"""The school day: periods, breaks, lunch and end of day for each weekday, term dates and
closure days. A message that can wait is held until the person's next break from here.

Times are the school's local times; "now" always comes from the context's clock, so tests
(and the desk's timer) decide what time it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import delete, select

from kiosk.errors import InvalidInput, NotAllowed, NotFound
from kiosk.persistence.models import ClosureDay, SchoolDay, SchoolPeriod, TermDates
from kiosk.rows.people import Actor
from kiosk.rows.school import ClosureRow, FreeTime, PeriodRow, TermRow
from kiosk.services import audit

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from kiosk.context import KioskContext

KINDS = {"period": "Lesson", "break": "Break", "lunch": "Lunch", "end_of_day": "End of day"}
# The times when a message that can wait is handed over.
FREE_KINDS = ("break", "lunch", "end_of_day")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_LOOK_AHEAD_DAYS = 31










def _period(p: SchoolPeriod) -> PeriodRow:
    return PeriodRow(p.id, p.weekday, p.name, p.kind, p.starts, p.ends)


def periods(ctx: KioskContext, weekday: int | None = None) -> list[PeriodRow]:
    query = select(SchoolPeriod).order_by(SchoolPeriod.weekday, SchoolPeriod.starts)
    if weekday is not None:
        query = query.where(SchoolPeriod.weekday == weekday)
    with ctx.db.read() as s:
        return [_period(p) for p in s.scalars(query)]


def set_periods(
    ctx: KioskContext,
    actor: Actor,
    weekday: int,
    day: Sequence[tuple[str, str, time, time]],
) -> list[PeriodRow]:
    """Replace one weekday's periods with ``day``: (name, kind, starts, ends) each. An empty
    list means the school has no lessons that day."""
    if not actor.is_manager:
        raise NotAllowed("Only a manager can change the school day.")
    if not 0 <= weekday <= 6:
        raise InvalidInput("Choose a day of the week.")
    cleaned: list[tuple[str, str, time, time]] = []
    for name, kind, starts, ends in sorted(day, key=lambda p: p[2]):
        name = " ".join(name.split())
        if not name:
            raise InvalidInput("Every period needs a name, such as 'Period 1' or 'Lunch'.")
        if len(name) > 100:
            raise InvalidInput("A period's name is 100 characters at most.")
        if kind not in KINDS:
            raise InvalidInput("A period is a lesson, a break, lunch or the end of the day.")
        if not starts < ends:
            raise InvalidInput(f"{name} must end after it starts.")
        if cleaned and starts < cleaned[-1][3]:
            raise InvalidInput(f"{name} starts before {cleaned[-1][0]} ends.")
        cleaned.append((name, kind, starts, ends))
    with ctx.db.write() as s:
        before = [
            (p.name, p.kind, p.starts, p.ends)
            for p in s.scalars(select(SchoolPeriod).where(SchoolPeriod.weekday == weekday))
        ]
        s.execute(delete(SchoolPeriod).where(SchoolPeriod.weekday == weekday))
        rows = [
            SchoolPeriod(weekday=weekday, name=n, kind=k, starts=st, ends=en)
            for n, k, st, en in cleaned
        ]
        s.add_all(rows)
        _keep_opening_hours_in_step(s, weekday, cleaned)
        s.flush()
        audit.record(
            s,
            at=ctx.clock(),
            actor=actor,
            action="set_periods",
            entity="school_period",
            entity_id=weekday,
            before={"periods": before},
            after={"periods": cleaned},
        )
        return [_period(p) for p in rows]


def _keep_opening_hours_in_step(
    s: Session, weekday: int, day: list[tuple[str, str, time, time]]
) -> None:
    """The day's hours (which the end-of-day list uses for closing time) follow the
    periods: open at the first period's start, closed when the last one ends."""
    hours = s.get(SchoolDay, weekday)
    if not day:
        if hours is not None:
            s.delete(hours)
        return
    opens, closes = day[0][2], day[-1][3]
    if hours is None:
        s.add(SchoolDay(weekday=weekday, opens=opens, closes=closes))
    else:
        hours.opens, hours.closes = opens, closes


def terms(ctx: KioskContext) -> list[TermRow]:
    with ctx.db.read() as s:
        return [
            TermRow(t.id, t.name, t.starts_on, t.ends_on)
            for t in s.scalars(select(TermDates).order_by(TermDates.starts_on))
        ]


def add_term(ctx: KioskContext, actor: Actor, name: str, starts_on: date, ends_on: date) -> TermRow:
    if not actor.is_manager:
        raise NotAllowed("Only a manager can change term dates.")
    name = " ".join(name.split())
    if not name:
        raise InvalidInput("Give the term a name, such as 'Autumn term'.")
    if ends_on < starts_on:
        raise InvalidInput("The term must end on or after the day it starts.")
    with ctx.db.write() as s:
        term = TermDates(name=name[:100], starts_on=starts_on, ends_on=ends_on)
        s.add(term)
        s.flush()
        audit.record(
            s,
            at=ctx.clock(),
            actor=actor,
            action="create",
            entity="term_dates",
            entity_id=term.id,
            after={"name": term.name, "starts_on": starts_on, "ends_on": ends_on},
        )
        return TermRow(term.id, term.name, starts_on, ends_on)


def remove_term(ctx: KioskContext, actor: Actor, term_id: int) -> None:
    if not actor.is_manager:
        raise NotAllowed("Only a manager can change term dates.")
    with ctx.db.write() as s:
        term = s.get(TermDates, term_id)
        if term is None:
            raise NotFound("That term has already gone.")
        audit.record(
            s,
            at=ctx.clock(),
            actor=actor,
            action="delete",
            entity="term_dates",
            entity_id=term_id,
            before={"name": term.name, "starts_on": term.starts_on, "ends_on": term.ends_on},
        )
        s.delete(term)


def closures(ctx: KioskContext) -> list[ClosureRow]:
    with ctx.db.read() as s:
        return [
            ClosureRow(c.id, c.day, c.reason)
            for c in s.scalars(select(ClosureDay).order_by(ClosureDay.day))
        ]


def add_closure(ctx: KioskContext, actor: Actor, day: date, reason: str) -> ClosureRow:
    if not actor.is_manager:
        raise NotAllowed("Only a manager can add a closure day.")
    reason = " ".join(reason.split())[:200]
    with ctx.db.write() as s:
        if s.scalar(select(ClosureDay).where(ClosureDay.day == day)) is not None:
            raise InvalidInput(f"{day:%A %d %B %Y} is already a closure day.")
        closure = ClosureDay(day=day, reason=reason)
        s.add(closure)
        s.flush()
        audit.record(
            s,
            at=ctx.clock(),
            actor=actor,
            action="create",
            entity="closure_day",
            entity_id=closure.id,
            after={"day": day, "reason": reason},
        )
        return ClosureRow(closure.id, day, reason)


def remove_closure(ctx: KioskContext, actor: Actor, closure_id: int) -> None:
    if not actor.is_manager:
        raise NotAllowed("Only a manager can remove a closure day.")
    with ctx.db.write() as s:
        closure = s.get(ClosureDay, closure_id)
        if closure is None:
            raise NotFound("That closure day has already gone.")
        audit.record(
            s,
            at=ctx.clock(),
            actor=actor,
            action="delete",
            entity="closure_day",
            entity_id=closure_id,
            before={"day": closure.day, "reason": closure.reason},
        )
        s.delete(closure)


class _Calendar:
    """What one read of the calendar tables knows, to answer day after day quickly."""

    def __init__(self, session: Session) -> None:
        self.by_weekday: dict[int, list[SchoolPeriod]] = {}
        for p in session.scalars(select(SchoolPeriod).order_by(SchoolPeriod.starts)):
            self.by_weekday.setdefault(p.weekday, []).append(p)
        self.terms = [(t.starts_on, t.ends_on) for t in session.scalars(select(TermDates))]
        self.closed = set(session.scalars(select(ClosureDay.day)))

    def is_school_day(self, day: date) -> bool:
        if day in self.closed or not self.by_weekday.get(day.weekday()):
            return False
        # Without any term dates entered, every weekday with periods counts.
        return not self.terms or any(start <= day <= end for start, end in self.terms)


def is_school_day(ctx: KioskContext, day: date) -> bool:
    with ctx.db.read() as s:
        return _Calendar(s).is_school_day(day)


def next_free_time_in(
    session: Session, ctx: KioskContext, staff_id: int | None, now: datetime
) -> FreeTime | None:
    """The next break, lunch or end of day for this person, from ``now``. Inside a break
    already, that break is the answer (its start is in the past: deliver now). None when
    no school day with a break is found in the next month.

    Everyone shares the school's timetable for now; ``staff_id`` is where a personal
    timetable would come in.
    """
    del staff_id
    calendar = _Calendar(session)
    tz = ctx.timezone
    local_now = now.astimezone(tz)
    for offset in range(_LOOK_AHEAD_DAYS + 1):
        day = local_now.date() + timedelta(days=offset)
        if not calendar.is_school_day(day):
            continue
        for p in calendar.by_weekday.get(day.weekday(), []):
            if p.kind not in FREE_KINDS:
                continue
            ends = datetime.combine(day, p.ends, tz)
            if ends <= local_now:
                continue
            starts = datetime.combine(day, p.starts, tz).astimezone(UTC)
            return FreeTime(starts, p.name, p.kind)
    return None


def next_free_time(
    ctx: KioskContext, staff_id: int | None = None, now: datetime | None = None
) -> FreeTime | None:
    with ctx.db.read() as s:
        return next_free_time_in(s, ctx, staff_id, now or ctx.clock())
