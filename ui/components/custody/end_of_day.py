"""End of the day: every phone not yet collected, and what happened to each.

A phone stays on this list until it is collected, whatever is recorded for it; after
closing time a phone with nothing recorded today is highlighted and marked in words.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.changes import Changes, Topic
from kiosk.context import KioskContext
from kiosk.errors import KioskError
from kiosk.rows.custody import OUTCOMES, HeldPhone
from kiosk.rows.lists import end_of_day_table
from kiosk.services import custody
from ui.ask import Asker
from ui.components.common import ActorSource, signed_in
from ui.components.custody.release import release_at_desk
from ui.components.desk.panel import DeskPanel
from ui.components.output import ListOutput
from ui.models.held_model import HeldPhonesModel
from ui.widgets.labels import plain_label
from ui.widgets.output_buttons import OutputButtons
from ui.widgets.styling import button_row
from ui.widgets.tables import AttentionTableView

SAFE = "safe"
PARENT_CALLED = "parent_called"
OTHER = "other"


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


class EndOfDayPanel(DeskPanel):
    """Phones still held at closing, and what became of each; an outcome or a release
    reports a custody change."""

    title = "End of day"
    shows = frozenset({Topic.CUSTODY, Topic.CONFISCATIONS, Topic.PUPILS, Topic.CALENDAR})

    def __init__(
        self, ctx: KioskContext, actor: ActorSource, asker: Asker, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, actor, asker, parent)
        self._setup_ui()

    # --- public ---------------------------------------------------------------------------

    def refresh(self) -> None:
        try:
            closing, phones = custody.end_of_day(self._ctx)
        except KioskError as error:
            self.closing.setText(error.message)
            return
        now = self._ctx.clock()
        chosen = {p.custody_id for p in self.selected_phones()}
        self.model.set_phones(phones, now=now, closing=closing)
        self._restore_selection(chosen)
        self.closing.setText(self._closing_text(closing, now))
        self.count.setText(self._count_text(phones, now))
        self.table.fit_columns()
        self._on_selection_changed()
        self._show_confiscations_due()
        self.output.show_printer()

    def phones(self) -> tuple[HeldPhone, ...]:
        return self.model.rows()

    def selected_phones(self) -> list[HeldPhone]:
        rows = (self.model.row_at(r) for r in self.table.selected_rows())
        return [row for row in rows if row is not None]

    def select_phone(self, custody_id: int) -> None:
        self.table.clearSelection()
        self._restore_selection({custody_id})

    # --- building -------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        self.closing = plain_label(role="heading")
        self.count = plain_label(role="summary")
        hint = plain_label(
            "Choose one or more phones, then record what happened. A phone stays on this "
            "list until it is collected.",
            role="hint",
            wrap=True,
        )
        self.model = HeldPhonesModel(self._ctx.timezone, self)
        self.table = AttentionTableView(multi_select=True)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Phones not yet collected")
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)

        self.safe_button = QPushButton("Kept in safe overnight")
        self.called_button = QPushButton("Parent/carer called")
        self.other_button = QPushButton("Other…")
        self.release_button = QPushButton("Release now")
        self.safe_button.clicked.connect(lambda: self._record(SAFE))
        self.called_button.clicked.connect(lambda: self._record(PARENT_CALLED))
        self.other_button.clicked.connect(lambda: self._record(OTHER))
        self.release_button.clicked.connect(self._on_release)
        buttons = button_row(
            self.safe_button,
            self.called_button,
            self.other_button,
            self.release_button,
            min_height=34,
        )
        self.message = plain_label(wrap=True)

        self.output = ListOutput(
            self._ctx,
            self._asker,
            self,
            OutputButtons("the end-of-day list"),
            lambda: end_of_day_table(custody.end_of_day(self._ctx)[1], self._ctx.timezone),
            self.message.setText,
        )
        count_row = QHBoxLayout()
        count_row.addWidget(self.count, 1)
        count_row.addWidget(self.output.buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(self.closing)
        layout.addLayout(count_row)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.confiscations_due = plain_label(role="confiscated", wrap=True, selectable=True)
        self.confiscations_due.setAccessibleName("Confiscated devices due for release today")
        self.confiscations_due.hide()
        layout.addWidget(self.confiscations_due)

    def _show_confiscations_due(self) -> None:
        """Confiscated devices that go home today (released in the Confiscations tab)."""
        from kiosk.services.confiscations import due_for_release_today, release_setting

        try:
            due = due_for_release_today(self._ctx)
            to = "the pupil" if release_setting(self._ctx) == "pupil" else "a parent or carer"
        except KioskError as error:
            self.confiscations_due.setText(error.message)
            self.confiscations_due.show()
            return
        if not due:
            self.confiscations_due.hide()
            return
        lines = [
            f"Confiscated devices due for release today, to {to} "
            f"({len(due)}; release them in the Confiscations tab):"
        ] + [f"{c.place} — {c.device}, {c.pupil.name} ({c.pupil.form})" for c in due]
        self.confiscations_due.setText("\n".join(lines))
        self.confiscations_due.show()

    def _closing_text(self, closing: datetime | None, now: datetime) -> str:
        if closing is None:
            day = now.astimezone(self._ctx.timezone).strftime("%A")
            return f"No school day on {day}s: phones still held are listed below."
        clock = closing.astimezone(self._ctx.timezone).strftime("%H:%M")
        if now < closing:
            return f"School closes at {clock} today."
        return f"School closed at {clock} today."

    def _count_text(self, phones: list[HeldPhone], now: datetime) -> str:
        if not phones:
            return "Every phone has been collected."
        today = now.astimezone(self._ctx.timezone).date()
        without = sum(
            1
            for p in phones
            if not any(
                o.recorded_at.astimezone(self._ctx.timezone).date() == today for o in p.outcomes
            )
        )
        return (
            f"{_plural(len(phones), 'phone', 'phones')} still held; "
            f"{without} without an outcome today"
        )

    def _restore_selection(self, custody_ids: set[int]) -> None:
        selection = self.table.selectionModel()
        for row, phone in enumerate(self.model.rows()):
            if phone.custody_id in custody_ids:
                selection.select(
                    self.model.index(row, 0),
                    QItemSelectionModel.SelectionFlag.Select
                    | QItemSelectionModel.SelectionFlag.Rows,
                )

    # --- slots ----------------------------------------------------------------------------

    def _on_selection_changed(self, *_args: object) -> None:
        count = len(self.table.selected_rows())
        for button in (self.safe_button, self.called_button, self.other_button):
            button.setEnabled(count > 0)
        self.release_button.setEnabled(count == 1)

    def _record(self, outcome: str) -> None:
        phones = self.selected_phones()
        actor = signed_in(self._asker, self, "End of day", self._actor)
        if not phones or actor is None:
            return
        note = ""
        if outcome == OTHER:
            answer = self._asker.text(
                self,
                "Other outcome",
                "What happened to "
                + (f"{phones[0].pupil.name}'s phone" if len(phones) == 1 else "these phones")
                + "?",
            )
            if answer is None:
                return
            note = answer
        recorded, refusals = 0, []
        for phone in phones:
            try:
                custody.record_outcome(self._ctx, actor, phone.custody_id, outcome, note)
            except KioskError as error:
                refusals.append(f"{phone.pupil.name}: {error.message}")
            else:
                recorded += 1
        if refusals:
            self._asker.error(self, "End of day", "\n".join(refusals))
        if recorded:
            label = OUTCOMES[outcome]
            self.message.setText(f"Recorded “{label}” for {_plural(recorded, 'phone', 'phones')}.")
            self.refresh()
            self.sig_changed.emit(Changes.of(Topic.CUSTODY))

    def _on_release(self) -> None:
        phones = self.selected_phones()
        actor = signed_in(self._asker, self, "Release phone", self._actor)
        if len(phones) != 1 or actor is None:
            return
        phone = phones[0]
        outcome = release_at_desk(self._ctx, self._asker, self, actor, phone.pupil, phone.place)
        if outcome is None:
            return
        self.message.setText(f"Released: give {phone.pupil.name} the phone from {outcome.place}.")
        self.refresh()
        self.sig_changed.emit(Changes.of(Topic.CUSTODY))
