"""The desk's Visitors tab: on-site list, checks and escort, sign-out, roll call, alerts,
and the managers' alert list, rules and settings."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from pytestqt.modeltest import ModelTester

from kiosk.services import alerts, visitors
from tests.factories import make_visit
from ui.ask import ScriptedAsker
from ui.components.visitors.panel import VisitorsPanel


def test_on_site_list_shows_visitors_and_passes_the_model_tester(
    desk_panel, ctx, receptionist
) -> None:
    make_visit(ctx, name="Tom & <Jerry>")
    make_visit(ctx, name="Ann Parent", category="parent_carer")
    panel = desk_panel(VisitorsPanel, receptionist, size=(1100, 600))
    model = panel.on_site_model
    ModelTester(None).check(model)
    names = [model.index(r, 1).data() for r in range(model.rowCount())]
    assert names == ["Tom & <Jerry>", "Ann Parent"]
    assert panel.count_label.text() == "On site now: 2 visitors"
    assert not panel.sections.isTabVisible(1)  # the alert list is for managers


def test_checks_set_unescorted_and_a_refusal_changes_nothing(desk_panel, ctx, receptionist) -> None:
    visit = make_visit(ctx).visit
    asker = ScriptedAsker()
    panel = desk_panel(VisitorsPanel, receptionist, asker, size=(1100, 600))
    panel.table.selectRow(0)
    asker.answers.append(None)  # the refusal's message
    panel.unescorted.setChecked(True)
    assert asker.asked[-1][1] == "Checks not recorded"
    assert visitors.get_visit(ctx, visit.id).escorted
    panel.id_checked.setChecked(True)
    panel.dbs_assured.setChecked(True)
    panel.unescorted.setChecked(True)
    stored = visitors.get_visit(ctx, visit.id)
    assert (stored.id_checked, stored.dbs_assured, stored.escorted) == (True, True, False)
    assert panel.on_site_model.index(0, 8).data() == "Unescorted"


def test_sign_out_from_the_list(desk_panel, ctx, receptionist) -> None:
    make_visit(ctx)
    panel = desk_panel(VisitorsPanel, receptionist, size=(1100, 600))
    panel.table.selectRow(0)
    panel.sign_out.click()
    assert visitors.on_site(ctx) == []
    assert panel.on_site_model.rowCount() == 0


def test_roll_call_with_no_printer_offers_to_save_the_pdf(
    desk_panel, ctx, receptionist, tmp_path: Path
) -> None:
    make_visit(ctx, name="Zoë Ávila")
    target = tmp_path / "roll.pdf"
    asker = ScriptedAsker(True, str(target))
    panel = desk_panel(VisitorsPanel, receptionist, asker, size=(1100, 600))
    panel.roll_call_button.click()
    assert asker.asked[0][:2] == ("confirm", "Not printed")
    text = pdfium.PdfDocument(target)[0].get_textpage().get_text_range()
    assert "Zoë Ávila" in text


def test_manager_adds_to_the_alert_list_and_writes_new_rules(desk_panel, ctx, manager) -> None:
    asker = ScriptedAsker(None)
    panel = desk_panel(VisitorsPanel, manager, asker, size=(1100, 600))
    panel.alert_name.setText("Jane Doe")
    panel.alert_note.setText("Not to collect any pupil")
    [b for b in panel.findChildren(type(panel.sign_out)) if b.text() == "Add to alert list"][
        0
    ].click()
    assert [a.name for a in alerts.list_alerts(ctx, manager)] == ["Jane Doe"]
    panel.rules_category.setCurrentIndex(panel.rules_category.findData("governor"))
    before = visitors.current_policy(ctx, "governor").version
    panel.rules_body.setPlainText(panel.rules_body.toPlainText() + "\n\nOne more rule.")
    [b for b in panel.findChildren(type(panel.sign_out)) if b.text() == "Save as a new version"][
        0
    ].click()
    assert visitors.current_policy(ctx, "governor").version == before + 1
    assert panel.rules_version.text() == f"Version {before + 1}"


def test_badge_with_no_printer_is_saved_and_the_desk_told(qtbot, ctx, manager) -> None:
    from ui.components.visitors.badges import BadgeDesk

    signed = make_visit(ctx, name="Priya Shah")
    badges = BadgeDesk(ctx)
    notices: list = []
    badges.sig_desk_notice.connect(notices.append)
    badges.send_badge(signed)
    assert badges.last_saved is not None and badges.last_saved.read_bytes().startswith(b"%PDF")
    assert notices[0].message.headline == "Badge not printed"
    assert "No badge printer is chosen yet" in notices[0].message.one_line


def test_visits_left_open_after_closing_are_listed_and_closed_at_the_desk(
    qtbot, any_ctx, any_manager, clock
) -> None:
    from kiosk.services import audit
    from tests.factories import make_receptionist

    desk = make_receptionist(any_ctx, any_manager)
    left = make_visit(any_ctx, name="Priya Shah").visit
    panel = VisitorsPanel(any_ctx, lambda: desk, ScriptedAsker())
    qtbot.addWidget(panel)
    panel.resize(1100, 700)
    panel.show()
    panel.refresh()
    assert not panel.left_open_box.isVisible()  # the day has not closed

    clock.advance(hours=8)  # after the 15:30 close
    panel.refresh()
    assert panel.left_open_box.isVisible()
    model = panel.left_open_model
    assert [model.index(r, 1).data() for r in range(model.rowCount())] == ["Priya Shah"]
    assert not panel.close_left_open.isEnabled()
    panel.left_open_table.selectRow(0)
    with qtbot.waitSignal(panel.sig_changed):
        panel.close_left_open.click()

    assert visitors.on_site(any_ctx) == []
    assert visitors.get_visit(any_ctx, left.id).signed_out_how == "not_signed_out"
    assert not panel.left_open_box.isVisible()
    assert panel.count_label.text() == "On site now: 0 visitors"
    entry = audit.recent_entries(any_ctx, entity="visitor_visit", entity_id=left.id)[0]
    assert entry.action == "visit_closed_not_signed_out"
