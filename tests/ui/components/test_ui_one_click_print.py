"""One click prints: straight to the printer chosen in Settings, no dialog on the way, and a
print recorded only when the printer accepted it. Save as PDF never records a print; a
printer that is missing or gone gives one plain message and offers the PDF instead.

The accepting printer is a real CUPS queue (cups-pdf, see tests/cups_queue.py); where no
queue can be set up the tests that need one skip, saying why.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from kiosk.context import KioskContext
from kiosk.rows.people import Actor
from kiosk.services import messages, visitors
from kiosk.services.directory import save_entry
from kiosk.services.school import update_school
from tests.conftest import LONDON
from tests.cups_queue import CupsUnavailable, PdfQueue, start_pdf_queue
from tests.factories import make_message
from tests.lists_data import make_lists_day
from ui.ask import ScriptedAsker
from ui.components.calls.panel import CallsPanel
from ui.components.custody.end_of_day import EndOfDayPanel
from ui.components.output import Printer, print_document

QUEUE_NAME = "KioskOneClickPDF"
AFTER_SCHOOL = datetime(2026, 11, 24, 15, 40, tzinfo=LONDON)


@pytest.fixture(scope="module")
def queue(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PdfQueue]:
    try:
        with start_pdf_queue(QUEUE_NAME, tmp_path_factory.mktemp("one-click")) as started:
            yield started
    except CupsUnavailable as reason:
        pytest.skip(f"no real print queue: {reason}")


@pytest.fixture
def slip_waiting(ctx: KioskContext, manager: Actor, clock):  # type: ignore[no-untyped-def]
    """A message that can wait, for a teacher with a pigeonhole, due for delivery now."""
    teacher = save_entry(ctx, manager, name="Mrs Zoë O'Brien", pigeonhole="14")
    message = make_message(ctx, manager, for_staff_id=teacher.id, caller_name="Mr Adeyemi")
    clock.set(AFTER_SCHOOL)
    return message


def calls_panel(desk_panel, manager: Actor, asker: ScriptedAsker, message_id: int) -> CallsPanel:  # type: ignore[no-untyped-def]
    panel = desk_panel(CallsPanel, manager, asker)
    panel.select("deliver", message_id)
    assert panel.selected("deliver") is not None, "the message is not in Deliver now"
    return panel


def test_pigeonhole_slip_is_recorded_only_once_the_printer_accepted_it(
    queue: PdfQueue, desk_panel, ctx: KioskContext, manager: Actor, slip_waiting
) -> None:  # type: ignore[no-untyped-def]
    update_school(ctx, manager, printer_a4=queue.name)
    asker = ScriptedAsker()
    panel = calls_panel(desk_panel, manager, asker, slip_waiting.id)
    before = queue.printed_files()

    panel.deliver_print.click()

    assert asker.asked == []  # one click, no dialog
    queue.wait_for_new_pdf(before)
    stored = messages.get_message(ctx, slip_waiting.id)
    assert stored.printed_at is not None
    assert (stored.state, stored.passed_on_how) == ("passed_on", "pigeonhole")
    assert panel.status.text() == "Slip printed for Mrs Zoë O'Brien's pigeonhole."


def test_pigeonhole_slip_saved_as_pdf_after_a_missing_printer_is_not_recorded_as_printed(
    desk_panel, ctx: KioskContext, manager: Actor, slip_waiting, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    update_school(ctx, manager, printer_a4="Office laser (unplugged)")
    target = tmp_path / "slip.pdf"
    asker = ScriptedAsker(True, str(target))  # save it instead? yes; there
    panel = calls_panel(desk_panel, manager, asker, slip_waiting.id)

    panel.deliver_print.click()

    assert asker.asked[0] == (
        "confirm",
        "Not printed",
        "The printer “Office laser (unplugged)” is not available on this computer. Check "
        "that it is switched on and connected, choose another in Settings, or save the PDF "
        "instead.\n\nSave it as a PDF instead?",
    )
    assert target.read_bytes().startswith(b"%PDF")
    stored = messages.get_message(ctx, slip_waiting.id)
    assert (stored.printed_at, stored.state) == (None, "open")
    assert panel.deliver_model.rowCount() == 1


def test_save_as_pdf_asks_only_where_and_records_no_print(
    desk_panel, ctx: KioskContext, manager: Actor, slip_waiting, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "slip"
    asker = ScriptedAsker(str(target))
    panel = calls_panel(desk_panel, manager, asker, slip_waiting.id)

    panel.deliver_save.click()

    assert [kind for kind, _title, _text in asker.asked] == ["save_path"]
    saved = tmp_path / "slip.pdf"  # the extension is added when it was left off
    assert saved.read_bytes().startswith(b"%PDF")
    assert panel.status.text() == f"The PDF was saved to {saved}."
    assert messages.get_message(ctx, slip_waiting.id).printed_at is None


def test_no_badge_printer_chosen_is_said_plainly_and_the_pdf_declined_saves_nothing(
    ctx: KioskContext, qapp
) -> None:  # type: ignore[no-untyped-def]
    asker = ScriptedAsker(False)  # save it instead? no

    printed = print_document(
        ctx, asker, None, b"%PDF-1.4", title="Visitor badge", printer=Printer.BADGE
    )

    assert printed is False
    assert asker.asked == [
        (
            "confirm",
            "Not printed",
            "No badge printer is chosen yet. Choose one in Settings (Printers)."
            "\n\nSave it as a PDF instead?",
        )
    ]


def test_end_of_day_list_prints_in_one_click_and_exports_in_tray_order(
    queue: PdfQueue, desk_panel, ctx: KioskContext, clock, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    day = make_lists_day(ctx, clock)
    update_school(ctx, day.desk, printer_a4=queue.name)
    out = tmp_path / "end-of-day.csv"
    asker = ScriptedAsker(str(out))
    panel = desk_panel(EndOfDayPanel, day.desk, asker)
    before = queue.printed_files()

    panel.output.buttons.print_button.click()

    assert asker.asked == []
    assert queue.wait_for_new_pdf(before).read_bytes().startswith(b"%PDF")
    assert panel.message.text() == f"End-of-day list sent to {queue.name}."

    panel.output.buttons.csv_button.click()

    with out.open(encoding="utf-8-sig", newline="") as fh:
        places = [row["Where"] for row in csv.DictReader(fh)]
    assert places == ["Tray A · slot 1", "Tray A · slot 2", "Tray B · slot 1"]
    assert panel.message.text() == f"3 rows written to {out}."


def test_badge_printer_is_chosen_by_name_and_a_reprint_goes_there(
    queue: PdfQueue, ctx: KioskContext, manager: Actor, qapp
) -> None:  # type: ignore[no-untyped-def]
    visitors.update_visitor_settings(ctx, manager, badge_printer=queue.name)
    asker = ScriptedAsker()
    before = queue.printed_files()

    printed = print_document(
        ctx, asker, None, _badge_pdf(), title="Visitor badge 1", printer=Printer.BADGE
    )

    assert printed is True
    assert asker.asked == []
    queue.wait_for_new_pdf(before)


def _badge_pdf() -> bytes:
    from kiosk.printing.badges import BadgeContent, badge_pdf_bytes

    return badge_pdf_bytes(
        BadgeContent(
            name="Siobhán O'Brien",
            organisation="Ysgol & Co",
            host_name="Ms Ada Manager",
            category_label="Contractor",
            category_colour="#e65100",
            escorted=True,
            signed_in_at=AFTER_SCHOOL,
            code="V1ONECLICK",
            school_name="Test School",
        ),
        "label62",
    )


def test_a_receptionist_picks_the_badge_printer_from_the_system_list_and_badges_print_there(
    queue: PdfQueue, desk_panel, ctx: KioskContext, receptionist: Actor
) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import make_visit
    from ui.components.desk.settings import SettingsPanel
    from ui.components.visitors.badges import BadgeDesk

    settings = desk_panel(SettingsPanel, receptionist)
    settings.badge_printer.setCurrentIndex(settings.badge_printer.findData(queue.name))
    assert settings.badge_printer.currentText() == queue.name  # listed by the system
    settings.save_printer_button.click()
    badges = BadgeDesk(ctx)
    notices: list = []
    badges.sig_desk_notice.connect(notices.append)
    before = queue.printed_files()

    badges.send_badge(make_visit(ctx, name="Siobhán O'Brien"))

    queue.wait_for_new_pdf(before)
    assert notices == []
    assert badges.last_saved is None
