"""Regenerate the README screenshots in ``docs/screenshots/`` from the demo school.

    .venv/bin/python scripts/screenshots.py [--out FOLDER] [--every-page]

The demo school is built in a temporary folder on a fixed morning (Tuesday 24 November 2026,
08:50, London), so the pictures come out the same on every run and no real database is
touched. Windows are drawn off screen at 1280 × 800.

``--every-page`` draws instead every desk page (signed in as the demo manager, who sees
them all) and the kiosk face's screens at 1280 × 720 and 1920 × 1080, into
``pages/<width>x<height>/<page>.png`` under the output folder.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from dataclasses import replace as dataclass_replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402
from sqlalchemy import select  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import kiosk.demo.school as demo  # noqa: E402
from kiosk.clock import FixedClock  # noqa: E402
from kiosk.context import KioskContext  # noqa: E402
from kiosk.persistence.models import Arrangement, PhoneCustody, Pupil  # noqa: E402
from kiosk.services.pupils import card_payload, get_pupil  # noqa: E402
from ui.application import KioskDeskApp, start  # noqa: E402
from ui.ask import ScriptedAsker  # noqa: E402

SIZE = (1280, 800)
MORNING = datetime(2026, 11, 24, 8, 50, tzinfo=ZoneInfo("Europe/London"))


def build_demo(url: str, clock: FixedClock) -> None:
    """The demo school as it would be built on the fixed morning."""
    real_open = demo.open_kiosk

    def open_on_the_fixed_morning(database_url: str, **options: object) -> KioskContext:
        return real_open(database_url, clock=clock, **options)  # type: ignore[arg-type]

    demo.open_kiosk = open_on_the_fixed_morning  # type: ignore[assignment]
    try:
        demo.build_demo_school(url)
    finally:
        demo.open_kiosk = real_open  # type: ignore[assignment]


def pupil_without_phone_or_arrangement(ctx: KioskContext, year: str) -> int:
    """A pupil in ``year`` with nothing held and nothing special on file: a plain hand-in."""
    with ctx.db.read() as s:
        busy = select(PhoneCustody.pupil_id).where(PhoneCustody.collected_at.is_(None))
        special = select(Arrangement.pupil_id)
        pupil_id = s.scalar(
            select(Pupil.id)
            .where(Pupil.year_group == year, Pupil.id.not_in(busy), Pupil.id.not_in(special))
            .order_by(Pupil.form, Pupil.surname)
            .limit(1)
        )
    assert pupil_id is not None, f"the demo school has no free pupil in year {year}"
    return pupil_id


def save(widget: QWidget, path: Path) -> None:
    # Layouts settle over a few passes (a grid's height follows its width): let them.
    for _ in range(5):
        QApplication.processEvents()
    if not widget.grab().save(str(path)):
        raise SystemExit(f"Could not write {path}")
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def take_screenshots(app: KioskDeskApp, out: Path) -> None:
    desk, face, ctx = app.desk, app.face, app.ctx
    for window in (desk, face):
        window.resize(*SIZE)
        window.show()

    save(face, out / "kiosk-attract.png")

    pupil = get_pupil(ctx, pupil_without_phone_or_arrangement(ctx, "9"))
    app.router.route_scan(card_payload(ctx, pupil))
    save(face, out / "kiosk-hand-in.png")

    genuine = card_payload(ctx, get_pupil(ctx, pupil_without_phone_or_arrangement(ctx, "10")))
    forged = genuine[:-1] + ("A" if genuine[-1] != "A" else "B")
    app.router.route_scan(forged)
    save(face, out / "kiosk-failure.png")

    # The desk's banner shows the latest scan: another pupil handing in.
    classmate = get_pupil(ctx, pupil_without_phone_or_arrangement(ctx, "11"))
    app.router.route_scan(card_payload(ctx, classmate))
    save(desk, out / "desk-lock.png")

    lock = desk.lock_screen
    lock.staff_box.setCurrentIndex(
        lock.staff_box.findText(demo.DEMO_RECEPTIONIST_NAME, Qt.MatchFlag.MatchStartsWith)
    )
    lock.pin.setText(demo.DEMO_RECEPTIONIST_PIN)
    lock.sign_in_button.click()
    if desk.is_locked:
        raise SystemExit("Could not sign in to the demo desk: " + lock.message())
    take_navigation_screenshots(app, out)
    from ui.components.custody.board import BoardView

    desk.workspace.show_panel(BoardView)
    save(desk, out / "desk-board.png")
    take_confiscation_screenshots(app, out)
    take_calls_screenshots(app, out)
    take_visitor_screenshots(app, out)
    take_audit_screenshot(app, out)
    take_alert_and_board_screenshots(app, out)


def take_audit_screenshot(app: KioskDeskApp, out: Path) -> None:
    """The audit log, each entry a sentence with people's names."""
    from ui.components.desk.audit import AuditPanel

    app.desk.workspace.show_panel(AuditPanel)
    save(app.desk, out / "desk-audit.png")


