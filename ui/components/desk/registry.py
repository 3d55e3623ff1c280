"""Every page of the desk, grouped into the sections a receptionist works in.

The side bar shows :data:`DESK_SECTIONS` in order (Today first); each section's pages are
:class:`~ui.components.desk.panel.DeskPanel` subclasses, shown as a row of tabs when there
is more than one. A new page is a panel class added to a section; the workspace builds,
titles, refreshes, hides (``manager_only``) and wires each one the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from ui.components.calendar.school_day import SchoolDayPanel
from ui.components.calls.directory import DirectoryPanel
from ui.components.calls.panel import CallsPanel
from ui.components.calls.phone_log import PhoneLogPanel
from ui.components.calls.trips import VisitsPanel
from ui.components.confiscations.panel import ConfiscationsPanel
from ui.components.custody.board import BoardView
from ui.components.custody.cards import CardsPanel
from ui.components.custody.end_of_day import EndOfDayPanel
from ui.components.custody.exemptions import ArrangementsPanel
from ui.components.custody.pupils import PupilPanel
from ui.components.desk.audit import AuditPanel
from ui.components.desk.panel import DeskPanel
from ui.components.desk.settings import SettingsPanel
from ui.components.desk.today import TodayPanel
from ui.components.setup.imports import ImportPanel
from ui.components.visitors.panel import VisitorsPanel


@dataclass(frozen=True, slots=True)
class DeskSection:
    """One entry of the desk's side bar: its words, its icon (a file in
    ``resources/icons/sections``) and its pages in tab order."""

    title: str
    icon: str
    pages: tuple[type[DeskPanel], ...]
    shortcut: str  # the key sequence that opens the section, as Qt spells it


DESK_SECTIONS: tuple[DeskSection, ...] = (
    DeskSection("Today", "today.svg", (TodayPanel,), "Ctrl+1"),
    DeskSection(
        "Phones",
        "phones.svg",
        (BoardView, PupilPanel, EndOfDayPanel, ArrangementsPanel, CardsPanel),
        "Ctrl+2",
    ),
    DeskSection("Confiscations", "confiscations.svg", (ConfiscationsPanel,), "Ctrl+3"),
    DeskSection("Visitors", "visitors.svg", (VisitorsPanel,), "Ctrl+4"),
    DeskSection(
        "Calls", "calls.svg", (CallsPanel, PhoneLogPanel, DirectoryPanel, VisitsPanel), "Ctrl+5"
    ),
    DeskSection(
        "School set-up",
        "setup.svg",
        (SettingsPanel, ImportPanel, SchoolDayPanel, AuditPanel),
        "Ctrl+6",
    ),
)
"""The side bar's sections, top to bottom (the first is in view when the desk opens)."""

DESK_PANELS: tuple[type[DeskPanel], ...] = tuple(
    page for section in DESK_SECTIONS for page in section.pages
)
"""Every page class, section by section, in tab order."""
