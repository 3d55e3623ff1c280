"""Educational trips (staff taking pupils out of school; the desk tab calls them "Visits"):
the date, destination, lead and deputy with the mobile numbers the school calls them on,
and the staff attending. Staff on a trip today are out: urgent calls for them go to the
trip lead, other messages by email or to their pigeonhole.

Trips are stored in the ``educational_visit`` and ``visit_staff`` tables (ORM classes
:class:`EducationalVisit` and :class:`VisitStaff`); their audit entries name the entity
``educational_visit``. Those names are kept so that old databases and audit logs still read.
A visitor's visit to the school is a different thing: see :mod:`kiosk.services.visitors`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from kiosk.errors import InvalidInput, NotFound
from kiosk.persistence.models import EducationalVisit, Staff, VisitStaff
from kiosk.rows.calls import TripRow
from kiosk.rows.people import Actor
from kiosk.services import acting, audit
from kiosk.text import clean_line, clean_note, clean_phone_number, staff_sort_key

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from kiosk.context import KioskContext


MAX_DESTINATION = 200
MAX_NOTES = 5_000


def trip_row(session: Session, trip: EducationalVisit) -> TripRow:
    """The stored trip as a row, with the lead's, deputy's and attending staff's names
    (attending sorted by surname). Reads inside the caller's ``session``; never raises."""
    names = dict(
        session.execute(
            select(Staff.id, Staff.name)
            .join(VisitStaff, VisitStaff.staff_id == Staff.id)
            .where(VisitStaff.visit_id == trip.id)
        ).all()
    )
    lead = session.get(Staff, trip.lead_id)
    deputy = session.get(Staff, trip.deputy_id) if trip.deputy_id else None
    return TripRow(
        id=trip.id,
        on_date=trip.on_date,
        destination=trip.destination,
        leaves_at=trip.leaves_at,
        returns_at=trip.returns_at,
        lead_id=trip.lead_id,
        lead_name=lead.name if lead else "",
        lead_mobile=trip.lead_mobile,
        deputy_id=trip.deputy_id,
        deputy_name=deputy.name if deputy else "",
        deputy_mobile=trip.deputy_mobile,
        notes=trip.notes,
        cancelled=trip.cancelled,
        attending=tuple(sorted(names.items(), key=lambda item: staff_sort_key(item[1]))),
    )


def _state(trip: EducationalVisit, attending: Sequence[int]) -> dict[str, Any]:
    return {
        "on_date": trip.on_date,
        "destination": trip.destination,
        "lead_id": trip.lead_id,
        "lead_mobile": trip.lead_mobile,
        "deputy_id": trip.deputy_id,
        "deputy_mobile": trip.deputy_mobile,
        "attending": sorted(attending),
        "cancelled": trip.cancelled,
    }


