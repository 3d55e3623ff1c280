"""Reading pupil-card QR codes from camera frames, without Qt.

A webcam delivers frames far faster than they can be decoded. :class:`NewestFrame` keeps
only the latest frame a camera offered (older ones are dropped, never queued), a worker
decodes it at its own pace, and :class:`RepeatFilter` stops a card held in front of the
camera from being reported as a new scan on every frame.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import zxingcpp

# A card fills a good part of the picture: scanning smaller copies wastes time.
_QR_ONLY = zxingcpp.BarcodeFormat.QRCode
SAME_CARD_QUIET_SECONDS = 4.0


@dataclass(frozen=True, slots=True)
class GrayFrame:
    """One camera frame as 8-bit grey levels, row by row (``stride`` bytes a row)."""

    data: bytes
    width: int
    height: int
    stride: int

    def __post_init__(self) -> None:
        if self.width <= 0 or self.height <= 0 or self.stride < self.width:
            raise ValueError("a frame needs a positive size and a stride of at least its width")
        if len(self.data) < self.stride * (self.height - 1) + self.width:
            raise ValueError("the frame's data is shorter than its size says")


def decode_qr(frame: GrayFrame) -> str | None:
    """The text of the first valid QR code found in the frame, as decoded; None when the
    frame holds no readable QR code (other barcode formats are not looked for)."""
    view = zxingcpp.ImageView(
        memoryview(frame.data), frame.width, frame.height, zxingcpp.ImageFormat.Lum, frame.stride
    )
    for result in zxingcpp.read_barcodes(view, formats=zxingcpp.BarcodeFormats(_QR_ONLY)):
        if result.valid and result.text:
            return result.text
    return None


class NewestFrame:
    """A one-frame mailbox between the camera and the decoder: offering a frame replaces
    any frame not yet taken, so the decoder always works on what the camera sees now."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._frame: GrayFrame | None = None
        self.dropped = 0

    def offer(self, frame: GrayFrame) -> None:
        """Put `frame` in the mailbox, replacing (and counting in `dropped`) any frame the
        decoder has not taken yet. Safe to call from the camera's thread."""
        with self._lock:
            if self._frame is not None:
                self.dropped += 1
            self._frame = frame

    def take(self) -> GrayFrame | None:
        """Remove and return the newest frame offered, or None when there is none waiting
        (the decoder has already taken it). Safe to call from the decoder's thread."""
        with self._lock:
            frame, self._frame = self._frame, None
            return frame


class RepeatFilter:
    """Let a code through once, then ignore the same code until the camera has not seen it
    for a few seconds (the pupil took the card away)."""

    def __init__(
        self,
        quiet_seconds: float = SAME_CARD_QUIET_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._quiet = quiet_seconds
        self._clock = clock
        self._last_text: str | None = None
        self._last_seen = 0.0

    def is_new(self, text: str) -> bool:
        """True when `text` should count as a new scan: a different code from the last one,
        or the same code after `quiet_seconds` (monotonic clock seconds) without seeing it.
        Every call, new or not, restarts the quiet period for `text`."""
        now = self._clock()
        repeat = text == self._last_text and now - self._last_seen < self._quiet
        self._last_text, self._last_seen = text, now
        return not repeat


# --- the desk's choice -----------------------------------------------------------------------

_SETTING_FILE = "camera-scanner.json"


def camera_scanning_chosen() -> bool:
    """Whether this computer should also scan cards with its webcam (off unless chosen)."""
    from kiosk.config import data_dir

    try:
        return bool(json.loads((data_dir() / _SETTING_FILE).read_text("utf-8")).get("enabled"))
    except (OSError, ValueError, AttributeError):
        return False


def choose_camera_scanning(enabled: bool) -> None:
    """Remember on this computer (a file in the user data directory, not the database)
    whether the webcam should also scan cards. Raises OSError when the file cannot be
    written."""
    from kiosk.config import data_dir

    (data_dir() / _SETTING_FILE).write_text(json.dumps({"enabled": enabled}), "utf-8")
