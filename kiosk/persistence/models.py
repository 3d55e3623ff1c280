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
    LargeBinary,
    String,
    Text,
    Time,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from kiosk.text import names_key


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC; always hands back timezone-aware UTC datetimes, on SQLite too. A naive
    datetime is refused with ValueError: its time zone would be a guess."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """The declarative base every table model derives from (one metadata for the schema)."""

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
    """A pupil from the MIS import, on roll or left (kept for the records, never deleted)."""

    __tablename__ = "pupil"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The DfE UPN; None for a pupil of a school without UPNs (identified by the MIS's own
    # identifier: id_scheme and identifier).
    upn: Mapped[str | None] = mapped_column(String(13), unique=True)
    forename: Mapped[str] = mapped_column(String(200))  # legal forename
    surname: Mapped[str] = mapped_column(String(200))  # legal surname
    # Preferred ("known as") names from the MIS; "" when the legal name is used.
    known_forename: Mapped[str] = mapped_column(String(200), default="")
    known_surname: Mapped[str] = mapped_column(String(200), default="")
    # Every name the pupil goes by, folded for search (kiosk.text.names_key); kept in step
    # with the names on every insert and update (see set_pupil_keys below).
    name_key: Mapped[str] = mapped_column(String(1000), default="")
    # Which identifier the MIS import matches the pupil on, and its value: ("upn", the UPN),
    # or ("scn" | "admission_number" | "mis_id", the MIS's own identifier). Unique together,
    # so an admission number can never be taken for another school's SCN or a UPN.
    id_scheme: Mapped[str] = mapped_column(String(20), default="upn")
    identifier: Mapped[str] = mapped_column(String(40), default="")
    year_group: Mapped[str] = mapped_column(String(10))
    form: Mapped[str] = mapped_column(String(50))
    # The serial printed on the pupil's current card; reissuing a card increments it.
    card_serial: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(10), default="on_roll")
    left_on: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (
        CheckConstraint("status IN ('on_roll', 'left')", name="status_known"),
        CheckConstraint(
            "id_scheme IN ('upn', 'scn', 'admission_number', 'mis_id')", name="id_scheme_known"
        ),
        UniqueConstraint("id_scheme", "identifier", name="uq_pupil_identity"),
        Index("ix_pupil_surname", "surname"),
    )


@event.listens_for(Pupil, "before_insert")
@event.listens_for(Pupil, "before_update")
def set_pupil_keys(_mapper: object, _connection: object, pupil: Pupil) -> None:
    """Keep a pupil's search key and identifier in step with what is stored: the folded
    legal and preferred names (:func:`kiosk.text.names_key`), and the UPN as the identifier
    of a pupil identified by UPN. Runs on every insert and update; never raises."""
    pupil.name_key = names_key(
        f"{pupil.forename} {pupil.surname}",
        f"{pupil.known_forename or pupil.forename} {pupil.known_surname or pupil.surname}",
    )
    if (pupil.id_scheme or "upn") == "upn" and pupil.upn:
        pupil.id_scheme, pupil.identifier = "upn", pupil.upn


class Staff(Base):
    """A member of staff: a desk user when they have a PIN, and a directory entry always."""

    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    pin_hash: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Staff directory (calls and messages); staff without a PIN are in the directory only.
    job_title: Mapped[str] = mapped_column(String(200), default="")
    initials: Mapped[str] = mapped_column(String(10), default="")
    pigeonhole: Mapped[str] = mapped_column(String(50), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    extension: Mapped[str] = mapped_column(String(20), default="")
    mobile: Mapped[str] = mapped_column(String(30), default="")

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
    """Append-only record of every change: who, when, what, before and after (JSON),
    chained by hashes so that a change after the fact is noticed."""

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
    # The hash chain (kiosk/persistence/audit_chain.py): the previous entry's hash and a
    # SHA-256 over this entry and it, 64 hex digits each. Nullable because SQLite can add a
    # NOT NULL column only by rebuilding the table; the application always writes both, and
    # ``kiosk audit verify`` names a row without them as replaced.
    previous_hash: Mapped[str | None] = mapped_column(String(64))
    entry_hash: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"),)


# --- Calls and messages ---------------------------------------------------------------------


class SchoolPeriod(Base):
    """One part of the school day on one weekday: a lesson, a break, lunch or end of day."""

    __tablename__ = "school_period"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    weekday: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    starts: Mapped[time] = mapped_column(Time)
    ends: Mapped[time] = mapped_column(Time)

    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="period_weekday_range"),
        CheckConstraint(
            "kind IN ('period', 'break', 'lunch', 'end_of_day')", name="period_kind_known"
        ),
        CheckConstraint("starts < ends", name="period_starts_before_ends"),
        Index("ix_school_period_weekday", "weekday", "starts"),
    )


class TermDates(Base):
    """A term: the school is open on its weekdays with periods, between these dates."""

    __tablename__ = "term_dates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)

    __table_args__ = (CheckConstraint("starts_on <= ends_on", name="term_starts_before_ends"),)


class ClosureDay(Base):
    """A day inside a term when the school is closed (training day, bank holiday, snow)."""

    __tablename__ = "closure_day"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    reason: Mapped[str] = mapped_column(String(200), default="")


class EducationalVisit(Base):
    """A trip out of school: staff on it are out for the day, reachable through the lead."""

    __tablename__ = "educational_visit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    on_date: Mapped[date] = mapped_column(Date, index=True)
    destination: Mapped[str] = mapped_column(String(200))
    leaves_at: Mapped[time | None] = mapped_column(Time)
    returns_at: Mapped[time | None] = mapped_column(Time)
    lead_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    lead_mobile: Mapped[str] = mapped_column(String(30))
    deputy_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    deputy_mobile: Mapped[str] = mapped_column(String(30), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)


class VisitStaff(Base):
    """A member of staff attending a visit (the lead and deputy are listed here too)."""

    __tablename__ = "visit_staff"

    visit_id: Mapped[int] = mapped_column(ForeignKey("educational_visit.id"), primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), primary_key=True)


class PhoneMessage(Base):
    """A message taken on the school landline for a member of staff or a visitor on site."""

    __tablename__ = "phone_message"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    taken_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    for_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    # A visitor on site (or anyone not in the directory), by name as typed.
    for_name: Mapped[str] = mapped_column(String(200))
    caller_name: Mapped[str] = mapped_column(String(200))
    caller_number: Mapped[str] = mapped_column(String(40), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    urgency: Mapped[str] = mapped_column(String(10))
    # "desk": pass on in school; "visit": the person is out on an educational visit.
    route: Mapped[str] = mapped_column(String(10), default="desk")
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("educational_visit.id"))
    call_back: Mapped[bool] = mapped_column(Boolean, default=False)
    will_call_again: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(12), default="open")
    held_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    passed_on_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    passed_on_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    passed_on_how: Mapped[str | None] = mapped_column(String(30))
    outcome: Mapped[str] = mapped_column(Text, default="")
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint("urgency IN ('urgent', 'can_wait')", name="message_urgency_known"),
        CheckConstraint("route IN ('desk', 'visit')", name="message_route_known"),
        CheckConstraint("state IN ('open', 'passed_on')", name="message_state_known"),
        # Passed on means by someone, at a time, in some way: never by nobody.
        CheckConstraint(
            "state = 'open' OR (passed_on_at IS NOT NULL AND passed_on_by IS NOT NULL "
            "AND passed_on_how IS NOT NULL)",
            name="message_passed_on_complete",
        ),
        Index("ix_phone_message_state", "state", "held_until"),
    )


class MailOutbox(Base):
    """An email waiting to go (or gone). A failed send stays here to be tried again; one
    whose delivery is uncertain waits for a person to decide."""

    __tablename__ = "mail_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("phone_message.id"))
    queued_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    state: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Who is sending it (a desk's name) and since when: a claim keeps a second desk from
    # sending the same email; one left "sending" too long makes its delivery "uncertain".
    claimed_by: Mapped[str] = mapped_column(String(100), default="", server_default="")
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint(
            "state IN ('queued', 'sending', 'sent', 'uncertain')", name="mail_state_known"
        ),
        Index("ix_mail_outbox_state", "state"),
    )


class TelephoneLog(Base):
    """A call on record: to a parent or carer, a personal call on a school phone, or an
    emergency call made from a personal device (recorded as an incident)."""

    __tablename__ = "telephone_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    called_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    pupil_id: Mapped[int | None] = mapped_column(ForeignKey("pupil.id"))
    contact: Mapped[str] = mapped_column(String(200), default="")
    number: Mapped[str] = mapped_column(String(40), default="")
    phone_used: Mapped[str] = mapped_column(String(20))
    number_withheld: Mapped[bool] = mapped_column(Boolean, default=False)
    permitted_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    purpose: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))

    __table_args__ = (
        CheckConstraint("kind IN ('parent', 'personal', 'emergency')", name="call_kind_known"),
        CheckConstraint(
            "phone_used IN ('school_landline', 'work_mobile', 'personal')",
            name="call_phone_known",
        ),
    )


class SmtpSettings(Base):
    """The outgoing mail server (one row, id 1). The password, if any, is kept here in the
    database: protect the database file or server accordingly."""

    __tablename__ = "smtp_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    host: Mapped[str] = mapped_column(String(200), default="")
    port: Mapped[int] = mapped_column(Integer, default=587)
    starttls: Mapped[bool] = mapped_column(Boolean, default=True)
    username: Mapped[str] = mapped_column(String(200), default="")
    password: Mapped[str] = mapped_column(String(200), default="")
    from_address: Mapped[str] = mapped_column(String(254), default="")


# --- Confiscations, contacts and release to parents and carers ------------------------------


class Contact(Base):
    """A parent or carer of a pupil, as the school's records list them."""

    __tablename__ = "contact"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    relationship: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    may_collect: Mapped[bool] = mapped_column(Boolean, default=True)
    # True for the school's record (imported from the MIS) or once a manager confirmed a
    # contact added, renamed or allowed to collect at the desk; False until then.
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    # The manager who confirmed it at the desk; None for a contact imported from the MIS.
    verified_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ConfiscationSetting(Base):
    """Who confiscated devices go back to: "parent" (a parent or carer) or "pupil"."""

    __tablename__ = "confiscation_setting"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    release_to: Mapped[str] = mapped_column(String(10), default="parent")

    __table_args__ = (CheckConstraint("release_to IN ('parent', 'pupil')", name="release_known"),)


