"""Settings at the desk: managers change them, receptionists see them read-only."""

from __future__ import annotations

from datetime import time

import pytest

import ui.components.desk.settings as settings_module
from kiosk.context import KioskContext
from kiosk.errors import NotAllowed
from kiosk.rows.people import Actor
from kiosk.rows.school import ReleaseWindowRow
from kiosk.services import custody, school, staff
from kiosk.services.calendar import school_calendar
from ui.ask import ScriptedAsker
from ui.components.desk.settings import READ_ONLY_LINE, SettingsPanel
from ui.models.settings_models import ReceptacleModel, ReleaseWindowModel, StaffModel


def test_receptionist_sees_settings_read_only(
    desk_panel, ctx: KioskContext, receptionist: Actor
) -> None:  # type: ignore[no-untyped-def]
    panel = desk_panel(SettingsPanel, receptionist)
    assert panel.read_only.isVisible()
    assert panel.read_only.text() == READ_ONLY_LINE
    assert not panel.add_receptacle_button.isEnabled()
    assert not panel.add_staff_button.isEnabled()
    assert not panel.school_name.isEnabled()
    assert panel.save_printer_button.isEnabled()  # anyone signed in chooses the printer
    assert panel.receptacle_model.rowCount() == 1


def test_receptionist_cannot_add_a_receptacle(
    desk_panel, ctx: KioskContext, receptionist: Actor
) -> None:  # type: ignore[no-untyped-def]
    asker = ScriptedAsker()
    panel = desk_panel(SettingsPanel, receptionist, asker)
    panel.receptacle_name.setText("Tray B")
    # Even if the button were reachable, the service refuses and says why.
    panel.add_receptacle_button.setEnabled(True)

    panel.add_receptacle_button.click()

    assert asker.asked == [("error", "Receptacles", "Only a manager can change receptacles.")]
    assert [r.name for r in custody.receptacles(ctx)] == ["Office tray"]


def test_manager_adds_a_receptacle(desk_panel, qtbot, ctx: KioskContext, manager: Actor) -> None:  # type: ignore[no-untyped-def]
    panel = desk_panel(SettingsPanel, manager)
    assert not panel.read_only.isVisible()
    panel.receptacle_name.setText("Tray B")
    panel.receptacle_capacity.setValue(120)
    panel.receptacle_years.setText("10, 11")

    with qtbot.waitSignal(panel.sig_changed):
        panel.add_receptacle_button.click()

    added = custody.receptacles(ctx)[-1]
    assert (added.name, added.capacity, added.year_groups) == ("Tray B", 120, "10, 11")
    model = panel.receptacle_model
    assert [model.data(model.index(1, c)) for c in range(3)] == ["Tray B", "120", "Years 10, 11"]


def test_manager_edits_a_receptacle(desk_panel, ctx: KioskContext, manager: Actor) -> None:  # type: ignore[no-untyped-def]
    panel = desk_panel(SettingsPanel, manager)
    panel.receptacle_table.selectRow(0)
    assert panel.receptacle_name.text() == "Office tray"
    panel.receptacle_name.setText("Tray A")
    panel.receptacle_capacity.setValue(90)

    panel.save_receptacle_button.click()

    (only,) = custody.receptacles(ctx)
    assert (only.name, only.capacity) == ("Tray A", 90)


def release_windows(ctx: KioskContext) -> list[ReleaseWindowRow]:
    return list(school_calendar(ctx).release_windows)


def test_manager_adds_and_removes_a_release_window(
    desk_panel, ctx: KioskContext, manager: Actor
) -> None:  # type: ignore[no-untyped-def]
    panel = desk_panel(SettingsPanel, manager, ScriptedAsker(True))
    before = len(release_windows(ctx))
    panel.window_day.setCurrentIndex(2)  # Wednesday
    panel.window_from.setTime(panel.window_from.time().fromString("12:30", "HH:mm"))
    panel.window_to.setTime(panel.window_to.time().fromString("13:10", "HH:mm"))
    panel.window_label.setText("Lunch for Year 11 trip")

    panel.add_window_button.click()

    windows = release_windows(ctx)
    assert len(windows) == before + 1
    added = next(w for w in windows if w.label == "Lunch for Year 11 trip")
    assert (added.weekday, added.starts, added.ends) == (2, time(12, 30), time(13, 10))

    row = next(
        r for r in range(panel.window_model.rowCount()) if panel.window_model.row_at(r) == added
    )
    panel.window_table.selectRow(row)
    panel.remove_window_button.click()
    assert added not in release_windows(ctx)


