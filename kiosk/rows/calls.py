"""Calls and messages: the staff directory, messages, the telephone log, trips and mail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

# The kinds of call the telephone log records, and the phones a call can be made on.
CALL_KINDS = {
    "parent": "Call to a parent or carer",
    "personal": "Personal call on a school phone",
    "emergency": "Emergency call from a personal device",
}
PHONES_USED = {
    "school_landline": "School landline",
    "work_mobile": "Work mobile",
    "personal": "Personal phone",
}


@dataclass(frozen=True, slots=True)
class CallLogRow:
    id: int
    kind: str
    called_at: datetime
    staff_id: int
    staff_name: str
    pupil_id: int | None
    pupil_name: str
    contact: str
    number: str
    phone_used: str
    number_withheld: bool
    permitted_by: str
    purpose: str
    outcome: str
    recorded_by: str
    recorded_at: datetime



@dataclass(frozen=True, slots=True)
class TripRow:
    id: int
    on_date: date
    destination: str
    leaves_at: time | None
    returns_at: time | None
    lead_id: int
    lead_name: str
    lead_mobile: str
    deputy_id: int | None
    deputy_name: str
    deputy_mobile: str
    notes: str
    cancelled: bool
    attending: tuple[tuple[int, str], ...]  # (staff id, name), lead and deputy included



@dataclass(frozen=True, slots=True)
class MessageRow:
    id: int
    taken_at: datetime
    taken_by: str
    for_staff_id: int | None
    for_name: str
    for_email: str
    for_pigeonhole: str
    caller_name: str
    caller_number: str
    text: str
    urgency: str  # "urgent" or "can_wait"
    route: str  # "desk" or "visit"
    visit: TripRow | None
    call_back: bool
    will_call_again: bool
    state: str  # "open" or "passed_on"
    held_until: datetime | None
    held_for: str  # "Break", "Lunch", ... what it is held until
    passed_on_at: datetime | None
    passed_on_by: str
    passed_on_how: str | None
    outcome: str
    emailed_at: datetime | None
    printed_at: datetime | None
    mail_state: str | None  # the newest email for it: "queued", "sent" or None
    mail_error: str

    @property
    def is_open(self) -> bool:
        return self.state == "open"

    @property
    def urgent(self) -> bool:
        return self.urgency == "urgent"

    def due(self, now: datetime) -> bool:
        """True when an open message should be handed over now."""
        if not self.is_open:
            return False
        if self.urgent:
            return True
        return self.route == "desk" and (self.held_until is None or self.held_until <= now)



@dataclass(frozen=True, slots=True)
class MessageQueues:
    pass_on_now: tuple[MessageRow, ...]  # urgent, oldest first
    deliver_now: tuple[MessageRow, ...]  # could wait; the person's break has come
    waiting: tuple[MessageRow, ...]  # could wait; held until a later break
    out_on_visit: tuple[MessageRow, ...]  # not urgent, person on a visit: email or slip
    mail_queued: int  # emails in the outbox not sent yet



@dataclass(frozen=True, slots=True)
class DirectoryEntry:
    id: int
    name: str
    job_title: str
    initials: str
    pigeonhole: str
    email: str
    extension: str
    mobile: str
    can_sign_in: bool
    active: bool



@dataclass(frozen=True, slots=True)
class Recipient:
    """Someone a message can be for: a member of staff, or a visitor on site (by name)."""

    kind: str  # "staff" or "visitor"
    staff_id: int | None
    name: str
    detail: str



@dataclass(frozen=True, slots=True)
class SmtpSettingsRow:
    host: str
    port: int
    starttls: bool
    username: str
    has_password: bool
    from_address: str

    @property
    def configured(self) -> bool:
        return bool(self.host and self.from_address)



@dataclass(frozen=True, slots=True)
class OutboxRow:
    id: int
    created_at: datetime
    to_address: str
    subject: str
    message_id: int | None
    state: str  # "queued" or "sent"
    attempts: int
    last_error: str
    sent_at: datetime | None



@dataclass(frozen=True, slots=True)
class SendReport:
    sent: int
    still_queued: int
    error: str  # the last reason a send failed, in plain words ("" when all went)
