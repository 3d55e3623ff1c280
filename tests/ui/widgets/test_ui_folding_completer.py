"""The staff picker's completer offers names however they are typed: accents and letters
such as Ł and Ø folded, any word, any case."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from ui.widgets.folding_completer import FoldingCompleter

STAFF = ["Mr Łukasz Nowak", "Ms Seán O'Brien", "Mrs Øydis Hall", "Mr Tom Hall"]


def _picker(qtbot) -> tuple[QComboBox, FoldingCompleter]:  # type: ignore[no-untyped-def]
    combo = QComboBox()
    combo.setEditable(True)
    combo.addItems(STAFF)
    completer = FoldingCompleter(STAFF, combo)
    combo.setCompleter(completer)
    combo.setEditText("")
    qtbot.addWidget(combo)
    combo.show()
    return combo, completer


def test_typing_plain_letters_offers_the_names_with_accents(qtbot) -> None:
    combo, completer = _picker(qtbot)
    qtbot.keyClicks(combo.lineEdit(), "lukasz")
    assert completer.offered() == ["Mr Łukasz Nowak"]
    assert completer.completionCount() == 1
    combo.lineEdit().clear()
    qtbot.keyClicks(combo.lineEdit(), "sean ob")
    assert completer.offered() == ["Ms Seán O'Brien"]
    combo.lineEdit().clear()
    qtbot.keyClicks(combo.lineEdit(), "HALL")
    assert completer.offered() == ["Mrs Øydis Hall", "Mr Tom Hall"]


def test_choosing_an_offered_name_fills_the_picker(qtbot) -> None:
    combo, completer = _picker(qtbot)
    qtbot.keyClicks(combo.lineEdit(), "oydis")
    popup = completer.popup()
    assert popup.isVisible()
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert combo.currentText() == "Mrs Øydis Hall"
