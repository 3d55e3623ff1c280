"""The register of permissions and exceptional arrangements (walking home alone, medical
monitoring, young carer...): every entry with its conditions, who agreed it, when it
started and when it is due for review; add, change and end entries.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.changes import Changes, Topic
from kiosk.context import KioskContext
from kiosk.errors import KioskError
from kiosk.rows.people import RegisterEntry
from kiosk.services import arrangements, pupils
from ui.ask import Asker
from ui.components.common import ActorSource, run_service, signed_in
from ui.components.desk.panel import DeskPanel
from ui.models.custody import RegisterModel
from ui.widgets.labels import plain_label
from ui.widgets.pupil_picker import PupilPicker
from ui.widgets.styling import button_row, card_frame, card_layout
from ui.widgets.tables import AttentionTableView

CURRENT, DUE, ALL = "Current", "Due for review", "Including ended"
LIST, EDIT = range(2)


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class ArrangementEditor(QWidget):
    """Add an entry (pupil by type-ahead) or change one."""

    sig_saved = Signal()
    sig_cancelled = Signal()

    def __init__(
        self, ctx: KioskContext, actor: ActorSource, asker: Asker, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx, self._actor, self._asker = ctx, actor, asker
        self.entry: RegisterEntry | None = None
        self._setup_ui()

    def start(self, entry: RegisterEntry | None) -> None:
        today = self._ctx.clock().astimezone(self._ctx.timezone).date()
        self.entry = entry
        self.heading.setText("Change arrangement" if entry else "New arrangement")
        self.picker.clear()
        self.picker.set_pupil(entry.pupil if entry is not None else None)
        self.picker.set_editable(entry is None)
        self.kind.setEnabled(entry is None)
        self.kind.setCurrentIndex(self.kind.findData(entry.kind if entry else "permission"))
        self.title.setText(entry.title if entry else "")
        self.conditions.setPlainText(entry.conditions if entry else "")
        self.agreed_by.setText(entry.agreed_by if entry else "")
        self.starts.setDate(_qdate(entry.starts_on if entry else today))
        review = entry.review_on if entry else None
        self.has_review.setChecked(review is not None)
        self.review.setDate(_qdate(review or today.replace(year=today.year + 1)))

    def _setup_ui(self) -> None:
        self.heading = plain_label(role="heading")
        self.picker = PupilPicker(
            lambda text: pupils.search_pupils(self._ctx, text, limit=8),
            describe=lambda pupil: f"{pupil.name} · Form {pupil.form}",
            results_height=110,
        )
        self.kind = QComboBox()
        self.kind.addItem("Permission to bring a phone", "permission")
        self.kind.addItem("Exemption (keeps the phone, on conditions)", "exemption")
        self.title = QLineEdit()
        self.title.setPlaceholderText("For example: Walks home alone; Medical monitoring")
        self.conditions = QPlainTextEdit()
        self.conditions.setFixedHeight(70)
        self.agreed_by = QLineEdit()
        self.starts = QDateEdit()
        self.starts.setCalendarPopup(True)
        self.starts.setDisplayFormat("d MMM yyyy")
        self.has_review = QCheckBox("Review on")
        self.review = QDateEdit()
        self.review.setCalendarPopup(True)
        self.review.setDisplayFormat("d MMM yyyy")
        self.has_review.toggled.connect(self.review.setEnabled)
        review_row = QHBoxLayout()
        review_row.addWidget(self.has_review)
        review_row.addWidget(self.review, 1)
        form = QFormLayout()
        form.addRow("Kind", self.kind)
        form.addRow("Arrangement", self.title)
        form.addRow("Conditions", self.conditions)
        form.addRow("Agreed by", self.agreed_by)
        form.addRow("From", self.starts)
        form.addRow("", review_row)
        self.save_button = QPushButton("Save")
        self.cancel_button = QPushButton("Cancel")
        self.save_button.clicked.connect(self._on_save)
        self.cancel_button.clicked.connect(self.sig_cancelled)
        buttons = button_row(self.save_button, self.cancel_button, min_height=34)
        frame = card_frame()
        inner = card_layout(frame)
        inner.addWidget(self.heading)
        inner.addWidget(self.picker)
        inner.addLayout(form)
        inner.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(frame)
        layout.addStretch(1)

    def _on_save(self) -> None:
        actor = signed_in(self._asker, self, "Register", self._actor)
        pupil = self.picker.pupil()
        if actor is None:
            return
        if pupil is None:
            self._asker.error(self, "Register", "Choose the pupil first.")
            return
        title = self.title.text()
        conditions = self.conditions.toPlainText()
        agreed_by = self.agreed_by.text()
        starts_on = _pydate(self.starts.date())
        review_on = _pydate(self.review.date()) if self.has_review.isChecked() else None
        entry = self.entry
        if entry is None:
            added = run_service(
                self._asker,
                self,
                "Register",
                lambda: arrangements.add_arrangement(
                    self._ctx,
                    actor,
                    pupil.id,
                    kind=str(self.kind.currentData()),
                    title=title,
                    conditions=conditions,
                    agreed_by=agreed_by,
                    starts_on=starts_on,
                    review_on=review_on,
                ),
            )
            saved = added is not None
        else:
            changed = run_service(
                self._asker,
                self,
                "Register",
                lambda: arrangements.update_arrangement(
                    self._ctx,
                    actor,
                    entry.id,
                    title=title,
                    conditions=conditions,
                    agreed_by=agreed_by,
                    starts_on=starts_on,
                    review_on=review_on,
                ),
            )
            saved = changed is not None
        if saved:
            self.sig_saved.emit()


class ArrangementsPanel(DeskPanel):
    """The whole register, filtered to what is current, due for review, or everything."""

    title = "Exemptions"
    shows = frozenset({Topic.EXEMPTIONS, Topic.PUPILS})

    def __init__(
        self, ctx: KioskContext, actor: ActorSource, asker: Asker, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, actor, asker, parent)
        self._setup_ui()

    # --- public ---------------------------------------------------------------------------

    def refresh(self) -> None:
        view = self.filter.currentText()
        try:
            if view == DUE:
                rows = arrangements.due_for_review(self._ctx)
            else:
                rows = arrangements.register(self._ctx, include_ended=view == ALL)
            due = len(arrangements.due_for_review(self._ctx))
        except KioskError as error:
            self.summary.setText(error.message)
            return
        self.model.set_rows(rows)
        self.table.fit_columns()
        self.summary.setText(
            f"{len(rows)} entr{'y' if len(rows) == 1 else 'ies'} shown · "
            f"{due} due for review in the next two weeks or overdue"
        )
        self._on_selection_changed()

    def selected(self) -> RegisterEntry | None:
        rows = self.table.selected_rows()
        return self.model.row_at(rows[0]) if rows else None

    # --- building -------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        self.filter = QComboBox()
        self.filter.addItems([CURRENT, DUE, ALL])
        self.filter.setAccessibleName("Show")
        self.filter.currentIndexChanged.connect(self.refresh)
        self.summary = plain_label(role="summary", wrap=True)
        self.model = RegisterModel(
            lambda: self._ctx.clock().astimezone(self._ctx.timezone).date(), self
        )
        self.table = AttentionTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Permissions and exemptions")
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.add_button = QPushButton("Add…")
        self.edit_button = QPushButton("Change…")
        self.end_button = QPushButton("End today")
        self.add_button.clicked.connect(lambda: self._edit(None))
        self.edit_button.clicked.connect(lambda: self._edit(self.selected()))
        self.end_button.clicked.connect(self._on_end)
        top = QHBoxLayout()
        top.addWidget(plain_label("Show:", role="hint"))
        top.addWidget(self.filter)
        top.addStretch(1)
        for button in (self.add_button, self.edit_button, self.end_button):
            button.setMinimumHeight(34)
            top.addWidget(button)
        self.message = plain_label(wrap=True)
        list_page = QWidget()
        list_layout = QVBoxLayout(list_page)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addLayout(top)
        list_layout.addWidget(self.summary)
        list_layout.addWidget(self.table, 1)
        list_layout.addWidget(self.message)
        self.stack = QStackedWidget()
        self.editor = ArrangementEditor(self._ctx, self._actor, self._asker)
        self.editor.sig_saved.connect(self._on_saved)
        self.editor.sig_cancelled.connect(lambda: self.stack.setCurrentIndex(LIST))
        self.stack.addWidget(list_page)
        self.stack.addWidget(self.editor)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)

    # --- slots ----------------------------------------------------------------------------

    def _on_selection_changed(self, *_args: object) -> None:
        entry = self.selected()
        self.edit_button.setEnabled(entry is not None)
        self.end_button.setEnabled(entry is not None and entry.ends_on is None)

    def _edit(self, entry: RegisterEntry | None) -> None:
        self.editor.start(entry)
        self.stack.setCurrentIndex(EDIT)

    def _on_saved(self) -> None:
        self.stack.setCurrentIndex(LIST)
        self.message.setText("Saved.")
        self.refresh()
        self.sig_changed.emit(Changes.of(Topic.EXEMPTIONS))

    def _on_end(self) -> None:
        entry = self.selected()
        actor = signed_in(self._asker, self, "End arrangement", self._actor)
        if entry is None or actor is None:
            return
        if not self._asker.confirm(
            self,
            "End arrangement",
            f"End “{entry.title}” for {entry.pupil.name} today? It stays in the register, "
            "marked as ended.",
        ):
            return
        done = run_service(
            self._asker,
            self,
            "End arrangement",
            lambda: arrangements.end_arrangement(self._ctx, actor, entry.id),
        )
        if done is not None:
            self.message.setText(f"Ended “{entry.title}” for {entry.pupil.name}.")
            self.refresh()
            self.sig_changed.emit(Changes.of(Topic.EXEMPTIONS))
