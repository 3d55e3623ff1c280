"""The desk's tabs for calls and messages, added to the workspace in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ui.components.calendar.school_day import SchoolDayPanel
from ui.components.calls.directory import DirectoryPanel
from ui.components.calls.panel import CallsPanel
from ui.components.calls.phone_log import PhoneLogPanel
from ui.components.calls.trips import VisitsPanel

if TYPE_CHECKING:
    from ui.components.desk.workspace import DeskWorkspace

CALLS_TITLE = "Calls"


def add_calls_tabs(workspace: DeskWorkspace) -> None:
    """Calls (take a call and the queues), the telephone log, educational visits, the staff directory and the school day. The tab's title carries the urgent count, so an
    urgent call is seen from any tab."""
    ctx, actor, asker = workspace._ctx, workspace._actor, workspace._asker
    calls = CallsPanel(ctx, actor, asker)
    workspace.calls = calls  # type: ignore[attr-defined]
    workspace.phone_log = PhoneLogPanel(ctx, actor, asker)  # type: ignore[attr-defined]
    workspace.directory = DirectoryPanel(ctx, actor, asker)  # type: ignore[attr-defined]
    workspace.visits = VisitsPanel(ctx, actor, asker)  # type: ignore[attr-defined]
    workspace.school_day = SchoolDayPanel(ctx, actor, asker)  # type: ignore[attr-defined]
    panels = [
        (calls, CALLS_TITLE),
        (workspace.phone_log, "Phone log"),  # type: ignore[attr-defined]
        (workspace.visits, "Visits"),  # type: ignore[attr-defined]
        (workspace.directory, "Staff"),  # type: ignore[attr-defined]
        (workspace.school_day, "School day"),  # type: ignore[attr-defined]
    ]
    for panel, title in panels:
        panel.sig_changed.connect(workspace._on_panel_changed)
        workspace._panels.append(panel)
        workspace.tabs.addTab(panel, title)
    index = workspace.tabs.indexOf(calls)

    def show_urgent(count: int) -> None:
        workspace.tabs.setTabText(
            index, f"{CALLS_TITLE} ({count} urgent)" if count else CALLS_TITLE
        )

    calls.sig_urgent_count.connect(show_urgent)
    calls.refresh()
