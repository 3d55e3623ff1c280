"""The educational trip's out-of-school record sheet (A4): where the group is, when it left
and returns, and the numbers the school calls the trip lead and deputy on. The printed
words say "Educational visit", as schools' visit policies do."""

from __future__ import annotations

import io
from datetime import datetime

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kiosk import APP_NAME
from kiosk.printing.fonts import SANS, SANS_BOLD, draw_text, register_fonts
from kiosk.printing.text_fit import wrap_text
from kiosk.rows.calls import TripRow

MARGIN = 18 * mm
BODY = 10.5
LEADING = 14


class _Writer:
    """Lines down the page, a new page when the page is full."""

    def __init__(self, canvas: Canvas, title: str) -> None:
        self.canvas = canvas
        self.title = title
        self.y = A4[1] - MARGIN
        self.width = A4[0] - 2 * MARGIN

    def need(self, height: float) -> None:
        if self.y - height < MARGIN:
            self.canvas.showPage()
            self.y = A4[1] - MARGIN
            self.canvas.setFont(SANS, 8)
            self.canvas.drawString(MARGIN, self.y, f"{self.title} (continued)")
            self.y -= 16

    def text(self, text: str, *, font: str = SANS, size: float = BODY, indent: float = 0) -> None:
        for paragraph in text.splitlines() or [""]:
            for line in wrap_text(paragraph, font, size, self.width - indent) or [""]:
                self.need(size * 1.35)
                self.y -= size * 1.35
                draw_text(self.canvas, line, font, size, MARGIN + indent, self.y)

    def field(self, label: str, value: str) -> None:
        label_width = 42 * mm
        lines = []
        for paragraph in value.splitlines() or [""]:
            lines += wrap_text(paragraph, SANS, BODY, self.width - label_width) or [""]
        self.need(LEADING * len(lines) + 4)
        self.y -= LEADING
        draw_text(self.canvas, label, SANS_BOLD, BODY, MARGIN, self.y)
        for index, line in enumerate(lines):
            if index:
                self.y -= LEADING
            draw_text(self.canvas, line, SANS, BODY, MARGIN + label_width, self.y)
        self.y -= 4

    def gap(self, height: float = 8) -> None:
        self.y -= height


def trip_sheet_pdf_bytes(trip: TripRow, school_name: str, printed_at: datetime) -> bytes:
    """The trip's record sheet as PDF bytes (A4, one page or more), headed with
    ``school_name`` and footed with ``printed_at`` (school time, as shown). Names, places
    and numbers are printed as stored."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    title = f"Educational visit: {trip.destination}"
    canvas.setTitle(title)
    canvas.setCreator(APP_NAME)
    out = _Writer(canvas, title)
    out.text(school_name, size=9)
    out.text("Educational visit: out of school record", font=SANS_BOLD, size=16)
    out.gap()
    out.field("Date", trip.on_date.strftime("%A %d %B %Y"))
    out.field("Destination", trip.destination)
    times = []
    if trip.leaves_at:
        times.append(f"leaves {trip.leaves_at:%H:%M}")
    if trip.returns_at:
        times.append(f"returns {trip.returns_at:%H:%M}")
    out.field("Times", ", ".join(times) or "not given")
    if trip.cancelled:
        out.field("Status", "CANCELLED")
    out.gap()
    out.text("Contact while out of school", font=SANS_BOLD, size=12)
    out.field("Visit lead", f"{trip.lead_name}    {trip.lead_mobile}")
    if trip.deputy_name:
        out.field("Deputy", f"{trip.deputy_name}    {trip.deputy_mobile}")
    out.text(
        "The visit lead and deputy keep these phones switched on so that school can reach "
        "the group; the purpose is recorded in the risk assessment. Personal devices are "
        "never used to take pictures of pupils.",
        size=9,
    )
    out.gap()
    out.text(f"Staff attending ({len(trip.attending)})", font=SANS_BOLD, size=12)
    for _staff_id, name in trip.attending:
        out.text(f"• {name}", indent=4 * mm)
    if trip.notes:
        out.gap()
        out.text("Notes", font=SANS_BOLD, size=12)
        out.text(trip.notes)
    out.gap(14)
    out.text(
        "Calls for staff on this visit: urgent ones go to the visit lead; other messages "
        "are emailed or left in the pigeonhole.",
        size=9,
    )
    out.text(f"Printed {printed_at:%d %b %Y %H:%M}", size=8)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
