"""Expected faults in plain words: the database busy or unreachable, a full disk, a
read-only or missing file or folder.

A fault is not a refusal (:class:`kiosk.errors.KioskError`: the rules said no) and not a bug:
the action was right but the machine around it could not carry it out, and trying again
after the person has done something (waited, freed space, started the server) will work.
:func:`plain_fault` turns such an exception into one sentence saying what happened and what
to do, and the exit status the command line gives it; the desk can show the same sentence.
"""

from __future__ import annotations

import errno
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

# Exit statuses of the ``kiosk`` command for faults (0, 1 and 2 are in kiosk.cli).
EXIT_DATABASE_UNAVAILABLE = 3
"""The database is busy (another writer holds it, a lock or statement timed out) or the
database server cannot be reached or refused the connection."""
EXIT_FILE_SYSTEM = 4
"""A file or folder on this computer could not be used: disk full, read-only, missing, or
not allowed for this account."""

NOTHING_RECORDED = "Nothing was recorded."

# PostgreSQL SQLSTATEs meaning "another session is in the way: try again".
_POSTGRES_BUSY = {
    "55P03": "a table or row stayed locked by another desk past the lock timeout",
    "57014": "the database took too long to answer (statement timeout)",
    "40P01": "two desks were waiting on each other (deadlock)",
    "40001": "another desk changed the same records at the same moment",
}
# PostgreSQL SQLSTATE classes meaning the server refused or lost the connection.
_POSTGRES_REFUSED = {
    "28": "the database server refused the user name or password",
    "3D": "the database named in the URL does not exist on the server",
    "08": "the connection to the database server was lost",
    "57P01": "the database server is shutting down",
    "57P02": "the database server is shutting down",
    "57P03": "the database server is starting up and not accepting connections yet",
    "53300": "the database server has too many connections open",
}


@dataclass(frozen=True, slots=True)
class Fault:
    """An expected fault: ``message`` is one line for the person (what happened, what to do)
    and ``exit_code`` the ``kiosk`` command's exit status for it
    (:data:`EXIT_DATABASE_UNAVAILABLE` or :data:`EXIT_FILE_SYSTEM`)."""

    message: str
    exit_code: int


