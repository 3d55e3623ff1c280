"""Phone hand-in and collection: the morning queue, release windows, the end of the day.

A card scan is recorded at once: one transaction decides whether this is a hand-in, a
collection (inside a release window) or a repeat scan, assigns the slot and writes the audit
entry. The database's unique indexes guarantee one open custody per pupil and one phone per
slot, so two desks sharing a server cannot give a slot twice.

Desks sharing a PostgreSQL server choose slots without colliding: a hand-in claims its slot
with a transaction-scoped advisory lock, tried without waiting, and passes over a slot another
desk is filling at that moment (the ``SKIP LOCKED`` idea, for slots that have no row of their
own). It also holds its receptacles ``FOR SHARE`` while it chooses, and a change of capacity
takes the receptacle ``FOR UPDATE``, so a receptacle never shrinks under a hand-in choosing a
slot in it. SQLite needs neither: ``BEGIN IMMEDIATE`` makes writers take turns.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload

from kiosk.codes.pupil_card import NOT_GENUINE, verify_pupil_card
from kiosk.errors import InvalidInput, NoFreeSlot, NotFound, ScanRejected
from kiosk.persistence.models import (
    CustodyOutcome,
    PhoneCustody,
    Pupil,
    Receptacle,
    School,
    Staff,
)
from kiosk.rows.custody import (
    OUTCOMES,
    BoardReceptacle,
    BoardSlot,
    HeldPhone,
    OutcomeRow,
    ReceptacleRow,
    ScanOutcome,
)
from kiosk.rows.people import PUPIL_AT_KIOSK, Actor
from kiosk.services import acting, audit
from kiosk.services.calendar import school_calendar_in
from kiosk.services.pupils import arrangement_row, current_arrangements, pupil_row
from kiosk.services.school import year_in
from kiosk.text import clean_line, clean_note

if TYPE_CHECKING:
    from kiosk.context import KioskContext

# A second scan this soon after a collection is a double scan, not a new hand-in.
REPEAT_SCAN_GRACE = timedelta(minutes=2)
# A retry is only needed when one pupil's card is scanned at two desks at the same instant:
# the second desk then finds the phone held. Slots themselves never collide.
_RETRIES = 3
# The advisory-lock keys for slots: this prefix above bit 40, then the receptacle id and the
# slot number (a receptacle has at most 1,000 slots, under 2**10).
_SLOT_LOCK_PREFIX = 0x534C

SAFE_LOCATION = "Safe"

LEFT_SCHOOL = "This card belongs to a pupil who has left the school. Please see reception."
CARD_REPLACED = (
    "This card has been replaced by a newer one and no longer works. Please see reception."
)


T = TypeVar("T")


def _retrying(action: Callable[[], T]) -> T:
    """Run ``action`` again when another desk recorded the same pupil's phone at the same
    instant (the retry then finds it held); return what it returns. Raises
    ``IntegrityError`` when every attempt clashed."""
    for attempt in range(_RETRIES):
        try:
            return action()
        except IntegrityError:
            if attempt == _RETRIES - 1:
                raise
    raise AssertionError("unreachable")


# --- scanning ------------------------------------------------------------------------------


def scan_card(ctx: KioskContext, raw: str) -> ScanOutcome:
    """A pupil scanned their card at the kiosk: hand in, collect, or say where the phone is.

    No phone held: a hand-in into the lowest free slot (receptacles tied to the pupil's
    year first), flagged when the pupil's year needs permission and none is on file. Phone
    held, inside a release window: a collection. Phone held, outside one: "already_held",
    with when phones next come back. A second scan within `REPEAT_SCAN_GRACE` (2 minutes)
    of a collection in a window reports that collection again (nothing new recorded). Times
    in the outcome are UTC; windows are in school time. Every change is audited, as done by
    the pupil's card. The rules are the school's mobile phone policy (DESIGN, hand-in and
    collection).

    Raises :class:`ScanRejected` with a message for the pupil; nothing is changed then:
    a forged, altered or unknown card, another school's card, a replaced card, or a pupil
    who has left. Raises :class:`NoFreeSlot` when every slot is full. Desks handing in at
    the same moment get different slots (see the module's notes). A busy or unreachable
    database raises sqlalchemy's OperationalError once the database's patience runs out
    (:class:`kiosk.persistence.database.Patience`), with nothing recorded.
    """
    claim = verify_pupil_card(ctx.card_key, ctx.card_code, raw)

    def attempt() -> ScanOutcome:
        with ctx.db.write() as s:
            pupil = s.get(Pupil, claim.pupil_id)
            if pupil is None:
                raise ScanRejected(NOT_GENUINE)
            if claim.serial < pupil.card_serial:
                raise ScanRejected(CARD_REPLACED)
            if claim.serial > pupil.card_serial:
                raise ScanRejected(NOT_GENUINE)
            if pupil.status != "on_roll":
                raise ScanRejected(LEFT_SCHOOL)
            return _scan_for_pupil(ctx, s, pupil, PUPIL_AT_KIOSK, release_reason=None)

    return _retrying(attempt)


def _scan_for_pupil(
    ctx: KioskContext, s: Session, pupil: Pupil, actor: Actor, release_reason: str | None
) -> ScanOutcome:
    now = ctx.clock()
    calendar = school_calendar_in(s, ctx.timezone)
    held = _open_custody(s, pupil.id)
    if held is None:
        if calendar.release_window_at(now) is not None:
            last = s.scalar(
                select(PhoneCustody)
                .where(PhoneCustody.pupil_id == pupil.id)
                .order_by(PhoneCustody.handed_in_at.desc())
                .limit(1)
            )
            if (
                last is not None
                and last.collected_at is not None
                and now - last.collected_at < REPEAT_SCAN_GRACE
            ):
                return _outcome("collected", pupil, last, at=last.collected_at)
        return _hand_in(ctx, s, pupil, actor, now)
    if calendar.release_window_at(now) is not None:
        return _collect(ctx, s, held, actor, now, reason=release_reason)
    return _outcome(
        "already_held",
        pupil,
        held,
        at=held.handed_in_at,
        returns_at=calendar.next_release_start(now),
    )


def _open_custody(s: Session, pupil_id: int) -> PhoneCustody | None:
    # FOR UPDATE: on PostgreSQL a second desk acting on the same phone waits for the first
    # to commit, then finds it already collected, so a phone is never given back twice.
    # (SQLite's BEGIN IMMEDIATE already makes writers take turns.)
    return s.scalar(
        select(PhoneCustody)
        .options(joinedload(PhoneCustody.receptacle))
        .where(PhoneCustody.pupil_id == pupil_id, PhoneCustody.collected_at.is_(None))
        .with_for_update(of=PhoneCustody)
    )


def _outcome(
    kind: str,
    pupil: Pupil,
    custody: PhoneCustody,
    *,
    at: datetime,
    returns_at: datetime | None = None,
    arrangements: tuple = (),
) -> ScanOutcome:
    return ScanOutcome(
        kind=kind,
        pupil=pupil_row(pupil),
        custody_id=custody.id,
        receptacle=custody.receptacle.name if custody.receptacle is not None else None,
        slot=custody.slot,
        location=custody.location,
        at=at,
        returns_at=returns_at,
        no_permission=custody.no_permission,
        arrangements=arrangements,
        early_reason=custody.early_reason,
    )


def _hand_in(
    ctx: KioskContext, s: Session, pupil: Pupil, actor: Actor, now: datetime
) -> ScanOutcome:
    receptacle, slot = _free_slot(s, pupil.year_group)
    today = now.astimezone(ctx.timezone).date()
    arrangements = current_arrangements(s, pupil.id, today)
    school = s.get(School, 1)
    assert school is not None
    needs_permission = year_in(school.permission_years, pupil.year_group)
    has_permission = any(a.kind == "permission" for a in arrangements)
    custody = PhoneCustody(
        pupil_id=pupil.id,
        receptacle_id=receptacle.id,
        slot=slot,
        location="",
        handed_in_at=now,
        handed_in_by=actor.staff_id,
        no_permission=needs_permission and not has_permission,
    )
    custody.receptacle = receptacle
    s.add(custody)
    s.flush()
    audit.record(
        s,
        at=now,
        actor=actor,
        action="hand_in",
        entity="phone_custody",
        entity_id=custody.id,
        after={
            "pupil": pupil.identifier,
            "receptacle": receptacle.name,
            "slot": slot,
            "no_permission": custody.no_permission,
        },
    )
    return _outcome(
        "handed_in",
        pupil,
        custody,
        at=now,
        arrangements=tuple(arrangement_row(a) for a in arrangements),
    )


def _free_slot(s: Session, year_group: str) -> tuple[Receptacle, int]:
    """The lowest free slot, in receptacles tied to the pupil's year first, then untied ones,
    then the rest: a full receptacle overflows into the next.

    On PostgreSQL the receptacles are held ``FOR SHARE`` until the hand-in commits (a resize
    waits), and the slot is claimed with :func:`_claim_slot`, so two desks handing in at the
    same moment get different slots. Raises :class:`NoFreeSlot` when every slot is full."""
    receptacles = list(
        s.scalars(
            select(Receptacle)
            .where(Receptacle.active)
            .order_by(Receptacle.position, Receptacle.id)
            # Rendered on PostgreSQL only; SQLite's write lock already keeps resizes out.
            .with_for_update(read=True)
        )
    )
    postgres = s.get_bind().dialect.name == "postgresql"

    def rank(r: Receptacle) -> int:
        if not r.year_groups:
            return 1
        return 0 if year_in(r.year_groups, year_group) else 2

    used: dict[int, set[int]] = {}
    for receptacle_id, slot in s.execute(
        select(PhoneCustody.receptacle_id, PhoneCustody.slot).where(
            PhoneCustody.collected_at.is_(None), PhoneCustody.slot.is_not(None)
        )
    ):
        # The query asks for filled slots; the check also tells the type checker so.
        if receptacle_id is not None and slot is not None:
            used.setdefault(receptacle_id, set()).add(slot)
    for receptacle in sorted(receptacles, key=rank):
        taken = used.get(receptacle.id, set())
        if len(taken) >= receptacle.capacity:
            continue
        for slot in range(1, receptacle.capacity + 1):
            if slot in taken:
                continue
            if postgres and not _claim_slot(s, receptacle.id, slot):
                continue  # another desk is putting a phone there now, or just did
            return receptacle, slot
    total = sum(r.capacity for r in receptacles)
    raise NoFreeSlot(
        f"Every phone slot is full ({total} slots). Please hand your phone to the "
        "receptionist; nothing has been recorded."
    )


def _claim_slot(s: Session, receptacle_id: int, slot: int) -> bool:
    """PostgreSQL: True when this transaction now holds the slot and it is still empty.

    The lock is tried, never waited for, and lasts until the transaction ends; a desk that
    holds it is filling that slot, so the caller moves on to the next one. The emptiness
    check comes in a statement of its own, after the lock: under READ COMMITTED it then sees
    a phone that a desk which held the lock has just committed there."""
    key = (_SLOT_LOCK_PREFIX << 40) | (receptacle_id << 10) | slot
    if not s.scalar(select(func.pg_try_advisory_xact_lock(key))):
        return False
    filled = s.scalar(
        select(PhoneCustody.id)
        .where(
            PhoneCustody.receptacle_id == receptacle_id,
            PhoneCustody.slot == slot,
            PhoneCustody.collected_at.is_(None),
        )
        .limit(1)
    )
    return filled is None


def _collect(
    ctx: KioskContext,
    s: Session,
    custody: PhoneCustody,
    actor: Actor,
    now: datetime,
    *,
    reason: str | None,
) -> ScanOutcome:
    place = {
        "receptacle": custody.receptacle.name if custody.receptacle else None,
        "slot": custody.slot,
        "location": custody.location,
    }
    custody.collected_at = now
    custody.collected_by = actor.staff_id
    custody.early_reason = reason
    s.flush()
    audit.record(
        s,
        at=now,
        actor=actor,
        action="collect",
        entity="phone_custody",
        entity_id=custody.id,
        before=place,
        after={"collected_at": now, "early_reason": reason},
    )
    pupil = s.get(Pupil, custody.pupil_id)
    assert pupil is not None
    return _outcome("collected", pupil, custody, at=now)


# --- at the desk ---------------------------------------------------------------------------


def hand_in_for_pupil(ctx: KioskContext, actor: Actor, pupil_id: int) -> ScanOutcome:
    """The receptionist takes a phone from a pupil without a card (found by name).

    A hand-in as :func:`scan_card` makes it, recorded as done by ``actor``; if the pupil's
    phone is already held, says so ("already_held", nothing changed) even inside a
    release window: collecting is :func:`release_phone`. Raises :class:`NotAllowed` for an
    actor who is not staff, :class:`NotFound` for a pupil not on roll and
    :class:`NoFreeSlot` when every slot is full.
    """

    def attempt() -> ScanOutcome:
        with ctx.db.write() as s:
            acting.require_staff(s, actor, "Sign in at the desk first.")
            pupil = s.get(Pupil, pupil_id)
            if pupil is None or pupil.status != "on_roll":
                raise NotFound("That pupil is not on roll.")
            held = _open_custody(s, pupil.id)
            if held is not None:
                calendar = school_calendar_in(s, ctx.timezone)
                return _outcome(
                    "already_held",
                    pupil,
                    held,
                    at=held.handed_in_at,
                    returns_at=calendar.next_release_start(ctx.clock()),
                )
            return _hand_in(ctx, s, pupil, actor, ctx.clock())

    return _retrying(attempt)


def release_phone(
    ctx: KioskContext, actor: Actor, pupil_id: int, reason: str | None = None
) -> ScanOutcome:
    """The receptionist gives a phone back. Outside a release window this is an early
    release and needs a reason (early leave, medical appointment), which is recorded.

    Returns the "collected" outcome (times UTC); the collection is audited. Raises
    :class:`NotAllowed` for an actor who is not staff, :class:`NotFound` when the pupil has
    no phone held, and :class:`InvalidInput` for a reason over 500 characters or a missing
    reason outside a release window.
    """
    reason = clean_line(reason, limit=500, too_long="Keep the reason under {limit} characters.")
    reason = reason or None
    with ctx.db.write() as s:
        acting.require_staff(s, actor, "Sign in at the desk first.")
        held = _open_custody(s, pupil_id)
        if held is None:
            raise NotFound("This pupil has no phone held at the office.")
        now = ctx.clock()
        in_window = school_calendar_in(s, ctx.timezone).release_window_at(now) is not None
        if not in_window and reason is None:
            raise InvalidInput(
                "It is not a release time: give a reason for releasing the phone early "
                "(for example, medical appointment)."
            )
        return _collect(ctx, s, held, actor, now, reason=reason)


def record_outcome(
    ctx: KioskContext, actor: Actor, custody_id: int, outcome: str, note: str = ""
) -> HeldPhone:
    """Record what happened to a phone still held at closing time. "safe" moves it out of
    its slot into the safe; the phone stays on record until it is collected.

    ``outcome`` is a key of `OUTCOMES`; the note is required for "other" and kept to 1,000
    characters. Returns the phone as now held, with every outcome recorded so far; the
    change is audited. Raises :class:`NotAllowed` for an actor who is not staff,
    :class:`InvalidInput` for an unknown outcome or a missing or over-long note, and
    :class:`NotFound` when the phone is no longer held. The rule (no phone silently
    dropped from the record) is the school's mobile phone policy (DESIGN, end of day).
    """
    if outcome not in OUTCOMES:
        raise InvalidInput("Choose what happened to the phone.")
    note = clean_note(
        note,
        limit=1000,
        too_long="Keep the note under {limit:,} characters.",
        required="Say what happened in the note." if outcome == "other" else None,
    )
    with ctx.db.write() as s:
        acting.require_staff(s, actor, "Sign in at the desk first.")
        # Locked (on PostgreSQL) so two desks recording at once cannot both move the phone.
        custody = s.get(PhoneCustody, custody_id, with_for_update=True)
        if custody is None or custody.collected_at is not None:
            raise NotFound("That phone is no longer held; nothing to record.")
        now = ctx.clock()
        before = {
            "receptacle": custody.receptacle.name if custody.receptacle else None,
            "slot": custody.slot,
            "location": custody.location,
        }
        if outcome == "safe":
            custody.receptacle_id = None
            custody.slot = None
            custody.location = SAFE_LOCATION
        s.add(
            CustodyOutcome(
                custody_id=custody.id,
                outcome=outcome,
                note=note,
                recorded_at=now,
                recorded_by=actor.staff_id,
            )
        )
        s.flush()
        audit.record(
            s,
            at=now,
            actor=actor,
            action="end_of_day",
            entity="phone_custody",
            entity_id=custody.id,
            before=before,
            after={"outcome": outcome, "note": note, "location": custody.location},
        )
    return held_phone(ctx, custody_id)


# --- what is held ----------------------------------------------------------------------------


def _held_query() -> Select[PhoneCustody]:
    return (
        select(PhoneCustody)
        .options(
            joinedload(PhoneCustody.pupil),
            joinedload(PhoneCustody.receptacle),
            selectinload(PhoneCustody.outcomes),
        )
        .where(PhoneCustody.collected_at.is_(None))
    )


def _held_row(c: PhoneCustody, staff_names: dict[int, str]) -> HeldPhone:
    return HeldPhone(
        custody_id=c.id,
        pupil=pupil_row(c.pupil),
        receptacle=c.receptacle.name if c.receptacle else None,
        slot=c.slot,
        location=c.location,
        since=c.handed_in_at,
        no_permission=c.no_permission,
        outcomes=tuple(
            OutcomeRow(
                o.outcome,
                OUTCOMES.get(o.outcome, o.outcome),
                o.note,
                o.recorded_at,
                staff_names.get(o.recorded_by or 0, ""),
            )
            for o in c.outcomes
        ),
    )


def _staff_names(s: Session) -> dict[int, str]:
    return {staff_id: name for staff_id, name in s.execute(select(Staff.id, Staff.name))}


def held_phones(ctx: KioskContext) -> list[HeldPhone]:
    """Every phone held now, in receptacle and slot order (phones out of a slot last, by
    surname). Never raises; an empty list when none are held."""
    with ctx.db.read() as s:
        names = _staff_names(s)
        rows = [_held_row(c, names) for c in s.scalars(_held_query())]
    order = {r.name: r.position for r in receptacles(ctx)}
    return sorted(
        rows,
        key=lambda h: (
            h.receptacle is None,
            order.get(h.receptacle or "", 0),
            h.receptacle or "",
            h.slot or 0,
            h.pupil.display_surname,
            h.pupil.display_forename,
        ),
    )


def held_phone(ctx: KioskContext, custody_id: int) -> HeldPhone:
    """The phone with this custody id, while it is held. Raises :class:`NotFound` when it
    is unknown or already collected."""
    with ctx.db.read() as s:
        custody = s.scalar(_held_query().where(PhoneCustody.id == custody_id))
        if custody is None:
            raise NotFound("That phone is no longer held.")
        return _held_row(custody, _staff_names(s))


def held_for_pupil(ctx: KioskContext, pupil_id: int) -> HeldPhone | None:
    """The pupil's phone held now, or None when none is held (or the pupil is unknown).
    Never raises."""
    with ctx.db.read() as s:
        custody = s.scalar(_held_query().where(PhoneCustody.pupil_id == pupil_id))
        return None if custody is None else _held_row(custody, _staff_names(s))


def end_of_day(ctx: KioskContext) -> tuple[datetime | None, list[HeldPhone]]:
    """Today's closing time and every phone not yet collected, in the order the
    receptionist walks the trays: receptacle (in board order), then slot; phones out of a
    slot (in the safe, say) last, by surname.

    "Today" is the school's date now; the closing time is UTC, None when the school has no
    opening hours on today's weekday. Phones from earlier days are listed too. Never
    raises.
    """
    now = ctx.clock()
    with ctx.db.read() as s:
        calendar = school_calendar_in(s, ctx.timezone)
        closing = calendar.closing_time(calendar.today(now))
    return closing, held_phones(ctx)


# --- receptacles and the board --------------------------------------------------------------


def _receptacle_row(r: Receptacle) -> ReceptacleRow:
    return ReceptacleRow(r.id, r.name, r.capacity, r.position, r.year_groups)


def receptacles(ctx: KioskContext) -> list[ReceptacleRow]:
    """The receptacles in use, in board order (position, then id). Never raises."""
    with ctx.db.read() as s:
        return [
            _receptacle_row(r)
            for r in s.scalars(
                select(Receptacle)
                .where(Receptacle.active)
                .order_by(Receptacle.position, Receptacle.id)
            )
        ]


def board(ctx: KioskContext, held: list[HeldPhone] | None = None) -> list[BoardReceptacle]:
    """Each receptacle with every slot, filled or empty, for the desk board. ``held`` is
    ``held_phones(ctx)`` when the caller has just read it (saves reading it twice)."""
    if held is None:
        held = held_phones(ctx)
    by_place = {(h.receptacle, h.slot): h for h in held if h.slot is not None}
    result = []
    for r in receptacles(ctx):
        slots = []
        for n in range(1, r.capacity + 1):
            h = by_place.get((r.name, n))
            slots.append(
                BoardSlot(n)
                if h is None
                else BoardSlot(
                    n, h.custody_id, h.pupil.name, h.pupil.form, h.since, h.no_permission
                )
            )
        result.append(BoardReceptacle(r, tuple(slots)))
    return result


def save_receptacle(
    ctx: KioskContext,
    actor: Actor,
    *,
    name: str,
    capacity: int,
    year_groups: str = "",
    receptacle_id: int | None = None,
) -> ReceptacleRow:
    """Add a receptacle or change one (manager only). A receptacle cannot shrink below a
    slot that holds a phone.

    ``receptacle_id`` None adds one at the end of the board; ``year_groups`` ("7,8") ties
    it to those years ("" to none). Returns the stored row; the change is audited. Raises
    :class:`NotAllowed` when ``actor`` is not a manager, :class:`InvalidInput` for an empty
    name or one over 100 characters, a name another receptacle has, a capacity outside 1
    to 1,000 or below an occupied slot, and :class:`NotFound` for an unknown
    ``receptacle_id``. On PostgreSQL a change waits for hand-ins choosing a slot in the
    receptacle and counts their phones, so no phone lands in a slot the board no longer
    shows.
    """
    name = clean_line(
        name,
        limit=100,
        too_long="Give the receptacle a name of up to {limit} characters.",
        required="Give the receptacle a name of up to 100 characters.",
    )
    if not 1 <= capacity <= 1000:
        raise InvalidInput("A receptacle has between 1 and 1,000 slots.")
    with ctx.db.write() as s:
        acting.require_manager(s, actor, "Only a manager can change receptacles.")
        receptacle: Receptacle | None = None
        if receptacle_id is not None:
            # FOR UPDATE (PostgreSQL): wait for hand-ins choosing a slot here (they hold it
            # FOR SHARE), then see their phones below; later hand-ins see the new capacity.
            receptacle = s.scalar(
                select(Receptacle).where(Receptacle.id == receptacle_id).with_for_update()
            )
            if receptacle is None:
                raise NotFound("No such receptacle.")
        clash = s.scalar(select(Receptacle).where(Receptacle.name == name))
        if clash is not None and clash.id != receptacle_id:
            raise InvalidInput(f"There is already a receptacle called {name}.")
        now = ctx.clock()
        if receptacle is None:
            last = s.scalar(select(Receptacle.position).order_by(Receptacle.position.desc()))
            receptacle = Receptacle(
                name=name,
                capacity=capacity,
                year_groups=clean_line(year_groups),
                position=(last or 0) + 1,
                active=True,
            )
            s.add(receptacle)
            s.flush()
            audit.record(
                s,
                at=now,
                actor=actor,
                action="create",
                entity="receptacle",
                entity_id=receptacle.id,
                after={"name": name, "capacity": capacity, "year_groups": year_groups},
            )
            return _receptacle_row(receptacle)
        highest = s.scalar(
            select(PhoneCustody.slot)
            .where(PhoneCustody.receptacle_id == receptacle.id, PhoneCustody.collected_at.is_(None))
            .order_by(PhoneCustody.slot.desc())
        )
        if highest is not None and capacity < highest:
            raise InvalidInput(
                f"Slot {highest} of {receptacle.name} holds a phone; "
                f"it cannot have fewer than {highest} slots now."
            )
        before = {
            "name": receptacle.name,
            "capacity": receptacle.capacity,
            "year_groups": receptacle.year_groups,
        }
        receptacle.name, receptacle.capacity = name, capacity
        receptacle.year_groups = clean_line(year_groups)
        audit.record(
            s,
            at=now,
            actor=actor,
            action="update",
            entity="receptacle",
            entity_id=receptacle.id,
            before=before,
            after={"name": name, "capacity": capacity, "year_groups": year_groups},
        )
        return _receptacle_row(receptacle)
