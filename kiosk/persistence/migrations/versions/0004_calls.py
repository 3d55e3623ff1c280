"""Calls and messages: staff directory fields, the school day's periods, term dates and
closures, educational visits, telephone messages, the mail outbox, the telephone log and
the outgoing mail server settings.

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from datetime import time

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0001"
branch_labels = None
depends_on = None

# A typical secondary day, Monday to Friday; the school changes it in the desk window.
_DEFAULT_PERIODS = (
    ("Registration", "period", time(8, 40), time(9, 0)),
    ("Period 1", "period", time(9, 0), time(10, 0)),
    ("Period 2", "period", time(10, 0), time(11, 0)),
    ("Break", "break", time(11, 0), time(11, 20)),
    ("Period 3", "period", time(11, 20), time(12, 20)),
    ("Lunch", "lunch", time(12, 20), time(13, 10)),
    ("Period 4", "period", time(13, 10), time(14, 10)),
    ("Period 5", "period", time(14, 10), time(15, 10)),
    ("End of day", "end_of_day", time(15, 10), time(15, 30)),
)


def upgrade() -> None:
    with op.batch_alter_table("staff", schema=None) as batch_op:
        for name, length in (
            ("job_title", 200),
            ("initials", 10),
            ("pigeonhole", 50),
            ("email", 254),
            ("extension", 20),
            ("mobile", 30),
        ):
            batch_op.add_column(
                sa.Column(name, sa.String(length=length), nullable=False, server_default="")
            )

    period = op.create_table(
        "school_period",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("starts", sa.Time(), nullable=False),
        sa.Column("ends", sa.Time(), nullable=False),
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name="period_weekday_range"),
        sa.CheckConstraint(
            "kind IN ('period', 'break', 'lunch', 'end_of_day')", name="period_kind_known"
        ),
        sa.CheckConstraint("starts < ends", name="period_starts_before_ends"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_school_period_weekday", "school_period", ["weekday", "starts"])
    op.bulk_insert(
        period,
        [
            {"weekday": weekday, "name": name, "kind": kind, "starts": starts, "ends": ends}
            for weekday in range(5)
            for name, kind, starts, ends in _DEFAULT_PERIODS
        ],
    )

    op.create_table(
        "term_dates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.CheckConstraint("starts_on <= ends_on", name="term_starts_before_ends"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "closure_day",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("day"),
    )
    op.create_table(
        "educational_visit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("destination", sa.String(length=200), nullable=False),
        sa.Column("leaves_at", sa.Time(), nullable=True),
        sa.Column("returns_at", sa.Time(), nullable=True),
        sa.Column("lead_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("lead_mobile", sa.String(length=30), nullable=False),
        sa.Column("deputy_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("deputy_mobile", sa.String(length=30), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("cancelled", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_educational_visit_on_date", "educational_visit", ["on_date"])
    op.create_table(
        "visit_staff",
        sa.Column("visit_id", sa.Integer(), sa.ForeignKey("educational_visit.id"), nullable=False),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=False),
        sa.PrimaryKeyConstraint("visit_id", "staff_id"),
    )
    op.create_table(
        "phone_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("taken_by", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("for_staff_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("for_name", sa.String(length=200), nullable=False),
        sa.Column("caller_name", sa.String(length=200), nullable=False),
        sa.Column("caller_number", sa.String(length=40), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("urgency", sa.String(length=10), nullable=False),
        sa.Column("route", sa.String(length=10), nullable=False),
        sa.Column("visit_id", sa.Integer(), sa.ForeignKey("educational_visit.id"), nullable=True),
        sa.Column("call_back", sa.Boolean(), nullable=False),
        sa.Column("will_call_again", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("held_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("passed_on_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("passed_on_by", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("passed_on_how", sa.String(length=30), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("emailed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("printed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("urgency IN ('urgent', 'can_wait')", name="message_urgency_known"),
        sa.CheckConstraint("route IN ('desk', 'visit')", name="message_route_known"),
        sa.CheckConstraint("state IN ('open', 'passed_on')", name="message_state_known"),
        sa.CheckConstraint(
            "state = 'open' OR (passed_on_at IS NOT NULL AND passed_on_by IS NOT NULL "
            "AND passed_on_how IS NOT NULL)",
            name="message_passed_on_complete",
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_phone_message_taken_at", "phone_message", ["taken_at"])
    op.create_index("ix_phone_message_state", "phone_message", ["state", "held_until"])
    op.create_table(
        "mail_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("to_address", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("message_id", sa.Integer(), sa.ForeignKey("phone_message.id"), nullable=True),
        sa.Column("queued_by", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("state IN ('queued', 'sent')", name="mail_state_known"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_mail_outbox_state", "mail_outbox", ["state"])
    op.create_table(
        "telephone_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("called_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("pupil_id", sa.Integer(), sa.ForeignKey("pupil.id"), nullable=True),
        sa.Column("contact", sa.String(length=200), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("phone_used", sa.String(length=20), nullable=False),
        sa.Column("number_withheld", sa.Boolean(), nullable=False),
        sa.Column("permitted_by", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.CheckConstraint("kind IN ('parent', 'personal', 'emergency')", name="call_kind_known"),
        sa.CheckConstraint(
            "phone_used IN ('school_landline', 'work_mobile', 'personal')",
            name="call_phone_known",
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_telephone_log_called_at", "telephone_log", ["called_at"])
    op.create_table(
        "smtp_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("host", sa.String(length=200), nullable=False),
        sa.Column("port", sa.Integer(), nullable=False),
        sa.Column("starttls", sa.Boolean(), nullable=False),
        sa.Column("username", sa.String(length=200), nullable=False),
        sa.Column("password", sa.String(length=200), nullable=False),
        sa.Column("from_address", sa.String(length=254), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    for table in (
        "smtp_settings",
        "telephone_log",
        "mail_outbox",
        "phone_message",
        "visit_staff",
        "educational_visit",
        "closure_day",
        "term_dates",
        "school_period",
    ):
        op.drop_table(table)
    with op.batch_alter_table("staff", schema=None) as batch_op:
        for name in ("mobile", "extension", "email", "pigeonhole", "initials", "job_title"):
            batch_op.drop_column(name)
