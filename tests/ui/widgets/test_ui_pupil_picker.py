"""The pupil picker: one search after typing pauses, Enter at once, choosing emits the row."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.errors import KioskError
from kiosk.rows.people import PupilRow
from ui.widgets.pupil_picker import NO_PUPIL_YET, SEARCH_DELAY_MS, PupilPicker

ZOE = PupilRow(1, "B000000000001", "Zoë", "Adebayo", "9", "9B", 1, "on_roll")
ZAC = PupilRow(2, "B000000000002", "Zac", "Young", "7", "7Y", 1, "on_roll")


class FakeSearch:
    """Answers every search with the same pupils and remembers what was asked."""

    def __init__(self, found: Sequence[PupilRow] = (ZOE, ZAC)) -> None:
        self.found = tuple(found)
        self.asked: list[str] = []

    def __call__(self, text: str) -> Sequence[PupilRow]:
        self.asked.append(text)
        return self.found


def make_picker(qtbot: QtBot, search: FakeSearch, **options: object) -> PupilPicker:
    picker = PupilPicker(search, describe=lambda p: f"{p.name} · Form {p.form}", **options)  # type: ignore[arg-type]
    qtbot.addWidget(picker)
    picker.resize(400, 300)
    picker.show()
    return picker


def test_typing_runs_one_search_after_the_pause_not_one_per_key(qtbot: QtBot) -> None:
    search = FakeSearch()
    picker = make_picker(qtbot, search)

    qtbot.keyClicks(picker.search, "Adeb")

    assert search.asked == []  # nothing yet: the typist has not paused
    qtbot.waitUntil(lambda: picker.results_model.rowCount() == 2)
    qtbot.wait(SEARCH_DELAY_MS * 2)
    assert search.asked == ["Adeb"]


def test_enter_searches_at_once_and_chooses_the_first_match(qtbot: QtBot) -> None:
    search = FakeSearch()
    picker = make_picker(qtbot, search)
    qtbot.keyClicks(picker.search, "Zo")

    with qtbot.waitSignal(picker.sig_chosen, timeout=100) as chosen:
        qtbot.keyClick(picker.search, Qt.Key.Key_Return)

    assert search.asked == ["Zo"]
    assert chosen.args == [ZOE]
    assert picker.pupil() == ZOE
    assert picker.chosen.text() == "Zoë Adebayo · Form 9B"


def test_clicking_a_result_emits_that_pupil(qtbot: QtBot) -> None:
    picker = make_picker(qtbot, FakeSearch())
    picker.search.setText("Z")
    picker.search_now()
    second = picker.results_model.index(1, 0)

    with qtbot.waitSignal(picker.sig_chosen) as chosen:
        qtbot.mouseClick(
            picker.results.viewport(),
            Qt.MouseButton.LeftButton,
            pos=picker.results.visualRect(second).center(),
        )

    assert chosen.args == [ZAC]
    assert picker.chosen.text() == "Zac Young · Form 7Y"


def test_down_moves_into_the_results_and_up_goes_back(qtbot: QtBot) -> None:
    picker = make_picker(qtbot, FakeSearch())
    picker.activateWindow()
    picker.search.setFocus()
    qtbot.waitUntil(picker.search.hasFocus)
    qtbot.keyClicks(picker.search, "Z")

    qtbot.keyClick(picker.search, Qt.Key.Key_Down)  # searches at once, no need to wait
    qtbot.waitUntil(picker.results.hasFocus)
    assert picker.results.currentIndex().row() == 0
    qtbot.keyClick(picker.results, Qt.Key.Key_Up)
    qtbot.waitUntil(picker.search.hasFocus)


def test_clear_lets_the_pupil_go_and_says_so(qtbot: QtBot) -> None:
    picker = make_picker(qtbot, FakeSearch())
    picker.set_pupil(ZOE)

    with qtbot.waitSignal(picker.sig_cleared):
        picker.clear()

    assert picker.pupil() is None
    assert picker.chosen.text() == NO_PUPIL_YET
    assert picker.search.text() == ""
    assert picker.results_model.rowCount() == 0


def test_set_pupil_shows_the_pupil_without_a_signal(qtbot: QtBot) -> None:
    picker = make_picker(qtbot, FakeSearch())

    with qtbot.assertNotEmitted(picker.sig_chosen):
        picker.set_pupil(ZAC)

    assert picker.chosen.text() == "Zac Young · Form 7Y"


def test_a_card_code_is_not_searched_and_enter_hands_it_over(qtbot: QtBot) -> None:
    search = FakeSearch()
    picker = make_picker(qtbot, search, is_code=lambda text: text.startswith("RK1"))
    qtbot.keyClicks(picker.search, "RK1ABC")

    with qtbot.waitSignal(picker.sig_code_entered) as entered:
        qtbot.keyClick(picker.search, Qt.Key.Key_Return)

    qtbot.wait(SEARCH_DELAY_MS * 2)
    assert entered.args == ["RK1ABC"]
    assert search.asked == []


def test_a_failed_search_says_why_in_the_hint(qtbot: QtBot) -> None:
    def refuse(text: str) -> Sequence[PupilRow]:
        raise KioskError("The database is busy. Try again.")

    picker = PupilPicker(refuse, show_hint=True)
    qtbot.addWidget(picker)
    picker.search.setText("Zo")
    picker.search_now()

    assert picker.hint.text() == "The database is busy. Try again."
    assert picker.results_model.rowCount() == 0


def test_the_hint_counts_matches_and_says_when_there_may_be_more(qtbot: QtBot) -> None:
    picker = PupilPicker(FakeSearch(), show_hint=True, most=2)
    qtbot.addWidget(picker)
    picker.search.setText("Z")
    picker.search_now()

    assert picker.hint.text() == (
        "2 matches (the first 2 — type more to narrow). Down arrow to choose, Enter to open."
    )
