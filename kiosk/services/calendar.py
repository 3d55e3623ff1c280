"""The school calendar: opening hours per weekday, release windows, periods (lessons,
breaks, lunch, end of day), term dates and closure days.

This is the one service that writes those tables, and :class:`SchoolCalendar` is the one
read model the rest of the core asks: custody ("is it a release window now?"), messages
("when is this person's next break?"), confiscations ("when did this term start?") and the
end-of-day lists ("when does the school close today?").

Times of day are the school's local times (``datetime.time`` without a zone); instants are
stored and returned in UTC; "today" and weekdays are computed in the school's time zone
(Europe/London unless the school set another). "Now" always comes from the context's clock,
so tests (and the desk's timer) decide what time it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING

from sqlalchemy import delete, select

from kiosk.errors import InvalidInput, NotFound
from kiosk.persistence.models import (
    ClosureDay,
    ReleaseWindow,
    SchoolDay,
    SchoolPeriod,
    TermDates,
)
from kiosk.rows.people import Actor
from kiosk.rows.school import (
    ClosureRow,
    FreeTime,
    PeriodRow,
    ReleaseWindowRow,
    SchoolDayRow,
    TermRow,
)
from kiosk.services import acting, audit

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from kiosk.context import KioskContext

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
KINDS = {"period": "Lesson", "break": "Break", "lunch": "Lunch", "end_of_day": "End of day"}
# The times when a message that can wait is handed over.
FREE_KINDS = ("break", "lunch", "end_of_day")
# A new school's week: Monday to Friday, open 08:30-15:30, phones back 15:10-16:30.
DEFAULT_DAY = (time(8, 30), time(15, 30))
DEFAULT_RELEASE = (time(15, 10), time(16, 30), "End of the school day")
# How far ahead to look for the next break or release window before giving up: long enough
# to reach over the summer holiday to the first day of the autumn term.
LOOK_AHEAD_DAYS = 62


def guessed_term_start(day: date) -> date:
    """The first day of the term ``day`` falls in when the school has set no term dates,
    taking the three terms as September-December, January-March and April-August (close
    enough to count repeat confiscations; half-terms do not reset the count)."""
    if day.month >= 9:
        return date(day.year, 9, 1)
    if day.month >= 4:
        return date(day.year, 4, 1)
    return date(day.year, 1, 1)


# --- the read model ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SchoolCalendar:
    """The whole calendar as read in one transaction, answering questions without I/O.

    Rows are sorted: opening hours and periods by weekday then start, release windows by
    weekday then start, terms by first day, closures by day. ``timezone`` is the school's.
    """

    timezone: tzinfo
    opening_hours: tuple[SchoolDayRow, ...]
    release_windows: tuple[ReleaseWindowRow, ...]
    periods: tuple[PeriodRow, ...]
    terms: tuple[TermRow, ...]
    closures: tuple[ClosureRow, ...]

    def today(self, now: datetime) -> date:
        """The school's date at the instant ``now`` (aware, any zone).

        Every "today" said to a person is this date, not the UTC one (DESIGN, storage).
        """
        return now.astimezone(self.timezone).date()

    def hours_on(self, weekday: int) -> SchoolDayRow | None:
        """The opening hours of a weekday (Monday = 0), or None when the school is shut."""
        return next((d for d in self.opening_hours if d.weekday == weekday), None)

    def periods_on(self, weekday: int) -> list[PeriodRow]:
        """A weekday's periods (Monday = 0) in time order (school times); empty when none."""
        return [p for p in self.periods if p.weekday == weekday]

    def is_closure_day(self, day: date) -> bool:
        """Whether ``day`` (a school date) is a closure day (training day, bank holiday)."""
        return any(c.day == day for c in self.closures)

    def is_school_day(self, day: date) -> bool:
        """Whether the school is open on ``day`` (a school date): not a closure day, its
        weekday has opening hours, and it falls in a term when any terms are set (without
        term dates every weekday with opening hours counts)."""
        if self.is_closure_day(day) or self.hours_on(day.weekday()) is None:
            return False
        return not self.terms or any(t.starts_on <= day <= t.ends_on for t in self.terms)

    def closing_time(self, day: date) -> datetime | None:
        """When the school closes on ``day``'s weekday, in UTC, or None when that weekday
        has no opening hours. Closure days and holidays are not consulted: the end-of-day
        lists ask about the day the phone or visitor came in, which was open."""
        hours = self.hours_on(day.weekday())
        if hours is None:
            return None
        return datetime.combine(day, hours.closes, tzinfo=self.timezone).astimezone(UTC)

    def release_window_at(self, now: datetime) -> ReleaseWindowRow | None:
        """The release window open at the instant ``now`` (aware), or None. Windows are in
        school time, so 15:10 on a summer Friday is 14:10 UTC."""
        local = now.astimezone(self.timezone)
        for window in self.release_windows:
            if window.weekday == local.weekday() and window.starts <= local.time() < window.ends:
                return window
        return None

    def next_release_start(self, now: datetime) -> datetime | None:
        """When phones next come back: the start (UTC) of the first release window after
        ``now`` (aware) on a school day, so weekends, closure days and holidays between
        terms are skipped (:meth:`is_school_day`). Windows keep their school wall-clock
        time across a clock change (15:10 is 14:10 UTC in summer, 15:10 UTC in winter).
        None when no release window falls on a school day in the next
        ``LOOK_AHEAD_DAYS`` days (no windows set, or the next term not entered).
        """
        local = now.astimezone(self.timezone)
        for offset in range(LOOK_AHEAD_DAYS + 1):
            day = local.date() + timedelta(days=offset)
            if not self.is_school_day(day):
                continue
            for window in self.release_windows:
                if window.weekday != day.weekday():
                    continue
                start = datetime.combine(day, window.starts, tzinfo=self.timezone)
                # Compared in UTC: two datetimes sharing a zone compare by wall clock,
                # which is wrong in the hour the clocks go back.
                if start.astimezone(UTC) > now.astimezone(UTC):
                    return start.astimezone(UTC)
        return None

    def next_free_time(self, now: datetime, staff_id: int | None = None) -> FreeTime | None:
        """The next break, lunch or end of day from ``now`` (aware), with its start in UTC.
        Inside a break already, that break is the answer (its start is in the past: deliver
        now). Weekends, closure days and holidays are skipped. None when no school day with
        a break is found in the next ``LOOK_AHEAD_DAYS`` days.

        Everyone shares the school's timetable for now; ``staff_id`` is where a personal
        timetable would come in.
        """
        del staff_id
        local_now = now.astimezone(self.timezone)
        for offset in range(LOOK_AHEAD_DAYS + 1):
            day = local_now.date() + timedelta(days=offset)
            if not self.is_school_day(day):
                continue
            for p in self.periods_on(day.weekday()):
                if p.kind not in FREE_KINDS:
                    continue
                ends = datetime.combine(day, p.ends, self.timezone).astimezone(UTC)
                if ends <= now.astimezone(UTC):
                    continue
                starts = datetime.combine(day, p.starts, self.timezone).astimezone(UTC)
                return FreeTime(starts, p.name, p.kind)
        return None

    def free_time_name(self, at: datetime) -> str:
        """The name of the break, lunch or end of day that starts at the instant ``at``
        ("Lunch"), or "" when none does: what a held message waits for."""
        local = at.astimezone(self.timezone)
        for p in self.periods_on(local.weekday()):
            if p.kind in FREE_KINDS and p.starts == local.time().replace(tzinfo=None):
                return p.name
        return ""

    def term_start(self, day: date) -> date:
        """The first day of the term ``day`` (a school date) falls in: the latest-starting
        of the school's own terms that holds it, else :func:`guessed_term_start`."""
        holding = [t.starts_on for t in self.terms if t.starts_on <= day <= t.ends_on]
        return max(holding) if holding else guessed_term_start(day)


