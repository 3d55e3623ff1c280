"""One scan service: what a scanned code is, what it did, and what to say about it.

The kiosk face (through ``ui.scan_router``) and ``kiosk scan`` both call
:func:`act_on_scan`, so a code does the same thing and reads the same words wherever it is
scanned. In order, a code is

1. claimed by the desk, when a desk form is asking for a pupil's card (see
   :class:`ScanClaimant`): nothing is recorded, the form uses the code;
2. a visitor badge (by its shape): the visitor is signed out;
3. anything else is treated as a pupil card: a hand-in, a collection or "already held";
   garbage is refused by the card check with the general "not a card" reason.

A refused code changes nothing. A database fault is logged and reported as "failed" with a
plain message: the kiosk face must answer every scan and never show a traceback.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from kiosk.changes import NOTHING, Changes, Topic
from kiosk.codes.visitor_badge import looks_like_visitor_badge
from kiosk.errors import ScanRejected
from kiosk.rows.custody import ScanOutcome
from kiosk.rows.visitors import VisitRow
from kiosk.scanning.words import (
    INCOMPLETE_SCAN,
    NOT_RECORDED,
    ScanMessage,
    describe_claim,
    describe_refusal,
    describe_scan,
    describe_sign_out,
)
from kiosk.services.custody import scan_card
from kiosk.services.visitors import sign_out_by_badge

if TYPE_CHECKING:
    from kiosk.context import KioskContext

log = logging.getLogger(__name__)

# The kinds of result that recorded nothing.
REFUSED_KINDS = frozenset({"rejected", "incomplete", "failed"})


@dataclass(frozen=True, slots=True)
class ScanResult:
    """What one scan did, ready to be shown or printed.

    ``kind`` is the pupil outcome's kind ("handed_in", "already_held", "collected"),
    "visitor_signed_out" for a badge, "claimed" when the desk used the code itself, or,
    when nothing was recorded, "rejected" (the code was refused), "incomplete" (a partial
    burst) or "failed" (the database could not be reached). The desk also uses this type for
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


class ScanClaimant(Protocol):
    """Something that may want a scanned code for itself, asked before anything is recorded
    (the desk, while a form asks for a pupil's card)."""

    def claim_scan(self, code: str) -> bool:
        """True when it used ``code`` itself, so nothing must be handed in or signed out."""
        ...


CLAIMED = ScanResult("claimed", describe_claim())


def refusal(kind: str, reason: str) -> ScanResult:
    """A result that recorded nothing: ``kind`` "rejected", "incomplete" or "failed", with
    the plain ``reason``. Raises ``KeyError`` for any other kind."""
    return ScanResult(kind, describe_refusal(kind, reason))


def act_on_scan(ctx: KioskContext, raw: str, *, claimant: ScanClaimant | None = None) -> ScanResult:
    """Do what a complete scan of ``raw`` (the text the scanner typed) asks for.

    ``claimant`` is asked first; when it claims the code the result is :data:`CLAIMED` and
    nothing is recorded. Then a visitor badge signs its visitor out and anything else goes
    to the pupil-card check. Never raises: a refused code gives kind "rejected" and a fault
    (database unreachable or busy, disk full, a bug) gives kind "failed", logged.
    """
    try:
        if claimant is not None and claimant.claim_scan(raw):
            return CLAIMED
        if looks_like_visitor_badge(raw):
            return _sign_visitor_out(ctx, raw)
        return _pupil_card(ctx, raw)
    except ScanRejected as rejected:
        return refusal("rejected", rejected.message)
    except Exception:
        # The kiosk face must answer every scan: any fault is logged and said plainly.
        log.exception("A scan could not be recorded")
        return refusal("failed", NOT_RECORDED)


def partial_scan(raw: str) -> ScanResult:
    """A partial or damaged burst from the scanner: nothing is looked up, nothing changes.

    ``raw`` is what was heard; it is not used beyond saying "scan again"."""
    return refusal("incomplete", INCOMPLETE_SCAN)


def _pupil_card(ctx: KioskContext, raw: str) -> ScanResult:
    outcome = scan_card(ctx, raw)
    return ScanResult(
        outcome.kind,
        describe_scan(outcome, ctx.timezone),
        outcome,
        Changes.of(Topic.CUSTODY),
    )


def _sign_visitor_out(ctx: KioskContext, raw: str) -> ScanResult:
    visit = sign_out_by_badge(ctx, raw)
    return ScanResult(
        "visitor_signed_out",
        describe_sign_out(visit),
        changes=Changes.of(Topic.VISITORS),
        visit=visit,
    )
