"""Parents and carers of each pupil: who they are, how to reach them, and whether they may
collect a confiscated device. Kept by hand at the desk or imported from the MIS's CSV export
with the same tolerance for messy files as the pupil import."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from kiosk.errors import InvalidInput, KioskError, NotAllowed, NotFound
from kiosk.importing.pupils import (
    ImportProblem,
    _header_key,
    _physical_rows,
    _quote,
    decode_csv_bytes,
)
from kiosk.persistence.models import Contact, Pupil
from kiosk.rows.people import Actor, ContactRow
from kiosk.services import audit
from kiosk.text import clean_line

if TYPE_CHECKING:
    from kiosk.context import KioskContext

MAX_NAME = 200
MAX_RELATIONSHIP = 100
MAX_PHONE = 50
MAX_EMAIL = 200




def contact_row(c: Contact) -> ContactRow:
    """The stored contact as a row."""
    return ContactRow(c.id, c.pupil_id, c.name, c.relationship, c.phone, c.email, c.may_collect)


def same_name(a: str, b: str) -> bool:
    """Whether two names are the same person's name as typed, whatever their spacing and
    case ("ama  MENSAH" is Ama Mensah). Accents still count: this decides who may collect a
    confiscated device, so "Zoe" is not taken for "Zoë"."""
    return clean_line(a).casefold() == clean_line(b).casefold()


def _clean(value: str, limit: int, what: str, *, required: str | None = None) -> str:
    """One line of typed text; see :func:`kiosk.text.clean_line`."""
    return clean_line(
        value,
        limit=limit,
        too_long=f"The {what} is too long ({{limit}} characters at most).",
        required=required,
    )


def _state(c: Contact) -> dict[str, Any]:
    return {
        "pupil_id": c.pupil_id,
        "name": c.name,
        "relationship": c.relationship,
        "phone": c.phone,
        "email": c.email,
        "may_collect": c.may_collect,
    }


def contacts_for(ctx: KioskContext, pupil_id: int) -> list[ContactRow]:
    """The pupil's contacts, those who may collect first."""
    with ctx.db.read() as s:
        return [
            contact_row(c)
            for c in s.scalars(
                select(Contact)
                .where(Contact.pupil_id == pupil_id)
                .order_by(Contact.may_collect.desc(), Contact.id)
            )
        ]


def add_contact(
    ctx: KioskContext,
    actor: Actor,
    pupil_id: int,
    *,
    name: str,
    relationship: str = "",
    phone: str = "",
    email: str = "",
    may_collect: bool = True,
) -> ContactRow:
    """Add a parent or carer to a pupil's contacts; returns the stored contact. Names and
    numbers are cleaned as one line each (:func:`kiosk.text.clean_line`). Raises
    :class:`NotAllowed` for an actor who is not staff, :class:`InvalidInput` for a missing
    name or text over its limit, :class:`NotFound` for an unknown pupil."""
    if not actor.is_staff:
        raise NotAllowed("Sign in at the desk to change a pupil's contacts.")
    name = _clean(name, MAX_NAME, "name", required="Enter the parent or carer's name.")
    relationship = _clean(relationship, MAX_RELATIONSHIP, "relationship")
    phone = _clean(phone, MAX_PHONE, "phone number")
    email = _clean(email, MAX_EMAIL, "email address")
    with ctx.db.write() as s:
        if s.get(Pupil, pupil_id) is None:
            raise NotFound("No such pupil.")
        contact = Contact(
            pupil_id=pupil_id,
            name=name,
            relationship=relationship,
            phone=phone,
            email=email,
            may_collect=may_collect,
        )
        s.add(contact)
        s.flush()
        audit.record(
            s,
            at=ctx.clock(),
            actor=actor,
            action="create",
            entity="contact",
            entity_id=contact.id,
            after=_state(contact),
        )
        return contact_row(contact)


