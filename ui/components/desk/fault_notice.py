"""Expected faults that reach the event loop, said plainly on the desk instead of a traceback.

Every desk action runs one service call; most are wrapped in
:func:`ui.components.common.run_service`, which says a busy or unreachable database in a
message box. Anything that still escapes a slot (a panel reloading while the database server
is down, an action wired straight to a service) reaches ``sys.excepthook``: this hook puts an
expected fault (:func:`kiosk.faults.plain_fault`) in one plain line on the desk's banner and
logs it, and passes everything else (bugs) on to the hook that was there before.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from types import TracebackType

from kiosk.faults import plain_fault

log = logging.getLogger(__name__)

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


class FaultNotices:
    """While installed, an expected fault escaping a Qt slot is shown by ``show`` (given the
    plain message, one sentence or two) instead of printed as a traceback."""

    def __init__(self, show: Callable[[str], None]) -> None:
        self._show = show
        self._previous: ExceptHook | None = None

    def install(self) -> None:
        """Take over ``sys.excepthook``, keeping the current hook for everything else."""
        if self._previous is None:
            self._previous = sys.excepthook
            sys.excepthook = self.hook

    def uninstall(self) -> None:
        """Give ``sys.excepthook`` back, unless someone has replaced it since."""
        if self._previous is not None and sys.excepthook == self.hook:
            sys.excepthook = self._previous
        self._previous = None

    def hook(
        self, kind: type[BaseException], error: BaseException, trace: TracebackType | None
    ) -> None:
        """The exception hook itself: an expected fault is shown and logged (no
        traceback); anything else goes to the previous hook. Never raises."""
        fault = plain_fault(error) if isinstance(error, Exception) else None
        if fault is None:
            (self._previous or sys.__excepthook__)(kind, error, trace)
            return
        log.warning("A desk action could not be done: %s", fault.message)
        try:
            self._show(fault.message)
        except Exception:  # the banner itself failed: the log has the fault already
            log.exception("Could not show a fault on the desk")
