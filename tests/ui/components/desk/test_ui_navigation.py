"""The desk by job: sections in a side bar, their pages, the Today page, and what a
receptionist is not shown."""

from __future__ import annotations

from PySide6.QtCore import Qt

from kiosk.context import KioskContext
from kiosk.rows.people import Actor
from kiosk.services import custody
from tests.factories import make_directory_entry, make_message, make_pupil, make_visit
from tests.ui.test_ui_app import make_desk
from ui.components.calendar.school_day import SchoolDayPanel
from ui.components.calls.panel import CallsPanel
from ui.components.calls.trips import VisitsPanel
from ui.components.custody.board import BoardView
from ui.components.desk.audit import AuditPanel
from ui.components.desk.registry import DESK_SECTIONS
from ui.components.desk.settings import SettingsPanel
from ui.components.desk.today import TodayPanel
from ui.components.visitors.panel import VisitorsPanel


def test_the_desk_opens_on_today_and_every_section_and_page_is_reachable(
    qtbot, ctx: KioskContext, manager: Actor
) -> None:  # type: ignore[no-untyped-def]
    desk = make_desk(qtbot, ctx)
    desk.unlock(manager)
    workspace = desk.workspace
    assert workspace.current_section() == "Today"
    assert isinstance(workspace.current_panel(), TodayPanel)

    for section in DESK_SECTIONS:
        qtbot.mouseClick(workspace.section_button(section.title), Qt.MouseButton.LeftButton)
        assert workspace.current_section() == section.title
        assert type(workspace.current_panel()) is section.pages[0]
        for page in section.pages:
            assert workspace.show_panel(page) is workspace.current_panel()
            assert workspace.current_section() == section.title
            assert workspace.current_panel().isVisible()


def test_the_section_in_view_is_marked_for_the_eye_and_the_screen_reader(
    qtbot, ctx: KioskContext, receptionist: Actor
) -> None:  # type: ignore[no-untyped-def]
    desk = make_desk(qtbot, ctx)
    desk.unlock(receptionist)
    workspace = desk.workspace

    qtbot.mouseClick(workspace.section_button("Calls"), Qt.MouseButton.LeftButton)

    calls = workspace.section_button("Calls")
    assert calls.isChecked()
    assert calls.property("selected") == "true"
    assert calls.accessibleName() == "Calls"
    assert not calls.icon().isNull()
    others = [workspace.section_button(t) for t in workspace.sections() if t != "Calls"]
    assert all(b.property("selected") == "false" and not b.isChecked() for b in others)


def test_staff_trips_are_called_trips_out_not_visits(
    qtbot, ctx: KioskContext, receptionist: Actor
) -> None:  # type: ignore[no-untyped-def]
    desk = make_desk(qtbot, ctx)
    desk.unlock(receptionist)
    workspace = desk.workspace
    titles = [workspace.page_title(panel) for panel in workspace.visible_panels()]

    assert workspace.page_title(workspace.panel(VisitsPanel)) == "Trips out"
    assert "Visits" not in titles
    assert titles.count("Visitors") == 1


def test_a_receptionist_is_not_shown_manager_pages_and_a_manager_is(
    qtbot, ctx: KioskContext, manager: Actor, receptionist: Actor
) -> None:  # type: ignore[no-untyped-def]
    desk = make_desk(qtbot, ctx)
    desk.unlock(manager)
    workspace = desk.workspace
    workspace.show_panel(AuditPanel)  # the manager leaves the audit log in view
    desk.lock()

    desk.unlock(receptionist)

    shown = {type(panel) for panel in workspace.visible_panels()}
    assert AuditPanel not in shown
    assert SchoolDayPanel not in shown
    assert SettingsPanel in shown  # the printer is anyone's to choose
    assert isinstance(workspace.current_panel(), TodayPanel)
    assert "School set-up" in workspace.sections()
    workspace.show_section("School set-up")
    assert isinstance(workspace.current_panel(), SettingsPanel)
    assert not workspace.panel(AuditPanel).isVisible()

    desk.lock()
    desk.unlock(manager)

    shown = {type(panel) for panel in workspace.visible_panels()}
    assert {AuditPanel, SchoolDayPanel} <= shown


