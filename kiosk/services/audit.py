"""The append-only audit log: who did what, when, with the record before and after.

Entries form a hash chain (kiosk/persistence/audit_chain.py) written as each transaction
commits; :func:`verify_audit_chain` walks it and names the first entry that does not fit.
"""

from __future__ import annotations

import json
from dataclasses import asdict, is_dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from sqlalchemy import Row, event, func, select, text
from sqlalchemy.orm import Session, SessionTransaction

from kiosk.persistence.audit_chain import GENESIS_HASH, entry_hash
from kiosk.persistence.database import BATCH
from kiosk.persistence.models import AuditEntry, Staff
from kiosk.rows.audit import AuditRow, AuditVerification, ChainFault
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
    ISO 8601 and frozen rows as their fields. The entry takes its id and its place in the
    hash chain as the transaction commits (see :func:`_chain_pending_entries`). A member
    of staff is named as the staff table has them, "Name (role)", read in ``session``: the
    name and role the Actor claims are never recorded (the design's Trust section); an
    actor whose staff id is not on the table is recorded by the name given, "(not on the
    staff list)", with no staff id. Raises
    ``TypeError`` for a value JSON cannot hold and ``ValueError`` for a naive ``at`` (a
    programming error: the transaction then rolls back with the change).
    """
    if at.tzinfo is None:
        raise ValueError("naive datetime given to the audit log")
    who, staff_id = actor.name, None
    if actor.staff_id is not None:
        # Looked up once per transaction: an import records thousands of entries.
        named: dict[int, tuple[str, int | None]] = session.info.setdefault(_NAMED, {})
        if actor.staff_id not in named:
            staff = session.get(Staff, actor.staff_id)
            named[actor.staff_id] = (
                (f"{actor.name} (not on the staff list)", None)
                if staff is None
                else (f"{staff.name} ({staff.role})", staff.id)
            )
        who, staff_id = named[actor.staff_id]
    entry = AuditEntry(
        at=at,
        actor=who,
        staff_id=staff_id,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        before=_dump(before),
        after=_dump(after),
    )
    session.info.setdefault(_PENDING, []).append(entry)


# Entries recorded in a transaction wait in ``session.info`` and join the chain at commit:
# the chain's lock is then held only between the last write and the commit, so a desk that
# holds it never waits for a row another desk holds (no deadlock), and the chain's order is
# the order in which transactions commit.
_PENDING = "kiosk_audit_pending"
_NAMED = "kiosk_audit_named"
# Any fixed number works; it only has to be the same for every desk sharing a server, and
# differ from the migration lock's (kiosk/persistence/migrate.py).
_PG_AUDIT_CHAIN_LOCK = 0x4155444954


@event.listens_for(Session, "before_commit")
def _chain_pending_entries(session: Session) -> None:
    """Give each entry recorded in this transaction its id and hashes, then add it.

    On PostgreSQL an advisory transaction lock serialises the desks appending to the chain
    (held until the commit); SQLite writes already begin ``BEGIN IMMEDIATE``, one writer at
    a time. Ids come from the table's sequence on PostgreSQL and follow the last id on SQLite.
    """
    pending: list[AuditEntry] = session.info.pop(_PENDING, [])
    session.info.pop(_NAMED, None)
    if not pending:
        return
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_AUDIT_CHAIN_LOCK})
    head = session.execute(
        select(AuditEntry.id, AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1)
    ).first()
    last_id = head.id if head is not None else 0
    previous = (head.entry_hash or "") if head is not None else GENESIS_HASH
    for entry in pending:
        if postgres:
            entry.id = session.execute(
                text("SELECT nextval(pg_get_serial_sequence('audit_log', 'id'))")
            ).scalar_one()
        else:
            entry.id = last_id + 1
        last_id = entry.id
        entry.previous_hash = previous
        entry.entry_hash = previous = _hash_of(entry, previous)
        session.add(entry)
    session.flush()


@event.listens_for(Session, "after_soft_rollback")
def _forget_pending_entries(session: Session, _previous: SessionTransaction) -> None:
    """Entries recorded in a transaction that rolled back are dropped with it."""
    session.info.pop(_PENDING, None)
    session.info.pop(_NAMED, None)


def _hash_of(entry: AuditEntry, previous_hash: str) -> str:
    return entry_hash(
        entry_id=entry.id,
        at=entry.at,
        actor=entry.actor,
        staff_id=entry.staff_id,
        action=entry.action,
        entity=entry.entity,
        entity_id=entry.entity_id,
        before=entry.before,
        after=entry.after,
        previous_hash=previous_hash,
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


_CHAIN_COLUMNS = (
    AuditEntry.id,
    AuditEntry.at,
    AuditEntry.actor,
    AuditEntry.staff_id,
    AuditEntry.action,
    AuditEntry.entity,
    AuditEntry.entity_id,
    AuditEntry.before,
    AuditEntry.after,
    AuditEntry.previous_hash,
    AuditEntry.entry_hash,
)
_HEX = frozenset("0123456789abcdef")


def _stored_hash(
    row: Row[*tuple[Any, ...]], *, as_id: int | None = None, previous_hash: str
) -> str:
    """The hash of a stored row's content, as if it had id ``as_id`` (default: its own)."""
    return entry_hash(
        entry_id=row.id if as_id is None else as_id,
        at=row.at,
        actor=row.actor,
        staff_id=row.staff_id,
        action=row.action,
        entity=row.entity,
        entity_id=row.entity_id,
        before=row.before,
        after=row.after,
        previous_hash=previous_hash,
    )


