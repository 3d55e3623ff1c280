"""Outgoing email through the school's mail server (the standard library's SMTP client).

Every email goes into the outbox table first, in the same transaction as the change that
asked for it, and is sent afterwards. A server that is down or refuses leaves the email
queued with the reason shown at the desk; it is tried again, never lost.

The server's password, if it needs one, is stored in the database's settings table (not in
any file of the application): protect the database accordingly.
"""

from __future__ import annotations

import smtplib
import ssl
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import CursorResult, select, update

from kiosk.errors import InvalidInput, NotAllowed
from kiosk.persistence.models import MailOutbox, PhoneMessage, SmtpSettings
from kiosk.rows.calls import OutboxRow, SendReport, SmtpSettingsRow
from kiosk.rows.people import SYSTEM, Actor
from kiosk.services import audit

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from kiosk.context import KioskContext

SEND_TIMEOUT_SECONDS = 10.0


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
    if not actor.is_manager:
        raise NotAllowed("Only a manager can change the mail server settings.")
    host, username, from_address = host.strip(), username.strip(), from_address.strip()
    if not 1 <= port <= 65535:
        raise InvalidInput("The mail server's port is a number from 1 to 65535 (often 587).")
    if host and "@" not in from_address:
        raise InvalidInput("Enter the address messages are sent from, such as office@school.")
    with ctx.db.write() as s:
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
    )


def outbox(ctx: KioskContext, *, include_sent: bool = False) -> list[OutboxRow]:
    """Emails waiting to be sent (with ``include_sent``, sent ones too), oldest first.
    Never raises."""
    query = select(MailOutbox).order_by(MailOutbox.id)
    if not include_sent:
        query = query.where(MailOutbox.state == "queued")
    with ctx.db.read() as s:
        return [_outbox_row(m) for m in s.scalars(query)]


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


def send_queued(ctx: KioskContext, *, limit: int = 50) -> SendReport:
    """Try to send what is in the outbox. Nothing is held open while talking to the
    server: read, send, then record each result in its own short transaction.

    Sends at most ``limit`` emails, oldest first, over one connection (STARTTLS and login
    when set; `SEND_TIMEOUT_SECONDS` = 10 seconds a network step), so call it off the GUI
    thread. Returns how many went, how many are still queued, and the last failure in
    plain words ("" when all went). Never raises for a mail problem: no server set up, a
    server down or refusing, or one address refused are recorded on the emails (attempts,
    last error) and they stay queued to be tried again.
    """
    with ctx.db.read() as s:
        settings = s.get(SmtpSettings, 1)
        config = (
            (settings.host, settings.port, settings.starttls, settings.username)
            + (settings.password, settings.from_address)
            if settings is not None
            else ("", 587, True, "", "", "")
        )
        waiting = [
            (m.id, m.to_address, m.subject, m.body)
            for m in s.scalars(
                select(MailOutbox)
                .where(MailOutbox.state == "queued")
                .order_by(MailOutbox.id)
                .limit(limit)
            )
        ]
        total_queued = len(
            list(s.scalars(select(MailOutbox.id).where(MailOutbox.state == "queued")))
        )
    if not waiting:
        return SendReport(0, 0, "")
    host, port, starttls, username, password, from_address = config
    if not host or not from_address:
        error = "No mail server is set up yet (Settings, Email); messages stay in the outbox."
        _record_failure(ctx, [m[0] for m in waiting], error)
        return SendReport(0, total_queued, error)

    sent = 0
    error = ""
    try:
        with smtplib.SMTP(host, port, timeout=SEND_TIMEOUT_SECONDS) as smtp:
            if starttls:
                smtp.starttls(context=ssl.create_default_context())
            if username:
                smtp.login(username, password)
            for mail_id, to_address, subject, body in waiting:
                email = EmailMessage()
                email["From"] = from_address
                email["To"] = to_address
                email["Subject"] = subject
                email["Date"] = formatdate(localtime=False)
                email["Message-ID"] = make_msgid(domain=from_address.rpartition("@")[2] or None)
                email.set_content(body)
                try:
                    smtp.send_message(email)
                except smtplib.SMTPException as exc:
                    error = _plain_error(exc, host, port)
                    _record_failure(ctx, [mail_id], error)
                    continue
                _record_sent(ctx, mail_id)
                sent += 1
    except (OSError, smtplib.SMTPException) as exc:
        error = _plain_error(exc, host, port)
        unsent = [m[0] for m in waiting]
        _record_failure(ctx, unsent, error, only_queued=True)
    return SendReport(sent, total_queued - sent, error)


def _record_failure(
    ctx: KioskContext, mail_ids: list[int], error: str, *, only_queued: bool = True
) -> None:
    now = ctx.clock()
    with ctx.db.write() as s:
        for mail in s.scalars(select(MailOutbox).where(MailOutbox.id.in_(mail_ids))):
            if only_queued and mail.state != "queued":
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
