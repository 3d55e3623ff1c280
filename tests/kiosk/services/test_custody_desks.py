"""Several desks on one PostgreSQL server at the same moment: hand-ins never collide on a
slot, and a receptacle never shrinks under a hand-in that is choosing a slot in it.

Each desk is a separate engine (its own connections), as a separate reception PC would be.
The interleavings are made on purpose — a desk paused inside its transaction until the other
is seen waiting for its lock in ``pg_stat_activity`` — not left to timing.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import event, select, text

from kiosk.clock import FixedClock
from kiosk.context import KioskContext
from kiosk.errors import InvalidInput, NoFreeSlot
from kiosk.persistence.database import Database
from kiosk.persistence.models import PhoneCustody
from kiosk.rows.people import Actor
from kiosk.services.custody import (
    board,
    held_phones,
    receptacles,
    save_receptacle,
    scan_card,
)
from kiosk.services.pupils import card_payload
from kiosk.startup import open_kiosk
from tests.factories import make_manager, make_pupil

pytestmark = pytest.mark.postgres

DESKS = 6
HAND_INS_PER_DESK = 50


@pytest.fixture
def pg_ctx(pg_url: str, clock: FixedClock) -> Iterator[KioskContext]:
    context = open_kiosk(pg_url, clock=clock)
    yield context
    context.close()


@pytest.fixture
def boss(pg_ctx: KioskContext) -> Actor:
    return make_manager(pg_ctx)


def desk(ctx: KioskContext, **patience: Any) -> KioskContext:
    """Another reception PC on the same server: the same school, its own connections."""
    return replace(ctx, db=Database(ctx.db.url, **patience))


def set_trays(ctx: KioskContext, boss: Actor, *capacities: int) -> None:
    """The office tray and, after it, Tray B, Tray C... with these capacities."""
    office = receptacles(ctx)[0]
    save_receptacle(ctx, boss, name=office.name, capacity=capacities[0], receptacle_id=office.id)
    for letter, capacity in zip("BCDEF", capacities[1:], strict=False):
        save_receptacle(ctx, boss, name=f"Tray {letter}", capacity=capacity)


def held_places(ctx: KioskContext) -> list[tuple[int | None, int | None]]:
    with ctx.db.read() as s:
        return [
            (receptacle_id, slot)
            for receptacle_id, slot in s.execute(
                select(PhoneCustody.receptacle_id, PhoneCustody.slot).where(
                    PhoneCustody.collected_at.is_(None)
                )
            )
        ]


def on_the_board(ctx: KioskContext) -> set[int]:
    """The custody ids of the phones the desk's board shows in a slot."""
    return {s.custody_id for r in board(ctx) for s in r.slots if s.custody_id is not None}