class Confiscation(Base):
    """A device a member of staff took from a pupil, held until it is released."""

    __tablename__ = "confiscation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id"), index=True)
    device: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    confiscated_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    location: Mapped[str] = mapped_column(String(100))
    bag_number: Mapped[str] = mapped_column(String(50), default="")
    status: Mapped[str] = mapped_column(String(10), default="held")

    __table_args__ = (
        CheckConstraint(
            "reason IN ('lesson', 'recording', 'bullying', 'other')", name="reason_known"
        ),
        CheckConstraint("status IN ('held', 'dsl', 'police', 'released')", name="status_known"),
        Index("ix_confiscation_status", "status"),
    )


class ConfiscationEvent(Base):
    """One link in a confiscated device's chain of custody: who, when, where, what."""

    __tablename__ = "confiscation_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    confiscation_id: Mapped[int] = mapped_column(ForeignKey("confiscation.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    kind: Mapped[str] = mapped_column(String(20))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    # The name as it was at the time, so the chain reads the same if staff records change.
    staff_name: Mapped[str] = mapped_column(String(200))
    location: Mapped[str] = mapped_column(String(100), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    officer_name: Mapped[str] = mapped_column(String(200), default="")
    officer_reference: Mapped[str] = mapped_column(String(100), default="")


class ConfiscationRelease(Base):
    """Who took a confiscated device away, with their signature."""

    __tablename__ = "confiscation_release"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    confiscation_id: Mapped[int] = mapped_column(ForeignKey("confiscation.id"), unique=True)
    released_at: Mapped[datetime] = mapped_column(UTCDateTime)
    released_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    to_pupil: Mapped[bool] = mapped_column(Boolean, default=False)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id", ondelete="SET NULL"))
    collector_name: Mapped[str] = mapped_column(String(200))
    relationship: Mapped[str] = mapped_column(String(100), default="")
    id_checked: Mapped[bool] = mapped_column(Boolean, default=False)
    signature_png: Mapped[bytes] = mapped_column(LargeBinary)
    override_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    override_reason: Mapped[str] = mapped_column(Text, default="")


# --- Visitors: sign-in, phone-rules acknowledgements, badges, alert list, retention ---------


class VisitorPolicyText(Base):
    """A version of one category's phone rules that was shown to visitors (or written at the
    desk). Rows are never changed: a new text is a new version."""

    __tablename__ = "visitor_policy_text"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    category: Mapped[str] = mapped_column(String(30))
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))

    __table_args__ = (Index("ux_visitor_policy_version", "category", "version", unique=True),)


