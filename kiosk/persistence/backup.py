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

from kiosk.errors import KioskError

if TYPE_CHECKING:
    from kiosk.context import KioskContext

KEY_SUFFIX = ".card.key"
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

    The returned path is ``out`` made absolute (``~`` expanded); an existing file there is
    replaced. Raises :class:`KioskError` with a plain message for each refusal above, and
    also for a folder given as ``out``, a SQLite database in memory or missing, a backup
    name with -wal/-shm files beside it, a SQLite error while copying, pg_dump missing or
    failing, and any other kind of database. OSError (e.g. disk full) can come from
    writing the key file, after the database copy is already in place.
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
    if dialect == "sqlite":
        _backup_sqlite(live, out)
    elif dialect == "postgresql":
        _backup_postgresql(ctx, out)
    else:
        raise KioskError(f"Backups of a {dialect} database are not supported.")
    _copy_key_file(ctx.key_path, backup_key_path(out))
    return out


# --- SQLite --------------------------------------------------------------------------------


def _live_sqlite_file(ctx: KioskContext) -> Path:
    database = make_url(ctx.db.url).database
    if not database or database == ":memory:":
        raise KioskError("This database lives only in memory; there is no file to back up.")
    return _real(Path(database))


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def _backup_sqlite(live: Path, out: Path) -> None:
    for suffix in ("-wal", "-shm"):
        if out.with_name(out.name + suffix).exists():
            raise KioskError(
                f"{out} looks like a database that is in use (it has a {suffix} file beside "
                "it). Choose another name for the backup. Nothing has been written."
            )

    if not live.is_file():
        raise KioskError(f"The database file {live} is not there; there is nothing to back up.")

    partial = out.with_name(f".{out.name}.{secrets.token_hex(4)}.partial")
    try:
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
            f"The backup could not be made ({exc}). Nothing has been written."
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
    """Copy the card key, readable and writable by its owner only (0600)."""
    secret = key_path.read_bytes()
    partial = destination.with_name(f".{destination.name}.{secrets.token_hex(4)}.partial")
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(secret)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(partial, 0o600)  # whatever the umask made of it
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)


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
