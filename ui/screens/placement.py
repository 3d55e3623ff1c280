"""Where the desk window and the kiosk face go, from the screens' rectangles alone.

One rule, a pure function so it can be tried on any set of screens:

- **Two screens or more**: the desk fills the primary screen's working area and the face
  is full screen on another screen, facing the public.
- **One wide screen** (room for a 1280-pixel desk and a 560-pixel face): side by side,
  the face on the right at a third of the width (never under 560 pixels), the desk taking
  the rest. Neither covers the other.
- **One ordinary screen** (1280×720, 1366×768, 1600×900…): a desk narrower than 1280 pixels
  cuts off its pages, and a face narrower than 560 pixels is too small to read from the
  counter, so they cannot share the width. The desk fills the screen and the face is
  shown on demand ("Kiosk screen" in the header), over the whole of the same area, and
  closed to go back to the desk: one of them is ever in view, whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QRect

DESK_MIN_WIDTH = 1280
"""The narrowest desk whose pages show every column and button whole, in pixels."""

FACE_MIN_WIDTH = 560
"""The narrowest kiosk face a pupil can read from the counter, in pixels."""


class FaceMode(StrEnum):
    """How the kiosk face shares the screens with the desk."""

    OWN_SCREEN = "own_screen"  # full screen on a second screen
    BESIDE = "beside"  # beside the desk on one wide screen
    ON_DEMAND = "on_demand"  # hidden until asked for, then over the desk's whole area


@dataclass(frozen=True)
class Placement:
    """Where each window goes: rectangles in virtual-desktop pixels (frames included)."""

    desk: QRect
    face: QRect
    face_mode: FaceMode
    face_screen: int  # index into the screens given: the screen the face is on


def place_windows(screens: Sequence[QRect], primary: int = 0) -> Placement:
    """The placement of the desk and the kiosk face on ``screens``.

    ``screens`` are the screens' available rectangles (the working area, without task bars)
    in virtual-desktop pixels; ``primary`` is the index of the primary screen (the desk's).
    With more than one screen the face goes to the first screen that is not the primary.
    Raises ValueError when no screen is given or ``primary`` is not one of them.
    """
    if not screens:
        raise ValueError("there is no screen to place the windows on")
    if not 0 <= primary < len(screens):
        raise ValueError(f"screen {primary} is not one of the {len(screens)} screens")
    area = QRect(screens[primary])
    if len(screens) > 1:
        other = next(index for index in range(len(screens)) if index != primary)
        return Placement(area, QRect(screens[other]), FaceMode.OWN_SCREEN, other)
    if area.width() >= DESK_MIN_WIDTH + FACE_MIN_WIDTH:
        face_width = max(FACE_MIN_WIDTH, area.width() // 3)
        desk_width = area.width() - face_width
        desk = QRect(area.left(), area.top(), desk_width, area.height())
        face = QRect(area.left() + desk_width, area.top(), face_width, area.height())
        return Placement(desk, face, FaceMode.BESIDE, primary)
    return Placement(area, QRect(area), FaceMode.ON_DEMAND, primary)
