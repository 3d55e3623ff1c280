"""Visitor badges: one page, sized for an A6 card holder or a 62 mm label roll.

From the top: a band in the category's colour naming the category, the visitor's name as
large as it fits, organisation, whom they are visiting, date and time in, a band saying
whether they must be escorted, the "no phones or photos where children are present" mark,
and the signed QR code that signs them out at the kiosk. Everything is laid out as a share
of the page, so both sizes come from the same drawing.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from reportlab.lib.colors import HexColor, white
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kiosk import APP_NAME
from kiosk.printing.fonts import SANS, SANS_BOLD, check_printable, register_fonts
from kiosk.printing.qr import QUIET_ZONE_MODULES, draw_qr, qr_matrix
from kiosk.printing.text_fit import FittedText, fit_text

PAGE_SIZES: dict[str, tuple[float, float]] = {
    "a6": (105 * mm, 148 * mm),
    "label62": (62 * mm, 100 * mm),
}
NO_PHONES = "No phones or photos where children are present"
SIGN_OUT = "Scan this at reception to sign out"
ESCORTED_TEXT = "ESCORTED AT ALL TIMES"
UNESCORTED_TEXT = "UNESCORTED"
ESCORTED_COLOUR = HexColor("#c62828")
UNESCORTED_COLOUR = HexColor("#2e7d32")
WARNING_RED = HexColor("#c62828")
TEXT_GREY = 0.25
# Type sizes in points. The details are DETAIL_SIZE on A6, scaled down by a label's width but
# never below DETAIL_SIZE_MIN; the name is as large as fits up to NAME_SIZE_MAX and never
# below NAME_OVER_DETAILS times the details.
NAME_SIZE_MAX = 36
DETAIL_SIZE = 11
DETAIL_SIZE_MIN = 7.5
NAME_OVER_DETAILS = 1.3


@dataclass(frozen=True, slots=True)
class BadgeContent:
    """What a badge shows; times are already in the school's local time."""

    name: str
    organisation: str
    host_name: str
    category_label: str
    category_colour: str  # "#rrggbb", the category's colour from the policy texts
    escorted: bool
    signed_in_at: datetime  # aware, school local time
    code: str  # the signed QR payload (kiosk.codes.visitor_badge)
    school_name: str = ""


def badge_pdf_bytes(badge: BadgeContent, size: str = "a6") -> bytes:
    """The badge as a one-page PDF at ``size`` ("a6": 105 x 148 mm, "label62": 62 x 100 mm).

    Raises KeyError for any other ``size``, ValueError (from reportlab) when
    ``category_colour`` is not a colour, and :class:`~kiosk.errors.InvalidInput` when the
    name, organisation or host has a character no bundled font can draw (it would print as
    an empty box).
    """
    width, height = PAGE_SIZES[size]
    register_fonts()
    check_printable(badge.name, "No badge printed. The name")
    check_printable(badge.organisation, "No badge printed. The organisation")
    check_printable(badge.host_name, "No badge printed. The name of whom they visit")
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), pageCompression=1)
    canvas.setTitle(f"Visitor badge — {badge.name}")
    canvas.setCreator(APP_NAME)
    _draw_badge(canvas, badge, width, height)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def write_badge_pdf(badge: BadgeContent, out: Path, size: str = "a6") -> Path:
    """Write the badge PDF (see :func:`badge_pdf_bytes`) to ``out``, replacing any file
    there, and return ``out`` as a Path. Raises what :func:`badge_pdf_bytes` raises, and
    OSError when the file cannot be written."""
    out = Path(out)
    out.write_bytes(badge_pdf_bytes(badge, size))
    return out


