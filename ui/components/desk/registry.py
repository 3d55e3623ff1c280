"""Every tab of the desk, in the order the receptionist sees them.

A new tab is a :class:`~ui.components.desk.panel.DeskPanel` subclass added to
:data:`DESK_PANELS`; the workspace builds, titles, refreshes and wires each one the same way.
"""

from __future__ import annotations

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
from ui.components.setup.imports import ImportPanel
from ui.components.visitors.panel import VisitorsPanel

DESK_PANELS: tuple[type[DeskPanel], ...] = (
    BoardView,
    PupilPanel,
    EndOfDayPanel,
    CardsPanel,
    AuditPanel,
    SettingsPanel,
    CallsPanel,
    PhoneLogPanel,
    VisitsPanel,
    DirectoryPanel,
    SchoolDayPanel,
    ConfiscationsPanel,
    ArrangementsPanel,
    VisitorsPanel,
    ImportPanel,
)
"""The panel classes in tab order (the first is in view when the desk opens)."""
