"""Signing a signature pad in a test as a person would: a looping scrawl across the box."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF

from ui.widgets.signature_pad import SignaturePad


def sign_pad(pad: SignaturePad) -> None:
    """Draw a name-like scrawl over the middle half of ``pad``'s drawing area, at whatever
    size the pad is laid out."""
    width, height = max(pad.canvas.width(), 1), max(pad.canvas.height(), 1)
    pad.add_stroke(
        [
            QPointF(
                width * (0.2 + 0.5 * step / 40),
                height * (0.55 - 0.2 * math.sin(step / 2.5)),
            )
            for step in range(41)
        ]
    )
