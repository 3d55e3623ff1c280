"""Importing pupils from the CSV file a school's management information system exports.

The file is read by :mod:`kiosk.importing.reader`, which copes with the mess real exports
are (encodings, delimiters, quoted line breaks, headers spelt a dozen ways). Every good row
is upserted by UPN in one transaction, so an interrupted import never leaves half a file
behind; every bad row is skipped and reported with the line number a person sees in a text
editor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from kiosk.errors import InvalidInput
from kiosk.importing.headers import PUPIL_COLUMNS
from kiosk.importing.reader import (
    cell,
    control_character_problem,
    extra_cells_problem,
    join_words,
    open_table,
    quote,
    read_file_bytes,
)
from kiosk.importing.reports import ImportProblem, ImportReport
from kiosk.persistence.models import Pupil
from kiosk.rows.people import COMMAND_LINE, Actor
from kiosk.services import acting, audit

if TYPE_CHECKING:
    from kiosk.context import KioskContext

MAX_NAME_LENGTH = 200
MAX_FORM_LENGTH = 50

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


# --- year groups ---------------------------------------------------------------------------

_NUMBERED_YEAR = re.compile(r"(?:YEAR|YR|Y)?0*(\d{1,2})")
_RECEPTION = {"R", "YR", "YEARR", "RECEPTION"}
_NURSERY = {"N", "N1", "N2", "YN", "NURSERY"}


def normalise_year(value: str) -> str | None:
    """ "7", "07", "Y7", "Yr 7", "Year 7" -> "7"; "R", "Reception" -> "R"; "N" -> "N";
    None for anything else.

    Case, spaces, dots, hyphens and underscores are ignored; numbered years run 1 to 14
    (England's National Curriculum years, with post-16 in a school's own numbering).
    Never raises.
    """
    compact = re.sub(r"[\s.\-_]", "", value).upper()
    if compact in _RECEPTION:
        return "R"
    if compact in _NURSERY:
        return "N"
    match = _NUMBERED_YEAR.fullmatch(compact)
    if match and 1 <= int(match.group(1)) <= 14:
        return str(int(match.group(1)))
    return None


FIELD_LABELS = {
    "upn": "UPN",
    "forename": "forename",
    "surname": "surname",
    "year": "year group",
    "form": "form (registration group)",
}


# --- one row -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _PupilData:
    line: int
    upn: str
    forename: str
    surname: str
    year_group: str
    form: str


def _check_name(label: str, value: str) -> str | None:
    if not value:
        return f"the {label} is empty"
    if len(value) > MAX_NAME_LENGTH:
        return (
            f"the {label} is {len(value):,} characters long "
            f"({MAX_NAME_LENGTH} at most): {quote(value)}"
        )
    return None


def _read_row(
    line: int, row: list[str], columns: dict[str, list[int]], width: int
) -> tuple[str | None, _PupilData | str]:
    """The row's valid UPN (or None) and either its data or why it was rejected.

    The UPN is returned even for a rejected row: that pupil is still in the export, so they
    must not be marked as left, and a later line with the same UPN is still a duplicate.
    A short row is read with its missing trailing cells empty.
    """
    upn = cell(row, columns["upn"][:1]).upper()
    upn_reason = upn_problem(upn)
    valid_upn = upn if upn_reason is None else None
    control = control_character_problem(row)
    if control is not None:
        return valid_upn, control
    too_many = extra_cells_problem(row, width)
    if too_many is not None:
        return valid_upn, too_many
    if upn_reason is not None:
        return None, upn_reason
    forename = cell(row, columns["forename"])
    surname = cell(row, columns["surname"])
    for reason in (_check_name("forename", forename), _check_name("surname", surname)):
        if reason is not None:
            return valid_upn, reason
    raw_year = cell(row, columns["year"])
    year_group = normalise_year(raw_year)
    if year_group is None:
        shown = quote(raw_year) if raw_year else "(empty)"
        return valid_upn, f"the year group {shown} is not one we recognise (say 7, Y7 or Year 7)"
    form = cell(row, columns["form"])
    if len(form) > MAX_FORM_LENGTH:
        return valid_upn, f"the form {quote(form)} is longer than {MAX_FORM_LENGTH} characters"
    return valid_upn, _PupilData(line, upn, forename, surname, year_group, form)


def _parse(data: bytes) -> tuple[list[_PupilData], list[ImportProblem], set[str], int]:
    """The good rows, the problems, every valid UPN seen, and the number of data rows."""
    table = open_table(data, PUPIL_COLUMNS)
    missing = [FIELD_LABELS[field] for field, found in table.columns.items() if not found]
    if missing:
        raise InvalidInput(
            f"The file has no column for the {join_words(missing)}. The columns found were: "
            f"{table.found_headers()}. Nothing has been imported."
        )

    good: list[_PupilData] = []
    problems: list[ImportProblem] = []
    first_line_of: dict[str, int] = {}
    for line, row in table.rows:
        upn, result = _read_row(line, row, table.columns, table.width)
        if upn is not None and upn in first_line_of:
            problems.append(
                ImportProblem(line, f"UPN {upn} is a duplicate of line {first_line_of[upn]}")
            )
            continue
        if upn is not None:
            first_line_of[upn] = line
        if isinstance(result, str):
            problems.append(ImportProblem(line, result))
        else:
            good.append(result)
    return good, problems, set(first_line_of), len(table.rows)


# --- storing -------------------------------------------------------------------------------


def _state(pupil: Pupil) -> dict[str, Any]:
    return {
        "upn": pupil.upn,
        "forename": pupil.forename,
        "surname": pupil.surname,
        "year_group": pupil.year_group,
        "form": pupil.form,
        "status": pupil.status,
    }


def import_pupils_text(
    ctx: KioskContext, actor: Actor, data: bytes, *, mark_leavers: bool
) -> ImportReport:
    """Import pupils from the bytes of a CSV export (see :func:`import_pupils_file`).

    Returns the counts and the rejected rows in line order; a leaver's ``left_on`` is
    today's school date. Raises :class:`NotAllowed` unless ``actor`` is a manager, and
    :class:`InvalidInput` (changing nothing) for a file that is not readable CSV, lacks a
    needed column, or with ``mark_leavers`` would mark more than half the pupils on roll as
    left.
    """
    good, problems, upns_in_file, row_count = _parse(data)
    now = ctx.clock()
    today = now.astimezone(ctx.timezone).date()
    added = updated = unchanged = left = 0

    with ctx.db.write() as s:
        acting.require_manager(s, actor, "Only a manager can import pupils.", also=(COMMAND_LINE,))
        existing = {p.upn: p for p in s.scalars(select(Pupil))}
        new_pupils: list[Pupil] = []
        for data_row in good:
            pupil = existing.get(data_row.upn)
            if pupil is None:
                new_pupils.append(
                    Pupil(
                        upn=data_row.upn,
                        forename=data_row.forename,
                        surname=data_row.surname,
                        year_group=data_row.year_group,
                        form=data_row.form,
                        card_serial=1,
                        status="on_roll",
                        left_on=None,
                    )
                )
                continue
            before = _state(pupil)
            pupil.forename = data_row.forename
            pupil.surname = data_row.surname
            pupil.year_group = data_row.year_group
            pupil.form = data_row.form
            if pupil.status != "on_roll":
                # Back on roll: a pupil who left and returned, or a leaver marked by mistake.
                pupil.status, pupil.left_on = "on_roll", None
            after = _state(pupil)
            if after == before:
                unchanged += 1
                continue
            updated += 1
            changed = [key for key in after if after[key] != before[key]]
            audit.record(
                s,
                at=now,
                actor=actor,
                action="update",
                entity="pupil",
                entity_id=pupil.id,
                before={key: before[key] for key in changed},
                after={key: after[key] for key in changed} | {"via": "pupil import"},
            )

        s.add_all(new_pupils)
        s.flush()
        added = len(new_pupils)
        for pupil in new_pupils:
            audit.record(
                s,
                at=now,
                actor=actor,
                action="create",
                entity="pupil",
                entity_id=pupil.id,
                after=_state(pupil) | {"via": "pupil import"},
            )

        if mark_leavers:
            on_roll = [p for p in existing.values() if p.status == "on_roll"]
            leavers = [p for p in on_roll if p.upn not in upns_in_file]
            if leavers and len(leavers) * 2 > len(on_roll):
                raise InvalidInput(
                    f"This file would mark {len(leavers):,} of the {len(on_roll):,} pupils on "
                    "roll as left. That usually means it is only part of the school (one year "
                    "group, say), not a full export. Nothing has been changed. Import the "
                    "whole school's list, or import this file without marking leavers."
                )
            for pupil in sorted(leavers, key=lambda p: p.upn):
                pupil.status, pupil.left_on = "left", today
                audit.record(
                    s,
                    at=now,
                    actor=actor,
                    action="mark_left",
                    entity="pupil",
                    entity_id=pupil.id,
                    before={"status": "on_roll"},
                    after={"status": "left", "left_on": today, "via": "pupil import"},
                )
            left = len(leavers)

    return ImportReport(
        added=added,
        updated=updated,
        unchanged=unchanged,
        rejected=row_count - len(good),
        left=left,
        problems=tuple(sorted(problems, key=lambda p: p.line)),
    )


def import_pupils_file(
    ctx: KioskContext, actor: Actor, path: Path, *, mark_leavers: bool
) -> ImportReport:
    """Import pupils from a CSV file exported from the school's MIS.

    Rows are matched to pupils by UPN: new pupils are added, changed ones updated, and a
    pupil who had left and appears again is put back on roll. Rows with problems are
    skipped and listed in the report. With ``mark_leavers`` the file is taken to be the
    whole school: pupils on roll who are missing from it are marked as left (never
    deleted), unless that would be more than half of them. A file that cannot be read, or
    lacks a needed column, is refused with :class:`KioskError` (:class:`InvalidInput` for
    its contents) and changes nothing; :class:`NotAllowed` unless ``actor`` is a manager.
    """
    return import_pupils_text(ctx, actor, read_file_bytes(path), mark_leavers=mark_leavers)
