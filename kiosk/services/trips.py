"""Educational visits: the date, destination, lead and deputy with the mobile numbers the
school calls them on, and the staff attending. Staff on a visit today are out: urgent calls
for them go to the visit lead, other messages by email or to their pigeonhole."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from kiosk.errors import InvalidInput, NotAllowed, NotFound
from kiosk.persistence.models import EducationalVisit, Staff, VisitStaff
from kiosk.rows.calls import TripRow
from kiosk.rows.people import Actor
from kiosk.services import audit
from kiosk.services.directory import clean_phone_number

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from kiosk.context import KioskContext




def visit_row(session: Session, visit: EducationalVisit) -> TripRow:
    names = dict(
        session.execute(
            select(Staff.id, Staff.name)
            .join(VisitStaff, VisitStaff.staff_id == Staff.id)
            .where(VisitStaff.visit_id == visit.id)
            .order_by(Staff.name)
        ).all()
    )
    lead = session.get(Staff, visit.lead_id)
    deputy = session.get(Staff, visit.deputy_id) if visit.deputy_id else None
    return TripRow(
        id=visit.id,
        on_date=visit.on_date,
        destination=visit.destination,
        leaves_at=visit.leaves_at,
        returns_at=visit.returns_at,
        lead_id=visit.lead_id,
        lead_name=lead.name if lead else "",
        lead_mobile=visit.lead_mobile,
        deputy_id=visit.deputy_id,
        deputy_name=deputy.name if deputy else "",
        deputy_mobile=visit.deputy_mobile,
        notes=visit.notes,
        cancelled=visit.cancelled,
        attending=tuple(names.items()),
    )


def _state(visit: EducationalVisit, attending: Sequence[int]) -> dict[str, Any]:
    return {
        "on_date": visit.on_date,
        "destination": visit.destination,
        "lead_id": visit.lead_id,
        "lead_mobile": visit.lead_mobile,
        "deputy_id": visit.deputy_id,
        "deputy_mobile": visit.deputy_mobile,
        "attending": sorted(attending),
        "cancelled": visit.cancelled,
    }


def save_visit(
    ctx: KioskContext,
    actor: Actor,
    *,
    visit_id: int | None = None,
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
    """Add a visit (``visit_id`` None) or change one. The lead's mobile is required: it is
    how the school reaches the group in an emergency."""
    if not actor.is_staff:
        raise NotAllowed("Only staff signed in at the desk can record visits.")
    destination = " ".join(destination.split())
    if not destination:
        raise InvalidInput("Enter where the visit is going.")
    if len(destination) > 200:
        raise InvalidInput("The destination is too long (200 characters at most).")
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
        known = set(s.scalars(select(Staff.id).where(Staff.id.in_(staff_ids))))
        if known != staff_ids:
            raise NotFound("Someone chosen for the visit is not in the staff directory.")
        if visit_id is None:
            visit = EducationalVisit(cancelled=False)
            s.add(visit)
            before = None
        else:
            found = s.get(EducationalVisit, visit_id)
            if found is None:
                raise NotFound("That visit is no longer on record.")
            visit = found
            old = list(
                s.scalars(select(VisitStaff.staff_id).where(VisitStaff.visit_id == visit_id))
            )
            before = _state(visit, old)
            for link in s.scalars(select(VisitStaff).where(VisitStaff.visit_id == visit_id)):
                s.delete(link)
        visit.on_date = on_date
        visit.destination = destination
        visit.lead_id = lead_id
        visit.lead_mobile = lead_mobile
        visit.deputy_id = deputy_id
        visit.deputy_mobile = deputy_mobile
        visit.leaves_at = leaves_at
        visit.returns_at = returns_at
        visit.notes = notes.strip()
        s.flush()
        s.add_all(VisitStaff(visit_id=visit.id, staff_id=sid) for sid in sorted(staff_ids))
        s.flush()
        audit.record(
            s,
            at=ctx.clock(),
            actor=actor,
            action="create" if before is None else "update",
            entity="educational_visit",
            entity_id=visit.id,
            before=before,
            after=_state(visit, list(staff_ids)),
        )
        return visit_row(s, visit)


def cancel_visit(ctx: KioskContext, actor: Actor, visit_id: int) -> TripRow:
    if not actor.is_staff:
        raise NotAllowed("Only staff signed in at the desk can cancel visits.")
    with ctx.db.write() as s:
        visit = s.get(EducationalVisit, visit_id)
        if visit is None:
            raise NotFound("That visit is no longer on record.")
        if not visit.cancelled:
            visit.cancelled = True
            audit.record(
                s,
                at=ctx.clock(),
                actor=actor,
                action="cancel",
                entity="educational_visit",
                entity_id=visit_id,
                before={"cancelled": False},
                after={"cancelled": True},
            )
        return visit_row(s, visit)


def get_visit(ctx: KioskContext, visit_id: int) -> TripRow:
    with ctx.db.read() as s:
        visit = s.get(EducationalVisit, visit_id)
        if visit is None:
            raise NotFound("That visit is no longer on record.")
        return visit_row(s, visit)


def visits_between(
    ctx: KioskContext, start: date, end: date, *, include_cancelled: bool = False
) -> list[TripRow]:
    query = (
        select(EducationalVisit)
        .where(EducationalVisit.on_date.between(start, end))
        .order_by(EducationalVisit.on_date, EducationalVisit.id)
    )
    if not include_cancelled:
        query = query.where(EducationalVisit.cancelled.is_(False))
    with ctx.db.read() as s:
        return [visit_row(s, v) for v in s.scalars(query)]


def visits_on(ctx: KioskContext, day: date) -> list[TripRow]:
    return visits_between(ctx, day, day)


def visit_for_staff_in(session: Session, staff_id: int, day: date) -> EducationalVisit | None:
    """The visit a member of staff is on that day, if any (not cancelled)."""
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
