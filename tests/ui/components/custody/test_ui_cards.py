"""The Cards tab: filter by year and form, save a PDF or print, off the GUI thread."""

from __future__ import annotations

import threading
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp

import ui.components.custody.cards as cards_panel_module
from kiosk.context import KioskContext
from kiosk.rows.people import Actor
from kiosk.services import pupils
from tests.factories import make_pupil
from ui.ask import ScriptedAsker
from ui.components.custody.cards import CardsPanel


@pytest.fixture
def on_roll(ctx: KioskContext) -> None:
    rows = [
        ("Zoë", "Adebayo", "7", "7A"),
        ("Łukasz", "Nowak", "7", "7B"),
        ("Siobhán", "Ní Bhriain", "7", "7B"),
        ("Nguyễn", "Văn An", "10", "10C"),
        ("Dafydd", "ap Gruffudd", "11", "11A"),
    ]
    for forename, surname, year, form in rows:
        make_pupil(ctx, forename=forename, surname=surname, year_group=year, form=form)
    make_pupil(ctx, forename="Left", surname="Already", year_group="7", form="7A", status="left")


def choose(combo, text: str) -> None:  # type: ignore[no-untyped-def]
    index = combo.findText(text)
    assert index >= 0, f"{text!r} not offered"
    combo.setCurrentIndex(index)


def qr_codes(path: Path) -> list[str]:
    found = []
    for page in pypdfium2.PdfDocument(str(path)):
        found += [r.text for r in zxingcpp.read_barcodes(page.render(scale=150 / 72).to_pil())]
    return sorted(found)


def test_filters_come_from_the_pupils_on_roll(
    desk_panel, ctx: KioskContext, on_roll: None, receptionist: Actor
) -> None:  # type: ignore[no-untyped-def]
    panel = desk_panel(CardsPanel, receptionist)
    years = [panel.year.itemText(i) for i in range(panel.year.count())]
    assert years == ["All years", "Year 7", "Year 10", "Year 11"]
    assert panel.count.text() == "5 pupils match · 1 A4 sheet"

    choose(panel.year, "Year 7")
    forms = [panel.form.itemText(i) for i in range(panel.form.count())]
    assert forms == ["All forms", "7A", "7B"]
    assert panel.count.text() == "3 pupils match · 1 A4 sheet"

    choose(panel.form, "7B")
    assert sorted(p.name for p in panel.matching()) == ["Siobhán Ní Bhriain", "Łukasz Nowak"]
    assert panel.count.text() == "2 pupils match · 1 A4 sheet"


def test_card_pdf_saved_from_the_cards_tab_decodes(
    desk_panel,
    qtbot,
    ctx: KioskContext,
    on_roll: None,
    receptionist: Actor,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    target = tmp_path / "year 7 cards.pdf"
    panel = desk_panel(CardsPanel, receptionist, ScriptedAsker(str(target)))
    choose(panel.year, "Year 7")

    with qtbot.waitSignal(panel.sig_job_done, timeout=30_000):
        panel.save_button.click()

    year_7 = pupils.pupils_for_cards(ctx, year="7")
    assert qr_codes(target) == sorted(pupils.card_payload(ctx, p) for p in year_7)
    assert panel.status.text() == f"3 cards saved to {target}."
    assert panel.save_button.isEnabled()
    assert not panel.progress.isVisible()


def test_cards_are_drawn_off_the_gui_thread(
    desk_panel,
    qtbot,
    ctx: KioskContext,
    on_roll: None,
    receptionist: Actor,
    tmp_path: Path,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    threads: list[threading.Thread] = []
    real_write = cards_panel_module.write_cards

    def recording_write(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread())
        return real_write(*args, **kwargs)

    monkeypatch.setattr(cards_panel_module, "write_cards", recording_write)
    panel = desk_panel(CardsPanel, receptionist, ScriptedAsker(str(tmp_path / "all.pdf")))
    with qtbot.waitSignal(panel.sig_job_done, timeout=30_000):
        panel.save_button.click()
        assert not panel.save_button.isEnabled()  # busy while the worker runs

    assert threads and threads[0] is not threading.main_thread()
    assert (tmp_path / "all.pdf").exists()


def test_print_without_a_printer_offers_to_save_the_pdf_instead(
    desk_panel,
    qtbot,
    ctx: KioskContext,
    on_roll: None,
    receptionist: Actor,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    target = tmp_path / "instead.pdf"
    asker = ScriptedAsker(True, str(target))
    panel = desk_panel(CardsPanel, receptionist, asker)
    choose(panel.year, "Year 11")

    with qtbot.waitSignal(panel.sig_job_done, timeout=30_000):
        panel.print_button.click()

    kind, title, text = asker.asked[0]
    assert (kind, title) == ("confirm", "Not printed")
    assert text == (
        "No A4 printer is chosen yet. Choose one in Settings (Printers)."
        "\n\nSave it as a PDF instead?"
    )
    dafydd = pupils.pupils_for_cards(ctx, year="11")[0]
    assert qr_codes(target) == [pupils.card_payload(ctx, dafydd)]
    assert panel.status.text() == "The cards were not printed; the PDF was saved instead."


def test_cancelled_save_starts_nothing(
    desk_panel, ctx: KioskContext, on_roll: None, receptionist: Actor
) -> None:  # type: ignore[no-untyped-def]
    panel = desk_panel(CardsPanel, receptionist, ScriptedAsker(None))
    panel.save_button.click()
    assert not panel.is_busy()
    assert panel.status.text() == ""


def test_stop_ends_the_job_and_saves_nothing(
    desk_panel,
    qtbot,
    ctx: KioskContext,
    on_roll: None,
    receptionist: Actor,
    tmp_path: Path,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    gate = threading.Event()

    def slow_write(ctx, chosen, out, progress=None):  # type: ignore[no-untyped-def]
        gate.wait(10)
        progress(1, len(chosen))  # the first page is done: the job checks for Stop here
        out.write_bytes(b"%PDF-1.4 unfinished")
        return len(chosen)

    monkeypatch.setattr(cards_panel_module, "write_cards", slow_write)
    target = tmp_path / "stopped.pdf"
    panel = desk_panel(CardsPanel, receptionist, ScriptedAsker(str(target)))
    panel.save_button.click()
    assert panel.cancel_button.isVisible()

    with qtbot.waitSignal(panel.sig_job_done, timeout=10_000):
        panel.cancel_button.click()
        gate.set()

    assert panel.status.text() == "Stopped. Nothing more was saved or printed."
    assert not target.exists()
    assert not panel.cancel_button.isVisible()


def test_a_name_the_fonts_cannot_show_is_refused_before_anything_is_drawn(
    desk_panel, ctx: KioskContext, on_roll: None, receptionist: Actor, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    make_pupil(ctx, forename="Amun", surname="𓀀𓀁", year_group="7", form="7A")
    asker = ScriptedAsker(str(tmp_path / "cards.pdf"))
    panel = desk_panel(CardsPanel, receptionist, asker)
    choose(panel.year, "Year 7")

    panel.save_button.click()

    assert asker.asked == [
        (
            "error",
            "Cards not saved",
            "No cards printed. The name Amun 𓀀𓀁 has characters the printer's fonts cannot "
            "show: 𓀀 𓀁 — type it in Latin letters or ask the office.",
        )
    ]
    assert not panel.is_busy()
    assert not (tmp_path / "cards.pdf").exists()
