"""Initial schema: school, day schedule, pupils, staff, arrangements, receptacles, phone
custody and the append-only audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "pupil",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("upn", sa.String(length=13), nullable=False),
        sa.Column("forename", sa.String(length=200), nullable=False),
        sa.Column("surname", sa.String(length=200), nullable=False),
        sa.Column("year_group", sa.String(length=10), nullable=False),
        sa.Column("form", sa.String(length=50), nullable=False),
        sa.Column("card_serial", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.CheckConstraint("status IN ('on_roll', 'left')", name="status_known"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("upn"),
    )
    with op.batch_alter_table("pupil", schema=None) as batch_op:
        batch_op.create_index("ix_pupil_surname", ["surname"], unique=False)

    op.create_table(
        "receptacle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("year_groups", sa.String(length=100), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint("capacity BETWEEN 1 AND 1000", name="capacity_range"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "release_window",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("starts", sa.Time(), nullable=False),
        sa.Column("ends", sa.Time(), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.CheckConstraint("starts < ends", name="starts_before_ends"),
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "school",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("card_code", sa.String(length=4), nullable=False),
        sa.Column("card_key_check", sa.String(length=16), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("permission_years", sa.String(length=100), nullable=False),
        sa.Column("printer_a4", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "school_day",
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("opens", sa.Time(), nullable=False),
        sa.Column("closes", sa.Time(), nullable=False),
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        sa.PrimaryKeyConstraint("weekday"),
    )
    op.create_table(
        "staff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("pin_hash", sa.String(length=200), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint("role IN ('receptionist', 'manager')", name="role_known"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "arrangement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("conditions", sa.Text(), nullable=False),
        sa.Column("agreed_by", sa.String(length=200), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("review_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.CheckConstraint("kind IN ('permission', 'exemption')", name="kind_known"),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupil.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("arrangement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_arrangement_pupil_id"), ["pupil_id"], unique=False)

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=50), nullable=False),
        sa.Column("entity", sa.String(length=50), nullable=False),
        sa.Column("entity_id", sa.String(length=50), nullable=False),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_entity", ["entity", "entity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)

    op.create_table(
        "phone_custody",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("receptacle_id", sa.Integer(), nullable=True),
        sa.Column("slot", sa.Integer(), nullable=True),
        sa.Column("location", sa.String(length=100), nullable=False),
        sa.Column("handed_in_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("handed_in_by", sa.Integer(), nullable=True),
        sa.Column("no_permission", sa.Boolean(), nullable=False),
        sa.Column("collected_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("collected_by", sa.Integer(), nullable=True),
        sa.Column("early_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["collected_by"],
            ["staff.id"],
        ),
        sa.ForeignKeyConstraint(
            ["handed_in_by"],
            ["staff.id"],
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupil.id"],
        ),
        sa.ForeignKeyConstraint(
            ["receptacle_id"],
            ["receptacle.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("phone_custody", schema=None) as batch_op:
        batch_op.create_index("ix_custody_handed_in_at", ["handed_in_at"], unique=False)
        batch_op.create_index("ix_custody_pupil", ["pupil_id", "handed_in_at"], unique=False)
        batch_op.create_index(
            "ux_custody_open_pupil",
            ["pupil_id"],
            unique=True,
            sqlite_where=sa.text("collected_at IS NULL"),
            postgresql_where=sa.text("collected_at IS NULL"),
        )
        batch_op.create_index(
            "ux_custody_open_slot",
            ["receptacle_id", "slot"],
            unique=True,
            sqlite_where=sa.text("collected_at IS NULL AND slot IS NOT NULL"),
            postgresql_where=sa.text("collected_at IS NULL AND slot IS NOT NULL"),
        )

    op.create_table(
        "custody_outcome",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("custody_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=30), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["custody_id"],
            ["phone_custody.id"],
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"],
            ["staff.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("custody_outcome", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_custody_outcome_custody_id"), ["custody_id"], unique=False
        )
    _make_audit_log_append_only()


def _make_audit_log_append_only() -> None:
    """The audit log may only grow: the database itself refuses UPDATE and DELETE."""
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
                "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
            )
    else:
        op.execute(
            "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")

    with op.batch_alter_table("custody_outcome", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_custody_outcome_custody_id"))

    op.drop_table("custody_outcome")
    with op.batch_alter_table("phone_custody", schema=None) as batch_op:
        batch_op.drop_index(
            "ux_custody_open_slot",
            sqlite_where=sa.text("collected_at IS NULL AND slot IS NOT NULL"),
            postgresql_where=sa.text("collected_at IS NULL AND slot IS NOT NULL"),
        )
        batch_op.drop_index(
            "ux_custody_open_pupil",
            sqlite_where=sa.text("collected_at IS NULL"),
            postgresql_where=sa.text("collected_at IS NULL"),
        )
        batch_op.drop_index("ix_custody_pupil")
        batch_op.drop_index("ix_custody_handed_in_at")

    op.drop_table("phone_custody")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))
        batch_op.drop_index("ix_audit_entity")

    op.drop_table("audit_log")
    with op.batch_alter_table("arrangement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_arrangement_pupil_id"))

    op.drop_table("arrangement")
    op.drop_table("staff")
    op.drop_table("school_day")
    op.drop_table("school")
    op.drop_table("release_window")
    op.drop_table("receptacle")
    with op.batch_alter_table("pupil", schema=None) as batch_op:
        batch_op.drop_index("ix_pupil_surname")

    op.drop_table("pupil")