def school_calendar_in(session: Session, timezone: tzinfo) -> SchoolCalendar:
    """The calendar read inside a transaction the caller already holds.

    ``timezone`` is the school's (``ctx.timezone``). Rows are sorted as
    :class:`SchoolCalendar` says. Never raises beyond a database error.
    """
    # Plain column rows, not ORM objects: every scan asks the calendar, and loading a week of
    # periods as mapped objects cost more than the scan's own write.
    return SchoolCalendar(
        timezone=timezone,
        opening_hours=tuple(
            SchoolDayRow(*r)
            for r in session.execute(
                select(SchoolDay.weekday, SchoolDay.opens, SchoolDay.closes).order_by(
                    SchoolDay.weekday
                )
            )
        ),
        release_windows=tuple(
            ReleaseWindowRow(*r)
            for r in session.execute(
                select(
                    ReleaseWindow.id,
                    ReleaseWindow.weekday,
                    ReleaseWindow.starts,
                    ReleaseWindow.ends,
                    ReleaseWindow.label,
                ).order_by(ReleaseWindow.weekday, ReleaseWindow.starts, ReleaseWindow.id)
            )
        ),
        periods=tuple(
            PeriodRow(*r)
            for r in session.execute(
                select(
                    SchoolPeriod.id,
                    SchoolPeriod.weekday,
                    SchoolPeriod.name,
                    SchoolPeriod.kind,
                    SchoolPeriod.starts,
                    SchoolPeriod.ends,
                ).order_by(SchoolPeriod.weekday, SchoolPeriod.starts)
            )
        ),
        terms=tuple(
            TermRow(*r)
            for r in session.execute(
                select(
                    TermDates.id, TermDates.name, TermDates.starts_on, TermDates.ends_on
                ).order_by(TermDates.starts_on)
            )
        ),
        closures=tuple(
            ClosureRow(*r)
            for r in session.execute(
                select(ClosureDay.id, ClosureDay.day, ClosureDay.reason).order_by(ClosureDay.day)
            )
        ),
    )


