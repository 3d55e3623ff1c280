"""Where the desk and the kiosk face go on one screen or two: never one over part of the
other."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect

from ui.screens.placement import DESK_MIN_WIDTH, FaceMode, place_windows


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1366, 768), (1600, 900)])
def test_one_ordinary_screen_gives_the_desk_all_of_it_and_the_face_on_demand(
    width: int, height: int
) -> None:
    area = QRect(0, 0, width, height - 40)  # a task bar along the bottom

    placement = place_windows([area])

    assert placement.face_mode is FaceMode.ON_DEMAND
    assert placement.desk == area
    assert placement.face == area  # when asked for, the face covers the desk whole


def test_one_full_hd_screen_puts_the_face_beside_a_full_width_desk() -> None:
    area = QRect(0, 0, 1920, 1040)

    placement = place_windows([area])

    assert placement.face_mode is FaceMode.BESIDE
    assert placement.desk == QRect(0, 0, 1280, 1040)
    assert placement.face == QRect(1280, 0, 640, 1040)
    assert not placement.desk.intersects(placement.face)
    assert placement.desk.united(placement.face) == area
    assert placement.desk.width() >= DESK_MIN_WIDTH


def test_two_screens_give_the_face_the_second_one_full_screen() -> None:
    primary, public = QRect(0, 0, 1366, 728), QRect(1366, 0, 1920, 1080)

    placement = place_windows([primary, public], primary=0)

    assert placement.face_mode is FaceMode.OWN_SCREEN
    assert placement.desk == primary
    assert placement.face == public
    assert placement.face_screen == 1


def test_the_desk_stays_on_the_primary_screen_whichever_is_listed_first() -> None:
    public, primary = QRect(-1920, 0, 1920, 1080), QRect(0, 0, 1280, 680)

    placement = place_windows([public, primary], primary=1)

    assert placement.desk == primary
    assert placement.face == public
    assert placement.face_screen == 0


def test_no_screen_is_refused_plainly() -> None:
    with pytest.raises(ValueError, match="no screen"):
        place_windows([])


def test_on_one_small_screen_the_face_waits_for_kiosk_screen_then_covers_the_desk_whole(
    qtbot, qapp, db_url: str, clock
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication

    from ui.application import start
    from ui.ask import ScriptedAsker

    running = start(db_url, qapp, ScriptedAsker(), clock=clock)
    qtbot.addWidget(running.desk)
    qtbot.addWidget(running.face)
    try:
        area = QGuiApplication.primaryScreen().availableGeometry()
        assert len(QGuiApplication.screens()) == 1
        assert area.width() < DESK_MIN_WIDTH  # the test platform's one screen is small

        running.show()

        assert running.placement is not None
        assert running.placement.face_mode is FaceMode.ON_DEMAND
        assert running.desk.isVisible()
        assert not running.face.isVisible()
        # Placed at the top left of the working area, as large as the area (or the
        # desk's own minimum, larger than this test screen's 800 pixels) allows.
        assert running.desk.frameGeometry().topLeft() == area.topLeft()
        assert running.desk.frameGeometry().height() == area.height()

        qtbot.mouseClick(running.desk.header.kiosk_button, Qt.MouseButton.LeftButton)

        assert running.face.isVisible()
        assert running.face.frameGeometry() == running.desk.frameGeometry()
    finally:
        running.close()
