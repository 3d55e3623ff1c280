"""``kiosk-desk --selftest``: prove a build works, from start-up to a QR code read back.

Run on a built bundle (``dist/reception-kiosk/kiosk-desk --selftest``), it finds what a
broken build loses quietly: a data file left out (a stylesheet, a font, a migration), a
module imported only at run time (a database driver), a Qt plug-in (printing, PDF). Each
check prints one line; the run exits 0 when every check passed, or 1 naming what failed.

On its own temporary database (the default) it also signs in as a temporary manager,
imports a pupil, opens every tab of the desk and scans the pupil's card at the kiosk face.
Given ``--db`` or ``--demo`` it changes nothing there: it only reads and draws.
"""

from __future__ import annotations

import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from types import ModuleType, TracebackType
from typing import TYPE_CHECKING, TextIO

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QWidget

from kiosk import APP_NAME, __version__
from kiosk.printing.fonts import bundled_font_files
from kiosk.resources import resources_dir
from kiosk.rows.people import PupilRow

if TYPE_CHECKING:
    from ui.application import KioskDeskApp

# Files the application reads while it runs; several are skipped quietly when missing (an
# unstyled window still works), so only this check notices them gone from a bundle.
REQUIRED_RESOURCES = (
    "styles/app.qss",
    "styles/kiosk.qss",
    "styles/desk.qss",
    *(f"fonts/{name}" for name in bundled_font_files()),
    *(f"icons/app-{size}.png" for size in (16, 32, 48, 64, 128, 256)),
)
SELFTEST_PIN = "8642"
# A made-up pupil whose name needs the bundled fonts (an accent, an apostrophe).
SAMPLE_PUPIL = ("A999999999991", "Ní Bhriain-O'Brien", "Zoë", "9", "9B")
QR_RENDER_DPI = 200


class CheckFailed(Exception):
    """A check did not pass; the message says what was wrong."""


class CheckSkipped(Exception):
    """A check does not apply to this build or this database; the message says why."""


