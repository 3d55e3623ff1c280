"""The engine and the unit of work: one short transaction per user action.

SQLite is set up so that an acknowledged scan survives a power cut (WAL, ``synchronous=FULL``)
and so that two processes writing at once queue politely (``BEGIN IMMEDIATE`` with a busy
timeout) instead of failing half-way through a transaction.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

SQLITE_BUSY_TIMEOUT_MS = 10_000


def _normalise_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs and use the psycopg 3 driver for them."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def create_kiosk_engine(url: str) -> Engine:
    """An engine for the database at the SQLAlchemy ``url`` (``postgresql://`` means
    psycopg 3). SQLite connections get WAL, foreign keys, ``synchronous=FULL`` and a busy
    timeout of `SQLITE_BUSY_TIMEOUT_MS` milliseconds, and writes begin ``BEGIN IMMEDIATE``
    (reads plain ``BEGIN``, see :class:`Database`); PostgreSQL connections are checked
    before use. Connects lazily: a bad URL raises sqlalchemy's ArgumentError here, an
    unreachable database raises OperationalError on first use.
    """
    url = _normalise_url(url)
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)

    _create_private_file(make_url(url).database)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
        # Take transaction control away from the sqlite3 module so BEGIN is ours to issue.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get("kiosk_readonly"):
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
    """Holds the engine and hands out transactions; built once in ``main()``."""

    def __init__(self, url: str, engine: Engine | None = None) -> None:
        self.url = _normalise_url(url)
        self.engine = engine or create_kiosk_engine(url)
        self._write = sessionmaker(self.engine, expire_on_commit=False)
        self._read = sessionmaker(
            self.engine.execution_options(kiosk_readonly=True), expire_on_commit=False
        )

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction that may change data: commit on exit, roll back on any error.

        On SQLite it takes the write lock at once and waits up to the busy timeout for
        another writer; sqlalchemy's OperationalError ("database is locked") after that.
        Objects loaded stay readable after commit (not expired).
        """
        with self._write() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A transaction that only reads (no write lock taken on SQLite): one consistent
        snapshot, ended on exit. Objects loaded stay readable afterwards."""
        with self._read() as session, session.begin():
            yield session

    def dispose(self) -> None:
        """Close the engine's pooled connections (at shut-down, or before the database file
        is replaced); the Database still works afterwards, opening new connections."""
        self.engine.dispose()
