"""The signature pad: drawing with the mouse, clearing, and the PNG it produces."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QImage, QMouseEvent
from PySide6.QtWidgets import QApplication

from ui.widgets.signature_pad import SignaturePad


def _mouse(kind: QEvent.Type, point: QPointF, buttons: Qt.MouseButton) -> QMouseEvent:
    button = Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton
    return QMouseEvent(kind, point, point, button, buttons, Qt.KeyboardModifier.NoModifier)


def _drag(pad: SignaturePad, points: list[tuple[float, float]]) -> None:
    canvas = pad.canvas
    left = Qt.MouseButton.LeftButton
    QApplication.sendEvent(canvas, _mouse(QEvent.Type.MouseButtonPress, QPointF(*points[0]), left))
    for x, y in points[1:]:
        QApplication.sendEvent(canvas, _mouse(QEvent.Type.MouseMove, QPointF(x, y), left))
    QApplication.sendEvent(
        canvas,
        _mouse(QEvent.Type.MouseButtonRelease, QPointF(*points[-1]), Qt.MouseButton.NoButton),
    )


def _dark_pixels(png: bytes) -> int:
    image = QImage.fromData(png)
    return sum(
        1
        for y in range(0, image.height(), 2)
        for x in range(0, image.width(), 2)
        if image.pixelColor(x, y).lightness() < 128
    )


def test_a_new_pad_is_empty_and_clear_is_disabled(qtbot) -> None:
    pad = SignaturePad()
    qtbot.addWidget(pad)
    assert pad.is_empty()
    assert not pad.clear_button.isEnabled()
    assert _dark_pixels(pad.to_png_bytes()) == 0


def test_dragging_the_mouse_draws_a_signature_that_the_png_shows(qtbot) -> None:
    pad = SignaturePad()
    qtbot.addWidget(pad)
    pad.resize(500, 260)
    pad.show()
    with qtbot.waitSignal(pad.sig_changed):
        _drag(pad, [(30, 100), (80, 60), (130, 120), (180, 70), (260, 110)])
    assert not pad.is_empty()
    assert pad.clear_button.isEnabled()
    png = pad.to_png_bytes()
    assert png.startswith(b"\x89PNG")
    assert _dark_pixels(png) > 50


def test_clear_removes_the_signature_and_tells_listeners(qtbot) -> None:
    pad = SignaturePad()
    qtbot.addWidget(pad)
    pad.resize(500, 260)
    pad.add_stroke([QPointF(20, 20), QPointF(200, 90)])
    with qtbot.waitSignal(pad.sig_changed):
        pad.clear_button.click()
    assert pad.is_empty()
    assert _dark_pixels(pad.to_png_bytes()) == 0


def test_clear_button_is_big_enough_for_a_finger(qtbot) -> None:
    pad = SignaturePad()
    qtbot.addWidget(pad)
    pad.show()
    assert pad.clear_button.height() >= 44
    assert pad.clear_button.width() >= 44


def test_one_tap_leaves_a_dot_that_is_not_a_signature(qtbot) -> None:
    pad = SignaturePad(hint="Sign here")
    qtbot.addWidget(pad)
    pad.resize(600, 260)
    pad.show()
    with qtbot.waitSignal(pad.sig_changed):
        _drag(pad, [(300, 100)])
    assert not pad.is_empty()
    assert not pad.has_signature()
    assert pad.hint_label.text().startswith("Please sign your name")


def test_a_tiny_scribble_is_not_a_signature(qtbot) -> None:
    pad = SignaturePad(hint="Sign here")
    qtbot.addWidget(pad)
    pad.resize(600, 260)
    pad.show()
    _drag(pad, [(300, 100), (302, 100), (300, 102), (302, 102)])
    assert not pad.has_signature()
    assert pad.hint_label.text().startswith("Please sign your name")


def test_a_written_name_is_a_signature_and_the_hint_returns(qtbot) -> None:
    pad = SignaturePad(hint="Sign here")
    qtbot.addWidget(pad)
    pad.resize(600, 260)
    pad.show()
    _drag(pad, [(300, 100)])
    _drag(pad, [(60, 130), (110, 60), (150, 140), (200, 70), (260, 130), (330, 80)])
    assert pad.has_signature()
    assert pad.hint_label.text() == "Sign here"
    pad.clear()
    assert not pad.has_signature()
    assert pad.hint_label.text() == "Sign here"
