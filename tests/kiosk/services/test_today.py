"""The Today page's counts: what needs the desk now, read from the services that own it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kiosk.errors import NotAllowed
from kiosk.rows.people import PUPIL_AT_KIOSK
from kiosk.services import alerts, confiscations, custody, today
from tests.factories import (
    make_arrangement,
    make_confiscation,
    make_directory_entry,
    make_manager,
    make_message,
    make_pupil,
    make_receptionist,
    make_teacher,
    make_visit,
)


def test_an_empty_school_has_nothing_waiting(any_ctx) -> None:  # type: ignore[no-untyped-def]
    desk = make_receptionist(any_ctx, make_manager(any_ctx))

    counts = today.what_needs_me(any_ctx, desk)

    assert counts.nothing_waiting
    assert counts.phones_held == 0


def test_counts_every_kind_of_waiting_work(any_ctx, clock) -> None:  # type: ignore[no-untyped-def]
    boss = make_manager(any_ctx)
    desk = make_receptionist(any_ctx, boss)
    teacher = make_teacher(any_ctx, boss)
    dafydd = make_directory_entry(any_ctx, boss)
    # Yesterday afternoon a phone came in and was never collected.
    clock.advance(days=-1)
    overnight = make_pupil(any_ctx, surname="Overnight", year_group="9")
    custody.hand_in_for_pupil(any_ctx, desk, overnight.id)
    clock.advance(days=1)
    for surname in ("Morning", "Later"):
        custody.hand_in_for_pupil(any_ctx, desk, make_pupil(any_ctx, surname=surname).id)
    make_message(any_ctx, desk, for_staff_id=dafydd.id, urgent=True)
    make_message(any_ctx, desk, for_staff_id=dafydd.id, urgent=True)
    make_message(any_ctx, desk, for_staff_id=dafydd.id, urgent=False)
    make_visit(any_ctx, name="Priya Shah")
    alerts.add_alert(any_ctx, boss, "John Smith", "Not to collect pupils")
    make_visit(any_ctx, name="John Smith")
    walker = make_pupil(any_ctx, surname="Walker", year_group="6")
    make_arrangement(any_ctx, boss, walker.id, review_on=clock().date() + timedelta(days=3))
    make_arrangement(
        any_ctx,
        boss,
        walker.id,
        title="Medical",
        kind="exemption",
        review_on=clock().date() + timedelta(days=60),
    )
    held = make_confiscation(any_ctx, desk, walker.id, confiscated_by=teacher.id)
    for_dsl = make_confiscation(any_ctx, desk, overnight.id, confiscated_by=teacher.id)
    confiscations.hold_for_dsl(any_ctx, desk, for_dsl.id, concern="Photos of other pupils")

    counts = today.what_needs_me(any_ctx, desk)

    assert counts.urgent_calls == 2
    assert counts.messages_to_deliver == 0  # can wait: held until Dafydd's next break
    assert counts.phones_held == 3
    assert counts.phones_held_overnight == 1
    assert counts.visitors_on_site == 2
    assert counts.alert_matches == 1
    assert counts.reviews_due == 1
    assert counts.confiscations_due == 1
    assert counts.confiscations_for_dsl == 1
    assert held.status == "held"
    assert not counts.nothing_waiting

    clock.advance(hours=8)  # after school: the message that could wait is due
    assert today.what_needs_me(any_ctx, desk).messages_to_deliver == 1


def test_the_kiosk_face_is_never_told_what_waits(any_ctx) -> None:  # type: ignore[no-untyped-def]
    make_manager(any_ctx)
    with pytest.raises(NotAllowed):
        today.what_needs_me(any_ctx, PUPIL_AT_KIOSK)
