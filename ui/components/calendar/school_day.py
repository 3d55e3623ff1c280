"""The school day at the desk: each weekday's periods, breaks, lunch and end of day (a
message that can wait is held until the person's next break), the term dates and closure
days. Managers change them; everyone can see them."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, time

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.changes import Changes, Topic
from kiosk.clock import say_when
from kiosk.context import KioskContext
from kiosk.errors import InvalidInput, KioskError
from kiosk.rows.people import Actor
from kiosk.services import calendar
from kiosk.services.calendar import KINDS, WEEKDAYS
from ui.ask import Asker
from ui.components.common import ActorSource, run_service, signed_in
from ui.components.desk.panel import DeskPanel
from ui.widgets.labels import plain_label

_TIME = re.compile(r"(\d{1,2})[:.](\d{2})")
NAME, KIND, STARTS, ENDS = range(4)


def _parse(text: str, row: int, label: str) -> time:
    match = _TIME.fullmatch(text.strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise InvalidInput(f"Row {row + 1}: write the {label} as a time such as 10:40.")
    return time(int(match[1]), int(match[2]))


def _date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class SchoolDayPanel(DeskPanel):
    """Periods of each weekday, terms and closure days."""

    title = "School day"
    shows = frozenset({Topic.CALENDAR})
    manager_only = True

    def __init__(
        self, ctx: KioskContext, actor: ActorSource, asker: Asker, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, actor, asker, parent)
        self._setup_ui()

    # --- public ---------------------------------------------------------------------------

    def refresh(self) -> None:
        try:
            school_calendar = calendar.school_calendar(self._ctx)
            periods = school_calendar.periods_on(self.weekday.currentIndex())
            terms = school_calendar.terms
            closures = school_calendar.closures
            free = school_calendar.next_free_time(self._ctx.clock())
        except KioskError as error:
            self.message.setText(error.message)
            return
        self.table.setRowCount(0)
        for p in periods:
            self.add_row(p.name, p.kind, p.starts, p.ends)
        self.terms.clear()
        for term in terms:
            item = QListWidgetItem(
                f"{term.name}: {term.starts_on:%d %b %Y} to {term.ends_on:%d %b %Y}"
            )
            item.setData(Qt.ItemDataRole.UserRole, term.id)
            self.terms.addItem(item)
        self.closures.clear()
        for closure in closures:
            item = QListWidgetItem(f"{closure.day:%a %d %b %Y}  {closure.reason}")
            item.setData(Qt.ItemDataRole.UserRole, closure.id)
            self.closures.addItem(item)
        if free is None:
            self.next_break.setText("No break found in the next two months: check the term dates.")
        else:
            when = say_when(free.starts, self._ctx.clock(), self._ctx.timezone)
            self.next_break.setText(
                f"Messages that can wait taken now are held until {free.name} {when}."
            )

    def add_row(self, name: str = "", kind: str = "period", starts: time | None = None,
                ends: time | None = None) -> None:  # fmt: skip
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, NAME, QTableWidgetItem(name))
        combo = QComboBox()
        for key, label in KINDS.items():
            combo.addItem(label, key)
        combo.setCurrentIndex(max(combo.findData(kind), 0))
        self.table.setCellWidget(row, KIND, combo)
        self.table.setItem(row, STARTS, QTableWidgetItem(f"{starts:%H:%M}" if starts else ""))
        self.table.setItem(row, ENDS, QTableWidgetItem(f"{ends:%H:%M}" if ends else ""))

    def remove_selected_row(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        for row in rows:
            self.table.removeRow(row)

    def save_day(self) -> bool:
        actor = signed_in(self._asker, self, "School day not saved", self._actor)
        if actor is None:
            return False
        try:
            day = [
                (
                    (self.table.item(row, NAME) or QTableWidgetItem()).text(),
                    self._kind_in(row),
                    _parse((self.table.item(row, STARTS) or QTableWidgetItem()).text(), row,
                           "start"),
                    _parse((self.table.item(row, ENDS) or QTableWidgetItem()).text(), row, "end"),
                )
                for row in range(self.table.rowCount())
            ]  # fmt: skip
        except InvalidInput as error:
            self._asker.error(self, "School day not saved", error.message)
            return False
        weekday = self.weekday.currentIndex()
        saved = run_service(
            self._asker,
            self,
            "School day not saved",
            lambda: calendar.set_periods(self._ctx, actor, weekday, day),
        )
        if saved is None:
            return False
        self.message.setText(f"{WEEKDAYS[weekday]} saved: {len(saved)} periods.")
        self.refresh()
        self.sig_changed.emit(Changes.of(Topic.CALENDAR))
        return True

    def add_term(self) -> bool:
        actor = signed_in(self._asker, self, "Term not added", self._actor)
        if actor is None:
            return False
        done = run_service(
            self._asker,
            self,
            "Term not added",
            lambda: calendar.add_term(
                self._ctx,
                actor,
                self.term_name.text(),
                _date(self.term_start.date()),
                _date(self.term_end.date()),
            ),
        )
        if done is not None:
            self.term_name.clear()
            self.refresh()
            self.sig_changed.emit(Changes.of(Topic.CALENDAR))
        return done is not None

    def remove_selected_term(self) -> None:
        self._remove(self.terms, calendar.remove_term, "Term not removed")

    def add_closure(self) -> bool:
        actor = signed_in(self._asker, self, "Closure not added", self._actor)
        if actor is None:
            return False
        done = run_service(
            self._asker,
            self,
            "Closure not added",
            lambda: calendar.add_closure(
                self._ctx, actor, _date(self.closure_day.date()), self.closure_reason.text()
            ),
        )
        if done is not None:
            self.closure_reason.clear()
            self.refresh()
            self.sig_changed.emit(Changes.of(Topic.CALENDAR))
        return done is not None

    def remove_selected_closure(self) -> None:
        self._remove(self.closures, calendar.remove_closure, "Closure not removed")

    # --- building -------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        self.weekday = QComboBox()
        self.weekday.addItems(list(WEEKDAYS))
        today = self._ctx.clock().astimezone(self._ctx.timezone)
        self.weekday.setCurrentIndex(today.weekday())
        self.weekday.currentIndexChanged.connect(lambda _i: self.refresh())
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Name", "Kind", "Starts", "Ends"])
        self.table.horizontalHeader().setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        self.table.setAccessibleName("Periods of the day")
        add = QPushButton("Add a row")
        add.clicked.connect(lambda: self.add_row())
        remove = QPushButton("Remove row")
        remove.clicked.connect(self.remove_selected_row)
        save = QPushButton("Save this day")
        save.clicked.connect(self.save_day)
        buttons = QHBoxLayout()
        for button in (add, remove, save):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.next_break = plain_label(wrap=True, role="summary")
        day_box = QGroupBox("Periods, breaks, lunch and end of day")
        day_layout = QVBoxLayout(day_box)
        day_layout.addWidget(self.weekday)
        day_layout.addWidget(self.table, 1)
        day_layout.addLayout(buttons)
        day_layout.addWidget(
            plain_label(
                "A message that can wait is held until the next break, lunch or end of day.",
                role="hint",
                wrap=True,
            )
        )

        today_q = QDate(today.year, today.month, today.day)
        self.terms = QListWidget()
        self.term_name = QLineEdit()
        self.term_name.setPlaceholderText("e.g. Spring term")
        self.term_start = QDateEdit(today_q)
        self.term_end = QDateEdit(today_q)
        for edit in (self.term_start, self.term_end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd MMM yyyy")
        add_term = QPushButton("Add term")
        add_term.clicked.connect(self.add_term)
        remove_term = QPushButton("Remove term")
        remove_term.clicked.connect(self.remove_selected_term)
        term_row = QHBoxLayout()
        for widget in (self.term_name, self.term_start, self.term_end, add_term, remove_term):
            term_row.addWidget(widget)
        terms_box = QGroupBox("Term dates (none entered: every weekday with periods counts)")
        terms_layout = QVBoxLayout(terms_box)
        terms_layout.addWidget(self.terms)
        terms_layout.addLayout(term_row)

        self.closures = QListWidget()
        self.closure_day = QDateEdit(today_q)
        self.closure_day.setCalendarPopup(True)
        self.closure_day.setDisplayFormat("ddd dd MMM yyyy")
        self.closure_reason = QLineEdit()
        self.closure_reason.setPlaceholderText("e.g. Training day")
        add_closure = QPushButton("Add closure")
        add_closure.clicked.connect(self.add_closure)
        remove_closure = QPushButton("Remove")
        remove_closure.clicked.connect(self.remove_selected_closure)
        closure_row = QHBoxLayout()
        for widget in (self.closure_day, self.closure_reason, add_closure, remove_closure):
            closure_row.addWidget(widget)
        closures_box = QGroupBox("Closure days")
        closures_layout = QVBoxLayout(closures_box)
        closures_layout.addWidget(self.closures)
        closures_layout.addLayout(closure_row)

        self.message = plain_label(wrap=True)
        right = QVBoxLayout()
        right.addWidget(terms_box)
        right.addWidget(closures_box)
        right.addWidget(self.message)
        left = QVBoxLayout()
        left.addWidget(self.next_break)
        left.addWidget(day_box, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addLayout(right, 1)

    def _kind_in(self, row: int) -> str:
        """The kind chosen in ``row``'s drop-down: a key of :data:`KINDS`."""
        combo = self.table.cellWidget(row, KIND)
        # add_row gives every row a drop-down; a row without one has no kind, which
        # set_periods refuses as unknown rather than guessing.
        return str(combo.currentData()) if isinstance(combo, QComboBox) else ""

    def _remove(
        self,
        listing: QListWidget,
        remove: Callable[[KioskContext, Actor, int], None],
        title: str,
    ) -> None:
        item = listing.currentItem()
        actor = signed_in(self._asker, self, title, self._actor)
        if item is None or actor is None:
            return
        item_id = item.data(Qt.ItemDataRole.UserRole)
        # A refusal is shown by run_service; either way the lists are read again.
        run_service(self._asker, self, title, lambda: remove(self._ctx, actor, item_id))
        self.refresh()
        self.sig_changed.emit(Changes.of(Topic.CALENDAR))