def save_trip(
    ctx: KioskContext,
    actor: Actor,
    *,
    trip_id: int | None = None,
    on_date: date,
    destination: str,
    lead_id: int,
    lead_mobile: str,
    deputy_id: int | None = None,
    deputy_mobile: str = "",
    attending: Sequence[int] = (),
    leaves_at: time | None = None,
    returns_at: time | None = None,
    notes: str = "",
) -> TripRow:
    """Add a trip (``trip_id`` None) or change one; returns the stored trip.

    ``on_date`` is a school-time date; ``leaves_at``/``returns_at`` are school-time clock
    times. ``attending`` lists staff ids; the lead and deputy are added to it. The lead's
    mobile is required: it is how the school reaches the group in an emergency (the
    school's educational visits policy).

    Raises :class:`NotAllowed` for an actor who is not staff, :class:`InvalidInput` with a
    plain message for a missing or bad field, :class:`NotFound` when ``trip_id`` or a staff
    id is not on record."""
    destination = clean_line(
        destination,
        limit=MAX_DESTINATION,
        too_long="The destination is too long ({limit} characters at most).",
        required="Enter where the visit is going.",
    )
    notes = clean_note(
        notes, limit=MAX_NOTES, too_long="The notes are too long ({limit:,} characters at most)."
    )
    lead_mobile = clean_phone_number(lead_mobile, "visit lead's mobile number")
    if not lead_mobile:
        raise InvalidInput("Enter the visit lead's mobile number, so the school can call.")
    deputy_mobile = clean_phone_number(deputy_mobile, "deputy's mobile number")
    if deputy_id is not None and deputy_id == lead_id:
        raise InvalidInput("The deputy must be someone other than the lead.")
    if deputy_id is not None and not deputy_mobile:
        raise InvalidInput("Enter the deputy's mobile number too.")
    if leaves_at and returns_at and returns_at <= leaves_at:
        raise InvalidInput("The return time must be after the time the visit leaves.")
    staff_ids = {lead_id, *attending} | ({deputy_id} if deputy_id else set())
    with ctx.db.write() as s:
        acting.require_staff(s, actor, "Only staff signed in at the desk can record visits.")
        known = set(s.scalars(select(Staff.id).where(Staff.id.in_(staff_ids))))
        if known != staff_ids:
            raise NotFound("Someone chosen for the visit is not in the staff directory.")
        if trip_id is None:
            trip = EducationalVisit(cancelled=False)
            s.add(trip)
            before = None
        else:
            found = s.get(EducationalVisit, trip_id)
            if found is None:
                raise NotFound("That visit is no longer on record.")
            trip = found
            old = list(s.scalars(select(VisitStaff.staff_id).where(VisitStaff.visit_id == trip_id)))
            before = _state(trip, old)
            for link in s.scalars(select(VisitStaff).where(VisitStaff.visit_id == trip_id)):
                s.delete(link)
        trip.on_date = on_date
        trip.destination = destination
        trip.lead_id = lead_id
        trip.lead_mobile = lead_mobile
        trip.deputy_id = deputy_id
        trip.deputy_mobile = deputy_mobile
        trip.leaves_at = leaves_at
        trip.returns_at = returns_at
        trip.notes = notes
        s.flush()
        s.add_all(VisitStaff(visit_id=trip.id, staff_id=sid) for sid in sorted(staff_ids))
        s.flush()
        audit.record(
            s,
            at=ctx.clock(),
            actor=actor,
            action="create" if before is None else "update",
            entity="educational_visit",
            entity_id=trip.id,
            before=before,
            after=_state(trip, list(staff_ids)),
        )
        return trip_row(s, trip)


def cancel_trip(ctx: KioskContext, actor: Actor, trip_id: int) -> TripRow:
    """Mark a trip cancelled (kept on record, dropped from the day's lists); returns it.
    Cancelling twice changes nothing. Raises :class:`NotAllowed` for an actor who is not
    staff, :class:`NotFound` when the trip is not on record."""
    with ctx.db.write() as s:
        acting.require_staff(s, actor, "Only staff signed in at the desk can cancel visits.")
        trip = s.get(EducationalVisit, trip_id)
        if trip is None:
            raise NotFound("That visit is no longer on record.")
        if not trip.cancelled:
            trip.cancelled = True
            audit.record(
                s,
                at=ctx.clock(),
                actor=actor,
                action="cancel",
                entity="educational_visit",
                entity_id=trip_id,
                before={"cancelled": False},
                after={"cancelled": True},
            )
        return trip_row(s, trip)


def get_trip(ctx: KioskContext, trip_id: int) -> TripRow:
    """The trip with id ``trip_id``; raises :class:`NotFound` when it is not on record."""
    with ctx.db.read() as s:
        trip = s.get(EducationalVisit, trip_id)
        if trip is None:
            raise NotFound("That visit is no longer on record.")
        return trip_row(s, trip)


def trips_between(
    ctx: KioskContext, start: date, end: date, *, include_cancelled: bool = False
) -> list[TripRow]:
    """Trips from ``start`` to ``end`` inclusive (school-time dates), by date then in the
    order recorded; cancelled ones only when ``include_cancelled``. Never raises."""
    query = (
        select(EducationalVisit)
        .where(EducationalVisit.on_date.between(start, end))
        .order_by(EducationalVisit.on_date, EducationalVisit.id)
    )
    if not include_cancelled:
        query = query.where(EducationalVisit.cancelled.is_(False))
    with ctx.db.read() as s:
        return [trip_row(s, v) for v in s.scalars(query)]


def trips_on(ctx: KioskContext, day: date) -> list[TripRow]:
    """The trips not cancelled on ``day`` (a school-time date), as :func:`trips_between`."""
    return trips_between(ctx, day, day)


def trip_for_staff_in(session: Session, staff_id: int, day: date) -> EducationalVisit | None:
    """The trip (not cancelled) a member of staff is on that day (a school-time date), the
    first recorded if there are two; None if they are in school. Reads inside ``session``."""
    return session.scalar(
        select(EducationalVisit)
        .join(VisitStaff, VisitStaff.visit_id == EducationalVisit.id)
        .where(
            VisitStaff.staff_id == staff_id,
            EducationalVisit.on_date == day,
            EducationalVisit.cancelled.is_(False),
        )
        .order_by(EducationalVisit.id)
        .limit(1)
    )
