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


@dataclass(frozen=True, slots=True)
class CustodyEventRow:
    id: int
    at: datetime
    kind: str
    staff_name: str
    location: str
    detail: str
    officer_name: str = ""
    officer_reference: str = ""

    @property
    def label(self) -> str:
        return EVENTS.get(self.kind, self.kind)



@dataclass(frozen=True, slots=True)
class ReleaseRow:
    released_at: datetime
    released_by: str
    to_pupil: bool
    collector_name: str
    relationship: str
    id_checked: bool
    listed_contact: bool
    override_by: str
    override_reason: str
    signature_png: bytes



@dataclass(frozen=True, slots=True)
class ConfiscationRow:
    id: int
    pupil: PupilRow
    device: str
    reason: str
    note: str
    confiscated_by: str
    recorded_by: str
    taken_at: datetime
    location: str
    bag_number: str
    status: str
    events: tuple[CustodyEventRow, ...] = ()
    release: ReleaseRow | None = None

    @property
    def reason_text(self) -> str:
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
