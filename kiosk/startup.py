"""Opening the kiosk: the database migrated to the current version, the card key loaded
and the school's record made, handed back as a :class:`~kiosk.context.KioskContext`."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk.clock import Clock, system_clock
from kiosk.codes.pupil_card import CardKey
from kiosk.config import key_file_path
from kiosk.context import KioskContext
from kiosk.persistence.database import Database
from kiosk.persistence.migrate import upgrade_to_head
from kiosk.services.school import ensure_school


def open_kiosk(
    url: str,
    *,
    clock: Clock = system_clock,
    key_path: Path | None = None,
    school_name: str | None = None,
) -> KioskContext:
    """Open (and if needed create and migrate) the database at ``url``.

    ``key_path`` defaults to ``config.key_file_path(url)`` and is created on first use;
    ``school_name`` names a school record made now (ignored when one exists). Returns the
    context every service takes; the caller closes it with ``KioskContext.close()``. On
    any error the database connections are closed before the error goes on.

    Raises :class:`kiosk.errors.KioskError` with a plain message when the database is from a
    newer version or the card key file does not belong to it.
    """
    db = Database(url)
    try:
        upgrade_to_head(db)
        key_path = key_path or key_file_path(url)
        card_key = CardKey.load_or_create(key_path)
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
