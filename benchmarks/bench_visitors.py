"""Returning-visitor search as the visitor types, and badge PDF generation.

    .venv/bin/python benchmarks/bench_visitors.py [--visits 50000] [--visitors 15000]

Builds a visitor book of N past visits by M people spread over the retention period, then
times ``search_returning_visitors`` for every prefix of real names (one call per keystroke,
as the kiosk makes them) and ``badge_pdf`` for single badges at both sizes. The goal for a
keystroke is under one frame at 60 Hz (16 ms).

The baseline, timed in the same run on the same keystrokes, is the search as it was before
the word index: two LIKE patterns ("key%" or "% key%") on every visitor's folded name,
which no index can answer.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import timedelta

from _common import temporary_school
from sqlalchemy import or_, select

from kiosk.demo.visitors import demo_signature_png
from kiosk.persistence.models import Visitor, VisitorNameWord, VisitorSetting, VisitorVisit
from kiosk.rows.visitors import SignInRequest
from kiosk.services import visitors
from kiosk.text import LIKE_ESCAPE, escape_like, name_key, word_keys

FIRST = ("Amelia", "Oliver", "Zoë", "Łukasz", "Siobhán", "Dafydd", "Aaliyah", "Mohammed",
         "Freya", "Seán", "Ines", "Kacper", "Maja", "Rhys", "Priya", "Tomasz")  # fmt: skip
LAST = ("Smith", "O'Brien", "Wiśniewski", "ap Gruffudd", "Khan", "Nguyễn", "Jones", "Nowak",
        "Ní Bhriain", "Williams", "Evans", "Patel", "Taylor", "Hughes", "Shah", "Brown")  # fmt: skip
ORGS = ("Parent", "Shah Electrical Ltd", "County Council", "NHS Trust", "Supply Agency", "")


def fill_book(ctx, n_visits: int, n_visitors: int) -> list[str]:  # type: ignore[no-untyped-def]
    rng = random.Random(7)
    now = ctx.clock()
    names = [f"{rng.choice(FIRST)} {rng.choice(LAST)} {n}" for n in range(n_visitors)]
    with ctx.db.write() as s:
        people = [
            Visitor(
                name=name,
                organisation=rng.choice(ORGS),
                name_key=name_key(name),
                first_seen_at=now - timedelta(days=2000),
                last_seen_at=now - timedelta(days=rng.randrange(0, 2500)),
            )
            for name in names
        ]
        s.add_all(people)
        s.flush()
        s.add_all(
            VisitorNameWord(visitor_id=person.id, name_key=word, last_seen_at=person.last_seen_at)
            for person in people
            for word in word_keys(person.name_key)
        )
        s.add_all(
            VisitorVisit(
                visitor_id=people[n % n_visitors].id,
                category="visitor",
                host_name="Office",
                car_registration="",
                signed_in_at=now - timedelta(days=rng.randrange(1, 2500)),
                signed_out_at=now,
                signed_out_how="desk",
                id_checked=False,
                dbs_assured=False,
                escorted=True,
                badge_serial=1,
            )
            for n in range(n_visits)
        )
    return names


def search_by_scanning(ctx, typed: str, limit: int = 6) -> list[tuple[int, str, str]]:  # type: ignore[no-untyped-def]
    """The baseline: the type-ahead's query before the word index (a LIKE on every row)."""
    key = name_key(typed)
    if len(key.replace(" ", "")) < visitors.SEARCH_MIN_LETTERS:
        return []
    pattern = escape_like(key)
    with ctx.db.read() as s:
        days = s.scalar(select(VisitorSetting.retention_days).where(VisitorSetting.id == 1))
        since = ctx.clock() - timedelta(days=days or 7 * 365)
        rows = s.execute(
            select(Visitor.id, Visitor.name, Visitor.organisation)
            .where(
                Visitor.last_seen_at >= since,
                or_(
                    Visitor.name_key.like(f"{pattern}%", escape=LIKE_ESCAPE),
                    Visitor.name_key.like(f"% {pattern}%", escape=LIKE_ESCAPE),
                ),
            )
            .order_by(Visitor.last_seen_at.desc())
            .limit(limit)
        ).all()
        return [tuple(row) for row in rows]


def summary(label: str, per_key: list[float]) -> str:
    per_key = sorted(per_key)
    return (
        f"{label}, ms per keystroke over {len(per_key)} keystrokes: "
        f"median {statistics.median(per_key):.2f}, p95 {per_key[int(len(per_key) * 0.95)]:.2f}, "
        f"max {per_key[-1]:.2f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=50_000)
    parser.add_argument("--visitors", type=int, default=15_000)
    args = parser.parse_args()
    with temporary_school(10) as ctx:
        started = time.perf_counter()
        names = fill_book(ctx, args.visits, args.visitors)
        print(f"visitor book: {args.visits} visits by {args.visitors} people "
              f"({time.perf_counter() - started:.1f} s to build)")  # fmt: skip
        rng = random.Random(3)
        per_key: list[float] = []
        baseline: list[float] = []
        for name in rng.sample(names, 60):
            typed = ""
            for ch in name.split()[0] + " " + name.split()[1][:3]:
                typed += ch
                t0 = time.perf_counter()
                found = visitors.search_returning_visitors(ctx, typed)
                per_key.append((time.perf_counter() - t0) * 1000)
                t0 = time.perf_counter()
                scanned = search_by_scanning(ctx, typed)
                baseline.append((time.perf_counter() - t0) * 1000)
                # The same people, in an order that may differ only among equal times.
                assert {f.visitor_id for f in found} <= {row[0] for row in scanned} or len(
                    scanned
                ) == 6, typed
            # A surname typed on its own: a word in the middle of the name.
            typed = ""
            for ch in name.split()[1][:5]:
                typed += ch
                t0 = time.perf_counter()
                visitors.search_returning_visitors(ctx, typed)
                per_key.append((time.perf_counter() - t0) * 1000)
                t0 = time.perf_counter()
                search_by_scanning(ctx, typed)
                baseline.append((time.perf_counter() - t0) * 1000)
        print(summary("returning-visitor search, word index", per_key) + " (goal < 16)")
        print(summary("baseline, LIKE on every visitor", baseline))
        policy = visitors.current_policy(ctx, "contractor")
        signed = visitors.sign_in_visitor(
            ctx,
            SignInRequest(
                "Zoë O'Brien-Nguyễn",
                "Łukasz & Sons",
                "contractor",
                None,
                "Office",
                "",
                policy.version,
                demo_signature_png(),
            ),  # fmt: skip
        )
        for size in ("a6", "label62"):
            visitors.badge_pdf(ctx, signed, size)  # fonts registered, caches warm
            times = []
            for _ in range(30):
                t0 = time.perf_counter()
                visitors.badge_pdf(ctx, signed, size)
                times.append((time.perf_counter() - t0) * 1000)
            print(f"badge PDF ({size}): median {statistics.median(times):.1f} ms, "
                  f"max {max(times):.1f} ms")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
