"""The append-only audit log: who did what, when, with the record before and after."""

from __future__ import annotations

import json
from dataclasses import asdict, is_dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.persistence.models import AuditEntry
from kiosk.rows.audit import AuditRow
from kiosk.rows.people import Actor

if TYPE_CHECKING:
    from kiosk.context import KioskContext


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    raise TypeError(f"cannot record {type(value).__name__} in the audit log")


def _dump(state: dict[str, Any] | None) -> str | None:
    if state is None:
        return None
    return json.dumps(state, default=_default, ensure_ascii=False, sort_keys=True)


def record(
    session: Session,
    *,
    at: datetime,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: object,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Add an audit entry to the caller's transaction (so it commits with the change).

    ``at`` is the aware time of the change (stored in UTC); ``entity_id`` is stored as
    text; ``before`` and ``after`` are stored as JSON with sorted keys, dates and times in
    ISO 8601 and frozen rows as their fields. Raises ``TypeError`` for a value JSON cannot
    hold (a programming error: the transaction then rolls back with the change).
    """
    session.add(
        AuditEntry(
            at=at,
            actor=actor.name if actor.staff_id is None else f"{actor.name} ({actor.role})",
            staff_id=actor.staff_id,
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            before=_dump(before),
            after=_dump(after),
        )
    )


def _row(entry: AuditEntry) -> AuditRow:
    return AuditRow(
        id=entry.id,
        at=entry.at,
        actor=entry.actor,
        action=entry.action,
        entity=entry.entity,
        entity_id=entry.entity_id,
        before=entry.before,
        after=entry.after,
    )


def recent_entries(
    ctx: KioskContext, *, limit: int = 200, entity: str | None = None, entity_id: object = None
) -> list[AuditRow]:
    """The newest entries first (by entry id), at most ``limit``, optionally about one record.

    ``entity`` ("pupil", "visitor_visit"...) and ``entity_id`` (compared as text) narrow
    the list when given. Times in the rows are UTC. Never raises beyond a database error.
    """
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if entity is not None:
        query = query.where(AuditEntry.entity == entity)
    if entity_id is not None:
        query = query.where(AuditEntry.entity_id == str(entity_id))
    with ctx.db.read() as s:
        return [_row(e) for e in s.scalars(query)]


def latest_change(ctx: KioskContext) -> int:
    """The id of the newest audit entry: it grows with every change on any desk.

    0 for an empty log. The desk polls it to notice another desk's changes.
    """
    with ctx.db.read() as s:
        return s.scalar(select(func.max(AuditEntry.id))) or 0
