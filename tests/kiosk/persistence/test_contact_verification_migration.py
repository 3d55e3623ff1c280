"""Migration 0007 decides, for contacts already on file, which are the school's record:
imported from the MIS and not renamed or allowed to collect at the desk since."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import text

from kiosk.context import KioskContext
from kiosk.importing.contacts import import_contacts_text
from kiosk.persistence.migrate import MIGRATIONS_DIR, upgrade_to_head
from kiosk.rows.people import Actor
from kiosk.services import contacts
from tests.factories import make_contact, make_pupil


def test_existing_imported_contacts_are_verified_and_desk_added_ones_are_not(
    ctx: KioskContext, manager: Actor
) -> None:
    zoe = make_pupil(ctx, forename="Zoë", surname="Adebayo")
    data = (
        "UPN,Name,Relationship,May collect\n"
        f"{zoe.upn},Ama Adebayo,Mother,yes\n"
        f"{zoe.upn},Kofi Adebayo,Uncle,no\n"
        f"{zoe.upn},Efua Adebayo,Aunt,yes\n"
    ).encode()
    import_contacts_text(ctx, manager, data)
    by_name = {c.name: c for c in contacts.contacts_for(ctx, zoe.id)}
    desk_added = make_contact(ctx, manager, zoe.id, name="Jo Bloggs")
    uncle = by_name["Kofi Adebayo"]
    contacts.update_contact(
        ctx,
        manager,
        uncle.id,
        name=uncle.name,
        relationship="Uncle",
        phone="",
        email="",
        may_collect=True,
    )
    aunt = by_name["Efua Adebayo"]
    contacts.update_contact(
        ctx,
        manager,
        aunt.id,
        name=aunt.name,
        relationship="Aunt",
        phone="07700 900111",
        email="",
        may_collect=True,
    )

    with ctx.db.engine.begin() as conn:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        config.attributes["connection"] = conn
        command.downgrade(config, "0007-1")
        columns = [row[1] for row in conn.execute(text("PRAGMA table_info(contact)"))]
        assert "verified" not in columns
    upgrade_to_head(ctx.db)

    verified = {c.name: c.verified for c in contacts.contacts_for(ctx, zoe.id)}
    assert verified == {
        "Ama Adebayo": True,  # imported
        "Kofi Adebayo": False,  # imported, then allowed to collect at the desk
        "Efua Adebayo": True,  # imported; only a phone number changed at the desk
        desk_added.name: False,  # typed in at the desk
    }
