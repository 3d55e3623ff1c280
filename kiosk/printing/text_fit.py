"""Fitting user text into a fixed box on a printed document: wrap, then shrink, never spill.

Names are printed exactly as stored, however long, so text is never cut short: it wraps at
spaces (inside a word only when one word is wider than the box) and gets smaller until the
whole of it fits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

# DejaVu's ascender is 0.93 em: the first baseline sits this far below the top of the box.
ASCENT = 0.93
SMALLEST_SIZE = 1.0


@dataclass(frozen=True, slots=True)
class FittedText:
    size: float
    leading: float
    lines: tuple[str, ...]

    @property
    def height(self) -> float:
        """From the top of the first line to the baseline of the last, plus descenders."""
        return self.size * ASCENT + self.leading * (len(self.lines) - 1) + self.size * 0.24

    def draw(
        self, canvas: Canvas, font: str, x: float, top: float, *, width: float | None = None
    ) -> float:
        """Draw the lines from ``top`` down (centred when ``width`` is given); return the
        y just below the last line."""
        canvas.setFont(font, self.size)
        baseline = top - self.size * ASCENT
        for line in self.lines:
            if width is None:
                canvas.drawString(x, baseline, line)
            else:
                canvas.drawCentredString(x + width / 2, baseline, line)
            baseline -= self.leading
        return top - self.height


def wrap_text(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy wrap at spaces; a word wider than the line is broken between characters."""
    if stringWidth(text, font, size) <= width:
        return [text]
    space = stringWidth(" ", font, size)
    lines: list[str] = []
    current = ""
    current_width = 0.0
    for word in text.split():
        word_width = stringWidth(word, font, size)
        if current and current_width + space + word_width <= width:
            current += " " + word
            current_width += space + word_width
            continue
        if current:
            lines.append(current)
        if word_width <= width:
            current, current_width = word, word_width
            continue
        pieces = _break_word(word, font, size, width)
        lines.extend(pieces[:-1])
        current = pieces[-1]
        current_width = stringWidth(current, font, size)
    if current:
        lines.append(current)
    return lines


def _break_word(word: str, font: str, size: float, width: float) -> list[str]:
    pieces: list[str] = []
    piece = ""
    for ch in word:
        if piece and stringWidth(piece + ch, font, size) > width:
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
    must_fit: bool = True,
) -> FittedText | None:
    """The largest size, in half points from ``max_size`` down to ``min_size``, at which the
    text wraps into ``max_lines`` or fewer lines within the box. Each paragraph starts a new
    line.

    When nothing fits: with ``must_fit`` the text keeps shrinking below ``min_size`` (and may
    use more lines) until it fits, so nothing is ever lost; otherwise ``None``.
    """
    if isinstance(paragraphs, str):
        paragraphs = [paragraphs]
    paragraphs = [p for p in paragraphs if p.strip()] or [""]

    def attempt(size: float, line_limit: int | None) -> FittedText | None:
        lines = [line for p in paragraphs for line in wrap_text(p, font, size, width)]
        if line_limit is not None and len(lines) > line_limit:
            return None
        fitted = FittedText(size, size * leading, tuple(lines))
        return fitted if fitted.height <= height else None

    size = max_size
    while size >= min_size - 1e-9:
        fitted = attempt(size, max_lines)
        if fitted is not None:
            return fitted
        size -= 0.5
    if not must_fit:
        return None
    while size > SMALLEST_SIZE:
        fitted = attempt(size, None)
        if fitted is not None:
            return fitted
        size -= 0.25
    return FittedText(
        SMALLEST_SIZE,
        SMALLEST_SIZE * leading,
        tuple(line for p in paragraphs for line in wrap_text(p, font, SMALLEST_SIZE, width)),
    )
