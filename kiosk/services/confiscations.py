"""Confiscated devices: taken in, held with a chain of custody, escalated to the DSL or the
police, searched with consent, and released only to the right person, with a signature.

Every movement of a device is a :class:`ConfiscationEvent` written in the same transaction
as its audit entry, so the chain can always answer "who had it, when, and where?".
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.clock import say_when
from kiosk.errors import InvalidInput, KioskError, NotAllowed, NotFound, PinLocked
from kiosk.persistence.models import (
    Confiscation,
    ConfiscationEvent,
    ConfiscationRelease,
    ConfiscationSetting,
    Contact,
    Pupil,
    Staff,
)
from kiosk.rows.confiscations import (
    OVERRIDES,
    REASONS,
    ConfiscationRow,
    CustodyEventRow,
    ReleaseCheck,
    ReleaseRow,
)
from kiosk.rows.people import Actor
from kiosk.services import acting, audit
from kiosk.services.alerts import alerts_matching
from kiosk.services.calendar import school_calendar_in
from kiosk.services.contacts import same_name
from kiosk.services.pupils import pupil_row
from kiosk.services.staff import verify_manager_pin
from kiosk.signatures import check_signature_png
from kiosk.text import clean_line, clean_note

if TYPE_CHECKING:
    from kiosk.context import KioskContext

STORAGE_PLACES = ("Safe", "Office")
RELEASE_TO = {"parent": "A parent or carer only", "pupil": "The pupil, at the end of the day"}

MAX_DEVICE, MAX_PLACE, MAX_BAG, MAX_NOTE = 200, 100, 50, 2000


class OverrideNeeded(NotAllowed):
    """A release rule stands in the way (alert list, not a verified contact, photo ID not
    checked): a manager must agree, with their PIN and a reason. ``check`` says which."""

    def __init__(self, message: str, check: ReleaseCheck) -> None:
        super().__init__(message)
        self.check = check


# --- rows ----------------------------------------------------------------------------------


# --- helpers -------------------------------------------------------------------------------


def _text(value: str, limit: int, what: str, *, required: str | None = None) -> str:
    """One line of typed text; see :func:`kiosk.text.clean_line`."""
    return clean_line(
        value,
        limit=limit,
        too_long=f"The {what} is too long ({{limit:,}} characters at most).",
        required=required,
    )


def _note(value: str, *, required: str | None = None) -> str:
    """A note of up to MAX_NOTE characters; see :func:`kiosk.text.clean_note`."""
    return clean_note(
        value,
        limit=MAX_NOTE,
        too_long="Keep the note under {limit:,} characters.",
        required=required,
    )


def _names(s: Session) -> dict[int, str]:
    return {staff_id: name for staff_id, name in s.execute(select(Staff.id, Staff.name))}


def _load(s: Session, confiscation_id: int) -> Confiscation:
    # Locked on PostgreSQL: a second desk acting on the same device waits, then sees the
    # first desk's change (for example, that it was already released).
    confiscation = s.get(Confiscation, confiscation_id, with_for_update=True)
    if confiscation is None:
        raise NotFound("No such confiscation.")
    return confiscation


def _row(s: Session, c: Confiscation, names: dict[int, str] | None = None) -> ConfiscationRow:
    names = names if names is not None else _names(s)
    pupil = s.get(Pupil, c.pupil_id)
    assert pupil is not None
    events = tuple(
        CustodyEventRow(
            e.id,
            e.at,
            e.kind,
            e.staff_name,
            e.location,
            e.detail,
            e.officer_name,
            e.officer_reference,
        )
        for e in s.scalars(
            select(ConfiscationEvent)
            .where(ConfiscationEvent.confiscation_id == c.id)
            .order_by(ConfiscationEvent.at, ConfiscationEvent.id)
        )
    )
    release = s.scalar(
        select(ConfiscationRelease).where(ConfiscationRelease.confiscation_id == c.id)
    )
    release_row = None
    if release is not None:
        release_row = ReleaseRow(
            released_at=release.released_at,
            released_by=names.get(release.released_by or 0, ""),
            to_pupil=release.to_pupil,
            collector_name=release.collector_name,
            relationship=release.relationship,
            id_checked=release.id_checked,
            listed_contact=release.contact_id is not None,
            override_by=names.get(release.override_by or 0, ""),
            override_reason=release.override_reason,
            signature_png=release.signature_png,
        )
    return ConfiscationRow(
        id=c.id,
        pupil=pupil_row(pupil),
        device=c.device,
        reason=c.reason,
        note=c.note,
        confiscated_by=names.get(c.confiscated_by, ""),
        recorded_by=names.get(c.recorded_by or 0, ""),
        taken_at=c.taken_at,
        location=c.location,
        bag_number=c.bag_number,
        status=c.status,
        events=events,
        release=release_row,
    )


def _event(
    s: Session,
    c: Confiscation,
    actor: Actor,
    at: datetime,
    kind: str,
    *,
    detail: str = "",
    location: str | None = None,
    officer_name: str = "",
    officer_reference: str = "",
) -> None:
    s.add(
        ConfiscationEvent(
            confiscation_id=c.id,
            at=at,
            kind=kind,
            staff_id=actor.staff_id,
            staff_name=actor.name,
            location=c.location if location is None else location,
            detail=detail,
            officer_name=officer_name,
            officer_reference=officer_reference,
        )
    )


def _state(c: Confiscation) -> dict[str, Any]:
    return {"status": c.status, "location": c.location, "bag_number": c.bag_number}


def _audit(
    s: Session,
    ctx: KioskContext,
    actor: Actor,
    at: datetime,
    action: str,
    c: Confiscation,
    before: dict[str, Any] | None,
    extra: dict[str, Any] | None = None,
) -> None:
    audit.record(
        s,
        at=at,
        actor=actor,
        action=action,
        entity="confiscation",
        entity_id=c.id,
        before=before,
        after=_state(c) | (extra or {}),
    )


def _refuse_if_closed(c: Confiscation) -> None:
    if c.status == "released":
        raise InvalidInput("This device has already been released; nothing was changed.")
    if c.status == "police":
        raise InvalidInput(
            "This device is with the police. Record its return before anything else."
        )


def _refuse_dsl_unless_manager(s: Session, c: Confiscation, actor: Actor, doing: str) -> None:
    """A device held for the DSL is moved or released by a manager only (role as stored)."""
    if c.status == "dsl":
        acting.require_manager(
            s,
            actor,
            f"This device is held for the DSL: only a manager can {doing}. Nothing was changed.",
        )


def _today(ctx: KioskContext) -> date:
    return ctx.clock().astimezone(ctx.timezone).date()


# --- settings ------------------------------------------------------------------------------


def release_setting(ctx: KioskContext) -> str:
    """ "parent" (the default) or "pupil": to whom confiscated devices are released.

    "parent" until a manager changes it: the school's policy returns confiscated phones to
    a parent or carer, and releasing to the pupil is the school's choice. Never raises.
    """
    with ctx.db.read() as s:
        setting = s.get(ConfiscationSetting, 1)
        return setting.release_to if setting is not None else "parent"


def set_release_setting(ctx: KioskContext, actor: Actor, release_to: str) -> str:
    """Set who confiscated devices go back to: "parent" (a parent or carer only) or
    "pupil" (the pupil, at the end of the day); returns the new setting. Managers only:
    raises :class:`NotAllowed` for anyone else, :class:`InvalidInput` for another value."""
    if release_to not in RELEASE_TO:
        raise InvalidInput("Choose a parent or carer only, or the pupil.")
    with ctx.db.write() as s:
        acting.require_manager(
            s, actor, "Only a manager can change who confiscated devices go back to."
        )
        setting = s.get(ConfiscationSetting, 1)
        before = setting.release_to if setting is not None else "parent"
        if setting is None:
            s.add(ConfiscationSetting(id=1, release_to=release_to))
        else:
            setting.release_to = release_to
        audit.record(
            s,
            at=ctx.clock(),
            actor=actor,
            action="update",
            entity="confiscation_setting",
            entity_id=1,
            before={"release_to": before},
            after={"release_to": release_to},
        )
    return release_to


# --- taking a device in --------------------------------------------------------------------


def confiscate(
    ctx: KioskContext,
    actor: Actor,
    pupil_id: int,
    *,
    device: str,
    reason: str,
    confiscated_by: int,
    location: str,
    bag_number: str = "",
    note: str = "",
    taken_at: datetime | None = None,
) -> ConfiscationRow:
    """Record a device a member of staff has brought to the office; returns it as held.

    ``reason`` is a key of :data:`kiosk.rows.confiscations.REASONS` ("other" needs a
    note); ``confiscated_by`` is an active member of staff's id; ``taken_at`` is an aware
    time (stored in UTC; default now). The first chain-of-custody entry is written with it.

    Raises :class:`NotAllowed` for an actor who is not staff; :class:`InvalidInput` for a
    missing device, place or required note, text over its limit, an unknown reason, a
    naive or future ``taken_at``, or a member of staff not on the list; :class:`NotFound`
    for a pupil not on roll.
    """
    device = _text(device, MAX_DEVICE, "device description", required="Describe the device.")
    if reason not in REASONS:
        raise InvalidInput("Choose why the device was confiscated.")
    note = _note(note, required="Say what happened in the note." if reason == "other" else None)
    location = _text(location, MAX_PLACE, "storage place", required="Say where it is stored.")
    bag_number = _text(bag_number, MAX_BAG, "bag number")
    now = ctx.clock()
    taken_at = taken_at or now
    if taken_at.tzinfo is None:
        raise InvalidInput("Give the time with its time zone.")
    if taken_at > now:
        raise InvalidInput("The time it was confiscated cannot be in the future.")
    with ctx.db.write() as s:
        acting.require_staff(s, actor, "Sign in at the desk first.")
        pupil = s.get(Pupil, pupil_id)
        if pupil is None or pupil.status != "on_roll":
            raise NotFound("That pupil is not on roll.")
        staff = s.get(Staff, confiscated_by)
        if staff is None or not staff.active:
            raise InvalidInput("Choose the member of staff who confiscated it from the list.")
        c = Confiscation(
            pupil_id=pupil_id,
            device=device,
            reason=reason,
            note=note,
            confiscated_by=staff.id,
            taken_at=taken_at,
            recorded_by=actor.staff_id,
            location=location,
            bag_number=bag_number,
            status="held",
        )
        s.add(c)
        s.flush()
        detail = f"Confiscated by {staff.name}: {REASONS[reason]}"
        _event(s, c, actor, taken_at, "taken_in", detail=detail + (f". {note}" if note else ""))
        _audit(
            s,
            ctx,
            actor,
            now,
            "confiscate",
            c,
            None,
            {
                "pupil": pupil.identifier,
                "device": device,
                "reason": reason,
                "note": note,
                "confiscated_by": staff.name,
                "taken_at": taken_at,
            },
        )
        s.flush()
        return _row(s, c)


# --- moving it on --------------------------------------------------------------------------


def hold_for_dsl(
    ctx: KioskContext, actor: Actor, confiscation_id: int, *, concern: str, location: str = ""
) -> ConfiscationRow:
    """A concern about the content: from now on only a manager can release or move it.

    The device's status becomes "dsl" and the ``concern`` (required) goes into the chain of
    custody; a ``location`` given moves it too. Returns the device as it now is. Raises
    :class:`NotAllowed` for an actor who is not staff, :class:`InvalidInput` for a missing
    concern, text over its limit, or a device already held for the DSL, released or with
    the police, :class:`NotFound` for an unknown device.
    """
    concern = _note(concern, required="Say briefly what the concern is.")
    location = _text(location, MAX_PLACE, "storage place")
    with ctx.db.write() as s:
        acting.require_staff(s, actor, "Sign in at the desk first.")
        c = _load(s, confiscation_id)
        _refuse_if_closed(c)
        if c.status == "dsl":
            raise InvalidInput("This device is already held for the DSL.")
        before, now = _state(c), ctx.clock()
        c.status = "dsl"
        if location:
            c.location = location
        _event(s, c, actor, now, "held_for_dsl", detail=concern)
        _audit(s, ctx, actor, now, "hold_for_dsl", c, before, {"concern": concern})
        s.flush()
        return _row(s, c)


def move_device(
    ctx: KioskContext,
    actor: Actor,
    confiscation_id: int,
    *,
    location: str,
    bag_number: str | None = None,
    note: str = "",
) -> ConfiscationRow:
    """Move a held device to ``location`` (and a new bag, when ``bag_number`` is given),
    recorded in its chain of custody; returns the device as it now is. Raises
    :class:`NotAllowed` for an actor who is not staff, :class:`InvalidInput` for a missing
    place, text over its limit or a device already released, :class:`NotFound` for an
    unknown device."""
    location = _text(location, MAX_PLACE, "storage place", required="Say where it is now.")
    bag = None if bag_number is None else _text(bag_number, MAX_BAG, "bag number")
    note = _note(note)
    with ctx.db.write() as s:
        acting.require_staff(s, actor, "Sign in at the desk first.")
        c = _load(s, confiscation_id)
        _refuse_if_closed(c)
        _refuse_dsl_unless_manager(s, c, actor, "move it")
        before, now = _state(c), ctx.clock()
        c.location = location
        if bag is not None:
            c.bag_number = bag
        detail = f"Moved from {before['location']} to {location}"
        if bag is not None and bag != before["bag_number"]:
            detail += f"; bag {bag or 'none'}"
        _event(s, c, actor, now, "moved", detail=detail + (f". {note}" if note else ""))
        _audit(s, ctx, actor, now, "move", c, before, {"note": note})
        s.flush()
        return _row(s, c)


def hand_to_police(
    ctx: KioskContext,
    actor: Actor,
    confiscation_id: int,
    *,
    officer_name: str,
    reference: str,
    note: str = "",
) -> ConfiscationRow:
    """Hand the device to a police officer (manager only): their name and collar number
    or crime reference are recorded.

    Returns the device with status "police"; until :func:`returned_by_police` nothing else
    can be done with it. Raises :class:`NotAllowed` unless ``actor`` is a manager,
    :class:`InvalidInput` for a missing name or reference, text over its limit, or a device
    already released or with the police, :class:`NotFound` for an unknown device.
    """
    officer_name = _text(officer_name, 200, "officer's name", required="Enter the officer's name.")
    reference = _text(
        reference, 100, "reference", required="Enter the collar number or crime reference."
    )
    note = _note(note)
    with ctx.db.write() as s:
        acting.require_manager(s, actor, "Only a manager can hand a device to the police.")
        c = _load(s, confiscation_id)
        _refuse_if_closed(c)
        before, now = _state(c), ctx.clock()
        c.status = "police"
        _event(
            s,
            c,
            actor,
            now,
            "police",
            detail=note,
            location="Police",
            officer_name=officer_name,
            officer_reference=reference,
        )
        _audit(
            s,
            ctx,
            actor,
            now,
            "hand_to_police",
            c,
            before,
            {"officer": officer_name, "reference": reference, "note": note},
        )
        s.flush()
        return _row(s, c)


def returned_by_police(
    ctx: KioskContext,
    actor: Actor,
    confiscation_id: int,
    *,
    officer_name: str,
    location: str,
    reference: str = "",
    note: str = "",
) -> ConfiscationRow:
    """The police brought the device back: it is held for the DSL again (manager only).

    Returns the device with status "dsl" at ``location``. Raises :class:`NotAllowed`
    unless ``actor`` is a manager, :class:`InvalidInput` for a missing name or place, text
    over its limit, or a device that is not with the police, :class:`NotFound` for an
    unknown device.
    """
    officer_name = _text(officer_name, 200, "officer's name", required="Enter the officer's name.")
    reference = _text(reference, 100, "reference")
    location = _text(location, MAX_PLACE, "storage place", required="Say where it is stored.")
    note = _note(note)
    with ctx.db.write() as s:
        acting.require_manager(s, actor, "Only a manager can take a device back from the police.")
        c = _load(s, confiscation_id)
        if c.status != "police":
            raise InvalidInput("This device is not with the police.")
        before, now = _state(c), ctx.clock()
        c.status, c.location = "dsl", location
        _event(
            s,
            c,
            actor,
            now,
            "police_return",
            detail=note,
            officer_name=officer_name,
            officer_reference=reference,
        )
        _audit(
            s,
            ctx,
            actor,
            now,
            "returned_by_police",
            c,
            before,
            {"officer": officer_name, "reference": reference, "note": note},
        )
        s.flush()
        return _row(s, c)


def record_search(
    ctx: KioskContext,
    actor: Actor,
    confiscation_id: int,
    *,
    pupil_consented: bool,
    searched_by: str,
    note: str = "",
) -> ConfiscationRow:
    """A search of the device by the leadership team, which needs the pupil's consent.

    Recorded in the chain of custody; returns the device. Raises :class:`NotAllowed`
    unless ``actor`` is a manager, :class:`InvalidInput` without the pupil's consent, for a
    missing ``searched_by``, text over its limit, or a device released or with the police,
    :class:`NotFound` for an unknown device.
    """
    if not pupil_consented:
        raise InvalidInput(
            "A device is searched only with the pupil's consent. Nothing was recorded."
        )
    searched_by = _text(searched_by, 200, "name", required="Say who searched the device.")
    note = _note(note)
    with ctx.db.write() as s:
        acting.require_manager(s, actor, "Only a manager can record a search of a device.")
        c = _load(s, confiscation_id)
        _refuse_if_closed(c)
        before, now = _state(c), ctx.clock()
        detail = f"Searched by {searched_by}, with the pupil's consent" + (
            f". {note}" if note else ""
        )
        _event(s, c, actor, now, "searched", detail=detail)
        _audit(s, ctx, actor, now, "search", c, before, {"searched_by": searched_by, "note": note})
        s.flush()
        return _row(s, c)


def record_content_deleted(
    ctx: KioskContext, actor: Actor, confiscation_id: int, *, what: str
) -> ConfiscationRow:
    """Content the pupil agreed to delete, after a search with their consent.

    Recorded in the chain of custody; returns the device. Raises :class:`NotAllowed`
    unless ``actor`` is a manager, :class:`InvalidInput` for an empty ``what``, a device
    with no search on record, released or with the police, :class:`NotFound` for an
    unknown device.
    """
    what = _note(what, required="Say what was deleted.")
    with ctx.db.write() as s:
        acting.require_manager(s, actor, "Only a manager can record deleted content.")
        c = _load(s, confiscation_id)
        _refuse_if_closed(c)
        searched = s.scalar(
            select(func.count())
            .select_from(ConfiscationEvent)
            .where(ConfiscationEvent.confiscation_id == c.id, ConfiscationEvent.kind == "searched")
        )
        if not searched:
            raise InvalidInput(
                "Record the search with the pupil's consent first; nothing was changed."
            )
        before, now = _state(c), ctx.clock()
        _event(s, c, actor, now, "content_deleted", detail=what)
        _audit(s, ctx, actor, now, "content_deleted", c, before, {"what": what})
        s.flush()
        return _row(s, c)


# --- release -------------------------------------------------------------------------------


def listed_collector(
    ctx: KioskContext, pupil_id: int, collector_name: str, contact_id: int | None = None
) -> Contact | None:
    """The pupil's contact who may collect, chosen by id or matched by name (or None).

    With ``contact_id`` that contact, or None when they may not collect or
    ``collector_name`` is given and is not their name; without it, the contact who may
    collect whose name is the same as ``collector_name`` (spacing and case aside), a
    verified one first. The contact may still be unverified (see ``Contact.verified``).
    Returns the stored ``Contact``. Raises :class:`NotFound` for a ``contact_id`` not on
    file for this pupil.
    """
    with ctx.db.read() as s:
        return _listed_collector(s, pupil_id, collector_name, contact_id)


def _listed_collector(
    s: Session, pupil_id: int, collector_name: str, contact_id: int | None
) -> Contact | None:
    if contact_id is not None:
        contact = s.get(Contact, contact_id)
        if contact is None or contact.pupil_id != pupil_id:
            raise NotFound("That contact is not on file for this pupil.")
        # Choosing the mother from the list and typing someone else's name is not the
        # mother collecting.
        if collector_name.strip() and not same_name(contact.name, collector_name):
            return None
        return contact if contact.may_collect else None
    for contact in s.scalars(
        select(Contact)
        .where(Contact.pupil_id == pupil_id, Contact.may_collect)
        .order_by(Contact.verified.desc(), Contact.id)
    ):
        if same_name(contact.name, collector_name):
            return contact
    return None


def _release_check(
    s: Session,
    pupil: Pupil,
    collector_name: str,
    contact_id: int | None,
    *,
    to_pupil: bool,
    id_checked: bool,
) -> tuple[ReleaseCheck, Contact | None]:
    """The rules a release to ``collector_name`` meets, read in the caller's transaction;
    returns the check and the pupil's contact the collector is (or None)."""
    if to_pupil:
        # The pupil is known to the school and the setting allows it: nothing to override.
        return ReleaseCheck((), (), None, False, None, ""), None
    contact = _listed_collector(s, pupil.id, collector_name, contact_id)
    name = contact.name if contact is not None and not collector_name.strip() else collector_name
    needs: list[str] = []
    warnings: list[str] = []
    alerts = alerts_matching(s, name)
    if alerts:
        alert = alerts[0]
        needs.append("alert")
        note = f" The alert says: {alert.note}" if alert.note else ""
        warnings.append(
            f"{name} matches {alert.name} on the alert list. Do not hand the device over." + note
        )
    if contact is None:
        needs.append("not_listed")
        warnings.append(
            f"{name} is not listed as a parent or carer who may collect for "
            f"{pupil_row(pupil).name}."
        )
    elif not contact.verified:
        needs.append("unverified_contact")
        warnings.append(
            f"{contact.name} was added or allowed to collect at the desk, and no manager has "
            "confirmed them yet."
        )
    if not id_checked:
        needs.append("id_not_checked")
        warnings.append("Photo ID has not been checked.")
    check = ReleaseCheck(
        needs=tuple(needs),
        warnings=tuple(warnings),
        contact_id=contact.id if contact is not None else None,
        listed_contact=contact is not None and contact.verified,
        alert_id=alerts[0].id if alerts else None,
        alert_note=alerts[0].note if alerts else "",
    )
    return check, contact


