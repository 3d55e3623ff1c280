"""Visitors: categories' phone-rules texts, visitors, visits, signed acknowledgements, the
alert list, visitor settings and the daily counts kept after personal data is purged.

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None

# The common schools' schedule keeps visitor books for the current year and six more.
DEFAULT_RETENTION_DAYS = 7 * 365
DEFAULT_IDLE_SECONDS = 90


def upgrade() -> None:
    op.create_table(
        "visitor_policy_text",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ux_visitor_policy_version", "visitor_policy_text", ["category", "version"], unique=True
    )

    op.create_table(
        "visitor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_visitor_name_key", "visitor", ["name_key"])

    op.create_table(
        "visitor_visit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visitor_id", sa.Integer(), sa.ForeignKey("visitor.id"), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("host_staff_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("host_name", sa.String(length=200), nullable=False),
        sa.Column("car_registration", sa.String(length=20), nullable=False),
        sa.Column("signed_in_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("signed_out_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("signed_out_by", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("signed_out_how", sa.String(length=10), nullable=True),
        sa.Column("id_checked", sa.Boolean(), nullable=False),
        sa.Column("dbs_assured", sa.Boolean(), nullable=False),
        sa.Column("escorted", sa.Boolean(), nullable=False),
        sa.Column("checks_by", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("badge_serial", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "signed_out_how IS NULL OR signed_out_how IN ('badge', 'desk')",
            name="visit_signed_out_how_known",
        ),
        sa.CheckConstraint(
            "escorted OR (id_checked AND dbs_assured)", name="visit_unescorted_checked"
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_visitor_visit_visitor_id", "visitor_visit", ["visitor_id"])
    op.create_index("ix_visitor_visit_signed_in_at", "visitor_visit", ["signed_in_at"])
    op.create_index(
        "ix_visitor_visit_on_site",
        "visitor_visit",
        ["signed_in_at"],
        sqlite_where=sa.text("signed_out_at IS NULL"),
        postgresql_where=sa.text("signed_out_at IS NULL"),
    )

    op.create_table(
        "visitor_acknowledgement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visitor_id", sa.Integer(), sa.ForeignKey("visitor.id"), nullable=False),
        sa.Column("visit_id", sa.Integer(), sa.ForeignKey("visitor_visit.id"), nullable=False),
        sa.Column(
            "policy_text_id",
            sa.Integer(),
            sa.ForeignKey("visitor_policy_text.id"),
            nullable=False,
        ),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("signature_png", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_visitor_acknowledgement_visitor_id", "visitor_acknowledgement", ["visitor_id"]
    )
    op.create_index("ix_visitor_acknowledgement_visit_id", "visitor_acknowledgement", ["visit_id"])

    op.create_table(
        "visitor_alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("removed_by", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_visitor_alert_name_key", "visitor_alert", ["name_key"])

    op.create_table(
        "visitor_alert_match",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), sa.ForeignKey("visitor_alert.id"), nullable=False),
        sa.Column(
            "visit_id",
            sa.Integer(),
            sa.ForeignKey("visitor_visit.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("signed_in_name", sa.String(length=200), nullable=False),
        sa.Column("matched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("seen_by", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_visitor_alert_match_alert_id", "visitor_alert_match", ["alert_id"])
    op.create_index("ix_visitor_alert_match_visit_id", "visitor_alert_match", ["visit_id"])
    op.create_index("ix_visitor_alert_match_matched_at", "visitor_alert_match", ["matched_at"])

    setting = op.create_table(
        "visitor_setting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("retention_days", sa.Integer(), nullable=False),
        sa.Column("idle_seconds", sa.Integer(), nullable=False),
        sa.Column("badge_printer", sa.String(length=200), nullable=False),
        sa.Column("badge_size", sa.String(length=10), nullable=False),
        sa.CheckConstraint("retention_days BETWEEN 30 AND 3660", name="visitor_retention_range"),
        sa.CheckConstraint("idle_seconds BETWEEN 15 AND 600", name="visitor_idle_range"),
        sa.CheckConstraint("badge_size IN ('a6', 'label62')", name="visitor_badge_size_known"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(
        setting,
        [
            {
                "id": 1,
                "retention_days": DEFAULT_RETENTION_DAYS,
                "idle_seconds": DEFAULT_IDLE_SECONDS,
                "badge_printer": "",
                "badge_size": "a6",
            }
        ],
    )

    op.create_table(
        "visitor_daily_count",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("visits", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "category"),
    )


def downgrade() -> None:
    op.drop_table("visitor_daily_count")
    op.drop_table("visitor_setting")
    op.drop_index("ix_visitor_alert_match_matched_at", table_name="visitor_alert_match")
    op.drop_index("ix_visitor_alert_match_visit_id", table_name="visitor_alert_match")
    op.drop_index("ix_visitor_alert_match_alert_id", table_name="visitor_alert_match")
    op.drop_table("visitor_alert_match")
    op.drop_index("ix_visitor_alert_name_key", table_name="visitor_alert")
    op.drop_table("visitor_alert")
    op.drop_index("ix_visitor_acknowledgement_visit_id", table_name="visitor_acknowledgement")
    op.drop_index("ix_visitor_acknowledgement_visitor_id", table_name="visitor_acknowledgement")
    op.drop_table("visitor_acknowledgement")
    op.drop_index(
        "ix_visitor_visit_on_site",
        table_name="visitor_visit",
        sqlite_where=sa.text("signed_out_at IS NULL"),
        postgresql_where=sa.text("signed_out_at IS NULL"),
    )
    op.drop_index("ix_visitor_visit_signed_in_at", table_name="visitor_visit")
    op.drop_index("ix_visitor_visit_visitor_id", table_name="visitor_visit")
    op.drop_table("visitor_visit")
    op.drop_index("ix_visitor_name_key", table_name="visitor")
    op.drop_table("visitor")
    op.drop_index("ux_visitor_policy_version", table_name="visitor_policy_text")
    op.drop_table("visitor_policy_text")
