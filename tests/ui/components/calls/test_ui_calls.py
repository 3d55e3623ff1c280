"""Taking calls at the desk: urgent (red queue, running timer, passed on once), can wait
(moves to "deliver now" at the break by the panel's own timer), and a message emailed to a
member of staff on a visit through a real SMTP server on loopback."""

from __future__ import annotations

from datetime import datetime

import pytest
from aiosmtpd.controller import Controller
from PySide6.QtCore import Qt

from kiosk.services.directory import save_entry
from kiosk.services.messages import get_message
from kiosk.services.trips import save_trip
from tests.conftest import LONDON
from tests.mail_server import Inbox, free_port, use_mail_server
from ui.ask import ScriptedAsker
from ui.components.calls.panel import CallsPanel


def type_call(qtbot, panel: CallsPanel, who: str, caller: str, text: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(panel.for_whom, who)
    assert panel.suggestions(), "no one suggested"
    qtbot.keyClick(panel.for_whom, Qt.Key.Key_Return)
    panel.caller.setText(caller)
    panel.number.setText("01632 960 555")
    panel.message.setPlainText(text)


@pytest.fixture
def zoe(ctx, manager):
    return save_entry(
        ctx,
        manager,
        name="Mrs Zoë O'Brien",
        initials="ZOB",
        job_title="Head of Year 9",
        email="zobrien@school.example",
        pigeonhole="14",
    )


def test_urgent_call_shows_red_queue_with_running_timer_until_passed_on(
    desk_panel, qtbot, ctx, manager, zoe, clock
) -> None:
    asker = ScriptedAsker("Radio", "Me (Ms Ada Manager)")
    panel = desk_panel(CallsPanel, manager, asker)
    type_call(qtbot, panel, "zo", "Dr <Patel> & Partners", "Ring the surgery today")
    assert panel.for_whom.text() == "Mrs Zoë O'Brien"
    assert "Head of Year 9" in panel.person.text()

    qtbot.mouseClick(panel.urgent_button, Qt.MouseButton.LeftButton)

    assert [m.caller_name for m in panel.urgent_model.rows()] == ["Dr <Patel> & Partners"]
    assert panel.banner.text() == "1 urgent call to pass on now: waiting 0:00"
    assert panel.banner.property("role") in ("urgent-banner", "urgent-banner-flash")
    assert panel.for_whom.text() == "" and panel.message.toPlainText() == ""

    clock.advance(minutes=2, seconds=5)
    qtbot.waitUntil(lambda: "waiting 2:05" in panel.banner.text(), timeout=3000)
    assert panel.urgent_model.index(0, 0).data() == "2:05"

    panel.urgent_table.selectRow(0)
    qtbot.mouseClick(panel.urgent_passed, Qt.MouseButton.LeftButton)

    assert panel.urgent_model.rowCount() == 0
    assert panel.banner.text() == "No urgent calls waiting."
    message = get_message(ctx, 1)
    assert (message.state, message.passed_on_how, message.passed_on_by) == (
        "passed_on",
        "radio",
        "Ms Ada Manager",
    )


def test_can_wait_moves_to_deliver_now_at_the_break_on_its_own(
    desk_panel, qtbot, ctx, manager, zoe, clock
) -> None:
    panel = desk_panel(CallsPanel, manager)
    panel.set_recheck_interval(50)
    type_call(qtbot, panel, "ZOB", "Sports shop", "Kit order ready")
    qtbot.mouseClick(panel.can_wait_button, Qt.MouseButton.LeftButton)

    assert "ready to deliver at Break at 11:00" in panel.status.text()
    assert panel.waiting_model.rowCount() == 1
    assert panel.waiting_model.index(0, 0).data() == "Break at 11:00"
    assert panel.deliver_model.rowCount() == 0

    clock.set(datetime(2026, 11, 24, 11, 0, tzinfo=LONDON))
    qtbot.waitUntil(lambda: panel.deliver_model.rowCount() == 1, timeout=3000)
    assert panel.waiting_model.rowCount() == 0
    assert panel.deliver_box.title() == "Deliver now (1)"


def test_a_call_held_over_the_weekend_says_the_day_of_its_break(
    desk_panel, qtbot, ctx, manager, zoe, clock
) -> None:
    clock.set(datetime(2026, 11, 27, 16, 0, tzinfo=LONDON))  # Friday after the last break
    panel = desk_panel(CallsPanel, manager)
    type_call(qtbot, panel, "ZOB", "Sports shop", "Kit order ready")
    qtbot.mouseClick(panel.can_wait_button, Qt.MouseButton.LeftButton)

    assert panel.status.text() == (
        "Saved for Mrs Zoë O'Brien: it will be ready to deliver at Break on Monday at 11:00."
    )
    assert panel.waiting_model.index(0, 0).data() == "Break on Monday at 11:00"

    clock.set(datetime(2026, 11, 29, 20, 0, tzinfo=LONDON))  # Sunday evening
    panel.refresh()
    assert panel.waiting_model.index(0, 0).data() == "Break at 11:00 tomorrow"

    clock.set(datetime(2026, 11, 30, 8, 30, tzinfo=LONDON))  # Monday morning
    panel.refresh()
    assert panel.waiting_model.index(0, 0).data() == "Break at 11:00"

    clock.set(datetime(2026, 11, 30, 11, 0, tzinfo=LONDON))
    panel.refresh()
    assert panel.waiting_model.rowCount() == 0
    assert panel.deliver_model.index(0, 0).data() == "16:00 on Friday"


def test_a_message_with_no_recipient_or_a_lettered_number_is_refused_and_kept(
    desk_panel, qtbot, ctx, manager
) -> None:
    asker = ScriptedAsker()
    panel = desk_panel(CallsPanel, manager, asker)
    panel.caller.setText("Mum")
    panel.message.setPlainText("Please ring")
    qtbot.mouseClick(panel.urgent_button, Qt.MouseButton.LeftButton)
    assert asker.asked[-1][2].startswith("Who is the message for?")
    panel.for_whom.setText("Visitor in the hall")
    panel.number.setText("O1632 ABC")
    qtbot.mouseClick(panel.urgent_button, Qt.MouseButton.LeftButton)
    assert "only have digits" in asker.asked[-1][2]
    assert panel.message.toPlainText() == "Please ring"
    assert panel.urgent_model.rowCount() == 0


def test_message_for_staff_on_a_visit_is_emailed_from_the_desk(
    desk_panel, qtbot, ctx, manager, zoe
) -> None:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        use_mail_server(ctx, manager, port, from_address="office@school.example")
        lead = save_entry(ctx, manager, name="Mr Dafydd ap Gruffudd")
        save_trip(
            ctx,
            manager,
            on_date=datetime(2026, 11, 24).date(),
            destination="Kew Gardens",
            lead_id=lead.id,
            lead_mobile="07700 900123",
            attending=[zoe.id],
        )
        asker = ScriptedAsker("Email it to zobrien@school.example")
        panel = desk_panel(CallsPanel, manager, asker)
        type_call(qtbot, panel, "o'brien", "Coach company", "Coach is 20 minutes late 🚌")
        assert "out on a visit today (Kew Gardens)" in panel.person.text()
        assert "07700 900123" in panel.person.text()

        qtbot.mouseClick(panel.can_wait_button, Qt.MouseButton.LeftButton)

        qtbot.waitUntil(lambda: len(inbox.received) == 1, timeout=10_000)
        qtbot.waitUntil(lambda: panel.visit_model.rowCount() == 0, timeout=5000)
    finally:
        controller.stop()
    recipients, email = inbox.received[0]
    assert recipients == ["zobrien@school.example"]
    assert "Coach is 20 minutes late 🚌" in email.get_payload(decode=True).decode("utf-8")
    assert get_message(ctx, 1).passed_on_how == "email"


def test_urgent_call_for_staff_on_a_visit_shows_the_lead_to_call(
    desk_panel, qtbot, ctx, manager, zoe
) -> None:
    lead = save_entry(ctx, manager, name="Ms Siobhán Kelly")
    save_trip(
        ctx,
        manager,
        on_date=datetime(2026, 11, 24).date(),
        destination="Museum",
        lead_id=lead.id,
        lead_mobile="07700 900001",
        attending=[zoe.id],
    )
    asker = ScriptedAsker("Phoned the visit lead", "Mrs Zoë O'Brien", "Lead told her at once")
    panel = desk_panel(CallsPanel, manager, asker)
    type_call(qtbot, panel, "zo", "Home", "Family emergency")
    qtbot.mouseClick(panel.urgent_button, Qt.MouseButton.LeftButton)
    assert "call the visit lead Ms Siobhán Kelly on 07700 900001" in panel.status.text()
    assert "07700 900001" in panel.urgent_model.index(0, 2).data()
    panel.urgent_table.selectRow(0)
    qtbot.mouseClick(panel.urgent_passed, Qt.MouseButton.LeftButton)
    passed = get_message(ctx, 1)
    assert passed.outcome == "Lead told her at once"
    assert passed.passed_on_by == "Mrs Zoë O'Brien"


def test_desk_calls_tab_title_counts_urgent_calls(qtbot, ctx, manager, zoe) -> None:
    from kiosk.services.messages import take_message
    from ui.components.desk.workspace import DeskWorkspace

    workspace = DeskWorkspace(ctx, lambda: manager, ScriptedAsker())
    qtbot.addWidget(workspace)
    titles = [workspace.page_title(panel) for panel in workspace.panels()]
    assert {"Calls", "Phone log", "Staff", "Trips out"} <= set(titles)
    take_message(ctx, manager, for_staff_id=zoe.id, caller_name="A", text="b", urgent=True)
    calls = workspace.panel(CallsPanel)
    calls.refresh()
    assert workspace.page_title(calls) == "Calls (1 urgent)"
    # The count shows on the side bar's Calls section too, from any page.
    assert workspace.section_button("Calls").text() == "Calls\n(1 urgent)"


def test_mail_server_down_keeps_the_email_queued_and_says_why(
    desk_panel, qtbot, ctx, manager, zoe
) -> None:
    port = free_port()  # nothing listens here
    use_mail_server(ctx, manager, port, from_address="office@school.example")
    lead = save_entry(ctx, manager, name="Ms Lead")
    save_trip(
        ctx,
        manager,
        on_date=datetime(2026, 11, 24).date(),
        destination="Zoo",
        lead_id=lead.id,
        lead_mobile="07700 900001",
        attending=[zoe.id],
    )
    asker = ScriptedAsker("Email it to zobrien@school.example")
    panel = desk_panel(CallsPanel, manager, asker)
    type_call(qtbot, panel, "ZOB", "Shop", "Order ready")
    qtbot.mouseClick(panel.can_wait_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: "is not answering" in panel.outbox_label.text(), timeout=10_000)
    assert panel.outbox_label.text().startswith("1 email waiting to be sent")
    assert panel.retry_button.isVisible()
    assert panel.visit_model.rowCount() == 1
    assert "Waiting to send" in panel.visit_model.index(0, 5).data()
    assert get_message(ctx, 1).state == "open"


def test_email_that_may_not_have_arrived_is_shown_plainly_and_sent_again_only_when_asked(
    desk_panel, qtbot, ctx, manager, zoe, monkeypatch
) -> None:
    from kiosk.services import mail
    from kiosk.services.mail import outbox, send_queued
    from kiosk.services.messages import email_message
    from tests.factories import make_message
    from tests.mail_server import HeldInbox

    inbox = HeldInbox()  # holds the message at DATA: the reply never comes in time
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        use_mail_server(ctx, manager, port, from_address="office@school.example")
        message = make_message(ctx, manager, for_staff_id=zoe.id)
        email_message(ctx, manager, message.id, send_now=False)
        monkeypatch.setattr(mail, "SEND_TIMEOUT_SECONDS", 0.5)
        send_queued(ctx)
        inbox.let_go.set()
        assert [m.state for m in outbox(ctx)] == ["uncertain"]

        asker = ScriptedAsker(True)  # "Send them again?": yes
        panel = desk_panel(CallsPanel, manager, asker)
        assert "zobrien@school.example may not have arrived" in panel.outbox_label.text()
        assert "not sent again unless you choose Send again" in panel.outbox_label.text()
        assert panel.send_again_button.isVisible()
        assert not panel.retry_button.isVisible()

        monkeypatch.setattr(mail, "SEND_TIMEOUT_SECONDS", 10.0)
        assert panel.send_uncertain_again() == 1
        qtbot.waitUntil(lambda: len(inbox.received) == 1, timeout=10_000)
    finally:
        controller.stop()
    qtbot.waitUntil(lambda: outbox(ctx) == [], timeout=10_000)
