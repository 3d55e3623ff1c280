"""People: who acts, pupils, staff, their contacts and their permissions or exemptions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from kiosk.rows.years import year_label

KINDS = {"permission": "Permission", "exemption": "Exemption"}
# "Due for review" looks this far ahead, so the office can book the meeting in time.
REVIEW_NOTICE = timedelta(days=14)


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is doing something: a signed-in member of staff, or a pupil at the kiosk.

    Services trust only ``staff_id`` (from a PIN sign-in) and read the role from the
    database (:mod:`kiosk.services.acting`); ``name`` and ``role`` are what the desk shows,
    for example to hide manager-only pages.
    """

    staff_id: int | None
    name: str
    role: str  # "receptionist", "manager", "pupil" (card at the kiosk) or "system"


# The actor recorded for a hand-in or collection made by a pupil's own card at the kiosk.
PUPIL_AT_KIOSK = Actor(None, "Pupil card at the kiosk", "pupil")

# The actor recorded for what the application does by itself: first-run set-up, a
# scheduled retention purge, a message marked passed on once its email is sent.
SYSTEM = Actor(None, "Reception Kiosk", "system")

# The actor for ``kiosk`` commands run on the server by the school's IT technician, who
# already holds the database file and the card key: imports, the school's name, purges.
COMMAND_LINE = Actor(None, "Command line (set-up)", "system")

# Services recognise these three by identity (kiosk/services/acting.py): an Actor without
# a staff id made anywhere else is nobody.


# How each identifier scheme is named where a pupil's identifier is shown.
ID_SCHEME_LABELS = {
    "upn": "UPN",
    "scn": "SCN",
    "admission_number": "Admission no.",
    "mis_id": "MIS ID",
}


@dataclass(frozen=True, slots=True)
class PupilRow:
    """A pupil as imported from the MIS, on roll or left.

    Lists, cards, the kiosk and the desk show :attr:`name` (the preferred, "known as"
    names where the MIS gives them); the legal names stay in :attr:`forename` and
    :attr:`surname` for the records.
    """

    id: int
    upn: str  # the DfE unique pupil number, checked on import; "" for a school without UPNs
    forename: str  # legal forename
    surname: str  # legal surname
    year_group: str  # a code from kiosk.rows.years: "7", "R", "N2", "E1"...
    form: str  # registration group, e.g. "9C"
    card_serial: int  # serial on the pupil's current card; older cards are refused
    status: str  # "on_roll" or "left"
    known_forename: str = ""  # preferred ("known as") forename; "" when the same as legal
    known_surname: str = ""  # preferred ("known as") surname; "" when the same as legal
    id_scheme: str = "upn"  # which identifier the MIS import matches on (ID_SCHEME_LABELS)
    identifier: str = ""  # that identifier; "" means the UPN

    @property
    def display_forename(self) -> str:
        """The forename everyone sees: the preferred one where filled, else the legal one."""
        return self.known_forename or self.forename

    @property
    def display_surname(self) -> str:
        """The surname everyone sees: the preferred one where filled, else the legal one."""
        return self.known_surname or self.surname

    @property
    def name(self) -> str:
        """ "Sasha Whitcombe": the name on cards, lists and the kiosk (preferred names,
        forename and surname each falling back to the legal one)."""
        return f"{self.display_forename} {self.display_surname}"

    @property
    def legal_name(self) -> str:
        """The legal forename and surname, as the MIS holds them."""
        return f"{self.forename} {self.surname}"

    @property
    def year_label(self) -> str:
        """The year in the school's words: "Year 7", "Reception", "Nursery 2"."""
        return year_label(self.year_group)

    @property
    def id_label(self) -> str:
        """The pupil's identifier with its kind: "UPN A123...", "Admission no. 001234"."""
        label = ID_SCHEME_LABELS.get(self.id_scheme, self.id_scheme)
        return f"{label} {self.identifier or self.upn}"


@dataclass(frozen=True, slots=True)
class StaffRow:
    """A member of staff as the desk's staff list shows them."""

    id: int
    name: str
    role: str  # "receptionist" or "manager"
    active: bool  # False: kept for the records, can no longer sign in
    has_pin: bool  # False: in the directory only, cannot sign in at the desk

    @property
    def uses_desk(self) -> bool:
        """Whether they belong in Settings' "Staff who use the desk": they have a PIN, or
        hold the manager's role. Everyone else is in the staff directory only (a teacher
        messages are taken for)."""
        return self.has_pin or self.role == "manager"


@dataclass(frozen=True, slots=True)
class PinLockRow:
    """Wrong PINs in a row for one member of staff, as a manager sees them in Settings."""

    staff_id: int
    name: str
    wrong_in_a_row: int
    locked_until: datetime | None  # UTC; None: not locked (yet)
    locked: bool  # True while ``locked_until`` is still ahead, when the row was read


@dataclass(frozen=True, slots=True)
class ArrangementRow:
    """A permission to bring a phone, or a documented exemption, for one pupil (the
    school's mobile phone policy; DESIGN.md, permissions and exemptions register)."""

    id: int
    pupil_id: int
    kind: str  # "permission" or "exemption"
    title: str
    conditions: str  # under which the pupil keeps or brings the phone
    agreed_by: str  # who agreed it, e.g. "Parent's consent form", the DSL
    starts_on: date  # school date
    review_on: date | None  # school date; None: no review booked


@dataclass(frozen=True, slots=True)
class ContactRow:
    """A parent, carer or other contact of one pupil."""

    id: int
    pupil_id: int
    name: str
    relationship: str  # as given, e.g. "Mother", "Carer"; may be ""
    phone: str
    email: str
    may_collect: bool  # may collect a confiscated device for the pupil
    # The school's record (imported from the MIS) or confirmed by a manager; False for a
    # contact added, renamed or allowed to collect at the desk and not yet confirmed.
    verified: bool = False

    @property
    def label(self) -> str:
        """ "Mrs Ama Mensah (Mother)", as shown in a list of collectors."""
        return f"{self.name} ({self.relationship})" if self.relationship else self.name


@dataclass(frozen=True, slots=True)
class RegisterEntry:
    """One line of the permissions and exemptions register: an arrangement with its pupil
    and, once it has ended, its end date."""

    id: int
    pupil: PupilRow
    kind: str  # "permission" or "exemption"
    title: str
    conditions: str
    agreed_by: str
    starts_on: date  # school date
    review_on: date | None  # school date; None: no review booked
    ends_on: date | None  # school date, the last day it applies; None: open-ended

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)

    def is_current(self, today: date) -> bool:
        """Whether the arrangement applies on ``today`` (a school date): started on or
        before it and not ended before it (the end date itself still counts)."""
        return self.starts_on <= today and (self.ends_on is None or self.ends_on >= today)

    def review_due(self, today: date) -> bool:
        """Whether a review is booked for ``today`` or earlier, or within the next
        `REVIEW_NOTICE` (14 days); False when no review date is set."""
        return self.review_on is not None and self.review_on <= today + REVIEW_NOTICE
