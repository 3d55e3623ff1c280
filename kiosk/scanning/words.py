"""The words shown after a scan, shared by the kiosk face, the desk and ``kiosk scan``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from kiosk.rows.custody import ScanOutcome

SWITCH_OFF = "Switch your phone off completely — silent is not enough."
NO_LIABILITY = (
    "Phones are left at the owner's risk: the school accepts no liability for loss or damage."
)


@dataclass(frozen=True, slots=True)
class ScanMessage:
    tone: str  # "success", "info" or "warning"
    headline: str  # the big line: where the phone is
    name: str
    detail: tuple[str, ...]
    one_line: str  # for the command line and the desk's status bar


def when_text(at: datetime, tz: ZoneInfo, now: datetime | None = None) -> str:
    """ "15:10 today", "15:10 tomorrow" or "15:10 on Monday" in the school's time."""
    local = at.astimezone(tz)
    clock = local.strftime("%H:%M")
    if now is None:
        return f"{clock} on {local.strftime('%A %d %B')}"
    days = (local.date() - now.astimezone(tz).date()).days
    if days == 0:
        return f"{clock} today"
    if days == 1:
        return f"{clock} tomorrow"
    return f"{clock} on {local.strftime('%A')}"


def describe_scan(outcome: ScanOutcome, tz: ZoneInfo) -> ScanMessage:
    pupil = outcome.pupil
    who = f"{pupil.name} · {pupil.form}"
    notes = tuple(
        f"{'Permission' if a.kind == 'permission' else 'Exemption'}: {a.title}"
        + (f" — {a.conditions}" if a.conditions else "")
        for a in outcome.arrangements
    )
    if outcome.kind == "handed_in":
        detail = (SWITCH_OFF, *notes)
        tone = "success"
        if outcome.no_permission:
            detail = (
                *detail,
                "No permission to bring a phone is on file: reception will follow up.",
            )
            tone = "warning"
        return ScanMessage(
            tone,
            f"Put it in {outcome.place}",
            who,
            detail,
            f"HANDED IN {pupil.name} ({pupil.form}) -> {outcome.place}"
            + (" [no permission on file]" if outcome.no_permission else ""),
        )
    if outcome.kind == "already_held":
        back = (
            f"It comes back at {when_text(outcome.returns_at, tz, outcome.at)}."
            if outcome.returns_at
            else "Ask at reception when it can be collected."
        )
        since = outcome.at.astimezone(tz).strftime("%H:%M")
        return ScanMessage(
            "info",
            f"Your phone is in {outcome.place}",
            who,
            (f"Handed in at {since}. {back}",),
            f"ALREADY HELD {pupil.name} ({pupil.form}) in {outcome.place}; {back[0].lower()}{back[1:]}",
        )
    reason = f" Early release: {outcome.early_reason}." if outcome.early_reason else ""
    return ScanMessage(
        "success",
        f"Collect from {outcome.place}",
        who,
        (f"Your phone is ready: take it from {outcome.place}.{reason}",),
        f"COLLECTED {pupil.name} ({pupil.form}) from {outcome.place}{reason}",
    )