def test_today_counts_what_waits_and_each_line_opens_its_page(
    qtbot, ctx: KioskContext, receptionist: Actor
) -> None:  # type: ignore[no-untyped-def]
    dafydd = make_directory_entry(ctx, receptionist)
    make_message(ctx, receptionist, for_staff_id=dafydd.id, urgent=True)
    make_message(ctx, receptionist, for_staff_id=dafydd.id, urgent=True)
    make_visit(ctx, name="Priya Shah")
    for surname in ("Adeyemi", "Brown", "Chen"):
        custody.hand_in_for_pupil(ctx, receptionist, make_pupil(ctx, surname=surname).id)
    desk = make_desk(qtbot, ctx)
    desk.unlock(receptionist)
    today = desk.workspace.panel(TodayPanel)

    assert today.line("urgent").text() == "2 urgent calls waiting"
    assert today.line("urgent").property("role") == "today-urgent"
    assert today.line("visitors").text() == "1 visitor on site"
    assert today.line("phones").text() == "3 phones held on the board"
    assert today.line("alerts").text() == "No alert-list matches"
    assert today.line("alerts").property("role") == "today-quiet"

    qtbot.mouseClick(today.line("urgent"), Qt.MouseButton.LeftButton)
    assert isinstance(desk.workspace.current_panel(), CallsPanel)
    assert desk.workspace.current_section() == "Calls"

    desk.workspace.show_panel(TodayPanel)
    qtbot.mouseClick(today.line("visitors"), Qt.MouseButton.LeftButton)
    assert isinstance(desk.workspace.current_panel(), VisitorsPanel)

    desk.workspace.show_panel(TodayPanel)
    qtbot.mouseClick(today.line("phones"), Qt.MouseButton.LeftButton)
    assert isinstance(desk.workspace.current_panel(), BoardView)


def test_today_follows_a_scan_when_it_is_in_view(
    qtbot, ctx: KioskContext, receptionist: Actor
) -> None:  # type: ignore[no-untyped-def]
    from kiosk.services.pupils import card_payload
    from ui.scan_router import ScanRouter

    pupil = make_pupil(ctx)
    desk = make_desk(qtbot, ctx)
    desk.unlock(receptionist)
    today = desk.workspace.panel(TodayPanel)
    assert today.line("phones").text() == "No phones held on the board"

    desk.show_scan_result(ScanRouter(ctx).route_scan(card_payload(ctx, pupil)))

    assert today.line("phones").text() == "1 phone held on the board"


def test_section_shortcuts_open_their_sections(
    qtbot, ctx: KioskContext, receptionist: Actor
) -> None:  # type: ignore[no-untyped-def]
    desk = make_desk(qtbot, ctx)
    desk.unlock(receptionist)
    with qtbot.waitActive(desk):
        desk.activateWindow()
    button = desk.workspace.section_button("Today")
    button.setFocus()

    qtbot.keyClick(button, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)

    assert desk.workspace.current_section() == "Calls"


def test_the_same_person_signing_in_again_finds_the_page_they_left(
    qtbot, ctx: KioskContext, receptionist: Actor, manager: Actor
) -> None:  # type: ignore[no-untyped-def]
    desk = make_desk(qtbot, ctx)
    desk.unlock(receptionist)
    desk.workspace.show_panel(VisitorsPanel)
    desk.lock()  # as the idle lock does

    desk.unlock(receptionist)
    assert isinstance(desk.workspace.current_panel(), VisitorsPanel)

    desk.lock()
    desk.unlock(manager)
    assert isinstance(desk.workspace.current_panel(), TodayPanel)


def test_a_receptionist_is_not_offered_a_managers_actions_and_a_manager_is(
    qtbot, ctx: KioskContext, manager: Actor, receptionist: Actor
) -> None:  # type: ignore[no-untyped-def]
    from ui.components.calls.directory import DirectoryPanel
    from ui.components.confiscations.panel import ConfiscationsPanel

    desk = make_desk(qtbot, ctx)
    workspace = desk.workspace
    desk.unlock(receptionist)

    confiscations = workspace.show_panel(ConfiscationsPanel)
    assert not confiscations.police_button.isVisible()
    assert not confiscations.search_button.isVisible()
    assert confiscations.release_button.isVisible()
    directory = workspace.show_panel(DirectoryPanel)
    assert "Save mail server" not in [b.text() for b in visible_buttons(directory)]
    visitors = workspace.show_panel(VisitorsPanel)
    assert [
        visitors.sections.tabText(i)
        for i in range(visitors.sections.count())
        if visitors.sections.isTabVisible(i)
    ] == [visitors.sections.tabText(0)]

    desk.lock()
    desk.unlock(manager)

    confiscations = workspace.show_panel(ConfiscationsPanel)
    assert confiscations.police_button.isVisible()
    directory = workspace.show_panel(DirectoryPanel)
    assert "Save mail server" in [b.text() for b in visible_buttons(directory)]
    visitors = workspace.show_panel(VisitorsPanel)
    assert all(visitors.sections.isTabVisible(i) for i in range(visitors.sections.count()))


def visible_buttons(panel):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QPushButton

    return [b for b in panel.findChildren(QPushButton) if b.isVisible()]
