"""Importing pupils from the CSV file a school's management information system exports.

Real exports are messy: UTF-8 with or without a byte-order mark, or Windows-1252; CRLF line
ends; quoted fields holding commas and line breaks; commas or semicolons; headers spelt a
dozen ways. Every good row is upserted by UPN in one transaction, so an interrupted import
never leaves half a file behind; every bad row is skipped and reported with the line number
a person sees in a text editor.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from kiosk.errors import InvalidInput, KioskError, NotAllowed
from kiosk.persistence.models import Pupil
from kiosk.rows.people import Actor
from kiosk.services import audit

if TYPE_CHECKING:
    from kiosk.context import KioskContext

MAX_NAME_LENGTH = 200
MAX_FORM_LENGTH = 50
# Reasons quote at most this much of a bad value, so a stray paragraph cannot flood the report.
_QUOTE_LIMIT = 30

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
    position (2 to 13), the sum taken modulo 23."""
    total = sum(weight * _upn_character_value(char) for weight, char in enumerate(body, start=2))
    return UPN_CHECK_LETTERS[total % 23]


def upn_problem(upn: str) -> str | None:
    """Why ``upn`` (already stripped and upper-cased) is not a valid UPN, or None if it is."""
    if not upn:
        return "the UPN is empty"
    shape_ok = _UPN_SHAPE.fullmatch(upn) is not None and (
        upn[-1].isdigit() or upn[-1] in UPN_CHECK_LETTERS
    )
    if not shape_ok:
        return (
            f"UPN {_quote(upn)} is not a valid UPN "
            "(13 characters: a letter, 11 digits, then a digit or a letter)"
        )
    if upn[0] != upn_check_letter(upn[1:]):
        return f"UPN {upn} has the wrong check letter (is it mistyped?)"
    return None


def _quote(value: str) -> str:
    if len(value) > _QUOTE_LIMIT:
        value = value[: _QUOTE_LIMIT - 1] + "…"
    return f"'{value}'"


# --- year groups ---------------------------------------------------------------------------

_NUMBERED_YEAR = re.compile(r"(?:YEAR|YR|Y)?0*(\d{1,2})")
_RECEPTION = {"R", "YR", "YEARR", "RECEPTION"}
_NURSERY = {"N", "N1", "N2", "YN", "NURSERY"}


def normalise_year(value: str) -> str | None:
    """ "7", "07", "Y7", "Yr 7", "Year 7" -> "7"; "R", "Reception" -> "R"; "N" -> "N";
    None for anything else."""
    compact = re.sub(r"[\s.\-_]", "", value).upper()
    if compact in _RECEPTION:
        return "R"
    if compact in _NURSERY:
        return "N"
    match = _NUMBERED_YEAR.fullmatch(compact)
    if match and 1 <= int(match.group(1)) <= 14:
        return str(int(match.group(1)))
    return None


# --- headers -------------------------------------------------------------------------------

# For each field, the header spellings we accept (after ignoring case, spaces and
# punctuation), in order of preference: the first non-empty one in a row wins, so a
# preferred forename beats the legal one and a blank preferred name falls back to it.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "upn": ("upn", "uniquepupilnumber"),
    "forename": (
        "preferredforename",
        "preferredfirstname",
        "legalforename",
        "forename",
        "forenames",
        "firstname",
        "givenname",
    ),
    "surname": (
        "preferredsurname",
        "legalsurname",
        "surname",
        "lastname",
        "familyname",
    ),
    "year": ("year", "yeargroup", "ncyear", "ncyearactual", "curriculumyear"),
    "form": (
        "reg",
        "reggroup",
        "registrationgroup",
        "form",
        "formgroup",
        "tutorgroup",
        "class",
    ),
}
FIELD_LABELS = {
    "upn": "UPN",
    "forename": "forename",
    "surname": "surname",
    "year": "year group",
    "form": "form (registration group)",
}


def _header_key(header: str) -> str:
    return "".join(ch for ch in header.casefold() if ch.isalnum())


def _match_columns(headers: list[str]) -> dict[str, list[int]]:
    """For each field, the indexes of the columns that hold it, most preferred first."""
    positions: dict[str, int] = {}
    for index, header in enumerate(headers):
        positions.setdefault(_header_key(header), index)
    return {
        field: [positions[alias] for alias in aliases if alias in positions]
        for field, aliases in COLUMN_ALIASES.items()
    }


# --- reading the file ----------------------------------------------------------------------


def decode_csv_bytes(data: bytes) -> str:
    """Valid UTF-8 (with or without a byte-order mark) is read as UTF-8, a UTF-16 file with
    its mark as UTF-16, and anything else as Windows-1252, the older Excel default."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise InvalidInput(
            "This file is not text we can read (neither UTF-8 nor Windows-1252). "
            "Export it again as CSV, preferably 'CSV UTF-8'. Nothing has been imported."
        ) from None


def _choose_delimiter(header_line: str) -> str:
    """Comma, semicolon or tab: whichever makes the header line match the most known
    columns, with csv.Sniffer's guess (or the comma) winning a tie."""
    try:
        sniffed = csv.Sniffer().sniff(header_line, delimiters=",;\t").delimiter
    except csv.Error:
        sniffed = ","
    candidates = [sniffed] + [d for d in ",;\t" if d != sniffed]

    def known_columns(delimiter: str) -> int:
        headers = next(csv.reader([header_line], delimiter=delimiter), [])
        return sum(1 for columns in _match_columns(headers).values() if columns)

    return max(candidates, key=known_columns)  # max keeps the first of equals


