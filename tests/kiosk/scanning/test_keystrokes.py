"""A scanner's keystrokes: code shapes, a wrong keyboard layout named instead of blaming the
card, and the verdict of the desk's scanner test."""

from __future__ import annotations

import pytest

from kiosk.codes.pupil_card import NOT_GENUINE, CardKey, pupil_card_payload
from kiosk.context import KioskContext
from kiosk.scanning.keystrokes import (
    FRENCH_AZERTY,
    GERMAN_QWERTZ,
    NO_SUFFIX,
    SUFFIX_ENTER,
    SUFFIX_LINE_FEED,
    SUFFIX_TAB,
    KeyBurst,
    could_become_code,
    is_code_shape,
    judge_scanner,
)
from kiosk.scanning.service import act_on_scan
from kiosk.scanning.words import (
    SCANNER_NEEDS_CHANGE,
    SCANNER_WORKS,
    UK_LAYOUT_ADVICE,
    scanner_too_slow,
    wrong_layout,
)
from kiosk.services.custody import held_phones
from kiosk.services.pupils import card_payload
from kiosk.services.visitors import on_site
from tests.factories import make_pupil, make_visit, pupil_with_y_or_z
from tests.keyboard import french_typed, german_typed


def intervals(every_ms: float, code: str) -> tuple[float, ...]:
    return tuple(every_ms for _ in code[1:])


# --- a wrong keyboard layout is named, not blamed on the card --------------------------------


def test_card_typed_through_a_german_layout_says_to_set_the_layout(any_ctx: KioskContext) -> None:
    _pupil, code = pupil_with_y_or_z(any_ctx)

    result = act_on_scan(any_ctx, german_typed(code))

    assert result.kind == "rejected" and result.refused
    assert result.message.headline == "Scanner needs setting up"
    assert result.message.detail == (wrong_layout(GERMAN_QWERTZ.name, GERMAN_QWERTZ.swaps),)
    assert result.message.one_line == wrong_layout(GERMAN_QWERTZ.name, GERMAN_QWERTZ.swaps)
    assert UK_LAYOUT_ADVICE in result.message.one_line
    assert "Y and Z" in result.message.one_line
    assert "altered or copied" not in result.message.one_line
    assert held_phones(any_ctx) == []


def test_card_typed_through_a_french_layout_says_to_set_the_layout(ctx: KioskContext) -> None:
    pupil = make_pupil(ctx)
    typed = french_typed(card_payload(ctx, pupil))
    assert typed.startswith("P&")

    result = act_on_scan(ctx, typed)

    assert result.kind == "rejected"
    assert result.message.one_line == wrong_layout(FRENCH_AZERTY.name, FRENCH_AZERTY.swaps)
    assert "AZERTY" in result.message.one_line
    assert held_phones(ctx) == []


@pytest.mark.parametrize("typed_on", [german_typed, french_typed], ids=["QWERTZ", "AZERTY"])
def test_badge_typed_through_a_wrong_layout_says_so_and_signs_nobody_out(
    ctx: KioskContext, typed_on
) -> None:  # type: ignore[no-untyped-def]
    for n in range(40):
        signed = make_visit(ctx, name=f"Visitor {n}")
        if typed_on(signed.badge_code) != signed.badge_code:
            break

    result = act_on_scan(ctx, typed_on(signed.badge_code))

    assert result.kind == "rejected"
    assert UK_LAYOUT_ADVICE in result.message.one_line
    assert signed.visit.id in [v.id for v in on_site(ctx)]


def test_forged_card_with_a_y_or_z_is_still_not_genuine(ctx: KioskContext) -> None:
    _pupil, code = pupil_with_y_or_z(ctx)
    forged = code[:-1] + ("A" if code[-1] != "A" else "B")

    result = act_on_scan(ctx, german_typed(forged))

    assert result.message.one_line == NOT_GENUINE
    assert held_phones(ctx) == []


def test_card_of_another_install_is_not_taken_for_a_layout_mix_up(ctx: KioskContext) -> None:
    other = CardKey(b"\x07" * 32)
    for pupil_id in range(1, 200):
        code = pupil_card_payload(other, ctx.card_code, pupil_id, 1)
        if set(code[2:]) & {"Y", "Z"}:
            break

    result = act_on_scan(ctx, german_typed(code))

    assert result.message.one_line == NOT_GENUINE


# --- the shapes the listener holds back -------------------------------------------------------


def test_code_shapes_as_typed_and_through_a_wrong_layout(ctx: KioskContext) -> None:
    code = card_payload(ctx, make_pupil(ctx))

    assert is_code_shape(code) and is_code_shape(code.lower())
    assert is_code_shape(french_typed(code))
    assert is_code_shape(make_visit(ctx).badge_code)
    assert not is_code_shape(code[:-1])
    assert not is_code_shape(code + "A")
    assert not is_code_shape("9780140449136")


