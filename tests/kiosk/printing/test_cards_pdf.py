"""Printed pupil cards: every code scans from the PDF, names print exactly as stored,
nothing spills off a card or into a code's quiet zone, and the fonts are embedded."""

from __future__ import annotations

import ctypes
import dataclasses
import random
import re
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
import zxingcpp
from reportlab.pdfbase.pdfmetrics import stringWidth

from kiosk.cli import main
from kiosk.codes.pupil_card import BASE32_ALPHABET, verify_pupil_card
from kiosk.context import KioskContext
from kiosk.errors import InvalidInput
from kiosk.printing.cards import (
    CARD_HEIGHT,
    CARD_WIDTH,
    CARDS_PER_PAGE,
    card_origin,
    cards_pdf_bytes,
)
from kiosk.printing.fonts import SANS, SANS_BOLD, missing_glyphs
from kiosk.printing.qr import QUIET_ZONE_MODULES, qr_matrix, qr_matrix_reference
from kiosk.printing.text_fit import fit_text
from kiosk.rows.people import PupilRow
from kiosk.services.custody import scan_card
from kiosk.services.pupils import card_payload, write_cards_pdf
from tests.factories import make_pupil

SCAN_DPI = 150
LONG_FORENAME = "Anna-Maria Josephine Bernadette"
LONG_SURNAME = (
    "Fitzwilliam-Montgomery Ó Súilleabháin de la Cruz y Fernández-Wojciechowska Nguyễn Văn An"
)
# (forename, surname, year, form)
AWKWARD_NAMES = [
    ("Zoë", "Ó Súilleabháin", "7", "7B"),
    ("Łukasz", "Wiśniewski", "7", "7B"),
    ("Nguyễn Thị", "Minh Khai", "7", "7W"),
    ("Dafydd", "ap Gruffudd", "8", "8G"),
    ("Seán", 'O\'Brien & <Sons> "x"', "8", "8G"),
    ("Ellie-Mae 😀", "Jones", "8", "8T"),
    (LONG_FORENAME, LONG_SURNAME, "9", "9C"),
]
ONE_LINE_NAMES = ["Zoë Ó Súilleabháin", "Łukasz Wiśniewski", "Nguyễn Thị Minh Khai"]


def add_pupils(
    ctx: KioskContext, names: list[tuple[str, str, str, str]], *, status: str = "on_roll"
) -> list[PupilRow]:
    return [
        make_pupil(
            ctx, forename=forename, surname=surname, year_group=year, form=form, status=status
        )
        for forename, surname, year, form in names
    ]


@pytest.fixture
def school_pupils(ctx: KioskContext) -> list[PupilRow]:
    """The awkward names plus enough ordinary ones to need a second sheet."""
    ordinary = [(f"Pupil{n}", f"Ordinary{n:02d}", "10", "10M") for n in range(6)]
    return add_pupils(ctx, AWKWARD_NAMES + ordinary)


def decode_codes(pdf: pdfium.PdfDocument) -> list[list[zxingcpp.Barcode]]:
    """The QR codes a scanner finds on each page printed at 150 dpi."""
    pages = []
    for page in pdf:
        image = page.render(scale=SCAN_DPI / 72).to_pil()
        pages.append(zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode))
    return pages


def decoded_texts(pdf: pdfium.PdfDocument) -> list[str]:
    return sorted(code.text for page in decode_codes(pdf) for code in page)


def page_text(pdf: pdfium.PdfDocument) -> str:
    return "\n".join(page.get_textpage().get_text_range() for page in pdf)


def squeezed(text: str) -> str:
    return "".join(text.split())


def test_cli_cards_every_code_scans_to_its_pupils_payload(
    ctx: KioskContext, db_url: str, school_pupils: list[PupilRow], tmp_path: Path, capsys
) -> None:
    out = tmp_path / "cards.pdf"

    assert main(["--db", db_url, "cards", "--out", str(out)]) == 0

    assert capsys.readouterr().out.strip() == f"13 cards written to {out}"
    pdf = pdfium.PdfDocument(out)
    assert len(pdf) == 2
    expected = {card_payload(ctx, p): p for p in school_pupils}
    assert decoded_texts(pdf) == sorted(expected)
    for payload, pupil in expected.items():
        claim = verify_pupil_card(ctx.card_key, ctx.card_code, payload)
        assert (claim.pupil_id, claim.serial) == (pupil.id, pupil.card_serial)
        outcome = scan_card(ctx, payload)
        assert outcome.kind == "handed_in"
        assert outcome.pupil.name == pupil.name


