"""Damaged exports: a UTF-8 file with one Windows-1252 line decodes line by line (names never
turn to mojibake), a control character rejects its row by line and nothing of it is
stored, and the import commands' exit statuses say whether every row, some or none went in."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.cli import EXIT_DONE, EXIT_NOTHING_IMPORTED, EXIT_SOME_ROWS_REJECTED, main
from kiosk.context import KioskContext
from kiosk.errors import InvalidInput, NotFound
from kiosk.importing.contacts import import_contacts_text
from kiosk.importing.pupils import import_pupils_text, upn_check_letter
from kiosk.importing.reader import control_character_problem, decode_csv_bytes
from kiosk.importing.reports import ImportProblem
from kiosk.importing.staff import import_staff_text
from kiosk.persistence.models import Pupil
from kiosk.rows.people import Actor
from kiosk.services.contacts import contacts_for
from kiosk.services.directory import list_directory
from kiosk.services.pupils import find_by_upn
from tests.factories import make_manager


def upn(serial: int) -> str:
    body = f"8012000060{serial:02d}"
    return upn_check_letter(body) + body


ZOE, CHLOE, DAFYDD = upn(1), upn(2), upn(3)
HEADER = b"UPN,Forename,Surname,Year,Form\n"


@pytest.fixture
def any_manager(any_ctx: KioskContext) -> Actor:
    return make_manager(any_ctx, "Mrs Data Manager")


def stored_names(ctx: KioskContext) -> dict[str, str]:
    with ctx.db.read() as s:
        return {p.upn: f"{p.forename} {p.surname}" for p in s.scalars(select(Pupil))}


# --- decoding line by line -------------------------------------------------------------------


def test_a_stray_windows_1252_line_leaves_the_utf_8_lines_alone() -> None:
    data = "Zoë\n".encode() + "Chloé\n".encode("cp1252") + "Siân\n".encode()

    assert decode_csv_bytes(data) == "Zoë\nChloé\nSiân\n"


def test_a_line_that_is_neither_utf_8_nor_windows_1252_is_named() -> None:
    # 0x81 is one of the five bytes Windows-1252 leaves undefined.
    data = b"UPN,Forename\nA,Zo\xc3\xab\nB,\x81\xe9\n"

    with pytest.raises(InvalidInput) as refused:
        decode_csv_bytes(data)

    assert refused.value.message.startswith("Line 3 of the file is not text we can read")


def test_reimporting_a_mixed_encoding_file_keeps_existing_names_right(
    any_ctx: KioskContext, any_manager: Actor
) -> None:
    first = HEADER + f"{ZOE},Zoë,Adams,7,7K\n".encode()
    import_pupils_text(any_ctx, any_manager, first, mark_leavers=False)
    # The same export later, with one line pasted in from an older Windows-1252 file.
    mixed = (
        HEADER
        + f"{ZOE},Zoë,Adams,7,7K\n".encode()
        + f"{CHLOE},Chloé,Brontë,7,7K\n".encode("cp1252")
        + f"{DAFYDD},Dafydd,Ap Siôn,7,7K\n".encode()
    )

    report = import_pupils_text(any_ctx, any_manager, mixed, mark_leavers=False)

    assert (report.added, report.updated, report.unchanged, report.rejected) == (2, 0, 1, 0)
    assert stored_names(any_ctx) == {
        ZOE: "Zoë Adams",
        CHLOE: "Chloé Brontë",
        DAFYDD: "Dafydd Ap Siôn",
    }


# --- control characters ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "named"),
    [("Zo\x00ë", "NUL"), ("\x1b[31mRed", "ESC"), ("Bell\x07", "U+0007"), ("a\x85b", "U+0085")],
)
def test_a_control_character_is_named(value: str, named: str) -> None:
    assert control_character_problem(["ok", value]) == f"contains a control character ({named})"


def test_tabs_and_quoted_line_breaks_are_not_control_problems() -> None:
    assert control_character_problem(["Flat 2\tRiver Court", "Two\r\nlines"]) is None


def test_a_nul_in_a_pupil_row_rejects_that_row_only(
    any_ctx: KioskContext, any_manager: Actor
) -> None:
    data = (
        HEADER
        + f"{ZOE},Zoë,Adams,7,7K\n".encode()
        + f"{CHLOE},Chlo\x00e,Bront\x00,7,7K\n".encode()
        + f"{DAFYDD},Dafydd,Jones,7,7K\n".encode()
    )

    report = import_pupils_text(any_ctx, any_manager, data, mark_leavers=False)

    assert (report.added, report.rejected) == (2, 1)
    assert report.problems == (ImportProblem(3, "contains a control character (NUL)"),)
    with pytest.raises(NotFound):
        find_by_upn(any_ctx, CHLOE)
    assert set(stored_names(any_ctx)) == {ZOE, DAFYDD}


def test_a_pupil_whose_row_has_a_nul_is_not_marked_as_left(
    ctx: KioskContext, manager: Actor
) -> None:
    both = HEADER + f"{ZOE},Zoë,Adams,7,7K\n{CHLOE},Chloe,Brontë,7,7K\n".encode()
    import_pupils_text(ctx, manager, both, mark_leavers=False)
    damaged = HEADER + f"{ZOE},Zoë,Adams,7,7K\n{CHLOE},Chloe\x00,Brontë,7,7K\n".encode()

    report = import_pupils_text(ctx, manager, damaged, mark_leavers=True)

    assert (report.unchanged, report.rejected, report.left) == (1, 1, 0)


def test_a_nul_in_a_staff_row_rejects_that_row_only(
    any_ctx: KioskContext, any_manager: Actor
) -> None:
    data = b"Name,Email\nMs Ada Byron,ab@school.example\nMr Cy\x00 Dee,cd@school.example\n"

    report = import_staff_text(any_ctx, any_manager, data)

    assert (report.added, report.rejected) == (1, 1)
    assert report.problems == (ImportProblem(3, "contains a control character (NUL)"),)
    assert "Mr Cy Dee" not in {e.name for e in list_directory(any_ctx)}
    assert not any("\x00" in e.name for e in list_directory(any_ctx))


def test_a_nul_in_a_contact_row_rejects_that_row_only(
    any_ctx: KioskContext, any_manager: Actor
) -> None:
    import_pupils_text(
        any_ctx, any_manager, HEADER + f"{ZOE},Zoë,Adams,7,7K\n".encode(), mark_leavers=False
    )
    data = (
        "UPN,Contact name,Relationship,Phone\n"
        f"{ZOE},Ama Adams,Mother,07700 900123\n"
        f"{ZOE},Kofi Adams,Father,07700\x00900124\n"
    ).encode()

    report = import_contacts_text(any_ctx, any_manager, data)

    assert (report.added, report.rejected) == (1, 1)
    assert report.problems == (ImportProblem(3, "contains a control character (NUL)"),)
    zoe = find_by_upn(any_ctx, ZOE)
    assert [c.name for c in contacts_for(any_ctx, zoe.id)] == ["Ama Adams"]


# --- exit statuses ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "status", "summary"),
    [
        (
            f"{ZOE},Zoë,Adams,7,7K\n{CHLOE},Chloé,Brontë,7,7K\n",
            EXIT_DONE,
            "2 rows: 2 added, 0 updated, 0 unchanged, 0 rejected.",
        ),
        (
            f"{ZOE},Zoë,Adams,7,7K\n{CHLOE},Chlo\x00é,Brontë,7,7K\n",
            EXIT_SOME_ROWS_REJECTED,
            "2 rows: 1 added, 0 updated, 0 unchanged, 1 rejected.",
        ),
        (
            f"{ZOE},Zoë,Adams,77,7K\n{CHLOE},Chlo\x00é,Brontë,7,7K\n",
            EXIT_NOTHING_IMPORTED,
            "2 rows: 0 added, 0 updated, 0 unchanged, 2 rejected.",
        ),
    ],
    ids=["all-accepted", "some-rejected", "all-rejected"],
)
def test_import_pupils_exit_status_says_all_some_or_none(
    db_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    rows: str,
    status: int,
    summary: str,
) -> None:
    file = tmp_path / "pupils.csv"
    file.write_bytes(HEADER + rows.encode())

    assert main(["--db", db_url, "import-pupils", str(file)]) == status
    out, err = capsys.readouterr()
    assert out.strip() == summary
    assert "Traceback" not in err


def test_import_staff_and_contacts_exit_one_when_some_rows_were_rejected(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    staff = tmp_path / "staff.csv"
    staff.write_bytes(b"Name,Email\nMs Ada Byron,ab@school.example\nMr Cy\x00 Dee,\n")
    contacts = tmp_path / "contacts.csv"
    contacts.write_bytes(b"UPN,Contact name\nB999999999999,Nobody Known\n")

    assert main(["--db", db_url, "import-staff", str(staff)]) == EXIT_SOME_ROWS_REJECTED
    assert capsys.readouterr().err == "line 3: contains a control character (NUL)\n"
    assert main(["--db", db_url, "import-contacts", str(contacts)]) == EXIT_NOTHING_IMPORTED


def test_an_unreadable_import_file_exits_nothing_imported(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "pupils.csv"
    file.write_bytes(HEADER + b"A,\x81\n")

    assert main(["--db", db_url, "import-pupils", str(file)]) == EXIT_NOTHING_IMPORTED
    assert capsys.readouterr().err.startswith("Line 2 of the file is not text we can read")
