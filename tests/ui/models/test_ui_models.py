"""The desk's table models: each passes Qt's model tester and shows its rows as the
receptionist reads them, with the rows that need attention marked."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from pytestqt.modeltest import ModelTester

from kiosk.rows.calls import CallLogRow, DirectoryEntry, TripRow
from kiosk.rows.confiscations import ConfiscationRow, CustodyEventRow
from kiosk.rows.people import ContactRow, PupilRow, RegisterEntry
from kiosk.rows.visitors import AlertRow, VisitRow
from ui.models.calls import CallLogModel, DirectoryModel, TripsModel
from ui.models.confiscations import ConfiscationsModel, ContactsModel, CustodyChainModel
from ui.models.custody import RegisterModel
from ui.models.pupil_list_model import PupilListModel
from ui.models.row_table import ATTENTION_ROLE, RowTableModel
from ui.models.visitors import AlertListModel, OnSiteModel

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
ZOE = PupilRow(1, "B000000000001", "Zoë", "Adebayo", "9", "9B", 1, "on_roll")
SAM = PupilRow(2, "B000000000002", "Sam", "O'Neil", "10", "10C", 3, "on_roll")


def shown(model: RowTableModel[object]) -> list[list[str]]:
    """Every cell's text, row by row."""
    return [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def attention(model: RowTableModel[object]) -> list[bool]:
    return [model.index(r, 0).data(ATTENTION_ROLE) for r in range(model.rowCount())]


def call(id_: int, kind: str, *, withheld: bool = False) -> CallLogRow:
    return CallLogRow(
        id_, kind, NOW, 7, "Ms Tia O'Brien", 1, "Zoë Adebayo", "Ama Adebayo (mother)",
        "01632 960 777", "personal" if withheld else "school_landline", withheld,
        "Mr Head" if withheld else "", "Phone confiscated", "Will collect", "desk", NOW,
    )  # fmt: skip


def test_call_log_shows_school_time_and_marks_emergency_calls(qtmodeltester: ModelTester) -> None:
    model = CallLogModel(LONDON)
    model.set_rows([call(1, "parent"), call(2, "emergency", withheld=True)])
    qtmodeltester.check(model)
    rows = shown(model)
    assert rows[0][:3] == ["Tue 24 Nov 12:00", "Call to a parent or carer", "Ms Tia O'Brien"]
    assert rows[1][5] == "Personal phone (number withheld)"
    assert attention(model) == [False, True]


def test_trips_show_lead_deputy_and_cancelled(qtmodeltester: ModelTester) -> None:
    trip = TripRow(
        1, date(2026, 11, 26), "Science Museum", None, None, 7, "Ms Tia O'Brien",
        "07700 900123", None, "", "", "", False, ((7, "Ms Tia O'Brien"), (8, "Mr Ade Ola")),
    )  # fmt: skip
    cancelled = TripRow(
        2, date(2026, 12, 1), "Kew", None, None, 8, "Mr Ade Ola", "07700 900456",
        7, "Ms Tia O'Brien", "07700 900123", "", True, (),
    )  # fmt: skip
    model = TripsModel()
    model.set_rows([trip, cancelled])
    qtmodeltester.check(model)
    assert shown(model) == [
        ["Thu 26 Nov 2026", "Science Museum", "Ms Tia O'Brien 07700 900123", "",
         "Ms Tia O'Brien, Mr Ade Ola"],
        ["Tue 01 Dec 2026", "Kew (cancelled)", "Mr Ade Ola 07700 900456",
         "Ms Tia O'Brien 07700 900123", ""],
    ]  # fmt: skip


def test_directory_marks_staff_out_on_a_trip(qtmodeltester: ModelTester) -> None:
    entry = DirectoryEntry(7, "Ms Tia O'Brien", "Science", "TOB", "12", "t@school.example",
                           "214", "07700 900123", False, True)  # fmt: skip
    other = DirectoryEntry(8, "Mr Ade Ola", "Caretaker", "AO", "3", "", "200", "", True, True)
    model = DirectoryModel()
    model.set_rows([(entry, "Science Museum"), (other, "")])
    qtmodeltester.check(model)
    assert [row[1] for row in shown(model)] == [
        "Out on a visit: Science Museum",
        "In school · signs in at the desk",
    ]
    assert attention(model) == [True, False]


def confiscation(id_: int, status: str) -> ConfiscationRow:
    return ConfiscationRow(
        id_, ZOE, "Black iPhone", "lesson", "", "Ms Tia O'Brien", "desk", NOW, "Safe", "0042",
        status,
    )  # fmt: skip


def test_confiscations_mark_devices_held_for_the_dsl(qtmodeltester: ModelTester) -> None:
    model = ConfiscationsModel(LONDON, lambda: NOW)
    model.set_rows([confiscation(1, "held"), confiscation(2, "dsl")])
    qtmodeltester.check(model)
    assert shown(model)[0][:4] == ["12:00 today", "Zoë Adebayo", "9B", "Black iPhone"]
    assert attention(model) == [False, True]


def test_chain_of_custody_names_the_officer(qtmodeltester: ModelTester) -> None:
    taken = CustodyEventRow(1, NOW, "confiscated", "desk", "Safe", "Used in lesson")
    police = CustodyEventRow(2, NOW, "police", "Mr Head", "", "Handed over", "PC Lee", "CR/12")
    model = CustodyChainModel(LONDON)
    model.set_rows([taken, police])
    qtmodeltester.check(model)
    assert [row[4] for row in shown(model)] == ["", "PC Lee · CR/12"]
    assert shown(model)[0][0] == "Tue 24 Nov 2026 12:00"


def test_contacts_mark_those_who_may_not_collect(qtmodeltester: ModelTester) -> None:
    mother = ContactRow(1, 1, "Ama Adebayo", "Mother", "01632 960 777", "", True, True)
    uncle = ContactRow(2, 1, "Kofi Adebayo", "Uncle", "", "", False, True)
    model = ContactsModel()
    model.set_rows([mother, uncle])
    qtmodeltester.check(model)
    assert [row[4] for row in shown(model)] == ["Yes", "No"]
    assert attention(model) == [False, True]


def test_contacts_mark_those_no_manager_has_confirmed(qtmodeltester: ModelTester) -> None:
    confirmed = ContactRow(1, 1, "Ama Adebayo", "Mother", "", "", True, True)
    typed_at_desk = ContactRow(2, 1, "Jo Bloggs", "Aunt", "", "", True, False)
    model = ContactsModel()
    model.set_rows([confirmed, typed_at_desk])
    qtmodeltester.check(model)
    assert [row[5] for row in shown(model)] == ["Yes", "Not yet: ask a manager"]
    assert attention(model) == [False, True]


def test_register_marks_entries_due_for_review(qtmodeltester: ModelTester) -> None:
    today = date(2026, 11, 24)
    due = RegisterEntry(1, ZOE, "exemption", "Medical monitoring", "Phone on silent",
                        "Headteacher", date(2026, 9, 3), date(2026, 12, 1), None)  # fmt: skip
    later = RegisterEntry(2, SAM, "permission", "Walks home alone", "", "Head of Year",
                          date(2026, 9, 3), date(2027, 9, 1), None)  # fmt: skip
    model = RegisterModel(lambda: today)
    model.set_rows([due, later])
    qtmodeltester.check(model)
    assert shown(model)[0] == [
        "Zoë Adebayo", "9B", "Exemption", "Medical monitoring", "Headteacher", "3 Sep 2026",
        "1 Dec 2026", "", "Phone on silent",
    ]  # fmt: skip
    assert attention(model) == [True, False]


def test_on_site_marks_visitors_still_here_after_closing(qtmodeltester: ModelTester) -> None:
    def visit(id_: int, name: str, checked: bool, signed_in: datetime) -> VisitRow:
        return VisitRow(id_, id_, name, "Acme Ltd", "contractor", "Mr Ade Ola", "AB12 CDE",
                        signed_in, None, None, checked, checked, not checked, id_, 1)  # fmt: skip

    model = OnSiteModel(LONDON)
    model.late = {2}
    model.now = NOW
    yesterday = datetime(2026, 11, 23, 16, 5, tzinfo=UTC)
    model.set_rows([visit(1, "Jo Bloggs", True, NOW), visit(2, "Ann Other", False, yesterday)])
    qtmodeltester.check(model)
    rows = shown(model)
    assert [row[0] for row in rows] == ["12:00 today", "16:05 yesterday"]
    assert rows[0][6:] == ["✓", "✓", "Unescorted"]
    assert rows[1][6:] == ["—", "—", "Escorted"]
    assert attention(model) == [False, True]


def test_alert_list_shows_the_note_and_who_added_it(qtmodeltester: ModelTester) -> None:
    model = AlertListModel()
    model.set_rows([AlertRow(1, "John Smith", "Court order: no contact", NOW, "Mr Head")])
    qtmodeltester.check(model)
    assert shown(model) == [["John Smith", "Court order: no contact", "Mr Head"]]


def test_pupil_results_read_name_form_and_year(qtmodeltester: ModelTester) -> None:
    model = PupilListModel()
    model.set_pupils([ZOE, SAM])
    qtmodeltester.check(model)
    assert [model.index(r, 0).data() for r in range(2)] == [
        "Zoë Adebayo · 9B · Year 9",
        "Sam O'Neil · 10C · Year 10",
    ]
    assert model.pupil_at(2) is None
