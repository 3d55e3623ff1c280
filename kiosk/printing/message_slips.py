"""Telephone message slips: the blank pad kept at reception (four A6 slips to an A4 page,
with cut marks) and any recorded message printed as a filled slip, on A6 or four to A4.

Every slip has the same fields: For, From, Telephone, Date, Time, Message (ruled lines),
Urgent / Can wait / Please call back / Will call again, and Taken by. A filled slip prints
the words exactly as stored; a message too long for one slip continues on the next,
marked "continued", so nothing is cut off.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path

from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kiosk import APP_NAME
from kiosk.printing.fonts import SANS, SANS_BOLD, draw_text, register_fonts
from kiosk.printing.text_fit import fit_text, text_width, wrap_text

SLIP_WIDTH, SLIP_HEIGHT = A6  # 105 x 148 mm: four fill an A4 page
PAD = 8 * mm  # inside each slip, clear of the cut and of what printers cannot reach
LABEL_SIZE = 8.5
VALUE_SIZE = 10.5
MESSAGE_SIZE = 9.5
LINE_STEP = 7 * mm
BOX = 3.6 * mm
CHECKS = (
    ("urgent", "Urgent"),
    ("can_wait", "Can wait"),
    ("call_back", "Please call back"),
    ("will_call_again", "Will call again"),
)
CUT_MARK_LENGTH = 6 * mm
CUT_MARK_EDGE = 5 * mm  # printers leave about 4 mm unprinted at each edge
GREY = 0.35
RULE_GREY = 0.6


@dataclass(frozen=True, slots=True)
class SlipContent:
    """What goes on a filled slip, already formatted for print."""

    for_name: str
    caller: str
    telephone: str
    date: str  # as printed, school local time: "Tue 03 Mar 2026"
    time: str  # as printed, school local time: "14:05"
    message: str
    ticked: frozenset[str]  # keys of CHECKS: "urgent", "can_wait", "call_back", ...
    taken_by: str


def slip_content(message: object, tz: tzinfo) -> SlipContent:
    """A slip's content from a :class:`kiosk.rows.calls.MessageRow`, its date and time
    when taken shown in ``tz`` (the school's time zone). Ticks the message's urgency and
    "call back" / "will call again" when set. AssertionError for any other object."""
    from kiosk.rows.calls import MessageRow

    assert isinstance(message, MessageRow)
    taken = message.taken_at.astimezone(tz)
    ticked = {message.urgency}
    if message.call_back:
        ticked.add("call_back")
    if message.will_call_again:
        ticked.add("will_call_again")
    return SlipContent(
        for_name=message.for_name,
        caller=message.caller_name,
        telephone=message.caller_number,
        date=taken.strftime("%a %d %b %Y"),
        time=taken.strftime("%H:%M"),
        message=message.text,
        ticked=frozenset(ticked),
        taken_by=message.taken_by,
    )


# --- one slip ------------------------------------------------------------------------------


def _message_lines_area() -> tuple[float, float]:
    """The top and bottom rule of the message area, from the slip's bottom edge."""
    return SLIP_HEIGHT - PAD - 56 * mm, PAD + 26 * mm


def message_lines_per_slip() -> int:
    """How many ruled message lines one slip has: how much of a message fits before it
    continues on the next slip."""
    top, bottom = _message_lines_area()
    return int((top - bottom) // LINE_STEP) + 1


def _field(
    canvas: Canvas, label: str, x: float, baseline: float, width: float, value: str | None
) -> None:
    canvas.setFillGray(0)
    canvas.setFont(SANS_BOLD, LABEL_SIZE)
    canvas.drawString(x, baseline, label)
    start = x + text_width(label, SANS_BOLD, LABEL_SIZE) + 2 * mm
    canvas.setStrokeGray(RULE_GREY)
    canvas.setLineWidth(0.5)
    canvas.line(start, baseline - 1.2, x + width, baseline - 1.2)
    if value:
        fitted = fit_text(
            value,
            SANS,
            width=x + width - start,
            height=6 * mm,
            max_size=VALUE_SIZE,
            min_size=5,
            max_lines=1,
        )
        if fitted is not None:
            # Sit the text's baseline just above the rule.
            fitted.draw(canvas, SANS, start, baseline + fitted.size * 0.93 + 1.5)


def _draw_slip(
    canvas: Canvas,
    school_name: str,
    content: SlipContent | None,
    message_lines: Sequence[str],
    part: tuple[int, int],
) -> None:
    """One slip with its bottom-left corner at the canvas origin."""
    left, right = PAD, SLIP_WIDTH - PAD
    width = right - left
    top = SLIP_HEIGHT - PAD
    canvas.setFillGray(0)
    canvas.setFont(SANS_BOLD, 13)
    canvas.drawString(left, top - 4.5 * mm, "Telephone message")
    if part[1] > 1:
        canvas.setFont(SANS, 7.5)
        canvas.drawRightString(right, top - 4.5 * mm, f"continued, {part[0]} of {part[1]}")
    canvas.setFillGray(GREY)
    school = fit_text(
        school_name, SANS, width=width, height=4 * mm, max_size=7.5, min_size=4, max_lines=1
    )
    if school is not None:
        school.draw(canvas, SANS, left, top - 6.5 * mm)

    c = content
    _field(canvas, "For", left, top - 17 * mm, width, c.for_name if c else None)
    _field(canvas, "From", left, top - 26 * mm, width, c.caller if c else None)
    _field(canvas, "Telephone", left, top - 35 * mm, width, c.telephone if c else None)
    half = width / 2 - 2 * mm
    _field(canvas, "Date", left, top - 44 * mm, half, c.date if c else None)
    _field(canvas, "Time", left + half + 4 * mm, top - 44 * mm, half, c.time if c else None)

    canvas.setFillGray(0)
    canvas.setFont(SANS_BOLD, LABEL_SIZE)
    canvas.drawString(left, top - 51 * mm, "Message")
    first, last = _message_lines_area()
    canvas.setStrokeGray(RULE_GREY)
    canvas.setLineWidth(0.5)
    y = first
    index = 0
    canvas.setFont(SANS, MESSAGE_SIZE)
    while y >= last - 0.01:
        canvas.line(left, y - 1.2, right, y - 1.2)
        if index < len(message_lines):
            canvas.setFillGray(0)
            draw_text(canvas, message_lines[index], SANS, MESSAGE_SIZE, left, y)
        index += 1
        y -= LINE_STEP

    # The tick boxes, two by two.
    column = width / 2
    for i, (key, label) in enumerate(CHECKS):
        x = left + (i % 2) * column
        baseline = PAD + 16 * mm - (i // 2) * 6.5 * mm
        canvas.setStrokeGray(0)
        canvas.setLineWidth(0.7)
        canvas.rect(x, baseline - 0.6 * mm, BOX, BOX, stroke=1, fill=0)
        if c is not None and key in c.ticked:
            canvas.setLineWidth(1.3)
            path = canvas.beginPath()
            path.moveTo(x + 0.7 * mm, baseline + 1.0 * mm)
            path.lineTo(x + 1.5 * mm, baseline + 0.1 * mm)
            path.lineTo(x + 3.2 * mm, baseline + 2.8 * mm)
            canvas.drawPath(path, stroke=1, fill=0)
        canvas.setFillGray(0)
        canvas.setFont(SANS_BOLD if key == "urgent" else SANS, LABEL_SIZE + 0.5)
        canvas.drawString(x + BOX + 2 * mm, baseline, label)

    _field(canvas, "Taken by", left, PAD + 1.5 * mm, width, c.taken_by if c else None)


def _wrap_message(text: str) -> list[str]:
    width = SLIP_WIDTH - 2 * PAD
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines.extend(wrap_text(paragraph, SANS, MESSAGE_SIZE, width) or [""])
    return lines


def _slips_for(
    content: SlipContent | None,
) -> list[tuple[SlipContent | None, list[str], tuple[int, int]]]:
    """One blank slip, or as many filled slips as the message needs."""
    if content is None:
        return [(None, [], (1, 1))]
    per_slip = message_lines_per_slip()
    lines = _wrap_message(content.message)
    chunks = [lines[i : i + per_slip] for i in range(0, len(lines), per_slip)] or [[]]
    return [(content, chunk, (n + 1, len(chunks))) for n, chunk in enumerate(chunks)]


# --- pages ---------------------------------------------------------------------------------


def _quadrant_origin(index: int) -> tuple[float, float]:
    """Bottom-left corner of slip ``index`` (0..3) on an A4 page, left to right, top down."""
    column, row = index % 2, index // 2
    return column * SLIP_WIDTH, A4[1] - (row + 1) * SLIP_HEIGHT


def _draw_cut_marks(canvas: Canvas) -> None:
    """Marks where the page is cut into four: at the edges' midpoints and a centre cross."""
    page_width, page_height = A4
    middle_x, middle_y = SLIP_WIDTH, A4[1] - SLIP_HEIGHT
    canvas.saveState()
    canvas.setStrokeGray(0)
    canvas.setLineWidth(0.4)
    path = canvas.beginPath()
    for y0, y1 in (
        (page_height - CUT_MARK_EDGE, page_height - CUT_MARK_EDGE - CUT_MARK_LENGTH),
        (CUT_MARK_EDGE, CUT_MARK_EDGE + CUT_MARK_LENGTH),
    ):
        path.moveTo(middle_x, y0)
        path.lineTo(middle_x, y1)
    for x0, x1 in (
        (CUT_MARK_EDGE, CUT_MARK_EDGE + CUT_MARK_LENGTH),
        (page_width - CUT_MARK_EDGE, page_width - CUT_MARK_EDGE - CUT_MARK_LENGTH),
    ):
        path.moveTo(x0, middle_y)
        path.lineTo(x1, middle_y)
    half = CUT_MARK_LENGTH / 2
    path.moveTo(middle_x - half, middle_y)
    path.lineTo(middle_x + half, middle_y)
    path.moveTo(middle_x, middle_y - half)
    path.lineTo(middle_x, middle_y + half)
    canvas.drawPath(path, stroke=1, fill=0)
    canvas.restoreState()


def _render(
    slips: Sequence[tuple[SlipContent | None, list[str], tuple[int, int]]],
    school_name: str,
    *,
    four_to_a4: bool,
    title: str,
) -> bytes:
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4 if four_to_a4 else A6, pageCompression=1)
    canvas.setTitle(title)
    canvas.setCreator(APP_NAME)
    if four_to_a4:
        for page_start in range(0, len(slips), 4):
            for index, slip in enumerate(slips[page_start : page_start + 4]):
                canvas.saveState()
                canvas.translate(*_quadrant_origin(index))
                _draw_slip(canvas, school_name, *slip)
                canvas.restoreState()
            _draw_cut_marks(canvas)
            canvas.showPage()
    else:
        for slip in slips:
            _draw_slip(canvas, school_name, *slip)
            canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def pad_pdf_bytes(pages: int, school_name: str) -> bytes:
    """A pad of blank slips: ``pages`` A4 pages, four slips each, with cut marks, as PDF
    bytes. Raises ValueError when ``pages`` is less than 1."""
    if pages < 1:
        raise ValueError("a pad has at least one page")
    return _render(
        _slips_for(None) * (4 * pages),
        school_name,
        four_to_a4=True,
        title=f"Telephone message pad — {school_name}",
    )


def message_slips_pdf_bytes(
    contents: Sequence[SlipContent], school_name: str, *, four_to_a4: bool = False
) -> bytes:
    """Filled slips as PDF bytes, one message after another (long messages over several
    slips), each slip an A6 page, or four to an A4 page with cut marks. Raises ValueError
    when ``contents`` is empty."""
    if not contents:
        raise ValueError("no messages to print")
    register_fonts()  # the message is measured before anything is drawn
    slips = [slip for content in contents for slip in _slips_for(content)]
    return _render(slips, school_name, four_to_a4=four_to_a4, title="Telephone messages")


def _write_atomically(out: Path, data: bytes) -> None:
    out = Path(out)
    fd, temp_name = tempfile.mkstemp(prefix=".slips-", suffix=".pdf", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(temp_name, out)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def write_pad_pdf(out: Path, *, pages: int, school_name: str) -> int:
    """Write the blank pad to ``out``; return the number of slips (four a page).

    The file is replaced in one step, so a reader never sees half a PDF. Raises ValueError
    when ``pages`` is less than 1 and OSError when ``out`` cannot be written.
    """
    _write_atomically(out, pad_pdf_bytes(pages, school_name))
    return 4 * pages
