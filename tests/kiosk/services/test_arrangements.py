"""The register of permissions and exemptions: listing, editing, ending, review dates."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.errors import InvalidInput
from kiosk.services import arrangements, audit, pupils
from tests.factories import make_manager, make_pupil


@pytest.fixture
def zoe_id(any_ctx) -> int:  # type: ignore[no-untyped-def]
    return make_pupil(any_ctx, forename="Zoë", surname="Adebayo", year_group="6", form="6R").id


@pytest.fixture
def staff(any_ctx):  # type: ignore[no-untyped-def]
    return make_manager(any_ctx, "Mrs Dee Lead")


def test_register_lists_current_arrangements_and_due_reviews(any_ctx, staff, zoe_id) -> None:  # type: ignore[no-untyped-def]
    walk = arrangements.add_arrangement(
        any_ctx,
        staff,
        zoe_id,
        kind="permission",
        title="Walks home alone",
        agreed_by="Headteacher",
        starts_on=date(2026, 9, 1),
        review_on=date(2026, 12, 1),
    )
    arrangements.add_arrangement(
        any_ctx,
        staff,
        zoe_id,
        kind="exemption",
        title="Medical monitoring",
        conditions="Phone on silent for glucose alerts",
        starts_on=date(2026, 9, 1),
        review_on=date(2027, 3, 1),
    )
    entries = arrangements.register(any_ctx)
    assert [(e.kind_label, e.title, e.pupil.name) for e in entries] == [
        ("Exemption", "Medical monitoring", "Zoë Adebayo"),
        ("Permission", "Walks home alone", "Zoë Adebayo"),
    ]
    assert [e.id for e in arrangements.due_for_review(any_ctx)] == [walk.id]


def test_edited_arrangement_is_stored_and_audited(any_ctx, staff, zoe_id) -> None:  # type: ignore[no-untyped-def]
    walk = arrangements.add_arrangement(
        any_ctx,
        staff,
        zoe_id,
        kind="permission",
        title="Walks home alone",
        starts_on=date(2026, 9, 1),
    )
    changed = arrangements.update_arrangement(
        any_ctx,
        staff,
        walk.id,
        title="Walks home alone (Mon-Wed)",
        conditions="Hands in at 8:40",
        agreed_by="Mr Head",
        starts_on=date(2026, 9, 1),
        review_on=date(2027, 1, 10),
    )
    assert (changed.title, changed.review_on) == ("Walks home alone (Mon-Wed)", date(2027, 1, 10))
    assert pupils.arrangements_for(any_ctx, zoe_id)[0].conditions == "Hands in at 8:40"
    assert audit.recent_entries(any_ctx, limit=1)[0].action == "update"


def test_review_before_start_is_refused(any_ctx, staff, zoe_id) -> None:  # type: ignore[no-untyped-def]
    walk = arrangements.add_arrangement(
        any_ctx, staff, zoe_id, kind="permission", title="Walks", starts_on=date(2026, 9, 1)
    )
    with pytest.raises(InvalidInput, match="review date cannot be before"):
        arrangements.update_arrangement(
            any_ctx,
            staff,
            walk.id,
            title="Walks",
            conditions="",
            agreed_by="",
            starts_on=date(2026, 9, 1),
            review_on=date(2026, 8, 1),
        )


def test_ended_arrangement_no_longer_shows_at_hand_in(any_ctx, staff, zoe_id) -> None:  # type: ignore[no-untyped-def]
    walk = arrangements.add_arrangement(
        any_ctx, staff, zoe_id, kind="permission", title="Walks", starts_on=date(2026, 9, 1)
    )
    ended = arrangements.end_arrangement(any_ctx, staff, walk.id, ended_on=date(2026, 11, 23))
    assert ended.ends_on == date(2026, 11, 23)
    assert pupils.arrangements_for(any_ctx, zoe_id) == []
    assert arrangements.register(any_ctx) == []
    assert [e.id for e in arrangements.register(any_ctx, include_ended=True)] == [walk.id]
    with pytest.raises(InvalidInput, match="already ended"):
        arrangements.end_arrangement(any_ctx, staff, walk.id, ended_on=date(2026, 11, 24))
