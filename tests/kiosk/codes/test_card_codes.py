"""Card codes end to end with the database: only a current card of this school, signed with
this install's key, for a pupil on roll, is accepted; every other scan is refused with a
plain message and changes nothing. Service tests run on SQLite and PostgreSQL; ``kiosk scan``
on SQLite."""

from __future__ import annotations

import secrets

import pytest
from sqlalchemy import func, select

from kiosk.cli import main
from kiosk.codes.pupil_card import BASE32_ALPHABET, CardKey, pupil_card_payload
from kiosk.context import KioskContext
from kiosk.errors import ScanRejected
from kiosk.persistence.models import AuditEntry, PhoneCustody, Pupil
from kiosk.rows.people import Actor, PupilRow
from kiosk.services.custody import scan_card
from kiosk.services.pupils import card_payload, reissue_card
from tests.factories import make_manager, make_pupil, make_receptionist

NOT_A_CARD = "That was not a Reception Kiosk card. Please scan your pupil card again."
OTHER_SCHOOL = "This card belongs to another school. Please see reception."
NOT_GENUINE = (
    "This card could not be verified: it may have been altered or copied. Please see reception."
)
REPLACED = "This card has been replaced by a newer one and no longer works. Please see reception."
LEFT = "This card belongs to a pupil who has left the school. Please see reception."


def insert_pupil(ctx: KioskContext) -> PupilRow:
    return make_pupil(ctx, forename="Zoë", surname="Ó Súilleabháin", form="9C")


@pytest.fixture
def pupil(any_ctx: KioskContext) -> PupilRow:
    return insert_pupil(any_ctx)


@pytest.fixture
def desk(any_ctx: KioskContext) -> Actor:
    """A receptionist signed in at the desk."""
    return make_receptionist(any_ctx, make_manager(any_ctx))


def snapshot(ctx: KioskContext) -> tuple[int, int, list[tuple[int, int, str]]]:
    """Everything a scan could change: custody records, the audit log, the pupils."""
    with ctx.db.read() as s:
        return (
            s.scalar(select(func.count()).select_from(PhoneCustody)) or 0,
            s.scalar(select(func.count()).select_from(AuditEntry)) or 0,
            [(p.id, p.card_serial, p.status) for p in s.scalars(select(Pupil).order_by(Pupil.id))],
        )


def assert_refused(ctx: KioskContext, raw: str, message: str) -> None:
    before = snapshot(ctx)
    with pytest.raises(ScanRejected) as refused:
        scan_card(ctx, raw)
    assert refused.value.message == message
    assert snapshot(ctx) == before


def with_pupil_part(payload: str, pupil_part: str) -> str:
    return payload[:6] + pupil_part + payload[10:]


def test_the_printed_code_is_accepted(any_ctx: KioskContext, pupil: PupilRow) -> None:
    outcome = scan_card(any_ctx, card_payload(any_ctx, pupil))

    assert outcome.kind == "handed_in"
    assert outcome.pupil.id == pupil.id
    assert snapshot(any_ctx)[0] == 1


def test_lower_case_and_stray_whitespace_from_a_scanner_are_accepted(
    any_ctx: KioskContext, pupil: PupilRow
) -> None:
    outcome = scan_card(any_ctx, " " + card_payload(any_ctx, pupil).lower() + "\r\n")

    assert outcome.kind == "handed_in"
    assert outcome.pupil.name == "Zoë Ó Súilleabháin"


def test_a_forged_signature_is_refused(any_ctx: KioskContext, pupil: PupilRow) -> None:
    payload = card_payload(any_ctx, pupil)
    forged_mac = "".join(secrets.choice(BASE32_ALPHABET) for _ in range(10))
    assert forged_mac != payload[-10:]

    assert_refused(any_ctx, payload[:-10] + forged_mac, NOT_GENUINE)


@pytest.mark.parametrize("position", [6, 7, 8, 9])
def test_a_card_altered_to_another_pupil_is_refused(
    any_ctx: KioskContext, pupil: PupilRow, position: int
) -> None:
    payload = card_payload(any_ctx, pupil)
    original = payload[position]
    replacement = BASE32_ALPHABET[(BASE32_ALPHABET.index(original) + 1) % 32]
    altered = payload[:position] + replacement + payload[position + 1 :]

    assert_refused(any_ctx, altered, NOT_GENUINE)


def test_another_schools_card_is_refused(any_ctx: KioskContext, pupil: PupilRow) -> None:
    other_code = "ZZZZ" if any_ctx.card_code != "ZZZZ" else "YYYY"
    # Whether signed with this install's key or the other school's own.
    same_key = pupil_card_payload(any_ctx.card_key, other_code, pupil.id, 1)
    own_key = pupil_card_payload(CardKey(secrets.token_bytes(32)), other_code, pupil.id, 1)

    assert_refused(any_ctx, same_key, OTHER_SCHOOL)
    assert_refused(any_ctx, own_key, OTHER_SCHOOL)


