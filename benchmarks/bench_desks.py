"""Several desks handing phones in at once on one PostgreSQL server: errors, doubled slots,
throughput and how long each hand-in took.

    .venv/bin/python benchmarks/bench_desks.py [--desks 6] [--per-desk 50] [--url URL]

Each desk is a thread with its own engine (its own connections), as a separate reception PC
is; all start together at a barrier and scan their pupils' cards as fast as they can, with
the desk application's interactive patience (a hand-in gives up after about 2 s). The
database is a fresh one made on the server at ``--url`` (default ``KIOSK_TEST_PG_URL`` or
the local server) and dropped afterwards. Slots are just enough for every phone.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg  # noqa: E402
from _common import BENCH_MORNING, add_pupils  # noqa: E402
from sqlalchemy import select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from kiosk.clock import FixedClock  # noqa: E402
from kiosk.codes.pupil_card import pupil_card_payload  # noqa: E402
from kiosk.errors import NoFreeSlot  # noqa: E402
from kiosk.persistence.database import INTERACTIVE, Database  # noqa: E402
from kiosk.persistence.models import PhoneCustody, Pupil  # noqa: E402
from kiosk.rows.people import Actor  # noqa: E402
from kiosk.services import custody  # noqa: E402
from kiosk.startup import open_kiosk  # noqa: E402

DEFAULT_URL = os.environ.get("KIOSK_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--desks", type=int, default=6)
    parser.add_argument("--per-desk", type=int, default=50)
    parser.add_argument("--url", default=DEFAULT_URL, help="a PostgreSQL server to make a database on")
    args = parser.parse_args()
    total = args.desks * args.per_desk
    name = f"kiosk_bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(args.url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = make_url(args.url).set(database=name).render_as_string(hide_password=False)
    try:
        with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as folder:
            ctx = open_kiosk(
                url, clock=FixedClock(BENCH_MORNING), key_path=Path(folder) / "bench.card.key"
            )
            try:
                return run(ctx, args.desks, args.per_desk, total)
            finally:
                ctx.close()
    finally:
        with psycopg.connect(args.url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(ctx, desks: int, per_desk: int, total: int) -> int:  # type: ignore[no-untyped-def]
    boss = Actor(None, "Benchmark set-up", "manager")
    tray = custody.receptacles(ctx)[0]
    per_tray = -(-total // 3)
    custody.save_receptacle(ctx, boss, name=tray.name, capacity=per_tray, receptacle_id=tray.id)
    custody.save_receptacle(ctx, boss, name="Tray B", capacity=per_tray)
    custody.save_receptacle(ctx, boss, name="Tray C", capacity=total - 2 * per_tray)
    add_pupils(ctx, total)
    with ctx.db.read() as s:
        cards = [
            pupil_card_payload(ctx.card_key, ctx.card_code, pupil_id, serial)
            for pupil_id, serial in s.execute(select(Pupil.id, Pupil.card_serial))
        ]
    desk_ctxs = [replace(ctx, db=Database(ctx.db.url, patience=INTERACTIVE)) for _ in range(desks)]
    barrier = threading.Barrier(desks + 1)
    timings: list[float] = []
    outcomes = {"handed_in": 0, "full": 0, "error": 0}
    lock = threading.Lock()

    def desk(n: int) -> None:
        barrier.wait()
        for card in cards[n::desks]:
            started = time.perf_counter()
            try:
                custody.scan_card(desk_ctxs[n], card)
                kind = "handed_in"
            except NoFreeSlot:
                kind = "full"
            except Exception as error:  # counted: the figure this benchmark exists for
                print(f"desk {n}: {type(error).__name__}: {str(error).splitlines()[0]}")
                kind = "error"
            took = time.perf_counter() - started
            with lock:
                outcomes[kind] += 1
                timings.append(took)

    threads = [threading.Thread(target=desk, args=(n,)) for n in range(desks)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    for d in desk_ctxs:
        d.close()
    with ctx.db.read() as s:
        places = list(
            s.execute(
                select(PhoneCustody.receptacle_id, PhoneCustody.slot).where(
                    PhoneCustody.collected_at.is_(None)
                )
            )
        )
    doubled = len(places) - len({tuple(p) for p in places})
    timings.sort()
    print(f"{desks} desks x {per_desk} hand-ins = {total} on PostgreSQL")
    print(
        f"handed in {outcomes['handed_in']}, full {outcomes['full']}, "
        f"errors {outcomes['error']}, doubled slots {doubled}"
    )
    print(f"{total / elapsed:.0f} hand-ins/s over {elapsed:.2f} s")
    print(
        f"per hand-in: median {statistics.median(timings) * 1000:.1f} ms, "
        f"95th percentile {timings[int(len(timings) * 0.95)] * 1000:.1f} ms, "
        f"slowest {timings[-1] * 1000:.1f} ms"
    )
    return 0 if outcomes["error"] == 0 and doubled == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