def release_check(
    ctx: KioskContext,
    actor: Actor,
    confiscation_id: int,
    *,
    collector_name: str,
    contact_id: int | None = None,
    to_pupil: bool = False,
    id_checked: bool = False,
) -> ReleaseCheck:
    """What a release to this collector would need, before anyone clicks: the same rules
    :func:`release_device` enforces, so the desk can warn in advance.

    Takes what the release form holds; returns a :class:`ReleaseCheck` (empty ``needs``:
    the release goes through without a manager). Changes nothing. Raises
    :class:`NotAllowed` for an actor who is not staff, :class:`NotFound` for an unknown
    device or a contact not on file for its pupil.
    """
    with ctx.db.read() as s:
        acting.require_staff(s, actor, "Sign in at the desk first.")
        c = s.get(Confiscation, confiscation_id)
        if c is None:
            raise NotFound("No such confiscation.")
        pupil = s.get(Pupil, c.pupil_id)
        assert pupil is not None
        check, _ = _release_check(
            s,
            pupil,
            clean_line(collector_name),
            contact_id,
            to_pupil=to_pupil,
            id_checked=id_checked,
        )
        return check


def release_device(
    ctx: KioskContext,
    actor: Actor,
    confiscation_id: int,
    *,
    collector_name: str,
    signature_png: bytes,
    relationship: str = "",
    contact_id: int | None = None,
    to_pupil: bool = False,
    id_checked: bool = False,
    override_pin: str | None = None,
    override_reason: str = "",
) -> ConfiscationRow:
    """Hand a confiscated device back, with the collector's signature.

    Refused, changing nothing: without a signature; a device held for the DSL by anyone
    but a manager; a device with the police or already released; to the pupil when the
    school releases only to parents and carers. A manager's PIN (``override_pin``) and an
    ``override_reason`` are needed (:class:`OverrideNeeded` names each rule) when the
    collector is on the alert list, is not a listed contact who may collect, is a contact
    added or allowed to collect at the desk and not yet confirmed by a manager, or when
    ``id_checked`` is False. These rules hold whatever the caller passes: a manager signed
    in at the desk still gives their PIN. A release to the pupil needs none of them.

    ``signature_png`` is the PNG bytes of the signature; ``contact_id`` picks a listed
    contact (then ``collector_name`` is empty or their name), else ``collector_name`` is
    matched by name; ``to_pupil`` releases to the pupil (only when :func:`release_setting`
    is "pupil"). Returns the device, released now (UTC). The audit entry records the
    collector, relationship, whether they are a verified contact, ID checked, the alert
    matched and each override (which rule, who, why).

    Raises :class:`NotAllowed` for an actor who is not staff, a device held for the DSL
    and a receptionist, a release to the pupil the setting forbids, or a wrong manager's
    PIN; :class:`OverrideNeeded` (a :class:`NotAllowed`) when a manager's PIN is needed;
    :class:`InvalidInput` for a missing signature, one that is only a dot or a tiny mark
    (:mod:`kiosk.signatures`) or a missing name, an override without a reason,
    text over its limit, or a device already released or with the police;
    :class:`NotFound` for an unknown device or contact. The rules (release to a parent or
    carer, check ID, refuse the alert list) are the school's mobile-phone and safeguarding
    policies on returning confiscated devices.
    """
    check_signature_png(
        signature_png, missing="Ask the person collecting the device to sign first."
    )
    override_reason = _note(override_reason)
    # A manager's PIN is checked (a wrong one counted towards their lock) in its own
    # transaction first: this one rolls back when the release is refused, the count must not.
    pin_check: Actor | KioskError | None = None
    with ctx.db.read() as s:  # nobody but signed-in staff may try managers' PINs
        acting.require_staff(s, actor, "Sign in at the desk first.")
    if override_pin:
        try:
            pin_check = verify_manager_pin(ctx, override_pin, actor=actor)
        except KioskError as refused:
            pin_check = refused
    with ctx.db.write() as s:
        acting.require_staff(s, actor, "Sign in at the desk first.")
        c = _load(s, confiscation_id)
        if c.status == "released":
            release = s.scalar(
                select(ConfiscationRelease).where(ConfiscationRelease.confiscation_id == c.id)
            )
            when = ""
            if release is not None:
                said = say_when(release.released_at, ctx.clock(), ctx.timezone)
                when = f" to {release.collector_name} {said}"
            raise InvalidInput(f"This device was already released{when}; nothing was changed.")
        _refuse_if_closed(c)
        _refuse_dsl_unless_manager(s, c, actor, "release it")
        pupil = s.get(Pupil, c.pupil_id)
        assert pupil is not None
        if to_pupil:
            setting = s.get(ConfiscationSetting, 1)
            if (setting.release_to if setting is not None else "parent") != "pupil":
                raise NotAllowed(
                    "This school releases confiscated devices only to a parent or carer. "
                    "A manager can change that in the Confiscations settings."
                )
            collector_name, relationship = pupil_row(pupil).name, "Pupil"
        else:
            collector_name = _text(collector_name, 200, "name")
            relationship = _text(relationship, 100, "relationship")
        check, contact = _release_check(
            s, pupil, collector_name, contact_id, to_pupil=to_pupil, id_checked=id_checked
        )
        if not to_pupil:
            if contact is not None and not collector_name:
                collector_name = contact.name
            if not collector_name:
                raise InvalidInput("Enter the name of the person collecting.")
            if contact is not None:
                relationship = relationship or contact.relationship
        if check.needs_manager:
            # The school has no separate DSL role yet: a manager's PIN stands for the DSL's
            # decision, on the alert list as on the other rules.
            warning = " ".join(check.warnings)
            if pin_check is None:
                raise OverrideNeeded(
                    warning + " A manager's PIN is needed to release the device to them.",
                    check,
                )
            if isinstance(pin_check, PinLocked):
                raise NotAllowed(f"{warning} {pin_check.message} Nothing was changed.")
            if not isinstance(pin_check, Actor):
                raise NotAllowed(warning + " That is not a manager's PIN; nothing was changed.")
            overrider: Actor | None = pin_check
            if not override_reason:
                raise InvalidInput(
                    "Say why the manager allows this release: the reason is recorded. "
                    "Nothing was changed."
                )
        else:
            overrider = None  # nothing was overridden, so nobody is recorded as allowing it
        overrides = [
            {
                "rule": rule,
                "by": overrider.name,
                "by_staff_id": overrider.staff_id,
                "reason": override_reason,
            }
            for rule in check.needs
            if overrider is not None
        ]
        before, now = _state(c), ctx.clock()
        c.status = "released"
        s.add(
            ConfiscationRelease(
                confiscation_id=c.id,
                released_at=now,
                released_by=actor.staff_id,
                to_pupil=to_pupil,
                # Only the school's record counts as a listed contact on the release.
                contact_id=check.contact_id if check.listed_contact else None,
                collector_name=collector_name,
                relationship=relationship,
                id_checked=id_checked,
                signature_png=signature_png,
                override_by=overrider.staff_id if overrider is not None else None,
                override_reason=override_reason if overrider is not None else "",
            )
        )
        parts = [f"Released to {collector_name}" + (f" ({relationship})" if relationship else "")]
        parts.append("ID checked" if id_checked else "ID not checked")
        if check.listed_contact:
            parts.append("listed contact")
        if overrider is not None:
            parts.append(
                " and ".join(OVERRIDES[rule] for rule in check.needs)
                + f": released on {overrider.name}'s authority ({override_reason})"
            )
        parts.append("signed")
        _event(s, c, actor, now, "released", detail="; ".join(parts))
        _audit(
            s,
            ctx,
            actor,
            now,
            "release",
            c,
            before,
            {
                "collector": collector_name,
                "relationship": relationship,
                "to_pupil": to_pupil,
                "id_checked": id_checked,
                "listed_contact": check.listed_contact,
                "contact_id": check.contact_id,
                "alert_id": check.alert_id,
                "overrides": overrides,
                "override_by": overrider.name if overrider is not None else None,
                "override_reason": override_reason if overrider is not None else None,
                "signature_bytes": len(signature_png),
            },
        )
        s.flush()
        return _row(s, c)


