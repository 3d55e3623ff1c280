"""People are found however their names are typed: accents and letters such as Ł, Ø, ß and
Đ fold to plain letters in the Pupils tab, the calls' "for whom" box, the visitor
type-ahead, the staff directory and the alert list, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest

from kiosk.context import KioskContext
from kiosk.rows.people import Actor
from kiosk.services import alerts, pupils, visitors
from kiosk.services.directory import find_recipients
from tests.factories import make_directory_entry, make_pupil, make_visit

# (what is typed, the name as the school holds it)
TYPED_AND_STORED = [
    ("pham", "Phạm"),
    ("sean", "Seán"),
    ("lukasz", "Łukasz"),
    ("oyvind", "Øyvind"),
    ("strasse", "Straße"),
    ("dorde", "Đorđe"),
]


@pytest.mark.parametrize(("typed", "stored"), TYPED_AND_STORED)
def test_pupils_tab_finds_the_pupil(any_ctx: KioskContext, typed: str, stored: str) -> None:
    wanted = make_pupil(any_ctx, forename=stored, surname="Nowak")
    make_pupil(any_ctx, forename="Zara", surname="Patel")
    assert [p.id for p in pupils.search_pupils(any_ctx, typed)] == [wanted.id]
    by_surname = make_pupil(any_ctx, forename="Ana", surname=stored)
    assert by_surname.id in [p.id for p in pupils.search_pupils(any_ctx, typed)]


@pytest.mark.parametrize(("typed", "stored"), TYPED_AND_STORED)
def test_calls_for_whom_finds_staff_and_visitors_on_site(
    any_ctx: KioskContext, any_manager: Actor, typed: str, stored: str
) -> None:
    make_directory_entry(any_ctx, any_manager, name=f"Mr {stored} Kowalski")
    make_directory_entry(any_ctx, any_manager, name="Ms Jane Doe")
    make_visit(any_ctx, name=f"{stored} Visitor", organisation="Acme")
    found = [r.name for r in find_recipients(any_ctx, typed)]
    assert found == [f"Mr {stored} Kowalski", f"{stored} Visitor"]


@pytest.mark.parametrize(("typed", "stored"), TYPED_AND_STORED)
def test_visitor_type_ahead_finds_a_returning_visitor(
    any_ctx: KioskContext, typed: str, stored: str
) -> None:
    make_visit(any_ctx, name=f"Anna {stored}", organisation="Acme")
    make_visit(any_ctx, name="Someone Else", organisation="Other Ltd")
    matches = visitors.search_returning_visitors(any_ctx, typed)
    assert [m.name for m in matches] == [f"Anna {stored}"]
    # From the first word, across words, and not from the middle of a word.
    assert [m.name for m in visitors.search_returning_visitors(any_ctx, f"anna {typed}")] == [
        f"Anna {stored}"
    ]
    assert visitors.search_returning_visitors(any_ctx, typed[1:] + "zz") == []


def test_visitor_type_ahead_keeps_other_scripts_and_lists_newest_first(
    any_ctx: KioskContext,
) -> None:
    make_visit(any_ctx, name="محمد علي", organisation="")
    make_visit(any_ctx, name="Mhmd Test", organisation="")
    assert [m.name for m in visitors.search_returning_visitors(any_ctx, "محمد")] == ["محمد علي"]
    assert [m.name for m in visitors.search_returning_visitors(any_ctx, "mhmd")] == ["Mhmd Test"]
    make_visit(any_ctx, name="Łukasz Older", organisation="")
    make_visit(any_ctx, name="Lukasz Newer", organisation="")
    found = [m.name for m in visitors.search_returning_visitors(any_ctx, "luk")]
    assert found == ["Lukasz Newer", "Łukasz Older"]
    # A typed "%" or "_" is a character, not a wildcard.
    assert visitors.search_returning_visitors(any_ctx, "l_k%") == []


def test_staff_host_picker_folds_names(any_ctx: KioskContext, any_manager: Actor) -> None:
    make_directory_entry(any_ctx, any_manager, name="Mr Đorđe Øyvindsson")
    assert [name for _, name in visitors.search_hosts(any_ctx, "dorde")] == ["Mr Đorđe Øyvindsson"]
    assert [name for _, name in visitors.search_hosts(any_ctx, "oyv")] == ["Mr Đorđe Øyvindsson"]


def test_alert_list_matches_a_name_typed_without_its_letters(
    any_ctx: KioskContext, any_manager: Actor
) -> None:
    alerts.add_alert(any_ctx, any_manager, "Łukasz Øberg", "Not to collect.")
    make_visit(any_ctx, name="Lukasz Oberg", organisation="")
    matches = alerts.alert_matches(any_ctx, any_manager)
    assert [(m.signed_in_name, m.alert_name) for m in matches] == [("Lukasz Oberg", "Łukasz Øberg")]
