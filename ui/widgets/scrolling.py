"""A column of a page that scrolls up and down when the screen is too short for it.

On a 1280×720 screen a tall form or a stack of lists would otherwise set the window's
smallest height above the screen's, and its bottom would be cut off.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget


class VerticalScrollArea(QScrollArea):
    """Scrolls its content up and down, never sideways: it is never narrower than the
    content's own smallest width, so nothing is cut off at the right."""

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        content = self.widget()
        if content is None:
            return super().minimumSizeHint()
        width = (
            content.minimumSizeHint().width()
            + self.verticalScrollBar().sizeHint().width()
            + 2 * self.frameWidth()
        )
        return QSize(width, super().minimumSizeHint().height())


def vertical_scroll(content: QWidget) -> QScrollArea:
    """``content`` in a frameless scroll area that keeps it as wide as the area and scrolls
    only up and down (never sideways), and only when it is taller than the area."""
    area = VerticalScrollArea()
    area.setWidget(content)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    return area