def test_a_card_signed_by_another_install_is_refused(
    any_ctx: KioskContext, pupil: PupilRow
) -> None:
    other_key = CardKey(secrets.token_bytes(32))

    assert_refused(
        any_ctx,
        pupil_card_payload(other_key, any_ctx.card_code, pupil.id, pupil.card_serial),
        NOT_GENUINE,
    )


def test_a_genuine_looking_card_for_no_pupil_is_refused(
    any_ctx: KioskContext, pupil: PupilRow
) -> None:
    assert_refused(
        any_ctx, pupil_card_payload(any_ctx.card_key, any_ctx.card_code, 99_999, 1), NOT_GENUINE
    )


def test_a_card_with_a_serial_never_issued_is_refused(
    any_ctx: KioskContext, pupil: PupilRow
) -> None:
    assert_refused(
        any_ctx, pupil_card_payload(any_ctx.card_key, any_ctx.card_code, pupil.id, 2), NOT_GENUINE
    )


def test_reissuing_revokes_the_old_card_and_the_new_one_works(
    any_ctx: KioskContext, pupil: PupilRow, desk: Actor
) -> None:
    old_card = card_payload(any_ctx, pupil)
    renewed = reissue_card(any_ctx, desk, pupil.id)
    new_card = card_payload(any_ctx, renewed)
    assert renewed.card_serial == 2
    assert new_card != old_card

    assert_refused(any_ctx, old_card, REPLACED)
    outcome = scan_card(any_ctx, new_card)

    assert outcome.kind == "handed_in"
    assert outcome.pupil.id == pupil.id


def test_a_pupil_who_has_left_is_refused(any_ctx: KioskContext) -> None:
    leaver = make_pupil(any_ctx, status="left")

    assert_refused(any_ctx, card_payload(any_ctx, leaver), LEFT)


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("", id="empty"),
        pytest.param("     ", id="spaces"),
        pytest.param("https://example.org/cards/P1ABCD", id="url"),
        pytest.param("P1" + "A" * 498, id="500-characters"),
        pytest.param("📱😀", id="emoji"),
        pytest.param("Zoë", id="a-name"),
        pytest.param("'; DROP TABLE pupil; --", id="sql"),
    ],
)
def test_garbage_is_not_a_card(any_ctx: KioskContext, pupil: PupilRow, raw: str) -> None:
    assert_refused(any_ctx, raw, NOT_A_CARD)


@pytest.mark.parametrize("keep", [2, 6, 12, 21])
def test_a_partial_scan_is_not_a_card(any_ctx: KioskContext, pupil: PupilRow, keep: int) -> None:
    assert_refused(any_ctx, card_payload(any_ctx, pupil)[:keep], NOT_A_CARD)


def test_a_card_with_extra_characters_is_not_a_card(any_ctx: KioskContext, pupil: PupilRow) -> None:
    assert_refused(any_ctx, card_payload(any_ctx, pupil) + "A", NOT_A_CARD)


def test_cli_scan_accepts_a_card_with_one_line(ctx: KioskContext, db_url: str, capsys) -> None:
    pupil = insert_pupil(ctx)
    assert main(["--db", db_url, "scan", card_payload(ctx, pupil)]) == 0

    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("HANDED IN Zoë Ó Súilleabháin (9C) -> Office tray · slot 1")
    assert captured.err == ""
    assert snapshot(ctx)[0] == 1


@pytest.mark.parametrize(
    ("make_raw", "message"),
    [
        pytest.param(lambda ctx, p: "not a card", NOT_A_CARD, id="garbage"),
        pytest.param(
            lambda ctx, p: (
                card_payload(ctx, p)[:-1] + ("A" if card_payload(ctx, p)[-1] != "A" else "B")
            ),
            NOT_GENUINE,
            id="altered",
        ),
        pytest.param(
            lambda ctx, p: pupil_card_payload(
                ctx.card_key, "ZZZZ" if ctx.card_code != "ZZZZ" else "YYYY", p.id, 1
            ),
            OTHER_SCHOOL,
            id="other-school",
        ),
    ],
)
def test_cli_scan_refuses_with_the_reason_and_changes_nothing(
    ctx: KioskContext, db_url: str, capsys, make_raw, message: str
) -> None:
    pupil = insert_pupil(ctx)
    before = snapshot(ctx)

    assert main(["--db", db_url, "scan", make_raw(ctx, pupil)]) == 1

    captured = capsys.readouterr()
    assert captured.err == message + "\n"
    assert captured.out == ""
    assert snapshot(ctx) == before


def test_cli_scan_refuses_a_replaced_card(
    ctx: KioskContext, db_url: str, receptionist: Actor, capsys
) -> None:
    pupil = insert_pupil(ctx)
    old_card = card_payload(ctx, pupil)
    reissue_card(ctx, receptionist, pupil.id)
    before = snapshot(ctx)

    assert main(["--db", db_url, "scan", old_card]) == 1

    assert capsys.readouterr().err == REPLACED + "\n"
    assert snapshot(ctx) == before
