"""The desk reloads by what changed: a scan reloads the tabs that show phones, not the
visitors or the calls; a change made at another desk reloads the tab in view."""

from __future__ import annotations

from collections import Counter

from kiosk.changes import Changes, Topic
from kiosk.context import KioskContext
from kiosk.rows.people import Actor
from kiosk.services.pupils import card_payload
from tests.factories import make_pupil, make_visit
from tests.ui.test_ui_app import make_desk
from ui.components.calls.panel import CallsPanel
from ui.components.custody.board import BoardView
from ui.components.desk.registry import DESK_PANELS
from ui.components.visitors.panel import VisitorsPanel
from ui.scan_router import ScanRouter
from ui.screens.desk_window import DeskWindow


def count_refreshes(desk: DeskWindow) -> Counter[str]:
    """How often each panel reloads from now on, by its tab's title."""
    counts: Counter[str] = Counter()
    for panel in desk.workspace.panels():
        original = panel.refresh

        def counting(original=original, title=panel.title) -> None:  # type: ignore[no-untyped-def]
            counts[title] += 1
            original()

        panel.refresh = counting  # type: ignore[method-assign]
    return counts


def test_every_page_is_a_registered_panel_in_its_section(qtbot, ctx, manager) -> None:  # type: ignore[no-untyped-def]
    desk = make_desk(qtbot, ctx)
    desk.unlock(manager)
    workspace = desk.workspace

    assert [type(panel) for panel in workspace.panels()] == list(DESK_PANELS)
    assert workspace.sections() == (
        "Today",
        "Phones",
        "Confiscations",
        "Visitors",
        "Calls",
        "School set-up",
    )
    assert [panel.title for panel in workspace.panels()][:6] == [
        "Today",
        "Board",
        "Pupils",
        "End of day",
        "Exemptions",
        "Cards",
    ]


def test_pupil_scan_refreshes_the_board_and_not_visitors_or_calls(
    qtbot, ctx: KioskContext, receptionist: Actor
) -> None:  # type: ignore[no-untyped-def]
    pupil = make_pupil(ctx)
    desk = make_desk(qtbot, ctx)
    desk.unlock(receptionist)
    workspace = desk.workspace
    # Visitors and Calls have been read once, so nothing is left for them to catch up on.
    workspace.show_panel(VisitorsPanel)
    workspace.show_panel(CallsPanel)
    board = workspace.show_panel(BoardView)
    refreshes = count_refreshes(desk)

    result = ScanRouter(ctx).route_scan(card_payload(ctx, pupil))
    desk.show_scan_result(result)

    assert result.kind == "handed_in"
    assert board.tile("Office tray", 1).pupil_name == "Zoë Ní Bhriain"
    assert refreshes["Board"] == 1
    workspace.show_panel(VisitorsPanel)
    workspace.show_panel(CallsPanel)
    assert refreshes["Visitors"] == 0
    assert refreshes["Calls"] == 0
    assert sum(refreshes.values()) == 1


def test_visitor_change_reloads_visitors_when_next_shown_and_not_the_board(
    qtbot, ctx: KioskContext, receptionist: Actor
) -> None:  # type: ignore[no-untyped-def]
    desk = make_desk(qtbot, ctx)
    desk.unlock(receptionist)
    workspace = desk.workspace
    visitors = workspace.show_panel(VisitorsPanel)
    workspace.show_panel(BoardView)
    refreshes = count_refreshes(desk)
    make_visit(ctx, name="Priya Shah")

    desk.apply(Changes.of(Topic.VISITORS))

    assert refreshes["Board"] == 0
    assert refreshes["Visitors"] == 0  # not in view: read when it is next shown
    workspace.show_panel(VisitorsPanel)
    assert refreshes["Visitors"] == 1
    assert [visit.name for visit in visitors.on_site_model.rows()] == ["Priya Shah"]


def test_change_made_at_another_desk_refreshes_the_panel_in_view(
    qtbot, ctx: KioskContext, receptionist: Actor
) -> None:  # type: ignore[no-untyped-def]
    desk = make_desk(qtbot, ctx, poll_ms=50)
    desk.unlock(receptionist)
    visitors = desk.workspace.show_panel(VisitorsPanel)
    assert visitors.on_site_model.rowCount() == 0

    make_visit(ctx, name="Priya Shah")  # as the kiosk of another desk, or the command line, would

    qtbot.waitUntil(lambda: visitors.on_site_model.rowCount() == 1)
    assert visitors.on_site_model.rows()[0].name == "Priya Shah"
