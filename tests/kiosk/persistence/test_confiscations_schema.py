"""Migration 0002 builds exactly the tables the models describe (SQLite and PostgreSQL)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from kiosk.persistence.models import Base

MY_TABLES = {
    "contact",
    "confiscation_setting",
    "confiscation",
    "confiscation_event",
    "confiscation_release",
}


def _table_of(diff: object) -> str | None:
    item = diff[0] if isinstance(diff, list) else diff
    for part in item[1:] if isinstance(item, tuple) else ():
        name = getattr(part, "name", None)
        table = getattr(part, "table", None)
        if table is not None and getattr(table, "name", None):
            return table.name
        if isinstance(part, str) and part in MY_TABLES:
            return part
        if name in MY_TABLES:
            return name
    return None


def test_migration_matches_the_models_for_confiscation_tables(any_ctx) -> None:  # type: ignore[no-untyped-def]
    with any_ctx.db.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    mine = [d for d in diffs if _table_of(d) in MY_TABLES]
    assert mine == []