def update_contact(
    ctx: KioskContext,
    actor: Actor,
    contact_id: int,
    *,
    name: str,
    relationship: str,
    phone: str,
    email: str,
    may_collect: bool,
) -> ContactRow:
    """Change a contact's details; returns the stored contact. Cleaned and refused as
    :func:`add_contact`; :class:`NotFound` for an unknown contact."""
    if not actor.is_staff:
        raise NotAllowed("Sign in at the desk to change a pupil's contacts.")
    name = _clean(name, MAX_NAME, "name", required="Enter the parent or carer's name.")
    relationship = _clean(relationship, MAX_RELATIONSHIP, "relationship")
    phone = _clean(phone, MAX_PHONE, "phone number")
    email = _clean(email, MAX_EMAIL, "email address")
    with ctx.db.write() as s:
        contact = s.get(Contact, contact_id)
        if contact is None:
            raise NotFound("That contact is no longer on file.")
        before = _state(contact)
        contact.name, contact.relationship = name, relationship
        contact.phone, contact.email, contact.may_collect = phone, email, may_collect
        audit.record(
            s,
            at=ctx.clock(),
            actor=actor,
            action="update",
            entity="contact",
            entity_id=contact.id,
            before=before,
            after=_state(contact),
        )
        return contact_row(contact)


def remove_contact(ctx: KioskContext, actor: Actor, contact_id: int) -> None:
    """Remove a contact. Past releases keep the collector's name as it was signed for."""
    if not actor.is_staff:
        raise NotAllowed("Sign in at the desk to change a pupil's contacts.")
    with ctx.db.write() as s:
        contact = s.get(Contact, contact_id)
        if contact is None:
            raise NotFound("That contact is no longer on file.")
        audit.record(
            s,
            at=ctx.clock(),
            actor=actor,
            action="delete",
            entity="contact",
            entity_id=contact.id,
            before=_state(contact),
        )
        s.delete(contact)


# --- import --------------------------------------------------------------------------------

CONTACT_COLUMNS: dict[str, tuple[str, ...]] = {
    "upn": ("upn", "uniquepupilnumber", "pupilupn"),
    "name": (
        "contactname",
        "parentname",
        "carername",
        "parentcarername",
        "contactfullname",
        "fullname",
        "name",
    ),
    "forename": ("contactforename", "contactfirstname", "parentforename", "forename"),
    "surname": ("contactsurname", "contactlastname", "parentsurname", "surname"),
    "relationship": ("relationship", "relation", "relationshiptopupil", "contactrelationship"),
    "phone": (
        "phone",
        "telephone",
        "mobile",
        "mobilephone",
        "contactphone",
        "contacttelephone",
        "phonenumber",
        "telephonenumber",
        "homephone",
    ),
    "email": ("email", "emailaddress", "contactemail"),
    "may_collect": (
        "maycollect",
        "cancollect",
        "collect",
        "allowedtocollect",
        "authorisedtocollect",
        "authorizedtocollect",
        "parentalresponsibility",
    ),
}
_YES = {"yes", "y", "true", "1", "x", "✓"}
_NO = {"no", "n", "false", "0", ""}


def _match(headers: list[str]) -> dict[str, list[int]]:
    positions: dict[str, int] = {}
    for index, header in enumerate(headers):
        positions.setdefault(_header_key(header), index)
    return {
        field: [positions[alias] for alias in aliases if alias in positions]
        for field, aliases in CONTACT_COLUMNS.items()
    }


def _delimiter(header_line: str) -> str:
    def known(delimiter: str) -> int:
        headers = next(csv.reader([header_line], delimiter=delimiter), [])
        return sum(1 for columns in _match(headers).values() if columns)

    return max((",", ";", "\t"), key=known)


def _cell(row: list[str], columns: list[int]) -> str:
    for index in columns:
        if index < len(row):
            value = " ".join(row[index].split())
            if value:
                return value
    return ""


@dataclass(frozen=True, slots=True)
class ContactImportReport:
    added: int
    updated: int
    unchanged: int
    rejected: int
    problems: tuple[ImportProblem, ...] = ()

    def summary(self) -> str:
        rows = self.added + self.updated + self.unchanged + self.rejected
        return (
            f"{rows:,} contact row{'' if rows == 1 else 's'}: {self.added:,} added, "
            f"{self.updated:,} updated, {self.unchanged:,} unchanged, {self.rejected:,} rejected."
        )


