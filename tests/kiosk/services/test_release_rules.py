"""Who may collect a confiscated device, and who decides: tried as a hostile receptionist
would, through the services only (on SQLite and on PostgreSQL)."""

from __future__ import annotations

import json

import pytest

from kiosk.context import KioskContext
from kiosk.errors import InvalidInput, NotAllowed
from kiosk.importing.contacts import import_contacts_text
from kiosk.rows.confiscations import ConfiscationRow
from kiosk.rows.people import Actor, PupilRow
from kiosk.services import alerts, audit, contacts
from kiosk.services import confiscations as conf
from tests.conftest import TEST_PIN
from tests.factories import (
    RECEPTIONIST_PIN,
    SIGNATURE_PNG,
    make_contact,
    make_manager,
    make_pupil,
    make_receptionist,
    make_teacher,
)


@pytest.fixture
def manager(any_ctx: KioskContext) -> Actor:
    return make_manager(any_ctx, "Mrs Dee Lead", pin=TEST_PIN)


@pytest.fixture
def receptionist(any_ctx: KioskContext, manager: Actor) -> Actor:
    return make_receptionist(any_ctx, manager)


@pytest.fixture
def zoe(any_ctx: KioskContext) -> PupilRow:
    return make_pupil(any_ctx, forename="Zoë", surname="Adebayo")


@pytest.fixture
def held(any_ctx: KioskContext, manager: Actor, receptionist: Actor, zoe: PupilRow) -> int:
    """A device confiscated from Zoë, held at the office; its id."""
    teacher = make_teacher(any_ctx, manager)
    row = conf.confiscate(
        any_ctx,
        receptionist,
        zoe.id,
        device="Black iPhone",
        reason="lesson",
        confiscated_by=teacher.id,
        location="Safe",
    )
    return row.id


def release(ctx: KioskContext, actor: Actor, device_id: int, **fields: object) -> ConfiscationRow:
    """A release with a signature and photo ID checked unless the test says otherwise."""
    return conf.release_device(
        ctx,
        actor,
        device_id,
        signature_png=SIGNATURE_PNG,
        **({"id_checked": True} | fields),  # type: ignore[arg-type]
    )


def last_release_audit(ctx: KioskContext) -> dict[str, object]:
    entry = audit.recent_entries(ctx, limit=1, entity="confiscation")[0]
    assert entry.action == "release"
    return json.loads(entry.after or "{}")


def import_mother(ctx: KioskContext, manager: Actor, pupil: PupilRow, name: str) -> None:
    data = f"UPN,Name,Relationship,May collect\n{pupil.upn},{name},Mother,yes\n".encode()
    report = import_contacts_text(ctx, manager, data)
    assert report.added == 1