def test_names_are_printed_exactly_as_stored(
    ctx: KioskContext, school_pupils: list[PupilRow], tmp_path: Path
) -> None:
    out = tmp_path / "cards.pdf"
    write_cards_pdf(ctx, school_pupils, out)

    text = page_text(pdfium.PdfDocument(out))
    for name in ONE_LINE_NAMES:
        assert name in text
    # Longer names wrap onto more lines: every character is there, in order.
    for pupil in school_pupils:
        assert squeezed(pupil.name) in squeezed(text)
    assert "😀" in text
    assert text.count("Test School") == 13


def test_the_fonts_can_draw_every_awkward_name() -> None:
    for forename, surname, _, _ in AWKWARD_NAMES:
        assert missing_glyphs(f"{forename} {surname}", SANS_BOLD) == set()
    assert missing_glyphs("Siobhán Ní Bhriain · Year 7", SANS) == set()


def test_every_character_is_drawn_in_an_embedded_dejavu_font(
    ctx: KioskContext, school_pupils: list[PupilRow], tmp_path: Path
) -> None:
    out = tmp_path / "cards.pdf"
    write_cards_pdf(ctx, school_pupils, out)

    data = out.read_bytes()
    # Subsets of both faces are embedded (a six-letter tag, then the font's own name).
    assert re.search(rb"/BaseFont /[A-Z]{6}\+DejaVuSans\b(?!-)", data)
    assert re.search(rb"/BaseFont /[A-Z]{6}\+DejaVuSans-Bold\b", data)
    assert data.count(b"/FontFile2") >= 2
    fonts_used = set()
    for page in pdfium.PdfDocument(out):
        textpage = page.get_textpage()
        for index in range(textpage.count_chars()):
            if textpage.get_text_range(index, 1).isspace():
                continue
            length = pdfium_c.FPDFText_GetFontInfo(textpage.raw, index, None, 0, None)
            name = ctypes.create_string_buffer(length)
            pdfium_c.FPDFText_GetFontInfo(textpage.raw, index, name, length, None)
            fonts_used.add(name.value.decode())
    assert {font.split("+")[-1] for font in fonts_used} == {"DejaVuSans", "DejaVuSans-Bold"}


def test_nothing_is_printed_off_a_card_or_in_a_codes_quiet_zone(
    ctx: KioskContext, school_pupils: list[PupilRow], tmp_path: Path
) -> None:
    out = tmp_path / "cards.pdf"
    write_cards_pdf(ctx, school_pupils, out)
    pdf = pdfium.PdfDocument(out)

    for page, codes in zip(pdf, decode_codes(pdf), strict=True):
        cards = [card_origin(i) for i in range(CARDS_PER_PAGE)]
        quiet_zones = []
        for code in codes:
            corners = [code.position.top_left, code.position.bottom_right]
            xs = [c.x * 72 / SCAN_DPI for c in corners]
            ys = [page.get_height() - c.y * 72 / SCAN_DPI for c in corners]
            margin = (max(xs) - min(xs)) / 25 * QUIET_ZONE_MODULES
            quiet_zones.append(
                (min(xs) - margin, min(ys) - margin, max(xs) + margin, max(ys) + margin)
            )
            # The quiet zone itself lies on the card.
            assert any(_inside(quiet_zones[-1], _card_box(x, y)) for x, y in cards)
        textpage = page.get_textpage()
        checked = 0
        for index in range(textpage.count_chars()):
            if textpage.get_text_range(index, 1).isspace():
                continue
            box = textpage.get_charbox(index)
            assert any(_inside(box, _card_box(x, y)) for x, y in cards), (
                textpage.get_text_range(index, 1),
                box,
            )
            assert not any(_overlaps(box, zone) for zone in quiet_zones)
            checked += 1
        assert checked > 100


def _card_box(x: float, y: float) -> tuple[float, float, float, float]:
    return (x, y, x + CARD_WIDTH, y + CARD_HEIGHT)


def _inside(inner: tuple[float, ...], outer: tuple[float, ...]) -> bool:
    left, bottom, right, top = inner
    return left >= outer[0] and bottom >= outer[1] and right <= outer[2] and top <= outer[3]


