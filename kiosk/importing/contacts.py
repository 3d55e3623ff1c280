"""Importing parents' and carers' contact details from the CSV file a school's MIS exports.

One row per contact, matched to the pupil by UPN (or, at a school without UPNs, by the same
MIS identifier the pupil import used: see :mod:`kiosk.importing.identifiers`) and to an existing contact of that pupil by
name; an empty cell keeps what the desk already knows. Rows with problems are skipped and
reported by line; the rest are written in one transaction.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from kiosk.errors import InvalidInput
from kiosk.importing.headers import CONTACT_COLUMNS
from kiosk.importing.identifiers import SCHEME_WORDS, choose_scheme, read_identifier
from kiosk.importing.reader import (
    CsvTable,
    cell,
    control_character_problem,
    open_table,
    quote,
    read_file_bytes,
    yes_no,
)
from kiosk.importing.reports import (
    ContactImportReport,
    ImportChange,
    ImportProblem,
    Progress,
    Rehearsal,
    describe_changes,
    keep_change,
)
from kiosk.persistence.database import BATCH
from kiosk.persistence.models import Contact, Pupil
from kiosk.rows.people import COMMAND_LINE, Actor
from kiosk.services import acting, audit
from kiosk.services.contacts import (
    MAX_EMAIL,
    MAX_NAME,
    MAX_PHONE,
    MAX_RELATIONSHIP,
    contact_state,
    mark_school_record,
    same_name,
)

if TYPE_CHECKING:
    from kiosk.context import KioskContext


def _check_columns(table: CsvTable) -> None:
    """Refuse a file without the pupil's identifier (UPN, SCN, admission number or MIS ID)
    or the contact's name (:class:`InvalidInput`)."""
    columns = table.columns
    missing = []
    if choose_scheme(table) is None:
        missing.append(
            "the pupil's UPN (or, for a school without UPNs, their admission number, pupil ID "
            "or Scottish Candidate Number)"
        )
    if not columns["name"] and not (columns["forename"] and columns["surname"]):
        missing.append("the contact's name")
    if missing:
        raise InvalidInput(
            f"The file has no column for {' or '.join(missing)}. The columns found were: "
            f"{table.found_headers()}. Nothing has been imported."
        )


def preview_contacts_text(ctx: KioskContext, actor: Actor, data: bytes) -> ContactImportReport:
    """What :func:`import_contacts_text` would do with these bytes, changing nothing: the
    same code runs in a transaction that is rolled back, so the counts, rejected lines and
    named rows are the real import's. Raises as the import does."""
    return import_contacts_text(ctx, actor, data, dry_run=True)