def wait_until_a_desk_waits_for_a_lock(ctx: KioskContext, limit_s: float = 10.0) -> None:
    """Return once another connection to this database is waiting for a lock."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        with ctx.db.read() as s:
            waiting = s.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            )
        if waiting:
            return
        time.sleep(0.02)
    raise AssertionError("no desk ever waited for the other's lock")


def pause_after(db: Database, marker: str) -> tuple[threading.Event, threading.Event]:
    """Pause the transaction using ``db`` right after its first statement containing
    ``marker``: returns (reached, carry_on)."""
    reached, carry_on = threading.Event(), threading.Event()

    def after(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if marker in statement and not reached.is_set():
            reached.set()
            assert carry_on.wait(20), "the test never let the paused desk carry on"

    event.listen(db.engine, "after_cursor_execute", after)
    return reached, carry_on


def in_thread(action: Callable[[], Any]) -> tuple[threading.Thread, dict[str, Any]]:
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["result"] = action()
        except Exception as error:  # the test asserts on it
            box["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    return thread, box


# --- simultaneous hand-ins -------------------------------------------------------------------


def test_six_desks_handing_in_at_once_never_collide_and_the_overflow_is_told_full(
    pg_ctx: KioskContext, boss: Actor
) -> None:
    total = DESKS * HAND_INS_PER_DESK
    set_trays(pg_ctx, boss, 100, 100, 90)  # 290 slots for 300 phones: the last ten are "full"
    cards = [card_payload(pg_ctx, make_pupil(pg_ctx, year_group="9")) for _ in range(total)]
    # Batch patience: a loaded test machine must not turn a slow statement into a failure;
    # slot choice itself never waits on another desk.
    desks = [desk(pg_ctx) for _ in range(DESKS)]
    start = threading.Barrier(DESKS)
    kinds: Counter[str] = Counter()
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run_desk(n: int) -> None:
        start.wait()
        for card in cards[n::DESKS]:
            try:
                kind = scan_card(desks[n], card).kind
            except NoFreeSlot:
                kind = "full"
            except Exception as error:  # any other error is what this test must not see
                with lock:
                    errors.append(error)
                continue
            with lock:
                kinds[kind] += 1

    threads = [threading.Thread(target=run_desk, args=(n,)) for n in range(DESKS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for d in desks:
        d.close()

    assert errors == []
    assert kinds == {"handed_in": 290, "full": 10}
    places = held_places(pg_ctx)
    assert len(places) == 290
    assert len(set(places)) == 290  # no slot given twice
    capacity = {r.id: r.capacity for r in receptacles(pg_ctx)}
    assert all(slot is not None and 1 <= slot <= capacity[r] for r, slot in places if r)


# --- shrinking a receptacle while a hand-in chooses a slot ----------------------------------


def test_a_shrink_waits_for_a_hand_in_choosing_a_slot_then_refuses_plainly(
    pg_ctx: KioskContext, boss: Actor
) -> None:
    set_trays(pg_ctx, boss, 10)
    for _ in range(4):
        scan_card(pg_ctx, card_payload(pg_ctx, make_pupil(pg_ctx)))  # slots 1-4 filled
    card = card_payload(pg_ctx, make_pupil(pg_ctx, forename="Ava"))
    tray = receptacles(pg_ctx)[0]
    kiosk_desk, office_desk = desk(pg_ctx), desk(pg_ctx)
    # The kiosk's hand-in is paused once it has claimed its slot (slot 5), still uncommitted.
    reached, carry_on = pause_after(kiosk_desk.db, "pg_try_advisory_xact_lock")
    hand_in, handed = in_thread(lambda: scan_card(kiosk_desk, card))
    assert reached.wait(10)

    # The manager shrinks the tray to 4 slots meanwhile: the resize must wait for the hand-in.
    resize, resized = in_thread(
        lambda: save_receptacle(
            office_desk, boss, name=tray.name, capacity=4, receptacle_id=tray.id
        )
    )
    wait_until_a_desk_waits_for_a_lock(pg_ctx)
    carry_on.set()
    hand_in.join(10)
    resize.join(10)
    kiosk_desk.close()
    office_desk.close()

    assert "error" not in handed
    assert handed["result"].slot == 5
    assert isinstance(resized.get("error"), InvalidInput)
    assert resized["error"].message == (
        "Slot 5 of Office tray holds a phone; it cannot have fewer than 5 slots now."
    )
    assert on_the_board(pg_ctx) == {h.custody_id for h in held_phones(pg_ctx)}
    assert len(held_phones(pg_ctx)) == 5
    assert receptacles(pg_ctx)[0].capacity == 10


def test_a_hand_in_waits_for_a_shrink_then_takes_a_slot_the_board_still_shows(
    pg_ctx: KioskContext, boss: Actor
) -> None:
    set_trays(pg_ctx, boss, 10, 10)
    for _ in range(4):
        scan_card(pg_ctx, card_payload(pg_ctx, make_pupil(pg_ctx)))  # office tray slots 1-4
    card = card_payload(pg_ctx, make_pupil(pg_ctx, forename="Ava"))
    tray = receptacles(pg_ctx)[0]
    kiosk_desk, office_desk = desk(pg_ctx), desk(pg_ctx)
    # The manager's resize is paused once it holds the tray (FOR UPDATE), not yet committed.
    reached, carry_on = pause_after(office_desk.db, "FOR UPDATE")
    resize, resized = in_thread(
        lambda: save_receptacle(
            office_desk, boss, name=tray.name, capacity=4, receptacle_id=tray.id
        )
    )
    assert reached.wait(10)

    hand_in, handed = in_thread(lambda: scan_card(kiosk_desk, card))
    wait_until_a_desk_waits_for_a_lock(pg_ctx)
    carry_on.set()
    resize.join(10)
    hand_in.join(10)
    kiosk_desk.close()
    office_desk.close()

    assert "error" not in resized
    assert "error" not in handed
    assert (handed["result"].receptacle, handed["result"].slot) == ("Tray B", 1)
    assert receptacles(pg_ctx)[0].capacity == 4
    assert on_the_board(pg_ctx) == {h.custody_id for h in held_phones(pg_ctx)}
    assert len(held_phones(pg_ctx)) == 5

