"""Printing a PDF through Qt: every page rendered into the printer, QR codes still readable."""

from __future__ import annotations

from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from kiosk.context import KioskContext
from kiosk.services import pupils
from kiosk.services.pupils import write_cards_pdf
from tests.factories import make_pupils
from ui.printing import NO_PRINTER, PrintError, print_pdf, render_pdf_to_printer


def pdf_printer(out: Path, dpi: int = 300) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    printer.setResolution(dpi)
    return printer


def loaded(path: Path) -> QPdfDocument:
    document = QPdfDocument()
    assert document.load(str(path)) == QPdfDocument.Error.None_
    return document


@pytest.fixture
def cards_pdf(ctx: KioskContext, tmp_path: Path) -> tuple[Path, list[str]]:
    """Twelve cards: two A4 pages."""
    make_pupils(ctx, [(f"Zoë{n}", "Ó Súilleabháin") for n in range(12)], year_group="8", form="8A")
    on_roll = pupils.pupils_for_cards(ctx)
    out = tmp_path / "cards.pdf"
    write_cards_pdf(ctx, on_roll, out)
    return out, sorted(pupils.card_payload(ctx, p) for p in on_roll)


def qr_codes(path: Path) -> list[str]:
    document = pypdfium2.PdfDocument(str(path))
    found = []
    for page in document:
        image = page.render(scale=150 / 72).to_pil()
        found += [result.text for result in zxingcpp.read_barcodes(image)]
    return sorted(found)


def test_printed_cards_keep_their_pages_and_their_codes_decode(
    qtbot,
    cards_pdf: tuple[Path, list[str]],
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    source, payloads = cards_pdf
    printed = tmp_path / "printed.pdf"
    pages_seen: list[tuple[int, int]] = []

    pages = render_pdf_to_printer(
        loaded(source),
        pdf_printer(printed),
        progress=lambda done, total: pages_seen.append((done, total)),
    )

    assert pages == 2
    output = pypdfium2.PdfDocument(str(printed))
    assert len(output) == 2
    width, height = output[0].get_size()
    assert (round(width), round(height)) == (595, 842)  # A4 portrait, in points
    assert pages_seen == [(1, 2), (2, 2)]
    assert qr_codes(printed) == payloads


def test_each_page_keeps_its_own_size_and_orientation(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "mixed.pdf"
    canvas = Canvas(str(source), pagesize=A4)
    canvas.drawString(72, 72, "Portrait")
    canvas.showPage()
    canvas.setPageSize(landscape(A4))
    canvas.drawString(72, 72, "Landscape")
    canvas.showPage()
    canvas.save()
    printed = tmp_path / "printed.pdf"

    render_pdf_to_printer(loaded(source), pdf_printer(printed, dpi=150))

    sizes = [
        tuple(round(v) for v in page.get_size()) for page in pypdfium2.PdfDocument(str(printed))
    ]
    assert sizes == [(595, 842), (842, 595)]


def test_no_printer_chosen_gives_the_plain_message(
    qtbot, cards_pdf: tuple[Path, list[str]]
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PrintError) as refused:
        print_pdf(cards_pdf[0], "", title="Pupil cards")
    assert refused.value.message == NO_PRINTER
    assert NO_PRINTER == (
        "No printer is set up for A4 documents. Choose one in Settings, or save the PDF instead."
    )


def test_a_printer_that_is_not_there_is_named_in_the_message(
    qtbot, cards_pdf: tuple[Path, list[str]]
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PrintError) as refused:
        print_pdf(cards_pdf[0].read_bytes(), "Office LaserJet 4th floor", title="Pupil cards")
    assert "“Office LaserJet 4th floor” is not available on this computer" in refused.value.message
    assert refused.value.message.endswith("or save the PDF instead.")
