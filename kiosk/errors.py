"""Errors the services raise; every message is written for the person at the desk."""

from __future__ import annotations


class KioskError(Exception):
    """A refusal with a plain message; nothing was changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ScanRejected(KioskError):
    """A scanned code was not accepted (garbage, forged, revoked, another school's)."""


class NotFound(KioskError):
    """The thing asked for does not exist."""


class NotAllowed(KioskError):
    """The person signed in does not have the role this action needs."""


class InvalidInput(KioskError):
    """Input that cannot be stored as given."""


class NoFreeSlot(KioskError):
    """Every receptacle is full."""


class DatabaseTooNew(KioskError):
    """The database was written by a newer version of the application."""


class PinLocked(NotAllowed):
    """Too many wrong PINs for this person: every PIN is refused until the delay ends or a
    manager clears the lock. The message says whose lock it is and the time left."""
