"""QR codes for printed documents: the module matrix, and drawing it as vector rectangles.

``qrcode`` computes the code. Choosing the mask pattern is most of its cost: it lays the data
out eight times, once per mask, and scores each layout. A mask only flips a fixed set of
modules, and the format bits depend only on the mask, so for a given version and error
correction level the difference between "mask 0" and "mask k" is the same whatever the
data. ``qr_matrix`` therefore lays the data out once and derives the other seven layouts by
flipping those modules, then scores them by ``qrcode``'s penalty rules worked on whole rows
and columns as bit patterns: the very same code ``qrcode`` would make, in a fraction of the
time (a test compares the two).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import cast

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.pdfgen.canvas import Canvas

QUIET_ZONE_MODULES = 4  # white border the QR standard asks for on every side
MASK_PATTERNS = 8

Matrix = list[list[bool]]


def qr_matrix_reference(payload: str, error_correction: int = ERROR_CORRECT_M) -> Matrix:
    """The matrix exactly as ``qrcode`` makes it, without the quiet zone (slow path)."""
    code = qrcode.QRCode(error_correction=error_correction, border=0)
    code.add_data(payload)
    code.make(fit=True)
    return code.get_matrix()


def qr_matrix(payload: str, error_correction: int = ERROR_CORRECT_M) -> Matrix:
    """The QR code's modules, row by row from the top, without the quiet zone (``True`` is
    dark). Identical to :func:`qr_matrix_reference`, faster. The version is the smallest
    that holds ``payload``; ValueError when none does (version 40 is the largest)."""
    code = qrcode.QRCode(error_correction=error_correction, border=0)
    code.add_data(payload)
    code.best_fit()
    code.makeImpl(True, 0)
    # Once makeImpl has run every module is set: none is left None.
    base = cast(Matrix, code.modules)
    count = len(base)
    deltas = _mask_deltas(code.version, error_correction)
    base_rows = _lines_as_ints(base)
    packed_rows = pack_lines(base_rows, count)
    packed_columns = pack_lines(_lines_as_ints(_columns(base)), count)

    best_mask, best_penalty = 0, 0
    for mask, delta in enumerate(deltas):
        penalty = mask_penalty(
            packed_rows ^ delta.score_rows, packed_columns ^ delta.score_columns, count
        )
        # Ties go to the lower mask, as in qrcode.
        if mask == 0 or penalty < best_penalty:
            best_mask, best_penalty = mask, penalty
    final = deltas[best_mask].final_rows
    return [
        [bool(line >> column & 1) for column in range(count)]
        for line in (line ^ flip for line, flip in zip(base_rows, final, strict=True))
    ]


def _columns(matrix: Sequence[Sequence[bool | None]]) -> list[list[bool | None]]:
    return [list(column) for column in zip(*matrix, strict=True)]


def _lines_as_ints(lines: Sequence[Sequence[bool | None]]) -> list[int]:
    """Each row (or column) as an int whose bit i is module i."""
    return [sum(1 << i for i, dark in enumerate(line) if dark) for line in lines]


def _stride(count: int) -> int:
    # Blank bits between packed lines, so shifting within a line never reads the next one.
    return count + 8


def pack_lines(lines: Sequence[int], count: int) -> int:
    """All rows (or all columns) in one int, a line every ``_stride(count)`` bits: each
    penalty rule is then a handful of bitwise operations on the whole code at once."""
    stride = _stride(count)
    packed = 0
    for index, line in enumerate(lines):
        packed |= line << (index * stride)
    return packed


@dataclass(frozen=True, slots=True)
class _MaskDelta:
    """How a layout under one mask differs from the scoring layout under mask 0: in the
    layout that gets scored (format bits blank, as qrcode scores it), packed, and in the
    finished code, row by row."""

    score_rows: int
    score_columns: int
    final_rows: tuple[int, ...]


@lru_cache(maxsize=64)
def _mask_deltas(version: int, error_correction: int) -> tuple[_MaskDelta, ...]:
    sample = qrcode.QRCode(version=version, error_correction=error_correction, border=0)
    sample.add_data("0")

    def layout(test: bool, mask: int) -> tuple[list[int], list[int]]:
        sample.makeImpl(test, mask)
        modules = sample.modules
        return _lines_as_ints(modules), _lines_as_ints(_columns(modules))

    count = version * 4 + 17
    reference_rows, reference_columns = layout(True, 0)
    deltas = []
    for mask in range(MASK_PATTERNS):
        score_rows, score_columns = layout(True, mask)
        final_rows, _ = layout(False, mask)
        deltas.append(
            _MaskDelta(
                score_rows=pack_lines(reference_rows, count) ^ pack_lines(score_rows, count),
                score_columns=pack_lines(reference_columns, count)
                ^ pack_lines(score_columns, count),
                final_rows=tuple(a ^ b for a, b in zip(reference_rows, final_rows, strict=True)),
            )
        )
    return tuple(deltas)


@lru_cache(maxsize=64)
def _valid_bits(count: int) -> tuple[int, int, int]:
    """Masks of the packed positions where a rule may start: a pair of neighbours, a
    finder-like stretch of eleven, and a 2x2 block (whose lower row must exist)."""
    line_pairs = (1 << (count - 1)) - 1
    line_elevens = (1 << (count - 10)) - 1
    return (
        pack_lines([line_pairs] * count, count),
        pack_lines([line_elevens] * count, count),
        pack_lines([line_pairs] * (count - 1), count),
    )


# Finder-like stretches (1:1:3:1:1 with four light modules on one side), module by module.
_FINDER_LIKE = ((1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0), (0, 0, 0, 0, 1, 0, 1, 1, 1, 0, 1))


def mask_penalty(packed_rows: int, packed_columns: int, count: int) -> int:
    """The penalty score of a layout, exactly as ``qrcode.util.lost_point`` computes it,
    from its rows and its columns packed by :func:`pack_lines`."""
    pairs, elevens, blocks_valid = _valid_bits(count)
    penalty = 0
    for packed in (packed_rows, packed_columns):
        # Runs of five or more same-coloured modules score (length - 2) each, which is
        # 3 for every window of five alike, less 2 for every window of six alike.
        alike = ~(packed ^ (packed >> 1)) & pairs
        five = alike & (alike >> 1) & (alike >> 2) & (alike >> 3)
        six = five & (alike >> 4)
        penalty += 3 * five.bit_count() - 2 * six.bit_count()
        # Stretches that look like a finder pattern score 40 each.
        for pattern in _FINDER_LIKE:
            found = elevens
            for offset, dark in enumerate(pattern):
                found &= (packed >> offset) if dark else (~packed >> offset)
            penalty += 40 * found.bit_count()
    # Each 2x2 block of one colour scores 3.
    stride = _stride(count)
    same_below = ~(packed_rows ^ (packed_rows >> stride))
    same_right = ~(packed_rows ^ (packed_rows >> 1))
    penalty += 3 * (same_below & (same_below >> 1) & same_right & blocks_valid).bit_count()
    # 10 for every whole 5% the share of dark modules is away from half.
    percent = float(packed_rows.bit_count()) / (count**2)
    penalty += int(abs(percent * 100 - 50) / 5) * 10
    return penalty


def draw_qr(canvas: Canvas, matrix: Matrix, x: float, y: float, side: float) -> None:
    """Draw the code's dark modules with its bottom-left corner at (x, y), ``side`` points
    square; the caller keeps the quiet zone around it free.

    Each horizontal run of dark modules is one rectangle, and all of them are one filled
    path in module units: whole numbers keep the page small and quick to write, and one
    path leaves no hairline seams between neighbouring rectangles when it is rendered.
    """
    count = len(matrix)
    operators: list[str] = []
    for row_index, row in enumerate(matrix):
        row_y = count - 1 - row_index
        run_start = -1
        for column, dark in enumerate(row):
            if dark and run_start < 0:
                run_start = column
            elif not dark and run_start >= 0:
                operators.append(f"{run_start} {row_y} {column - run_start} 1 re")
                run_start = -1
        if run_start >= 0:
            operators.append(f"{run_start} {row_y} {count - run_start} 1 re")
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(side / count, side / count)
    canvas.setFillGray(0)
    # Written as raw path operators: reportlab's own path methods format every number
    # through a slow generic routine, which dominated the time for a sheet of cards.
    canvas.addLiteral("\n".join(operators) + "\nf")
    canvas.restoreState()
