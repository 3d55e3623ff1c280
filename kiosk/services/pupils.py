"""Pupils: finding them, their cards, and their permissions and exemptions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from kiosk.codes.pupil_card import MAX_SERIAL, pupil_card_payload
from kiosk.errors import InvalidInput, NotFound
from kiosk.persistence.models import Arrangement, Pupil
from kiosk.rows.people import Actor, ArrangementRow, PupilRow
from kiosk.rows.years import parse_year, year_sort_key
from kiosk.services import acting, audit
from kiosk.text import LIKE_ESCAPE, clean_line, clean_note, escape_like, name_key

if TYPE_CHECKING:
    from kiosk.context import KioskContext


def pupil_row(p: Pupil) -> PupilRow:
    """The immutable row for a loaded pupil model (to return from inside a transaction)."""
    return PupilRow(
        id=p.id,
        upn=p.upn or "",
        forename=p.forename,
        surname=p.surname,
        year_group=p.year_group,
        form=p.form,
        card_serial=p.card_serial,
        status=p.status,
        known_forename=p.known_forename,
        known_surname=p.known_surname,
        id_scheme=p.id_scheme,
        identifier=p.identifier,
    )


# Lists are in the order of the names they show: the preferred surname and forename where
# the MIS gives them, else the legal ones.
SHOWN_SURNAME = func.coalesce(func.nullif(Pupil.known_surname, ""), Pupil.surname)
SHOWN_FORENAME = func.coalesce(func.nullif(Pupil.known_forename, ""), Pupil.forename)


def arrangement_row(a: Arrangement) -> ArrangementRow:
    """The immutable row for a loaded arrangement model (its end date is not carried)."""
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
    """Type-ahead: pupils on roll with a name (legal or preferred, forename or surname, or
    the whole name) starting with what was typed, or whose form, UPN or MIS identifier
    starts with it.

    Names are compared folded (:func:`kiosk.text.name_key`: accents, case, punctuation and
    Latin letters such as Ł and Ø), so "zoe" finds Zoë, "lukasz" Łukasz and "oneill"
    O'Neill; any word of a name may start the match. Returns at most ``limit`` pupils in
    the order lists show them (the shown surname, then forename); an empty list when
    nothing (or only spaces) was typed. ``%`` and ``_`` are matched as typed. Never raises.
    """
    text = clean_line(text)
    if not text:
        return []
    prefix = escape_like(text.lower()) + "%"
    conditions = [
        Pupil.form.ilike(prefix, escape=LIKE_ESCAPE),
        Pupil.identifier.ilike(prefix, escape=LIKE_ESCAPE),
    ]
    if text.isascii() and text.isdigit() and text.startswith("0"):
        # Admission numbers are stored without leading zeros (as a spreadsheet leaves them).
        unpadded = escape_like(text.lstrip("0") or "0") + "%"
        conditions.append(Pupil.identifier.like(unpadded, escape=LIKE_ESCAPE))
    key = name_key(text)
    if key:
        folded = escape_like(key)
        conditions += [
            Pupil.name_key.like(folded + "%", escape=LIKE_ESCAPE),
            Pupil.name_key.like("% " + folded + "%", escape=LIKE_ESCAPE),
        ]
    query = (
        select(Pupil)
        .where(Pupil.status == "on_roll")
        .where(or_(*conditions))
        .order_by(SHOWN_SURNAME, SHOWN_FORENAME, Pupil.id)
        .limit(limit)
    )
    with ctx.db.read() as s:
        return [pupil_row(p) for p in s.scalars(query)]


def get_pupil(ctx: KioskContext, pupil_id: int) -> PupilRow:
    """The pupil with this id, on roll or left. Raises :class:`NotFound` when there is
    none."""
    with ctx.db.read() as s:
        pupil = s.get(Pupil, pupil_id)
        if pupil is None:
            raise NotFound("No such pupil.")
        return pupil_row(pupil)


def find_by_upn(ctx: KioskContext, upn: str) -> PupilRow:
    """The pupil (on roll or left) with this UPN or, at a school without UPNs, this MIS
    identifier (admission number, SCN, MIS ID), spaces around it and case ignored. Raises
    :class:`NotFound` when no pupil has it, or when it is ambiguous (the same admission
    number under two schemes)."""
    wanted = upn.strip().upper()
    with ctx.db.read() as s:
        found = list(
            s.scalars(select(Pupil).where(or_(Pupil.upn == wanted, Pupil.identifier == wanted)))
        )
        if len(found) != 1:
            raise NotFound(f"No pupil has the UPN or identifier {upn.strip()[:20]}.")
        return pupil_row(found[0])


def pupils_for_cards(
    ctx: KioskContext, *, year: str | None = None, form: str | None = None
) -> list[PupilRow]:
    """Pupils on roll in card-printing order (year in school order, form, shown surname and
    forename), optionally only one year group (written any way
    :func:`kiosk.rows.years.parse_year` reads: "7", "Year 7", "Reception") and/or one form
    (exact match, spaces trimmed; an empty string means no filter). An empty list when none match; never raises."""
    query = select(Pupil).where(Pupil.status == "on_roll")
    if year:
        query = query.where(Pupil.year_group == (parse_year(year) or year.strip()))
    if form:
        query = query.where(Pupil.form == form.strip())
    query = query.order_by(Pupil.form, SHOWN_SURNAME, SHOWN_FORENAME, Pupil.id)
    with ctx.db.read() as s:
        rows = [pupil_row(p) for p in s.scalars(query)]
    # Years in school order (Reception before Year 1, Year 9 before Year 10); sorted() is
    # stable, so the database's order by form and name holds within a year.
    return sorted(rows, key=lambda p: year_sort_key(p.year_group))


def card_payload(ctx: KioskContext, pupil: PupilRow) -> str:
    """The QR text for the pupil's current card (its ``card_serial``): 22 characters, see
    :mod:`kiosk.codes.pupil_card`."""
    return pupil_card_payload(ctx.card_key, ctx.card_code, pupil.id, pupil.card_serial)


def reissue_card(ctx: KioskContext, actor: Actor, pupil_id: int) -> PupilRow:
    """Give the pupil a new card serial: the old card stops working at once.

    Returns the pupil with the new serial; the change is audited. Raises
    :class:`NotAllowed` for an actor who is not staff, :class:`NotFound` for an unknown
    pupil and :class:`InvalidInput` when the pupil already has the highest serial a card
    can carry (1023).
    """
    with ctx.db.write() as s:
        acting.require_staff(s, actor, "Sign in at the desk to reissue a card.")
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
    """The pupil's arrangements in force on ``today`` (a school date: started on or before
    it, not ended before it), exemptions before permissions, then oldest first, as models
    of ``session`` (for use inside a transaction)."""
    return list(
        session.scalars(
            select(Arrangement)
            .where(Arrangement.pupil_id == pupil_id, Arrangement.starts_on <= today)
            .where(or_(Arrangement.ends_on.is_(None), Arrangement.ends_on >= today))
            .order_by(Arrangement.kind, Arrangement.id)
        )
    )


def arrangements_for(ctx: KioskContext, pupil_id: int) -> list[ArrangementRow]:
    """The pupil's arrangements in force today (school local date), as
    :func:`current_arrangements` orders them. An empty list for an unknown pupil."""
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
    """Record a permission to bring a phone or an exception to the rules (staff only).

    ``kind`` is "permission" or "exemption"; ``starts_on`` defaults to today (school
    date); ``review_on`` None books no review. Text is cleaned; the title and agreed-by
    are cut to 200 characters. Returns the stored row; the change is audited. Raises
    :class:`NotAllowed` for an actor who is not staff, :class:`InvalidInput` for an
    unknown kind or an empty title, :class:`NotFound` for an unknown pupil. The register
    comes from the school's mobile phone policy (DESIGN, permissions and exemptions).
    """
    if kind not in ("permission", "exemption"):
        raise InvalidInput("Choose permission or exemption.")
    title = clean_line(
        title, required="Say what the arrangement is (for example 'Walks home alone')."
    )
    starts_on = starts_on or ctx.clock().astimezone(ctx.timezone).date()
    with ctx.db.write() as s:
        acting.require_staff(s, actor, "Sign in at the desk to record a permission or exemption.")
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
    when ``out`` cannot be written and :class:`InvalidInput` when ``pupils`` is empty.
    """
    from kiosk.printing.cards import save_cards_pdf
    from kiosk.services.school import get_school

    school = get_school(ctx)
    cards = [(pupil, card_payload(ctx, pupil)) for pupil in pupils]
    return save_cards_pdf(school.name, cards, out, progress=progress)
