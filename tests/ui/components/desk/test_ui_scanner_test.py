"""Settings' "Test your scanner": one scan through the application's own listener is
measured and judged, and nothing is recorded while the test runs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from kiosk.context import KioskContext
from kiosk.scanning.keystrokes import GERMAN_QWERTZ
from kiosk.scanning.words import (
    SCANNER_NEEDS_CHANGE,
    SCANNER_TEST_INVITE,
    SCANNER_WORKS,
    scanner_too_slow,
    wrong_layout,
)
from kiosk.services.custody import held_phones
from kiosk.services.pupils import card_payload
from tests.factories import make_pupil, pupil_with_card_where, pupil_with_y_or_z
from tests.keyboard import StampedKeyboard, german_typed
from ui.components.desk.settings import SettingsPanel
from ui.scan_router import ScanRouter
from ui.widgets.scan_listener import ScanListener


@pytest.fixture
def router(qapp: QApplication, ctx: KioskContext) -> Iterator[ScanRouter]:
    """The application's listener and router, as the running desk has them."""
    scan_router = ScanRouter(ctx)
    listener = ScanListener()
    listener.sig_scanned.connect(scan_router.route_scan)
    listener.sig_garbled.connect(scan_router.route_garbled)
    listener.install(qapp)
    yield scan_router
    listener.uninstall(qapp)


def test_slow_scanner_ending_with_a_line_feed_is_measured_and_will_work(
    qtbot, ctx, receptionist, router, desk_panel
) -> None:  # type: ignore[no-untyped-def]
    _pupil, code = pupil_with_y_or_z(ctx)
    panel = desk_panel(SettingsPanel, receptionist)
    box = panel.scanner_test
    box.start_button.click()
    assert box.status.text() == SCANNER_TEST_INVITE
    keyboard = StampedKeyboard()

    keyboard.type(box.start_button, code, 50)
    keyboard.line_feed(box.start_button, 50)

    assert box.status.text() == SCANNER_WORKS
    assert box.timing.text() == "typically 50 ms, at most 50 ms"
    assert box.suffix.text() == "a line feed (LF)"
    assert box.code.text() == "a pupil card"
    assert box.layout_hint.text() == "UK or US: right"
    assert any(line.startswith("Speed: slow but fine") for line in box.findings())
    # A test is not a hand-in.
    assert held_phones(ctx) == []
    assert router.last_result is None


def test_scanner_on_a_german_layout_is_told_what_to_set(
    qtbot, ctx, receptionist, router, desk_panel
) -> None:  # type: ignore[no-untyped-def]
    _pupil, code = pupil_with_y_or_z(ctx)
    panel = desk_panel(SettingsPanel, receptionist)
    box = panel.scanner_test
    box.start_button.click()
    keyboard = StampedKeyboard()

    keyboard.type(box.start_button, german_typed(code), 5)
    keyboard.enter(box.start_button, 5)

    assert box.status.text() == SCANNER_NEEDS_CHANGE
    assert box.layout_hint.text() == "German (QWERTZ): wrong"
    assert box.findings()[0] == wrong_layout(GERMAN_QWERTZ.name, GERMAN_QWERTZ.swaps)
    assert box.suffix.text() == "Enter"


def test_scanner_too_slow_is_measured_without_splitting_the_code(
    qtbot, ctx, receptionist, router, desk_panel
) -> None:  # type: ignore[no-untyped-def]
    code = card_payload(ctx, make_pupil(ctx))
    panel = desk_panel(SettingsPanel, receptionist)
    box = panel.scanner_test
    box.start_button.click()
    keyboard = StampedKeyboard()

    keyboard.type(box.start_button, code, 200)
    keyboard.tab(box.start_button, 200)

    assert box.status.text() == SCANNER_NEEDS_CHANGE
    assert box.timing.text() == "typically 200 ms, at most 200 ms"
    assert scanner_too_slow(200, 120) in box.findings()
    assert box.code.text() == "a pupil card"


def test_after_the_test_scans_are_recorded_again(
    qtbot, ctx, receptionist, router, desk_panel
) -> None:  # type: ignore[no-untyped-def]
    first = card_payload(ctx, make_pupil(ctx, forename="Amir"))
    second = card_payload(ctx, make_pupil(ctx, forename="Bea"))
    panel = desk_panel(SettingsPanel, receptionist)
    box = panel.scanner_test
    box.start_button.click()
    keyboard = StampedKeyboard()
    keyboard.type(box.start_button, first, 5)
    keyboard.enter(box.start_button, 5)
    assert box.status.text() == SCANNER_WORKS

    keyboard.type(box.start_button, second, 5)
    keyboard.enter(box.start_button, 5)

    assert [h.pupil.name for h in held_phones(ctx)] == ["Bea Ní Bhriain"]
    assert box.start_button.isEnabled()


def test_leaving_the_page_ends_a_test_still_waiting(
    qtbot, ctx, receptionist, router, desk_panel
) -> None:  # type: ignore[no-untyped-def]
    code = card_payload(ctx, make_pupil(ctx))
    panel = desk_panel(SettingsPanel, receptionist)
    panel.scanner_test.start_button.click()
    assert panel.scanner_test.running

    panel.hide()
    StampedKeyboard().type(panel, code, 5)
    StampedKeyboard().enter(panel, 5)

    assert not panel.scanner_test.running
    assert len(held_phones(ctx)) == 1


def test_the_test_works_without_a_running_listener(qtbot, ctx, receptionist, desk_panel) -> None:  # type: ignore[no-untyped-def]
    code = card_payload(ctx, make_pupil(ctx))
    panel = desk_panel(SettingsPanel, receptionist)
    box = panel.scanner_test
    box.start_button.click()
    keyboard = StampedKeyboard()

    keyboard.type(box.start_button, code, 5)
    keyboard.enter(box.start_button, 5)

    assert box.status.text() == SCANNER_WORKS
    assert ScanListener.installed() is None


def test_a_code_without_y_or_z_cannot_prove_the_layout(
    qtbot, ctx, receptionist, router, desk_panel
) -> None:  # type: ignore[no-untyped-def]
    _pupil, code = pupil_with_card_where(ctx, lambda c: not set(c) & {"Y", "Z"})
    panel = desk_panel(SettingsPanel, receptionist)
    box = panel.scanner_test
    box.start_button.click()
    keyboard = StampedKeyboard()

    keyboard.type(box.start_button, code, 5)
    keyboard.enter(box.start_button, 5)

    assert box.status.text() == SCANNER_WORKS
    assert box.layout_hint.text() == "Not proven by this code: scan another card"
    assert any("German (QWERTZ)" in line for line in box.findings())
