"""What one scan did: the result the scan service returns and the screens show.

Kept apart from :mod:`kiosk.scanning.service` so that a screen showing a result depends on
this plain row, not on the services that produced it.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.changes import NOTHING, Changes
from kiosk.faults import Fault
from kiosk.rows.custody import ScanOutcome
from kiosk.rows.visitors import VisitRow
from kiosk.scanning.words import ScanMessage

# The kinds of result that recorded nothing.
REFUSED_KINDS = frozenset({"rejected", "incomplete", "failed"})


@dataclass(frozen=True, slots=True)
class ScanResult:
    """What one scan did, ready to be shown or printed.

    ``kind`` is the pupil outcome's kind ("handed_in", "already_held", "collected"),
    "visitor_signed_out" for a badge, "claimed" when the desk used the code itself, or,
    when nothing was recorded, "rejected" (the code was refused), "incomplete" (a partial
    burst) or "failed" (the database was busy or unreachable, or a bug). The desk also uses this type for
    its own notices (kind "visitor_notice").
    """

    kind: str
    message: ScanMessage
    outcome: ScanOutcome | None = None
    """The pupil's hand-in, collection or "already held"; None for anything else."""
    changes: Changes = NOTHING
    """What the scan changed, so the desk refreshes only the panels that show it."""
    visit: VisitRow | None = None
    """The visit a badge scan signed out; None for anything else."""
    fault: Fault | None = None
    """For kind "failed": the expected fault that stopped it (database busy or unreachable,
    disk full), whose exit status the command line gives; None for a bug or anything else."""

    @property
    def accepted(self) -> bool:
        """True when a pupil's card was accepted (a hand-in, a collection, "already held")."""
        return self.outcome is not None

    @property
    def refused(self) -> bool:
        """True when the scan recorded nothing: rejected, incomplete or failed."""
        return self.kind in REFUSED_KINDS

    @property
    def tone(self) -> str:
        return self.message.tone
