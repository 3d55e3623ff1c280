"""The desk board: receptacles as grids of slots, coloured by state, updated after scans."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument

from kiosk.context import KioskContext
from kiosk.rows.people import Actor, PupilRow
from kiosk.services import custody, pupils, school
from tests.factories import make_pupil
from ui.ask import ScriptedAsker
from ui.components.custody.board import COMPACT, GRID, BoardView
from ui.components.custody.end_of_day import EndOfDayPanel
from ui.components.custody.pupils import PupilPanel
from ui.components.desk.workspace import DeskWorkspace

AWKWARD_SURNAME = "& < > \" ' 📱"


def scan(ctx: KioskContext, pupil: PupilRow):  # type: ignore[no-untyped-def]
    return custody.scan_card(ctx, pupils.card_payload(ctx, pupil))


def tooltip_text(html: str) -> str:
    document = QTextDocument()
    document.setHtml(html)
    return document.toPlainText()


@pytest.fixture
def board(desk_panel, receptionist: Actor) -> BoardView:  # type: ignore[no-untyped-def]
    return desk_panel(BoardView, receptionist, size=(1280, 800))


def test_scanned_phone_appears_in_its_slot_as_held(board: BoardView, ctx: KioskContext) -> None:
    zoe = make_pupil(ctx, forename="Zoë", surname="Adebayo")
    outcome = scan(ctx, zoe)

    board.refresh()

    tile = board.tile(outcome.receptacle, outcome.slot)
    assert tile.state == "held"
    assert tile.property("state") == "held"
    assert tile.pupil_name == "Zoë Adebayo"
    assert tile.form == "9B"
    assert "Zoë Adebayo" in tooltip_text(tile.toolTip())
    assert "08:40 today" in tooltip_text(tile.toolTip())
    assert board.grids()[0].title.text() == "Office tray · 1 of 60 in use"
    assert board.tile(outcome.receptacle, outcome.slot + 1).state == "empty"


def test_phone_without_permission_on_file_is_flagged(
    board: BoardView, ctx: KioskContext, manager: Actor
) -> None:
    school.update_school(ctx, manager, permission_years="7")
    pupil = make_pupil(ctx, forename="Łukasz", surname="Nowak", year_group="7", form="7A")

    outcome = scan(ctx, pupil)
    board.refresh()

    tile = board.tile(outcome.receptacle, outcome.slot)
    assert tile.state == "flagged"
    assert "No permission on file" in tooltip_text(tile.toolTip())
    assert "1 without permission on file" in board.summary.text()


def test_phone_held_since_before_today_is_overdue(
    board: BoardView, ctx: KioskContext, clock
) -> None:  # type: ignore[no-untyped-def]
    outcome = scan(ctx, make_pupil(ctx, forename="Siobhán", surname="Ní Bhriain"))
    clock.advance(days=1)

    board.refresh()

    assert board.tile(outcome.receptacle, outcome.slot).state == "overdue"
    assert "1 since before today" in board.summary.text()


def test_collected_phone_empties_its_tile(
    board: BoardView, ctx: KioskContext, receptionist: Actor
) -> None:
    pupil = make_pupil(ctx, forename="Dafydd", surname="ap Gruffudd")
    outcome = scan(ctx, pupil)
    board.refresh()

    custody.release_phone(ctx, receptionist, pupil.id, "Medical appointment")
    board.refresh()

    tile = board.tile(outcome.receptacle, outcome.slot)
    assert tile.state == "empty"
    assert tile.pupil_name == ""


def test_phone_in_the_safe_is_listed_under_the_grids(
    board: BoardView, ctx: KioskContext, receptionist: Actor
) -> None:
    pupil = make_pupil(ctx, forename="Nguyễn", surname="Văn An")
    outcome = scan(ctx, pupil)
    custody.record_outcome(ctx, receptionist, outcome.custody_id, "safe")

    board.grid_button.click()
    board.refresh()

    assert board.elsewhere.isVisible()
    assert "Elsewhere:" in board.elsewhere.text()
    assert "Safe — Nguyễn Văn An (9B)" in board.elsewhere.text()
    assert board.tile(outcome.receptacle, outcome.slot).state == "empty"


def test_names_with_markup_characters_show_literally(board: BoardView, ctx: KioskContext) -> None:
    pupil = make_pupil(ctx, forename="<b>Zoë</b>", surname=AWKWARD_SURNAME)
    outcome = scan(ctx, pupil)

    board.refresh()

    tile = board.tile(outcome.receptacle, outcome.slot)
    assert tile.pupil_name == f"<b>Zoë</b> {AWKWARD_SURNAME}"
    assert f"<b>Zoë</b> {AWKWARD_SURNAME}" in tooltip_text(tile.toolTip())


def test_refresh_keeps_the_same_tiles(board: BoardView, ctx: KioskContext) -> None:
    before = list(board.grids()[0].field.tiles)
    outcome = scan(ctx, make_pupil(ctx, forename="Amara", surname="Okafor"))

    board.refresh()

    after = board.grids()[0].field.tiles
    assert after == before
    assert after[outcome.slot - 1].state == "held"


def test_new_receptacle_gets_its_own_grid(
    board: BoardView, ctx: KioskContext, manager: Actor
) -> None:
    custody.save_receptacle(ctx, manager, name="Tray B", capacity=12, year_groups="10,11")

    board.refresh()

    titles = [grid.title.text() for grid in board.grids()]
    assert titles == ["Office tray · 0 of 60 in use", "Tray B · 0 of 12 in use · Years 10, 11"]
    assert len(board.grids()[1].field.tiles) == 12


def test_clicking_a_held_tile_shows_that_pupil(
    qtbot, ctx: KioskContext, receptionist: Actor
) -> None:  # type: ignore[no-untyped-def]
    pupil = make_pupil(ctx, forename="Zoë", surname="O'Brien")
    outcome = scan(ctx, pupil)
    workspace = DeskWorkspace(ctx, lambda: receptionist, ScriptedAsker())
    qtbot.addWidget(workspace)
    workspace.resize(1280, 800)
    workspace.show()
    workspace.show_panel(BoardView)
    assert workspace.current_panel() is workspace.panel(BoardView)

    tile = workspace.panel(BoardView).tile(outcome.receptacle, outcome.slot)
    qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)

    pupil_panel = workspace.panel(PupilPanel)
    assert workspace.current_panel() is pupil_panel
    assert pupil_panel.name.text() == "Zoë O'Brien"
    assert pupil_panel.phone.text().startswith(f"Held in {outcome.place}")


def test_workspace_refresh_reloads_the_tab_in_view_and_others_when_shown(
    qtbot,
    ctx: KioskContext,
    receptionist: Actor,  # type: ignore[no-untyped-def]
) -> None:
    workspace = DeskWorkspace(ctx, lambda: receptionist, ScriptedAsker())
    qtbot.addWidget(workspace)
    workspace.show_panel(BoardView)
    workspace.refresh()
    outcome = scan(ctx, make_pupil(ctx, forename="Zoë", surname="Adebayo"))

    workspace.refresh()
    assert workspace.panel(BoardView).tile(outcome.receptacle, outcome.slot).state == "held"
    assert workspace.panel(EndOfDayPanel).phones() == ()  # not shown yet, so not reloaded

    workspace.show_panel(EndOfDayPanel)
    assert [p.pupil.name for p in workspace.panel(EndOfDayPanel).phones()] == ["Zoë Adebayo"]


def test_held_count_counts_every_phone(board: BoardView, ctx: KioskContext, clock) -> None:  # type: ignore[no-untyped-def]
    for n in range(3):
        scan(ctx, make_pupil(ctx, forename=f"Pupil{n}", surname="Example"))
        clock.advance(minutes=1)
    board.refresh()
    assert board.summary.text().startswith("3 phones held")
    assert board.grids()[0].title.text() == "Office tray · 3 of 60 in use"


# --- the compact view --------------------------------------------------------------------


def held_list(board: BoardView) -> list[tuple[str, str, str]]:
    model = board.compact.model
    return [
        (model.index(r, 0).data(), model.index(r, 1).data(), model.index(r, 2).data())
        for r in range(model.rowCount())
    ]


def test_compact_view_of_a_400_slot_school_fits_a_1280x720_desk(
    qtbot, ctx: KioskContext, manager: Actor, receptionist: Actor
) -> None:
    from ui.screens.desk_window import DeskWindow

    [office] = custody.receptacles(ctx)
    custody.save_receptacle(ctx, manager, name="Office tray", capacity=40, receptacle_id=office.id)
    for letter in "ABCDEFGHI":
        custody.save_receptacle(ctx, manager, name=f"Tray {letter}", capacity=40)
    assert sum(r.capacity for r in custody.receptacles(ctx)) == 400
    for index in range(12):
        scan(ctx, make_pupil(ctx, forename=f"Pupil{index:02}", surname="Example"))
    desk = DeskWindow(ctx, ScriptedAsker())
    qtbot.addWidget(desk)
    desk.resize(1280, 720)
    desk.show()
    desk.unlock(receptionist)
    board = desk.workspace.show_panel(BoardView)
    qtbot.wait(1)

    assert board.view() == COMPACT
    assert board.compact.sizeHint().height() <= board.views.height()
    assert board.compact.bars_area.verticalScrollBar().maximum() == 0  # every bar in view
    assert board.compact.bar_texts()[:2] == [("Office tray", "12 of 40"), ("Tray A", "0 of 40")]
    assert len(board.compact.bar_texts()) == 10
    assert board.compact.model.rowCount() == 12


def test_compact_view_lists_only_occupied_slots_in_board_order(
    board: BoardView, ctx: KioskContext, manager: Actor, receptionist: Actor
) -> None:
    custody.save_receptacle(ctx, manager, name="Lower school box", capacity=30, year_groups="7,8")
    first, second, third = (
        make_pupil(ctx, forename=name, surname="Ortiz") for name in ("Ana", "Ben", "Cy")
    )
    seventh = make_pupil(ctx, forename="Dee", surname="Osei", year_group="7")
    scan(ctx, seventh)
    for pupil in (first, second, third):
        scan(ctx, pupil)
    custody.release_phone(ctx, receptionist, second.id, "Medical appointment")
    safe = scan(ctx, make_pupil(ctx, forename="Eve", surname="Obi"))
    custody.record_outcome(ctx, receptionist, safe.custody_id, "safe")

    board.refresh()

    assert held_list(board) == [
        ("Office tray", "1", "Ana Ortiz"),
        ("Office tray", "3", "Cy Ortiz"),
        ("Lower school box", "1", "Dee Osei"),
        ("Safe", "—", "Eve Obi"),
    ]
    assert board.compact.bar_texts() == [
        ("Office tray", "2 of 60"),
        ("Lower school box (Years 7, 8)", "1 of 30"),
    ]


def test_the_grid_is_one_click_away_and_the_choice_is_remembered(
    board: BoardView, desk_panel, ctx: KioskContext, receptionist: Actor
) -> None:
    scan(ctx, make_pupil(ctx))
    board.refresh()
    assert board.view() == COMPACT and board.compact.isVisible()

    board.grid_button.click()

    assert board.view() == GRID
    assert board.grids()[0].isVisible() and not board.compact.isVisible()
    again = desk_panel(BoardView, receptionist)
    assert again.view() == GRID and again.grid_button.isChecked()
    again.compact_button.click()
    assert desk_panel(BoardView, receptionist).view() == COMPACT


def test_opening_a_row_of_the_compact_list_shows_that_pupil(
    board: BoardView, ctx: KioskContext
) -> None:
    pupil = make_pupil(ctx)
    scan(ctx, pupil)
    board.refresh()
    chosen: list[int] = []
    board.sig_pupil_chosen.connect(chosen.append)
    board.compact.table.activated.emit(board.compact.model.index(0, 2))
    assert chosen == [pupil.id]
