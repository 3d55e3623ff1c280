"""Giving a phone back at the desk, from the pupil panel or the end-of-day list.

Inside a release window the receptionist only confirms. Outside one the service needs a
reason, so the receptionist picks one (or writes their own); cancelling changes nothing.
"""

from __future__ import annotations

from enum import Enum
from typing import Literal

from PySide6.QtWidgets import QWidget

from kiosk.context import KioskContext
from kiosk.rows.custody import ScanOutcome
from kiosk.rows.people import Actor, PupilRow
from kiosk.services import calendar, custody
from ui.ask import Asker
from ui.components.common import run_service

EARLY_LEAVE = "Early leave"
MEDICAL = "Medical appointment"
OTHER_REASON = "Other…"
EARLY_REASONS = [EARLY_LEAVE, MEDICAL, OTHER_REASON]


class _Cancelled(Enum):
    """The receptionist cancelled; kept apart from None, which means "no reason needed"."""

    CANCELLED = "cancelled"


_CANCELLED = _Cancelled.CANCELLED


def _ask_reason(
    ctx: KioskContext, asker: Asker, parent: QWidget | None, pupil: PupilRow, place: str
) -> str | None | Literal[_Cancelled.CANCELLED]:
    """None inside a release window, the reason outside one, or _CANCELLED."""
    if calendar.school_calendar(ctx).release_window_at(ctx.clock()) is not None:
        if asker.confirm(parent, "Release phone", f"Give {pupil.name} their phone from {place}?"):
            return None
        return _CANCELLED
    choice = asker.choice(
        parent,
        "Early release",
        f"It is not a release time. Why is {pupil.name}'s phone being released early?",
        EARLY_REASONS,
    )
    if choice is None:
        return _CANCELLED
    if choice != OTHER_REASON:
        return choice
    text = asker.text(parent, "Early release", "Reason for releasing the phone early:")
    return _CANCELLED if text is None else text


def release_at_desk(
    ctx: KioskContext,
    asker: Asker,
    parent: QWidget | None,
    actor: Actor,
    pupil: PupilRow,
    place: str,
) -> ScanOutcome | None:
    """Ask what is needed, release the phone, and return the outcome (None if nothing
    happened: cancelled, or refused with the reason shown)."""
    reason = _ask_reason(ctx, asker, parent, pupil, place)
    if reason is _CANCELLED:
        return None
    return run_service(
        asker,
        parent,
        "Release phone",
        lambda: custody.release_phone(ctx, actor, pupil.id, reason),
    )
