"""A column of a page that scrolls up and down when the screen is too short for it.

On a 1280×720 screen a tall form or a stack of lists would otherwise set the window's
smallest height above the screen's, and its bottom would be cut off.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget


def vertical_scroll(content: QWidget) -> QScrollArea:
    """``content`` in a frameless scroll area that keeps it as wide as the area and scrolls
    only up and down (never sideways), and only when it is taller than the area."""
    area = QScrollArea()
    area.setWidget(content)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    return area
