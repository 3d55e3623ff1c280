"""Pupils: finding them, their cards, and their permissions and exemptions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kiosk.codes.pupil_card import MAX_SERIAL, pupil_card_payload
from kiosk.errors import InvalidInput, NotAllowed, NotFound
from kiosk.persistence.models import Arrangement, Pupil
from kiosk.rows.people import Actor, ArrangementRow, PupilRow
from kiosk.services import audit
from kiosk.text import LIKE_ESCAPE, clean_line, clean_note, escape_like

if TYPE_CHECKING:
    from kiosk.context import KioskContext


def pupil_row(p: Pupil) -> PupilRow:
    return PupilRow(
        id=p.id,
        upn=p.upn,
        forename=p.forename,
        surname=p.surname,
        year_group=p.year_group,
        form=p.form,
        card_serial=p.card_serial,
        status=p.status,
    )


def arrangement_row(a: Arrangement) -> ArrangementRow:
    return ArrangementRow(
        id=a.id,
        pupil_id=a.pupil_id,
        kind=a.kind,
        title=a.title,
        conditions=a.conditions,
        agreed_by=a.agreed_by,
        starts_on=a.starts_on,
        review_on=a.review_on,
    )


def search_pupils(ctx: KioskContext, text: str, *, limit: int = 20) -> list[PupilRow]:
    """Type-ahead: pupils on roll whose forename, surname, "forename surname", form or UPN
    starts with what was typed (case-insensitive)."""
    text = clean_line(text)
    if not text:
        return []
    prefix = escape_like(text.lower()) + "%"
    full_name = Pupil.forename + " " + Pupil.surname
    query = (
        select(Pupil)
        .where(Pupil.status == "on_roll")
        .where(
            or_(
                Pupil.forename.ilike(prefix, escape=LIKE_ESCAPE),
                Pupil.surname.ilike(prefix, escape=LIKE_ESCAPE),
                full_name.ilike(prefix, escape=LIKE_ESCAPE),
                Pupil.form.ilike(prefix, escape=LIKE_ESCAPE),
                Pupil.upn.ilike(prefix, escape=LIKE_ESCAPE),
            )
        )
        .order_by(Pupil.surname, Pupil.forename)
        .limit(limit)
    )
    with ctx.db.read() as s:
        return [pupil_row(p) for p in s.scalars(query)]


def get_pupil(ctx: KioskContext, pupil_id: int) -> PupilRow:
    with ctx.db.read() as s:
        pupil = s.get(Pupil, pupil_id)
        if pupil is None:
            raise NotFound("No such pupil.")
        return pupil_row(pupil)


def find_by_upn(ctx: KioskContext, upn: str) -> PupilRow:
    with ctx.db.read() as s:
        pupil = s.scalar(select(Pupil).where(Pupil.upn == upn.strip().upper()))
        if pupil is None:
            raise NotFound(f"No pupil has the UPN {upn.strip()[:20]}.")
        return pupil_row(pupil)


def pupils_for_cards(
    ctx: KioskContext, *, year: str | None = None, form: str | None = None
) -> list[PupilRow]:
    """Pupils on roll in card-printing order (year, form, surname), optionally filtered."""
    query = select(Pupil).where(Pupil.status == "on_roll")
    if year:
        query = query.where(Pupil.year_group == year.strip())
    if form:
        query = query.where(Pupil.form == form.strip())
    query = query.order_by(Pupil.year_group, Pupil.form, Pupil.surname, Pupil.forename)
    with ctx.db.read() as s:
        return [pupil_row(p) for p in s.scalars(query)]


def card_payload(ctx: KioskContext, pupil: PupilRow) -> str:
    """The QR text for the pupil's current card."""
    return pupil_card_payload(ctx.card_key, ctx.card_code, pupil.id, pupil.card_serial)


def reissue_card(ctx: KioskContext, actor: Actor, pupil_id: int) -> PupilRow:
    """Give the pupil a new card serial: the old card stops working at once."""
    if not actor.is_staff:
        raise NotAllowed("Sign in at the desk to reissue a card.")
    with ctx.db.write() as s:
        pupil = s.get(Pupil, pupil_id)
        if pupil is None:
            raise NotFound("No such pupil.")
        if pupil.card_serial >= MAX_SERIAL:
            raise InvalidInput("This pupil has had too many cards; ask IT to help.")
        before = pupil.card_serial
        pupil.card_serial += 1
        audit.record(
            s,
            at=ctx.clock(),
            actor=actor,
            action="reissue_card",
            entity="pupil",
            entity_id=pupil.id,
            before={"card_serial": before},
            after={"card_serial": pupil.card_serial},
        )
        return pupil_row(pupil)


def current_arrangements(session: Session, pupil_id: int, today: date) -> list[Arrangement]:
    return list(
        session.scalars(
            select(Arrangement)
            .where(Arrangement.pupil_id == pupil_id, Arrangement.starts_on <= today)
            .where(or_(Arrangement.ends_on.is_(None), Arrangement.ends_on >= today))
            .order_by(Arrangement.kind, Arrangement.id)
        )
    )


def arrangements_for(ctx: KioskContext, pupil_id: int) -> list[ArrangementRow]:
    today = ctx.clock().astimezone(ctx.timezone).date()
    with ctx.db.read() as s:
        return [arrangement_row(a) for a in current_arrangements(s, pupil_id, today)]


def add_arrangement(
    ctx: KioskContext,
    actor: Actor,
    pupil_id: int,
    *,
    kind: str,
    title: str,
    conditions: str = "",
    agreed_by: str = "",
    starts_on: date | None = None,
    review_on: date | None = None,
) -> ArrangementRow:
    """Record a permission to bring a phone or an exception to the rules (staff only)."""
    if not actor.is_staff:
        raise NotAllowed("Sign in at the desk to record a permission or exemption.")
    if kind not in ("permission", "exemption"):
        raise InvalidInput("Choose permission or exemption.")
    title = clean_line(
        title, required="Say what the arrangement is (for example 'Walks home alone')."
    )
    starts_on = starts_on or ctx.clock().astimezone(ctx.timezone).date()
    with ctx.db.write() as s:
        if s.get(Pupil, pupil_id) is None:
            raise NotFound("No such pupil.")
        arrangement = Arrangement(
            pupil_id=pupil_id,
            kind=kind,
            title=title[:200],
            conditions=clean_note(conditions),
            agreed_by=clean_line(agreed_by)[:200],
            starts_on=starts_on,
            review_on=review_on,
        )
        s.add(arrangement)
        s.flush()
        row = arrangement_row(arrangement)
        audit.record(
            s,
            at=ctx.clock(),
            actor=actor,
            action="create",
            entity="arrangement",
            entity_id=arrangement.id,
            after={
                "pupil_id": pupil_id,
                "kind": kind,
                "title": row.title,
                "conditions": row.conditions,
                "agreed_by": row.agreed_by,
                "starts_on": starts_on,
                "review_on": review_on,
            },
        )
        return row


def write_cards_pdf(
    ctx: KioskContext,
    pupils: Sequence[PupilRow],
    out: Path,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write the pupils' current cards to ``out`` as an A4 PDF; return how many cards were
    printed. ``progress(cards_done, cards_total)`` is called after each page.

    The file is replaced in one step, so a reader never sees half a PDF. Raises ``OSError``
    when ``out`` cannot be written.
    """
    from kiosk.printing.cards import save_cards_pdf
    from kiosk.services.school import get_school

    school = get_school(ctx)
    cards = [(pupil, card_payload(ctx, pupil)) for pupil in pupils]
    return save_cards_pdf(school.name, cards, out, progress=progress)
