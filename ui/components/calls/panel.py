"""Taking a call at the desk, built for speed while on the phone, and the queues that make
sure every message reaches its person.

Left: for whom (type-ahead over staff and visitors on site), caller, number, message, then
one click: Urgent or Can wait. Right: the red "pass on now" queue with running timers and a
banner (plus a beep when a new urgent call arrives), "deliver now" (messages whose break has
come), "waiting for a break", and messages for staff out on a visit (email or slip).
A timer re-checks the queues, so a message that can wait moves on its own at the break.
"""

from __future__ import annotations

import threading
from functools import partial
from typing import cast

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from kiosk.changes import Changes, Topic
from kiosk.clock import say_when
from kiosk.context import KioskContext
from kiosk.errors import KioskError
from kiosk.resources import resource_path
from kiosk.rows.calls import MessageQueues, MessageRow, Recipient, SendReport
from kiosk.rows.people import Actor
from kiosk.services import messages
from kiosk.services.directory import find_recipients, get_entry, list_directory
from kiosk.services.mail import outbox, send_again, send_queued
from kiosk.services.messages import HOW
from kiosk.services.trips import trips_on
from ui.ask import Asker
from ui.components.calls.messages_output import (
    print_blank_pad,
    print_message_slips,
    save_blank_pad,
    save_message_slips,
)
from ui.components.common import ActorSource, run_service, signed_in
from ui.components.desk.panel import DeskPanel
from ui.components.desk.shortcuts import TAKE_CALL, with_shortcut
from ui.models.messages import MessageQueueModel
from ui.widgets.labels import plain_label
from ui.widgets.scrolling import vertical_scroll
from ui.widgets.styling import set_role
from ui.widgets.tables import AttentionTableView

RECHECK_MS = 15_000  # how often the queues are read again (breaks arriving, other desks)
TICK_MS = 1_000  # running timers
MAIL_RETRY_MS = 60_000
DESK_WAYS = ("in_person", "class_phone", "radio")
VISIT_WAYS = ("visit_lead", "visit_deputy")
LATER = "Decide later"
MAX_COLUMN_WIDTH = 280


def urgent_title(count: int) -> str:
    """The Calls tab's words with ``count`` urgent calls waiting to be passed on."""
    return f"{CallsPanel.title} ({count} urgent)" if count else CallsPanel.title


def calls_stylesheet() -> str:
    try:
        return resource_path("styles", "calls.qss").read_text(encoding="utf-8")
    except OSError:
        return ""


class _MailSender(QObject):
    """Sends the outbox off the screen's thread and reports back by signal."""

    sig_done = Signal(object)
    """A :class:`kiosk.rows.calls.SendReport` (or a KioskError) once the attempt is over."""

    def __init__(self, ctx: KioskContext) -> None:
        super().__init__()
        self._ctx = ctx
        self._busy = threading.Lock()

    def send(self) -> bool:
        if not self._busy.acquire(blocking=False):
            return False
        threading.Thread(target=self._run, name="kiosk-mail", daemon=True).start()
        return True

    def _run(self) -> None:
        try:
            result: object = send_queued(self._ctx)
        except (KioskError, SQLAlchemyError) as error:
            result = error  # reported on the screen's thread; the mail stays queued
        finally:
            self._busy.release()
        self.sig_done.emit(result)