# --- reading -------------------------------------------------------------------------------


def get_confiscation(ctx: KioskContext, confiscation_id: int) -> ConfiscationRow:
    """One confiscation with its whole chain of custody and its release.

    Raises :class:`NotFound` when no confiscation has this id.
    """
    with ctx.db.read() as s:
        return _row(s, _load(s, confiscation_id))


def open_confiscations(ctx: KioskContext) -> list[ConfiscationRow]:
    """Every device not yet released (held, for the DSL or with the police), oldest first.

    Ordered by when it was taken in, then by id.
    """
    with ctx.db.read() as s:
        names = _names(s)
        return [
            _row(s, c, names)
            for c in s.scalars(
                select(Confiscation)
                .where(Confiscation.status != "released")
                .order_by(Confiscation.taken_at, Confiscation.id)
            )
        ]


def confiscations_for_pupil(ctx: KioskContext, pupil_id: int) -> list[ConfiscationRow]:
    """The pupil's confiscations, newest first (by when taken in); empty for an unknown pupil."""
    with ctx.db.read() as s:
        names = _names(s)
        return [
            _row(s, c, names)
            for c in s.scalars(
                select(Confiscation)
                .where(Confiscation.pupil_id == pupil_id)
                .order_by(Confiscation.taken_at.desc(), Confiscation.id.desc())
            )
        ]


