"""Fitting user text into a fixed box on a printed document: wrap, then shrink, never spill.

Names are printed exactly as stored, however long, so text is never cut short: it wraps at
spaces and after hyphens (inside a word only when one word is wider than the box at the
smallest size allowed) and gets smaller until the whole of it fits. Every width comes from
:mod:`kiosk.printing.fonts`, which measures text as it is drawn: in the face that has each
character, shaped, in display order.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from kiosk.printing.fonts import MAIN_ASCENT, MAIN_DESCENT, draw_text, line_extent, text_width

# DejaVu's ascender is 0.93 em: the first baseline sits this far below the top of the box.
ASCENT = MAIN_ASCENT
SMALLEST_SIZE = 1.0


@dataclass(frozen=True, slots=True)
class FittedText:
    """Text broken into lines at one font size, ready to draw (sizes in points)."""

    size: float  # font size, points
    leading: float  # baseline to baseline, points
    lines: tuple[str, ...]
    ascent: float = MAIN_ASCENT  # ems above the first baseline the lines may reach
    descent: float = MAIN_DESCENT  # ems below the last baseline

    @property
    def height(self) -> float:
        """From the top of the first line to the baseline of the last, plus descenders
        (points)."""
        return (
            self.size * self.ascent
            + self.leading * (len(self.lines) - 1)
            + self.size * self.descent
        )

    def draw(
        self, canvas: Canvas, font: str, x: float, top: float, *, width: float | None = None
    ) -> float:
        """Draw the lines from ``top`` down (centred when ``width`` is given); return the
        y just below the last line. All in points, in the canvas's coordinates (y up)."""
        baseline = top - self.size * self.ascent
        for line in self.lines:
            if width is None:
                draw_text(canvas, line, font, self.size, x, baseline)
            else:
                draw_text(canvas, line, font, self.size, x + width / 2, baseline, align="centre")
            baseline -= self.leading
        return top - self.height


# Hyphens a line may break after (the ASCII hyphen-minus and the Unicode hyphen, U+2010); a
# break keeps the hyphen at the end of the line. The non-breaking hyphen (U+2011) is not one.
_HYPHENS = frozenset("-\u2010")


def _pieces(word: str) -> list[str]:
    """A word cut after each hyphen that has a letter on both sides: "Bellingham-Rowe" gives
    "Bellingham-" and "Rowe"."""
    pieces: list[str] = []
    start = 0
    for index, ch in enumerate(word):
        if ch in _HYPHENS and 0 < index < len(word) - 1:
            pieces.append(word[start : index + 1])
            start = index + 1
    pieces.append(word[start:])
    return pieces


def wrap_text(
    text: str, font: str, size: float, width: float, *, break_words: bool = True
) -> list[str] | None:
    """Greedy wrap into lines no wider than ``width`` points at ``size`` points, breaking at
    spaces and after hyphens. A word (or hyphenated part) wider than the line is broken
    between characters, or with ``break_words=False`` the text does not fit (``None``).
    Wrapped lines join words with one space."""
    if text_width(text, font, size) <= width:
        return [text]
    lines: list[str] = []
    current = ""
    for word in text.split():
        for number, piece in enumerate(_pieces(word)):
            # A hyphenated part joins the line with no space; a new word with one.
            candidate = current + piece if number or not current else current + " " + piece
            if current and text_width(candidate, font, size) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            if text_width(piece, font, size) <= width:
                current = piece
                continue
            if not break_words:
                return None
            broken = _break_word(piece, font, size, width)
            lines.extend(broken[:-1])
            current = broken[-1]
    if current:
        lines.append(current)
    return lines


def _break_word(word: str, font: str, size: float, width: float) -> list[str]:
    pieces: list[str] = []
    piece = ""
    for ch in word:
        # Marks and joiners stay with the letter before them.
        if piece and not _joins_previous(ch) and text_width(piece + ch, font, size) > width:
            pieces.append(piece)
            piece = ch
        else:
            piece += ch
    pieces.append(piece)
    return pieces


def _joins_previous(ch: str) -> bool:
    return unicodedata.category(ch) in ("Mn", "Mc", "Me", "Cf")


