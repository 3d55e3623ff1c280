"""Every word said about a scan: on the kiosk face, in the desk's banner and by ``kiosk scan``.

The screens only lay a :class:`ScanMessage` out; the command line prints its ``one_line``.
Keeping the words here means the kiosk face and the command line cannot say different
things about the same scan. The reasons a code is refused are written where the check is
made (:mod:`kiosk.codes`, :mod:`kiosk.services.custody`, :mod:`kiosk.services.visitors`) and
reach this module as the ``ScanRejected`` message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from kiosk.clock import say_when
from kiosk.rows.custody import ScanOutcome
from kiosk.rows.visitors import VisitRow

SWITCH_OFF = "Switch your phone off completely — silent is not enough."
NO_LIABILITY = (
    "Phones are left at the owner's risk: the school accepts no liability for loss or damage."
)

INCOMPLETE_SCAN = "That scan was not complete. Please scan your card again."
NOT_RECORDED_HEADLINE = "Not recorded — please scan again"
NOT_RECORDED = (
    "Nothing was recorded. Please scan your card again; if it still does not work, see reception."
)
# What the receptionist is told when a scan failed for no reason the kiosk can name.
UNEXPECTED_FAILURE = (
    "A scan could not be recorded because of an unexpected error (the log has the details). "
    "Nothing was recorded."
)
NO_PERMISSION_ON_FILE = "No permission to bring a phone is on file: reception will follow up."
GOODBYE = "Goodbye"
LEAVE_BADGE = "Thank you for visiting. Please leave your badge at reception."
CLAIMED_AT_DESK = "Card read at the desk"

# The big line at the top of the kiosk face's answer, by the kind of result.
KICKERS = {
    "handed_in": "Thank you — your phone is handed in",
    "already_held": "Your phone is already here",
    "collected": "Time to collect your phone",
    "visitor_signed_out": "Signed out",
}
REFUSED_KICKER = "Sorry"

# The headline when nothing was recorded, by the kind of refusal.
REFUSAL_HEADLINES = {
    "rejected": "Card not accepted",
    "incomplete": "Please scan again",
    "failed": NOT_RECORDED_HEADLINE,
}


@dataclass(frozen=True, slots=True)
class ScanMessage:
    """What to show after a scan, already in words; the screen decides only the layout."""

    tone: str  # "success", "info", "warning" or "error"
    headline: str  # the big line: where the phone is
    name: str  # whose card or badge it was; empty when nobody is known
    detail: tuple[str, ...]  # smaller lines, the most important first
    one_line: str  # for the command line and the desk's status bar
    kicker: str = ""  # the line above the headline on the kiosk face
    desk_detail: str = ""  # for the desk's banner instead of the first detail line, if set


def describe_scan(outcome: ScanOutcome, tz: ZoneInfo, now: datetime) -> ScanMessage:
    """The message for a pupil's card that was accepted: handed in, already held or
    collected. ``now`` is the instant of the scan (aware): when the hand-in was and when
    the phone comes back are said relative to it, in the school's time zone ``tz``
    ("Handed in on Friday at 16:45. It comes back at 15:10."), by
    :func:`kiosk.clock.say_when`."""
    pupil = outcome.pupil
    who = f"{pupil.name} · {pupil.form}"
    notes = tuple(
        f"{'Permission' if a.kind == 'permission' else 'Exemption'}: {a.title}"
        + (f" — {a.conditions}" if a.conditions else "")
        for a in outcome.arrangements
    )
    kicker = KICKERS[outcome.kind]
    if outcome.kind == "handed_in":
        detail = (SWITCH_OFF, *notes)
        tone = "success"
        if outcome.no_permission:
            detail = (*detail, NO_PERMISSION_ON_FILE)
            tone = "warning"
        return ScanMessage(
            tone,
            f"Put it in {outcome.place}",
            who,
            detail,
            f"HANDED IN {pupil.name} ({pupil.form}) -> {outcome.place}"
            + (" [no permission on file]" if outcome.no_permission else ""),
            kicker,
        )
    if outcome.kind == "already_held":
        back = (
            f"It comes back {say_when(outcome.returns_at, now, tz)}."
            if outcome.returns_at
            else "Ask at reception when it can be collected."
        )
        since = say_when(outcome.at, now, tz)
        return ScanMessage(
            "info",
            f"Your phone is in {outcome.place}",
            who,
            (f"Handed in {since}. {back}",),
            f"ALREADY HELD {pupil.name} ({pupil.form}) in {outcome.place}; {back[0].lower()}{back[1:]}",
            kicker,
        )
    reason = f" Early release: {outcome.early_reason}." if outcome.early_reason else ""
    return ScanMessage(
        "success",
        f"Collect from {outcome.place}",
        who,
        (f"Your phone is ready: take it from {outcome.place}.{reason}",),
        f"COLLECTED {pupil.name} ({pupil.form}) from {outcome.place}{reason}",
        kicker,
    )


def describe_sign_out(visit: VisitRow) -> ScanMessage:
    """The message for a visitor's badge scanned on the way out: goodbye, and leave the
    badge. The one line names the visitor and their organisation, if they gave one."""
    who = f"{visit.name} ({visit.organisation})" if visit.organisation else visit.name
    return ScanMessage(
        "success",
        GOODBYE,
        visit.name,
        (LEAVE_BADGE,),
        f"SIGNED OUT {who}",
        KICKERS["visitor_signed_out"],
    )


def describe_refusal(kind: str, reason: str) -> ScanMessage:
    """The message for a scan that changed nothing.

    ``kind`` is "rejected" (the code was refused), "incomplete" (a partial burst) or
    "failed" (nothing could be recorded); ``reason`` is the plain sentence saying why, and
    is also the one line. Raises ``KeyError`` for any other kind.
    """
    return ScanMessage("error", REFUSAL_HEADLINES[kind], "", (reason,), reason, REFUSED_KICKER)


def describe_failure(desk_reason: str) -> ScanMessage:
    """The message for a scan that could not be recorded (the database busy or unreachable,
    a full disk, a bug): the pupil is told plainly to scan again, without the reason; the
    desk's banner and the command line give ``desk_reason``, the plain sentence for the
    receptionist (:func:`kiosk.faults.plain_fault`'s message, or `UNEXPECTED_FAILURE`)."""
    return ScanMessage(
        "error",
        NOT_RECORDED_HEADLINE,
        "",
        (NOT_RECORDED,),
        desk_reason,
        REFUSED_KICKER,
        desk_detail=desk_reason,
    )


def describe_claim() -> ScanMessage:
    """The message for a code the desk used itself (a form asking for a pupil's card)."""
    return ScanMessage("info", CLAIMED_AT_DESK, "", (), CLAIMED_AT_DESK)


def banner_text(message: ScanMessage, outcome: ScanOutcome | None, time_text: str) -> str:
    """One line for the receptionist's banner: ``time_text`` (e.g. "08:40"), who, and what
    happened. ``outcome`` is the pupil's card outcome, or None for anything else."""
    if outcome is None:
        reason = message.desk_detail or (message.detail[0] if message.detail else "")
        return f"{time_text}  {message.headline}: {reason}".rstrip(": ")
    who = f"{outcome.pupil.name} ({outcome.pupil.form})"
    if outcome.kind == "handed_in":
        what = f"handed in → {outcome.place}"
        if outcome.no_permission:
            what += " · no permission on file"
    elif outcome.kind == "collected":
        what = f"collected from {outcome.place}"
    else:
        what = f"scanned again, already in {outcome.place}"
    return f"{time_text}  {who} {what}"


# --- the keyboard-wedge scanner: layout and the desk's scanner test ------------------------

UK_LAYOUT_ADVICE = "Set the scanner to a UK or US keyboard layout"
WRONG_LAYOUT_HEADLINE = "Scanner needs setting up"
SCANNER_WORKS = "This scanner will work with Reception Kiosk."
SCANNER_NEEDS_CHANGE = (
    "This scanner will not work as it is set now. Change its settings, then test again."
)
SCANNER_TEST_INVITE = "Scan any card now."
SCANNER_TEST_IDLE = (
    "Press “Test the scanner”, then scan any pupil card or visitor badge. Nothing is "
    "recorded while the test runs."
)
SCANNER_TEST_TIMED_OUT = "Nothing was scanned. Press “Test the scanner” to try again."
SUFFIX_NAMES = {"Enter": "Enter", "Tab": "Tab", "LF": "a line feed (LF)", "": "nothing"}


def wrong_layout(layout_name: str, swaps: str) -> str:
    """The refusal for a genuine code typed through the wrong keyboard layout: the card is
    fine, the scanner's setting is not. ``layout_name`` e.g. "German (QWERTZ)", ``swaps``
    what that layout changes ("Y and Z come out swapped")."""
    return (
        f"The card is fine, but the scanner is set to a {layout_name} keyboard layout, so "
        f"{swaps}. {UK_LAYOUT_ADVICE} (its manual has a set-up code to scan), or see reception."
    )


def describe_wrong_layout(layout_name: str, swaps: str) -> ScanMessage:
    """The message for a genuine code the scanner typed through the wrong keyboard layout:
    nothing recorded, and the headline says it is the scanner, not the card."""
    reason = wrong_layout(layout_name, swaps)
    return ScanMessage("error", WRONG_LAYOUT_HEADLINE, "", (reason,), reason, REFUSED_KICKER)


def scanner_adds_characters(before: str, after: str) -> str:
    """The scanner test's finding when the code arrived with extra characters around it."""
    extra = " and ".join(
        f"“{text}” {where}" for text, where in ((before, "before"), (after, "after")) if text
    )
    return (
        f"The scanner adds {extra} the code. Turn off its prefix, suffix and code-identifier "
        "(AIM ID) settings, leaving only Enter at the end."
    )


def scanner_not_a_code(text: str) -> str:
    """The scanner test's finding when what was typed is not a Reception Kiosk code."""
    shown = text if len(text) <= 40 else text[:40] + "…"
    return (
        f"The scanner typed “{shown}”, which is not a Reception Kiosk card or badge. Scan a "
        "card printed by this desk. If you did, check that the scanner reads QR codes and "
        "types every character (no characters dropped or added)."
    )


def scanner_code_from_elsewhere(code: str) -> str:
    """The scanner test's note for a well-formed code this install did not sign."""
    return (
        f"The scanner read {code} in the right shape, but it was not printed by this "
        "school's Reception Kiosk (another school's, or made with an old key). Scan one of "
        "this school's cards to check the keyboard layout too."
    )


def scanner_read_code(code: str) -> str:
    """The scanner test's note for a code read back exactly (``code`` e.g. "a pupil card")."""
    return f"The scanner read {code} correctly."


def scanner_layout_unproven(layout_names: list[str]) -> str:
    """The note when this code could not show whether the scanner's layout is right."""
    return (
        "This code has none of the letters a "
        + " or ".join(layout_names)
        + " layout would change, so scan one more card to be sure of the keyboard layout."
    )


def scanner_fast(max_ms: float) -> str:
    """The note for a scanner that types fast enough to be recognised by timing alone."""
    return f"Speed: fine — at most {max_ms:.0f} ms between keys."


def scanner_slow_but_fine(max_ms: float) -> str:
    """The note for a slow scanner that still works because codes are recognised by content."""
    return (
        f"Speed: slow but fine — up to {max_ms:.0f} ms between keys. Cards and badges are "
        "recognised; if the scanner has a keystroke-delay setting, setting it to none makes "
        "each scan answer sooner."
    )


def scanner_too_slow(max_ms: float, limit_ms: float) -> str:
    """The finding for a scanner too slow to be told from typing (``limit_ms`` the most)."""
    return (
        f"Speed: too slow — up to {max_ms:.0f} ms between keys (at most {limit_ms:.0f} ms "
        "works). Set the scanner's keystroke or inter-character delay to none; for a "
        "Bluetooth scanner, choose its fastest transmission speed or use its USB cable."
    )


def scanner_suffix(suffix: str) -> str:
    """The note on the key the scanner pressed after the code (:data:`SUFFIX_NAMES` keys)."""
    if suffix:
        return f"The scanner ends each code with {SUFFIX_NAMES.get(suffix, suffix)}: fine."
    return (
        "The scanner ends each code with nothing: it works, but each scan is answered a "
        "moment later. Setting the scanner to add Enter after each code is quicker."
    )
