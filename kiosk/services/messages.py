"""Telephone messages taken at reception, and how each one reaches its person.

The receptionist asks how urgent the call is:
- urgent: the message joins the "pass on now" queue until someone marks it passed on;
- can wait: it is held until the person's next break, lunch or end of day, then it is in
  the "deliver now" queue (nothing has to move it: the queue is "held until" <= now);
- the person is out on an educational trip today: urgent messages show the trip lead's
  and deputy's numbers to call, then the outcome is recorded; others are emailed or
  printed as a slip for the pigeonhole.
A message is passed on once, by a named member of staff, in a stated way.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import CursorResult, select, update

from kiosk.clock import say_when
from kiosk.errors import InvalidInput, NotAllowed, NotFound
from kiosk.persistence.models import (
    EducationalVisit,
    MailOutbox,
    PhoneMessage,
    Staff,
)
from kiosk.rows.calls import MessageQueues, MessageRow
from kiosk.rows.people import Actor
from kiosk.services import acting, audit
from kiosk.services.calendar import SchoolCalendar, school_calendar_in
from kiosk.services.mail import queue_mail, send_queued
from kiosk.services.trips import trip_for_staff_in, trip_row
from kiosk.text import clean_line, clean_note, clean_phone_number

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from kiosk.context import KioskContext
    from kiosk.rows.calls import SendReport

MAX_MESSAGE = 10_000
MAX_NAME = 200
HOW = {
    "in_person": "In person",
    "class_phone": "Class phone",
    "radio": "Radio",
    "visit_lead": "Phoned the visit lead",
    "visit_deputy": "Phoned the visit deputy",
    "email": "Email",
    "pigeonhole": "Slip in pigeonhole",
}
URGENCY = {"urgent": "Urgent", "can_wait": "Can wait"}


def _held_label(held_until: datetime | None, calendar: SchoolCalendar) -> str:
    """What a held message waits for ("Break", "Lunch"), from the school day's periods."""
    return "" if held_until is None else calendar.free_time_name(held_until)


def _rows(session: Session, messages: list[PhoneMessage], tz: tzinfo) -> list[MessageRow]:
    if not messages:
        return []
    calendar = school_calendar_in(session, tz)
    staff_ids = {
        sid
        for m in messages
        for sid in (m.taken_by, m.for_staff_id, m.passed_on_by)
        if sid is not None
    }
    staff = {st.id: st for st in session.scalars(select(Staff).where(Staff.id.in_(staff_ids)))}
    trip_ids = {m.visit_id for m in messages if m.visit_id is not None}
    trips = {
        t.id: trip_row(session, t)
        for t in session.scalars(select(EducationalVisit).where(EducationalVisit.id.in_(trip_ids)))
    }
    mails: dict[int, MailOutbox] = {}
    for mail in session.scalars(
        select(MailOutbox)
        .where(MailOutbox.message_id.in_([m.id for m in messages]))
        .order_by(MailOutbox.id)
    ):
        mails[mail.message_id or 0] = mail  # the newest wins
    rows = []
    for m in messages:
        person = staff.get(m.for_staff_id) if m.for_staff_id else None
        newest_mail = mails.get(m.id)
        rows.append(
            MessageRow(
                id=m.id,
                taken_at=m.taken_at,
                taken_by=staff[m.taken_by].name if m.taken_by in staff else "",
                for_staff_id=m.for_staff_id,
                for_name=m.for_name,
                for_email=person.email if person else "",
                for_pigeonhole=person.pigeonhole if person else "",
                caller_name=m.caller_name,
                caller_number=m.caller_number,
                text=m.text,
                urgency=m.urgency,
                route=m.route,
                visit=trips.get(m.visit_id) if m.visit_id else None,
                call_back=m.call_back,
                will_call_again=m.will_call_again,
                state=m.state,
                held_until=m.held_until,
                held_for=_held_label(m.held_until, calendar),
                passed_on_at=m.passed_on_at,
                passed_on_by=staff[m.passed_on_by].name if m.passed_on_by in staff else "",
                passed_on_how=m.passed_on_how,
                outcome=m.outcome,
                emailed_at=m.emailed_at,
                printed_at=m.printed_at,
                mail_state=newest_mail.state if newest_mail else None,
                mail_error=newest_mail.last_error if newest_mail else "",
            )
        )
    return rows


def _one(session: Session, message: PhoneMessage, tz: tzinfo) -> MessageRow:
    return _rows(session, [message], tz)[0]