def count_this_term(ctx: KioskContext, pupil_id: int) -> int:
    """How many devices were confiscated from the pupil since the start of this term.

    "This term" is the school's term dates, or the usual three terms when none are set
    (see :meth:`SchoolCalendar.term_start`), from midnight school time. Repeat
    confiscations lead to the sanctions of the school's behaviour policy.
    """
    today = _today(ctx)
    with ctx.db.read() as s:
        # The school's own term dates when it has set them; otherwise the usual three terms.
        term_start = school_calendar_in(s, ctx.timezone).term_start(today)
        start = datetime.combine(term_start, time(0), tzinfo=ctx.timezone)
        return (
            s.scalar(
                select(func.count())
                .select_from(Confiscation)
                .where(Confiscation.pupil_id == pupil_id, Confiscation.taken_at >= start)
            )
            or 0
        )


def due_for_release_today(ctx: KioskContext) -> list[ConfiscationRow]:
    """Devices held at the office (not for the DSL, not with the police) that go back at the
    end of today: everything taken in today or earlier and not yet released."""
    return [c for c in open_confiscations(ctx) if c.status == "held"]


def custody_events_between(
    ctx: KioskContext, start: date, end: date
) -> list[tuple[ConfiscationRow, CustodyEventRow]]:
    """Every chain-of-custody entry dated from ``start`` to ``end`` (school dates,
    inclusive, midnight to midnight school time), with its confiscation, in time order
    (then by entry id). Entry times are UTC."""
    since = datetime.combine(start, time(0), tzinfo=ctx.timezone)
    # The end date is inclusive: stop at the start of the day after it.
    until = datetime.combine(end + timedelta(days=1), time(0), tzinfo=ctx.timezone)
    with ctx.db.read() as s:
        names = _names(s)
        ids = list(
            s.scalars(
                select(ConfiscationEvent.confiscation_id)
                .where(ConfiscationEvent.at >= since, ConfiscationEvent.at < until)
                .distinct()
            )
        )
        rows = {i: _row(s, _load(s, i), names) for i in ids}
    found = [
        (row, event) for row in rows.values() for event in row.events if since <= event.at < until
    ]
    return sorted(found, key=lambda pair: (pair[1].at, pair[1].id))