def school_calendar(ctx: KioskContext) -> SchoolCalendar:
    """The calendar as it stands now, read in one short transaction.

    A snapshot: later changes at the desk are not seen by the returned object.
    """
    with ctx.db.read() as s:
        return school_calendar_in(s, ctx.timezone)


# --- opening hours -------------------------------------------------------------------------


def add_default_week(session: Session) -> None:
    """Give a new school its first week (Monday-Friday 08:30-15:30, phones back
    15:10-16:30), inside the transaction that creates the school.

    Times are school local time. The end-of-day release window follows the mobile-phone
    policies, which return handed-in phones at the end of the school day. Writes no audit
    entry: the school's creation is the entry.
    """
    for weekday in range(5):
        _write_opening_hours(session, weekday, *DEFAULT_DAY)
        session.add(
            ReleaseWindow(
                weekday=weekday,
                starts=DEFAULT_RELEASE[0],
                ends=DEFAULT_RELEASE[1],
                label=DEFAULT_RELEASE[2],
            )
        )


def _write_opening_hours(
    s: Session, weekday: int, opens: time | None, closes: time | None
) -> dict[str, time] | None:
    """Set a weekday's hours, or shut the weekday with ``None``; the only writer of the
    school_day table (the hours follow the periods, see :func:`set_periods`). Returns the
    hours before."""
    hours = s.get(SchoolDay, weekday)
    before = None if hours is None else {"opens": hours.opens, "closes": hours.closes}
    if opens is None or closes is None:
        if hours is not None:
            s.delete(hours)
    elif hours is None:
        s.add(SchoolDay(weekday=weekday, opens=opens, closes=closes))
    else:
        hours.opens, hours.closes = opens, closes
    return before


# --- release windows -----------------------------------------------------------------------


def add_release_window(
    ctx: KioskContext, actor: Actor, weekday: int, starts: time, ends: time, label: str
) -> ReleaseWindowRow:
    """Add a time when pupils collect their phones (Monday = 0, school times); returns it.
    Raises :class:`NotAllowed` unless ``actor`` is a manager, :class:`InvalidInput` for a
    weekday outside 0-6 or a window that would not start before it ends. An empty label
    becomes "Release"; a label is cut to 100 characters."""
    if not 0 <= weekday <= 6:
        raise InvalidInput("Choose a day of the week.")
    if starts >= ends:
        raise InvalidInput("A release window must start before it ends.")
    label = label.strip() or "Release"
    with ctx.db.write() as s:
        acting.require_manager(s, actor, "Only a manager can change release windows.")
        window = ReleaseWindow(weekday=weekday, starts=starts, ends=ends, label=label[:100])
        s.add(window)
        s.flush()
        row = ReleaseWindowRow(window.id, weekday, starts, ends, window.label)
        audit.record(
            s,
            at=ctx.clock(),
            actor=actor,
            action="create",
            entity="release_window",
            entity_id=window.id,
            after={
                "weekday": WEEKDAYS[weekday],
                "starts": starts,
                "ends": ends,
                "label": window.label,
            },
        )
        return row


