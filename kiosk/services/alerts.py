"""The visitor alert list: people the school has said must not be admitted unchecked.

Managers keep the list. When someone signs in under a matching name the match is recorded
and shown to the desk, discreetly; the kiosk face is never told (its answer to a sign-in
carries nothing about alerts).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.errors import InvalidInput, NotFound
from kiosk.persistence.models import Staff, Visitor, VisitorAlert, VisitorAlertMatch, VisitorVisit
from kiosk.rows.people import SYSTEM, Actor
from kiosk.rows.visitors import AlertMatchRow, AlertRow
from kiosk.services import acting, audit
from kiosk.text import clean_line, clean_note, name_key

if TYPE_CHECKING:
    from kiosk.context import KioskContext

NAME_MAX = 200  # as for a visitor signing in, so any name signed in can be listed
NOTE_MAX = 2000


def names_match(alert_key: str, visitor_key: str) -> bool:
    """Same name, or every part of the alert's name present in the signed-in name (a middle
    name added, the parts swapped round).

    Takes two names already folded by :func:`kiosk.text.name_key`. An empty key never
    matches, and a one-word alert matches only that exact name (so "Smith" does not flag
    every Smith). Never raises.
    """
    if not alert_key or not visitor_key:
        return False
    if alert_key == visitor_key:
        return True
    alert_parts = alert_key.split()
    return len(alert_parts) >= 2 and set(alert_parts) <= set(visitor_key.split())


def record_alert_matches(s: Session, visit: VisitorVisit, visitor: Visitor, now: datetime) -> int:
    """Inside the sign-in's transaction: record a match for each alert the name meets.

    ``s`` is the caller's open session (nothing is committed here); ``now`` is UTC and
    becomes each match's ``matched_at``. Returns how many alerts matched (0 for none).
    Each match writes an audit entry by the system, not by the visitor.
    """
    key = visitor.name_key
    # The list is short (a handful of names), so every active alert is compared.
    candidates = s.scalars(select(VisitorAlert).where(VisitorAlert.removed_at.is_(None))).all()
    found = 0
    for alert in candidates:
        if not names_match(alert.name_key, key):
            continue
        match = VisitorAlertMatch(
            alert_id=alert.id, visit_id=visit.id, signed_in_name=visitor.name, matched_at=now
        )
        s.add(match)
        s.flush()
        audit.record(
            s,
            at=now,
            actor=SYSTEM,
            action="visitor_alert_matched",
            entity="visitor_alert_match",
            entity_id=match.id,
            after={"alert_id": alert.id, "visit_id": visit.id},
        )
        found += 1
    return found


def alerts_matching(s: Session, name: str) -> list[VisitorAlert]:
    """Inside the caller's transaction: the active alerts whose name matches ``name``, as a
    visitor's sign-in is matched (:func:`names_match` on :func:`kiosk.text.name_key`).

    Used for a collector at the release of a confiscated device as for a visitor signing
    in. Returns the stored alerts, oldest first; empty for none or an empty name. Never
    raises.
    """
    key = name_key(name)
    if not key:
        return []
    return [
        alert
        for alert in s.scalars(
            select(VisitorAlert).where(VisitorAlert.removed_at.is_(None)).order_by(VisitorAlert.id)
        )
        if names_match(alert.name_key, key)
    ]


def _alert_row(alert: VisitorAlert, added_by: str | None) -> AlertRow:
    return AlertRow(
        id=alert.id,
        name=alert.name,
        note=alert.note,
        added_at=alert.added_at,
        added_by=added_by or "",
    )


def _match_row(match: VisitorAlertMatch, alert: VisitorAlert) -> AlertMatchRow:
    return AlertMatchRow(
        id=match.id,
        alert_id=alert.id,
        alert_name=alert.name,
        note=alert.note,
        signed_in_name=match.signed_in_name,
        visit_id=match.visit_id,
        matched_at=match.matched_at,
        seen_at=match.seen_at,
    )


def list_alerts(ctx: KioskContext, actor: Actor) -> list[AlertRow]:
    """The names on the alert list, sorted by name key, with who added each. Managers
    only: raises :class:`NotAllowed` for anyone else."""
    with ctx.db.read() as s:
        acting.require_manager(s, actor, "Only a manager can change the alert list.")
        rows = s.execute(
            select(VisitorAlert, Staff.name)
            .outerjoin(Staff, Staff.id == VisitorAlert.added_by)
            .where(VisitorAlert.removed_at.is_(None))
            .order_by(VisitorAlert.name_key)
        ).all()
        return [_alert_row(alert, name) for alert, name in rows]


def add_alert(ctx: KioskContext, actor: Actor, name: str, note: str) -> AlertRow:
    """Put a name on the alert list (managers only); returns the stored alert.

    ``name`` is cleaned as one line (at most :data:`NAME_MAX` characters) and ``note`` as a
    note (at most :data:`NOTE_MAX`). Raises :class:`NotAllowed` unless ``actor`` is a
    manager, and :class:`InvalidInput` for an empty or too long name, a too long note, or a
    name already on the list (compared by name key, so accents and case do not count).
    """
    name = clean_line(
        name,
        limit=NAME_MAX,
        too_long="That name is too long: please keep it to {limit} characters or fewer.",
        required="Please type the name to put on the alert list.",
    )
    note = clean_note(
        note, limit=NOTE_MAX, too_long="Please keep the note to {limit} characters or fewer."
    )
    key = name_key(name)
    with ctx.db.write() as s:
        acting.require_manager(s, actor, "Only a manager can change the alert list.")
        existing = s.scalar(
            select(VisitorAlert).where(
                VisitorAlert.name_key == key, VisitorAlert.removed_at.is_(None)
            )
        )
        if existing is not None:
            raise InvalidInput(f"{existing.name} is already on the alert list.")
        alert = VisitorAlert(
            name=name, name_key=key, note=note, added_at=ctx.clock(), added_by=actor.staff_id
        )
        s.add(alert)
        s.flush()
        # The audit log is kept for good, so it records that an alert was added, not whom.
        audit.record(
            s,
            at=alert.added_at,
            actor=actor,
            action="visitor_alert_added",
            entity="visitor_alert",
            entity_id=alert.id,
        )
        return _alert_row(alert, actor.name)


def remove_alert(ctx: KioskContext, actor: Actor, alert_id: int) -> None:
    """Take a name off the alert list (kept on record as removed, with who and when).
    Managers only: raises :class:`NotAllowed` for anyone else, :class:`NotFound` when the
    name is not on the list."""
    with ctx.db.write() as s:
        acting.require_manager(s, actor, "Only a manager can change the alert list.")
        alert = s.get(VisitorAlert, alert_id)
        if alert is None or alert.removed_at is not None:
            raise NotFound("That name is no longer on the alert list.")
        alert.removed_at = ctx.clock()
        alert.removed_by = actor.staff_id
        audit.record(
            s,
            at=alert.removed_at,
            actor=actor,
            action="visitor_alert_removed",
            entity="visitor_alert",
            entity_id=alert.id,
        )


def alert_matches(
    ctx: KioskContext, actor: Actor, *, unseen_only: bool = True
) -> list[AlertMatchRow]:
    """Sign-ins that matched the alert list, newest first (for the desk's warning).

    With ``unseen_only`` (the default) only matches nobody has dealt with yet; times are
    UTC. Raises :class:`NotAllowed` unless ``actor`` is staff signed in at the desk (the
    kiosk face is never told of alerts).
    """
    with ctx.db.read() as s:
        acting.require_staff(
            s, actor, "Only a member of staff signed in at the desk can see alerts."
        )
        query = (
            select(VisitorAlertMatch, VisitorAlert)
            .join(VisitorAlert, VisitorAlert.id == VisitorAlertMatch.alert_id)
            .order_by(VisitorAlertMatch.matched_at.desc(), VisitorAlertMatch.id.desc())
        )
        if unseen_only:
            query = query.where(VisitorAlertMatch.seen_at.is_(None))
        return [_match_row(match, alert) for match, alert in s.execute(query).all()]


def acknowledge_alert_match(ctx: KioskContext, actor: Actor, match_id: int) -> AlertMatchRow:
    """A named member of staff at the desk acknowledges a sign-in that matched the alert
    list: they have seen it and are dealing with it, and the desk's red banner goes.

    Any member of staff signed in at the desk may acknowledge, receptionists included: the
    match has to be dealt with at once by whoever is at the desk, acknowledging admits
    nobody (a release to someone on the list still needs the DSL's override), and the audit
    entry names the person from the staff table (the design's Trust section). Returns the
    match as stored (``seen_at`` in UTC). Acknowledging a match already acknowledged
    changes nothing and writes no second entry. Raises :class:`NotAllowed` unless ``actor``
    is staff signed in at the desk, and :class:`NotFound` for an unknown match.
    """
    with ctx.db.write() as s:
        acting.require_staff(
            s, actor, "Only a member of staff signed in at the desk can see alerts."
        )
        match = s.get(VisitorAlertMatch, match_id)
        if match is None:
            raise NotFound("That alert is no longer on record.")
        alert = s.get(VisitorAlert, match.alert_id)
        if alert is None:  # alerts are only ever marked removed, so this is a damaged record
            raise NotFound("That alert is no longer on record.")
        if match.seen_at is None:
            match.seen_at = ctx.clock()
            match.seen_by = actor.staff_id
            audit.record(
                s,
                at=match.seen_at,
                actor=actor,
                action="visitor_alert_seen",
                entity="visitor_alert_match",
                entity_id=match.id,
                after={"alert_id": match.alert_id, "visit_id": match.visit_id},
            )
        return _match_row(match, alert)


def unacknowledged_alert_count(ctx: KioskContext) -> int:
    """How many sign-ins matched the alert list and wait for a member of staff to
    acknowledge them (0 for none).

    Says nothing of whom, so the locked desk may say that an alert is waiting; the names
    and notes come only from :func:`alert_matches`, to staff signed in. Never raises but
    for the database's own faults.
    """
    with ctx.db.read() as s:
        return int(
            s.scalar(
                select(func.count(VisitorAlertMatch.id)).where(VisitorAlertMatch.seen_at.is_(None))
            )
            or 0
        )


def visit_matches_alert(ctx: KioskContext, visit_id: int) -> bool:
    """Whether a sign-in matched the alert list and nobody has dealt with it yet (for the
    desk's discreet warning; says nothing of whom)."""
    with ctx.db.read() as s:
        return (
            s.scalar(
                select(VisitorAlertMatch.id).where(
                    VisitorAlertMatch.visit_id == visit_id, VisitorAlertMatch.seen_at.is_(None)
                )
            )
            is not None
        )
