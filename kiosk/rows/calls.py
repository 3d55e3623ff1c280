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
    """A call in the telephone log: to a parent or carer, a personal call on a school
    phone, or an emergency call from a personal device (recorded as an incident)."""

    id: int
    kind: str  # a key of CALL_KINDS
    called_at: datetime  # aware, UTC
    staff_id: int  # who made the call
    staff_name: str
    pupil_id: int | None  # the pupil the call was about; None for a personal call
    pupil_name: str  # "" when there is no pupil
    contact: str  # whom they spoke to, e.g. "Mother"
    number: str  # the number called; may be ""
    phone_used: str  # a key of PHONES_USED
    number_withheld: bool  # a personal phone's number was withheld
    permitted_by: str  # who agreed to a personal phone or a personal call; "" if none
    purpose: str
    outcome: str
    recorded_by: str
    recorded_at: datetime  # aware, UTC


@dataclass(frozen=True, slots=True)
class TripRow:
    """An educational visit (a trip out of school with pupils): staff on it are out for the
    day, reachable through the lead's and deputy's mobiles."""

    id: int
    on_date: date  # school date
    destination: str
    leaves_at: time | None  # school local time; None when not given
    returns_at: time | None  # school local time; None when not given
    lead_id: int
    lead_name: str
    lead_mobile: str
    deputy_id: int | None
    deputy_name: str  # "" when there is no deputy
    deputy_mobile: str
    notes: str
    cancelled: bool
    attending: tuple[tuple[int, str], ...]  # (staff id, name) by name, lead and deputy too


@dataclass(frozen=True, slots=True)
class MessageRow:
    """A telephone message taken for a member of staff or a visitor on site."""

    id: int
    taken_at: datetime  # aware, UTC
    taken_by: str
    for_staff_id: int | None  # None for a visitor or anyone not in the directory
    for_name: str
    for_email: str
    for_pigeonhole: str
    caller_name: str
    caller_number: str
    text: str
    urgency: str  # "urgent" or "can_wait"
    route: str  # "desk" or "visit"
    visit: TripRow | None  # the trip the person is on, when ``route`` is "visit"
    call_back: bool
    will_call_again: bool
    state: str  # "open" or "passed_on"
    held_until: datetime | None  # UTC; a message that can wait is due from then
    held_for: str  # "Break", "Lunch", ... what it is held until
    passed_on_at: datetime | None  # UTC; None while open
    passed_on_by: str
    passed_on_how: str | None  # a key of kiosk.services.messages.HOW; None while open
    outcome: str
    emailed_at: datetime | None  # UTC
    printed_at: datetime | None  # UTC
    mail_state: str | None  # the newest email for it: "queued", "sent" or None
    mail_error: str

    @property
    def is_open(self) -> bool:
        return self.state == "open"

    @property
    def urgent(self) -> bool:
        return self.urgency == "urgent"

    def due(self, now: datetime) -> bool:
        """True when an open message should be handed over now (``now`` aware): urgent
        ones at once, ones that can wait once ``held_until`` has come; never one for
        someone on a trip (those go by email or slip)."""
        if not self.is_open:
            return False
        if self.urgent:
            return True
        return self.route == "desk" and (self.held_until is None or self.held_until <= now)


@dataclass(frozen=True, slots=True)
class MessageQueues:
    """The open messages, sorted into the desk's queues."""

    pass_on_now: tuple[MessageRow, ...]  # urgent, oldest first
    deliver_now: tuple[MessageRow, ...]  # could wait; the person's break has come
    waiting: tuple[MessageRow, ...]  # could wait; held until a later break
    out_on_visit: tuple[MessageRow, ...]  # not urgent, person on a visit: email or slip
    mail_queued: int  # emails in the outbox not sent yet


@dataclass(frozen=True, slots=True)
class DirectoryEntry:
    """A member of staff in the staff directory used for calls and messages."""

    id: int  # the staff id
    name: str
    job_title: str
    initials: str
    pigeonhole: str
    email: str
    extension: str  # internal telephone extension
    mobile: str
    can_sign_in: bool  # has a PIN for the desk
    active: bool


@dataclass(frozen=True, slots=True)
class Recipient:
    """Someone a message can be for: a member of staff, or a visitor on site (by name)."""

    kind: str  # "staff" or "visitor"
    staff_id: int | None  # None for a visitor
    name: str
    detail: str  # what tells them apart: "job title · initials" or "Visitor on site, <org>"


@dataclass(frozen=True, slots=True)
class SmtpSettingsRow:
    """The outgoing mail server's settings, without the password itself."""

    host: str
    port: int  # 587 by default
    starttls: bool
    username: str
    has_password: bool
    from_address: str

    @property
    def configured(self) -> bool:
        return bool(self.host and self.from_address)


@dataclass(frozen=True, slots=True)
class OutboxRow:
    """An email in the outbox, waiting to go or gone; a failed send stays to be retried."""

    id: int
    created_at: datetime  # aware, UTC
    to_address: str
    subject: str
    message_id: int | None  # the telephone message it carries, if any
    state: str  # "queued", "sending" (a desk has it now), "sent" or "uncertain"
    attempts: int  # sends tried so far
    last_error: str  # why the last try failed, in plain words; "" if none
    sent_at: datetime | None  # UTC; None until sent
    claimed_by: str = ""  # the desk sending it, or that last tried ("" when none)
    claimed_at: datetime | None = None  # UTC; when that desk claimed it

    @property
    def state_words(self) -> str:
        """The state in plain words for the desk."""
        return OUTBOX_STATE_WORDS.get(self.state, self.state)


OUTBOX_STATE_WORDS = {
    "queued": "Waiting to be sent",
    "sending": "Being sent now",
    "sent": "Sent",
    "uncertain": "May not have arrived: check with the recipient",
}


@dataclass(frozen=True, slots=True)
class SendReport:
    """What one run through the outbox did."""

    sent: int
    still_queued: int
    error: str  # the last reason a send failed, in plain words ("" when all went)
