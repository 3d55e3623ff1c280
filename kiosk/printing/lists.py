"""The desk's lists on A4: the end-of-day list, visitors on site, confiscated devices held and
the telephone log, each drawn from a :class:`~kiosk.rows.lists.ListTable`.

A list is landscape A4 with the school's name, the list's title, when it was printed and a
summary line, then the table (its heading row repeated on every page) and "Page n of m" at
the foot. Every cell goes through the project's fonts (:class:`TextBlock`), so names print
in any script and ``& < >`` print as typed.
"""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from kiosk import APP_NAME
from kiosk.printing.fonts import SANS, SANS_BOLD, register_fonts
from kiosk.printing.text_fit import TextBlock
from kiosk.rows.lists import ListTable

PAGE = landscape(A4)
MARGIN = 12 * mm
_TITLE = ParagraphStyle("list-title", fontName=SANS_BOLD, fontSize=16, leading=20)
_META = ParagraphStyle("list-meta", fontName=SANS, fontSize=10, leading=13)
_EMPTY = ParagraphStyle("list-empty", fontName=SANS_BOLD, fontSize=12, leading=15)
_CELL = ParagraphStyle("list-cell", fontName=SANS, fontSize=9, leading=11.5)
_HEAD = ParagraphStyle("list-head", fontName=SANS_BOLD, fontSize=8.5, leading=11)
_RULE = colors.HexColor("#9aa3ad")
_HEAD_FILL = colors.HexColor("#eef1f5")


def list_pdf_bytes(
    table: ListTable, *, school_name: str, printed_at: datetime, timezone: ZoneInfo
) -> bytes:
    """``table`` as landscape A4 PDF bytes: only the columns meant for paper (weight above
    0), each given its share of the width; ``printed_at`` (aware) is shown in ``timezone``
    (the school's). Raises ValueError when the table has no column for paper."""
    columns = [i for i, c in enumerate(table.columns) if c.on_paper]
    if not columns:
        raise ValueError(f"The list {table.title!r} has no column to print.")
    register_fonts()
    width = PAGE[0] - 2 * MARGIN
    total = sum(table.columns[i].weight for i in columns)
    widths = [width * table.columns[i].weight / total for i in columns]
    printed = printed_at.astimezone(timezone)
    when = f"{printed:%H:%M} on {printed:%A} {printed.day} {printed:%B %Y}"
    title = f"{table.title} — {school_name}" if school_name else table.title
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 4 * mm,
        title=f"{table.title} — {when}",
        creator=APP_NAME,
    )
    story: list = [
        TextBlock(title, _TITLE),
        Spacer(1, 2 * mm),
        TextBlock(f"Printed at {when}. {table.summary}", _META),
        Spacer(1, 3 * mm),
    ]
    if not table.rows:
        story.append(TextBlock(table.empty, _EMPTY))
    else:
        cells: list[list[object]] = [[TextBlock(table.columns[i].heading, _HEAD) for i in columns]]
        cells += [[TextBlock(row[i], _CELL) for i in columns] for row in table.rows]
        grid = Table(cells, colWidths=widths, repeatRows=1)
        grid.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), _HEAD_FILL),
                    ("GRID", (0, 0), (-1, -1), 0.3, _RULE),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ]
            )
        )
        story.append(grid)
    document.build(story, canvasmaker=_NumberedCanvas)
    return buffer.getvalue()


class _NumberedCanvas(Canvas):
    """Writes "Page n of m" on every page once the number of pages is known: a list
    handed over in pieces must be seen to be whole."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # reportlab is untyped
        self._pages: list[dict[str, object]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # reportlab's page reset, not typed

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.saveState()
            self.setFont(SANS, 8)
            self.setFillGray(0.35)
            self.drawRightString(
                PAGE[0] - MARGIN, 7 * mm, f"Page {self.getPageNumber()} of {total}"
            )
            self.restoreState()
            super().showPage()
        super().save()
