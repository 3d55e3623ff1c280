"""The phone log's form starts from what is most likely: now, and the person signed in."""

from __future__ import annotations

from kiosk.services.directory import list_directory
from kiosk.services.staff import list_staff
from tests.factories import make_directory_entry, make_receptionist
from ui.components.calls.phone_log import PhoneLogPanel


def test_phone_log_when_is_the_time_the_log_is_opened_not_when_the_desk_started(
    desk_panel, ctx, clock, manager
) -> None:
    panel = desk_panel(PhoneLogPanel, manager)
    assert panel.called_at.text() == "Tue 24 Nov 2026 08:40"
    panel.hide()
    clock.advance(hours=2, minutes=25)
    panel.show()
    assert panel.called_at.text() == "Tue 24 Nov 2026 11:05"


def test_phone_log_keeps_a_time_typed_by_hand_when_opened_again(
    desk_panel, qtbot, clock, manager
) -> None:
    panel = desk_panel(PhoneLogPanel, manager)
    panel.called_at.setTime(panel.called_at.time().addSecs(-3600))
    panel.hide()
    clock.advance(minutes=10)
    panel.show()
    assert panel.called_at.text() == "Tue 24 Nov 2026 07:40"


def test_phone_log_made_by_is_the_signed_in_member_of_staff(desk_panel, ctx, manager) -> None:
    make_directory_entry(ctx, manager, name="Dr Aaron Abbott")  # first in any sorted list
    desk = make_receptionist(ctx, manager, name="Mrs Rhian Bevan")
    panel = desk_panel(PhoneLogPanel, desk)
    assert panel.staff.currentText() == "Mrs Rhian Bevan"


def test_staff_lists_are_sorted_by_surname_not_by_title(desk_panel, ctx, manager) -> None:
    for name in ("Mrs Carys Zephaniah", "Dr Łucja Nowak", "Mr Tom Baker", "Miss Ama Owusu"):
        make_directory_entry(ctx, manager, name=name)
    expected = ["Tom Baker", "Ada Manager", "Łucja Nowak", "Ama Owusu", "Carys Zephaniah"]
    assert [e.name.split(" ", 1)[1] for e in list_directory(ctx)] == expected
    assert [s.name.split(" ", 1)[1] for s in list_staff(ctx)] == expected
    panel = desk_panel(PhoneLogPanel, manager)
    shown = [panel.staff.itemText(i).split(" ", 1)[1] for i in range(panel.staff.count())]
    assert shown == expected
