"""The mail outbox claims each email before sending it, so two desks never both send it:
who claimed it and when, and two more states, "sending" (claimed, being sent) and
"uncertain" (a desk died or the connection broke after the message went, so whether it
arrived is unknown; it is never sent again without a person deciding).

Revision ID: 0008
Revises: 0004
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0004"
branch_labels = None
depends_on = None

_STATES_BEFORE = "state IN ('queued', 'sent')"
_STATES_AFTER = "state IN ('queued', 'sending', 'sent', 'uncertain')"


def upgrade() -> None:
    with op.batch_alter_table("mail_outbox", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("claimed_by", sa.String(length=100), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_constraint("mail_state_known", type_="check")
        batch_op.create_check_constraint("mail_state_known", _STATES_AFTER)


def downgrade() -> None:
    # An email whose delivery is uncertain or under way goes back to waiting: going back to
    # the older schema loses that knowledge, so the desk shows it as still to send.
    op.execute("UPDATE mail_outbox SET state = 'queued' WHERE state IN ('sending', 'uncertain')")
    with op.batch_alter_table("mail_outbox", schema=None) as batch_op:
        batch_op.drop_constraint("mail_state_known", type_="check")
        batch_op.create_check_constraint("mail_state_known", _STATES_BEFORE)
        batch_op.drop_column("claimed_at")
        batch_op.drop_column("claimed_by")
