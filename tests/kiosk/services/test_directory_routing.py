"""The email address and mobile number route a person's messages: a receptionist cannot
send a manager's messages elsewhere, at the form or by a CSV import, without that
manager's own PIN; a manager can."""

from __future__ import annotations

import pytest

from kiosk.errors import NotAllowed
from kiosk.importing.staff import import_staff_text
from kiosk.rows.people import Actor
from kiosk.services.audit import latest_change, recent_entries
from kiosk.services.directory import (
    ROUTING_FREE,
    ROUTING_MANAGER_ONLY,
    ROUTING_NEEDS_PIN,
    get_entry,
    routing_rule,
    save_entry,
)
from kiosk.services.staff import pin_locks
from tests.factories import MANAGER_PIN, make_manager, make_receptionist, make_teacher


@pytest.fixture
def office(any_ctx):  # type: ignore[no-untyped-def]
    manager = make_manager(any_ctx)
    save_entry(
        any_ctx,
        manager,
        staff_id=manager.staff_id,
        name=manager.name,
        email="ada.manager@school.example",
        mobile="07700 900111",
    )
    return manager, make_receptionist(any_ctx, manager)


def _change_email(ctx, actor: Actor, target: Actor, email: str, **extra: str):  # type: ignore[no-untyped-def]
    entry = get_entry(ctx, target.staff_id or 0)
    return save_entry(
        ctx,
        actor,
        staff_id=entry.id,
        name=entry.name,
        email=email,
        mobile=entry.mobile,
        **extra,
    )


def test_a_receptionist_cannot_change_a_managers_email(any_ctx, office) -> None:  # type: ignore[no-untyped-def]
    manager, receptionist = office
    written = latest_change(any_ctx)
    for who in (receptionist, Actor(receptionist.staff_id, receptionist.name, "manager")):
        with pytest.raises(NotAllowed, match="decide where messages go"):
            _change_email(any_ctx, who, manager, "someone@elsewhere.example")
    assert get_entry(any_ctx, manager.staff_id or 0).email == "ada.manager@school.example"
    assert latest_change(any_ctx) == written


def test_a_receptionist_cannot_change_a_managers_mobile(any_ctx, office) -> None:  # type: ignore[no-untyped-def]
    manager, receptionist = office
    entry = get_entry(any_ctx, manager.staff_id or 0)
    with pytest.raises(NotAllowed):
        save_entry(
            any_ctx,
            receptionist,
            staff_id=entry.id,
            name=entry.name,
            email=entry.email,
            mobile="07700 900999",
        )
    assert get_entry(any_ctx, entry.id).mobile == "07700 900111"


def test_a_receptionist_may_still_change_a_managers_pigeonhole(any_ctx, office) -> None:  # type: ignore[no-untyped-def]
    manager, receptionist = office
    entry = get_entry(any_ctx, manager.staff_id or 0)
    saved = save_entry(
        any_ctx,
        receptionist,
        staff_id=entry.id,
        name=entry.name,
        pigeonhole="7",
        email=entry.email,
        mobile=entry.mobile,
    )
    assert (saved.pigeonhole, saved.email) == ("7", "ada.manager@school.example")


def test_a_manager_can_change_anyones_email(any_ctx, office) -> None:  # type: ignore[no-untyped-def]
    manager, receptionist = office
    _change_email(any_ctx, manager, receptionist, "ben.desk@school.example")
    assert get_entry(any_ctx, receptionist.staff_id or 0).email == "ben.desk@school.example"


def test_a_receptionist_can_change_their_own_email(any_ctx, office) -> None:  # type: ignore[no-untyped-def]
    _manager, receptionist = office
    _change_email(any_ctx, receptionist, receptionist, "ben@school.example")
    assert get_entry(any_ctx, receptionist.staff_id or 0).email == "ben@school.example"


def test_the_managers_own_pin_confirms_a_change_made_at_the_desk(any_ctx, office) -> None:  # type: ignore[no-untyped-def]
    manager, receptionist = office
    _change_email(any_ctx, receptionist, manager, "ada@school.example", their_pin=MANAGER_PIN)
    assert get_entry(any_ctx, manager.staff_id or 0).email == "ada@school.example"
    entry = recent_entries(any_ctx, limit=1, entity="staff")[0]
    assert entry.actor == f"{receptionist.name} (receptionist)"
    assert '"confirmed_by_their_pin": true' in (entry.after or "")


def test_a_wrong_pin_changes_nothing_and_counts_towards_the_lock(any_ctx, office) -> None:  # type: ignore[no-untyped-def]
    manager, receptionist = office
    with pytest.raises(NotAllowed, match="PIN is not right"):
        _change_email(any_ctx, receptionist, manager, "x@elsewhere.example", their_pin="0000")
    assert get_entry(any_ctx, manager.staff_id or 0).email == "ada.manager@school.example"
    assert [(lock.name, lock.wrong_in_a_row) for lock in pin_locks(any_ctx)] == [(manager.name, 1)]


def test_someone_without_a_pin_has_their_email_changed_by_a_manager_only(any_ctx, office) -> None:  # type: ignore[no-untyped-def]
    manager, receptionist = office
    teacher = make_teacher(any_ctx, manager)
    as_actor = Actor(teacher.id, teacher.name, "receptionist")
    assert routing_rule(any_ctx, receptionist, teacher.id) == ROUTING_MANAGER_ONLY
    with pytest.raises(NotAllowed, match="Only a manager"):
        _change_email(any_ctx, receptionist, as_actor, "tia@elsewhere.example")
    _change_email(any_ctx, manager, as_actor, "tia@school.example")
    assert get_entry(any_ctx, teacher.id).email == "tia@school.example"


def test_the_rule_is_known_before_the_form_is_filled_in(any_ctx, office) -> None:  # type: ignore[no-untyped-def]
    manager, receptionist = office
    claimed = Actor(receptionist.staff_id, receptionist.name, "manager")
    assert routing_rule(any_ctx, claimed, manager.staff_id) == ROUTING_NEEDS_PIN
    assert routing_rule(any_ctx, receptionist, receptionist.staff_id) == ROUTING_FREE
    assert routing_rule(any_ctx, receptionist, None) == ROUTING_FREE
    assert routing_rule(any_ctx, manager, receptionist.staff_id) == ROUTING_FREE
    with pytest.raises(NotAllowed):
        routing_rule(any_ctx, Actor(None, "Set-up", "manager"), manager.staff_id)


def test_a_receptionists_staff_import_cannot_reroute_a_manager(any_ctx, office) -> None:  # type: ignore[no-untyped-def]
    manager, receptionist = office
    data = (
        f"Name,Email\n{manager.name},someone@elsewhere.example\nMr New Teacher,new@school.example\n"
    ).encode()
    report = import_staff_text(any_ctx, receptionist, data)
    assert (report.added, report.rejected) == (1, 1)
    assert report.problems[0].line == 2
    assert "only a manager can import that" in report.problems[0].reason
    assert get_entry(any_ctx, manager.staff_id or 0).email == "ada.manager@school.example"

    again = import_staff_text(any_ctx, manager, data)
    assert (again.updated, again.rejected) == (1, 0)
    assert get_entry(any_ctx, manager.staff_id or 0).email == "someone@elsewhere.example"