def import_contacts_text(ctx: KioskContext, actor: Actor, data: bytes) -> ContactImportReport:
    """Add or update contacts from a CSV export: one row per contact, matched to the pupil
    by UPN and to an existing contact by name. Rows with problems are skipped and reported
    by line; a file without the needed columns changes nothing."""
    if not actor.is_manager:
        raise NotAllowed("Only a manager can import contacts.")
    text = decode_csv_bytes(data)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    if not first_line:
        raise InvalidInput("The file is empty. Nothing has been imported.")
    rows = _physical_rows(text, _delimiter(first_line))
    header = next((row for _line, row in rows if any(cell.strip() for cell in row)), None)
    if header is None:
        raise InvalidInput("The file has no header line. Nothing has been imported.")
    columns = _match(header)
    missing = []
    if not columns["upn"]:
        missing.append("the pupil's UPN")
    if not columns["name"] and not (columns["forename"] and columns["surname"]):
        missing.append("the contact's name")
    if missing:
        found = ", ".join(f'"{h.strip()}"' for h in header if h.strip()) or "none"
        raise InvalidInput(
            f"The file has no column for {' or '.join(missing)}. The columns found were: "
            f"{found}. Nothing has been imported."
        )

    problems: list[ImportProblem] = []
    added = updated = unchanged = 0
    now = ctx.clock()
    with ctx.db.write() as s:
        pupil_ids = {upn: pupil_id for upn, pupil_id in s.execute(select(Pupil.upn, Pupil.id))}
        by_pupil: dict[int, list[Contact]] = {}
        for contact in s.scalars(select(Contact)):
            by_pupil.setdefault(contact.pupil_id, []).append(contact)
        for line, row in rows:
            if not any(cell.strip() for cell in row):
                continue
            upn = _cell(row, columns["upn"]).upper()
            name = _cell(row, columns["name"]) or " ".join(
                part
                for part in (_cell(row, columns["forename"]), _cell(row, columns["surname"]))
                if part
            )
            relationship = _cell(row, columns["relationship"])
            phone = _cell(row, columns["phone"])
            email = _cell(row, columns["email"])
            raw_collect = _cell(row, columns["may_collect"]).casefold()
            reason = None
            if upn not in pupil_ids:
                reason = f"no pupil has the UPN {_quote(upn)}" if upn else "the UPN is empty"
            elif not name:
                reason = "the contact's name is empty"
            elif len(name) > MAX_NAME:
                reason = f"the name is longer than {MAX_NAME} characters: {_quote(name)}"
            elif len(relationship) > MAX_RELATIONSHIP or len(phone) > MAX_PHONE:
                reason = "the relationship or phone number is too long"
            elif len(email) > MAX_EMAIL:
                reason = f"the email address is too long: {_quote(email)}"
            elif columns["may_collect"] and raw_collect not in _YES | _NO:
                reason = f"'may collect' should be yes or no, not {_quote(raw_collect)}"
            if reason is not None:
                problems.append(ImportProblem(line, reason))
                continue
            may_collect = raw_collect in _YES if columns["may_collect"] else True
            pupil_id = pupil_ids[upn]
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
                s.add(contact)
                s.flush()
                by_pupil.setdefault(pupil_id, []).append(contact)
                added += 1
                audit.record(
                    s,
                    at=now,
                    actor=actor,
                    action="create",
                    entity="contact",
                    entity_id=contact.id,
                    after=_state(contact) | {"via": "contact import"},
                )
                continue
            before = _state(existing)
            existing.relationship = relationship or existing.relationship
            existing.phone = phone or existing.phone
            existing.email = email or existing.email
            existing.may_collect = may_collect
            after = _state(existing)
            if after == before:
                unchanged += 1
                continue
            updated += 1
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
    return ContactImportReport(added, updated, unchanged, len(problems), tuple(problems))


def import_contacts_file(ctx: KioskContext, actor: Actor, path: Path) -> ContactImportReport:
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise KioskError(f"There is no file at {path}.") from None
    except IsADirectoryError:
        raise KioskError(f"{path} is a folder, not a CSV file.") from None
    except PermissionError:
        raise KioskError(f"This account is not allowed to read {path}.") from None
    return import_contacts_text(ctx, actor, data)
