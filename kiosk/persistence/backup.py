"""Backups of the database, safe to take while the desks and the kiosk are working.

A SQLite database is copied with SQLite's online backup API, which reads one consistent
snapshot (including changes still in the write-ahead log) without stopping anyone writing;
the copy is checked and only then moved into place. A PostgreSQL database is dumped with
``pg_dump``.

A database backup alone cannot check a single card: the card key file is not in the
database. Every backup therefore copies the key file beside it, as ``<backup stem>.card.key``
(readable by its owner only). Keep the two together, and keep them safe: the key file is
what makes cards impossible to forge.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url

from kiosk.codes.pupil_card import KEY_FILE_SUFFIX
from kiosk.errors import KioskError

if TYPE_CHECKING:
    from kiosk.context import KioskContext

KEY_SUFFIX = KEY_FILE_SUFFIX
_BUSY_TIMEOUT_MS = 10_000


def backup_key_path(out: Path) -> Path:
    """Where the copy of the card key goes for a backup written to ``out``: the name the
    application looks for beside a database (``nightly.db`` -> ``nightly.card.key``), so a
    restored backup opens as it is."""
    return out.with_name(out.stem + KEY_SUFFIX)


def backup_database(ctx: KioskContext, out: Path) -> Path:
    """Write a backup of the database to ``out`` and the card key file to
    ``<out stem>.card.key``; return the backup's path.

    Refuses, changing nothing, when ``out`` is the live database (or one of its companion
    files), when its folder does not exist, or when the copy fails its integrity check.
    Restoring needs both files; copied back together under the database's own name
    (``kiosk.db`` with ``kiosk.card.key``) they open as they are.

    The key copy is written first and the database copy last, each to a temporary name in
    the same folder, flushed to disk and renamed into place, both readable by their owner
    only (0600 on POSIX): a backup that fails part-way never leaves a database copy without
    its key. The returned path is ``out`` made absolute (``~`` expanded); an existing file
    there is replaced. Raises :class:`KioskError` with a plain message for each refusal
    above, and also for a folder given as ``out``, a SQLite database in memory or missing,
    a backup name with -wal/-shm files beside it, a key copy that cannot be written (disk
    full, a folder in its place: no database copy is then made), a SQLite error while
    copying, pg_dump missing or failing, and any other kind of database.
    """
    out = Path(out).expanduser().absolute()
    if not out.parent.is_dir():
        raise KioskError(f"The folder {out.parent} does not exist. Nothing has been written.")
    if out.is_dir():
        raise KioskError(f"{out} is a folder; give the backup a file name inside it.")
    dialect = ctx.db.engine.dialect.name
    live_files = {_real(ctx.key_path)}
    if dialect == "sqlite":
        live = _live_sqlite_file(ctx)
        live_files |= {live.with_name(live.name + s) for s in ("", "-wal", "-shm", "-journal")}
    if _real(out) in live_files or _real(backup_key_path(out)) in live_files:
        raise KioskError(
            "That would write over the live database itself (or its card key file); a "
            "backup must go to another file. Nothing has been written."
        )
    if dialect not in ("sqlite", "postgresql"):
        raise KioskError(f"Backups of a {dialect} database are not supported.")
    if dialect == "sqlite":
        _check_sqlite_backup(live, out)
    # The key first and the database last: a backup that stops half-way leaves at most a
    # key copy, never a database copy that no card could be checked against.
    key_copy = backup_key_path(out)
    key_copy_existed = key_copy.exists()
    _copy_key_file(ctx.key_path, key_copy)
    try:
        if dialect == "sqlite":
            _backup_sqlite(live, out)
        else:
            _backup_postgresql(ctx, out)
    except BaseException:
        # No database copy was made: take back a key copy that only this backup wrote.
        if not key_copy_existed:
            key_copy.unlink(missing_ok=True)
        raise
    return out


# --- SQLite --------------------------------------------------------------------------------


def _live_sqlite_file(ctx: KioskContext) -> Path:
    database = make_url(ctx.db.url).database
    if not database or database == ":memory:":
        raise KioskError("This database lives only in memory; there is no file to back up.")
    return _real(Path(database))


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def _check_sqlite_backup(live: Path, out: Path) -> None:
    """Refuse, before anything is written, a backup name beside a database in use or a
    live database file that is not there."""
    for suffix in ("-wal", "-shm"):
        if out.with_name(out.name + suffix).exists():
            raise KioskError(
                f"{out} looks like a database that is in use (it has a {suffix} file beside "
                "it). Choose another name for the backup. Nothing has been written."
            )
    if not live.is_file():
        raise KioskError(f"The database file {live} is not there; there is nothing to back up.")


def _backup_sqlite(live: Path, out: Path) -> None:
    partial = out.with_name(f".{out.name}.{secrets.token_hex(4)}.partial")
    try:
        _create_private(partial)
        # Read-write so that, when it is the last connection, closing it tidies away the
        # -wal and -shm files instead of leaving them behind; it only ever reads.
        source = sqlite3.connect(f"{live.as_uri()}?mode=rw", uri=True)
        try:
            source.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
            copy = sqlite3.connect(partial)
            try:
                # One step (pages=-1): a single read transaction, so the copy is one
                # consistent snapshot, taken without blocking anyone who is writing.
                source.backup(copy, pages=-1)
                # A self-contained file, with no write-ahead log to carry around with it.
                copy.execute("PRAGMA journal_mode=DELETE")
            finally:
                copy.close()
        finally:
            source.close()
        _verify_sqlite_copy(partial)
        _fsync(partial)
        os.replace(partial, out)
        _fsync_folder(out.parent)
    except sqlite3.Error as exc:
        raise KioskError(
            f"The backup could not be made ({exc}). No database copy has been written."
        ) from None
    except OSError as exc:
        raise KioskError(
            f"The backup could not be written to {out} ({exc.strerror or exc}). No database "
            "copy has been written."
        ) from None
    finally:
        for leftover in (partial, partial.with_name(partial.name + "-journal")):
            leftover.unlink(missing_ok=True)


def _verify_sqlite_copy(path: Path) -> None:
    """The copy must pass SQLite's integrity check and open as a Reception Kiosk database."""
    check = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        result = [row[0] for row in check.execute("PRAGMA integrity_check")]
        schools = check.execute("SELECT count(*) FROM school").fetchone()[0]
        check.execute("SELECT version_num FROM alembic_version").fetchall()
    finally:
        check.close()
    if result != ["ok"]:
        raise KioskError(
            "The copy failed SQLite's integrity check, so it was not kept: "
            f"{'; '.join(result[:3])}. Nothing has been written."
        )
    if schools != 1:
        raise KioskError("The copy does not hold the school's settings, so it was not kept.")


