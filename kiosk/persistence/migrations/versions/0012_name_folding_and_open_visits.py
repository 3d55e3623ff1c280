"""Names searched with Latin letters folded, indexed by word; visits closed as "not signed
out".

Three changes:

- Every stored folded name (each table with a ``name_key`` column, whichever feature added
  it) is folded again, now that letters with no separable accent are written in plain a-z
  ("łukasz" becomes "lukasz", "øyvind" "oyvind", "đorđe" "dorde"). A stored key is already
  decomposed, lower case and without punctuation, so folding its Latin letters gives what
  ``kiosk.text.name_key`` gives for the name today; the loop reads the key rather than the
  name, so it needs to know nothing of how each table builds its key.
- ``visitor_name_word``: the folded name from each of its words on, with when the
  visitor was last seen, for the visitor type-ahead to read one index range instead of
  scanning every visitor (filled here from the visitors on record).
- A visit may be closed as "not signed out": the visitor signed in again while still
  signed in, or the receptionist closed a visit left open after closing time.

Revision ID: 0012
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from kiosk.text import fold_latin, word_keys

revision = "0012"
# The visitor tables must exist: they are made by 0003.
down_revision = "0003"
branch_labels = None
depends_on = None

_BATCH = 1_000


def _search_key() -> sa.types.TypeEngine[str]:
    return sa.String(length=200).with_variant(sa.String(length=200, collation="C"), "postgresql")


def _refold_every_name_key(bind: sa.Connection) -> None:
    inspector = sa.inspect(bind)
    for table_name in inspector.get_table_names():
        columns = {column["name"] for column in inspector.get_columns(table_name)}
        if "name_key" not in columns or table_name == "visitor_name_word":
            continue
        keys = inspector.get_pk_constraint(table_name)["constrained_columns"]
        if not keys:
            continue
        table = sa.table(table_name, *(sa.column(name) for name in [*keys, "name_key"]))
        changed = [
            {**{f"k_{name}": row._mapping[name] for name in keys}, "new_key": folded}
            for row in bind.execute(sa.select(table))
            if (folded := fold_latin(row.name_key or "")) != (row.name_key or "")
        ]
        if not changed:
            continue
        update = (
            table.update()
            .where(*(table.c[name] == sa.bindparam(f"k_{name}") for name in keys))
            .values(name_key=sa.bindparam("new_key"))
        )
        for start in range(0, len(changed), _BATCH):
            bind.execute(update, changed[start : start + _BATCH])


def upgrade() -> None:
    bind = op.get_bind()
    _refold_every_name_key(bind)

    op.create_table(
        "visitor_name_word",
        sa.Column(
            "visitor_id",
            sa.Integer(),
            sa.ForeignKey("visitor.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("name_key", _search_key(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("visitor_id", "name_key"),
    )
    op.create_index(
        "ix_visitor_name_word_key",
        "visitor_name_word",
        ["name_key", "last_seen_at", "visitor_id"],
    )
    visitor = sa.table("visitor", sa.column("id"), sa.column("name_key"), sa.column("last_seen_at"))
    words = sa.table(
        "visitor_name_word",
        sa.column("visitor_id"),
        sa.column("name_key"),
        sa.column("last_seen_at"),
    )
    rows = [
        {"visitor_id": row.id, "name_key": word, "last_seen_at": row.last_seen_at}
        for row in bind.execute(sa.select(visitor.c.id, visitor.c.name_key, visitor.c.last_seen_at))
        for word in word_keys(row.name_key or "")
    ]
    for start in range(0, len(rows), _BATCH):
        bind.execute(words.insert(), rows[start : start + _BATCH])

    # A column of its own rather than a new word in "signed_out_how": on SQLite, changing
    # that column's check would mean rebuilding a table other tables point at.
    op.add_column(
        "visitor_visit",
        sa.Column("not_signed_out", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    # The older schema has no word for "not signed out": such visits read as closed at the
    # desk. Keys stay as folded now: the older code still finds those names typed in plain
    # letters.
    op.execute(
        "UPDATE visitor_visit SET signed_out_how = 'desk' "
        "WHERE not_signed_out AND signed_out_how IS NULL"
    )
    op.drop_column("visitor_visit", "not_signed_out")
    op.drop_index("ix_visitor_name_word_key", table_name="visitor_name_word")
    op.drop_table("visitor_name_word")
