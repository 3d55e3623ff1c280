"""``kiosk-desk``: the reception desk window and the pupils' kiosk face, in one application.

Both windows share one :class:`KioskContext`, built once here. A single scan listener on the
application hears the keyboard-wedge scanner whichever window or field has focus; the scan
router records each scan and both windows show the result.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QRect
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from kiosk import APP_NAME, __version__
from kiosk.changes import Changes, Topic
from kiosk.clock import Clock, system_clock
from kiosk.config import resolve_database_url
from kiosk.context import KioskContext
from kiosk.errors import KioskError
from kiosk.resources import resources_dir
from kiosk.startup import open_kiosk
from ui.ask import Asker
from ui.components.desk.workspace import DeskWorkspace
from ui.scan_router import ScanRouter
from ui.screens.desk_window import (
    DEFAULT_IDLE_LOCK_MS,
    DeskWindow,
    WorkspaceFactory,
)
from ui.screens.kiosk_face import DEFAULT_RETURN_AFTER_MS, KioskFace
from ui.widgets.camera_scanner import CameraScanner, start_camera_if_chosen
from ui.widgets.scan_listener import ScanListener

log = logging.getLogger(__name__)

# The desk frame and the kiosk face (scoped by id); the workspace applies desk.qss itself.
STYLESHEETS = ("app.qss", "kiosk.qss")
CANNOT_START = "Reception Kiosk cannot start"


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

    def show(self) -> None:
        self.desk.show()
        if not self.face.show_on_best_screen():
            self._share_one_screen()

    def _share_one_screen(self) -> None:
        """One screen: the desk on the left, the kiosk face beside it on the right, so
        neither hides the other and a pupil can read their slot while the desk works."""
        screen = self.desk.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        area = screen.availableGeometry()
        face_width = max(480, area.width() * 2 // 5)
        desk_width = area.width() - face_width
        if desk_width < 800:  # too small to share: leave the windows where they opened
            return
        self.desk.setGeometry(QRect(area.left(), area.top(), desk_width, area.height()))
        self.face.setGeometry(
            QRect(area.left() + desk_width, area.top(), face_width, area.height())
        )

    def close(self) -> None:
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

    Raises :class:`KioskError` when the database cannot be used (newer version, wrong key).
    """
    ctx = open_kiosk(url, clock=clock)
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
    desk.sig_kiosk_face_requested.connect(lambda: _bring_forward(face))
    _attach_visitors(ctx, face, desk, router)
    listener.install(qt_app)
    camera = start_camera_if_chosen(router, router.route_scan)
    return KioskDeskApp(ctx, listener, router, desk, face, camera)


def _attach_visitors(
    ctx: KioskContext, face: KioskFace, desk: DeskWindow, router: ScanRouter
) -> None:
    """Visitor sign-in on the kiosk face; badges to the printer; notices to the desk."""
    from ui.components.visitors.badges import BadgeDesk
    from ui.screens.visitor_flow import VisitorFlow

    badges = BadgeDesk(ctx, parent=face)
    flow = VisitorFlow(ctx, send_badge=badges.send_badge)
    flow.sig_signed_in.connect(badges.check_alerts)
    badges.sig_desk_notice.connect(desk.header.show_result)
    # The Visitors tab follows sign-ins at the kiosk (badge scans on the way out reach it
    # through the scan result's changes).
    flow.sig_signed_in.connect(lambda _signed: desk.apply(Changes.of(Topic.VISITORS)))
    face.attach_visitor_flow(flow)


def _bring_forward(face: KioskFace) -> None:
    if not face.isVisible():
        face.show_on_best_screen()
    face.raise_()
    face.activateWindow()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk-desk",
        description="The reception desk window and the pupils' kiosk face.",
    )
    parser.add_argument(
        "--db", metavar="URL", help="database URL (default: KIOSK_DATABASE_URL or the data folder)"
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the demo school (built on first use) instead of the real database",
    )
    parser.add_argument(
        "--selftest",
        action="store_true",
        help="check this build: start, open every screen, print and read back a card, exit 0",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def _database_url(args: argparse.Namespace, scratch: Path | None) -> str:
    if args.db:
        return args.db
    if scratch is not None:
        return f"sqlite:///{(scratch / 'selftest.db').as_posix()}"
    return resolve_database_url(None, demo=args.demo)


def _open_failure(error: Exception) -> str:
    if isinstance(error, KioskError):
        return error.message
    return (
        "The database could not be opened. Check the --db address or KIOSK_DATABASE_URL, "
        f"and that the server is running.\n\nDetails: {error}"
    )


def selftest(app: KioskDeskApp, qt_app: QApplication, *, scratch: bool) -> int:
    """Check this build from start-up to a QR code read back (see :mod:`ui.selftest`);
    0 when every check passed. ``scratch``: the database is the self-test's own."""
    from ui.selftest import run_selftest

    return run_selftest(app, qt_app, scratch=scratch)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    qt_app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "kiosk-desk"])
    assert isinstance(qt_app, QApplication)
    asker = Asker()
    with tempfile.TemporaryDirectory(prefix="kiosk-selftest-") as scratch_dir:
        scratch = Path(scratch_dir) if args.selftest and not (args.db or args.demo) else None
        url = _database_url(args, scratch)
        try:
            if args.demo:
                from kiosk.demo.school import build_demo_school

                build_demo_school(url)
            app = start(url, qt_app, asker, demo=args.demo)
        except KioskError as error:
            asker.error(None, CANNOT_START, error.message)
            return 1
        except Exception as error:  # the database driver's own errors (server down, ...)
            log.exception("Could not open the database")
            asker.error(None, CANNOT_START, _open_failure(error))
            return 1
        try:
            if args.selftest:
                return selftest(app, qt_app, scratch=scratch is not None)
            app.desk.sig_closed.connect(qt_app.quit)
            qt_app.setQuitOnLastWindowClosed(False)
            app.show()
            return qt_app.exec()
        finally:
            app.close()
            # Delete the windows now rather than at a later turn of some event loop: their
            # timers must not outlive the database (the self-test's is deleted on return).
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


if __name__ == "__main__":
    sys.exit(main())