# --- PostgreSQL ----------------------------------------------------------------------------


def _backup_postgresql(ctx: KioskContext, out: Path) -> None:
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise KioskError(
            "Backing up a PostgreSQL database needs pg_dump, which comes with the "
            "PostgreSQL client tools; it was not found on this computer's PATH. Install "
            "the client tools (the same version as the server, or newer) and run the backup "
            "again, or ask whoever looks after the database server to include this "
            f"database in its backups. Either way, keep a copy of the card key file "
            f"{ctx.key_path} with every backup."
        )
    url = make_url(ctx.db.url)
    password = url.password
    # The password goes to pg_dump in its environment, never on a command line that
    # anyone on the machine could read in the process list.
    conninfo = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    environment = dict(os.environ)
    if password:
        environment["PGPASSWORD"] = str(password)

    partial = out.with_name(f".{out.name}.{secrets.token_hex(4)}.partial")
    try:
        # pg_dump writes into the file made here, so it keeps the owner-only mode.
        _create_private(partial)
        dumped = subprocess.run(
            [
                pg_dump,
                "--format=custom",
                "--no-password",
                f"--file={partial}",
                f"--dbname={conninfo}",
            ],
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
        if dumped.returncode != 0:
            detail = _without_secret(dumped.stderr.strip(), password) or "no reason given"
            raise KioskError(
                f"pg_dump could not back up the database: {detail}. Nothing has been written."
            )
        pg_restore = shutil.which("pg_restore")
        if pg_restore is not None:
            listed = subprocess.run(
                [pg_restore, "--list", str(partial)], capture_output=True, text=True, check=False
            )
            if listed.returncode != 0 or "TABLE DATA" not in listed.stdout:
                raise KioskError(
                    "The dump pg_dump wrote cannot be read back, so it was not kept. "
                    "Nothing has been written."
                )
        _fsync(partial)
        os.replace(partial, out)
        _fsync_folder(out.parent)
    finally:
        partial.unlink(missing_ok=True)


def _without_secret(text: str, secret: str | None) -> str:
    return text.replace(secret, "********") if secret else text


# --- files ---------------------------------------------------------------------------------


def _copy_key_file(key_path: Path, destination: Path) -> None:
    """Copy the card key atomically, readable and writable by its owner only (0600).

    Raises :class:`KioskError` naming the file when the key cannot be read or the copy
    cannot be written; nothing is left at ``destination`` then (an older copy stays)."""
    try:
        secret = key_path.read_bytes()
    except OSError as exc:
        raise KioskError(
            f"The card key file {key_path} could not be read ({exc.strerror or exc}), so no "
            "backup was made: a database copy without its key checks no card."
        ) from None
    partial = destination.with_name(f".{destination.name}.{secrets.token_hex(4)}.partial")
    try:
        _create_private(partial)
        with open(partial, "wb") as fh:
            fh.write(secret)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(partial, destination)
        _fsync_folder(destination.parent)
    except OSError as exc:
        raise KioskError(
            f"The card key could not be copied to {destination} ({exc.strerror or exc}), so "
            "no backup was made: a database copy without its key checks no card. "
            "Nothing has been written."
        ) from None
    finally:
        partial.unlink(missing_ok=True)


def _create_private(path: Path) -> None:
    """Create the empty file ``path`` (which must not exist) for its owner only: 0600 on
    POSIX whatever the umask. Raises OSError when it cannot be made."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    if os.name == "posix":
        os.chmod(path, 0o600)


def _fsync(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; Windows has no directory handles for this)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
