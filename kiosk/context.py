"""Everything a service needs, built once at start-up and handed down.

This module imports no service, so every service can name :class:`KioskContext` in its
annotations without an import cycle; :func:`kiosk.startup.open_kiosk` builds one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk.clock import Clock
from kiosk.codes.pupil_card import CardKey
from kiosk.persistence.database import Database


@dataclass(frozen=True)
class KioskContext:
    """The open database, the clock, the school's card key and code, the school's time zone
    (school time; the clock gives UTC) and where the key file is."""

    db: Database
    clock: Clock
    card_key: CardKey
    card_code: str
    timezone: ZoneInfo
    key_path: Path

    def close(self) -> None:
        """Close the database's connections; the context is unusable afterwards."""
        self.db.dispose()
