"""A box to sign in with a finger, a pen or the mouse, with a Clear button.

The strokes are kept in coordinates relative to the drawing area (0..1), so the signature
survives a resize and can be rendered at any size; ``to_png_bytes`` draws it in black ink
on white, which is what gets stored and printed. A tap's dot or a tiny scribble is drawn
but is not a signature (:mod:`kiosk.signatures`): ``has_signature`` says so, and the hint
under the box asks the person to sign their name.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QEvent,
    QIODevice,
    QPointF,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QTouchEvent,
)
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from kiosk.signatures import NOT_A_SIGNATURE, MarkSize, stroke_mark
from ui.widgets.touch_button import TouchButton

Stroke = list[QPointF]

# A signature drawn at 600 × 200 px is plenty to recognise and small to store.
DEFAULT_PNG_SIZE = QSize(600, 200)
# Points closer than this (in pixels) add nothing but jitter.
_MIN_STEP_PX = 1.5


def stroke_path(points: Sequence[QPointF]) -> QPainterPath:
    """A smooth path through ``points``: quadratic curves between the midpoints, so a
    stroke sampled by a finger reads as a line, not a chain of corners."""
    path = QPainterPath()
    if not points:
        return path
    path.moveTo(points[0])
    if len(points) == 1:
        # A dot: a tiny line so the round cap draws it.
        path.lineTo(points[0] + QPointF(0.01, 0.01))
        return path
    if len(points) == 2:
        path.lineTo(points[1])
        return path
    for index in range(1, len(points) - 1):
        control = points[index]
        following = points[index + 1]
        path.quadTo(control, (control + following) / 2)
    path.lineTo(points[-1])
    return path


class SignatureCanvas(QWidget):
    """The drawing area itself. It follows the palette: Base behind, Text for the ink."""

    sig_stroke_finished = Signal()
    """A stroke (finger lifted, mouse released) was added."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SignatureCanvas")
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.setForegroundRole(QPalette.ColorRole.Text)
        self.setMinimumSize(240, 120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setAccessibleName("Signature area: sign here with your finger or the mouse")
        self._strokes: list[Stroke] = []
        self._current: Stroke | None = None

    # public ------------------------------------------------------------------------------
    def strokes(self) -> list[list[QPointF]]:
        """Finished strokes, in 0..1 coordinates of the drawing area."""
        return [list(stroke) for stroke in self._strokes]

    def is_empty(self) -> bool:
        """True when nothing has been drawn."""
        return not self._strokes

    def mark(self) -> MarkSize:
        """How big the drawing is, measured as it will be stored (on a
        :data:`DEFAULT_PNG_SIZE` image), as fractions of the pad's width."""
        return stroke_mark(
            [[(p.x(), p.y()) for p in stroke] for stroke in self._strokes],
            DEFAULT_PNG_SIZE.width(),
            DEFAULT_PNG_SIZE.height(),
        )

    def clear(self) -> None:
        """Remove every stroke."""
        self._strokes.clear()
        self._current = None
        self.update()

    def add_stroke(self, points: Sequence[QPointF]) -> None:
        """Add a stroke given in widget pixels (as if drawn)."""
        if not points:
            return
        self._strokes.append([self._to_unit(point) for point in points])
        self.update()
        self.sig_stroke_finished.emit()

    def render_image(self, size: QSize) -> QImage:
        """The signature in black ink on white at ``size``."""
        image = QImage(size, QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        self._draw_strokes(painter, QRectF(0, 0, size.width(), size.height()), QColor("black"))
        painter.end()
        return image

    # drawing -----------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt name)
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().color(self.backgroundRole()))
        painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Mid), 2))
        painter.drawRect(QRectF(self.rect()).adjusted(1, 1, -1, -1))
        # A baseline to sign on, a third of the way up, like a paper form.
        guide = QPen(self.palette().color(QPalette.ColorRole.Mid), 1, Qt.PenStyle.DashLine)
        painter.setPen(guide)
        baseline = self.height() * 2 / 3
        painter.drawLine(QPointF(16, baseline), QPointF(self.width() - 16, baseline))
        self._draw_strokes(
            painter, QRectF(self.rect()), self.palette().color(self.foregroundRole())
        )
        painter.end()

    def _draw_strokes(self, painter: QPainter, area: QRectF, ink: QColor) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        width = max(2.0, min(area.width(), area.height()) / 60)
        pen = QPen(
            ink, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin
        )
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        strokes = list(self._strokes)
        if self._current:
            strokes.append(self._current)
        for stroke in strokes:
            points = [
                QPointF(area.x() + p.x() * area.width(), area.y() + p.y() * area.height())
                for p in stroke
            ]
            painter.drawPath(stroke_path(points))

    # input ---------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt name)
        if event.button() == Qt.MouseButton.LeftButton:
            self._begin(event.position())
            event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt name)
        if self._current is not None:
            self._extend(event.position())
            event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt name)
        if event.button() == Qt.MouseButton.LeftButton and self._current is not None:
            self._extend(event.position())
            self._finish()
            event.accept()

    def event(self, event: QEvent) -> bool:
        # Touch screens: follow the first finger; accepting the touch stops Qt from also
        # synthesising mouse events, which would draw every stroke twice.
        kind = event.type()
        if kind in (
            QEvent.Type.TouchBegin,
            QEvent.Type.TouchUpdate,
            QEvent.Type.TouchEnd,
        ) and isinstance(event, QTouchEvent):
            points = event.points()
            if points:
                position = points[0].position()
                if kind == QEvent.Type.TouchBegin:
                    self._begin(position)
                elif self._current is not None:
                    self._extend(position)
                    if kind == QEvent.Type.TouchEnd:
                        self._finish()
            event.accept()
            return True
        if kind == QEvent.Type.TouchCancel:
            self._current = None
            self.update()
            return True
        return super().event(event)

    def _begin(self, position: QPointF) -> None:
        self._current = [self._to_unit(position)]
        self.update()

    def _extend(self, position: QPointF) -> None:
        assert self._current is not None
        point = self._to_unit(position)
        last = self._current[-1]
        dx = (point.x() - last.x()) * max(self.width(), 1)
        dy = (point.y() - last.y()) * max(self.height(), 1)
        if dx * dx + dy * dy >= _MIN_STEP_PX * _MIN_STEP_PX:
            self._current.append(point)
            self.update()

    def _finish(self) -> None:
        assert self._current is not None
        self._strokes.append(self._current)
        self._current = None
        self.update()
        self.sig_stroke_finished.emit()

    def _to_unit(self, position: QPointF) -> QPointF:
        width = max(self.width(), 1)
        height = max(self.height(), 1)
        return QPointF(
            min(max(position.x() / width, 0.0), 1.0),
            min(max(position.y() / height, 0.0), 1.0),
        )


