"""Email through a real SMTP server on loopback (aiosmtpd): what arrives, and what stays
queued when the server is down."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller

from kiosk.errors import NotAllowed
from kiosk.services.directory import save_entry
from kiosk.services.mail import outbox, save_smtp_settings, send_queued, smtp_settings
from kiosk.services.messages import email_message, get_message, take_message
from kiosk.services.trips import save_trip
from tests.factories import make_message
from tests.mail_server import Inbox, free_port, use_mail_server


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture
def teacher_on_visit(ctx, manager):
    teacher = save_entry(
        ctx, manager, name="Mrs Zoë O'Brien", email="zobrien@wrenfield.example", initials="ZOB"
    )
    lead = save_entry(ctx, manager, name="Mr Dafydd ap Gruffudd", mobile="07700 900123")
    today = ctx.clock().astimezone(ctx.timezone).date()
    save_trip(
        ctx,
        manager,
        on_date=today,
        destination="Science Museum",
        lead_id=lead.id,
        lead_mobile="07700 900123",
        attending=[teacher.id],
    )
    return teacher


def test_message_for_staff_on_a_visit_is_emailed_and_arrives(
    ctx, manager, smtp_server, teacher_on_visit
) -> None:
    inbox, port = smtp_server
    use_mail_server(ctx, manager, port)
    message = take_message(
        ctx,
        manager,
        for_staff_id=teacher_on_visit.id,
        caller_name="Łukasz <Nowak> & Co",
        caller_number="01632 960 001",
        text='Parcel for the trip has arrived 🎒; please ring back about "Friday".',
        urgent=False,
    )
    assert message.route == "visit"

    emailed, report = email_message(ctx, manager, message.id)

    assert report.sent == 1 and report.error == ""
    assert len(inbox.received) == 1
    recipients, email = inbox.received[0]
    assert recipients == ["zobrien@wrenfield.example"]
    assert email["From"] == "office@wrenfield.example"
    body = email.get_payload(decode=True).decode("utf-8")
    assert "Łukasz <Nowak> & Co" in body
    assert "🎒" in body and "01632 960 001" in body
    assert emailed.state == "passed_on" and emailed.passed_on_how == "email"
    assert emailed.passed_on_by == manager.name
    assert outbox(ctx) == []


def test_mail_server_down_leaves_the_message_queued_and_visible_then_sends_later(
    ctx, manager, teacher_on_visit
) -> None:
    port = free_port()  # nothing listens here
    use_mail_server(ctx, manager, port)
    message = make_message(ctx, manager, for_staff_id=teacher_on_visit.id)

    row, report = email_message(ctx, manager, message.id)

    assert report.sent == 0 and report.still_queued == 1
    assert "not answering" in report.error or "Could not reach" in report.error
    assert row.state == "open" and row.mail_state == "queued"
    assert row.mail_error == report.error
    [queued] = outbox(ctx)
    assert queued.to_address == "zobrien@wrenfield.example" and queued.attempts == 1

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        retry = send_queued(ctx)
    finally:
        controller.stop()
    assert retry.sent == 1
    assert len(inbox.received) == 1
    assert get_message(ctx, message.id).state == "passed_on"
    assert outbox(ctx) == []


def test_no_mail_server_set_up_keeps_mail_queued_with_a_plain_reason(
    ctx, manager, teacher_on_visit
) -> None:
    message = make_message(ctx, manager, for_staff_id=teacher_on_visit.id)
    row, report = email_message(ctx, manager, message.id)
    assert "No mail server is set up" in report.error
    assert row.mail_state == "queued" and row.state == "open"


def test_only_a_manager_changes_the_mail_server_and_the_password_is_never_shown(
    ctx, manager, receptionist
) -> None:
    with pytest.raises(NotAllowed):
        save_smtp_settings(
            ctx,
            receptionist,
            host="smtp.example",
            port=587,
            starttls=True,
            username="office",
            from_address="office@example.org",
            password="secret",
        )
    row = save_smtp_settings(
        ctx,
        manager,
        host="smtp.example",
        port=587,
        starttls=True,
        username="office",
        from_address="office@example.org",
        password="secret",
    )
    assert row.has_password and not hasattr(row, "password")
    kept = save_smtp_settings(
        ctx,
        manager,
        host="smtp.example",
        port=25,
        starttls=False,
        username="office",
        from_address="office@example.org",
    )
    assert kept.has_password and kept.port == 25
    assert smtp_settings(ctx).host == "smtp.example"
