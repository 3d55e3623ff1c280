"""The audit log's hash chain: an untouched log verifies, and every way of tampering with it
behind the application's back (editing, replacing, deleting, reordering entries) is named by
``verify_audit_chain`` and ``kiosk audit verify``. Tampering is done with raw SQL on purpose:
it is what someone with the database file or the owner's role would do."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import select, text

from kiosk.cli import EXIT_AUDIT_BROKEN, main
from kiosk.context import KioskContext
from kiosk.persistence.audit_chain import GENESIS_HASH, entry_hash
from kiosk.persistence.database import Database
from kiosk.persistence.migrate import MIGRATIONS_DIR
from kiosk.persistence.models import AuditEntry
from kiosk.rows.audit import ChainFault
from kiosk.rows.people import Actor
from kiosk.services.audit import record, verify_audit_chain
from kiosk.startup import open_kiosk
from tests.factories import make_manager, make_receptionist

FIELDS = "id, at, actor, staff_id, action, entity, entity_id, before, after"


@pytest.fixture
def log(any_ctx: KioskContext) -> KioskContext:
    """A database whose audit log holds at least six entries: the school's, a manager's and
    four receptionists'."""
    manager = make_manager(any_ctx)
    for n, name in enumerate(("Mr Ben Desk", "Ms Cy Desk", "Mr Dev Desk", "Ms Eve Desk")):
        make_receptionist(any_ctx, manager, name, pin=f"135{n}")
    return any_ctx


def _ids(ctx: KioskContext) -> list[int]:
    with ctx.db.read() as s:
        return list(s.scalars(text("SELECT id FROM audit_log ORDER BY id")))


def _tamper(ctx: KioskContext, *statements: str) -> None:
    """Run raw SQL on the audit log with its append-only triggers out of the way, as the
    database owner could."""
    with ctx.db.engine.begin() as conn:
        if ctx.db.is_sqlite:
            for trigger in ("no_update", "no_delete", "no_replace"):
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS audit_log_{trigger}")
        else:
            conn.exec_driver_sql("ALTER TABLE audit_log DISABLE TRIGGER USER")
        for statement in statements:
            conn.exec_driver_sql(statement)


def test_untouched_audit_log_verifies_intact(log: KioskContext) -> None:
    ids = _ids(log)
    result = verify_audit_chain(log)
    assert result.intact
    assert result.entries == len(ids) >= 6
    with log.db.read() as s:
        last_hash = s.scalar(text("SELECT entry_hash FROM audit_log ORDER BY id DESC LIMIT 1"))
        first_previous = s.scalar(text("SELECT previous_hash FROM audit_log ORDER BY id LIMIT 1"))
    assert result.latest_hash == last_hash
    assert first_previous == GENESIS_HASH
    assert result.first_at is not None and result.last_at is not None
    assert result.first_at <= result.last_at


def test_entries_recorded_in_one_transaction_chain_in_order(any_ctx: KioskContext) -> None:
    actor = Actor(None, "Command line (set-up)", "manager")
    at = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    with any_ctx.db.write() as s:
        for n in range(3):
            record(s, at=at, actor=actor, action="note", entity="test", entity_id=n)
    assert verify_audit_chain(any_ctx).intact


def test_audit_entry_of_a_rolled_back_action_is_not_chained(any_ctx: KioskContext) -> None:
    before = verify_audit_chain(any_ctx).entries
    actor = Actor(None, "Command line (set-up)", "manager")
    with pytest.raises(RuntimeError), any_ctx.db.write() as s:
        record(s, at=datetime.now(UTC), actor=actor, action="note", entity="test", entity_id=1)
        raise RuntimeError("the action failed after recording")
    result = verify_audit_chain(any_ctx)
    assert result.intact and result.entries == before


