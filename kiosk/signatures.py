"""What counts as a signature: a real mark, not a tap or a speck.

A visitor signing the phone rules and a parent collecting a confiscated device sign with a
finger or the mouse. One tap leaves a dot, and a dot is not a signature: the school could
not show later that anyone agreed to anything. A mark counts when

- the ink, all strokes together, is at least 15% of the pad's width long
  (:data:`MIN_LENGTH`: 90 px on the 600 × 200 px image that is stored; about 4 cm on a
  kiosk pad 27 cm wide), and
- it spans at least 8% of the pad's width across or down (:data:`MIN_EXTENT`: 48 px on
  the stored image; about 2 cm on that pad).

Initials written at a normal size pass; a dot, a tick-sized flick or a tiny scribble does
not. Both measures are fractions of the pad's width, so they mean the same on a small
desk pad and a large touchscreen. The pad measures the strokes as they will be stored
(:func:`stroke_mark`); the services storing a signature measure the stored image
(:func:`png_mark`) and allow for the difference between the two (:data:`IMAGE_ALLOWANCE`),
so a mark the pad accepted is never refused afterwards.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from kiosk.errors import InvalidInput

MIN_LENGTH = 0.15
MIN_EXTENT = 0.08
# An image is measured on a grid of cells a hundredth of its width: the length is the
# number of cells the ink touches times the cell's side, which overstates a diagonal or a
# thick line a little and never understates one; this allowance covers rounding at the
# ends of short strokes.
IMAGE_ALLOWANCE = 0.8
_GRID = 100
_MEASURE_WIDTH = 600
# Darker than mid-grey is ink (the pad draws black on white, antialiased).
_INK_BELOW = 128
# An image more than half ink is not a signature on white (a blank photo, a black square).
_MOST_INK = 0.5
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
NOT_A_SIGNATURE = "Please sign your name: a dot or a small mark is not a signature."


@dataclass(frozen=True)
class MarkSize:
    """How big a mark is, as fractions of the pad's (or image's) width.

    ``length``: the ink's total length along the strokes; ``extent``: the larger side of
    the box around all the ink.
    """

    length: float
    extent: float

    def is_signature(self, allowance: float = 1.0) -> bool:
        """Whether the mark is big enough to count as a signature (module docstring):
        ``allowance`` (at most 1) scales both minimums down, for a measure that is only an
        estimate."""
        return self.length >= MIN_LENGTH * allowance and self.extent >= MIN_EXTENT * allowance


def stroke_mark(
    strokes: Sequence[Sequence[tuple[float, float]]], width: float, height: float
) -> MarkSize:
    """The size of a mark drawn as strokes, each a list of points (x, y) in 0..1 of the
    pad, measured on a pad ``width`` × ``height`` (any unit; the stored image's pixels).

    A stroke of one point (a tap) has no length. Returns zero for no strokes; raises
    ``ValueError`` for a width that is not positive.
    """
    if width <= 0:
        raise ValueError("the pad must have a width")
    length = 0.0
    xs: list[float] = []
    ys: list[float] = []
    for stroke in strokes:
        points = [(x * width, y * height) for x, y in stroke]
        xs.extend(x for x, _ in points)
        ys.extend(y for _, y in points)
        length += sum(math.dist(a, b) for a, b in zip(points, points[1:], strict=False))
    if not xs:
        return MarkSize(0.0, 0.0)
    extent = max(max(xs) - min(xs), max(ys) - min(ys))
    return MarkSize(length / width, extent / width)


def png_mark(data: bytes) -> MarkSize:
    """The size of the ink (darker than mid-grey) in a stored signature image (PNG bytes).

    The length is estimated on a grid (see :data:`IMAGE_ALLOWANCE`); the extent is the ink's
    bounding box. A blank image measures zero; one mostly ink measures zero too (it is no
    signature on white). Raises :class:`InvalidInput` "Please sign in the box..." for bytes
    that are not a readable PNG image.
    """
    if not data.startswith(PNG_MAGIC):
        raise InvalidInput("Please sign in the box before you finish.")
    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            grey = opened.convert("L")
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        raise InvalidInput("Please sign in the box before you finish.") from error
    # Measured at the width the pad stores, so a cell is a few pixels and one inked pixel
    # keeps its cell above zero when the grid is taken.
    scale = _MEASURE_WIDTH / max(grey.width, 1)
    width, height = _MEASURE_WIDTH, max(1, round(grey.height * scale))
    ink = grey.resize((width, height), Image.Resampling.BOX).point(
        lambda value: 255 if value < _INK_BELOW else 0
    )
    box = ink.getbbox()
    if box is None or ink.histogram()[255] > _MOST_INK * width * height:
        return MarkSize(0.0, 0.0)
    cell = width / _GRID
    columns, rows = _GRID, max(1, math.ceil(height / cell))
    # Shrinking with the box filter keeps any cell that holds some ink above zero.
    cells = ink.resize((columns, rows), Image.Resampling.BOX)
    touched = sum(count for value, count in enumerate(cells.histogram()) if value > 0)
    left, top, right, bottom = box
    extent = max(right - left, bottom - top)
    return MarkSize(touched * cell / width, extent / width)


def check_signature_png(data: bytes, *, missing: str) -> None:
    """Refuse a stored signature that is missing or not a real mark (module docstring).

    ``data`` is the PNG the pad made; ``missing`` is the caller's words for no signature at
    all. Returns nothing when the signature will do. Raises :class:`InvalidInput` with
    ``missing`` for empty bytes or bytes that are not a PNG, and with
    :data:`NOT_A_SIGNATURE` for a dot, a flick or a tiny scribble.
    """
    if not data or not data.startswith(PNG_MAGIC):
        raise InvalidInput(missing)
    try:
        mark = png_mark(data)
    except InvalidInput as error:
        raise InvalidInput(missing) from error
    if not mark.is_signature(IMAGE_ALLOWANCE):
        raise InvalidInput(NOT_A_SIGNATURE)
