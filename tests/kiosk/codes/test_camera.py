"""The webcam scanner: cards printed to PDF, rendered as camera frames, decode to their
payload; only the newest frame is kept; a card held up is reported once; and the app starts
normally when Qt's multimedia module cannot be loaded."""

from __future__ import annotations

import sys

import pypdfium2
import pytest
from PySide6.QtGui import QImage

from kiosk.codes.camera import (
    GrayFrame,
    NewestFrame,
    RepeatFilter,
    choose_camera_scanning,
    decode_qr,
)
from kiosk.context import KioskContext
from kiosk.printing.cards import cards_pdf_bytes
from kiosk.rows.people import PupilRow
from kiosk.services import custody, pupils
from tests.factories import make_pupil
from ui.application import start
from ui.ask import ScriptedAsker
from ui.widgets.camera_scanner import CameraScanner, CameraSettingsBox, gray_frame


@pytest.fixture
def pupil(ctx: KioskContext) -> PupilRow:
    return make_pupil(ctx, forename="Siobhán", surname="O'Brien")


def card_photo(ctx: KioskContext, pupil: PupilRow, dpi: int = 100) -> QImage:
    """The printed card sheet as a camera would see it: rendered, then an RGB image."""
    pdf = cards_pdf_bytes("Test School", [(pupil, pupils.card_payload(ctx, pupil))])
    rendered = pypdfium2.PdfDocument(pdf)[0].render(scale=dpi / 72).to_pil().convert("RGB")
    image = QImage(
        rendered.tobytes(),
        rendered.width,
        rendered.height,
        rendered.width * 3,
        QImage.Format.Format_RGB888,
    )
    return image.copy()  # own the pixels: the bytes above are temporary


def test_printed_card_decodes_from_a_camera_frame(ctx, pupil) -> None:  # type: ignore[no-untyped-def]
    frame = gray_frame(card_photo(ctx, pupil))
    assert decode_qr(frame) == pupils.card_payload(ctx, pupil)


def test_qt_free_decoder_reads_a_grey_frame(ctx, pupil) -> None:  # type: ignore[no-untyped-def]
    pdf = cards_pdf_bytes("Test School", [(pupil, pupils.card_payload(ctx, pupil))])
    grey = pypdfium2.PdfDocument(pdf)[0].render(scale=120 / 72).to_pil().convert("L")
    frame = GrayFrame(grey.tobytes(), grey.width, grey.height, grey.width)
    assert decode_qr(frame) == pupils.card_payload(ctx, pupil)


def test_blank_frame_reads_nothing() -> None:
    assert decode_qr(GrayFrame(bytes([255]) * 640 * 480, 640, 480, 640)) is None


def test_frame_with_too_little_data_is_refused() -> None:
    with pytest.raises(ValueError):
        GrayFrame(b"\x00" * 10, 640, 480, 640)


def test_only_the_newest_frame_is_kept() -> None:
    mailbox = NewestFrame()
    first, second = (GrayFrame(bytes([n]) * 4, 2, 2, 2) for n in (1, 2))
    mailbox.offer(first)
    mailbox.offer(second)
    assert mailbox.take() is second
    assert mailbox.take() is None
    assert mailbox.dropped == 1


def test_a_card_held_up_is_reported_once_until_it_is_taken_away() -> None:
    now = [100.0]
    repeats = RepeatFilter(quiet_seconds=4, clock=lambda: now[0])
    assert repeats.is_new("P1ABC")
    now[0] += 1
    assert not repeats.is_new("P1ABC")  # still in view
    assert repeats.is_new("P1XYZ")  # another card
    now[0] += 5
    assert repeats.is_new("P1XYZ")  # shown again after a pause


def test_camera_scan_takes_the_same_path_as_the_usb_scanner(
    qtbot, qapp, ctx, pupil, db_url, clock
) -> None:  # type: ignore[no-untyped-def]
    choose_camera_scanning(True)
    app = start(db_url, qapp, ScriptedAsker(), clock=clock, return_after_ms=60_000)
    try:
        assert app.camera is not None  # chosen; here without a usable camera
        app.camera.start_decoding()
        with qtbot.waitSignal(app.router.sig_result, timeout=5000) as result:
            assert app.camera.offer_image(card_photo(ctx, pupil))
        assert result.args[0].kind == "handed_in"
        assert custody.held_for_pupil(ctx, pupil.id) is not None
        assert app.face.state == "handed_in"
    finally:
        app.close()


def test_app_starts_and_says_why_when_qt_multimedia_cannot_load(
    qtbot, qapp, db_url, clock, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(sys.modules, "PySide6.QtMultimedia", None)  # import now fails
    choose_camera_scanning(True)
    app = start(db_url, qapp, ScriptedAsker(), clock=clock, return_after_ms=60_000)
    try:
        assert app.camera is not None and not app.camera.running
        assert app.camera.unavailable_reason is not None
        assert app.camera.unavailable_reason.startswith(
            "The camera scanner is not available: Qt's multimedia module could not be loaded"
        )
        assert "libpulse0" in app.camera.unavailable_reason
        app.desk.show()
        assert not app.desk.grab().isNull()

        box = CameraSettingsBox()
        qtbot.addWidget(box)
        box.show()
        assert box.use_camera.isChecked()
        assert box.status.text() == app.camera.unavailable_reason
    finally:
        app.close()


def test_scanner_is_off_unless_chosen(qapp, db_url, clock) -> None:  # type: ignore[no-untyped-def]
    app = start(db_url, qapp, ScriptedAsker(), clock=clock, return_after_ms=60_000)
    try:
        assert app.camera is None
    finally:
        app.close()


def test_frames_arriving_faster_than_ten_a_second_are_skipped(ctx, pupil) -> None:  # type: ignore[no-untyped-def]
    now = [0.0]
    scanner = CameraScanner(clock=lambda: now[0])
    image = card_photo(ctx, pupil, dpi=50)
    assert scanner.offer_image(image)
    now[0] += 0.03
    assert not scanner.offer_image(image)
    now[0] += 0.1
    assert scanner.offer_image(image)
    assert scanner.mailbox.dropped == 1