def test_edited_entry_is_named(log: KioskContext) -> None:
    edited = _ids(log)[3]
    _tamper(log, f"UPDATE audit_log SET actor = 'Someone Else' WHERE id = {edited}")
    result = verify_audit_chain(log)
    assert not result.intact
    assert (result.broken_entry_id, result.fault) == (edited, ChainFault.EDITED)
    assert f"Entry {edited}" in result.explanation
    assert result.entries == 3


def test_insert_or_replace_over_an_entry_is_refused_on_sqlite(ctx: KioskContext) -> None:
    make_manager(ctx)
    target = _ids(ctx)[0]
    conn = sqlite3.connect(ctx.db.engine.url.database or "")
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(
                f"INSERT OR REPLACE INTO audit_log ({FIELDS}) VALUES "
                f"({target}, '2026-11-24 09:00:00.000000', 'Someone Else', NULL, 'create', "
                "'staff', '1', NULL, '{}')"
            )
        conn.rollback()
        stored = conn.execute(f"SELECT actor FROM audit_log WHERE id = {target}").fetchone()
    finally:
        conn.close()
    assert stored[0] != "Someone Else"
    assert verify_audit_chain(ctx).intact


def test_forced_insert_or_replace_is_named_as_replaced_on_sqlite(ctx: KioskContext) -> None:
    make_manager(ctx)
    target = _ids(ctx)[1]
    _tamper(
        ctx,
        f"INSERT OR REPLACE INTO audit_log ({FIELDS}) VALUES "
        f"({target}, '2026-11-24 09:00:00.000000', 'Someone Else', NULL, 'create', "
        "'staff', '1', NULL, '{}')",
    )
    result = verify_audit_chain(ctx)
    assert (result.broken_entry_id, result.fault) == (target, ChainFault.REPLACED)
    assert main(["--db", str(ctx.db.engine.url), "audit", "verify"]) == EXIT_AUDIT_BROKEN


def test_entry_replaced_with_a_fresh_fitting_hash_is_named(log: KioskContext) -> None:
    """Someone who knows the format rewrites an entry and hashes it onto its predecessor:
    the entry after it still holds the old hash, so the replaced entry is named."""
    ids = _ids(log)
    target = ids[2]
    with log.db.read() as s:
        previous = s.scalar(select(AuditEntry.entry_hash).where(AuditEntry.id == ids[1]))
        at = s.scalar(select(AuditEntry.at).where(AuditEntry.id == target))
    assert previous is not None and at is not None
    forged = entry_hash(
        entry_id=target,
        at=at,
        actor="Someone Else",
        staff_id=None,
        action="create",
        entity="staff",
        entity_id="1",
        before=None,
        after="{}",
        previous_hash=previous,
    )
    _tamper(
        log,
        f"UPDATE audit_log SET actor = 'Someone Else', staff_id = NULL, action = 'create', "
        f"entity = 'staff', entity_id = '1', before = NULL, after = '{{}}', "
        f"entry_hash = '{forged}' WHERE id = {target}",
    )
    result = verify_audit_chain(log)
    assert (result.broken_entry_id, result.fault) == (target, ChainFault.REPLACED)


def test_deleted_entry_is_named(log: KioskContext) -> None:
    ids = _ids(log)
    _tamper(log, f"DELETE FROM audit_log WHERE id = {ids[2]}")
    result = verify_audit_chain(log)
    assert (result.broken_entry_id, result.fault) == (ids[3], ChainFault.MISSING)
    assert f"entry {ids[2]} is missing" in result.explanation


def test_deleted_first_entry_is_named(log: KioskContext) -> None:
    ids = _ids(log)
    _tamper(log, f"DELETE FROM audit_log WHERE id = {ids[0]}")
    result = verify_audit_chain(log)
    assert (result.broken_entry_id, result.fault) == (ids[1], ChainFault.MISSING)


