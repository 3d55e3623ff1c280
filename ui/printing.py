"""Sending a PDF to a named printer through Qt, with no dialog.

The PDF is rendered page by page (QPdfDocument) into a QPrinter chosen by name, at the
printer's resolution, on paper the size of the PDF's pages. Anything that stops the job
raises :class:`PrintError` with a plain message; callers then offer to save the PDF instead,
so nothing is lost. Safe to call from a worker thread (QPainter may paint on a QPrinter
outside the GUI thread).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from kiosk.errors import KioskError

NO_PRINTER = (
    "No printer is set up for A4 documents. Choose one in Settings, or save the PDF instead."
)
# Rendering a page as one image costs width × height × 4 bytes: an A4 page at 600 dpi is
# about 140 MB, which is as far as it is sensible to go. Cards and slips are sharp at 300.
MAX_RENDER_DPI = 600

Progress = Callable[[int, int], None]


class PrintError(KioskError):
    """The document could not be printed; nothing was sent, or the job stopped part-way."""


def available_printers() -> list[str]:
    """The names of the printers this computer knows, in alphabetical order."""
    return sorted(QPrinterInfo.availablePrinterNames(), key=str.casefold)


def print_pdf(
    path_or_bytes: str | os.PathLike[str] | bytes,
    printer_name: str,
    *,
    title: str,
    progress: Progress | None = None,
) -> None:
    """Print a PDF on the printer called ``printer_name``, without asking anything.

    ``progress(done, total)`` is called after each page. Raises :class:`PrintError`.
    """
    printer_name = printer_name.strip()
    if not printer_name:
        raise PrintError(NO_PRINTER)
    info = QPrinterInfo.printerInfo(printer_name)
    if info.isNull():
        raise PrintError(
            f"The printer “{printer_name}” is not available on this computer. "
            "Check that it is switched on and connected, choose another in Settings, "
            "or save the PDF instead."
        )
    printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
    if not printer.isValid():
        raise PrintError(
            f"The printer “{printer_name}” is not ready. Choose another in Settings, "
            "or save the PDF instead."
        )
    printer.setDocName(title)
    printer.setResolution(min(printer.resolution(), MAX_RENDER_DPI))
    with _loaded(path_or_bytes) as document:
        render_pdf_to_printer(document, printer, progress=progress)


def render_pdf_to_printer(
    document: QPdfDocument, printer: QPrinter, *, progress: Progress | None = None
) -> int:
    """Render every page of a loaded document into ``printer``; returns the page count.

    Each page goes on paper of the page's own size, edge to edge, as an image at the
    printer's resolution. This is the seam the tests use with a PDF-file printer.
    """
    pages = document.pageCount()
    if pages <= 0:
        raise PrintError("The document to print is empty; nothing was sent to the printer.")
    printer.setFullPage(True)
    _match_page(printer, document.pagePointSize(0))
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintError(
            f"The printer “{printer.printerName() or printer.outputFileName()}” did not "
            "accept the job. Check it is switched on and has paper, or save the PDF instead."
        )
    try:
        for page in range(pages):
            point_size = document.pagePointSize(page)
            if page > 0:
                _match_page(printer, point_size)
                if not printer.newPage():
                    raise PrintError(
                        f"The printer stopped after page {page} of {pages}. "
                        "Save the PDF instead and print it later."
                    )
            dpi = printer.resolution()
            pixels = QSize(
                max(1, round(point_size.width() * dpi / 72)),
                max(1, round(point_size.height() * dpi / 72)),
            )
            image = _opaque_page(document, page, pixels)
            target = printer.pageLayout().fullRectPixels(dpi)
            painter.drawImage(QRectF(target), image)
            if progress is not None:
                progress(page + 1, pages)
    finally:
        painter.end()
    return pages


def _opaque_page(document: QPdfDocument, page: int, pixels: QSize) -> QImage:
    """The page on white paper: the PDF renderer leaves the background transparent, and a
    transparent image costs the print engine a second (mask) image per page."""
    rendered = document.render(page, pixels)
    if rendered.isNull():
        raise PrintError(f"Page {page + 1} of the document could not be drawn.")
    sheet = QImage(pixels, QImage.Format.Format_RGB32)
    sheet.fill(Qt.GlobalColor.white)
    painter = QPainter(sheet)
    painter.drawImage(0, 0, rendered)
    painter.end()
    return sheet


def _match_page(printer: QPrinter, point_size: QSizeF) -> None:
    landscape = point_size.width() > point_size.height()
    portrait_size = (
        QSizeF(point_size.height(), point_size.width()) if landscape else QSizeF(point_size)
    )
    layout = QPageLayout(
        QPageSize(portrait_size, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch),
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait,
        QMarginsF(0, 0, 0, 0),
    )
    printer.setPageLayout(layout)


class _loaded:
    """A QPdfDocument for a file or for bytes (kept in a temporary file while printing)."""

    def __init__(self, source: str | os.PathLike[str] | bytes) -> None:
        self._source = source
        self._temporary: Path | None = None
        self.document = QPdfDocument()

    def __enter__(self) -> QPdfDocument:
        if isinstance(self._source, bytes):
            handle, name = tempfile.mkstemp(suffix=".pdf")
            with os.fdopen(handle, "wb") as out:
                out.write(self._source)
            self._temporary = Path(name)
            path = self._temporary
        else:
            path = Path(self._source)
        error = self.document.load(str(path))
        if error != QPdfDocument.Error.None_ or self.document.pageCount() == 0:
            self.__exit__()
            raise PrintError(f"The file {path.name} is not a PDF that can be printed.")
        return self.document

    def __exit__(self, *_exc: object) -> None:
        self.document.close()
        if self._temporary is not None:
            self._temporary.unlink(missing_ok=True)
            self._temporary = None
