"""People: who acts, pupils, staff, their contacts and their permissions or exemptions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

KINDS = {"permission": "Permission", "exemption": "Exemption"}
# "Due for review" looks this far ahead, so the office can book the meeting in time.
REVIEW_NOTICE = timedelta(days=14)


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is doing something: a signed-in member of staff, or a pupil at the kiosk."""

    staff_id: int | None
    name: str
    role: str  # "receptionist", "manager", "pupil" (card at the kiosk) or "system"

    @property
    def is_manager(self) -> bool:
        return self.role == "manager"

    @property
    def is_staff(self) -> bool:
        return self.role in ("receptionist", "manager")



PUPIL_AT_KIOSK = Actor(None, "Pupil card at the kiosk", "pupil")



SYSTEM = Actor(None, "Reception Kiosk", "system")



@dataclass(frozen=True, slots=True)
class PupilRow:
    id: int
    upn: str
    forename: str
    surname: str
    year_group: str
    form: str
    card_serial: int
    status: str

    @property
    def name(self) -> str:
        return f"{self.forename} {self.surname}"

    @property
    def year_label(self) -> str:
        return f"Year {self.year_group}" if self.year_group.isdigit() else self.year_group



@dataclass(frozen=True, slots=True)
class StaffRow:
    id: int
    name: str
    role: str
    active: bool
    has_pin: bool



@dataclass(frozen=True, slots=True)
class ArrangementRow:
    id: int
    pupil_id: int
    kind: str  # "permission" or "exemption"
    title: str
    conditions: str
    agreed_by: str
    starts_on: date
    review_on: date | None



@dataclass(frozen=True, slots=True)
class ContactRow:
    id: int
    pupil_id: int
    name: str
    relationship: str
    phone: str
    email: str
    may_collect: bool

    @property
    def label(self) -> str:
        """ "Mrs Ama Mensah (Mother)", as shown in a list of collectors."""
        return f"{self.name} ({self.relationship})" if self.relationship else self.name



@dataclass(frozen=True, slots=True)
class RegisterEntry:
    id: int
    pupil: PupilRow
    kind: str
    title: str
    conditions: str
    agreed_by: str
    starts_on: date
    review_on: date | None
    ends_on: date | None

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)

    def is_current(self, today: date) -> bool:
        return self.starts_on <= today and (self.ends_on is None or self.ends_on >= today)

    def review_due(self, today: date) -> bool:
        return self.review_on is not None and self.review_on <= today + REVIEW_NOTICE
