"""A real SMTP server for tests: an aiosmtpd inbox on a free local port, and the kiosk's
mail settings pointed at it."""

from __future__ import annotations

import asyncio
import socket
import threading
from email import message_from_bytes
from email.message import Message
from typing import Any

from kiosk.context import KioskContext
from kiosk.rows.people import Actor
from kiosk.services.mail import save_smtp_settings


class Inbox:
    """An aiosmtpd handler that keeps every message it is sent, with its recipients."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        self.received.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return "250 OK"


class HeldInbox(Inbox):
    """An inbox that holds the first message at DATA until told to let go (or to drop it),
    as a server does when the desk sending dies or the network breaks mid-send."""

    def __init__(self) -> None:
        super().__init__()
        self.reached_data = threading.Event()
        self.let_go = threading.Event()
        self.held = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        if self.held == 0:
            self.held += 1
            self.reached_data.set()
            while not self.let_go.is_set():
                await asyncio.sleep(0.05)
            return "451 Dropped"  # nobody is listening any more
        return await super().handle_DATA(server, session, envelope)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (at the moment of asking)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def use_mail_server(
    ctx: KioskContext, manager: Actor, port: int, *, from_address: str = "office@wrenfield.example"
) -> None:
    """Point the kiosk's mail settings at a plain (no STARTTLS, no login) server on
    127.0.0.1:``port``, as ``manager``."""
    save_smtp_settings(
        ctx,
        manager,
        host="127.0.0.1",
        port=port,
        starttls=False,
        username="",
        from_address=from_address,
    )
