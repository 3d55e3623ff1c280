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
    category: str
    host_staff_id: int | None
    host_name: str
    car_registration: str
    # The version of the rules the visitor read (or had read before) and signed.
    policy_version: int
    signature_png: bytes
    returning_visitor_id: int | None = None


@dataclass(frozen=True, slots=True)
class VisitRow:
    id: int
    visitor_id: int
    name: str
    organisation: str
    category: str
    host_name: str
    car_registration: str
    signed_in_at: datetime
    signed_out_at: datetime | None
    signed_out_how: str | None
    id_checked: bool
    dbs_assured: bool
    escorted: bool
    badge_serial: int
    policy_version: int | None

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
    category: str
    version: int
    title: str
    body: str
    created_at: datetime | None
    created_by: str

    @property
    def paragraphs(self) -> list[str]:
        return [part.strip() for part in self.body.split("\n\n") if part.strip()]


@dataclass(frozen=True, slots=True)
class AlertRow:
    id: int
    name: str
    note: str
    added_at: datetime
    added_by: str


@dataclass(frozen=True, slots=True)
class AlertMatchRow:
    id: int
    alert_id: int
    alert_name: str
    note: str
    signed_in_name: str
    visit_id: int | None
    matched_at: datetime
    seen_at: datetime | None


@dataclass(frozen=True, slots=True)
class VisitorSettingsRow:
    retention_days: int
    idle_seconds: int
    badge_printer: str
    badge_size: str


@dataclass(frozen=True, slots=True)
class PurgeReport:
    """What a purge removed (or, for a dry run, would remove)."""

    cutoff: datetime
    dry_run: bool
    visits: int
    visitors: int
    acknowledgements: int
    # (name, organisation, last visit) of each visitor whose details go entirely.
    visitors_removed: tuple[tuple[str, str, date], ...]


@dataclass(frozen=True, slots=True)
class RollCallGroup:
    category: str
    label: str
    visits: tuple[VisitRow, ...]


@dataclass(frozen=True, slots=True)
class RollCall:
    at: datetime
    school_name: str
    groups: tuple[RollCallGroup, ...]

    @property
    def total(self) -> int:
        return sum(len(group.visits) for group in self.groups)
