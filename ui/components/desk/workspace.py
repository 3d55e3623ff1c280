"""The receptionist's working area in the desk window: a side bar of sections, each with
its pages.

The sections and pages are built from
:data:`~ui.components.desk.registry.DESK_SECTIONS`; every page is a desk panel. A change (a
scan, a panel's own action, another desk's work noticed in the audit log) reaches
:meth:`DeskWorkspace.apply`: the page in view reloads at once when it shows what changed,
and the other pages that show it reload when they are next opened, so a scan in a busy
morning costs one page's refresh, not fifteen.

Who is signed in decides what is shown (:meth:`DeskWorkspace.show_for`): a manager-only
page is not there for a receptionist, and a section left with no page disappears from the
side bar. The services check the role again (:mod:`kiosk.services.acting`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.changes import EVERYTHING, Changes
from kiosk.context import KioskContext
from kiosk.resources import resource_path
from kiosk.rows.people import Actor
from ui.ask import Asker
from ui.components.custody.board import BoardView
from ui.components.custody.pupils import PupilPanel
from ui.components.desk.panel import DeskPanel
from ui.components.desk.registry import DESK_SECTIONS, DeskSection
from ui.components.desk.today import TodayPanel
from ui.widgets.styling import set_style_property

PanelT = TypeVar("PanelT", bound=DeskPanel)

SECTION_ICON_SIZE = 28


def desk_stylesheet() -> str:
    """The desk's stylesheet (colours of tiles, headings, highlighted rows)."""
    try:
        return resource_path("styles", "desk.qss").read_text(encoding="utf-8")
    except OSError:
        return ""


def section_icon(section: DeskSection) -> QIcon:
    """The section's icon from ``resources/icons/sections`` (an empty icon when missing)."""
    try:
        path = resource_path("icons", "sections", section.icon)
    except OSError:
        return QIcon()
    return QIcon(str(path)) if path.is_file() else QIcon()


