"""``kiosk-desk``: the command that starts the reception desk window and the pupils' kiosk
face (see :mod:`ui.application`), opens the demo school, or checks a build (``--selftest``,
see :mod:`ui.selftest`).
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication

from kiosk import APP_NAME, __version__
from kiosk.config import describe_database, resolve_database_url
from kiosk.errors import KioskError
from kiosk.faults import plain_fault
from ui.application import KioskDeskApp, start
from ui.ask import Asker
from ui.selftest import run_selftest

log = logging.getLogger(__name__)

CANNOT_START = "Reception Kiosk cannot start"


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


def demo_database_line(url: str) -> str:
    """Where the demo school's database is, and how the command line reaches it."""
    return (
        f"Demo school database: {describe_database(url)}. The command line uses it with "
        '"kiosk --demo COMMAND".'
    )


def _open_failure(error: Exception) -> str:
    if isinstance(error, KioskError):
        return error.message
    fault = plain_fault(error)  # busy, unreachable, a full disk: said plainly
    if fault is not None:
        return fault.message
    return (
        "The database could not be opened. Check the --db address or KIOSK_DATABASE_URL, "
        f"and that the server is running.\n\nDetails: {error}"
    )


def selftest(app: KioskDeskApp, qt_app: QApplication, *, scratch: bool) -> int:
    """Check this build from start-up to a QR code read back (see :mod:`ui.selftest`);
    0 when every check passed. ``scratch``: the database is the self-test's own."""
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
                # The command line reaches the same file with "kiosk --demo COMMAND".
                print(demo_database_line(url), flush=True)
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
