"""Fitting user text into a fixed box on a printed document: wrap, then shrink, never spill.

Names are printed exactly as stored, however long, so text is never cut short: it wraps at
spaces (inside a word only when one word is wider than the box) and gets smaller until the
whole of it fits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

# DejaVu's ascender is 0.93 em: the first baseline sits this far below the top of the box.
ASCENT = 0.93
SMALLEST_SIZE = 1.0


@dataclass(frozen=True, slots=True)
class FittedText:
    """Text broken into lines at one font size, ready to draw (sizes in points)."""

    size: float  # font size, points
    leading: float  # baseline to baseline, points
    lines: tuple[str, ...]

    @property
    def height(self) -> float:
        """From the top of the first line to the baseline of the last, plus descenders
        (points)."""
        return self.size * ASCENT + self.leading * (len(self.lines) - 1) + self.size * 0.24

    def draw(
        self, canvas: Canvas, font: str, x: float, top: float, *, width: float | None = None
    ) -> float:
        """Draw the lines from ``top`` down (centred when ``width`` is given); return the
        y just below the last line. All in points, in the canvas's coordinates (y up)."""
        canvas.setFont(font, self.size)
        baseline = top - self.size * ASCENT
        for line in self.lines:
            if width is None:
                canvas.drawString(x, baseline, line)
            else:
                canvas.drawCentredString(x + width / 2, baseline, line)
            baseline -= self.leading
        return top - self.height


@lru_cache(maxsize=16384)
def _width_at_one_point(text: str, font: str) -> float:
    return pdfmetrics.stringWidth(text, font, 1)


def text_width(text: str, font: str, size: float) -> float:
    """Width in points. Widths scale with the size, so each text is measured once: fitting a
    sheet of names tries many sizes with the same words."""
    return _width_at_one_point(text, font) * size


def wrap_text(
    text: str, font: str, size: float, width: float, *, break_words: bool = True
) -> list[str] | None:
    """Greedy wrap at spaces into lines no wider than ``width`` points at ``size`` points.
    A word wider than the line is broken between characters, or with
    ``break_words=False`` the text does not fit (``None``). Wrapped lines join words with
    one space."""
    if text_width(text, font, size) <= width:
        return [text]
    space = text_width(" ", font, size)
    lines: list[str] = []
    current = ""
    current_width = 0.0
    for word in text.split():
        word_width = text_width(word, font, size)
        if current and current_width + space + word_width <= width:
            current += " " + word
            current_width += space + word_width
            continue
        if current:
            lines.append(current)
        if word_width <= width:
            current, current_width = word, word_width
            continue
        if not break_words:
            return None
        pieces = _break_word(word, font, size, width)
        lines.extend(pieces[:-1])
        current = pieces[-1]
        current_width = text_width(current, font, size)
    if current:
        lines.append(current)
    return lines


def _break_word(word: str, font: str, size: float, width: float) -> list[str]:
    pieces: list[str] = []
    piece = ""
    for ch in word:
        if piece and text_width(piece + ch, font, size) > width:
            pieces.append(piece)
            piece = ch
        else:
            piece += ch
    pieces.append(piece)
    return pieces


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
    text wraps at spaces into ``max_lines`` or fewer lines within the box. Each paragraph
    starts a new line. ``balance`` evens out the lines' lengths, so a wrapped line never
    ends with one word left on its own.

    When nothing fits: with ``must_fit`` the text keeps shrinking below ``min_size`` (and may
    use more lines, breaking words if it must) until it fits, so nothing is ever lost;
    otherwise ``None``.
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
        fitted = FittedText(size, size * leading, tuple(lines))
        if fitted.height > height:
            return None
        if balance and len(lines) > 1:
            fitted = FittedText(size, size * leading, tuple(_balanced(size, lines, break_words)))
        return fitted

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
    size = min_size
    while size > SMALLEST_SIZE:
        fitted = attempt(size, None, break_words=True)
        if fitted is not None:
            return fitted
        size -= 0.25
    lines = lines_at(SMALLEST_SIZE, width, True) or [""]
    return FittedText(SMALLEST_SIZE, SMALLEST_SIZE * leading, tuple(lines))
