"""Printing through a real CUPS queue: the printer chosen in Settings by its system name
receives the job without any dialog, and what comes out of the queue is the document.

The queue is a cups-pdf printer (see tests/cups_queue.py), so each job comes back as a PDF
file. The desk prints each page as an image at the printer's resolution (ui/printing.py),
so the printed file has no text layer to read: the tests check the job's title, the
pages' paper size and every QR code on them, which must still scan.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp

from kiosk.context import KioskContext
from kiosk.rows.people import Actor
from kiosk.services import pupils
from kiosk.services.school import get_school, update_school
from tests.cups_queue import CupsUnavailable, PdfQueue, start_pdf_queue
from tests.factories import make_pupils
from ui.ask import ScriptedAsker
from ui.components.custody.card_output import print_cards, suggested_name
from ui.printing import available_printers, print_pdf

QUEUE_NAME = "KioskTestPDF"
A4_MM = (210, 297)
NAMES = [
    ("Zoë", "Ní Bhriain"),
    ("Łukasz", "Wiśniewski"),
    ("Siobhán", "O'Brien"),
    ("Nguyễn", "Thị Minh"),
    ("Dafydd", "ap Gruffudd"),
    ("Amélie", "& < > \" '"),
    ("Oluwaseun", "Adébáyọ̀"),
    ("Chloë", "Brontë"),
    ("Seán", "Ó Súilleabháin"),
    ("Zainab", "Al-Hashimi"),
    ("Ffion", "Llewelyn-Bowen"),
    ("Jürgen", "Müller"),
]


@pytest.fixture(scope="module")
def queue(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PdfQueue]:
    try:
        with start_pdf_queue(QUEUE_NAME, tmp_path_factory.mktemp("printed")) as started:
            yield started
    except CupsUnavailable as reason:
        pytest.skip(f"no real print queue: {reason}")


def printed_qr_codes(path: Path, dpi: int = 200) -> list[str]:
    document = pypdfium2.PdfDocument(str(path))
    found: list[str] = []
    for page in document:
        image = page.render(scale=dpi / 72).to_pil()
        found += [code.text for code in zxingcpp.read_barcodes(image)]
    return sorted(found)


def page_sizes(path_or_bytes: Path | bytes) -> list[tuple[int, int]]:
    """Each page's width and height in whole millimetres."""
    source = str(path_or_bytes) if isinstance(path_or_bytes, Path) else path_or_bytes
    document = pypdfium2.PdfDocument(source)
    return [
        (round(page.get_width() * 25.4 / 72), round(page.get_height() * 25.4 / 72))
        for page in document
    ]


def title_of(path: Path) -> str:
    # Ghostscript writes the job's title as a PostScript string: "(…)".
    return pypdfium2.PdfDocument(str(path)).get_metadata_dict().get("Title", "").strip("()")


def test_settings_list_the_system_print_queue_by_name(queue: PdfQueue, qapp) -> None:  # type: ignore[no-untyped-def]
    assert queue.name in available_printers()


def test_card_sheets_print_on_the_chosen_a4_printer_and_every_code_scans(
    queue: PdfQueue, ctx: KioskContext, receptionist: Actor, qapp
) -> None:  # type: ignore[no-untyped-def]
    make_pupils(ctx, NAMES)
    on_roll = pupils.pupils_for_cards(ctx)
    update_school(ctx, receptionist, printer_a4=queue.name)
    asker = ScriptedAsker()
    before = queue.printed_files()

    said: list[str] = []
    assert print_cards(ctx, asker, None, on_roll, report=said.append)

    assert asker.asked == []  # one click: no dialog before or after
    assert said[-1] == "12 cards sent to the printer."
    printed = queue.wait_for_new_pdf(before)
    assert page_sizes(printed) == [A4_MM, A4_MM]  # ten cards, then two
    assert title_of(printed) == suggested_name(on_roll)[:-4]
    assert printed_qr_codes(printed) == sorted(pupils.card_payload(ctx, p) for p in on_roll)
    assert get_school(ctx).printer_a4 == queue.name


def test_a_label_sized_badge_keeps_its_paper_size_and_code_through_the_queue(
    queue: PdfQueue, qapp
) -> None:  # type: ignore[no-untyped-def]
    badges = pytest.importorskip("kiosk.printing.badges", reason="visitor badges not in the tree")
    from datetime import datetime
    from zoneinfo import ZoneInfo

    badge = badges.BadgeContent(
        name="Siobhán O'Brien",
        organisation="Ysgol & Co",
        host_name="Ms Ada Manager",
        category_label="Contractor",
        category_colour="#e65100",
        escorted=True,
        signed_in_at=datetime(2026, 11, 24, 9, 5, tzinfo=ZoneInfo("Europe/London")),
        code="V1PRINTTEST",
        school_name="Test School",
    )
    pdf = badges.badge_pdf_bytes(badge, "label62")
    assert page_sizes(pdf) == [(62, 100)]
    before = queue.printed_files()

    print_pdf(pdf, queue.name, title="Visitor badge")

    printed = queue.wait_for_new_pdf(before)
    assert page_sizes(printed) == [(62, 100)]
    assert title_of(printed) == "Visitor badge"
    assert printed_qr_codes(printed, dpi=300) == ["V1PRINTTEST"]
