"""Turn what the scan listener heard into a recorded hand-in or collection and its message.

Every scan runs ``kiosk.services.custody.scan_card`` on the GUI thread (it takes a few
milliseconds), so the confirmation is painted in the next frame or two. The router does not
care whether the desk is locked: a locked desk must never stop the morning hand-in.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.changes import NOTHING, Changes, Topic
from kiosk.codes.visitor_badge import looks_like_visitor_badge
from kiosk.context import KioskContext
from kiosk.errors import ScanRejected
from kiosk.rows.custody import ScanOutcome
from kiosk.scanning.words import ScanMessage, describe_scan
from kiosk.services.custody import scan_card
from kiosk.services.visitors import sign_out_by_badge

log = logging.getLogger(__name__)

INCOMPLETE_SCAN = "That scan was not complete. Please scan your card again."
NOT_RECORDED = "Something went wrong and nothing was recorded. Please scan again, or see reception."


@dataclass(frozen=True, slots=True)
class ScanResult:
    """What one scan did, ready to be shown.

    ``kind`` is the outcome's kind ("handed_in", "already_held", "collected") or, when
    nothing was recorded, "rejected" (the card was refused), "incomplete" (a partial
    burst) or "failed" (the database could not be reached).
    """

    kind: str
    message: ScanMessage
    outcome: ScanOutcome | None = None
    changes: Changes = NOTHING
    """What the scan changed, so the desk refreshes only the panels that show it."""

    @property
    def accepted(self) -> bool:
        return self.outcome is not None

    @property
    def tone(self) -> str:
        return self.message.tone


REFUSAL_HEADLINES = {
    "rejected": "Card not accepted",
    "incomplete": "Please scan again",
    "failed": "Not recorded",
}


def refusal(kind: str, reason: str) -> ScanResult:
    """A result for a scan that changed nothing: a short headline and the plain reason."""
    return ScanResult(
        kind,
        ScanMessage("error", REFUSAL_HEADLINES[kind], "", (reason,), f"NOT ACCEPTED {reason}"),
    )


CLAIMED_BY_DESK = ScanResult(
    "claimed",
    ScanMessage("info", "Card read at the desk", "", (), "Card read at the desk"),
)


class ScanRouter(QObject):
    """Runs each scan through the custody service and announces the result."""

    sig_result = Signal(object)
    """A :class:`ScanResult` for every scan, accepted or not."""

    def __init__(self, ctx: KioskContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.last_result: ScanResult | None = None
        # Asked first with every scan; True when the desk used the code itself (a form
        # asking for a pupil), so nothing is handed in and the kiosk face shows nothing.
        self.desk_claim: Callable[[str], bool] | None = None

    @Slot(str)
    def route_scan(self, text: str) -> ScanResult:
        """A complete scan. Codes that are not pupil cards are refused by ``scan_card``."""
        if self.desk_claim is not None and self.desk_claim(text):
            self.last_result = CLAIMED_BY_DESK
            return CLAIMED_BY_DESK
        if looks_like_visitor_badge(text):
            return self._route_badge(text)
        try:
            outcome = scan_card(self._ctx, text)
        except ScanRejected as rejected:
            result = refusal("rejected", rejected.message)
        except Exception:
            log.exception("A scan could not be recorded")
            result = refusal("failed", NOT_RECORDED)
        else:
            result = ScanResult(
                outcome.kind,
                describe_scan(outcome, self._ctx.timezone),
                outcome,
                Changes.of(Topic.CUSTODY),
            )
        self._announce(result)
        return result

    def _route_badge(self, text: str) -> ScanResult:
        """A visitor's badge scanned on the way out: sign them out and say goodbye."""
        try:
            visit = sign_out_by_badge(self._ctx, text)
        except ScanRejected as rejected:
            result = refusal("rejected", rejected.message)
        except Exception:
            log.exception("A badge scan could not be recorded")
            result = refusal("failed", NOT_RECORDED)
        else:
            message = ScanMessage(
                "success",
                "Goodbye",
                visit.name,
                ("Thank you for visiting. Please leave your badge at reception.",),
                f"SIGNED OUT {visit.name}",
            )
            result = ScanResult("visitor_signed_out", message, changes=Changes.of(Topic.VISITORS))
        self._announce(result)
        return result

    @Slot(str)
    def route_garbled(self, text: str) -> ScanResult:
        """A partial or damaged burst: nothing is looked up, nothing changes."""
        result = refusal("incomplete", INCOMPLETE_SCAN)
        self._announce(result)
        return result

    def _announce(self, result: ScanResult) -> None:
        self.last_result = result
        self.sig_result.emit(result)
