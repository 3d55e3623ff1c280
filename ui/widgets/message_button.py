"""A flat button that shows a message of any length whole, or as near whole as two lines allow.

The desk header's last-scan message is the use: "08:40  Jayden Adeyemi (9B) scanned again,
already in Tray B · slot 12" must never lose its slot number to a narrow window. The text
wraps at spaces onto a second line; only when two lines are not enough is the middle of the
rest left out ("…"), so the start (the time, the name) and the end (the slot) both stay, and
the tooltip then holds the whole. The button is always two lines tall, so a long message
does not make the window below it jump.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QPushButton, QSizePolicy, QWidget

LINES = 2
# Room the style gives the text inside the button (its padding and frame), in pixels.
TEXT_MARGIN = 30


def wrap_in_lines(text: str, metrics: QFontMetrics, width: int, lines: int = LINES) -> str:
    """``text`` broken at spaces into at most ``lines`` lines of ``width`` pixels, joined by
    newlines; when it needs more, the last line keeps the end of the text and leaves out
    its middle ("…"). An empty or zero width gives the text unbroken."""
    if width <= 0 or metrics.horizontalAdvance(text) <= width:
        return text
    shown: list[str] = []
    rest = text
    while rest and len(shown) < lines - 1:
        words = rest.split(" ")
        line = words[0]
        taken = 1
        for word in words[1:]:
            if metrics.horizontalAdvance(f"{line} {word}") > width:
                break
            line = f"{line} {word}"
            taken += 1
        if metrics.horizontalAdvance(line) > width:  # one word longer than the line
            line = metrics.elidedText(line, Qt.TextElideMode.ElideMiddle, width)
        shown.append(line)
        rest = " ".join(words[taken:])
    if rest:
        shown.append(metrics.elidedText(rest, Qt.TextElideMode.ElideMiddle, width))
    return "\n".join(shown)


class MessageButton(QPushButton):
    """A button whose message wraps to two lines and, past that, keeps both its ends."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._message = ""
        self._tooltip = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.set_message(text)

    def message(self) -> str:
        """The whole message, as given (what the button shows may be wrapped or shortened)."""
        return self._message

    def set_message(self, text: str, tooltip: str = "") -> None:
        """Show ``text``; ``tooltip`` (when given) is shown on hover, and the whole text
        is added to it when the button had to leave part out."""
        self._message, self._tooltip = text, tooltip
        self._lay_out_text()

    def is_shortened(self) -> bool:
        """True when part of the message is left out (the tooltip then holds the whole)."""
        return "…" in self.text() and "…" not in self._message

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        hint = super().sizeHint()
        metrics = self.fontMetrics()
        return QSize(hint.width(), LINES * metrics.lineSpacing() + 14)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        return QSize(0, self.sizeHint().height())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt name)
        super().changeEvent(event)
        # The stylesheet sets the font after the button is built: two lines of it then
        # need a different height, and a different wrap.
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.updateGeometry()
            self._lay_out_text()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self._lay_out_text()

    def _lay_out_text(self) -> None:
        width = self.width() - TEXT_MARGIN
        # A mnemonic "&" in a name would otherwise vanish and underline the next letter.
        shown = wrap_in_lines(self._message, self.fontMetrics(), width).replace("&", "&&")
        if shown != self.text():
            self.setText(shown)
        tips = [self._tooltip] if self._tooltip else []
        if self.is_shortened() and self._message not in self._tooltip:
            tips.insert(0, self._message)
        self.setToolTip("\n".join(tips))
