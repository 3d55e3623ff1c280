"""Pupils keep their preferred ("known as") names beside their legal ones, a folded search
key over both, and the identifier the MIS import matches them on: the UPN, or for a school
without UPNs the MIS's own (SCN, admission number, MIS ID), under a scheme so identifiers
of different kinds never collide. The UPN becomes optional.

Revision ID: 0011
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from kiosk.text import names_key

revision = "0011"
down_revision = "0001"
branch_labels = None
depends_on = None

_SCHEMES = "id_scheme IN ('upn', 'scn', 'admission_number', 'mis_id')"


def upgrade() -> None:
    with op.batch_alter_table("pupil", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("known_forename", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("known_surname", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("name_key", sa.String(length=1000), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("id_scheme", sa.String(length=20), nullable=False, server_default="upn")
        )
        batch_op.add_column(
            sa.Column("identifier", sa.String(length=40), nullable=False, server_default="")
        )
    op.execute("UPDATE pupil SET identifier = upn")
    bind = op.get_bind()
    pupils = sa.table(
        "pupil",
        sa.column("id", sa.Integer),
        sa.column("forename", sa.String),
        sa.column("surname", sa.String),
        sa.column("name_key", sa.String),
    )
    rows = bind.execute(sa.select(pupils.c.id, pupils.c.forename, pupils.c.surname)).all()
    for pupil_id, forename, surname in rows:
        bind.execute(
            pupils.update()
            .where(pupils.c.id == pupil_id)
            .values(name_key=names_key(f"{forename} {surname}"))
        )
    with op.batch_alter_table("pupil", schema=None) as batch_op:
        batch_op.alter_column("upn", existing_type=sa.String(length=13), nullable=True)
        batch_op.create_unique_constraint("uq_pupil_identity", ["id_scheme", "identifier"])
        batch_op.create_check_constraint("id_scheme_known", _SCHEMES)


def downgrade() -> None:
    # The older schema needs a UPN for every pupil: a pupil known only by the MIS's own
    # identifier cannot be kept in it, so going back is refused rather than losing them.
    bind = op.get_bind()
    without_upn = bind.execute(sa.text("SELECT COUNT(*) FROM pupil WHERE upn IS NULL")).scalar()
    if without_upn:
        raise RuntimeError(
            f"{without_upn} pupils have no UPN; the older schema cannot hold them. "
            "Restore a backup made before the upgrade instead."
        )
    with op.batch_alter_table("pupil", schema=None) as batch_op:
        batch_op.drop_constraint("id_scheme_known", type_="check")
        batch_op.drop_constraint("uq_pupil_identity", type_="unique")
        batch_op.alter_column("upn", existing_type=sa.String(length=13), nullable=False)
        batch_op.drop_column("identifier")
        batch_op.drop_column("id_scheme")
        batch_op.drop_column("name_key")
        batch_op.drop_column("known_surname")
        batch_op.drop_column("known_forename")
