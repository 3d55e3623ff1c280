"""The school's own settings: name, card code, the day's schedule and release windows."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from kiosk.clock import Clock
from kiosk.codes.pupil_card import CardKey, new_card_code
from kiosk.errors import InvalidInput, KioskError, NotAllowed
from kiosk.persistence.database import Database
from kiosk.persistence.models import Receptacle, ReleaseWindow, School, SchoolDay
from kiosk.rows.people import SYSTEM, Actor
from kiosk.rows.school import ReleaseWindowRow, SchoolDayRow, SchoolRow
from kiosk.services import audit

if TYPE_CHECKING:
    from kiosk.context import KioskContext

DEFAULT_SCHOOL_NAME = "Our School"
DEFAULT_RECEPTACLE = ("Office tray", 60)
DEFAULT_DAY = (time(8, 30), time(15, 30))
DEFAULT_RELEASE = (time(15, 10), time(16, 30), "End of the school day")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _school_row(school: School) -> SchoolRow:
    return SchoolRow(
        name=school.name,
        card_code=school.card_code,
        timezone=school.timezone,
        permission_years=school.permission_years,
        printer_a4=school.printer_a4,
    )


def ensure_school(
    db: Database, card_key: CardKey, clock: Clock, *, key_path: Path, name: str | None = None
) -> SchoolRow:
    """Create the school with working defaults on first start; check the key file after.

    A new school gets Monday-Friday 08:30-15:30, a release window at the end of the day and
    one receptacle ("Office tray", 60 slots), so hand-in works from the first scan.
    """
    with db.read() as s:
        school = s.get(School, 1)
    if school is None:
        try:
            with db.write() as s:
                now = clock()
                school = School(
                    id=1,
                    name=(name or DEFAULT_SCHOOL_NAME).strip(),
                    card_code=new_card_code(),
                    card_key_check=card_key.fingerprint,
                    timezone="Europe/London",
                    permission_years="",
                    printer_a4="",
                    created_at=now,
                )
                s.add(school)
                for weekday in range(5):
                    s.add(SchoolDay(weekday=weekday, opens=DEFAULT_DAY[0], closes=DEFAULT_DAY[1]))
                    s.add(
                        ReleaseWindow(
                            weekday=weekday,
                            starts=DEFAULT_RELEASE[0],
                            ends=DEFAULT_RELEASE[1],
                            label=DEFAULT_RELEASE[2],
                        )
                    )
                s.add(
                    Receptacle(
                        name=DEFAULT_RECEPTACLE[0],
                        capacity=DEFAULT_RECEPTACLE[1],
                        position=1,
                        year_groups="",
                        active=True,
                    )
                )
                s.flush()
                audit.record(
                    s,
                    at=now,
                    actor=SYSTEM,
                    action="create",
                    entity="school",
                    entity_id=1,
                    after={"name": school.name, "card_code": school.card_code},
                )
        except IntegrityError:
            # Another desk created the school at the same moment; use theirs.
            with db.read() as s:
                school = s.get(School, 1)
    assert school is not None
    if school.card_key_check != card_key.fingerprint:
        raise KioskError(
            f"The card key file {key_path} does not belong to this database, so no card "
            "could be checked. Restore the key file from the backup made with this "
            "database (or copy it from the first desk). Nothing has been changed."
        )
    return _school_row(school)


def get_school(ctx: KioskContext) -> SchoolRow:
    with ctx.db.read() as s:
        school = s.get(School, 1)
        assert school is not None
        return _school_row(school)


def update_school(
    ctx: KioskContext,
    actor: Actor,
    *,
    name: str | None = None,
    permission_years: str | None = None,
    printer_a4: str | None = None,
) -> SchoolRow:
    """Change the school's settings (manager only; the printer choice any staff)."""
    if (name is not None or permission_years is not None) and not actor.is_manager:
        raise NotAllowed("Only a manager can change the school's settings.")
    if not actor.is_staff:
        raise NotAllowed("Sign in at the desk to change settings.")
    if name is not None and not name.strip():
        raise InvalidInput("The school needs a name.")
    with ctx.db.write() as s:
        school = s.get(School, 1)
        assert school is not None
        before = _school_row(school)
        if name is not None:
            school.name = name.strip()[:200]
        if permission_years is not None:
            school.permission_years = _normalise_years(permission_years)
        if printer_a4 is not None:
            school.printer_a4 = printer_a4
        after = _school_row(school)
        audit.record(
            s,
            at=ctx.clock(),
            actor=actor,
            action="update",
            entity="school",
            entity_id=1,
            before={
                "name": before.name,
                "permission_years": before.permission_years,
                "printer_a4": before.printer_a4,
            },
            after={
                "name": after.name,
                "permission_years": after.permission_years,
                "printer_a4": after.printer_a4,
            },
        )
        return after


