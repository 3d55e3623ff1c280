"""The telephone log at the desk: record a call to a parent or carer, a personal call on a
school phone, or an emergency call made from a personal device; list calls between two
dates and export them to CSV."""

from __future__ import annotations

from datetime import date, datetime, time

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.changes import Changes, Topic
from kiosk.context import KioskContext
from kiosk.errors import InvalidInput, KioskError
from kiosk.rows.calls import CALL_KINDS, PHONES_USED, CallLogRow
from kiosk.rows.lists import ListTable, phone_log_table
from kiosk.services import phone_log
from kiosk.services.directory import list_directory
from kiosk.services.pupils import search_pupils
from ui.ask import Asker
from ui.components.common import ActorSource, run_service, signed_in
from ui.components.desk.panel import DeskPanel
from ui.components.output import ListOutput
from ui.models.calls import CallLogModel
from ui.widgets.labels import plain_label
from ui.widgets.output_buttons import OutputButtons
from ui.widgets.pupil_picker import PupilPicker
from ui.widgets.scrolling import vertical_scroll
from ui.widgets.tables import AttentionTableView
from ui.widgets.time_fields import DateTimeField

NOBODY = "(nobody)"
NO_PUPIL = "(no pupil)"


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class PhoneLogPanel(DeskPanel):
    """The telephone log: calls made to parents and carers, and putting one on record."""

    title = "Phone log"
    shows = frozenset({Topic.CALLS, Topic.STAFF, Topic.PUPILS})

    def __init__(
        self, ctx: KioskContext, actor: ActorSource, asker: Asker, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, actor, asker, parent)
        # Set once someone changes the call's time or who made it by hand; until then both
        # follow the clock and the signed-in member of staff.
        self._when_chosen = False
        self._made_by_chosen = False
        self._setting_now = False
        self._setup_ui()

    # --- public ---------------------------------------------------------------------------

    def refresh(self) -> None:
        try:
            staff = [(e.id, e.name) for e in list_directory(self._ctx)]
            calls = phone_log.calls_between(
                self._ctx,
                _date(self.from_date.date()),
                _date(self.to_date.date()),
                kind=self.kind_filter.currentData(),
            )
        except KioskError as error:
            self.message.setText(error.message)
            return
        self.output.show_printer()
        for combo, first in ((self.staff, None), (self.permitted_by, NOBODY)):
            chosen = combo.currentData()
            if combo is self.staff and not self._made_by_chosen:
                chosen = self._signed_in_staff_id()
            combo.clear()
            if first is not None:
                combo.addItem(first, None)
            for staff_id, name in staff:
                combo.addItem(name, staff_id)
            index = combo.findData(chosen)
            combo.setCurrentIndex(max(index, 0))
        self.model.set_rows(calls)
        self.table.fit_columns()
        self.count.setText(f"{len(calls)} call{'' if len(calls) == 1 else 's'} in these dates.")

    def save_call(self) -> CallLogRow | None:
        actor = signed_in(self._asker, self, "Call not recorded", self._actor)
        if actor is None:
            return None
        staff_id = self.staff.currentData()
        if staff_id is None:
            self._asker.error(self, "Call not recorded", "Choose who made the call.")
            return None
        # The time as shown, read in the school's time zone (not the computer's).
        shown_day, shown_time = self.called_at.date(), self.called_at.time()
        when = datetime.combine(
            _date(shown_day), time(shown_time.hour(), shown_time.minute()), self._ctx.timezone
        )
        pupil = self.picker.pupil()
        saved = run_service(
            self._asker,
            self,
            "Call not recorded",
            lambda: phone_log.log_call(
                self._ctx,
                actor,
                kind=self.kind.currentData(),
                staff_id=staff_id,
                phone_used=self.phone.currentData(),
                purpose=self.purpose.toPlainText(),
                called_at=when,
                pupil_id=pupil.id if pupil is not None else None,
                contact=self.contact.text(),
                number=self.number.text(),
                number_withheld=self.withheld.isChecked(),
                permitted_by=self.permitted_by.currentData(),
                outcome=self.outcome.toPlainText(),
            ),
        )
        if saved is None:
            return None
        self.message.setText(f"{CALL_KINDS[saved.kind]} by {saved.staff_name} is on record.")
        for field in (self.contact, self.number):
            field.clear()
        self.picker.clear()
        self.purpose.clear()
        self.outcome.clear()
        self.withheld.setChecked(False)
        self._when_chosen = self._made_by_chosen = False
        self._set_now()
        self.refresh()
        self.sig_changed.emit(Changes.of(Topic.CALLS))
        return saved

    def export(self) -> int | None:
        """ "Export CSV…" for the calls shown (dates and kind as filtered); the row count,
        or None when cancelled or refused."""
        return self.output.export_list_csv()

    def shown_calls_table(self) -> ListTable:
        """The calls as filtered on screen, as the telephone log's table. Raises
        :class:`InvalidInput` when the end date is before the start date."""
        start, end = _date(self.from_date.date()), _date(self.to_date.date())
        if end < start:
            raise InvalidInput("The end date is before the start date.")
        calls = phone_log.calls_between(self._ctx, start, end, kind=self.kind_filter.currentData())
        return phone_log_table(calls, self._ctx.timezone, start, end)

    # --- building -------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        self.kind = QComboBox()
        for key, label in CALL_KINDS.items():
            self.kind.addItem(label, key)
        self.staff = QComboBox()
        self.staff.setAccessibleName("Member of staff who called")
        self.picker = PupilPicker(
            lambda text: search_pupils(self._ctx, text, limit=15),
            describe=lambda pupil: f"{pupil.name} ({pupil.form})",
            nobody=NO_PUPIL,
            placeholder="Type a pupil's name or form",
            accessible_name="Pupil",
            results_height=90,
        )
        self.contact = QLineEdit()
        self.contact.setPlaceholderText("e.g. Mrs Kelly (mother)")
        self.number = QLineEdit()
        self.phone = QComboBox()
        for key, label in PHONES_USED.items():
            self.phone.addItem(label, key)
        self.withheld = QCheckBox("Number withheld")
        self.permitted_by = QComboBox()
        self.permitted_by.setAccessibleName("Permitted by")
        self.called_at = DateTimeField()
        self.called_at.setCalendarPopup(True)
        self.called_at.setDisplayFormat("ddd dd MMM yyyy HH:mm")
        self._set_now()
        self.called_at.dateTimeChanged.connect(lambda _when: self._on_when_changed())
        self.staff.activated.connect(lambda _index: self._on_made_by_chosen())
        self.purpose = QPlainTextEdit()
        self.purpose.setMaximumHeight(70)
        self.purpose.setTabChangesFocus(True)
        self.outcome = QPlainTextEdit()
        self.outcome.setMaximumHeight(70)
        self.outcome.setTabChangesFocus(True)
        save = QPushButton("Put the call on record")
        save.setMinimumHeight(36)
        save.clicked.connect(self.save_call)

        form = QFormLayout()
        form.addRow("Kind of call", self.kind)
        form.addRow("Made by", self.staff)
        form.addRow("Pupil", self.picker)
        form.addRow("Parent or carer", self.contact)
        form.addRow("Number called", self.number)
        form.addRow("Phone used", self.phone)
        form.addRow("", self.withheld)
        form.addRow("Permitted by", self.permitted_by)
        form.addRow("When", self.called_at)
        form.addRow("Purpose / what happened", self.purpose)
        form.addRow("Outcome", self.outcome)
        left = QVBoxLayout()
        left.addWidget(plain_label("Record a call", role="heading"))
        left.addWidget(
            plain_label(
                "Families are called on school phones. From a personal phone the number is "
                "withheld and someone senior agrees first. An emergency call from a personal "
                "device is recorded here as part of the incident.",
                role="hint",
                wrap=True,
            )
        )
        left.addLayout(form)
        left.addWidget(save)
        self.message = plain_label(wrap=True)
        left.addWidget(self.message)
        left.addStretch(1)

        today = self._ctx.clock().astimezone(self._ctx.timezone).date()
        self.from_date = QDateEdit(_qdate(today.replace(day=1)))
        self.to_date = QDateEdit(_qdate(today))
        for edit in (self.from_date, self.to_date):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd MMM yyyy")
            edit.dateChanged.connect(lambda _d: self.refresh())
        self.kind_filter = QComboBox()
        self.kind_filter.addItem("All calls", None)
        for key, label in CALL_KINDS.items():
            self.kind_filter.addItem(label, key)
        self.kind_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.status = plain_label(role="hint", wrap=True)
        self.output = ListOutput(
            self._ctx,
            self._asker,
            self,
            OutputButtons("the telephone log"),
            self.shown_calls_table,
            self.status.setText,
        )
        filters = QHBoxLayout()
        filters.addWidget(plain_label("From"))
        filters.addWidget(self.from_date)
        filters.addWidget(plain_label("to"))
        filters.addWidget(self.to_date)
        filters.addWidget(self.kind_filter)
        filters.addStretch(1)
        self.count = plain_label(role="summary")
        # Print, save and export sit on the count's line, so the filters above fit beside
        # the form at 1280 px.
        summary = QHBoxLayout()
        summary.addWidget(self.count, 1)
        summary.addWidget(self.output.buttons)
        self.model = CallLogModel(self._ctx.timezone, self)
        self.table = AttentionTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Telephone log")
        right = QVBoxLayout()
        right.addLayout(filters)
        right.addLayout(summary)
        right.addWidget(self.table, 1)
        right.addWidget(self.status)

        form_column = QWidget()
        form_column.setLayout(left)
        layout = QHBoxLayout(self)
        # On a short screen the form scrolls rather than making the window taller.
        layout.addWidget(vertical_scroll(form_column), 2)
        layout.addLayout(right, 5)

    def showEvent(self, event: QShowEvent) -> None:
        """Each time the log is opened, a call not yet touched is dated now and made by the
        member of staff signed in (the likeliest values; both can be changed)."""
        if not self._when_chosen:
            self._set_now()
        if not self._made_by_chosen:
            index = self.staff.findData(self._signed_in_staff_id())
            if index >= 0:
                self.staff.setCurrentIndex(index)
        super().showEvent(event)

    def _signed_in_staff_id(self) -> int | None:
        who = self._actor()
        return who.staff_id if who is not None else None

    def _set_now(self) -> None:
        local = self._ctx.clock().astimezone(self._ctx.timezone)
        self._setting_now = True
        try:
            self.called_at.setDateTime(
                QDateTime(_qdate(local.date()), QTime(local.hour, local.minute))
            )
        finally:
            self._setting_now = False

    def _on_when_changed(self) -> None:
        if not self._setting_now:
            self._when_chosen = True

    def _on_made_by_chosen(self) -> None:
        self._made_by_chosen = True
