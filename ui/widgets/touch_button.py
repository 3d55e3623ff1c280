"""A push button big enough for a finger: at least 44 × 44 px, always with a name."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QPushButton, QSizePolicy, QWidget

MIN_TOUCH_PX = 44


class TouchButton(QPushButton):
    """A button for touch screens; ``role`` selects its look in the stylesheet."""

    def __init__(
        self,
        text: str,
        parent: QWidget | None = None,
        *,
        role: str = "primary",
        accessible_name: str | None = None,
        min_height: int = MIN_TOUCH_PX,
    ) -> None:
        super().__init__(text, parent)
        self.setProperty("role", role)
        self.setAccessibleName(accessible_name or text.replace("&", ""))
        self.setAutoDefault(False)
        self._min_height = MIN_TOUCH_PX
        self.set_min_height(min_height)
        self.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)

    def set_min_height(self, height: int) -> None:
        """Make the button at least ``height`` px tall (never under 44 px)."""
        self._min_height = max(height, MIN_TOUCH_PX)
        self.setMinimumSize(MIN_TOUCH_PX, self._min_height)
        self.updateGeometry()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        hint = super().sizeHint()
        return QSize(max(hint.width(), MIN_TOUCH_PX), max(hint.height(), self._min_height))
