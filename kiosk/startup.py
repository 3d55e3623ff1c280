"""Opening the kiosk: the database migrated to the current version, the card key loaded
and the school's record made, handed back as a :class:`~kiosk.context.KioskContext`."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk.clock import Clock, system_clock
from kiosk.codes.pupil_card import CardKey
from kiosk.config import demo_database_url, describe_database, key_file_path, sqlite_file
from kiosk.context import KioskContext
from kiosk.errors import NotFound
from kiosk.persistence.database import BATCH, Database, Patience
from kiosk.persistence.migrate import upgrade_to_head
from kiosk.persistence.models import School
from kiosk.services.school import ensure_school


def open_kiosk(
    url: str,
    *,
    clock: Clock = system_clock,
    key_path: Path | None = None,
    school_name: str | None = None,
    patience: Patience | None = None,
    must_exist: bool = False,
) -> KioskContext:
    """Open (and if needed create and migrate) the database at ``url``.

    ``key_path`` defaults to ``config.key_file_path(url)``; it is created (0600) only for
    a brand-new database, one with no school record yet;
    ``school_name`` names a school record made now (ignored when one exists); ``patience``
    bounds how long the services' transactions wait on a busy or unreachable database
    (:data:`~kiosk.persistence.database.INTERACTIVE` for the desk application, the default
    :data:`~kiosk.persistence.database.BATCH` for the command line; start-up itself always
    waits as BATCH does); ``must_exist`` refuses a database not made yet
    (:func:`require_existing_database`) instead of creating it. Returns the
    context every service takes; the caller closes it with ``KioskContext.close()``. On
    any error the database connections are closed before the error goes on.

    Raises :class:`kiosk.errors.KioskError` with a plain message when the database is from a
    newer version, or the card key file does not belong to it, is damaged, or is missing
    for an existing database (the message names the file and how to restore it).
    """
    if must_exist:
        require_existing_database(url)  # before connecting: connecting makes a SQLite file
    db = Database(url, patience=patience)
    try:
        if must_exist:
            require_existing_database(url, db)
        upgrade_to_head(db)
        key_path = key_path or key_file_path(url)
        card_key = _card_key_for(db, key_path)
        school = ensure_school(db, card_key, clock, key_path=key_path, name=school_name)
    except Exception:
        db.dispose()
        raise
    return KioskContext(
        db=db,
        clock=clock,
        card_key=card_key,
        card_code=school.card_code,
        timezone=ZoneInfo(school.timezone),
        key_path=key_path,
    )


def _card_key_for(db: Database, key_path: Path) -> CardKey:
    """The card key at ``key_path``: read for a database that has its school already (a
    missing file is then an error, never a new key, or every printed card would fail);
    made only for a brand-new database."""
    with db.read(BATCH) as s:
        existing = s.get(School, 1) is not None
    if existing:
        return CardKey.load(key_path)
    try:
        return CardKey.load_or_create(key_path)
    except FileExistsError:
        # Another desk starting on the same new database wrote it a moment ago.
        return CardKey.load(key_path)


def require_existing_database(url: str, db: Database | None = None) -> None:
    """Refuse a database at ``url`` that does not exist yet, before anything is created.

    A command that reads or adds records must not make an empty database where it expected
    the school's: it would then say "no pupils" about the wrong file. Only ``kiosk init``,
    ``kiosk demo`` and the desk's first-run guide create one. A SQLite database exists when
    its file does (checked without connecting, since connecting would make the file; a
    file in a folder that is missing is left for opening to report as the file-system
    fault it is); a server database when its schema has been made (the migrations' table),
    asked through ``db`` (an open :class:`Database` for ``url``, whose patience bounds the
    wait) and skipped when ``db`` is None.

    Raises :class:`NotFound` saying where it looked and what to run (and where the demo
    school is, when that exists); a server that cannot be reached raises the driver's
    error, which :func:`kiosk.faults.plain_fault` words.
    """
    file = sqlite_file(url)
    if file is not None:
        exists = file.exists() or not file.parent.is_dir()
    elif db is None or db.is_sqlite:
        exists = True  # in-memory, or not asked yet
    else:
        from sqlalchemy import inspect

        with db.read() as session:
            exists = inspect(session.connection()).has_table("alembic_version")
    if exists:
        return
    message = (
        f"There is no school database at {describe_database(url)}, so nothing was done. "
        'To set up a school, run "kiosk init --school-name NAME" or start kiosk-desk and '
        "follow its set-up guide; or give the database with --db URL or KIOSK_DATABASE_URL."
    )
    demo = sqlite_file(demo_database_url())
    if demo is not None and demo.exists() and demo != file:
        message += f' The demo school is at {demo}: use it with "kiosk --demo COMMAND".'
    raise NotFound(message)