def fit_text(
    paragraphs: str | Sequence[str],
    font: str,
    *,
    width: float,
    height: float,
    max_size: float,
    min_size: float,
    max_lines: int | None = None,
    leading: float = 1.15,
    balance: bool = False,
    must_fit: bool = True,
) -> FittedText | None:
    """The largest size, in half points from ``max_size`` down to ``min_size``, at which the
    text wraps at spaces and hyphens into ``max_lines`` or fewer lines within the box. Each
    paragraph starts a new line. ``balance`` evens out the lines' lengths, so a wrapped line
    never ends with one word left on its own.

    When nothing fits: with ``must_fit``, at ``min_size`` the text may use as many lines as
    the box holds, then break a word too wide for a line, and only then shrinks below
    ``min_size`` until it fits, so nothing is ever lost; otherwise ``None``.
    """
    if isinstance(paragraphs, str):
        paragraphs = [paragraphs]
    paragraphs = [p for p in paragraphs if p.strip()] or [""]

    def lines_at(size: float, line_width: float, break_words: bool) -> list[str] | None:
        lines: list[str] = []
        for paragraph in paragraphs:
            wrapped = wrap_text(paragraph, font, size, line_width, break_words=break_words)
            if wrapped is None:
                return None
            lines.extend(wrapped)
        return lines

    def attempt(size: float, line_limit: int | None, break_words: bool) -> FittedText | None:
        lines = lines_at(size, width, break_words)
        if lines is None or (line_limit is not None and len(lines) > line_limit):
            return None
        fitted = _fitted(size, lines)
        if fitted.height > height:
            return None
        if balance and len(lines) > 1:
            fitted = _fitted(size, _balanced(size, lines, break_words))
        return fitted

    def _fitted(size: float, lines: list[str]) -> FittedText:
        # Lines in a taller or deeper script (Arabic) sit further apart, never touching.
        extents = [line_extent(line, font) for line in lines]
        ascent = max(a for a, _ in extents)
        descent = max(d for _, d in extents)
        spread = max(1.0, (ascent + descent) / (MAIN_ASCENT + MAIN_DESCENT))
        return FittedText(size, size * leading * spread, tuple(lines), ascent, descent)

    def _balanced(size: float, lines: list[str], break_words: bool) -> list[str]:
        # The narrowest width that still needs no more lines: found by bisection.
        narrow, wide = width / 2, width
        best = lines
        for _ in range(10):
            middle = (narrow + wide) / 2
            candidate = lines_at(size, middle, break_words)
            if candidate is not None and len(candidate) <= len(lines):
                best, wide = candidate, middle
            else:
                narrow = middle
        return best

    size = max_size
    while size >= min_size - 1e-9:
        fitted = attempt(size, max_lines, break_words=False)
        if fitted is not None:
            return fitted
        size -= 0.5
    if not must_fit:
        return None
    for break_words in (False, True):
        fitted = attempt(min_size, None, break_words=break_words)
        if fitted is not None:
            return fitted
    size = min_size
    while size > SMALLEST_SIZE:
        fitted = attempt(size, None, break_words=True)
        if fitted is not None:
            return fitted
        size -= 0.25
    return _fitted(SMALLEST_SIZE, lines_at(SMALLEST_SIZE, width, True) or [""])


class TextBlock(Flowable):
    """A block of plain text for a platypus story or a table cell, in place of a Paragraph:
    wrapped at spaces and hyphens to the width it is given, each line drawn through
    :func:`kiosk.printing.fonts.draw_text`, so names in any script print shaped and in
    reading order. No markup: ``& < >`` print as typed. Each ``\\n`` starts a new line.

    ``style`` gives ``fontName`` (``SANS`` or ``SANS_BOLD``), ``fontSize`` and ``leading``
    (points), ``textColor``, ``spaceBefore`` and ``spaceAfter``.
    """

    def __init__(self, text: str, style: ParagraphStyle) -> None:
        super().__init__()
        self.text = text
        self.style = style
        self.lines: list[str] = []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        """Break the text into lines for ``availWidth`` points; return (width, height) in
        points. The names are reportlab's own."""
        style = self.style
        self.lines = []
        for paragraph in self.text.split("\n"):
            self.lines.extend(
                wrap_text(paragraph, style.fontName, style.fontSize, availWidth) or [""]
            )
        self.width = availWidth
        self.height = style.leading * len(self.lines)
        return self.width, self.height

    def draw(self) -> None:
        """Draw the lines from the top of the block down, first baseline one font size
        below the top, as a Paragraph does."""
        style = self.style
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(style.textColor)
        baseline = self.height - style.fontSize
        for line in self.lines:
            draw_text(canvas, line, style.fontName, style.fontSize, 0, baseline)
            baseline -= style.leading
        canvas.restoreState()