def _draw_badge(canvas: Canvas, badge: BadgeContent, width: float, height: float) -> None:
    unit = width / (105 * mm)  # 1.0 on A6; type scales with the page
    margin = 5 * mm * unit
    inner = width - 2 * margin

    # Category band.
    band = 16 * mm * unit
    canvas.setFillColor(HexColor(badge.category_colour))
    canvas.rect(0, height - band, width, band, stroke=0, fill=1)
    label = fit_text(
        badge.category_label.upper(),
        SANS_BOLD,
        width=inner,
        height=band - 3 * mm * unit,
        max_size=20 * unit,
        min_size=7 * unit,
        max_lines=1,
    )
    assert label is not None
    canvas.setFillColor(white)
    label.draw(canvas, SANS_BOLD, margin, height - (band - label.height) / 2, width=inner)
    top = height - band - 3 * mm * unit

    if badge.school_name:
        school = fit_text(
            badge.school_name,
            SANS,
            width=inner,
            height=9 * unit,
            max_size=8 * unit,
            min_size=5 * unit,
            max_lines=1,
        )
        assert school is not None
        canvas.setFillGray(TEXT_GREY)
        top = school.draw(canvas, SANS, margin, top) - 1.5 * mm * unit

    # Bottom-up: QR with the no-phones mark beside it, then the escort band above them.
    qr_side = 30 * mm * unit
    quiet = qr_side * QUIET_ZONE_MODULES / (len(qr_matrix(badge.code)) + 2 * QUIET_ZONE_MODULES)
    bottom_block = qr_side + 2 * margin
    escort_height = 10 * mm * unit
    escort_bottom = bottom_block
    details_bottom = escort_bottom + escort_height + 2 * mm * unit

    # The name, then the details, share the space between the school's name and the escort
    # band. The details keep their size; the name takes the rest, as large as it fits: it is
    # always the largest text on the badge, breaking only at spaces and hyphens.
    details = [
        line
        for line in (badge.organisation, f"Visiting: {badge.host_name}", _when(badge.signed_in_at))
        if line
    ]
    gap = 2 * mm * unit
    area = top - details_bottom
    detail_size = max(DETAIL_SIZE * unit, DETAIL_SIZE_MIN)
    name_min = detail_size * NAME_OVER_DETAILS
    name: FittedText | None = None
    detail_text: FittedText | None = None
    # Long details give way (down to a readable size) before the name drops below its least.
    size = detail_size
    while name is None and size >= DETAIL_SIZE_MIN * 0.75:
        detail_text = fit_text(
            details, SANS, width=inner, height=area * 0.5, max_size=size, min_size=size
        )
        assert detail_text is not None
        name = _fit_name(badge.name, inner, area - detail_text.height - gap, name_min)
        size -= 0.5
    assert detail_text is not None
    if name is None:
        name = fit_text(
            badge.name,
            SANS_BOLD,
            width=inner,
            height=area - detail_text.height - gap,
            max_size=name_min,
            min_size=name_min,
            balance=True,
        )
    assert name is not None
    # What is left over goes above and below the block, a little more below.
    spare = max(area - name.height - gap - detail_text.height, 0)
    top -= spare * 0.4
    canvas.setFillGray(0)
    top = name.draw(canvas, SANS_BOLD, margin, top) - gap
    canvas.setFillGray(TEXT_GREY)
    detail_text.draw(canvas, SANS, margin, top)

    # Escorted or not: a full-width band, colour and words both say it.
    canvas.setFillColor(ESCORTED_COLOUR if badge.escorted else UNESCORTED_COLOUR)
    canvas.rect(0, escort_bottom, width, escort_height, stroke=0, fill=1)
    escort = fit_text(
        ESCORTED_TEXT if badge.escorted else UNESCORTED_TEXT,
        SANS_BOLD,
        width=inner,
        height=escort_height - 2 * mm * unit,
        max_size=15 * unit,
        min_size=6 * unit,
        max_lines=1,
    )
    assert escort is not None
    canvas.setFillColor(white)
    escort.draw(
        canvas,
        SANS_BOLD,
        margin,
        escort_bottom + escort_height - (escort_height - escort.height) / 2,
        width=inner,
    )

    # QR code, bottom right, with its quiet zone inside the margin.
    qr_x = width - margin - qr_side + quiet
    qr_y = margin
    draw_qr(canvas, qr_matrix(badge.code), qr_x, qr_y, qr_side - 2 * quiet)

    # The no-phones mark to the left of the QR.
    mark_width = width - 2 * margin - qr_side - 2 * mm * unit
    symbol = min(mark_width * 0.45, qr_side * 0.55)
    symbol_x = margin + (mark_width - symbol) / 2
    symbol_y = margin + qr_side - symbol
    _draw_no_phone_symbol(canvas, symbol_x, symbol_y, symbol)
    words = fit_text(
        NO_PHONES,
        SANS_BOLD,
        width=mark_width,
        height=symbol_y - margin - 1 * mm * unit,
        max_size=9 * unit,
        min_size=4 * unit,
        balance=True,
    )
    assert words is not None
    canvas.setFillColor(WARNING_RED)
    words.draw(canvas, SANS_BOLD, margin, symbol_y - 1 * mm * unit, width=mark_width)
    canvas.setFillGray(TEXT_GREY)
    hint = fit_text(
        SIGN_OUT,
        SANS,
        width=qr_side,
        height=margin * 0.9,
        max_size=6.5 * unit,
        min_size=3.5 * unit,
        max_lines=1,
    )
    assert hint is not None
    hint.draw(canvas, SANS, width - margin - qr_side, margin * 0.95, width=qr_side)


