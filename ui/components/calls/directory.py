"""The staff directory at the desk: who is who, their pigeonhole, email, extension and
mobile, who is out on a visit today; add, edit, import from CSV. Below it, the mail server
that messages are emailed through.

The email address and mobile number decide where a person's messages go, so before
anyone types, the form says what changing another person's needs: their own PIN (asked
for when saving) or a manager, in which case the two fields are read-only. The service
decides (:func:`kiosk.services.directory.routing_rule`); this only says it early."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kiosk.changes import Changes, Topic
from kiosk.context import KioskContext
from kiosk.errors import KioskError
from kiosk.importing.staff import import_staff_file
from kiosk.rows.calls import DirectoryEntry
from kiosk.services import directory
from kiosk.services.directory import (
    ROUTING_FIELDS,
    ROUTING_FREE,
    ROUTING_MANAGER_ONLY,
    ROUTING_NEEDS_PIN,
    routing_refusal,
)
from kiosk.services.mail import MAIL_SERVER_BOX, save_smtp_settings, smtp_settings
from kiosk.text import has_every_word
from ui.ask import Asker
from ui.components.common import ActorSource, run_service, signed_in
from ui.components.desk.panel import DeskPanel
from ui.models.calls import DirectoryModel
from ui.widgets.labels import plain_label
from ui.widgets.tables import AttentionTableView

CSV_FILTER = "CSV files (*.csv *.txt);;All files (*)"
FIELDS = (
    ("name", "Name"),
    ("job_title", "Job title"),
    ("initials", "Initials"),
    ("pigeonhole", "Pigeonhole"),
    ("email", "Email"),
    ("extension", "Extension"),
    ("mobile", "Mobile"),
)


class DirectoryPanel(DeskPanel):
    """The staff directory, and the mail server that messages are emailed through."""

    title = "Staff"
    shows = frozenset({Topic.STAFF, Topic.SETTINGS})

    def __init__(
        self, ctx: KioskContext, actor: ActorSource, asker: Asker, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, actor, asker, parent)
        self._editing: int | None = None
        self._entry: DirectoryEntry | None = None
        self._routing = ROUTING_FREE
        self._setup_ui()

    # --- public ---------------------------------------------------------------------------

    def refresh(self) -> None:
        try:
            entries = directory.list_directory(self._ctx)
            today = self._ctx.clock().astimezone(self._ctx.timezone).date()
            out = directory.staff_on_trips(self._ctx, today)
            mail = smtp_settings(self._ctx)
        except KioskError as error:
            self.message.setText(error.message)
            return
        typed = self.search.text()
        rows = [
            (e, out.get(e.id, ""))
            for e in entries
            if has_every_word(typed, f"{e.name} {e.initials} {e.job_title} {e.email}")
        ]
        self.model.set_rows(rows)
        self.table.fit_columns()
        self.count.setText(
            f"{len(entries)} people in the directory; {len(out)} out on a visit today."
        )
        self.host.setText(mail.host)
        self.port.setValue(mail.port)
        self.starttls.setChecked(mail.starttls)
        self.username.setText(mail.username)
        self.from_address.setText(mail.from_address)
        self.password.clear()
        self.password.setPlaceholderText("(kept as it is)" if mail.has_password else "(none)")
        self._show_routing_rule()

    def edit_entry(self, staff_id: int | None) -> None:
        """Show someone's details in the form (None: an empty form for someone new)."""
        self._editing = staff_id
        entry = None
        if staff_id is not None:
            entry = next((r[0] for r in self.model.rows() if r[0].id == staff_id), None)
        self._entry = entry
        for name, _label in FIELDS:
            self.fields[name].setText(getattr(entry, name) if entry else "")
        self.form_title.setText(f"Editing {entry.name}" if entry else "Someone new")
        self._show_routing_rule()

    def save_entry(self) -> DirectoryEntry | None:
        actor = signed_in(self._asker, self, "Not saved", self._actor)
        if actor is None:
            return None
        values = {name: self.fields[name].text() for name, _label in FIELDS}
        their_pin: str | None = None
        entry = self._entry
        try:
            cleaned = directory.clean_entry_fields(values)
        except KioskError:
            cleaned = {}  # the service says what is wrong; no PIN is asked for first
        rerouted = entry is not None and any(
            key in cleaned and cleaned[key] != getattr(entry, key) for key in ROUTING_FIELDS
        )
        if entry is not None and rerouted and self._routing == ROUTING_NEEDS_PIN:
            their_pin = self._asker.secret(
                self,
                f"{entry.name}'s PIN",
                f"{entry.name}, type your own PIN to confirm your new email address or "
                "mobile number.",
            )
            if not their_pin:
                self.message.setText("Not saved: the change needs their PIN.")
                return None
        saved = run_service(
            self._asker,
            self,
            "Not saved",
            lambda: directory.save_entry(
                self._ctx, actor, staff_id=self._editing, their_pin=their_pin, **values
            ),
        )
        if saved is not None:
            self.message.setText(f"Saved {saved.name}.")
            self.refresh()
            self.edit_entry(saved.id)
            self.sig_changed.emit(Changes.of(Topic.STAFF))
        return saved

    def import_csv(self) -> None:
        actor = signed_in(self._asker, self, "Not imported", self._actor)
        if actor is None:
            return
        path = self._asker.open_path(self, "Import the staff list", CSV_FILTER)
        if not path:
            return
        try:
            report = import_staff_file(self._ctx, actor, Path(path))
        except KioskError as error:
            self._asker.error(self, "Not imported", error.message)
            return
        except OSError as error:
            self._asker.error(
                self, "Not imported", f"The file could not be read: {error.strerror or error}."
            )
            return
        problems = "\n".join(f"Line {p.line}: {p.reason}" for p in report.problems[:20])
        self._asker.info(
            self, "Staff imported", report.summary() + (f"\n\n{problems}" if problems else "")
        )
        self.refresh()
        self.sig_changed.emit(Changes.of(Topic.STAFF))

    def save_mail_settings(self) -> bool:
        actor = signed_in(self._asker, self, "Not saved", self._actor)
        if actor is None:
            return False
        password = self.password.text() or None
        saved = run_service(
            self._asker,
            self,
            "Mail server not saved",
            lambda: save_smtp_settings(
                self._ctx,
                actor,
                host=self.host.text(),
                port=self.port.value(),
                starttls=self.starttls.isChecked(),
                username=self.username.text(),
                from_address=self.from_address.text(),
                password=password,
            ),
        )
        if saved is None:
            return False
        self.message.setText("Mail server saved.")
        self.refresh()
        self.sig_changed.emit(Changes.of(Topic.SETTINGS))
        return True

    # --- building -------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        self.search = QLineEdit()
        self.search.setPlaceholderText("Find by name, initials, job or email")
        self.search.setAccessibleName("Find in the directory")
        self.search.textChanged.connect(lambda _text: self.refresh())
        self.count = plain_label(role="summary")
        self.model = DirectoryModel(self)
        self.table = AttentionTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Staff directory")
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)

        self.form_title = plain_label("Someone new", role="section")
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for name, label in FIELDS:
            field = QLineEdit()
            field.setAccessibleName(label)
            self.fields[name] = field
            form.addRow(label, field)
        save = QPushButton("Save")
        save.clicked.connect(self.save_entry)
        new = QPushButton("Someone new")
        new.clicked.connect(lambda: self.edit_entry(None))
        import_button = QPushButton("Import CSV…")
        import_button.clicked.connect(self.import_csv)
        buttons = QHBoxLayout()
        for button in (save, new, import_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.routing_hint = plain_label(role="hint", wrap=True)
        self.routing_hint.setAccessibleName("What changing the email or mobile needs")
        self.routing_hint.hide()
        hint = plain_label(
            "People added here are in the directory only; a manager gives a PIN to those who "
            "work at the desk.",
            role="hint",
            wrap=True,
        )

        self.host = QLineEdit()
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.starttls = QCheckBox("Use STARTTLS (encrypted)")
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.from_address = QLineEdit()
        mail_form = QFormLayout()
        mail_form.addRow("Server", self.host)
        mail_form.addRow("Port", self.port)
        mail_form.addRow("", self.starttls)
        mail_form.addRow("User name", self.username)
        mail_form.addRow("Password", self.password)
        mail_form.addRow("Send from", self.from_address)
        save_mail = QPushButton("Save mail server")
        save_mail.clicked.connect(self.save_mail_settings)
        mail_box = QGroupBox(MAIL_SERVER_BOX)
        mail_layout = QVBoxLayout(mail_box)
        mail_layout.addLayout(mail_form)
        mail_layout.addWidget(
            plain_label(
                "The password is kept in the school's database: keep the database safe. "
                "Only a manager can change these settings.",
                role="hint",
                wrap=True,
            )
        )
        mail_layout.addWidget(save_mail)
        self.for_managers(mail_box)

        self.message = plain_label(wrap=True)
        left = QVBoxLayout()
        left.addWidget(self.search)
        left.addWidget(self.count)
        left.addWidget(self.table, 1)
        right = QVBoxLayout()
        right.addWidget(self.form_title)
        right.addLayout(form)
        right.addWidget(self.routing_hint)
        right.addLayout(buttons)
        right.addWidget(hint)
        right.addWidget(mail_box)
        right.addStretch(1)
        right.addWidget(self.message)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addLayout(right, 2)

    def _show_routing_rule(self) -> None:
        """Say, before anything is typed, what changing this person's email address or
        mobile number needs; read-only fields when only a manager can."""
        entry, who = self._entry, self._actor()
        rule = ROUTING_FREE
        if entry is not None and who is not None:
            try:
                rule = directory.routing_rule(self._ctx, who, entry.id)
            except KioskError as error:
                self.message.setText(error.message)
                rule = ROUTING_MANAGER_ONLY
        self._routing = rule
        for key in ROUTING_FIELDS:
            self.fields[key].setReadOnly(rule == ROUTING_MANAGER_ONLY)
        if entry is None or rule == ROUTING_FREE:
            self.routing_hint.clear()
            self.routing_hint.hide()
            return
        if rule == ROUTING_NEEDS_PIN:
            self.routing_hint.setText(
                f"Changing {entry.name}'s email address or mobile number needs {entry.name}'s "
                "own PIN (asked for when you save) or a manager: they decide where messages go."
            )
        else:
            self.routing_hint.setText(routing_refusal(entry.name, rule))
        self.routing_hint.show()

    # --- slots ----------------------------------------------------------------------------

    def _on_selection_changed(self, *_args: object) -> None:
        rows = self.table.selected_rows()
        row = self.model.row_at(rows[0]) if rows else None
        if row is not None:
            self.edit_entry(row[0].id)