@dataclass
class SelfTest:
    """Runs the checks in order against a started application and reports each one."""

    app: KioskDeskApp
    qt_app: QApplication
    scratch: bool
    out: TextIO = field(default_factory=lambda: sys.stdout)
    failed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    _slot_errors: list[str] = field(default_factory=list)
    _pupil: PupilRow | None = None
    _card_pdf: bytes | None = None

    # --- public ---------------------------------------------------------------------------

    def run(self) -> int:
        checks: list[tuple[str, Callable[[], str]]] = [
            # First, so the time to this line is the start-up time of the build.
            ("windows", self.check_windows),
            ("resources", self.check_resources),
            ("migrations", self.check_migrations),
            ("sign-in", self.check_sign_in),
            ("desk tabs", self.check_desk_tabs),
            ("kiosk face", self.check_kiosk_face),
            ("card PDF", self.check_card_pdf),
            ("QR code", self.check_qr_code),
            ("names in every script", self.check_every_script),
            ("printing", self.check_printing),
            ("camera scanner", self.check_camera_support),
            ("policy texts", self.check_policy_texts),
            ("visitor badge", self.check_badge),
            ("message slip", self.check_message_slip),
            ("PostgreSQL driver", self.check_postgres_driver),
        ]
        self._say(f"{APP_NAME} {__version__} self-test")
        with self._catching_slot_errors():
            for name, check in checks:
                self._run_one(name, check)
        if self.failed:
            self._say(f"Self-test failed: {', '.join(self.failed)}.")
            return 1
        skipped = f" (skipped: {', '.join(self.skipped)})" if self.skipped else ""
        self._say(f"Self-test passed: {APP_NAME} {__version__}{skipped}.")
        return 0

    # --- the checks -----------------------------------------------------------------------

    def check_resources(self) -> str:
        base = resources_dir()
        missing = [name for name in REQUIRED_RESOURCES if not (base / name).is_file()]
        if missing:
            raise CheckFailed(f"missing from {base}: {', '.join(missing)}")
        return f"{len(REQUIRED_RESOURCES)} files present"

    def check_migrations(self) -> str:
        from kiosk.persistence.migrate import current_revisions, head_revisions, script_heads

        heads = script_heads()
        if not heads:
            raise CheckFailed("no migration scripts were found")
        alembic_heads = head_revisions()
        if alembic_heads != heads:
            raise CheckFailed(
                f"Alembic reads heads {sorted(alembic_heads)}, files say {sorted(heads)}"
            )
        stored = current_revisions(self.app.ctx.db)
        if stored != heads:
            raise CheckFailed(f"database at {sorted(stored)}, scripts at {sorted(heads)}")
        return f"database at {', '.join(sorted(heads))}"

    def check_windows(self) -> str:
        self.app.show()
        self.qt_app.processEvents()
        _require_drawn(self.app.desk, "the desk window")
        _require_drawn(self.app.face, "the kiosk face")
        return "desk window and kiosk face drawn"

    def check_sign_in(self) -> str:
        self._require_scratch()
        from kiosk.importing.pupils import import_pupils_text, upn_check_letter
        from kiosk.services.pupils import find_by_upn
        from kiosk.services.staff import create_first_manager, sign_in

        ctx = self.app.ctx
        first = create_first_manager(ctx, "Self-test Manager", SELFTEST_PIN)
        assert first.staff_id is not None
        actor = sign_in(ctx, first.staff_id, SELFTEST_PIN)
        upn_body = SAMPLE_PUPIL[0][1:]
        upn = upn_check_letter(upn_body) + upn_body
        csv = "UPN,Legal Surname,Preferred Forename,NC Year,Reg Group\r\n" + ",".join(
            f'"{value}"' for value in (upn, *SAMPLE_PUPIL[1:])
        )
        report = import_pupils_text(ctx, actor, csv.encode("utf-8"), mark_leavers=False)
        if report.problems:
            raise CheckFailed(f"the sample pupil was not imported: {report.problems[0]}")
        self._pupil = find_by_upn(ctx, upn)
        self.app.desk.unlock(actor)
        self.qt_app.processEvents()
        if self.app.desk.is_locked:
            raise CheckFailed("the desk stayed locked after signing in")
        return "temporary manager signed in, one pupil imported"

    def check_desk_tabs(self) -> str:
        self._require_scratch()
        if self.app.desk.is_locked:
            raise CheckFailed("nobody is signed in, so the tabs could not be opened")
        workspace = self.app.desk.workspace
        titles = []
        for panel in workspace.visible_panels():
            title = panel.title
            workspace.show_panel(type(panel))
            self.qt_app.processEvents()
            self._raise_slot_errors(f"the {title} tab")
            _require_drawn(self.app.desk, f"the {title} tab")
            titles.append(title)
        workspace.show_section(workspace.sections()[0])
        return f"{len(titles)} tabs opened: {', '.join(titles)}"

    def check_kiosk_face(self) -> str:
        self._require_scratch()
        from kiosk.services.pupils import card_payload

        assert self._pupil is not None
        self.app.router.route_scan(card_payload(self.app.ctx, self._pupil))
        self.qt_app.processEvents()
        self._raise_slot_errors("the scan")
        face = self.app.face
        if face.state != "handed_in":
            raise CheckFailed(f"scanning a card showed “{face.state}” instead of a hand-in")
        _require_drawn(face, "the kiosk face's answer")
        face.show_attract()
        return "card scanned, hand-in shown and drawn"

    def check_card_pdf(self) -> str:
        from kiosk.printing.cards import cards_pdf_bytes
        from kiosk.services.pupils import card_payload
        from kiosk.services.school import get_school

        ctx = self.app.ctx
        pupil = self._pupil or _made_up_pupil()
        pdf = cards_pdf_bytes(get_school(ctx).name, [(pupil, card_payload(ctx, pupil))])
        if not pdf.startswith(b"%PDF"):
            raise CheckFailed("the card sheet is not a PDF")
        self._pupil = pupil
        self._card_pdf = pdf
        return f"one card sheet, {len(pdf):,} bytes"

    def check_every_script(self) -> str:
        # The shaper (uharfbuzz) and the bidirectional algorithm (python-bidi) are imported
        # only when a name needs them: a bundle that left either out prints Arabic unjoined.
        from kiosk.printing.fonts import layout_line

        arabic = layout_line("محمد علي")
        devanagari = layout_line("अनन्या शर्मा")
        if not arabic.right_to_left:
            raise CheckFailed("an Arabic name was not laid out right to left")
        if not all(type(run.text).__name__ == "ShapedStr" for run in arabic.runs):
            raise CheckFailed("an Arabic name was not shaped: its letters would print unjoined")
        if arabic.fonts == devanagari.fonts:
            raise CheckFailed("names in other scripts are not drawn in their own fonts")
        return f"Arabic in {', '.join(arabic.fonts)}; Devanagari in {', '.join(devanagari.fonts)}"

    def check_qr_code(self) -> str:
        import zxingcpp

        from kiosk.services.pupils import card_payload

        if self._card_pdf is None or self._pupil is None:
            raise CheckFailed("there is no card PDF to read")
        expected = card_payload(self.app.ctx, self._pupil)
        with _pdf_document(self._card_pdf) as document:
            image = _render_page(document, 0, QR_RENDER_DPI)
        found = [
            code.text
            for code in zxingcpp.read_barcodes(
                image, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
            )
        ]
        if expected not in found:
            raise CheckFailed(f"the card's QR code did not read back (found {found or 'none'})")
        return f"read back from the card rendered at {QR_RENDER_DPI} dpi"

    def check_printing(self) -> str:
        from ui.printing import available_printers, render_pdf_to_printer

        if self._card_pdf is None:
            raise CheckFailed("there is no card PDF to print")
        printers = available_printers()
        with tempfile.TemporaryDirectory(prefix="kiosk-selftest-print-") as folder:
            target = Path(folder) / "printed.pdf"
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(target))
            printer.setResolution(150)  # enough to prove the path; keeps the check quick
            with _pdf_document(self._card_pdf) as document:
                pages = render_pdf_to_printer(document, printer)
            if not target.is_file() or target.stat().st_size == 0:
                raise CheckFailed("printing to a PDF file produced nothing")
        return f"{pages} page printed to a file; {len(printers)} printer(s) on this computer"

    def check_camera_support(self) -> str:
        from PySide6.QtCore import QLibraryInfo

        _optional_module("ui.widgets.camera_scanner", "camera scanner")
        try:
            multimedia = import_module("PySide6.QtMultimedia")
        except ModuleNotFoundError as error:
            raise CheckFailed(f"Qt's multimedia module is missing: {error}") from error
        except ImportError as error:
            # A system library Qt loads (the sound server's) is not on this computer: the
            # camera scanner says so to the receptionist; the build itself is sound.
            raise CheckSkipped(f"Qt's multimedia module cannot load here: {error}") from None
        plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "multimedia"
        backends = sorted(path.name for path in plugins.glob("*") if path.is_file())
        if not backends:
            raise CheckFailed(f"no multimedia back-end in {plugins}")
        # Only a back-end that loaded knows any formats; a plug-in missing a library it
        # links to is skipped by Qt with nothing but a warning.
        media_format = multimedia.QMediaFormat()
        if not media_format.supportedFileFormats(multimedia.QMediaFormat.ConversionMode.Decode):
            raise CheckFailed(
                f"the multimedia back-end ({', '.join(backends)}) did not load; run with "
                "QT_DEBUG_PLUGINS=1 to see which library it is missing"
            )
        cameras = len(multimedia.QMediaDevices.videoInputs())
        return f"back-end {backends[0]} loaded; {cameras} camera(s) on this computer"

    def check_policy_texts(self) -> str:
        policies = _optional_module("kiosk.policies", "visitor sign-in")
        texts = [policies.default_policy(category.id) for category in policies.CATEGORIES]
        return f"{len(texts)} visitor categories' phone rules read"

    def check_badge(self) -> str:
        import zxingcpp

        badges = _optional_module("kiosk.printing.badges", "visitor sign-in")
        code = "V1SELFTEST"
        badge = badges.BadgeContent(
            name="Zoë O'Brien",
            organisation="Ysgol Gymraeg & Co",
            host_name="Mr Ben Desk",
            category_label="Visitor",
            category_colour="#1565c0",
            escorted=True,
            signed_in_at=self.app.ctx.clock().astimezone(self.app.ctx.timezone),
            code=code,
            school_name="Self-test School",
        )
        pdf = badges.badge_pdf_bytes(badge, "label62")
        with _pdf_document(pdf) as document:
            image = _render_page(document, 0, QR_RENDER_DPI)
        found = [code.text for code in zxingcpp.read_barcodes(image)]
        if code not in found:
            raise CheckFailed(f"the badge's QR code did not read back (found {found or 'none'})")
        return f"62 mm label badge, {len(pdf):,} bytes, QR code read back"

    def check_message_slip(self) -> str:
        slips = _optional_module("kiosk.printing.message_slips", "calls and messages")
        caller = "Siobhán O'Neill"
        content = slips.SlipContent(
            for_name="Mr Ben Desk",
            caller=caller,
            telephone="01632 960 123",
            date="Tue 24 Nov",
            time="08:40",
            message="Please call back about the trip to Ynys Môn & the consent form.",
            ticked=frozenset(),
            taken_by="Self-test",
        )
        pdf = slips.message_slips_pdf_bytes([content], "Self-test School")
        with _pdf_document(pdf) as document:
            _render_page(document, 0, 72)
            text = document.getAllText(0).text()
        if caller not in text:
            raise CheckFailed("the caller's name is not on the printed slip")
        return f"filled slip, {len(pdf):,} bytes, caller's name printed"

    def check_postgres_driver(self) -> str:
        import psycopg
        from sqlalchemy import create_engine

        engine = create_engine("postgresql+psycopg://selftest@127.0.0.1/selftest")
        engine.dispose()  # never connected: this only proves the driver and dialect load
        return f"psycopg {psycopg.__version__} ({psycopg.pq.__impl__} libpq) and its dialect load"

    # --- helpers --------------------------------------------------------------------------

    def _run_one(self, name: str, check: Callable[[], str]) -> None:
        self._slot_errors.clear()
        try:
            detail = check()
            self._raise_slot_errors(name)
        except CheckSkipped as skipped:
            self.skipped.append(name)
            self._say(f"skip  {name}: {skipped}")
        except CheckFailed as failure:
            self.failed.append(name)
            self._say(f"FAIL  {name}: {failure}")
        except Exception as error:
            self.failed.append(name)
            self._say(f"FAIL  {name}: {type(error).__name__}: {error}")
            traceback.print_exc(file=self.out)
        else:
            self._say(f"ok    {name}: {detail}")

    def _require_scratch(self) -> None:
        if not self.scratch:
            raise CheckSkipped("only done on the self-test's own temporary database")

    def _raise_slot_errors(self, what: str) -> None:
        if self._slot_errors:
            first = self._slot_errors[0]
            self._slot_errors.clear()
            raise CheckFailed(f"an error while opening {what}: {first}")

    @contextmanager
    def _catching_slot_errors(self) -> Iterator[None]:
        """Qt swallows exceptions raised in slots after printing them; record them instead."""
        previous = sys.excepthook

        def record(
            kind: type[BaseException], error: BaseException, tb: TracebackType | None
        ) -> None:
            self._slot_errors.append(f"{kind.__name__}: {error}")
            traceback.print_exception(kind, error, tb, file=self.out)

        sys.excepthook = record
        try:
            yield
        finally:
            sys.excepthook = previous

    def _say(self, line: str) -> None:
        print(line, file=self.out, flush=True)


