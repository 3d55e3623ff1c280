"""The keyboard-wedge listener: scanner bursts are caught anywhere, typing still types."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tests.keyboard import StampedKeyboard
from ui.widgets.scan_listener import ScanListener

PAYLOAD = "P1ABCDAAAEABK7Q2M4XZRT"


class Recorder:
    def __init__(self, listener: ScanListener) -> None:
        self.scanned: list[str] = []
        self.garbled: list[str] = []
        listener.sig_scanned.connect(self.scanned.append)
        listener.sig_garbled.connect(self.garbled.append)


class SteppedTime:
    """A monotonic clock the test moves by hand (seconds)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance_ms(self, ms: float) -> None:
        self.now += ms / 1000


@pytest.fixture
def listener(qapp: QApplication) -> Iterator[ScanListener]:
    scan_listener = ScanListener(threshold_ms=35, min_length=6)
    scan_listener.install(qapp)
    yield scan_listener
    scan_listener.uninstall(qapp)


@pytest.fixture
def recorder(listener: ScanListener) -> Recorder:
    return Recorder(listener)


@pytest.fixture
def line_edit(qtbot) -> QLineEdit:  # type: ignore[no-untyped-def]
    edit = QLineEdit()
    qtbot.addWidget(edit)
    edit.show()
    edit.setFocus()
    return edit


def scan_into(qtbot, widget: QWidget, payload: str = PAYLOAD) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(widget, payload)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def test_burst_ending_in_enter_is_a_scan_and_types_nothing(qtbot, line_edit, recorder):  # type: ignore[no-untyped-def]
    pressed_enter: list[bool] = []
    line_edit.returnPressed.connect(lambda: pressed_enter.append(True))

    scan_into(qtbot, line_edit)

    assert recorder.scanned == [PAYLOAD]
    assert recorder.garbled == []
    assert line_edit.text() == ""
    assert pressed_enter == []


def test_second_enter_from_a_scanner_ending_in_cr_lf_is_not_passed_on(qtbot, line_edit, recorder):  # type: ignore[no-untyped-def]
    pressed_enter: list[bool] = []
    line_edit.returnPressed.connect(lambda: pressed_enter.append(True))

    scan_into(qtbot, line_edit)
    qtbot.keyClick(line_edit, Qt.Key.Key_Enter)

    assert recorder.scanned == [PAYLOAD]
    assert pressed_enter == []


def test_scan_after_typed_text_leaves_the_text_alone(qtbot, line_edit, recorder):  # type: ignore[no-untyped-def]
    qtbot.keyClicks(line_edit, "Zo", delay=80)
    qtbot.waitUntil(lambda: line_edit.text() == "Zo")

    scan_into(qtbot, line_edit)

    assert recorder.scanned == [PAYLOAD]
    assert line_edit.text() == "Zo"


def test_human_typing_reaches_the_search_box(qtbot, line_edit, recorder):  # type: ignore[no-untyped-def]
    qtbot.keyClicks(line_edit, "Siobhan", delay=80)

    qtbot.waitUntil(lambda: line_edit.text() == "Siobhan")
    assert recorder.scanned == []
    assert recorder.garbled == []


def test_typing_with_pauses_on_an_injected_clock_is_delivered(qapp, qtbot, line_edit):  # type: ignore[no-untyped-def]
    stepped = SteppedTime()
    slow_listener = ScanListener(threshold_ms=35, min_length=6, time_source=stepped)
    slow_listener.install(qapp)
    recorder = Recorder(slow_listener)
    try:
        for ch in "Dafydd ap":
            qtbot.keyClick(line_edit, ch)
            stepped.advance_ms(120)
        qtbot.keyClick(line_edit, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: line_edit.text() == "Dafydd ap")
    finally:
        slow_listener.uninstall(qapp)
    assert recorder.scanned == []
    assert recorder.garbled == []