def test_entries_with_swapped_contents_are_named(log: KioskContext) -> None:
    first, second = _ids(log)[2], _ids(log)[4]
    columns = ("at", "actor", "staff_id", "action", "entity", "entity_id", "before", "after")
    with log.db.read() as s:
        rows = {
            n: s.execute(text(f"SELECT {', '.join(columns)} FROM audit_log WHERE id = {n}")).one()
            for n in (first, second)
        }
    # Copy each row's content over the other (kept together with its hashes: only moved).
    statements = []
    for target, source in ((first, second), (second, first)):
        assignments = ", ".join(
            f"{c} = (SELECT {c} FROM audit_copy WHERE id = {source})" for c in columns
        )
        statements.append(f"UPDATE audit_log SET {assignments} WHERE id = {target}")
    _tamper(
        log,
        f"CREATE TABLE audit_copy AS SELECT * FROM audit_log WHERE id IN ({first}, {second})",
        *statements,
        "DROP TABLE audit_copy",
    )
    with log.db.read() as s:
        swapped = s.execute(text(f"SELECT actor FROM audit_log WHERE id = {first}")).scalar()
    assert swapped == rows[second].actor
    result = verify_audit_chain(log)
    assert (result.broken_entry_id, result.fault) == (first, ChainFault.REORDERED)
    assert f"written as entry {second}" in result.explanation


def test_entries_with_swapped_ids_are_named(log: KioskContext) -> None:
    first, second = _ids(log)[1], _ids(log)[3]
    _tamper(
        log,
        f"UPDATE audit_log SET id = -1 WHERE id = {first}",
        f"UPDATE audit_log SET id = {first} WHERE id = {second}",
        f"UPDATE audit_log SET id = {second} WHERE id = -1",
    )
    result = verify_audit_chain(log)
    assert (result.broken_entry_id, result.fault) == (first, ChainFault.REORDERED)
    assert f"written as entry {second}" in result.explanation


def test_entries_cut_from_the_end_are_caught_by_a_hash_kept_elsewhere(log: KioskContext) -> None:
    kept = verify_audit_chain(log).latest_hash
    assert kept is not None
    _tamper(log, f"DELETE FROM audit_log WHERE id = {_ids(log)[-1]}")
    assert verify_audit_chain(log).intact  # the chain alone cannot see a shorter end
    result = verify_audit_chain(log, expected_hash=kept)
    assert result.fault is ChainFault.MISSING
    assert kept[:16] in result.explanation


def test_truncating_the_audit_log_is_refused_on_postgresql(log: KioskContext) -> None:
    if log.db.is_sqlite:
        pytest.skip("SQLite has no TRUNCATE")
    with pytest.raises(Exception, match="append-only"), log.db.write() as s:
        s.execute(text("TRUNCATE audit_log"))
    assert verify_audit_chain(log).intact


def test_cli_verify_prints_one_line_for_an_intact_log(
    log: KioskContext, capsys: pytest.CaptureFixture[str]
) -> None:
    url = log.db.engine.url.render_as_string(hide_password=False)
    latest = verify_audit_chain(log).latest_hash
    assert main(["audit", "verify", "--db", url]) == 0
    out = capsys.readouterr().out.strip()
    assert out.startswith("Audit log intact: ") and "\n" not in out
    assert f"latest hash {latest}" in out
    assert main(["audit", "verify", "--db", url, "--expect", str(latest)]) == 0


def test_cli_verify_names_the_first_entry_that_does_not_fit(
    log: KioskContext, capsys: pytest.CaptureFixture[str]
) -> None:
    edited = _ids(log)[2]
    _tamper(log, f"UPDATE audit_log SET after = '{{}}' WHERE id = {edited}")
    url = log.db.engine.url.render_as_string(hide_password=False)
    assert main(["--db", url, "audit", "verify"]) == EXIT_AUDIT_BROKEN
    err = capsys.readouterr().err
    assert f"Audit log broken at entry {edited} (edited)" in err


