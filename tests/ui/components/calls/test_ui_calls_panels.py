"""The Staff (directory and mail server) and Phone log tabs at the desk."""

from __future__ import annotations

import csv
from datetime import date

from PySide6.QtCore import Qt

from kiosk.services.directory import list_directory, save_entry
from kiosk.services.mail import smtp_settings
from kiosk.services.phone_log import calls_between
from tests.conftest import TEST_PIN
from tests.factories import make_directory_entry, make_pupil
from ui.ask import ScriptedAsker
from ui.components.calendar.school_day import SchoolDayPanel
from ui.components.calls.directory import DirectoryPanel
from ui.components.calls.phone_log import PhoneLogPanel


def test_directory_adds_and_edits_people_exactly_as_typed(desk_panel, ctx, manager) -> None:
    panel = desk_panel(DirectoryPanel, manager)
    panel.edit_entry(None)
    panel.fields["name"].setText("Mr Nguyễn Văn An <Maths> & co")
    panel.fields["pigeonhole"].setText("22")
    panel.fields["email"].setText("nva@school.example")
    saved = panel.save_entry()
    assert saved is not None
    names = [row[0].name for row in panel.model.rows()]
    assert "Mr Nguyễn Văn An <Maths> & co" in names
    panel.fields["extension"].setText("201")
    panel.save_entry()
    assert next(e for e in list_directory(ctx) if e.id == saved.id).extension == "201"


def test_directory_refuses_a_mobile_with_letters(desk_panel, ctx, manager) -> None:
    asker = ScriptedAsker()
    panel = desk_panel(DirectoryPanel, manager, asker)
    panel.fields["name"].setText("Ms B")
    panel.fields["mobile"].setText("07700 ABC")
    assert panel.save_entry() is None
    assert "only have digits" in asker.asked[-1][2]


def test_directory_imports_a_csv_and_reports_rejected_lines(
    desk_panel, ctx, manager, tmp_path
) -> None:
    path = tmp_path / "staff.csv"
    path.write_text("Name,Email\nMs A,a@school.example\nMs B,nope\n", encoding="utf-8")
    asker = ScriptedAsker(str(path))
    panel = desk_panel(DirectoryPanel, manager, asker)
    panel.import_csv()
    kind, title, text = asker.asked[-1]
    assert (kind, title) == ("info", "Staff imported")
    assert "1 added" in text and "Line 3:" in text


def test_mail_server_settings_are_saved_by_a_manager_only(
    desk_panel, ctx, manager, receptionist
) -> None:
    asker = ScriptedAsker()
    panel = desk_panel(DirectoryPanel, receptionist, asker)
    panel.host.setText("smtp.school.example")
    panel.from_address.setText("office@school.example")
    assert not panel.save_mail_settings()
    assert "Only a manager" in asker.asked[-1][2]
    panel = desk_panel(DirectoryPanel, manager)
    panel.host.setText("smtp.school.example")
    panel.port.setValue(587)
    panel.from_address.setText("office@school.example")
    panel.password.setText("s3cret")
    assert panel.save_mail_settings()
    settings = smtp_settings(ctx)
    assert settings.host == "smtp.school.example" and settings.has_password
    assert panel.password.text() == ""


def test_phone_log_records_a_parent_call_and_exports_it(
    desk_panel, qtbot, ctx, manager, tmp_path
) -> None:
    teacher = make_directory_entry(ctx, manager)
    make_pupil(ctx, forename="Siobhán", surname="Kelly", form="9K")
    out = tmp_path / "calls.csv"
    asker = ScriptedAsker(str(out))
    panel = desk_panel(PhoneLogPanel, manager, asker)
    panel.staff.setCurrentIndex(panel.staff.findData(teacher.id))
    qtbot.keyClicks(panel.picker.search, "siob")
    qtbot.keyClick(panel.picker.search, Qt.Key.Key_Return)
    assert panel.picker.chosen.text() == "Siobhán Kelly (9K)"
    panel.contact.setText("Mrs Kelly (mother)")
    panel.number.setText("01632 960 777")
    panel.purpose.setPlainText("Phone confiscated in Science")
    panel.outcome.setPlainText("Will collect at 15:30")
    saved = panel.save_call()
    assert saved is not None and saved.pupil_name == "Siobhán Kelly"
    assert [c.contact for c in panel.model.rows()] == ["Mrs Kelly (mother)"]

    assert panel.export() == 1
    with out.open(encoding="utf-8-sig", newline="") as fh:
        [row] = list(csv.DictReader(fh))
    assert row["Pupil"] == "Siobhán Kelly" and row["Phone used"] == "School landline"


