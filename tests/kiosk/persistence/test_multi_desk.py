"""Two desks on one PostgreSQL database, each in its own process with its own service stack.

Both desks work through the same pupils at the same moments (a barrier lines them up
before each phase): hand-ins by card and by name, early releases, and end-of-day
collections by card at one desk while the other releases by name. Afterwards the database
must show every phone handed in once, in a slot of its own, and given back once, with one
audit entry for each — and each desk's own answers must agree with that.
"""

from __future__ import annotations

import multiprocessing
import queue
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from kiosk.codes.pupil_card import CardKey
from kiosk.persistence.models import AuditEntry, PhoneCustody, Receptacle, School
from kiosk.rows.people import Actor
from kiosk.startup import open_kiosk
from tests.factories import make_manager, make_pupils

pytestmark = pytest.mark.postgres

PUPILS = 24
EARLY = PUPILS // 2  # the first half go home early; the rest are collected at 15:20
PROCESS_TIMEOUT_S = 60
# Tuesday 24 November 2026, Europe/London (GMT): morning, late morning, release window.
MORNING = "2026-11-24T08:40:00+00:00"
LATE_MORNING = "2026-11-24T11:00:00+00:00"
RELEASE_TIME = "2026-11-24T15:20:00+00:00"


# --- what runs in each desk's process ------------------------------------------------------


def desk_process(
    desk: int,
    url: str,
    key_path: str,
    staff: tuple[int, str, str],
    pupils: list[tuple[int, str]],
    barrier: Any,
    results: Any,
) -> None:
    """One desk: open the database itself, then take part in each phase with the other."""
    from kiosk.clock import FixedClock
    from kiosk.errors import KioskError
    from kiosk.services.custody import hand_in_for_pupil, release_phone, scan_card

    answers: list[tuple[str, int, str]] = []
    try:
        clock = FixedClock(datetime.fromisoformat(MORNING))
        ctx = open_kiosk(url, clock=clock, key_path=Path(key_path))
        actor = Actor(*staff)

        def attempt(phase: str, pupil_id: int, action: Any) -> None:
            try:
                answers.append((phase, pupil_id, action().kind))
            except KioskError as refusal:
                answers.append((phase, pupil_id, f"refused: {type(refusal).__name__}"))

        # Hand-in: desk 0 scans cards where desk 1 finds pupils by name, and the other way
        # round for the next pupil, so every pupil is handed in twice at once.
        barrier.wait()
        for index, (pupil_id, payload) in enumerate(pupils):
            if (index + desk) % 2 == 0:
                attempt("hand-in", pupil_id, lambda payload=payload: scan_card(ctx, payload))
            else:
                attempt(
                    "hand-in",
                    pupil_id,
                    lambda pupil_id=pupil_id: hand_in_for_pupil(ctx, actor, pupil_id),
                )

        # Early release: both desks release the same phones at the same moment.
        clock.set(datetime.fromisoformat(LATE_MORNING))
        barrier.wait()
        for pupil_id, _payload in pupils[:EARLY]:
            attempt(
                "early release",
                pupil_id,
                lambda pupil_id=pupil_id: release_phone(
                    ctx, actor, pupil_id, "Medical appointment"
                ),
            )

        # End of the day: desk 0 scans the pupils' cards while desk 1 releases by name.
        clock.set(datetime.fromisoformat(RELEASE_TIME))
        barrier.wait()
        for pupil_id, payload in pupils[EARLY:]:
            if desk == 0:
                attempt("collection", pupil_id, lambda payload=payload: scan_card(ctx, payload))
            else:
                attempt(
                    "collection",
                    pupil_id,
                    lambda pupil_id=pupil_id: release_phone(ctx, actor, pupil_id),
                )
        ctx.close()
        results.put((desk, answers, None))
    except BaseException as error:  # reported to the test, which fails with it
        barrier.abort()
        results.put((desk, answers, f"{type(error).__name__}: {error}"))


def start_desk_process(desk: int, url: str, key_path: str, barrier: Any, results: Any) -> None:
    """A desk that only starts: opening the database migrates it if nobody has yet."""
    try:
        barrier.wait()
        ctx = open_kiosk(url, key_path=Path(key_path))
        results.put((desk, ctx.card_code, None))
        ctx.close()
    except BaseException as error:
        results.put((desk, None, f"{type(error).__name__}: {error}"))


# --- the tests ------------------------------------------------------------------------------