def take_alert_and_board_screenshots(app: KioskDeskApp, out: Path) -> None:
    """The board's compact view and grid, and the red alert banner after a sign-in that
    matches the alert list, at the smallest screen the desk fits (1280x720) and at 1920x1080.
    The pupils' scans in between show that the banner stays."""
    from kiosk.changes import Changes, Topic
    from kiosk.demo.visitors import demo_signature_png
    from kiosk.rows.visitors import SignInRequest
    from kiosk.services import visitors
    from ui.components.custody.board import COMPACT, GRID, BoardView

    desk, ctx = app.desk, app.ctx
    board = desk.workspace.show_panel(BoardView)
    for width, height in ((1280, 720), (1920, 1080)):
        desk.resize(width, height)
        board.set_view(COMPACT)
        save(desk, out / f"desk-board-compact-{width}x{height}.png")
        board.set_view(GRID)
        save(desk, out / f"desk-board-grid-{width}x{height}.png")
    board.set_view(COMPACT)

    category = "parent_carer"
    visitors.sign_in_visitor(
        ctx,
        SignInRequest(
            name="Darren Keane",
            organisation="",
            category=category,
            host_staff_id=None,
            host_name="Reception",
            car_registration="",
            policy_version=visitors.current_policy(ctx, category).version,
            signature_png=demo_signature_png(),
            returning_visitor_id=None,
        ),
    )
    desk.apply(Changes.of(Topic.VISITORS))
    pupil = get_pupil(ctx, pupil_without_phone_or_arrangement(ctx, "8"))
    app.router.route_scan(card_payload(ctx, pupil))
    for width, height in ((1280, 720), (1920, 1080)):
        desk.resize(width, height)
        save(desk, out / f"desk-alert-banner-{width}x{height}.png")
    desk.resize(*SIZE)


def take_navigation_screenshots(app: KioskDeskApp, out: Path) -> None:
    """The desk by job at the commonest and the largest office screens: the Today page, the
    Phones section and the Calls section, at 1280 × 720 and 1920 × 1080."""
    from ui.components.calls.panel import CallsPanel
    from ui.components.custody.board import BoardView
    from ui.components.desk.today import TodayPanel

    desk = app.desk
    for width, height in ((1280, 720), (1920, 1080)):
        desk.resize(width, height)
        for kind, name in ((TodayPanel, "today"), (BoardView, "phones"), (CallsPanel, "calls")):
            desk.workspace.show_panel(kind)
            save(desk, out / f"desk-{name}-{width}x{height}.png")
    desk.resize(*SIZE)
    desk.workspace.show_panel(TodayPanel)
    save(desk, out / "desk-today.png")


def take_confiscation_screenshots(app: KioskDeskApp, out: Path) -> None:
    """The Confiscations tab: a device held for the DSL with its chain, then a release."""
    from PySide6.QtCore import QPointF

    from kiosk.services.confiscations import open_confiscations
    from ui.components.confiscations.panel import ConfiscationsPanel
    from ui.components.custody.exemptions import ArrangementsPanel

    desk, ctx = app.desk, app.ctx
    workspace = desk.workspace
    panel = workspace.show_panel(ConfiscationsPanel)
    held_for_dsl = next(c for c in open_confiscations(ctx) if c.status == "dsl")
    panel.show_confiscation(held_for_dsl.id)
    save(desk, out / "desk-confiscation.png")

    in_office = next(c for c in open_confiscations(ctx) if c.status == "held")
    panel.show_confiscation(in_office.id)
    panel.start_release()
    panel.release_form.id_checked.setChecked(True)
    save(desk, out / "desk-confiscation-release.png")  # lay the pad out at its real size
    canvas = panel.release_form.signature.canvas
    width, height = canvas.width(), canvas.height()
    panel.release_form.signature.add_stroke(
        [
            QPointF(width * (0.1 + 0.03 * i), height * (0.55 + (0.2 if i % 2 else -0.15)))
            for i in range(20)
        ]
    )
    save(desk, out / "desk-confiscation-release.png")

    workspace.show_panel(ArrangementsPanel)
    save(desk, out / "desk-register.png")


