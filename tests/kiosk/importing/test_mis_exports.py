"""Real schools' MIS exports: rows whose trailing empty cells are missing, preferred ("known
as") names, early-years and primary year codes, schools without UPNs, and the staff and
contact imports that share the reader. The case files are in tests/cases/turn2."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp
from sqlalchemy import select

from kiosk.cli import main
from kiosk.codes.pupil_card import verify_pupil_card
from kiosk.context import KioskContext
from kiosk.errors import InvalidInput
from kiosk.importing.contacts import import_contacts_text
from kiosk.importing.headers import (
    CONTACT_VOCABULARY,
    PUPIL_VOCABULARY,
    STAFF_VOCABULARY,
    HeaderWord,
)
from kiosk.importing.identifiers import scn_check_digit, scn_problem
from kiosk.importing.pupils import import_pupils_file, import_pupils_text, upn_check_letter
from kiosk.importing.reader import header_key
from kiosk.importing.staff import import_staff_text
from kiosk.persistence.models import Pupil
from kiosk.printing.cards import cards_pdf_bytes
from kiosk.rows.people import Actor, PupilRow
from kiosk.scanning.service import act_on_scan
from kiosk.services import contacts
from kiosk.services.directory import list_directory
from kiosk.services.pupils import (
    card_payload,
    find_by_upn,
    pupils_for_cards,
    search_pupils,
)
from kiosk.services.school import year_in
from tests.factories import make_manager, make_pupil

CASES = Path(__file__).resolve().parents[2] / "cases" / "turn2"
TRAILING_CELLS = CASES / "trailing_cells_dropped.csv"
KNOWN_AS = CASES / "known_as_names.csv"
EARLY_YEARS = CASES / "early_years_codes.csv"


@pytest.fixture
def any_manager(any_ctx: KioskContext) -> Actor:
    return make_manager(any_ctx, "Mrs Data Manager")


def on_roll(ctx: KioskContext) -> list[PupilRow]:
    return pupils_for_cards(ctx)


def card_text(ctx: KioskContext, pupils: list[PupilRow]) -> str:
    pdf = pdfium.PdfDocument(
        cards_pdf_bytes("Test School", [(p, card_payload(ctx, p)) for p in pupils])
    )
    return "\n".join(page.get_textpage().get_text_range() for page in pdf)


def scanned_codes(data: bytes) -> list[str]:
    """What a scanner reads from each QR code on the printed cards (150 dpi)."""
    codes = []
    for page in pdfium.PdfDocument(data):
        image = page.render(scale=150 / 72).to_pil()
        codes += [c.text for c in zxingcpp.read_barcodes(image)]
    return codes


# --- 1. rows whose trailing empty cells are missing ----------------------------------------


def test_rows_ending_without_their_empty_trailing_cells_are_all_imported(
    any_ctx: KioskContext, any_manager: Actor
) -> None:
    report = import_pupils_file(any_ctx, any_manager, TRAILING_CELLS, mark_leavers=False)

    assert (report.added, report.rejected) == (20, 0)
    assert report.problems == ()
    pupils = {p.upn: p for p in on_roll(any_ctx)}
    assert len(pupils) == 20
    # The five short rows (lines 17-21) are read with an empty preferred forename.
    assert pupils["D919402120020"].name == "Oscar Sowerby"
    assert pupils["D919402120020"].form == "8H"
    # The one filled preferred forename is the name shown; the legal one is kept.
    mia = pupils["E919402120009"]
    assert (mia.name, mia.forename) == ("Mimi Gorringe", "Mia")


# --- 2. preferred ("known as") names -------------------------------------------------------


def test_known_as_names_are_stored_beside_the_legal_ones(
    any_ctx: KioskContext, any_manager: Actor
) -> None:
    report = import_pupils_file(any_ctx, any_manager, KNOWN_AS, mark_leavers=False)

    assert (report.added, report.rejected) == (2, 0)
    with any_ctx.db.read() as s:
        stored = sorted(
            (p.forename, p.surname, p.known_forename, p.known_surname, p.year_group, p.form)
            for p in s.scalars(select(Pupil))
        )
    assert stored == [
        ("Alexandra", "Whitcombe", "Sasha", "", "9", "9 Oak"),
        ("Thomas", "Bellingham-Rowe", "Tom", "Rowe", "9", "9 Oak"),
    ]


def test_cards_lists_and_the_kiosk_say_the_known_as_names(
    any_ctx: KioskContext, any_manager: Actor
) -> None:
    import_pupils_file(any_ctx, any_manager, KNOWN_AS, mark_leavers=False)
    pupils = on_roll(any_ctx)

    # Lists are in the order of the names they show: Rowe before Whitcombe.
    assert [p.name for p in pupils] == ["Tom Rowe", "Sasha Whitcombe"]
    text = card_text(any_ctx, pupils)
    assert "Sasha Whitcombe" in text
    assert "Tom Rowe" in text
    assert "Alexandra" not in text and "Bellingham" not in text

    sasha = next(p for p in pupils if p.forename == "Alexandra")
    result = act_on_scan(any_ctx, card_payload(any_ctx, sasha))
    assert result.kind == "handed_in"
    assert result.message.one_line.startswith("HANDED IN Sasha Whitcombe (9 Oak)")


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("Alexandra", ["Sasha Whitcombe"]),
        ("sasha", ["Sasha Whitcombe"]),
        ("Sasha Whit", ["Sasha Whitcombe"]),
        ("alexandra whitcombe", ["Sasha Whitcombe"]),
        ("Thomas", ["Tom Rowe"]),
        ("bellingham", ["Tom Rowe"]),
        ("Bellingham-Rowe", ["Tom Rowe"]),
        ("rowe", ["Tom Rowe"]),
        ("Tom Rowe", ["Tom Rowe"]),
        ("Thomas Bellingham", ["Tom Rowe"]),
        ("9 oak", ["Tom Rowe", "Sasha Whitcombe"]),
        ("Whitcombe Sasha", []),
        ("omas", []),
    ],
)
def test_search_finds_legal_or_preferred_names(
    any_ctx: KioskContext, any_manager: Actor, typed: str, found: list[str]
) -> None:
    import_pupils_file(any_ctx, any_manager, KNOWN_AS, mark_leavers=False)

    assert [p.name for p in search_pupils(any_ctx, typed)] == found


def test_search_folds_accents_in_preferred_names(ctx: KioskContext) -> None:
    make_pupil(ctx, forename="Zoe", surname="Smith", known_forename="Zoë")

    assert [p.name for p in search_pupils(ctx, "zoe")] == ["Zoë Smith"]
    assert [p.name for p in search_pupils(ctx, "ZOË SM")] == ["Zoë Smith"]


def test_a_changed_known_as_name_is_an_update_and_search_follows_it(
    ctx: KioskContext, manager: Actor
) -> None:
    import_pupils_file(ctx, manager, KNOWN_AS, mark_leavers=False)
    changed = KNOWN_AS.read_text().replace(",Sasha,", ",Lexi,")

    report = import_pupils_text(ctx, manager, changed.encode(), mark_leavers=False)

    assert (report.added, report.updated, report.unchanged) == (0, 1, 1)
    assert [p.name for p in search_pupils(ctx, "lexi")] == ["Lexi Whitcombe"]
    assert search_pupils(ctx, "sasha") == []


def test_a_file_with_only_a_preferred_forename_column_uses_it_as_the_name(
    ctx: KioskContext, manager: Actor
) -> None:
    body = "801200009001"
    upn = upn_check_letter(body) + body
    data = f"UPN,Legal Surname,Preferred Forename,NC Year,Reg Group\n{upn},Okafor,Chidi,8,8R\n"

    report = import_pupils_text(ctx, manager, data.encode(), mark_leavers=False)

    assert report.added == 1
    pupil = find_by_upn(ctx, upn)
    assert (pupil.name, pupil.forename, pupil.known_forename) == ("Chidi Okafor", "Chidi", "")


# --- the MIS products' header words --------------------------------------------------------


@pytest.mark.parametrize(
    "vocabulary", [PUPIL_VOCABULARY, STAFF_VOCABULARY, CONTACT_VOCABULARY], ids=str
)
def test_no_header_word_means_two_fields(vocabulary: tuple[HeaderWord, ...]) -> None:
    fields: dict[str, set[str]] = {}
    for field, header, _products in vocabulary:
        fields.setdefault(header_key(header), set()).add(field)
    assert {key: found for key, found in fields.items() if len(found) > 1} == {}


@pytest.mark.parametrize(
    ("product", "header", "row"),
    [
        (
            "SIMS",
            "Adno,UPN,Legal Surname,Legal Forename,Preferred Surname,Preferred Forename,"
            "Year Taught In,Reg Group",
            "001234,{upn},Bellingham-Rowe,Thomas,Rowe,Tom,Year 9,9 Oak",
        ),
        (
            "Arbor",
            "Student ID,Legal First Name,Legal Last Name,Known As First Name,"
            "Known As Last Name,Year Group,Registration Form",
            "4411,Thomas,Bellingham-Rowe,Tom,Rowe,Year 9,9 Oak",
        ),
        (
            "Bromcom",
            "Admission No,Legal Forename,Legal Surname,Preferred Forename,Preferred Surname,"
            "Year Group,Tutor Group",
            "1234,Thomas,Bellingham-Rowe,Tom,Rowe,9,9 Oak",
        ),
        (
            "iSAMS",
            "Pupil ID,Forename,Surname,Preferred Name,NC Year,Form",
            "P-77,Thomas,Rowe,Tom,9,9 Oak",
        ),
        (
            "Scholarpack",
            "UPN,Forename,Surname,Known As,Year,Class",
            "{upn},Thomas,Rowe,Tom,Y9,9 Oak",
        ),
        (
            "SEEMiS",
            "SCN,Forename,Surname,Known As,Stage,Reg Class",
            "051234561,Thomas,Rowe,Tom,S3,9 Oak",
        ),
    ],
)
def test_each_mis_products_export_is_understood(
    ctx: KioskContext, manager: Actor, product: str, header: str, row: str
) -> None:
    body = "801200009002"
    data = f"{header}\n{row.format(upn=upn_check_letter(body) + body)}\n"

    report = import_pupils_text(ctx, manager, data.encode(), mark_leavers=False)

    assert (report.added, report.problems) == (1, ()), product
    [pupil] = on_roll(ctx)
    assert pupil.name == "Tom Rowe"
    assert pupil.form == "9 Oak"
    assert pupil.year_label == ("S3" if product == "SEEMiS" else "Year 9")


# --- 3. early-years and primary year codes -------------------------------------------------


def test_early_years_codes_are_all_recognised(any_ctx: KioskContext, any_manager: Actor) -> None:
    report = import_pupils_file(any_ctx, any_manager, EARLY_YEARS, mark_leavers=False)

    assert (report.added, report.rejected) == (6, 0)
    shown = [(p.name, p.year_group, p.year_label) for p in on_roll(any_ctx)]
    # Cards print in school order: the youngest first.
    assert shown == [
        ("Ellis Brambley", "E1", "Early years 1"),
        ("Orla Penhaligon", "E2", "Early years 2"),
        ("Kit Marwood", "N1", "Nursery 1"),
        ("Suki Trevenna", "N2", "Nursery 2"),
        ("Ned Coppard", "R", "Reception"),
        ("Ada Fairclough", "1", "Year 1"),
    ]
    assert "Reception" in card_text(any_ctx, on_roll(any_ctx))


def test_cards_can_be_printed_for_a_year_written_in_words(
    ctx: KioskContext, manager: Actor
) -> None:
    import_pupils_file(ctx, manager, EARLY_YEARS, mark_leavers=False)

    assert [p.name for p in pupils_for_cards(ctx, year="Reception")] == ["Ned Coppard"]
    assert [p.name for p in pupils_for_cards(ctx, year="Nursery 2")] == ["Suki Trevenna"]


# --- 4. schools without UPNs ---------------------------------------------------------------

ADNO_FILE = (
    "Adno,Forename,Surname,Year,Form\n"
    "001201,Isla,Munro,Year 7,7M\n"
    "001202,Callum,Baird,Year 7,7M\n"
    "001203,Eilidh,Fraser,Year 8,8F\n"
)


def test_a_school_without_upns_imports_by_admission_number(
    any_ctx: KioskContext, any_manager: Actor
) -> None:
    report = import_pupils_text(any_ctx, any_manager, ADNO_FILE.encode(), mark_leavers=False)

    assert (report.added, report.rejected) == (3, 0)
    with any_ctx.db.read() as s:
        stored = sorted((p.upn, p.id_scheme, p.identifier) for p in s.scalars(select(Pupil)))
    assert stored == [
        (None, "admission_number", "1201"),
        (None, "admission_number", "1202"),
        (None, "admission_number", "1203"),
    ]
    isla = find_by_upn(any_ctx, "1201")
    assert (isla.name, isla.id_label) == ("Isla Munro", "Admission no. 1201")
    assert [p.name for p in search_pupils(any_ctx, "001201")] == ["Isla Munro"]
    assert [p.name for p in search_pupils(any_ctx, "120")] == [
        "Callum Baird",
        "Eilidh Fraser",
        "Isla Munro",
    ]


def test_a_pupil_without_a_upn_gets_a_card_that_scans(
    any_ctx: KioskContext, any_manager: Actor
) -> None:
    import_pupils_text(any_ctx, any_manager, ADNO_FILE.encode(), mark_leavers=False)
    pupils = on_roll(any_ctx)

    data = cards_pdf_bytes("Test School", [(p, card_payload(any_ctx, p)) for p in pupils])
    codes = scanned_codes(data)

    assert sorted(codes) == sorted(card_payload(any_ctx, p) for p in pupils)
    isla_code = next(c for c in codes if c == card_payload(any_ctx, find_by_upn(any_ctx, "1201")))
    claim = verify_pupil_card(any_ctx.card_key, any_ctx.card_code, isla_code)
    assert claim.pupil_id == find_by_upn(any_ctx, "1201").id
    result = act_on_scan(any_ctx, isla_code)
    assert result.kind == "handed_in"
    assert result.message.one_line.startswith("HANDED IN Isla Munro (7M)")


def test_a_re_import_without_upns_updates_rather_than_duplicates(
    any_ctx: KioskContext, any_manager: Actor
) -> None:
    import_pupils_text(any_ctx, any_manager, ADNO_FILE.encode(), mark_leavers=False)
    # The same export after a spreadsheet dropped the leading zeros and Isla moved form.
    again = ADNO_FILE.replace("001201,Isla,Munro,Year 7,7M", "1201,Isla,Munro,Year 7,7K")
    again = again.replace("00120", "120")

    report = import_pupils_text(any_ctx, any_manager, again.encode(), mark_leavers=False)

    assert (report.added, report.updated, report.unchanged) == (0, 1, 2)
    assert [(p.name, p.form) for p in on_roll(any_ctx)] == [
        ("Isla Munro", "7K"),
        ("Callum Baird", "7M"),
        ("Eilidh Fraser", "8F"),
    ]


def test_mark_leavers_works_by_admission_number(
    any_ctx: KioskContext, any_db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    full = tmp_path / "full.csv"
    full.write_text(ADNO_FILE + "001204,Rory,Stewart,Year 8,8F\n")
    partial = tmp_path / "partial.csv"
    partial.write_text(ADNO_FILE)
    assert main(["--db", any_db_url, "import-pupils", str(full)]) == 0

    assert main(["--db", any_db_url, "import-pupils", str(partial), "--mark-leavers"]) == 0

    assert "3 unchanged, 0 rejected; 1 marked as left." in capsys.readouterr().out
    rory = find_by_upn(any_ctx, "1204")
    assert rory.status == "left"
    assert [p.name for p in on_roll(any_ctx)] == ["Callum Baird", "Isla Munro", "Eilidh Fraser"]


def test_an_empty_upn_column_gives_way_to_the_admission_number(
    ctx: KioskContext, manager: Actor
) -> None:
    data = "UPN,Admission Number,Forename,Surname,Year,Form\n,55,Ann,Lee,R,RB\n,56,Ben,Ng,R,RB\n"

    report = import_pupils_text(ctx, manager, data.encode(), mark_leavers=False)

    assert (report.added, report.rejected) == (2, 0)
    assert find_by_upn(ctx, "56").name == "Ben Ng"


def test_a_real_upn_column_is_still_check_lettered(ctx: KioskContext, manager: Actor) -> None:
    body = "801200009003"
    good = upn_check_letter(body) + body
    bad = ("B" if good[0] != "B" else "C") + body
    data = (
        "UPN,Adno,Forename,Surname,Year,Form\n"
        f"{good},1,Ann,Lee,7,7A\n"
        f"{bad},2,Ben,Ng,7,7A\n"
        f",3,Cal,Oy,7,7A\n"
    )

    report = import_pupils_text(ctx, manager, data.encode(), mark_leavers=False)

    assert (report.added, report.rejected) == (1, 2)
    assert [(p.line, p.reason) for p in report.problems] == [
        (3, f"UPN {bad} has the wrong check letter (is it mistyped?)"),
        (4, "the UPN is empty"),
    ]


def test_scottish_candidate_numbers_are_check_digited_and_keep_their_leading_zero(
    ctx: KioskContext, manager: Actor
) -> None:
    # 0*3 + 5*2 + 1*7 + 2*6 + 3*5 + 4*4 + 5*3 + 6*2 = 87; 87 mod 11 = 10; 11 - 10 = 1.
    assert scn_check_digit("05123456") == 1
    assert scn_problem("051234561") is None
    data = (
        "SCN,Forename,Surname,Stage,Reg Class\n"
        "51234561,Ailsa,Reid,P3,3R\n"  # a spreadsheet dropped the leading zero
        "051234562,Fraser,Bain,P3,3R\n"
    )

    report = import_pupils_text(ctx, manager, data.encode(), mark_leavers=False)

    assert report.added == 1
    assert [(p.line, p.reason) for p in report.problems] == [
        (3, "SCN 051234562 has the wrong check digit (is it mistyped?)")
    ]
    ailsa = find_by_upn(ctx, "051234561")
    assert (ailsa.id_label, ailsa.year_label) == ("SCN 051234561", "Primary 3")


def test_identifiers_of_different_kinds_never_collide(ctx: KioskContext, manager: Actor) -> None:
    make_pupil(ctx, forename="Ann", surname="Upn")
    before = [(p.name, p.id_label) for p in on_roll(ctx)]

    with pytest.raises(InvalidInput) as refused:
        import_pupils_text(ctx, manager, ADNO_FILE.encode(), mark_leavers=False)

    assert refused.value.message == (
        "The pupils on roll are identified by UPN, but this file identifies them by admission "
        "number and gives no UPN, so every pupil would be added a second time. Export the file "
        "again with the UPN column filled. Nothing has been imported."
    )
    assert [(p.name, p.id_label) for p in on_roll(ctx)] == before


def test_a_file_with_both_keeps_matching_the_way_pupils_were_first_imported(
    ctx: KioskContext, manager: Actor
) -> None:
    import_pupils_text(ctx, manager, ADNO_FILE.encode(), mark_leavers=False)
    body = "801200009004"
    upn = upn_check_letter(body) + body
    data = f"UPN,Adno,Forename,Surname,Year,Form\n{upn},001201,Isla,Munro,8,8M\n"

    report = import_pupils_text(ctx, manager, data.encode(), mark_leavers=False)

    assert (report.added, report.updated) == (0, 1)
    assert find_by_upn(ctx, "1201").year_label == "Year 8"


# --- 5. staff and contact imports share the reader ------------------------------------------


def test_staff_known_as_names_and_short_rows(ctx: KioskContext, manager: Actor) -> None:
    data = (
        b"Title,Legal Forename,Legal Surname,Preferred Forename,Job Title,Email,Extension\r\n"
        b"Mrs,Margaret,Okonkwo,Peggy,Head of Year 9,mo@school.example,214\r\n"
        b"Mr,David,Lees,,Caretaker\r\n"
    )

    report = import_staff_text(ctx, manager, data)

    assert (report.added, report.rejected) == (2, 0)
    names = {e.name: (e.job_title, e.extension) for e in list_directory(ctx)}
    assert names["Mrs Peggy Okonkwo"] == ("Head of Year 9", "214")
    assert names["Mr David Lees"] == ("Caretaker", "")


def test_contacts_match_pupils_by_admission_number_with_short_rows_and_known_as_names(
    any_ctx: KioskContext, any_manager: Actor
) -> None:
    import_pupils_text(any_ctx, any_manager, ADNO_FILE.encode(), mark_leavers=False)
    data = (
        b"Admission Number,Contact Forename,Contact Surname,Contact Known As,Relationship,"
        b"Phone,May Collect\n"
        b"1201,Catriona,Munro,Katie,Mother,07700 900123,yes\n"
        b"001202,Alasdair,Baird,,Father\n"
        b"9999,Nobody,Here,,Uncle\n"
    )

    report = import_contacts_text(any_ctx, any_manager, data)

    assert (report.added, report.rejected) == (2, 1)
    assert [(p.line, p.reason) for p in report.problems] == [
        (4, "no pupil has the admission number '9999'")
    ]
    isla = find_by_upn(any_ctx, "1201")
    assert [(c.name, c.phone) for c in contacts.contacts_for(any_ctx, isla.id)] == [
        ("Katie Munro", "07700 900123")
    ]
    callum = find_by_upn(any_ctx, "1202")
    # A short row without "may collect" reads it as empty: no.
    assert [(c.name, c.may_collect) for c in contacts.contacts_for(any_ctx, callum.id)] == [
        ("Alasdair Baird", False)
    ]


@pytest.mark.parametrize(
    ("setting", "year", "held"),
    [
        ("5,6", "5", True),
        ("Year 5, Year 6", "6", True),
        ("Reception, Y1", "R", True),
        ("Nursery 2", "N2", True),
        ("5,6", "R", False),
        ("*", "E1", True),
        ("", "7", False),
    ],
)
def test_year_settings_read_years_the_way_imports_do(setting: str, year: str, held: bool) -> None:
    assert year_in(setting, year) is held
