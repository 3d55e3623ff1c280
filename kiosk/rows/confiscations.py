"""Confiscated devices, their chain of custody and their release."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kiosk.rows.people import PupilRow

REASONS = {
    "lesson": "Used in a lesson",
    "recording": "Recording or photographing others",
    "bullying": "Bullying or intimidation",
    "other": "Other",
}
STATUSES = {
    "held": "Held at the office",
    "dsl": "Held for the DSL",
    "police": "With the police",
    "released": "Released",
}
EVENTS = {
    "taken_in": "Taken in",
    "moved": "Moved",
    "held_for_dsl": "Held for the DSL",
    "police": "Handed to the police",
    "police_return": "Returned by the police",
    "searched": "Searched with the pupil's consent",
    "content_deleted": "Content deleted at the pupil's request",
    "released": "Released",
}


# What a manager's PIN overrides at a release, as the chain of custody and the PIN prompt
# name it; most serious first.
OVERRIDES = {
    "alert": "on the alert list",
    "not_listed": "not a listed parent or carer who may collect",
    "unverified_contact": "a contact added at the desk and not yet confirmed by a manager",
    "id_not_checked": "photo ID not checked",
}


@dataclass(frozen=True, slots=True)
class ReleaseCheck:
    """What stands between a collector and a confiscated device, before anything is
    released: each rule a manager must override, in words for the desk."""

    needs: tuple[str, ...]  # keys of OVERRIDES, most serious first; () releases at once
    warnings: tuple[str, ...]  # one sentence per rule, in the same order
    contact_id: int | None  # the pupil's contact the collector is, verified or not
    listed_contact: bool  # that contact is the school's record (verified) and may collect
    alert_id: int | None  # the alert the collector's name matches; None for none
    alert_note: str  # that alert's note, shown in red at the desk; "" for none

    @property
    def needs_manager(self) -> bool:
        return bool(self.needs)

    @property
    def on_alert_list(self) -> bool:
        return self.alert_id is not None


@dataclass(frozen=True, slots=True)
class CustodyEventRow:
    """One link in a confiscated device's chain of custody: who, when, where, what."""

    id: int
    at: datetime  # aware, UTC
    kind: str  # a key of EVENTS, e.g. "taken_in", "held_for_dsl", "police"
    staff_name: str  # as it was at the time, so the chain reads the same later
    location: str  # where the device went, when it moved
    detail: str
    officer_name: str = ""  # police officer, on a hand-over to or return from the police
    officer_reference: str = ""  # their collar number or the police reference

    @property
    def label(self) -> str:
        return EVENTS.get(self.kind, self.kind)


@dataclass(frozen=True, slots=True)
class ReleaseRow:
    """Who took a confiscated device away, when, and on whose say."""

    released_at: datetime  # aware, UTC
    released_by: str  # the member of staff who handed it over
    to_pupil: bool  # given back to the pupil (only where the school's setting allows)
    collector_name: str
    relationship: str
    id_checked: bool
    listed_contact: bool  # the collector is a contact listed for the pupil
    override_by: str  # the manager whose PIN allowed an unlisted collector; "" if none
    override_reason: str
    signature_png: bytes  # the collector's signature, PNG


@dataclass(frozen=True, slots=True)
class ConfiscationRow:
    """A device a member of staff took from a pupil, with its chain of custody and, once
    released, its release."""

    id: int
    pupil: PupilRow
    device: str  # as described, e.g. "Black iPhone 13 in a cracked blue case"
    reason: str  # a key of REASONS
    note: str  # the reason in words when it is "other"; may be ""
    confiscated_by: str  # the member of staff's name
    recorded_by: str  # who recorded it at the desk; "" when not known
    taken_at: datetime  # aware, UTC
    location: str  # where it is kept, e.g. "Safe", "Office"
    bag_number: str  # sealed bag number; "" when not bagged
    status: str  # a key of STATUSES: "held", "dsl", "police" or "released"
    events: tuple[CustodyEventRow, ...] = ()  # the chain of custody, oldest first
    release: ReleaseRow | None = None  # None until released

    @property
    def reason_text(self) -> str:
        """The reason's words, with the note after "Other: " when the reason is "other"."""
        label = REASONS.get(self.reason, self.reason)
        return f"{label}: {self.note}" if self.reason == "other" and self.note else label

    @property
    def status_text(self) -> str:
        return STATUSES.get(self.status, self.status)

    @property
    def place(self) -> str:
        """ "Safe · bag 0042", where to find the device now."""
        if self.status == "police":
            return "With the police"
        if self.status == "released":
            return "Released"
        return f"{self.location} · bag {self.bag_number}" if self.bag_number else self.location

    @property
    def is_open(self) -> bool:
        return self.status != "released"
