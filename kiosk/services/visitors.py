"""Visitors: sign-in at the kiosk with the phone rules signed, badges, sign-out, the on-site
list, the fire roll call, the rules' versions and the visitor settings.

Audit entries about visitors name the visit and the category, never the person: the audit
log is append-only, and a visitor's personal details must go when the retention period ends
(see :mod:`kiosk.services.visitor_retention`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from kiosk.codes.visitor_badge import MAX_VISIT_ID, verify_visitor_badge, visitor_badge_payload
from kiosk.errors import InvalidInput, NotFound, ScanRejected
from kiosk.persistence.models import (
    School,
    Staff,
    Visitor,
    VisitorAcknowledgement,
    VisitorNameWord,
    VisitorPolicyText,
    VisitorSetting,
    VisitorVisit,
)
from kiosk.policies import CATEGORIES, category, default_policy, is_category
from kiosk.printing.badges import BadgeContent, badge_pdf_bytes
from kiosk.printing.fonts import check_printable
from kiosk.rows.people import Actor
from kiosk.rows.visitors import (
    PolicyVersionRow,
    ReturningVisitor,
    RollCall,
    RollCallGroup,
    SignedIn,
    SignInRequest,
    VisitorMatch,
    VisitorSettingsRow,
    VisitRow,
)
from kiosk.services import acting, audit
from kiosk.services.alerts import record_alert_matches
from kiosk.signatures import check_signature_png
from kiosk.text import clean_line, clean_note, name_key, prefix_upper_bound, word_keys

if TYPE_CHECKING:
    from kiosk.context import KioskContext

VISITOR_AT_KIOSK = Actor(None, "Visitor at the kiosk", "visitor")
BADGE_AT_KIOSK = Actor(None, "Visitor badge scanned at the kiosk", "visitor")

NAME_MAX = 200
ORGANISATION_MAX = 200
HOST_MAX = 200
CAR_MAX = 20
POLICY_BODY_MAX = 20_000
# Fewer letters than this would list too many other people's names at a public screen.
SEARCH_MIN_LETTERS = 3
SEARCH_LIMIT = 6
BADGE_SIZES = {"a6": "A6 card", "label62": "62 mm label"}

SIGNED_OUT_ALREADY = "This visit has already been signed out. Thank you, goodbye."
BADGE_REPLACED = "This badge has been replaced by a newer one. Please use the newer badge."
RULES_CHANGED = (
    "The phone rules changed while you were signing in. Please go back and read them again."
)


# --- names -----------------------------------------------------------------------------------


def _checked(text: str, *, what: str, limit: int, required: bool) -> str:
    cleaned = clean_line(
        text,
        limit=limit,
        too_long=(
            f"That is too long for {what}: please keep it to {{limit}} characters or fewer "
            "(it has {length})."
        ),
        required=f"Please type {what}." if required else None,
    )
    # Everything a visitor types is printed on their badge: a character the printer's
    # fonts lack would print as an empty box, so it is refused here, before the visit.
    check_printable(cleaned, _PRINTED_AS.get(what, "This text"))
    return cleaned


# How a refusal names each field whose text has characters the fonts lack.
_PRINTED_AS = {
    "your name": "This name",
    "your organisation": "The organisation",
    "whom you are visiting": "The name of whom you are visiting",
    "the car registration": "The car registration",
}


def check_name(name: str) -> str:
    """A visitor's name as typed at the kiosk, cleaned (see :func:`kiosk.text.clean_line`).

    Returns the name; raises :class:`InvalidInput` when it is empty or over NAME_MAX
    characters."""
    return _checked(name, what="your name", limit=NAME_MAX, required=True)


def check_organisation(organisation: str) -> str:
    """A visitor's organisation, cleaned; may be empty. Raises :class:`InvalidInput` over
    ORGANISATION_MAX characters."""
    return _checked(organisation, what="your organisation", limit=ORGANISATION_MAX, required=False)


def check_car_registration(registration: str) -> str:
    """A car registration, cleaned and in capitals; may be empty. Raises
    :class:`InvalidInput` over CAR_MAX characters."""
    cleaned = _checked(registration, what="the car registration", limit=CAR_MAX, required=False)
    return cleaned.upper()


# --- rows ------------------------------------------------------------------------------------


def _visit_row(visit: VisitorVisit, visitor: Visitor, policy_version: int | None) -> VisitRow:
    return VisitRow(
        id=visit.id,
        visitor_id=visitor.id,
        name=visitor.name,
        organisation=visitor.organisation,
        category=visit.category,
        host_name=visit.host_name,
        car_registration=visit.car_registration,
        signed_in_at=visit.signed_in_at,
        signed_out_at=visit.signed_out_at,
        signed_out_how="not_signed_out" if visit.not_signed_out else visit.signed_out_how,
        id_checked=visit.id_checked,
        dbs_assured=visit.dbs_assured,
        escorted=visit.escorted,
        badge_serial=visit.badge_serial,
        policy_version=policy_version,
    )


def _acknowledged_version(s: Session, visit_id: int) -> int | None:
    return s.scalar(
        select(VisitorAcknowledgement.version)
        .where(VisitorAcknowledgement.visit_id == visit_id)
        .order_by(VisitorAcknowledgement.id.desc())
        .limit(1)
    )


def _load_visit(s: Session, visit_id: int) -> tuple[VisitorVisit, Visitor]:
    visit = s.get(VisitorVisit, visit_id)
    if visit is None:
        raise NotFound("That visit is no longer on record.")
    return visit, visit.visitor


def get_visit(ctx: KioskContext, visit_id: int) -> VisitRow:
    """A visitor's visit by id, with the rules version they signed. Raises
    :class:`NotFound` when the visit is not on record."""
    with ctx.db.read() as s:
        visit, visitor = _load_visit(s, visit_id)
        return _visit_row(visit, visitor, _acknowledged_version(s, visit.id))


def badge_code(ctx: KioskContext, visit: VisitRow) -> str:
    """The signed code printed in the visit's badge QR.

    Signed with the school's card key and carrying the visit's id and badge serial, so a
    reissued badge makes the old one's code stop working. Never raises.
    """
    return visitor_badge_payload(ctx.card_key, ctx.card_code, visit.id, visit.badge_serial)


# --- settings --------------------------------------------------------------------------------


def _settings(s: Session) -> VisitorSetting:
    setting = s.get(VisitorSetting, 1)
    if setting is None:  # the migration adds the row; this only guards a hand-made database
        setting = VisitorSetting(
            id=1, retention_days=7 * 365, idle_seconds=90, badge_printer="", badge_size="a6"
        )
        s.add(setting)
        s.flush()
    return setting


def _settings_row(setting: VisitorSetting) -> VisitorSettingsRow:
    return VisitorSettingsRow(
        retention_days=setting.retention_days,
        idle_seconds=setting.idle_seconds,
        badge_printer=setting.badge_printer,
        badge_size=setting.badge_size,
    )


def visitor_settings(ctx: KioskContext) -> VisitorSettingsRow:
    """The visitor settings (retention in days, badge size...); the defaults (seven years'
    retention, A6 badges) until a manager saves them."""
    with ctx.db.read() as s:
        setting = s.get(VisitorSetting, 1)
        if setting is None:
            return VisitorSettingsRow(7 * 365, 90, "", "a6")
        return _settings_row(setting)


def update_visitor_settings(
    ctx: KioskContext,
    actor: Actor,
    *,
    retention_days: int | None = None,
    idle_seconds: int | None = None,
    badge_printer: str | None = None,
    badge_size: str | None = None,
) -> VisitorSettingsRow:
    """Change any of the visitor settings; returns the settings as saved.

    Only the settings given change. The badge printer alone may be chosen by any member of
    staff signed in at the desk, as the A4 printer may (it names the hardware beside them,
    not a rule); every other setting is for managers. ``retention_days`` is 30 to 3,660 days;
    ``idle_seconds`` (how long the kiosk waits on an unfinished sign-in) 15 to 600 seconds;
    ``badge_size`` a key of ``BADGE_SIZES``; ``badge_printer`` is cleaned and cut to 200
    characters. Raises :class:`NotAllowed` unless ``actor`` is a manager (or, for the
    badge printer alone, a member of staff) and :class:`InvalidInput` for a value out of
    range.
    """
    if retention_days is not None and not 30 <= retention_days <= 3660:
        raise InvalidInput("Keep visitors' details for between 30 days and 10 years.")
    if idle_seconds is not None and not 15 <= idle_seconds <= 600:
        raise InvalidInput(
            "The kiosk should give up on an unfinished sign-in after 15 to 600 seconds."
        )
    if badge_size is not None and badge_size not in BADGE_SIZES:
        raise InvalidInput("Choose an A6 card or a 62 mm label for badges.")
    printer_only = retention_days is None and idle_seconds is None and badge_size is None
    with ctx.db.write() as s:
        if printer_only:
            acting.require_staff(s, actor, "Sign in at the desk to choose the badge printer.")
        else:
            acting.require_manager(
                s, actor, "Only a manager can do that. Please ask a manager to sign in."
            )
        setting = _settings(s)
        before = _settings_row(setting)
        if retention_days is not None:
            setting.retention_days = retention_days
        if idle_seconds is not None:
            setting.idle_seconds = idle_seconds
        if badge_printer is not None:
            setting.badge_printer = clean_line(badge_printer)[:200]
        if badge_size is not None:
            setting.badge_size = badge_size
        after = _settings_row(setting)
        if after != before:
            audit.record(
                s,
                at=ctx.clock(),
                actor=actor,
                action="visitor_settings_changed",
                entity="visitor_setting",
                entity_id=1,
                before={"settings": before},
                after={"settings": after},
            )
        return after


# --- the rules' texts ------------------------------------------------------------------------


def _latest_stored(s: Session, category_id: str) -> VisitorPolicyText | None:
    return s.scalar(
        select(VisitorPolicyText)
        .where(VisitorPolicyText.category == category_id)
        .order_by(VisitorPolicyText.version.desc())
        .limit(1)
    )


def _policy_row(text: VisitorPolicyText, staff_name: str = "") -> PolicyVersionRow:
    return PolicyVersionRow(
        category=text.category,
        version=text.version,
        title=text.title,
        body=text.body,
        created_at=text.created_at,
        created_by=staff_name,
    )


def _current_policy(s: Session, category_id: str) -> PolicyVersionRow:
    """The newest text: written at the desk, or the file in resources/policies/ when the
    school raised its version there."""
    stored = _latest_stored(s, category_id)
    shipped = default_policy(category_id)
    if stored is not None and stored.version >= shipped.version:
        return _policy_row(stored)
    return PolicyVersionRow(
        category=category_id,
        version=shipped.version,
        title=shipped.title,
        body=shipped.body,
        created_at=None,
        created_by="",
    )


def _known_category(category_id: str) -> str:
    if not is_category(category_id):
        raise InvalidInput("Please choose who you are from the list.")
    return category_id


def current_policy(ctx: KioskContext, category_id: str) -> PolicyVersionRow:
    """The rules a visitor of this category reads now.

    The newest version stored in the database, or the shipped text in
    ``resources/policies/`` when the school has saved none newer. Raises
    :class:`InvalidInput` for an unknown category.
    """
    _known_category(category_id)
    with ctx.db.read() as s:
        return _current_policy(s, category_id)


def policy_history(ctx: KioskContext, category_id: str) -> list[PolicyVersionRow]:
    """Every stored version of a category's rules, newest first.

    Versions are stored once edited at the desk or first signed; empty when neither has
    happened. Raises :class:`InvalidInput` for an unknown category.
    """
    _known_category(category_id)
    with ctx.db.read() as s:
        rows = s.execute(
            select(VisitorPolicyText, Staff.name)
            .outerjoin(Staff, Staff.id == VisitorPolicyText.created_by)
            .where(VisitorPolicyText.category == category_id)
            .order_by(VisitorPolicyText.version.desc())
        ).all()
        return [_policy_row(text, name or "") for text, name in rows]


def save_policy_text(
    ctx: KioskContext, actor: Actor, category_id: str, title: str, body: str
) -> PolicyVersionRow:
    """Store an edited text as the category's next version (managers only). Visitors whose
    last signature was on an older version read and sign the new one on their next visit.

    The body keeps its paragraphs (blank lines) and joins the lines inside each. Returns
    the new version. Raises :class:`NotAllowed` unless ``actor`` is a manager, and
    :class:`InvalidInput` for an unknown category, an empty or too long title or body, or
    a text identical to the current version.
    """
    _known_category(category_id)
    title = _checked(title, what="a title", limit=200, required=True)
    # Paragraphs are kept; the lines inside one are joined, as the kiosk wraps them itself.
    body = "\n\n".join(clean_line(paragraph) for paragraph in clean_note(body).split("\n\n"))
    body = body.strip()
    if not body:
        raise InvalidInput("The rules cannot be empty.")
    if len(body) > POLICY_BODY_MAX:
        raise InvalidInput(f"The rules are too long: keep them under {POLICY_BODY_MAX} characters.")
    with ctx.db.write() as s:
        acting.require_manager(
            s, actor, "Only a manager can do that. Please ask a manager to sign in."
        )
        current = _current_policy(s, category_id)
        if current.body == body and current.title == title:
            raise InvalidInput("Nothing has changed, so no new version was made.")
        text = VisitorPolicyText(
            category=category_id,
            version=current.version + 1,
            title=title,
            body=body,
            created_at=ctx.clock(),
            created_by=actor.staff_id,
        )
        s.add(text)
        s.flush()
        audit.record(
            s,
            at=text.created_at,
            actor=actor,
            action="visitor_rules_new_version",
            entity="visitor_policy_text",
            entity_id=text.id,
            before={"category": category_id, "version": current.version},
            after={"category": category_id, "version": text.version, "title": title},
        )
        return _policy_row(text, actor.name)


def _stored_policy(s: Session, category_id: str, version: int, now: datetime) -> VisitorPolicyText:
    """The stored row for the version being signed, storing the shipped text the first time
    anyone signs it (so what was signed is kept even if the file changes later)."""
    text = s.scalar(
        select(VisitorPolicyText).where(
            VisitorPolicyText.category == category_id, VisitorPolicyText.version == version
        )
    )
    if text is not None:
        return text
    shipped = default_policy(category_id)
    if shipped.version != version:
        raise InvalidInput(RULES_CHANGED)
    text = VisitorPolicyText(
        category=category_id,
        version=version,
        title=shipped.title,
        body=shipped.body,
        created_at=now,
        created_by=None,
    )
    s.add(text)
    s.flush()
    return text


# --- returning visitors ----------------------------------------------------------------------


def _retention_cutoff(s: Session, now: datetime) -> datetime:
    return now - timedelta(days=_settings(s).retention_days)


def search_returning_visitors(
    ctx: KioskContext, typed: str, *, limit: int = SEARCH_LIMIT
) -> list[VisitorMatch]:
    """Visitors seen within the retention period whose name (or any part of it) starts with
    what was typed. Nothing until at least three letters are typed.

    Matching folds accents, Latin letters such as Ł and Ø, and case
    (:func:`kiosk.text.name_key`), and reads the word index (``visitor_name_word``), so a
    keystroke costs one index range however many visitors are on record; at most ``limit``
    visitors, most recently seen first. Never raises.
    """
    key = name_key(typed)
    if len(key.replace(" ", "")) < SEARCH_MIN_LETTERS:
        return []
    with ctx.db.read() as s:
        cutoff = s.scalar(select(VisitorSetting.retention_days).where(VisitorSetting.id == 1))
        since = ctx.clock() - timedelta(days=cutoff or 7 * 365)
        # One range of the word index, newest first, read from the index alone; a name may
        # have two words starting alike ("ann annabel"), hence the grouping.
        newest = (
            select(VisitorNameWord.visitor_id, func.max(VisitorNameWord.last_seen_at).label("seen"))
            .where(
                VisitorNameWord.name_key >= key,
                VisitorNameWord.name_key < prefix_upper_bound(key),
                VisitorNameWord.last_seen_at >= since,
            )
            .group_by(VisitorNameWord.visitor_id)
            .order_by(
                func.max(VisitorNameWord.last_seen_at).desc(), VisitorNameWord.visitor_id.desc()
            )
            .limit(limit)
            .subquery()
        )
        visitors = s.execute(
            select(Visitor.id, Visitor.name, Visitor.organisation)
            .join(newest, newest.c.visitor_id == Visitor.id)
            .order_by(newest.c.seen.desc(), Visitor.id.desc())
        ).all()
        return [
            VisitorMatch(visitor_id=v.id, name=v.name, organisation=v.organisation)
            for v in visitors
        ]


def returning_visitor(ctx: KioskContext, visitor_id: int) -> ReturningVisitor:
    """A returning visitor's details from their last visit, to sign in again.

    Raises :class:`NotFound` for an unknown visitor or one last seen before the retention
    period (their details are due to be purged).
    """
    with ctx.db.read() as s:
        visitor = s.get(Visitor, visitor_id)
        if visitor is None or visitor.last_seen_at < _retention_cutoff(s, ctx.clock()):
            raise NotFound("We could not find your last visit. Please sign in as a new visitor.")
        last = s.scalar(
            select(VisitorVisit)
            .where(VisitorVisit.visitor_id == visitor_id)
            .order_by(VisitorVisit.signed_in_at.desc())
            .limit(1)
        )
        return ReturningVisitor(
            visitor_id=visitor.id,
            name=visitor.name,
            organisation=visitor.organisation,
            category=last.category if last else "visitor",
            host_staff_id=last.host_staff_id if last else None,
            host_name=last.host_name if last else "",
            car_registration=last.car_registration if last else "",
        )


def signed_version(ctx: KioskContext, visitor_id: int, category_id: str) -> int | None:
    """The newest version of this category's rules the visitor has signed; None if none.

    Never raises: an unknown visitor or category has signed nothing.
    """
    with ctx.db.read() as s:
        return s.scalar(
            select(func.max(VisitorAcknowledgement.version)).where(
                VisitorAcknowledgement.visitor_id == visitor_id,
                VisitorAcknowledgement.category == category_id,
            )
        )


def must_read_rules(ctx: KioskContext, visitor_id: int | None, category_id: str) -> bool:
    """True unless this visitor has already signed the current rules for this category.

    A new visitor (``visitor_id`` None) always reads them. Visitors re-sign when the text
    changed since their last visit (DESIGN, visitor sign-in). Raises
    :class:`InvalidInput` for an unknown category.
    """
    if visitor_id is None:
        return True
    signed = signed_version(ctx, visitor_id, category_id)
    return signed is None or signed < current_policy(ctx, category_id).version


# --- hosts -----------------------------------------------------------------------------------


def search_hosts(ctx: KioskContext, typed: str, *, limit: int = 6) -> list[tuple[int, str]]:
    """Staff whose name (or any part of it) starts with what was typed: (id, name).

    Active staff only, sorted by folded name, at most ``limit``; empty for nothing typed.
    Never raises.
    """
    key = name_key(typed)
    if not key:
        return []
    with ctx.db.read() as s:
        staff = s.execute(select(Staff.id, Staff.name).where(Staff.active.is_(True))).all()
    matches = [
        (staff_id, name)
        for staff_id, name in staff
        if name_key(name).startswith(key) or f" {key}" in f" {name_key(name)}"
    ]
    return sorted(matches, key=lambda item: name_key(item[1]))[:limit]


# --- sign in and out -------------------------------------------------------------------------


def sign_in_visitor(ctx: KioskContext, request: SignInRequest) -> SignedIn:
    """A visitor finished signing in at the kiosk: store the visit and their signature on
    the rules, and check the name against the alert list (the desk sees any match).

    Returns the visit (signed in now, escorted until the desk records checks) and its
    badge code. A host chosen from the directory who has left is kept as the typed name.
    A visitor still signed in (from this morning or an earlier day) gets that visit closed
    as "not signed out", audited, so they have one open visit: the same person is the
    returning visitor picked, or one with the same folded name and organisation
    (:func:`person_key`).

    Raises :class:`InvalidInput` for a missing or too long name, host, organisation or car
    registration, an unknown category, no signature (PNG bytes) or one that is only a dot or
    a tiny mark (:mod:`kiosk.signatures`), rules that changed while
    they were reading (``policy_version`` no longer current) or a full visitor book;
    :class:`NotFound` for a returning visitor no longer on record. The kiosk face never
    learns of an alert-list match.
    """
    name = check_name(request.name)
    organisation = check_organisation(request.organisation)
    category_id = _known_category(request.category)
    host_name = _checked(
        request.host_name, what="whom you are visiting", limit=HOST_MAX, required=True
    )
    car = check_car_registration(request.car_registration)
    check_signature_png(request.signature_png, missing="Please sign in the box before you finish.")
    with ctx.db.write() as s:
        now = ctx.clock()
        current = _current_policy(s, category_id)
        if request.policy_version != current.version:
            raise InvalidInput(RULES_CHANGED)
        host_staff_id = None
        if request.host_staff_id is not None:
            host = s.get(Staff, request.host_staff_id)
            if host is not None and host.active:
                host_staff_id = host.id
                host_name = host.name
        visitor = None
        if request.returning_visitor_id is not None:
            visitor = s.get(Visitor, request.returning_visitor_id)
            if visitor is None or visitor.last_seen_at < _retention_cutoff(s, now):
                raise NotFound(
                    "We could not find your last visit. Please sign in as a new visitor."
                )
            if organisation:
                visitor.organisation = organisation
            visitor.last_seen_at = now
            s.execute(
                update(VisitorNameWord)
                .where(VisitorNameWord.visitor_id == visitor.id)
                .values(last_seen_at=now)
            )
        else:
            visitor = Visitor(
                name=name,
                organisation=organisation,
                name_key=name_key(name),
                first_seen_at=now,
                last_seen_at=now,
            )
            s.add(visitor)
            s.flush()
            s.add_all(
                VisitorNameWord(visitor_id=visitor.id, name_key=word, last_seen_at=now)
                for word in word_keys(visitor.name_key)
            )
        s.flush()
        visit = VisitorVisit(
            visitor_id=visitor.id,
            category=category_id,
            host_staff_id=host_staff_id,
            host_name=host_name,
            car_registration=car,
            signed_in_at=now,
            id_checked=False,
            dbs_assured=False,
            escorted=True,
            badge_serial=1,
        )
        s.add(visit)
        s.flush()
        if visit.id > MAX_VISIT_ID:
            raise InvalidInput("The visitor book is full. Please ask the office to archive it.")
        for earlier in _open_visits_of_same_person(s, visitor, organisation, exclude=visit.id):
            _close_not_signed_out(
                s, earlier, VISITOR_AT_KIOSK, now, reason="signed in again", by_visit=visit.id
            )
        text = _stored_policy(s, category_id, current.version, now)
        s.add(
            VisitorAcknowledgement(
                visitor_id=visitor.id,
                visit_id=visit.id,
                policy_text_id=text.id,
                category=category_id,
                version=text.version,
                acknowledged_at=now,
                signature_png=request.signature_png,
            )
        )
        audit.record(
            s,
            at=now,
            actor=VISITOR_AT_KIOSK,
            action="visitor_signed_in",
            entity="visitor_visit",
            entity_id=visit.id,
            after={
                "category": category_id,
                "rules_version": text.version,
                "returning": request.returning_visitor_id is not None,
            },
        )
        record_alert_matches(s, visit, visitor, now)
        row = _visit_row(visit, visitor, text.version)
    return SignedIn(visit=row, badge_code=badge_code(ctx, row))


def _sign_out(
    ctx: KioskContext, s: Session, visit: VisitorVisit, actor: Actor, how: str
) -> VisitRow:
    now = ctx.clock()
    visit.signed_out_at = now
    visit.signed_out_how = how
    visit.signed_out_by = actor.staff_id
    audit.record(
        s,
        at=now,
        actor=actor,
        action="visitor_signed_out",
        entity="visitor_visit",
        entity_id=visit.id,
        before={"on_site": True},
        after={"on_site": False, "how": how},
    )
    return _visit_row(visit, visit.visitor, _acknowledged_version(s, visit.id))


def person_key(name: str, organisation: str) -> tuple[str, str]:
    """Who a visitor is, for telling whether two visits are the same person's: their name
    and organisation folded (:func:`kiosk.text.name_key`).

    Takes a name and organisation as stored or typed; returns the pair. "Seán Ó Briain,
    Acme" and "sean o briain, ACME" are one person; the same name with another
    organisation (or with none, against one with an organisation) is taken to be someone
    else, so two people of one name from different firms are both kept on the roll call.
    Never raises.
    """
    return name_key(name), name_key(organisation)


def _open_visits_of_same_person(
    s: Session, visitor: Visitor, organisation: str, *, exclude: int
) -> list[VisitorVisit]:
    """Visits still open (from earlier today or an earlier day) that belong to the person
    signing in: the returning visitor's own, or another visitor record's with the same
    folded name and organisation (someone who signed in as new both times)."""
    wanted = person_key(visitor.name, organisation or visitor.organisation)
    candidates = s.execute(
        select(VisitorVisit, Visitor)
        .join(Visitor, Visitor.id == VisitorVisit.visitor_id)
        .where(
            VisitorVisit.signed_out_at.is_(None),
            VisitorVisit.id != exclude,
            or_(Visitor.id == visitor.id, Visitor.name_key == visitor.name_key),
        )
        .order_by(VisitorVisit.signed_in_at, VisitorVisit.id)
    ).all()
    return [
        visit
        for visit, other in candidates
        if other.id == visitor.id or person_key(other.name, other.organisation) == wanted
    ]


def _close_not_signed_out(
    s: Session,
    visit: VisitorVisit,
    actor: Actor,
    now: datetime,
    *,
    reason: str,
    by_visit: int | None = None,
) -> None:
    visit.signed_out_at = now
    visit.signed_out_how = None
    visit.not_signed_out = True
    visit.signed_out_by = actor.staff_id
    after: dict[str, object] = {"on_site": False, "how": "not_signed_out", "reason": reason}
    if by_visit is not None:
        after["new_visit"] = by_visit
    audit.record(
        s,
        at=now,
        actor=actor,
        action="visit_closed_not_signed_out",
        entity="visitor_visit",
        entity_id=visit.id,
        before={"on_site": True},
        after=after,
    )


def close_left_open(ctx: KioskContext, actor: Actor, visit_id: int) -> VisitRow:
    """The receptionist closes a visit left open after closing time: the visitor left
    without signing out. Recorded as "not signed out" (who closed it and when, in the
    visit and the audit log); the time they left stays unknown.

    Returns the closed visit. Raises :class:`NotAllowed` for an actor who is not staff,
    :class:`NotFound` for an unknown visit, :class:`InvalidInput` for a visit already
    closed or one whose school day has not closed yet (sign them out instead). The rule
    that such visits are listed at closing and dealt with is the visitor sign-in policy
    (DESIGN, visitor sign-in: visitors not signed out at closing are listed).
    """
    from kiosk.services.calendar import school_calendar

    table = school_calendar(ctx)
    with ctx.db.write() as s:
        acting.require_staff(s, actor, "Only a member of staff signed in at the desk can do that.")
        visit, visitor = _load_visit(s, visit_id)
        if visit.signed_out_at is not None:
            raise InvalidInput("That visitor has already been signed out.")
        now = ctx.clock()
        arrived = visit.signed_in_at.astimezone(ctx.timezone).date()
        closing = table.closing_time(arrived)
        if closing is not None and now < closing:
            raise InvalidInput(
                "That visitor may still be on site: the school day has not closed yet. "
                "Sign them out instead if they have left."
            )
        _close_not_signed_out(s, visit, actor, now, reason="left open after closing")
        return _visit_row(visit, visitor, _acknowledged_version(s, visit.id))


def sign_out_by_badge(ctx: KioskContext, raw: str) -> VisitRow:
    """A visitor scanned their badge at the kiosk on the way out. Raises ``ScanRejected``
    (nothing changed) for a badge from elsewhere, altered, replaced or already signed out."""
    claim = verify_visitor_badge(ctx.card_key, ctx.card_code, raw)
    with ctx.db.write() as s:
        visit = s.get(VisitorVisit, claim.visit_id)
        if visit is None or claim.serial > visit.badge_serial:
            raise ScanRejected("This badge is not on record. Please see reception.")
        if claim.serial < visit.badge_serial:
            raise ScanRejected(BADGE_REPLACED)
        if visit.signed_out_at is not None:
            raise ScanRejected(SIGNED_OUT_ALREADY)
        return _sign_out(ctx, s, visit, BADGE_AT_KIOSK, "badge")


def sign_out_at_desk(ctx: KioskContext, actor: Actor, visit_id: int) -> VisitRow:
    """The receptionist signs a visitor out from the on-site list; returns the visit.

    Raises :class:`NotAllowed` for an actor who is not staff, :class:`NotFound` for an
    unknown visit, :class:`InvalidInput` for one already signed out.
    """
    with ctx.db.write() as s:
        acting.require_staff(s, actor, "Only a member of staff signed in at the desk can do that.")
        visit, _ = _load_visit(s, visit_id)
        if visit.signed_out_at is not None:
            raise InvalidInput("That visitor has already been signed out.")
        return _sign_out(ctx, s, visit, actor, "desk")


def record_checks(
    ctx: KioskContext,
    actor: Actor,
    visit_id: int,
    *,
    id_checked: bool,
    dbs_assured: bool,
    escorted: bool,
) -> VisitRow:
    """The receptionist records ID checked and DBS assurance, and so whether the visitor
    must be escorted. Unescorted needs both.

    Returns the visit; recording the same values again changes nothing. Raises
    :class:`NotAllowed` for an actor who is not staff, :class:`InvalidInput` for an
    unescorted visitor without both checks or a visitor already signed out,
    :class:`NotFound` for an unknown visit. The checks decide the badge: escorted or
    unescorted (DESIGN, visitor sign-in: ID checked and DBS assurance).
    """
    if not escorted and not (id_checked and dbs_assured):
        raise InvalidInput(
            "A visitor can only be unescorted once their ID has been checked and their DBS "
            "assurance received."
        )
    with ctx.db.write() as s:
        acting.require_staff(s, actor, "Only a member of staff signed in at the desk can do that.")
        visit, visitor = _load_visit(s, visit_id)
        if visit.signed_out_at is not None:
            raise InvalidInput("That visitor has already been signed out.")
        before = {
            "id_checked": visit.id_checked,
            "dbs_assured": visit.dbs_assured,
            "escorted": visit.escorted,
        }
        after = {"id_checked": id_checked, "dbs_assured": dbs_assured, "escorted": escorted}
        if before != after:
            visit.id_checked = id_checked
            visit.dbs_assured = dbs_assured
            visit.escorted = escorted
            visit.checks_by = actor.staff_id
            audit.record(
                s,
                at=ctx.clock(),
                actor=actor,
                action="visitor_checks_recorded",
                entity="visitor_visit",
                entity_id=visit.id,
                before=before,
                after=after,
            )
        return _visit_row(visit, visitor, _acknowledged_version(s, visit.id))


def reissue_badge(ctx: KioskContext, actor: Actor, visit_id: int) -> SignedIn:
    """A new badge for a visit (lost, or escorted status changed): the old badge's code stops
    working.

    Returns the visit and its new badge code. Raises :class:`NotAllowed` for an actor who
    is not staff, :class:`NotFound` for an unknown visit, :class:`InvalidInput` for a
    visitor already signed out.
    """
    with ctx.db.write() as s:
        acting.require_staff(s, actor, "Only a member of staff signed in at the desk can do that.")
        visit, visitor = _load_visit(s, visit_id)
        if visit.signed_out_at is not None:
            raise InvalidInput("That visitor has already been signed out.")
        visit.badge_serial += 1
        audit.record(
            s,
            at=ctx.clock(),
            actor=actor,
            action="visitor_badge_reissued",
            entity="visitor_visit",
            entity_id=visit.id,
            before={"badge_serial": visit.badge_serial - 1},
            after={"badge_serial": visit.badge_serial},
        )
        row = _visit_row(visit, visitor, _acknowledged_version(s, visit.id))
    return SignedIn(visit=row, badge_code=badge_code(ctx, row))


# --- lists -----------------------------------------------------------------------------------


def on_site(ctx: KioskContext) -> list[VisitRow]:
    """Everyone signed in and not yet out, earliest arrival first (then by visit id).

    Times in the rows are UTC. Never raises for an empty site.
    """
    with ctx.db.read() as s:
        pairs = s.execute(
            select(VisitorVisit, Visitor)
            .join(Visitor, Visitor.id == VisitorVisit.visitor_id)
            .where(VisitorVisit.signed_out_at.is_(None))
            .order_by(VisitorVisit.signed_in_at, VisitorVisit.id)
        ).all()
        versions = dict(
            s.execute(
                select(VisitorAcknowledgement.visit_id, func.max(VisitorAcknowledgement.version))
                .join(VisitorVisit, VisitorVisit.id == VisitorAcknowledgement.visit_id)
                .where(VisitorVisit.signed_out_at.is_(None))
                .group_by(VisitorAcknowledgement.visit_id)
            ).all()
        )
        return [_visit_row(visit, visitor, versions.get(visit.id)) for visit, visitor in pairs]


def still_on_site_after_closing(ctx: KioskContext) -> list[VisitRow]:
    """Visitors not signed out although the school has closed for the day, as the desk's
    closing-time notice lists them.

    Only on a school day (:meth:`SchoolCalendar.is_school_day`: opening hours, in term,
    not a closure day), in the school's time zone: after today's closing time every visitor
    still on site is listed; before it, those who arrived on an earlier day (they left
    without signing out). On a weekend, a holiday or a closure day the list is empty: a
    caretaker's contractor at 06:49 on a Sunday is not "after closing time". Ordered as
    :func:`on_site`; never raises for an empty site.
    """
    from kiosk.services.calendar import school_calendar

    now = ctx.clock()
    table = school_calendar(ctx)
    today = table.today(now)
    if not table.is_school_day(today):
        return []
    closing = table.closing_time(today)
    closed = closing is not None and now >= closing
    return [
        visit
        for visit in on_site(ctx)
        if closed or visit.signed_in_at.astimezone(ctx.timezone).date() < today
    ]


def roll_call(ctx: KioskContext) -> RollCall:
    """Everyone on site now, grouped by category in the categories' order, each person
    once.

    A person with more than one open visit (signed in again before a fix closed the
    earlier visit, or on two desks at once) is listed once, by their latest visit: the
    same person is told by :func:`person_key`. Within a group, by folded name; empty
    categories are left out. ``at`` is now (UTC). For the fire roll call (DESIGN, visitor
    sign-in), where a name listed twice sends someone looking for a person who is not there.
    """
    latest: dict[tuple[str, str], VisitRow] = {}
    for visit in on_site(ctx):  # earliest first, so a later visit replaces an earlier one
        latest[person_key(visit.name, visit.organisation)] = visit
    visits = list(latest.values())
    with ctx.db.read() as s:
        school_name = s.scalar(select(School.name).where(School.id == 1)) or ""
    groups = []
    for entry in CATEGORIES:
        members = tuple(
            sorted((v for v in visits if v.category == entry.id), key=lambda v: name_key(v.name))
        )
        if members:
            groups.append(RollCallGroup(category=entry.id, label=entry.label, visits=members))
    return RollCall(at=ctx.clock(), school_name=school_name, groups=tuple(groups))


def visits_between(ctx: KioskContext, start: datetime, end: datetime) -> list[VisitRow]:
    """Visits that began in [start, end), oldest first (then by visit id).

    ``start`` and ``end`` are aware datetimes (any zone; compared as instants).
    """
    with ctx.db.read() as s:
        pairs = s.execute(
            select(VisitorVisit, Visitor)
            .join(Visitor, Visitor.id == VisitorVisit.visitor_id)
            .where(VisitorVisit.signed_in_at >= start, VisitorVisit.signed_in_at < end)
            .order_by(VisitorVisit.signed_in_at, VisitorVisit.id)
        ).all()
        versions = dict(
            s.execute(
                select(VisitorAcknowledgement.visit_id, func.max(VisitorAcknowledgement.version))
                .join(VisitorVisit, VisitorVisit.id == VisitorAcknowledgement.visit_id)
                .where(VisitorVisit.signed_in_at >= start, VisitorVisit.signed_in_at < end)
                .group_by(VisitorAcknowledgement.visit_id)
            ).all()
        )
        return [_visit_row(visit, visitor, versions.get(visit.id)) for visit, visitor in pairs]


def signature_png(ctx: KioskContext, actor: Actor, visit_id: int) -> bytes | None:
    """The signature given at sign-in (for the desk to show), or ``None`` once purged.

    PNG bytes of the newest acknowledgement for the visit; None also for an unknown visit.
    Raises :class:`NotAllowed` for an actor who is not staff.
    """
    with ctx.db.read() as s:
        acting.require_staff(s, actor, "Only a member of staff signed in at the desk can do that.")
        return s.scalar(
            select(VisitorAcknowledgement.signature_png)
            .where(VisitorAcknowledgement.visit_id == visit_id)
            .order_by(VisitorAcknowledgement.id.desc())
            .limit(1)
        )


def category_label(category_id: str) -> str:
    """The words shown for a visitor category id ("Contractor"); raises
    :class:`KeyError` for an unknown id."""
    return category(category_id).label


def badge_content(ctx: KioskContext, visit: VisitRow, code: str) -> BadgeContent:
    """What the visit's badge shows, with times in the school's local time.

    ``code`` is the badge code (see :func:`badge_code`). Raises ``KeyError`` for a visit
    whose category is not known (a stored value only sign-in writes).
    """
    with ctx.db.read() as s:
        school_name = s.scalar(select(School.name).where(School.id == 1)) or ""
    entry = category(visit.category)
    return BadgeContent(
        name=visit.name,
        organisation=visit.organisation,
        host_name=visit.host_name,
        category_label=entry.label,
        category_colour=entry.colour,
        escorted=visit.escorted,
        signed_in_at=visit.signed_in_at.astimezone(ctx.timezone),
        code=code,
        school_name=school_name,
    )


def badge_pdf(ctx: KioskContext, signed_in: SignedIn, size: str | None = None) -> bytes:
    """The badge PDF for a sign-in, at the configured size unless one is given.

    ``size`` is a key of ``kiosk.printing.badges.PAGE_SIZES`` ("a6", "label62"); returns
    the PDF bytes. Raises ``KeyError`` for another size (callers check it first).
    """
    chosen = size or visitor_settings(ctx).badge_size
    return badge_pdf_bytes(badge_content(ctx, signed_in.visit, signed_in.badge_code), chosen)
