"""The application's own speed, as a person at the desk feels it.

    .venv/bin/python benchmarks/bench_gui.py [--pupils 2000] [--history 1000000] [--scans 200]

1. Scan to confirmation painted: a keyboard-wedge burst (the card's characters, then
   Enter) is sent into the running application; the time is from the Enter key to the end
   of the kiosk face's next paint. Goal: p95 within two frames (33 ms).
2. Cold start: from launching ``kiosk-desk`` to its first painted window, against a bare
   PySide6 window started the same way in the same run (the ratio is what we add).

Runs headless (QT_QPA_PLATFORM=offscreen unless a display is given).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from bench_scan import build_school  # noqa: E402

# A probe run as the child process: prints how long after process start the first window
# finished painting, then quits. ``MODE`` is "bare" or "desk".
_PROBE = textwrap.dedent(
    """
    import sys, time
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QLabel

    class FirstPaint(QObject):
        def __init__(self):
            super().__init__()
            self.done = False
        def eventFilter(self, obj, event):
            if (not self.done and event.type() == QEvent.Type.Paint
                    and getattr(obj, "isWindow", lambda: False)()):
                self.done = True
                QTimer.singleShot(0, self.report)
            return False
        def report(self):
            print("PAINTED", flush=True)
            QApplication.instance().exit(0)

    probe = FirstPaint()
    original_exec = QApplication.exec
    def exec_with_probe(*args):
        QApplication.instance().installEventFilter(probe)
        return original_exec()
    QApplication.exec = exec_with_probe

    if sys.argv[1] == "bare":
        app = QApplication([])
        window = QLabel("Hello")
        window.resize(800, 600)
        window.show()
        sys.exit(app.exec())
    else:
        from ui.app import main
        sys.exit(main(["--db", sys.argv[2]]))
    """
)


def cold_start(db_url: str, runs: int) -> tuple[list[float], list[float]]:
    def once(mode: str) -> float:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-c", _PROBE, mode, db_url],
            stdout=subprocess.PIPE,
            text=True,
            cwd=HERE.parent,
        )
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.strip() == "PAINTED":
                elapsed = (time.perf_counter() - t0) * 1000
                break
        else:
            raise RuntimeError(f"{mode} never painted (exit {proc.wait()})")
        proc.wait(timeout=30)
        return elapsed

    once("bare"), once("desk")  # warm the file cache for both
    bare, desk = [], []
    for _ in range(runs):
        bare.append(once("bare"))
        desk.append(once("desk"))
    return bare, desk


def scan_to_paint(ctx_url: str, payloads: list[str]) -> list[float]:
    from PySide6.QtCore import QEvent, QObject, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from ui.application import start
    from ui.ask import ScriptedAsker

    qt_app = QApplication.instance() or QApplication([])
    app = start(ctx_url, qt_app, ScriptedAsker())
    app.show()
    qt_app.processEvents()

    class PaintWatch(QObject):
        painted_at = 0.0

        def eventFilter(self, obj, event):  # noqa: N802 (Qt name)
            if event.type() == QEvent.Type.Paint:
                self.painted_at = time.perf_counter()
            return False

    watch = PaintWatch()
    face = app.face
    for child in [face, *face.findChildren(QObject)]:
        child.installEventFilter(watch)
    target = app.desk
    timings = []
    for payload in payloads:
        QTest.keyClicks(target, payload)
        watch.painted_at = 0.0
        t0 = time.perf_counter()
        QTest.keyClick(target, Qt.Key.Key_Return)
        deadline = t0 + 2
        while watch.painted_at == 0.0 and time.perf_counter() < deadline:
            qt_app.processEvents()
        # Let the rest of the frame's paints land before timing the next scan.
        settle = time.perf_counter() + 0.01
        while time.perf_counter() < settle:
            qt_app.processEvents()
        timings.append(((watch.painted_at or deadline) - t0) * 1000)
        face.show_attract()
        qt_app.processEvents()
    app.close()
    return timings


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pupils", type=int, default=2000)
    parser.add_argument("--history", type=int, default=1_000_000)
    parser.add_argument("--scans", type=int, default=200)
    parser.add_argument("--starts", type=int, default=5)
    args = parser.parse_args()
    from kiosk.services import pupils

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ctx, _clock = build_school(folder, args.pupils, args.history)
        url = ctx.db.url
        chosen = random.Random(11).sample(pupils.pupils_for_cards(ctx), args.scans)
        payloads = [pupils.card_payload(ctx, p) for p in chosen]
        ctx.close()
        paint = scan_to_paint(url, payloads)
        bare, desk = cold_start(url, args.starts)

    print(
        f"{args.pupils} pupils, {args.history:,} past custody records, "
        f"platform {os.environ['QT_QPA_PLATFORM']}\n"
    )
    print(f"{'what':<46}{'median':>10}{'p95':>10}")
    print(
        f"{'scan (Enter) to kiosk face painted, ms':<46}"
        f"{statistics.median(paint):>10.1f}{p95(paint):>10.1f}"
    )
    print(f"\n{'cold start to first painted window':<46}{'median ms':>10}{'ratio':>10}")
    print(f"{'bare PySide6 window':<46}{statistics.median(bare):>10.0f}{1.0:>10.1f}")
    print(
        f"{'kiosk-desk':<46}{statistics.median(desk):>10.0f}"
        f"{statistics.median(desk) / statistics.median(bare):>10.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
