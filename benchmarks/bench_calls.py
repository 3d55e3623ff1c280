"""Calls and messages: how long the desk takes to record a call, and to make a message pad.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_calls.py [--calls 100]

1. "Take a call" to saved, through the desk's Calls panel: the panel is refreshed as when
   its tab is opened, the recipient is typed and chosen from the suggestions, caller, number
   and a 200-character message are filled in, and the Urgent or Can wait button is clicked;
   the clock stops when the message is saved and the queues are shown again. No human
   typing time: this is the code's own latency. The school has 150 staff, visits today and
   a history of 5,000 messages (40 still open).
2. The same save through the core alone (``take_message``), for comparison.
3. A 25-page blank message pad (100 slips) as PDF.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import temporary_school  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from kiosk.persistence.models import PhoneMessage, Staff  # noqa: E402
from kiosk.printing.message_slips import pad_pdf_bytes  # noqa: E402
from kiosk.services.messages import take_message  # noqa: E402
from kiosk.services.staff import create_first_manager  # noqa: E402
from kiosk.services.trips import save_trip  # noqa: E402
from ui.ask import ScriptedAsker  # noqa: E402
from ui.components.calls.panel import CallsPanel

MESSAGE = (
    "Please ring back about Friday's trip: the coach company needs the final numbers and "
    "two dietary notes before noon, or the booking moves to Monday. Number is on the slip, "
    "ask for Dana."
)[:200].ljust(200, ".")


def _stats(label: str, samples: list[float]) -> None:
    samples = sorted(samples)
    p95 = samples[max(0, int(len(samples) * 0.95) - 1)]
    print(
        f"{label}: median {statistics.median(samples) * 1000:.1f} ms, "
        f"p95 {p95 * 1000:.1f} ms, max {samples[-1] * 1000:.1f} ms (n={len(samples)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=100)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    with temporary_school(300) as ctx:
        manager = create_first_manager(ctx, "Ms Bench Manager", "2468")
        with ctx.db.write() as s:
            staff = [
                Staff(
                    name=f"Staff Member {n:03d} Ó Súilleabháin",
                    role="receptionist",
                    active=True,
                    initials=f"S{n:03d}",
                    email=f"s{n}@school.example",
                    job_title="Teacher",
                )
                for n in range(150)
            ]
            s.add_all(staff)
            s.flush()
            staff_ids = [st.id for st in staff]
        now = ctx.clock()
        save_trip(
            ctx, manager, on_date=now.astimezone(ctx.timezone).date(), destination="Museum",
            lead_id=staff_ids[0], lead_mobile="07700 900001", attending=staff_ids[1:6],
        )  # fmt: skip
        with ctx.db.write() as s:
            s.add_all(
                PhoneMessage(
                    taken_at=now - timedelta(minutes=n),
                    taken_by=manager.staff_id,
                    for_staff_id=staff_ids[n % 150],
                    for_name="x",
                    caller_name="Caller",
                    caller_number="",
                    text="Old message",
                    urgency="can_wait",
                    route="desk",
                    state="open" if n < 40 else "passed_on",
                    held_until=now + timedelta(hours=2),
                    passed_on_at=None if n < 40 else now,
                    passed_on_by=None if n < 40 else manager.staff_id,
                    passed_on_how=None if n < 40 else "in_person",
                    outcome="",
                    call_back=False,
                    will_call_again=False,
                )
                for n in range(5000)
            )

        panel = CallsPanel(ctx, lambda: manager, ScriptedAsker())
        panel.resize(1400, 820)
        panel.show()
        app.processEvents()
        gui: list[float] = []
        for n in range(args.calls):
            who = f"S{100 + n % 50:03d}"
            started = time.perf_counter()
            panel.refresh()  # opening the tab
            panel.for_whom.setText(who)
            panel._on_for_whom_edited(who)  # as typing does
            panel.choose_recipient(0)
            panel.caller.setText("Dana Whitfield-Ó Briain")
            panel.number.setText("01632 960 123")
            panel.message.setPlainText(MESSAGE)
            saved = panel.take_call(urgent=n % 2 == 0)
            gui.append(time.perf_counter() - started)
            assert saved is not None and len(saved.text) == 200
            app.processEvents()
        _stats("take a call -> saved, desk panel", gui)

        core: list[float] = []
        for n in range(args.calls):
            started = time.perf_counter()
            take_message(
                ctx, manager, for_staff_id=staff_ids[50 + n % 50], caller_name="Dana",
                caller_number="01632 960 123", text=MESSAGE, urgent=n % 2 == 1,
            )  # fmt: skip
            core.append(time.perf_counter() - started)
        _stats("take_message, core only", core)

    pads: list[float] = []
    for _ in range(5):
        started = time.perf_counter()
        data = pad_pdf_bytes(25, "Benchmark Academy")
        pads.append(time.perf_counter() - started)
    _stats(f"message pad, 25 pages ({len(data) // 1024} KiB)", pads)


if __name__ == "__main__":
    main()
