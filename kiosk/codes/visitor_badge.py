"""Visitor badge QR payloads, signed with the same install key as pupil cards.

A badge reads, for example, ``V1ABCDAAAAB4ABK7Q2M4XZRT``:

    V1      kind and format version (visitor badge, version 1)
    ABCD    the school's card code
    AAAAB4  the visit's id (6 base32 characters, 30 bits)
    AB      the badge serial; a reprinted badge has a higher one and the old one stops
    K7Q...  the first 50 bits of HMAC-SHA256 over everything before it (10 characters)

The same alphabet as pupil cards, so a scanner set to a UK or US keyboard layout types it
faithfully (see :mod:`kiosk.scanning.keystrokes` for one that is not).
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass

from kiosk.codes.pupil_card import CardKey, decode_int, encode_int, normalise_scan
from kiosk.errors import ScanRejected

BADGE_PREFIX = "V1"
_B32 = "[A-Z2-7]"
BADGE_RE = re.compile(rf"^V1({_B32}{{4}})({_B32}{{6}})({_B32}{{2}})({_B32}{{10}})$")
BADGE_LENGTH = 24
MAX_VISIT_ID = 32**6 - 1
MAX_BADGE_SERIAL = 32**2 - 1

NOT_A_BADGE = "That was not a visitor badge from this reception. Please see reception."
OTHER_SCHOOL_BADGE = "This badge belongs to another school. Please see reception."
BADGE_NOT_GENUINE = (
    "This badge could not be verified: it may have been altered or copied. Please see reception."
)


@dataclass(frozen=True, slots=True)
class BadgeClaim:
    """What a genuine badge says; whether the visit is still open is for the database."""

    visit_id: int
    serial: int


def visitor_badge_payload(key: CardKey, school_code: str, visit_id: int, serial: int) -> str:
    """The 24-character code printed as a visitor badge's QR (layout in the module
    docstring). Raises ValueError when `visit_id` exceeds `MAX_VISIT_ID` or `serial`
    exceeds `MAX_BADGE_SERIAL` (or either is negative)."""
    body = f"{BADGE_PREFIX}{school_code}{encode_int(visit_id, 6)}{encode_int(serial, 2)}"
    return body + key.mac(body)


def looks_like_visitor_badge(raw: str) -> bool:
    """Shaped like a badge code; anything else (garbage starting "V1" too) is left to the
    pupil-card check, whose refusal is the general "not a card" message."""
    return BADGE_RE.match(normalise_scan(raw)) is not None


def verify_visitor_badge(key: CardKey, school_code: str, raw: str) -> BadgeClaim:
    """Check a scanned badge's form, school and signature.

    Returns the visit id and badge serial; whether the visit is still open and the serial
    the latest printed is for the caller to check. Raises ``ScanRejected`` with
    `NOT_A_BADGE`, `OTHER_SCHOOL_BADGE` or `BADGE_NOT_GENUINE`.
    """
    payload = normalise_scan(raw)
    match = BADGE_RE.match(payload)
    if match is None:
        raise ScanRejected(NOT_A_BADGE)
    code, visit_part, serial_part, mac = match.groups()
    if code != school_code:
        raise ScanRejected(OTHER_SCHOOL_BADGE)
    if not hmac.compare_digest(mac, key.mac(payload[: -len(mac)])):
        raise ScanRejected(BADGE_NOT_GENUINE)
    return BadgeClaim(visit_id=decode_int(visit_part), serial=decode_int(serial_part))
