"""Contact verification: whether a parent or carer is the school's record (imported from the
MIS, or confirmed by a manager's PIN) or was only typed in at the desk.

Revision ID: 0007
Revises: 0002
Create Date: 2026-11-29

Existing contacts are decided from the audit log, which holds every change to a contact
(entity "contact"): replaying a contact's entries in order, an entry written by the contact
import (its "after" says ``"via": "contact import"``) makes it verified; an entry written at
the desk that creates it, changes its name, or turns "may collect" on makes it unverified;
other desk changes (phone, email, relationship) leave it as it was. A contact with no entry
at all is unverified. Imported contacts keep no ``verified_by`` (the MIS vouches for them);
their ``verified_at`` is the time of the import entry that verified them.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0002"
branch_labels = None
depends_on = None

IMPORT_MARK = "contact import"


def _json(text: str | None) -> dict[str, Any]:
    """An audit entry's before or after state; {} when empty or unreadable."""
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _verified_from_audit(
    entries: list[tuple[str, str | None, str | None, datetime]],
) -> tuple[bool, datetime | None]:
    """Replay one contact's audit entries (action, before, after, at), oldest first; returns
    whether it ends verified and, if so, when."""
    verified, at = False, None
    for action, before_text, after_text, when in entries:
        before, after = _json(before_text), _json(after_text)
        if after.get("via") == IMPORT_MARK:
            verified, at = True, when
        elif action == "create":
            verified, at = False, None
        elif action == "update":
            renamed = before.get("name") != after.get("name")
            allowed = bool(after.get("may_collect")) and not before.get("may_collect")
            if renamed or allowed:
                verified, at = False, None
    return verified, at


def upgrade() -> None:
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("verified", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("verified_by", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            "fk_contact_verified_by_staff", "staff", ["verified_by"], ["id"]
        )
    with op.batch_alter_table("contact", schema=None) as batch_op:
        # The models give the default; the server default only filled the existing rows.
        batch_op.alter_column("verified", server_default=None)

    conn = op.get_bind()
    audit = sa.table(
        "audit_log",
        sa.column("id", sa.Integer()),
        sa.column("at", sa.DateTime(timezone=True)),
        sa.column("action", sa.String()),
        sa.column("entity", sa.String()),
        sa.column("entity_id", sa.String()),
        sa.column("before", sa.Text()),
        sa.column("after", sa.Text()),
    )
    contact = sa.table(
        "contact",
        sa.column("id", sa.Integer()),
        sa.column("verified", sa.Boolean()),
        sa.column("verified_at", sa.DateTime(timezone=True)),
    )
    by_contact: dict[str, list[tuple[str, str | None, str | None, datetime]]] = {}
    rows = conn.execute(
        sa.select(audit.c.entity_id, audit.c.action, audit.c.before, audit.c.after, audit.c.at)
        .where(audit.c.entity == "contact")
        .order_by(audit.c.id)
    )
    for entity_id, action, before, after, at in rows:
        by_contact.setdefault(str(entity_id), []).append((action, before, after, at))
    for (contact_id,) in conn.execute(sa.select(contact.c.id)):
        verified, at = _verified_from_audit(by_contact.get(str(contact_id), []))
        if verified:
            conn.execute(
                sa.update(contact)
                .where(contact.c.id == contact_id)
                .values(verified=True, verified_at=at)
            )


def downgrade() -> None:
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_constraint("fk_contact_verified_by_staff", type_="foreignkey")
        batch_op.drop_column("verified_at")
        batch_op.drop_column("verified_by")
        batch_op.drop_column("verified")