def test_one_key_then_enter_is_typing_and_presses_enter(qtbot, line_edit, recorder):  # type: ignore[no-untyped-def]
    pressed_enter: list[str] = []
    line_edit.returnPressed.connect(lambda: pressed_enter.append(line_edit.text()))

    qtbot.keyClick(line_edit, "7")
    qtbot.keyClick(line_edit, Qt.Key.Key_Return)

    assert pressed_enter == ["7"]
    assert recorder.scanned == []
    assert recorder.garbled == []


def test_partial_burst_without_enter_is_garbled_and_types_nothing(qtbot, line_edit, recorder):  # type: ignore[no-untyped-def]
    qtbot.keyClicks(line_edit, PAYLOAD[:12])

    qtbot.waitUntil(lambda: recorder.garbled == [PAYLOAD[:12]])
    assert recorder.scanned == []
    assert line_edit.text() == ""


def test_enter_after_too_short_a_burst_is_garbled(qtbot, line_edit, recorder):  # type: ignore[no-untyped-def]
    pressed_enter: list[bool] = []
    line_edit.returnPressed.connect(lambda: pressed_enter.append(True))

    scan_into(qtbot, line_edit, "P1A")

    assert recorder.garbled == ["P1A"]
    assert recorder.scanned == []
    assert line_edit.text() == ""
    assert pressed_enter == []


def test_capitals_sent_with_shift_keep_their_case(qtbot, line_edit, recorder):  # type: ignore[no-untyped-def]
    shift = Qt.KeyboardModifier.ShiftModifier
    for ch in "P1abCD7x":
        if ch.isupper():
            qtbot.keyPress(line_edit, Qt.Key.Key_Shift)
            qtbot.keyClick(line_edit, ch, shift)
            qtbot.keyRelease(line_edit, Qt.Key.Key_Shift, shift)
        else:
            qtbot.keyClick(line_edit, ch)
    qtbot.keyClick(line_edit, Qt.Key.Key_Return)

    assert recorder.scanned == ["P1abCD7x"]
    assert line_edit.text() == ""


def test_keys_with_control_pass_straight_through(qtbot, line_edit, recorder):  # type: ignore[no-untyped-def]
    line_edit.setText("O'Brien")

    qtbot.keyClick(line_edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)

    assert line_edit.selectedText() == "O'Brien"
    assert recorder.scanned == []


def test_scan_while_a_plain_text_edit_has_focus(qtbot, recorder):  # type: ignore[no-untyped-def]
    notes = QPlainTextEdit()
    qtbot.addWidget(notes)
    notes.show()
    notes.setFocus()

    scan_into(qtbot, notes)

    assert recorder.scanned == [PAYLOAD]
    assert notes.toPlainText() == ""


def test_scan_while_a_combo_box_has_focus(qtbot, recorder):  # type: ignore[no-untyped-def]
    combo = QComboBox()
    combo.addItems(["Apple", "Pear", "P1 form", "Quince"])
    qtbot.addWidget(combo)
    combo.show()
    combo.setFocus()

    scan_into(qtbot, combo)

    assert recorder.scanned == [PAYLOAD]
    assert combo.currentText() == "Apple"


def test_scan_while_a_button_has_focus_does_not_press_it(qtbot, recorder):  # type: ignore[no-untyped-def]
    host = QWidget()
    qtbot.addWidget(host)
    button = QPushButton("Release phone", host)
    button.setAutoDefault(True)
    QVBoxLayout(host).addWidget(button)
    clicks: list[bool] = []
    button.clicked.connect(lambda: clicks.append(True))
    host.show()
    button.setFocus()

    scan_into(qtbot, button)

    assert recorder.scanned == [PAYLOAD]
    assert clicks == []


def test_scan_while_nothing_has_focus(qtbot, recorder):  # type: ignore[no-untyped-def]
    window = QWidget()
    window.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    qtbot.addWidget(window)
    window.show()
    assert QApplication.focusWidget() is None

    scan_into(qtbot, window)

    assert recorder.scanned == [PAYLOAD]


