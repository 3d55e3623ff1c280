"""How a pupil import knows one pupil from another: the identifier schemes and their checks.

England and Wales give every pupil in a state school a UPN; independent schools, pupils
still waiting for one, Scotland (the Scottish Candidate Number) and Northern Ireland's
schools may have none in their export. A file with a UPN column is matched by UPN, with
the DfE check letter tested; a file without one (or whose UPN column is empty throughout)
is matched by the MIS's own identifier, in this order of preference: the SCN (its check
digit tested), the admission number, the MIS's pupil ID. The scheme is stored with the
identifier, so an admission number can never be taken for an SCN or a UPN.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kiosk.importing.headers import PUPIL_IDENTIFIER_FIELDS
from kiosk.importing.reader import CsvTable, cell, quote
from kiosk.rows.people import ID_SCHEME_LABELS

MAX_IDENTIFIER_LENGTH = 40

# --- UPNs ----------------------------------------------------------------------------------

# The DfE check-letter alphabet: 23 letters, without I, O and S.
UPN_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
_UPN_SHAPE = re.compile(r"[A-Z]\d{11}[0-9A-Z]")


def _upn_character_value(char: str) -> int:
    """A digit counts as itself; the letter ending a temporary UPN counts as its position
    in the check-letter alphabet (A = 0)."""
    return int(char) if char.isdigit() else UPN_CHECK_LETTERS.index(char)


def upn_check_letter(body: str) -> str:
    """The check letter for the twelve characters after it: each character weighted by its
    position (2 to 13), the sum taken modulo 23.

    The rule is the DfE's Unique Pupil Numbers guidance. Takes the twelve characters
    upper-cased; raises ``ValueError`` for a character that is neither a digit nor a check
    letter (callers check the shape first).
    """
    total = sum(weight * _upn_character_value(char) for weight, char in enumerate(body, start=2))
    return UPN_CHECK_LETTERS[total % 23]


def upn_problem(upn: str) -> str | None:
    """Why ``upn`` (already stripped and upper-cased) is not a valid UPN, or None if it is.

    The reason is a phrase for an import's problem list ("the UPN is empty"), naming a
    wrong shape or a wrong check letter (DfE UPN rules). Never raises.
    """
    if not upn:
        return "the UPN is empty"
    shape_ok = _UPN_SHAPE.fullmatch(upn) is not None and (
        upn[-1].isdigit() or upn[-1] in UPN_CHECK_LETTERS
    )
    if not shape_ok:
        return (
            f"UPN {quote(upn)} is not a valid UPN "
            "(13 characters: a letter, 11 digits, then a digit or a letter)"
        )
    if upn[0] != upn_check_letter(upn[1:]):
        return f"UPN {upn} has the wrong check letter (is it mistyped?)"
    return None


# --- Scottish Candidate Numbers ------------------------------------------------------------

SCN_LENGTH = 9
_SCN_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def scn_check_digit(body: str) -> int | None:
    """The check digit for the first eight digits of an SCN, or None when no digit can
    make them valid.

    The rule (as the SQA's numbers are described by HESA): each digit times its weight
    3 2 7 6 5 4 3 2, the total divided by 11; the check digit is 11 minus the remainder,
    0 when there is no remainder, and no check digit exists when the remainder is 1.
    Takes eight ASCII digits; raises ``ValueError`` for anything else.
    """
    remainder = sum(w * int(d) for w, d in zip(_SCN_WEIGHTS, body, strict=True)) % 11
    if remainder == 1:
        return None
    return (11 - remainder) % 11


def scn_problem(scn: str) -> str | None:
    """Why ``scn`` (already stripped, leading zeros restored) is not a valid Scottish
    Candidate Number, or None. A phrase for the import's problem list. Never raises."""
    if not scn:
        return "the SCN is empty"
    if not (scn.isascii() and scn.isdigit() and len(scn) == SCN_LENGTH):
        return f"SCN {quote(scn)} is not a valid SCN (9 digits)"
    if scn_check_digit(scn[:8]) != int(scn[8]):
        return f"SCN {scn} has the wrong check digit (is it mistyped?)"
    return None


# --- choosing and reading the identifier ---------------------------------------------------


# Each scheme as said inside a sentence ("the admission number is empty").
SCHEME_WORDS = {
    "upn": "UPN",
    "scn": "SCN",
    "admission_number": "admission number",
    "mis_id": "MIS pupil ID",
}


def scheme_label(scheme: str) -> str:
    """How an identifier scheme is named to a person: "UPN", "SCN", "Admission no.",
    "MIS ID". Never raises."""
    return ID_SCHEME_LABELS.get(scheme, scheme)


def choose_scheme(table: CsvTable, already_used: Sequence[str] = ()) -> str | None:
    """Which identifier a pupil file's rows are matched on, or None when it has none.

    A column counts only if some row fills it (an export may carry an empty UPN column).
    A scheme in ``already_used`` (the schemes of the pupils on roll) wins when the file has
    it, so a file carrying both a UPN and an admission number keeps matching the pupils the
    way they were first imported; otherwise the first of UPN, SCN, admission number and
    MIS ID. Never raises.
    """
    filled = [
        scheme
        for scheme in PUPIL_IDENTIFIER_FIELDS
        if table.columns.get(scheme)
        and any(cell(row, table.columns[scheme][:1]) for _line, row in table.rows)
    ]
    for scheme in already_used:
        if scheme in filled:
            return scheme
    if filled:
        return filled[0]
    # A UPN column that is empty throughout still makes this a UPN file (every row is then
    # reported as having no UPN), rather than a file with no identifier at all.
    present = [s for s in PUPIL_IDENTIFIER_FIELDS if table.columns.get(s)]
    return present[0] if present else None


def read_identifier(scheme: str, raw: str) -> tuple[str, str | None]:
    """A cell's identifier as stored for ``scheme``, and why it is not acceptable (or None).

    UPNs are upper-cased and must pass the DfE check letter. An SCN has its leading zeros
    restored (a spreadsheet drops them from a number) and must pass its check digit. An
    admission number or MIS ID is upper-cased with spaces removed and, when it is all
    digits, its leading zeros dropped, so "001234" and a spreadsheet's "1234" are the same
    pupil; it must be at most 40 characters. Never raises.
    """
    value = "".join(raw.split()).upper()
    if scheme == "upn":
        return value, upn_problem(value)
    if scheme == "scn":
        if value.isascii() and value.isdigit() and len(value) < SCN_LENGTH:
            value = value.zfill(SCN_LENGTH)
        return value, scn_problem(value)
    words = SCHEME_WORDS.get(scheme, scheme)
    if not value:
        return value, f"the {words} is empty"
    if value.isascii() and value.isdigit():
        value = value.lstrip("0") or "0"
    if len(value) > MAX_IDENTIFIER_LENGTH:
        return value, (
            f"the {words} {quote(value)} is longer than {MAX_IDENTIFIER_LENGTH} characters"
        )
    return value, None
