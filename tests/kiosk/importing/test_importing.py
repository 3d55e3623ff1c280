"""The one CSV reader behind every import, and the staff and contact imports through it:
short rows, byte-order marks, Windows-1252, semicolons, and problems reported by line."""

from __future__ import annotations

import pytest

from kiosk.context import KioskContext
from kiosk.errors import InvalidInput
from kiosk.importing.contacts import import_contacts_text
from kiosk.importing.headers import CONTACT_COLUMNS, STAFF_COLUMNS
from kiosk.importing.pupils import import_pupils_text, upn_check_letter
from kiosk.importing.reader import (
    cell,
    choose_delimiter,
    decode_csv_bytes,
    match_columns,
    open_table,
    yes_no,
)
from kiosk.importing.reports import ImportProblem
from kiosk.importing.staff import import_staff_text
from kiosk.rows.people import Actor
from kiosk.services.contacts import contacts_for
from kiosk.services.directory import list_directory
from kiosk.services.pupils import find_by_upn


def upn(body: str) -> str:
    return upn_check_letter(body) + body


ZOE, DAFYDD = upn("801200005001"), upn("801200005002")


@pytest.fixture
def pupil_ids(ctx: KioskContext, manager: Actor) -> dict[str, int]:
    """Two pupils on roll, imported as the school would import them."""
    data = (
        f"UPN,Forename,Surname,Year,Form\n{ZOE},Zoë,Test,9,9B\n{DAFYDD},Dafydd,Test,9,9B\n"
    ).encode()
    import_pupils_text(ctx, manager, data, mark_leavers=False)
    return {u: find_by_upn(ctx, u).id for u in (ZOE, DAFYDD)}


# --- the reader ----------------------------------------------------------------------------


def test_a_short_row_reads_its_missing_trailing_cells_as_empty() -> None:
    table = open_table(
        b"Name,Email,Extension,Mobile\nMr A Jones,aj@school.example\n", STAFF_COLUMNS
    )
    (line, row) = table.rows[0]
    assert line == 2
    assert cell(row, table.columns["name"]) == "Mr A Jones"
    assert cell(row, table.columns["extension"]) == ""
    assert cell(row, table.columns["mobile"]) == ""


def test_bom_utf8_and_windows_1252_decode_to_the_same_text() -> None:
    assert decode_csv_bytes("\ufeffName\nSiân Llŷr\n".encode()) == "Name\nSiân Llŷr\n"
    assert decode_csv_bytes("Name\nRené Müller\n".encode("cp1252")) == "Name\nRené Müller\n"
    assert decode_csv_bytes("Name\nZoë\n".encode("utf-16")) == "Name\nZoë\n"


def test_the_delimiter_is_the_one_that_finds_the_known_columns() -> None:
    assert choose_delimiter("UPN;Contact name;Phone", CONTACT_COLUMNS) == ";"
    assert choose_delimiter("UPN\tContact name\tPhone", CONTACT_COLUMNS) == "\t"
    # "Surname; Forename" in one header cell must not turn a comma file into semicolons.
    assert choose_delimiter("Name,Email,Notes; misc", STAFF_COLUMNS) == ","


def test_headers_match_whatever_their_case_and_punctuation() -> None:
    columns = match_columns(["E-mail Address", "Full Name", "ext."], STAFF_COLUMNS)
    assert (columns["email"], columns["name"], columns["extension"]) == ([0], [1], [2])
    assert columns["mobile"] == []


@pytest.mark.parametrize(
    ("written", "meaning"),
    [("Yes", True), ("y", True), ("✓", True), ("1", True), ("No", False), ("", False)],
)
def test_yes_no_cells(written: str, meaning: bool) -> None:
    assert yes_no(written) is meaning


def test_a_yes_no_cell_that_is_neither_is_none() -> None:
    assert yes_no("maybe") is None