def _overlaps(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_year_and_form_filters_print_only_those_pupils(
    ctx: KioskContext, db_url: str, school_pupils: list[PupilRow], tmp_path: Path, capsys
) -> None:
    year_8 = tmp_path / "year8.pdf"
    form_7b = tmp_path / "7b.pdf"

    assert main(["--db", db_url, "cards", "--out", str(year_8), "--year", "8"]) == 0
    assert main(["--db", db_url, "cards", "--out", str(form_7b), "--form", "7B"]) == 0

    by_payload = {card_payload(ctx, p): p for p in school_pupils}
    year_8_names = {by_payload[t].name for t in decoded_texts(pdfium.PdfDocument(year_8))}
    form_7b_names = {by_payload[t].name for t in decoded_texts(pdfium.PdfDocument(form_7b))}
    assert year_8_names == {
        "Dafydd ap Gruffudd",
        'Seán O\'Brien & <Sons> "x"',
        "Ellie-Mae 😀 Jones",
    }
    assert form_7b_names == {"Zoë Ó Súilleabháin", "Łukasz Wiśniewski"}
    assert capsys.readouterr().out.splitlines() == [
        f"3 cards written to {year_8}",
        f"2 cards written to {form_7b}",
    ]


def test_pupils_who_have_left_get_no_card(
    ctx: KioskContext, db_url: str, school_pupils: list[PupilRow], tmp_path: Path
) -> None:
    (leaver,) = add_pupils(ctx, [("Gone", "Away", "7", "7B")], status="left")
    out = tmp_path / "7b.pdf"

    assert main(["--db", db_url, "cards", "--out", str(out), "--form", "7B"]) == 0

    assert card_payload(ctx, leaver) not in decoded_texts(pdfium.PdfDocument(out))
    assert "Gone Away" not in page_text(pdfium.PdfDocument(out))


def test_no_matching_pupil_says_so_and_writes_nothing(
    db_url: str, school_pupils: list[PupilRow], tmp_path: Path, capsys
) -> None:
    out = tmp_path / "none.pdf"

    assert main(["--db", db_url, "cards", "--out", str(out), "--form", "13Z"]) == 1

    captured = capsys.readouterr()
    assert captured.err.strip() == "No pupils on roll match; no cards printed."
    assert captured.out == ""
    assert not out.exists()


def test_cards_pdf_bytes_prints_without_a_file_and_reports_progress(ctx: KioskContext) -> None:
    pupils = add_pupils(ctx, [(f"Child{n}", "Example", "11", "11A") for n in range(23)])
    cards = [(p, card_payload(ctx, p)) for p in pupils]
    progress: list[tuple[int, int]] = []

    data = cards_pdf_bytes(
        "Ysgol Gymraeg Llanfair", cards, progress=lambda d, t: progress.append((d, t))
    )

    pdf = pdfium.PdfDocument(data)
    assert len(pdf) == 3
    assert decoded_texts(pdf) == sorted(payload for _, payload in cards)
    assert progress == [(10, 23), (20, 23), (23, 23)]
    assert page_text(pdf).count("Ysgol Gymraeg Llanfair") == 23


def test_no_pupils_is_a_plain_refusal() -> None:
    with pytest.raises(InvalidInput) as refused:
        cards_pdf_bytes("Test School", [])
    assert refused.value.message == "There are no pupils to print cards for."


def test_card_shows_form_year_serial_instruction_and_no_liability_rule(
    ctx: KioskContext,
) -> None:
    (pupil,) = add_pupils(ctx, [("Siobhán", "Ní Bhriain", "8", "8NB")])
    pupil = dataclasses.replace(pupil, card_serial=3)

    text = page_text(pdfium.PdfDocument(cards_pdf_bytes("Test School", [(pupil, "P1X")])))

    lines = squeezed(text)
    assert "Siobhán Ní Bhriain" in text
    assert "Form 8NB · Year 8" in text
    assert "card 3" in text
    assert squeezed("Scan at reception to hand in and collect your phone.") in lines
    assert (
        squeezed(
            "Phones are left at the owner's risk: the school accepts no liability for loss "
            "or damage."
        )
        in lines
    )


def test_a_name_of_any_length_fits_its_box_whole() -> None:
    width, height = 130.0, 60.0
    assert len(f"{LONG_FORENAME} {LONG_SURNAME}") == 120
    for name in [
        "Al Li",
        f"{LONG_FORENAME} {LONG_SURNAME}",
        "Wolfeschlegelsteinhausenbergerdorff" * 3,
        "Zoë " * 100,
    ]:
        fitted = fit_text(name, SANS_BOLD, width=width, height=height, max_size=15, min_size=5)
        assert fitted is not None
        assert fitted.height <= height
        assert squeezed("".join(fitted.lines)) == squeezed(name)
        assert all(stringWidth(line, SANS_BOLD, fitted.size) <= width for line in fitted.lines)


def test_fast_qr_matrix_is_exactly_what_qrcode_makes() -> None:
    rng = random.Random(7)
    payloads = ["P1" + "".join(rng.choice(BASE32_ALPHABET) for _ in range(20)) for _ in range(300)]
    payloads += ["", "x", "https://example.org/?a=1&b=2", "Zoë Łukasz 😀" * 4, "B" * 900]
    for payload in payloads:
        assert qr_matrix(payload) == qr_matrix_reference(payload), payload
