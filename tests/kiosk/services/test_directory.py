"""The staff directory: editing at the desk, type-ahead, and CSV import as robust as the
pupil import (encodings, header names, bad rows reported by line)."""

from __future__ import annotations

import pytest

from kiosk.errors import InvalidInput
from kiosk.importing.staff import import_staff_file, import_staff_text
from kiosk.services.directory import (
    find_recipients,
    get_entry,
    list_directory,
    save_entry,
)
from kiosk.services.staff import list_staff


def test_directory_only_staff_cannot_sign_in_but_are_listed(ctx, manager) -> None:
    entry = save_entry(
        ctx,
        manager,
        name="Mrs Zoë O'Brien",
        job_title="Head of Year 9",
        initials="ZOB",
        pigeonhole="14",
        email="zobrien@school.example",
        extension="214",
        mobile="07700 900123",
    )
    assert not entry.can_sign_in
    assert get_entry(ctx, entry.id).job_title == "Head of Year 9"
    assert entry.name in [e.name for e in list_directory(ctx)]
    assert entry.name not in [s.name for s in list_staff(ctx, can_sign_in=True)]


def test_editing_keeps_the_desk_role_and_pin(ctx, manager) -> None:
    changed = save_entry(ctx, manager, staff_id=manager.staff_id, name=manager.name, pigeonhole="1")
    assert changed.can_sign_in and changed.pigeonhole == "1"


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"name": " "}, "name"),
        ({"email": "not an address"}, "does not look like an email"),
        ({"mobile": "07700 CALLME"}, "only have digits"),
        ({"initials": "X" * 11}, "too long"),
    ],
)
def test_bad_directory_entries_are_refused(ctx, manager, fields, reason) -> None:
    before = list_directory(ctx)
    with pytest.raises(InvalidInput, match=reason):
        save_entry(ctx, manager, **({"name": "Mr A"} | fields))
    assert list_directory(ctx) == before


def test_type_ahead_finds_staff_by_name_initials_or_job(ctx, manager) -> None:
    save_entry(ctx, manager, name="Mr Łukasz Wiśniewski", initials="LWI", job_title="Maths")
    save_entry(ctx, manager, name="Ms Siobhán Kelly", initials="SKE", job_title="Science")
    assert [r.name for r in find_recipients(ctx, "łuk")] == ["Mr Łukasz Wiśniewski"]
    assert [r.name for r in find_recipients(ctx, "ske")] == ["Ms Siobhán Kelly"]
    assert [r.name for r in find_recipients(ctx, "maths")] == ["Mr Łukasz Wiśniewski"]


def test_import_reads_windows_1252_with_semicolons_and_other_header_names(
    ctx, manager, tmp_path
) -> None:
    data = (
        "Title;First Name;Last Name;Staff Code;Job Title;E-mail Address;Ext;Pigeonhole No\r\n"
        "Mrs;Zoë;O'Brien;ZOB;Head of Year 9;zobrien@school.example;214;14\r\n"
        "Mr;Seán;Murphy;SMU;Caretaker;;;\r\n"
    ).encode("cp1252")
    path = tmp_path / "staff.csv"
    path.write_bytes(data)

    report = import_staff_file(ctx, manager, path)

    assert (report.added, report.rejected) == (2, 0)
    zoe = next(e for e in list_directory(ctx) if e.initials == "ZOB")
    assert zoe.name == "Mrs Zoë O'Brien"
    assert (zoe.job_title, zoe.email, zoe.extension, zoe.pigeonhole) == (
        "Head of Year 9",
        "zobrien@school.example",
        "214",
        "14",
    )


def test_import_again_updates_by_email_and_reports_bad_rows_by_line(ctx, manager) -> None:
    import_staff_text(ctx, manager, b"Name,Email,Extension\nMr A Jones,aj@school.example,100\n")
    report = import_staff_text(
        ctx,
        manager,
        b"Name,Email,Extension\n"
        b"Mr Alan Jones,aj@school.example,101\n"
        b"Ms B,not-an-email,102\n"
        b"Ms C,,twelve\n",
    )
    assert (report.updated, report.rejected) == (1, 2)
    assert [p.line for p in report.problems] == [3, 4]
    jones = next(e for e in list_directory(ctx) if e.email == "aj@school.example")
    assert (jones.name, jones.extension) == ("Mr Alan Jones", "101")


def test_import_without_a_name_column_changes_nothing(ctx, manager) -> None:
    before = list_directory(ctx)
    with pytest.raises(InvalidInput, match="no name column"):
        import_staff_text(ctx, manager, b"Email,Extension\na@b.example,1\n")
    assert list_directory(ctx) == before


def test_kiosk_import_staff_command_reports_added_and_rejected(db_url, tmp_path, capsys) -> None:
    from kiosk.cli import EXIT_SOME_ROWS_REJECTED, main

    path = tmp_path / "staff.csv"
    path.write_bytes(
        "\ufeffFull Name,Job Title,Email Address\r\n"
        "Dr Nguyễn Thị Lan,Chemistry,ntl@school.example\r\n"
        "Mr Bad,Maths,not-an-email\r\n".encode()
    )
    assert main(["--db", db_url, "import-staff", str(path)]) == EXIT_SOME_ROWS_REJECTED
    out, err = capsys.readouterr()
    assert "1 added" in out and "1 rejected" in out
    assert "line 3:" in err
