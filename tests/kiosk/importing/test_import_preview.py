"""A preview of an import says exactly what the import will do, and writes nothing.

The preview runs the import's own code in a transaction that is rolled back, so its counts,
rejected lines and named rows must equal the real import's report, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.context import KioskContext
from kiosk.errors import NotAllowed
from kiosk.importing.contacts import import_contacts_text, preview_contacts_text
from kiosk.importing.pupils import import_pupils_text, preview_pupils_text
from kiosk.importing.reports import ImportChange
from kiosk.importing.staff import import_staff_text, preview_staff_text
from kiosk.rows.people import Actor
from kiosk.services import pupils
from kiosk.services.audit import latest_change
from kiosk.services.directory import list_directory
from tests.factories import make_receptionist

DATA = Path(__file__).resolve().parents[2] / "data"

CONTACTS_CSV = (
    b"UPN,Contact name,Relationship,Telephone,May collect\n"
    b"E919402119001,Mrs Anna Kowalczyk,Mother,07700 900111,yes\n"
    b"E919402119001,Mr Piotr Kowalczyk,Father,07700 900112,no\n"
    b"Z999999999999,Ms Nobody,Aunt,07700 900113,yes\n"
    b"E919402119001,Mr No Answer,Uncle,07700 900114,perhaps\n"
)

STAFF_CSV = (
    b"Title,Forename,Surname,Email,Extension\n"
    b"Mrs,Amina,Khan,a.khan@school.example,201\n"
    b"Mr,Tom,Pryce,t.pryce@school.example,202\n"
    b",,,nobody@school.example,203\n"
)


def pupil_state(ctx: KioskContext) -> list[tuple[str, str, str]]:
    return sorted((p.name, p.year_group, p.form) for p in pupils.pupils_for_cards(ctx))


def test_pupil_preview_equals_the_import_and_writes_nothing(
    any_ctx: KioskContext, any_manager: Actor
) -> None:
    data = (DATA / "broken_rows.csv").read_bytes()
    before = latest_change(any_ctx)

    preview = preview_pupils_text(any_ctx, any_manager, data, mark_leavers=False)

    assert pupil_state(any_ctx) == []
    assert latest_change(any_ctx) == before, "a preview writes no audit entry"
    assert preview.added > 0 and preview.rejected > 0
    done = import_pupils_text(any_ctx, any_manager, data, mark_leavers=False)
    assert done == preview
    assert len(pupil_state(any_ctx)) == done.added
    assert preview.changes[0] == ImportChange(2, "added", "Amara Okafor", "year 7, form 7A")


def test_pupil_preview_of_a_changed_file_names_what_changes(
    any_ctx: KioskContext, any_manager: Actor
) -> None:
    first = b"UPN,Forename,Surname,Year,Form\nE919402119001,Lukasz,Kowalczyk,7,7A\n"
    import_pupils_text(any_ctx, any_manager, first, mark_leavers=False)
    moved = b"UPN,Forename,Surname,Year,Form\nE919402119001,Lukasz,Kowalczyk,8,8A\n"

    preview = preview_pupils_text(any_ctx, any_manager, moved, mark_leavers=False)

    assert (preview.added, preview.updated, preview.unchanged) == (0, 1, 0)
    assert preview.changes == (
        ImportChange(2, "updated", "Lukasz Kowalczyk", "year group 7 → 8; form 7A → 8A"),
    )
    assert pupil_state(any_ctx) == [("Lukasz Kowalczyk", "7", "7A")]
    assert import_pupils_text(any_ctx, any_manager, moved, mark_leavers=False) == preview


def test_contact_preview_equals_the_import_and_writes_nothing(
    any_ctx: KioskContext, any_manager: Actor
) -> None:
    import_pupils_text(
        any_ctx, any_manager, (DATA / "mis_export_bom_crlf.csv").read_bytes(), mark_leavers=False
    )
    before = latest_change(any_ctx)

    preview = preview_contacts_text(any_ctx, any_manager, CONTACTS_CSV)

    assert latest_change(any_ctx) == before
    assert (preview.added, preview.rejected) == (2, 2)
    assert [p.line for p in preview.problems] == [4, 5]
    assert import_contacts_text(any_ctx, any_manager, CONTACTS_CSV) == preview


def test_staff_preview_equals_the_import_and_writes_nothing(
    any_ctx: KioskContext, any_manager: Actor
) -> None:
    people = [entry.name for entry in list_directory(any_ctx)]

    preview = preview_staff_text(any_ctx, any_manager, STAFF_CSV)

    assert [entry.name for entry in list_directory(any_ctx)] == people
    assert (preview.added, preview.rejected) == (2, 1)
    assert [c.name for c in preview.changes] == ["Mrs Amina Khan", "Mr Tom Pryce"]
    assert import_staff_text(any_ctx, any_manager, STAFF_CSV) == preview


def test_an_import_reports_its_progress_up_to_every_row(ctx: KioskContext, manager: Actor) -> None:
    rows = "".join(f"Pupil{n},Test,7,7A,E9194021190{n:02d}\n" for n in range(1, 10))
    data = ("Forename,Surname,Year,Form,Admission number\n" + rows).encode()
    seen: list[tuple[int, int]] = []

    report = import_pupils_text(
        ctx,
        manager,
        data,
        mark_leavers=False,
        progress=lambda done, total: seen.append((done, total)),
    )

    assert report.added == 9
    # Nine rows read, then nine new pupils recorded: the bar ends full.
    assert seen[-1] == (18, 18)


def test_a_receptionist_cannot_preview_a_pupil_import(ctx: KioskContext, manager: Actor) -> None:
    receptionist = make_receptionist(ctx, manager)
    with pytest.raises(NotAllowed):
        preview_pupils_text(
            ctx, receptionist, (DATA / "broken_rows.csv").read_bytes(), mark_leavers=False
        )
