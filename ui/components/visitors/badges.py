"""Badges printed straight to the configured badge printer, and the desk told when one could
not print (saved as a PDF instead). The kiosk face is never told. An alert-list match is
not a notice here: it has the desk's red alert banner (``ui/components/desk/alert_banner``)."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from kiosk.config import data_dir
from kiosk.context import KioskContext
from kiosk.errors import KioskError
from kiosk.rows.visitors import SignedIn
from kiosk.scanning.result import ScanResult
from kiosk.scanning.words import ScanMessage
from kiosk.services import visitors
from ui.components.output import Printer, send_to_printer
from ui.printing import PrintError

log = logging.getLogger(__name__)


def badge_folder() -> Path:
    folder = data_dir() / "badges"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class BadgeDesk(QObject):
    """Sends each new visitor's badge to the printer and raises desk notices."""

    sig_desk_notice = Signal(object)
    """A :class:`ScanResult` for the desk's banner (never the kiosk face)."""

    def __init__(self, ctx: KioskContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.last_saved: Path | None = None

    def send_badge(self, signed: SignedIn) -> None:
        """Print without a dialog; when that is not possible, save the PDF and say where.
        A badge that cannot be drawn at all (a name the fonts cannot show) is told to the
        desk."""
        try:
            pdf = visitors.badge_pdf(self._ctx, signed)
        except KioskError as error:
            self._notice("Badge not printed", signed.visit.name, error.message)
            return
        try:
            send_to_printer(
                self._ctx, pdf, title=f"Visitor badge {signed.visit.id}", printer=Printer.BADGE
            )
            return
        except PrintError as error:
            problem = error.message
        saved = badge_folder() / f"badge-{signed.visit.id}.pdf"
        saved.write_bytes(pdf)
        self.last_saved = saved
        self._notice(
            "Badge not printed",
            signed.visit.name,
            f"{problem} The badge was saved to {saved}.",
        )

    def _notice(self, headline: str, name: str, detail: str) -> None:
        line = f"{headline}: {name} — {detail}" if name else f"{headline}: {detail}"
        message = ScanMessage("warning", headline, name, (detail,), line)
        self.sig_desk_notice.emit(ScanResult("visitor_notice", message))
