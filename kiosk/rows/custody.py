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
    """A named tray, box or locker bank for handed-in phones, with slots 1..capacity."""

    id: int
    name: str  # e.g. "Tray B", as shown to the pupil with the slot number
    capacity: int  # number of slots, 1 to 1000
    position: int  # order on the board and in the settings, lowest first
    year_groups: str  # e.g. "7,8": those pupils are placed here first; "" for anyone


@dataclass(frozen=True, slots=True)
class OutcomeRow:
    """What the office recorded about a phone still held at closing time (see OUTCOMES)."""

    outcome: str  # a key of OUTCOMES: "safe", "parent_called" or "other"
    label: str  # its words, from OUTCOMES
    note: str
    recorded_at: datetime  # aware, UTC
    recorded_by: str  # the staff member's name; "" when not known


@dataclass(frozen=True, slots=True)
class HeldPhone:
    """A phone in the office's care right now."""

    custody_id: int
    pupil: PupilRow
    receptacle: str | None  # the receptacle's name; None when it has no slot
    slot: int | None
    location: str  # "" when the phone is in its slot, else where it is (e.g. "Safe")
    since: datetime  # when it was handed in, aware, UTC
    no_permission: bool  # handed in by a pupil with no permission on file: flagged
    outcomes: tuple[OutcomeRow, ...] = ()  # end-of-day records, oldest first

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
    receptacle: str | None  # the receptacle's name; None when the phone has no slot
    slot: int | None
    location: str  # "" when the phone is in its slot, else where it is
    at: datetime  # when the phone was handed in or collected, aware, UTC
    # For "already_held" only: when phones next come back (start of the next release
    # window, UTC); None otherwise, or when the school has no release windows.
    returns_at: datetime | None = None
    no_permission: bool = False  # the pupil has no permission on file: flagged
    # For "handed_in" only: the pupil's permissions and exemptions in force today.
    arrangements: tuple[ArrangementRow, ...] = ()
    early_reason: str | None = None  # the reason given at the desk for a release; None if none

    @property
    def place(self) -> str:
        """Where to find the phone, as the receptionist would say it: "Tray B · slot 12",
        else its location, else "Office"."""
        if self.receptacle is not None and self.slot is not None:
            return f"{self.receptacle} · slot {self.slot}"
        return self.location or "Office"


@dataclass(frozen=True, slots=True)
class BoardSlot:
    """One slot on the desk's board: empty (``custody_id`` None) or holding a phone."""

    slot: int  # 1..capacity
    custody_id: int | None = None
    pupil_name: str = ""
    form: str = ""
    since: datetime | None = None  # when the phone was handed in, aware, UTC
    no_permission: bool = False


@dataclass(frozen=True, slots=True)
class BoardReceptacle:
    """One receptacle on the desk's board with every one of its slots, in slot order."""

    receptacle: ReceptacleRow
    slots: tuple[BoardSlot, ...] = field(default_factory=tuple)

    @property
    def used(self) -> int:
        return sum(1 for s in self.slots if s.custody_id is not None)
