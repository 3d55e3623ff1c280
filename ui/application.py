"""The running application: the reception desk window and the pupils' kiosk face, wired.

Both windows share one :class:`KioskContext`, built once here. A single scan listener on the
application hears the keyboard-wedge scanner whichever window or field has focus; the scan
router records each scan and both windows show the result.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.changes import Changes, Topic
from kiosk.clock import Clock, system_clock
from kiosk.context import KioskContext
from kiosk.persistence.database import INTERACTIVE
from kiosk.resources import resources_dir
from kiosk.startup import open_kiosk
from ui.ask import Asker
from ui.components.desk.fault_notice import FaultNotices
from ui.components.desk.workspace import DeskWorkspace
from ui.scan_router import ScanRouter
from ui.screens.desk_window import (
    DEFAULT_IDLE_LOCK_MS,
    DeskWindow,
    WorkspaceFactory,
)
from ui.screens.kiosk_face import DEFAULT_RETURN_AFTER_MS, KioskFace
from ui.screens.placement import FaceMode, Placement, place_windows
from ui.widgets.camera_scanner import CameraScanner, start_camera_if_chosen
from ui.widgets.scan_listener import ScanListener

log = logging.getLogger(__name__)

# The desk frame and the kiosk face (scoped by id); the workspace applies desk.qss itself.
STYLESHEETS = ("app.qss", "kiosk.qss")


def load_stylesheet() -> str:
    """Every stylesheet in ``resources/styles`` that exists, in cascade order."""
    parts = []
    for name in STYLESHEETS:
        path = resources_dir() / "styles" / name
        if path.exists():
            parts.append(path.read_text(encoding="utf-8"))
    return "\n".join(parts)


def application_icon() -> QIcon:
    icon = QIcon()
    for size in (16, 32, 48, 64, 128, 256):
        path = resources_dir() / "icons" / f"app-{size}.png"
        if path.exists():
            icon.addFile(str(path))
    return icon


@dataclass
class KioskDeskApp:
    """Everything the running application is made of, so it can be closed cleanly."""

    ctx: KioskContext
    listener: ScanListener
    router: ScanRouter
    desk: DeskWindow
    face: KioskFace
    # The webcam scanner, when this computer is set to use one (it may be unavailable).
    camera: CameraScanner | None = None
    # Says a busy or unreachable database on the desk's banner when an action meets one.
    faults: FaultNotices | None = None

    # Where the windows went when shown (None before :meth:`show`).
    placement: Placement | None = None

    def show(self) -> None:
        """Show the desk and the kiosk face as :func:`place_windows` places them on this
        computer's screens: the face on a second screen, beside the desk on one wide
        screen, or, on one ordinary screen, only when "Kiosk screen" is pressed."""
        screens = QGuiApplication.screens()
        if not screens:
            self.desk.show()
            return
        primary = QGuiApplication.primaryScreen()
        index = screens.index(primary) if primary in screens else 0
        self.placement = place_windows([screen.availableGeometry() for screen in screens], index)
        fit_window(self.desk, self.placement.desk)
        if self.placement.face_mode is FaceMode.OWN_SCREEN:
            self.face.show_on_best_screen()
        elif self.placement.face_mode is FaceMode.BESIDE:
            fit_window(self.face, self.placement.face)

    def show_face(self) -> None:
        """Bring the kiosk face into view (the header's "Kiosk screen"). On one ordinary
        screen it covers the desk's whole area until it is closed."""
        placement = self.placement
        if placement is not None and placement.face_mode is FaceMode.ON_DEMAND:
            # Over the whole desk, as it is (a desk wider than its screen included).
            fit_window(self.face, self.desk.frameGeometry())
        elif placement is not None and placement.face_mode is FaceMode.BESIDE:
            fit_window(self.face, placement.face)
        elif not self.face.isVisible():
            self.face.show_on_best_screen()
        self.face.raise_()
        self.face.activateWindow()

    def close(self) -> None:
        if self.faults is not None:
            self.faults.uninstall()
        if self.camera is not None:
            self.camera.stop()
        self.listener.uninstall()
        self.face.close()
        self.desk.close()
        for part in (self.face, self.desk, self.listener, self.router):
            part.deleteLater()
        self.ctx.close()


def start(
    url: str,
    qt_app: QApplication,
    asker: Asker,
    *,
    demo: bool = False,
    clock: Clock = system_clock,
    idle_lock_ms: int = DEFAULT_IDLE_LOCK_MS,
    return_after_ms: int = DEFAULT_RETURN_AFTER_MS,
    workspace_factory: WorkspaceFactory = DeskWorkspace,
) -> KioskDeskApp:
    """Open the database and build both windows, wired together (not yet shown).

    Every transaction of the running application gives up after about 2 s on a busy or
    unreachable database (:data:`~kiosk.persistence.database.INTERACTIVE`): a scan then
    says "Not recorded — please scan again" and a desk action says what is wrong, plainly.
    Raises :class:`KioskError` when the database cannot be used (newer version, wrong key).
    """
    ctx = open_kiosk(url, clock=clock, patience=INTERACTIVE)
    try:
        qt_app.setStyleSheet(load_stylesheet())
        qt_app.setWindowIcon(application_icon())
        desk = DeskWindow(
            ctx, asker, demo=demo, idle_lock_ms=idle_lock_ms, workspace_factory=workspace_factory
        )
        # The desk is asked first with every scan: a form may be waiting for a pupil's card.
        router = ScanRouter(ctx, claimant=desk, parent=qt_app)
        face = KioskFace(desk.header.school_name, return_after_ms=return_after_ms)
    except Exception:
        ctx.close()
        raise
    listener = ScanListener(qt_app)
    listener.sig_scanned.connect(router.route_scan)
    listener.sig_garbled.connect(router.route_garbled)
    router.sig_result.connect(face.show_result)
    router.sig_result.connect(desk.show_scan_result)
    desk.sig_school_renamed.connect(face.set_school_name)
    _attach_visitors(ctx, face, desk, router)
    listener.install(qt_app)
    camera = start_camera_if_chosen(router, router.route_scan)
    faults = FaultNotices(desk.show_fault)
    faults.install()
    app = KioskDeskApp(ctx, listener, router, desk, face, camera, faults)
    desk.sig_kiosk_face_requested.connect(app.show_face)
    return app


def _attach_visitors(
    ctx: KioskContext, face: KioskFace, desk: DeskWindow, router: ScanRouter
) -> None:
    """Visitor sign-in on the kiosk face; badges to the printer; notices to the desk (an
    alert-list match reaches the desk's alert banner through the visitors' change)."""
    from ui.components.visitors.badges import BadgeDesk
    from ui.screens.visitor_flow import VisitorFlow

    badges = BadgeDesk(ctx, parent=face)
    flow = VisitorFlow(ctx, send_badge=badges.send_badge)
    badges.sig_desk_notice.connect(desk.header.show_result)
    # The Visitors tab follows sign-ins at the kiosk (badge scans on the way out reach it
    # through the scan result's changes).
    flow.sig_signed_in.connect(lambda _signed: desk.apply(Changes.of(Topic.VISITORS)))
    face.attach_visitor_flow(flow)


def fit_window(window: QWidget, area: QRect) -> None:
    """Show ``window`` so that its frame (title bar and borders included) fills ``area``,
    in virtual-desktop pixels."""
    window.setGeometry(area)
    window.show()
    frame, inside = window.frameGeometry(), window.geometry()
    if frame != inside:
        window.setGeometry(
            area.adjusted(
                inside.left() - frame.left(),
                inside.top() - frame.top(),
                inside.right() - frame.right(),
                inside.bottom() - frame.bottom(),
            )
        )
