"""The visitor sign-in on the kiosk face, driven as a visitor would, and badge sign-out."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from kiosk.services import alerts, visitors
from tests.keyboard import StampedKeyboard
from tests.ui.signing import sign_pad
from ui.scan_router import ScanRouter
from ui.screens.kiosk_face import KioskFace
from ui.screens.visitor_flow import VisitorFlow
from ui.widgets.scan_listener import ScanListener


def _face(qtbot, ctx, sent: list) -> tuple[KioskFace, VisitorFlow]:
    face = KioskFace("Wrenfield Academy")
    flow = VisitorFlow(ctx, send_badge=sent.append)
    face.attach_visitor_flow(flow)
    qtbot.addWidget(face)
    face.resize(1024, 720)
    face.show()
    return face, flow


def _sign(flow: VisitorFlow) -> None:
    sign_pad(flow.signature)


def _read_to_the_end(flow: VisitorFlow) -> None:
    bar = flow.rules_scroll.verticalScrollBar()
    bar.setValue(bar.maximum())


def test_new_visitor_signs_in_through_every_step(qtbot, ctx, receptionist) -> None:
    sent: list = []
    face, flow = _face(qtbot, ctx, sent)
    face.visiting.click()
    assert face.state == "visiting" and flow.page == "name"
    flow.name_next.click()
    assert flow.page == "name"  # an empty name is refused with a message
    flow.name_edit.setText("Zoë O'Brien & <Co>")
    flow.name_next.click()
    assert flow.page == "details"
    flow.organisation_edit.setText("Łukasz Builders")
    qtbot.keyClicks(flow.host_edit, "ben")
    assert [b.text() for b in flow._host_buttons if not b.isHidden()] == ["Mr Ben Desk"]
    flow._host_buttons[0].click()
    flow.car_edit.setText("ab12 cde")
    flow.details_page.findChildren(type(flow.name_next))[-1].click()
    assert flow.page == "category"
    flow.category_buttons["contractor"].click()
    assert flow.page == "rules"
    face.resize(800, 480)  # small enough that the rules need scrolling
    QApplication.processEvents()
    flow.rules_scroll.verticalScrollBar().setValue(0)
    if flow.rules_scroll.verticalScrollBar().maximum() > 0:
        flow._read_to_end = False
        flow._update_agree()
        assert not flow.agree.isEnabled()
    _read_to_the_end(flow)
    assert flow.agree.isEnabled()
    flow.agree.click()
    assert flow.page == "sign"
    assert not flow.sign_in_button.isEnabled()
    _sign(flow)
    with qtbot.waitSignal(flow.sig_signed_in) as signal:
        flow.sign_in_button.click()
        assert flow.page == "welcome"  # before the badge is sent
    signed = signal.args[0]
    assert signed.visit.name == "Zoë O'Brien & <Co>"
    assert signed.visit.host_name == "Mr Ben Desk"
    assert sent == [signed]
    on_site = visitors.on_site(ctx)
    assert [(v.name, v.organisation, v.car_registration) for v in on_site] == [
        ("Zoë O'Brien & <Co>", "Łukasz Builders", "AB12 CDE")
    ]


def test_returning_visitor_is_three_taps_and_a_signature(qtbot, ctx, receptionist) -> None:
    from tests.factories import make_visit

    first = make_visit(ctx, name="Priya Shah")
    visitors.sign_out_by_badge(ctx, first.badge_code)
    face, flow = _face(qtbot, ctx, [])
    face.visiting.click()  # tap 1
    qtbot.keyClicks(flow.name_edit, "pri")
    shown = [b.text() for b in flow._match_buttons if not b.isHidden()]
    assert shown == ["Priya Shah — Shah Electrical Ltd"]
    assert flow.name_edit.text() == "pri"
    flow.pick_match(0)  # tap 2
    assert flow.page == "sign"  # rules unchanged since last time: straight to signing
    _sign(flow)
    with qtbot.waitSignal(flow.sig_signed_in):
        flow.sign_in_button.click()  # tap 3
    assert flow.page == "welcome"
    again = visitors.on_site(ctx)
    assert [(v.visitor_id, v.category) for v in again] == [(first.visit.visitor_id, "contractor")]


def test_returning_visitor_reads_changed_rules_again(qtbot, ctx, manager) -> None:
    from tests.factories import make_visit

    make_visit(ctx, name="Priya Shah")
    visitors.save_policy_text(ctx, manager, "contractor", "Rules", "New.\n\nRules.")
    face, flow = _face(qtbot, ctx, [])
    face.visiting.click()
    qtbot.keyClicks(flow.name_edit, "priya")
    flow.pick_match(0)
    assert flow.page == "rules"


def test_the_flow_forgets_everything_when_left_idle(qtbot, ctx) -> None:
    face, flow = _face(qtbot, ctx, [])
    face.visiting.click()
    flow.set_idle_ms(50)
    flow.name_edit.setText("Half Typed")
    flow.name_next.click()
    with qtbot.waitSignal(flow.sig_finished, timeout=2000):
        pass
    assert face.state == "attract"
    assert flow.name_edit.text() == "" and flow.page == "name"


def test_back_from_the_first_page_returns_to_the_attract_screen(qtbot, ctx) -> None:
    face, flow = _face(qtbot, ctx, [])
    face.visiting.click()
    flow.name_edit.setText("Someone")
    flow.name_next.click()
    flow.details_page.findChildren(type(flow.name_next))[0]  # noqa: B018 (built)
    back_buttons = [b for b in flow.findChildren(type(flow.name_next)) if b.text() == "Back"]
    visible_back = [b for b in back_buttons if b.isVisible()]
    visible_back[0].click()
    assert flow.page == "name"
    [b for b in back_buttons if b.isVisible()][0].click()
    assert face.state == "attract"


def test_alert_match_never_reaches_the_kiosk_face(qtbot, ctx, manager) -> None:
    alerts.add_alert(ctx, manager, "John Smith", "Do not admit")
    face, flow = _face(qtbot, ctx, [])
    face.visiting.click()
    flow.name_edit.setText("John Smith")
    flow.name_next.click()
    flow.host_edit.setText("Office")
    flow.details_page.findChildren(type(flow.name_next))[-1].click()
    flow.category_buttons["visitor"].click()
    _read_to_the_end(flow)
    flow.agree.click()
    _sign(flow)
    with qtbot.waitSignal(flow.sig_signed_in):
        flow.sign_in_button.click()
    assert flow.page == "welcome"
    shown = " ".join(
        label.text() for label in face.findChildren(type(flow.summary)) if label.isVisible()
    )
    assert "alert" not in shown.lower() and "Do not admit" not in shown
    assert alerts.visit_matches_alert(ctx, visitors.on_site(ctx)[0].id)


def test_badge_scan_says_goodbye_on_the_kiosk_face(qtbot, ctx) -> None:
    from tests.factories import make_visit

    signed = make_visit(ctx, name="Priya Shah")
    face = KioskFace("Wrenfield Academy")
    qtbot.addWidget(face)
    router = ScanRouter(ctx)
    router.sig_result.connect(face.show_result)
    router.route_scan(signed.badge_code)
    assert face.headline.text() == "Goodbye" and face.name.text() == "Priya Shah"
    assert visitors.on_site(ctx) == []
    router.route_scan(signed.badge_code)
    assert face.state == "rejected"
    assert "already been signed out" in " ".join(face.detail_lines())


def test_a_name_the_badge_fonts_cannot_show_is_refused_on_the_name_page(qtbot, ctx) -> None:
    from PySide6.QtWidgets import QLabel

    sent: list = []
    face, flow = _face(qtbot, ctx, sent)
    face.visiting.click()
    flow.name_edit.setText("Amun 𓀀")
    flow.name_next.click()

    assert flow.page == "name"
    shown = [label.text() for label in flow.name_page.findChildren(QLabel) if label.text()]
    assert (
        "This name has characters the printer's fonts cannot show: 𓀀 — type it in Latin "
        "letters or ask the office."
    ) in shown
    flow.name_edit.setText("محمد علي")
    flow.name_next.click()
    assert flow.page == "details"


def test_a_tap_on_the_pad_does_not_enable_sign_in(qtbot, ctx, receptionist) -> None:
    from PySide6.QtCore import QPoint, Qt

    from tests.factories import make_visit

    first = make_visit(ctx, name="Priya Shah")
    visitors.sign_out_by_badge(ctx, first.badge_code)
    face, flow = _face(qtbot, ctx, [])
    face.visiting.click()
    qtbot.keyClicks(flow.name_edit, "pri")
    flow.pick_match(0)
    assert flow.page == "sign"
    canvas = flow.signature.canvas
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(200, 80))
    assert not flow.signature.is_empty()  # the dot is drawn...
    assert not flow.sign_in_button.isEnabled()  # ...but is no signature
    assert flow.signature.hint_label.text().startswith("Please sign your name")
    _sign(flow)
    assert flow.sign_in_button.isEnabled()
    with qtbot.waitSignal(flow.sig_signed_in):
        flow.sign_in_button.click()


def test_name_typed_at_40_ms_a_key_arrives_whole_with_the_scanner_listening(
    qtbot, qapp, ctx, receptionist
) -> None:
    listener = ScanListener()
    scanned: list[str] = []
    garbled: list[str] = []
    listener.sig_scanned.connect(scanned.append)
    listener.sig_garbled.connect(garbled.append)
    listener.install(qapp)
    try:
        face, flow = _face(qtbot, ctx, [])
        face.visiting.click()
        flow.name_edit.setFocus()
        keyboard = StampedKeyboard()

        keyboard.type(flow.name_edit, "Pádraig Ó Sé-Vyas", 40)
        qtbot.waitUntil(lambda: flow.name_edit.text() == "Pádraig Ó Sé-Vyas", timeout=2000)
        keyboard.enter(flow.name_edit, 40)
    finally:
        listener.uninstall(qapp)

    assert flow.page == "details"
    assert scanned == [] and garbled == []
