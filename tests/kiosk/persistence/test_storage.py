"""Storage: migrations, SQLite durability settings, the append-only audit log, PostgreSQL."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError, IntegrityError

from kiosk.clock import FixedClock
from kiosk.codes.pupil_card import CardKey
from kiosk.errors import DatabaseTooNew, KioskError
from kiosk.persistence.database import Database
from kiosk.persistence.migrate import current_revisions, head_revisions, script_heads
from kiosk.persistence.models import AuditEntry, PhoneCustody
from kiosk.services import audit
from kiosk.services.custody import receptacles
from kiosk.startup import open_kiosk
from tests.conftest import TEST_MORNING
from tests.factories import make_pupil


def test_importing_the_core_loads_no_qt() -> None:
    code = (
        "import importlib, pkgutil, sys, kiosk\n"
        "for m in pkgutil.walk_packages(kiosk.__path__, 'kiosk.'):\n"
        "    if '.migrations' not in m.name: importlib.import_module(m.name)\n"
        "assert 'kiosk.services.custody' in sys.modules\n"
        "loaded = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_quick_head_check_agrees_with_alembic() -> None:
    assert script_heads() == head_revisions()


def test_quick_head_check_follows_branches_and_merges(tmp_path: Path) -> None:
    versions = tmp_path / "versions"
    versions.mkdir()
    scripts = {
        "a": "revision = '0001'\ndown_revision = None\n",
        "b": "revision = '0002'\ndown_revision = '0001'\n",
        "c": 'revision = "0003"\ndown_revision = "0001"\n',
    }
    for name, body in scripts.items():
        (versions / f"{name}.py").write_text(body)
    assert script_heads(tmp_path) == {"0002", "0003"}
    (versions / "d.py").write_text("revision = '0004'\ndown_revision = ('0002', '0003')\n")
    script_heads.cache_clear()
    assert script_heads(tmp_path) == {"0004"}


def test_new_database_is_migrated_and_ready_to_take_phones(any_ctx) -> None:
    assert current_revisions(any_ctx.db) == head_revisions()
    assert [(r.name, r.capacity) for r in receptacles(any_ctx)] == [("Office tray", 60)]


def test_sqlite_runs_with_wal_full_sync_and_foreign_keys(ctx) -> None:
    with ctx.db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000


def test_sqlite_write_transactions_take_the_write_lock_at_begin(ctx) -> None:
    """BEGIN IMMEDIATE: a second writer waits for the lock instead of failing half-way;
    a read-only transaction takes no write lock."""
    db_file = ctx.db.url.removeprefix("sqlite:///")
    other = sqlite3.connect(db_file, timeout=0.05, isolation_level=None)
    with ctx.db.read() as s:
        s.execute(text("SELECT 1"))
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    with ctx.db.write() as s:
        s.execute(text("SELECT 1"))
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
    other.close()


def test_opening_twice_does_not_migrate_or_change_anything(db_url, clock) -> None:
    first = open_kiosk(db_url, clock=clock)
    entries = audit.latest_change(first)
    first.close()
    again = open_kiosk(db_url, clock=clock)
    assert audit.latest_change(again) == entries
    again.close()


def test_database_from_a_newer_version_is_refused_untouched(db_url, clock) -> None:
    ctx = open_kiosk(db_url, clock=clock)
    with ctx.db.engine.begin() as conn:
        # Several feature heads may be stored; a newer version leaves one unknown head.
        conn.exec_driver_sql("DELETE FROM alembic_version")
        conn.exec_driver_sql("INSERT INTO alembic_version VALUES ('9999_future')")
    ctx.close()
    with pytest.raises(DatabaseTooNew, match="newer version of Reception Kiosk"):
        open_kiosk(db_url, clock=clock)
    db = Database(db_url)
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == (
            "9999_future"
        )
    db.dispose()


def test_wrong_card_key_file_is_refused_with_a_plain_message(db_url, clock, tmp_path) -> None:
    someone_elses = tmp_path / "someone-elses.key"
    CardKey.create(someone_elses)
    with pytest.raises(KioskError, match="card key file .* does not belong to this database"):
        open_kiosk(db_url, clock=clock, key_path=someone_elses)


def test_audit_log_refuses_updates_and_deletes(any_ctx) -> None:
    assert audit.latest_change(any_ctx) > 0
    # Raw SQL on purpose: the database's own append-only triggers are under test.
    with pytest.raises(DatabaseError, match="append-only"), any_ctx.db.write() as s:
        s.execute(text("UPDATE audit_log SET actor = 'someone else'"))
    with pytest.raises(DatabaseError, match="append-only"), any_ctx.db.write() as s:
        s.execute(text("DELETE FROM audit_log"))
    with any_ctx.db.read() as s:
        assert s.query(AuditEntry).filter(AuditEntry.actor == "someone else").count() == 0


def test_database_refuses_a_second_open_custody_for_a_pupil(any_ctx) -> None:
    pupil_id = make_pupil(any_ctx, forename="Ann", surname="Ash", form="9A").id
    receptacle_id = receptacles(any_ctx)[0].id
    row = {
        "pupil_id": pupil_id,
        "receptacle_id": receptacle_id,
        "location": "",
        "handed_in_at": TEST_MORNING,
        "no_permission": False,
    }
    # Raw custody rows on purpose: the database's own unique index is what is under test,
    # and the custody service would refuse the second hand-in before it got there.
    with any_ctx.db.write() as s:
        s.add(PhoneCustody(slot=1, **row))
    with pytest.raises(IntegrityError), any_ctx.db.write() as s:
        s.add(PhoneCustody(slot=2, **row))


def test_times_come_back_timezone_aware_in_utc(any_ctx, clock: FixedClock) -> None:
    entries = audit.recent_entries(any_ctx, limit=1)
    assert entries[0].at.utcoffset() is not None
    assert entries[0].at == clock()


def test_kiosk_init_creates_the_database_and_key(tmp_path: Path, capsys) -> None:
    from kiosk.cli import main

    url = f"sqlite:///{tmp_path / 'school.db'}"
    assert main(["--db", url, "init", "--school-name", "St Ives & Carbis <Bay> School"]) == 0
    out = capsys.readouterr().out
    assert "St Ives & Carbis <Bay> School" in out
    assert (tmp_path / "school.card.key").exists()
    assert (tmp_path / "school.card.key").stat().st_mode & 0o077 == 0
