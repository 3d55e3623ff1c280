"""Confiscations: parents and carers, confiscated devices with their chain of custody,
releases with signatures, and the school's choice of who devices go back to.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("relationship", sa.String(length=100), nullable=False),
        sa.Column("phone", sa.String(length=50), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("may_collect", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["pupil_id"], ["pupil.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.create_index("ix_contact_pupil_id", ["pupil_id"], unique=False)

    op.create_table(
        "confiscation_setting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("release_to", sa.String(length=10), nullable=False),
        sa.CheckConstraint("release_to IN ('parent', 'pupil')", name="release_known"),
        sa.PrimaryKeyConstraint("id"),
    )

    op.create_table(
        "confiscation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("device", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("confiscated_by", sa.Integer(), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("location", sa.String(length=100), nullable=False),
        sa.Column("bag_number", sa.String(length=50), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.CheckConstraint(
            "reason IN ('lesson', 'recording', 'bullying', 'other')", name="reason_known"
        ),
        sa.CheckConstraint("status IN ('held', 'dsl', 'police', 'released')", name="status_known"),
        sa.ForeignKeyConstraint(["pupil_id"], ["pupil.id"]),
        sa.ForeignKeyConstraint(["confiscated_by"], ["staff.id"]),
        sa.ForeignKeyConstraint(["recorded_by"], ["staff.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("confiscation", schema=None) as batch_op:
        batch_op.create_index("ix_confiscation_pupil_id", ["pupil_id"], unique=False)
        batch_op.create_index("ix_confiscation_taken_at", ["taken_at"], unique=False)
        batch_op.create_index("ix_confiscation_status", ["status"], unique=False)

    op.create_table(
        "confiscation_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("confiscation_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("staff_name", sa.String(length=200), nullable=False),
        sa.Column("location", sa.String(length=100), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("officer_name", sa.String(length=200), nullable=False),
        sa.Column("officer_reference", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["confiscation_id"], ["confiscation.id"]),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("confiscation_event", schema=None) as batch_op:
        batch_op.create_index(
            "ix_confiscation_event_confiscation_id", ["confiscation_id"], unique=False
        )
        batch_op.create_index("ix_confiscation_event_at", ["at"], unique=False)

    op.create_table(
        "confiscation_release",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("confiscation_id", sa.Integer(), nullable=False),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("released_by", sa.Integer(), nullable=True),
        sa.Column("to_pupil", sa.Boolean(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("collector_name", sa.String(length=200), nullable=False),
        sa.Column("relationship", sa.String(length=100), nullable=False),
        sa.Column("id_checked", sa.Boolean(), nullable=False),
        sa.Column("signature_png", sa.LargeBinary(), nullable=False),
        sa.Column("override_by", sa.Integer(), nullable=True),
        sa.Column("override_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["confiscation_id"], ["confiscation.id"]),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["released_by"], ["staff.id"]),
        sa.ForeignKeyConstraint(["override_by"], ["staff.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("confiscation_id"),
    )


def downgrade() -> None:
    op.drop_table("confiscation_release")
    with op.batch_alter_table("confiscation_event", schema=None) as batch_op:
        batch_op.drop_index("ix_confiscation_event_at")
        batch_op.drop_index("ix_confiscation_event_confiscation_id")
    op.drop_table("confiscation_event")
    with op.batch_alter_table("confiscation", schema=None) as batch_op:
        batch_op.drop_index("ix_confiscation_status")
        batch_op.drop_index("ix_confiscation_taken_at")
        batch_op.drop_index("ix_confiscation_pupil_id")
    op.drop_table("confiscation")
    op.drop_table("confiscation_setting")
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_index("ix_contact_pupil_id")
    op.drop_table("contact")