class Visitor(Base):
    """A person who has signed in at least once: what a returning visitor picks."""

    __tablename__ = "visitor"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    # The name folded for matching (case, accents and spacing ignored).
    name_key: Mapped[str] = mapped_column(String(200))
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_visitor_name_key", "name_key"),)


# A folded name compared byte by byte: on PostgreSQL the "C" collation, so that a prefix
# search written as a range (``key >= 'pham' AND key < 'pham' || U+10FFFF``) uses the index
# and means "starts with" whatever the server's locale; SQLite compares bytes already.
SEARCH_KEY = String(200).with_variant(String(200, collation="C"), "postgresql")


class VisitorNameWord(Base):
    """Where a visitor's name can be found from: the folded name from each of its words on
    ("mary ann smith", "ann smith", "smith"), so a type-ahead matching the start of any
    word is one range read of an index, however many visitors are on record. The visitor's
    ``last_seen_at`` is kept here too, so the newest matches come from the index alone."""

    __tablename__ = "visitor_name_word"

    visitor_id: Mapped[int] = mapped_column(
        ForeignKey("visitor.id", ondelete="CASCADE"), primary_key=True
    )
    name_key: Mapped[str] = mapped_column(SEARCH_KEY, primary_key=True)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_visitor_name_word_key", "name_key", "last_seen_at", "visitor_id"),)


