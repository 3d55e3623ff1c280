"""Backups taken while the application is working, with the card key beside them."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import make_url

from kiosk.cli import main
from kiosk.clock import FixedClock
from kiosk.codes.pupil_card import CardKey
from kiosk.context import KioskContext
from kiosk.errors import KioskError
from kiosk.persistence.backup import backup_database, backup_key_path
from kiosk.persistence.database import Database
from kiosk.rows.people import Actor
from kiosk.services.custody import hand_in_for_pupil, held_phones, scan_card
from kiosk.services.pupils import card_payload, get_pupil
from kiosk.startup import open_kiosk
from tests.factories import make_pupil


def sqlite_file(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


@pytest.fixture
def other_desk(db_url: str, clock: FixedClock) -> Iterator[KioskContext]:
    """A second connection to the same database, as another desk or the kiosk would be."""
    context = open_kiosk(db_url, clock=clock)
    yield context
    context.close()


def test_backup_holds_a_hand_in_still_in_the_write_ahead_log(
    ctx: KioskContext,
    other_desk: KioskContext,
    receptionist: Actor,
    db_url: str,
    tmp_path: Path,
    clock: FixedClock,
) -> None:
    pupil_id = make_pupil(ctx, forename="Siobhán", surname="O'Brien").id
    hand_in_for_pupil(other_desk, receptionist, pupil_id)
    live = sqlite_file(db_url)
    # The premise: the hand-in is committed but not yet checkpointed into the main file,
    # so copying the file alone would miss it.
    assert live.with_name(live.name + "-wal").stat().st_size > 0
    naive_copy = tmp_path / "naive-copy.db"
    shutil.copy(live, naive_copy)
    with sqlite3.connect(naive_copy) as naive:
        assert naive.execute("SELECT count(*) FROM phone_custody").fetchone() == (0,)

    folder = tmp_path / "backups"
    folder.mkdir()
    written = backup_database(ctx, folder / "kiosk-2026-11-24.db")

    assert written == folder / "kiosk-2026-11-24.db"
    restored = open_kiosk(f"sqlite:///{written}", clock=clock, key_path=backup_key_path(written))
    try:
        held = held_phones(restored)
        assert [(h.pupil.name, h.place) for h in held] == [
            ("Siobhán O'Brien", "Office tray · slot 1")
        ]
        # The copied key checks the pupil's card against the restored database.
        card = card_payload(restored, get_pupil(restored, pupil_id))
        assert scan_card(restored, card).kind == "already_held"
    finally:
        restored.close()


def test_backup_copies_the_card_key_beside_it_for_its_owner_only(
    ctx: KioskContext, tmp_path: Path
) -> None:
    written = backup_database(ctx, tmp_path / "nightly.db")

    key_copy = tmp_path / "nightly.card.key"
    assert backup_key_path(written) == key_copy
    assert key_copy.read_bytes() == ctx.key_path.read_bytes()
    assert CardKey.load(key_copy).fingerprint == ctx.card_key.fingerprint
    if os.name == "posix":
        assert stat.S_IMODE(key_copy.stat().st_mode) == 0o600


def test_backup_is_a_single_self_contained_file_that_passes_its_integrity_check(
    ctx: KioskContext, tmp_path: Path
) -> None:
    make_pupil(ctx, forename="Zoë", surname="Nguyễn")
    written = backup_database(ctx, tmp_path / "copy.db")

    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(("copy", ".copy"))) == [
        "copy.card.key",
        "copy.db",
    ]
    with sqlite3.connect(written) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert copy.execute("SELECT forename, surname FROM pupil").fetchall() == [("Zoë", "Nguyễn")]


def test_backup_replaces_an_older_backup_of_the_same_name(
    ctx: KioskContext, tmp_path: Path
) -> None:
    out = tmp_path / "nightly.db"
    out.write_bytes(b"last week's backup")
    make_pupil(ctx)

    backup_database(ctx, out)

    with sqlite3.connect(out) as copy:
        assert copy.execute("SELECT count(*) FROM pupil").fetchone() == (1,)


@pytest.mark.parametrize("name", ["kiosk.db", "kiosk.db-wal", "kiosk.card.key", "kiosk"])
def test_backup_refuses_to_write_over_the_live_database_or_its_key(
    ctx: KioskContext, db_url: str, name: str
) -> None:
    siobhan = make_pupil(ctx, forename="Siobhán", surname="O'Brien")
    key_before = ctx.key_path.read_bytes()
    target = sqlite_file(db_url).with_name(name)

    with pytest.raises(KioskError, match="write over the live database itself"):
        backup_database(ctx, target)

    assert get_pupil(ctx, siobhan.id).forename == "Siobhán"
    assert ctx.key_path.read_bytes() == key_before


def test_backup_refuses_a_name_beside_a_database_in_use(
    ctx: KioskContext, other_desk: KioskContext, tmp_path: Path
) -> None:
    in_use = tmp_path / "someone-else.db"
    in_use.write_bytes(b"")
    in_use.with_name("someone-else.db-wal").write_bytes(b"")

    with pytest.raises(KioskError, match="looks like a database that is in use"):
        backup_database(ctx, in_use)


def test_backup_into_a_missing_folder_is_refused(ctx: KioskContext, tmp_path: Path) -> None:
    with pytest.raises(KioskError, match="does not exist"):
        backup_database(ctx, tmp_path / "no-such-folder" / "backup.db")
    assert not (tmp_path / "no-such-folder").exists()


def test_cli_backup_reports_where_it_wrote(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "from-the-command-line.db"

    status = main(["--db", db_url, "backup", "--out", str(out)])

    printed, _err = capsys.readouterr()
    assert status == 0
    assert str(out) in printed
    assert backup_key_path(out).exists()
    with sqlite3.connect(out) as copy:
        assert copy.execute("SELECT count(*) FROM school").fetchone() == (1,)


# --- PostgreSQL ----------------------------------------------------------------------------


@pytest.mark.postgres
def test_postgresql_backup_with_pg_dump_restores_into_a_new_database(
    pg_url: str, pg_server_url: str, tmp_path: Path, clock: FixedClock
) -> None:
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("the PostgreSQL client tools (pg_dump, pg_restore) are not installed")
    live = open_kiosk(pg_url, clock=clock, key_path=tmp_path / "live.card.key")
    try:
        make_pupil(live, forename="Łukasz", surname="Woźniak")
        written = backup_database(live, tmp_path / "school.dump")
    finally:
        live.close()
    assert written.read_bytes().startswith(b"PGDMP")
    assert backup_key_path(written).read_bytes() == (tmp_path / "live.card.key").read_bytes()

    import psycopg

    restored_name = f"kiosk_restore_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg_server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{restored_name}"')
    restored_url = make_url(pg_server_url).set(database=restored_name)
    try:
        subprocess.run(
            [
                "pg_restore",
                "--no-owner",
                f"--dbname={restored_url.render_as_string(hide_password=False)}",
                str(written),
            ],
            check=True,
            capture_output=True,
        )
        restored = open_kiosk(
            restored_url.render_as_string(hide_password=False),
            clock=clock,
            key_path=backup_key_path(written),
        )
        try:
            assert get_pupil(restored, 1).name == "Łukasz Woźniak"
        finally:
            restored.close()
    finally:
        with psycopg.connect(pg_server_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{restored_name}" WITH (FORCE)')


def test_postgresql_backup_without_pg_dump_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("kiosk.persistence.backup.shutil.which", lambda _name: None)
    unreachable = _context_without_connecting("postgresql://office:pw@127.0.0.1:1/school", tmp_path)

    with pytest.raises(KioskError) as refused:
        backup_database(unreachable, tmp_path / "school.dump")

    assert "needs pg_dump" in refused.value.message
    assert "card key file" in refused.value.message
    assert not (tmp_path / "school.dump").exists()


def test_postgresql_backup_failure_never_shows_the_password(tmp_path: Path) -> None:
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    # Nothing listens on port 1, so pg_dump fails to connect.
    unreachable = _context_without_connecting(
        "postgresql://office:Sup3r-Secret@127.0.0.1:1/school", tmp_path
    )

    with pytest.raises(KioskError) as refused:
        backup_database(unreachable, tmp_path / "school.dump")

    assert "pg_dump could not back up the database" in refused.value.message
    assert "Sup3r-Secret" not in refused.value.message
    assert not (tmp_path / "school.dump").exists()
    assert not backup_key_path(tmp_path / "school.dump").exists()


def _context_without_connecting(url: str, tmp_path: Path) -> KioskContext:
    key_path = tmp_path / "card.key"
    key = CardKey.load_or_create(key_path)
    return KioskContext(
        db=Database(url),
        clock=FixedClock(datetime(2026, 11, 24, 8, 40, tzinfo=ZoneInfo("Europe/London"))),
        card_key=key,
        card_code="TEST",
        timezone=ZoneInfo("Europe/London"),
        key_path=key_path,
    )
