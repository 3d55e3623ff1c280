"""The Confiscations tab: devices held now on the left; on the right the chosen device with
its chain of custody and what can be done next, or the form to take one in or hand one back.

Escalation steps that need a manager (police, search, deleted content, anything about a
device held for the DSL) are offered to everyone; the service refuses a receptionist with
a plain message, so the rule lives in one place.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.changes import Changes, Topic
from kiosk.context import KioskContext
from kiosk.errors import KioskError
from kiosk.rows.confiscations import ConfiscationRow
from kiosk.rows.lists import confiscations_held_table
from kiosk.services import confiscations as conf
from kiosk.services.school import get_school
from ui.ask import Asker
from ui.components.common import ActorSource, run_service, signed_in
from ui.components.confiscations.contacts import ContactsBox
from ui.components.confiscations.device_history import DeviceHistory
from ui.components.confiscations.forms import ConfiscationForm, ReleaseForm, repeat_text
from ui.components.desk.panel import DeskPanel
from ui.components.output import ListOutput, file_name, print_document, save_pdf
from ui.models.confiscations import ConfiscationsModel
from ui.models.formatting import school_timestamp
from ui.widgets.labels import plain_label
from ui.widgets.output_buttons import OutputButtons
from ui.widgets.styling import card_frame, card_layout
from ui.widgets.tables import AttentionTableView

DETAIL, NEW, RELEASE = range(3)


class ConfiscationsPanel(DeskPanel):
    """Confiscated devices: take one in, move it on, release it; contacts of its pupil."""

    title = "Confiscations"
    shows = frozenset({Topic.CONFISCATIONS, Topic.PUPILS, Topic.STAFF, Topic.SETTINGS})

    def __init__(
        self, ctx: KioskContext, actor: ActorSource, asker: Asker, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, actor, asker, parent)
        self.current: ConfiscationRow | None = None
        self._setup_ui()
        self._show_nothing()

    # --- public ---------------------------------------------------------------------------

    def refresh(self) -> None:
        try:
            rows = conf.open_confiscations(self._ctx)
        except KioskError as error:
            self.count.setText(error.message)
            return
        chosen = self.current.id if self.current is not None else None
        self._show_release_setting()
        self.model.set_rows(rows)
        self.table.fit_columns()
        self.output.show_printer()
        held_for_dsl = sum(1 for r in rows if r.status == "dsl")
        parts = [f"{len(rows)} device{'s' if len(rows) != 1 else ''} held"]
        if held_for_dsl:
            parts.append(f"{held_for_dsl} for the DSL")
        self.count.setText(" · ".join(parts))
        if chosen is not None:
            self.show_confiscation(chosen, select=True)

    def show_confiscation(self, confiscation_id: int, *, select: bool = True) -> None:
        try:
            row = conf.get_confiscation(self._ctx, confiscation_id)
            repeats = conf.count_this_term(self._ctx, row.pupil.id)
        except KioskError as error:
            self._show_nothing()
            self.message.setText(error.message)
            return
        self.current = row
        self.stack.setCurrentIndex(DETAIL)
        self._show_details(row, repeats)
        if select:
            self._select_row(confiscation_id)

    def start_new(self, pupil_id: int | None = None) -> None:
        self.form.start(pupil_id)
        self.stack.setCurrentIndex(NEW)

    def claim_scan(self, code: str) -> bool:
        """A card scanned while the new-confiscation form is asking for the pupil chooses
        that pupil (and records no hand-in); any other time the scan is not ours."""
        if self.stack.currentIndex() != NEW or not self.form.wants_card():
            return False
        return self.form.take_card(code)

    def start_release(self) -> None:
        if self.current is not None:
            self.release_form.start(self.current)
            self.stack.setCurrentIndex(RELEASE)

    # --- building -------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        tz = self._ctx.timezone
        self.new_button = QPushButton("New confiscation…")
        self.new_button.setMinimumHeight(36)
        self.new_button.clicked.connect(lambda: self.start_new())
        self.count = plain_label(role="summary")
        self.model = ConfiscationsModel(tz, self._ctx.clock, self)
        self.table = AttentionTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Confiscated devices held")
        self.table.selectionModel().selectionChanged.connect(self._on_row_chosen)
        self.release_to = QComboBox()
        self.release_to.setAccessibleName("Confiscated devices go back to")
        for key, label in conf.RELEASE_TO.items():
            self.release_to.addItem(label, key)
        self.release_to.activated.connect(self._on_release_to_chosen)
        setting = QHBoxLayout()
        setting.addWidget(plain_label("Devices go back to:", role="hint"))
        setting.addWidget(self.release_to, 1)
        self.list_status = plain_label(role="hint", wrap=True)
        self.output = ListOutput(
            self._ctx,
            self._asker,
            self,
            OutputButtons("the list of confiscated devices held"),
            lambda: confiscations_held_table(
                conf.open_confiscations(self._ctx), self._ctx.timezone
            ),
            self.list_status.setText,
        )
        left = QVBoxLayout()
        left.addWidget(self.new_button)
        left.addWidget(self.count)
        left.addWidget(self.table, 1)
        left.addWidget(self.output.buttons)
        left.addWidget(self.list_status)
        left.addLayout(setting)
        left_box = QWidget()
        left_box.setLayout(left)
        left_box.setMinimumWidth(420)

        self.stack = QStackedWidget()
        self.stack.addWidget(self._detail_page())
        self.form = ConfiscationForm(self._ctx, self._actor, self._asker)
        self.form.sig_saved.connect(self._on_saved)
        self.form.sig_cancelled.connect(self._on_form_closed)
        self.stack.addWidget(self.form)
        self.release_form = ReleaseForm(self._ctx, self._actor, self._asker)
        self.release_form.sig_released.connect(self._on_released)
        self.release_form.sig_cancelled.connect(self._on_form_closed)
        self.stack.addWidget(self.release_form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.stack)

        layout = QHBoxLayout(self)
        layout.addWidget(left_box, 1)  # the list of devices needs its columns readable
        layout.addWidget(scroll, 1)

    def _detail_page(self) -> QWidget:
        self.name = plain_label(role="pupil-name", wrap=True, selectable=True)
        self.facts = plain_label(wrap=True, selectable=True)
        self.status = plain_label(role="phone-held", wrap=True)
        self.repeat = plain_label(role="flag", wrap=True)
        self.message = plain_label(wrap=True)

        def button(text: str, slot: Any) -> QPushButton:
            b = QPushButton(text)
            b.setMinimumHeight(34)
            b.clicked.connect(slot)
            return b

        self.release_button = button("Release…", self.start_release)
        self.dsl_button = button("Hold for the DSL…", self._on_hold_for_dsl)
        self.move_button = button("Move…", self._on_move)
        self.notice_button = button("Print parent notice", self._on_notice)
        self.notice_pdf_button = button("Save notice as PDF…", self._on_notice_pdf)
        self.police_button = button("Hand to police…", self._on_police)
        self.police_return_button = button("Back from police…", self._on_police_return)
        self.search_button = button("Search (with consent)…", self._on_search)
        self.deleted_button = button("Content deleted…", self._on_deleted)
        rows = []
        for group in (
            (self.release_button, self.dsl_button, self.move_button),
            (self.notice_button, self.notice_pdf_button),
            (
                self.police_button,
                self.police_return_button,
                self.search_button,
                self.deleted_button,
            ),
        ):
            row = QHBoxLayout()
            for b in group:
                row.addWidget(b)
            row.addStretch(1)
            rows.append(row)
        self.history = DeviceHistory(self._ctx.timezone)
        self.contacts = ContactsBox(self._ctx, self._actor, self._asker)
        self.contacts.sig_changed.connect(self._on_contacts_changed)

        frame = card_frame()
        inner = card_layout(frame)
        inner.setSpacing(8)
        inner.addWidget(self.name)
        inner.addWidget(self.facts)
        inner.addWidget(self.status)
        inner.addWidget(self.repeat)
        for row in rows:
            inner.addLayout(row)
        managers_hint = plain_label(
            "Managers only: police, searches and deleted content", role="hint"
        )
        inner.addWidget(managers_hint)
        self.for_managers(
            managers_hint,
            self.police_button,
            self.police_return_button,
            self.search_button,
            self.deleted_button,
        )
        inner.addWidget(self.message)
        inner.addWidget(self.history)
        inner.addWidget(self.contacts)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(frame)
        layout.addStretch(1)
        return page

    # --- showing --------------------------------------------------------------------------

    def _show_nothing(self) -> None:
        self.current = None
        self.name.setText("No device chosen")
        self.facts.setText(
            "Choose a device on the left to see its chain of custody, or take a new one in "
            "with New confiscation."
        )
        for label in (self.status, self.repeat, self.message):
            label.clear()
        self.repeat.hide()
        self.history.set_events(())
        self.contacts.show_pupil(None)
        self._enable_actions(None)

    def _show_details(self, row: ConfiscationRow, repeats: int) -> None:
        tz = self._ctx.timezone
        self.name.setText(f"{row.pupil.name} · {row.device}")
        lines = [
            f"{row.pupil.year_label} · Form {row.pupil.form} · {row.pupil.id_label}",
            f"Reason: {row.reason_text}",
            f"Confiscated by {row.confiscated_by} at {school_timestamp(row.taken_at, tz)}"
            + (f"; recorded by {row.recorded_by}" if row.recorded_by else ""),
        ]
        self.facts.setText("\n".join(lines))
        status = row.status_text
        if row.is_open and row.status != "police":
            status += f" · {row.place}"
        if row.release is not None:
            status += (
                f" to {row.release.collector_name} at "
                f"{school_timestamp(row.release.released_at, tz)}"
            )
        self.status.setText(status)
        self.repeat.setText(repeat_text(repeats))
        self.repeat.setVisible(repeats > 1)
        self.history.set_events(row.events)
        self.contacts.show_pupil(row.pupil.id)
        self._enable_actions(row)

    def _enable_actions(self, row: ConfiscationRow | None) -> None:
        status = row.status if row is not None else None
        at_school = status in ("held", "dsl")
        self.release_button.setEnabled(at_school)
        self.dsl_button.setEnabled(status == "held")
        self.move_button.setEnabled(at_school)
        self.notice_button.setEnabled(row is not None)
        self.notice_pdf_button.setEnabled(row is not None)
        self.police_button.setEnabled(at_school)
        self.police_return_button.setEnabled(status == "police")
        self.search_button.setEnabled(at_school)
        self.deleted_button.setEnabled(at_school)

    def _select_row(self, confiscation_id: int) -> None:
        selection = self.table.selectionModel()
        for index, row in enumerate(self.model.rows()):
            if row.id == confiscation_id:
                selection.blockSignals(True)
                selection.select(
                    self.model.index(index, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
                selection.blockSignals(False)
                self.table.viewport().update()
                return

    def _show_release_setting(self) -> None:
        try:
            value = conf.release_setting(self._ctx)
        except KioskError:
            return
        self.release_to.setCurrentIndex(self.release_to.findData(value))

    def _act(self, title: str, call: Any, done: str) -> None:
        """Run one escalation step for the device in view and show what happened."""
        current = self.current
        actor = signed_in(self._asker, self, title, self._actor)
        if current is None or actor is None:
            return
        row = run_service(self._asker, self, title, lambda: call(actor, current.id))
        if row is None:
            return
        self.refresh()
        self.show_confiscation(row.id)
        self.message.setText(done)
        self.sig_changed.emit(Changes.of(Topic.CONFISCATIONS))

    # --- slots ----------------------------------------------------------------------------

    def _on_contacts_changed(self) -> None:
        self.sig_changed.emit(Changes.of(Topic.PUPILS))

    def _on_row_chosen(self, *_args: object) -> None:
        rows = self.table.selected_rows()
        row = self.model.row_at(rows[0]) if rows else None
        if row is not None:
            self.show_confiscation(row.id, select=False)

    def _on_saved(self, row: ConfiscationRow) -> None:
        self.refresh()
        self.show_confiscation(row.id)
        self.message.setText(f"Recorded. Put the device in {row.place}.")
        self.sig_changed.emit(Changes.of(Topic.CONFISCATIONS))

    def _on_released(self, row: ConfiscationRow) -> None:
        self.refresh()
        self.show_confiscation(row.id, select=False)
        self.message.setText(f"Released to {row.release.collector_name if row.release else ''}.")
        self.sig_changed.emit(Changes.of(Topic.CONFISCATIONS))

    def _on_form_closed(self) -> None:
        if self.current is not None:
            self.show_confiscation(self.current.id)
        else:
            self.stack.setCurrentIndex(DETAIL)

    def _on_release_to_chosen(self, index: int) -> None:
        value = self.release_to.itemData(index)
        actor = signed_in(self._asker, self, "Confiscation settings", self._actor)
        if actor is not None:
            run_service(
                self._asker,
                self,
                "Confiscation settings",
                lambda: conf.set_release_setting(self._ctx, actor, value),
            )
        self._show_release_setting()

    def _on_hold_for_dsl(self) -> None:
        concern = self._asker.text(
            self,
            "Hold for the DSL",
            "What is the concern? (for example, possible evidence of bullying)",
        )
        if concern is None:
            return
        self._act(
            "Hold for the DSL",
            lambda actor, cid: conf.hold_for_dsl(self._ctx, actor, cid, concern=concern),
            "Held for the DSL: only a manager can now release or move it.",
        )

    def _on_move(self) -> None:
        place = self._asker.text(self, "Move device", "Where is it now? (Safe, Office, …)")
        if place is None:
            return
        bag = self._asker.text(
            self,
            "Move device",
            "Sealed bag number (leave as it is if unchanged):",
            self.current.bag_number if self.current else "",
        )
        if bag is None:
            return
        self._act(
            "Move device",
            lambda actor, cid: conf.move_device(
                self._ctx, actor, cid, location=place, bag_number=bag
            ),
            f"Moved to {place.strip()}.",
        )

    def _on_police(self) -> None:
        officer = self._asker.text(self, "Hand to police", "Officer's name:")
        if officer is None:
            return
        reference = self._asker.text(self, "Hand to police", "Collar number or crime reference:")
        if reference is None:
            return
        self._act(
            "Hand to police",
            lambda actor, cid: conf.hand_to_police(
                self._ctx, actor, cid, officer_name=officer, reference=reference
            ),
            f"Handed to {officer.strip()} ({reference.strip()}).",
        )

    def _on_police_return(self) -> None:
        officer = self._asker.text(self, "Back from police", "Officer returning it:")
        if officer is None:
            return
        place = self._asker.text(self, "Back from police", "Where is it kept now?", "Safe")
        if place is None:
            return
        self._act(
            "Back from police",
            lambda actor, cid: conf.returned_by_police(
                self._ctx, actor, cid, officer_name=officer, location=place
            ),
            "Back from the police: held for the DSL.",
        )

    def _on_search(self) -> None:
        if not self._asker.confirm(
            self, "Search device", "Has the pupil given their consent to the search?"
        ):
            self.message.setText("Not recorded: a device is searched only with consent.")
            return
        who = self._asker.text(self, "Search device", "Searched by:")
        if who is None:
            return
        self._act(
            "Search device",
            lambda actor, cid: conf.record_search(
                self._ctx, actor, cid, pupil_consented=True, searched_by=who
            ),
            "Search recorded.",
        )

    def _on_deleted(self) -> None:
        what = self._asker.text(self, "Content deleted", "What did the pupil delete?")
        if what is None:
            return
        self._act(
            "Content deleted",
            lambda actor, cid: conf.record_content_deleted(self._ctx, actor, cid, what=what),
            "Deleted content recorded.",
        )

    def _on_notice(self) -> bool:
        """One click: the notice for parents straight to the A4 printer."""
        made = self._notice_pdf()
        if made is None:
            return False
        suggested, pdf = made
        return print_document(
            self._ctx,
            self._asker,
            self,
            pdf,
            title=suggested[:-4].replace("-", " "),
            suggested=suggested,
            report=self.message.setText,
        )

    def _on_notice_pdf(self) -> None:
        made = self._notice_pdf()
        if made is not None:
            save_pdf(self._asker, self, made[1], made[0], report=self.message.setText)

    def _notice_pdf(self) -> tuple[str, bytes] | None:
        """The chosen device's notice for parents: a file name and the PDF's bytes."""
        current = self.current
        if current is None:
            return None
        from kiosk.printing.parent_notice import parent_notice_pdf

        school = run_service(self._asker, self, "Parent notice", lambda: get_school(self._ctx))
        release_to = run_service(
            self._asker, self, "Parent notice", lambda: conf.release_setting(self._ctx)
        )
        if school is None or release_to is None:
            return None
        data = parent_notice_pdf(school.name, current, self._ctx.timezone, release_to=release_to)
        return file_name(f"Parent notice {current.pupil.name}"), data
