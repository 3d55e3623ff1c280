"""Migration 0012 folds every stored name key again (Ł, Ø, Đ and ß now fold to plain
letters), whichever table holds it, fills the visitor name index, and lets a visit be
closed as "not signed out"; on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import text

from kiosk.context import KioskContext
from kiosk.persistence.migrate import MIGRATIONS_DIR, upgrade_to_head
from kiosk.rows.people import Actor
from kiosk.services import alerts, visitors
from tests.factories import make_visit

# Keys as the earlier folding stored them: accents gone, but Ł, Ø and Đ kept.
OLD_KEYS = {
    "Łukasz Øberg": "łukasz øberg",
    "Đorđe Phạm": "đorđe pham",
}


def _downgrade_below_0012(ctx: KioskContext) -> None:
    with ctx.db.engine.begin() as conn:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        config.attributes["connection"] = conn
        command.downgrade(config, "0012-1")


def test_stored_keys_are_folded_again_and_the_name_index_is_filled(
    any_ctx: KioskContext, any_manager: Actor
) -> None:
    lukasz = make_visit(any_ctx, name="Łukasz Øberg", organisation="")
    dorde = make_visit(any_ctx, name="Đorđe Phạm", organisation="")
    alerts.add_alert(any_ctx, any_manager, "Łukasz Øberg", "")
    _downgrade_below_0012(any_ctx)
    with any_ctx.db.engine.begin() as conn:
        # A table a later feature adds with its own folded names is re-folded too.
        conn.execute(text("CREATE TABLE other_names (id INTEGER PRIMARY KEY, name_key TEXT)"))
        conn.execute(text("INSERT INTO other_names VALUES (1, 'øyvind straße')"))
        for name, old_key in OLD_KEYS.items():
            for table in ("visitor", "visitor_alert"):
                conn.execute(
                    text(f"UPDATE {table} SET name_key = :key WHERE name = :name"),
                    {"key": old_key, "name": name},
                )
        conn.execute(text("UPDATE visitor_visit SET signed_out_at = NULL"))

    upgrade_to_head(any_ctx.db)

    with any_ctx.db.engine.connect() as conn:
        keys = dict(conn.execute(text("SELECT name, name_key FROM visitor")).all())
        alert_keys = conn.execute(text("SELECT name_key FROM visitor_alert")).scalars().all()
        other = conn.execute(text("SELECT name_key FROM other_names")).scalar_one()
        conn.execute(text("DROP TABLE other_names"))
        conn.commit()
    assert keys == {"Łukasz Øberg": "lukasz oberg", "Đorđe Phạm": "dorde pham"}
    assert alert_keys == ["lukasz oberg"]
    assert other == "oyvind strasse"
    assert [m.visitor_id for m in visitors.search_returning_visitors(any_ctx, "lukasz")] == [
        lukasz.visit.visitor_id
    ]
    assert [m.visitor_id for m in visitors.search_returning_visitors(any_ctx, "pham")] == [
        dorde.visit.visitor_id
    ]
    # The widened "how" takes the new word.
    again = make_visit(any_ctx, name="Łukasz Øberg", organisation="")
    assert visitors.get_visit(any_ctx, lukasz.visit.id).signed_out_how == "not_signed_out"
    assert again.visit.on_site
