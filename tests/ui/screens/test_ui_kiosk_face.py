"""The kiosk face: what a pupil sees after scanning, and the way back to "Scan your card"."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetricsF

from kiosk.context import KioskContext
from kiosk.rows.people import Actor
from kiosk.scanning.keystrokes import FRENCH_AZERTY
from kiosk.scanning.words import INCOMPLETE_SCAN, NO_LIABILITY, SWITCH_OFF, wrong_layout
from kiosk.services.audit import latest_change
from kiosk.services.custody import held_phones
from kiosk.services.pupils import card_payload
from kiosk.services.school import update_school
from tests.conftest import LONDON
from tests.factories import make_arrangement, make_pupil
from tests.keyboard import french_typed
from ui.application import load_stylesheet
from ui.scan_router import ScanRouter
from ui.screens.kiosk_face import KioskFace, choose_kiosk_screen
from ui.widgets.touch_button import MIN_TOUCH_PX


@pytest.fixture
def router(ctx: KioskContext) -> ScanRouter:
    return ScanRouter(ctx)


@pytest.fixture
def face(qtbot, router: ScanRouter) -> KioskFace:  # type: ignore[no-untyped-def]
    kiosk_face = KioskFace("Ysgol Glan Môr & St Mary's", return_after_ms=150)
    qtbot.addWidget(kiosk_face)
    kiosk_face.setStyleSheet(load_stylesheet())
    router.sig_result.connect(kiosk_face.show_result)
    kiosk_face.resize(1280, 800)
    kiosk_face.show()
    return kiosk_face


def test_attract_screen_asks_for_a_card_and_states_the_rules(face: KioskFace) -> None:
    assert face.state == "attract"
    assert face.attract_page.isVisible()
    assert face.prompt.text() == "Scan your card"
    assert face.school.text() == "Ysgol Glan Môr & St Mary's"
    assert "switched off and handed in" in face.rule.text()
    assert face.no_liability.text() == NO_LIABILITY


def test_hand_in_shows_the_slot_then_returns_to_attract(qtbot, ctx, router, face) -> None:  # type: ignore[no-untyped-def]
    pupil = make_pupil(ctx)

    router.route_scan(card_payload(ctx, pupil))

    assert face.state == "handed_in"
    assert face.answer_page.isVisible()
    assert face.headline.text() == "Put it in Office tray · slot 1"
    assert face.name.text() == "Zoë Ní Bhriain · 9B"
    assert face.detail_lines()[0] == SWITCH_OFF
    assert face.property("tone") == "success"
    qtbot.waitUntil(lambda: face.state == "attract")
    assert face.attract_page.isVisible()


def test_second_scan_says_where_the_phone_is_and_when_it_comes_back(ctx, router, face) -> None:  # type: ignore[no-untyped-def]
    pupil = make_pupil(ctx)
    router.route_scan(card_payload(ctx, pupil))

    router.route_scan(card_payload(ctx, pupil))

    assert face.state == "already_held"
    assert face.property("tone") == "info"
    assert face.headline.text() == "Your phone is in Office tray · slot 1"
    assert face.detail_lines() == ["Handed in at 08:40. It comes back at 15:10."]


def test_a_phone_kept_overnight_is_back_today_on_the_next_morning_scan(ctx, clock, router, face) -> None:  # type: ignore[no-untyped-def]
    pupil = make_pupil(ctx)
    clock.set(datetime(2026, 11, 24, 16, 50, tzinfo=LONDON))  # after the release window
    router.route_scan(card_payload(ctx, pupil))
    clock.set(datetime(2026, 11, 25, 8, 35, tzinfo=LONDON))

    router.route_scan(card_payload(ctx, pupil))

    assert face.state == "already_held"
    assert face.detail_lines() == ["Handed in at 16:50 yesterday. It comes back at 15:10."]


def test_scan_in_release_window_says_collect(ctx, clock, router, face) -> None:  # type: ignore[no-untyped-def]
    pupil = make_pupil(ctx)
    router.route_scan(card_payload(ctx, pupil))
    clock.set(datetime(2026, 11, 24, 15, 20, tzinfo=LONDON))

    router.route_scan(card_payload(ctx, pupil))

    assert face.state == "collected"
    assert face.headline.text() == "Collect from Office tray · slot 1"
    assert held_phones(ctx) == []


def test_no_permission_on_file_is_shown_in_the_warning_tone(
    ctx, router, face, manager: Actor
) -> None:  # type: ignore[no-untyped-def]
    update_school(ctx, manager, permission_years="5,6")
    pupil = make_pupil(ctx, forename="Łukasz", surname="Nowak", year_group="6", form="6K")

    router.route_scan(card_payload(ctx, pupil))

    assert face.state == "handed_in"
    assert face.property("tone") == "warning"
    assert any("No permission" in line for line in face.detail_lines())


def test_exemption_is_shown_at_hand_in(ctx, router, face, manager: Actor) -> None:  # type: ignore[no-untyped-def]
    pupil = make_pupil(ctx, forename="Nguyễn", surname="Thị Mai", form="9C")
    make_arrangement(
        ctx,
        manager,
        pupil.id,
        kind="exemption",
        title="Medical monitoring",
        conditions="keeps the phone switched on, in the bag",
    )

    router.route_scan(card_payload(ctx, pupil))

    assert face.name.text() == "Nguyễn Thị Mai · 9C"
    assert "Exemption: Medical monitoring — keeps the phone switched on, in the bag" in (
        face.detail_lines()
    )


def test_forged_card_is_refused_and_nothing_is_stored(ctx, router, face) -> None:  # type: ignore[no-untyped-def]
    pupil = make_pupil(ctx)
    genuine = card_payload(ctx, pupil)
    forged = genuine[:-1] + ("A" if genuine[-1] != "A" else "B")
    before = latest_change(ctx)

    router.route_scan(forged)

    assert face.state == "rejected"
    assert face.property("tone") == "error"
    assert face.headline.text() == "Card not accepted"
    assert "could not be verified" in face.detail_lines()[0]
    assert not face.name.isVisibleTo(face)
    assert held_phones(ctx) == []
    assert latest_change(ctx) == before


def test_card_scanned_on_a_french_layout_names_the_scanner_not_the_card(ctx, router, face) -> None:  # type: ignore[no-untyped-def]
    typed = french_typed(card_payload(ctx, make_pupil(ctx)))
    before = latest_change(ctx)

    router.route_scan(typed)

    assert face.state == "rejected"
    assert face.headline.text() == "Scanner needs setting up"
    assert face.detail_lines() == [wrong_layout(FRENCH_AZERTY.name, FRENCH_AZERTY.swaps)]
    assert "altered or copied" not in face.detail_lines()[0]
    assert held_phones(ctx) == []
    assert latest_change(ctx) == before


def test_partial_scan_asks_to_scan_again(router, face) -> None:  # type: ignore[no-untyped-def]
    router.route_garbled("P1ABCD")

    assert face.state == "incomplete"
    assert face.detail_lines() == [INCOMPLETE_SCAN]


def test_a_new_scan_replaces_the_answer_at_once(ctx, router, face) -> None:  # type: ignore[no-untyped-def]
    first = make_pupil(ctx)
    second = make_pupil(ctx, forename="Dafydd", surname="ap Gruffudd", form="10W")
    router.route_scan(card_payload(ctx, first))

    router.route_scan(card_payload(ctx, second))

    assert face.name.text() == "Dafydd ap Gruffudd · 10W"
    assert face.headline.text() == "Put it in Office tray · slot 2"


def test_done_button_goes_back_at_once_and_is_big_enough_to_touch(qtbot, router, face) -> None:  # type: ignore[no-untyped-def]
    face.set_return_after_ms(60_000)
    router.route_garbled("P1")
    assert face.done.height() >= MIN_TOUCH_PX
    assert face.done.width() >= MIN_TOUCH_PX

    qtbot.mouseClick(face.done, Qt.MouseButton.LeftButton)

    assert face.state == "attract"


def test_long_names_are_never_wider_than_the_screen(ctx, router, face) -> None:  # type: ignore[no-untyped-def]
    pupil = make_pupil(
        ctx, forename="Maria-Fernanda Esperanza", surname="Wolfeschlegelsteinhausen-Bergerdorff 🙂"
    )

    router.route_scan(card_payload(ctx, pupil))

    name = face.name
    assert name.text().startswith("Maria-Fernanda Esperanza Wolfeschlegel")
    assert face.width() == 1280
    assert name.sizeHint().width() > name.width()  # too long at the full size...
    drawn = QFontMetricsF(name.fitted_font(name.contentsRect().width() - 2))
    assert drawn.horizontalAdvance(name.text()) <= name.contentsRect().width()  # ...so smaller


class _Screen:
    pass


def test_kiosk_face_prefers_a_second_screen() -> None:
    primary, second = _Screen(), _Screen()

    assert choose_kiosk_screen([primary, second], primary) is second  # type: ignore[list-item,arg-type]
    assert choose_kiosk_screen([primary], primary) is None  # type: ignore[list-item,arg-type]
