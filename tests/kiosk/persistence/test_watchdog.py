"""A PostgreSQL server that stops answering in the middle of a session: the desk gives up
within a few seconds, says so plainly, records nothing half-way, and carries on once the
server answers again.

The server is reached through a small TCP relay in the test. "Freezing" the relay stops it
passing bytes either way while every socket stays open, which is what a desk sees when the
server's machine still answers TCP but its database has stopped (or when the network drops
after the query was acknowledged): nothing on the server, and nothing in TCP, ends the wait.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from kiosk.clock import FixedClock
from kiosk.context import KioskContext
from kiosk.faults import plain_fault
from kiosk.persistence.database import INTERACTIVE, Database
from kiosk.persistence.models import PhoneCustody
from kiosk.scanning.service import act_on_scan
from kiosk.scanning.words import NOT_RECORDED, NOT_RECORDED_HEADLINE
from kiosk.services.pupils import card_payload
from kiosk.startup import open_kiosk
from tests.conftest import TEST_MORNING
from tests.factories import make_pupil

pytestmark = pytest.mark.postgres


class Relay:
    """Passes TCP bytes between a local port and the PostgreSQL server until frozen."""

    def __init__(self, host: str, port: int) -> None:
        self._target = (host, port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._running = threading.Event()
        self._running.set()
        self._closed = False
        self._sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def freeze(self) -> None:
        self._running.clear()

    def thaw(self) -> None:
        self._running.set()

    def close(self) -> None:
        self._closed = True
        self._running.set()
        for sock in [self._listener, *self._sockets]:
            with contextlib.suppress(OSError):
                sock.close()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
                upstream = socket.create_connection(self._target)
            except OSError:
                return
            self._sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        while not self._closed:
            self._running.wait()
            try:
                data = source.recv(65536)
                self._running.wait()  # bytes read just before a freeze wait for the thaw
                if not data:
                    break
                sink.sendall(data)
            except OSError:
                break
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


@pytest.fixture
def relay(pg_url: str) -> Iterator[Relay]:
    url = make_url(pg_url)
    relay = Relay(url.host or "127.0.0.1", url.port or 5432)
    yield relay
    relay.close()


@pytest.fixture
def desk(pg_url: str, relay: Relay) -> Iterator[KioskContext]:
    """The desk application's context on PostgreSQL, through the relay."""
    through = make_url(pg_url).set(host="127.0.0.1", port=relay.port)
    ctx = open_kiosk(
        through.render_as_string(hide_password=False),
        clock=FixedClock(TEST_MORNING),
        patience=INTERACTIVE,
    )
    yield ctx
    ctx.close()


def _records(pg_url: str, pupil_id: int) -> int:
    db = Database(pg_url)
    try:
        with db.read() as s:
            found = s.scalars(select(PhoneCustody).where(PhoneCustody.pupil_id == pupil_id))
            return len(found.all())
    finally:
        db.dispose()


def test_a_server_that_stops_answering_mid_session_is_given_up_on_in_seconds(
    desk: KioskContext, relay: Relay, pg_url: str
) -> None:
    first = make_pupil(desk, forename="Amira", surname="Hassan")
    second = make_pupil(desk, forename="Ben", surname="Okafor")
    assert act_on_scan(desk, card_payload(desk, first)).kind == "handed_in"

    relay.freeze()
    started = time.monotonic()
    frozen = act_on_scan(desk, card_payload(desk, second))
    waited = time.monotonic() - started

    assert frozen.kind == "failed"
    assert frozen.message.headline == NOT_RECORDED_HEADLINE
    assert frozen.message.detail == (NOT_RECORDED,)
    assert "cannot be reached" in frozen.message.one_line
    # A pooled connection has a second to answer its liveness check, a new one two seconds
    # to connect: the pupil waits about three seconds, never the keepalives' twenty.
    assert waited < 6, f"waited {waited:.1f} s"
    assert _records(pg_url, second.id) == 0

    relay.thaw()
    again = act_on_scan(desk, card_payload(desk, second))
    assert again.kind == "handed_in"
    assert _records(pg_url, second.id) == 1


def test_a_statement_left_unanswered_inside_a_transaction_is_cut(
    desk: KioskContext, relay: Relay
) -> None:
    # The freeze comes mid-transaction, after a first statement was answered.
    with pytest.raises(OperationalError) as cut, desk.db.read() as s:
        s.execute(text("SELECT 1"))
        relay.freeze()
        started = time.monotonic()
        try:
            s.execute(text("SELECT 2"))
        finally:
            waited = time.monotonic() - started

    assert 2.5 < waited < 5, f"waited {waited:.1f} s"
    fault = plain_fault(cut.value)
    assert fault is not None and "cannot be reached" in fault.message


def test_a_slow_statement_is_ended_by_the_server_not_cut(desk: KioskContext) -> None:
    # The server's statement timeout (2.5 s) comes before the watchdog (3 s): a server that
    # is there says why, and the connection stays usable.
    with pytest.raises(OperationalError) as slow, desk.db.read() as s:
        s.execute(text("SELECT pg_sleep(10)"))
    assert getattr(slow.value.orig, "sqlstate", None) == "57014"  # query_canceled
    with desk.db.read() as s:
        assert s.scalar(text("SELECT 41 + 1")) == 42