def _well_formed(value: str | None) -> bool:
    return value is not None and len(value) == 64 and set(value) <= _HEX


def verify_audit_chain(ctx: KioskContext, *, expected_hash: str | None = None) -> AuditVerification:
    """Walk the audit log in id order and check every entry against its hash and the one before.

    ``expected_hash`` is a hash kept elsewhere (an end-of-day report, a backup's note): when
    given, it must be the hash of an entry still in the log, which proves no entries were cut
    from the end since. Returns an :class:`AuditVerification`: intact, or the first entry that
    does not fit and how (edited, replaced, missing before it, reordered). Reads in one
    snapshot; memory stays small (rows are streamed). Raises only a database error. Waits as
    batch work does (the whole log is read, however long it is).
    """
    with ctx.db.read(BATCH) as s:
        walked = 0
        first_at: datetime | None = None
        last: Row[*tuple[Any, ...]] | None = None
        rows = s.execute(
            select(*_CHAIN_COLUMNS).order_by(AuditEntry.id).execution_options(yield_per=1000)
        )
        for row in rows:
            expected_previous = GENESIS_HASH if last is None else last.entry_hash
            fault = _fault_at(s, row, last, expected_previous)
            if fault is not None:
                rows.close()
                return AuditVerification(
                    entries=walked,
                    first_at=first_at,
                    last_at=None if last is None else last.at,
                    latest_hash=None if last is None else last.entry_hash,
                    broken_entry_id=fault[0],
                    fault=fault[1],
                    explanation=fault[2],
                )
            walked += 1
            first_at = first_at or row.at
            last = row
        verification = AuditVerification(
            entries=walked,
            first_at=first_at,
            last_at=None if last is None else last.at,
            latest_hash=None if last is None else last.entry_hash,
        )
        if expected_hash is not None:
            kept = expected_hash.strip().lower()
            if s.scalar(select(AuditEntry.id).where(AuditEntry.entry_hash == kept)) is None:
                return AuditVerification(
                    entries=walked,
                    first_at=verification.first_at,
                    last_at=verification.last_at,
                    latest_hash=verification.latest_hash,
                    broken_entry_id=None if last is None else last.id,
                    fault=ChainFault.MISSING,
                    explanation=(
                        f"No entry has the hash kept elsewhere ({kept[:16]}…): entries were "
                        "removed from the end of the log, or the log was rebuilt."
                    ),
                )
        return verification


def _fault_at(
    s: Session,
    row: Row[*tuple[Any, ...]],
    last: Row[*tuple[Any, ...]] | None,
    expected_previous: str | None,
) -> tuple[int, ChainFault, str] | None:
    """None when ``row`` fits after ``last``; otherwise (id of the first entry that does not
    fit, how, a plain sentence)."""
    if not (_well_formed(row.entry_hash) and _well_formed(row.previous_hash)):
        return (
            row.id,
            ChainFault.REPLACED,
            f"Entry {row.id} has no chain hash: it was written or replaced outside the "
            "application.",
        )
    if _stored_hash(row, previous_hash=row.previous_hash) != row.entry_hash:
        moved_from = _written_as(s, row)
        if moved_from is not None:
            return (
                row.id,
                ChainFault.REORDERED,
                f"Entry {row.id} holds what was written as entry {moved_from}: entries were "
                "reordered.",
            )
        return (
            row.id,
            ChainFault.EDITED,
            f"Entry {row.id} does not match its hash: it was edited after it was written.",
        )
    if row.previous_hash == expected_previous:
        return None
    found = s.scalar(select(AuditEntry.id).where(AuditEntry.entry_hash == row.previous_hash))
    if found is not None:
        return (
            row.id,
            ChainFault.REORDERED,
            f"Entry {row.id} was written after entry {found}, not where it stands now: "
            "entries were reordered.",
        )
    if last is None:
        return (
            row.id,
            ChainFault.MISSING,
            f"Entries before entry {row.id} (the first now) are missing: they were deleted.",
        )
    if row.id > last.id + 1:
        between = (
            f"entry {last.id + 1}"
            if row.id == last.id + 2
            else f"entries {last.id + 1}–{row.id - 1}"
        )
        return (
            row.id,
            ChainFault.MISSING,
            f"Entry {row.id} does not follow entry {last.id}: {between} is missing (deleted).",
        )
    return (
        last.id,
        ChainFault.REPLACED,
        f"Entry {last.id} is not the entry that entry {row.id} followed: it was replaced.",
    )


def _written_as(s: Session, row: Row[*tuple[Any, ...]]) -> int | None:
    """The id of the entry whose content ``row`` holds now (entries swapped), or None.

    Two ways to swap: the contents move between ids (``row``'s content then fits the other
    id's stored hashes), or the ids move between rows (``row``'s own hashes fit its content
    under the other id). Only called for an entry that does not match its hash, so the walk
    over every id costs a hash per entry once, on a broken log.
    """
    others = s.execute(
        select(AuditEntry.id, AuditEntry.previous_hash, AuditEntry.entry_hash)
        .where(AuditEntry.id != row.id)
        .order_by(AuditEntry.id)
        .execution_options(yield_per=1000)
    )
    for other in others:
        if other.previous_hash is not None and other.entry_hash == _stored_hash(
            row, as_id=other.id, previous_hash=other.previous_hash
        ):
            return int(other.id)
        if _stored_hash(row, as_id=other.id, previous_hash=row.previous_hash) == row.entry_hash:
            return int(other.id)
    return None
