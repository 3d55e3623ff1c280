"""How long a card scan takes in the core, against a bare SQLite insert+commit.

    .venv/bin/python benchmarks/bench_scan.py [--pupils 2000] [--history 1000000] [--scans 400]

Builds a school with N pupils and a history of past custody records (a year or more of
hand-ins), then times ``scan_card`` for hand-ins, repeat scans and collections. The
baseline is one INSERT and COMMIT into a one-column table of the same database file with
the same settings (WAL, synchronous=FULL, BEGIN IMMEDIATE), timed in the same run, so the
ratio says how much the scan costs beyond the unavoidable durable write.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.clock import FixedClock  # noqa: E402
from kiosk.context import KioskContext  # noqa: E402
from kiosk.persistence.models import Pupil  # noqa: E402
from kiosk.services import custody, pupils, staff  # noqa: E402
from kiosk.startup import open_kiosk  # noqa: E402

LONDON = ZoneInfo("Europe/London")


def build_school(folder: Path, n_pupils: int, n_history: int) -> tuple[KioskContext, FixedClock]:
    clock = FixedClock(datetime(2026, 11, 24, 8, 30, tzinfo=LONDON))
    ctx = open_kiosk(f"sqlite:///{folder / 'bench.db'}", clock=clock)
    boss = staff.create_first_manager(ctx, "Benchmark set-up", "2468")
    tray = custody.receptacles(ctx)[0]
    custody.save_receptacle(ctx, boss, name=tray.name, capacity=1000, receptacle_id=tray.id)
    custody.save_receptacle(ctx, boss, name="Tray B", capacity=1000)
    custody.save_receptacle(ctx, boss, name="Tray C", capacity=1000)
    with ctx.db.write() as s:
        s.add_all(
            Pupil(
                upn=f"B{n:012d}",
                forename=f"Forename{n}",
                surname=f"Surname{n}",
                year_group=str(7 + n % 5),
                form=f"{7 + n % 5}{'ABCDEF'[n % 6]}",
                card_serial=1,
                status="on_roll",
            )
            for n in range(n_pupils)
        )
    # Past, collected custody records, written straight through sqlite3 for speed.
    raw = sqlite3.connect(folder / "bench.db", isolation_level=None)
    raw.execute("BEGIN")
    start = datetime(2024, 9, 1, 8, 30)
    rows = []
    for i in range(n_history):
        handed = start + timedelta(minutes=i // 40)
        rows.append(
            (
                1 + i % n_pupils,
                tray.id,
                1 + i % 900,
                "",
                handed.isoformat(" "),
                (handed + timedelta(hours=7)).isoformat(" "),
                0,
            )
        )
        if len(rows) == 50_000:
            raw.executemany(
                "INSERT INTO phone_custody (pupil_id, receptacle_id, slot, location, "
                "handed_in_at, collected_at, no_permission) VALUES (?,?,?,?,?,?,?)",
                rows,
            )
            rows.clear()
    if rows:
        raw.executemany(
            "INSERT INTO phone_custody (pupil_id, receptacle_id, slot, location, "
            "handed_in_at, collected_at, no_permission) VALUES (?,?,?,?,?,?,?)",
            rows,
        )
    raw.execute("COMMIT")
    raw.execute("ANALYZE")
    raw.close()
    return ctx, clock


def baseline_insert_commit(folder: Path, n: int) -> list[float]:
    conn = sqlite3.connect(folder / "bench.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE IF NOT EXISTS bench_baseline (value TEXT)")
    times = []
    for i in range(n):
        t0 = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO bench_baseline (value) VALUES (?)", (f"scan {i}",))
        conn.execute("COMMIT")
        times.append((time.perf_counter() - t0) * 1000)
    conn.close()
    return times


def timed_scans(ctx: KioskContext, payloads: list[str]) -> list[float]:
    times = []
    for payload in payloads:
        t0 = time.perf_counter()
        custody.scan_card(ctx, payload)
        times.append((time.perf_counter() - t0) * 1000)
    return times


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pupils", type=int, default=2000)
    parser.add_argument("--history", type=int, default=1_000_000)
    parser.add_argument("--scans", type=int, default=400)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        ctx, clock = build_school(folder, args.pupils, args.history)
        print(
            f"set-up: {args.pupils} pupils, {args.history:,} past custody records "
            f"in {time.perf_counter() - t0:.1f} s"
        )
        chosen = random.Random(7).sample(pupils.pupils_for_cards(ctx), args.scans)
        payloads = [pupils.card_payload(ctx, p) for p in chosen]
        timed_scans(ctx, payloads[:20])  # warm caches; these become hand-ins
        hand_ins = timed_scans(ctx, payloads[20:])
        repeats = timed_scans(ctx, payloads[20:])
        clock.set(datetime(2026, 11, 24, 15, 15, tzinfo=LONDON))
        collections = timed_scans(ctx, payloads)
        baseline = baseline_insert_commit(folder, len(payloads))
        ctx.close()
    base_median = statistics.median(baseline)
    print(f"\n{'what':<34}{'median ms':>10}{'p95 ms':>10}{'x baseline':>12}")
    for label, values in [
        ("bare SQLite insert+commit", baseline),
        ("scan: hand-in (slot assigned)", hand_ins),
        ("scan: repeat (already held)", repeats),
        ("scan: collection in window", collections),
    ]:
        print(
            f"{label:<34}{statistics.median(values):>10.2f}{p95(values):>10.2f}"
            f"{statistics.median(values) / base_median:>12.1f}"
        )
    print(f"\nmeasured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, python {sys.version.split()[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
