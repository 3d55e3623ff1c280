"""Importing pupils from the CSV file a school's management information system exports.

The file is read by :mod:`kiosk.importing.reader`, which copes with the mess real exports
are (encodings, delimiters, quoted line breaks, headers spelt a dozen ways). Every good row
is upserted by UPN (or, for a school without UPNs, the MIS's own identifier) in one
transaction, so an interrupted import never leaves half a file
behind; every bad row is skipped and reported with the line number a person sees in a text
editor.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from kiosk.errors import InvalidInput
from kiosk.importing.headers import PUPIL_COLUMNS
from kiosk.importing.identifiers import (
    SCHEME_WORDS,
    choose_scheme,
    read_identifier,
    scheme_label,
    upn_check_letter,
    upn_problem,
)
from kiosk.importing.reader import (
    CsvTable,
    cell,
    control_character_problem,
    extra_cells_problem,
    join_words,
    open_table,
    quote,
    read_file_bytes,
)
from kiosk.importing.reports import (
    ImportChange,
    ImportProblem,
    ImportReport,
    Progress,
    Rehearsal,
    describe_changes,
    keep_change,
)
from kiosk.persistence.database import BATCH
from kiosk.persistence.models import Pupil
from kiosk.rows.people import COMMAND_LINE, Actor
from kiosk.rows.years import parse_year
from kiosk.services import acting, audit

if TYPE_CHECKING:
    from kiosk.context import KioskContext

MAX_NAME_LENGTH = 200
MAX_FORM_LENGTH = 50

__all__ = [
    "import_pupils_file",
    "import_pupils_text",
    "preview_pupils_text",
    "normalise_year",
    "upn_check_letter",
    "upn_problem",
]


def normalise_year(value: str) -> str | None:
    """The stored year code for a year written any way an MIS writes it ("Year 7" -> "7",
    "YR" -> "R", "N1" -> "N1", "NC Year -1" -> "N2"), or None; see
    :func:`kiosk.rows.years.parse_year`, the one reading of years. Never raises."""
    return parse_year(value)


FIELD_LABELS = {
    "forename": "forename",
    "surname": "surname",
    "year": "year group",
    "form": "form (registration group)",
}
UNKNOWN_YEAR = "is not one we recognise (say 7, Y7, Year 7, Reception or N1)"
NO_IDENTIFIER = (
    "UPN (or, for a school without UPNs, the admission number, pupil ID or Scottish "
    "Candidate Number)"
)


# --- one row -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _PupilData:
    line: int
    identifier: str
    forename: str
    surname: str
    known_forename: str
    known_surname: str
    year_group: str
    form: str


def _check_name(label: str, value: str, *, required: bool = True) -> str | None:
    if not value:
        return f"the {label} is empty" if required else None
    if len(value) > MAX_NAME_LENGTH:
        return (
            f"the {label} is {len(value):,} characters long "
            f"({MAX_NAME_LENGTH} at most): {quote(value)}"
        )
    return None


def _legal_and_known(legal: str, known: str) -> tuple[str, str]:
    """A legal name and the preferred one: a file with only a preferred column gives the
    name as both, and a preferred name equal to the legal one is not kept twice."""
    legal = legal or known
    return legal, "" if known == legal else known


def _read_row(
    line: int, row: list[str], columns: dict[str, list[int]], width: int, scheme: str
) -> tuple[str | None, _PupilData | str]:
    """The row's valid identifier (or None) and either its data or why it was rejected.

    The identifier is returned even for a rejected row: that pupil is still in the export,
    so they must not be marked as left, and a later line with the same identifier is still a
    duplicate. A short row is read with its missing trailing cells empty.
    """
    identifier, id_reason = read_identifier(scheme, cell(row, columns[scheme][:1]))
    valid_id = identifier if id_reason is None else None
    control = control_character_problem(row)
    if control is not None:
        return valid_id, control
    too_many = extra_cells_problem(row, width)
    if too_many is not None:
        return valid_id, too_many
    if id_reason is not None:
        return None, id_reason
    forename, known_forename = _legal_and_known(
        cell(row, columns["forename"]), cell(row, columns["known_forename"])
    )
    surname, known_surname = _legal_and_known(
        cell(row, columns["surname"]), cell(row, columns["known_surname"])
    )
    for reason in (
        _check_name("forename", forename),
        _check_name("surname", surname),
        _check_name("preferred forename", known_forename, required=False),
        _check_name("preferred surname", known_surname, required=False),
    ):
        if reason is not None:
            return valid_id, reason
    raw_year = cell(row, columns["year"])
    year_group = parse_year(raw_year)
    if year_group is None:
        shown = quote(raw_year) if raw_year else "(empty)"
        return valid_id, f"the year group {shown} {UNKNOWN_YEAR}"
    form = cell(row, columns["form"])
    if len(form) > MAX_FORM_LENGTH:
        return valid_id, f"the form {quote(form)} is longer than {MAX_FORM_LENGTH} characters"
    return valid_id, _PupilData(
        line, identifier, forename, surname, known_forename, known_surname, year_group, form
    )


@dataclass(frozen=True, slots=True)
class _ParsedFile:
    scheme: str  # the identifier scheme the rows are matched on
    good: list[_PupilData]
    problems: list[ImportProblem]
    identifiers: set[str]  # every valid identifier seen, rejected rows included
    row_count: int


def _open_pupil_table(data: bytes) -> CsvTable:
    """The opened file; :class:`InvalidInput` naming every needed column it lacks."""
    table = open_table(data, PUPIL_COLUMNS)
    columns = table.columns
    missing = [] if choose_scheme(table) is not None else [NO_IDENTIFIER]
    for field in ("forename", "surname"):
        if not columns[field] and not columns[f"known_{field}"]:
            missing.append(FIELD_LABELS[field])
    missing += [FIELD_LABELS[field] for field in ("year", "form") if not columns[field]]
    if missing:
        raise InvalidInput(
            f"The file has no column for the {join_words(missing)}. The columns found were: "
            f"{table.found_headers()}. Nothing has been imported."
        )
    return table


def _parse(table: CsvTable, scheme: str) -> _ParsedFile:
    """The good rows, problems, valid identifiers and row count, matched on ``scheme``."""
    label = scheme_label(scheme)
    good: list[_PupilData] = []
    problems: list[ImportProblem] = []
    first_line_of: dict[str, int] = {}
    for line, row in table.rows:
        identifier, result = _read_row(line, row, table.columns, table.width, scheme)
        if identifier is not None and identifier in first_line_of:
            first = first_line_of[identifier]
            problems.append(
                ImportProblem(line, f"{label} {identifier} is a duplicate of line {first}")
            )
            continue
        if identifier is not None:
            first_line_of[identifier] = line
        if isinstance(result, str):
            problems.append(ImportProblem(line, result))
        else:
            good.append(result)
    return _ParsedFile(scheme, good, problems, set(first_line_of), len(table.rows))


# --- storing -------------------------------------------------------------------------------


def _state(pupil: Pupil) -> dict[str, Any]:
    return {
        "upn": pupil.upn,
        "id_scheme": pupil.id_scheme,
        "identifier": pupil.identifier,
        "forename": pupil.forename,
        "surname": pupil.surname,
        "known_forename": pupil.known_forename,
        "known_surname": pupil.known_surname,
        "year_group": pupil.year_group,
        "form": pupil.form,
        "status": pupil.status,
    }


def _schemes_on_roll(pupils: Sequence[Pupil]) -> list[str]:
    """The identifier schemes of the pupils on roll, the most used first."""
    counts = Counter(p.id_scheme for p in pupils if p.status == "on_roll")
    return [scheme for scheme, _count in counts.most_common()]


def _refuse_other_scheme(on_roll: str, in_file: str) -> InvalidInput:
    was, now = SCHEME_WORDS[on_roll], SCHEME_WORDS[in_file]
    return InvalidInput(
        f"The pupils on roll are identified by {was}, but this file identifies them by {now} "
        f"and gives no {was}, so every pupil would be added a second time. Export the file "
        f"again with the {was} column filled. Nothing has been imported."
    )


def preview_pupils_text(
    ctx: KioskContext, actor: Actor, data: bytes, *, mark_leavers: bool
) -> ImportReport:
    """What :func:`import_pupils_text` would do with these bytes, changing nothing: the same
    code runs in a transaction that is rolled back, so the counts, the rejected lines and
    the rows named in ``changes`` are exactly the real import's (unless the pupils on roll
    change in between). Raises as the import does."""
    return import_pupils_text(ctx, actor, data, mark_leavers=mark_leavers, dry_run=True)


def import_pupils_text(
    ctx: KioskContext,
    actor: Actor,
    data: bytes,
    *,
    mark_leavers: bool,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import pupils from the bytes of a CSV export (see :func:`import_pupils_file`).

    Returns the counts, the rejected rows in line order and the first rows added or
    updated (``changes``); a leaver's ``left_on`` is today's school date. With
    ``dry_run`` everything is done and then rolled back (:func:`preview_pupils_text`).
    ``progress(done, total)`` is told how many good rows are written, as they are (from
    the calling thread). Raises :class:`NotAllowed` unless ``actor`` is a manager, and
    :class:`InvalidInput` (changing nothing) for a file that is not readable CSV, lacks a
    needed column, identifies pupils differently from the pupils on roll (a UPN file for a
    school imported by admission number, say), or with ``mark_leavers`` would mark more
    than half the pupils on roll as left.
    """
    table = _open_pupil_table(data)
    changes: list[ImportChange] = []
    try:
        report = _import_pupils(ctx, actor, table, mark_leavers, dry_run, progress, changes)
    except Rehearsal as rehearsal:
        assert isinstance(rehearsal.report, ImportReport)
        return rehearsal.report
    return report