class SignaturePad(QWidget):
    """A signature box with a hint and a Clear button (at least 44 px, finger-sized)."""

    sig_changed = Signal()
    """A stroke was added or the signature was cleared."""

    def __init__(self, parent: QWidget | None = None, *, hint: str = "Sign here") -> None:
        super().__init__(parent)
        self.setObjectName("SignaturePad")
        self._hint_text = hint
        self._setup_ui()

    # public ------------------------------------------------------------------------------
    def is_empty(self) -> bool:
        """True when nothing has been drawn."""
        return self.canvas.is_empty()

    def has_signature(self) -> bool:
        """True when what is drawn is a real mark, long and wide enough to be a signature
        (:mod:`kiosk.signatures`); a tap's dot or a tiny scribble is not."""
        return self.canvas.mark().is_signature()

    def clear(self) -> None:
        """Remove the signature (tells listeners when there was one)."""
        was_empty = self.canvas.is_empty()
        self.canvas.clear()
        self._update_buttons()
        if not was_empty:
            self.sig_changed.emit()

    def to_png_bytes(self, size: QSize = DEFAULT_PNG_SIZE) -> bytes:
        """The signature as PNG bytes, black on white (a blank image when empty)."""
        image = self.canvas.render_image(size)
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        # PySide6 6.11 accepts only a str here (bytes raise), though its stubs promise bytes.
        image.save(buffer, "PNG")  # type: ignore[call-overload]  # PySide6 stubs: str, not bytes
        buffer.close()
        return bytes(data.data())

    def add_stroke(self, points: Sequence[QPointF]) -> None:
        """Draw a stroke given in pixels of the drawing area (for demos and tests)."""
        self.canvas.add_stroke(points)
        self._update_buttons()

    # set-up ------------------------------------------------------------------------------
    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.canvas = SignatureCanvas(self)
        self.canvas.sig_stroke_finished.connect(self._on_stroke_finished)
        layout.addWidget(self.canvas, 1)

        row = QHBoxLayout()
        self.hint_label = QLabel(self._hint_text, self)
        self.hint_label.setObjectName("SignatureHint")
        self.hint_label.setTextFormat(Qt.TextFormat.PlainText)
        row.addWidget(self.hint_label, 1)
        self.clear_button = TouchButton(
            "Clear", self, role="secondary", accessible_name="Clear the signature"
        )
        self.clear_button.setObjectName("SignatureClear")
        self.clear_button.setMinimumWidth(120)
        self.clear_button.clicked.connect(self.clear)
        row.addWidget(self.clear_button)
        layout.addLayout(row)
        self._update_buttons()

    def _update_buttons(self) -> None:
        empty = self.canvas.is_empty()
        self.clear_button.setEnabled(not empty)
        too_small = not empty and not self.has_signature()
        self.hint_label.setText(NOT_A_SIGNATURE if too_small else self._hint_text)
        self.hint_label.setProperty("tone", "warning" if too_small else "")
        self.hint_label.style().unpolish(self.hint_label)
        self.hint_label.style().polish(self.hint_label)

    def _on_stroke_finished(self) -> None:
        self._update_buttons()
        self.sig_changed.emit()
