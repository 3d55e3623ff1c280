"""The permissions and exemptions register at the desk: add, change, end, due for review."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt

from kiosk.services import arrangements, pupils
from tests.factories import make_pupil
from ui.ask import ScriptedAsker
from ui.components.custody.exemptions import DUE, ArrangementsPanel


@pytest.fixture
def zoe_id(ctx) -> int:  # type: ignore[no-untyped-def]
    return make_pupil(ctx, forename="Zoë", surname="Adebayo", year_group="6", form="6R").id


def test_adding_an_exemption_puts_it_in_the_register_and_on_the_pupil(
    desk_panel, qtbot, ctx, receptionist, zoe_id
) -> None:  # type: ignore[no-untyped-def]
    panel = desk_panel(ArrangementsPanel, receptionist, size=(1200, 700))
    panel.add_button.click()
    editor = panel.editor
    qtbot.keyClicks(editor.picker.search, "Zo")
    qtbot.keyClick(editor.picker.search, Qt.Key.Key_Return)
    assert editor.picker.chosen.text() == "Zoë Adebayo · Form 6R"
    editor.kind.setCurrentIndex(editor.kind.findData("exemption"))
    editor.title.setText("Medical monitoring")
    editor.conditions.setPlainText("Phone on silent for glucose alerts")
    editor.agreed_by.setText("Headteacher & SENCo")
    editor.starts.setDate(QDate(2026, 9, 3))
    editor.has_review.setChecked(True)
    editor.review.setDate(QDate(2026, 12, 1))
    with qtbot.waitSignal(panel.sig_changed):
        editor.save_button.click()

    assert panel.model.rowCount() == 1
    entry = panel.model.row_at(0)
    assert (entry.title, entry.agreed_by, entry.review_on) == (
        "Medical monitoring",
        "Headteacher & SENCo",
        date(2026, 12, 1),
    )
    assert panel.model.needs_attention(entry)  # review within two weeks
    assert pupils.arrangements_for(ctx, zoe_id)[0].title == "Medical monitoring"
    panel.filter.setCurrentText(DUE)
    assert panel.model.rowCount() == 1


def test_ending_an_arrangement_asks_first_and_records_the_date(
    desk_panel, ctx, receptionist, zoe_id
) -> None:  # type: ignore[no-untyped-def]
    arrangements.add_arrangement(
        ctx,
        receptionist,
        zoe_id,
        kind="permission",
        title="Walks home alone",
        starts_on=date(2026, 9, 3),
    )
    asker = ScriptedAsker(True)
    panel = desk_panel(ArrangementsPanel, receptionist, asker, size=(1200, 700))
    panel.table.selectRow(0)
    panel.end_button.click()
    assert asker.asked[0][0] == "confirm"
    assert panel.message.text() == "Ended “Walks home alone” for Zoë Adebayo."
    assert pupils.arrangements_for(ctx, zoe_id)[0].title == "Walks home alone"  # ends today
    assert arrangements.register(ctx)[0].ends_on == date(2026, 11, 24)


def test_saving_without_a_pupil_is_refused(desk_panel, ctx, receptionist) -> None:  # type: ignore[no-untyped-def]
    asker = ScriptedAsker()
    panel = desk_panel(ArrangementsPanel, receptionist, asker, size=(1200, 700))
    panel.add_button.click()
    panel.editor.title.setText("Young carer")
    panel.editor.save_button.click()
    assert asker.asked == [("error", "Register", "Choose the pupil first.")]
    assert arrangements.register(ctx) == []