def _import_pupils(
    ctx: KioskContext,
    actor: Actor,
    table: CsvTable,
    mark_leavers: bool,
    dry_run: bool,
    progress: Progress | None,
    changes: list[ImportChange],
) -> ImportReport:
    """The import itself, in one transaction (see :func:`import_pupils_text`)."""
    now = ctx.clock()
    today = now.astimezone(ctx.timezone).date()
    added = updated = unchanged = left = 0
    with ctx.db.write(BATCH) as s:  # a whole school's file: batch work, may wait longer
        acting.require_manager(s, actor, "Only a manager can import pupils.", also=(COMMAND_LINE,))
        everyone = list(s.scalars(select(Pupil)))
        on_roll_schemes = _schemes_on_roll(everyone)
        scheme = choose_scheme(table, on_roll_schemes) or "upn"
        if on_roll_schemes and scheme not in on_roll_schemes:
            raise _refuse_other_scheme(on_roll_schemes[0], scheme)
        parsed = _parse(table, scheme)
        existing = {p.identifier: p for p in everyone if p.id_scheme == scheme}
        new_pupils: list[Pupil] = []
        new_lines: list[int] = []
        # Each good row once, and each new pupil's audit entry once more after the flush.
        total = len(parsed.good) + sum(1 for d in parsed.good if d.identifier not in existing)
        done = 0
        for data_row in parsed.good:
            done += 1
            if progress is not None and (done % 50 == 0 or done == total):
                progress(done, total)
            pupil = existing.get(data_row.identifier)
            if pupil is None:
                new_lines.append(data_row.line)
                new_pupils.append(
                    Pupil(
                        upn=data_row.identifier if scheme == "upn" else None,
                        id_scheme=scheme,
                        identifier=data_row.identifier,
                        forename=data_row.forename,
                        surname=data_row.surname,
                        known_forename=data_row.known_forename,
                        known_surname=data_row.known_surname,
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
            pupil.known_forename = data_row.known_forename
            pupil.known_surname = data_row.known_surname
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
            keep_change(
                changes,
                ImportChange(
                    data_row.line,
                    "updated",
                    f"{data_row.forename} {data_row.surname}",
                    describe_changes(before, after),
                ),
            )
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
        for line, pupil in zip(new_lines, new_pupils, strict=True):
            done += 1
            if progress is not None and (done % 50 == 0 or done == total):
                progress(done, total)
            keep_change(
                changes,
                ImportChange(
                    line,
                    "added",
                    f"{pupil.forename} {pupil.surname}",
                    f"year {pupil.year_group}, "
                    + (f"form {pupil.form}" if pupil.form else "no form"),
                ),
            )
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
            on_roll = [p for p in everyone if p.status == "on_roll"]
            leavers = [
                p
                for p in on_roll
                if p.id_scheme != scheme or p.identifier not in parsed.identifiers
            ]
            if leavers and len(leavers) * 2 > len(on_roll):
                raise InvalidInput(
                    f"This file would mark {len(leavers):,} of the {len(on_roll):,} pupils on "
                    "roll as left. That usually means it is only part of the school (one year "
                    "group, say), not a full export. Nothing has been changed. Import the "
                    "whole school's list, or import this file without marking leavers."
                )
            for pupil in sorted(leavers, key=lambda p: (p.id_scheme, p.identifier)):
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

        report = ImportReport(
            added=added,
            updated=updated,
            unchanged=unchanged,
            rejected=parsed.row_count - len(parsed.good),
            left=left,
            problems=tuple(sorted(parsed.problems, key=lambda p: p.line)),
            changes=tuple(sorted(changes, key=lambda c: c.line)),
        )
        if dry_run:
            raise Rehearsal(report)  # rolls the transaction back
    return report


def import_pupils_file(
    ctx: KioskContext, actor: Actor, path: Path, *, mark_leavers: bool
) -> ImportReport:
    """Import pupils from a CSV file exported from the school's MIS.

    Rows are matched to pupils by UPN, or in a file without UPNs by the MIS's own
    identifier (:mod:`kiosk.importing.identifiers`): new pupils are added, changed ones updated, and a
    pupil who had left and appears again is put back on roll. Rows with problems are
    skipped and listed in the report. With ``mark_leavers`` the file is taken to be the
    whole school: pupils on roll who are missing from it are marked as left (never
    deleted), unless that would be more than half of them. A file that cannot be read, or
    lacks a needed column, is refused with :class:`KioskError` (:class:`InvalidInput` for
    its contents) and changes nothing; :class:`NotAllowed` unless ``actor`` is a manager.
    """
    return import_pupils_text(ctx, actor, read_file_bytes(path), mark_leavers=mark_leavers)
