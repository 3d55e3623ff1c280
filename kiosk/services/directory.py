"""The staff directory: who works here, their job, initials, pigeonhole, email, extension
and mobile, and whether they are out on an educational visit today.

Everyone on the staff table is in the directory; only those with a PIN can sign in at the
desk. Staff can be added and edited at the desk or imported from the MIS's CSV export.
"""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from kiosk.errors import InvalidInput, NotAllowed, NotFound
from kiosk.importing.pupils import (
    ImportProblem,
    ImportReport,
    _header_key,
    _physical_rows,
    decode_csv_bytes,
)
from kiosk.persistence.models import Staff
from kiosk.rows.calls import DirectoryEntry, Recipient
from kiosk.rows.people import Actor
from kiosk.services import audit
from kiosk.services.trips import trips_on
from kiosk.services.visitors import on_site
from kiosk.text import clean_line, clean_phone_number

if TYPE_CHECKING:
    from kiosk.context import KioskContext

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
FIELD_LIMITS = {
    "name": 200,
    "job_title": 200,
    "initials": 10,
    "pigeonhole": 50,
    "email": 254,
    "extension": 20,
    "mobile": 30,
}
FIELD_LABELS = {
    "name": "name",
    "job_title": "job title",
    "initials": "initials",
    "pigeonhole": "pigeonhole",
    "email": "email address",
    "extension": "extension",
    "mobile": "mobile number",
}






def _entry(staff: Staff) -> DirectoryEntry:
    return DirectoryEntry(
        id=staff.id,
        name=staff.name,
        job_title=staff.job_title,
        initials=staff.initials,
        pigeonhole=staff.pigeonhole,
        email=staff.email,
        extension=staff.extension,
        mobile=staff.mobile,
        can_sign_in=staff.pin_hash is not None,
        active=staff.active,
    )


def _clean(fields: dict[str, str]) -> dict[str, str]:
    cleaned: dict[str, str] = {}
    for name, value in fields.items():
        cleaned[name] = clean_line(
            value,
            limit=FIELD_LIMITS[name],
            too_long=f"The {FIELD_LABELS[name]} is too long ({{limit}} characters at most).",
        )
    if not cleaned.get("name"):
        raise InvalidInput("Enter the member of staff's name.")
    if cleaned.get("email") and not _EMAIL.fullmatch(cleaned["email"]):
        raise InvalidInput(f"'{cleaned['email']}' does not look like an email address.")
    for name in ("extension", "mobile"):
        if cleaned.get(name):
            cleaned[name] = clean_phone_number(cleaned[name], FIELD_LABELS[name])
    return cleaned


def _state(staff: Staff) -> dict[str, Any]:
    return {name: getattr(staff, name) for name in FIELD_LIMITS}


def list_directory(ctx: KioskContext, *, include_inactive: bool = False) -> list[DirectoryEntry]:
    """Everyone in the staff directory, by name; those who have left only when
    ``include_inactive``. Never raises."""
    query = select(Staff).order_by(Staff.name, Staff.id)
    if not include_inactive:
        query = query.where(Staff.active)
    with ctx.db.read() as s:
        return [_entry(st) for st in s.scalars(query)]


def get_entry(ctx: KioskContext, staff_id: int) -> DirectoryEntry:
    """One member of staff's directory entry; raises :class:`NotFound` for an unknown id."""
    with ctx.db.read() as s:
        staff = s.get(Staff, staff_id)
        if staff is None:
            raise NotFound("That member of staff is not in the directory.")
        return _entry(staff)


def save_entry(
    ctx: KioskContext,
    actor: Actor,
    *,
    staff_id: int | None = None,
    name: str,
    job_title: str = "",
    initials: str = "",
    pigeonhole: str = "",
    email: str = "",
    extension: str = "",
    mobile: str = "",
) -> DirectoryEntry:
    """Add someone to the directory (``staff_id`` None) or change their details. People
    added here cannot sign in at the desk until a manager gives them a PIN."""
    if not actor.is_staff:
        raise NotAllowed("Only staff signed in at the desk can change the directory.")
    fields = _clean(
        {
            "name": name,
            "job_title": job_title,
            "initials": initials,
            "pigeonhole": pigeonhole,
            "email": email,
            "extension": extension,
            "mobile": mobile,
        }
    )
    with ctx.db.write() as s:
        if staff_id is None:
            staff = Staff(role="receptionist", pin_hash=None, active=True, **fields)
            s.add(staff)
            s.flush()
            before = None
        else:
            found = s.get(Staff, staff_id)
            if found is None:
                raise NotFound("That member of staff is not in the directory.")
            staff = found
            before = _state(staff)
            for key, value in fields.items():
                setattr(staff, key, value)
        audit.record(
            s,
            at=ctx.clock(),
            actor=actor,
            action="create" if before is None else "update",
            entity="staff",
            entity_id=staff.id,
            before=before,
            after=_state(staff),
        )
        return _entry(staff)


def staff_on_trips(ctx: KioskContext, day: date) -> dict[int, str]:
    """Staff out on an educational trip on ``day`` (a school-time date), from
    :func:`kiosk.services.trips.trips_on`: staff id -> destination. A member of staff on two
    trips that day shows the one recorded first."""
    out: dict[int, str] = {}
    for trip in trips_on(ctx, day):
        for staff_id, _name in trip.attending:
            out.setdefault(staff_id, trip.destination)
    return out


