"""The red alert banner: above every page of the desk from a sign-in that matches the alert
list until a named member of staff acknowledges it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QLabel

from kiosk.changes import Changes, Topic
from kiosk.services import alerts, audit
from kiosk.startup import open_kiosk
from tests.factories import make_pupil, make_receptionist, make_visit
from ui.ask import ScriptedAsker
from ui.components.desk.alert_banner import LOCKED_TEXT
from ui.screens.desk_window import DeskWindow


@pytest.fixture
def new_desk(qtbot) -> Iterator:  # type: ignore[no-untyped-def]
    """Build a desk window on a context, shown at 1280x720 (the smallest screen we fit)."""

    def build(ctx) -> DeskWindow:  # type: ignore[no-untyped-def]
        desk = DeskWindow(ctx, ScriptedAsker())
        qtbot.addWidget(desk)
        desk.resize(1280, 720)
        desk.show()
        return desk

    yield build


def visitor_signs_in(desk: DeskWindow, ctx, name: str) -> None:  # type: ignore[no-untyped-def]
    """A visitor signs in at the kiosk; the desk hears of it as the application tells it."""
    make_visit(ctx, name=name)
    desk.apply(Changes.of(Topic.VISITORS))


def test_alert_banner_shows_on_every_page_until_acknowledged_by_a_receptionist(
    qtbot, new_desk, ctx, manager, clock
) -> None:
    alerts.add_alert(ctx, manager, "John Smith", "Not to be admitted; call the head at once")
    desk_person = make_receptionist(ctx, manager, name="Mrs Carys Bevan")
    desk = new_desk(ctx)
    desk.unlock(desk_person)
    banner = desk.alert_banner
    assert banner.isHidden()

    visitor_signs_in(desk, ctx, "John Smith")

    assert banner.isVisible()
    [line] = banner.texts()
    assert line == (
        "Alert list: John Smith signed in at 08:40. Note: Not to be admitted; call the head at once"
    )
    assert banner.sound.times_played == 1
    for panel in desk.workspace.visible_panels():
        desk.workspace.show_panel(type(panel))
        assert banner.isVisible(), desk.workspace.page_title(panel)
        # Above the page, in the desk window, and whole (its lines wrap, never cut off).
        assert banner.geometry().bottom() < desk.stack.geometry().top()
        qtbot.wait(1)  # let the layout settle
        for label in banner.findChildren(QLabel):
            if label.isVisible():
                assert label.height() >= label.heightForWidth(label.width())

    [button] = banner.acknowledge_buttons()
    assert button.accessibleName() == "Acknowledge the alert for John Smith"
    button.click()

    assert banner.isHidden()
    [entry] = audit.recent_entries(ctx, limit=1)
    assert (entry.action, entry.actor) == ("visitor_alert_seen", "Mrs Carys Bevan (receptionist)")


def test_alert_banner_stays_through_pupil_scans_and_a_restart(
    new_desk, ctx, db_url, manager, clock
) -> None:
    from kiosk.scanning.service import act_on_scan
    from kiosk.services.pupils import card_payload

    alerts.add_alert(ctx, manager, "John Smith", "Call the head")
    pupil = make_pupil(ctx, forename="Jayden", surname="Adeyemi")
    desk = new_desk(ctx)
    desk.unlock(manager)
    visitor_signs_in(desk, ctx, "John Smith")

    desk.show_scan_result(act_on_scan(ctx, card_payload(ctx, pupil)))

    assert "Jayden Adeyemi" in desk.header.banner_message()
    assert desk.alert_banner.isVisible()
    assert "John Smith" in desk.alert_banner.texts()[0]

    # The desk is closed and opened again on the same database.
    desk.close()
    again = open_kiosk(db_url, clock=clock)
    try:
        reopened = new_desk(again)
        assert reopened.alert_banner.isVisible()
        assert reopened.alert_banner.texts() == [LOCKED_TEXT]  # no names while locked
        assert reopened.alert_banner.acknowledge_buttons() == []
        assert reopened.alert_banner.sound.times_played == 1
        reopened.unlock(manager)
        assert reopened.alert_banner.texts() == [
            "Alert list: John Smith signed in at 08:40. Note: Call the head"
        ]
        assert reopened.alert_banner.sound.times_played == 1  # the same alert rings once
        reopened.close()
    finally:
        again.close()


def test_alert_banner_lists_each_match_and_names_the_listed_name(new_desk, ctx, manager) -> None:
    alerts.add_alert(ctx, manager, "John Smith", "")
    alerts.add_alert(ctx, manager, "Ann Lee", "Court order: not to collect")
    desk = new_desk(ctx)
    desk.unlock(manager)
    visitor_signs_in(desk, ctx, "John Peter Smith")
    visitor_signs_in(desk, ctx, "ann lee")

    assert desk.alert_banner.texts() == [
        "Alert list: ann lee signed in at 08:40. Note: Court order: not to collect",
        "Alert list: John Peter Smith signed in at 08:40 (listed as John Smith).",
    ]
    assert desk.alert_banner.sound.times_played == 2
    desk.alert_banner.acknowledge_buttons()[0].click()
    assert [m.signed_in_name for m in desk.alert_banner.matches()] == ["John Peter Smith"]
    assert [m.signed_in_name for m in alerts.alert_matches(ctx, manager)] == ["John Peter Smith"]