def run_desks(target: Any, args_for: Any, count: int = 2) -> list[tuple[Any, ...]]:
    """Start ``count`` desk processes together; their reports, in desk order."""
    spawn = multiprocessing.get_context("spawn")  # a clean interpreter, as a real desk
    barrier = spawn.Barrier(count, timeout=PROCESS_TIMEOUT_S)
    results = spawn.Queue()
    processes = [
        spawn.Process(target=target, args=(desk, *args_for(desk), barrier, results))
        for desk in range(count)
    ]
    for process in processes:
        process.start()
    reports = []
    try:
        for _ in processes:
            reports.append(results.get(timeout=PROCESS_TIMEOUT_S))
    except queue.Empty:
        pytest.fail(f"a desk process gave no answer within {PROCESS_TIMEOUT_S} s")
    finally:
        for process in processes:
            process.join(timeout=10)
            if process.is_alive():
                process.kill()
    return sorted(reports, key=lambda report: report[0])


def test_two_desks_never_give_a_slot_twice_release_a_phone_twice_or_lose_a_record(
    pg_url: str, tmp_path: Path
) -> None:
    from kiosk.clock import FixedClock
    from kiosk.services.pupils import card_payload

    key_path = tmp_path / "card.key"
    ctx = open_kiosk(pg_url, clock=FixedClock(datetime.fromisoformat(MORNING)), key_path=key_path)
    manager = make_manager(ctx)
    on_roll = make_pupils(ctx, [(f"Pupil {number}", "Ní Bhriain") for number in range(PUPILS)])
    pupil_ids = [pupil.id for pupil in on_roll]
    pupils = [(pupil.id, card_payload(ctx, pupil)) for pupil in on_roll]
    staff = (manager.staff_id, manager.name, manager.role)
    audit_before = _count_audit(ctx)

    reports = run_desks(desk_process, lambda _desk: (pg_url, str(key_path), staff, pupils))

    assert [error for _desk, _answers, error in reports] == [None, None]
    answers = [answer for _desk, desk_answers, _error in reports for answer in desk_answers]
    outcome = Counter((phase, kind) for phase, _pupil, kind in answers)
    # Each desk's own view: every phone handed in by exactly one of them, and given back by
    # exactly one; the other desk was told where it was, or that it had gone.
    assert outcome[("hand-in", "handed_in")] == PUPILS
    assert outcome[("hand-in", "already_held")] == PUPILS
    assert outcome[("early release", "collected")] == EARLY
    assert outcome[("early release", "refused: NotFound")] == EARLY
    late = PUPILS - EARLY
    given_back = Counter(
        pupil for phase, pupil, kind in answers if phase == "collection" and kind == "collected"
    )
    refused = [
        kind for phase, _pupil, kind in answers if phase == "collection" and kind != "collected"
    ]
    assert refused == ["refused: NotFound"] * len(refused)
    assert sorted(given_back) == sorted(pupil_ids[EARLY:])

    with ctx.db.read() as s:
        custody = s.execute(
            select(
                PhoneCustody.pupil_id,
                PhoneCustody.receptacle_id,
                PhoneCustody.slot,
                PhoneCustody.collected_at,
                PhoneCustody.early_reason,
            )
        ).all()
    ctx.close()
    # One custody record per pupil, all held at once in slots of their own, all given back.
    assert sorted(row.pupil_id for row in custody) == sorted(pupil_ids)
    assert len({(row.receptacle_id, row.slot) for row in custody}) == PUPILS
    assert all(row.collected_at is not None for row in custody)
    assert Counter(row.early_reason for row in custody) == {
        "Medical appointment": EARLY,
        None: late,
    }
    # One audit entry per change, no more and no fewer.
    ctx = open_kiosk(pg_url, key_path=key_path)
    audit_after = _count_audit(ctx)
    ctx.close()
    assert audit_after - audit_before == Counter({"hand_in": PUPILS, "collect": PUPILS})


def test_two_desks_starting_together_on_a_new_database_set_it_up_once(
    pg_url: str, tmp_path: Path
) -> None:
    from kiosk.persistence.migrate import script_heads

    # The key file is copied to every desk before they start (see docs/deployment.md).
    key_path = tmp_path / "card.key"
    CardKey.load_or_create(key_path)

    reports = run_desks(start_desk_process, lambda _desk: (pg_url, str(key_path)))

    assert [error for _desk, _code, error in reports] == [None, None]
    (_, first_code, _), (_, second_code, _) = reports
    assert first_code == second_code
    ctx = open_kiosk(pg_url, key_path=key_path)
    with ctx.db.read() as s:
        versions = s.execute(select(func.count()).select_from(_alembic_version())).scalar_one()
        schools = s.scalar(select(func.count()).select_from(School))
        receptacles = s.scalar(select(func.count()).select_from(Receptacle))
        created = s.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.entity == "school")
        )
    ctx.close()
    assert versions == len(script_heads())
    assert (schools, receptacles, created) == (1, 1, 1)


def _count_audit(ctx: Any) -> Counter[str]:
    with ctx.db.read() as s:
        return Counter(
            dict(
                s.execute(select(AuditEntry.action, func.count()).group_by(AuditEntry.action)).all()
            )
        )


def _alembic_version() -> Any:
    from sqlalchemy import column, table

    return table("alembic_version", column("version_num"))