def take_calls_screenshots(app: KioskDeskApp, out: Path) -> None:
    """Calls (taking a call, the queues), the telephone log, visits, the directory and the
    school day."""
    from ui.components.calendar.school_day import SchoolDayPanel
    from ui.components.calls.directory import DirectoryPanel
    from ui.components.calls.panel import CallsPanel
    from ui.components.calls.phone_log import PhoneLogPanel
    from ui.components.calls.trips import VisitsPanel

    desk = app.desk
    workspace = desk.workspace
    calls = workspace.show_panel(CallsPanel)
    calls.for_whom.setText("zo")
    calls._on_for_whom_edited("zo")
    save(desk, out / "desk-calls.png")
    calls.for_whom.clear()
    calls._on_for_whom_edited("")
    for kind, name in (
        (PhoneLogPanel, "desk-phone-log.png"),
        (VisitsPanel, "desk-visits.png"),
        (DirectoryPanel, "desk-staff.png"),
        (SchoolDayPanel, "desk-school-day.png"),
    ):
        workspace.show_panel(kind)
        save(desk, out / name)


def take_visitor_screenshots(app: KioskDeskApp, out: Path) -> None:
    """A visitor signing in at the kiosk face, step by step, and the desk's Visitors tab."""
    from PySide6.QtCore import QPointF

    from ui.components.visitors.panel import VisitorsPanel

    desk, face = app.desk, app.face
    flow = face.visitor_flow
    assert flow is not None
    face.visiting.click()
    flow.name_edit.setText("Aisha Rahman")
    flow._on_name_typed("Aisha Rahman")
    save(face, out / "kiosk-visitor-name.png")
    flow.name_next.click()
    flow.organisation_edit.setText("Wrenfield County Council")
    flow.host_edit.setText("dafy")
    flow._on_host_typed("dafy")
    save(face, out / "kiosk-visitor-details.png")
    flow._on_host_picked(0)
    flow._on_details_next()
    save(face, out / "kiosk-visitor-category.png")
    flow.category_buttons["officer"].click()
    save(face, out / "kiosk-visitor-rules.png")
    bar = flow.rules_scroll.verticalScrollBar()
    bar.setValue(bar.maximum())
    flow.agree.click()
    save(face, out / "kiosk-visitor-sign.png")  # lay the pad out at its real size
    canvas = flow.signature.canvas
    width, height = canvas.width(), canvas.height()
    flow.signature.add_stroke(
        [
            QPointF(width * (0.1 + 0.03 * i), height * (0.55 + (0.2 if i % 2 else -0.15)))
            for i in range(20)
        ]
    )
    save(face, out / "kiosk-visitor-sign.png")
    flow.sign_in_button.click()
    save(face, out / "kiosk-visitor-welcome.png")
    flow._finish()
    face.visiting.click()
    flow.name_edit.setText("pri")
    flow._on_name_typed("pri")
    save(face, out / "kiosk-visitor-returning.png")
    flow._finish()

    desk.workspace.show_panel(VisitorsPanel).refresh()
    save(desk, out / "desk-visitors.png")


EVERY_PAGE_SIZES = ((1280, 720), (1920, 1080))


def page_file_name(title: str) -> str:
    """A page's title as a file name: "Calls (1 urgent)" -> "calls"."""
    words = re.sub(r"\(.*?\)", "", title).strip().lower()
    return re.sub(r"[^a-z0-9]+", "-", words).strip("-") or "page"


def take_every_page(app: KioskDeskApp, out: Path) -> None:
    """Every desk page in the registry and the kiosk face's screens, at each size."""
    from ui.components.desk.registry import DESK_PANELS

    desk, face, ctx = app.desk, app.face, app.ctx
    lock = desk.lock_screen
    lock.staff_box.setCurrentIndex(
        lock.staff_box.findText(demo.DEMO_MANAGER_NAME, Qt.MatchFlag.MatchStartsWith)
    )
    lock.pin.setText(demo.DEMO_MANAGER_PIN)
    lock.sign_in_button.click()
    if desk.is_locked:
        raise SystemExit("Could not sign in to the demo desk: " + lock.message())
    pupil = get_pupil(ctx, pupil_without_phone_or_arrangement(ctx, "9"))
    app.router.route_scan(card_payload(ctx, pupil))
    app.router.route_scan(card_payload(ctx, pupil))  # "already handed in": a long message
    for width, height in EVERY_PAGE_SIZES:
        folder = out / "pages" / f"{width}x{height}"
        folder.mkdir(parents=True, exist_ok=True)
        desk.resize(width, height)
        desk.show()
        for kind in DESK_PANELS:
            panel = desk.workspace.show_panel(kind)
            save(desk, folder / f"desk-{page_file_name(panel.title)}.png")
        face.resize(width, height)
        face.show()
        face.show_attract()
        save(face, folder / "kiosk-waiting.png")
        flow = face.visitor_flow
        assert flow is not None
        face.visiting.click()
        flow.name_edit.setText("Aisha Rahman")
        flow.name_next.click()
        flow.organisation_edit.setText("Wrenfield County Council")
        flow.host_edit.setText(demo.DEMO_RECEPTIONIST_NAME)
        save(face, folder / "kiosk-visitor-details.png")
        flow._on_details_next()
        save(face, folder / "kiosk-visitor-category.png")
        flow.category_buttons["governor"].click()
        save(face, folder / "kiosk-visitor-rules.png")
        flow._finish()


