"""The pupil-facing screen: "Scan your card", then a clear full-screen answer.

It shows only what the pupil needs: where to put the phone (or where to collect it), their
name and form, the switch-off reminder and any permission or exemption on file. Every answer
goes back to the attract screen by itself after a few seconds; a new scan replaces it at
once. The kiosk face never opens a dialog. Colours and sizes live in
``resources/styles/kiosk.qss``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QResizeEvent, QScreen
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLayout,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.scanning.result import ScanResult
from kiosk.scanning.words import NO_LIABILITY
from ui.widgets.fit_label import FitLabel
from ui.widgets.styling import set_style_property
from ui.widgets.touch_button import TouchButton

if TYPE_CHECKING:
    from ui.screens.visitor_flow import VisitorFlow

DEFAULT_RETURN_AFTER_MS = 6000
WINDOW_SIZE = (1024, 720)
MINIMUM_SIZE = (480, 360)

# Type sizes (px) for a 1280 × 800 face; the face scales them to its window so the answer
# fits a small window on a shared screen and fills a large public one.
REFERENCE_SIZE = (1280, 800)
TYPE_PX = {
    "#KioskSchool": 40,
    "#KioskPrompt": 132,
    "#KioskHint": 34,
    "#KioskRule": 32,
    "#KioskNoLiability": 20,
    "#KioskKicker": 40,
    "#KioskHeadline": 120,
    "#KioskName": 60,
    "#KioskDetail": 30,
    '#KioskDetail[first="true"]': 32,
    "#KioskNextHint": 22,
    "#KioskDone": 30,
    "#KioskChoice": 30,
}
MIN_TYPE_PX = 16
PAGE_MARGINS = (64, 48, 64, 40)
DONE_HEIGHT = 72

SCAN_PROMPT = "Scan your card"
SCAN_HINT = "Hold the QR code on your card under the scanner."
PHONE_RULE = "Phones must be switched off and handed in at reception."
VISITING_LABEL = "I'm visiting"


def choose_kiosk_screen(screens: list[QScreen], primary: QScreen | None) -> QScreen | None:
    """The screen facing the public: any screen but the primary one, if there is one."""
    others = [screen for screen in screens if screen is not primary]
    return others[0] if others else None


def face_scale(width: int, height: int) -> float:
    """How much larger or smaller than the reference size to draw, in steps of 5 %."""
    scale = min(width / REFERENCE_SIZE[0], height / REFERENCE_SIZE[1])
    return round(min(max(scale, 0.5), 2.0) * 20) / 20


def type_stylesheet(scale: float) -> str:
    return "\n".join(
        f"{selector} {{ font-size: {max(round(px * scale), MIN_TYPE_PX)}px; }}"
        for selector, px in TYPE_PX.items()
    )


def _label(text: str, name: str, *, wrap: bool = True) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(wrap)
    label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter)
    return label


def _fit(text: str, name: str) -> FitLabel:
    label = FitLabel(text)
    label.setObjectName(name)
    label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    return label


class KioskFace(QWidget):
    """The attract screen and the answer to each scan, for pupils at the kiosk."""

    sig_state_changed = Signal(str)
    """The screen changed: "attract" or the kind of the result now shown."""

    def __init__(
        self,
        school_name: str,
        *,
        return_after_ms: int = DEFAULT_RETURN_AFTER_MS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._state = "attract"
        self._result: ScanResult | None = None
        self._scale = 0.0
        self.visitor_flow: VisitorFlow | None = None  # the sign-in pages, once attached
        self._back_to_attract = QTimer(self)
        self._back_to_attract.setSingleShot(True)
        self._back_to_attract.setInterval(return_after_ms)
        self._back_to_attract.timeout.connect(self._on_time_up)
        self._setup_ui()
        self._apply_scale(1.0)
        self.set_school_name(school_name)
        self.show_attract()

    # --- public ---------------------------------------------------------------------------

    @property
    def state(self) -> str:
        """ "attract", or the kind of result on screen ("handed_in", "rejected", ...)."""
        return self._state

    @property
    def result(self) -> ScanResult | None:
        """The result on screen, or None on the attract screen."""
        return self._result

    @property
    def return_after_ms(self) -> int:
        return self._back_to_attract.interval()

    def set_return_after_ms(self, ms: int) -> None:
        self._back_to_attract.setInterval(ms)

    def set_school_name(self, name: str) -> None:
        self.school.setText(name)
        self.setWindowTitle(f"{name} — Scan your card")

    def show_result(self, result: ScanResult) -> None:
        """Show what a scan did, at once, replacing whatever was on screen. Every word
        comes from the result's message (:mod:`kiosk.scanning.words`); this only lays it out."""
        message = result.message
        if self.visitor_flow is not None:
            self.visitor_flow.reset()
        self._result = result
        self.kicker.setText(message.kicker)
        self.headline.setText(message.headline)
        self.name.setText(message.name)
        self.name.setVisible(bool(message.name))
        self._show_details(message.detail)
        set_style_property(self, "tone", message.tone)
        self.pages.setCurrentWidget(self.answer_page)
        self._back_to_attract.start()
        self._set_state(result.kind)
        if self.isVisible():
            # Paint now, before the desk reloads its board: the pupil sees the answer first.
            self.repaint()

    def attach_visitor_flow(self, flow: VisitorFlow) -> None:
        """Add the visitor sign-in pages; the attract screen then offers "I'm visiting".
        The flow signals ``sig_finished`` when it is done, timed out or backed out of."""
        self.visitor_flow = flow
        self.pages.addWidget(flow)
        flow.sig_finished.connect(self.show_attract)
        self.visiting.show()

    def show_visitor_flow(self) -> None:
        if self.visitor_flow is None:
            return
        self._back_to_attract.stop()
        self._result = None
        set_style_property(self, "tone", "attract")
        self.visitor_flow.begin()
        self.pages.setCurrentWidget(self.visitor_flow)
        self._set_state("visiting")

    def show_attract(self) -> None:
        self._back_to_attract.stop()
        self._result = None
        set_style_property(self, "tone", "attract")
        self.pages.setCurrentWidget(self.attract_page)
        self._set_state("attract")

    def detail_lines(self) -> list[str]:
        """The smaller lines under the name, as shown (for tests and the desk)."""
        return [label.text() for label in self._detail_labels if not label.isHidden()]

    def show_on_best_screen(self) -> bool:
        """Full screen on a second screen when there is one; else a normal window.

        Returns True when the face went full screen on a screen of its own.
        """
        screen = choose_kiosk_screen(QGuiApplication.screens(), QGuiApplication.primaryScreen())
        if screen is None:
            self.resize(*WINDOW_SIZE)
            self.show()
            return False
        self.setScreen(screen)
        self.setGeometry(screen.geometry())
        self.showFullScreen()
        return True

    # --- building -------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        self.setObjectName("KioskFace")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.pages = QStackedWidget()
        self.pages.setObjectName("KioskPages")
        self.attract_page = self._build_attract_page()
        self.answer_page = self._build_answer_page()
        self.pages.addWidget(self.attract_page)
        self.pages.addWidget(self.answer_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        # The type scales with the window, so the layout must not hold the window at the
        # height the previous (larger) type needed.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.setMinimumSize(*MINIMUM_SIZE)

    def _build_attract_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("KioskAttract")
        self.school = _fit("", "KioskSchool")
        self.prompt = _fit(SCAN_PROMPT, "KioskPrompt")
        self.hint = _label(SCAN_HINT, "KioskHint")
        self.rule = _label(PHONE_RULE, "KioskRule")
        self.no_liability = _label(NO_LIABILITY, "KioskNoLiability")
        self.visiting = TouchButton(VISITING_LABEL, role="kiosk", min_height=DONE_HEIGHT)
        self.visiting.setObjectName("KioskDone")
        self.visiting.clicked.connect(self.show_visitor_flow)
        self.visiting.hide()  # shown once the visitor pages are attached
        visiting_row = QHBoxLayout()
        visiting_row.addStretch(1)
        visiting_row.addWidget(self.visiting)
        layout = self._attract_layout = QVBoxLayout(page)
        layout.setSpacing(16)
        layout.addWidget(self.school)
        layout.addStretch(3)
        layout.addWidget(self.prompt)
        layout.addWidget(self.hint)
        layout.addStretch(2)
        layout.addWidget(self.rule)
        layout.addStretch(1)
        layout.addWidget(self.no_liability)
        layout.addLayout(visiting_row)
        return page

    def _build_answer_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("KioskAnswer")
        self.kicker = _fit("", "KioskKicker")
        self.headline = _fit("", "KioskHeadline")
        self.name = _fit("", "KioskName")
        self._details = QVBoxLayout()
        self._details.setSpacing(14)
        self._detail_labels: list[QLabel] = []
        self.done = TouchButton("Done", role="kiosk", min_height=DONE_HEIGHT)
        self.done.setObjectName("KioskDone")
        self.done.clicked.connect(self.show_attract)
        self.next_hint = _label("The next pupil can scan straight away.", "KioskNextHint")
        self.next_hint.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        footer = QHBoxLayout()
        footer.addWidget(self.next_hint, 1)
        footer.addWidget(self.done)
        layout = self._answer_layout = QVBoxLayout(page)
        layout.setSpacing(12)
        layout.addWidget(self.kicker)
        layout.addStretch(1)
        layout.addWidget(self.headline)
        layout.addWidget(self.name)
        layout.addSpacing(24)
        layout.addLayout(self._details)
        layout.addStretch(2)
        layout.addLayout(footer)
        return page

    def _show_details(self, lines: tuple[str, ...]) -> None:
        while len(self._detail_labels) < len(lines):
            label = _label("", "KioskDetail")
            self._details.addWidget(label)
            self._detail_labels.append(label)
        for index, label in enumerate(self._detail_labels):
            if index < len(lines):
                label.setText(lines[index])
                # The first line is the one that matters most (switch off, or the reason).
                label.setProperty("first", index == 0)
                label.show()
            else:
                label.hide()

    def _apply_scale(self, scale: float) -> None:
        if scale == self._scale:
            return
        self._scale = scale
        self.pages.setStyleSheet(type_stylesheet(scale))
        margins = [round(m * scale) for m in PAGE_MARGINS]
        for page_layout in (self._attract_layout, self._answer_layout):
            page_layout.setContentsMargins(*margins)
        self.done.set_min_height(round(DONE_HEIGHT * scale))
        self.visiting.set_min_height(round(DONE_HEIGHT * scale))

    # --- slots ----------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt name)
        self._apply_scale(face_scale(self.width(), self.height()))
        super().resizeEvent(event)

    def _on_time_up(self) -> None:
        self.show_attract()

    def _set_state(self, state: str) -> None:
        self._state = state
        self.sig_state_changed.emit(state)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt name)
        # Closing only hides the face; the desk can bring it back.
        self._back_to_attract.stop()
        self.show_attract()
        super().closeEvent(event)
