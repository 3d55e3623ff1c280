"""The staff directory: who works here, their job, initials, pigeonhole, email, extension
and mobile, and whether they are out on an educational visit today.

Everyone on the staff table is in the directory; only those with a PIN can sign in at the
desk. Staff can be added and edited at the desk or imported from the MIS's CSV export
(:mod:`kiosk.importing.staff`).

The email address and mobile number decide where a person's messages go (the outbox
emails messages to the address; the desk rings the mobile, and a trip's lead is rung on
it), so changing them for someone else is guarded (:data:`ROUTING_FIELDS`): a manager may,
anyone may change their own, and a receptionist changing another person's needs that
person's own PIN, checked against the same lockout as the lock screen. Someone without a
PIN can have theirs changed by a manager only. Roles are read from the database
(:mod:`kiosk.services.acting`).
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.errors import InvalidInput, NotAllowed, NotFound
from kiosk.persistence.models import Staff
from kiosk.rows.calls import DirectoryEntry, Recipient
from kiosk.rows.people import Actor
from kiosk.services import acting, audit
from kiosk.services.staff import confirm_own_pin
from kiosk.services.trips import trips_on
from kiosk.services.visitors import on_site, person_key
from kiosk.text import clean_line, clean_phone_number, has_every_word, staff_sort_key

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
ROUTING_FIELDS = ("email", "mobile")
"""Directory fields that route a person's messages: guarded as the module docstring says."""
FIELD_LABELS = {
    "name": "name",
    "job_title": "job title",
    "initials": "initials",
    "pigeonhole": "pigeonhole",
    "email": "email address",
    "extension": "extension",
    "mobile": "mobile number",
}

ROUTING_FREE = "free"
ROUTING_NEEDS_PIN = "their_pin"
ROUTING_MANAGER_ONLY = "manager_only"


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
    """Everyone in the staff directory, by surname (:func:`kiosk.text.staff_sort_key`);
    those who have left only when ``include_inactive``. Never raises."""
    query = select(Staff).order_by(Staff.id)
    if not include_inactive:
        query = query.where(Staff.active)
    with ctx.db.read() as s:
        entries = [_entry(st) for st in s.scalars(query)]
    return sorted(entries, key=lambda entry: staff_sort_key(entry.name))


def get_entry(ctx: KioskContext, staff_id: int) -> DirectoryEntry:
    """One member of staff's directory entry; raises :class:`NotFound` for an unknown id."""
    with ctx.db.read() as s:
        staff = s.get(Staff, staff_id)
        if staff is None:
            raise NotFound("That member of staff is not in the directory.")
        return _entry(staff)


def routing_rule(ctx: KioskContext, actor: Actor, staff_id: int | None) -> str:
    """What ``actor`` needs to change the email address or mobile number of ``staff_id``
    (None: someone new), so the desk can say so before the form is filled in.

    Returns :data:`ROUTING_FREE` (a manager, the person themselves, or someone new),
    :data:`ROUTING_NEEDS_PIN` (that person types their own PIN when the change is saved)
    or :data:`ROUTING_MANAGER_ONLY` (they have no PIN, or have left). The role is read from
    the database. Raises :class:`NotAllowed` for an actor who is not staff signed in at the
    desk and :class:`NotFound` for an unknown ``staff_id``.
    """
    with ctx.db.read() as s:
        me = acting.require_staff(s, actor, CHANGE_REFUSED)
        if staff_id is None:
            return ROUTING_FREE
        person = s.get(Staff, staff_id)
        if person is None:
            raise NotFound("That member of staff is not in the directory.")
        return _routing_rule(s, me, person)


CHANGE_REFUSED = "Only staff signed in at the desk can change the directory."


def _routing_rule(s: Session, me: Actor, person: Staff) -> str:
    if me.staff_id == person.id or acting.is_manager(s, me):
        return ROUTING_FREE
    if person.active and person.pin_hash is not None:
        return ROUTING_NEEDS_PIN
    return ROUTING_MANAGER_ONLY


def routing_refusal(name: str, rule: str) -> str:
    """The sentence the desk shows when ``rule`` (from :func:`routing_rule`) stands between
    the person signed in and changing ``name``'s email address or mobile number."""
    if rule == ROUTING_NEEDS_PIN:
        return (
            f"Only {name} (with their own PIN) or a manager can change {name}'s email address "
            "or mobile number: they decide where messages go."
        )
    return (
        f"Only a manager can change {name}'s email address or mobile number: they decide "
        "where messages go."
    )


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
    their_pin: str | None = None,
) -> DirectoryEntry:
    """Add someone to the directory (``staff_id`` None) or change their details. People
    added here cannot sign in at the desk until a manager gives them a PIN.

    Returns the stored entry. Fields are cleaned by :func:`clean_entry_fields`. Changing
    another person's email address or mobile number (:data:`ROUTING_FIELDS`) needs a
    manager or, from a receptionist, ``their_pin``: that person's own PIN, checked (and a
    wrong one counted towards their lockout) before anything is written. Raises
    :class:`NotAllowed` for an actor who is not staff, for such a change without the right
    PIN (:class:`PinLocked` while that person is locked), :class:`InvalidInput` for a
    field refused there, :class:`NotFound` for a ``staff_id`` not in the directory.
    Nothing changes when it raises.
    """
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
    confirmed_by: int | None = None
    if their_pin and staff_id is not None:
        with ctx.db.read() as s:  # a forged actor may not try anyone's PIN
            acting.require_staff(s, actor, CHANGE_REFUSED)
        confirmed_by = confirm_own_pin(ctx, actor, staff_id, their_pin).staff_id
    with ctx.db.write() as s:
        me = acting.require_staff(s, actor, CHANGE_REFUSED)
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
            rerouted = [key for key in ROUTING_FIELDS if getattr(staff, key) != fields[key]]
            rule = _routing_rule(s, me, staff)
            if rerouted and rule != ROUTING_FREE and confirmed_by != staff.id:
                raise NotAllowed(routing_refusal(staff.name, rule))
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
            after=entry_state(staff)
            | ({"confirmed_by_their_pin": True} if confirmed_by is not None else {}),
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
