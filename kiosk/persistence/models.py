"""The tables, as SQLAlchemy 2 typed models. The schema itself is owned by the migrations."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC; always hands back timezone-aware UTC datetimes, on SQLite too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):  # type: ignore[override]
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):  # type: ignore[override]
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    pass


class School(Base):
    """The one school this database belongs to (a single row, id 1)."""

    __tablename__ = "school"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Four base32 characters printed into every card; a card from another school differs.
    card_code: Mapped[str] = mapped_column(String(4))
    # A fingerprint of the card key file, to notice a database opened with the wrong key.
    card_key_check: Mapped[str] = mapped_column(String(16))
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/London")
    # Year groups whose pupils need written permission to bring a phone ("" = none, "*" = all).
    permission_years: Mapped[str] = mapped_column(String(100), default="")
    printer_a4: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SchoolDay(Base):
    """Opening hours for one weekday (0 = Monday); a weekday without a row is closed."""

    __tablename__ = "school_day"

    weekday: Mapped[int] = mapped_column(Integer, primary_key=True)
    opens: Mapped[time] = mapped_column(Time)
    closes: Mapped[time] = mapped_column(Time)

    __table_args__ = (CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),)


class ReleaseWindow(Base):
    """A time on a weekday when pupils may collect their phones by scanning."""

    __tablename__ = "release_window"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    weekday: Mapped[int] = mapped_column(Integer)
    starts: Mapped[time] = mapped_column(Time)
    ends: Mapped[time] = mapped_column(Time)
    label: Mapped[str] = mapped_column(String(100))

    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint("starts < ends", name="starts_before_ends"),
    )


class Pupil(Base):
    __tablename__ = "pupil"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    upn: Mapped[str] = mapped_column(String(13), unique=True)
    forename: Mapped[str] = mapped_column(String(200))
    surname: Mapped[str] = mapped_column(String(200))
    year_group: Mapped[str] = mapped_column(String(10))
    form: Mapped[str] = mapped_column(String(50))
    # The serial printed on the pupil's current card; reissuing a card increments it.
    card_serial: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(10), default="on_roll")
    left_on: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (
        CheckConstraint("status IN ('on_roll', 'left')", name="status_known"),
        Index("ix_pupil_surname", "surname"),
    )


class Staff(Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    pin_hash: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    __table_args__ = (CheckConstraint("role IN ('receptionist', 'manager')", name="role_known"),)


class Arrangement(Base):
    """A permission to bring a phone, or an exception to the rules, agreed for one pupil."""

    __tablename__ = "arrangement"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    conditions: Mapped[str] = mapped_column(Text, default="")
    agreed_by: Mapped[str] = mapped_column(String(200), default="")
    starts_on: Mapped[date] = mapped_column(Date)
    review_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (CheckConstraint("kind IN ('permission', 'exemption')", name="kind_known"),)


class Receptacle(Base):
    """A named tray, box or locker bank with numbered slots 1..capacity."""

    __tablename__ = "receptacle"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    capacity: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Optional tie to year groups, e.g. "7,8": those pupils are placed here first.
    year_groups: Mapped[str] = mapped_column(String(100), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    __table_args__ = (CheckConstraint("capacity BETWEEN 1 AND 1000", name="capacity_range"),)


class PhoneCustody(Base):
    """One phone handed in by one pupil, from hand-in until it is given back."""

    __tablename__ = "phone_custody"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id"))
    receptacle_id: Mapped[int | None] = mapped_column(ForeignKey("receptacle.id"))
    slot: Mapped[int | None] = mapped_column(Integer)
    # Where the phone is when it is not in a slot (e.g. "Safe" overnight).
    location: Mapped[str] = mapped_column(String(100), default="")
    handed_in_at: Mapped[datetime] = mapped_column(UTCDateTime)
    handed_in_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    no_permission: Mapped[bool] = mapped_column(Boolean, default=False)
    collected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    collected_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    early_reason: Mapped[str | None] = mapped_column(Text)

    pupil: Mapped[Pupil] = relationship()
    receptacle: Mapped[Receptacle | None] = relationship()
    outcomes: Mapped[list[CustodyOutcome]] = relationship(order_by="CustodyOutcome.id")

    __table_args__ = (
        # At most one phone per pupil held at a time, and never two phones in one slot;
        # the database enforces both, so two desks cannot race past them.
        Index(
            "ux_custody_open_pupil",
            "pupil_id",
            unique=True,
            sqlite_where=text("collected_at IS NULL"),
            postgresql_where=text("collected_at IS NULL"),
        ),
        Index(
            "ux_custody_open_slot",
            "receptacle_id",
            "slot",
            unique=True,
            sqlite_where=text("collected_at IS NULL AND slot IS NOT NULL"),
            postgresql_where=text("collected_at IS NULL AND slot IS NOT NULL"),
        ),
        Index("ix_custody_handed_in_at", "handed_in_at"),
        Index("ix_custody_pupil", "pupil_id", "handed_in_at"),
    )


class CustodyOutcome(Base):
    """What the office did about a phone still held at closing time."""

    __tablename__ = "custody_outcome"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    custody_id: Mapped[int] = mapped_column(ForeignKey("phone_custody.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))


class AuditEntry(Base):
    """Append-only record of every change: who, when, what, before and after (JSON)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    action: Mapped[str] = mapped_column(String(50))
    entity: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[str] = mapped_column(String(50))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"),)