def save_printed_cards(out: Path) -> None:
    """Two printed pupil cards as the README shows them: a pupil imported with a "known as"
    forename (the card says the name she goes by), and a Reception pupil of a school
    without UPNs, identified by admission number."""
    import pypdfium2 as pdfium

    from kiosk.printing.cards import CARD_HEIGHT, CARD_WIDTH, card_origin, cards_pdf_bytes
    from kiosk.rows.people import PupilRow

    sasha = PupilRow(1, "C919402120301", "Alexandra", "Whitcombe", "9", "9 Oak", 1, "on_roll")
    ned = PupilRow(2, "", "Edward", "Coppard", "R", "Owls", 1, "on_roll")
    pupils = [
        dataclass_replace(sasha, known_forename="Sasha"),
        dataclass_replace(
            ned, known_forename="Ned", id_scheme="admission_number", identifier="1207"
        ),
    ]
    # A sample code in the card's shape: the picture shows the layout, not a working card.
    data = cards_pdf_bytes(
        "Hillside Primary Academy", [(p, "P1ABCDAAAEABK7Q2M4XZRT") for p in pupils]
    )
    scale = 150 / 72
    page = pdfium.PdfDocument(data)[0]
    image = page.render(scale=scale).to_pil()
    left, bottom = card_origin(0)
    right, _ = card_origin(1)
    top = bottom + CARD_HEIGHT
    height = page.get_height()
    box = (left, height - top, right + CARD_WIDTH, height - bottom)
    image.crop(tuple(round(v * scale) for v in box)).save(out / "printed-cards.png")


SETUP_SIZES = ((1280, 720), (1920, 1080))
SETUP_PUPILS = ROOT / "tests" / "data" / "broken_rows.csv"


def take_setup_screenshots(qt_app: QApplication, out: Path, size: tuple[int, int]) -> None:
    """A new school's first start: the set-up guide's steps, a pupil file previewed and
    imported, the cards step, and the desk's Import page, at ``size`` (width, height)."""
    from ui.components.setup.imports import ImportPanel

    tag = f"{size[0]}x{size[1]}"
    with tempfile.TemporaryDirectory(prefix="kiosk-setup-screenshots-") as folder:
        url = f"sqlite:///{(Path(folder) / 'school.db').as_posix()}"
        asker = ScriptedAsker(str(SETUP_PUPILS), str(SETUP_PUPILS))
        app = start(url, qt_app, asker, clock=FixedClock(MORNING))
        try:
            desk, guide = app.desk, app.desk.setup_guide
            desk.resize(*size)
            desk.show()
            guide.school_name.setText("Riverside Academy")
            save(desk, out / f"setup-1-school-{tag}.png")
            guide.next_button.click()
            guide.manager_name.setText("Mrs Amina Khan")
            guide.new_pin.setText("4826")
            guide.new_pin_again.setText("4826")
            save(desk, out / f"setup-2-manager-{tag}.png")
            guide.next_button.click()
            box = guide.imports[0]
            box.choose_button.click()
            box.wait_for_job()
            QApplication.processEvents()
            save(desk, out / f"setup-3-pupils-preview-{tag}.png")
            box.import_button.click()
            box.wait_for_job()
            QApplication.processEvents()
            guide.next_button.click()
            guide.skip_button.click()
            guide.skip_button.click()
            save(desk, out / f"setup-4-cards-{tag}.png")
            guide.next_button.click()
            panel = desk.workspace.show_panel(ImportPanel)
            box = panel.show_kind("pupils")
            box.choose_button.click()
            box.wait_for_job()
            QApplication.processEvents()
            save(desk, out / f"desk-import-{tag}.png")
        finally:
            app.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument(
        "--every-page",
        action="store_true",
        help="every desk page and kiosk screen at 1280x720 and 1920x1080, in pages/",
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(qt_app, QApplication)
    with tempfile.TemporaryDirectory(prefix="kiosk-screenshots-") as folder:
        url = f"sqlite:///{(Path(folder) / 'demo.db').as_posix()}"
        clock = FixedClock(MORNING)
        build_demo(url, clock)
        app = start(url, qt_app, ScriptedAsker(), demo=True, clock=clock)
        try:
            if args.every_page:
                take_every_page(app, args.out)
            else:
                take_screenshots(app, args.out)
        finally:
            app.close()
    if not args.every_page:
        save_printed_cards(args.out)
        for size in SETUP_SIZES:
            take_setup_screenshots(qt_app, args.out, size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
