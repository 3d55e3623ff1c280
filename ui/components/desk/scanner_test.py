"""Settings' "Test your scanner": scan one card, see whether the scanner will work and what to
change in its settings if not.

The test runs through the application's own scan listener (:meth:`ScanListener.start_trial`),
so it measures exactly what scans go through: the time between keys by the keys' own
timestamps, the key that ends the code, and the characters that arrived. Nothing is
recorded while it runs. The verdict and every word of it come from
:func:`kiosk.scanning.keystrokes.judge_scanner`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.context import KioskContext
from kiosk.scanning import words
from kiosk.scanning.keystrokes import KeyBurst, ScannerVerdict, judge_scanner
from ui.widgets.labels import plain_label
from ui.widgets.scan_listener import ScanListener

# How long the test waits for a scan before giving up.
TRIAL_TIMEOUT_MS = 30_000
NOT_MEASURED = "—"


def timing_text(verdict: ScannerVerdict) -> str:
    """ "typically 5 ms, at most 8 ms" between keys, or a dash for a single key."""
    if verdict.median_ms is None or verdict.max_ms is None:
        return NOT_MEASURED
    return f"typically {verdict.median_ms:.0f} ms, at most {verdict.max_ms:.0f} ms"


def layout_text(verdict: ScannerVerdict) -> str:
    """The keyboard layout the scanner seems to be set to, in a few words."""
    if verdict.layout is not None:
        return f"{verdict.layout.name}: wrong"
    if verdict.code is not None and verdict.layout_checked:
        return "UK or US: right"
    if verdict.code is not None:
        return "Not proven by this code: scan another card"
    return "Could not tell"


class ScannerTestBox(QWidget):
    """A button that starts the test, "Scan any card now", then the verdict."""

    def __init__(
        self,
        ctx: KioskContext,
        *,
        listener: Callable[[], ScanListener | None] = ScanListener.installed,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._find_listener = listener
        self._listener: ScanListener | None = None
        self._own_listener: ScanListener | None = None
        self.verdict: ScannerVerdict | None = None
        self._timeout = QTimer(self)
        self._timeout.setSingleShot(True)
        self._timeout.setInterval(TRIAL_TIMEOUT_MS)
        self._timeout.timeout.connect(self._on_timed_out)
        self._setup_ui()

    # --- public ---------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """True while the test waits for a scan."""
        return self._listener is not None

    def start(self) -> None:
        """Wait for the next scan and measure it (the application's listener, or one of
        its own when none is running, as on a desk with no kiosk)."""
        self.stop()
        listener = self._find_listener()
        if listener is None:
            listener = self._own_listener = ScanListener(self)
            listener.install()
        self._listener = listener
        listener.sig_trial.connect(self._on_trial)
        listener.start_trial(TRIAL_TIMEOUT_MS)
        self.verdict = None
        self._clear_results()
        self.status.setText(words.SCANNER_TEST_INVITE)
        self.start_button.setText("Waiting for a scan…")
        self.start_button.setEnabled(False)
        self._timeout.start()

    def stop(self) -> None:
        """Stop waiting (nothing scanned); the listener goes back to recording scans."""
        self._timeout.stop()
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.sig_trial.disconnect(self._on_trial)
            listener.stop_trial()
        if self._own_listener is not None:
            self._own_listener.uninstall()
            self._own_listener.deleteLater()
            self._own_listener = None
        self.start_button.setText("Test the scanner")
        self.start_button.setEnabled(True)

    def findings(self) -> list[str]:
        """The lines of the verdict, as shown."""
        text = self.findings_label.text()
        return text.split("\n") if text else []

    # --- building -------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        intro = plain_label(words.SCANNER_TEST_IDLE, role="hint", wrap=True)
        self.start_button = QPushButton("Test the scanner")
        self.start_button.clicked.connect(self._on_start)
        self.status = plain_label("", role="section", wrap=True)
        self.status.setAccessibleName("Scanner test")
        self.timing = plain_label(NOT_MEASURED)
        self.timing.setAccessibleName("Time between keys")
        self.suffix = plain_label(NOT_MEASURED)
        self.suffix.setAccessibleName("Ends each code with")
        self.code = plain_label(NOT_MEASURED, wrap=True)
        self.code.setAccessibleName("Code read")
        self.layout_hint = plain_label(NOT_MEASURED)
        self.layout_hint.setAccessibleName("Keyboard layout")
        self.findings_label = plain_label("", wrap=True)
        self.findings_label.setAccessibleName("What to change")
        form = QFormLayout()
        form.addRow("Time between keys", self.timing)
        form.addRow("Ends each code with", self.suffix)
        form.addRow("Code read", self.code)
        form.addRow("Keyboard layout", self.layout_hint)
        row = QHBoxLayout()
        row.addWidget(self.start_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addLayout(form)
        layout.addWidget(self.findings_label)

    def _clear_results(self) -> None:
        for label in (self.timing, self.suffix, self.code, self.layout_hint):
            label.setText(NOT_MEASURED)
        self.findings_label.setText("")

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 (Qt name)
        """Leaving the page ends a test still waiting, so later scans are recorded."""
        self.stop()
        super().hideEvent(event)

    # --- slots ----------------------------------------------------------------------------

    def _on_start(self) -> None:
        self.start()

    def _on_trial(self, burst: KeyBurst) -> None:
        self.stop()
        verdict = judge_scanner(burst, self._ctx.card_key, self._ctx.card_code)
        self.verdict = verdict
        self.status.setText(verdict.summary)
        self.timing.setText(timing_text(verdict))
        self.suffix.setText(words.SUFFIX_NAMES.get(verdict.suffix, verdict.suffix))
        self.code.setText(verdict.code or "Not a Reception Kiosk card or badge")
        self.layout_hint.setText(layout_text(verdict))
        self.findings_label.setText("\n".join(verdict.findings))

    def _on_timed_out(self) -> None:
        self.stop()
        self.status.setText(words.SCANNER_TEST_TIMED_OUT)