def import_contacts_text(
    ctx: KioskContext,
    actor: Actor,
    data: bytes,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ContactImportReport:
    """Add or update contacts from the bytes of a CSV export: one row per contact, matched
    to the pupil by UPN (or the MIS identifier the pupils were imported by) and to an
    existing contact by name. A file without a "may collect"
    column lets every contact collect. Returns the counts, the rejected rows by line and
    the first rows added or updated (``changes``). With ``dry_run`` everything is done and
    rolled back (:func:`preview_contacts_text`); ``progress(done, total)`` counts rows.
    Raises :class:`NotAllowed` unless ``actor`` is a manager, and :class:`InvalidInput`
    (changing nothing) for a file that is not readable CSV or lacks the needed columns."""
    table = open_table(data, CONTACT_COLUMNS)
    _check_columns(table)
    try:
        return _import_contacts(ctx, actor, table, dry_run, progress)
    except Rehearsal as rehearsal:
        assert isinstance(rehearsal.report, ContactImportReport)
        return rehearsal.report


def _import_contacts(
    ctx: KioskContext,
    actor: Actor,
    table: CsvTable,
    dry_run: bool,
    progress: Progress | None,
) -> ContactImportReport:
    """The import itself, in one transaction (see :func:`import_contacts_text`)."""
    columns = table.columns
    changes: list[ImportChange] = []
    problems: list[ImportProblem] = []
    added = updated = unchanged = 0
    now = ctx.clock()
    with ctx.db.write(BATCH) as s:  # a whole school's file: batch work, may wait longer
        acting.require_manager(
            s, actor, "Only a manager can import contacts.", also=(COMMAND_LINE,)
        )
        pupils = s.execute(select(Pupil.id_scheme, Pupil.identifier, Pupil.status)).all()
        on_roll = Counter(scheme for scheme, _identifier, status in pupils if status == "on_roll")
        scheme = choose_scheme(table, [kind for kind, _count in on_roll.most_common()]) or "upn"
        pupil_ids = {
            identifier: pupil_id
            for pupil_id, identifier in s.execute(
                select(Pupil.id, Pupil.identifier).where(Pupil.id_scheme == scheme)
            )
        }
        words = SCHEME_WORDS[scheme]
        by_pupil: dict[int, list[Contact]] = {}
        for contact in s.scalars(select(Contact)):
            by_pupil.setdefault(contact.pupil_id, []).append(contact)
        total = len(table.rows)
        for done, (line, row) in enumerate(table.rows, start=1):
            if progress is not None and (done % 50 == 0 or done == total):
                progress(done, total)
            control = control_character_problem(row)
            if control is not None:
                problems.append(ImportProblem(line, control))
                continue
            raw_identifier = cell(row, columns[scheme][:1])
            identifier, _problem = read_identifier(scheme, raw_identifier)
            # A preferred ("known as") name is the one the office hears, so it is kept.
            forename = cell(row, columns["known_forename"]) or cell(row, columns["forename"])
            surname = cell(row, columns["known_surname"]) or cell(row, columns["surname"])
            name = cell(row, columns["name"]) or " ".join(
                part for part in (forename, surname) if part
            )
            relationship = cell(row, columns["relationship"])
            phone = cell(row, columns["phone"])
            email = cell(row, columns["email"])
            raw_collect = cell(row, columns["may_collect"]).casefold()
            collect = yes_no(raw_collect)
            reason = None
            if identifier not in pupil_ids:
                reason = (
                    f"no pupil has the {words} {quote(raw_identifier)}"
                    if raw_identifier
                    else f"the {words} is empty"
                )
            elif not name:
                reason = "the contact's name is empty"
            elif len(name) > MAX_NAME:
                reason = f"the name is longer than {MAX_NAME} characters: {quote(name)}"
            elif len(relationship) > MAX_RELATIONSHIP or len(phone) > MAX_PHONE:
                reason = "the relationship or phone number is too long"
            elif len(email) > MAX_EMAIL:
                reason = f"the email address is too long: {quote(email)}"
            elif columns["may_collect"] and collect is None:
                reason = f"'may collect' should be yes or no, not {quote(raw_collect)}"
            if reason is not None:
                problems.append(ImportProblem(line, reason))
                continue
            may_collect = bool(collect) if columns["may_collect"] else True
            pupil_id = pupil_ids[identifier]
            existing = next(
                (c for c in by_pupil.get(pupil_id, []) if same_name(c.name, name)), None
            )
            if existing is None:
                contact = Contact(
                    pupil_id=pupil_id,
                    name=name,
                    relationship=relationship,
                    phone=phone,
                    email=email,
                    may_collect=may_collect,
                )
                mark_school_record(contact, now)
                s.add(contact)
                s.flush()
                by_pupil.setdefault(pupil_id, []).append(contact)
                added += 1
                keep_change(changes, ImportChange(line, "added", name, relationship))
                audit.record(
                    s,
                    at=now,
                    actor=actor,
                    action="create",
                    entity="contact",
                    entity_id=contact.id,
                    after=contact_state(contact) | {"via": "contact import"},
                )
                continue
            before = contact_state(existing)
            existing.relationship = relationship or existing.relationship
            existing.phone = phone or existing.phone
            existing.email = email or existing.email
            existing.may_collect = may_collect
            # The MIS lists this person: they are the school's record from now on.
            if not existing.verified:
                mark_school_record(existing, now)
            after = contact_state(existing)
            if after == before:
                unchanged += 1
                continue
            updated += 1
            keep_change(
                changes, ImportChange(line, "updated", name, describe_changes(before, after))
            )
            audit.record(
                s,
                at=now,
                actor=actor,
                action="update",
                entity="contact",
                entity_id=existing.id,
                before=before,
                after=after | {"via": "contact import"},
            )
        report = ContactImportReport(
            added, updated, unchanged, len(problems), tuple(problems), tuple(changes)
        )
        if dry_run:
            raise Rehearsal(report)  # rolls the transaction back
    return report


def import_contacts_file(ctx: KioskContext, actor: Actor, path: Path) -> ContactImportReport:
    """Import contacts from the CSV file at ``path`` (see :func:`import_contacts_text`,
    whose refusals apply); :class:`KioskError` when the file cannot be read."""
    return import_contacts_text(ctx, actor, read_file_bytes(path))