class VisitorVisit(Base):
    """One visit, from sign-in at the kiosk to sign-out by badge or at the desk."""

    __tablename__ = "visitor_visit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    visitor_id: Mapped[int] = mapped_column(ForeignKey("visitor.id"), index=True)
    category: Mapped[str] = mapped_column(String(30))
    host_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    # Whom they came to see, as shown at the time (a member of staff or a name typed).
    host_name: Mapped[str] = mapped_column(String(200))
    car_registration: Mapped[str] = mapped_column(String(20), default="")
    signed_in_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    signed_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signed_out_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    # "badge" (scanned at the kiosk) or "desk"; None for a visit closed as not signed out.
    signed_out_how: Mapped[str | None] = mapped_column(String(10))
    # The visitor left without signing out: the visit was closed when they signed in again
    # or by the receptionist (``signed_out_at`` is then when it was closed, not when they
    # left; ``signed_out_by`` who closed it, None at the kiosk).
    not_signed_out: Mapped[bool] = mapped_column(Boolean, default=False)
    id_checked: Mapped[bool] = mapped_column(Boolean, default=False)
    dbs_assured: Mapped[bool] = mapped_column(Boolean, default=False)
    escorted: Mapped[bool] = mapped_column(Boolean, default=True)
    checks_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    # Printed into the badge's QR; a reprinted badge has a higher one, the old one stops.
    badge_serial: Mapped[int] = mapped_column(Integer, default=1)

    visitor: Mapped[Visitor] = relationship()

    __table_args__ = (
        CheckConstraint(
            "signed_out_how IS NULL OR signed_out_how IN ('badge', 'desk')",
            name="visit_signed_out_how_known",
        ),
        CheckConstraint(
            "escorted OR (id_checked AND dbs_assured)", name="visit_unescorted_checked"
        ),
        Index(
            "ix_visitor_visit_on_site",
            "signed_in_at",
            sqlite_where=text("signed_out_at IS NULL"),
            postgresql_where=text("signed_out_at IS NULL"),
        ),
    )


