"""Bring a database up to the current schema at start-up, or refuse a newer one."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

from kiosk.errors import DatabaseTooNew
from kiosk.persistence.database import Database

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Any fixed number works; it only has to be the same for every desk sharing a server.
_PG_MIGRATION_LOCK = 0x4B494F534B


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade_to_head(db: Database) -> None:
    """Run any pending migrations. Safe when several desks start at once on PostgreSQL:
    the first takes an advisory lock and migrates, the others wait and find nothing to do.
    """
    script = ScriptDirectory.from_config(_config())
    with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
            conn.commit()
        try:
            current = MigrationContext.configure(conn).get_current_revision()
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
