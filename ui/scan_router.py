"""The Qt side of scanning: hand each scan the listener heard to the scan service and
announce the result to the kiosk face and the desk.

What a code is, what it does and the words said about it are decided in
:mod:`kiosk.scanning.service`; this adapter only adds the signal. Every scan runs on the GUI
thread (it takes a few milliseconds), so the answer is painted in the next frame or two; on a
busy or unreachable database the desk's transactions give up after about 2 s
(:data:`kiosk.persistence.database.INTERACTIVE`) and the answer is "Not recorded — please scan
again" instead of a frozen face (a dropped network to a PostgreSQL server is noticed within
a few seconds: see :func:`kiosk.persistence.database.postgres_connect_args`). The router does
not care whether the desk is locked: a locked desk must never stop the morning
hand-in (the desk itself declines to claim codes while locked).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.context import KioskContext
from kiosk.scanning.result import ScanResult
from kiosk.scanning.service import ScanClaimant, act_on_scan, partial_scan


class ScanRouter(QObject):
    """Runs each scan through the scan service and announces the result."""

    sig_result = Signal(object)
    """A :class:`ScanResult` for every scan the claimant did not take, accepted or not."""

    def __init__(
        self,
        ctx: KioskContext,
        claimant: ScanClaimant | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._claimant = claimant
        self.last_result: ScanResult | None = None

    def set_claimant(self, claimant: ScanClaimant | None) -> None:
        """Who is asked first with every scan (the desk); None to ask nobody."""
        self._claimant = claimant

    @Slot(str)
    def route_scan(self, text: str) -> ScanResult:
        """A complete scan. A code the claimant takes is not announced: the kiosk face
        shows nothing, the desk form has it."""
        result = act_on_scan(self._ctx, text, claimant=self._claimant)
        self.last_result = result
        if result.kind != "claimed":
            self.sig_result.emit(result)
        return result

    @Slot(str)
    def route_garbled(self, text: str) -> ScanResult:
        """A partial or damaged burst: nothing is looked up, nothing changes."""
        result = partial_scan(text)
        self.last_result = result
        self.sig_result.emit(result)
        return result
