"""A one-line label whose text shrinks to fit its width instead of being clipped.

The stylesheet sets the largest size (``font-size``); a long name or place is drawn smaller
rather than cut off or pushing the window wider than the screen.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

MIN_POINT_SIZE = 9.0


class FitLabel(QLabel):
    """Plain text on one line, scaled down (never up) until it fits."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(text)
        policy = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)  # a shrunk line needs less height
        self.setSizePolicy(policy)

    def fitted_font(self, width: float) -> QFont:
        """The widget's font, made small enough for the text to fit ``width`` pixels."""
        font = QFont(self.font())
        needed = QFontMetricsF(font).horizontalAdvance(self.text())
        if needed <= width or needed <= 0:
            return font
        scale = width / needed
        if font.pixelSize() > 0:
            font.setPixelSize(max(int(font.pixelSize() * scale), 1))
        else:
            font.setPointSizeF(max(font.pointSizeF() * scale, MIN_POINT_SIZE))
        return font

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        metrics = QFontMetricsF(self.font())
        margins = self.contentsMargins()
        return QSize(
            int(metrics.horizontalAdvance(self.text())) + margins.left() + margins.right() + 2,
            int(metrics.height()) + margins.top() + margins.bottom() + 2,
        )

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        return QSize(0, 0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt name)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt name)
        margins = self.contentsMargins()
        inner = width - margins.left() - margins.right() - 2
        line = QFontMetricsF(self.fitted_font(inner)).height()
        return math.ceil(line) + margins.top() + margins.bottom() + 2

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt name)
        rect = self.contentsRect()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.setFont(self.fitted_font(rect.width() - 2))
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(rect, int(self.alignment() | Qt.AlignmentFlag.AlignVCenter), self.text())
        painter.end()
