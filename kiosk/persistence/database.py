"""The engine and the unit of work: one short transaction per user action.

SQLite is set up so that an acknowledged scan survives a power cut (WAL, ``synchronous=FULL``)
and so that two processes writing at once queue politely (``BEGIN IMMEDIATE`` with a busy
timeout) instead of failing half-way through a transaction.

Every wait on the database is bounded, so that a busy or unreachable database becomes a plain
"try again" (:mod:`kiosk.faults`) rather than a frozen window. How long a transaction may wait
is its :class:`Patience`: :data:`INTERACTIVE` (about 2 s) for whatever a person at the desk or
the kiosk face is waiting on, :data:`BATCH` (longer) for imports, backups, migrations and the
command line. A PostgreSQL connection also gives up connecting after a few seconds and uses
TCP keepalives and a TCP user timeout, so a dropped network is noticed within seconds even
mid-query, where the server's own statement timeout cannot help. Last, a watchdog in this
process cuts a PostgreSQL connection that has waited on the server past its patience's
``cut_after_ms`` (a server whose machine still answers TCP but whose database has stopped,
or a network that dropped after the query was acknowledged): the wait ends with the
driver's "connection closed" error, which :mod:`kiosk.faults` says plainly, and the pool
opens a fresh connection for the next action.
"""

from __future__ import annotations

import math
import os
import socket
import sqlite3
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry


@dataclass(frozen=True, slots=True)
class Patience:
    """How long one transaction may wait on the database before it gives up with a fault.

    ``lock_wait_ms``: milliseconds to wait for another desk's write lock (SQLite's busy
    timeout; PostgreSQL's ``lock_timeout``). ``statement_ms``: milliseconds one PostgreSQL
    statement may run (``statement_timeout``; SQLite runs in this process and has none).
    ``connect_s``: seconds to wait for a PostgreSQL server to accept and answer a new
    connection (``connect_timeout``; libpq and psycopg treat anything under 2 as 2).
    ``unacknowledged_ms``: milliseconds data sent to the PostgreSQL server may stay
    unacknowledged before the connection is dropped (``tcp_user_timeout``): a pulled cable
    or a dead switch, noticed mid-query. ``cut_after_ms``: milliseconds this process waits
    for the PostgreSQL server to answer one statement, commit or rollback before it cuts
    the connection itself (:class:`_Watchdog`), for the waits nothing on the server or in
    TCP ends. Both dialects give up with an error that :func:`kiosk.faults.plain_fault` puts
    in plain words.
    """

    lock_wait_ms: int
    statement_ms: int
    connect_s: int
    unacknowledged_ms: int
    cut_after_ms: int


INTERACTIVE = Patience(
    lock_wait_ms=2_000, statement_ms=2_500, connect_s=2, unacknowledged_ms=2_000, cut_after_ms=3_000
)
"""For work a person is waiting on at the desk or the kiosk face (a scan, a desk action, the
lock screen's sign-in). A scan takes a few milliseconds; after 2 s of waiting the pupil is
better told "Not recorded — please scan again" than shown a frozen screen while the queue
behind them grows. 2 s is also the shortest connect timeout libpq honours. A statement may
run half a second longer than a lock is waited for, so that waiting on another desk's lock
is reported as that (the clearer reason) rather than as a slow statement. The watchdog waits
half a second past the statement timeout, so a server that is there answers first."""

BATCH = Patience(
    lock_wait_ms=10_000,
    statement_ms=120_000,
    connect_s=5,
    unacknowledged_ms=10_000,
    cut_after_ms=150_000,
)
"""For work nobody watches second by second: imports of the whole school, backups,
migrations at start-up, retention purges and every ``kiosk`` command. Ten seconds rides out
another desk's import transaction; two minutes lets one statement of a large import or export
finish on a slow server, and still ends a wait on a server that will never answer."""

PING_CUT_MS = 1_000
"""Milliseconds a pooled PostgreSQL connection has to answer the liveness check made when it
is taken from the pool, before the watchdog cuts it and a new connection is opened."""