def _physical_rows(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Each CSV record with the line it starts on, as a text editor numbers lines."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    lines_read = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InvalidInput(
                f"Line {lines_read + 1} of the file cannot be read as CSV ({exc}). "
                "Nothing has been imported."
            ) from None
        yield lines_read + 1, row
        lines_read = reader.line_num


# --- the report ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportProblem:
    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class ImportReport:
    added: int
    updated: int
    unchanged: int
    rejected: int
    left: int
    problems: tuple[ImportProblem, ...] = ()

    @property
    def rows(self) -> int:
        return self.added + self.updated + self.unchanged + self.rejected

    def summary(self) -> str:
        """One line, e.g. "312 rows: 300 added, 5 updated, 4 unchanged, 3 rejected; 2 marked
        as left." """
        rows = "1 row" if self.rows == 1 else f"{self.rows:,} rows"
        text = (
            f"{rows}: {self.added:,} added, {self.updated:,} updated, "
            f"{self.unchanged:,} unchanged, {self.rejected:,} rejected"
        )
        if self.left:
            text += f"; {self.left:,} marked as left"
        return text + "."


# --- one row -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _PupilData:
    line: int
    upn: str
    forename: str
    surname: str
    year_group: str
    form: str


def _value(row: list[str], columns: list[int]) -> str:
    """The first non-empty cell among the columns, whitespace collapsed."""
    for index in columns:
        if index < len(row):
            value = " ".join(row[index].split())
            if value:
                return value
    return ""


def _check_name(label: str, value: str) -> str | None:
    if not value:
        return f"the {label} is empty"
    if len(value) > MAX_NAME_LENGTH:
        return (
            f"the {label} is {len(value):,} characters long "
            f"({MAX_NAME_LENGTH} at most): {_quote(value)}"
        )
    return None


def _read_row(
    line: int, row: list[str], columns: dict[str, list[int]], width: int
) -> tuple[str | None, _PupilData | str]:
    """The row's valid UPN (or None) and either its data or why it was rejected.

    The UPN is returned even for a rejected row: that pupil is still in the export, so they
    must not be marked as left, and a later line with the same UPN is still a duplicate.
    """
    upn = " ".join(row[columns["upn"][0]].split()).upper() if columns["upn"][0] < len(row) else ""
    upn_reason = upn_problem(upn)
    valid_upn = upn if upn_reason is None else None
    if len(row) < width:
        return valid_upn, f"too few fields ({len(row)} where the header has {width})"
    if any(cell.strip() for cell in row[width:]):
        return valid_upn, (
            f"too many fields ({len(row)} where the header has {width}); "
            "is there a comma in a value without quotes around it?"
        )
    if upn_reason is not None:
        return None, upn_reason
    forename = _value(row, columns["forename"])
    surname = _value(row, columns["surname"])
    for reason in (_check_name("forename", forename), _check_name("surname", surname)):
        if reason is not None:
            return valid_upn, reason
    raw_year = _value(row, columns["year"])
    year_group = normalise_year(raw_year)
    if year_group is None:
        shown = _quote(raw_year) if raw_year else "(empty)"
        return valid_upn, f"the year group {shown} is not one we recognise (say 7, Y7 or Year 7)"
    form = _value(row, columns["form"])
    if len(form) > MAX_FORM_LENGTH:
        return valid_upn, f"the form {_quote(form)} is longer than {MAX_FORM_LENGTH} characters"
    return valid_upn, _PupilData(line, upn, forename, surname, year_group, form)


def _parse(text: str) -> tuple[list[_PupilData], list[ImportProblem], set[str], int]:
    """The good rows, the problems, every valid UPN seen, and the number of data rows."""
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    if not first_line:
        raise InvalidInput("The file is empty. Nothing has been imported.")
    rows = _physical_rows(text, _choose_delimiter(first_line))
    header: list[str] | None = None
    for _line, row in rows:
        if any(cell.strip() for cell in row):
            header = row
            break
    if header is None:
        raise InvalidInput("The file has no header line. Nothing has been imported.")
    while header and not header[-1].strip():
        header.pop()  # trailing empty headers: some exports end every line with a comma
    columns = _match_columns(header)
    missing = [FIELD_LABELS[field] for field, found in columns.items() if not found]
    if missing:
        found = ", ".join(f'"{h.strip()}"' for h in header if h.strip()) or "none"
        raise InvalidInput(
            f"The file has no column for the {_join(missing)}. The columns found were: "
            f"{found}. Nothing has been imported."
        )
    width = len(header)

    good: list[_PupilData] = []
    problems: list[ImportProblem] = []
    first_line_of: dict[str, int] = {}
    count = 0
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue  # blank lines, and Excel's rows of bare commas
        count += 1
        upn, result = _read_row(line, row, columns, width)
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
    return good, problems, set(first_line_of), count


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


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
    """Import pupils from the bytes of a CSV export (see :func:`import_pupils_file`)."""
    if not actor.is_manager:
        raise NotAllowed("Only a manager can import pupils.")
    good, problems, upns_in_file, row_count = _parse(decode_csv_bytes(data))
    now = ctx.clock()
    today = now.astimezone(ctx.timezone).date()
    added = updated = unchanged = left = 0

    with ctx.db.write() as s:
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
    lacks a needed column, is refused with :class:`KioskError` and changes nothing.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise KioskError(f"There is no file at {path}.") from None
    except IsADirectoryError:
        raise KioskError(f"{path} is a folder, not a CSV file.") from None
    except PermissionError:
        raise KioskError(f"This account is not allowed to read {path}.") from None
    return import_pupils_text(ctx, actor, data, mark_leavers=mark_leavers)