def _normalise_years(text: str) -> str:
    text = text.strip()
    if text == "*":
        return "*"
    years = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
    for year in years:
        if len(year) > 10:
            raise InvalidInput(f"'{year[:20]}' is not a year group.")
    return ",".join(years)


def year_in(years_setting: str, year_group: str) -> bool:
    """Whether a year group is in a setting like "5,6" ("*" means every year)."""
    if years_setting == "*":
        return True
    return year_group in {y.strip() for y in years_setting.split(",") if y.strip()}


# --- the school day -------------------------------------------------------------------------


def school_days(ctx: KioskContext) -> list[SchoolDayRow]:
    with ctx.db.read() as s:
        return [
            SchoolDayRow(d.weekday, d.opens, d.closes)
            for d in s.scalars(select(SchoolDay).order_by(SchoolDay.weekday))
        ]


def release_windows(ctx: KioskContext) -> list[ReleaseWindowRow]:
    with ctx.db.read() as s:
        return [
            ReleaseWindowRow(w.id, w.weekday, w.starts, w.ends, w.label)
            for w in s.scalars(
                select(ReleaseWindow).order_by(ReleaseWindow.weekday, ReleaseWindow.starts)
            )
        ]


def set_school_day(
    ctx: KioskContext, actor: Actor, weekday: int, opens: time | None, closes: time | None
) -> None:
    """Set a weekday's hours, or close the weekday with ``None`` (manager only)."""
    if not actor.is_manager:
        raise NotAllowed("Only a manager can change the school day.")
    if not 0 <= weekday <= 6:
        raise InvalidInput("Choose a day of the week.")
    if (opens is None) != (closes is None) or (opens and closes and opens >= closes):
        raise InvalidInput("The school must open before it closes.")
    with ctx.db.write() as s:
        day = s.get(SchoolDay, weekday)
        before = None if day is None else {"opens": day.opens, "closes": day.closes}
        if opens is None:
            if day is not None:
                s.delete(day)
        elif day is None:
            s.add(SchoolDay(weekday=weekday, opens=opens, closes=closes))
        else:
            day.opens, day.closes = opens, closes
        audit.record(
            s,
            at=ctx.clock(),
            actor=actor,
            action="update",
            entity="school_day",
            entity_id=WEEKDAYS[weekday],
            before=before,
            after=None if opens is None else {"opens": opens, "closes": closes},
        )


def add_release_window(
    ctx: KioskContext, actor: Actor, weekday: int, starts: time, ends: time, label: str
) -> ReleaseWindowRow:
    if not actor.is_manager:
        raise NotAllowed("Only a manager can change release windows.")
    if not 0 <= weekday <= 6:
        raise InvalidInput("Choose a day of the week.")
    if starts >= ends:
        raise InvalidInput("A release window must start before it ends.")
    label = label.strip() or "Release"
    with ctx.db.write() as s:
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
    if not actor.is_manager:
        raise NotAllowed("Only a manager can change release windows.")
    with ctx.db.write() as s:
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


class Timetable:
    """The school's week, read once, answering "is it a release window now?" without I/O."""

    def __init__(self, days: list[SchoolDayRow], windows: list[ReleaseWindowRow], tz) -> None:
        self.tz = tz
        self.days = {d.weekday: d for d in days}
        self.windows: dict[int, list[ReleaseWindowRow]] = {}
        for w in windows:
            self.windows.setdefault(w.weekday, []).append(w)

    def local(self, at: datetime) -> datetime:
        return at.astimezone(self.tz)

    def window_at(self, at: datetime) -> ReleaseWindowRow | None:
        local = self.local(at)
        for w in self.windows.get(local.weekday(), ()):
            if w.starts <= local.time() < w.ends:
                return w
        return None

    def next_window_start(self, at: datetime) -> datetime | None:
        """When phones next come back: the start of the next release window after ``at``."""
        local = self.local(at)
        for offset in range(0, 8):
            day: date = local.date() + timedelta(days=offset)
            for w in sorted(self.windows.get(day.weekday(), ()), key=lambda w: w.starts):
                start = datetime.combine(day, w.starts, tzinfo=self.tz)
                if start > local:
                    return start.astimezone(UTC)
        return None

    def closing_time(self, on: date) -> datetime | None:
        day = self.days.get(on.weekday())
        if day is None:
            return None
        return datetime.combine(on, day.closes, tzinfo=self.tz).astimezone(UTC)


def timetable(ctx: KioskContext) -> Timetable:
    return Timetable(school_days(ctx), release_windows(ctx), ctx.timezone)


def timetable_in(session, tz) -> Timetable:  # type: ignore[no-untyped-def]
    """The same, read inside a transaction the caller already holds."""
    days = [SchoolDayRow(d.weekday, d.opens, d.closes) for d in session.scalars(select(SchoolDay))]
    windows = [
        ReleaseWindowRow(w.id, w.weekday, w.starts, w.ends, w.label)
        for w in session.scalars(select(ReleaseWindow))
    ]
    return Timetable(days, windows, tz)
