"""Acknowledging a sign-in that matched the alert list: who may, what is stored and audited."""

from __future__ import annotations

import json

import pytest

from kiosk.errors import NotAllowed, NotFound
from kiosk.rows.people import Actor
from kiosk.services import alerts, audit
from tests.factories import make_receptionist, make_visit


def test_receptionist_acknowledges_a_match_and_the_audit_log_names_them(
    any_ctx, any_manager, clock
) -> None:
    desk = make_receptionist(any_ctx, any_manager, name="Mrs Carys Bevan")
    alerts.add_alert(any_ctx, any_manager, "John Smith", "Do not admit; call the head")
    visit = make_visit(any_ctx, name="John Smith").visit
    assert alerts.unacknowledged_alert_count(any_ctx) == 1
    [match] = alerts.alert_matches(any_ctx, desk)

    acknowledged = alerts.acknowledge_alert_match(any_ctx, desk, match.id)

    assert acknowledged.seen_at == clock()
    assert acknowledged.note == "Do not admit; call the head"
    assert alerts.unacknowledged_alert_count(any_ctx) == 0
    assert alerts.alert_matches(any_ctx, desk) == []
    [entry] = audit.recent_entries(any_ctx, entity="visitor_alert_match", entity_id=match.id)[:1]
    assert entry.action == "visitor_alert_seen"
    assert entry.actor == "Mrs Carys Bevan (receptionist)"
    assert json.loads(entry.after or "{}") == {"alert_id": match.alert_id, "visit_id": visit.id}


def test_acknowledging_twice_writes_one_entry(any_ctx, any_manager) -> None:
    alerts.add_alert(any_ctx, any_manager, "John Smith", "")
    make_visit(any_ctx, name="John Smith")
    [match] = alerts.alert_matches(any_ctx, any_manager)
    alerts.acknowledge_alert_match(any_ctx, any_manager, match.id)
    alerts.acknowledge_alert_match(any_ctx, any_manager, match.id)
    entries = audit.recent_entries(any_ctx, entity="visitor_alert_match", entity_id=match.id)
    assert [e.action for e in entries] == ["visitor_alert_seen", "visitor_alert_matched"]


def test_only_staff_at_the_desk_acknowledge_and_a_refusal_changes_nothing(
    any_ctx, any_manager
) -> None:
    alerts.add_alert(any_ctx, any_manager, "John Smith", "")
    make_visit(any_ctx, name="John Smith")
    [match] = alerts.alert_matches(any_ctx, any_manager)
    with pytest.raises(NotAllowed):
        alerts.acknowledge_alert_match(any_ctx, Actor(None, "A pupil", "pupil"), match.id)
    with pytest.raises(NotFound):
        alerts.acknowledge_alert_match(any_ctx, any_manager, match.id + 1000)
    assert alerts.unacknowledged_alert_count(any_ctx) == 1
