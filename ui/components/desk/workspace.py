"""The receptionist's working area in the desk window: one tab per desk panel.

The tabs are built from :data:`~ui.components.desk.registry.DESK_PANELS`. A change (a scan,
a panel's own action, another desk's work noticed in the audit log) reaches
:meth:`DeskWorkspace.apply`: the tab in view reloads at once when it shows what changed, and
the other tabs that show it reload when they are next opened, so a scan in a busy morning
costs one tab's refresh, not fourteen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from kiosk.changes import EVERYTHING, Changes
from kiosk.context import KioskContext
from kiosk.resources import resource_path
from kiosk.rows.people import Actor
from ui.ask import Asker
from ui.components.custody.board import BoardView
from ui.components.custody.pupils import PupilPanel
from ui.components.desk.panel import DeskPanel
from ui.components.desk.registry import DESK_PANELS

PanelT = TypeVar("PanelT", bound=DeskPanel)


def desk_stylesheet() -> str:
    """The desk's stylesheet (colours of tiles, headings, highlighted rows)."""
    try:
        return resource_path("styles", "desk.qss").read_text(encoding="utf-8")
    except OSError:
        return ""


class DeskWorkspace(QWidget):
    """Every desk panel, in tabs, refreshed by what changed."""

    sig_changed = Signal(object)
    """The receptionist changed something in a panel; carries its :class:`Changes`."""

    def __init__(
        self,
        ctx: KioskContext,
        actor: Callable[[], Actor | None],
        asker: Asker,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._panels: list[DeskPanel] = [kind(ctx, actor, asker) for kind in DESK_PANELS]
        self._setup_ui()
        # Nothing has been read yet: every tab reloads when it is first shown.
        self._stale = set(range(len(self._panels)))

    # --- public ---------------------------------------------------------------------------

    def panel(self, kind: type[PanelT]) -> PanelT:
        """The one panel of class ``kind``; raises LookupError when the desk has none."""
        for panel in self._panels:
            if isinstance(panel, kind):
                return panel
        raise LookupError(f"the desk has no {kind.__name__} tab")

    def panels(self) -> tuple[DeskPanel, ...]:
        """Every panel, in tab order."""
        return tuple(self._panels)

    def current_panel(self) -> DeskPanel:
        """The panel in view."""
        return self._panels[self.tabs.currentIndex()]

    def show_panel(self, kind: type[PanelT]) -> PanelT:
        """Bring the tab of class ``kind`` into view (reloading it if it is out of date)."""
        panel = self.panel(kind)
        self.tabs.setCurrentWidget(panel)
        return panel

    def apply(self, changes: Changes) -> None:
        """Reload the panels that show what ``changes`` touches: the one in view (and any
        whose tab title carries a count) at once, the others when they are next shown."""
        current = self.tabs.currentIndex()
        for index, panel in enumerate(self._panels):
            if not changes.touches(panel.shows):
                continue
            if index == current or panel.live_title:
                self._refresh_tab(index)
            else:
                self._stale.add(index)

    def refresh(self) -> None:
        """Reload as if everything had changed (see :meth:`apply`)."""
        self.apply(EVERYTHING)

    def show_pupil(self, pupil_id: int) -> None:
        """Open the Pupils tab on the pupil with id ``pupil_id``."""
        self.show_panel(PupilPanel).show_pupil(pupil_id)

    def claim_scan(self, code: str) -> bool:
        """Whether the panel in view used a scanned ``code`` itself (a form asking for a
        pupil's card), so that the scan hands nothing in."""
        return self.current_panel().claim_scan(code)

    # --- building -------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        self.tabs = QTabWidget()
        self.tabs.setObjectName("deskTabs")
        self.tabs.setDocumentMode(True)
        for panel in self._panels:
            self.tabs.addTab(panel, panel.title)
            panel.sig_changed.connect(self._on_panel_changed)
            panel.sig_title_changed.connect(
                lambda title, panel=panel: self.tabs.setTabText(self.tabs.indexOf(panel), title)
            )
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.panel(BoardView).sig_pupil_chosen.connect(self.show_pupil)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.setStyleSheet(desk_stylesheet())

    def _refresh_tab(self, index: int) -> None:
        if index < 0:
            return
        self._stale.discard(index)
        self._panels[index].refresh()

    # --- slots ----------------------------------------------------------------------------

    def _on_tab_changed(self, index: int) -> None:
        if index in self._stale:
            self._refresh_tab(index)

    def _on_panel_changed(self, changes: Changes) -> None:
        self.apply(changes)
        self.sig_changed.emit(changes)