class VisitorAcknowledgement(Base):
    """A visitor read and signed one version of their category's phone rules."""

    __tablename__ = "visitor_acknowledgement"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    visitor_id: Mapped[int] = mapped_column(ForeignKey("visitor.id"), index=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visitor_visit.id"), index=True)
    policy_text_id: Mapped[int] = mapped_column(ForeignKey("visitor_policy_text.id"))
    category: Mapped[str] = mapped_column(String(30))
    version: Mapped[int] = mapped_column(Integer)
    acknowledged_at: Mapped[datetime] = mapped_column(UTCDateTime)
    signature_png: Mapped[bytes] = mapped_column(LargeBinary)


class VisitorAlert(Base):
    """A person the school has said must not be admitted without a manager's say-so."""

    __tablename__ = "visitor_alert"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)
    added_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))


class VisitorAlertMatch(Base):
    """A sign-in whose name matched the alert list, shown to the desk until dealt with."""

    __tablename__ = "visitor_alert_match"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("visitor_alert.id"), index=True)
    visit_id: Mapped[int | None] = mapped_column(
        ForeignKey("visitor_visit.id", ondelete="SET NULL"), index=True
    )
    # The name as signed in; the retention purge replaces it with a placeholder and unlinks
    # the visit, keeping only the time of the match.
    signed_in_name: Mapped[str] = mapped_column(String(200))
    matched_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    seen_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))


class VisitorSetting(Base):
    """Visitor settings (a single row, id 1)."""

    __tablename__ = "visitor_setting"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    retention_days: Mapped[int] = mapped_column(Integer)
    idle_seconds: Mapped[int] = mapped_column(Integer)
    badge_printer: Mapped[str] = mapped_column(String(200), default="")
    badge_size: Mapped[str] = mapped_column(String(10), default="a6")

    __table_args__ = (
        CheckConstraint("retention_days BETWEEN 30 AND 3660", name="visitor_retention_range"),
        CheckConstraint("idle_seconds BETWEEN 15 AND 600", name="visitor_idle_range"),
        CheckConstraint("badge_size IN ('a6', 'label62')", name="visitor_badge_size_known"),
    )


class VisitorDailyCount(Base):
    """How many visits of a category began on a day: what remains after personal data is
    purged, for reports."""

    __tablename__ = "visitor_daily_count"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    category: Mapped[str] = mapped_column(String(30), primary_key=True)
    visits: Mapped[int] = mapped_column(Integer, default=0)


class PinLock(Base):
    """Wrong PINs in a row for one member of staff, and until when their PIN is refused.

    Kept in the database so a restart, or another desk, does not forget a guessing run.
    """

    __tablename__ = "pin_lock"

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), primary_key=True)
    wrong_in_a_row: Mapped[int] = mapped_column(Integer, default=0)
    last_wrong_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
