"""Telephone messages: urgent, can wait (held until the next break), on a visit; passed on
once, by someone; bad input refused with plain words. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from kiosk.errors import InvalidInput, NotAllowed
from kiosk.persistence.models import PhoneMessage
from kiosk.services.calendar import add_closure, school_calendar, set_periods
from kiosk.services.directory import save_entry
from kiosk.services.messages import pass_on, queues, take_message
from kiosk.services.trips import save_trip
from tests.conftest import LONDON


@pytest.fixture
def teacher(any_ctx, any_manager):
    return save_entry(
        any_ctx, any_manager, name="Mr Nguyễn Văn An", initials="NVA", email="nva@school.example"
    )


def _count(ctx) -> int:
    with ctx.db.read() as s:
        return s.scalar(select(func.count()).select_from(PhoneMessage))


def test_urgent_call_goes_to_pass_on_now_until_marked_passed_on(
    any_ctx, any_manager, teacher, clock
) -> None:
    message = take_message(
        any_ctx,
        any_manager,
        for_staff_id=teacher.id,
        caller_name="Dr Patel, GP surgery",
        caller_number="+44 (0)1632 960 123",
        text="Please ring about test results today.",
        urgent=True,
    )
    assert [m.id for m in queues(any_ctx).pass_on_now] == [message.id]

    clock.advance(minutes=3)
    done = pass_on(any_ctx, any_manager, message.id, how="radio")

    assert done.state == "passed_on" and done.passed_on_how == "radio"
    assert done.passed_on_by == "Ms Ada Manager"
    assert done.passed_on_at == clock()
    assert queues(any_ctx).pass_on_now == ()


def test_a_message_is_never_passed_on_twice(any_ctx, any_manager, teacher) -> None:
    message = take_message(
        any_ctx, any_manager, for_staff_id=teacher.id, caller_name="Mum", text="x", urgent=True
    )
    pass_on(any_ctx, any_manager, message.id, how="in_person")
    with pytest.raises(NotAllowed, match="already been passed on by Ms Ada Manager at 08:40"):
        pass_on(any_ctx, any_manager, message.id, how="radio")


def test_can_wait_is_held_until_break_then_is_in_deliver_now(
    any_ctx, any_manager, teacher, clock
) -> None:
    # Tuesday 08:40: the default day's first break is 11:00.
    message = take_message(
        any_ctx,
        any_manager,
        for_staff_id=teacher.id,
        caller_name="Sports shop",
        text="The kit order is ready.",
        urgent=False,
    )
    assert message.held_until == datetime(2026, 11, 24, 11, 0, tzinfo=LONDON)
    assert message.held_for == "Break"
    assert [m.id for m in queues(any_ctx).waiting] == [message.id]
    assert queues(any_ctx).deliver_now == ()

    clock.set(datetime(2026, 11, 24, 10, 59, tzinfo=LONDON))
    assert queues(any_ctx).deliver_now == ()
    clock.set(datetime(2026, 11, 24, 11, 0, tzinfo=LONDON))
    assert [m.id for m in queues(any_ctx).deliver_now] == [message.id]
    assert queues(any_ctx).waiting == ()


def test_can_wait_after_the_last_break_waits_for_the_next_school_day(
    any_ctx, any_manager, teacher, clock
) -> None:
    clock.set(datetime(2026, 11, 27, 16, 0, tzinfo=LONDON))  # Friday after school
    add_closure(any_ctx, any_manager, date(2026, 11, 30), "Training day")
    free = school_calendar(any_ctx).next_free_time(any_ctx.clock(), teacher.id)
    # Monday is a closure day: Tuesday's break.
    assert free is not None
    assert free.starts == datetime(2026, 12, 1, 11, 0, tzinfo=LONDON)


def test_the_end_of_day_list_closes_when_the_school_day_ends(any_ctx, any_manager) -> None:
    from kiosk.services.custody import end_of_day

    set_periods(
        any_ctx,
        any_manager,
        1,  # Tuesday, the test clock's day
        [
            ("Period 1", "period", time(8, 45), time(12, 0)),
            ("End of day", "end_of_day", time(14, 50), time(15, 5)),
        ],
    )
    assert end_of_day(any_ctx)[0] == datetime(2026, 11, 24, 15, 5, tzinfo=LONDON)
    set_periods(any_ctx, any_manager, 1, [])
    assert end_of_day(any_ctx)[0] is None


def test_a_changed_school_day_moves_the_next_break(any_ctx, any_manager, teacher) -> None:
    set_periods(
        any_ctx,
        any_manager,
        1,
        [
            ("Lesson 1", "period", time(8, 30), time(10, 30)),
            ("Morning break", "break", time(10, 30), time(10, 45)),
        ],
    )
    message = take_message(
        any_ctx, any_manager, for_staff_id=teacher.id, caller_name="A", text="b", urgent=False
    )
    assert message.held_until == datetime(2026, 11, 24, 10, 30, tzinfo=LONDON)
    assert message.held_for == "Morning break"


def test_urgent_call_for_staff_on_a_visit_shows_the_lead_and_deputy_numbers(
    any_ctx, any_manager, teacher
) -> None:
    lead = save_entry(any_ctx, any_manager, name="Ms Siobhán Kelly")
    deputy = save_entry(any_ctx, any_manager, name="Mr Ben Okafor")
    save_trip(
        any_ctx,
        any_manager,
        on_date=date(2026, 11, 24),
        destination="Kew Gardens",
        lead_id=lead.id,
        lead_mobile="07700 900001",
        deputy_id=deputy.id,
        deputy_mobile="07700 900002",
        attending=[teacher.id],
    )
    message = take_message(
        any_ctx, any_manager, for_staff_id=teacher.id, caller_name="Home", text="x", urgent=True
    )
    assert message.route == "visit"
    assert message.visit is not None
    assert (message.visit.lead_name, message.visit.lead_mobile) == (
        "Ms Siobhán Kelly",
        "07700 900001",
    )
    assert message.visit.deputy_mobile == "07700 900002"
    done = pass_on(
        any_ctx, any_manager, message.id, how="visit_lead", outcome="Lead will tell him now."
    )
    assert done.outcome == "Lead will tell him now."


def test_non_urgent_call_for_staff_on_a_visit_waits_for_email_or_slip(
    any_ctx, any_manager, teacher
) -> None:
    lead = save_entry(any_ctx, any_manager, name="Ms Lead")
    save_trip(
        any_ctx,
        any_manager,
        on_date=date(2026, 11, 24),
        destination="Museum",
        lead_id=lead.id,
        lead_mobile="07700 900001",
        attending=[teacher.id],
    )
    message = take_message(
        any_ctx, any_manager, for_staff_id=teacher.id, caller_name="Shop", text="y", urgent=False
    )
    assert [m.id for m in queues(any_ctx).out_on_visit] == [message.id]
    assert message.held_until is None


def test_message_for_a_visitor_on_site_by_name(any_ctx, any_manager) -> None:
    message = take_message(
        any_ctx,
        any_manager,
        for_name="Mr Contractor (roof)",
        caller_name="Office",
        text="Van is outside",
        urgent=True,
    )
    assert message.for_name == "Mr Contractor (roof)" and message.for_staff_id is None


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"for_name": "  "}, "Who is the message for"),
        ({"caller_number": "0161 CALL ME"}, "only have digits"),
        ({"caller_name": ""}, "caller's name"),
        ({"text": "x" * 10_001}, "10,001 characters long"),
    ],
)
def test_bad_messages_are_refused_and_nothing_is_saved(
    any_ctx, any_manager, fields, reason
) -> None:
    values = {"for_name": "Mr A", "caller_name": "B", "text": "c", "urgent": True} | fields
    with pytest.raises(InvalidInput, match=reason):
        take_message(any_ctx, any_manager, **values)
    assert _count(any_ctx) == 0


def test_long_and_markup_messages_are_stored_exactly(any_ctx, any_manager) -> None:
    text = ("<b>bold</b> & 'quotes' \"double\" مرحبا 🙂 " * 120)[:5000]
    message = take_message(
        any_ctx, any_manager, for_name="Mr A", caller_name="<script>", text=text, urgent=False
    )
    assert message.text == text.strip() and message.caller_name == "<script>"


def test_passing_on_needs_someone_and_a_way(any_ctx, any_manager, clock) -> None:
    message = take_message(
        any_ctx, any_manager, for_name="Mr A", caller_name="B", text="c", urgent=True
    )
    with pytest.raises(InvalidInput, match="how it was passed on"):
        pass_on(any_ctx, any_manager, message.id, how="")
    with pytest.raises(InvalidInput, match="in the future"):
        pass_on(any_ctx, any_manager, message.id, how="radio", when=clock() + timedelta(hours=1))
    from kiosk.rows.people import SYSTEM

    with pytest.raises(NotAllowed):
        pass_on(any_ctx, SYSTEM, message.id, how="radio", by_staff_id=any_manager.staff_id)
    assert queues(any_ctx).pass_on_now[0].state == "open"


def test_the_database_itself_refuses_a_message_passed_on_by_nobody(any_ctx, any_manager) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    message = take_message(
        any_ctx, any_manager, for_name="Mr A", caller_name="B", text="c", urgent=True
    )
    # Raw SQL on purpose: the check constraint is under test, and the service never
    # writes such a row.
    with pytest.raises(IntegrityError), any_ctx.db.write() as s:
        s.execute(
            text(
                "UPDATE phone_message SET state = 'passed_on', passed_on_how = 'radio' "
                "WHERE id = :id"
            ),
            {"id": message.id},
        )
    assert queues(any_ctx).pass_on_now[0].id == message.id
