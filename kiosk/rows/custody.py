"""Phones handed in: receptacles, what a scan did, the board and the end-of-day list."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from kiosk.rows.people import ArrangementRow, PupilRow

# What happened to a phone still held at the end of the day, as recorded by the desk
# (the school's policy: no phone is ever silently dropped from the record).
OUTCOMES = {
    "safe": "Kept in the safe overnight",
    "parent_called": "Parent or carer called",
    "other": "Other (see note)",
}


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