PG_KEEPALIVES_IDLE_S = 10
"""Seconds a PostgreSQL connection may sit silent before TCP asks the server if it is there.
With `PG_KEEPALIVES_INTERVAL_S` and `PG_KEEPALIVES_COUNT`, a desk whose network dropped while
idle knows within about 20 s, so the pool opens a fresh connection instead of handing out a
dead one (``pool_pre_ping`` checks it too)."""
PG_KEEPALIVES_INTERVAL_S = 3
"""Seconds between unanswered keepalive probes."""
PG_KEEPALIVES_COUNT = 3
"""Unanswered keepalive probes after which the connection is taken to be dead."""


class _Watchdog:
    """One daemon thread that cuts PostgreSQL connections left waiting on the server.

    A connection is armed, with a deadline, just before each statement, commit, rollback or
    liveness check is sent, and disarmed when the answer comes (or the connection goes back
    to the pool, or is closed). Past its deadline, the connection's socket is shut down:
    the driver's blocked wait ends at once with "server closed the connection", which
    SQLAlchemy takes as a disconnect (the connection is discarded, the transaction rolled
    back by the server). Time spent in Python between statements is not counted.
    """

    def __init__(self) -> None:
        self._wake = threading.Condition()
        # pool record key -> (deadline on the monotonic clock, the psycopg connection)
        self._armed: dict[int, tuple[float, weakref.ref[Any]]] = {}
        self._thread: threading.Thread | None = None
        self._sleeping_until = 0.0  # when the thread next wakes by itself (0: not asleep)

    def arm(self, key: int, dbapi_connection: Any, after_ms: int) -> None:
        """Cut ``dbapi_connection`` (a psycopg connection) unless disarmed within
        ``after_ms`` milliseconds; ``key`` identifies its pool record (the id of the
        record's info dict)."""
        deadline = time.monotonic() + after_ms / 1000
        with self._wake:
            self._armed[key] = (deadline, weakref.ref(dbapi_connection))
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="database-watchdog", daemon=True
                )
                self._thread.start()
            if deadline < self._sleeping_until:
                # Wake the thread only when this deadline comes before the one it waits for:
                # a statement costs a dictionary entry, not a thread switch.
                self._wake.notify()

    def disarm(self, key: int) -> None:
        """Stop watching the connection of pool record ``key`` (nothing if not armed)."""
        with self._wake:
            self._armed.pop(key, None)

    def _run(self) -> None:
        with self._wake:
            while True:
                if not self._armed:
                    self._sleeping_until = math.inf
                    self._wake.wait()
                    continue
                key, (deadline, connection) = min(self._armed.items(), key=lambda i: i[1][0])
                wait = deadline - time.monotonic()
                if wait > 0:
                    self._sleeping_until = deadline
                    self._wake.wait(wait)
                    continue
                del self._armed[key]
                _cut(connection())


def _cut(dbapi_connection: Any) -> None:
    """Shut down the socket under a psycopg connection, so that a wait on it ends now."""
    if dbapi_connection is None or dbapi_connection.closed:
        return
    fd = dbapi_connection.pgconn.socket
    if fd < 0:
        return
    try:
        # A duplicate descriptor: shutting it down shuts the connection's socket down; only
        # the duplicate is closed here, the driver closes its own.
        with socket.socket(fileno=os.dup(fd)) as duplicate:
            duplicate.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed by the driver or the server


_WATCHDOG = _Watchdog()


