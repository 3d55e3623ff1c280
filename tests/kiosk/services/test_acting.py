"""Authority comes from the staff table, never from the caller: every manager-only service
refuses a receptionist who claims to be a manager, an actor with no staff id, copies of
the application's own actors, and a manager who has left; the audit log names the role
as stored. The list of manager-only services is checked against the code itself, so a new
one cannot be missed."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path

import pytest

import kiosk.importing
import kiosk.services
from kiosk.context import KioskContext
from kiosk.errors import NotAllowed
from kiosk.importing.contacts import (
    import_contacts_file,
    import_contacts_text,
    preview_contacts_text,
)
from kiosk.importing.pupils import import_pupils_file, import_pupils_text, preview_pupils_text
from kiosk.rows.people import COMMAND_LINE, PUPIL_AT_KIOSK, SYSTEM, Actor
from kiosk.services import (
    alerts,
    calendar,
    confiscations,
    custody,
    mail,
    messages,
    school,
    staff,
    visitor_retention,
    visitors,
)
from kiosk.services.audit import latest_change, recent_entries
from tests.factories import (
    MANAGER_PIN,
    SIGNATURE_PNG,
    make_confiscation,
    make_manager,
    make_pupil,
    make_receptionist,
    make_teacher,
    next_upn,
)


@dataclass(frozen=True)
class School:
    """What the hostile calls aim at: a real manager, a real receptionist, and records a
    manager made (a release window, a term, a closure, an alert, a device held for the
    DSL)."""

    ctx: KioskContext
    manager: Actor
    receptionist: Actor
    window_id: int
    term_id: int
    closure_id: int
    alert_id: int
    held_for_dsl: int
    with_police: int


def _school(ctx: KioskContext) -> School:
    manager = make_manager(ctx)
    receptionist = make_receptionist(ctx, manager)
    teacher = make_teacher(ctx, manager)
    pupil = make_pupil(ctx)
    device = make_confiscation(ctx, receptionist, pupil.id, confiscated_by=teacher.id)
    confiscations.hold_for_dsl(ctx, receptionist, device.id, concern="Photos of other pupils")
    confiscations.record_search(
        ctx, manager, device.id, pupil_consented=True, searched_by="Mrs DSL"
    )
    evidence = make_confiscation(ctx, receptionist, pupil.id, confiscated_by=teacher.id)
    confiscations.hand_to_police(ctx, manager, evidence.id, officer_name="PC Jones", reference="1")
    return School(
        ctx=ctx,
        manager=manager,
        receptionist=receptionist,
        window_id=calendar.add_release_window(ctx, manager, 2, time(16), time(16, 30), "Clubs").id,
        term_id=calendar.add_term(
            ctx, manager, "Spring term", date(2027, 1, 5), date(2027, 3, 26)
        ).id,
        closure_id=calendar.add_closure(ctx, manager, date(2027, 2, 15), "Training day").id,
        alert_id=alerts.add_alert(ctx, manager, "Mr Not Admitted", "Court order").id,
        held_for_dsl=device.id,
        with_police=evidence.id,
    )


# Every service only a manager may use, called with arguments a manager would succeed with.
def _csv_file(data: bytes) -> Path:
    """``data`` in a CSV file of its own, for the services that import a file."""
    folder = Path(tempfile.mkdtemp(prefix="kiosk-acting-"))
    path = folder / "export.csv"
    path.write_bytes(data)
    return path


MANAGER_ONLY: dict[str, Callable[[School, Actor], object]] = {
    "kiosk.services.alerts.add_alert": lambda w, a: alerts.add_alert(w.ctx, a, "Someone", "n"),
    "kiosk.services.alerts.list_alerts": lambda w, a: alerts.list_alerts(w.ctx, a),
    "kiosk.services.alerts.remove_alert": lambda w, a: alerts.remove_alert(w.ctx, a, w.alert_id),
    "kiosk.services.calendar.add_closure": lambda w, a: calendar.add_closure(
        w.ctx, a, date(2027, 3, 1), "Snow"
    ),
    "kiosk.services.calendar.add_release_window": lambda w, a: calendar.add_release_window(
        w.ctx, a, 0, time(12), time(12, 30), "Lunch"
    ),
    "kiosk.services.calendar.add_term": lambda w, a: calendar.add_term(
        w.ctx, a, "Summer term", date(2027, 4, 12), date(2027, 7, 21)
    ),
    "kiosk.services.calendar.remove_closure": lambda w, a: calendar.remove_closure(
        w.ctx, a, w.closure_id
    ),
    "kiosk.services.calendar.remove_release_window": lambda w, a: calendar.remove_release_window(
        w.ctx, a, w.window_id
    ),
    "kiosk.services.calendar.remove_term": lambda w, a: calendar.remove_term(w.ctx, a, w.term_id),
    "kiosk.services.calendar.set_periods": lambda w, a: calendar.set_periods(
        w.ctx, a, 0, [("Break", "break", time(10, 30), time(10, 45))]
    ),
    "kiosk.services.confiscations.hand_to_police": lambda w, a: confiscations.hand_to_police(
        w.ctx, a, w.held_for_dsl, officer_name="PC Jones", reference="CR/1"
    ),
    "kiosk.services.confiscations.move_device": lambda w, a: confiscations.move_device(
        w.ctx, a, w.held_for_dsl, location="Head's office"
    ),
    "kiosk.services.confiscations.record_content_deleted": lambda w, a: (
        confiscations.record_content_deleted(w.ctx, a, w.held_for_dsl, what="Two photos")
    ),
    "kiosk.services.confiscations.record_search": lambda w, a: confiscations.record_search(
        w.ctx, a, w.held_for_dsl, pupil_consented=True, searched_by="Mrs DSL"
    ),
    "kiosk.services.confiscations.release_device": lambda w, a: confiscations.release_device(
        w.ctx,
        a,
        w.held_for_dsl,
        collector_name="Mrs Ngozi Adebayo",
        relationship="Mother",
        signature_png=SIGNATURE_PNG,
        id_checked=True,
        override_pin=MANAGER_PIN,
        override_reason="Her mother; not yet on the contact list",
    ),
    "kiosk.services.confiscations.returned_by_police": lambda w, a: (
        confiscations.returned_by_police(
            w.ctx, a, w.with_police, officer_name="PC Jones", location="Safe"
        )
    ),
    "kiosk.services.confiscations.set_release_setting": lambda w, a: (
        confiscations.set_release_setting(w.ctx, a, "pupil")
    ),
    "kiosk.services.custody.save_receptacle": lambda w, a: custody.save_receptacle(
        w.ctx, a, name="Tray Z", capacity=10
    ),
    "kiosk.services.mail.save_smtp_settings": lambda w, a: mail.save_smtp_settings(
        w.ctx,
        a,
        host="smtp.elsewhere.example",
        port=587,
        starttls=True,
        username="",
        from_address="office@elsewhere.example",
    ),
    "kiosk.services.school.update_school": lambda w, a: school.update_school(
        w.ctx, a, name="Another School"
    ),
    "kiosk.services.staff.add_staff": lambda w, a: staff.add_staff(
        w.ctx, a, "Mr New Boss", "manager", "9999"
    ),
    "kiosk.services.staff.clear_pin_lock": lambda w, a: staff.clear_pin_lock(
        w.ctx, a, w.manager.staff_id or 0
    ),
    "kiosk.services.staff.set_pin": lambda w, a: staff.set_pin(
        w.ctx, a, w.manager.staff_id or 0, "9999"
    ),
    "kiosk.services.staff.set_staff_active": lambda w, a: staff.set_staff_active(
        w.ctx, a, w.receptionist.staff_id or 0, False
    ),
    "kiosk.services.visitor_retention.purge_visitors": lambda w, a: (
        visitor_retention.purge_visitors(w.ctx, a)
    ),
    "kiosk.services.visitors.save_policy_text": lambda w, a: visitors.save_policy_text(
        w.ctx, a, "visitor", "Phones", "Keep your phone in your bag."
    ),
    "kiosk.services.visitors.update_visitor_settings": lambda w, a: (
        visitors.update_visitor_settings(w.ctx, a, retention_days=60)
    ),
    "kiosk.importing.contacts.import_contacts_text": lambda w, a: import_contacts_text(
        w.ctx, a, b"UPN,Contact name\n" + next_upn(w.ctx).encode() + b",Mr Nobody\n"
    ),
    "kiosk.importing.pupils.import_pupils_text": lambda w, a: import_pupils_text(
        w.ctx,
        a,
        b"UPN,Forename,Surname,Year,Form\n" + next_upn(w.ctx).encode() + b",Ann,Other,9,9A\n",
        mark_leavers=False,
    ),
    "kiosk.importing.contacts.import_contacts_file": lambda w, a: import_contacts_file(
        w.ctx, a, _csv_file(b"UPN,Contact name\n" + next_upn(w.ctx).encode() + b",Mr Nobody\n")
    ),
    "kiosk.importing.pupils.import_pupils_file": lambda w, a: import_pupils_file(
        w.ctx,
        a,
        _csv_file(
            b"UPN,Forename,Surname,Year,Form\n" + next_upn(w.ctx).encode() + b",Ann,Other,9,9A\n"
        ),
        mark_leavers=False,
    ),
    # A preview shows what an import would change: as much the school's data as the import.
    "kiosk.importing.contacts.preview_contacts_text": lambda w, a: preview_contacts_text(
        w.ctx, a, b"UPN,Contact name\n" + next_upn(w.ctx).encode() + b",Mr Nobody\n"
    ),
    "kiosk.importing.pupils.preview_pupils_text": lambda w, a: preview_pupils_text(
        w.ctx,
        a,
        b"UPN,Forename,Surname,Year,Form\n" + next_upn(w.ctx).encode() + b",Ann,Other,9,9A\n",
        mark_leavers=False,
    ),
}


def manager_only_services() -> set[str]:
    """Every public service in kiosk.services and kiosk.importing whose code asks for a
    manager, found by reading the code."""
    found: set[str] = set()
    for package in (kiosk.services, kiosk.importing):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            if module.__name__ == "kiosk.services.acting":
                continue
            functions = {
                name: function
                for name, function in inspect.getmembers(module, inspect.isfunction)
                if function.__module__ == module.__name__
            }
            asks = {
                name
                for name, function in functions.items()
                if "require_manager(" in (source := inspect.getsource(function))
                or "_refuse_dsl_unless_manager(" in source
            }
            # Asks itself, or through another function of its module that asks.
            sources = {name: inspect.getsource(function) for name, function in functions.items()}
            grew = True
            while grew:
                callers = {
                    name
                    for name, source in sources.items()
                    if name not in asks and any(f"{asker}(" in source for asker in asks)
                }
                asks |= callers
                grew = bool(callers)
            found |= {f"{module.__name__}.{name}" for name in asks if not name.startswith("_")}
    return found


def test_every_manager_only_service_is_in_the_hostile_list() -> None:
    assert manager_only_services() == set(MANAGER_ONLY)


def _hostile_actors(world: School, left_manager: Actor) -> list[Actor]:
    receptionist = world.receptionist
    return [
        Actor(receptionist.staff_id, receptionist.name, "manager"),
        Actor(receptionist.staff_id, "Ms Ada Manager", "manager"),
        Actor(None, "Set-up", "manager"),
        Actor(None, SYSTEM.name, SYSTEM.role),  # a copy is not the application itself
        Actor(None, COMMAND_LINE.name, COMMAND_LINE.role),
        PUPIL_AT_KIOSK,
        Actor(987654, "Nobody on the staff list", "manager"),
        left_manager,
    ]


@pytest.mark.parametrize("service", sorted(MANAGER_ONLY))
def test_manager_only_service_refuses_every_claimed_role(any_ctx, service) -> None:  # type: ignore[no-untyped-def]
    world = _school(any_ctx)
    deputy = make_manager(any_ctx, name="Mr Left Manager", pin="8642")
    staff.set_staff_active(any_ctx, world.manager, deputy.staff_id or 0, False)
    call = MANAGER_ONLY[service]
    for hostile in _hostile_actors(world, deputy):
        written = latest_change(any_ctx)
        with pytest.raises(NotAllowed) as refused:
            call(world, hostile)
        if hostile.staff_id == world.receptionist.staff_id:
            assert "manager" in refused.value.message, refused.value.message
        assert latest_change(any_ctx) == written, hostile  # nothing was written
    # The same call from the real manager goes through: the refusals were about the role.
    call(world, world.manager)


@pytest.mark.parametrize(
    "service",
    ["kiosk.services.visitor_retention.purge_visitors", "kiosk.services.school.update_school"],
)
def test_the_command_line_keeps_what_the_it_technician_may_do(ctx, service) -> None:  # type: ignore[no-untyped-def]
    world = _school(ctx)
    MANAGER_ONLY[service](world, COMMAND_LINE)


def test_the_application_itself_may_purge_but_not_change_settings(ctx) -> None:  # type: ignore[no-untyped-def]
    world = _school(ctx)
    visitor_retention.purge_visitors(ctx, SYSTEM)
    with pytest.raises(NotAllowed):
        school.update_school(ctx, SYSTEM, name="Another School")
    with pytest.raises(NotAllowed):
        staff.add_staff(ctx, SYSTEM, "Mr New Boss", "manager", "9999")
    assert world.manager.staff_id is not None


def test_desk_services_refuse_actors_who_are_not_signed_in_staff(any_ctx) -> None:  # type: ignore[no-untyped-def]
    world = _school(any_ctx)
    pupil = make_pupil(any_ctx, forename="Ola", surname="Nowak")
    left = make_receptionist(any_ctx, world.manager, name="Mr Gone", pin="2222")
    staff.set_staff_active(any_ctx, world.manager, left.staff_id or 0, False)
    teacher = make_teacher(any_ctx, world.manager, name="Mrs No Pin")
    no_pin = Actor(teacher.id, teacher.name, "receptionist")
    for hostile in (Actor(None, "Desk", "receptionist"), left, no_pin, PUPIL_AT_KIOSK, SYSTEM):
        written = latest_change(any_ctx)
        with pytest.raises(NotAllowed):
            custody.hand_in_for_pupil(any_ctx, hostile, pupil.id)
        with pytest.raises(NotAllowed):
            messages.take_message(
                any_ctx,
                hostile,
                for_staff_id=world.manager.staff_id,
                caller_name="Mr Smith",
                caller_number="01632 960123",
                text="Please call back",
                urgent=False,
            )
        assert latest_change(any_ctx) == written, hostile
    # The real receptionist can.
    assert custody.hand_in_for_pupil(any_ctx, world.receptionist, pupil.id).kind == "handed_in"


def test_audit_names_the_role_and_name_as_stored_not_as_claimed(any_ctx) -> None:  # type: ignore[no-untyped-def]
    world = _school(any_ctx)
    pupil = make_pupil(any_ctx, forename="Ola", surname="Nowak")
    claimed = Actor(world.receptionist.staff_id, "Ms Ada Manager", "manager")
    custody.hand_in_for_pupil(any_ctx, claimed, pupil.id)
    newest = recent_entries(any_ctx, limit=1)[0]
    assert newest.action == "hand_in"
    assert newest.actor == f"{world.receptionist.name} (receptionist)"


def test_a_receptionist_claiming_to_be_a_manager_cannot_clear_locks_or_set_pins(any_ctx) -> None:  # type: ignore[no-untyped-def]
    world = _school(any_ctx)
    claimed = Actor(world.receptionist.staff_id, world.receptionist.name, "manager")
    with pytest.raises(NotAllowed):
        staff.set_pin(any_ctx, claimed, world.manager.staff_id or 0, "0000")
    # The manager's own PIN still signs them in; the forged one does not.
    assert staff.sign_in(any_ctx, world.manager.staff_id or 0, "2468").role == "manager"
    with pytest.raises(NotAllowed):
        staff.sign_in(any_ctx, world.manager.staff_id or 0, "0000")
    # Their own PIN they may change.
    staff.set_pin(any_ctx, claimed, world.receptionist.staff_id or 0, "5555")
    assert staff.sign_in(any_ctx, world.receptionist.staff_id or 0, "5555").role == "receptionist"


def test_a_manager_who_has_left_cannot_sign_in_or_act(any_ctx) -> None:  # type: ignore[no-untyped-def]
    world = _school(any_ctx)
    deputy = make_manager(any_ctx, name="Mr Left Manager", pin="8642")
    row = staff.set_staff_active(any_ctx, world.manager, deputy.staff_id or 0, False)
    assert not row.active
    with pytest.raises(NotAllowed):
        staff.sign_in(any_ctx, deputy.staff_id or 0, "8642")
    with pytest.raises(NotAllowed):
        calendar.add_closure(any_ctx, deputy, date(2027, 3, 1), "Snow")
    entry = recent_entries(any_ctx, limit=1, entity="staff")[0]
    assert (entry.action, entry.actor) == ("left", f"{world.manager.name} (manager)")


def test_a_manager_cannot_mark_themselves_as_left(ctx) -> None:  # type: ignore[no-untyped-def]
    manager = make_manager(ctx)
    with pytest.raises(NotAllowed, match="Another manager"):
        staff.set_staff_active(ctx, manager, manager.staff_id or 0, False)
    assert staff.sign_in(ctx, manager.staff_id or 0, "2468").staff_id == manager.staff_id
