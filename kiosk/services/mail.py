"""Outgoing email through the school's mail server (the standard library's SMTP client).

Every email goes into the outbox table first, in the same transaction as the change that
asked for it, and is sent afterwards. A server that is down or refuses leaves the email
queued with the reason shown at the desk; it is tried again, never lost. A desk claims
each email before sending it, so several desks sending at once send it once; an email
whose delivery is uncertain (the desk stopped, or the connection broke, while it was
going) is marked so and never sent again without a person deciding.

The server's password, if it needs one, is stored in the database's settings table (not in
any file of the application): protect the database accordingly.
"""

from __future__ import annotations

import os
import smtplib
import socket
import ssl
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import CursorResult, select, update

from kiosk.errors import InvalidInput, NotFound
from kiosk.persistence.models import MailOutbox, PhoneMessage, SmtpSettings
from kiosk.rows.calls import OutboxRow, SendReport, SmtpSettingsRow
from kiosk.rows.people import SYSTEM, Actor
from kiosk.services import acting, audit

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from kiosk.context import KioskContext

SEND_TIMEOUT_SECONDS = 10.0
# A claim this old was left by a desk that stopped part-way (a send takes seconds: each
# network step times out after SEND_TIMEOUT_SECONDS); its email may or may not have gone.
UNCERTAIN_AFTER = timedelta(minutes=5)
UNCERTAIN_STALE = (
    "A desk started sending this email and stopped part-way, so it may or may not have "
    "arrived. Check with the recipient before sending it again."
)
UNCERTAIN_BROKEN = (
    "The connection to the mail server broke while this email was going, so it may or may "
    "not have arrived. Check with the recipient before sending it again."
)

# Where the desk sets the mail server: the Staff page's box of this title. The desk's box
# takes its title from here, so a message pointing to it always names what is on screen.
MAIL_SERVER_BOX = "Email for telephone messages"
MAIL_SERVER_PAGE = "Staff"
NO_MAIL_SERVER = (
    f"No mail server is set up yet (set it on the {MAIL_SERVER_PAGE} page, under "
    f"\u201c{MAIL_SERVER_BOX}\u201d); messages stay in the outbox."
)


def _settings_in(session: Session) -> SmtpSettings:
    settings = session.get(SmtpSettings, 1)
    if settings is None:
        settings = SmtpSettings(
            id=1, host="", port=587, starttls=True, username="", password="", from_address=""
        )
        session.add(settings)
        session.flush()
    return settings


def smtp_settings(ctx: KioskContext) -> SmtpSettingsRow:
    """The mail server settings, without the password (only whether one is stored); the
    defaults (no server, port 587, STARTTLS) before any are saved. Never raises."""
    with ctx.db.read() as s:
        settings = s.get(SmtpSettings, 1)
        if settings is None:
            return SmtpSettingsRow("", 587, True, "", False, "")
        return SmtpSettingsRow(
            settings.host,
            settings.port,
            settings.starttls,
            settings.username,
            bool(settings.password),
            settings.from_address,
        )


def save_smtp_settings(
    ctx: KioskContext,
    actor: Actor,
    *,
    host: str,
    port: int,
    starttls: bool,
    username: str,
    from_address: str,
    password: str | None = None,
) -> SmtpSettingsRow:
    """Change the mail server. ``password`` None keeps the stored one; "" clears it.

    An empty ``host`` turns email off. Text fields are trimmed; nothing is checked against
    the server. Returns the settings as now stored; the change is audited without the
    password. Raises :class:`NotAllowed` when ``actor`` is not a manager and
    :class:`InvalidInput` for a port outside 1 to 65535, or a host with a from-address that
    has no "@".
    """
    host, username, from_address = host.strip(), username.strip(), from_address.strip()
    if not 1 <= port <= 65535:
        raise InvalidInput("The mail server's port is a number from 1 to 65535 (often 587).")
    if host and "@" not in from_address:
        raise InvalidInput("Enter the address messages are sent from, such as office@school.")
    with ctx.db.write() as s:
        acting.require_manager(s, actor, "Only a manager can change the mail server settings.")
        settings = _settings_in(s)
        before = {
            "host": settings.host,
            "port": settings.port,
            "starttls": settings.starttls,
            "username": settings.username,
            "from_address": settings.from_address,
        }
        settings.host, settings.port, settings.starttls = host, port, starttls
        settings.username, settings.from_address = username, from_address
        if password is not None:
            settings.password = password
        audit.record(
            s,
            at=ctx.clock(),
            actor=actor,
            action="update",
            entity="smtp_settings",
            entity_id=1,
            before=before,
            # The password itself never goes into the audit log.
            after={
                "host": host,
                "port": port,
                "starttls": starttls,
                "username": username,
                "from_address": from_address,
                "password_changed": password is not None,
            },
        )
    return smtp_settings(ctx)


