"""Bring a database up to the current schema at start-up, or refuse a newer one.

Alembic is only imported when there is something to do: a database already at
``SCHEMA_HEAD`` is recognised with one query, which keeps the desk's start-up quick.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text

from kiosk.errors import DatabaseTooNew
from kiosk.persistence.database import Database

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# The newest migration's revision; tests/test_storage.py checks it against the scripts.
SCHEMA_HEAD = "0001"
# Any fixed number works; it only has to be the same for every desk sharing a server.
_PG_MIGRATION_LOCK = 0x4B494F534B


def _config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision among the migration scripts (reads the scripts)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def _stored_revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def current_revision(db: Database) -> str | None:
    with db.engine.execution_options(kiosk_readonly=True).connect() as conn:
        return _stored_revision(conn)


def upgrade_to_head(db: Database) -> None:
    """Run any pending migrations. Safe when several desks start at once on PostgreSQL:
    the first takes an advisory lock and migrates, the others wait and find nothing to do.
    """
    if current_revision(db) == SCHEMA_HEAD:
        return
    from alembic import command
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_config())
    with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
            conn.commit()
        try:
            current = _stored_revision(conn)
            if current is not None and current not in {s.revision for s in script.walk_revisions()}:
                raise DatabaseTooNew(
                    "This database was last opened by a newer version of Reception Kiosk "
                    f"(schema {current}). Install that version or newer to open it; "
                    "nothing has been changed."
                )
            conn.commit()
            command.upgrade(_config(conn), "head")
            conn.commit()
        finally:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_MIGRATION_LOCK})
                conn.commit()
