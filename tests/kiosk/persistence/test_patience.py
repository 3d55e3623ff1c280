"""How long the database is waited on: about 2 s for whatever a person is waiting on
(INTERACTIVE), longer for batch work (BATCH), on SQLite and on a real PostgreSQL server, and
what a scan says when the wait runs out."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from psycopg.conninfo import conninfo_to_dict
from sqlalchemy import create_engine, text

from kiosk.clock import FixedClock
from kiosk.context import KioskContext
from kiosk.faults import EXIT_DATABASE_UNAVAILABLE
from kiosk.persistence.database import BATCH, INTERACTIVE, Database
from kiosk.scanning.service import act_on_scan
from kiosk.scanning.words import NOT_RECORDED
from kiosk.services.audit import latest_change
from kiosk.services.custody import held_phones
from kiosk.services.pupils import card_payload
from kiosk.startup import open_kiosk
from tests.conftest import TEST_MORNING
from tests.factories import make_pupil


def test_sqlite_waits_about_2_s_for_a_person_and_longer_for_batch_work(db_url: str) -> None:
    db = Database(db_url, patience=INTERACTIVE)
    try:
        with db.write() as s:
            interactive = s.scalar(text("PRAGMA busy_timeout"))
        with db.write(BATCH) as s:
            batch = s.scalar(text("PRAGMA busy_timeout"))
        with db.read() as s:
            again = s.scalar(text("PRAGMA busy_timeout"))
    finally:
        db.dispose()

    assert (interactive, batch, again) == (2_000, 10_000, 2_000)


@pytest.mark.postgres
def test_postgresql_connections_have_timeouts_and_keepalives(pg_url: str) -> None:
    db = Database(pg_url, patience=INTERACTIVE)
    try:
        with db.read() as s:
            interactive = s.execute(
                text("SELECT current_setting('statement_timeout'), current_setting('lock_timeout')")
            ).one()
            dsn = s.connection().connection.dbapi_connection.info.dsn  # type: ignore[union-attr]
        with db.write(BATCH) as s:
            batch = s.execute(
                text("SELECT current_setting('statement_timeout'), current_setting('lock_timeout')")
            ).one()
        with db.write() as s:
            after = s.scalar(text("SELECT current_setting('statement_timeout')"))
    finally:
        db.dispose()

    assert tuple(interactive) == ("2500ms", "2s")
    assert tuple(batch) == ("2min", "10s")
    assert after == "2500ms"  # the batch transaction's settings ended with it
    settings = conninfo_to_dict(dsn)
    assert settings["connect_timeout"] == "2"
    assert settings["keepalives"] == "1"
    assert settings["keepalives_idle"] == "10"
    assert settings["keepalives_interval"] == "3"
    assert settings["keepalives_count"] == "3"
    assert settings["tcp_user_timeout"] == "2000"


@pytest.fixture
def pg_desk(pg_url: str) -> Iterator[KioskContext]:
    """The desk application's context on PostgreSQL: interactive patience."""
    ctx = open_kiosk(pg_url, clock=FixedClock(TEST_MORNING), patience=INTERACTIVE)
    yield ctx
    ctx.close()


@pytest.mark.postgres
def test_a_scan_blocked_by_another_desks_lock_says_not_recorded_within_about_2_s(
    pg_desk: KioskContext, pg_url: str
) -> None:
    card = card_payload(pg_desk, make_pupil(pg_desk))
    before = latest_change(pg_desk)
    other = create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://", 1))
    held, done = threading.Event(), threading.Event()

    def other_desk_holds_the_trays() -> None:
        with other.begin() as conn:
            conn.execute(text("LOCK TABLE receptacle IN ACCESS EXCLUSIVE MODE"))
            held.set()
            done.wait(30)

    holder = threading.Thread(target=other_desk_holds_the_trays)
    holder.start()
    try:
        assert held.wait(10)
        started = time.monotonic()
        result = act_on_scan(pg_desk, card)
        took = time.monotonic() - started
    finally:
        done.set()
        holder.join(10)
        other.dispose()

    assert result.kind == "failed"
    assert result.message.headline == "Not recorded — please scan again"
    assert result.message.detail == (NOT_RECORDED,)
    assert result.message.one_line.startswith(
        "The database is busy (a table or row stayed locked by another desk past the lock "
        "timeout)."
    )
    assert result.fault is not None and result.fault.exit_code == EXIT_DATABASE_UNAVAILABLE
    assert 1.5 < took < 5.0  # the 2 s lock timeout, not the other desk's whole transaction
    assert held_phones(pg_desk) == []
    assert latest_change(pg_desk) == before