def test_two_scans_in_a_row_are_two_scans(qtbot, line_edit, recorder):  # type: ignore[no-untyped-def]
    scan_into(qtbot, line_edit, "P1FIRSTCARD")
    scan_into(qtbot, line_edit, "P1SECONDCARD")

    assert recorder.scanned == ["P1FIRSTCARD", "P1SECONDCARD"]
    assert line_edit.text() == ""


# --- timing by the keys' own timestamps, and deciding by content ----------------------------


def test_busy_window_mid_burst_does_not_split_the_scan(qtbot, line_edit, recorder):  # type: ignore[no-untyped-def]
    keyboard = StampedKeyboard()

    # Typed 5 ms apart by the scanner, but the GUI thread is busy for 80 ms mid-burst.
    keyboard.type(line_edit, PAYLOAD, 5, busy_after=9, busy_s=0.08)
    keyboard.enter(line_edit, 5)

    assert recorder.scanned == [PAYLOAD]
    assert recorder.garbled == []
    assert line_edit.text() == ""


def test_keys_queued_behind_an_overdue_pause_still_join_the_scan(qtbot, line_edit, recorder):  # type: ignore[no-untyped-def]
    keyboard = StampedKeyboard()
    keyboard.type(line_edit, PAYLOAD[:9], 5)
    time.sleep(0.2)  # busy: the pause that ends a burst is now overdue
    # The overdue pause runs before the window system's queue is read.
    QApplication.processEvents()

    # The rest of the burst, typed 5 ms apart while the thread was busy, arrives now.
    keyboard.type(line_edit, PAYLOAD[9:], 5, first_after_ms=5)
    keyboard.enter(line_edit, 5)

    assert recorder.scanned == [PAYLOAD]
    assert recorder.garbled == []
    assert line_edit.text() == ""


def test_slow_scanner_at_50_ms_a_key_is_a_scan_and_types_nothing(qtbot, line_edit, recorder):  # type: ignore[no-untyped-def]
    keyboard = StampedKeyboard()
    for ch in PAYLOAD:
        keyboard.type(line_edit, ch, 50, first_after_ms=50)
        qtbot.wait(50)
    keyboard.enter(line_edit, 50)

    assert recorder.scanned == [PAYLOAD]
    assert recorder.garbled == []
    assert line_edit.text() == ""


@pytest.mark.parametrize("every_ms", [5, 50, 80])
def test_scanner_ending_with_tab_is_a_scan_and_keeps_the_focus(qtbot, recorder, every_ms):  # type: ignore[no-untyped-def]
    host = QWidget()
    qtbot.addWidget(host)
    first, second = QLineEdit(host), QLineEdit(host)
    layout = QVBoxLayout(host)
    layout.addWidget(first)
    layout.addWidget(second)
    host.show()
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)
    keyboard = StampedKeyboard()

    keyboard.type(first, PAYLOAD, every_ms)
    keyboard.tab(first, every_ms)

    assert recorder.scanned == [PAYLOAD]
    assert recorder.garbled == []
    assert first.text() == "" and second.text() == ""
    assert first.hasFocus()


@pytest.mark.parametrize("every_ms", [5, 50])
def test_scanner_ending_with_a_line_feed_is_a_scan(qtbot, line_edit, recorder, every_ms):  # type: ignore[no-untyped-def]
    keyboard = StampedKeyboard()

    keyboard.type(line_edit, PAYLOAD, every_ms)
    keyboard.line_feed(line_edit, every_ms)

    assert recorder.scanned == [PAYLOAD]
    assert recorder.garbled == []
    assert line_edit.text() == ""


