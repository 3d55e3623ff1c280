"""The pupil panel: type-ahead search, details, and hand-in, release and card reissue."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from PySide6.QtCore import Qt

from kiosk.context import KioskContext
from kiosk.errors import ScanRejected
from kiosk.rows.people import Actor, PupilRow
from kiosk.services import audit, custody, pupils
from tests.conftest import LONDON
from tests.factories import make_pupil
from ui.ask import ScriptedAsker
from ui.components.custody.pupils import PupilPanel
from ui.components.custody.release import MEDICAL, OTHER_REASON

IN_RELEASE_WINDOW = datetime(2026, 11, 24, 15, 20, tzinfo=LONDON)
MID_MORNING = datetime(2026, 11, 24, 10, 5, tzinfo=LONDON)


@pytest.fixture
def zoe(ctx: KioskContext) -> PupilRow:
    make_pupil(ctx, forename="Zac", surname="Young", year_group="8", form="8A")
    make_pupil(ctx, forename="Amelia", surname="Zorn", year_group="10", form="10C")
    # The UPN is given because the pupil's page shows it.
    return make_pupil(ctx, forename="Zoë", surname="Adebayo", upn="W935100000001")


def decoded_qr_codes(pdf: Path) -> list[str]:
    document = pypdfium2.PdfDocument(str(pdf))
    found = []
    for page in document:
        image = page.render(scale=150 / 72).to_pil()
        found += [result.text for result in zxingcpp.read_barcodes(image)]
    return found


def test_typing_zo_finds_zoe(
    desk_panel, qtbot, ctx: KioskContext, zoe: PupilRow, receptionist: Actor
) -> None:  # type: ignore[no-untyped-def]
    panel = desk_panel(PupilPanel, receptionist)

    qtbot.keyClicks(panel.picker.search, "zo")

    results = panel.picker.results_model
    qtbot.waitUntil(lambda: results.rowCount() > 0)
    shown = [results.pupil_at(r).name for r in range(results.rowCount())]
    assert "Zoë Adebayo" in shown
    assert "Zac Young" not in shown
    assert "Amelia Zorn" in shown  # surname starts with "Zo"


def test_down_and_enter_open_the_chosen_pupil(
    desk_panel, qtbot, ctx: KioskContext, zoe: PupilRow, receptionist: Actor
) -> None:  # type: ignore[no-untyped-def]
    panel = desk_panel(PupilPanel, receptionist)
    panel.picker.search.setText("zoë")  # QTest types ASCII only

    qtbot.keyClick(panel.picker.search, Qt.Key.Key_Down)
    qtbot.keyClick(panel.picker.results, Qt.Key.Key_Return)

    assert panel.name.text() == "Zoë Adebayo"
    assert panel.facts.text() == "Year 9 · Form 9B · UPN W935100000001"
    assert panel.card.text() == "Current card: serial 1"
    assert panel.phone.text() == "No phone held"
    assert panel.arrangements.text() == "No permissions or exemptions on file."


def test_enter_in_the_search_box_opens_the_first_match(
    desk_panel, qtbot, ctx: KioskContext, zoe: PupilRow, receptionist: Actor
) -> None:  # type: ignore[no-untyped-def]
    panel = desk_panel(PupilPanel, receptionist)
    qtbot.keyClicks(panel.picker.search, "Adeb")
    qtbot.keyClick(panel.picker.search, Qt.Key.Key_Return)
    assert panel.name.text() == "Zoë Adebayo"


def test_no_match_says_so(
    desk_panel, qtbot, ctx: KioskContext, zoe: PupilRow, receptionist: Actor
) -> None:  # type: ignore[no-untyped-def]
    panel = desk_panel(PupilPanel, receptionist)
    qtbot.keyClicks(panel.picker.search, "Xy")
    qtbot.waitUntil(lambda: panel.picker.hint.text() == "No pupil on roll matches “Xy”.")
    assert panel.picker.results_model.rowCount() == 0


def test_arrangements_are_listed_with_conditions(
    desk_panel, ctx: KioskContext, zoe: PupilRow, receptionist: Actor
) -> None:  # type: ignore[no-untyped-def]
    pupils.add_arrangement(
        ctx,
        receptionist,
        zoe.id,
        kind="exemption",
        title="Medical monitoring",
        conditions="Keeps the phone on silent for glucose alerts",
        agreed_by="SENCo",
    )
    panel = desk_panel(PupilPanel, receptionist)
    panel.show_pupil(zoe.id)
    assert panel.arrangements.text() == (
        "Exemption: Medical monitoring — Keeps the phone on silent for glucose alerts "
        "(agreed by SENCo)"
    )


def test_hand_in_from_the_panel_shows_the_slot_and_stores_it(
    desk_panel,
    qtbot,
    ctx: KioskContext,
    zoe: PupilRow,
    receptionist: Actor,  # type: ignore[no-untyped-def]
) -> None:
    panel = desk_panel(PupilPanel, receptionist)
    panel.show_pupil(zoe.id)
    with qtbot.waitSignal(panel.sig_changed):
        panel.hand_in_button.click()

    held = custody.held_for_pupil(ctx, zoe.id)
    assert held is not None and held.place == "Office tray · slot 1"
    assert panel.slot_big.isVisible()
    assert panel.slot_big.text() == "Put the phone in Office tray · slot 1"
    assert panel.phone.text() == "Held in Office tray · slot 1 since 08:40 today"
    assert not panel.hand_in_button.isEnabled()
    assert panel.release_button.isEnabled()


def test_signed_out_desk_is_told_to_sign_in(desk_panel, ctx: KioskContext, zoe: PupilRow) -> None:  # type: ignore[no-untyped-def]
    asker = ScriptedAsker()
    panel = desk_panel(PupilPanel, None, asker)
    panel.show_pupil(zoe.id)
    panel.hand_in_button.click()
    assert asker.asked == [("error", "Hand in phone", "Sign in at the desk first.")]
    assert custody.held_for_pupil(ctx, zoe.id) is None


def hand_in(ctx: KioskContext, actor: Actor, pupil: PupilRow) -> None:
    custody.hand_in_for_pupil(ctx, actor, pupil.id)


def test_cancelled_early_release_changes_nothing(
    desk_panel,
    ctx: KioskContext,
    clock,
    zoe: PupilRow,
    receptionist: Actor,  # type: ignore[no-untyped-def]
) -> None:
    hand_in(ctx, receptionist, zoe)
    clock.set(MID_MORNING)
    asker = ScriptedAsker(None)
    panel = desk_panel(PupilPanel, receptionist, asker)
    panel.show_pupil(zoe.id)

    panel.release_button.click()

    assert [kind for kind, *_ in asker.asked] == ["choice"]
    assert custody.held_for_pupil(ctx, zoe.id) is not None


def test_early_release_without_a_reason_is_refused(
    desk_panel,
    ctx: KioskContext,
    clock,
    zoe: PupilRow,
    receptionist: Actor,  # type: ignore[no-untyped-def]
) -> None:
    hand_in(ctx, receptionist, zoe)
    clock.set(MID_MORNING)
    asker = ScriptedAsker(OTHER_REASON, "   ")
    panel = desk_panel(PupilPanel, receptionist, asker)
    panel.show_pupil(zoe.id)

    panel.release_button.click()

    kind, title, text = asker.asked[-1]
    assert (kind, title) == ("error", "Release phone")
    assert "give a reason" in text
    assert custody.held_for_pupil(ctx, zoe.id) is not None


def test_early_release_with_a_reason_is_recorded_in_the_audit(
    desk_panel,
    qtbot,
    ctx: KioskContext,
    clock,
    zoe: PupilRow,
    receptionist: Actor,  # type: ignore[no-untyped-def]
) -> None:
    hand_in(ctx, receptionist, zoe)
    clock.set(MID_MORNING)
    asker = ScriptedAsker(MEDICAL)
    panel = desk_panel(PupilPanel, receptionist, asker)
    panel.show_pupil(zoe.id)

    with qtbot.waitSignal(panel.sig_changed):
        panel.release_button.click()

    assert custody.held_for_pupil(ctx, zoe.id) is None
    latest = audit.recent_entries(ctx, limit=1)[0]
    assert latest.action == "collect"
    assert '"early_reason": "Medical appointment"' in (latest.after or "")
    assert latest.actor == "Mr Ben Desk (receptionist)"
    assert panel.slot_big.text() == "Take the phone from Office tray · slot 1"
    assert panel.message.text() == "Released to Zoë Adebayo. Early release: Medical appointment."
    assert panel.phone.text() == "No phone held"


def test_early_release_with_a_reason_of_their_own(
    desk_panel,
    ctx: KioskContext,
    clock,
    zoe: PupilRow,
    receptionist: Actor,  # type: ignore[no-untyped-def]
) -> None:
    hand_in(ctx, receptionist, zoe)
    clock.set(MID_MORNING)
    panel = desk_panel(PupilPanel, receptionist, ScriptedAsker(OTHER_REASON, "Dentist at 11"))
    panel.show_pupil(zoe.id)
    panel.release_button.click()
    assert '"early_reason": "Dentist at 11"' in (audit.recent_entries(ctx, limit=1)[0].after or "")


def test_release_in_the_window_only_asks_to_confirm(
    desk_panel,
    ctx: KioskContext,
    clock,
    zoe: PupilRow,
    receptionist: Actor,  # type: ignore[no-untyped-def]
) -> None:
    hand_in(ctx, receptionist, zoe)
    clock.set(IN_RELEASE_WINDOW)
    asker = ScriptedAsker(True)
    panel = desk_panel(PupilPanel, receptionist, asker)
    panel.show_pupil(zoe.id)

    panel.release_button.click()

    assert asker.asked == [
        ("confirm", "Release phone", "Give Zoë Adebayo their phone from Office tray · slot 1?")
    ]
    assert custody.held_for_pupil(ctx, zoe.id) is None
    assert '"early_reason": null' in (audit.recent_entries(ctx, limit=1)[0].after or "")


def test_reissued_card_replaces_the_old_one_and_can_be_saved(
    desk_panel,
    ctx: KioskContext,
    zoe: PupilRow,
    receptionist: Actor,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    old_card = pupils.card_payload(ctx, zoe)
    target = tmp_path / "new card.pdf"
    asker = ScriptedAsker(True, "Save it as a PDF…", str(target))
    panel = desk_panel(PupilPanel, receptionist, asker)
    panel.show_pupil(zoe.id)

    panel.reissue_button.click()

    renewed = pupils.get_pupil(ctx, zoe.id)
    assert renewed.card_serial == 2
    assert panel.card.text() == "Current card: serial 2"
    with pytest.raises(ScanRejected):
        custody.scan_card(ctx, old_card)
    assert decoded_qr_codes(target) == [pupils.card_payload(ctx, renewed)]


def test_declined_reissue_keeps_the_card(
    desk_panel, ctx: KioskContext, zoe: PupilRow, receptionist: Actor
) -> None:  # type: ignore[no-untyped-def]
    panel = desk_panel(PupilPanel, receptionist, ScriptedAsker(False))
    panel.show_pupil(zoe.id)
    panel.reissue_button.click()
    assert pupils.get_pupil(ctx, zoe.id).card_serial == 1


def test_print_card_without_a_printer_offers_the_pdf_instead(
    desk_panel,
    ctx: KioskContext,
    zoe: PupilRow,
    receptionist: Actor,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    target = tmp_path / "card.pdf"
    asker = ScriptedAsker(True, str(target))
    panel = desk_panel(PupilPanel, receptionist, asker)
    panel.show_pupil(zoe.id)

    panel.print_button.click()

    kind, title, text = asker.asked[0]
    assert kind == "confirm"
    assert text.startswith("No A4 printer is chosen yet.")
    assert decoded_qr_codes(target) == [pupils.card_payload(ctx, zoe)]


def test_awkward_names_are_shown_exactly(
    desk_panel, ctx: KioskContext, receptionist: Actor
) -> None:  # type: ignore[no-untyped-def]
    name = ("<i>Zoë</i>", "& < > \" ' 🎉")
    pupil = make_pupil(ctx, forename=name[0], surname=name[1])
    panel = desk_panel(PupilPanel, receptionist)
    panel.show_pupil(pupil.id)
    assert panel.name.text() == "<i>Zoë</i> & < > \" ' 🎉"
    assert panel.name.textFormat() == Qt.TextFormat.PlainText


def test_a_legal_name_finds_the_pupil_under_the_name_they_are_known_by(
    desk_panel, qtbot, ctx: KioskContext, manager: Actor, receptionist: Actor
) -> None:  # type: ignore[no-untyped-def]
    from kiosk.importing.pupils import import_pupils_text

    data = b"Adno,Forename,Surname,Known As,Year,Class\n001207,Alexandra,Whitcombe,Sasha,R,Owls\n"
    import_pupils_text(ctx, manager, data, mark_leavers=False)
    panel = desk_panel(PupilPanel, receptionist)

    qtbot.keyClicks(panel.picker.search, "Alexandra")
    qtbot.waitUntil(lambda: panel.picker.results_model.rowCount() == 1)
    results = panel.picker.results_model
    shown = results.data(results.index(0, 0), Qt.ItemDataRole.DisplayRole)
    assert shown == "Sasha Whitcombe · Owls · Reception"
    qtbot.keyClick(panel.picker.search, Qt.Key.Key_Return)

    assert panel.name.text() == "Sasha Whitcombe"
    assert panel.facts.text() == "Reception · Form Owls · Admission no. 1207"
