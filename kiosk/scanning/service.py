"""One scan service: what a scanned code is, what it did, and what to say about it.

The kiosk face (through ``ui.scan_router``) and ``kiosk scan`` both call
:func:`act_on_scan`, so a code does the same thing and reads the same words wherever it is
scanned. In order, a code is

1. claimed by the desk, when a desk form is asking for a pupil's card (see
   :class:`ScanClaimant`): nothing is recorded, the form uses the code;
2. a visitor badge (by its shape): the visitor is signed out;
3. anything else is treated as a pupil card: a hand-in, a collection or "already held";
   garbage is refused by the card check with the general "not a card" reason.

A refused code that would pass with the scanner on another keyboard layout (German QWERTZ,
French AZERTY: :mod:`kiosk.scanning.keystrokes`) is refused with what to set on the
scanner instead of the card's own reason.

A refused code changes nothing. A fault (the database busy or unreachable, a bug) is logged
and reported as "failed": the pupil is asked to scan again, the desk and the command line are
told what is wrong in plain words. The kiosk face must answer every scan, never show a
traceback, and never wait long: the desk's database gives up after about 2 s
(:data:`kiosk.persistence.database.INTERACTIVE`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Protocol

from kiosk.changes import Changes, Topic
from kiosk.codes.visitor_badge import looks_like_visitor_badge
from kiosk.errors import ScanRejected
from kiosk.faults import Fault, plain_fault
from kiosk.scanning.keystrokes import layout_mix_up, wrong_layout_message
from kiosk.scanning.result import ScanResult
from kiosk.scanning.words import (
    INCOMPLETE_SCAN,
    UNEXPECTED_FAILURE,
    describe_claim,
    describe_failure,
    describe_refusal,
    describe_scan,
    describe_sign_out,
)
from kiosk.services.custody import scan_card
from kiosk.services.visitors import sign_out_by_badge

if TYPE_CHECKING:
    from kiosk.context import KioskContext

log = logging.getLogger(__name__)


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


def failure(desk_reason: str, fault: Fault | None = None) -> ScanResult:
    """A scan that could not be recorded: kind "failed", the pupil asked to scan again and
    the desk told ``desk_reason``; ``fault`` is the expected fault behind it, if any."""
    return ScanResult("failed", describe_failure(desk_reason), fault=fault)


def act_on_scan(ctx: KioskContext, raw: str, *, claimant: ScanClaimant | None = None) -> ScanResult:
    """Do what a complete scan of ``raw`` (the text the scanner typed) asks for.

    ``claimant`` is asked first; when it claims the code the result is :data:`CLAIMED` and
    nothing is recorded. Then a visitor badge signs its visitor out and anything else goes
    to the pupil-card check; a refusal for a code typed through the wrong keyboard layout
    says so (:func:`~kiosk.scanning.keystrokes.layout_mix_up`). Never raises: a refused
    code gives kind "rejected" and a fault (database unreachable or busy, disk full, a bug)
    gives kind "failed", logged, with the fault's plain message
    (:func:`kiosk.faults.plain_fault`) for the desk and the command line, or
    `UNEXPECTED_FAILURE` for a bug.
    """
    try:
        if claimant is not None and claimant.claim_scan(raw):
            return CLAIMED
        if looks_like_visitor_badge(raw):
            return _sign_visitor_out(ctx, raw)
        return _pupil_card(ctx, raw)
    except ScanRejected as rejected:
        # A genuine code typed through the wrong keyboard layout is the scanner's fault,
        # not the card's: say what to set instead of "altered or copied".
        layout = layout_mix_up(ctx.card_key, ctx.card_code, raw)
        if layout is not None:
            return ScanResult("rejected", wrong_layout_message(layout))
        return refusal("rejected", rejected.message)
    except Exception as error:
        # The kiosk face must answer every scan: any fault is logged and said plainly.
        fault = plain_fault(error)
        if fault is None:
            log.exception("A scan could not be recorded")
            return failure(UNEXPECTED_FAILURE)
        # Expected, and already said to whoever scanned: a note for the log, not a warning
        # that the command line would print a second time.
        log.info("A scan could not be recorded: %s", fault.message)
        return failure(fault.message, fault)


def partial_scan(raw: str) -> ScanResult:
    """A partial or damaged burst from the scanner: nothing is looked up, nothing changes.

    ``raw`` is what was heard; it is not used beyond saying "scan again"."""
    return refusal("incomplete", INCOMPLETE_SCAN)


def _pupil_card(ctx: KioskContext, raw: str) -> ScanResult:
    outcome = scan_card(ctx, raw)
    return ScanResult(
        outcome.kind,
        describe_scan(outcome, ctx.timezone, ctx.clock()),
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
