"""How times and recorded values read on the desk: school time, short and unambiguous."""

from __future__ import annotations

import html
from datetime import datetime
from zoneinfo import ZoneInfo

from kiosk.clock import say_when


def moment_cell(at: datetime, tz: ZoneInfo, now: datetime | None) -> str:
    """A moment for a table cell: "08:40 today", "15:10 yesterday", "08:12 on Monday"
    (:func:`kiosk.clock.say_when`, bare), or the full date and time while the model has
    not yet been told what time it is."""
    return school_timestamp(at, tz) if now is None else say_when(at, now, tz, bare=True)


def school_timestamp(at: datetime, tz: ZoneInfo) -> str:
    """A full date and time for logs: "Tue 24 Nov 2026 08:40"."""
    local = at.astimezone(tz)
    return f"{local.strftime('%a')} {local.day} {local.strftime('%b %Y %H:%M')}"


def held_before_today(since: datetime, tz: ZoneInfo, now: datetime) -> bool:
    """True for a phone handed in on an earlier school day (it should have gone home)."""
    return since.astimezone(tz).date() < now.astimezone(tz).date()


def plain_tooltip(text: str) -> str:
    """Tooltip text shown literally: Qt guesses rich text from tags, and names may hold
    ``<`` or ``&``; escaped text inside a paragraph is always read as written."""
    return "<p style='white-space:pre-wrap'>" + html.escape(text) + "</p>"
