"""Educational visits at the desk: the visits coming up, each with its lead and deputy and
the numbers school calls them on, the staff attending, and the printed record sheet."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.changes import Changes, Topic
from kiosk.context import KioskContext
from kiosk.errors import InvalidInput, KioskError
from kiosk.printing.trip_sheet import trip_sheet_pdf_bytes
from kiosk.rows.calls import DirectoryEntry, TripRow
from kiosk.services import trips
from kiosk.services.directory import list_directory
from kiosk.services.school import get_school
from ui.ask import Asker
from ui.components.common import ActorSource, run_service, signed_in
from ui.components.desk.panel import DeskPanel
from ui.components.output import file_name, print_document, save_pdf
from ui.models.calls import TripsModel
from ui.widgets.labels import plain_label
from ui.widgets.tables import AttentionTableView

NOBODY = "(no deputy)"
LOOK_AHEAD_DAYS = 90
_TIME = re.compile(r"(\d{1,2})[:.](\d{2})")


def _parse_time(text: str, label: str) -> time | None:
    text = text.strip()
    if not text:
        return None
    match = _TIME.fullmatch(text)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise InvalidInput(f"Write the {label} as a time such as 08:45.")
    return time(int(match[1]), int(match[2]))


class VisitsPanel(DeskPanel):
    """Educational trips ("visits" on the tab) over the coming weeks: add, change, cancel."""

    title = "Trips out"
    shows = frozenset({Topic.STAFF})

    def __init__(
        self, ctx: KioskContext, actor: ActorSource, asker: Asker, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, actor, asker, parent)
        self._editing: int | None = None
        self._staff: list[DirectoryEntry] = []
        self._setup_ui()

    # --- public ---------------------------------------------------------------------------

    def refresh(self) -> None:
        today = self._ctx.clock().astimezone(self._ctx.timezone).date()
        try:
            self._staff = list_directory(self._ctx)
            rows = trips.trips_between(
                self._ctx, today, today + timedelta(days=LOOK_AHEAD_DAYS), include_cancelled=True
            )
        except KioskError as error:
            self.message.setText(error.message)
            return
        self.model.set_rows(rows)
        self.table.fit_columns()
        for combo, first in ((self.lead, None), (self.deputy, NOBODY)):
            chosen = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            if first:
                combo.addItem(first, None)
            for entry in self._staff:
                combo.addItem(entry.name, entry.id)
            combo.setCurrentIndex(max(combo.findData(chosen), 0))
            combo.blockSignals(False)
        # The lead shown first is chosen without a change signal: fill their mobile too.
        self._fill_mobile(self.lead, self.lead_mobile)
        ticked = self.attending_ids()
        self.attending.clear()
        for entry in self._staff:
            item = QListWidgetItem(entry.name)
            item.setData(Qt.ItemDataRole.UserRole, entry.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if entry.id in ticked else Qt.CheckState.Unchecked
            )
            self.attending.addItem(item)

    def attending_ids(self) -> set[int]:
        return {
            self.attending.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.attending.count())
            if self.attending.item(i).checkState() == Qt.CheckState.Checked
        }

    def set_attending(self, staff_ids: set[int]) -> None:
        for i in range(self.attending.count()):
            item = self.attending.item(i)
            checked = item.data(Qt.ItemDataRole.UserRole) in staff_ids
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def new_visit(self) -> None:
        self._editing = None
        self.form_title.setText("New visit")
        today = self._ctx.clock().astimezone(self._ctx.timezone).date()
        self.on_date.setDate(QDate(today.year, today.month, today.day))
        for field in (self.destination, self.leaves, self.returns, self.lead_mobile):
            field.clear()
        self.deputy_mobile.clear()
        self.notes.clear()
        self.deputy.setCurrentIndex(0)
        self.set_attending(set())

    def save_visit(self) -> TripRow | None:
        actor = signed_in(self._asker, self, "Visit not saved", self._actor)
        if actor is None:
            return None
        lead_id = self.lead.currentData()
        if lead_id is None:
            self._asker.error(self, "Visit not saved", "Choose the visit lead.")
            return None
        day = self.on_date.date()

        def save() -> TripRow:
            return trips.save_trip(
                self._ctx,
                actor,
                trip_id=self._editing,
                on_date=date(day.year(), day.month(), day.day()),
                destination=self.destination.text(),
                lead_id=lead_id,
                lead_mobile=self.lead_mobile.text(),
                deputy_id=self.deputy.currentData(),
                deputy_mobile=self.deputy_mobile.text(),
                attending=sorted(self.attending_ids()),
                leaves_at=_parse_time(self.leaves.text(), "leaving time"),
                returns_at=_parse_time(self.returns.text(), "return time"),
                notes=self.notes.toPlainText(),
            )

        saved = run_service(self._asker, self, "Visit not saved", save)
        if saved is None:
            return None
        self._editing = saved.id
        self.message.setText(f"Visit to {saved.destination} saved.")
        self.refresh()
        self.sig_changed.emit(Changes.of(Topic.STAFF))
        return saved

    def cancel_selected(self) -> TripRow | None:
        visit = self._selected()
        actor = signed_in(self._asker, self, "Not cancelled", self._actor)
        if visit is None or actor is None:
            return None
        if not self._asker.confirm(
            self,
            "Cancel visit",
            f"Cancel the visit to {visit.destination} on {visit.on_date:%d %b}?",
        ):
            return None
        done = run_service(
            self._asker,
            self,
            "Not cancelled",
            lambda: trips.cancel_trip(self._ctx, actor, visit.id),
        )
        self.refresh()
        if done is not None:
            self.sig_changed.emit(Changes.of(Topic.STAFF))
        return done

    def print_selected(self) -> bool:
        """One click: the chosen visit's record sheet to the A4 printer; True when the
        printer accepted it."""
        made = self._sheet()
        if made is None:
            return False
        return print_document(
            self._ctx,
            self._asker,
            self,
            made[1],
            title=made[0],
            suggested=file_name(made[0]),
            report=self.message.setText,
        )

    def save_selected(self) -> bool:
        """ "Save as PDF…" for the chosen visit's record sheet; True when saved."""
        made = self._sheet()
        if made is None:
            return False
        saved = save_pdf(
            self._asker, self, made[1], file_name(made[0]), report=self.message.setText
        )
        return saved is not None

    def _sheet(self) -> tuple[str, bytes] | None:
        visit = self._selected()
        if visit is None:
            return None
        data = trip_sheet_pdf_bytes(
            visit, get_school(self._ctx).name, self._ctx.clock().astimezone(self._ctx.timezone)
        )
        return f"Visit record {visit.on_date}", data

    # --- building -------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        self.model = TripsModel(self)
        self.table = AttentionTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Educational visits")
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        cancel = QPushButton("Cancel visit…")
        cancel.clicked.connect(self.cancel_selected)
        print_sheet = QPushButton("Print record sheet")
        print_sheet.clicked.connect(self.print_selected)
        save_sheet = QPushButton("Save as PDF…")
        save_sheet.setAccessibleName("Save the record sheet as PDF")
        save_sheet.clicked.connect(self.save_selected)
        row = QHBoxLayout()
        row.addWidget(print_sheet)
        row.addWidget(save_sheet)
        row.addWidget(cancel)
        row.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(plain_label("Educational visits (today and coming up)", role="heading"))
        left.addWidget(self.table, 1)
        left.addLayout(row)

        self.form_title = plain_label("New visit", role="section")
        self.on_date = QDateEdit()
        self.on_date.setCalendarPopup(True)
        self.on_date.setDisplayFormat("ddd dd MMM yyyy")
        self.destination = QLineEdit()
        self.leaves = QLineEdit()
        self.leaves.setPlaceholderText("e.g. 09:15")
        self.returns = QLineEdit()
        self.returns.setPlaceholderText("e.g. 15:00")
        self.lead = QComboBox()
        self.lead.setAccessibleName("Visit lead")
        self.lead_mobile = QLineEdit()
        self.lead.currentIndexChanged.connect(
            lambda _i: self._fill_mobile(self.lead, self.lead_mobile)
        )
        self.deputy = QComboBox()
        self.deputy.setAccessibleName("Deputy")
        self.deputy_mobile = QLineEdit()
        self.deputy.currentIndexChanged.connect(
            lambda _i: self._fill_mobile(self.deputy, self.deputy_mobile)
        )
        self.attending = QListWidget()
        self.attending.setAccessibleName("Staff attending")
        self.notes = QPlainTextEdit()
        self.notes.setMaximumHeight(60)
        form = QFormLayout()
        form.addRow("Date", self.on_date)
        form.addRow("Destination", self.destination)
        form.addRow("Leaves", self.leaves)
        form.addRow("Returns", self.returns)
        form.addRow("Lead", self.lead)
        form.addRow("Lead's mobile", self.lead_mobile)
        form.addRow("Deputy", self.deputy)
        form.addRow("Deputy's mobile", self.deputy_mobile)
        form.addRow("Staff attending", self.attending)
        form.addRow("Notes", self.notes)
        save = QPushButton("Save visit")
        save.clicked.connect(self.save_visit)
        new = QPushButton("New visit")
        new.clicked.connect(self.new_visit)
        buttons = QHBoxLayout()
        buttons.addWidget(save)
        buttons.addWidget(new)
        buttons.addStretch(1)
        self.message = plain_label(wrap=True)
        right = QVBoxLayout()
        right.addWidget(self.form_title)
        right.addLayout(form, 1)
        right.addLayout(buttons)
        right.addWidget(self.message)

        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addLayout(right, 2)
        self.new_visit()

    def _selected(self) -> TripRow | None:
        rows = self.table.selected_rows()
        return self.model.row_at(rows[0]) if rows else None

    def _fill_mobile(self, combo: QComboBox, field: QLineEdit) -> None:
        entry = next((e for e in self._staff if e.id == combo.currentData()), None)
        if entry is not None and entry.mobile and not field.text():
            field.setText(entry.mobile)

    # --- slots ----------------------------------------------------------------------------

    def _on_selection_changed(self, *_args: object) -> None:
        visit = self._selected()
        if visit is None:
            return
        self._editing = visit.id
        self.form_title.setText(f"Visit to {visit.destination}")
        self.on_date.setDate(QDate(visit.on_date.year, visit.on_date.month, visit.on_date.day))
        self.destination.setText(visit.destination)
        self.leaves.setText(f"{visit.leaves_at:%H:%M}" if visit.leaves_at else "")
        self.returns.setText(f"{visit.returns_at:%H:%M}" if visit.returns_at else "")
        self.lead.setCurrentIndex(max(self.lead.findData(visit.lead_id), 0))
        self.lead_mobile.setText(visit.lead_mobile)
        self.deputy.setCurrentIndex(max(self.deputy.findData(visit.deputy_id), 0))
        self.deputy_mobile.setText(visit.deputy_mobile)
        self.notes.setPlainText(visit.notes)
        self.set_attending({staff_id for staff_id, _name in visit.attending})