def run_selftest(app: KioskDeskApp, qt_app: QApplication, *, scratch: bool) -> int:
    """Check the started application; 0 when everything passed. ``scratch`` says the
    database is the self-test's own temporary one, which it may change."""
    return SelfTest(app, qt_app, scratch, out=_output()).run()


def _output() -> TextIO:
    # A windowed program on Windows has no console: write the report to a file instead.
    if sys.stdout is not None:
        return sys.stdout
    from kiosk.config import data_dir

    return open(data_dir() / "selftest.txt", "w", encoding="utf-8")  # noqa: SIM115


def _optional_module(name: str, feature: str) -> ModuleType:
    """A module of a feature that may not be in this build: skipped when absent, failed
    when present but something it needs is missing from the bundle."""
    try:
        return import_module(name)
    except ModuleNotFoundError as error:
        if error.name == name:
            raise CheckSkipped(f"the {feature} feature is not in this build") from None
        raise CheckFailed(f"{name} cannot be imported: {error}") from error


def _made_up_pupil() -> PupilRow:
    upn, surname, forename, year, form = SAMPLE_PUPIL
    return PupilRow(1, upn, forename, surname, year, form, 1, "on_roll")


def _require_drawn(widget: QWidget, what: str) -> None:
    picture = widget.grab()
    if picture.isNull() or picture.size().isEmpty():
        raise CheckFailed(f"{what} did not draw")


@contextmanager
def _pdf_document(pdf: bytes) -> Iterator[QPdfDocument]:
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    try:
        if document.status() != QPdfDocument.Status.Ready or document.pageCount() == 0:
            raise CheckFailed(f"Qt could not open the PDF ({document.error().name})")
        yield document
    finally:
        document.close()
        buffer.close()


def _render_page(document: QPdfDocument, page: int, dpi: int) -> QImage:
    """The page on white paper, as a scanner sees it (Qt leaves the background clear)."""
    points = document.pagePointSize(page)
    size = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
    rendered = document.render(page, size)
    if rendered.isNull():
        raise CheckFailed(f"page {page + 1} could not be drawn")
    sheet = QImage(size, QImage.Format.Format_RGB32)
    sheet.fill(Qt.GlobalColor.white)
    painter = QPainter(sheet)
    painter.drawImage(0, 0, rendered)
    painter.end()
    return sheet
