"""The scan service: one decision for every scanned code, whoever scanned it.

A desk that claims a code stops the hand-in; a visitor badge signs its visitor out; a
pupil's card hands in; garbage, forged badges and partial bursts change nothing; a database
fault is reported plainly, never raised.
"""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text

from kiosk.changes import Topic
from kiosk.codes.pupil_card import NOT_A_CARD
from kiosk.codes.visitor_badge import BADGE_NOT_GENUINE
from kiosk.context import KioskContext
from kiosk.importing.pupils import import_pupils_text, upn_check_letter
from kiosk.rows.people import Actor, PupilRow
from kiosk.scanning.service import act_on_scan, partial_scan
from kiosk.scanning.words import INCOMPLETE_SCAN, NOT_RECORDED, UNEXPECTED_FAILURE
from kiosk.services.audit import latest_change
from kiosk.services.custody import held_phones
from kiosk.services.pupils import card_payload, find_by_upn
from kiosk.services.visitors import on_site
from tests.factories import make_visit


def enrol_pupil(
    ctx: KioskContext,
    manager: Actor,
    forename: str = "Zoë",
    surname: str = "Ní Bhriain",
    *,
    form: str = "9B",
    number: int = 1,
) -> PupilRow:
    """A pupil on roll, imported the way the school's MIS export arrives."""
    body = f"80120000{number:04d}"
    upn = upn_check_letter(body) + body
    csv = f"UPN,Forename,Surname,Year,Reg\n{upn},{forename},{surname},9,{form}\n"
    report = import_pupils_text(ctx, manager, csv.encode("utf-8"), mark_leavers=False)
    assert report.added == 1, report.problems
    return find_by_upn(ctx, upn)


class Claimant:
    """A desk whose form is (or is not) waiting for a pupil's card."""

    def __init__(self, claims: bool) -> None:
        self.claims = claims
        self.asked: list[str] = []

    def claim_scan(self, code: str) -> bool:
        self.asked.append(code)
        return self.claims


def test_a_claimed_card_hands_nothing_in_and_records_nothing(
    ctx: KioskContext, manager: Actor
) -> None:
    pupil = enrol_pupil(ctx, manager)
    card = card_payload(ctx, pupil)
    desk = Claimant(claims=True)
    before = latest_change(ctx)

    result = act_on_scan(ctx, card, claimant=desk)

    assert result.kind == "claimed"
    assert desk.asked == [card]
    assert not result.changes
    assert held_phones(ctx) == []
    assert latest_change(ctx) == before


def test_a_card_the_desk_does_not_claim_is_handed_in(ctx: KioskContext, manager: Actor) -> None:
    pupil = enrol_pupil(ctx, manager)

    result = act_on_scan(ctx, card_payload(ctx, pupil), claimant=Claimant(claims=False))

    assert result.kind == "handed_in"
    assert result.message.one_line == "HANDED IN Zoë Ní Bhriain (9B) -> Office tray · slot 1"
    assert result.changes.touches(frozenset({Topic.CUSTODY}))
    assert not result.changes.touches(frozenset({Topic.VISITORS}))
    assert [h.pupil.name for h in held_phones(ctx)] == ["Zoë Ní Bhriain"]


def test_a_visitor_badge_signs_the_visitor_out_and_says_goodbye(ctx: KioskContext) -> None:
    signed = make_visit(ctx, name="Ms A Shah")

    result = act_on_scan(ctx, signed.badge_code)

    assert result.kind == "visitor_signed_out"
    assert result.message.headline == "Goodbye"
    assert result.message.one_line == "SIGNED OUT Ms A Shah (Shah Electrical Ltd)"
    assert result.visit is not None and result.visit.id == signed.visit.id
    assert result.changes.touches(frozenset({Topic.VISITORS}))
    assert not result.changes.touches(frozenset({Topic.CUSTODY}))
    assert on_site(ctx) == []


def test_a_forged_badge_is_refused_and_changes_nothing(ctx: KioskContext) -> None:
    signed = make_visit(ctx)
    genuine = signed.badge_code
    forged = genuine[:-1] + ("A" if genuine[-1] != "A" else "B")
    before = latest_change(ctx)

    result = act_on_scan(ctx, forged)

    assert result.kind == "rejected" and result.refused
    assert result.message.one_line == BADGE_NOT_GENUINE
    assert not result.changes
    assert [v.id for v in on_site(ctx)] == [signed.visit.id]
    assert latest_change(ctx) == before


@pytest.mark.parametrize("raw", ["", "hello", "V1", "P1ABCD", "V1" + "A" * 40])
def test_garbage_is_refused_as_not_a_card_and_changes_nothing(
    ctx: KioskContext, manager: Actor, raw: str
) -> None:
    enrol_pupil(ctx, manager)
    signed = make_visit(ctx)
    before = latest_change(ctx)

    result = act_on_scan(ctx, raw, claimant=Claimant(claims=False))

    assert result.kind == "rejected"
    assert result.message.one_line == NOT_A_CARD
    assert held_phones(ctx) == []
    assert [v.id for v in on_site(ctx)] == [signed.visit.id]
    assert latest_change(ctx) == before


def test_a_partial_burst_asks_to_scan_again() -> None:
    result = partial_scan("P1ABCD")

    assert result.kind == "incomplete"
    assert result.message.detail == (INCOMPLETE_SCAN,)
    assert not result.changes


def test_a_database_fault_is_reported_plainly_and_logged_never_raised(
    ctx: KioskContext, manager: Actor, caplog: pytest.LogCaptureFixture
) -> None:
    pupil = enrol_pupil(ctx, manager)
    with ctx.db.write() as s:  # the custody table disappears: every hand-in must fail
        s.execute(text("ALTER TABLE phone_custody RENAME TO phone_custody_gone"))

    with caplog.at_level(logging.ERROR, logger="kiosk.scanning.service"):
        result = act_on_scan(ctx, card_payload(ctx, pupil))

    assert result.kind == "failed"
    assert result.message.headline == "Not recorded — please scan again"
    assert result.message.detail == (NOT_RECORDED,)
    assert result.message.one_line == UNEXPECTED_FAILURE
    assert result.fault is None
    assert "Traceback" not in result.message.one_line
    assert not result.changes
    assert any(record.exc_info for record in caplog.records)
