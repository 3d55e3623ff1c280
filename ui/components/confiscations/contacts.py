"""A pupil's parents and carers at the desk: listed, added, changed and removed. Each
question goes through the Asker, one field at a time, so the flow is the same in tests."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from kiosk.context import KioskContext
from kiosk.errors import KioskError
from kiosk.rows.people import ContactRow
from kiosk.services import contacts
from ui.ask import Asker
from ui.components.common import ActorSource, run_service, signed_in
from ui.models.confiscations import ContactsModel
from ui.widgets.labels import plain_label
from ui.widgets.styling import button_row
from ui.widgets.tables import AttentionTableView

TITLE = "Parents and carers"


class ContactsBox(QWidget):
    """The contacts of one pupil, with Add, Change, Confirm (a manager's PIN) and Remove."""

    sig_changed = Signal()
    """A contact was added, changed, confirmed or removed."""

    def __init__(
        self, ctx: KioskContext, actor: ActorSource, asker: Asker, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx, self._actor, self._asker = ctx, actor, asker
        self.pupil_id: int | None = None
        self._setup_ui()

    # --- public ---------------------------------------------------------------------------

    def show_pupil(self, pupil_id: int | None) -> None:
        self.pupil_id = pupil_id
        rows: list[ContactRow] = []
        if pupil_id is not None:
            try:
                rows = contacts.contacts_for(self._ctx, pupil_id)
            except KioskError as error:
                self.empty.setText(error.message)
        self.model.set_rows(rows)
        self.empty.setVisible(not rows)
        self.table.setVisible(bool(rows))
        self.add_button.setEnabled(pupil_id is not None)
        self._on_selection_changed()

    # --- building -------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        self.model = ContactsModel(self)
        self.table = AttentionTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(TITLE)
        self.table.fit_to_rows(minimum=1, maximum=5)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.empty = plain_label(
            "No parents or carers on file. Add one, or import them in bulk with "
            "'kiosk import-contacts'.",
            role="hint",
            wrap=True,
        )
        self.add_button = QPushButton("Add contact…")
        self.edit_button = QPushButton("Change…")
        self.remove_button = QPushButton("Remove")
        self.confirm_button = QPushButton("Confirm (manager)…")
        self.confirm_button.setToolTip(
            "A manager confirms, with their PIN, a contact added or allowed to collect here"
        )
        self.add_button.clicked.connect(self._on_add)
        self.confirm_button.clicked.connect(self._on_confirm)
        self.edit_button.clicked.connect(self._on_edit)
        self.remove_button.clicked.connect(self._on_remove)
        buttons = button_row(
            self.add_button,
            self.edit_button,
            self.confirm_button,
            self.remove_button,
            min_height=32,
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(plain_label(TITLE, role="section"))
        layout.addWidget(self.empty)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def _selected(self) -> ContactRow | None:
        rows = self.table.selected_rows()
        return self.model.row_at(rows[0]) if rows else None

    def _ask_details(self, title: str, current: ContactRow | None) -> dict[str, Any] | None:
        ask = self._asker
        name = ask.text(self, title, "Name:", current.name if current else "")
        if name is None:
            return None
        relationship = ask.text(
            self,
            title,
            "Relationship to the pupil (Mother, Carer…):",
            current.relationship if current else "",
        )
        if relationship is None:
            return None
        phone = ask.text(self, title, "Phone:", current.phone if current else "")
        if phone is None:
            return None
        email = ask.text(self, title, "Email:", current.email if current else "")
        if email is None:
            return None
        may_collect = ask.confirm(
            self, title, f"May {name.strip() or 'they'} collect a confiscated device?"
        )
        return {
            "name": name,
            "relationship": relationship,
            "phone": phone,
            "email": email,
            "may_collect": may_collect,
        }

    # --- slots ----------------------------------------------------------------------------

    def _on_selection_changed(self, *_args: object) -> None:
        selected = self._selected()
        chosen = selected is not None
        self.edit_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)
        self.confirm_button.setEnabled(selected is not None and not selected.verified)

    def _on_add(self) -> None:
        pupil_id = self.pupil_id
        actor = signed_in(self._asker, self, "Add contact", self._actor)
        if pupil_id is None or actor is None:
            return
        details = self._ask_details("Add contact", None)
        if details is None:
            return
        added = run_service(
            self._asker,
            self,
            "Add contact",
            lambda: contacts.add_contact(self._ctx, actor, pupil_id, **details),
        )
        if added is not None:
            self.show_pupil(pupil_id)
            self.sig_changed.emit()

    def _on_edit(self) -> None:
        current = self._selected()
        actor = signed_in(self._asker, self, "Change contact", self._actor)
        if current is None or actor is None:
            return
        details = self._ask_details("Change contact", current)
        if details is None:
            return
        changed = run_service(
            self._asker,
            self,
            "Change contact",
            lambda: contacts.update_contact(self._ctx, actor, current.id, **details),
        )
        if changed is not None:
            self.show_pupil(self.pupil_id)
            self.sig_changed.emit()

    def _on_confirm(self) -> None:
        current = self._selected()
        actor = signed_in(self._asker, self, "Confirm contact", self._actor)
        if current is None or actor is None:
            return
        collects = " who may collect a confiscated device" if current.may_collect else ""
        pin = self._asker.secret(
            self,
            "Manager's PIN needed",
            f"Confirm {current.label} as a parent or carer{collects} on the school's "
            "record. Only a manager can confirm a contact added or changed at the desk."
            "\n\nManager's PIN:",
        )
        if pin is None:
            return
        confirmed = run_service(
            self._asker,
            self,
            "Confirm contact",
            lambda: contacts.verify_contact(self._ctx, actor, current.id, pin),
        )
        if confirmed is not None:
            self.show_pupil(self.pupil_id)
            self.sig_changed.emit()

    def _on_remove(self) -> None:
        current = self._selected()
        actor = signed_in(self._asker, self, "Remove contact", self._actor)
        if current is None or actor is None:
            return
        if not self._asker.confirm(
            self, "Remove contact", f"Remove {current.label} from this pupil's contacts?"
        ):
            return

        def remove() -> bool:
            # The service returns nothing; True tells a removal from a refusal (None).
            contacts.remove_contact(self._ctx, actor, current.id)
            return True

        if run_service(self._asker, self, "Remove contact", remove):
            self.show_pupil(self.pupil_id)
            self.sig_changed.emit()
