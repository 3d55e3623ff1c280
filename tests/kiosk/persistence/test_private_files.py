"""The files that hold the school's data are private, and the card key is never replaced
behind anyone's back: the database (and its -wal and -shm files), backups and the key file
are readable by their owner only, a missing or damaged key file is refused by name, and a
backup whose key copy fails leaves no database copy."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.clock import FixedClock
from kiosk.codes.pupil_card import CardKey
from kiosk.context import KioskContext
from kiosk.errors import KioskError
from kiosk.persistence.backup import backup_database, backup_key_path
from kiosk.startup import open_kiosk
from tests.factories import make_pupil

posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


@pytest.fixture
def everyone_may_read() -> Iterator[None]:
    """The usual umask (022), under which a plain new file is readable by every user."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@posix_only
def test_new_database_its_write_ahead_log_and_key_are_for_their_owner_only(
    tmp_path: Path, clock: FixedClock, everyone_may_read: None
) -> None:
    db_file = tmp_path / "school.db"
    ctx = open_kiosk(f"sqlite:///{db_file}", clock=clock, school_name="Wrenfield")
    try:
        make_pupil(ctx, forename="Zoë", surname="Ash", form="7A")
        companions = [db_file.with_name(db_file.name + s) for s in ("-wal", "-shm")]
        assert all(p.exists() for p in companions)
        assert {p.name: mode(p) for p in (db_file, *companions)} == {
            p.name: 0o600 for p in (db_file, *companions)
        }
        assert mode(tmp_path / "school.card.key") == 0o600
    finally:
        ctx.close()


@posix_only
def test_backup_and_its_key_copy_are_for_their_owner_only(
    ctx: KioskContext, tmp_path: Path, everyone_may_read: None
) -> None:
    written = backup_database(ctx, tmp_path / "nightly.db")

    assert mode(written) == 0o600
    assert mode(backup_key_path(written)) == 0o600


@posix_only
def test_new_key_file_is_for_its_owner_only_whatever_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0)
    try:
        CardKey.create(tmp_path / "keys" / "kiosk.card.key")
    finally:
        os.umask(previous)
    assert mode(tmp_path / "keys" / "kiosk.card.key") == 0o600


def test_missing_key_for_an_existing_database_is_refused_by_name_and_no_key_is_made(
    db_url: str, clock: FixedClock, tmp_path: Path
) -> None:
    key_file = tmp_path / "kiosk.card.key"
    key_file.unlink()

    with pytest.raises(KioskError) as refused:
        open_kiosk(db_url, clock=clock)

    message = refused.value.message
    assert f"The card key file {key_file} is missing." in message
    assert "Restore it from the backup made with the database" in message
    assert ".card.key" in message and "docs/deployment.md" in message
    assert not key_file.exists()


def test_missing_key_on_postgresql_is_refused_by_name(
    pg_url: str, clock: FixedClock, tmp_path: Path
) -> None:
    key_file = tmp_path / "card.key"
    open_kiosk(pg_url, clock=clock, key_path=key_file).close()  # a new database: key made
    key_file.unlink()

    with pytest.raises(KioskError, match="is missing"):
        open_kiosk(pg_url, clock=clock, key_path=key_file)
    assert not key_file.exists()


@pytest.mark.parametrize(
    "content",
    [
        b"# Reception Kiosk card key.\nnot!base64*at@all\n",
        b"c2hvcnQ=\n",  # base64, but 5 bytes, not 32
        b"\xff\xfe\x00garbage\n",  # not even text
        b"",
    ],
    ids=["not-base64", "too-short", "binary", "empty"],
)
def test_damaged_key_file_is_refused_naming_the_file(
    db_url: str, clock: FixedClock, tmp_path: Path, content: bytes
) -> None:
    key_file = tmp_path / "kiosk.card.key"
    key_file.write_bytes(content)

    with pytest.raises(KioskError) as refused:
        open_kiosk(db_url, clock=clock)

    assert f"The card key file {key_file} is damaged" in refused.value.message
    assert "base64 data" not in refused.value.message
    assert key_file.read_bytes() == content


def test_backup_whose_key_copy_fails_leaves_no_database_copy(
    ctx: KioskContext, tmp_path: Path
) -> None:
    out = tmp_path / "backups" / "nightly.db"
    out.parent.mkdir()
    backup_key_path(out).mkdir()  # a folder where the key copy must go

    with pytest.raises(KioskError) as refused:
        backup_database(ctx, out)

    assert str(backup_key_path(out)) in refused.value.message
    assert sorted(p.name for p in out.parent.iterdir()) == ["nightly.card.key"]
    assert not out.exists()
