"""Migration 0011: pupils already on file keep their UPN as their identifier, become
searchable by their folded names, and the UPN becomes optional; going back is refused while
a pupil has no UPN."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import inspect

from kiosk.context import KioskContext
from kiosk.importing.pupils import import_pupils_text
from kiosk.persistence.migrate import MIGRATIONS_DIR, upgrade_to_head
from kiosk.rows.people import Actor
from kiosk.services.pupils import find_by_upn, search_pupils
from tests.factories import make_manager, make_pupil


def _downgrade(ctx: KioskContext, revision: str) -> list[str]:
    """Run Alembic down to ``revision``; the pupil table's columns afterwards."""
    with ctx.db.engine.begin() as conn:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        config.attributes["connection"] = conn
        command.downgrade(config, revision)
        return [column["name"] for column in inspect(conn).get_columns("pupil")]


def test_pupils_on_file_before_the_upgrade_keep_their_upn_and_are_found_by_name(
    any_ctx: KioskContext,
) -> None:
    zoe = make_pupil(any_ctx, forename="Zoë", surname="Ní Bhriain")
    columns = _downgrade(any_ctx, "0011@-1")
    assert "known_forename" not in columns and "identifier" not in columns

    upgrade_to_head(any_ctx.db)

    again = find_by_upn(any_ctx, zoe.upn)
    assert (again.id, again.id_scheme, again.identifier, again.name) == (
        zoe.id,
        "upn",
        zoe.upn,
        "Zoë Ní Bhriain",
    )
    assert [p.id for p in search_pupils(any_ctx, "zoe ni bh")] == [zoe.id]


def test_going_back_is_refused_while_a_pupil_has_no_upn(any_ctx: KioskContext) -> None:
    manager: Actor = make_manager(any_ctx)
    data = b"Adno,Forename,Surname,Year,Form\n7,Ann,Lee,7,7A\n"
    assert import_pupils_text(any_ctx, manager, data, mark_leavers=False).added == 1

    with pytest.raises(RuntimeError, match="1 pupils have no UPN"):
        _downgrade(any_ctx, "0011@-1")

    assert find_by_upn(any_ctx, "7").name == "Ann Lee"