def _visitors_on_site(ctx: KioskContext) -> list[tuple[str, str]]:
    """(name, organisation) of each visitor signed in now."""
    try:
        visits = on_site(ctx)
    except Exception:  # the visitor book must never stop a call being taken
        return []
    return [(visit.name, visit.organisation or "") for visit in visits if visit.name]


def find_recipients(ctx: KioskContext, typed: str, *, limit: int = 12) -> list[Recipient]:
    """Type-ahead for "for whom": staff by name, initials or job title, then visitors on
    site by name. Every word typed must appear somewhere."""
    words = typed.casefold().split()
    found: list[Recipient] = []
    for entry in list_directory(ctx):
        haystack = f"{entry.name} {entry.initials} {entry.job_title}".casefold()
        if all(word in haystack for word in words):
            detail = " · ".join(p for p in (entry.job_title, entry.initials) if p)
            found.append(Recipient("staff", entry.id, entry.name, detail))
    for name, organisation in _visitors_on_site(ctx):
        if all(word in f"{name} {organisation}".casefold() for word in words):
            detail = f"Visitor on site, {organisation}" if organisation else "Visitor on site"
            found.append(Recipient("visitor", None, name, detail))
    # Initials typed exactly ("JBR") put that person first.
    exact = typed.strip().casefold()
    found.sort(key=lambda r: 0 if exact and r.detail.casefold().endswith(exact) else 1)
    return found[:limit]


# --- import from CSV ----------------------------------------------------------------------

COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("name", "fullname", "staffname", "displayname", "preferredname"),
    "title": ("title", "salutation"),
    "forename": ("forename", "firstname", "givenname", "legalforename", "preferredforename"),
    "surname": ("surname", "lastname", "familyname", "legalsurname", "preferredsurname"),
    "job_title": ("jobtitle", "role", "position", "post", "job", "staffrole"),
    "initials": ("initials", "staffcode", "code", "teachercode", "shortname"),
    "pigeonhole": ("pigeonhole", "pigeonholenumber", "pigeonholeno", "tray", "mailbox"),
    "email": ("email", "emailaddress", "workemail", "schoolemail", "mail"),
    "extension": ("extension", "ext", "phoneextension", "telephoneextension", "internalphone"),
    "mobile": ("mobile", "mobilenumber", "workmobile", "mobilephone"),
}


def _match(headers: list[str]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, header in enumerate(headers):
        positions.setdefault(_header_key(header), index)
    found: dict[str, int] = {}
    for field, aliases in COLUMN_ALIASES.items():
        for alias in aliases:
            if alias in positions:
                found[field] = positions[alias]
                break
    return found


def _delimiter(header_line: str) -> str:
    def known(delimiter: str) -> int:
        return len(_match(next(csv.reader([header_line], delimiter=delimiter), [])))

    return max(",;\t", key=known)


def import_staff_text(ctx: KioskContext, actor: Actor, text: str) -> ImportReport:
    """Add or update directory entries from CSV text (matched by email, else by name).
    Rows that cannot be read are reported by line; the rest are imported together."""
    if not actor.is_staff:
        raise NotAllowed("Only staff signed in at the desk can import the directory.")
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    if not first_line:
        raise InvalidInput("The file is empty. Nothing has been imported.")
    header: list[str] | None = None
    columns: dict[str, int] = {}
    problems: list[ImportProblem] = []
    wanted: list[tuple[int, dict[str, str]]] = []
    for line, row in _physical_rows(text, _delimiter(first_line)):
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header, columns = row, _match(row)
            if "name" not in columns and not {"forename", "surname"} <= columns.keys():
                raise InvalidInput(
                    "The file has no name column (we look for 'Name', or 'Forename' and "
                    "'Surname'). Nothing has been imported."
                )
            continue

        def cell(field: str, row: list[str] = row, columns: dict[str, int] = columns) -> str:
            index = columns.get(field)
            return " ".join(row[index].split()) if index is not None and index < len(row) else ""

        name = cell("name") or " ".join(
            part for part in (cell("title"), cell("forename"), cell("surname")) if part
        )
        try:
            fields = _clean(
                {"name": name} | {field: cell(field) for field in FIELD_LIMITS if field != "name"}
            )
        except InvalidInput as exc:
            problems.append(ImportProblem(line, exc.message))
            continue
        wanted.append((line, fields))
    if header is None:
        raise InvalidInput("The file is empty. Nothing has been imported.")

    added = updated = unchanged = 0
    with ctx.db.write() as s:
        everyone = list(s.scalars(select(Staff)))
        by_email = {st.email.casefold(): st for st in everyone if st.email}
        by_name = {st.name.casefold(): st for st in everyone}
        for _line, fields in wanted:
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
            else:
                before = _state(staff)
                # An empty cell never wipes what the desk already knows.
                changes = {k: v for k, v in fields.items() if v and getattr(staff, k) != v}
                if not changes:
                    unchanged += 1
                    continue
                for key, value in changes.items():
                    setattr(staff, key, value)
                updated += 1
            audit.record(
                s,
                at=ctx.clock(),
                actor=actor,
                action="import",
                entity="staff",
                entity_id=staff.id,
                before=before,
                after=_state(staff),
            )
    return ImportReport(
        added=added,
        updated=updated,
        unchanged=unchanged,
        rejected=len(problems),
        left=0,
        problems=tuple(problems),
    )


def import_staff_file(ctx: KioskContext, actor: Actor, path: Path) -> ImportReport:
    return import_staff_text(ctx, actor, decode_csv_bytes(Path(path).read_bytes()))
