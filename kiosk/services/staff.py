"""Staff, roles and PINs. PINs are stored only as argon2 hashes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from kiosk.errors import InvalidInput, NotAllowed, NotFound
from kiosk.persistence.models import Staff
from kiosk.rows.people import SYSTEM, Actor, StaffRow
from kiosk.services import audit
from kiosk.text import clean_line

if TYPE_CHECKING:
    from kiosk.context import KioskContext

ROLES = ("receptionist", "manager")
MIN_PIN, MAX_PIN = 4, 12
_hasher = PasswordHasher()


def _row(staff: Staff) -> StaffRow:
    return StaffRow(staff.id, staff.name, staff.role, staff.active, staff.pin_hash is not None)


def _check_pin(pin: str) -> None:
    if not (pin.isdigit() and pin.isascii() and MIN_PIN <= len(pin) <= MAX_PIN):
        raise InvalidInput(f"A PIN is {MIN_PIN} to {MAX_PIN} digits.")


def _check_name(name: str) -> str:
    return clean_line(
        name,
        limit=200,
        too_long="That name is too long ({limit} characters at most).",
        required="Enter the member of staff's name.",
    )


def needs_first_manager(ctx: KioskContext) -> bool:
    """True until someone has set up the first manager PIN (while no active manager has
    a PIN). Never raises for an empty database with the schema in place."""
    with ctx.db.read() as s:
        count = s.scalar(
            select(func.count())
            .select_from(Staff)
            .where(Staff.role == "manager", Staff.pin_hash.is_not(None), Staff.active)
        )
        return not count


def create_first_manager(ctx: KioskContext, name: str, pin: str) -> Actor:
    """First-run set-up: the first manager chooses a PIN. Refused once a manager exists.

    Returns the new manager as the actor to continue as; audited as done by the system.
    Raises :class:`InvalidInput` for an empty or over-long name (200 characters) or a PIN
    that is not 4 to 12 digits, and :class:`NotAllowed` when a manager with a PIN exists
    (active or not).
    """
    name = _check_name(name)
    _check_pin(pin)
    with ctx.db.write() as s:
        exists = s.scalar(
            select(func.count())
            .select_from(Staff)
            .where(Staff.role == "manager", Staff.pin_hash.is_not(None))
        )
        if exists:
            raise NotAllowed("A manager has already been set up; sign in with that PIN.")
        staff = Staff(name=name, role="manager", pin_hash=_hasher.hash(pin), active=True)
        s.add(staff)
        s.flush()
        audit.record(
            s,
            at=ctx.clock(),
            actor=SYSTEM,
            action="create",
            entity="staff",
            entity_id=staff.id,
            after={"name": name, "role": "manager", "first_run": True},
        )
        return Actor(staff.id, staff.name, staff.role)


def add_staff(ctx: KioskContext, actor: Actor, name: str, role: str, pin: str | None) -> StaffRow:
    """Add a member of staff (manager only). Without a PIN they cannot sign in.

    ``role`` is "receptionist" or "manager"; a PIN is 4 to 12 digits, stored only as an
    argon2 hash. Returns the new row; the change is audited (whether a PIN was set, never
    the PIN). Raises :class:`NotAllowed` when ``actor`` is not a manager and
    :class:`InvalidInput` for an empty or over-long name, an unknown role or a bad PIN.
    """
    if not actor.is_manager:
        raise NotAllowed("Only a manager can add staff.")
    name = _check_name(name)
    if role not in ROLES:
        raise InvalidInput("Choose a role: receptionist or manager.")
    if pin is not None:
        _check_pin(pin)
    with ctx.db.write() as s:
        staff = Staff(
            name=name, role=role, pin_hash=_hasher.hash(pin) if pin else None, active=True
        )
        s.add(staff)
        s.flush()
        audit.record(
            s,
            at=ctx.clock(),
            actor=actor,
            action="create",
            entity="staff",
            entity_id=staff.id,
            after={"name": name, "role": role, "pin_set": pin is not None},
        )
        return _row(staff)


def set_pin(ctx: KioskContext, actor: Actor, staff_id: int, pin: str) -> None:
    """Managers set anyone's PIN; everyone may change their own.

    The PIN (4 to 12 digits) replaces the old one at once; the change is audited, the PIN
    never. Raises :class:`NotAllowed` when ``actor`` is neither a manager nor the member of
    staff, :class:`InvalidInput` for a bad PIN and :class:`NotFound` for an unknown
    ``staff_id``.
    """
    if not (actor.is_manager or actor.staff_id == staff_id):
        raise NotAllowed("Only a manager can change another person's PIN.")
    _check_pin(pin)
    with ctx.db.write() as s:
        staff = s.get(Staff, staff_id)
        if staff is None:
            raise NotFound("No such member of staff.")
        staff.pin_hash = _hasher.hash(pin)
        audit.record(
            s,
            at=ctx.clock(),
            actor=actor,
            action="set_pin",
            entity="staff",
            entity_id=staff_id,
            after={"pin_set": True},
        )


def list_staff(ctx: KioskContext, *, can_sign_in: bool = False) -> list[StaffRow]:
    """Active staff by name; with ``can_sign_in`` only those with a PIN (who can sign in at
    the desk). Never raises; an empty list when there are none."""
    query = select(Staff).where(Staff.active).order_by(Staff.name)
    if can_sign_in:
        query = query.where(Staff.pin_hash.is_not(None))
    with ctx.db.read() as s:
        return [_row(st) for st in s.scalars(query)]


def sign_in(ctx: KioskContext, staff_id: int, pin: str) -> Actor:
    """Check a PIN; the same plain message for an unknown person and a wrong PIN.

    Returns the member of staff as the actor for what they do next, role as stored (the
    role is read here, never taken from the caller). Raises :class:`NotAllowed` for a
    wrong PIN, an unknown or inactive member of staff, or one without a PIN. Nothing here
    counts or delays repeated failures.
    """
    with ctx.db.read() as s:
        staff = s.get(Staff, staff_id)
        pin_hash = staff.pin_hash if staff is not None and staff.active else None
        name, role = (staff.name, staff.role) if staff is not None else ("", "")
    try:
        if pin_hash is None:
            raise VerificationError
        _hasher.verify(pin_hash, pin)
    except (VerificationError, InvalidHashError):
        raise NotAllowed("That PIN is not right. Try again.") from None
    return Actor(staff_id, name, role)


def verify_manager_pin(ctx: KioskContext, pin: str) -> Actor:
    """Find the manager whose PIN this is (for an override asked at the desk).

    Tries every active manager with a PIN; returns the one it matches. Raises
    :class:`NotAllowed` when it is no active manager's PIN.
    """
    with ctx.db.read() as s:
        managers = [
            (m.id, m.name, m.pin_hash)
            for m in s.scalars(
                select(Staff).where(
                    Staff.role == "manager", Staff.active, Staff.pin_hash.is_not(None)
                )
            )
        ]
    for staff_id, name, pin_hash in managers:
        if pin_hash is None:  # the query leaves these out; this tells the type checker so
            continue
        try:
            _hasher.verify(pin_hash, pin)
        except (VerificationError, InvalidHashError):
            continue
        return Actor(staff_id, name, "manager")
    raise NotAllowed("That is not a manager's PIN.")