def queue_mail(
    session: Session,
    *,
    at: datetime,
    to_address: str,
    subject: str,
    body: str,
    message_id: int | None = None,
    queued_by: int | None = None,
) -> MailOutbox:
    """Put an email in the outbox as part of the caller's transaction.

    ``at`` is when it was queued (aware, UTC); the subject is cut to 300 characters; the
    address is stored as given (the caller checks it). ``message_id`` links it to a
    telephone message, which is then marked passed on by email once sent, as done by
    ``queued_by`` (a staff id). Returns the new outbox model, flushed (it has its id).
    Sent later by :func:`send_queued`.
    """
    mail = MailOutbox(
        created_at=at,
        to_address=to_address,
        subject=subject[:300],
        body=body,
        message_id=message_id,
        queued_by=queued_by,
        state="queued",
        attempts=0,
        last_error="",
    )
    session.add(mail)
    session.flush()
    return mail


def _outbox_row(mail: MailOutbox) -> OutboxRow:
    return OutboxRow(
        mail.id,
        mail.created_at,
        mail.to_address,
        mail.subject,
        mail.message_id,
        mail.state,
        mail.attempts,
        mail.last_error,
        mail.sent_at,
        mail.claimed_by,
        mail.claimed_at,
    )


def outbox(ctx: KioskContext, *, include_sent: bool = False) -> list[OutboxRow]:
    """Emails not known to be delivered, oldest first: waiting ("queued"), being sent by a
    desk now ("sending") and those whose delivery is "uncertain"; with ``include_sent``,
    sent ones too. Never raises for a mail problem."""
    query = select(MailOutbox).order_by(MailOutbox.id)
    if not include_sent:
        query = query.where(MailOutbox.state != "sent")
    with ctx.db.read() as s:
        return [_outbox_row(m) for m in s.scalars(query)]


def desk_name() -> str:
    """This desk's name on the emails it claims: the computer's name and this process's id
    ("RECEPTION-PC:4321"), at most 100 characters."""
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def send_again(ctx: KioskContext, actor: Actor, mail_id: int) -> OutboxRow:
    """Put an email whose delivery is uncertain back in the queue, when a person has checked
    that it did not arrive (a second copy is then their decision, and it is audited).

    Returns the email as now stored ("queued"). Raises :class:`NotAllowed` for an actor who
    is not staff, :class:`NotFound` for an unknown email and :class:`InvalidInput` for one
    that is not "uncertain" (already queued, being sent or sent).
    """
    with ctx.db.write() as s:
        acting.require_staff(s, actor, "Only staff signed in at the desk can send an email again.")
        mail = s.get(MailOutbox, mail_id)
        if mail is None:
            raise NotFound("That email is no longer in the outbox.")
        if mail.state != "uncertain":
            raise InvalidInput("Only an email that may not have arrived can be sent again.")
        mail.state, mail.claimed_by, mail.claimed_at = "queued", "", None
        audit.record(
            s,
            at=ctx.clock(),
            actor=actor,
            action="send_again",
            entity="mail_outbox",
            entity_id=mail_id,
            before={"state": "uncertain"},
            after={"state": "queued", "to": mail.to_address},
        )
        s.flush()
        return _outbox_row(mail)


def _plain_error(exc: BaseException, host: str, port: int) -> str:
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return "The mail server did not accept the user name or password."
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "The mail server refused the recipient's address."
    if isinstance(exc, ConnectionRefusedError | TimeoutError | smtplib.SMTPConnectError):
        return f"The mail server {host}:{port} is not answering."
    if isinstance(exc, OSError):
        return f"Could not reach the mail server {host}:{port} ({exc.strerror or exc})."
    return f"The mail server said: {exc}"


class _DeliverySMTP(smtplib.SMTP):
    """An SMTP client that remembers whether the message itself (DATA) has started to go:
    a failure after that point leaves its delivery uncertain."""

    data_started = False

    def data(self, msg: Any) -> tuple[int, bytes]:
        self.data_started = True
        return super().data(msg)