def test_phone_log_refuses_a_personal_phone_without_permission(desk_panel, ctx, manager) -> None:
    asker = ScriptedAsker()
    panel = desk_panel(PhoneLogPanel, manager, asker)
    panel.staff.setCurrentIndex(panel.staff.findData(manager.staff_id))
    panel.contact.setText("Dad")
    panel.phone.setCurrentIndex(panel.phone.findData("personal"))
    panel.withheld.setChecked(True)
    panel.purpose.setPlainText("From home")
    assert panel.save_call() is None
    assert "permitted" in asker.asked[-1][2]
    assert calls_between(ctx, date(2026, 11, 1), date(2026, 11, 30)) == []


def test_visits_tab_saves_a_visit_with_staff_and_saves_the_sheet_when_printing_fails(
    desk_panel, ctx, manager, tmp_path
) -> None:
    from ui.components.calls.trips import VisitsPanel

    lead = save_entry(ctx, manager, name="Ms Siobhán Kelly", mobile="07700 900001")
    teacher = save_entry(ctx, manager, name="Mr Łukasz Wiśniewski")
    target = tmp_path / "sheet.pdf"
    asker = ScriptedAsker(True, str(target))  # save instead? yes; where
    panel = desk_panel(VisitsPanel, manager, asker)
    panel.destination.setText("Science Museum")
    panel.leaves.setText("09:15")
    panel.lead.setCurrentIndex(panel.lead.findData(lead.id))
    assert panel.lead_mobile.text() == "07700 900001"
    panel.set_attending({teacher.id})
    saved = panel.save_visit()
    assert saved is not None
    assert [v.destination for v in panel.model.rows()] == ["Science Museum"]
    assert "Mr Łukasz Wiśniewski" in dict(saved.attending).values()

    panel.table.selectRow(0)
    # No printer is chosen: nothing printed, but the sheet is saved where asked.
    assert not panel.print_selected()
    assert target.read_bytes().startswith(b"%PDF")
    assert asker.asked[0][:2] == ("confirm", "Not printed")
    assert asker.asked[0][2].startswith("No A4 printer is chosen yet.")


def test_visits_tab_refuses_a_bad_time(desk_panel, ctx, manager) -> None:
    from ui.components.calls.trips import VisitsPanel

    save_entry(ctx, manager, name="Ms Lead", mobile="07700 900001")
    asker = ScriptedAsker()
    panel = desk_panel(VisitsPanel, manager, asker)
    panel.destination.setText("Zoo")
    panel.lead.setCurrentIndex(1)
    panel.lead_mobile.setText("07700 900001")
    panel.returns.setText("half three")
    assert panel.save_visit() is None
    assert "time such as 08:45" in asker.asked[-1][2]


def test_school_day_tab_changes_a_days_breaks_and_the_next_break_follows(
    desk_panel, ctx, manager
) -> None:
    from datetime import time

    asker = ScriptedAsker()
    panel = desk_panel(SchoolDayPanel, manager, asker)
    assert panel.weekday.currentText() == "Tuesday"
    assert panel.table.rowCount() == 9
    assert "held until Break at 11:00." in panel.next_break.text()

    panel.table.setRowCount(0)
    panel.add_row("Lesson 1", "period", time(8, 40), time(10, 0))
    panel.add_row("Early break", "break", time(10, 0), time(10, 15))
    assert panel.save_day()
    assert "held until Early break at 10:00." in panel.next_break.text()

    panel.add_row("Broken", "lunch")
    panel.table.item(2, 2).setText("noonish")
    assert not panel.save_day()
    assert "Row 3: write the start as a time" in asker.asked[-1][2]


