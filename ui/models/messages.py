"""Table models for the calls queues: urgent (with a running timer), deliver now, waiting
for a break, and messages for staff out on a visit."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt

from kiosk.clock import say_when
from kiosk.rows.calls import OUTBOX_STATE_WORDS, MessageRow
from ui.models.formatting import moment_cell, plain_tooltip, school_timestamp
from ui.models.row_table import Column, RowTableModel

PREVIEW = 90


def waited(since: datetime, now: datetime) -> str:
    """How long a call has waited, as a running timer: "4:07", or "1:02:30" past an hour."""
    seconds = max(0, int((now - since).total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def preview(text: str) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= PREVIEW else one_line[: PREVIEW - 1] + "…"


def reach_text(message: MessageRow) -> str:
    """How to reach the person: the visit lead's and deputy's numbers when they are out."""
    visit = message.visit
    if visit is None:
        return "In school"
    # The numbers first: they are what the receptionist needs with the phone in hand.
    text = f"On a visit: call lead {visit.lead_mobile} ({visit.lead_name})"
    if visit.deputy_name:
        text += f", deputy {visit.deputy_mobile} ({visit.deputy_name})"
    return text + f"; {visit.destination}"


def _message_column() -> Column[MessageRow]:
    def asks(m: MessageRow) -> str:
        return (" · please call back" if m.call_back else "") + (
            " · will call again" if m.will_call_again else ""
        )

    return Column(
        "Message",
        lambda m: preview(m.text) + asks(m),
        lambda m: plain_tooltip(m.text + asks(m)),
        stretch=True,
    )


class MessageQueueModel(RowTableModel[MessageRow]):
    """One queue. ``set_now`` moves the running timers on without reloading anything."""

    def __init__(self, tz: ZoneInfo, kind: str, parent: object = None) -> None:
        super().__init__(parent)
        self._tz = tz
        self._now: datetime | None = None
        taken = Column[MessageRow]("Taken", lambda m: moment_cell(m.taken_at, tz, self._now))
        for_whom = Column[MessageRow]("For", lambda m: m.for_name)
        caller = Column[MessageRow]("From", lambda m: m.caller_name)
        number = Column[MessageRow]("Number", lambda m: m.caller_number)
        if kind == "urgent":
            self.columns = (
                Column("Waiting", lambda m: waited(m.taken_at, self._now or m.taken_at)),
                for_whom,
                Column("How to reach them", reach_text, lambda m: plain_tooltip(reach_text(m))),
                caller,
                number,
                _message_column(),
            )
        elif kind == "deliver":
            self.columns = (taken, for_whom, caller, number, _message_column())
        elif kind == "waiting":
            self.columns = (
                Column("Until", self._until),
                for_whom,
                caller,
                _message_column(),
            )
        else:  # out on a visit, not urgent
            self.columns = (
                taken,
                for_whom,
                Column("Visit", lambda m: m.visit.destination if m.visit else ""),
                caller,
                _message_column(),
                Column(
                    "Email",
                    _mail_text,
                    lambda m: plain_tooltip(
                        "\n".join(t for t in (_mail_text(m), m.mail_error) if t)
                    ),
                ),
            )

    def set_now(self, now: datetime) -> None:
        """Move the queue to the instant ``now`` (aware): the urgent timers run on, and
        days ("yesterday", "on Monday") are said from it."""
        self._now = now
        if self.rowCount():
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(self.rowCount() - 1, 0),
                [Qt.ItemDataRole.DisplayRole],
            )

    def _until(self, message: MessageRow) -> str:
        """When a held message is due: "Break at 11:00", "Lunch at 12:30 tomorrow",
        "Break on Monday at 11:00"."""
        if message.held_until is None:
            return message.held_for
        if self._now is None:
            return f"{message.held_for} {school_timestamp(message.held_until, self._tz)}".strip()
        if not message.held_for:
            return moment_cell(message.held_until, self._tz, self._now)
        return f"{message.held_for} {say_when(message.held_until, self._now, self._tz)}"

    def needs_attention(self, row: MessageRow) -> bool:
        return row.mail_state == "uncertain" or (
            row.mail_state == "queued" and bool(row.mail_error)
        )


def _mail_text(message: MessageRow) -> str:
    if message.mail_state == "queued":
        return "Waiting to send" + (f": {message.mail_error}" if message.mail_error else "")
    if message.mail_state in ("sending", "uncertain"):
        return OUTBOX_STATE_WORDS[message.mail_state]
    if not message.for_email:
        return "No email address: print a slip"
    return message.for_email
