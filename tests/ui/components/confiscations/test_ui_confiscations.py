"""The Confiscations tab driven like a receptionist and a manager would: take a device in,
hold it for the DSL, release it to a listed parent with a signature; refusals on the way."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kiosk.context import KioskContext
from kiosk.exports.custody import export_custody
from kiosk.persistence.models import ConfiscationRelease
from kiosk.rows.people import Actor, PupilRow
from kiosk.scanning.keystrokes import GERMAN_QWERTZ
from kiosk.scanning.words import wrong_layout
from kiosk.services import alerts, audit, contacts, pupils
from kiosk.services import confiscations as conf
from kiosk.signatures import NOT_A_SIGNATURE
from tests.conftest import LONDON, TEST_PIN
from tests.factories import make_pupil, make_teacher, pupil_with_y_or_z
from tests.keyboard import german_typed
from tests.ui.signing import sign_pad
from ui.ask import ScriptedAsker
from ui.components.confiscations.forms import NOT_CONFIRMED, SOMEONE_ELSE
from ui.components.confiscations.panel import RELEASE, ConfiscationsPanel


class Desk:
    """Who is signed in; the test changes it as people take turns at the desk."""

    def __init__(self, actor: Actor | None) -> None:
        self.actor = actor

    def __call__(self) -> Actor | None:
        return self.actor


@pytest.fixture
def zoe(ctx: KioskContext) -> PupilRow:
    return make_pupil(ctx, forename="Zoë", surname="Adebayo")


@pytest.fixture
def teacher(ctx: KioskContext, manager: Actor) -> Actor:
    row = make_teacher(ctx, manager)
    return Actor(row.id, row.name, "receptionist")


def sign(panel: ConfiscationsPanel) -> None:
    sign_pad(panel.release_form.signature)


def test_confiscate_escalate_and_release_to_a_listed_parent(
    desk_panel, qtbot, ctx, clock, zoe, manager, receptionist, teacher, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    mother = contacts.add_contact(
        ctx, receptionist, zoe.id, name="Ama Adebayo", relationship="Mother"
    )
    contacts.verify_contact(ctx, manager, mother.id, TEST_PIN)
    desk = Desk(receptionist)
    asker = ScriptedAsker("Video of a fight on the field")
    panel = desk_panel(ConfiscationsPanel, desk, asker)

    # The receptionist takes the device in: type-ahead for the pupil and the teacher.
    panel.new_button.click()
    form = panel.form
    qtbot.keyClicks(form.picker.search, "Adeb")
    qtbot.keyClick(form.picker.search, "\r")
    assert form.picker.chosen.text() == "Zoë Adebayo · Year 9 · Form 9B"
    assert form.repeat.text() == "First confiscation this term."
    form.device.setText("Black iPhone, cracked case")
    form.reason.setCurrentIndex(form.reason.findData("recording"))
    form.choose_staff("Ms Tia O'Brien")
    form.place.setCurrentText("Safe")
    form.bag.setText("0042")
    with qtbot.waitSignal(panel.sig_changed):
        form.save_button.click()

    assert panel.model.rowCount() == 1
    assert panel.name.text() == "Zoë Adebayo · Black iPhone, cracked case"
    assert panel.status.text() == "Held at the office · Safe · bag 0042"
    assert panel.message.text() == "Recorded. Put the device in Safe · bag 0042."
    assert panel.history.lines()[0].startswith("Tue 24 Nov 2026 08:40 | Taken in | Mr Ben Desk")

    # A concern about the content: the receptionist holds it for the DSL...
    panel.dsl_button.click()
    assert panel.status.text() == "Held for the DSL · Safe · bag 0042"
    assert panel.model.needs_attention(panel.model.row_at(0))

    # ...and can no longer release it.
    clock.advance(minutes=400)
    panel.release_button.click()
    assert panel.stack.currentIndex() == RELEASE
    assert panel.release_form.collector.currentText() == "Ama Adebayo (Mother)"
    sign(panel)
    panel.release_form.id_checked.setChecked(True)
    panel.release_form.release_button.click()
    kind, title, text = asker.asked[-1]
    assert (kind, title) == ("error", "Release device")
    assert text.startswith("This device is held for the DSL: only a manager can release it.")
    with ctx.db.read() as s:
        assert s.query(ConfiscationRelease).count() == 0

    # The manager signs in and releases it to the listed mother, who signs.
    desk.actor = manager
    with qtbot.waitSignal(panel.sig_changed):
        panel.release_form.release_button.click()

    row = conf.get_confiscation(ctx, panel.current.id)
    assert row.status == "released"
    assert row.release is not None
    assert (row.release.collector_name, row.release.relationship) == ("Ama Adebayo", "Mother")
    assert row.release.id_checked and row.release.listed_contact
    assert row.release.signature_png.startswith(b"\x89PNG")
    assert panel.model.rowCount() == 0
    assert panel.message.text() == "Released to Ama Adebayo."
    assert [line.split(" | ")[1] for line in panel.history.lines()] == [
        "Taken in",
        "Held for the DSL",
        "Released",
    ]

    out = tmp_path / "custody.csv"
    today = clock().astimezone(LONDON).date()
    assert export_custody(ctx, today, today, out) == 3
    with out.open(encoding="utf-8-sig", newline="") as fh:
        lines = list(csv.DictReader(fh))
    assert [(line["What happened"], line["By"]) for line in lines] == [
        ("Taken in", "Mr Ben Desk"),
        ("Held for the DSL", "Mr Ben Desk"),
        ("Released", "Ms Ada Manager"),
    ]
    actions = [e.action for e in audit.recent_entries(ctx, entity="confiscation")]
    assert actions == ["release", "hold_for_dsl", "confiscate"]


def test_release_without_a_signature_is_refused(
    desk_panel, ctx, zoe, receptionist, teacher
) -> None:  # type: ignore[no-untyped-def]
    contacts.add_contact(ctx, receptionist, zoe.id, name="Ama Adebayo", relationship="Mother")
    row = conf.confiscate(
        ctx,
        receptionist,
        zoe.id,
        device="Phone",
        reason="lesson",
        confiscated_by=teacher.staff_id,
        location="Office",
    )
    asker = ScriptedAsker()
    panel = desk_panel(ConfiscationsPanel, Desk(receptionist), asker)
    panel.show_confiscation(row.id)
    panel.release_button.click()
    panel.release_form.release_button.click()
    assert asker.asked == [
        ("error", "Release device", "Ask the person collecting the device to sign first.")
    ]
    assert conf.get_confiscation(ctx, row.id).status == "held"


def test_release_with_only_a_dot_for_a_signature_is_refused(
    desk_panel, qtbot, ctx, zoe, receptionist, teacher
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QPoint, Qt

    contacts.add_contact(ctx, receptionist, zoe.id, name="Ama Adebayo", relationship="Mother")
    row = conf.confiscate(
        ctx,
        receptionist,
        zoe.id,
        device="Phone",
        reason="lesson",
        confiscated_by=teacher.staff_id,
        location="Office",
    )
    asker = ScriptedAsker()
    panel = desk_panel(ConfiscationsPanel, Desk(receptionist), asker)
    panel.show_confiscation(row.id)
    panel.release_button.click()
    pad = panel.release_form.signature
    qtbot.mouseClick(pad.canvas, Qt.MouseButton.LeftButton, pos=QPoint(40, 40))
    assert pad.hint_label.text().startswith("Please sign your name")
    panel.release_form.release_button.click()
    assert asker.asked == [("error", "Release device", NOT_A_SIGNATURE)]
    assert conf.get_confiscation(ctx, row.id).status == "held"


def test_someone_not_listed_needs_a_manager_pin_and_the_override_is_recorded(
    desk_panel, qtbot, ctx, zoe, manager, receptionist, teacher
) -> None:  # type: ignore[no-untyped-def]
    row = conf.confiscate(
        ctx,
        receptionist,
        zoe.id,
        device="Phone",
        reason="lesson",
        confiscated_by=teacher.staff_id,
        location="Office",
    )
    asker = ScriptedAsker(TEST_PIN, "Mother rang ahead")
    panel = desk_panel(ConfiscationsPanel, Desk(receptionist), asker)
    panel.show_confiscation(row.id)
    panel.release_button.click()
    form = panel.release_form
    assert form.collector.currentText() == SOMEONE_ELSE
    assert form.warning.text().startswith("This pupil has no contact on file who may collect")
    form.name.setText("Gran <Nana> & Co")
    form.relationship.setText("Grandmother")
    sign(panel)
    with qtbot.waitSignal(panel.sig_changed):
        form.release_button.click()

    assert asker.asked[0][0:2] == ("secret", "Manager's PIN needed")
    assert asker.asked[0][2].startswith(
        "Gran <Nana> & Co is not listed as a parent or carer who may collect for Zoë Adebayo."
    )
    released = conf.get_confiscation(ctx, row.id)
    assert released.release is not None
    assert released.release.override_by == "Ms Ada Manager"
    assert released.release.override_reason == "Mother rang ahead"
    assert "released on Ms Ada Manager's authority" in released.events[-1].detail


def test_cancelled_pin_releases_nothing(desk_panel, ctx, zoe, receptionist, teacher) -> None:  # type: ignore[no-untyped-def]
    row = conf.confiscate(
        ctx,
        receptionist,
        zoe.id,
        device="Phone",
        reason="lesson",
        confiscated_by=teacher.staff_id,
        location="Office",
    )
    panel = desk_panel(ConfiscationsPanel, Desk(receptionist), ScriptedAsker(None))
    panel.show_confiscation(row.id)
    panel.release_button.click()
    panel.release_form.name.setText("Jo Bloggs")
    sign(panel)
    panel.release_form.release_button.click()
    assert conf.get_confiscation(ctx, row.id).status == "held"


def test_receptionist_is_told_police_handover_is_for_a_manager(
    desk_panel, ctx, zoe, receptionist, teacher
) -> None:  # type: ignore[no-untyped-def]
    row = conf.confiscate(
        ctx,
        receptionist,
        zoe.id,
        device="Phone",
        reason="bullying",
        confiscated_by=teacher.staff_id,
        location="Safe",
    )
    asker = ScriptedAsker("PC Sam Patel", "4471")
    panel = desk_panel(ConfiscationsPanel, Desk(receptionist), asker)
    panel.show_confiscation(row.id)
    panel.police_button.click()
    assert asker.asked[-1] == (
        "error",
        "Hand to police",
        "Only a manager can hand a device to the police.",
    )
    assert conf.get_confiscation(ctx, row.id).status == "held"


def test_a_second_confiscation_this_term_is_pointed_out(
    desk_panel, ctx, zoe, receptionist, teacher
) -> None:  # type: ignore[no-untyped-def]
    conf.confiscate(
        ctx,
        receptionist,
        zoe.id,
        device="Phone",
        reason="lesson",
        confiscated_by=teacher.staff_id,
        location="Office",
    )
    panel = desk_panel(ConfiscationsPanel, Desk(receptionist), ScriptedAsker())
    panel.start_new()
    panel.form.choose_pupil(zoe)
    assert panel.form.repeat.text() == (
        "2 confiscations this term, counting this one: see the behaviour policy."
    )


def test_board_shows_confiscated_devices_apart_from_handed_in_phones(
    desk_panel, ctx, zoe, receptionist, teacher
) -> None:  # type: ignore[no-untyped-def]
    from kiosk.services import custody
    from ui.components.custody.board import BoardView

    custody.hand_in_for_pupil(ctx, receptionist, zoe.id)
    conf.confiscate(
        ctx,
        receptionist,
        zoe.id,
        device="Smartwatch <Apple>",
        reason="lesson",
        confiscated_by=teacher.staff_id,
        location="Safe",
        bag_number="7",
    )
    board = desk_panel(BoardView, receptionist)
    assert board.summary.text() == "1 phone held · 1 confiscated"
    assert board.confiscated.text() == (
        "Confiscated devices (1):\n"
        "Held at the office: Safe · bag 7 — Smartwatch <Apple>, Zoë Adebayo (9B), since 08:40 today"
    )
    assert not board.confiscated.isHidden()


def test_end_of_day_lists_confiscated_devices_due_for_release(
    desk_panel, ctx, zoe, manager, receptionist, teacher
) -> None:  # type: ignore[no-untyped-def]
    from ui.components.custody.end_of_day import EndOfDayPanel

    kai = pupils.get_pupil(ctx, zoe.id)
    due = conf.confiscate(
        ctx,
        receptionist,
        kai.id,
        device="Phone",
        reason="lesson",
        confiscated_by=teacher.staff_id,
        location="Office",
    )
    held = conf.confiscate(
        ctx,
        receptionist,
        kai.id,
        device="Tablet",
        reason="bullying",
        confiscated_by=teacher.staff_id,
        location="Safe",
    )
    conf.hold_for_dsl(ctx, receptionist, held.id, concern="Messages")
    panel = desk_panel(EndOfDayPanel, receptionist)
    assert panel.confiscations_due.text() == (
        "Confiscated devices due for release today, to a parent or carer "
        "(1; release them in the Confiscations tab):\n"
        "Office — Phone, Zoë Adebayo (9B)"
    )
    assert due.id != held.id


def test_only_a_manager_changes_who_devices_go_back_to(
    desk_panel, ctx, manager, receptionist
) -> None:  # type: ignore[no-untyped-def]
    desk = Desk(receptionist)
    asker = ScriptedAsker()
    panel = desk_panel(ConfiscationsPanel, desk, asker)
    pupil_index = panel.release_to.findData("pupil")

    panel.release_to.setCurrentIndex(pupil_index)
    panel.release_to.activated.emit(pupil_index)
    assert asker.asked[-1][2] == "Only a manager can change who confiscated devices go back to."
    assert conf.release_setting(ctx) == "parent"
    assert panel.release_to.currentData() == "parent"

    desk.actor = manager
    panel.release_to.activated.emit(pupil_index)
    assert conf.release_setting(ctx) == "pupil"
    assert panel.release_to.currentText() == "The pupil, at the end of the day"


def test_card_scanned_while_choosing_the_pupil_names_them_and_hands_nothing_in(
    qtbot, qapp, ctx, zoe, receptionist, teacher, db_url, clock
) -> None:  # type: ignore[no-untyped-def]
    from kiosk.services import custody
    from ui.application import start

    app = start(db_url, qapp, ScriptedAsker(), clock=clock, return_after_ms=60_000)
    try:
        app.desk.unlock(receptionist)
        panel = app.desk.workspace.show_panel(ConfiscationsPanel)
        app.desk.show()
        panel.start_new()
        panel.form.picker.search.setFocus()
        qtbot.waitUntil(panel.form.picker.search.hasFocus)

        result = app.router.route_scan(pupils.card_payload(ctx, zoe))

        assert result.kind == "claimed"
        assert panel.form.picker.chosen.text() == "Zoë Adebayo · Year 9 · Form 9B"
        assert custody.held_for_pupil(ctx, zoe.id) is None

        panel.form.device.setFocus()  # the form no longer asks for the pupil
        qtbot.waitUntil(lambda: not panel.form.picker.search.hasFocus())
        assert app.router.route_scan(pupils.card_payload(ctx, zoe)).kind == "handed_in"
    finally:
        app.close()


def test_parent_notice_can_be_saved_as_a_pdf(
    desk_panel, ctx, zoe, receptionist, teacher, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    row = conf.confiscate(
        ctx,
        receptionist,
        zoe.id,
        device="Phone",
        reason="lesson",
        confiscated_by=teacher.staff_id,
        location="Office",
    )
    target = tmp_path / "notice.pdf"
    asker = ScriptedAsker(str(target))
    panel = desk_panel(ConfiscationsPanel, Desk(receptionist), asker)
    panel.show_confiscation(row.id)
    panel.notice_pdf_button.click()
    assert target.read_bytes().startswith(b"%PDF")
    assert [kind for kind, _title, _text in asker.asked] == ["save_path"]
    assert panel.message.text() == f"The PDF was saved to {target}."


def _held_phone(ctx: KioskContext, receptionist: Actor, teacher: Actor, zoe: PupilRow) -> int:
    row = conf.confiscate(
        ctx,
        receptionist,
        zoe.id,
        device="Phone",
        reason="lesson",
        confiscated_by=teacher.staff_id,
        location="Office",
    )
    return row.id


def test_alert_listed_collector_is_shown_in_red_before_the_click(
    desk_panel, ctx, zoe, manager, receptionist, teacher
) -> None:  # type: ignore[no-untyped-def]
    alerts.add_alert(ctx, manager, "Jo Bloggs", "Not to be admitted or to collect any pupil.")
    device_id = _held_phone(ctx, receptionist, teacher, zoe)
    asker = ScriptedAsker(None)
    panel = desk_panel(ConfiscationsPanel, Desk(receptionist), asker)
    panel.show_confiscation(device_id)
    panel.release_button.click()
    form = panel.release_form
    assert form.alert.isHidden()

    form.name.setText("jo bloggs")

    assert not form.alert.isHidden()
    assert form.alert.text() == (
        "jo bloggs is on the alert list: do not hand the device over. The alert says: Not to "
        "be admitted or to collect any pupil. Only a manager can allow it, with a reason."
    )
    assert "Photo ID is not ticked" in form.warning.text()
    form.id_checked.setChecked(True)
    assert "Photo ID" not in form.warning.text()

    sign(panel)
    form.release_button.click()
    kind, title, text = asker.asked[0]
    assert (kind, title) == ("secret", "Manager's PIN needed")
    assert "A manager is overriding: on the alert list and not a listed parent" in text
    assert conf.get_confiscation(ctx, device_id).status == "held"


def test_contact_added_at_the_desk_needs_a_manager_until_confirmed(
    desk_panel, qtbot, ctx, zoe, manager, receptionist, teacher
) -> None:  # type: ignore[no-untyped-def]
    contacts.add_contact(ctx, receptionist, zoe.id, name="Jo Bloggs", relationship="Aunt")
    device_id = _held_phone(ctx, receptionist, teacher, zoe)
    asker = ScriptedAsker(TEST_PIN, "Mother rang to say so")
    panel = desk_panel(ConfiscationsPanel, Desk(receptionist), asker)
    panel.show_confiscation(device_id)
    panel.release_button.click()
    form = panel.release_form
    assert form.collector.currentText() == f"Jo Bloggs (Aunt), {NOT_CONFIRMED}"
    form.id_checked.setChecked(True)
    assert form.warning.text().startswith(
        "This contact was added or allowed to collect at the desk and a manager has not "
        "confirmed them yet"
    )
    sign(panel)
    with qtbot.waitSignal(panel.sig_changed):
        form.release_button.click()

    kind, title, text = asker.asked[0]
    assert (kind, title) == ("secret", "Manager's PIN needed")
    assert "A manager is overriding: a contact added at the desk and not yet confirmed" in text
    released = conf.get_confiscation(ctx, device_id)
    assert released.release is not None
    assert released.release.override_by == "Ms Ada Manager"
    assert not released.release.listed_contact


def test_a_manager_confirms_a_contact_in_the_contacts_box(
    desk_panel, ctx, zoe, manager, receptionist
) -> None:  # type: ignore[no-untyped-def]
    added = contacts.add_contact(ctx, receptionist, zoe.id, name="Jo Bloggs", relationship="Aunt")
    asker = ScriptedAsker("1357", TEST_PIN)
    panel = desk_panel(ConfiscationsPanel, Desk(receptionist), asker)
    box = panel.contacts
    box.show_pupil(zoe.id)
    box.table.selectRow(0)
    assert box.confirm_button.isEnabled()

    box.confirm_button.click()  # the receptionist's own PIN
    assert asker.asked[0][0:2] == ("secret", "Manager's PIN needed")
    assert asker.asked[0][2].startswith(
        "Confirm Jo Bloggs (Aunt) as a parent or carer who may collect a confiscated device"
    )
    assert asker.asked[1] == (
        "error",
        "Confirm contact",
        "That is not a manager's PIN; the contact is still waiting to be confirmed.",
    )
    box.confirm_button.click()  # the manager's
    (row,) = contacts.contacts_for(ctx, zoe.id)
    assert row.id == added.id and row.verified
    box.table.selectRow(0)
    assert not box.confirm_button.isEnabled()


def test_card_scanned_on_a_german_layout_names_the_scanner_setting(
    desk_panel, ctx, receptionist, teacher
) -> None:  # type: ignore[no-untyped-def]
    _pupil, code = pupil_with_y_or_z(ctx)
    asker = ScriptedAsker()
    panel = desk_panel(ConfiscationsPanel, Desk(receptionist), asker)
    panel.start_new()

    assert panel.form.take_card(german_typed(code))

    assert asker.asked == [
        ("error", "Card not recognised", wrong_layout(GERMAN_QWERTZ.name, GERMAN_QWERTZ.swaps))
    ]
    assert panel.form.picker.pupil() is None


def test_release_button_stays_put_while_warnings_come_and_go(
    desk_panel, qtbot, ctx, zoe, manager, receptionist, teacher
) -> None:  # type: ignore[no-untyped-def]
    alerts.add_alert(ctx, manager, "Jo Bloggs", "Not to collect any pupil.")
    device_id = _held_phone(ctx, receptionist, teacher, zoe)
    panel = desk_panel(ConfiscationsPanel, Desk(receptionist), ScriptedAsker(None))
    panel.show_confiscation(device_id)
    panel.release_button.click()
    form = panel.release_form
    form.collector.setCurrentIndex(form.collector.findText(SOMEONE_ELSE))

    def where() -> tuple[int, int, int, int]:
        qtbot.wait(1)  # the layout settles
        top_left = form.release_button.mapTo(panel, form.release_button.rect().topLeft())
        return (
            top_left.x(),
            top_left.y(),
            form.release_button.width(),
            form.release_button.height(),
        )

    before = where()
    assert form.warning.isVisible()  # no contact on file, no photo ID
    form.name.setText("Jo Bloggs")
    assert form.alert.isVisible()
    assert where() == before
    form.id_checked.setChecked(True)
    form.name.setText("Jo Smith")
    assert form.alert.isHidden()
    assert where() == before
