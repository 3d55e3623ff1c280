"""What a user action changed, so that each screen refreshes only when it shows that.

A service call, a scan or a desk form reports a :class:`Changes`; the desk hands it to every
panel, and a panel whose ``shows`` meets it reloads (the others do nothing). Another desk's
change, noticed through the audit log, is reported as :data:`EVERYTHING`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Topic(StrEnum):
    """One kind of record a screen can show."""

    CUSTODY = "custody"  # phones handed in and collected, end-of-day outcomes, receptacles
    PUPILS = "pupils"  # pupils, their cards and their contacts
    EXEMPTIONS = "exemptions"  # the permissions and exemptions register
    CONFISCATIONS = "confiscations"  # confiscated devices and their chain of custody
    VISITORS = "visitors"  # visits, the alert list, phone-rules texts
    CALLS = "calls"  # messages, the telephone log, mail
    STAFF = "staff"  # the staff directory, PINs and trips
    CALENDAR = "calendar"  # opening hours, release windows, periods, terms, closures
    SETTINGS = "settings"  # the school's own settings
    AUDIT = "audit"  # the audit log itself (every change writes an entry)


@dataclass(frozen=True, slots=True)
class Changes:
    """A set of topics; empty when nothing changed."""

    topics: frozenset[Topic] = frozenset()

    @classmethod
    def of(cls, *topics: Topic) -> Changes:
        """The changes of one action. Every change is also an audit entry.

        With no topics, the empty ``Changes`` (nothing to refresh, not even the audit log).
        """
        return cls(frozenset(topics) | {Topic.AUDIT} if topics else frozenset())

    def __bool__(self) -> bool:
        return bool(self.topics)

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.topics | other.topics)

    def touches(self, shown: frozenset[Topic]) -> bool:
        """True when a screen showing ``shown`` must reload."""
        return not self.topics.isdisjoint(shown)


NOTHING = Changes()
EVERYTHING = Changes(frozenset(Topic))