def send_queued(ctx: KioskContext, *, limit: int = 50, desk: str | None = None) -> SendReport:
    """Try to send what is in the outbox, each email once however many desks try at once.

    First, an email some desk claimed more than `UNCERTAIN_AFTER` ago and never finished
    (the desk died, or lost its connection mid-send) is marked "uncertain": it may have
    arrived, so it is never sent again without a person (:func:`send_again`). Then each
    email is claimed in its own short transaction before it is sent (PostgreSQL: ``SELECT
    ... FOR UPDATE SKIP LOCKED``, so two desks take different emails; SQLite: writers take
    turns, and the claim is a conditional update), marked "sending" with ``desk`` (default
    :func:`desk_name`) and the time, sent with no transaction open, and then marked sent,
    or put back in the queue when the server refused it before the message went. A
    connection that breaks once the message itself has gone leaves it "uncertain".

    Sends at most ``limit`` emails, oldest first, over one connection (STARTTLS and login
    when set; `SEND_TIMEOUT_SECONDS` = 10 seconds a network step), so call it off the GUI
    thread. Returns how many went, how many are still queued, and the last failure in
    plain words ("" when all went). Never raises for a mail problem: no server set up, a
    server down or refusing, or one address refused are recorded on the emails (attempts,
    last error) and they stay queued to be tried again.
    """
    desk = desk or desk_name()
    _mark_stale_claims_uncertain(ctx)
    with ctx.db.read() as s:
        settings = s.get(SmtpSettings, 1)
        config = (
            (settings.host, settings.port, settings.starttls, settings.username)
            + (settings.password, settings.from_address)
            if settings is not None
            else ("", 587, True, "", "", "")
        )
    if not _queued_ids(ctx):
        return SendReport(0, 0, "")
    host, port, starttls, username, password, from_address = config
    if not host or not from_address:
        error = NO_MAIL_SERVER
        _record_failure(ctx, _queued_ids(ctx, limit), error)
        return SendReport(0, len(_queued_ids(ctx)), error)

    sent = 0
    error = ""
    try:
        with _DeliverySMTP(host, port, timeout=SEND_TIMEOUT_SECONDS) as smtp:
            if starttls:
                smtp.starttls(context=ssl.create_default_context())
            if username:
                smtp.login(username, password)
            for _ in range(limit):
                claimed = _claim_next(ctx, desk)
                if claimed is None:
                    break
                mail_id, to_address, subject, body = claimed
                email = EmailMessage()
                email["From"] = from_address
                email["To"] = to_address
                email["Subject"] = subject
                email["Date"] = formatdate(localtime=False)
                email["Message-ID"] = make_msgid(domain=from_address.rpartition("@")[2] or None)
                email.set_content(body)
                smtp.data_started = False
                try:
                    smtp.send_message(email)
                except (OSError, smtplib.SMTPException) as exc:
                    # An error reply to DATA is a refusal; any other failure once the
                    # message itself started to go leaves its delivery unknown.
                    went = smtp.data_started and not isinstance(exc, smtplib.SMTPDataError)
                    if went:
                        _mark_uncertain(ctx, mail_id, UNCERTAIN_BROKEN)
                        raise
                    error = _plain_error(exc, host, port)
                    _release_claim(ctx, mail_id, error)
                    # SMTPException is an OSError too: only a reply from the server means
                    # the connection is still there for the next email.
                    connection_gone = isinstance(exc, smtplib.SMTPServerDisconnected) or (
                        not isinstance(exc, smtplib.SMTPException)
                    )
                    if connection_gone:
                        raise
                    continue
                _record_sent(ctx, mail_id)
                sent += 1
    except (OSError, smtplib.SMTPException) as exc:
        error = _plain_error(exc, host, port)
        _record_failure(ctx, _queued_ids(ctx, limit), error)
    return SendReport(sent, len(_queued_ids(ctx)), error)


def _queued_ids(ctx: KioskContext, limit: int | None = None) -> list[int]:
    """The ids of emails waiting to be sent (not claimed by any desk), oldest first."""
    query = select(MailOutbox.id).where(MailOutbox.state == "queued").order_by(MailOutbox.id)
    if limit is not None:
        query = query.limit(limit)
    with ctx.db.read() as s:
        return list(s.scalars(query))