def plain_fault(exc: BaseException) -> Fault | None:
    """The plain-words fault behind ``exc``, or None when it is not an expected fault (a bug,
    or a refusal the caller shows itself).

    Looks at ``exc``, the driver's exception a SQLAlchemy error wraps, and the exception it
    was raised from: a SQLite busy, full, read-only or unopenable database; a PostgreSQL lock
    or statement timeout, a closed port, an unknown host, a refused sign-in; an ``OSError``
    for a full disk (ENOSPC), a read-only file or folder (EROFS, EACCES, EPERM), a missing
    file or folder (ENOENT), or a path that is a folder or runs through a file. Never raises.
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        fault = _fault_of(current)
        if fault is not None:
            return fault
        current = current.orig if isinstance(current, DBAPIError) else current.__cause__
    return None


def _fault_of(exc: BaseException) -> Fault | None:
    if isinstance(exc, PoolTimeoutError):
        return _busy("every connection to the database is in use")
    if isinstance(exc, sqlite3.Error):
        return _sqlite_fault(exc)
    if type(exc).__module__.startswith("psycopg"):
        return _postgres_fault(exc)
    if isinstance(exc, OSError):
        return _os_fault(exc)
    return None


def _busy(reason: str) -> Fault:
    return Fault(
        f"The database is busy ({reason}). Wait a moment and try again. {NOTHING_RECORDED}",
        EXIT_DATABASE_UNAVAILABLE,
    )


def _unreachable(reason: str) -> Fault:
    return Fault(
        f"The database cannot be used: {reason}. Check --db or KIOSK_DATABASE_URL, that the "
        f"server is running and that the network is up, then try again. {NOTHING_RECORDED}",
        EXIT_DATABASE_UNAVAILABLE,
    )


def _sqlite_fault(exc: sqlite3.Error) -> Fault | None:
    # Python 3.11 names the SQLite result code; the message is the fallback for older ones.
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc).casefold()
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "is locked" in text:
        return _busy("another program or desk is writing to it")
    if name == "SQLITE_FULL" or "disk is full" in text:
        return Fault(
            f"The disk holding the database is full. Free some space and try again. "
            f"{NOTHING_RECORDED}",
            EXIT_FILE_SYSTEM,
        )
    if name.startswith("SQLITE_READONLY") or "readonly database" in text:
        return Fault(
            "The database file cannot be written: the file, its folder or the disk is "
            "read-only for this account. Check their permissions, or open a copy that can be "
            f"written. {NOTHING_RECORDED}",
            EXIT_FILE_SYSTEM,
        )
    if name.startswith("SQLITE_CANTOPEN") or "unable to open database file" in text:
        # SQLite does not say which: a missing folder, or one it cannot write its journal in.
        return Fault(
            "The database file cannot be opened: its folder is missing, read-only, or not "
            "open to this account. Check --db or KIOSK_DATABASE_URL and the folder's "
            f"permissions. {NOTHING_RECORDED}",
            EXIT_FILE_SYSTEM,
        )
    if name.startswith("SQLITE_IOERR") or "disk i/o error" in text:
        return Fault(
            "The disk holding the database could not be read or written (disk I/O error). "
            f"Check the disk, then try again. {NOTHING_RECORDED}",
            EXIT_FILE_SYSTEM,
        )
    if name == "SQLITE_NOTADB" or "not a database" in text:
        return Fault(
            "The file named by --db or KIOSK_DATABASE_URL is not a Reception Kiosk database "
            "(or it is damaged). Check the path, or restore the latest backup.",
            EXIT_FILE_SYSTEM,
        )
    return None


def _postgres_fault(exc: BaseException) -> Fault | None:
    sqlstate = getattr(exc, "sqlstate", None)
    if sqlstate in _POSTGRES_BUSY:
        return _busy(_POSTGRES_BUSY[sqlstate])
    if sqlstate is not None:
        for prefix in (sqlstate, sqlstate[:2]):
            if prefix in _POSTGRES_REFUSED:
                return _unreachable(_POSTGRES_REFUSED[prefix])
        if sqlstate == "53100":
            return Fault(
                "The database server's disk is full. Ask whoever runs the server to free "
                f"some space, then try again. {NOTHING_RECORDED}",
                EXIT_DATABASE_UNAVAILABLE,
            )
        return None
    # No SQLSTATE: the connection was never made or has dropped (psycopg.OperationalError).
    if type(exc).__name__ in {"OperationalError", "InterfaceError", "ConnectionTimeout"}:
        reason = _driver_reason(exc)
        if reason.startswith("FATAL:"):
            # The server answered and said no (unknown role or database, wrong password).
            refusal = reason.removeprefix("FATAL:").strip()
            return _unreachable(f"the database server refused the connection ({refusal})")
        return _unreachable(f"the database server cannot be reached ({reason})")
    return None


def _driver_reason(exc: BaseException) -> str:
    """The driver's reason, shortened to its last clause ("Connection refused")."""
    lines = str(exc).strip().splitlines()
    first = lines[0] if lines else type(exc).__name__
    return first.rsplit(" failed: ", 1)[-1].strip() or first


def _os_fault(exc: OSError) -> Fault | None:
    path = Path(exc.filename) if exc.filename else None
    where = f" ({path})" if path else ""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return Fault(
            f"The disk is full{where}. Free some space, or choose another place, and try "
            "again. The file was not written.",
            EXIT_FILE_SYSTEM,
        )
    if exc.errno == errno.EROFS:
        return Fault(
            f"The disk or folder is read-only{where}. Choose a place that can be written.",
            EXIT_FILE_SYSTEM,
        )
    if exc.errno in (errno.EACCES, errno.EPERM):
        return Fault(
            f"This account is not allowed to use {path or 'that file'}. Check its permissions "
            "and those of its folder, or choose another place.",
            EXIT_FILE_SYSTEM,
        )
    if exc.errno == errno.ENOENT:
        if path is not None and not path.parent.exists():
            return Fault(
                f"The folder {path.parent} does not exist. Create it, or choose another place.",
                EXIT_FILE_SYSTEM,
            )
        return Fault(f"There is no file at {path or 'that place'}.", EXIT_FILE_SYSTEM)
    if exc.errno == errno.ENOTDIR:
        return Fault(
            f"Part of the path {path or ''} is a file, not a folder. Choose a folder that exists.",
            EXIT_FILE_SYSTEM,
        )
    if exc.errno == errno.EISDIR:
        return Fault(f"{path or 'That'} is a folder; give a file name inside it.", EXIT_FILE_SYSTEM)
    return None
