"""The demo school: built once, the same every time, alive enough to try the desk on."""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.cli import main
from kiosk.context import KioskContext
from kiosk.demo.school import (
    DEMO_MANAGER_NAME,
    DEMO_MANAGER_PIN,
    DEMO_RECEPTIONIST_NAME,
    DEMO_RECEPTIONIST_PIN,
    DEMO_SCHOOL_NAME,
    PERMISSION_TITLE,
    build_demo_school,
)
from kiosk.errors import KioskError, NotAllowed
from kiosk.importing.pupils import upn_problem
from kiosk.persistence.models import Arrangement, AuditEntry, Pupil
from kiosk.scanning.words import describe_scan
from kiosk.services.audit import latest_change
from kiosk.services.custody import hand_in_for_pupil, held_phones, receptacles
from kiosk.services.school import get_school
from kiosk.services.staff import list_staff, sign_in
from kiosk.startup import open_kiosk


def demo_url(folder: Path) -> str:
    return f"sqlite:///{(folder / 'demo.db').as_posix()}"


@pytest.fixture(scope="module")
def built_demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One demo school per module; tests that change it work on a copy."""
    folder = tmp_path_factory.mktemp("demo")
    summary = build_demo_school(demo_url(folder))
    return folder, summary


@pytest.fixture
def demo(built_demo: tuple[Path, str], tmp_path: Path) -> Iterator[KioskContext]:
    folder, _summary = built_demo
    for name in ("demo.db", "demo.card.key"):
        shutil.copy(folder / name, tmp_path / name)
    ctx = open_kiosk(demo_url(tmp_path))
    yield ctx
    ctx.close()


def test_demo_school_has_three_receptacles_and_about_three_hundred_pupils(
    demo: KioskContext,
) -> None:
    assert get_school(demo).name == DEMO_SCHOOL_NAME
    assert [(r.name, r.capacity, r.year_groups) for r in receptacles(demo)] == [
        ("Tray A", 120, "7,8"),
        ("Tray B", 150, "9,10,11"),
        ("Office box", 60, ""),
    ]
    with demo.db.read() as s:
        pupils = list(s.scalars(select(Pupil)))
    assert len(pupils) == 300
    assert Counter(p.year_group for p in pupils) == {y: 60 for y in ("7", "8", "9", "10", "11")}
    assert {p.form for p in pupils if p.year_group == "9"} == {"9A", "9B", "9C", "9D", "9E"}
    assert all(upn_problem(p.upn) is None for p in pupils)
    assert len({p.upn for p in pupils}) == 300
    names = {f"{p.forename} {p.surname}" for p in pupils}
    assert len(names) == 300
    for featured in ("Siobhán O'Brien", "Dafydd ap Gruffudd", "Łukasz Woźniak", "Thảo Nguyễn"):
        assert featured in names


def test_demo_summary_says_what_was_built(built_demo: tuple[Path, str]) -> None:
    _folder, summary = built_demo
    assert summary.splitlines()[0] == f"Demo school built: {DEMO_SCHOOL_NAME}"
    assert "300 pupils on roll, 4 with exemptions; 40 phones held now." in summary
    assert f"{DEMO_RECEPTIONIST_NAME} (receptionist) {DEMO_RECEPTIONIST_PIN}" in summary
    assert f"{DEMO_MANAGER_NAME} (manager) {DEMO_MANAGER_PIN}" in summary


def test_demo_pins_sign_in_with_the_right_roles(demo: KioskContext) -> None:
    staff = {row.name: row.id for row in list_staff(demo, can_sign_in=True)}

    receptionist = sign_in(demo, staff[DEMO_RECEPTIONIST_NAME], DEMO_RECEPTIONIST_PIN)
    manager = sign_in(demo, staff[DEMO_MANAGER_NAME], DEMO_MANAGER_PIN)

    assert (receptionist.role, manager.role) == ("receptionist", "manager")
    with pytest.raises(NotAllowed):
        sign_in(demo, staff[DEMO_RECEPTIONIST_NAME], DEMO_MANAGER_PIN)


def test_demo_has_phones_held_this_morning_one_without_permission(demo: KioskContext) -> None:
    held = held_phones(demo)

    assert len(held) == 40
    flagged = [h for h in held if h.no_permission]
    assert len(flagged) == 1
    assert flagged[0].pupil.year_group == "7"
    assert {h.receptacle for h in held if h.pupil.year_group in ("7", "8")} == {"Tray A"}
    assert {h.receptacle for h in held if h.pupil.year_group not in ("7", "8")} == {"Tray B"}


def test_demo_year_7_without_permission_is_flagged_when_handing_in(demo: KioskContext) -> None:
    assert get_school(demo).permission_years == "7"
    with demo.db.read() as s:
        permitted = set(
            s.scalars(select(Arrangement.pupil_id).where(Arrangement.title == PERMISSION_TITLE))
        )
        year_7 = list(s.scalars(select(Pupil.id).where(Pupil.year_group == "7")))
    without = [pupil_id for pupil_id in year_7 if pupil_id not in permitted]
    assert len(year_7) - len(without) == 58
    already_held = {h.pupil.id for h in held_phones(demo)}
    not_yet = [pupil_id for pupil_id in without if pupil_id not in already_held]
    assert len(not_yet) == 1
    staff = {row.name: row.id for row in list_staff(demo, can_sign_in=True)}
    receptionist = sign_in(demo, staff[DEMO_RECEPTIONIST_NAME], DEMO_RECEPTIONIST_PIN)

    outcome = hand_in_for_pupil(demo, receptionist, not_yet[0])

    assert outcome.kind == "handed_in"
    assert outcome.no_permission
    assert outcome.receptacle == "Tray A"
    message = describe_scan(outcome, demo.timezone, demo.clock())
    assert "[no permission on file]" in message.one_line


def test_demo_exemptions_state_their_conditions(demo: KioskContext) -> None:
    with demo.db.read() as s:
        exemptions = list(s.scalars(select(Arrangement).where(Arrangement.kind == "exemption")))
    assert sorted(e.title for e in exemptions) == [
        "Medical: blood glucose monitoring",
        "Medical: seizure alert",
        "Young carer",
        "Young carer",
    ]
    assert all(e.conditions and e.agreed_by and e.review_on for e in exemptions)


def test_building_the_demo_again_leaves_it_as_it_is(demo: KioskContext) -> None:
    url = demo.db.url
    before = latest_change(demo)

    summary = build_demo_school(url)

    assert "already set up (left as it is" in summary
    assert latest_change(demo) == before
    assert len(held_phones(demo)) == 40


def test_demo_is_the_same_every_time(built_demo: tuple[Path, str], tmp_path: Path) -> None:
    folder, _summary = built_demo
    build_demo_school(demo_url(tmp_path))

    def pupils(url: str) -> list[tuple[str, str, str, str]]:
        ctx = open_kiosk(url)
        try:
            with ctx.db.read() as s:
                return [
                    (p.upn, p.forename, p.surname, p.form)
                    for p in s.scalars(select(Pupil).order_by(Pupil.upn))
                ]
        finally:
            ctx.close()

    assert pupils(demo_url(tmp_path)) == pupils(demo_url(folder))


def test_reset_deletes_the_demo_and_builds_it_afresh(demo: KioskContext, tmp_path: Path) -> None:
    url = demo.db.url
    staff = {row.name: row.id for row in list_staff(demo, can_sign_in=True)}
    receptionist = sign_in(demo, staff[DEMO_RECEPTIONIST_NAME], DEMO_RECEPTIONIST_PIN)
    someone_new = next(p for p in range(1, 301) if p not in {h.pupil.id for h in held_phones(demo)})
    hand_in_for_pupil(demo, receptionist, someone_new)
    assert len(held_phones(demo)) == 41
    demo.close()

    summary = build_demo_school(url, reset=True)

    assert summary.startswith("Demo school built")
    assert not (tmp_path / "demo.db-wal").exists()
    fresh = open_kiosk(url)
    try:
        assert len(held_phones(fresh)) == 40
        with fresh.db.read() as s:
            hand_ins = s.scalars(select(AuditEntry).where(AuditEntry.action == "hand_in")).all()
        assert len(hand_ins) == 40
    finally:
        fresh.close()


def test_reset_refuses_a_database_that_is_not_the_demo(ctx: KioskContext, db_url: str) -> None:
    with pytest.raises(KioskError, match="is not the demo school's database"):
        build_demo_school(db_url, reset=True)
    assert get_school(ctx).name == "Test School"


def test_reset_refuses_a_server_database() -> None:
    with pytest.raises(KioskError, match="Only a demo database kept in a SQLite file"):
        build_demo_school("postgresql://office@127.0.0.1:1/school", reset=True)


def test_cli_demo_prints_the_summary_and_pins(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["--db", demo_url(tmp_path), "demo"])

    out, _err = capsys.readouterr()
    assert status == 0
    assert f"Demo school built: {DEMO_SCHOOL_NAME}" in out
    assert DEMO_RECEPTIONIST_PIN in out and DEMO_MANAGER_PIN in out
    assert (tmp_path / "demo.db").exists()
    assert not list(tmp_path.glob(".demo.db.*"))