def take_message(
    ctx: KioskContext,
    actor: Actor,
    *,
    for_staff_id: int | None = None,
    for_name: str = "",
    caller_name: str,
    caller_number: str = "",
    text: str,
    urgent: bool,
    call_back: bool = False,
    will_call_again: bool = False,
) -> MessageRow:
    """Record a call's message and decide where it goes (see the module's description).

    The message is for ``for_staff_id`` (an active member of staff) or, without one, for
    ``for_name`` (a visitor, say). Not urgent, it is held until the person's next break,
    lunch or end of day in school time (``held_until``, UTC), or delivered at once when no
    free time is found in the next two months; for someone on a trip today it is routed to the
    trip. Returns the stored message.

    Raises :class:`NotAllowed` for an actor who is not staff; :class:`InvalidInput` for no
    one to give it to, no caller's name, neither a message nor a call-back tick, a bad
    caller's number or text over its limit; :class:`NotFound` for a member of staff not
    in the directory or no longer active.
    """
    caller_number = clean_phone_number(caller_number, "caller's number")
    for_name = clean_line(
        for_name,
        limit=MAX_NAME,
        too_long="The name of the person it is for is too long ({limit} at most).",
    )
    if for_staff_id is None and not for_name:
        raise InvalidInput("Who is the message for? Choose a member of staff or type a name.")
    caller_name = clean_line(
        caller_name,
        limit=MAX_NAME,
        too_long="The caller's name is too long ({limit} characters at most).",
        required="Enter the caller's name (or 'Did not say').",
    )
    text = clean_note(
        text,
        limit=MAX_MESSAGE,
        too_long=(
            "The message is {length:,} characters long; {limit:,} at most. "
            "Nothing has been saved yet: shorten it and save again."
        ),
    )
    if not text and not (call_back or will_call_again):
        raise InvalidInput("Write the message, or tick 'Please call back' or 'Will call again'.")
    now = ctx.clock()
    with ctx.db.write() as s:
        acting.require_staff(s, actor, "Only staff signed in at the desk can take messages.")
        trip = None
        if for_staff_id is not None:
            person = s.get(Staff, for_staff_id)
            if person is None or not person.active:
                raise NotFound("That member of staff is not in the directory.")
            for_name = person.name
            trip = trip_for_staff_in(s, for_staff_id, now.astimezone(ctx.timezone).date())
        held_until = None
        if not urgent and trip is None:
            free = school_calendar_in(s, ctx.timezone).next_free_time(now, for_staff_id)
            # No break found in the next two months (next term not entered?): deliver straight away.
            held_until = free.starts if free else now
        message = PhoneMessage(
            taken_at=now,
            taken_by=actor.staff_id,
            for_staff_id=for_staff_id,
            for_name=for_name,
            caller_name=caller_name,
            caller_number=caller_number,
            text=text,
            urgency="urgent" if urgent else "can_wait",
            # "visit" and visit_id are the stored names for a trip (see kiosk.services.trips).
            route="visit" if trip is not None else "desk",
            visit_id=trip.id if trip is not None else None,
            call_back=call_back,
            will_call_again=will_call_again,
            state="open",
            held_until=held_until,
            outcome="",
        )
        s.add(message)
        s.flush()
        audit.record(
            s,
            at=now,
            actor=actor,
            action="take_message",
            entity="phone_message",
            entity_id=message.id,
            after={
                "for": for_name,
                "caller": caller_name,
                "urgency": message.urgency,
                "route": message.route,
                "held_until": held_until,
            },
        )
        return _one(s, message, ctx.timezone)