def test_school_day_tab_adds_a_closure_day(desk_panel, ctx, manager) -> None:
    from PySide6.QtCore import QDate

    panel = desk_panel(SchoolDayPanel, manager)
    panel.closure_day.setDate(QDate(2026, 11, 24))
    panel.closure_reason.setText("Snow")
    assert panel.add_closure()
    assert panel.closures.item(0).text() == "Tue 24 Nov 2026  Snow"
    assert panel.next_break.text() == (
        "Messages that can wait taken now are held until Break at 11:00 tomorrow."
    )


def test_directory_says_a_managers_email_needs_their_pin_and_asks_for_it(
    desk_panel, ctx, manager, receptionist
) -> None:
    save_entry(
        ctx, manager, staff_id=manager.staff_id, name=manager.name, email="ada@school.example"
    )
    asker = ScriptedAsker(TEST_PIN)
    panel = desk_panel(DirectoryPanel, receptionist, asker)
    panel.edit_entry(manager.staff_id)
    # Said before anything is typed; the fields stay open because a PIN will do.
    assert panel.routing_hint.isVisible()
    assert f"needs {manager.name}'s own PIN" in panel.routing_hint.text()
    assert not panel.fields["email"].isReadOnly()
    panel.fields["email"].setText("ada.new@school.example")
    assert panel.save_entry() is not None
    assert asker.asked[0][0] == "secret" and manager.name in asker.asked[0][2]
    assert next(e for e in list_directory(ctx) if e.id == manager.staff_id).email == (
        "ada.new@school.example"
    )


def test_directory_without_their_pin_saves_nothing(desk_panel, ctx, manager, receptionist) -> None:
    save_entry(
        ctx, manager, staff_id=manager.staff_id, name=manager.name, email="ada@school.example"
    )
    asker = ScriptedAsker(None)  # the manager is not there to type it
    panel = desk_panel(DirectoryPanel, receptionist, asker)
    panel.edit_entry(manager.staff_id)
    panel.fields["email"].setText("someone@elsewhere.example")
    assert panel.save_entry() is None
    assert "needs their PIN" in panel.message.text()
    assert next(e for e in list_directory(ctx) if e.id == manager.staff_id).email == (
        "ada@school.example"
    )


def test_directory_shows_routing_fields_read_only_when_only_a_manager_may_change_them(
    desk_panel, ctx, manager, receptionist
) -> None:
    teacher = make_directory_entry(ctx, manager, name="Ms Tia O'Brien", email="tia@school.example")
    panel = desk_panel(DirectoryPanel, receptionist)
    panel.edit_entry(teacher.id)
    assert panel.fields["email"].isReadOnly() and panel.fields["mobile"].isReadOnly()
    assert not panel.fields["pigeonhole"].isReadOnly()
    assert "Only a manager can change Ms Tia O'Brien's email" in panel.routing_hint.text()
    # A manager sees the same person with every field open and nothing to explain.
    panel = desk_panel(DirectoryPanel, manager)
    panel.edit_entry(teacher.id)
    assert not panel.fields["email"].isReadOnly()
    assert not panel.routing_hint.isVisible()


def test_no_mail_server_message_names_the_page_and_box_where_it_is_set(desk_panel, manager) -> None:
    from PySide6.QtWidgets import QGroupBox

    from kiosk.services.mail import NO_MAIL_SERVER

    panel = desk_panel(DirectoryPanel, manager)
    boxes = [box.title() for box in panel.findChildren(QGroupBox)]
    named = [title for title in boxes if f"\u201c{title}\u201d" in NO_MAIL_SERVER]
    assert named == ["Email for telephone messages"]
    assert f"the {panel.title} page" in NO_MAIL_SERVER
    assert "Settings" not in NO_MAIL_SERVER
