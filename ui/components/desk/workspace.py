"""The receptionist's working area in the desk window: one tab per job.

``refresh()`` reloads the tab in view at once and marks the others to reload when they are
next shown, so a scan in a busy morning costs one tab's refresh, not six.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from kiosk.context import KioskContext
from kiosk.resources import resource_path
from kiosk.rows.people import Actor
from ui.ask import Asker
from ui.components.calls.tabs import add_calls_tabs
from ui.components.custody.board import BoardView
from ui.components.custody.cards import CardsPanel
from ui.components.custody.end_of_day import EndOfDayPanel
from ui.components.custody.pupils import PupilPanel
from ui.components.desk.audit import AuditPanel
from ui.components.desk.settings import SettingsPanel

BOARD, PUPILS, END_OF_DAY, CARDS, AUDIT, SETTINGS = range(6)


def desk_stylesheet() -> str:
    """The desk's stylesheet (colours of tiles, headings, highlighted rows)."""
    try:
        return resource_path("styles", "desk.qss").read_text(encoding="utf-8")
    except OSError:
        return ""


class DeskWorkspace(QWidget):
    """Board, Pupils, End of day, Cards, Audit and Settings, in tabs."""

    sig_changed = Signal()
    """The receptionist changed something (a hand-in, a release, a setting...)."""

    def __init__(
        self,
        ctx: KioskContext,
        actor: Callable[[], Actor | None],
        asker: Asker,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx, self._actor, self._asker = ctx, actor, asker
        self._setup_ui()
        self._stale = set(range(self.tabs.count()))

    # --- public ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload what is shown now; the other tabs reload when they are next opened."""
        self._stale = set(range(self.tabs.count()))
        self._refresh_tab(self.tabs.currentIndex())

    def show_pupil(self, pupil_id: int) -> None:
        self.tabs.setCurrentIndex(PUPILS)
        self.pupils.show_pupil(pupil_id)

    # --- building -------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        ctx, actor, asker = self._ctx, self._actor, self._asker
        self.board = BoardView(ctx)
        self.pupils = PupilPanel(ctx, actor, asker)
        self.end_of_day = EndOfDayPanel(ctx, actor, asker)
        self.cards = CardsPanel(ctx, actor, asker)
        self.audit = AuditPanel(ctx)
        self.settings = SettingsPanel(ctx, actor, asker)
        self._panels: list[QWidget] = [
            self.board,
            self.pupils,
            self.end_of_day,
            self.cards,
            self.audit,
            self.settings,
        ]

        self.tabs = QTabWidget()
        self.tabs.setObjectName("deskTabs")
        self.tabs.setDocumentMode(True)
        for panel, title in zip(
            self._panels,
            ("Board", "Pupils", "End of day", "Cards", "Audit", "Settings"),
            strict=True,
        ):
            self.tabs.addTab(panel, title)
        add_calls_tabs(self)
        self._add_confiscations_tab()
        self._add_visitors_tab()
        self.tabs.currentChanged.connect(self._on_tab_changed)

        self.board.sig_pupil_chosen.connect(self.show_pupil)
        for panel in (self.pupils, self.end_of_day, self.settings):
            panel.sig_changed.connect(self._on_panel_changed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.setStyleSheet(desk_stylesheet())

    def claim_scan(self, code: str) -> bool:
        """A card scanned while the Confiscations form asks for the pupil chooses them."""
        return self.tabs.currentWidget() is self.confiscations and self.confiscations.claim_scan(
            code
        )

    def _add_confiscations_tab(self) -> None:
        from ui.components.confiscations.panel import ConfiscationsPanel

        self.confiscations = ConfiscationsPanel(self._ctx, self._actor, self._asker)
        self.confiscations.sig_changed.connect(self._on_panel_changed)
        self._panels.append(self.confiscations)
        self.tabs.addTab(self.confiscations, "Confiscations")

        from ui.components.custody.exemptions import ArrangementsPanel

        self.register = ArrangementsPanel(self._ctx, self._actor, self._asker)
        self.register.sig_changed.connect(self._on_panel_changed)
        self._panels.append(self.register)
        self.tabs.addTab(self.register, "Exemptions")

    def _add_visitors_tab(self) -> None:
        from ui.components.visitors.panel import VisitorsPanel

        self.visitors = VisitorsPanel(self._ctx, self._actor, self._asker)
        self.visitors.sig_changed.connect(self._on_panel_changed)
        self._panels.append(self.visitors)
        self.tabs.addTab(self.visitors, "Visitors")

    def _refresh_tab(self, index: int) -> None:
        if index < 0:
            return
        self._stale.discard(index)
        self._panels[index].refresh()  # type: ignore[attr-defined]

    # --- slots ----------------------------------------------------------------------------

    def _on_tab_changed(self, index: int) -> None:
        if index in self._stale:
            self._refresh_tab(index)

    def _on_panel_changed(self) -> None:
        # The panel that made the change has refreshed itself; the rest catch up when shown.
        current = self.tabs.currentIndex()
        self._stale = set(range(self.tabs.count())) - {current}
        self.sig_changed.emit()
