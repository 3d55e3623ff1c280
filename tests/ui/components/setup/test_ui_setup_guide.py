"""A new school from first start to printed cards without the command line, and the desk's
Import page: a preview first, nothing written until Import."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from kiosk.codes.pupil_card import verify_pupil_card
from kiosk.config import describe_database
from kiosk.context import KioskContext
from kiosk.rows.people import Actor
from kiosk.services import pupils
from kiosk.services.school import get_school
from kiosk.startup import open_kiosk
from tests.ui.test_end_to_end import decode_cards
from ui.application import start
from ui.ask import ScriptedAsker
from ui.components.desk.lock_screen import LockScreen
from ui.components.setup.imports import ImportPanel

DATA = Path(__file__).resolve().parents[3] / "data"


def test_a_new_school_goes_from_first_start_to_printed_cards_at_the_desk(
    qtbot, tmp_path: Path
) -> None:
    url = f"sqlite:///{(tmp_path / 'school.db').as_posix()}"
    cards_pdf = tmp_path / "cards.pdf"
    asker = ScriptedAsker(str(DATA / "broken_rows.csv"), str(cards_pdf))
    app = start(url, QApplication.instance(), asker, return_after_ms=60_000)
    qtbot.addWidget(app.desk)
    qtbot.addWidget(app.face)
    app.show()
    guide = app.desk.setup_guide
    assert app.desk.stack.currentWidget() is guide, "a new database opens on the guide"
    assert guide.school_name.text() == "", "the placeholder name is not offered as the name"

    # Step 1: the school's name. Step 2: the first manager, signed in at once.
    guide.school_name.setText("Riverside Academy")
    guide.next_button.click()
    assert guide.step() == 1
    guide.manager_name.setText("Mrs Amina Khan")
    guide.new_pin.setText("4826")
    guide.new_pin_again.setText("4826")
    guide.next_button.click()
    assert guide.step() == 2
    assert app.face.school.text() == "Riverside Academy"
    assert app.desk.windowTitle() == "Reception Kiosk — Riverside Academy"

    # Step 3: pupils. The preview names what will happen and writes nothing.
    box = guide.imports[0]
    box.choose_button.click()
    qtbot.waitUntil(lambda: box.preview() is not None, timeout=20_000)
    preview = box.preview()
    assert preview is not None
    assert box.summary.text() == f"Preview, nothing imported yet: {preview.summary()}"
    assert preview.added > 0 and preview.rejected > 0
    assert box.rejected.rowCount() == preview.rejected
    assert box.rejected.item(0, 0).text() == str(preview.problems[0].line)
    assert box.rejected.item(0, 1).text() == preview.problems[0].reason
    assert box.to_change.item(0, 2).text() == "Amara Okafor"
    assert pupils.pupils_for_cards(app.ctx) == []

    box.import_button.click()
    qtbot.waitUntil(lambda: not box.is_busy(), timeout=20_000)
    assert box.summary.text().startswith("Imported: ")
    on_roll = pupils.pupils_for_cards(app.ctx)
    assert len(on_roll) == preview.added

    # Contacts and staff can wait; then the cards, saved as a PDF.
    guide.next_button.click()
    guide.skip_button.click()
    guide.skip_button.click()
    assert guide.step() == 5
    assert guide.cards.count.text().startswith(f"{len(on_roll)} pupils match")
    with qtbot.waitSignal(guide.cards.sig_job_done, timeout=60_000):
        guide.cards.save_button.click()
    assert guide.cards.status.text() == f"{len(on_roll)} cards saved to {cards_pdf}."

    codes = decode_cards(cards_pdf)
    assert len(codes) == len(on_roll)
    card_ids = {
        verify_pupil_card(app.ctx.card_key, app.ctx.card_code, code).pupil_id for code in codes
    }
    assert card_ids == {pupil.id for pupil in on_roll}

    guide.next_button.click()
    assert app.desk.workspace.isVisible()
    assert app.desk.actor() is not None and app.desk.actor().name == "Mrs Amina Khan"
    app.close()

    reopened = open_kiosk(url)
    try:
        assert get_school(reopened).name == "Riverside Academy"
    finally:
        reopened.close()


def test_the_guide_will_not_go_on_without_a_school_name_or_matching_pins(
    qtbot, tmp_path: Path
) -> None:
    url = f"sqlite:///{(tmp_path / 'school.db').as_posix()}"
    app = start(url, QApplication.instance(), ScriptedAsker(), return_after_ms=60_000)
    qtbot.addWidget(app.desk)
    qtbot.addWidget(app.face)
    guide = app.desk.setup_guide

    guide.next_button.click()
    assert guide.step() == 0
    assert guide.feedback.text().startswith("Type the school's name")
    assert not guide.skip_button.isVisibleTo(guide), "the first steps cannot be skipped"

    guide.school_name.setText("Riverside Academy")
    guide.next_button.click()
    guide.manager_name.setText("Mrs Amina Khan")
    guide.new_pin.setText("4826")
    guide.new_pin_again.setText("4862")
    guide.next_button.click()

    assert guide.step() == 1
    assert guide.feedback.text() == "The two PINs are not the same. Type the same PIN twice."
    assert guide.manager() is None
    assert app.face.school.text() != "Riverside Academy", "named only with a manager"
    app.close()


def test_import_page_previews_the_staff_file_and_imports_only_on_request(
    qtbot, desk_panel, ctx: KioskContext, manager: Actor, tmp_path: Path
) -> None:
    csv = tmp_path / "staff.csv"
    csv.write_text(
        "Title,Forename,Surname,Email\nMrs,Amina,Khan,a.khan@school.example\n,,,x@y.example\n",
        encoding="utf-8",
    )
    panel = desk_panel(ImportPanel, manager, ScriptedAsker(str(csv)))
    assert ImportPanel.manager_only
    box = panel.show_kind("staff")
    changed = []
    panel.sig_changed.connect(changed.append)

    box.choose_button.click()
    qtbot.waitUntil(lambda: box.preview() is not None, timeout=20_000)
    assert box.summary.text() == (
        "Preview, nothing imported yet: 2 rows: 1 added, 0 updated, 0 unchanged, 1 rejected."
    )
    assert box.rejected.item(0, 0).text() == "3"
    assert changed == []

    with qtbot.waitSignal(box.sig_imported, timeout=20_000):
        box.import_button.click()
    assert box.summary.text() == ("Imported: 2 rows: 1 added, 0 updated, 0 unchanged, 1 rejected.")
    assert len(changed) == 1
    assert not box.import_button.isEnabled(), "the same file is not imported twice by mistake"


def test_an_unreadable_file_says_why_and_offers_no_import(
    qtbot, desk_panel, manager: Actor
) -> None:
    panel = desk_panel(ImportPanel, manager, ScriptedAsker(str(DATA / "missing_year_column.csv")))
    box = panel.show_kind("pupils")

    box.choose_button.click()
    qtbot.waitUntil(lambda: not box.is_busy(), timeout=20_000)

    assert "has no column for the year group" in box.status.text()
    assert "Nothing has been imported" in box.status.text()
    assert not box.import_button.isEnabled()


def test_the_demo_lock_screen_says_where_its_database_is(qtbot, ctx: KioskContext) -> None:
    from tests.factories import make_manager

    make_manager(ctx)
    lock = LockScreen(ctx, demo=True)
    qtbot.addWidget(lock)

    shown = lock.demo_line.text().replace("\u200b", "")  # breaks allowed after each folder
    assert shown.endswith(f"Database: {describe_database(ctx.db.url)}")
    assert lock.demo_line.toolTip() == describe_database(ctx.db.url)


def test_a_big_pupil_file_imports_off_the_gui_thread_with_the_bar_filling(
    qtbot, desk_panel, ctx: KioskContext, manager: Actor, tmp_path: Path
) -> None:
    csv = tmp_path / "pupils.csv"
    rows = "".join(f"A{n:05d},Pupil{n},Surname{n},8,8{'ABC'[n % 3]}\n" for n in range(600))
    csv.write_text("Admission number,Forename,Surname,Year,Form\n" + rows, encoding="utf-8")
    panel = desk_panel(ImportPanel, manager, ScriptedAsker(str(csv)))
    box = panel.show_kind("pupils")
    box.choose_button.click()
    qtbot.waitUntil(lambda: box.preview() is not None, timeout=30_000)
    assert box.to_change_label.text() == "To be added or updated (the first 200; 400 more)"
    values: list[int] = []
    box.progress.valueChanged.connect(values.append)

    with qtbot.waitSignal(box.sig_imported, timeout=60_000):
        box.import_button.click()
        assert box.progress.isVisible() and box.is_busy()

    assert values[-1] == box.progress.maximum() == 1200  # 600 rows read, 600 pupils recorded
    assert len(pupils.pupils_for_cards(ctx)) == 600
