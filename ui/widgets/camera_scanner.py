"""A webcam as a second card scanner, beside the keyboard-wedge one.

QtMultimedia is imported only when the camera is started, inside a try: on a computer
without a camera, or without the system audio library QtMultimedia loads (libpulse), the
application starts as usual and :attr:`CameraScanner.unavailable_reason` says why the camera
cannot be used. Frames are turned into grey images on the GUI thread at most ~10 times a
second; a worker thread decodes only the newest one, so a slow decode never builds a queue.
"""

from __future__ import annotations

import importlib
import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtGui import QImage, QShowEvent
from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from kiosk.codes.camera import (
    GrayFrame,
    NewestFrame,
    RepeatFilter,
    camera_scanning_chosen,
    choose_camera_scanning,
    decode_qr,
)

log = logging.getLogger(__name__)

DECODE_INTERVAL_MS = 100  # about ten frames a second
MAX_FRAME_WIDTH = 1280  # larger frames are scaled down first: a card is big in the picture
NO_MULTIMEDIA = (
    "The camera scanner is not available: Qt's multimedia module could not be loaded "
    "({detail}). On Linux, install the system audio library (for example: apt install "
    "libpulse0). The USB scanner works as usual."
)
NO_CAMERA = "The camera scanner is not available: no camera is connected to this computer."


def load_multimedia() -> tuple[Any, str | None]:
    """QtMultimedia, or None and the reason it cannot be used."""
    try:
        multimedia = importlib.import_module("PySide6.QtMultimedia")
    except ImportError as error:
        return None, NO_MULTIMEDIA.format(detail=str(error) or "import failed")
    return multimedia, None


def gray_frame(image: QImage) -> GrayFrame:
    """A camera image as the grey frame the decoder reads (scaled down when large)."""
    if image.width() > MAX_FRAME_WIDTH:
        image = image.scaledToWidth(MAX_FRAME_WIDTH)
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    data = bytes(gray.constBits())[: gray.sizeInBytes()]
    return GrayFrame(data, gray.width(), gray.height(), gray.bytesPerLine())


class _Decoder(QObject):
    """Lives on the worker thread: every interval, decode the newest frame if there is one."""

    sig_decoded = Signal(str)

    def __init__(self, mailbox: NewestFrame, interval_ms: int) -> None:
        super().__init__()
        self._mailbox = mailbox
        self._interval = interval_ms
        self._timer: QTimer | None = None

    @Slot()
    def start(self) -> None:
        self._timer = QTimer(self)
        self._timer.setInterval(self._interval)
        self._timer.timeout.connect(self.decode_newest)
        self._timer.start()

    @Slot()
    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()

    @Slot()
    def decode_newest(self) -> None:
        frame = self._mailbox.take()
        if frame is None:
            return
        try:
            text = decode_qr(frame)
        except Exception:  # a bad frame must not stop the scanner
            log.exception("A camera frame could not be decoded")
            return
        if text:
            self.sig_decoded.emit(text)


class CameraScanner(QObject):
    """Watches the default camera and reports each card it reads, once."""

    sig_scanned = Signal(str)
    """A QR code was read (the same card is not reported again while it stays in view)."""

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        interval_ms: int = DECODE_INTERVAL_MS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self.unavailable_reason: str | None = None
        self.mailbox = NewestFrame()
        self._repeats = RepeatFilter(clock=clock)
        self._clock = clock
        self._last_offer = float("-inf")
        self._interval_s = interval_ms / 1000
        self._camera: Any = None
        self._session: Any = None
        self._sink: Any = None
        self._thread = QThread(self)
        self._thread.setObjectName("camera-decoder")
        self._decoder = _Decoder(self.mailbox, interval_ms)
        self._decoder.moveToThread(self._thread)
        self._thread.started.connect(self._decoder.start)
        # The decoder and its timer belong to the worker thread: delete them there.
        self._thread.finished.connect(self._decoder.deleteLater)
        self._decoder.sig_decoded.connect(self._on_decoded)

    # --- public ---------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._thread.isRunning()

    def start(self) -> bool:
        """Open the default camera and start decoding; False (with the reason) if not."""
        multimedia, reason = load_multimedia()
        if multimedia is None:
            self.unavailable_reason = reason
            log.warning("%s", reason)
            return False
        device = multimedia.QMediaDevices.defaultVideoInput()
        if device.isNull():
            self.unavailable_reason = NO_CAMERA
            return False
        self._camera = multimedia.QCamera(device)
        self._session = multimedia.QMediaCaptureSession()
        self._sink = multimedia.QVideoSink()
        self._session.setCamera(self._camera)
        self._session.setVideoSink(self._sink)
        self._sink.videoFrameChanged.connect(self._on_video_frame)
        self._camera.errorOccurred.connect(self._on_camera_error)
        self.start_decoding()
        self._camera.start()
        return True

    def start_decoding(self) -> None:
        if not self._thread.isRunning():
            self._thread.start()

    def stop(self) -> None:
        if self._camera is not None:
            self._camera.stop()
        if self._thread.isRunning():
            self._thread.quit()
            self._thread.wait(2000)

    def offer_image(self, image: QImage) -> bool:
        """Hand a camera image to the decoder, unless one was handed over moments ago."""
        now = self._clock()
        if now - self._last_offer < self._interval_s or image.isNull():
            return False
        self._last_offer = now
        self.mailbox.offer(gray_frame(image))
        return True

    # --- slots ----------------------------------------------------------------------------

    def _on_video_frame(self, frame: Any) -> None:
        if self._clock() - self._last_offer < self._interval_s:
            return  # skip the costly conversion for frames we would not decode
        self.offer_image(frame.toImage())

    def _on_camera_error(self, _error: Any, text: str) -> None:
        self.unavailable_reason = f"The camera stopped working: {text}"
        log.warning("%s", self.unavailable_reason)

    def _on_decoded(self, text: str) -> None:
        if self._repeats.is_new(text):
            self.sig_scanned.emit(text)


def start_camera_if_chosen(
    parent: QObject, on_scan: Callable[[str], object]
) -> CameraScanner | None:
    """At start-up: if this computer is set to scan with its webcam, start it feeding
    ``on_scan`` (the same path as the USB scanner). Never stops the application starting."""
    if not camera_scanning_chosen():
        return None
    scanner = CameraScanner(parent)
    scanner.sig_scanned.connect(on_scan)
    if not scanner.start():
        log.warning("Camera scanner not started: %s", scanner.unavailable_reason)
    return scanner


class CameraSettingsBox(QWidget):
    """The settings section: use the webcam as a scanner on this computer, and whether the
    camera can be used at all (and if not, why)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.use_camera = QCheckBox("Also scan cards with this computer's webcam")
        self.use_camera.setChecked(camera_scanning_chosen())
        self.use_camera.toggled.connect(self._on_toggled)
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.status.setProperty("role", "hint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.use_camera)
        layout.addWidget(self.status)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt name)
        # Loading QtMultimedia takes a moment: only when the settings are looked at.
        self._show_status()
        super().showEvent(event)

    def _show_status(self) -> None:
        _multimedia, reason = load_multimedia()
        if reason is not None:
            self.status.setText(reason)
        elif self.use_camera.isChecked():
            self.status.setText(
                "The webcam is used from the next start of Reception Kiosk; hold a card "
                "up to it, QR code facing the camera."
            )
        else:
            self.status.setText("Only the USB scanner is used.")

    def _on_toggled(self, checked: bool) -> None:
        choose_camera_scanning(checked)
        self._show_status()
