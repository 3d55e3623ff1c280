"""The audit log becomes a hash chain: each entry stores the previous entry's hash and its
own; entries already written are chained in id order. SQLite also refuses an INSERT that
would replace an existing entry, and PostgreSQL refuses TRUNCATE.

Revision ID: 0005
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from kiosk.persistence.audit_chain import GENESIS_HASH, entry_hash
from kiosk.persistence.models import UTCDateTime

revision = "0005"
down_revision = "0001"
branch_labels = None
depends_on = None

_audit_log = sa.table(
    "audit_log",
    sa.column("id", sa.Integer()),
    sa.column("at", UTCDateTime()),
    sa.column("actor", sa.String()),
    sa.column("staff_id", sa.Integer()),
    sa.column("action", sa.String()),
    sa.column("entity", sa.String()),
    sa.column("entity_id", sa.String()),
    sa.column("before", sa.Text()),
    sa.column("after", sa.Text()),
    sa.column("previous_hash", sa.String()),
    sa.column("entry_hash", sa.String()),
)

# REPLACE deletes the old row and inserts the new one, and with recursive_triggers off (the
# default) the delete fires no DELETE trigger; a BEFORE INSERT trigger does fire first, so
# it refuses an id that is already there.
_SQLITE_NO_REPLACE = (
    "CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log "
    "WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id) "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
)


def upgrade() -> None:
    # Plain ALTER TABLE (not batch): SQLite rebuilding the table would drop its triggers.
    op.add_column("audit_log", sa.Column("previous_hash", sa.String(length=64), nullable=True))
    op.add_column("audit_log", sa.Column("entry_hash", sa.String(length=64), nullable=True))
    sqlite = op.get_bind().dialect.name == "sqlite"
    # The append-only triggers refuse the UPDATE that chains existing entries: lift the
    # UPDATE one for the length of this transaction only.
    if sqlite:
        op.execute("DROP TRIGGER audit_log_no_update")
    else:
        op.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")
    _chain_existing_entries()
    if sqlite:
        op.execute(
            "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
            "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
        )
        op.execute(_SQLITE_NO_REPLACE)
    else:
        op.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only")
        op.execute(
            "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()"
        )


def _chain_existing_entries() -> None:
    """Chain the entries written before this revision, in id order, from the genesis hash."""
    bind = op.get_bind()
    previous = GENESIS_HASH
    rows = bind.execute(sa.select(_audit_log).order_by(_audit_log.c.id)).all()
    for row in rows:
        current = entry_hash(
            entry_id=row.id,
            at=row.at,
            actor=row.actor,
            staff_id=row.staff_id,
            action=row.action,
            entity=row.entity,
            entity_id=row.entity_id,
            before=row.before,
            after=row.after,
            previous_hash=previous,
        )
        bind.execute(
            sa.update(_audit_log)
            .where(_audit_log.c.id == row.id)
            .values(previous_hash=previous, entry_hash=current)
        )
        previous = current


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_replace")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
    # Plain ALTER TABLE DROP COLUMN (SQLite 3.35+), again to keep the triggers.
    op.drop_column("audit_log", "entry_hash")
    op.drop_column("audit_log", "previous_hash")
