"""The staff directory: who works here, their job, initials, pigeonhole, email, extension
and mobile, and whether they are out on an educational visit today.

Everyone on the staff table is in the directory; only those with a PIN can sign in at the
desk. Staff can be added and edited at the desk or imported from the MIS's CSV export
(:mod:`kiosk.importing.staff`).
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from kiosk.errors import InvalidInput, NotAllowed, NotFound
from kiosk.persistence.models import Staff
from kiosk.rows.calls import DirectoryEntry, Recipient
from kiosk.rows.people import Actor
from kiosk.services import audit
from kiosk.services.trips import trips_on
from kiosk.services.visitors import on_site, person_key
from kiosk.text import clean_line, clean_phone_number, has_every_word

if TYPE_CHECKING:
    from kiosk.context import KioskContext

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
FIELD_LIMITS = {
    "name": 200,
    "job_title": 200,
    "initials": 10,
    "pigeonhole": 50,
    "email": 254,
    "extension": 20,
    "mobile": 30,
}
FIELD_LABELS = {
    "name": "name",
    "job_title": "job title",
    "initials": "initials",
    "pigeonhole": "pigeonhole",
    "email": "email address",
    "extension": "extension",
    "mobile": "mobile number",
}


def _entry(staff: Staff) -> DirectoryEntry:
    return DirectoryEntry(
        id=staff.id,
        name=staff.name,
        job_title=staff.job_title,
        initials=staff.initials,
        pigeonhole=staff.pigeonhole,
        email=staff.email,
        extension=staff.extension,
        mobile=staff.mobile,
        can_sign_in=staff.pin_hash is not None,
        active=staff.active,
    )


def clean_entry_fields(fields: dict[str, str]) -> dict[str, str]:
    """A directory entry's fields (as in :data:`FIELD_LIMITS`) with whitespace collapsed and
    phone numbers checked; :class:`InvalidInput` saying which field is wrong.

    Takes field name -> typed text; returns the same keys, cleaned. Refused: an empty
    name, a field over its limit, an email without the shape of one, an extension or
    mobile with characters other than digits, spaces and + ( ) -. A key not in
    :data:`FIELD_LIMITS` raises ``KeyError`` (a programming error, not a user's).
    """
    cleaned: dict[str, str] = {}
    for name, value in fields.items():
        cleaned[name] = clean_line(
            value,
            limit=FIELD_LIMITS[name],
            too_long=f"The {FIELD_LABELS[name]} is too long ({{limit}} characters at most).",
        )
    if not cleaned.get("name"):
        raise InvalidInput("Enter the member of staff's name.")
    if cleaned.get("email") and not _EMAIL.fullmatch(cleaned["email"]):
        raise InvalidInput(f"'{cleaned['email']}' does not look like an email address.")
    for name in ("extension", "mobile"):
        if cleaned.get(name):
            cleaned[name] = clean_phone_number(cleaned[name], FIELD_LABELS[name])
    return cleaned


def entry_state(staff: Staff) -> dict[str, Any]:
    """The entry's fields by name, as the audit log records them."""
    return {name: getattr(staff, name) for name in FIELD_LIMITS}


def list_directory(ctx: KioskContext, *, include_inactive: bool = False) -> list[DirectoryEntry]:
    """Everyone in the staff directory, by name; those who have left only when
    ``include_inactive``. Never raises."""
    query = select(Staff).order_by(Staff.name, Staff.id)
    if not include_inactive:
        query = query.where(Staff.active)
    with ctx.db.read() as s:
        return [_entry(st) for st in s.scalars(query)]


def get_entry(ctx: KioskContext, staff_id: int) -> DirectoryEntry:
    """One member of staff's directory entry; raises :class:`NotFound` for an unknown id."""
    with ctx.db.read() as s:
        staff = s.get(Staff, staff_id)
        if staff is None:
            raise NotFound("That member of staff is not in the directory.")
        return _entry(staff)


def save_entry(
    ctx: KioskContext,
    actor: Actor,
    *,
    staff_id: int | None = None,
    name: str,
    job_title: str = "",
    initials: str = "",
    pigeonhole: str = "",
    email: str = "",
    extension: str = "",
    mobile: str = "",
) -> DirectoryEntry:
    """Add someone to the directory (``staff_id`` None) or change their details. People
    added here cannot sign in at the desk until a manager gives them a PIN.

    Returns the stored entry. Fields are cleaned by :func:`clean_entry_fields`. Raises
    :class:`NotAllowed` for an actor who is not staff, :class:`InvalidInput` for a field
    refused there, :class:`NotFound` for a ``staff_id`` not in the directory.
    """
    if not actor.is_staff:
        raise NotAllowed("Only staff signed in at the desk can change the directory.")
    fields = clean_entry_fields(
        {
            "name": name,
            "job_title": job_title,
            "initials": initials,
            "pigeonhole": pigeonhole,
            "email": email,
            "extension": extension,
            "mobile": mobile,
        }
    )
    with ctx.db.write() as s:
        if staff_id is None:
            staff = Staff(role="receptionist", pin_hash=None, active=True, **fields)
            s.add(staff)
            s.flush()
            before = None
        else:
            found = s.get(Staff, staff_id)
            if found is None:
                raise NotFound("That member of staff is not in the directory.")
            staff = found
            before = entry_state(staff)
            for key, value in fields.items():
                setattr(staff, key, value)
        audit.record(
            s,
            at=ctx.clock(),
            actor=actor,
            action="create" if before is None else "update",
            entity="staff",
            entity_id=staff.id,
            before=before,
            after=entry_state(staff),
        )
        return _entry(staff)


def staff_on_trips(ctx: KioskContext, day: date) -> dict[int, str]:
    """Staff out on an educational trip on ``day`` (a school-time date), from
    :func:`kiosk.services.trips.trips_on`: staff id -> destination. A member of staff on two
    trips that day shows the one recorded first."""
    out: dict[int, str] = {}
    for trip in trips_on(ctx, day):
        for staff_id, _name in trip.attending:
            out.setdefault(staff_id, trip.destination)
    return out


def _visitors_on_site(ctx: KioskContext) -> list[tuple[str, str]]:
    """(name, organisation) of each visitor signed in now, each person once (a visit left
    open from an earlier day does not list them twice)."""
    try:
        visits = on_site(ctx)
    except Exception:  # the visitor book must never stop a call being taken
        return []
    people: dict[tuple[str, str], tuple[str, str]] = {}
    for visit in visits:
        if visit.name:
            people[person_key(visit.name, visit.organisation)] = (
                visit.name,
                visit.organisation or "",
            )
    return list(people.values())


def find_recipients(ctx: KioskContext, typed: str, *, limit: int = 12) -> list[Recipient]:
    """Type-ahead for "for whom": staff by name, initials or job title, then visitors on
    site by name. Every word typed must appear somewhere.

    Matching folds case, accents and Latin letters such as Ł and Ø
    (:func:`kiosk.text.has_every_word`): "sean" finds Seán. Staff whose initials are
    exactly what was typed come first.
    Returns at most ``limit`` recipients (visitors have no id). Never raises: when the
    visitor book cannot be read, only staff are offered, so a call can still be taken.
    """
    found: list[Recipient] = []
    for entry in list_directory(ctx):
        if has_every_word(typed, f"{entry.name} {entry.initials} {entry.job_title}"):
            detail = " · ".join(p for p in (entry.job_title, entry.initials) if p)
            found.append(Recipient("staff", entry.id, entry.name, detail))
    for name, organisation in _visitors_on_site(ctx):
        if has_every_word(typed, f"{name} {organisation}"):
            detail = f"Visitor on site, {organisation}" if organisation else "Visitor on site"
            found.append(Recipient("visitor", None, name, detail))
    # Initials typed exactly ("JBR") put that person first.
    exact = typed.strip().casefold()
    found.sort(key=lambda r: 0 if exact and r.detail.casefold().endswith(exact) else 1)
    return found[:limit]
