"""The one tolerant CSV reader behind every import (pupils, staff, contacts).

Real exports from a school's management information system are messy: UTF-8 with or
without a byte-order mark, UTF-16, or Windows-1252; CRLF line ends; quoted fields holding
commas and line breaks; commas, semicolons or tabs; headers spelt a dozen ways; rows that
stop early because the trailing cells were empty. This module turns such bytes into rows
with the line number a person sees in a text editor, and finds each field's columns from a
table of header aliases (see :mod:`kiosk.importing.headers`). It knows nothing of pupils,
staff or contacts, and never touches the database.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from kiosk.errors import InvalidInput, KioskError

# Reasons quote at most this much of a bad value, so a stray paragraph cannot flood the report.
QUOTE_LIMIT = 30
DELIMITERS = ",;\t"
# How a yes/no column may be written; an empty cell counts as "no".
YES = frozenset({"yes", "y", "true", "1", "x", "✓"})
NO = frozenset({"no", "n", "false", "0", ""})

Aliases = Mapping[str, Sequence[str]]
"""For each field, the header spellings accepted (as :func:`header_key` leaves them), most
preferred first."""


def quote(value: str) -> str:
    """``value`` in single quotes for a problem report, cut to :data:`QUOTE_LIMIT`
    characters with an ellipsis."""
    if len(value) > QUOTE_LIMIT:
        value = value[: QUOTE_LIMIT - 1] + "…"
    return f"'{value}'"


def join_words(items: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c": a non-empty list as a person would say it."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# --- bytes to text -------------------------------------------------------------------------


def read_file_bytes(path: Path) -> bytes:
    """The bytes of the file at ``path``; :class:`KioskError` with a plain sentence when it
    is missing, a folder, or not readable by this account."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise KioskError(f"There is no file at {path}.") from None
    except IsADirectoryError:
        raise KioskError(f"{path} is a folder, not a CSV file.") from None
    except PermissionError:
        raise KioskError(f"This account is not allowed to read {path}.") from None


def decode_csv_bytes(data: bytes) -> str:
    """The text of a CSV file, decoded line by line.

    A UTF-16 file with its byte-order mark is read as UTF-16. Otherwise (a UTF-8 mark is
    dropped) each line is read as UTF-8 when it is valid UTF-8, and as Windows-1252, the
    older Excel default, when it is not: a file saved from Excel in Windows-1252 reads
    right, and so does a UTF-8 file with one line pasted in from an older export, whose
    other lines are never re-read as Windows-1252 (that turned "Zoë" into "ZoÃ«").
    Raises :class:`InvalidInput` naming the first line that is neither.
    """
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
    # Neither UTF-8 nor Windows-1252 uses the byte 0x0A inside a character, so splitting
    # the bytes at line feeds never cuts a character in two.
    lines = data.split(b"\n")
    text: list[str] = []
    for number, line in enumerate(lines, start=1):
        try:
            text.append(line.decode("utf-8"))
            continue
        except UnicodeDecodeError:
            pass
        try:
            text.append(line.decode("cp1252"))
        except UnicodeDecodeError:
            raise InvalidInput(
                f"Line {number} of the file is not text we can read (neither UTF-8 nor "
                "Windows-1252). Export it again as CSV, preferably 'CSV UTF-8'. Nothing has "
                "been imported."
            ) from None
    return "\n".join(text)


# Tab separates cells and line breaks may sit inside a quoted cell; every other control
# character is a sign of a damaged export, and PostgreSQL refuses NUL in text outright.
CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CONTROL_NAMES = {"\x00": "NUL", "\x1b": "ESC", "\x7f": "DEL"}


def control_character_problem(row: Sequence[str]) -> str | None:
    """Why a row must be rejected for a control character in one of its cells (NUL, ESC,
    a C0 or C1 control; tab and line breaks are allowed), or None. The reason is a phrase
    for an import's problem list: "contains a control character (NUL)"."""
    for value in row:
        found = CONTROL_CHARACTER.search(value)
        if found is not None:
            char = found.group()
            return f"contains a control character ({CONTROL_NAMES.get(char, f'U+{ord(char):04X}')})"
    return None


# --- headers -------------------------------------------------------------------------------


def header_key(header: str) -> str:
    """A header as compared with the aliases: case folded, only letters and digits kept
    ("Year Group", "year_group" and "YEARGROUP" are all "yeargroup")."""
    return "".join(ch for ch in header.casefold() if ch.isalnum())


