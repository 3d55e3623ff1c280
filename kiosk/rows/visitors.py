"""Plain, immutable rows for visitors, handed from the services to screens and printouts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from kiosk.policies import category


@dataclass(frozen=True, slots=True)
class VisitorMatch:
    """A returning visitor as the kiosk shows them: name and organisation only."""

    visitor_id: int
    name: str
    organisation: str


@dataclass(frozen=True, slots=True)
class ReturningVisitor:
    """What a returning visitor told us last time, to sign in again with a few taps."""

    visitor_id: int
    name: str
    organisation: str
    category: str
    host_staff_id: int | None
    host_name: str
    car_registration: str


@dataclass(frozen=True, slots=True)
class SignInRequest:
    """Everything the kiosk collected from a visitor."""

    name: str
    organisation: str
    category: str  # a visitor category id (kiosk.policies), e.g. "contractor"
    host_staff_id: int | None  # None when the host was typed, not picked from staff
    host_name: str
    car_registration: str
    # The version of the rules the visitor read (or had read before) and signed.
    policy_version: int
    signature_png: bytes  # the visitor's signature, PNG
    returning_visitor_id: int | None = None  # the visitor picked as "been here before"


# How a visit ended, in the words of the visitor book.
SIGNED_OUT_HOW = {
    "badge": "badge scan",
    "desk": "reception",
    "not_signed_out": "not signed out",
}


@dataclass(frozen=True, slots=True)
class VisitRow:
    """One visit, from sign-in at the kiosk to sign-out by badge or at the desk."""

    id: int
    visitor_id: int
    name: str
    organisation: str
    category: str  # a visitor category id (kiosk.policies)
    host_name: str  # whom they came to see, as shown at the time
    car_registration: str  # upper case; "" when none given
    signed_in_at: datetime  # aware, UTC
    signed_out_at: datetime | None  # aware, UTC; None while on site
    # "badge" (scanned at the kiosk), "desk", or "not_signed_out" (left without signing out:
    # closed when they signed in again or by the receptionist, at ``signed_out_at``); None
    # on site.
    signed_out_how: str | None
    id_checked: bool
    dbs_assured: bool
    escorted: bool  # must be escorted; False only once ID and DBS checks are recorded
    badge_serial: int  # printed in the badge's QR; a reprint raises it, the old one stops
    policy_version: int | None  # version of the phone rules signed; None when not found

    @property
    def category_label(self) -> str:
        return category(self.category).label

    @property
    def needs_checks(self) -> bool:
        return category(self.category).needs_checks

    @property
    def on_site(self) -> bool:
        return self.signed_out_at is None


@dataclass(frozen=True, slots=True)
class SignedIn:
    """The kiosk's answer to a sign-in: the visit and the code for the badge's QR.

    Deliberately carries nothing about the alert list: the kiosk face never learns of it.
    """

    visit: VisitRow
    badge_code: str


@dataclass(frozen=True, slots=True)
class PolicyVersionRow:
    """One version of a visitor category's phone rules, as shown on the kiosk."""

    category: str  # a visitor category id (kiosk.policies)
    version: int  # a changed text has a higher version; visitors re-sign on a change
    title: str
    body: str  # plain text, paragraphs separated by blank lines
    created_at: datetime | None  # UTC; None for the text shipped in resources/policies/
    created_by: str  # who wrote it at the desk; "" for the shipped text

    @property
    def paragraphs(self) -> list[str]:
        return [part.strip() for part in self.body.split("\n\n") if part.strip()]


@dataclass(frozen=True, slots=True)
class AlertRow:
    """A person on the alert list: not to be admitted (or to collect) without the desk
    knowing. Shown to the receptionist only, never on the kiosk face."""

    id: int
    name: str
    note: str  # what the desk should do, e.g. "Call the head teacher"
    added_at: datetime  # aware, UTC
    added_by: str


@dataclass(frozen=True, slots=True)
class AlertMatchRow:
    """A sign-in whose name matched the alert list, shown to the desk until seen."""

    id: int
    alert_id: int
    alert_name: str  # the name on the alert list
    note: str  # the alert's note
    # The name as signed in; "(removed after the retention period)" once the visit is purged.
    signed_in_name: str
    visit_id: int | None  # None once the visit has been purged
    matched_at: datetime  # aware, UTC
    seen_at: datetime | None  # UTC; None until someone at the desk has seen it


@dataclass(frozen=True, slots=True)
class VisitorSettingsRow:
    """The visitor settings."""

    retention_days: int  # days before visitors' personal data is purged, 30 to 3660
    idle_seconds: int  # seconds of no touch before the kiosk's sign-in starts again, 15-600
    badge_printer: str  # the badge printer's name; "" until one is chosen
    badge_size: str  # "a6" or "label62" (kiosk.printing.badges.PAGE_SIZES)


@dataclass(frozen=True, slots=True)
class PurgeReport:
    """What a purge removed (or, for a dry run, would remove)."""

    cutoff: datetime  # aware, UTC: visits that began before it are purged
    dry_run: bool
    visits: int
    visitors: int
    acknowledgements: int
    # (name, organisation, last visit) of each visitor whose details go entirely.
    visitors_removed: tuple[tuple[str, str, date], ...]


@dataclass(frozen=True, slots=True)
class RollCallGroup:
    """The visitors of one category on the fire roll call."""

    category: str  # a visitor category id (kiosk.policies)
    label: str  # the category's name as printed
    visits: tuple[VisitRow, ...]  # by folded name


@dataclass(frozen=True, slots=True)
class RollCall:
    """Everyone signed in and not out, for the fire roll call (DESIGN, visitor sign-in)."""

    at: datetime  # when it was taken, aware, UTC
    school_name: str
    groups: tuple[RollCallGroup, ...]  # in the categories' order; empty ones left out

    @property
    def total(self) -> int:
        return sum(len(group.visits) for group in self.groups)
