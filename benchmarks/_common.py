"""Shared set-up for the benchmarks: a throwaway school database with N pupils.

    from _common import temporary_school

    with temporary_school(2000) as ctx:   # KioskContext on a fresh SQLite file
        ...

The database, and its card key, live in a temporary folder that is removed afterwards, so
a benchmark never touches the real school's data. Pupils get varied names (accents
included), years 7-11 and six forms a year, as a secondary school's roll would have.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.clock import Clock, FixedClock  # noqa: E402
from kiosk.context import KioskContext  # noqa: E402
from kiosk.persistence.models import Pupil  # noqa: E402
from kiosk.startup import open_kiosk  # noqa: E402

LONDON = ZoneInfo("Europe/London")
# A Tuesday morning in term.
BENCH_MORNING = datetime(2026, 11, 24, 8, 30, tzinfo=LONDON)

_FORENAMES = (
    "Amelia", "Oliver", "Zoë", "Łukasz", "Siobhán", "Dafydd", "Aaliyah", "Mohammed",
    "Nguyễn Thị", "Oluwaseun", "Freya", "Seán", "Ines", "Kacper", "Maja", "Rhys",
)  # fmt: skip
_SURNAMES = (
    "Smith", "Ó Súilleabháin", "Wiśniewski", "ap Gruffudd", "O'Brien", "Khan",
    "Minh Khai", "Adebayo-Okonkwo", "Jones", "Nowak", "Ní Bhriain", "Williams",
    "Richardson-Smythe", "Evans", "Patel", "Taylor",
)  # fmt: skip


def add_pupils(ctx: KioskContext, count: int) -> None:
    """Put ``count`` pupils on roll in one transaction."""
    with ctx.db.write() as s:
        s.add_all(
            Pupil(
                upn=f"B{n:012d}",
                forename=_FORENAMES[n % len(_FORENAMES)],
                surname=f"{_SURNAMES[(n // len(_FORENAMES)) % len(_SURNAMES)]}",
                year_group=str(7 + n % 5),
                form=f"{7 + n % 5}{'ABCDEF'[(n // 5) % 6]}",
                card_serial=1,
                status="on_roll",
            )
            for n in range(count)
        )


@contextmanager
def temporary_school(
    pupils: int, *, clock: Clock | None = None, school_name: str = "Benchmark Academy"
) -> Iterator[KioskContext]:
    """A migrated SQLite school with ``pupils`` pupils on roll, deleted on exit."""
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as folder:
        ctx = open_kiosk(
            f"sqlite:///{Path(folder) / 'bench.db'}",
            clock=clock or FixedClock(BENCH_MORNING),
            key_path=Path(folder) / "bench.card.key",
            school_name=school_name,
        )
        try:
            add_pupils(ctx, pupils)
            yield ctx
        finally:
            ctx.close()