def match_columns(headers: Sequence[str], aliases: Aliases) -> dict[str, list[int]]:
    """For each field in ``aliases``, the indexes of the columns that hold it, most
    preferred alias first; an empty list when the file has no such column."""
    positions: dict[str, int] = {}
    for index, header in enumerate(headers):
        positions.setdefault(header_key(header), index)
    return {
        field: [positions[alias] for alias in spellings if alias in positions]
        for field, spellings in aliases.items()
    }


def choose_delimiter(header_line: str, aliases: Aliases) -> str:
    """Comma, semicolon or tab: whichever makes the header line match the most known
    fields, with csv.Sniffer's guess (or the comma) winning a tie."""
    try:
        sniffed = csv.Sniffer().sniff(header_line, delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = ","
    candidates = [sniffed] + [d for d in DELIMITERS if d != sniffed]

    def known_fields(delimiter: str) -> int:
        headers = next(csv.reader([header_line], delimiter=delimiter), [])
        return sum(1 for columns in match_columns(headers, aliases).values() if columns)

    return max(candidates, key=known_fields)  # max keeps the first of equals


# --- rows ----------------------------------------------------------------------------------


def physical_rows(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Each CSV record with the line it starts on (1-based, as a text editor numbers lines,
    so a quoted line break inside a cell counts). Raises :class:`InvalidInput` naming the
    line when the CSV itself is broken."""
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


def is_blank(row: Sequence[str]) -> bool:
    """Whether a row has nothing in it: a blank line, or one of Excel's rows of bare commas."""
    return not any(cell.strip() for cell in row)


def cell(row: Sequence[str], columns: Sequence[int]) -> str:
    """The first non-empty cell among ``columns``, whitespace collapsed; "" when all are
    empty. A column past the end of a short row reads as empty: spreadsheets drop the
    trailing empty cells of a row."""
    for index in columns:
        if index < len(row):
            value = " ".join(row[index].split())
            if value:
                return value
    return ""


def yes_no(value: str) -> bool | None:
    """True for yes, y, true, 1, x or ✓; False for no, n, false, 0 or an empty cell (any
    case); None for anything else."""
    folded = value.strip().casefold()
    if folded in YES:
        return True
    if folded in NO:
        return False
    return None


def extra_cells_problem(row: Sequence[str], width: int) -> str | None:
    """Why a row holds more values than the header has columns, or None. Empty cells past
    the header are ignored (some exports end every line with a comma), and so are missing
    trailing cells: those read as empty."""
    if any(value.strip() for value in row[width:]):
        return (
            f"too many fields ({len(row)} where the header has {width}); "
            "is there a comma in a value without quotes around it?"
        )
    return None


@dataclass(frozen=True, slots=True)
class CsvTable:
    """An opened CSV file: its header (trailing empty headers dropped), each field's
    columns, and the data rows after the header as (line, cells), blank rows skipped."""

    header: tuple[str, ...]
    columns: dict[str, list[int]]
    rows: tuple[tuple[int, list[str]], ...]

    @property
    def width(self) -> int:
        """How many columns the header names."""
        return len(self.header)

    def found_headers(self) -> str:
        """The header's non-empty names, quoted and comma-separated ("none" if there are
        none), for a message saying which columns were found."""
        return ", ".join(f'"{h.strip()}"' for h in self.header if h.strip()) or "none"


def open_table(data: bytes, aliases: Aliases) -> CsvTable:
    """Decode ``data``, choose its delimiter, and split it into header and rows, matching
    the header against ``aliases``. Raises :class:`InvalidInput` when the file is not
    readable text, is empty, has no header, or is broken CSV; nothing is imported then."""
    text = decode_csv_bytes(data)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    if not first_line:
        raise InvalidInput("The file is empty. Nothing has been imported.")
    rows = physical_rows(text, choose_delimiter(first_line, aliases))
    header = next((row for _line, row in rows if not is_blank(row)), None)
    if header is None:
        raise InvalidInput("The file has no header line. Nothing has been imported.")
    while header and not header[-1].strip():
        header.pop()  # trailing empty headers: some exports end every line with a comma
    body = tuple((line, row) for line, row in rows if not is_blank(row))
    return CsvTable(tuple(header), match_columns(header, aliases), body)