def test_slow_scanner_without_a_suffix_is_a_scan_after_a_pause(qtbot, line_edit, recorder):  # type: ignore[no-untyped-def]
    keyboard = StampedKeyboard()

    keyboard.type(line_edit, PAYLOAD, 50)

    qtbot.waitUntil(lambda: recorder.scanned == [PAYLOAD], timeout=2000)
    assert recorder.garbled == []
    assert line_edit.text() == ""


def test_fast_typist_pin_at_60_ms_reaches_the_field_and_presses_enter(qtbot, line_edit, recorder):  # type: ignore[no-untyped-def]
    pressed_enter: list[str] = []
    line_edit.returnPressed.connect(lambda: pressed_enter.append(line_edit.text()))
    keyboard = StampedKeyboard()

    keyboard.type(line_edit, "135792", 60)
    keyboard.enter(line_edit, 60)

    assert pressed_enter == ["135792"]
    assert recorder.scanned == []
    assert recorder.garbled == []


def test_name_typed_at_40_ms_arrives_whole_and_in_order(qtbot, line_edit, recorder):  # type: ignore[no-untyped-def]
    keyboard = StampedKeyboard()

    # Starts like a pupil card ("P"), and then is not one.
    keyboard.type(line_edit, "Priya Patel-Vyas", 40)

    qtbot.waitUntil(lambda: line_edit.text() == "Priya Patel-Vyas", timeout=2000)
    assert recorder.scanned == []
    assert recorder.garbled == []


def test_slow_text_that_is_not_a_code_then_enter_is_typing(qtbot, line_edit, recorder):  # type: ignore[no-untyped-def]
    pressed_enter: list[str] = []
    line_edit.returnPressed.connect(lambda: pressed_enter.append(line_edit.text()))
    keyboard = StampedKeyboard()

    keyboard.type(line_edit, "P1AB", 50)  # the start of a card, then Enter: not a card
    keyboard.enter(line_edit, 50)

    assert pressed_enter == ["P1AB"]
    assert recorder.scanned == []
    assert recorder.garbled == []


def test_fast_garbage_burst_with_enter_is_still_a_scan_for_the_card_check(qtbot, line_edit, recorder):  # type: ignore[no-untyped-def]
    keyboard = StampedKeyboard()

    keyboard.type(line_edit, "9780140449136", 5)  # a book's barcode
    keyboard.enter(line_edit, 5)

    assert recorder.scanned == ["9780140449136"]
    assert line_edit.text() == ""


def test_fast_garbage_burst_without_a_suffix_is_garbled(qtbot, line_edit, recorder):  # type: ignore[no-untyped-def]
    keyboard = StampedKeyboard()

    keyboard.type(line_edit, "9780140449136", 5)

    qtbot.waitUntil(lambda: recorder.garbled == ["9780140449136"], timeout=2000)
    assert recorder.scanned == []
    assert line_edit.text() == ""


def test_the_running_listener_can_be_found_for_the_scanner_test(listener):  # type: ignore[no-untyped-def]
    assert ScanListener.installed() is listener


def test_a_listener_installed_for_a_moment_hands_back_to_the_running_one(qapp, listener):  # type: ignore[no-untyped-def]
    passing = ScanListener()
    passing.install(qapp)
    assert ScanListener.installed() is passing

    passing.uninstall(qapp)

    assert ScanListener.installed() is listener


def test_quick_keys_rolled_over_into_tab_are_typing_and_move_on(qtbot, recorder):  # type: ignore[no-untyped-def]
    host = QWidget()
    qtbot.addWidget(host)
    first, second = QLineEdit(host), QLineEdit(host)
    layout = QVBoxLayout(host)
    layout.addWidget(first)
    layout.addWidget(second)
    host.show()
    host.activateWindow()
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)
    keyboard = StampedKeyboard()

    keyboard.type(first, "Jo", 20)
    keyboard.tab(first, 20)

    assert first.text() == "Jo"
    assert second.hasFocus()
    assert recorder.scanned == [] and recorder.garbled == []
