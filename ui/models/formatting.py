"""How times and recorded values read on the desk: school time, short and unambiguous."""

from __future__ import annotations

import html
from datetime import datetime
from zoneinfo import ZoneInfo


def school_time(at: datetime, tz: ZoneInfo, now: datetime | None = None) -> str:
    """A moment as the receptionist would say it: "08:40 today", "15:10 yesterday",
    "08:12 on Monday" within the last week, else "08:12 on 3 Nov 2026"."""
    local = at.astimezone(tz)
    clock = local.strftime("%H:%M")
    if now is None:
        return f"{clock} on {local.day} {local.strftime('%b %Y')}"
    days = (now.astimezone(tz).date() - local.date()).days
    if days == 0:
        return f"{clock} today"
    if days == 1:
        return f"{clock} yesterday"
    if 1 < days < 7:
        return f"{clock} on {local.strftime('%A')}"
    return f"{clock} on {local.day} {local.strftime('%b %Y')}"


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
