"""The plain, immutable rows that services hand to the screens and the command line."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time


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
class SchoolRow:
    name: str
    card_code: str
    timezone: str
    permission_years: str
    printer_a4: str


@dataclass(frozen=True, slots=True)
class SchoolDayRow:
    weekday: int
    opens: time
    closes: time


@dataclass(frozen=True, slots=True)
class ReleaseWindowRow:
    id: int
    weekday: int
    starts: time
    ends: time
    label: str


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
class ReceptacleRow:
    id: int
    name: str
    capacity: int
    position: int
    year_groups: str


@dataclass(frozen=True, slots=True)
class OutcomeRow:
    outcome: str
    label: str
    note: str
    recorded_at: datetime
    recorded_by: str


@dataclass(frozen=True, slots=True)
class HeldPhone:
    """A phone in the office's care right now."""

    custody_id: int
    pupil: PupilRow
    receptacle: str | None
    slot: int | None
    location: str  # "" when the phone is in its slot, else where it is (e.g. "Safe")
    since: datetime
    no_permission: bool
    outcomes: tuple[OutcomeRow, ...] = ()

    @property
    def place(self) -> str:
        """Where to find the phone, as the receptionist would say it."""
        if self.receptacle is not None and self.slot is not None:
            return f"{self.receptacle} · slot {self.slot}"
        return self.location or "Office"


@dataclass(frozen=True, slots=True)
class ScanOutcome:
    """What happened when a card was scanned or a desk action was taken for a pupil.

    ``kind`` is "handed_in", "already_held" or "collected".
    """

    kind: str
    pupil: PupilRow
    custody_id: int
    receptacle: str | None
    slot: int | None
    location: str
    at: datetime
    returns_at: datetime | None = None
    no_permission: bool = False
    arrangements: tuple[ArrangementRow, ...] = ()
    early_reason: str | None = None

    @property
    def place(self) -> str:
        if self.receptacle is not None and self.slot is not None:
            return f"{self.receptacle} · slot {self.slot}"
        return self.location or "Office"


@dataclass(frozen=True, slots=True)
class BoardSlot:
    slot: int
    custody_id: int | None = None
    pupil_name: str = ""
    form: str = ""
    since: datetime | None = None
    no_permission: bool = False


@dataclass(frozen=True, slots=True)
class BoardReceptacle:
    receptacle: ReceptacleRow
    slots: tuple[BoardSlot, ...] = field(default_factory=tuple)

    @property
    def used(self) -> int:
        return sum(1 for s in self.slots if s.custody_id is not None)


@dataclass(frozen=True, slots=True)
class AuditRow:
    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    before: str | None
    after: str | None
