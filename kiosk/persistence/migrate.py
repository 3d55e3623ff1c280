"""Bring a database up to the current schema at start-up, or refuse a newer one.

Alembic is only imported when there is something to do: a database already at the
scripts' heads is recognised with one query, which keeps the desk's start-up quick.
Independent features may add migrations side by side (several heads); all are applied.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text

from kiosk.errors import DatabaseTooNew
from kiosk.persistence.database import BATCH, Database

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_REVISION_LINE = re.compile(r"^(revision|down_revision)\s*=\s*(.+)$", re.MULTILINE)
# Any fixed number works; it only has to be the same for every desk sharing a server.
_PG_MIGRATION_LOCK = 0x4B494F534B


def _config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revisions() -> frozenset[str]:
    """The heads among the migration scripts, as Alembic reads them."""
    from alembic.script import ScriptDirectory

    return frozenset(ScriptDirectory.from_config(_config()).get_heads())


@cache
def script_heads(directory: Path = MIGRATIONS_DIR) -> frozenset[str]:
    """The heads of the migration scripts, read from the files without importing Alembic
    (tests/test_storage.py checks this against Alembic's own answer)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (directory / "versions").glob("*.py"):
        fields = dict(_REVISION_LINE.findall(script.read_text(encoding="utf-8")))
        if "revision" not in fields:
            continue
        revisions.add(_literal(fields["revision"]))
        down = fields.get("down_revision", "None").strip()
        if down.startswith(("(", "[")):
            parents.update(_literal(p) for p in down.strip("()[]").split(",") if p.strip())
        elif down != "None":
            parents.add(_literal(down))
    return frozenset(revisions - parents)


def _literal(text: str) -> str:
    return text.strip().strip("'\"")


def _stored_revisions(conn: Connection) -> frozenset[str]:
    if not inspect(conn).has_table("alembic_version"):
        return frozenset()
    return frozenset(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())


def current_revisions(db: Database) -> frozenset[str]:
    """The migration revisions stored in the database (its ``alembic_version`` table):
    empty for a new database, several when independent heads were applied. Raises
    sqlalchemy's OperationalError when the database cannot be reached."""
    with db.engine.execution_options(kiosk_readonly=True, kiosk_patience=BATCH).connect() as conn:
        return _stored_revisions(conn)


def upgrade_to_head(db: Database) -> None:
    """Run any pending migrations. Safe when several desks start at once on PostgreSQL:
    the first takes an advisory lock and migrates, the others wait and find nothing to do.

    Returns at once, without importing Alembic, when the database is already at the
    scripts' heads. Raises :class:`DatabaseTooNew` (nothing changed) when the database
    holds a revision this version does not know, i.e. a newer version wrote it.
    """
    if current_revisions(db) == script_heads():
        return
    from alembic import command
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_config())
    # Migrating may rewrite whole tables: it waits as batch work does, even on a desk.
    with db.engine.execution_options(kiosk_patience=BATCH).connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
            conn.commit()
        try:
            known = {s.revision for s in script.walk_revisions()}
            unknown = sorted(_stored_revisions(conn) - known)
            if unknown:
                raise DatabaseTooNew(
                    "This database was last opened by a newer version of Reception Kiosk "
                    f"(schema {', '.join(unknown)}). Install that version or newer to open "
                    "it; nothing has been changed."
                )
            conn.commit()
            command.upgrade(_config(conn), "heads")
            conn.commit()
        finally:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_MIGRATION_LOCK})
                conn.commit()