def test_stranger_added_as_a_contact_at_the_desk_still_needs_a_manager(
    any_ctx, receptionist, zoe, held
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(conf.OverrideNeeded):
        release(any_ctx, receptionist, held, collector_name="Jo Bloggs")
    stranger = make_contact(any_ctx, receptionist, zoe.id, name="Jo Bloggs", relationship="Aunt")
    assert not stranger.verified

    for by_name in (True, False):
        with pytest.raises(conf.OverrideNeeded) as refused:
            release(
                any_ctx,
                receptionist,
                held,
                collector_name="Jo Bloggs",
                contact_id=None if by_name else stranger.id,
            )
        assert refused.value.check.needs == ("unverified_contact",)
        assert "no manager has confirmed them yet" in refused.value.message
    assert conf.get_confiscation(any_ctx, held).status == "held"


def test_ticking_may_collect_at_the_desk_needs_a_manager_to_confirm(
    any_ctx, manager, receptionist, zoe, held
) -> None:  # type: ignore[no-untyped-def]
    import_mother(any_ctx, manager, zoe, "Ama Adebayo")
    uncle_data = f"UPN,Name,Relationship,May collect\n{zoe.upn},Kofi Adebayo,Uncle,no\n"
    import_contacts_text(any_ctx, manager, uncle_data.encode())
    uncle = next(c for c in contacts.contacts_for(any_ctx, zoe.id) if c.name == "Kofi Adebayo")
    assert uncle.verified and not uncle.may_collect

    allowed = contacts.update_contact(
        any_ctx,
        receptionist,
        uncle.id,
        name=uncle.name,
        relationship=uncle.relationship,
        phone="07700 900999",
        email="",
        may_collect=True,
    )
    assert allowed.may_collect and not allowed.verified
    with pytest.raises(conf.OverrideNeeded) as refused:
        release(any_ctx, receptionist, held, collector_name="Kofi Adebayo")
    assert refused.value.check.needs == ("unverified_contact",)

    # Renaming the mother to the person at the door does not make them the mother.
    mother = next(c for c in contacts.contacts_for(any_ctx, zoe.id) if c.name == "Ama Adebayo")
    renamed = contacts.update_contact(
        any_ctx,
        receptionist,
        mother.id,
        name="Jo Bloggs",
        relationship="Mother",
        phone="",
        email="",
        may_collect=True,
    )
    assert not renamed.verified

    with pytest.raises(NotAllowed, match="not a manager's PIN"):
        contacts.verify_contact(any_ctx, receptionist, uncle.id, RECEPTIONIST_PIN)
    assert not next(c for c in contacts.contacts_for(any_ctx, zoe.id) if c.id == uncle.id).verified

    confirmed = contacts.verify_contact(any_ctx, receptionist, uncle.id, TEST_PIN)
    assert confirmed.verified
    entry = audit.recent_entries(any_ctx, limit=1, entity="contact")[0]
    assert entry.action == "verify"
    assert json.loads(entry.after or "{}")["confirmed_by"] == "Mrs Dee Lead"

    released = release(any_ctx, receptionist, held, collector_name="Kofi Adebayo")
    assert released.release is not None and released.release.listed_contact
    assert released.release.override_by == ""


def test_imported_contact_collects_without_an_override(
    any_ctx, manager, receptionist, zoe, held
) -> None:  # type: ignore[no-untyped-def]
    import_mother(any_ctx, manager, zoe, "Ama Adebayo")
    (mother,) = contacts.contacts_for(any_ctx, zoe.id)
    assert mother.verified

    released = release(
        any_ctx, receptionist, held, collector_name="Ama Adebayo", contact_id=mother.id
    )

    assert released.release is not None
    assert released.release.listed_contact and released.release.override_by == ""
    after = last_release_audit(any_ctx)
    assert after["listed_contact"] is True and after["override_by"] is None
    assert after["overrides"] == [] and after["alert_id"] is None
    assert (after["collector"], after["relationship"], after["id_checked"]) == (
        "Ama Adebayo",
        "Mother",
        True,
    )


def test_choosing_the_mother_and_typing_another_name_is_not_the_mother(
    any_ctx, manager, receptionist, zoe, held
) -> None:  # type: ignore[no-untyped-def]
    import_mother(any_ctx, manager, zoe, "Ama Adebayo")
    (mother,) = contacts.contacts_for(any_ctx, zoe.id)
    with pytest.raises(conf.OverrideNeeded) as refused:
        release(any_ctx, receptionist, held, collector_name="Jo Bloggs", contact_id=mother.id)
    assert refused.value.check.needs == ("not_listed",)


def test_alert_listed_collector_is_refused_and_only_a_manager_overrides(
    any_ctx, manager, receptionist, zoe, held
) -> None:  # type: ignore[no-untyped-def]
    import_mother(any_ctx, manager, zoe, "Jo Bloggs")
    alert = alerts.add_alert(
        any_ctx, manager, "Jo Bloggs", "Not to be admitted or to collect any pupil."
    )

    check = conf.release_check(any_ctx, receptionist, held, collector_name="jo  BLOGGS")
    assert check.on_alert_list and check.alert_note == (
        "Not to be admitted or to collect any pupil."
    )
    # Even the school's own record of a parent does not pass the alert list.
    with pytest.raises(conf.OverrideNeeded) as refused:
        release(any_ctx, receptionist, held, collector_name="Jo Bloggs")
    assert refused.value.check.needs == ("alert",)
    assert refused.value.message.startswith(
        "Jo Bloggs matches Jo Bloggs on the alert list. Do not hand the device over. "
        "The alert says: Not to be admitted or to collect any pupil."
    )
    # A receptionist's own PIN is no override, nor is a manager signed in without a PIN.
    with pytest.raises(NotAllowed, match="not a manager's PIN"):
        release(
            any_ctx,
            receptionist,
            held,
            collector_name="Jo Bloggs",
            override_pin=RECEPTIONIST_PIN,
            override_reason="She says it is fine",
        )
    with pytest.raises(conf.OverrideNeeded):
        release(any_ctx, manager, held, collector_name="Jo Bloggs")
    with pytest.raises(NotAllowed, match="not a manager's PIN"):
        release(
            any_ctx,
            receptionist,
            held,
            collector_name="Jo Bloggs",
            override_pin="0000",
            override_reason="Court order lifted",
        )
    # A manager's PIN without a reason is not enough either.
    with pytest.raises(InvalidInput, match="Say why the manager allows this release"):
        release(any_ctx, receptionist, held, collector_name="Jo Bloggs", override_pin=TEST_PIN)
    assert conf.get_confiscation(any_ctx, held).status == "held"

    released = release(
        any_ctx,
        receptionist,
        held,
        collector_name="Jo Bloggs",
        override_pin=TEST_PIN,
        override_reason="Court order lifted; DSL spoke to social worker",
    )
    assert released.release is not None
    assert released.release.override_by == "Mrs Dee Lead"
    assert "on the alert list: released on Mrs Dee Lead's authority" in released.events[-1].detail
    after = last_release_audit(any_ctx)
    assert after["alert_id"] == alert.id
    assert after["overrides"] == [
        {
            "rule": "alert",
            "by": "Mrs Dee Lead",
            "by_staff_id": manager.staff_id,
            "reason": "Court order lifted; DSL spoke to social worker",
        }
    ]


def test_photo_id_not_checked_is_refused_without_an_override(
    any_ctx, manager, receptionist, zoe, held
) -> None:  # type: ignore[no-untyped-def]
    import_mother(any_ctx, manager, zoe, "Ama Adebayo")
    with pytest.raises(conf.OverrideNeeded) as refused:
        release(any_ctx, receptionist, held, collector_name="Ama Adebayo", id_checked=False)
    assert refused.value.check.needs == ("id_not_checked",)
    assert refused.value.message == (
        "Photo ID has not been checked. A manager's PIN is needed to release the device to them."
    )
    assert conf.get_confiscation(any_ctx, held).status == "held"

    released = release(
        any_ctx,
        receptionist,
        held,
        collector_name="Ama Adebayo",
        id_checked=False,
        override_pin=TEST_PIN,
        override_reason="Known to the office for years",
    )
    assert released.release is not None and not released.release.id_checked
    after = last_release_audit(any_ctx)
    assert after["listed_contact"] is True and after["id_checked"] is False
    assert [o["rule"] for o in after["overrides"]] == ["id_not_checked"]  # type: ignore[union-attr]


def test_every_rule_broken_at_once_is_named_and_overridden_one_by_one(
    any_ctx, manager, receptionist, zoe, held
) -> None:  # type: ignore[no-untyped-def]
    alerts.add_alert(any_ctx, manager, "Jo Bloggs", "")
    with pytest.raises(conf.OverrideNeeded) as refused:
        release(any_ctx, receptionist, held, collector_name="Jo Bloggs", id_checked=False)
    assert refused.value.check.needs == ("alert", "not_listed", "id_not_checked")
    release(
        any_ctx,
        receptionist,
        held,
        collector_name="Jo Bloggs",
        id_checked=False,
        override_pin=TEST_PIN,
        override_reason="Police present",
    )
    after = last_release_audit(any_ctx)
    assert [o["rule"] for o in after["overrides"]] == [  # type: ignore[union-attr]
        "alert",
        "not_listed",
        "id_not_checked",
    ]
    assert after["listed_contact"] is False
