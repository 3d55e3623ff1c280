"""The scan router on the kiosk face: the same words as `kiosk scan` for the same code, and
the desk asked first (never while it is locked)."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.cli import EXIT_DONE, EXIT_REFUSED, main
from kiosk.codes.pupil_card import NOT_A_CARD
from kiosk.codes.visitor_badge import BADGE_NOT_GENUINE
from kiosk.context import KioskContext
from kiosk.rows.people import Actor
from kiosk.services.custody import held_for_pupil
from kiosk.services.pupils import card_payload
from tests.factories import make_visit
from tests.kiosk.scanning.test_scanning import enrol_pupil
from ui.ask import ScriptedAsker
from ui.scan_router import ScanRouter
from ui.screens.kiosk_face import KioskFace


def copy_of_database(db_url: str, folder: Path) -> str:
    """A second kiosk on a copy of the same school, with the same card key."""
    source = Path(db_url.removeprefix("sqlite:///"))
    folder.mkdir()
    copy = folder / "kiosk.db"
    with sqlite3.connect(source) as original, sqlite3.connect(copy) as duplicate:
        original.backup(duplicate)
    shutil.copy(source.with_name("kiosk.card.key"), folder / "kiosk.card.key")
    return f"sqlite:///{copy}"


def forged(code: str) -> str:
    return code[:-1] + ("A" if code[-1] != "A" else "B")


# Each case prepares one code to scan and says what both must print.
Case = Callable[[KioskContext, Actor], str]
CASES: dict[str, tuple[Case, str, bool]] = {
    "pupil card": (
        lambda ctx, manager: card_payload(ctx, enrol_pupil(ctx, manager)),
        "HANDED IN Zoë Ní Bhriain (9B) -> Office tray · slot 1",
        True,
    ),
    "visitor badge": (
        lambda ctx, manager: make_visit(ctx, name="Ms A Shah").badge_code,
        "SIGNED OUT Ms A Shah (Shah Electrical Ltd)",
        True,
    ),
    "forged badge": (
        lambda ctx, manager: forged(make_visit(ctx).badge_code),
        BADGE_NOT_GENUINE,
        False,
    ),
    "garbage": (lambda ctx, manager: "hello there", NOT_A_CARD, False),
}


@pytest.mark.parametrize("case", list(CASES))
def test_kiosk_face_and_command_line_say_the_same_words_for_the_same_scan(
    qtbot, ctx, manager, db_url: str, tmp_path: Path, capsys, case: str
) -> None:  # type: ignore[no-untyped-def]
    prepare, line, accepted = CASES[case]
    code = prepare(ctx, manager)
    other_kiosk = copy_of_database(db_url, tmp_path / "other")
    face = KioskFace("Wrenfield Academy")
    qtbot.addWidget(face)
    router = ScanRouter(ctx)
    router.sig_result.connect(face.show_result)

    router.route_scan(code)
    status = main(["--db", other_kiosk, "scan", code])

    captured = capsys.readouterr()
    printed = captured.out if accepted else captured.err
    assert status == (EXIT_DONE if accepted else EXIT_REFUSED)
    assert printed == line + "\n"
    assert face.result is not None and face.result.message.one_line == line
    if not accepted:
        assert face.detail_lines() == [line]  # the reason the face shows is the line printed


def test_a_locked_desk_never_claims_a_scan(qtbot, qapp, ctx, manager, db_url, clock) -> None:  # type: ignore[no-untyped-def]
    from ui.application import start

    pupil = enrol_pupil(ctx, manager)
    app = start(db_url, qapp, ScriptedAsker(), clock=clock, return_after_ms=60_000)
    try:
        assert app.desk.is_locked
        assert not app.desk.claim_scan(card_payload(ctx, pupil))

        result = app.router.route_scan(card_payload(ctx, pupil))

        assert result.kind == "handed_in"
        assert app.face.state == "handed_in"
        assert held_for_pupil(ctx, pupil.id) is not None
    finally:
        app.close()


class Claimant:
    def claim_scan(self, code: str) -> bool:
        return True


def test_a_claimed_scan_is_not_announced_and_hands_nothing_in(qtbot, ctx, manager) -> None:  # type: ignore[no-untyped-def]
    pupil = enrol_pupil(ctx, manager)
    router = ScanRouter(ctx)
    router.set_claimant(Claimant())
    announced: list[object] = []
    router.sig_result.connect(announced.append)

    result = router.route_scan(card_payload(ctx, pupil))

    assert result.kind == "claimed"
    assert announced == []
    assert held_for_pupil(ctx, pupil.id) is None
    router.set_claimant(None)
    assert router.route_scan(card_payload(ctx, pupil)).kind == "handed_in"
    assert [r.kind for r in announced] == ["handed_in"]  # type: ignore[attr-defined]