def _watch_postgres(engine: Engine, patience: Patience) -> None:
    """Arm the watchdog around every wait on the server for ``engine``'s connections, and
    check each connection is alive when it is taken from the pool (under the watchdog, so
    the check cannot hang either; a dead one is replaced)."""
    dialect = engine.dialect

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
        record.info["kiosk_cut_ms"] = patience.cut_after_ms
        # A live server answers "SELECT 1" in milliseconds: a second is plenty, and a dead
        # connection is then replaced well within a person's patience.
        _WATCHDOG.arm(id(record.info), dbapi_connection, min(PING_CUT_MS, patience.cut_after_ms))
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as error:
            _WATCHDOG.disarm(id(record.info))
            if dialect.is_disconnect(cast(Any, error), dbapi_connection, None):
                raise DisconnectionError("the pooled connection had closed") from error
            raise
        _WATCHDOG.disarm(id(record.info))

    # Each pooled connection is known by its record's info dict, the one object every event
    # can reach (a Connection's .info is its record's).
    def _arm(conn: Connection) -> None:
        if conn.invalidated or conn.closed:
            return  # cut already: nothing of it is sent to the server again
        cut_ms = conn.info.get("kiosk_cut_ms", patience.cut_after_ms)
        _WATCHDOG.arm(id(conn.info), conn.connection.dbapi_connection, cut_ms)

    def _disarm(conn: Connection) -> None:
        if conn.invalidated or conn.closed:
            return
        _WATCHDOG.disarm(id(conn.info))

    @event.listens_for(engine, "before_cursor_execute")
    def _before_execute(conn: Connection, *_args: Any) -> None:
        _arm(conn)

    @event.listens_for(engine, "after_cursor_execute")
    def _after_execute(conn: Connection, *_args: Any) -> None:
        _disarm(conn)

    @event.listens_for(engine, "commit")
    def _before_commit(conn: Connection) -> None:
        _arm(conn)

    @event.listens_for(engine, "rollback")
    def _before_rollback(conn: Connection) -> None:
        _arm(conn)

    @event.listens_for(engine, "reset")
    def _on_reset(dbapi_connection: Any, record: ConnectionPoolEntry, _state: Any) -> None:
        cut_ms = record.info.get("kiosk_cut_ms", patience.cut_after_ms)
        _WATCHDOG.arm(id(record.info), dbapi_connection, cut_ms)

    for name in ("checkin", "close", "detach"):

        @event.listens_for(engine, name)
        def _forget(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
            _WATCHDOG.disarm(id(record.info))

    @event.listens_for(engine, "invalidate")
    def _on_invalidate(_dbapi: Any, record: ConnectionPoolEntry, _error: Any) -> None:
        _WATCHDOG.disarm(id(record.info))


def _normalise_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs and use the psycopg 3 driver for them."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def postgres_connect_args(patience: Patience) -> dict[str, Any]:
    """The libpq connection settings for a PostgreSQL connection whose transactions wait as
    ``patience`` says unless they ask otherwise: ``connect_timeout`` (seconds), TCP
    keepalives (`PG_KEEPALIVES_IDLE_S` and the rest), ``tcp_user_timeout`` (milliseconds)
    and, as the session's defaults, ``lock_timeout`` and ``statement_timeout``
    (milliseconds). Names and units are libpq's (PostgreSQL manual, "Parameter Key
    Words"). Never raises."""
    return {
        "connect_timeout": patience.connect_s,
        "keepalives": 1,
        "keepalives_idle": PG_KEEPALIVES_IDLE_S,
        "keepalives_interval": PG_KEEPALIVES_INTERVAL_S,
        "keepalives_count": PG_KEEPALIVES_COUNT,
        "tcp_user_timeout": patience.unacknowledged_ms,
        "options": (
            f"-c lock_timeout={patience.lock_wait_ms} -c statement_timeout={patience.statement_ms}"
        ),
    }


def create_kiosk_engine(url: str, patience: Patience | None = None) -> Engine:
    """An engine for the database at the SQLAlchemy ``url`` (``postgresql://`` means
    psycopg 3), whose transactions wait as ``patience`` (default :data:`BATCH`) says unless
    a transaction asks for other patience (execution option ``kiosk_patience``, see
    :class:`Database`).

    SQLite connections get WAL, foreign keys, ``synchronous=FULL`` and a busy timeout, and
    writes begin ``BEGIN IMMEDIATE`` (reads plain ``BEGIN``); PostgreSQL connections get
    the timeouts and keepalives of :func:`postgres_connect_args`, are checked before use,
    and are cut by a watchdog when the server leaves them waiting past ``cut_after_ms``. Connects lazily: a bad URL raises sqlalchemy's ArgumentError here,
    an unreachable database raises OperationalError on first use.
    """
    url = _normalise_url(url)
    patience = patience or BATCH
    if not url.startswith("sqlite"):
        # The liveness check a pool_pre_ping would make runs in _watch_postgres instead,
        # under the watchdog.
        engine = create_engine(url, connect_args=postgres_connect_args(patience))
        _watch_postgres(engine, patience)

        @event.listens_for(engine, "begin")
        def _on_postgres_begin(conn: Connection) -> None:
            wanted = conn.get_execution_options().get("kiosk_patience", patience)
            conn.info["kiosk_cut_ms"] = wanted.cut_after_ms
            if wanted != patience:
                # Local to this transaction: the connection's defaults return at its end.
                conn.exec_driver_sql(
                    f"SELECT set_config('lock_timeout', '{int(wanted.lock_wait_ms)}', true), "
                    f"set_config('statement_timeout', '{int(wanted.statement_ms)}', true)"
                )

        return engine

    _create_private_file(make_url(url).database)
    engine = create_engine(url, connect_args={"timeout": patience.lock_wait_ms / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
        # Take transaction control away from the sqlite3 module so BEGIN is ours to issue.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA busy_timeout={int(patience.lock_wait_ms)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        options = conn.get_execution_options()
        wait_ms = int(options.get("kiosk_patience", patience).lock_wait_ms)
        if conn.info.get("kiosk_busy_ms", patience.lock_wait_ms) != wait_ms:
            # The busy timeout belongs to the connection: set it for this transaction's BEGIN.
            conn.exec_driver_sql(f"PRAGMA busy_timeout={wait_ms}")
            conn.info["kiosk_busy_ms"] = wait_ms
        if options.get("kiosk_readonly"):
            conn.exec_driver_sql("BEGIN")
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _create_private_file(database: str | None) -> None:
    """Create a new SQLite file readable by its owner only (0600), before SQLite does.

    The database holds visitors' signatures and the mail server's password. SQLite gives
    its -wal, -shm and -journal files the database file's own permissions, so they follow.
    An existing file is left as it is; a file that cannot be made here (a missing folder)
    is left for SQLite to report when it connects. On Windows the user data folder is
    private to the user (docs/deployment.md).
    """
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    if path.exists() or not path.parent.is_dir():
        return
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError:
        return  # made by another desk a moment ago, or not ours to make: SQLite says
    os.close(fd)
    if os.name == "posix":
        os.chmod(path, 0o600)  # os.open's mode is filtered by the umask; be exact


class Database:
    """Holds the engine and hands out transactions; built once in ``main()``.

    ``patience`` is how long its transactions wait on a busy or unreachable database unless
    one asks otherwise: :data:`INTERACTIVE` for the desk application, :data:`BATCH` (the
    default) for the command line and scripts.
    """

    def __init__(
        self, url: str, engine: Engine | None = None, *, patience: Patience | None = None
    ) -> None:
        self.url = _normalise_url(url)
        self.patience = patience or BATCH
        self.engine = engine or create_kiosk_engine(url, self.patience)
        self._sessions: dict[tuple[bool, Patience], sessionmaker[Session]] = {}

    def _sessionmaker(self, *, readonly: bool, patience: Patience | None) -> sessionmaker[Session]:
        key = (readonly, patience or self.patience)
        maker = self._sessions.get(key)
        if maker is None:
            options: dict[str, Any] = {"kiosk_patience": key[1]}
            if readonly:
                options["kiosk_readonly"] = True
            maker = sessionmaker(self.engine.execution_options(**options), expire_on_commit=False)
            self._sessions[key] = maker
        return maker

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def write(self, patience: Patience | None = None) -> Iterator[Session]:
        """A transaction that may change data: commit on exit, roll back on any error.

        ``patience`` (default: the database's own) bounds every wait: on SQLite it takes
        the write lock at once and waits up to ``lock_wait_ms`` for another writer, then
        raises sqlalchemy's OperationalError ("database is locked"); on PostgreSQL a lock
        or statement timeout raises OperationalError too. Nothing is written then. Objects
        loaded stay readable after commit (not expired).
        """
        with self._sessionmaker(readonly=False, patience=patience)() as session, session.begin():
            yield session

    @contextmanager
    def read(self, patience: Patience | None = None) -> Iterator[Session]:
        """A transaction that only reads (no write lock taken on SQLite): one consistent
        snapshot, ended on exit, its waits bounded by ``patience`` (default: the
        database's own). Objects loaded stay readable afterwards."""
        with self._sessionmaker(readonly=True, patience=patience)() as session, session.begin():
            yield session

    def dispose(self) -> None:
        """Close the engine's pooled connections (at shut-down, or before the database file
        is replaced); the Database still works afterwards, opening new connections."""
        self.engine.dispose()