def test_two_desks_writing_at_once_leave_an_intact_chain(any_db_url: str) -> None:
    desks = [open_kiosk(any_db_url, school_name="Test School") for _ in range(2)]
    before = verify_audit_chain(desks[0]).entries
    actor = Actor(None, "Command line (set-up)", "manager")
    start = threading.Barrier(len(desks))
    errors: list[BaseException] = []

    def write(desk: KioskContext, name: str) -> None:
        try:
            start.wait()
            for n in range(20):
                with desk.db.write() as s:
                    for part in range(2):
                        record(
                            s,
                            at=datetime.now(UTC),
                            actor=actor,
                            action="note",
                            entity=name,
                            entity_id=f"{n}.{part}",
                        )
        except BaseException as exc:  # reported below, on the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(d, f"desk{i}")) for i, d in enumerate(desks)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        result = verify_audit_chain(desks[0])
    finally:
        for desk in desks:
            desk.close()
    assert result.intact, result.explanation
    assert result.entries == before + 2 * 20 * 2


def test_upgrade_chains_entries_written_before_the_chain(any_db_url: str) -> None:
    """A database from before revision 0005, with entries, is chained in id order."""
    fresh = Database(any_db_url.replace("kiosk.db", "old.db"))
    try:
        with fresh.engine.connect() as conn:
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS_DIR))
            config.attributes["connection"] = conn
            command.upgrade(config, "0001")
            conn.commit()
            for n in range(4):
                at = datetime(2026, 11, 20, 9, n, 0, 123456, tzinfo=UTC)
                conn.execute(
                    text(
                        "INSERT INTO audit_log (at, actor, action, entity, entity_id, after) "
                        "VALUES (:at, 'Ms Ada Manager', 'create', 'pupil', :n, :after)"
                    ),
                    {
                        # As each database stores it: SQLite as naive UTC text.
                        "at": at.strftime("%Y-%m-%d %H:%M:%S.%f") if fresh.is_sqlite else at,
                        "n": str(n),
                        "after": '{"name": "Zoë"}',
                    },
                )
            conn.commit()
    finally:
        fresh.dispose()
    ctx = open_kiosk(fresh.url, school_name="Test School")
    try:
        result = verify_audit_chain(ctx)
    finally:
        ctx.close()
    assert result.intact, result.explanation
    assert result.entries >= 4


@pytest.mark.postgres
def test_desk_role_from_the_deployment_guide_can_only_add_to_and_read_the_audit_log(
    pg_url: str,
) -> None:
    """The grants in docs/deployment.md ("Give the desks a role…"): the desks' role adds
    entries through the services, and is refused every way of rewriting the log."""
    import uuid

    import psycopg
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import DBAPIError

    owner = open_kiosk(pg_url, school_name="Test School")
    manager = make_manager(owner)
    role = f"kiosk_desk_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN")
        conn.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
        conn.execute(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"
        )
        conn.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}")
        conn.execute(f"REVOKE ALL ON audit_log FROM {role}")
        conn.execute(f"GRANT SELECT, INSERT ON audit_log TO {role}")
    desk_url = make_url(pg_url).set(username=role, password=None)
    try:
        desk = open_kiosk(desk_url.render_as_string(hide_password=False), key_path=owner.key_path)
        try:
            make_receptionist(desk, manager)
            for statement in (
                "UPDATE audit_log SET actor = 'Someone Else'",
                "DELETE FROM audit_log",
                "TRUNCATE audit_log",
                "ALTER TABLE audit_log DISABLE TRIGGER USER",
                "DROP TRIGGER audit_log_append_only ON audit_log",
            ):
                with (
                    pytest.raises(DBAPIError, match="permission denied|must be owner"),
                    desk.db.engine.begin() as conn,
                ):
                    conn.exec_driver_sql(statement)
            result = verify_audit_chain(desk)
        finally:
            desk.close()
    finally:
        owner.close()
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(f"DROP OWNED BY {role}")
            conn.execute(f"DROP ROLE {role}")
    assert result.intact, result.explanation
    assert result.entries >= 3
