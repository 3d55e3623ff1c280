"""Shortened text always says so and keeps the whole in its tooltip; tables give the room
to their text-heavy column."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ui.models.row_table import Column, RowTableModel
from ui.widgets.elided import ElidedButton
from ui.widgets.tables import AttentionTableView

MESSAGE = "08:50 Yusuf Ahmed (9A) scanned again, already in Tray B · slot 22"


def test_long_header_message_ends_in_ellipsis_with_the_whole_in_its_tooltip(qtbot) -> None:  # type: ignore[no-untyped-def]
    button = ElidedButton()
    qtbot.addWidget(button)
    button.set_full_text(MESSAGE, "Returned at the end of the day")
    button.resize(200, 40)
    button.show()
    assert button.text().endswith("…")
    assert button.toolTip().splitlines() == [MESSAGE, "Returned at the end of the day"]
    button.resize(900, 40)
    assert button.text() == MESSAGE
    assert button.toolTip() == "Returned at the end of the day"
    assert button.full_text() == MESSAGE


@dataclass(frozen=True)
class Note:
    who: str
    note: str
    added_by: str


class NotesModel(RowTableModel[Note]):
    columns = (
        Column("Name", lambda n: n.who),
        Column("Note", lambda n: n.note, stretch=True),
        Column("Added by", lambda n: n.added_by),
    )


def test_the_note_takes_the_width_and_a_short_column_fits_its_contents(qtbot) -> None:  # type: ignore[no-untyped-def]
    model = NotesModel()
    model.set_rows(
        [Note("Mr Dean Hollis", "Court order: not to collect any pupil. " * 3, "Ms Ada")]
    )
    table = AttentionTableView()
    qtbot.addWidget(table)
    table.setModel(model)
    table.resize(700, 200)
    table.show()
    table.fit_columns()
    QApplication.processEvents()
    widths = [table.columnWidth(c) for c in range(3)]
    assert widths[1] > widths[0] and widths[1] > widths[2]
    assert sum(widths) <= table.viewport().width() + 1
    assert "Court order" in model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)
