"""Staff, roles and PINs."""

from __future__ import annotations

import pytest

from kiosk.errors import InvalidInput, NotAllowed
from kiosk.persistence.models import Staff
from kiosk.services import staff


def test_first_run_needs_a_manager_then_never_again(any_ctx) -> None:
    assert staff.needs_first_manager(any_ctx)
    boss = staff.create_first_manager(any_ctx, "  Ms   Ada Manager ", "2468")
    assert (boss.name, boss.role) == ("Ms Ada Manager", "manager")
    assert not staff.needs_first_manager(any_ctx)
    with pytest.raises(NotAllowed, match="A first manager was set up at another desk"):
        staff.create_first_manager(any_ctx, "Intruder", "0000")


def test_pin_is_stored_only_as_an_argon2_hash(ctx) -> None:
    staff.create_first_manager(ctx, "Ms Ada Manager", "2468")
    with ctx.db.read() as s:
        stored = s.query(Staff).one().pin_hash
    assert stored.startswith("$argon2") and "2468" not in stored


@pytest.mark.parametrize("pin", ["12", "12a4", "1234567890123", "١٢٣٤", ""])
def test_pins_must_be_four_to_twelve_plain_digits(ctx, pin: str) -> None:
    with pytest.raises(InvalidInput, match="4 to 12 digits"):
        staff.create_first_manager(ctx, "Ms Ada Manager", pin)
    assert staff.needs_first_manager(ctx)


def test_sign_in_with_the_right_pin_only(ctx, manager, receptionist) -> None:
    assert staff.sign_in(ctx, receptionist.staff_id, "1357") == receptionist
    with pytest.raises(NotAllowed, match="That PIN is not right"):
        staff.sign_in(ctx, receptionist.staff_id, "2468")
    with pytest.raises(NotAllowed, match="That PIN is not right"):
        staff.sign_in(ctx, 9999, "1357")


def test_receptionist_cannot_add_staff_or_set_others_pins(ctx, manager, receptionist) -> None:
    with pytest.raises(NotAllowed, match="Only a manager can add staff"):
        staff.add_staff(ctx, receptionist, "New Person", "manager", "1111")
    with pytest.raises(NotAllowed):
        staff.set_pin(ctx, receptionist, manager.staff_id, "1111")
    staff.set_pin(ctx, receptionist, receptionist.staff_id, "8642")
    assert staff.sign_in(ctx, receptionist.staff_id, "8642").role == "receptionist"


def test_manager_override_pin_names_the_manager(ctx, manager, receptionist) -> None:
    assert staff.verify_manager_pin(ctx, "2468") == manager
    with pytest.raises(NotAllowed, match="not a manager's PIN"):
        staff.verify_manager_pin(ctx, "1357")
