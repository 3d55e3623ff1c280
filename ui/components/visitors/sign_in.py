"""What the visitor sign-in pages ask of the school's records: returning visitors by name,
staff to visit, the phone rules for a category, and the sign-in itself.

The kiosk face's visitor flow lays out the pages and calls these; the rules (what a valid
name is, when the rules must be read again) stay in the visitors service.
"""

from __future__ import annotations

from kiosk.context import KioskContext
from kiosk.errors import KioskError
from kiosk.rows.visitors import (
    PolicyVersionRow,
    ReturningVisitor,
    SignedIn,
    SignInRequest,
    VisitorMatch,
)
from kiosk.services import visitors

# The longest name and car registration the sign-in stores, in characters.
NAME_MAX = visitors.NAME_MAX
CAR_MAX = visitors.CAR_MAX
# The most returning visitors listed under the name box.
MATCHES_SHOWN = visitors.SEARCH_LIMIT


class VisitorSignIn:
    """The service calls behind the visitor sign-in, one per question a page asks.

    Methods that check what was typed raise :class:`KioskError` with the words to show.
    """

    def __init__(self, ctx: KioskContext) -> None:
        self._ctx = ctx

    def idle_ms(self) -> int:
        """How long, in milliseconds, the flow waits without a touch before giving up."""
        return visitors.visitor_settings(self._ctx).idle_seconds * 1000

    def returning_visitors(self, typed: str) -> list[VisitorMatch]:
        """Visitors seen before whose name starts with what was typed; none when the
        search cannot be made (the visitor simply types their name in full)."""
        try:
            return visitors.search_returning_visitors(self._ctx, typed)
        except KioskError:
            return []

    def returning_visitor(self, visitor_id: int) -> ReturningVisitor:
        """A returning visitor's details from their last visit; raises KioskError."""
        return visitors.returning_visitor(self._ctx, visitor_id)

    def check_name(self, name: str) -> None:
        """Raise KioskError when the name is missing or too long."""
        visitors.check_name(name)

    def check_details(self, organisation: str, host_name: str, car_registration: str) -> None:
        """Raise KioskError, naming the first field to fix, when the visit's details are not
        acceptable (whom they visit is required)."""
        visitors.check_organisation(organisation)
        visitors.check_car_registration(car_registration)
        if not host_name.strip():
            raise KioskError("Please tell us whom you are visiting.")

    def hosts(self, typed: str, limit: int) -> list[tuple[int, str]]:
        """Staff whose name starts with what was typed, at most ``limit``: (id, name)."""
        return visitors.search_hosts(self._ctx, typed, limit=limit)

    def rules(self, category: str) -> PolicyVersionRow:
        """The phone rules a visitor of this category reads now."""
        return visitors.current_policy(self._ctx, category)

    def must_read_rules(self, returning_id: int | None, category: str) -> bool:
        """False only for a returning visitor who signed the current rules already."""
        return visitors.must_read_rules(self._ctx, returning_id, category)

    def sign_in(self, request: SignInRequest) -> SignedIn:
        """Record the visit and the signature on the rules; raises KioskError."""
        return visitors.sign_in_visitor(self._ctx, request)