def pass_on(
    ctx: KioskContext,
    actor: Actor,
    message_id: int,
    *,
    how: str,
    by_staff_id: int | None = None,
    when: datetime | None = None,
    outcome: str = "",
) -> MessageRow:
    """Record that a message reached its person: how, by whom (the signed-in person unless
    someone else is named) and when (now unless given). Refused if already passed on.

    ``how`` is a key of :data:`HOW`; ``when`` is aware (stored in UTC), not before the call
    was taken nor more than a minute ahead of the clock. Returns the message as stored.
    Raises :class:`NotAllowed` for an actor who is not staff or a message already passed
    on (by this desk or another); :class:`InvalidInput` for an unknown ``how``, nobody
    named, a naive, future or too early ``when``; :class:`NotFound` for an unknown message
    or member of staff.
    """
    if how not in HOW:
        raise InvalidInput("Choose how it was passed on: in person, class phone or radio.")
    by = by_staff_id if by_staff_id is not None else actor.staff_id
    if by is None:
        raise InvalidInput("Choose who passed the message on.")
    now = ctx.clock()
    when = when or now
    if when.tzinfo is None:
        raise InvalidInput("The time it was passed on needs a time zone.")
    if when > now + timedelta(minutes=1):
        raise InvalidInput("The time it was passed on is in the future.")
    outcome = clean_note(outcome)
    with ctx.db.write() as s:
        acting.require_staff(s, actor, "Only staff signed in at the desk can pass messages on.")
        message = s.get(PhoneMessage, message_id)
        if message is None:
            raise NotFound("That message is no longer on record.")
        if s.get(Staff, by) is None:
            raise NotFound("The person who passed it on is not in the staff directory.")
        if when < message.taken_at:
            raise InvalidInput("It cannot have been passed on before the call was taken.")
        # The state check is in the UPDATE itself so two desks cannot both pass it on.
        # An UPDATE returns a CursorResult, which counts the rows it changed.
        done = cast(
            "CursorResult[Any]",
            s.execute(
                update(PhoneMessage)
                .where(PhoneMessage.id == message_id, PhoneMessage.state == "open")
                .values(
                    state="passed_on",
                    passed_on_at=when,
                    passed_on_by=by,
                    passed_on_how=how,
                    outcome=outcome,
                )
                .execution_options(synchronize_session="fetch")
            ),
        )
        if not done.rowcount:
            s.refresh(message)
            who = s.get(Staff, message.passed_on_by) if message.passed_on_by else None
            at = message.passed_on_at
            raise NotAllowed(
                "This message has already been passed on"
                + (f" by {who.name}" if who else "")
                + (f" {say_when(at, now, ctx.timezone)}" if at else "")
                + "."
            )
        audit.record(
            s,
            at=now,
            actor=actor,
            action="pass_on",
            entity="phone_message",
            entity_id=message_id,
            before={"state": "open"},
            after={"state": "passed_on", "how": how, "by_staff_id": by, "when": when},
        )
        s.refresh(message)
        return _one(s, message, ctx.timezone)


def email_body(message: MessageRow, tz_name: tzinfo) -> str:
    """The plain-text body of the email that passes a message on, with times in
    ``tz_name`` (a :class:`~datetime.tzinfo`, the school's time zone).

    Returns lines joined by "\n" (no trailing newline). Raises ``KeyError`` for a message
    whose urgency is not in :data:`URGENCY` (a stored value only this module writes).
    """
    taken = message.taken_at.astimezone(tz_name)
    lines = [
        f"Telephone message for {message.for_name}",
        "",
        f"From: {message.caller_name}",
        f"Telephone: {message.caller_number or '(not given)'}",
        f"Taken: {taken:%A %d %B %Y at %H:%M} by {message.taken_by or 'reception'}",
        f"Urgency: {URGENCY[message.urgency]}",
    ]
    if message.call_back:
        lines.append("Please call back.")
    if message.will_call_again:
        lines.append("They will call again.")
    lines += ["", "Message:", message.text or "(no message)", "", "Reception"]
    return "\n".join(lines)


def email_message(
    ctx: KioskContext, actor: Actor, message_id: int, *, send_now: bool = True
) -> tuple[MessageRow, SendReport | None]:
    """Put the message in the outbox for its person's email and try to send it at once.
    If the mail server is down it stays queued (and visible) and is tried again later.
    With ``send_now`` False it is only queued (the desk sends off its screen thread).

    A message already queued (or being sent by a desk) is not queued twice. Returns the message as it now is and
    the send report (None when not sent now). Raises :class:`NotAllowed` for an actor who
    is not staff or a message already passed on, :class:`InvalidInput` when its person has
    no email address in the directory, :class:`NotFound` for an unknown message. A mail
    server that cannot be reached is not an error here: the report says so.
    """
    now = ctx.clock()
    with ctx.db.write() as s:
        acting.require_staff(s, actor, "Only staff signed in at the desk can email messages.")
        message = s.get(PhoneMessage, message_id)
        if message is None:
            raise NotFound("That message is no longer on record.")
        if message.state != "open":
            raise NotAllowed("This message has already been passed on.")
        row = _one(s, message, ctx.timezone)
        if not row.for_email:
            raise InvalidInput(
                f"There is no email address for {row.for_name} in the staff directory. "
                "Print a slip for their pigeonhole instead."
            )
        pending = s.scalar(
            # One being sent by a desk right now counts as pending too: never a second copy.
            select(MailOutbox.id).where(
                MailOutbox.message_id == message_id,
                MailOutbox.state.in_(("queued", "sending")),
            )
        )
        if pending is None:
            queue_mail(
                s,
                at=now,
                to_address=row.for_email,
                subject=f"Telephone message from {row.caller_name}",
                body=email_body(row, ctx.timezone),
                message_id=message_id,
                queued_by=actor.staff_id,
            )
            audit.record(
                s,
                at=now,
                actor=actor,
                action="queue_email",
                entity="phone_message",
                entity_id=message_id,
                after={"to": row.for_email},
            )
    report = send_queued(ctx) if send_now else None
    return get_message(ctx, message_id), report


