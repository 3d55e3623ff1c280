"""Nothing is cut off: every desk page, the About dialog and the kiosk face's screens, on
the demo school, at the smallest supported screen (1280×720) and at full HD (1920×1080).

The desk pages walked are whatever :data:`~ui.components.desk.registry.DESK_PANELS` holds,
so a page added there is checked without touching this test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTabWidget, QWidget
from sqlalchemy import select

import kiosk.demo.school as demo
from kiosk.context import KioskContext
from kiosk.persistence.models import PhoneCustody
from kiosk.services.confiscations import open_confiscations
from kiosk.services.pupils import card_payload, get_pupil
from tests.ui.clipping import clipped_widgets
from ui.application import KioskDeskApp, start
from ui.ask import ScriptedAsker
from ui.components.confiscations.panel import ConfiscationsPanel
from ui.components.desk.about import AboutDialog
from ui.components.desk.registry import DESK_PANELS

SIZES = [(1280, 720), (1920, 1080)]
# The kiosk face beside the desk on one 1366×768 screen (the desk keeps 820 px).
NARROW_FACE = (546, 768)


def settle() -> None:
    # Layouts settle over a few passes (a grid's height follows its width).
    for _ in range(5):
        QApplication.processEvents()


@pytest.fixture
def demo_app(qtbot, qapp, tmp_path: Path, clock) -> Iterator[KioskDeskApp]:  # type: ignore[no-untyped-def]
    """The demo school's desk and kiosk face, running on the test clock, signed in as the
    manager (who sees every page)."""
    url = f"sqlite:///{(tmp_path / 'demo.db').as_posix()}"
    real_open = demo.open_kiosk
    demo.open_kiosk = lambda database_url, **options: real_open(  # type: ignore[assignment]
        database_url, clock=clock, **options
    )
    try:
        demo.build_demo_school(url)
    finally:
        demo.open_kiosk = real_open  # type: ignore[assignment]
    running = start(url, qapp, ScriptedAsker(), demo=True, clock=clock)
    qtbot.addWidget(running.desk)
    qtbot.addWidget(running.face)
    lock = running.desk.lock_screen
    lock.staff_box.setCurrentIndex(
        lock.staff_box.findText(demo.DEMO_MANAGER_NAME, Qt.MatchFlag.MatchStartsWith)
    )
    lock.pin.setText(demo.DEMO_MANAGER_PIN)
    lock.sign_in_button.click()
    assert not running.desk.is_locked
    yield running
    running.listener.uninstall(qapp)
    running.ctx.close()


def shown_at(window: QWidget, size: tuple[int, int]) -> list[str]:
    """Show ``window`` at ``size`` and list what is clipped, the window itself included
    when its contents will not let it be that small."""
    window.resize(*size)
    window.show()
    settle()
    problems = clipped_widgets(window)
    if (window.width(), window.height()) != size:
        problems.append(
            f"{type(window).__name__} cannot be {size[0]}×{size[1]}: its contents need "
            f"{window.width()}×{window.height()}"
        )
    return problems


def held_pupil_card(ctx: KioskContext) -> str:
    """The card of a pupil whose phone is held now: scanning it again gives the longest
    everyday header message ("… already in Tray B · slot 12 …")."""
    with ctx.db.read() as s:
        pupil_id = s.scalar(
            select(PhoneCustody.pupil_id).where(PhoneCustody.collected_at.is_(None)).limit(1)
        )
    assert pupil_id is not None, "the demo school holds no phone"
    return card_payload(ctx, get_pupil(ctx, pupil_id))


def desk_pages_clipped(app: KioskDeskApp, size: tuple[int, int]) -> list[str]:
    """Every page in the registry, then a device held for the DSL with its chain of
    custody, with the longest everyday scan message in the header."""
    desk = app.desk
    app.router.route_scan(held_pupil_card(app.ctx))
    assert "already" in desk.header.banner_message()
    problems = []
    for kind in DESK_PANELS:
        panel = desk.workspace.show_panel(kind)
        problems += [f"[{panel.title}] {p}" for p in shown_at(desk, size)]
        # A page's own tabs (the Visitors page's alert list, say): each one in turn.
        for inner in panel.findChildren(QTabWidget):
            for index in range(1, inner.count()):
                inner.setCurrentIndex(index)
                where = f"{panel.title} › {inner.tabText(index)}"
                problems += [f"[{where}] {p}" for p in shown_at(desk, size)]
            inner.setCurrentIndex(0)
    confiscations = desk.workspace.show_panel(ConfiscationsPanel)
    held_for_dsl = next(c for c in open_confiscations(app.ctx) if c.status == "dsl")
    confiscations.show_confiscation(held_for_dsl.id)
    problems += [f"[chosen device] {p}" for p in shown_at(desk, size)]
    return problems


def lock_and_about_clipped(app: KioskDeskApp, qtbot, size: tuple[int, int]) -> list[str]:  # type: ignore[no-untyped-def]
    desk = app.desk
    desk.lock()
    problems = [f"[lock] {p}" for p in shown_at(desk, size)]
    about = AboutDialog(desk)
    qtbot.addWidget(about)
    about.show()
    settle()
    return problems + [f"[about] {p}" for p in clipped_widgets(about)]


def kiosk_face_clipped(app: KioskDeskApp, size: tuple[int, int]) -> list[str]:
    """The waiting screen, a scan's answer, and a visitor's sign-in up to the rules."""
    face = app.face
    face.show_attract()
    problems = [f"[waiting] {p}" for p in shown_at(face, size)]
    app.router.route_scan(held_pupil_card(app.ctx))
    problems += [f"[phone already held] {p}" for p in shown_at(face, size)]
    flow = face.visitor_flow
    assert flow is not None
    face.visiting.click()
    flow.name_edit.setText("Aisha Rahman")
    problems += [f"[visitor name] {p}" for p in shown_at(face, size)]
    flow.name_next.click()
    flow.organisation_edit.setText("Wrenfield County Council")
    flow.host_edit.setText(demo.DEMO_RECEPTIONIST_NAME)
    problems += [f"[visitor details] {p}" for p in shown_at(face, size)]
    flow._on_details_next()
    problems += [f"[visitor category] {p}" for p in shown_at(face, size)]
    flow.category_buttons["governor"].click()
    problems += [f"[visitor rules] {p}" for p in shown_at(face, size)]
    return problems


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_no_page_dialog_or_kiosk_screen_cuts_off_text(  # type: ignore[no-untyped-def]
    demo_app: KioskDeskApp, qtbot, size: tuple[int, int]
) -> None:
    problems = (
        desk_pages_clipped(demo_app, size)
        + kiosk_face_clipped(demo_app, size)
        + lock_and_about_clipped(demo_app, qtbot, size)
    )
    if size == SIZES[0]:
        demo_app.face.visitor_flow._finish()  # type: ignore[union-attr]
        problems += [f"[narrow] {p}" for p in kiosk_face_clipped(demo_app, NARROW_FACE)]
    assert problems == [], "\n".join(problems)


def test_the_check_finds_a_cut_off_label_and_accepts_an_elided_one(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QHBoxLayout, QLabel

    from ui.widgets.elided import ElidedLabel

    window = QWidget()
    qtbot.addWidget(window)
    layout = QHBoxLayout(window)
    cut = QLabel("Governor or trustee: may use devices in meetings")
    cut.setMinimumWidth(1)
    cut.setMaximumWidth(60)
    cut.setObjectName("cut")
    elided = ElidedLabel("Governor or trustee: may use devices in meetings")
    elided.setMaximumWidth(60)
    layout.addWidget(cut)
    layout.addWidget(elided)
    window.resize(200, 60)
    window.show()
    settle()
    problems = clipped_widgets(window)
    assert len(problems) == 1 and "QLabel#cut" in problems[0]
    assert elided.text().endswith("…")
    assert elided.toolTip() == "Governor or trustee: may use devices in meetings"