def remove_release_window(ctx: KioskContext, actor: Actor, window_id: int) -> None:
    """Remove a release window (manager only); one already gone is not an error.

    Raises :class:`NotAllowed` unless ``actor`` is a manager.
    """
    with ctx.db.write() as s:
        acting.require_manager(s, actor, "Only a manager can change release windows.")
        window = s.get(ReleaseWindow, window_id)
        if window is None:
            return
        audit.record(
            s,
            at=ctx.clock(),
            actor=actor,
            action="delete",
            entity="release_window",
            entity_id=window_id,
            before={
                "weekday": WEEKDAYS[window.weekday],
                "starts": window.starts,
                "ends": window.ends,
                "label": window.label,
            },
        )
        s.delete(window)


# --- periods -------------------------------------------------------------------------------


def _period(p: SchoolPeriod) -> PeriodRow:
    return PeriodRow(p.id, p.weekday, p.name, p.kind, p.starts, p.ends)


def set_periods(
    ctx: KioskContext,
    actor: Actor,
    weekday: int,
    day: Sequence[tuple[str, str, time, time]],
) -> list[PeriodRow]:
    """Replace one weekday's periods with ``day``: (name, kind, starts, ends) each, kind
    one of :data:`KINDS`, school times. An empty list means the school has no lessons that
    day. The weekday's opening hours follow: open at the first period's start, closed when
    the last ends (or shut with no periods). Returns the periods in time order.

    Raises :class:`NotAllowed` unless ``actor`` is a manager, :class:`InvalidInput` for a
    weekday outside 0-6, a period without a name or with one over 100 characters, an
    unknown kind, a period that does not end after it starts, or two that overlap.
    """
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
        acting.require_manager(s, actor, "Only a manager can change the school day.")
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
        # The end-of-day list takes closing time from the opening hours, so they follow.
        if cleaned:
            _write_opening_hours(s, weekday, cleaned[0][2], cleaned[-1][3])
        else:
            _write_opening_hours(s, weekday, None, None)
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


# --- terms ---------------------------------------------------------------------------------


def add_term(ctx: KioskContext, actor: Actor, name: str, starts_on: date, ends_on: date) -> TermRow:
    """Add a term from ``starts_on`` to ``ends_on`` (school dates, inclusive); returns it.
    Raises :class:`NotAllowed` unless ``actor`` is a manager, :class:`InvalidInput` for a
    missing name or a term that ends before it starts."""
    name = " ".join(name.split())
    if not name:
        raise InvalidInput("Give the term a name, such as 'Autumn term'.")
    if ends_on < starts_on:
        raise InvalidInput("The term must end on or after the day it starts.")
    with ctx.db.write() as s:
        acting.require_manager(s, actor, "Only a manager can change term dates.")
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
    """Remove a term (manager only); :class:`NotFound` when it has already gone.

    Raises :class:`NotAllowed` unless ``actor`` is a manager.
    """
    with ctx.db.write() as s:
        acting.require_manager(s, actor, "Only a manager can change term dates.")
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


# --- closure days --------------------------------------------------------------------------


def add_closure(ctx: KioskContext, actor: Actor, day: date, reason: str) -> ClosureRow:
    """Mark ``day`` (a school date) as a closure day; returns it. Raises
    :class:`NotAllowed` unless ``actor`` is a manager, :class:`InvalidInput` when the day
    is already closed."""
    reason = " ".join(reason.split())[:200]
    with ctx.db.write() as s:
        acting.require_manager(s, actor, "Only a manager can add a closure day.")
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
    """Remove a closure day (manager only); :class:`NotFound` when it has already gone.

    Raises :class:`NotAllowed` unless ``actor`` is a manager.
    """
    with ctx.db.write() as s:
        acting.require_manager(s, actor, "Only a manager can remove a closure day.")
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