def test_quoted_line_breaks_keep_the_line_numbers_an_editor_shows() -> None:
    table = open_table(b'Name,Notes\n"A",one\n"B","two\nlines"\n\nC,three\n', STAFF_COLUMNS)
    assert [line for line, _row in table.rows] == [2, 3, 6]


def test_a_file_of_blank_lines_is_refused() -> None:
    with pytest.raises(InvalidInput, match="The file is empty"):
        open_table(b"\r\n  \r\n", STAFF_COLUMNS)


# --- staff ---------------------------------------------------------------------------------


def test_staff_short_rows_import_with_the_missing_cells_empty(
    ctx: KioskContext, manager: Actor
) -> None:
    report = import_staff_text(
        ctx,
        manager,
        b"Name,Job title,Email,Extension,Mobile\n"
        b"Ms Ada Byron,Head of Maths,ab@school.example\n"
        b"Mr Cy Dee\n",
    )
    assert (report.added, report.rejected) == (2, 0)
    byron = next(e for e in list_directory(ctx) if e.name == "Ms Ada Byron")
    assert (byron.job_title, byron.email, byron.extension, byron.mobile) == (
        "Head of Maths",
        "ab@school.example",
        "",
        "",
    )


def test_staff_from_a_windows_1252_semicolon_file_with_problems_by_line(
    ctx: KioskContext, manager: Actor
) -> None:
    data = (
        "Title;Forename;Surname;E-mail;Ext\r\n"
        "Mme;Renée;Dupré;rd@school.example;201\r\n"
        "\r\n"
        "Mr;Ben;Oops;not-an-email;202\r\n"
        "Ms;Chloë;Brontë\r\n"
    ).encode("cp1252")
    report = import_staff_text(ctx, manager, data)

    assert (report.added, report.rejected) == (2, 1)
    assert report.problems == (
        ImportProblem(4, "'not-an-email' does not look like an email address."),
    )
    names = {e.name for e in list_directory(ctx)}
    assert {"Mme Renée Dupré", "Ms Chloë Brontë"} <= names


# --- contacts ------------------------------------------------------------------------------


def test_contacts_short_rows_and_a_bom_semicolon_file(
    ctx: KioskContext, manager: Actor, pupil_ids: dict[str, int]
) -> None:
    data = (
        "\ufeffUPN;Contact name;Relationship;Phone;Email;May collect\r\n"
        f"{ZOE};Ama Adebayo;Mother;07700 900123\r\n"
        f"{DAFYDD};Gwyn ap Gruffudd\r\n"
    ).encode()
    report = import_contacts_text(ctx, manager, data)

    assert (report.added, report.rejected, report.problems) == (2, 0, ())
    ama = contacts_for(ctx, pupil_ids[ZOE])[0]
    assert (ama.name, ama.relationship, ama.phone, ama.email) == (
        "Ama Adebayo",
        "Mother",
        "07700 900123",
        "",
    )
    # The "may collect" cell was missing, so it reads as empty: no.
    assert ama.may_collect is False
    gwyn = contacts_for(ctx, pupil_ids[DAFYDD])[0]
    assert (gwyn.name, gwyn.relationship) == ("Gwyn ap Gruffudd", "")


def test_contacts_from_windows_1252_with_problems_by_line(
    ctx: KioskContext, manager: Actor, pupil_ids: dict[str, int]
) -> None:
    data = (
        "UPN,Contact forename,Contact surname,Can collect\r\n"
        f"{ZOE},Frédérique,Lefèvre,Y\r\n"
        f'{ZOE},"Two\r\nLines",Name,perhaps\r\n'
        "B999999999999,No,Pupil,Y\r\n"
    ).encode("cp1252")
    report = import_contacts_text(ctx, manager, data)

    assert report.added == 1
    assert report.problems == (
        ImportProblem(3, "'may collect' should be yes or no, not 'perhaps'"),
        ImportProblem(5, "no pupil has the UPN 'B999999999999'"),
    )
    assert [(c.name, c.may_collect) for c in contacts_for(ctx, pupil_ids[ZOE])] == [
        ("Frédérique Lefèvre", True)
    ]
