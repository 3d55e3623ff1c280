"""The register of permissions and exceptional arrangements: what was agreed for which
pupil, on what conditions, by whom, from when, and when it is due for review.

New entries are made with :func:`add_arrangement` (kept in :mod:`kiosk.services.pupils`,
where hand-in reads them); this module lists, edits and ends them.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select

from kiosk.errors import InvalidInput, NotFound
from kiosk.persistence.models import Arrangement, Pupil
from kiosk.rows.people import Actor, RegisterEntry
from kiosk.services import acting, audit
from kiosk.services.pupils import SHOWN_FORENAME, SHOWN_SURNAME, add_arrangement, pupil_row
from kiosk.text import clean_line, clean_note

if TYPE_CHECKING:
    from kiosk.context import KioskContext

__all__ = [
    "add_arrangement",
    "due_for_review",
    "end_arrangement",
    "register",
    "update_arrangement",
]


def _entry(a: Arrangement, pupil: Pupil) -> RegisterEntry:
    return RegisterEntry(
        a.id,
        pupil_row(pupil),
        a.kind,
        a.title,
        a.conditions,
        a.agreed_by,
        a.starts_on,
        a.review_on,
        a.ends_on,
    )


def _state(a: Arrangement) -> dict[str, Any]:
    return {
        "kind": a.kind,
        "title": a.title,
        "conditions": a.conditions,
        "agreed_by": a.agreed_by,
        "starts_on": a.starts_on,
        "review_on": a.review_on,
        "ends_on": a.ends_on,
    }


def _today(ctx: KioskContext) -> date:
    return ctx.clock().astimezone(ctx.timezone).date()


def register(ctx: KioskContext, *, include_ended: bool = False) -> list[RegisterEntry]:
    """Every arrangement (current and future; ended ones too if asked), by pupil.

    Ordered by the pupil's shown surname and forename, then exemptions before permissions, then oldest
    first. "Ended" means an end date before today (school local date); pupils who have
    left are included. Never raises.
    """
    query = select(Arrangement, Pupil).join(Pupil, Pupil.id == Arrangement.pupil_id)
    if not include_ended:
        query = query.where(or_(Arrangement.ends_on.is_(None), Arrangement.ends_on >= _today(ctx)))
    query = query.order_by(SHOWN_SURNAME, SHOWN_FORENAME, Arrangement.kind, Arrangement.id)
    with ctx.db.read() as s:
        return [_entry(a, p) for a, p in s.execute(query)]


def due_for_review(ctx: KioskContext) -> list[RegisterEntry]:
    """Current arrangements whose review date has passed or falls in the next two weeks,
    the most overdue first (then by surname). "Two weeks" is `REVIEW_NOTICE`, counted from
    today in school local time. Never raises."""
    today = _today(ctx)
    due = [e for e in register(ctx) if e.review_due(today)]
    return sorted(due, key=lambda e: (e.review_on or today, e.pupil.display_surname))


def update_arrangement(
    ctx: KioskContext,
    actor: Actor,
    arrangement_id: int,
    *,
    title: str,
    conditions: str,
    agreed_by: str,
    starts_on: date,
    review_on: date | None,
) -> RegisterEntry:
    """Change what was agreed for an arrangement (not its kind, pupil or end date).

    Text is cleaned as for :func:`add_arrangement`; ``review_on`` None removes the review.
    Returns the entry as now stored; the change is audited with before and after. Raises
    :class:`NotAllowed` for an actor who is not staff, :class:`InvalidInput` for an empty
    title, a title or agreed-by over 200 characters, or a review date before the start,
    and :class:`NotFound` for an unknown arrangement.
    """
    title = clean_line(
        title, required="Say what the arrangement is (for example 'Walks home alone')."
    )
    conditions, agreed_by = clean_note(conditions), clean_line(agreed_by)
    if len(title) > 200 or len(agreed_by) > 200:
        raise InvalidInput("Keep the title and 'agreed by' under 200 characters.")
    if review_on is not None and review_on < starts_on:
        raise InvalidInput("The review date cannot be before the start date.")
    with ctx.db.write() as s:
        acting.require_staff(s, actor, "Sign in at the desk to change the register.")
        a = s.get(Arrangement, arrangement_id)
        if a is None:
            raise NotFound("That arrangement is no longer on file.")
        before = _state(a)
        a.title, a.conditions, a.agreed_by = title, conditions, agreed_by
        a.starts_on, a.review_on = starts_on, review_on
        audit.record(
            s,
            at=ctx.clock(),
            actor=actor,
            action="update",
            entity="arrangement",
            entity_id=a.id,
            before=before,
            after=_state(a),
        )
        pupil = s.get(Pupil, a.pupil_id)
        assert pupil is not None
        return _entry(a, pupil)


def end_arrangement(
    ctx: KioskContext, actor: Actor, arrangement_id: int, *, ended_on: date | None = None
) -> RegisterEntry:
    """End an arrangement (it stays in the register, marked ended, for the record).

    ``ended_on`` (a school date, the last day it applies) defaults to today. Returns the
    entry with its end date; the change is audited. Raises :class:`NotAllowed` for an
    actor who is not staff, :class:`NotFound` for an unknown arrangement and
    :class:`InvalidInput` when it already ends on or before ``ended_on`` or ``ended_on`` is
    before it starts.
    """
    ended_on = ended_on or _today(ctx)
    with ctx.db.write() as s:
        acting.require_staff(s, actor, "Sign in at the desk to change the register.")
        a = s.get(Arrangement, arrangement_id)
        if a is None:
            raise NotFound("That arrangement is no longer on file.")
        if a.ends_on is not None and a.ends_on <= ended_on:
            raise InvalidInput("This arrangement has already ended.")
        if ended_on < a.starts_on:
            raise InvalidInput("An arrangement cannot end before it starts.")
        before = _state(a)
        a.ends_on = ended_on
        audit.record(
            s,
            at=ctx.clock(),
            actor=actor,
            action="end",
            entity="arrangement",
            entity_id=a.id,
            before=before,
            after=_state(a),
        )
        pupil = s.get(Pupil, a.pupil_id)
        assert pupil is not None
        return _entry(a, pupil)
