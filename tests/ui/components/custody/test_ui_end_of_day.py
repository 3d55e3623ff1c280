"""The end-of-day panel: every phone not yet collected, and an outcome recorded for each."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from kiosk.context import KioskContext
from kiosk.rows.people import Actor, PupilRow
from kiosk.services import custody
from tests.conftest import LONDON
from tests.factories import make_pupil
from ui.ask import ScriptedAsker
from ui.components.custody.end_of_day import EndOfDayPanel
from ui.models.held_model import HeldPhonesModel
from ui.models.row_table import ATTENTION_ROLE

AFTER_CLOSING = datetime(2026, 11, 24, 16, 45, tzinfo=LONDON)
IN_RELEASE_WINDOW = datetime(2026, 11, 24, 15, 20, tzinfo=LONDON)


@pytest.fixture
def two_phones(ctx: KioskContext, clock, receptionist: Actor) -> list[PupilRow]:  # type: ignore[no-untyped-def]
    first = make_pupil(ctx, forename="Siobhán", surname="Kelly", year_group="10", form="10C")
    second = make_pupil(ctx, forename="Łukasz", surname="Nowak", year_group="10", form="10C")
    custody.hand_in_for_pupil(ctx, receptionist, first.id)
    clock.advance(minutes=10)
    custody.hand_in_for_pupil(ctx, receptionist, second.id)
    return [first, second]


def names(panel: EndOfDayPanel) -> list[str]:
    return [phone.pupil.name for phone in panel.phones()]


def test_lists_phones_oldest_first_with_closing_time(
    desk_panel,
    ctx: KioskContext,
    two_phones: list[PupilRow],
    receptionist: Actor,  # type: ignore[no-untyped-def]
) -> None:
    panel = desk_panel(EndOfDayPanel, receptionist)
    assert panel.closing.text() == "School closes at 15:30 today."
    assert names(panel) == ["Siobhán Kelly", "Łukasz Nowak"]
    assert panel.count.text() == "2 phones still held; 2 without an outcome today"
    model = panel.model
    assert model.data(model.index(0, 2)) == "Office tray · slot 1"
    assert model.data(model.index(0, 3)) == "08:40 today"


def test_safe_outcome_moves_phone_out_of_its_slot_and_keeps_it_listed(
    desk_panel,
    qtbot,
    ctx: KioskContext,
    clock,
    two_phones: list[PupilRow],
    receptionist: Actor,  # type: ignore[no-untyped-def]
) -> None:
    clock.set(AFTER_CLOSING)
    panel = desk_panel(EndOfDayPanel, receptionist)
    panel.table.selectRow(0)

    with qtbot.waitSignal(panel.sig_changed):
        panel.safe_button.click()

    held = custody.held_for_pupil(ctx, two_phones[0].id)
    assert held is not None
    assert (held.receptacle, held.slot, held.location) == (None, None, "Safe")
    assert [o.outcome for o in held.outcomes] == ["safe"]
    # In the order the trays are walked: phones in their slots, then those moved out.
    assert names(panel) == ["Łukasz Nowak", "Siobhán Kelly"]
    assert panel.model.data(panel.model.index(1, 2)) == "Safe"
    assert panel.count.text() == "2 phones still held; 1 without an outcome today"
    assert panel.message.text() == "Recorded “Kept in the safe overnight” for 1 phone."


def test_outcome_is_recorded_for_every_chosen_phone(
    desk_panel,
    ctx: KioskContext,
    clock,
    two_phones: list[PupilRow],
    receptionist: Actor,  # type: ignore[no-untyped-def]
) -> None:
    clock.set(AFTER_CLOSING)
    panel = desk_panel(EndOfDayPanel, receptionist)
    panel.table.selectAll()

    panel.called_button.click()

    for pupil in two_phones:
        held = custody.held_for_pupil(ctx, pupil.id)
        assert held is not None and [o.outcome for o in held.outcomes] == ["parent_called"]
    assert panel.count.text() == "2 phones still held; 0 without an outcome today"


def test_phone_without_an_outcome_after_closing_is_highlighted(
    desk_panel,
    ctx: KioskContext,
    clock,
    two_phones: list[PupilRow],
    receptionist: Actor,  # type: ignore[no-untyped-def]
) -> None:
    panel = desk_panel(EndOfDayPanel, receptionist)
    model = panel.model
    assert not model.data(model.index(0, 0), ATTENTION_ROLE)  # before closing: not yet

    clock.set(AFTER_CLOSING)
    custody.record_outcome(ctx, receptionist, panel.phones()[1].custody_id, "parent_called")
    panel.refresh()

    assert panel.closing.text() == "School closed at 15:30 today."
    assert model.data(model.index(0, 0), ATTENTION_ROLE) is True
    assert model.data(model.index(0, 4)) == "None yet — needs one"
    assert model.data(model.index(1, 0), ATTENTION_ROLE) is False
    assert model.data(model.index(1, 4)).startswith("Parent or carer called (16:45 today)")


def test_phone_still_held_next_day_stays_listed_and_needs_a_new_outcome(
    desk_panel,
    ctx: KioskContext,
    clock,
    two_phones: list[PupilRow],
    receptionist: Actor,  # type: ignore[no-untyped-def]
) -> None:
    clock.set(AFTER_CLOSING)
    panel = desk_panel(EndOfDayPanel, receptionist)
    panel.table.selectAll()
    panel.safe_button.click()

    clock.set(AFTER_CLOSING + timedelta(days=1))
    panel.refresh()

    assert names(panel) == ["Siobhán Kelly", "Łukasz Nowak"]
    assert panel.model.data(panel.model.index(0, 3)) == "08:40 yesterday"
    assert panel.model.data(panel.model.index(0, 0), ATTENTION_ROLE) is True


def test_other_outcome_needs_a_note(
    desk_panel,
    ctx: KioskContext,
    clock,
    two_phones: list[PupilRow],
    receptionist: Actor,  # type: ignore[no-untyped-def]
) -> None:
    clock.set(AFTER_CLOSING)
    asker = ScriptedAsker("", "Aunt collected it; ID seen")
    panel = desk_panel(EndOfDayPanel, receptionist, asker)
    panel.table.selectRow(1)

    panel.other_button.click()
    assert asker.asked[-1] == (
        "error",
        "End of day",
        "Łukasz Nowak: Say what happened in the note.",
    )

    panel.other_button.click()
    held = custody.held_for_pupil(ctx, two_phones[1].id)
    assert held is not None
    assert [(o.outcome, o.note) for o in held.outcomes] == [("other", "Aunt collected it; ID seen")]


def test_release_now_in_the_window_removes_the_phone_from_the_list(
    desk_panel,
    ctx: KioskContext,
    clock,
    two_phones: list[PupilRow],
    receptionist: Actor,  # type: ignore[no-untyped-def]
) -> None:
    clock.set(IN_RELEASE_WINDOW)
    panel = desk_panel(EndOfDayPanel, receptionist, ScriptedAsker(True))
    panel.table.selectRow(0)

    panel.release_button.click()

    assert custody.held_for_pupil(ctx, two_phones[0].id) is None
    assert names(panel) == ["Łukasz Nowak"]
    assert (
        panel.message.text() == "Released: give Siobhán Kelly the phone from Office tray · slot 1."
    )


def test_release_needs_exactly_one_phone_chosen(
    desk_panel,
    ctx: KioskContext,
    two_phones: list[PupilRow],
    receptionist: Actor,  # type: ignore[no-untyped-def]
) -> None:
    panel = desk_panel(EndOfDayPanel, receptionist)
    assert not panel.safe_button.isEnabled()
    panel.table.selectAll()
    assert panel.safe_button.isEnabled()
    assert not panel.release_button.isEnabled()


def test_held_phones_model_passes_the_model_tester(
    qtmodeltester,
    ctx: KioskContext,
    two_phones: list[PupilRow],  # type: ignore[no-untyped-def]
) -> None:
    model = HeldPhonesModel(ctx.timezone)
    closing, phones = custody.end_of_day(ctx)
    model.set_phones(phones, now=ctx.clock(), closing=closing)
    qtmodeltester.check(model)
