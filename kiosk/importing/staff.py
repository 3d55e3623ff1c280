"""Importing the staff directory from the CSV file a school's MIS exports.

Each row is matched to a directory entry by email, else by name (the preferred, "known
as" names where the export has them); new staff are added
without a PIN (they are in the directory but cannot sign in at the desk). An empty cell
never wipes what the desk already knows. Rows that cannot be read are reported by line and
the rest are written in one transaction.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from kiosk.errors import InvalidInput
from kiosk.importing.headers import STAFF_COLUMNS
from kiosk.importing.reader import cell, control_character_problem, open_table, read_file_bytes
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
from kiosk.persistence.models import Staff
from kiosk.rows.people import COMMAND_LINE, Actor
from kiosk.services import acting, audit
from kiosk.services.directory import (
    FIELD_LIMITS,
    ROUTING_FIELDS,
    clean_entry_fields,
    entry_state,
)

if TYPE_CHECKING:
    from kiosk.context import KioskContext


def _read_rows(data: bytes) -> tuple[list[tuple[int, dict[str, str]]], list[ImportProblem]]:
    """The line and cleaned fields of every good row, in file order, and the problems by
    line."""
    table = open_table(data, STAFF_COLUMNS)
    columns = table.columns
    has_forename = columns["forename"] or columns["known_forename"]
    has_surname = columns["surname"] or columns["known_surname"]
    if not columns["name"] and not (has_forename and has_surname):
        raise InvalidInput(
            "The file has no name column (we look for 'Name', or 'Forename' and "
            "'Surname'). Nothing has been imported."
        )
    wanted: list[tuple[int, dict[str, str]]] = []
    problems: list[ImportProblem] = []
    for line, row in table.rows:
        control = control_character_problem(row)
        if control is not None:
            problems.append(ImportProblem(line, control))
            continue
        # Only the first matching column counts: a blank "Name" is not filled from "Full name".
        first = {field: cell(row, found[:1]) for field, found in columns.items()}
        # Preferred ("known as") names where the MIS gives them: the name colleagues use.
        forename = first["known_forename"] or first["forename"]
        surname = first["known_surname"] or first["surname"]
        name = first["name"] or " ".join(
            part for part in (first["title"], forename, surname) if part
        )
        try:
            fields = clean_entry_fields(
                {"name": name} | {field: first[field] for field in FIELD_LIMITS if field != "name"}
            )
        except InvalidInput as exc:
            problems.append(ImportProblem(line, exc.message))
            continue
        wanted.append((line, fields))
    return wanted, problems


def preview_staff_text(ctx: KioskContext, actor: Actor, data: bytes) -> ImportReport:
    """What :func:`import_staff_text` would do with these bytes, changing nothing: the same
    code runs in a transaction that is rolled back, so the counts, rejected lines and named
    rows are the real import's. Raises as the import does."""
    return import_staff_text(ctx, actor, data, dry_run=True)


def import_staff_text(
    ctx: KioskContext,
    actor: Actor,
    data: bytes,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Add or update directory entries from the bytes of a CSV export, matched by email,
    else by name. Returns the counts, the rejected rows by line and the first rows added or
    updated (``changes``; ``left`` is always 0). With ``dry_run`` everything is done and
    rolled back (:func:`preview_staff_text`); ``progress(done, total)`` counts good rows.

    A row that would change someone else's email address or mobile number (the fields that
    route their messages, :data:`kiosk.services.directory.ROUTING_FIELDS`) is imported only
    for a manager or the command line; for a receptionist it is rejected whole, saying why,
    and that person's entry is left as it was (a PIN cannot be typed for each row). Raises
    :class:`NotAllowed` unless ``actor`` is staff signed in at the desk (role read from the
    database), and :class:`InvalidInput` (changing nothing) for a file that is not readable
    CSV or has no name column."""
    wanted, problems = _read_rows(data)
    try:
        return _import_staff(ctx, actor, wanted, problems, dry_run, progress)
    except Rehearsal as rehearsal:
        assert isinstance(rehearsal.report, ImportReport)
        return rehearsal.report


def _import_staff(
    ctx: KioskContext,
    actor: Actor,
    wanted: list[tuple[int, dict[str, str]]],
    problems: list[ImportProblem],
    dry_run: bool,
    progress: Progress | None,
) -> ImportReport:
    """The import itself, in one transaction (see :func:`import_staff_text`)."""
    added = updated = unchanged = 0
    changes_kept: list[ImportChange] = []
    with ctx.db.write(BATCH) as s:  # a whole school's file: batch work, may wait longer
        me = acting.require_staff(
            s,
            actor,
            "Only staff signed in at the desk can import the directory.",
            also=(COMMAND_LINE,),
        )
        may_reroute = me is COMMAND_LINE or acting.is_manager(s, me)
        everyone = list(s.scalars(select(Staff)))
        by_email = {st.email.casefold(): st for st in everyone if st.email}
        by_name = {st.name.casefold(): st for st in everyone}
        for done, (line, fields) in enumerate(wanted, start=1):
            if progress is not None and (done % 50 == 0 or done == len(wanted)):
                progress(done, len(wanted))
            staff = (by_email.get(fields["email"].casefold()) if fields["email"] else None) or (
                by_name.get(fields["name"].casefold())
            )
            if staff is None:
                staff = Staff(role="receptionist", pin_hash=None, active=True, **fields)
                s.add(staff)
                s.flush()
                by_name[staff.name.casefold()] = staff
                if staff.email:
                    by_email[staff.email.casefold()] = staff
                added += 1
                before = None
                keep_change(changes_kept, ImportChange(line, "added", staff.name, fields["email"]))
            else:
                before = entry_state(staff)
                # An empty cell never wipes what the desk already knows.
                changes = {k: v for k, v in fields.items() if v and getattr(staff, k) != v}
                if not changes:
                    unchanged += 1
                    continue
                rerouted = set(changes) & set(ROUTING_FIELDS)
                if rerouted and not may_reroute and staff.id != me.staff_id:
                    problems.append(ImportProblem(line, _reroute_refused(staff.name)))
                    continue
                for key, value in changes.items():
                    setattr(staff, key, value)
                updated += 1
                keep_change(
                    changes_kept,
                    ImportChange(
                        line, "updated", staff.name, describe_changes(before, entry_state(staff))
                    ),
                )
            audit.record(
                s,
                at=ctx.clock(),
                actor=actor,
                action="import",
                entity="staff",
                entity_id=staff.id,
                before=before,
                after=entry_state(staff),
            )
        report = ImportReport(
            added=added,
            updated=updated,
            unchanged=unchanged,
            rejected=len(problems),
            left=0,
            problems=tuple(sorted(problems, key=lambda problem: problem.line)),
            changes=tuple(sorted(changes_kept, key=lambda change: change.line)),
        )
        if dry_run:
            raise Rehearsal(report)  # rolls the transaction back
    return report


def _reroute_refused(name: str) -> str:
    return (
        f"This row changes {name}'s email address or mobile number, which decide where "
        "their messages go: only a manager can import that. The row was skipped."
    )


def import_staff_file(ctx: KioskContext, actor: Actor, path: Path) -> ImportReport:
    """Import the staff directory from the CSV file at ``path`` (see
    :func:`import_staff_text`, whose refusals apply); :class:`KioskError` when the file
    cannot be read."""
    return import_staff_text(ctx, actor, read_file_bytes(path))
