"""Pupils' QR cards: A4 sheets of ten credit-card-sized cards with cut marks.

Each card carries the school's name, the pupil's name (as large as fits), form and year, the
signed QR code with its quiet zone, the card's serial, how to use it and the no-liability
rule. The QR matrix comes from ``qrcode`` and is drawn as plain filled rectangles
(:mod:`kiosk.printing.qr`): several times faster than reportlab's QR widget, and the PDF
stays small, so a whole school's cards print in seconds.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kiosk import APP_NAME
from kiosk.errors import InvalidInput
from kiosk.printing.fonts import SANS, SANS_BOLD, check_printable, register_fonts
from kiosk.printing.qr import QUIET_ZONE_MODULES, draw_qr, qr_matrix
from kiosk.printing.text_fit import ASCENT, FittedText, fit_text
from kiosk.rows.people import PupilRow
from kiosk.scanning.words import NO_LIABILITY

Progress = Callable[[int, int], None]
"""Called as ``progress(cards_done, cards_total)`` after each page."""

INSTRUCTION = "Scan at reception to hand in and collect your phone."

# ISO/IEC 7810 ID-1, the size of a bank card.
CARD_WIDTH = 85.6 * mm
CARD_HEIGHT = 54 * mm
COLUMNS = 2
ROWS = 5
CARDS_PER_PAGE = COLUMNS * ROWS
# Gaps between cards leave room for the cut marks, so no mark is printed on a card.
COLUMN_GAP = 10 * mm
ROW_GAP = 4 * mm
PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT_MARGIN = (PAGE_WIDTH - COLUMNS * CARD_WIDTH - (COLUMNS - 1) * COLUMN_GAP) / 2
TOP_MARGIN = (PAGE_HEIGHT - ROWS * CARD_HEIGHT - (ROWS - 1) * ROW_GAP) / 2

CUT_MARK_OFFSET = 0.75 * mm  # marks stop short of the corner, so a cut never shows one
CUT_MARK_LENGTH = 3 * mm
CUT_MARK_WIDTH = 0.3  # points
PRINTER_EDGE = 1.5 * mm  # marks in the margin stop this far short of the paper's edge

# Text keeps this far from the card's edges, allowing for a cut slightly off the line.
PADDING = 3.5 * mm
QR_SIDE = 25 * mm
PUPIL_CARD_QR_MODULES = 25  # every pupil card payload fits version 2: 1 mm modules
QR_EDGE_CLEARANCE = 5 * mm  # from the code to the card's right edge (quiet zone + cut)

NAME_SIZE = 15  # points, for names that fit; longer ones shrink
FORM_SIZE = 9
# The name is the largest text on the card: it goes below this only when even one line per
# word (broken at spaces and hyphens) cannot fit the space at this size.
NAME_MIN_SIZE = 10.5
SERIAL_SIZE = 5.5

TEXT_GREY = 0.25
QUIET_GREY = 0.4
RULE_GREY = 0.65


def cards_pdf_bytes(
    school_name: str,
    cards: Sequence[tuple[PupilRow, str]],
    *,
    progress: Progress | None = None,
) -> bytes:
    """The PDF of cards for each ``(pupil, payload)``, in the order given, ten to a page.

    ``progress`` is called after each page. Raises :class:`InvalidInput` when ``cards``
    is empty, or when a pupil's name has a character no bundled font can draw (it would
    print as an empty box): the message names the pupil and the characters.
    """
    if not cards:
        raise InvalidInput("There are no pupils to print cards for.")
    register_fonts()
    for pupil, _ in cards:
        check_printable(pupil.name, f"No cards printed. The name {pupil.name}")
    layout = _card_layout(school_name)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(f"Pupil cards — {school_name}")
    canvas.setSubject(f"{len(cards)} pupil QR cards")
    canvas.setCreator(APP_NAME)
    total = len(cards)
    for page_start in range(0, total, CARDS_PER_PAGE):
        page_cards = cards[page_start : page_start + CARDS_PER_PAGE]
        for index, (pupil, payload) in enumerate(page_cards):
            x, y = card_origin(index)
            canvas.saveState()
            canvas.translate(x, y)
            _draw_card(canvas, layout, pupil, payload)
            canvas.restoreState()
        _draw_cut_marks(canvas, len(page_cards))
        canvas.showPage()
        if progress is not None:
            progress(page_start + len(page_cards), total)
    canvas.save()
    return buffer.getvalue()


def save_cards_pdf(
    school_name: str,
    cards: Sequence[tuple[PupilRow, str]],
    out: Path,
    *,
    progress: Progress | None = None,
) -> int:
    """Write ``cards`` (each a pupil and their card's QR payload) as an A4 PDF at ``out``;
    return how many cards were printed.

    The file is replaced in one step, so a reader never sees half a PDF. Raises ``OSError``
    when ``out`` cannot be written and :class:`InvalidInput` when ``cards`` is empty.
    """
    data = cards_pdf_bytes(school_name, cards, progress=progress)
    out = Path(out)
    fd, temp_name = tempfile.mkstemp(prefix=".cards-", suffix=".pdf", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(temp_name, out)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return len(cards)


def card_origin(index: int) -> tuple[float, float]:
    """Bottom-left corner of the ``index``-th card on a page (left to right, top down), in
    points from the page's bottom-left corner; ``index`` runs 0 to 9."""
    column, row = index % COLUMNS, index // COLUMNS
    x = LEFT_MARGIN + column * (CARD_WIDTH + COLUMN_GAP)
    y = PAGE_HEIGHT - TOP_MARGIN - (row + 1) * CARD_HEIGHT - row * ROW_GAP
    return x, y


# --- one card ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _CardLayout:
    """What is the same on every card of a print run, worked out once."""

    school: FittedText
    rule_y: float
    liability: FittedText
    footer_top: float
    code_left: float
    code_bottom: float
    column_width: float
    column_top: float
    instruction: FittedText
    instruction_top: float
    serial_top: float
    name_height: float


def _card_layout(school_name: str) -> _CardLayout:
    inner_width = CARD_WIDTH - 2 * PADDING
    school = fit_text(
        school_name,
        SANS_BOLD,
        width=inner_width,
        height=6 * mm,
        max_size=7.5,
        min_size=5,
        max_lines=2,
        balance=True,
    )
    liability = fit_text(
        NO_LIABILITY,
        SANS,
        width=inner_width,
        height=5 * mm,
        max_size=5.8,
        min_size=4.5,
        max_lines=2,
        balance=True,
    )
    assert school is not None and liability is not None
    rule_y = CARD_HEIGHT - PADDING - school.height - 1 * mm
    footer_top = PADDING - 0.5 * mm + liability.height

    # The code sits on the right, centred between the rule and the footer; the text column
    # on the left stops at the code's quiet zone.
    code_left = CARD_WIDTH - QR_EDGE_CLEARANCE - QR_SIDE
    code_bottom = footer_top + (rule_y - footer_top - QR_SIDE) / 2
    quiet_zone = QR_SIDE / PUPIL_CARD_QR_MODULES * QUIET_ZONE_MODULES
    column_width = code_left - quiet_zone - PADDING
    column_top = rule_y - 2.5 * mm
    column_bottom = footer_top + 1.5 * mm

    instruction = fit_text(
        INSTRUCTION,
        SANS,
        width=column_width,
        height=7 * mm,
        max_size=6.8,
        min_size=5,
        max_lines=2,
        balance=True,
    )
    assert instruction is not None
    serial_height = FittedText(SERIAL_SIZE, SERIAL_SIZE, ("card",)).height
    instruction_top = column_bottom + serial_height + 0.6 * mm + instruction.height
    form_height = FittedText(FORM_SIZE, FORM_SIZE, ("Form",)).height
    return _CardLayout(
        school=school,
        rule_y=rule_y,
        liability=liability,
        footer_top=footer_top,
        code_left=code_left,
        code_bottom=code_bottom,
        column_width=column_width,
        column_top=column_top,
        instruction=instruction,
        instruction_top=instruction_top,
        serial_top=instruction_top - instruction.height - 0.6 * mm,
        name_height=column_top - instruction_top - 2.5 * mm - form_height - 1.5 * mm,
    )


def _draw_card(canvas: Canvas, layout: _CardLayout, pupil: PupilRow, payload: str) -> None:
    canvas.setFillGray(TEXT_GREY)
    layout.school.draw(canvas, SANS_BOLD, PADDING, CARD_HEIGHT - PADDING)
    canvas.setStrokeGray(RULE_GREY)
    canvas.setLineWidth(0.4)
    canvas.line(PADDING, layout.rule_y, CARD_WIDTH - PADDING, layout.rule_y)

    canvas.setFillGray(QUIET_GREY)
    layout.liability.draw(canvas, SANS, PADDING, layout.footer_top)

    draw_qr(canvas, qr_matrix(payload), layout.code_left, layout.code_bottom, QR_SIDE)

    name = _fit_name(pupil, layout.column_width, layout.name_height)
    canvas.setFillGray(0)
    below_name = name.draw(canvas, SANS_BOLD, PADDING, layout.column_top)

    form = fit_text(
        _form_and_year(pupil),
        SANS,
        width=layout.column_width,
        height=FORM_SIZE * 1.2,
        max_size=FORM_SIZE,
        min_size=5,
        max_lines=1,
    )
    assert form is not None
    canvas.setFillGray(TEXT_GREY)
    form.draw(canvas, SANS, PADDING, below_name - 1.5 * mm)
    layout.instruction.draw(canvas, SANS, PADDING, layout.instruction_top)

    canvas.setFillGray(QUIET_GREY)
    canvas.setFont(SANS, SERIAL_SIZE)
    canvas.drawString(
        PADDING, layout.serial_top - SERIAL_SIZE * ASCENT, f"card {pupil.card_serial}"
    )


def _form_and_year(pupil: PupilRow) -> str:
    parts = [f"Form {pupil.form}" if pupil.form else "", pupil.year_label]
    return " · ".join(part for part in parts if part)


def _fit_name(pupil: PupilRow, width: float, height: float) -> FittedText:
    """One line when it reads well at a good size; else forename above surname, wrapping at
    spaces and hyphens, down to ``NAME_MIN_SIZE``; smaller only when nothing else fits."""
    one_line = fit_text(
        pupil.name,
        SANS_BOLD,
        width=width,
        height=height,
        max_size=NAME_SIZE,
        min_size=11,
        max_lines=1,
        must_fit=False,
    )
    if one_line is not None:
        return one_line
    fitted = fit_text(
        [pupil.display_forename, pupil.display_surname],
        SANS_BOLD,
        width=width,
        height=height,
        max_size=NAME_SIZE,
        min_size=NAME_MIN_SIZE,
        balance=True,
    )
    assert fitted is not None
    return fitted


# --- the sheet -----------------------------------------------------------------------------


def _draw_cut_marks(canvas: Canvas, cards_on_page: int) -> None:
    """Short lines at every corner of every card on the page, pointing away from the card
    along its edges, so each cut can be lined up on a pair of marks."""
    canvas.saveState()
    canvas.setStrokeGray(0)
    canvas.setLineWidth(CUT_MARK_WIDTH)
    path = canvas.beginPath()
    for index in range(cards_on_page):
        column, row = index % COLUMNS, index // COLUMNS
        left, bottom = card_origin(index)
        right, top = left + CARD_WIDTH, bottom + CARD_HEIGHT
        # Cards fill a page left to right, top down: the ones before this are all there.
        to_left = _mark_reach(column > 0, True, COLUMN_GAP, LEFT_MARGIN)
        to_right = _mark_reach(
            column < COLUMNS - 1, index + 1 < cards_on_page, COLUMN_GAP, LEFT_MARGIN
        )
        upward = _mark_reach(row > 0, True, ROW_GAP, TOP_MARGIN)
        downward = _mark_reach(row < ROWS - 1, index + COLUMNS < cards_on_page, ROW_GAP, TOP_MARGIN)
        for y in (bottom, top):
            path.moveTo(left - CUT_MARK_OFFSET, y)
            path.lineTo(left - CUT_MARK_OFFSET - to_left, y)
            path.moveTo(right + CUT_MARK_OFFSET, y)
            path.lineTo(right + CUT_MARK_OFFSET + to_right, y)
        for x in (left, right):
            path.moveTo(x, top + CUT_MARK_OFFSET)
            path.lineTo(x, top + CUT_MARK_OFFSET + upward)
            path.moveTo(x, bottom - CUT_MARK_OFFSET)
            path.lineTo(x, bottom - CUT_MARK_OFFSET - downward)
    canvas.drawPath(path, stroke=1, fill=0)
    canvas.restoreState()


def _mark_reach(gap_side: bool, card_beyond: bool, gap: float, margin: float) -> float:
    """How far a mark runs from its corner: into the page margin (stopping short of where
    printers cannot print), half of a gap shared with another card, or a gap left empty."""
    if not gap_side:
        return min(CUT_MARK_LENGTH, margin - CUT_MARK_OFFSET - PRINTER_EDGE)
    if card_beyond:
        return min(CUT_MARK_LENGTH, gap / 2 - CUT_MARK_OFFSET)
    return min(CUT_MARK_LENGTH, gap - CUT_MARK_OFFSET)