def _fit_name(name: str, width: float, height: float, least: float) -> FittedText | None:
    """The name as large as it fits in ``width`` x ``height`` points: on one line, or two,
    while that keeps it large, else on as many lines as the space holds, never below
    ``least`` points (None when it cannot fit at that size without breaking a word)."""
    for lines, smallest in ((1, NAME_SIZE_MAX * 2 / 3), (2, NAME_SIZE_MAX / 2)):
        fitted = fit_text(
            name,
            SANS_BOLD,
            width=width,
            height=height,
            max_size=NAME_SIZE_MAX,
            min_size=max(least, smallest),
            max_lines=lines,
            balance=True,
            must_fit=False,
        )
        if fitted is not None:
            return fitted
    return fit_text(
        name,
        SANS_BOLD,
        width=width,
        height=height,
        max_size=NAME_SIZE_MAX,
        min_size=least,
        balance=True,
        must_fit=False,
    )


def _when(at: datetime) -> str:
    # Built by hand: "%-d" (day without a leading zero) is not available on Windows.
    return f"{at:%a} {at.day} {at:%b %Y} · in at {at:%H:%M}"


def _draw_no_phone_symbol(canvas: Canvas, x: float, y: float, side: float) -> None:
    """A phone with a camera lens, inside a red circle with a bar across it."""
    centre_x, centre_y = x + side / 2, y + side / 2
    radius = side / 2
    stroke = side * 0.08
    canvas.saveState()
    canvas.setStrokeGray(0)
    canvas.setFillGray(0)
    phone_w, phone_h = side * 0.32, side * 0.55
    canvas.setLineWidth(stroke * 0.6)
    canvas.roundRect(
        centre_x - phone_w / 2,
        centre_y - phone_h / 2,
        phone_w,
        phone_h,
        phone_w * 0.18,
        stroke=1,
        fill=0,
    )
    canvas.circle(centre_x, centre_y + phone_h * 0.28, phone_w * 0.14, stroke=0, fill=1)
    canvas.setStrokeColor(WARNING_RED)
    canvas.setLineWidth(stroke)
    canvas.circle(centre_x, centre_y, radius - stroke / 2, stroke=1, fill=0)
    offset = (radius - stroke / 2) * 0.7071
    canvas.line(centre_x - offset, centre_y + offset, centre_x + offset, centre_y - offset)
    canvas.restoreState()
