"""Staff, roles and PINs. PINs are stored only as argon2 hashes.

Wrong PINs are counted per person in the database (table ``pin_lock``), at the lock screen
and for a manager's override PIN alike: after `LOCK_AFTER` wrong PINs in a row every PIN
for that person is refused for a growing delay (`LOCK_DELAYS_S`), which a restart or
another desk does not forget. Every wrong PIN, every lock and every clear is audited with
the desk (the computer's host name).
"""

from __future__ import annotations

import math
import socket
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from kiosk.errors import InvalidInput, KioskError, NotAllowed, NotFound, PinLocked
from kiosk.persistence.models import PinLock, Staff
from kiosk.rows.people import SYSTEM, Actor, PinLockRow, StaffRow
from kiosk.services import acting, audit
from kiosk.text import clean_line, staff_sort_key

if TYPE_CHECKING:
    from kiosk.context import KioskContext

ROLES = ("receptionist", "manager")
MIN_PIN, MAX_PIN = 4, 12
_hasher = PasswordHasher()

LOCK_AFTER = 5
"""Wrong PINs in a row before a person's PIN is refused for a while."""
LOCK_DELAYS_S = (30, 60, 5 * 60, 15 * 60)
"""Seconds refused after the 5th wrong PIN in a row, the 6th, the 7th, and every one after."""
WRONG_PIN = "That PIN is not right. Try again."
NOT_A_MANAGERS_PIN = "That is not a manager's PIN."
FIRST_MANAGER_EXISTS = (
    "A first manager was set up at another desk a moment ago; sign in with their PIN."
)
# Any constant both desks agree on: set-up takes this PostgreSQL advisory lock so that two
# desks finishing first-run set-up at once queue, and the second then sees the first.
_FIRST_MANAGER_LOCK_KEY = 0x4B494F534B  # "KIOSK"


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
    (active or not), including one set up at another desk a moment ago: on SQLite the
    write transaction already queues desks, on PostgreSQL an advisory lock held to the end
    of the transaction does, so two desks finishing set-up at once make one manager.
    """
    name = _check_name(name)
    _check_pin(pin)
    with ctx.db.write() as s:
        if not ctx.db.is_sqlite:
            s.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _FIRST_MANAGER_LOCK_KEY})
        exists = s.scalar(
            select(func.count())
            .select_from(Staff)
            .where(Staff.role == "manager", Staff.pin_hash.is_not(None))
        )
        if exists:
            raise NotAllowed(FIRST_MANAGER_EXISTS)
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
    the PIN). Raises :class:`NotAllowed` when ``actor`` is not an active manager (role read
    from the database, :mod:`kiosk.services.acting`) and :class:`InvalidInput` for an
    empty or over-long name, an unknown role or a bad PIN.
    """
    name = _check_name(name)
    if role not in ROLES:
        raise InvalidInput("Choose a role: receptionist or manager.")
    if pin is not None:
        _check_pin(pin)
    with ctx.db.write() as s:
        acting.require_manager(s, actor, "Only a manager can add staff.")
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
    never. Raises :class:`NotAllowed` when ``actor`` is neither an active manager (role read
    from the database) nor the member of staff signed in, :class:`InvalidInput` for a bad
    PIN and :class:`NotFound` for an unknown ``staff_id``.
    """
    _check_pin(pin)
    with ctx.db.write() as s:
        me = acting.require_staff(s, actor, "Only a manager can change another person's PIN.")
        if me.staff_id != staff_id:
            acting.require_manager(s, actor, "Only a manager can change another person's PIN.")
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


def set_staff_active(ctx: KioskContext, actor: Actor, staff_id: int, active: bool) -> StaffRow:
    """A manager marks a member of staff as having left (``active`` False) or back.

    Someone who has left stays in the records but can no longer sign in, and every service
    refuses an actor with their id from then on (:mod:`kiosk.services.acting`). Returns
    the row as saved; audited with the change (nothing is written when it is already so).
    Raises :class:`NotAllowed` when ``actor`` is not an active manager (role read from the
    database) or when a manager marks themselves as left (so a manager who can sign in always
    remains); :class:`NotFound` for an unknown ``staff_id``.
    """
    with ctx.db.write() as s:
        manager = acting.require_manager(s, actor, "Only a manager can mark staff as left.")
        staff = s.get(Staff, staff_id, with_for_update=True)
        if staff is None:
            raise NotFound("No such member of staff.")
        if staff.active == active:
            return _row(staff)
        if not active and staff.id == manager.staff_id:
            raise NotAllowed("Another manager must mark you as left.")
        staff.active = active
        audit.record(
            s,
            at=ctx.clock(),
            actor=manager,
            action="left" if not active else "returned",
            entity="staff",
            entity_id=staff.id,
            before={"active": not active},
            after={"active": active},
        )
        return _row(staff)


def list_staff(ctx: KioskContext, *, can_sign_in: bool = False) -> list[StaffRow]:
    """Active staff by surname (:func:`kiosk.text.staff_sort_key`); with ``can_sign_in``
    only those with a PIN (who can sign in at the desk). Never raises; an empty list when
    there are none."""
    query = select(Staff).where(Staff.active).order_by(Staff.id)
    if can_sign_in:
        query = query.where(Staff.pin_hash.is_not(None))
    with ctx.db.read() as s:
        rows = [_row(st) for st in s.scalars(query)]
    return sorted(rows, key=lambda row: staff_sort_key(row.name))


def sign_in(ctx: KioskContext, staff_id: int, pin: str) -> Actor:
    """Check a PIN; the same plain message for an unknown person and a wrong PIN.

    Returns the member of staff as the actor for what they do next, role as stored (the
    role is read here, never taken from the caller); a right PIN clears their count of
    wrong ones. A wrong PIN is counted and audited with the desk; after `LOCK_AFTER` in a
    row every PIN for that person, the right one too, is refused for `LOCK_DELAYS_S`
    (growing with each further wrong PIN), timed by ``ctx.clock``.

    Raises :class:`PinLocked` (a :class:`NotAllowed`) while the person is locked, saying
    the time left; :class:`NotAllowed` for a wrong PIN, an unknown or inactive member of
    staff, or one without a PIN.
    """
    return _check_own_pin(ctx, staff_id, pin, SYSTEM, "sign-in")


def confirm_own_pin(ctx: KioskContext, actor: Actor, staff_id: int, pin: str) -> Actor:
    """A member of staff confirms, with their own PIN, a change another person makes for
    them at the desk (their email address or mobile number in the directory).

    ``actor`` is who is making the change (recorded with a wrong PIN). The PIN is checked
    exactly as at the lock screen and counts towards the same lockout (`LOCK_AFTER`,
    `LOCK_DELAYS_S`). Opens its own write transaction so a wrong PIN's count is kept: call
    it before, never inside, the caller's own ``ctx.db.write()``. Returns the person whose
    PIN it is, as stored. Raises :class:`PinLocked` while they are locked and
    :class:`NotAllowed` for a wrong PIN or someone who has left or has no PIN.
    """
    return _check_own_pin(ctx, staff_id, pin, actor, "confirming a directory change")


def _check_own_pin(ctx: KioskContext, staff_id: int, pin: str, actor: Actor, where: str) -> Actor:
    """One person's PIN checked against the lockout; ``actor`` and ``where`` are audited
    with a wrong PIN."""
    refusal: KioskError = NotAllowed(WRONG_PIN)
    with ctx.db.write() as s:
        staff = s.get(Staff, staff_id, with_for_update=True)
        if staff is None or not staff.active or staff.pin_hash is None:
            raise NotAllowed(WRONG_PIN)
        now = ctx.clock()
        lock = _pin_lock(s, staff.id)
        if _is_locked(lock, now):
            refusal = _refuse_while_locked(s, staff, lock, now, actor, where)
        elif _pin_matches(staff.pin_hash, pin):
            _count_right(lock)
            return Actor(staff.id, staff.name, staff.role)
        else:
            refusal = _count_wrong(s, staff, lock, now, actor, where) or NotAllowed(WRONG_PIN)
    # Raised after the transaction so the count and its audit entries are kept.
    raise refusal


def verify_manager_pin(ctx: KioskContext, pin: str, *, actor: Actor = SYSTEM) -> Actor:
    """Find the manager whose PIN this is (for an override asked at the desk).

    ``actor`` is who asked for the override (recorded with a wrong PIN). Tries every active
    manager with a PIN who is not locked; returns the one it matches and clears their count
    of wrong PINs. A PIN that matches none counts as a wrong PIN for each manager it was
    tried against, exactly as at the lock screen (each of them could have been guessed).
    Opens its own write transaction, so the count is kept when the override is refused:
    call it before, never inside, the caller's own ``ctx.db.write()``.

    Raises :class:`PinLocked` when every manager is locked (naming the one whose lock ends
    first) or this wrong PIN locked the last unlocked one; :class:`NotAllowed` when it is
    no active manager's PIN, or ``actor`` is neither staff signed in (as stored) nor the
    application itself (nothing is tried or counted then).
    """
    refusal: KioskError = NotAllowed(NOT_A_MANAGERS_PIN)
    with ctx.db.write() as s:
        # Only someone signed in (or the application itself) may try managers' PINs.
        acting.require_staff(s, actor, also=(SYSTEM,))
        managers = list(
            s.scalars(
                select(Staff)
                .where(Staff.role == "manager", Staff.active, Staff.pin_hash.is_not(None))
                .order_by(Staff.id)
                .with_for_update()
            )
        )
        now = ctx.clock()
        locks = {m.id: _pin_lock(s, m.id) for m in managers}
        open_managers = [m for m in managers if not _is_locked(locks[m.id], now)]
        for manager in open_managers:
            if manager.pin_hash is not None and _pin_matches(manager.pin_hash, pin):
                _count_right(locks[manager.id])
                return Actor(manager.id, manager.name, "manager")
        if managers and not open_managers:
            first_free = min(managers, key=lambda m: locks[m.id].locked_until or now)
            refusal = _refuse_while_locked(
                s, first_free, locks[first_free.id], now, actor, "manager override"
            )
        for manager in open_managers:
            _count_wrong(s, manager, locks[manager.id], now, actor, "manager override")
        if open_managers and all(_is_locked(locks[m.id], now) for m in open_managers):
            first_free = min(open_managers, key=lambda m: locks[m.id].locked_until or now)
            refusal = PinLocked(_locked_words(first_free.name, locks[first_free.id], now))
    raise refusal


def clear_pin_lock(ctx: KioskContext, actor: Actor, staff_id: int) -> bool:
    """A manager clears a person's PIN lock and their count of wrong PINs.

    The actor's role is read from the database here, not taken from ``actor``. Returns
    True when there was a count or a lock to clear (audited, with what was cleared), False
    when there was none (nothing changes). Raises :class:`NotAllowed` when ``actor`` is not
    an active manager and :class:`NotFound` for an unknown ``staff_id``.
    """
    with ctx.db.write() as s:
        manager = acting.require_manager(s, actor, "Only a manager can clear a PIN lock.")
        staff = s.get(Staff, staff_id, with_for_update=True)
        if staff is None:
            raise NotFound("No such member of staff.")
        lock = s.get(PinLock, staff_id)
        if lock is None or (lock.wrong_in_a_row == 0 and lock.locked_until is None):
            return False
        before = {"wrong_in_a_row": lock.wrong_in_a_row, "locked_until": lock.locked_until}
        lock.wrong_in_a_row, lock.locked_until = 0, None
        audit.record(
            s,
            at=ctx.clock(),
            actor=manager,
            action="pin_lock_cleared",
            entity="staff",
            entity_id=staff_id,
            before=before,
            after={"wrong_in_a_row": 0, "locked_until": None, "desk": desk_name()},
        )
        return True


def pin_locks(ctx: KioskContext) -> list[PinLockRow]:
    """Everyone with wrong PINs counted against them (locked or not), by name.

    ``locked`` says whether their lock is still running now (``ctx.clock``); times are
    UTC. Never raises; an empty list when nobody has a wrong PIN counted.
    """
    now = ctx.clock()
    with ctx.db.read() as s:
        found = s.execute(
            select(Staff.id, Staff.name, PinLock.wrong_in_a_row, PinLock.locked_until)
            .join(PinLock, PinLock.staff_id == Staff.id)
            .where((PinLock.wrong_in_a_row > 0) | PinLock.locked_until.is_not(None))
            .order_by(Staff.name)
        ).all()
    return [
        PinLockRow(sid, name, wrong, until, until is not None and now < until)
        for sid, name, wrong, until in found
    ]


def desk_name() -> str:
    """This desk as the audit log names it: the computer's host name ("" if it has none)."""
    return socket.gethostname()


