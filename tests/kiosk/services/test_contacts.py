"""Parents and carers: kept at the desk and imported from messy CSV exports."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.cli import EXIT_SOME_ROWS_REJECTED
from kiosk.cli import main as cli_main
from kiosk.context import KioskContext
from kiosk.errors import InvalidInput, NotAllowed
from kiosk.importing.contacts import import_contacts_file, import_contacts_text
from kiosk.rows.people import Actor
from kiosk.services import audit, contacts
from tests.factories import make_pupil


@pytest.fixture
def pupil_ids(ctx: KioskContext) -> dict[str, int]:
    # Valid UPNs of their own: the contacts files below name pupils by UPN.
    return {
        upn: make_pupil(ctx, forename=forename, surname="Test", upn=upn).id
        for upn, forename in (("W935100000001", "Zoë"), ("K935100000002", "Dafydd"))
    }


def test_contact_added_at_the_desk_is_listed_and_audited(ctx, receptionist, pupil_ids) -> None:  # type: ignore[no-untyped-def]
    zoe = pupil_ids["W935100000001"]
    added = contacts.add_contact(
        ctx, receptionist, zoe, name="  Siobhán   O'Brien ", relationship="Mother", phone="07700"
    )
    contacts.add_contact(
        ctx, receptionist, zoe, name="Uncle Bob", relationship="Uncle", may_collect=False
    )
    listed = contacts.contacts_for(ctx, zoe)
    assert [c.label for c in listed] == ["Siobhán O'Brien (Mother)", "Uncle Bob (Uncle)"]
    assert added.may_collect and not listed[1].may_collect
    assert audit.recent_entries(ctx, limit=1)[0].entity == "contact"


def test_contact_without_a_name_is_refused(ctx, receptionist, pupil_ids) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput, match="Enter the parent or carer's name"):
        contacts.add_contact(ctx, receptionist, pupil_ids["W935100000001"], name="  ")
    assert contacts.contacts_for(ctx, pupil_ids["W935100000001"]) == []


def test_contact_can_be_changed_and_removed(ctx, receptionist, pupil_ids) -> None:  # type: ignore[no-untyped-def]
    zoe = pupil_ids["W935100000001"]
    added = contacts.add_contact(ctx, receptionist, zoe, name="Ama", relationship="Mother")
    changed = contacts.update_contact(
        ctx,
        receptionist,
        added.id,
        name="Ama Mensah",
        relationship="Mother",
        phone="01234",
        email="ama@example.org",
        may_collect=False,
    )
    assert (changed.name, changed.phone, changed.may_collect) == ("Ama Mensah", "01234", False)
    contacts.remove_contact(ctx, receptionist, added.id)
    assert contacts.contacts_for(ctx, zoe) == []


CONTACTS_CSV = (
    "\ufeffUPN;Contact Name;Relationship;Mobile;Email;Can Collect\r\n"
    "W935100000001;Ama Adebayo;Mother;07700 900123;ama@example.org;Yes\r\n"
    'W935100000001;"Kofi; the uncle";Uncle;;;No\r\n'
    "K935100000002;Rhiannon ap Gruffudd;Carer;;;maybe\r\n"
    "B999999999999;Nobody;Father;;;Yes\r\n"
    "K935100000002;;Father;;;Yes\r\n"
    "\r\n"
    "K935100000002;Gwyn ap Gruffudd;Father;;;Y\r\n"
).encode()


def test_contacts_import_reports_bad_rows_by_line(ctx, manager, pupil_ids, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "contacts.csv"
    path.write_bytes(CONTACTS_CSV)
    report = import_contacts_file(ctx, manager, path)

    assert (report.added, report.rejected) == (3, 3)
    assert [(p.line, p.reason) for p in report.problems] == [
        (4, "'may collect' should be yes or no, not 'maybe'"),
        (5, "no pupil has the UPN 'B999999999999'"),
        (6, "the contact's name is empty"),
    ]
    zoe = contacts.contacts_for(ctx, pupil_ids["W935100000001"])
    assert [(c.name, c.may_collect) for c in zoe] == [
        ("Ama Adebayo", True),
        ("Kofi; the uncle", False),
    ]
    assert zoe[0].phone == "07700 900123"

    again = import_contacts_file(ctx, manager, path)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)


def test_contacts_import_without_a_name_column_changes_nothing(ctx, manager, pupil_ids) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as refused:
        import_contacts_text(ctx, manager, b"UPN,Phone\nW935100000001,0123\n")
    assert refused.value.message.startswith("The file has no column for the contact's name.")
    assert contacts.contacts_for(ctx, pupil_ids["W935100000001"]) == []


def test_only_a_manager_imports_contacts(ctx, receptionist: Actor) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotAllowed):
        import_contacts_text(ctx, receptionist, CONTACTS_CSV)


def test_kiosk_import_contacts_command(ctx, pupil_ids, db_url, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "contacts.csv"
    path.write_bytes(CONTACTS_CSV.decode().encode("cp1252", errors="replace"))
    # Three rows rejected, the rest imported: exit status 1.
    assert cli_main(["--db", db_url, "import-contacts", str(path)]) == EXIT_SOME_ROWS_REJECTED
    captured = capsys.readouterr()
    assert "6 contact rows: 3 added, 0 updated, 0 unchanged, 3 rejected." in captured.out
    assert "line 5: no pupil has the UPN 'B999999999999'" in captured.err
