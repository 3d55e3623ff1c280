"""The fire roll call: everyone signed in and not out, on A4, grouped by category, with a
tick column for the person calling the roll and the time it was printed."""

from __future__ import annotations

import io
from pathlib import Path
from zoneinfo import ZoneInfo

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from kiosk import APP_NAME
from kiosk.policies import category
from kiosk.printing.fonts import SANS, SANS_BOLD, register_fonts
from kiosk.printing.text_fit import TextBlock
from kiosk.rows.visitors import RollCall

_TITLE = ParagraphStyle("title", fontName=SANS_BOLD, fontSize=18, leading=22)
_META = ParagraphStyle("meta", fontName=SANS, fontSize=10.5, leading=14)
_GROUP = ParagraphStyle("group", fontName=SANS_BOLD, fontSize=13, leading=16, spaceBefore=8)
_CELL = ParagraphStyle("cell", fontName=SANS, fontSize=9.5, leading=12)
_HEAD = ParagraphStyle("head", fontName=SANS_BOLD, fontSize=9, leading=11)
_COLUMNS = (12 * mm, 48 * mm, 40 * mm, 36 * mm, 16 * mm, 28 * mm)


def _p(text: str, style: ParagraphStyle = _CELL) -> TextBlock:
    # Plain text, no markup: names print in any script, and `& < >` as typed.
    return TextBlock(text, style)


def roll_call_pdf_bytes(roll: RollCall, timezone: ZoneInfo) -> bytes:
    """The fire roll call as A4 PDF bytes: a table per visitor category in the roll's
    order, with a tick column, name, organisation, host, time in and escort.

    Times are shown in ``timezone`` (the school's): the time printed is ``roll.at``, and a
    visitor who arrived on an earlier day shows the date too. Every page is numbered. Raises
    KeyError when a group's category is not a known visitor category.
    """
    register_fonts()
    buffer = io.BytesIO()
    printed = roll.at.astimezone(timezone)
    when = f"{printed:%H:%M} on {printed:%A} {printed.day} {printed:%B %Y}"
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=14 * mm,
        rightMargin=14 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=f"Fire roll call — {when}",
        creator=APP_NAME,
    )
    story: list = [
        _p(
            f"Fire roll call — {roll.school_name}" if roll.school_name else "Fire roll call", _TITLE
        ),
        Spacer(1, 2 * mm),
        _p(f"Visitors on site at {when}. Printed by Reception Kiosk.", _META),
        _p(
            f"{roll.total} {'person' if roll.total == 1 else 'people'} signed in and not signed out.",
            _META,
        ),
        Spacer(1, 3 * mm),
    ]
    if not roll.groups:
        story.append(_p("Nobody is signed in as a visitor.", _GROUP))
    for group in roll.groups:
        story.append(_p(f"{group.label} ({len(group.visits)})", _GROUP))
        colour = colors.HexColor(category(group.category).colour)
        rows: list[list[object]] = [
            [
                _p("✓", _HEAD),
                _p("Name", _HEAD),
                _p("Organisation", _HEAD),
                _p("Visiting", _HEAD),
                _p("In at", _HEAD),
                _p("Escort", _HEAD),
            ]
        ]
        for visit in group.visits:
            arrived = visit.signed_in_at.astimezone(timezone)
            rows.append(
                [
                    "",
                    _p(visit.name),
                    _p(visit.organisation),
                    _p(visit.host_name),
                    _p(
                        f"{arrived:%H:%M}"
                        if arrived.date() == printed.date()
                        else f"{arrived:%d/%m %H:%M}"
                    ),
                    _p("Escorted" if visit.escorted else "Unescorted"),
                ]
            )
        table = Table(rows, colWidths=_COLUMNS, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("LINEABOVE", (0, 0), (-1, 0), 2, colour),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef1f5")),
                    ("GRID", (1, 1), (-1, -1), 0.3, colors.HexColor("#9aa3ad")),
                    ("BOX", (0, 1), (0, -1), 0.3, colors.HexColor("#9aa3ad")),
                    ("INNERGRID", (0, 1), (0, -1), 0.3, colors.HexColor("#9aa3ad")),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("TOPPADDING", (0, 1), (-1, -1), 5),
                    ("BOTTOMPADDING", (0, 1), (-1, -1), 5),
                ]
            )
        )
        story.append(table)
    document.build(story, onFirstPage=_page_footer, onLaterPages=_page_footer)
    return buffer.getvalue()


def _page_footer(canvas: Canvas, document: BaseDocTemplate) -> None:
    # Page number at the foot: a roll call must be read whole.
    canvas.saveState()
    canvas.setFont(SANS, 8)
    canvas.setFillGray(0.35)
    canvas.drawRightString(A4[0] - 14 * mm, 8 * mm, f"Page {document.page}")
    canvas.restoreState()


def write_roll_call_pdf(roll: RollCall, timezone: ZoneInfo, out: Path) -> Path:
    """Write the roll call PDF (see :func:`roll_call_pdf_bytes`) to ``out``, replacing any
    file there, and return ``out`` as a Path; OSError when it cannot be written."""
    out = Path(out)
    out.write_bytes(roll_call_pdf_bytes(roll, timezone))
    return out
