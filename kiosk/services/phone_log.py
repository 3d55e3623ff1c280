"""The telephone log: calls to parents and carers (who called, which pupil and contact,
when, why, what came of it, on which phone), personal calls made on school phones with the
manager who allowed them, and emergency calls made from a personal device, recorded as an
incident.

Staff call families on school phones. From a personal phone (working from home with no
school mobile) the number must be withheld and someone senior must have agreed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from kiosk.errors import InvalidInput, NotFound
from kiosk.persistence.models import Pupil, Staff, TelephoneLog
from kiosk.rows.calls import CALL_KINDS, PHONES_USED, CallLogRow
from kiosk.rows.people import Actor
from kiosk.services import acting, audit
from kiosk.services.pupils import pupil_row
from kiosk.text import clean_line, clean_note, clean_phone_number

if TYPE_CHECKING:
    from kiosk.context import KioskContext

MAX_TEXT = 5_000


def _text(value: str, label: str, *, required: bool = False) -> str:
    """A note of up to MAX_TEXT characters; see :func:`kiosk.text.clean_note`."""
    return clean_note(
        value,
        limit=MAX_TEXT,
        too_long=f"The {label} is too long ({{limit:,}} characters at most).",
        required=f"Enter the {label}." if required else None,
    )


def log_call(
    ctx: KioskContext,
    actor: Actor,
    *,
    kind: str,
    staff_id: int,
    phone_used: str,
    purpose: str,
    called_at: datetime | None = None,
    pupil_id: int | None = None,
    contact: str = "",
    number: str = "",
    number_withheld: bool = False,
    permitted_by: int | None = None,
    outcome: str = "",
) -> CallLogRow:
    """Put one call on record. The rules, each refused in plain words:
    - a call to a parent names the contact; from a personal phone the number is withheld
      and someone senior permitted it;
    - a personal call on a school phone names who permitted it;
    - an emergency call is from a personal device and says what happened.

    ``kind`` is a key of :data:`kiosk.rows.calls.CALL_KINDS` and ``phone_used`` of
    ``PHONES_USED``; ``called_at`` is aware (stored in UTC; default now) and at most five
    minutes ahead of the clock. Returns the stored entry.

    Raises :class:`NotAllowed` for an actor who is not staff; :class:`InvalidInput` for
    any rule above, an unknown kind or phone, a missing purpose, text over its limit, a bad
    number or a naive or future time; :class:`NotFound` for a member of staff or pupil not
    on record. The personal-phone rules come from the schools' mobile-device and
    personal-call policies: staff without a school mobile may call a family from their own
    phone only with the number withheld, and every such call is logged.
    """
    if kind not in CALL_KINDS:
        raise InvalidInput("Choose what kind of call this was.")
    if phone_used not in PHONES_USED:
        raise InvalidInput("Choose the phone used: school landline, work mobile or personal.")
    purpose = _text(
        purpose, "what happened" if kind == "emergency" else "purpose of the call", required=True
    )
    outcome = _text(outcome, "outcome")
    contact = clean_line(
        contact, limit=200, too_long="The contact's name is too long ({limit} characters at most)."
    )
    number = clean_phone_number(number, "number called")
    now = ctx.clock()
    called_at = called_at or now
    if called_at.tzinfo is None:
        raise InvalidInput("The time of the call needs a time zone.")
    if called_at > now + timedelta(minutes=5):
        raise InvalidInput("The time of the call is in the future.")
    if kind == "parent":
        if not contact:
            raise InvalidInput("Enter the parent or carer who was called.")
        if phone_used == "personal" and not number_withheld:
            raise InvalidInput(
                "Calls to families from a personal phone must withhold the number. "
                "Use a school phone, or withhold the number and tick the box."
            )
        if phone_used == "personal" and permitted_by is None:
            raise InvalidInput(
                "A call to a family from a personal phone needs someone senior "
                "to have agreed: choose who permitted it."
            )
    if kind == "personal":
        if phone_used == "personal":
            raise InvalidInput("Only personal calls made on school phones go in the log.")
        if permitted_by is None:
            raise InvalidInput("Choose the manager who permitted the personal call.")
    if kind == "emergency" and phone_used != "personal":
        raise InvalidInput("Emergency calls on a school phone are logged as ordinary calls.")
    with ctx.db.write() as s:
        acting.require_staff(
            s, actor, "Only staff signed in at the desk can write in the telephone log."
        )
        if s.get(Staff, staff_id) is None:
            raise NotFound("The member of staff who made the call is not in the directory.")
        if permitted_by is not None and s.get(Staff, permitted_by) is None:
            raise NotFound("The person who permitted the call is not in the directory.")
        if pupil_id is not None and s.get(Pupil, pupil_id) is None:
            raise NotFound("That pupil is not on record.")
        entry = TelephoneLog(
            kind=kind,
            called_at=called_at,
            staff_id=staff_id,
            pupil_id=pupil_id,
            contact=contact,
            number=number,
            phone_used=phone_used,
            number_withheld=number_withheld,
            permitted_by=permitted_by,
            purpose=purpose,
            outcome=outcome,
            recorded_at=now,
            recorded_by=actor.staff_id,
        )
        s.add(entry)
        s.flush()
        audit.record(
            s,
            at=now,
            actor=actor,
            action="log_call",
            entity="telephone_log",
            entity_id=entry.id,
            after=_state(entry),
        )
        return _rows(s, [entry])[0]


def _state(entry: TelephoneLog) -> dict[str, Any]:
    return {
        "kind": entry.kind,
        "called_at": entry.called_at,
        "staff_id": entry.staff_id,
        "pupil_id": entry.pupil_id,
        "phone_used": entry.phone_used,
        "number_withheld": entry.number_withheld,
        "permitted_by": entry.permitted_by,
    }


def _rows(session: Any, entries: list[TelephoneLog]) -> list[CallLogRow]:
    staff_ids = {
        sid
        for e in entries
        for sid in (e.staff_id, e.permitted_by, e.recorded_by)
        if sid is not None
    }
    names = dict(session.execute(select(Staff.id, Staff.name).where(Staff.id.in_(staff_ids))).all())
    pupil_ids = {e.pupil_id for e in entries if e.pupil_id is not None}
    pupils = {
        p.id: pupil_row(p).name
        for p in session.scalars(select(Pupil).where(Pupil.id.in_(pupil_ids)))
    }
    return [
        CallLogRow(
            id=e.id,
            kind=e.kind,
            called_at=e.called_at,
            staff_id=e.staff_id,
            staff_name=names.get(e.staff_id, ""),
            pupil_id=e.pupil_id,
            pupil_name=pupils.get(e.pupil_id, "") if e.pupil_id else "",
            contact=e.contact,
            number=e.number,
            phone_used=e.phone_used,
            number_withheld=e.number_withheld,
            permitted_by=names.get(e.permitted_by, "") if e.permitted_by else "",
            purpose=e.purpose,
            outcome=e.outcome,
            recorded_by=names.get(e.recorded_by, "") if e.recorded_by else "",
            recorded_at=e.recorded_at,
        )
        for e in entries
    ]


def calls_between(
    ctx: KioskContext,
    start: date,
    end: date,
    *,
    kind: str | None = None,
    staff_id: int | None = None,
    pupil_id: int | None = None,
) -> list[CallLogRow]:
    """Calls made between two school dates (inclusive), oldest first, optionally filtered.

    ``start`` and ``end`` are dates in the school's time zone, midnight to midnight;
    ``kind``, ``staff_id`` and ``pupil_id`` narrow the list when given. Times in the rows
    are UTC. Never raises for an unknown filter value: the list is just empty.
    """
    low = datetime.combine(start, time.min, ctx.timezone).astimezone(UTC)
    high = datetime.combine(end + timedelta(days=1), time.min, ctx.timezone).astimezone(UTC)
    query = (
        select(TelephoneLog)
        .where(TelephoneLog.called_at >= low, TelephoneLog.called_at < high)
        .order_by(TelephoneLog.called_at, TelephoneLog.id)
    )
    if kind is not None:
        query = query.where(TelephoneLog.kind == kind)
    if staff_id is not None:
        query = query.where(TelephoneLog.staff_id == staff_id)
    if pupil_id is not None:
        query = query.where(TelephoneLog.pupil_id == pupil_id)
    with ctx.db.read() as s:
        return _rows(s, list(s.scalars(query)))