def _claim_next(ctx: KioskContext, desk: str) -> tuple[int, str, str, str] | None:
    """Claim the oldest queued email for ``desk``: (id, to, subject, body), or None when no
    email is left for this desk. One short transaction, committed before anything is sent."""
    now = ctx.clock()
    with ctx.db.write() as s:
        # PostgreSQL: an email another desk is claiming right now is locked, and skipped.
        # SQLite has no row locks (FOR UPDATE is left out) but lets one writer in at a
        # time (BEGIN IMMEDIATE), so the conditional update below is the claim.
        mail = s.scalars(
            select(MailOutbox)
            .where(MailOutbox.state == "queued")
            .order_by(MailOutbox.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        ).first()
        if mail is None:
            return None
        claimed = cast(
            "CursorResult[Any]",
            s.execute(
                update(MailOutbox)
                .where(MailOutbox.id == mail.id, MailOutbox.state == "queued")
                .values(state="sending", claimed_by=desk, claimed_at=now, last_attempt_at=now)
                .execution_options(synchronize_session=False)
            ),
        )
        if not claimed.rowcount:
            return None
        return mail.id, mail.to_address, mail.subject, mail.body


def _mark_stale_claims_uncertain(ctx: KioskContext) -> None:
    """An email left "sending" longer than `UNCERTAIN_AFTER` was claimed by a desk that
    stopped (or lost its connection) part-way: it may have arrived. Mark it "uncertain"."""
    now = ctx.clock()
    with ctx.db.write() as s:
        s.execute(
            update(MailOutbox)
            .where(
                MailOutbox.state == "sending",
                MailOutbox.claimed_at < now - UNCERTAIN_AFTER,
            )
            .values(state="uncertain", last_error=UNCERTAIN_STALE)
            .execution_options(synchronize_session=False)
        )


def _release_claim(ctx: KioskContext, mail_id: int, error: str) -> None:
    """The server refused the email before it went: back in the queue, with the reason."""
    now = ctx.clock()
    with ctx.db.write() as s:
        mail = s.get(MailOutbox, mail_id)
        if mail is None or mail.state != "sending":
            return
        mail.state, mail.claimed_by, mail.claimed_at = "queued", "", None
        mail.attempts += 1
        mail.last_attempt_at = now
        mail.last_error = error


def _mark_uncertain(ctx: KioskContext, mail_id: int, error: str) -> None:
    """The connection broke after the message itself started to go: it may have arrived."""
    now = ctx.clock()
    with ctx.db.write() as s:
        mail = s.get(MailOutbox, mail_id)
        if mail is None or mail.state != "sending":
            return
        mail.state = "uncertain"
        mail.attempts += 1
        mail.last_attempt_at = now
        mail.last_error = error


def _record_failure(ctx: KioskContext, mail_ids: list[int], error: str) -> None:
    """Note a failed try on emails still waiting (one claimed meanwhile is left alone)."""
    if not mail_ids:
        return
    now = ctx.clock()
    with ctx.db.write() as s:
        for mail in s.scalars(select(MailOutbox).where(MailOutbox.id.in_(mail_ids))):
            if mail.state != "queued":
                continue
            mail.attempts += 1
            mail.last_attempt_at = now
            mail.last_error = error


def _record_sent(ctx: KioskContext, mail_id: int) -> None:
    """Mark the email sent and, when it carried a telephone message still open, record that
    message as passed on by email, by whoever queued it."""
    now = ctx.clock()
    with ctx.db.write() as s:
        mail = s.get(MailOutbox, mail_id)
        if mail is None or mail.state == "sent":
            return
        # Sent is sent, even if another desk meanwhile took this desk's claim for stale.
        mail.state, mail.sent_at, mail.last_attempt_at = "sent", now, now
        mail.attempts += 1
        mail.last_error = ""
        if mail.message_id is not None:
            message = s.get(PhoneMessage, mail.message_id)
            by = mail.queued_by or (message.taken_by if message else None)
            if message is not None:
                message.emailed_at = now
            if message is not None and by is not None:
                # An UPDATE returns a CursorResult, which counts the rows it changed.
                done = cast(
                    "CursorResult[Any]",
                    s.execute(
                        update(PhoneMessage)
                        .where(PhoneMessage.id == message.id, PhoneMessage.state == "open")
                        .values(
                            state="passed_on",
                            passed_on_at=now,
                            passed_on_by=by,
                            passed_on_how="email",
                        )
                        .execution_options(synchronize_session="fetch")
                    ),
                )
                if done.rowcount:
                    audit.record(
                        s,
                        at=now,
                        actor=SYSTEM,
                        action="pass_on",
                        entity="phone_message",
                        entity_id=message.id,
                        after={"how": "email", "to": mail.to_address, "by_staff_id": by},
                    )
