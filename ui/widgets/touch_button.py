"""A push button big enough for a finger: at least 44 × 44 px, always with a name."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QPushButton, QSizePolicy, QWidget

MIN_TOUCH_PX = 44
# Room a wrapping button keeps each side of its lines for the stylesheet's padding.
WRAP_PADDING = 20


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


class WrappingTouchButton(TouchButton):
    """A touch button whose label breaks onto a second (or third) line at spaces when the
    button is too narrow for it on one, and grows taller to hold the lines, instead of
    cutting the words off at both ends ("overnor or truste")."""

    def __init__(
        self,
        text: str,
        parent: QWidget | None = None,
        *,
        role: str = "primary",
        min_height: int = MIN_TOUCH_PX,
    ) -> None:
        super().__init__(text, parent, role=role, min_height=min_height)
        self._words = text.split()
        self._base_height = self._min_height
        # Buttons side by side share the height of the tallest.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

    def full_text(self) -> str:
        """The label on one line, as given."""
        return " ".join(self._words)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        hint = super().sizeHint()
        metrics = QFontMetrics(self.font())
        wide = metrics.horizontalAdvance(self.full_text()) + 2 * WRAP_PADDING
        return QSize(max(wide, MIN_TOUCH_PX), hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        metrics = QFontMetrics(self.font())
        longest = max((metrics.horizontalAdvance(w) for w in self._words), default=0)
        return QSize(max(longest + 2 * WRAP_PADDING, MIN_TOUCH_PX), self._min_height)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self._wrap()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt name)
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._wrap()

    def _wrap(self) -> None:
        metrics = QFontMetrics(self.font())
        room = self.width() - 2 * WRAP_PADDING
        lines: list[str] = []
        for word in self._words:
            if lines and metrics.horizontalAdvance(f"{lines[-1]} {word}") <= room:
                lines[-1] = f"{lines[-1]} {word}"
            else:
                lines.append(word)
        text = "\n".join(lines)
        if text != self.text():
            self.setText(text)
        needed = metrics.lineSpacing() * len(lines) + 2 * WRAP_PADDING
        height = max(self._base_height, needed)
        if height != self.minimumHeight():
            self.setMinimumSize(MIN_TOUCH_PX, height)
            self._min_height = height
            self.updateGeometry()