def test_manager_adds_a_member_of_staff_who_can_sign_in(
    desk_panel, ctx: KioskContext, manager: Actor
) -> None:  # type: ignore[no-untyped-def]
    panel = desk_panel(SettingsPanel, manager)
    panel.staff_name.setText("Mrs Siân O'Connor")
    panel.staff_role.setCurrentIndex(0)
    panel.staff_pin.setText("8642")

    panel.add_staff_button.click()

    added = next(s for s in staff.list_staff(ctx) if s.name == "Mrs Siân O'Connor")
    assert staff.sign_in(ctx, added.id, "8642").role == "receptionist"
    assert panel.staff_pin.text() == ""


def test_set_pin_asks_twice_and_a_mismatch_changes_nothing(
    desk_panel,
    ctx: KioskContext,
    manager: Actor,
    receptionist: Actor,  # type: ignore[no-untyped-def]
) -> None:
    asker = ScriptedAsker("1111", "2222", "5555", "5555")
    panel = desk_panel(SettingsPanel, manager, asker)
    row = next(
        r
        for r in range(panel.staff_model.rowCount())
        if panel.staff_model.row_at(r).id == receptionist.staff_id
    )
    panel.staff_table.selectRow(row)

    panel.set_pin_button.click()
    assert asker.asked[-1] == (
        "error",
        "Set PIN",
        "The two PINs were not the same; nothing changed.",
    )
    assert staff.sign_in(ctx, receptionist.staff_id, "1357").name == "Mr Ben Desk"

    panel.set_pin_button.click()
    assert staff.sign_in(ctx, receptionist.staff_id, "5555").name == "Mr Ben Desk"


def test_school_name_and_permission_years_are_saved(
    desk_panel, ctx: KioskContext, manager: Actor
) -> None:  # type: ignore[no-untyped-def]
    panel = desk_panel(SettingsPanel, manager)
    panel.school_name.setText("Ysgol Gymraeg & Friends")
    panel.permission_years.setText("5, 6")

    panel.save_school_button.click()

    saved = school.get_school(ctx)
    assert (saved.name, saved.permission_years) == ("Ysgol Gymraeg & Friends", "5,6")