class DeskWorkspace(QWidget):
    """Every desk panel, as pages of the side bar's sections, refreshed by what changed."""

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
        self._sections = DESK_SECTIONS
        self._pages: list[QTabWidget] = []
        self._buttons: list[QToolButton] = []
        self._panels: list[DeskPanel] = []
        self._section_of: dict[int, int] = {}  # id(panel) -> section index
        self._holder: dict[int, QScrollArea] = {}  # id(panel) -> the scroll area it is in
        for number, section in enumerate(self._sections):
            for kind in section.pages:
                panel = kind(ctx, actor, asker)
                self._section_of[id(panel)] = number
                self._panels.append(panel)
        self._manager = False
        self._viewer: int | None = None  # the staff id of who the pages are shown for
        self._setup_ui()
        # Nothing has been read yet: every page reloads when it is first shown.
        self._stale: set[int] = {id(panel) for panel in self._panels}

    # --- public ---------------------------------------------------------------------------

    def panel(self, kind: type[PanelT]) -> PanelT:
        """The one panel of class ``kind``; raises LookupError when the desk has none."""
        for panel in self._panels:
            if isinstance(panel, kind):
                return panel
        raise LookupError(f"the desk has no {kind.__name__} page")

    def panels(self) -> tuple[DeskPanel, ...]:
        """Every panel, section by section, in tab order (shown or not)."""
        return tuple(self._panels)

    def visible_panels(self) -> tuple[DeskPanel, ...]:
        """The panels the person signed in can open, in the same order."""
        return tuple(p for p in self._panels if self._may_see(p))

    def sections(self) -> tuple[str, ...]:
        """The words of the side bar's sections the person signed in can open, in order."""
        return tuple(
            section.title
            for number, section in enumerate(self._sections)
            if not self._buttons[number].isHidden()
        )

    def section_button(self, title: str) -> QToolButton:
        """The side bar's button of the section called ``title``; LookupError when none."""
        for number, section in enumerate(self._sections):
            if section.title == title:
                return self._buttons[number]
        raise LookupError(f"the desk has no section called {title!r}")

    def current_section(self) -> str:
        """The words of the section in view."""
        return self._sections[self.stack.currentIndex()].title

    def current_panel(self) -> DeskPanel:
        """The panel in view."""
        return self._panel_in(self._pages[self.stack.currentIndex()].currentWidget())

    def page_title(self, panel: DeskPanel) -> str:
        """The words on ``panel``'s tab as shown (a count included, e.g. "Calls (1 urgent)")."""
        tabs = self._pages[self._section_of[id(panel)]]
        return tabs.tabText(tabs.indexOf(self._holder[id(panel)]))

    def show_panel(self, kind: type[PanelT]) -> PanelT:
        """Bring the page of class ``kind`` into view, in its section (reloading it if it
        is out of date). Raises LookupError when the desk has no such page."""
        panel = self.panel(kind)
        number = self._section_of[id(panel)]
        self._select_section(number)
        self._pages[number].setCurrentWidget(self._holder[id(panel)])
        self._refresh_if_stale(panel)
        return panel

    def show_section(self, title: str) -> DeskPanel:
        """Bring the section called ``title`` into view; returns its page in view."""
        for number, section in enumerate(self._sections):
            if section.title == title:
                self._select_section(number)
                panel = self.current_panel()
                self._refresh_if_stale(panel)
                return panel
        raise LookupError(f"the desk has no section called {title!r}")

    def show_for(self, actor: Actor | None) -> None:
        """Show the pages ``actor`` may open: manager-only pages only to a manager (by the
        role they signed in with; the services read it again from the database). A
        section with no page left disappears. Someone new signing in starts on Today; the
        same person signing in again (after the desk locked itself) finds the page they
        left, unless it is now hidden from them."""
        self._manager = actor is not None and actor.role == "manager"
        someone_new = actor is None or actor.staff_id != self._viewer
        self._viewer = None if actor is None else actor.staff_id
        for panel in self._panels:
            panel.show_for(actor)
        for number, tabs in enumerate(self._pages):
            any_shown = False
            for index in range(tabs.count()):
                shown = self._may_see(self._panel_in(tabs.widget(index)))
                tabs.setTabVisible(index, shown)
                any_shown = any_shown or shown
            self._buttons[number].setHidden(not any_shown)
            # A hidden tab must not stay the section's page in view.
            if not self._may_see(self._panel_in(tabs.currentWidget())):
                for index in range(tabs.count()):
                    if tabs.isTabVisible(index):
                        tabs.setCurrentIndex(index)
                        break
        if someone_new or not self._may_see(self.current_panel()):
            self.show_panel(TodayPanel)

    def apply(self, changes: Changes) -> None:
        """Reload the panels that show what ``changes`` touches: the one in view (and any
        whose tab title carries a count) at once, the others when they are next shown."""
        current = self.current_panel()
        for panel in self._panels:
            if not changes.touches(panel.shows):
                continue
            if panel is current or panel.live_title:
                self._refresh(panel)
            else:
                self._stale.add(id(panel))

    def refresh(self) -> None:
        """Reload as if everything had changed (see :meth:`apply`)."""
        self.apply(EVERYTHING)

    def show_pupil(self, pupil_id: int) -> None:
        """Open the Pupils page on the pupil with id ``pupil_id``."""
        self.show_panel(PupilPanel).show_pupil(pupil_id)

    def claim_scan(self, code: str) -> bool:
        """Whether the panel in view used a scanned ``code`` itself (a form asking for a
        pupil's card), so that the scan hands nothing in."""
        return self.current_panel().claim_scan(code)

    # --- building -------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        self.side_bar = QFrame()
        self.side_bar.setObjectName("deskSideBar")
        bar = QVBoxLayout(self.side_bar)
        bar.setContentsMargins(6, 8, 6, 8)
        bar.setSpacing(4)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self.stack = QStackedWidget()
        self.stack.setObjectName("deskPages")
        for number, section in enumerate(self._sections):
            button = QToolButton()
            button.setObjectName("deskSection")
            button.setText(section.title)
            button.setIcon(section_icon(section))
            button.setIconSize(QSize(SECTION_ICON_SIZE, SECTION_ICON_SIZE))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
            button.setCheckable(True)
            button.setAccessibleName(section.title)
            button.setToolTip(f"{section.title} ({section.shortcut})")
            button.setProperty("selected", "false")
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.clicked.connect(lambda _=False, n=number: self._on_section_clicked(n))
            self._group.addButton(button, number)
            self._buttons.append(button)
            bar.addWidget(button)
            shortcut = QShortcut(QKeySequence(section.shortcut), self)
            shortcut.activated.connect(lambda n=number: self._on_section_clicked(n))

            tabs = QTabWidget()
            tabs.setObjectName("deskTabs")
            tabs.setDocumentMode(True)
            tabs.setTabBarAutoHide(True)
            self._pages.append(tabs)
            self.stack.addWidget(tabs)
        bar.addStretch(1)

        for panel in self._panels:
            tabs = self._pages[self._section_of[id(panel)]]
            # A page taller or wider than the screen scrolls on its own: one tall page
            # must not make the whole desk taller than a 1280x720 screen.
            holder = QScrollArea()
            holder.setObjectName("deskPage")
            holder.setWidgetResizable(True)
            holder.setFrameShape(QFrame.Shape.NoFrame)
            holder.setWidget(panel)
            self._holder[id(panel)] = holder
            tabs.addTab(holder, panel.title)
            panel.sig_changed.connect(self._on_panel_changed)
            panel.sig_title_changed.connect(
                lambda title, panel=panel: self._on_title_changed(panel, title)
            )
        for tabs in self._pages:
            tabs.currentChanged.connect(self._on_page_changed)
        self.panel(BoardView).sig_pupil_chosen.connect(self.show_pupil)
        self.panel(TodayPanel).sig_page_requested.connect(self.show_panel)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.side_bar)
        layout.addWidget(self.stack, 1)
        self.setStyleSheet(desk_stylesheet())
        self._select_section(0)

    @staticmethod
    def _panel_in(page: QWidget | None) -> DeskPanel:
        """The desk panel a section's tab holds (inside its scroll area)."""
        panel = page.widget() if isinstance(page, QScrollArea) else page
        assert isinstance(panel, DeskPanel)
        return panel

    def _may_see(self, panel: DeskPanel) -> bool:
        return self._manager or not panel.manager_only

    def _select_section(self, number: int) -> None:
        self.stack.setCurrentIndex(number)
        for index, button in enumerate(self._buttons):
            button.setChecked(index == number)
            set_style_property(button, "selected", "true" if index == number else "false")

    def _refresh(self, panel: DeskPanel) -> None:
        self._stale.discard(id(panel))
        panel.refresh()

    def _refresh_if_stale(self, panel: DeskPanel) -> None:
        if id(panel) in self._stale:
            self._refresh(panel)

    # --- slots ----------------------------------------------------------------------------

    def _on_section_clicked(self, number: int) -> None:
        if self._buttons[number].isHidden():
            return
        self._select_section(number)
        self._refresh_if_stale(self.current_panel())

    def _on_page_changed(self, _index: int) -> None:
        tabs = self.sender()
        if isinstance(tabs, QTabWidget) and tabs is self._pages[self.stack.currentIndex()]:
            self._refresh_if_stale(self.current_panel())

    def _on_title_changed(self, panel: DeskPanel, title: str) -> None:
        number = self._section_of[id(panel)]
        tabs = self._pages[number]
        tabs.setTabText(tabs.indexOf(self._holder[id(panel)]), title)
        # A count in a page's words (urgent calls) shows on its section too, from any page.
        section = self._sections[number]
        extra = title.removeprefix(panel.title).strip() if title.startswith(panel.title) else ""
        button = self._buttons[number]
        button.setText(f"{section.title}\n{extra}" if extra else section.title)
        set_style_property(button, "attention", "true" if extra else "false")

    def _on_panel_changed(self, changes: Changes) -> None:
        self.apply(changes)
        self.sig_changed.emit(changes)