class CallsPanel(DeskPanel):
    """Take a call, and the queues that see each message reach its person. The tab's title
    carries the count of urgent calls, so an urgent call is seen from any tab."""

    title = "Calls"
    shows = frozenset({Topic.CALLS, Topic.STAFF, Topic.CALENDAR})
    live_title = True

    def __init__(
        self, ctx: KioskContext, actor: ActorSource, asker: Asker, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, actor, asker, parent)
        self._recipient: Recipient | None = None
        self._suggested: list[Recipient] = []
        self._urgent_seen: set[int] = set()
        self._queues: MessageQueues | None = None
        self._flash = False
        self._mail = _MailSender(ctx)
        self._mail.sig_done.connect(self._on_mail_done)
        self._setup_ui()

    # --- public ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the queues again (the timer does this on its own every few seconds)."""
        try:
            queues = messages.queues(self._ctx)
        except KioskError as error:
            self.status.setText(error.message)
            return
        self._queues = queues
        now = self._ctx.clock()
        for model, rows in (
            (self.urgent_model, queues.pass_on_now),
            (self.deliver_model, queues.deliver_now),
            (self.waiting_model, queues.waiting),
            (self.visit_model, queues.out_on_visit),
        ):
            model.set_now(now)
            model.set_rows(rows)
        new_urgent = {m.id for m in queues.pass_on_now} - self._urgent_seen
        if new_urgent and self._urgent_seen is not None:
            QApplication.beep()  # an audible cue where the desk has sound
        self._urgent_seen = {m.id for m in queues.pass_on_now}
        self.deliver_box.setTitle(f"Deliver now ({len(queues.deliver_now)})")
        self.waiting_box.setTitle(f"Waiting for a break ({len(queues.waiting)})")
        self.visit_box.setTitle(f"For staff out on a visit ({len(queues.out_on_visit)})")
        self._update_banner()
        self._update_outbox(queues.mail_queued)
        for table in (self.urgent_table, self.deliver_table, self.waiting_table, self.visit_table):
            # Long cells stay readable in full in their tooltips; the message keeps its room.
            table.fit_columns(widest=MAX_COLUMN_WIDTH)
        self._on_selection_changed()
        self.sig_title_changed.emit(urgent_title(len(queues.pass_on_now)))

    def queues(self) -> MessageQueues | None:
        return self._queues

    def set_recheck_interval(self, milliseconds: int) -> None:
        self._recheck.setInterval(milliseconds)

    def choose_recipient(self, index: int) -> None:
        """Take the ``index``-th suggestion as the person the message is for."""
        if 0 <= index < len(self._suggested):
            self._set_recipient(self._suggested[index])

    def start_call(self) -> None:
        """Put the cursor in "For whom", the first question of a new call."""
        self.for_whom.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.for_whom.selectAll()

    def suggestions(self) -> list[Recipient]:
        return list(self._suggested)

    def take_call(self, *, urgent: bool) -> MessageRow | None:
        """Save the call as typed, urgent or can wait (the two big buttons)."""
        actor = signed_in(self._asker, self, "Message not saved", self._actor)
        if actor is None:
            return None
        typed = " ".join(self.for_whom.text().split())
        recipient = self._recipient if self._recipient and self._recipient.name == typed else None
        message = run_service(
            self._asker,
            self,
            "Message not saved",
            lambda: messages.take_message(
                self._ctx,
                actor,
                for_staff_id=recipient.staff_id if recipient else None,
                for_name=typed if recipient is None or recipient.staff_id is None else "",
                caller_name=self.caller.text(),
                caller_number=self.number.text(),
                text=self.message.toPlainText(),
                urgent=urgent,
                call_back=self.call_back.isChecked(),
                will_call_again=self.will_call_again.isChecked(),
            ),
        )
        if message is None:
            return None
        self._clear_form()
        self.status.setText(self._saved_text(message))
        self.refresh()
        self.sig_changed.emit(Changes.of(Topic.CALLS))
        if message.route == "visit" and not message.urgent:
            self._send_to_visit(message)
        return message

    def selected(self, queue: str) -> MessageRow | None:
        table, model = self._tables[queue]
        rows = table.selected_rows()
        return model.row_at(rows[0]) if rows else None

    def select(self, queue: str, message_id: int) -> None:
        table, model = self._tables[queue]
        for row, message in enumerate(model.rows()):
            if message.id == message_id:
                table.selectRow(row)
                return

    def pass_on_selected(self, queue: str) -> MessageRow | None:
        message = self.selected(queue)
        actor = signed_in(self._asker, self, "Not recorded", self._actor)
        if message is None or actor is None:
            return None
        ways = VISIT_WAYS + DESK_WAYS if message.visit is not None else DESK_WAYS
        labels = [HOW[w] for w in ways]
        if message.visit is not None and not message.visit.deputy_name:
            labels.remove(HOW["visit_deputy"])
        chosen = self._asker.choice(
            self, "Passed on", f"How did the message for {message.for_name} reach them?", labels
        )
        if chosen is None:
            return None
        how = next(w for w in ways if HOW[w] == chosen)
        by = self._who_passed_on(actor)
        if by is None:
            return None
        outcome = ""
        if how in VISIT_WAYS:
            outcome = self._asker.text(self, "Passed on", "What was agreed on the call?") or ""
        done = run_service(
            self._asker,
            self,
            "Not recorded",
            lambda: messages.pass_on(
                self._ctx, actor, message.id, how=how, by_staff_id=by, outcome=outcome
            ),
        )
        self.refresh()
        if done is not None:
            self.status.setText(f"Passed on to {done.for_name} ({HOW[how].lower()}).")
            self.sig_changed.emit(Changes.of(Topic.CALLS))
        return done

    def email_selected(self) -> MessageRow | None:
        message = self.selected("visit")
        if message is None:
            return None
        return self._email(message)

    def print_selected(self, queue: str) -> bool:
        """One click: the chosen message's slip to the A4 printer, recorded as put in the
        pigeonhole only when the printer accepted it; True then."""
        message = self.selected(queue)
        actor = signed_in(self._asker, self, "Not printed", self._actor)
        if message is None or actor is None:
            return False
        if not print_message_slips(self._ctx, self._asker, self, [message], self.status.setText):
            return False
        run_service(
            self._asker,
            self,
            "Not recorded",
            lambda: messages.mark_printed(self._ctx, actor, [message.id], to_pigeonhole=True),
        )
        self.status.setText(f"Slip printed for {message.for_name}'s pigeonhole.")
        self.refresh()
        self.sig_changed.emit(Changes.of(Topic.CALLS))
        return True

    def save_selected(self, queue: str) -> bool:
        """ "Save as PDF…" for the chosen message's slip; nothing is recorded as printed."""
        message = self.selected(queue)
        if message is None:
            return False
        return save_message_slips(self._ctx, self._asker, self, [message], self.status.setText)

    def send_mail_now(self) -> bool:
        """Try the outbox again, off the screen's thread."""
        started = self._mail.send()
        if started:
            self.outbox_label.setText("Sending email…")
        return started

    # --- building -------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        self.setStyleSheet(calls_stylesheet())

        # The form: the order a receptionist asks the questions in.
        self.for_whom = QLineEdit()
        self.for_whom.setPlaceholderText("Name, initials or job: type to search")
        self.for_whom.setAccessibleName("For whom")
        self.for_whom.setToolTip(with_shortcut(TAKE_CALL.action, TAKE_CALL))
        self.for_whom.textEdited.connect(self._on_for_whom_edited)
        # Tab, Up and Down in "For whom" are read here: Tab goes on to the caller and never
        # into the list of matches, whose focus would swallow the caller's name.
        self.for_whom.installEventFilter(self)
        self.suggestion_list = QListWidget()
        self.suggestion_list.setAccessibleName("People matching")
        self.suggestion_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.for_whom.returnPressed.connect(
            lambda: self.choose_recipient(max(self.suggestion_list.currentRow(), 0))
        )
        self.suggestion_list.itemActivated.connect(self._on_suggestion_chosen)
        self.suggestion_list.itemClicked.connect(self._on_suggestion_chosen)
        self.suggestion_list.hide()
        self.person = plain_label(wrap=True)
        self.person.hide()
        self.caller = QLineEdit()
        self.caller.setAccessibleName("Caller's name")
        self.number = QLineEdit()
        self.number.setAccessibleName("Caller's number")
        self.number.setPlaceholderText("e.g. 01632 960 123")
        self.message = QPlainTextEdit()
        self.message.setAccessibleName("Message")
        self.message.setTabChangesFocus(True)
        self.call_back = QCheckBox("Please call back")
        self.will_call_again = QCheckBox("Will call again")
        self.urgent_button = QPushButton("Urgent: pass on now")
        self.can_wait_button = QPushButton("Can wait until their break")
        set_role(self.urgent_button, "urgent")
        set_role(self.can_wait_button, "can-wait")
        for button in (self.urgent_button, self.can_wait_button):
            button.setMinimumHeight(44)
        self.urgent_button.clicked.connect(lambda: self.take_call(urgent=True))
        self.can_wait_button.clicked.connect(lambda: self.take_call(urgent=False))
        self.status = plain_label(wrap=True, role="hint")
        self.pad_button = QPushButton("Print a blank message pad")
        self.pad_button.clicked.connect(
            lambda: print_blank_pad(self._ctx, self._asker, self, report=self.status.setText)
        )
        self.pad_pdf_button = QPushButton("Save pad as PDF…")
        self.pad_pdf_button.setAccessibleName("Save a blank message pad as PDF")
        self.pad_pdf_button.clicked.connect(
            lambda: save_blank_pad(self._ctx, self._asker, self, report=self.status.setText)
        )

        form = QFormLayout()
        form.addRow("For whom", self.for_whom)
        form.addRow("", self.suggestion_list)
        form.addRow("", self.person)
        form.addRow("Caller", self.caller)
        form.addRow("Number", self.number)
        form.addRow("Message", self.message)
        ticks = QHBoxLayout()
        ticks.addWidget(self.call_back)
        ticks.addWidget(self.will_call_again)
        ticks.addStretch(1)
        form.addRow("", ticks)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(plain_label("Take a call", role="heading"))
        left_layout.addLayout(form, 1)
        left_layout.addWidget(plain_label("How urgent is it?", role="section"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.urgent_button)
        buttons.addWidget(self.can_wait_button)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.status)
        left_layout.addStretch(0)
        pad_row = QHBoxLayout()
        pad_row.addWidget(self.pad_button)
        pad_row.addWidget(self.pad_pdf_button)
        left_layout.addLayout(pad_row)

        # The queues.
        tz = self._ctx.timezone
        self.banner = plain_label(wrap=True)
        self.urgent_model = MessageQueueModel(tz, "urgent", self)
        self.deliver_model = MessageQueueModel(tz, "deliver", self)
        self.waiting_model = MessageQueueModel(tz, "waiting", self)
        self.visit_model = MessageQueueModel(tz, "visit", self)
        self.urgent_table = self._table(self.urgent_model, "Urgent calls to pass on now")
        self.deliver_table = self._table(self.deliver_model, "Messages to deliver now")
        self.waiting_table = self._table(self.waiting_model, "Messages waiting for a break")
        self.visit_table = self._table(self.visit_model, "Messages for staff on a visit")
        self._tables = {
            "urgent": (self.urgent_table, self.urgent_model),
            "deliver": (self.deliver_table, self.deliver_model),
            "waiting": (self.waiting_table, self.waiting_model),
            "visit": (self.visit_table, self.visit_model),
        }

        self.urgent_passed = QPushButton("Passed on…")
        self.urgent_passed.clicked.connect(lambda: self.pass_on_selected("urgent"))
        self.deliver_passed = QPushButton("Passed on…")
        self.deliver_passed.clicked.connect(lambda: self.pass_on_selected("deliver"))
        self.deliver_print = QPushButton("Print slip for pigeonhole")
        self.deliver_print.clicked.connect(lambda: self.print_selected("deliver"))
        self.deliver_save = QPushButton("Save as PDF…")
        self.deliver_save.setAccessibleName("Save the slip as PDF")
        self.deliver_save.clicked.connect(lambda: self.save_selected("deliver"))
        self.waiting_passed = QPushButton("Passed on early…")
        self.waiting_passed.clicked.connect(lambda: self.pass_on_selected("waiting"))
        self.visit_email = QPushButton("Email it")
        self.visit_email.clicked.connect(self.email_selected)
        self.visit_print = QPushButton("Print slip for pigeonhole")
        self.visit_print.clicked.connect(lambda: self.print_selected("visit"))
        self.visit_save = QPushButton("Save as PDF…")
        self.visit_save.setAccessibleName("Save the slip as PDF")
        self.visit_save.clicked.connect(lambda: self.save_selected("visit"))
        self.outbox_label = plain_label(wrap=True, role="hint")
        self.retry_button = QPushButton("Send email now")
        self.retry_button.clicked.connect(self.send_mail_now)
        self.send_again_button = QPushButton("Send again…")
        self.send_again_button.setAccessibleName("Send again the emails that may not have arrived")
        self.send_again_button.clicked.connect(self.send_uncertain_again)
        self.send_again_button.hide()

        self.urgent_box = self._box("Pass on now", "urgent", self.urgent_table, self.urgent_passed)
        self.deliver_box = self._box(
            "Deliver now",
            "deliver",
            self.deliver_table,
            self.deliver_passed,
            self.deliver_print,
            self.deliver_save,
        )
        self.waiting_box = self._box(
            "Waiting for a break", None, self.waiting_table, self.waiting_passed
        )
        self.visit_box = self._box(
            "For staff out on a visit",
            None,
            self.visit_table,
            self.visit_email,
            self.visit_print,
            self.visit_save,
        )
        outbox_row = QHBoxLayout()
        outbox_row.addWidget(self.outbox_label, 1)
        outbox_row.addWidget(self.retry_button)
        outbox_row.addWidget(self.send_again_button)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.banner)
        right_layout.addWidget(self.urgent_box, 3)
        right_layout.addWidget(self.deliver_box, 2)
        right_layout.addWidget(self.waiting_box, 2)
        right_layout.addWidget(self.visit_box, 2)
        right_layout.addLayout(outbox_row)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        # On a short screen each column scrolls rather than making the window taller.
        splitter.addWidget(vertical_scroll(left))
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(splitter)

        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._on_tick)
        self._tick.start()
        self._recheck = QTimer(self)
        self._recheck.setInterval(RECHECK_MS)
        self._recheck.timeout.connect(self._on_recheck)
        self._recheck.start()
        self._mail_retry = QTimer(self)
        self._mail_retry.setInterval(MAIL_RETRY_MS)
        self._mail_retry.timeout.connect(self._on_mail_retry)
        self._mail_retry.start()

    def _table(self, model: MessageQueueModel, name: str) -> AttentionTableView:
        table = AttentionTableView()
        table.setModel(model)
        table.setAccessibleName(name)
        # At least the heading and one call, so that the four queues fit a 720-pixel screen.
        table.setMinimumHeight(
            table.horizontalHeader().sizeHint().height()
            + table.verticalHeader().defaultSectionSize()
            + 2 * table.frameWidth()
        )
        table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        return table

    def _box(
        self, title: str, role: str | None, table: AttentionTableView, *buttons: QPushButton
    ) -> QGroupBox:
        box = QGroupBox(title)
        if role is not None:
            box.setProperty("role", role)
        layout = QVBoxLayout(box)
        layout.addWidget(table, 1)
        row = QHBoxLayout()
        for button in buttons:
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        return box

    # --- helpers --------------------------------------------------------------------------

    def _saved_text(self, message: MessageRow) -> str:
        if message.urgent and message.visit is not None:
            return (
                f"Urgent, and {message.for_name} is out on a visit: call the visit lead "
                f"{message.visit.lead_name} on {message.visit.lead_mobile}"
                + (
                    f" (deputy {message.visit.deputy_name} {message.visit.deputy_mobile})"
                    if message.visit.deputy_name
                    else ""
                )
                + ", then mark it passed on."
            )
        if message.urgent:
            return f"Urgent message for {message.for_name}: pass it on now."
        if message.visit is not None:
            return f"{message.for_name} is out on a visit: email the message or print a slip."
        if message.held_until is not None:
            when = say_when(message.held_until, self._ctx.clock(), self._ctx.timezone)
            until = f"{message.held_for} {when}" if message.held_for else when
            return f"Saved for {message.for_name}: it will be ready to deliver at {until}."
        return f"Saved for {message.for_name}."

    def _clear_form(self) -> None:
        for field in (self.for_whom, self.caller, self.number):
            field.clear()
        self.message.clear()
        self.call_back.setChecked(False)
        self.will_call_again.setChecked(False)
        self._recipient = None
        self._suggested = []
        self.suggestion_list.clear()
        self.suggestion_list.hide()
        self.person.hide()
        self.for_whom.setFocus()

    def _set_recipient(self, recipient: Recipient) -> None:
        self._recipient = recipient
        self.for_whom.setText(recipient.name)
        self.suggestion_list.hide()
        self.person.setText(self._person_text(recipient))
        set_role(self.person, "visit-out" if "out on a visit" in self.person.text() else "hint")
        self.person.show()
        self.caller.setFocus()

    def _person_text(self, recipient: Recipient) -> str:
        if recipient.staff_id is None:
            return recipient.detail or "Not in the staff directory."
        try:
            entry = get_entry(self._ctx, recipient.staff_id)
            today = self._ctx.clock().astimezone(self._ctx.timezone).date()
            visits = [
                v for v in trips_on(self._ctx, today) if recipient.staff_id in dict(v.attending)
            ]
        except KioskError as error:
            return error.message
        parts = [
            p
            for p in (
                entry.job_title,
                f"ext {entry.extension}" if entry.extension else "",
                f"pigeonhole {entry.pigeonhole}" if entry.pigeonhole else "",
            )
            if p
        ]
        text = " · ".join(parts)
        if visits:
            visit = visits[0]
            text = (
                f"{entry.name} is out on a visit today ({visit.destination}). "
                f"Lead: {visit.lead_name} {visit.lead_mobile}"
                + (
                    f"; deputy: {visit.deputy_name} {visit.deputy_mobile}"
                    if visit.deputy_name
                    else ""
                )
                + "."
            )
        return text

    def _who_passed_on(self, actor: Actor) -> int | None:
        """Who took the message to the person: the one signed in, or a colleague."""
        try:
            others = [e for e in list_directory(self._ctx) if e.id != actor.staff_id]
        except KioskError:
            others = []
        names = [f"Me ({actor.name})"] + [e.name for e in others]
        chosen = self._asker.choice(self, "Passed on", "Who passed it on?", names)
        if chosen is None:
            return None
        if chosen == names[0]:
            return actor.staff_id
        return next((e.id for e in others if e.name == chosen), None)

    def _send_to_visit(self, message: MessageRow) -> None:
        options = []
        if message.for_email:
            options.append(f"Email it to {message.for_email}")
        options += ["Print a slip for the pigeonhole", LATER]
        chosen = self._asker.choice(
            self,
            "Out on a visit",
            f"{message.for_name} is out on a visit today. How should the message reach them?",
            options,
        )
        if chosen is None or chosen == LATER:
            return
        self.select("visit", message.id)
        if chosen.startswith("Email"):
            self._email(message)
        else:
            self.print_selected("visit")

    def _email(self, message: MessageRow) -> MessageRow | None:
        actor = signed_in(self._asker, self, "Not emailed", self._actor)
        if actor is None:
            return None
        result = run_service(
            self._asker,
            self,
            "Not emailed",
            lambda: messages.email_message(self._ctx, actor, message.id, send_now=False),
        )
        if result is None:
            return None
        self.status.setText(f"Emailing the message to {message.for_email}…")
        self.refresh()
        self.send_mail_now()
        return result[0]

    def _update_banner(self) -> None:
        queues = self._queues
        if queues is None:
            return
        urgent = queues.pass_on_now
        if not urgent:
            self.banner.setText("No urgent calls waiting.")
            set_role(self.banner, "calm-banner")
            return
        now = self._ctx.clock()
        oldest = min(m.taken_at for m in urgent)
        from ui.models.messages import waited

        count = "1 urgent call" if len(urgent) == 1 else f"{len(urgent)} urgent calls"
        self.banner.setText(f"{count} to pass on now: waiting {waited(oldest, now)}")
        set_role(self.banner, "urgent-banner-flash" if self._flash else "urgent-banner")

    def _update_outbox(self, queued: int) -> None:
        try:
            waiting = outbox(self._ctx)
        except KioskError:
            waiting = []
        uncertain = [m for m in waiting if m.state == "uncertain"]
        self.send_again_button.setVisible(bool(uncertain))
        if not queued and not uncertain:
            self.outbox_label.setText("")
            self.retry_button.hide()
            return
        parts = []
        if queued:
            reason = next(
                (m.last_error for m in reversed(waiting) if m.state == "queued" and m.last_error),
                "",
            )
            parts.append(
                f"{'1 email' if queued == 1 else f'{queued} emails'} waiting to be sent"
                + (f": {reason}" if reason else ".")
                + " They are kept and tried again every minute."
            )
        if uncertain:
            # Never sent again on its own: a second copy is the receptionist's decision.
            names = ", ".join(sorted({m.to_address for m in uncertain}))
            parts.append(
                f"{'1 email' if len(uncertain) == 1 else f'{len(uncertain)} emails'} to "
                f"{names} may not have arrived (sending stopped part-way). Check with the "
                "recipient; it is not sent again unless you choose Send again."
            )
        self.outbox_label.setText(" ".join(parts))
        attention = bool(uncertain) or any(m.last_error for m in waiting if m.state == "queued")
        set_role(self.outbox_label, "inline-error" if attention else "hint")
        self.retry_button.setVisible(bool(queued))

    def send_uncertain_again(self) -> int:
        """Put the emails that may not have arrived back in the outbox and send them, once
        the receptionist confirms the recipients did not get them. Returns how many."""
        actor = signed_in(self._asker, self, "Not sent again", self._actor)
        if actor is None:
            return 0
        try:
            uncertain = [m for m in outbox(self._ctx) if m.state == "uncertain"]
        except KioskError as error:
            self._asker.error(self, "Not sent again", error.message)
            return 0
        if not uncertain or not self._asker.confirm(
            self,
            "Send again",
            "Sending stopped part-way, so these emails may already have arrived:\n"
            + "\n".join(f"{m.subject} (to {m.to_address})" for m in uncertain)
            + "\n\nSend them again? The recipient may get two copies.",
        ):
            return 0
        done = 0
        for mail in uncertain:
            if run_service(
                self._asker,
                self,
                "Not sent again",
                partial(send_again, self._ctx, actor, mail.id),
            ):
                done += 1
        self.refresh()
        if done:
            self.send_mail_now()
        return done

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """In "For whom": Up and Down move through the matches, Tab leaves for the caller's
        name (taking the match when there is only one, else keeping the name as typed)."""
        if watched is self.for_whom and event.type() == QEvent.Type.KeyPress:
            key = cast(QKeyEvent, event).key()
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and self.suggestion_list.isVisible():
                step = -1 if key == Qt.Key.Key_Up else 1
                row = self.suggestion_list.currentRow() + step
                if 0 <= row < self.suggestion_list.count():
                    self.suggestion_list.setCurrentRow(row)
                return True
            if key == Qt.Key.Key_Tab and self.suggestion_list.isVisible():
                if len(self._suggested) == 1:
                    self.choose_recipient(0)
                else:
                    self.suggestion_list.hide()
                self.caller.setFocus(Qt.FocusReason.TabFocusReason)
                return True
        return super().eventFilter(watched, event)

    # --- slots ----------------------------------------------------------------------------

    def _on_for_whom_edited(self, text: str) -> None:
        self._recipient = None
        self.person.hide()
        self.suggestion_list.clear()
        if not text.strip():
            self._suggested = []
            self.suggestion_list.hide()
            return
        try:
            self._suggested = find_recipients(self._ctx, text)
        except KioskError:
            self._suggested = []
        for recipient in self._suggested:
            label = recipient.name + (f"  ({recipient.detail})" if recipient.detail else "")
            self.suggestion_list.addItem(QListWidgetItem(label))
        if self._suggested:
            self.suggestion_list.setCurrentRow(0)
            rows = min(len(self._suggested), 6)
            self.suggestion_list.setFixedHeight(
                rows * self.suggestion_list.sizeHintForRow(0)
                + 2 * self.suggestion_list.frameWidth()
            )
            self.suggestion_list.show()
        else:
            self.suggestion_list.hide()
            self.person.setText(
                "Not in the staff directory: the message will be for the name as typed "
                "(for example a visitor on site)."
            )
            set_role(self.person, "hint")
            self.person.show()

    def _on_suggestion_chosen(self, item: QListWidgetItem) -> None:
        self.choose_recipient(self.suggestion_list.row(item))

    def _on_selection_changed(self, *_args: object) -> None:
        self.urgent_passed.setEnabled(self.selected("urgent") is not None)
        has_deliver = self.selected("deliver") is not None
        self.deliver_passed.setEnabled(has_deliver)
        self.deliver_print.setEnabled(has_deliver)
        self.deliver_save.setEnabled(has_deliver)
        self.waiting_passed.setEnabled(self.selected("waiting") is not None)
        visit = self.selected("visit")
        self.visit_email.setEnabled(
            visit is not None
            and bool(visit.for_email)
            and visit.mail_state not in ("queued", "sending")
        )
        self.visit_print.setEnabled(visit is not None)
        self.visit_save.setEnabled(visit is not None)

    def _on_tick(self) -> None:
        now = self._ctx.clock()
        self.urgent_model.set_now(now)
        if self._queues is not None and self._queues.pass_on_now:
            self._flash = not self._flash
            self._update_banner()

    def _on_recheck(self) -> None:
        # Only while the desk window is up; a closed window has nothing to show.
        if not self.window().isVisible():
            return
        try:
            self.refresh()
        except SQLAlchemyError:
            self.status.setText(
                "The messages could not be read just now; the desk will try again shortly."
            )

    def _on_mail_retry(self) -> None:
        if not self.window().isVisible():
            return
        if self._queues is not None and self._queues.mail_queued:
            self.send_mail_now()

    def _on_mail_done(self, result: object) -> None:
        if isinstance(result, SQLAlchemyError):
            self.outbox_label.setText(
                "The outbox could not be read just now; email will be tried again shortly."
            )
            return
        if isinstance(result, SendReport) and result.sent:
            self.status.setText(
                f"{'1 email' if result.sent == 1 else f'{result.sent} emails'} sent."
            )
            self.sig_changed.emit(Changes.of(Topic.CALLS))
        self.refresh()
