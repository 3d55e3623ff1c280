"""Who is acting, and what they may do: the one place the services check authority.

A service is handed an :class:`~kiosk.rows.people.Actor`, but it trusts only the staff id
in it, which came from a PIN sign-in (:func:`kiosk.services.staff.sign_in`). Inside the
service's own transaction :func:`require_staff` or :func:`require_manager` loads that
member of staff and reads their role from the database; the name and role the Actor
carries are what the desk shows, never authority. So an ``Actor(receptionist_id, name,
"manager")`` can do exactly what that receptionist can, and a member of staff who has
left (inactive), has no PIN (directory only) or is not on the staff table at all can do
nothing. The audit log names the actor from the same row (:func:`kiosk.services.audit.record`).

Three actors have no staff id. They are recognised by identity, as the very objects
defined in :mod:`kiosk.rows.people`; an Actor without a staff id built anywhere else —
``Actor(None, "x", "manager")``, or a copy of one of these — is nobody and is refused
everywhere.

- ``PUPIL_AT_KIOSK``: a pupil's own card at the kiosk face. The scan service records the
  hand-in or collection for it (:mod:`kiosk.services.custody`); no service that asks for
  staff or a manager accepts it.
- ``SYSTEM``: what the application does by itself — first-run set-up (the first manager
  and the school row), the scheduled retention purge of visitors' details, the outbox's
  bookkeeping (a message marked passed on once its email is sent) and the alert list's
  own maintenance. Only the services written for those accept it.
- ``COMMAND_LINE``: ``kiosk`` commands run by the school's IT technician on the server,
  who already holds the database file and the card key: naming the school, the MIS
  imports (pupils, contacts, staff directory) and the retention purge. The desk never
  uses it.

Roles are "receptionist" and "manager" (the staff table's check constraint). What needs a
manager follows the design's Trust section and the school's policies: settings, the
calendar, policy texts, the alert list, exports and retention, the DSL's side of a
confiscation, staff and PINs, and changing the fields that route another person's
messages (see :mod:`kiosk.services.directory`).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from kiosk.errors import NotAllowed
from kiosk.persistence.models import Staff
from kiosk.rows.people import COMMAND_LINE, PUPIL_AT_KIOSK, SYSTEM, Actor

STAFF_ROLES = ("receptionist", "manager")
"""The roles a member of staff may hold, as stored."""

NOT_SIGNED_IN = "Only staff signed in at the desk can do that."
NOT_A_MANAGER = "Only a manager can do that."


def stored_actor(s: Session, actor: Actor) -> Actor | None:
    """The actor as the database knows them, or None when they are nobody.

    For a member of staff (``actor.staff_id`` set): a new Actor with the stored name and
    role, when that person exists, is active and has a PIN; None otherwise. For the actors
    without a staff id: ``SYSTEM``, ``COMMAND_LINE`` and ``PUPIL_AT_KIOSK`` themselves
    (by identity), and None for any other. Reads inside the caller's transaction ``s``;
    never raises for a missing row.
    """
    if actor.staff_id is None:
        return (
            actor
            if any(actor is known for known in (SYSTEM, COMMAND_LINE, PUPIL_AT_KIOSK))
            else None
        )
    staff = s.get(Staff, actor.staff_id)
    # Held for the transaction, so the audit entry's look-up of the same row is not a
    # second query (the session keeps loaded rows only while something refers to them).
    s.info.setdefault("kiosk_acting_staff", []).append(staff)
    if staff is None or not staff.active or staff.pin_hash is None:
        return None
    if staff.role not in STAFF_ROLES:
        return None
    return Actor(staff.id, staff.name, staff.role)


def require_staff(
    s: Session,
    actor: Actor,
    refusal: str = NOT_SIGNED_IN,
    *,
    also: Iterable[Actor] = (),
) -> Actor:
    """The acting member of staff as stored (any role), for a desk action.

    ``also`` names the actors without a staff id this action accepts as well (``SYSTEM``,
    ``COMMAND_LINE``), compared by identity. Call it inside the service's own transaction
    ``s``, before anything is written. Returns the stored actor (name and role from the
    database). Raises :class:`NotAllowed` with ``refusal`` for anyone else: a pupil at the
    kiosk, a forged actor, a member of staff who has left, has no PIN or does not exist.
    """
    found = stored_actor(s, actor)
    if found is not None and (found.role in STAFF_ROLES or any(found is other for other in also)):
        return found
    raise NotAllowed(refusal)


def require_manager(
    s: Session,
    actor: Actor,
    refusal: str = NOT_A_MANAGER,
    *,
    also: Iterable[Actor] = (),
) -> Actor:
    """The acting manager as stored, for an action only a manager may take.

    The role is read from the staff table inside the caller's transaction ``s``; the role
    the Actor claims is ignored. ``also`` names the actors without a staff id this action
    accepts as well (``SYSTEM``, ``COMMAND_LINE``), compared by identity. Returns the
    stored actor. Raises :class:`NotAllowed` with ``refusal`` for a receptionist (whatever
    role their Actor claims), a pupil at the kiosk, a forged actor, and a manager who has
    left or has no PIN.
    """
    found = stored_actor(s, actor)
    if found is not None and (found.role == "manager" or any(found is other for other in also)):
        return found
    raise NotAllowed(refusal)


def is_manager(s: Session, actor: Actor) -> bool:
    """True when ``actor`` is an active manager with a PIN, read inside ``s``; for a rule
    that depends on the role without refusing (a receptionist is then asked for more, such
    as the person's own PIN). Never raises."""
    found = stored_actor(s, actor)
    return found is not None and found.role == "manager"