def test_printer_choice_is_stored(
    desk_panel, ctx: KioskContext, receptionist: Actor, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(settings_module, "available_printers", lambda: ["Office A4", "Staffroom"])
    panel = desk_panel(SettingsPanel, receptionist)
    panel.printer.setCurrentIndex(panel.printer.findData("Staffroom"))

    panel.save_printer_button.click()

    assert school.get_school(ctx).printer_a4 == "Staffroom"
    assert panel.printer.currentText() == "Staffroom"


def test_a_stored_printer_that_has_gone_is_still_shown(
    desk_panel,
    ctx: KioskContext,
    manager: Actor,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setattr(settings_module, "available_printers", lambda: [])
    school.update_school(ctx, manager, printer_a4="Old LaserJet")
    panel = desk_panel(SettingsPanel, manager)
    assert panel.printer.currentText() == "Old LaserJet (not found on this computer)"


@pytest.mark.parametrize("model_class", [ReceptacleModel, ReleaseWindowModel, StaffModel])
def test_settings_models_pass_the_model_tester(
    qtmodeltester,
    ctx: KioskContext,
    manager: Actor,
    model_class,  # type: ignore[no-untyped-def]
) -> None:
    rows = {
        ReceptacleModel: custody.receptacles(ctx),
        ReleaseWindowModel: release_windows(ctx),
        StaffModel: staff.list_staff(ctx),
    }[model_class]
    model = model_class()
    model.set_rows(rows)
    assert model.rowCount() > 0
    qtmodeltester.check(model)


def _lock_out(ctx: KioskContext, staff_id: int) -> None:
    for _ in range(staff.LOCK_AFTER):
        with pytest.raises(NotAllowed):
            staff.sign_in(ctx, staff_id, "9999")


def test_manager_sees_who_is_pin_locked_and_clears_the_lock(
    desk_panel,
    ctx: KioskContext,
    manager: Actor,
    receptionist: Actor,  # type: ignore[no-untyped-def]
) -> None:
    _lock_out(ctx, receptionist.staff_id)
    asker = ScriptedAsker()
    panel = desk_panel(SettingsPanel, manager, asker)
    assert panel.pin_locks_line.isVisible()
    assert panel.pin_locks_line.text() == (
        "PIN locked after too many wrong PINs: Mr Ben Desk (until 08:40 today)."
    )
    row = next(
        r
        for r in range(panel.staff_model.rowCount())
        if panel.staff_model.row_at(r).id == receptionist.staff_id
    )
    panel.staff_table.selectRow(row)

    panel.clear_pin_lock_button.click()

    assert asker.asked[-1] == (
        "info",
        "Clear PIN lock",
        "Mr Ben Desk's PIN lock is cleared; they can sign in now.",
    )
    assert staff.sign_in(ctx, receptionist.staff_id, "1357") == receptionist
    panel.refresh()
    assert not panel.pin_locks_line.isVisible()


def test_receptionist_cannot_clear_a_pin_lock(
    desk_panel,
    ctx: KioskContext,
    manager: Actor,
    receptionist: Actor,  # type: ignore[no-untyped-def]
) -> None:
    _lock_out(ctx, manager.staff_id)
    asker = ScriptedAsker()
    panel = desk_panel(SettingsPanel, receptionist, asker)
    assert not panel.clear_pin_lock_button.isEnabled()
    panel.staff_table.selectRow(0)
    panel.clear_pin_lock_button.setEnabled(True)  # even if it were reachable

    panel.clear_pin_lock_button.click()

    assert asker.asked[-1] == ("error", "Clear PIN lock", "Only a manager can clear a PIN lock.")
    assert [lock.locked for lock in staff.pin_locks(ctx)] == [True]


def test_manager_marks_a_receptionist_as_left_and_they_can_no_longer_sign_in(
    desk_panel, ctx: KioskContext, manager: Actor, receptionist: Actor
) -> None:  # type: ignore[no-untyped-def]
    asker = ScriptedAsker(True)
    panel = desk_panel(SettingsPanel, manager, asker)
    row = next(
        r
        for r in range(panel.staff_model.rowCount())
        if panel.staff_model.row_at(r).id == receptionist.staff_id
    )
    panel.staff_table.selectRow(row)

    panel.mark_left_button.click()

    assert asker.asked[-1][0] == "confirm" and "Mr Ben Desk" in asker.asked[-1][2]
    assert receptionist.name not in [s.name for s in staff.list_staff(ctx)]
    with pytest.raises(NotAllowed):
        staff.sign_in(ctx, receptionist.staff_id or 0, "1357")


def test_receptionist_cannot_press_mark_as_left(
    desk_panel, ctx: KioskContext, manager: Actor, receptionist: Actor
) -> None:  # type: ignore[no-untyped-def]
    panel = desk_panel(SettingsPanel, receptionist)
    assert not panel.mark_left_button.isEnabled()


def test_badge_printer_is_chosen_in_settings_beside_the_a4_printer(
    desk_panel, ctx: KioskContext, receptionist: Actor, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from kiosk.services.visitors import visitor_settings

    monkeypatch.setattr(settings_module, "available_printers", lambda: ["Office A4", "Labels"])
    panel = desk_panel(SettingsPanel, receptionist)
    panel.printer.setCurrentIndex(panel.printer.findData("Office A4"))
    panel.badge_printer.setCurrentIndex(panel.badge_printer.findData("Labels"))

    panel.save_printer_button.click()

    assert school.get_school(ctx).printer_a4 == "Office A4"
    assert visitor_settings(ctx).badge_printer == "Labels"
    assert (panel.printer.currentText(), panel.badge_printer.currentText()) == (
        "Office A4",
        "Labels",
    )


def test_staff_who_use_the_desk_lists_only_desk_users_and_a_teacher_is_given_a_pin(
    desk_panel,
    ctx: KioskContext,
    manager: Actor,
    receptionist: Actor,  # type: ignore[no-untyped-def]
) -> None:
    from tests.factories import make_teacher

    teacher = make_teacher(ctx, manager, name="Mr Dylan Price")
    asker = ScriptedAsker("Mr Dylan Price", "8642", "8642")
    panel = desk_panel(SettingsPanel, manager, asker)
    listed = [panel.staff_model.row_at(r).name for r in range(panel.staff_model.rowCount())]
    assert listed == ["Mr Ben Desk", "Ms Ada Manager"]
    assert "No PIN yet" not in {
        panel.staff_model.index(r, 2).data() for r in range(panel.staff_model.rowCount())
    }

    panel.give_pin_button.click()

    assert asker.asked[0] == ("choice", "Give a PIN", "Who should be able to sign in at the desk?")
    assert asker.asked[-1] == (
        "info",
        "Set PIN",
        "Mr Dylan Price can now sign in at the desk with this PIN.",
    )
    assert staff.sign_in(ctx, teacher.id, "8642").name == "Mr Dylan Price"
    listed = [panel.staff_model.row_at(r).name for r in range(panel.staff_model.rowCount())]
    assert listed == ["Mr Ben Desk", "Ms Ada Manager", "Mr Dylan Price"]
    assert not panel.give_pin_button.isEnabled()  # no one left without a PIN
