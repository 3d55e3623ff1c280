"""Text that is shortened with "…" when it does not fit, with the whole text as a tooltip.

The desk header, list cells and long names use these so that nothing is silently cut off:
a shortened text always says so ("…") and hovering shows all of it.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QWidget,
)

ELLIPSIS = "…"
# Room a button keeps each side of its text for the frame and the stylesheet's padding.
BUTTON_PADDING = 12


def elide_with_tooltip(widget: QWidget, text: str, width: int) -> str:
    """``text`` shortened at its end to fit ``width`` pixels in ``widget``'s font, with the
    whole text set as the widget's tooltip when it had to be shortened (and the tooltip
    cleared when it fits). Returns the text to show."""
    metrics = QFontMetrics(widget.font())
    lines = text.split("\n")
    shown = [metrics.elidedText(line, Qt.TextElideMode.ElideRight, max(width, 0)) for line in lines]
    result = "\n".join(shown)
    widget.setToolTip(text if result != text else "")
    return result


class ElidedLabel(QLabel):
    """A plain-text label on one line that ends in "…" when its text does not fit, and then
    shows the whole text as its tooltip. It asks for no more width than it is given, so a
    long message never widens the window."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setProperty("elidesText", True)
        self.set_full_text(text)

    def full_text(self) -> str:
        """The whole text, as given to :meth:`set_full_text` (the shown text may be shorter)."""
        return self._full

    def set_full_text(self, text: str) -> None:
        """Show ``text``, shortened with "…" to the label's width when it is too long."""
        self._full = text
        self._elide()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        metrics = QFontMetrics(self.font())
        margins = self.contentsMargins()
        return QSize(
            metrics.horizontalAdvance(self._full) + margins.left() + margins.right() + 2,
            metrics.height() + margins.top() + margins.bottom(),
        )

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        metrics = QFontMetrics(self.font())
        return QSize(metrics.horizontalAdvance(ELLIPSIS) * 4, metrics.height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = self.contentsRect().width() - 2 * self.margin() - 2
        self.setText(elide_with_tooltip(self, self._full, width))


class ElidedButton(QPushButton):
    """A push button whose one-line text ends in "…" when it does not fit its width, with
    the whole text (and any further detail) in its tooltip. It asks for no more width than
    the layout gives it, so a long message never widens the window."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self._detail = ""
        self.setProperty("elidesText", True)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.set_full_text(text)

    def full_text(self) -> str:
        """The whole text, as given to :meth:`set_full_text` (the shown text may be shorter)."""
        return self._full

    def set_full_text(self, text: str, detail: str = "") -> None:
        """Show ``text`` on one line, shortened with "…" to the button's width when too
        long; the tooltip is ``detail`` (lines that say more), headed by the whole text
        whenever the shown text was shortened."""
        self._full = " ".join(text.split())
        self._detail = detail
        self._elide()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        option = QStyleOptionButton()
        self.initStyleOption(option)
        inner = self.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, option, self)
        width = min(inner.width(), self.width() - BUTTON_PADDING) - BUTTON_PADDING
        metrics = QFontMetrics(self.font())
        shown = metrics.elidedText(self._full, Qt.TextElideMode.ElideRight, max(width, 0))
        self.setText(shown)
        lines = [self._full] if shown != self._full else []
        lines.extend(line for line in self._detail.split("\n") if line and line != self._full)
        self.setToolTip("\n".join(lines))
