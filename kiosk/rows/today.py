"""What needs the desk now: the counts behind the Today page."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TodayRow:
    """How many things wait for the receptionist at one moment, each a whole number >= 0.

    Read by :func:`kiosk.services.today.what_needs_me`; each count belongs to one desk page,
    which deals with it.
    """

    urgent_calls: int  # urgent messages not yet passed on ("pass on now")
    messages_to_deliver: int  # messages that could wait whose person's break has come
    messages_for_trips: int  # non-urgent messages for staff out on a trip: email or a slip
    phones_held: int  # phones in the office's care now
    phones_held_overnight: int  # of those, handed in before today (school local date)
    visitors_on_site: int  # signed in and not yet out
    alert_matches: int  # sign-ins that matched the alert list, not yet dealt with
    reviews_due: int  # permissions and exemptions whose review is due within two weeks
    confiscations_due: int  # devices held at the office that go back at the end of today
    confiscations_for_dsl: int  # devices held for the designated safeguarding lead

    @property
    def nothing_waiting(self) -> bool:
        """True when no line on the Today page asks for anything (every count is 0, phones
        held during the day aside: they are the morning's ordinary business)."""
        return not any(
            (
                self.urgent_calls,
                self.messages_to_deliver,
                self.messages_for_trips,
                self.phones_held_overnight,
                self.visitors_on_site,
                self.alert_matches,
                self.reviews_due,
                self.confiscations_due,
                self.confiscations_for_dsl,
            )
        )
