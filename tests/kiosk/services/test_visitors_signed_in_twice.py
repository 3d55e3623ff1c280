"""A visitor who signs in again while still signed in: the earlier visit is closed as "not
signed out", one visit stays open, and the fire roll call lists each person once; visits
left open after closing are closed by the receptionist."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import text

from kiosk.clock import FixedClock
from kiosk.context import KioskContext
from kiosk.errors import InvalidInput, NotAllowed
from kiosk.rows.people import Actor
from kiosk.services import audit, visitors
from kiosk.services.directory import find_recipients
from tests.factories import make_receptionist, make_visit


def _roll_call_names(ctx: KioskContext) -> list[str]:
    return [v.name for group in visitors.roll_call(ctx).groups for v in group.visits]


def test_returning_visitor_still_signed_in_from_yesterday_has_one_open_visit(
    any_ctx: KioskContext, clock: FixedClock
) -> None:
    yesterday = make_visit(any_ctx, name="Priya Shah")
    clock.advance(days=1)
    today = make_visit(any_ctx, name="Priya Shah", returning_visitor_id=yesterday.visit.visitor_id)

    assert [v.id for v in visitors.on_site(any_ctx)] == [today.visit.id]
    closed = visitors.get_visit(any_ctx, yesterday.visit.id)
    assert closed.signed_out_how == "not_signed_out"
    assert closed.signed_out_at == clock()
    entry = audit.recent_entries(any_ctx, entity="visitor_visit", entity_id=closed.id)[0]
    assert entry.action == "visit_closed_not_signed_out"
    assert entry.actor == "Visitor at the kiosk"
    assert json.loads(entry.after or "{}")["new_visit"] == today.visit.id
    assert _roll_call_names(any_ctx) == ["Priya Shah"]


def test_same_name_and_organisation_typed_again_this_morning_is_the_same_person(
    any_ctx: KioskContext, clock: FixedClock
) -> None:
    first = make_visit(any_ctx, name="Seán Ó Briain", organisation="Acme Roofing")
    clock.advance(hours=2)
    second = make_visit(any_ctx, name="sean o briain", organisation="ACME ROOFING")
    other_firm = make_visit(any_ctx, name="Seán Ó Briain", organisation="Briain Plumbing")

    on_site = {v.id for v in visitors.on_site(any_ctx)}
    assert on_site == {second.visit.id, other_firm.visit.id}
    assert visitors.get_visit(any_ctx, first.visit.id).signed_out_how == "not_signed_out"
    # Two people of one name from different firms are both on the roll call.
    assert sorted(_roll_call_names(any_ctx)) == ["Seán Ó Briain", "sean o briain"]


def test_roll_call_counts_each_person_once_even_with_two_open_visits_on_record(
    any_ctx: KioskContext, clock: FixedClock
) -> None:
    first = make_visit(any_ctx, name="Priya Shah")
    clock.advance(hours=1)
    make_visit(any_ctx, name="Priya Shah")
    make_visit(any_ctx, name="Tom Ward", organisation="Ward Glazing")
    # A visitor book kept before sign-in closed earlier visits: both still open.
    with any_ctx.db.write() as s:
        s.execute(
            text(
                "UPDATE visitor_visit SET signed_out_at = NULL, signed_out_how = NULL "
                "WHERE id = :id"
            ),
            {"id": first.visit.id},
        )
    assert len(visitors.on_site(any_ctx)) == 3
    roll = visitors.roll_call(any_ctx)
    assert sorted(_roll_call_names(any_ctx)) == ["Priya Shah", "Tom Ward"]
    priya = next(v for g in roll.groups for v in g.visits if v.name == "Priya Shah")
    assert priya.id != first.visit.id  # listed by the latest visit
    # A call for her offers her once.
    assert [r.name for r in find_recipients(any_ctx, "priya")] == ["Priya Shah"]


def test_receptionist_closes_a_visit_left_open_after_closing(
    any_ctx: KioskContext, any_manager: Actor, clock: FixedClock
) -> None:
    receptionist = make_receptionist(any_ctx, any_manager)
    left = make_visit(any_ctx, name="Priya Shah")
    with pytest.raises(InvalidInput, match="has not closed yet"):
        visitors.close_left_open(any_ctx, receptionist, left.visit.id)
    assert visitors.get_visit(any_ctx, left.visit.id).on_site

    clock.advance(hours=8)  # 16:40, after the 15:30 close
    assert [v.id for v in visitors.still_on_site_after_closing(any_ctx)] == [left.visit.id]
    with pytest.raises(NotAllowed):
        visitors.close_left_open(any_ctx, visitors.VISITOR_AT_KIOSK, left.visit.id)
    closed = visitors.close_left_open(any_ctx, receptionist, left.visit.id)

    assert closed.signed_out_how == "not_signed_out"
    assert visitors.on_site(any_ctx) == []
    assert visitors.still_on_site_after_closing(any_ctx) == []
    entry = audit.recent_entries(any_ctx, entity="visitor_visit", entity_id=left.visit.id)[0]
    assert (entry.action, entry.actor) == (
        "visit_closed_not_signed_out",
        "Mr Ben Desk (receptionist)",
    )
    with pytest.raises(InvalidInput, match="already been signed out"):
        visitors.close_left_open(any_ctx, receptionist, left.visit.id)
    assert closed.signed_out_at - clock() == timedelta(0)
