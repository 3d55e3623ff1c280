"""The school's own settings: name, card code, time zone, permission years and printer.

The school's calendar (opening hours, release windows, periods, terms, closures) is
:mod:`kiosk.services.calendar`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError

from kiosk.clock import Clock
from kiosk.codes.pupil_card import CardKey, new_card_code
from kiosk.errors import InvalidInput, KioskError
from kiosk.persistence.database import BATCH, Database
from kiosk.persistence.models import Receptacle, School
from kiosk.rows.people import COMMAND_LINE, SYSTEM, Actor
from kiosk.rows.school import SchoolRow
from kiosk.rows.years import parse_year
from kiosk.services import acting, audit
from kiosk.services.calendar import add_default_week

if TYPE_CHECKING:
    from kiosk.context import KioskContext

DEFAULT_SCHOOL_NAME = "Our School"
DEFAULT_RECEPTACLE = ("Office tray", 60)


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
    The school's time zone starts as Europe/London. Two desks starting at once make one
    school between them. Returns the school's settings.

    Raises :class:`KioskError` when ``card_key`` is not the key this database was created
    with (``key_path`` is named in the message), so cards are never checked against the
    wrong key.
    """
    # Start-up waits as batch work does: another desk may be making the school right now.
    with db.read(BATCH) as s:
        school = s.get(School, 1)
    if school is None:
        try:
            with db.write(BATCH) as s:
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
                add_default_week(s)
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
    """The school's settings row (name, permission years, printers, key check).

    The row is created by ``ensure_school`` at start-up, so it always exists here.
    """
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
    """Change the school's settings (manager only; the printer choice any staff).

    Only the settings given change; ``name`` is trimmed and cut to 200 characters;
    ``permission_years`` is a list of year groups like "5,6" ("*" for every year): pupils
    in those years need permission on file to bring a phone (the schools' mobile-phone
    policies, e.g. Years 5/6 walking home alone). Returns the settings as saved.

    Roles are read from the database (:mod:`kiosk.services.acting`); the command line's
    set-up may change the name too. Raises :class:`NotAllowed` for an actor who is not
    staff, or not a manager when changing the name or permission years; :class:`InvalidInput` for an empty name or a
    year group over 10 characters.
    """
    if name is not None and not name.strip():
        raise InvalidInput("The school needs a name.")
    with ctx.db.write() as s:
        acting.require_staff(
            s, actor, "Sign in at the desk to change settings.", also=(COMMAND_LINE,)
        )
        if name is not None or permission_years is not None:
            acting.require_manager(
                s, actor, "Only a manager can change the school's settings.", also=(COMMAND_LINE,)
            )
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
    """Whether a stored year code is in a setting like "5,6" ("*" means every year).

    Each year in the setting is read as an import reads years
    (:func:`kiosk.rows.years.parse_year`), so "Year 5, Reception" holds "5" and "R"; a word
    that is no year is compared as written. An empty setting holds no year. Never raises.
    """
    if years_setting == "*":
        return True
    years = {y.strip() for y in years_setting.split(",") if y.strip()}
    return year_group in years | {parse_year(y) for y in years}