def wait_words(seconds: float) -> str:
    """A wait said plainly, rounded up to the second: "30 s", "1 min", "4 min 30 s"."""
    minutes, rest = divmod(max(1, math.ceil(seconds)), 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min" + (f" {rest} s" if rest else "")


# --- PIN lockout ---------------------------------------------------------------------------


def _pin_matches(pin_hash: str, pin: str) -> bool:
    try:
        return _hasher.verify(pin_hash, pin)
    except (VerificationError, InvalidHashError):
        return False


def _pin_lock(s: Session, staff_id: int) -> PinLock:
    """The person's count, created at zero; the caller holds their staff row locked."""
    lock = s.get(PinLock, staff_id)
    if lock is None:
        lock = PinLock(staff_id=staff_id, wrong_in_a_row=0)
        s.add(lock)
    return lock


def _is_locked(lock: PinLock, now: datetime) -> bool:
    return lock.locked_until is not None and now < lock.locked_until


def _locked_words(name: str, lock: PinLock, now: datetime) -> str:
    left = (lock.locked_until - now).total_seconds() if lock.locked_until else 0
    return (
        f"Too many wrong PINs for {name}. Try again in {wait_words(left)}, "
        "or ask a manager to clear the lock."
    )


def _count_right(lock: PinLock) -> None:
    lock.wrong_in_a_row, lock.locked_until = 0, None


def _count_wrong(
    s: Session, staff: Staff, lock: PinLock, now: datetime, actor: Actor, where: str
) -> PinLocked | None:
    """Count one wrong PIN, audit it, and lock the person once they reach `LOCK_AFTER`;
    returns the refusal to give when this PIN locked them."""
    lock.wrong_in_a_row += 1
    lock.last_wrong_at = now
    desk = desk_name()
    audit.record(
        s,
        at=now,
        actor=actor,
        action="pin_wrong",
        entity="staff",
        entity_id=staff.id,
        after={
            "name": staff.name,
            "desk": desk,
            "where": where,
            "wrong_in_a_row": lock.wrong_in_a_row,
        },
    )
    if lock.wrong_in_a_row < LOCK_AFTER:
        return None
    delay = LOCK_DELAYS_S[min(lock.wrong_in_a_row - LOCK_AFTER, len(LOCK_DELAYS_S) - 1)]
    lock.locked_until = now + timedelta(seconds=delay)
    audit.record(
        s,
        at=now,
        actor=actor,
        action="pin_locked",
        entity="staff",
        entity_id=staff.id,
        after={
            "name": staff.name,
            "desk": desk,
            "wrong_in_a_row": lock.wrong_in_a_row,
            "locked_seconds": delay,
            "locked_until": lock.locked_until,
        },
    )
    return PinLocked(_locked_words(staff.name, lock, now))


def _refuse_while_locked(
    s: Session, staff: Staff, lock: PinLock, now: datetime, actor: Actor, where: str
) -> PinLocked:
    """Audit a PIN tried during a lock (never checked, so a locked screen cannot confirm
    a guess, and not counted) and return the refusal that says the time left."""
    audit.record(
        s,
        at=now,
        actor=actor,
        action="pin_refused_locked",
        entity="staff",
        entity_id=staff.id,
        after={
            "name": staff.name,
            "desk": desk_name(),
            "where": where,
            "locked_until": lock.locked_until,
        },
    )
    return PinLocked(_locked_words(staff.name, lock, now))
