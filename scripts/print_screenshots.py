"""Regenerate the printing pictures in ``docs/screenshots/``: the desk pages with Print,
Save as PDF… and Export CSV… (end of day, visitors on site, confiscations, telephone log,
the Printers section of Settings) at 1280 × 720 and 1920 × 1080, and the first page of each
printed list as the printer receives it.

    .venv/bin/python scripts/print_screenshots.py [--out FOLDER]

Built on the demo school at a fixed time (Tuesday 24 November 2026, 16:45, London, after
closing) in a temporary folder, like ``scripts/screenshots.py``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import kiosk.demo.school as demo  # noqa: E402
from kiosk.clock import FixedClock  # noqa: E402
from scripts.screenshots import MORNING, build_demo, save  # noqa: E402
from ui.application import KioskDeskApp, start  # noqa: E402
from ui.ask import ScriptedAsker  # noqa: E402

AFTER_CLOSING = datetime(2026, 11, 24, 16, 45, tzinfo=ZoneInfo("Europe/London"))
SIZES = ((1280, 720), (1920, 1080))


def take_desk_pages(app: KioskDeskApp, out: Path) -> None:
    from ui.components.calls.phone_log import PhoneLogPanel
    from ui.components.confiscations.panel import ConfiscationsPanel
    from ui.components.custody.end_of_day import EndOfDayPanel
    from ui.components.desk.settings import SettingsPanel
    from ui.components.visitors.panel import VisitorsPanel

    desk = app.desk
    lock = desk.lock_screen
    lock.staff_box.setCurrentIndex(
        lock.staff_box.findText(demo.DEMO_RECEPTIONIST_NAME, Qt.MatchFlag.MatchStartsWith)
    )
    lock.pin.setText(demo.DEMO_RECEPTIONIST_PIN)
    lock.sign_in_button.click()
    if desk.is_locked:
        raise SystemExit("Could not sign in to the demo desk: " + lock.message())
    for width, height in SIZES:
        desk.resize(width, height)
        desk.show()
        for kind, name in (
            (EndOfDayPanel, "end-of-day"),
            (VisitorsPanel, "visitors"),
            (ConfiscationsPanel, "confiscations"),
            (PhoneLogPanel, "phone-log"),
            (SettingsPanel, "settings-printers"),
        ):
            desk.workspace.show_panel(kind).refresh()
            save(desk, out / f"print-{name}-{width}x{height}.png")


def save_printed_lists(app: KioskDeskApp, out: Path) -> None:
    """Page one of each printed list, rendered at 80 dpi."""
    import pypdfium2 as pdfium

    from kiosk.printing.lists import list_pdf_bytes
    from kiosk.rows.lists import (
        confiscations_held_table,
        end_of_day_table,
        on_site_table,
        phone_log_table,
    )
    from kiosk.services import confiscations, custody, phone_log, visitors
    from kiosk.services.school import get_school

    ctx = app.ctx
    tz = ctx.timezone
    today = ctx.clock().astimezone(tz).date()
    week_ago = today - timedelta(days=6)
    tables = {
        "end-of-day": end_of_day_table(custody.end_of_day(ctx)[1], tz),
        "on-site": on_site_table(visitors.on_site(ctx), tz),
        "confiscations": confiscations_held_table(confiscations.open_confiscations(ctx), tz),
        "phone-log": phone_log_table(
            phone_log.calls_between(ctx, week_ago, today), tz, week_ago, today
        ),
    }
    school = get_school(ctx).name
    for name, table in tables.items():
        pdf = list_pdf_bytes(table, school_name=school, printed_at=ctx.clock(), timezone=tz)
        image = pdfium.PdfDocument(pdf)[0].render(scale=80 / 72).to_pil()
        path = out / f"printed-{name}.png"
        image.save(path)
        print(f"wrote {path}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(qt_app, QApplication)
    with tempfile.TemporaryDirectory(prefix="kiosk-screenshots-") as folder:
        url = f"sqlite:///{(Path(folder) / 'demo.db').as_posix()}"
        clock = FixedClock(MORNING)
        build_demo(url, clock)
        clock.set(AFTER_CLOSING)
        app = start(url, qt_app, ScriptedAsker(), demo=True, clock=clock)
        try:
            take_desk_pages(app, args.out)
            save_printed_lists(app, args.out)
        finally:
            app.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
