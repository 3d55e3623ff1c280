"""Importing pupils from the CSV files schools' management information systems export."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from kiosk.cli import EXIT_NOTHING_IMPORTED, EXIT_SOME_ROWS_REJECTED, main
from kiosk.context import KioskContext
from kiosk.errors import KioskError, NotAllowed
from kiosk.importing.pupils import (
    import_pupils_file,
    import_pupils_text,
    normalise_year,
    upn_check_letter,
    upn_problem,
)
from kiosk.importing.reports import ImportProblem, ImportReport
from kiosk.persistence.models import AuditEntry, Pupil
from kiosk.rows.people import Actor
from kiosk.services.pupils import card_payload, find_by_upn, pupils_for_cards
from kiosk.startup import open_kiosk
from tests.factories import make_manager

DATA = Path(__file__).resolve().parents[2] / "data"
MIS_EXPORT = DATA / "mis_export_bom_crlf.csv"
SIMS_EXPORT = DATA / "sims_export_cp1252.csv"
SEMICOLONS = DATA / "tutor_groups_semicolon.csv"
BROKEN = DATA / "broken_rows.csv"
NO_YEAR = DATA / "missing_year_column.csv"

UNKNOWN_YEAR = "is not one we recognise (say 7, Y7, Year 7, Reception or N1)"


def make_upn(serial: int) -> str:
    body = f"9194021190{serial:02d}"
    return upn_check_letter(body) + body


def csv_bytes(*rows: tuple[str, str, str, str, str]) -> bytes:
    lines = ["UPN,Forename,Surname,Year,Form"] + [",".join(row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def stored_pupils(ctx: KioskContext) -> list[tuple[str, str, str, str, str, str]]:
    with ctx.db.read() as s:
        return sorted(
            (p.upn, p.forename, p.surname, p.year_group, p.form, p.status)
            for p in s.scalars(select(Pupil))
        )


def pupil_audit_entries(ctx: KioskContext) -> list[AuditEntry]:
    with ctx.db.read() as s:
        return list(
            s.scalars(
                select(AuditEntry).where(AuditEntry.entity == "pupil").order_by(AuditEntry.id)
            )
        )


@pytest.fixture
def any_manager(any_ctx: KioskContext) -> Actor:
    return make_manager(any_ctx, "Mrs Data Manager")


# --- UPNs and year groups -----------------------------------------------------------------


def test_upn_check_letter_matches_worked_examples() -> None:
    # 8*2 + 0*3 + 1*4 + 2*5 + 0*6 + 0*7 + 0*8 + 0*9 + 5*10 + 0*11 + 0*12 + 1*13 = 93;
    # 93 mod 23 = 1 -> "B", the second letter of the check alphabet.
    assert upn_check_letter("801200005001") == "B"
    # 919402119001: 9*2+1*3+9*4+4*5+0+2*7+1*8+1*9+9*10+0+0+1*13 = 211; 211 mod 23 = 4 -> "E".
    assert upn_check_letter("919402119001") == "E"
    # A temporary UPN ends in a letter counted by its place in the alphabet (A=0, B=1):
    # 80 + 1*13 = 93 -> "B" again.
    assert upn_check_letter("80120000500B") == "B"
    assert upn_problem("B801200005001") is None
    assert upn_problem("E919402119001") is None
    assert upn_problem("B80120000500B") is None


@pytest.mark.parametrize(
    ("upn", "reason"),
    [
        ("A801200005001", "UPN A801200005001 has the wrong check letter (is it mistyped?)"),
        ("B801200005002", "UPN B801200005002 has the wrong check letter (is it mistyped?)"),
        ("B80120000A001", "is not a valid UPN"),
        ("B8012000050011", "is not a valid UPN"),
        ("801200005001", "is not a valid UPN"),
        ("B80120000500I", "is not a valid UPN"),  # I is not in the check alphabet
        ("", "the UPN is empty"),
    ],
)
def test_upn_with_wrong_shape_or_check_letter_is_refused(upn: str, reason: str) -> None:
    problem = upn_problem(upn)
    assert problem is not None
    assert reason in problem


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("7", "7"),
        ("07", "7"),
        ("Y7", "7"),
        ("Yr 7", "7"),
        ("Year 7", "7"),
        ("year 11", "11"),
        ("13", "13"),
        ("R", "R"),
        ("Reception", "R"),
        ("N", "N"),
        ("Nursery", "N"),
        # Early years and primary, as the DfE's NC year codes and MIS products write them
        ("E1", "E1"),
        ("E2", "E2"),
        ("N1", "N1"),
        ("N2", "N2"),
        ("Nursery 2", "N2"),
        ("YR", "R"),
        ("Year R", "R"),
        ("Year 1", "1"),
        ("Year 14", "14"),
        ("NC Year -1", "N2"),
        ("-1", "N2"),
        ("NC Year 0", "R"),
        ("0", "R"),
        ("Year-7", "7"),
        ("Derbyn", "R"),
        ("P3", "P3"),
        ("S2", "S2"),
        ("15", None),
        ("-3", None),
        ("P8", None),
        ("X", "X"),
        ("7A", None),
        ("KS3", None),
        ("", None),
    ],
)
def test_year_groups_written_many_ways_are_stored_plainly(written: str, stored: str | None) -> None:
    assert normalise_year(written) == stored


# --- whole files ---------------------------------------------------------------------------

MIS_EXPORT_PUPILS = [
    ("A919402119006", "Zoë", "Smith, Jones", "11", "11N", "on_roll"),
    ("E919402119001", "Łukasz", "Kowalczyk", "7", "7A", "on_roll"),
    ("H919402119003", "Siobhán", "O'Brien", "7", "7B", "on_roll"),
    ("L919402119005", "Dafydd", "ap Gruffudd", "8", "8C", "on_roll"),
    ("X919402119004", "Thảo", "Nguyễn", "8", "8C", "on_roll"),
    ("Y91940212507A", "Aisha", "Ahmed", "R", "RB", "on_roll"),
]


def test_utf8_export_with_bom_crlf_and_quoted_line_breaks_is_imported(
    any_ctx: KioskContext, any_manager: Actor
) -> None:
    report = import_pupils_file(any_ctx, any_manager, MIS_EXPORT, mark_leavers=False)

    # The address on line 2 runs onto line 3, so the bad year is on line 4 of the file.
    assert report.problems == (ImportProblem(4, f"the year group 'KS3' {UNKNOWN_YEAR}"),)
    assert report.summary() == "7 rows: 6 added, 0 updated, 0 unchanged, 1 rejected."
    assert stored_pupils(any_ctx) == MIS_EXPORT_PUPILS
    created = [e for e in pupil_audit_entries(any_ctx) if e.action == "create"]
    assert len(created) == 6
    assert {e.staff_id for e in created} == {any_manager.staff_id}
    assert json.loads(created[0].after)["forename"] == "Łukasz"


def test_importing_the_same_file_again_changes_nothing(
    any_ctx: KioskContext, any_manager: Actor
) -> None:
    import_pupils_file(any_ctx, any_manager, MIS_EXPORT, mark_leavers=False)
    entries_after_first = len(pupil_audit_entries(any_ctx))

    again = import_pupils_file(any_ctx, any_manager, MIS_EXPORT, mark_leavers=False)

    assert again.summary() == "7 rows: 0 added, 0 updated, 6 unchanged, 1 rejected."
    assert (again.added, again.updated, again.unchanged, again.left) == (0, 0, 6, 0)
    assert len(pupil_audit_entries(any_ctx)) == entries_after_first
    assert stored_pupils(any_ctx) == MIS_EXPORT_PUPILS


def test_windows_1252_export_with_sims_headers_prefers_the_preferred_forename(
    ctx: KioskContext, manager: Actor
) -> None:
    report = import_pupils_file(ctx, manager, SIMS_EXPORT, mark_leavers=False)

    assert report.problems == ()
    assert report.summary() == "4 rows: 4 added, 0 updated, 0 unchanged, 0 rejected."
    # Pepe and Moira are preferred forenames, shown everywhere, with the legal forenames
    # kept; Amélie and Iñaki have blank preferred names, so their legal forenames are shown.
    shown = {p.upn: (p.name, p.forename) for p in pupils_for_cards(ctx)}
    assert shown == {
        "E919402120011": ("Pepe Peña", "José"),
        "H919402120013": ("Moira O’Connor", "Máire"),
        "U919402120012": ("Amélie Lefèvre", "Amélie"),
        "X919402120014": ("Iñaki Muñoz", "Iñaki"),
    }


def test_semicolon_separated_export_is_understood(ctx: KioskContext, manager: Actor) -> None:
    report = import_pupils_file(ctx, manager, SEMICOLONS, mark_leavers=False)

    assert report.summary() == "2 rows: 2 added, 0 updated, 0 unchanged, 0 rejected."
    assert stored_pupils(ctx) == [
        ("D919402121021", "Anne-Marie", "Dupont-Laurent", "10", "10 Mrs Ávila, Rm 4", "on_roll"),
        ("T919402121022", "Kwame", "Mensah", "9", "9MT", "on_roll"),
    ]


def test_broken_rows_are_reported_by_line_and_the_good_ones_imported(
    ctx: KioskContext, manager: Actor
) -> None:
    report = import_pupils_file(ctx, manager, BROKEN, mark_leavers=False)

    assert [(p.line, p.reason) for p in report.problems] == [
        (
            3,
            "UPN 'A12345' is not a valid UPN "
            "(13 characters: a letter, 11 digits, then a digit or a letter)",
        ),
        (4, "UPN B919402119033 has the wrong check letter (is it mistyped?)"),
        (5, "the forename is empty"),
        (6, f"the year group 'Year 15' {UNKNOWN_YEAR}"),
        (7, "UPN U919402119031 is a duplicate of line 2"),
        (
            10,
            "the surname is 300 characters long (200 at most): 'Featherstonehaugh-Featherston…'",
        ),
        (
            13,
            "too many fields (7 where the header has 6); "
            "is there a comma in a value without quotes around it?",
        ),
    ]
    assert report.summary() == "12 rows: 5 added, 0 updated, 0 unchanged, 7 rejected."
    assert stored_pupils(ctx) == [
        ("G919402119041", "Mary Jane", "Smith", "9", "9 C", "on_roll"),
        # Line 9 stops after the year group: its missing trailing cells read as empty.
        ("P919402119036", "Eve", "Jones", "7", "", "on_roll"),
        ("T919402119038", "Tom & <Jerry>", 'O\'Neil "Tiger" 😀', "9", "9C", "on_roll"),
        ("T919402119040", "Hana", "Kim", "9", "9C", "on_roll"),
        ("U919402119031", "Amara", "Okafor", "7", "7A", "on_roll"),
    ]


def test_file_without_a_year_column_is_refused_and_nothing_changes(
    ctx: KioskContext, manager: Actor
) -> None:
    with pytest.raises(KioskError) as refused:
        import_pupils_file(ctx, manager, NO_YEAR, mark_leavers=False)

    assert refused.value.message == (
        "The file has no column for the year group. The columns found were: "
        '"UPN", "Forename", "Surname", "Form", "Date of birth". Nothing has been imported.'
    )
    assert stored_pupils(ctx) == []
    assert pupil_audit_entries(ctx) == []


def test_file_with_several_missing_columns_names_them_all(
    ctx: KioskContext, manager: Actor
) -> None:
    # "Tutor" is usually the tutor's name, not the group, so it is not taken as the form.
    data = b"Pupil Ref,Name,Tutor\n1,Ada Lovelace,Mr Khan\n"
    with pytest.raises(KioskError) as refused:
        import_pupils_text(ctx, manager, data, mark_leavers=False)
    assert refused.value.message.startswith(
        "The file has no column for the UPN (or, for a school without UPNs, the admission "
        "number, pupil ID or Scottish Candidate Number), forename, surname, year group and "
        'form (registration group). The columns found were: "Pupil Ref", "Name", "Tutor".'
    )


def test_file_that_is_not_text_is_refused(ctx: KioskContext, manager: Actor) -> None:
    # 0x81 means nothing in UTF-8 or Windows-1252: this is not a CSV export.
    with pytest.raises(KioskError, match="not text we can read"):
        import_pupils_text(ctx, manager, b"UPN,Forename\x81\n", mark_leavers=False)


def test_empty_file_is_refused(ctx: KioskContext, manager: Actor) -> None:
    with pytest.raises(KioskError, match="The file is empty"):
        import_pupils_text(ctx, manager, b"\xef\xbb\xbf\r\n\r\n", mark_leavers=False)


def test_receptionist_cannot_import_pupils(ctx: KioskContext, receptionist: Actor) -> None:
    with pytest.raises(NotAllowed):
        import_pupils_file(ctx, receptionist, MIS_EXPORT, mark_leavers=False)
    assert stored_pupils(ctx) == []


# --- updates and leavers -------------------------------------------------------------------


def test_changed_form_is_updated_and_audited_with_before_and_after(
    ctx: KioskContext, manager: Actor
) -> None:
    ada, ben = make_upn(1), make_upn(2)
    import_pupils_text(
        ctx,
        manager,
        csv_bytes((ada, "Ada", "Lovelace", "7", "7A"), (ben, "Ben", "Okri", "7", "7A")),
        mark_leavers=False,
    )

    report = import_pupils_text(
        ctx,
        manager,
        csv_bytes((ada, "Ada", "Lovelace", "7", "7C"), (ben, "Ben", "Okri", "7", "7A")),
        mark_leavers=False,
    )

    assert report.summary() == "2 rows: 0 added, 1 updated, 1 unchanged, 0 rejected."
    update = [e for e in pupil_audit_entries(ctx) if e.action == "update"]
    assert len(update) == 1
    assert json.loads(update[0].before) == {"form": "7A"}
    assert json.loads(update[0].after) == {"form": "7C", "via": "pupil import"}


def test_pupils_missing_from_a_full_export_are_marked_left_never_deleted(
    ctx: KioskContext, manager: Actor
) -> None:
    pupils = [(make_upn(n), f"Pupil{n}", "Example", "8", "8B") for n in range(1, 5)]
    import_pupils_text(ctx, manager, csv_bytes(*pupils), mark_leavers=False)

    report = import_pupils_text(ctx, manager, csv_bytes(*pupils[:3]), mark_leavers=True)

    assert (
        report.summary() == "3 rows: 0 added, 0 updated, 3 unchanged, 0 rejected; 1 marked as left."
    )
    with ctx.db.read() as s:
        leaver = s.scalar(select(Pupil).where(Pupil.upn == make_upn(4)))
        assert leaver is not None
        assert (leaver.status, leaver.left_on) == ("left", date(2026, 11, 24))
        assert s.scalar(select(func.count()).select_from(Pupil)) == 4
    marked = [e for e in pupil_audit_entries(ctx) if e.action == "mark_left"]
    assert [e.entity_id for e in marked] == [str(leaver.id)]


def test_without_mark_leavers_nobody_is_marked_left(ctx: KioskContext, manager: Actor) -> None:
    pupils = [(make_upn(n), f"Pupil{n}", "Example", "8", "8B") for n in range(1, 5)]
    import_pupils_text(ctx, manager, csv_bytes(*pupils), mark_leavers=False)

    report = import_pupils_text(ctx, manager, csv_bytes(*pupils[:3]), mark_leavers=False)

    assert report.left == 0
    assert {row[5] for row in stored_pupils(ctx)} == {"on_roll"}


def test_pupil_on_a_rejected_row_is_not_marked_left(ctx: KioskContext, manager: Actor) -> None:
    pupils = [(make_upn(n), f"Pupil{n}", "Example", "8", "8B") for n in range(1, 4)]
    import_pupils_text(ctx, manager, csv_bytes(*pupils), mark_leavers=False)
    # Pupil 3's row has lost its year group, but the pupil is still in the export.
    damaged = (make_upn(3), "Pupil3", "Example", "", "8B")

    report = import_pupils_text(
        ctx, manager, csv_bytes(pupils[0], pupils[1], damaged), mark_leavers=True
    )

    assert report.problems == (ImportProblem(4, f"the year group (empty) {UNKNOWN_YEAR}"),)
    assert report.left == 0
    assert {row[5] for row in stored_pupils(ctx)} == {"on_roll"}


def test_partial_export_that_would_mark_most_pupils_left_is_refused(
    ctx: KioskContext, manager: Actor
) -> None:
    pupils = [(make_upn(n), f"Pupil{n}", "Example", "9", "9A") for n in range(1, 6)]
    import_pupils_text(ctx, manager, csv_bytes(*pupils), mark_leavers=False)
    before = stored_pupils(ctx)
    entries_before = len(pupil_audit_entries(ctx))
    newcomer = (make_upn(9), "New", "Starter", "9", "9A")

    with pytest.raises(KioskError) as refused:
        import_pupils_text(ctx, manager, csv_bytes(pupils[0], newcomer), mark_leavers=True)

    assert "would mark 4 of the 5 pupils on roll as left" in refused.value.message
    assert "Nothing has been changed" in refused.value.message
    # Not even the new pupil was added: the whole file is one transaction.
    assert stored_pupils(ctx) == before
    assert len(pupil_audit_entries(ctx)) == entries_before


def test_pupil_who_left_and_reappears_is_put_back_on_roll(
    ctx: KioskContext, manager: Actor
) -> None:
    pupils = [(make_upn(n), f"Pupil{n}", "Example", "10", "10R") for n in range(1, 5)]
    import_pupils_text(ctx, manager, csv_bytes(*pupils), mark_leavers=False)
    import_pupils_text(ctx, manager, csv_bytes(*pupils[:3]), mark_leavers=True)

    report = import_pupils_text(ctx, manager, csv_bytes(*pupils), mark_leavers=True)

    assert report.summary() == "4 rows: 0 added, 1 updated, 3 unchanged, 0 rejected."
    with ctx.db.read() as s:
        returner = s.scalar(select(Pupil).where(Pupil.upn == make_upn(4)))
        assert returner is not None
        assert (returner.status, returner.left_on) == ("on_roll", None)


def test_two_thousand_pupils_are_imported_without_a_query_per_row(
    ctx: KioskContext, manager: Actor
) -> None:
    rows = []
    for n in range(2000):
        body = f"9194021{n:05d}"
        rows.append((upn_check_letter(body) + body, f"Pupil{n}", "Example", "9", "9A"))
    data = csv_bytes(*rows)
    statements: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        statements.append(statement)

    event.listen(ctx.db.engine, "before_cursor_execute", count)
    try:
        first = import_pupils_text(ctx, manager, data, mark_leavers=True)
        again = import_pupils_text(ctx, manager, data, mark_leavers=True)
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", count)

    assert (first.added, again.unchanged) == (2000, 2000)
    # One look-up of the existing pupils per import, never one per row (the audit log's
    # hash chain reads its newest entry, and the manager's role is read from the staff
    # table, once per write transaction).
    selects = [sql for sql in statements if sql.lstrip().upper().startswith("SELECT")]
    pupil_selects = [sql for sql in selects if "FROM pupil" in sql]
    staff_selects = [sql for sql in selects if "FROM staff" in sql]
    assert len(pupil_selects) == 2
    assert len(staff_selects) == 2
    assert len(selects) <= 6


# --- the command line ----------------------------------------------------------------------


def test_cli_import_prints_each_problem_and_the_summary(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["--db", db_url, "import-pupils", str(BROKEN)])

    out, err = capsys.readouterr()
    assert status == EXIT_SOME_ROWS_REJECTED == 1
    assert out.strip() == "12 rows: 5 added, 0 updated, 0 unchanged, 7 rejected."
    lines = err.splitlines()
    assert len(lines) == 7
    assert lines[0].startswith("line 3: UPN 'A12345' is not a valid UPN")
    assert lines[4] == "line 7: UPN U919402119031 is a duplicate of line 2"
    assert lines[6].startswith("line 13: too many fields (7 where the header has 6)")


def test_cli_refuses_a_file_without_a_needed_column(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["--db", db_url, "import-pupils", str(NO_YEAR)])

    _out, err = capsys.readouterr()
    assert status == EXIT_NOTHING_IMPORTED == 2
    assert "no column for the year group" in err


def test_cli_mark_leavers(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pupils = [(make_upn(n), f"Pupil{n}", "Example", "11", "11K") for n in range(1, 4)]
    full, partial = tmp_path / "full.csv", tmp_path / "partial.csv"
    full.write_bytes(csv_bytes(*pupils))
    partial.write_bytes(csv_bytes(*pupils[:2]))
    assert main(["--db", db_url, "import-pupils", str(full)]) == 0
    capsys.readouterr()

    status = main(["--db", db_url, "import-pupils", str(partial), "--mark-leavers"])

    out, _err = capsys.readouterr()
    assert status == 0
    assert out.strip() == "2 rows: 0 added, 0 updated, 2 unchanged, 0 rejected; 1 marked as left."


def test_report_summary_reads_naturally() -> None:
    report = ImportReport(added=300, updated=5, unchanged=4, rejected=3, left=2)
    assert report.summary() == (
        "312 rows: 300 added, 5 updated, 4 unchanged, 3 rejected; 2 marked as left."
    )
    assert ImportReport(1, 0, 0, 0, 0).summary() == (
        "1 row: 1 added, 0 updated, 0 unchanged, 0 rejected."
    )


def test_pupil_imported_from_a_messy_export_can_hand_in_by_card(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # The export has one row in a year group we do not know (KS3): imported with exit 1.
    assert main(["--db", db_url, "import-pupils", str(MIS_EXPORT)]) == EXIT_SOME_ROWS_REJECTED
    ctx = open_kiosk(db_url)
    try:
        card = card_payload(ctx, find_by_upn(ctx, "e919402119001"))
    finally:
        ctx.close()
    assert main(["--db", db_url, "scan", card]) == 0
    capsys.readouterr()

    assert main(["--db", db_url, "held", "--json"]) == 0

    held = json.loads(capsys.readouterr().out)
    assert [(h["upn"], h["name"], h["form"]) for h in held] == [
        ("E919402119001", "Łukasz Kowalczyk", "7A")
    ]
    assert held[0]["slot"] == 1
