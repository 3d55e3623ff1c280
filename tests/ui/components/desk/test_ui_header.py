"""The desk header's last-scan message: kept whole, and cleared or faded once stale."""

from __future__ import annotations

from kiosk.scanning.service import act_on_scan
from kiosk.services.pupils import card_payload
from tests.factories import make_pupil
from ui.components.desk.header import NO_SCAN_YET, DeskHeader
from ui.widgets.message_button import wrap_in_lines


def narrow_header(qtbot, ctx, **kwargs) -> DeskHeader:  # type: ignore[no-untyped-def]
    header = DeskHeader(ctx, **kwargs)
    qtbot.addWidget(header)
    header.resize(760, 80)  # the banner gets what the school name and buttons leave
    header.show()
    qtbot.wait(1)
    return header


def test_a_long_scanned_again_message_keeps_its_slot_number(qtbot, ctx) -> None:
    pupil = make_pupil(
        ctx, forename="Maximilian-Alexander", surname="Featherstonehaugh-Worthington"
    )
    header = narrow_header(qtbot, ctx)
    act_on_scan(ctx, card_payload(ctx, pupil))
    header.show_result(act_on_scan(ctx, card_payload(ctx, pupil)))

    whole = header.banner_message()
    assert whole.endswith("scanned again, already in Office tray · slot 1")
    shown = header.banner.text()
    assert "\n" in shown  # too long for one line here: it wrapped
    assert shown.startswith("08:40  Maximilian-Alexander")
    assert shown.endswith("tray · slot 1")  # the number is never what is left out
    if header.banner.is_shortened():
        assert header.banner.toolTip().startswith(whole)
    metrics = header.banner.fontMetrics()
    room = header.banner.width() - 30
    assert all(metrics.horizontalAdvance(line) <= room for line in shown.split("\n"))


def test_past_two_lines_the_middle_goes_and_the_tooltip_holds_the_whole(qtbot, ctx) -> None:
    header = narrow_header(qtbot, ctx)
    metrics = header.banner.fontMetrics()
    text = "08:40  " + "word " * 60 + "Tray B · slot 12"
    shown = wrap_in_lines(text, metrics, 300)
    assert len(shown.split("\n")) == 2
    assert shown.endswith("Tray B · slot 12") and "…" in shown
    header.banner.set_message(text, "detail")
    assert header.banner.is_shortened()
    assert header.banner.toolTip() == f"{text}\ndetail"


def test_a_refusal_is_cleared_when_someone_signs_in_and_a_hand_in_stays(
    qtbot, ctx, manager
) -> None:
    header = narrow_header(qtbot, ctx)
    header.show_result(act_on_scan(ctx, "NOT-A-CARD"))
    assert header.banner_tone() == "error"
    header.set_actor(manager)
    assert header.banner_message() == NO_SCAN_YET
    assert header.banner_tone() == "none"

    pupil = make_pupil(ctx)
    header.show_result(act_on_scan(ctx, card_payload(ctx, pupil)))
    header.set_actor(None)
    assert "handed in" in header.banner_message()


def test_a_message_fades_after_the_fade_time(qtbot, ctx) -> None:
    header = narrow_header(qtbot, ctx, fade_after_ms=50)
    header.show_result(act_on_scan(ctx, card_payload(ctx, make_pupil(ctx))))
    assert header.banner_tone() == "success"
    qtbot.waitUntil(lambda: header.banner_tone() == "faded", timeout=2000)
    assert "handed in" in header.banner_message()  # still there to read, greyed
