"""The audit log in words: every kind of entry the services write has a sentence, and the
sentences name people and things instead of ids and internal values."""

from __future__ import annotations

import ast
import json
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import kiosk
from kiosk.rows.audit import AuditRow
from kiosk.services import confiscations as conf
from kiosk.services import contacts, custody, messages, trips
from kiosk.services.audit_words import SENTENCES, AuditNames, recent_in_words, sentence
from kiosk.services.directory import save_entry
from tests.factories import SIGNATURE_PNG, make_confiscation, make_contact, make_message, make_pupil

LONDON = ZoneInfo("Europe/London")


def _constant_strings(node: ast.expr) -> list[str]:
    """The values a keyword can take: a constant, or either branch of ``a if c else b``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _constant_strings(node.body) + _constant_strings(node.orelse)
    return []


def written_kinds() -> set[tuple[str, str]]:
    """Every (action, entity) the core writes to the audit log, read from its source: the
    calls to ``audit.record`` with their keywords, and the confiscation service's
    ``_audit(s, ctx, actor, at, action, ...)`` helper, whose entity is "confiscation"."""
    kinds: set[tuple[str, str]] = set()
    root = Path(kiosk.__file__).parent
    for path in root.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = (
                node.func.attr
                if isinstance(node.func, ast.Attribute)
                else getattr(node.func, "id", "")
            )
            keywords = {k.arg: k.value for k in node.keywords}
            if name == "record" and "action" in keywords and "entity" in keywords:
                for action in _constant_strings(keywords["action"]):
                    for entity in _constant_strings(keywords["entity"]):
                        kinds.add((action, entity))
            if name == "_audit" and path.name == "confiscations.py" and len(node.args) >= 5:
                for action in _constant_strings(node.args[4]):
                    kinds.add((action, "confiscation"))
    return kinds


KINDS = sorted(written_kinds())


def test_the_kinds_are_found_in_the_source() -> None:
    assert ("hand_in", "phone_custody") in KINDS
    assert ("release", "confiscation") in KINDS
    assert ("left", "staff") in KINDS and ("returned", "staff") in KINDS  # both branches
    assert len(KINDS) >= 60


@pytest.mark.parametrize("kind", KINDS, ids=["/".join(k) for k in KINDS])
def test_every_kind_of_entry_has_words(kind: tuple[str, str]) -> None:
    assert kind in SENTENCES, f"no sentence for audit entries of kind {kind}"
    action, entity = kind
    row = AuditRow(
        1,
        datetime(2026, 11, 24, 9, 0, tzinfo=UTC),
        "Mrs Rhian Bevan (receptionist)",
        action,
        entity,
        "7",
        json.dumps({}),
        json.dumps({}),
    )
    said = sentence(row, AuditNames(), LONDON)
    assert said[0].isupper() and said.endswith(".")
    for internal in ("_", "{", "None", " 7 ", "(receptionist)"):
        assert internal not in said, said


def test_release_reads_as_the_receptionist_would_say_it(ctx, manager, receptionist) -> None:
    jayden = make_pupil(ctx, forename="Jayden", surname="Adeyemi")
    ama = make_contact(ctx, manager, jayden.id, name="Ama Adeyemi", relationship="father")
    contacts.verify_contact(ctx, manager, ama.id, "2468")
    device = make_confiscation(
        ctx, receptionist, jayden.id, confiscated_by=manager.staff_id, device="Phone"
    )
    conf.release_device(
        ctx,
        receptionist,
        device.id,
        collector_name="Ama Adeyemi",
        relationship="father",
        contact_id=ama.id,
        id_checked=True,
        signature_png=SIGNATURE_PNG,
    )
    said = [line.sentence for line in recent_in_words(ctx)]
    assert said[0] == (
        "Mr Ben Desk released Jayden Adeyemi's phone to Ama Adeyemi (father), photo ID checked."
    )
    assert (
        "Mr Ben Desk recorded Jayden Adeyemi's phone confiscated (used in a lesson), kept in Safe."
        in said
    )


def test_hand_in_trip_and_message_name_people_not_ids(ctx, manager, receptionist) -> None:
    zoe = make_pupil(ctx, forename="Zoë", surname="Kelly", upn="B999401214010")
    custody.hand_in_for_pupil(ctx, receptionist, zoe.id)
    lead = save_entry(ctx, manager, name="Ms Siobhán Kelly", mobile="07700 900001")
    others = [save_entry(ctx, manager, name=n) for n in ("Mr Tom Baker", "Dr Ana Silva")]
    trips.save_trip(
        ctx,
        manager,
        on_date=date(2026, 11, 26),
        destination="Science Museum",
        lead_id=lead.id,
        lead_mobile="07700 900001",
        attending=[o.id for o in others],
    )
    message = make_message(ctx, receptionist, for_staff_id=lead.id)
    messages.pass_on(ctx, receptionist, message.id, how="radio")

    said = [line.sentence for line in recent_in_words(ctx)]
    assert said[0] == "Mr Ben Desk passed on the message for Ms Siobhán Kelly by radio."
    assert said[1] == "Mr Ben Desk took a message for Ms Siobhán Kelly from Mrs Kelly."
    assert said[2] == (
        "Ms Ada Manager added the trip to Science Museum on Thu 26 Nov 2026, led by "
        "Ms Siobhán Kelly, with Mr Tom Baker and Dr Ana Silva."
    )
    assert "Mr Ben Desk took in Zoë Kelly's phone: Office tray · slot 1." in said
    text = " ".join(said)
    for internal in ("B999401214010", "passed_on", "[", "deputy id", "_id"):
        assert internal not in text


def test_sentences_are_read_the_same_on_postgresql(any_ctx, any_manager) -> None:
    from tests.factories import make_receptionist

    desk = make_receptionist(any_ctx, any_manager, name="Mrs Rhian Bevan")
    pupil = make_pupil(any_ctx, forename="Jayden", surname="Adeyemi")
    custody.hand_in_for_pupil(any_ctx, desk, pupil.id)
    said = [line.sentence for line in recent_in_words(any_ctx)]
    assert said[0] == "Mrs Rhian Bevan took in Jayden Adeyemi's phone: Office tray · slot 1."
    assert said[1] == "Ms Ada Manager added Mrs Rhian Bevan as a receptionist, with a PIN."
