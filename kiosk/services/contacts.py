"""Parents and carers of each pupil: who they are, how to reach them, and whether they may
collect a confiscated device. Kept by hand at the desk or imported from the MIS's CSV export
(:mod:`kiosk.importing.contacts`)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from kiosk.errors import KioskError, NotAllowed, NotFound
from kiosk.persistence.models import Contact, Pupil
from kiosk.rows.people import Actor, ContactRow
from kiosk.services import acting, audit
from kiosk.services.staff import verify_manager_pin
from kiosk.text import clean_line

if TYPE_CHECKING:
    from kiosk.context import KioskContext

MAX_NAME = 200
MAX_RELATIONSHIP = 100
MAX_PHONE = 50
MAX_EMAIL = 200


def contact_row(c: Contact) -> ContactRow:
    """The stored contact as a row."""
    return ContactRow(
        c.id, c.pupil_id, c.name, c.relationship, c.phone, c.email, c.may_collect, c.verified
    )


def mark_school_record(c: Contact, at: datetime) -> None:
    """Mark a contact as the school's record, as the MIS import does: verified, with no
    manager named (the MIS vouches for it); ``at`` is the import's time (UTC). Changes the
    ORM object only; the caller's transaction stores it. Never raises."""
    c.verified, c.verified_by, c.verified_at = True, None, at


def _unverify(c: Contact) -> None:
    c.verified, c.verified_by, c.verified_at = False, None, None


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


def contact_state(c: Contact) -> dict[str, Any]:
    """The contact's fields by name, as the audit log records them."""
    return {
        "pupil_id": c.pupil_id,
        "name": c.name,
        "relationship": c.relationship,
        "phone": c.phone,
        "email": c.email,
        "may_collect": c.may_collect,
        "verified": bool(c.verified),
    }


def contacts_for(ctx: KioskContext, pupil_id: int) -> list[ContactRow]:
    """The pupil's contacts, those who may collect first, then in the order added.

    Empty for a pupil with none or an unknown pupil; never raises for either.
    """
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
    """Add a parent or carer to a pupil's contacts; returns the stored contact, unverified
    (a manager confirms it with :func:`verify_contact`). Names and
    numbers are cleaned as one line each (:func:`kiosk.text.clean_line`). Raises
    :class:`NotAllowed` for an actor who is not staff, :class:`InvalidInput` for a missing
    name or text over its limit, :class:`NotFound` for an unknown pupil."""
    name = _clean(name, MAX_NAME, "name", required="Enter the parent or carer's name.")
    relationship = _clean(relationship, MAX_RELATIONSHIP, "relationship")
    phone = _clean(phone, MAX_PHONE, "phone number")
    email = _clean(email, MAX_EMAIL, "email address")
    with ctx.db.write() as s:
        acting.require_staff(s, actor, "Sign in at the desk to change a pupil's contacts.")
        if s.get(Pupil, pupil_id) is None:
            raise NotFound("No such pupil.")
        contact = Contact(
            pupil_id=pupil_id,
            name=name,
            relationship=relationship,
            phone=phone,
            email=email,
            may_collect=may_collect,
            # Typed in at the desk: not the school's record until a manager confirms it.
            verified=False,
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
            after=contact_state(contact),
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
    """Change a contact's details; returns the stored contact. A new name, or "may collect"
    turned on, makes it unverified until a manager confirms it again. Cleaned and refused as
    :func:`add_contact` (:class:`NotAllowed`, :class:`InvalidInput`); :class:`NotFound` for
    an unknown contact."""
    name = _clean(name, MAX_NAME, "name", required="Enter the parent or carer's name.")
    relationship = _clean(relationship, MAX_RELATIONSHIP, "relationship")
    phone = _clean(phone, MAX_PHONE, "phone number")
    email = _clean(email, MAX_EMAIL, "email address")
    with ctx.db.write() as s:
        acting.require_staff(s, actor, "Sign in at the desk to change a pupil's contacts.")
        contact = s.get(Contact, contact_id)
        if contact is None:
            raise NotFound("That contact is no longer on file.")
        before = contact_state(contact)
        # A new name, or "may collect" turned on, is a new decision about who may take a
        # device away: it waits for a manager again (otherwise renaming the mother to the
        # stranger at the door would pass the release check).
        if not same_name(contact.name, name) or (may_collect and not contact.may_collect):
            _unverify(contact)
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
            after=contact_state(contact),
        )
        return contact_row(contact)


def remove_contact(ctx: KioskContext, actor: Actor, contact_id: int) -> None:
    """Remove a contact. Past releases keep the collector's name as it was signed for.

    Raises :class:`NotAllowed` for an actor who is not staff, :class:`NotFound` for a
    contact no longer on file.
    """
    with ctx.db.write() as s:
        acting.require_staff(s, actor, "Sign in at the desk to change a pupil's contacts.")
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
            before=contact_state(contact),
        )
        s.delete(contact)


def verify_contact(
    ctx: KioskContext, actor: Actor, contact_id: int, manager_pin: str
) -> ContactRow:
    """A manager confirms, with their PIN, a contact added or allowed to collect at the desk:
    from now on it is the school's record and can collect without an override.

    ``actor`` is who is signed in at the desk; ``manager_pin`` is typed by the manager who
    confirms (the audit entry names them). Returns the contact, verified. Confirming a
    contact already verified records the manager again. Raises :class:`NotAllowed` for an
    actor who is not staff or a PIN that is not an active manager's, :class:`NotFound` for a
    contact no longer on file. The rule is the school's: contacts from the MIS are its
    record, and anyone else who may collect a confiscated device is confirmed by a manager.
    """
    refusal = "Sign in at the desk to change a pupil's contacts."
    with ctx.db.read() as s:  # nobody but signed-in staff may try managers' PINs
        acting.require_staff(s, actor, refusal)
    # Checked before the write transaction opens, so a PIN check never holds the database.
    try:
        manager = verify_manager_pin(ctx, manager_pin, actor=actor)
    except KioskError:
        raise NotAllowed(
            "That is not a manager's PIN; the contact is still waiting to be confirmed."
        ) from None
    with ctx.db.write() as s:
        acting.require_staff(s, actor, refusal)
        contact = s.get(Contact, contact_id)
        if contact is None:
            raise NotFound("That contact is no longer on file.")
        before, now = contact_state(contact), ctx.clock()
        contact.verified, contact.verified_by, contact.verified_at = True, manager.staff_id, now
        audit.record(
            s,
            at=now,
            actor=actor,
            action="verify",
            entity="contact",
            entity_id=contact.id,
            before=before,
            after=contact_state(contact)
            | {"confirmed_by": manager.name, "confirmed_by_staff_id": manager.staff_id},
        )
        return contact_row(contact)