def mark_printed(
    ctx: KioskContext, actor: Actor, message_ids: list[int], *, to_pigeonhole: bool
) -> list[MessageRow]:
    """Record that slips were printed; for the pigeonhole, that passes the message on.

    Returns the messages found, by id; ids no longer on record are skipped silently (the
    slips are already printed). Raises :class:`NotAllowed` unless ``actor`` is a member of
    staff signed in at the desk.
    """
    now = ctx.clock()
    with ctx.db.write() as s:
        acting.require_staff(s, actor, "Only staff signed in at the desk can print message slips.")
        messages = list(s.scalars(select(PhoneMessage).where(PhoneMessage.id.in_(message_ids))))
        for message in messages:
            message.printed_at = now
            if to_pigeonhole and message.state == "open":
                message.state = "passed_on"
                message.passed_on_at = now
                message.passed_on_by = actor.staff_id
                message.passed_on_how = "pigeonhole"
            audit.record(
                s,
                at=now,
                actor=actor,
                action="print_slip",
                entity="phone_message",
                entity_id=message.id,
                after={"pigeonhole": to_pigeonhole, "state": message.state},
            )
        s.flush()
        return _rows(s, sorted(messages, key=lambda m: m.id), ctx.timezone)


def get_message(ctx: KioskContext, message_id: int) -> MessageRow:
    """One message by id; raises :class:`NotFound` when it is not on record."""
    with ctx.db.read() as s:
        message = s.get(PhoneMessage, message_id)
        if message is None:
            raise NotFound("That message is no longer on record.")
        return _one(s, message, ctx.timezone)


def open_messages(ctx: KioskContext) -> list[MessageRow]:
    """Every message not yet passed on, oldest first (by when taken, then id).

    Times in the rows are UTC; ``held_for`` names the school's free time ("Lunch") that a
    held message waits for.
    """
    with ctx.db.read() as s:
        return _rows(
            s,
            list(
                s.scalars(
                    select(PhoneMessage)
                    .where(PhoneMessage.state == "open")
                    .order_by(PhoneMessage.taken_at, PhoneMessage.id)
                )
            ),
            ctx.timezone,
        )


def queues(ctx: KioskContext, now: datetime | None = None) -> MessageQueues:
    """The desk's queues, as of ``now`` (aware; the clock's time unless given).

    Urgent messages are in "pass on now"; held ones move to "deliver now" once their
    ``held_until`` has passed; non-urgent ones for someone on a trip are apart. Each queue
    is oldest first; ``mail_queued`` counts emails still waiting to be sent.
    """
    now = now or ctx.clock()
    open_rows = open_messages(ctx)
    with ctx.db.read() as s:
        mail_queued = len(
            list(s.scalars(select(MailOutbox.id).where(MailOutbox.state == "queued")))
        )
    return MessageQueues(
        pass_on_now=tuple(m for m in open_rows if m.urgent),
        deliver_now=tuple(
            m for m in open_rows if not m.urgent and m.route == "desk" and m.due(now)
        ),
        waiting=tuple(
            m for m in open_rows if not m.urgent and m.route == "desk" and not m.due(now)
        ),
        out_on_visit=tuple(m for m in open_rows if not m.urgent and m.route == "visit"),
        mail_queued=mail_queued,
    )


def messages_between(ctx: KioskContext, start: date, end: date) -> list[MessageRow]:
    """Every message taken between two school dates (inclusive), newest first.

    ``start`` and ``end`` are dates in the school's time zone, midnight to midnight; times
    in the rows are UTC.
    """
    low = datetime.combine(start, time.min, ctx.timezone).astimezone(UTC)
    high = datetime.combine(end + timedelta(days=1), time.min, ctx.timezone).astimezone(UTC)
    with ctx.db.read() as s:
        return _rows(
            s,
            list(
                s.scalars(
                    select(PhoneMessage)
                    .where(PhoneMessage.taken_at >= low, PhoneMessage.taken_at < high)
                    .order_by(PhoneMessage.taken_at.desc(), PhoneMessage.id.desc())
                )
            ),
            ctx.timezone,
        )


__all__ = [
    "HOW",
    "URGENCY",
    "MessageQueues",
    "MessageRow",
    "email_message",
    "get_message",
    "mark_printed",
    "messages_between",
    "open_messages",
    "pass_on",
    "queues",
    "take_message",
]
