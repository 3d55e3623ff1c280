"""The outbox sends each email once, however many desks flush it at the same moment, and an
email whose delivery is uncertain is marked so and never sent again without a person.

Through a real SMTP server on loopback (aiosmtpd), on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from kiosk.clock import FixedClock
from kiosk.context import KioskContext
from kiosk.errors import InvalidInput
from kiosk.rows.people import Actor
from kiosk.services import mail
from kiosk.services.directory import save_entry
from kiosk.services.mail import outbox, send_again, send_queued
from kiosk.services.messages import email_message
from kiosk.startup import open_kiosk
from tests.factories import make_message
from tests.mail_server import HeldInbox, Inbox, free_port, use_mail_server

EMAILS = 24
PROCESS_TIMEOUT_S = 60


class SlowInbox(Inbox):
    """An inbox that takes a moment over each message, so two desks' sends overlap."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        await asyncio.sleep(0.02)
        return await super().handle_DATA(server, session, envelope)


def serve(inbox: Inbox) -> tuple[Controller, int]:
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, port


@pytest.fixture
def other_desk(any_db_url: str, any_ctx: KioskContext, clock: FixedClock) -> Iterator[KioskContext]:
    """A second desk on the same database, with its own connections."""
    context = open_kiosk(any_db_url, clock=clock, key_path=any_ctx.key_path)
    yield context
    context.close()


def queue_emails(ctx: KioskContext, manager: Actor, count: int) -> list[str]:
    """``count`` telephone messages queued as emails (not sent); their subjects."""
    teacher = save_entry(ctx, manager, name="Mrs Zoë O'Brien", email="zobrien@wrenfield.example")
    subjects = []
    for n in range(count):
        message = make_message(
            ctx, manager, for_staff_id=teacher.id, caller_name=f"Caller number {n}"
        )
        email_message(ctx, manager, message.id, send_now=False)
        subjects.append(f"Telephone message from Caller number {n}")
    return subjects


def test_two_desks_flushing_at_once_deliver_each_email_exactly_once(
    any_ctx: KioskContext, other_desk: KioskContext, any_manager: Actor
) -> None:
    inbox = SlowInbox()
    controller, port = serve(inbox)
    use_mail_server(any_ctx, any_manager, port)
    subjects = queue_emails(any_ctx, any_manager, EMAILS)
    start = threading.Barrier(2, timeout=30)
    reports: dict[str, mail.SendReport] = {}

    def flush(name: str, ctx: KioskContext) -> None:
        start.wait()
        reports[name] = send_queued(ctx, desk=name)

    desks = [
        threading.Thread(target=flush, args=("DESK-1", any_ctx)),
        threading.Thread(target=flush, args=("DESK-2", other_desk)),
    ]
    try:
        for desk in desks:
            desk.start()
        for desk in desks:
            desk.join(timeout=PROCESS_TIMEOUT_S)
    finally:
        controller.stop()

    delivered = Counter(email["Subject"] for _to, email in inbox.received)
    assert delivered == Counter(subjects)  # every email, each once
    assert reports["DESK-1"].sent + reports["DESK-2"].sent == EMAILS
    rows = outbox(any_ctx, include_sent=True)
    assert {row.state for row in rows} == {"sent"}
    assert {row.claimed_by for row in rows} <= {"DESK-1", "DESK-2"}


def desk_that_dies(url: str, key_path: str, now: str) -> None:
    """A desk process that starts flushing the outbox (and is killed while sending)."""
    from kiosk.clock import FixedClock
    from kiosk.services.mail import send_queued
    from kiosk.startup import open_kiosk

    ctx = open_kiosk(url, clock=FixedClock(datetime.fromisoformat(now)), key_path=Path(key_path))
    send_queued(ctx, desk="DESK-THAT-DIES")


def test_email_left_sending_by_a_desk_that_died_becomes_uncertain_and_is_not_sent(
    any_db_url: str, any_ctx: KioskContext, any_manager: Actor, clock: FixedClock
) -> None:
    inbox = HeldInbox()
    controller, port = serve(inbox)
    use_mail_server(any_ctx, any_manager, port)
    [first, second] = queue_emails(any_ctx, any_manager, 2)
    spawn = multiprocessing.get_context("spawn")
    desk = spawn.Process(
        target=desk_that_dies, args=(any_db_url, str(any_ctx.key_path), clock().isoformat())
    )
    try:
        desk.start()
        assert inbox.reached_data.wait(PROCESS_TIMEOUT_S)
        desk.kill()  # the desk dies with the first email half-sent
        desk.join(PROCESS_TIMEOUT_S)
        inbox.let_go.set()

        # Soon after, another desk leaves the claim alone: that desk may still be sending.
        soon = send_queued(any_ctx, desk="DESK-2")
        assert [r.state for r in outbox(any_ctx)] == ["sending"]
        assert soon.sent == 1

        clock.advance(minutes=6)
        later = send_queued(any_ctx, desk="DESK-2")
    finally:
        controller.stop()

    assert later.sent == 0
    assert [email["Subject"] for _to, email in inbox.received] == [second]
    [uncertain] = outbox(any_ctx)
    assert uncertain.subject == first and uncertain.state == "uncertain"
    assert uncertain.claimed_by == "DESK-THAT-DIES"
    assert uncertain.state_words == "May not have arrived: check with the recipient"
    assert "may or may not have arrived" in uncertain.last_error


def test_connection_broken_after_the_message_went_leaves_it_uncertain_not_resent(
    any_ctx: KioskContext, any_manager: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = HeldInbox()
    controller, port = serve(inbox)
    use_mail_server(any_ctx, any_manager, port)
    [subject] = queue_emails(any_ctx, any_manager, 1)
    monkeypatch.setattr(mail, "SEND_TIMEOUT_SECONDS", 0.5)  # the reply to DATA never comes
    try:
        report = send_queued(any_ctx)
        inbox.let_go.set()
        again = send_queued(any_ctx)
    finally:
        controller.stop()

    assert report.sent == 0 and report.error
    assert again.sent == 0 and inbox.received == []
    [row] = outbox(any_ctx)
    assert row.subject == subject and row.state == "uncertain"


def test_uncertain_email_is_sent_again_only_when_a_person_says_so(
    any_ctx: KioskContext, any_manager: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = HeldInbox()
    controller, port = serve(held)
    use_mail_server(any_ctx, any_manager, port)
    queue_emails(any_ctx, any_manager, 1)
    monkeypatch.setattr(mail, "SEND_TIMEOUT_SECONDS", 0.5)
    try:
        send_queued(any_ctx)
        held.let_go.set()
        [row] = outbox(any_ctx)
        assert row.state == "uncertain"
        requeued = send_again(any_ctx, any_manager, row.id)
        assert requeued.state == "queued"
        with pytest.raises(InvalidInput):
            send_again(any_ctx, any_manager, row.id)  # no longer uncertain
        report = send_queued(any_ctx)
    finally:
        controller.stop()
    assert report.sent == 1 and len(held.received) == 1
