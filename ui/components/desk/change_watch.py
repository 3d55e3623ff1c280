"""Notice changes made anywhere — another desk, the command line — by polling the audit log.

Every change writes an audit entry, so the newest entry's id only ever grows; when it moves
past what this desk last showed, the desk reloads.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.context import KioskContext
from kiosk.services.audit import latest_change

log = logging.getLogger(__name__)

DEFAULT_POLL_MS = 2000


class ChangeWatch(QObject):
    """Polls :func:`kiosk.services.audit.latest_change` and says when it has grown."""

    sig_changed = Signal()
    """Something was recorded since the desk last reloaded."""

    def __init__(
        self, ctx: KioskContext, *, poll_ms: int = DEFAULT_POLL_MS, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._seen = 0
        self._timer = QTimer(self)
        self._timer.setInterval(poll_ms)
        self._timer.timeout.connect(self.poll_now)

    def start(self) -> None:
        self.mark_seen()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def mark_seen(self) -> None:
        """The desk has just reloaded: everything up to now is shown."""
        try:
            self._seen = latest_change(self._ctx)
        except Exception:
            log.exception("Could not read the audit log")

    def poll_now(self) -> bool:
        """Check once; True (and ``sig_changed``) when there is something new."""
        try:
            latest = latest_change(self._ctx)
        except Exception:
            # A server that is briefly out of reach must not stop the desk; try next time.
            log.warning("Could not read the audit log", exc_info=True)
            return False
        if latest == self._seen:
            return False
        self._seen = latest
        self.sig_changed.emit()
        return True