@pytest.mark.parametrize("text", ["P", "p1", "P1AB", "V1", "P&", "V&É"])
def test_starts_of_codes_could_become_a_code(text: str) -> None:
    assert could_become_code(text)


@pytest.mark.parametrize("text", ["", "1357", "Priya", "P1 form!", "Vyas", "9780140449136"])
def test_names_and_pins_could_not_become_a_code(text: str) -> None:
    assert not could_become_code(text)


# --- the scanner test's verdict ---------------------------------------------------------------


def test_fast_scanner_ending_with_enter_works(ctx: KioskContext) -> None:
    code = card_payload(ctx, make_pupil(ctx))
    burst = KeyBurst(code, (4.0, 6.0, *intervals(5, code[2:])), SUFFIX_ENTER)

    verdict = judge_scanner(burst, ctx.card_key, ctx.card_code)

    assert verdict.works and verdict.summary == SCANNER_WORKS
    assert verdict.code == "a pupil card"
    assert verdict.median_ms == 5 and verdict.max_ms == 6
    assert verdict.suffix == SUFFIX_ENTER
    assert "The scanner read a pupil card correctly." in verdict.findings


@pytest.mark.parametrize("suffix", [SUFFIX_TAB, SUFFIX_LINE_FEED, NO_SUFFIX])
def test_slow_bluetooth_scanner_with_any_suffix_works(ctx: KioskContext, suffix: str) -> None:
    code = card_payload(ctx, make_pupil(ctx))

    verdict = judge_scanner(
        KeyBurst(code, intervals(50, code), suffix), ctx.card_key, ctx.card_code
    )

    assert verdict.works
    assert verdict.max_ms == 50
    assert any(line.startswith("Speed: slow but fine") for line in verdict.findings)


def test_scanner_too_slow_is_told_what_to_change(ctx: KioskContext) -> None:
    code = card_payload(ctx, make_pupil(ctx))

    verdict = judge_scanner(
        KeyBurst(code, intervals(200, code), SUFFIX_ENTER), ctx.card_key, ctx.card_code
    )

    assert not verdict.works and verdict.summary == SCANNER_NEEDS_CHANGE
    assert scanner_too_slow(200, 120) in verdict.findings


def test_scanner_on_a_german_layout_is_told_to_use_a_uk_layout(ctx: KioskContext) -> None:
    _pupil, code = pupil_with_y_or_z(ctx)

    verdict = judge_scanner(
        KeyBurst(german_typed(code), intervals(5, code), SUFFIX_ENTER), ctx.card_key, ctx.card_code
    )

    assert not verdict.works
    assert verdict.layout == GERMAN_QWERTZ
    assert verdict.findings[0] == wrong_layout(GERMAN_QWERTZ.name, GERMAN_QWERTZ.swaps)


def test_french_layout_is_found_even_on_another_schools_card(ctx: KioskContext) -> None:
    code = pupil_card_payload(CardKey(b"\x07" * 32), "QQQQ", 12, 1)

    verdict = judge_scanner(
        KeyBurst(french_typed(code), intervals(5, code), SUFFIX_ENTER), ctx.card_key, ctx.card_code
    )

    assert not verdict.works
    assert verdict.layout == FRENCH_AZERTY


def test_another_schools_card_read_correctly_means_the_scanner_works(ctx: KioskContext) -> None:
    code = pupil_card_payload(CardKey(b"\x07" * 32), "QQQQ", 12, 1)

    verdict = judge_scanner(
        KeyBurst(code, intervals(5, code), SUFFIX_ENTER), ctx.card_key, ctx.card_code
    )

    assert verdict.works
    assert any("not printed by this school" in line for line in verdict.findings)


def test_scanner_adding_a_code_identifier_is_told_to_turn_it_off(ctx: KioskContext) -> None:
    code = card_payload(ctx, make_pupil(ctx))
    typed = "]Q1" + code

    verdict = judge_scanner(
        KeyBurst(typed, intervals(5, typed), SUFFIX_ENTER), ctx.card_key, ctx.card_code
    )

    assert not verdict.works
    assert "“]Q1” before" in verdict.findings[0]
    assert "AIM ID" in verdict.findings[0]


def test_something_that_is_not_a_code_does_not_pass(ctx: KioskContext) -> None:
    verdict = judge_scanner(
        KeyBurst("9780140449136", intervals(5, "9780140449136"), SUFFIX_ENTER),
        ctx.card_key,
        ctx.card_code,
    )

    assert not verdict.works
    assert "9780140449136" in verdict.findings[0]
    assert verdict.code is None
