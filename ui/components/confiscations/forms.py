"""The two forms of the Confiscations tab: taking a device in, and handing it back.

Both are pages inside the tab, not modal dialogs, so the receptionist can glance at the
list while filling them in and tests can drive them like any other widget.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.codes.pupil_card import looks_like_pupil_card, verify_pupil_card
from kiosk.context import KioskContext
from kiosk.errors import KioskError
from kiosk.rows.confiscations import OVERRIDES, REASONS, ConfiscationRow, ReleaseCheck
from kiosk.rows.people import ContactRow, PupilRow
from kiosk.scanning.keystrokes import refusal_reason
from kiosk.services import confiscations as conf
from kiosk.services import contacts, pupils, staff
from kiosk.services.confiscations import OverrideNeeded
from ui.ask import Asker
from ui.components.common import ActorSource, run_service, signed_in
from ui.widgets.folding_completer import FoldingCompleter
from ui.widgets.labels import plain_label
from ui.widgets.pupil_picker import PupilPicker
from ui.widgets.signature_pad import SignaturePad
from ui.widgets.styling import button_row, card_frame, card_layout
from ui.widgets.time_fields import TimeField

SOMEONE_ELSE = "Someone else…"
NOT_CONFIRMED = "not yet confirmed by a manager"


def repeat_text(count: int) -> str:
    """How many devices the pupil has had confiscated this term, counting this one."""
    if count <= 1:
        return "First confiscation this term."
    return f"{count} confiscations this term, counting this one: see the behaviour policy."


class ConfiscationForm(QWidget):
    """Pupil (type-ahead, or a card code typed or pasted), device, reason, who took it,
    where it is kept, and when."""

    sig_saved = Signal(object)
    """The confiscation was recorded; carries its :class:`ConfiscationRow`."""
    sig_cancelled = Signal()

    def __init__(
        self, ctx: KioskContext, actor: ActorSource, asker: Asker, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx, self._actor, self._asker = ctx, actor, asker
        self._staff_ids: list[int] = []
        self._setup_ui()

    # --- public ---------------------------------------------------------------------------

    def start(self, pupil_id: int | None = None) -> None:
        """Clear the form for a new confiscation (for a given pupil, if known)."""
        for field in (self.device, self.bag):
            field.clear()
        self.note.clear()
        self.reason.setCurrentIndex(0)
        self.place.setCurrentIndex(0)
        self._load_staff()
        local = self._ctx.clock().astimezone(self._ctx.timezone)
        self.time.setTime(QTime(local.hour, local.minute))
        self.picker.clear()
        self._show_repeats(None)
        if pupil_id is not None:
            self.choose_pupil(pupils.get_pupil(self._ctx, pupil_id))
        self.picker.search.setFocus()

    def choose_pupil(self, pupil: PupilRow) -> None:
        """Name the pupil the device was taken from."""
        self.picker.set_pupil(pupil)
        self._show_repeats(pupil)

    def wants_card(self) -> bool:
        """True while the receptionist is choosing the pupil (the pupil box has focus):
        a card scanned now names the pupil instead of handing a phone in."""
        return self.isVisible() and self.picker.search.hasFocus()

    def take_card(self, code: str) -> bool:
        """Use a scanned card to choose the pupil; False if it is not a pupil card."""
        if not looks_like_pupil_card(code):
            return False
        self.picker.search.setText(code.strip())
        self._on_card_entered(code.strip())
        return True

    def choose_staff(self, name: str) -> None:
        self.staff.setCurrentIndex(self.staff.findText(name))

    # --- building -------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        self.picker = PupilPicker(
            lambda text: pupils.search_pupils(self._ctx, text, limit=8),
            describe=lambda pupil: f"{pupil.name} · {pupil.year_label} · Form {pupil.form}",
            chosen_role="pupil-name",
            placeholder="Pupil: type a name, form or UPN, or a card code",
            results_height=120,
            is_code=looks_like_pupil_card,
        )
        self.picker.sig_chosen.connect(self._show_repeats)
        self.picker.sig_cleared.connect(lambda: self._show_repeats(None))
        self.picker.sig_code_entered.connect(self._on_card_entered)
        self.repeat = plain_label(role="flag", wrap=True)

        self.device = QLineEdit()
        self.device.setPlaceholderText("For example: black iPhone, cracked blue case")
        self.device.setAccessibleName("Device")
        self.reason = QComboBox()
        self.reason.setAccessibleName("Reason")
        for key, label in REASONS.items():
            self.reason.addItem(label, key)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("Note (needed for 'Other')")
        self.note.setAccessibleName("Note")
        self.note.setFixedHeight(64)
        self.staff = QComboBox()
        self.staff.setEditable(True)
        self.staff.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.staff.setAccessibleName("Confiscated by")
        self.place = QComboBox()
        self.place.setEditable(True)
        self.place.addItems(list(conf.STORAGE_PLACES))
        self.place.setAccessibleName("Where it is stored")
        self.bag = QLineEdit()
        self.bag.setPlaceholderText("Sealed bag number, if bagged")
        self.bag.setAccessibleName("Sealed bag number")
        self.time = TimeField()
        self.time.setAccessibleName("Time confiscated")

        form = QFormLayout()
        form.addRow("Device", self.device)
        form.addRow("Reason", self.reason)
        form.addRow("", self.note)
        form.addRow("Confiscated by", self.staff)
        form.addRow("Stored in", self.place)
        form.addRow("Bag number", self.bag)
        form.addRow("Time (today)", self.time)

        self.save_button = QPushButton("Record confiscation")
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton("Cancel")
        self.save_button.clicked.connect(self._on_save)
        self.cancel_button.clicked.connect(self.sig_cancelled)
        buttons = button_row(self.save_button, self.cancel_button)

        frame = card_frame()
        inner = card_layout(frame)
        inner.addWidget(plain_label("New confiscation", role="heading"))
        inner.addWidget(self.picker)
        inner.addWidget(self.repeat)
        inner.addLayout(form)
        inner.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(frame)
        layout.addStretch(1)

    def _load_staff(self) -> None:
        try:
            members = staff.list_staff(self._ctx)
        except KioskError:
            members = []
        self.staff.clear()
        self._staff_ids = [m.id for m in members]
        self.staff.addItems([m.name for m in members])
        # Typing "lukasz" offers Mr Łukasz Nowak, as every name search does.
        self.staff.setCompleter(FoldingCompleter([m.name for m in members], self.staff))
        self.staff.setCurrentIndex(-1)
        self.staff.setEditText("")

    def _show_repeats(self, pupil: PupilRow | None) -> None:
        if pupil is None:
            self.repeat.hide()
            return
        try:
            count = conf.count_this_term(self._ctx, pupil.id) + 1
        except KioskError:
            count = 0
        self.repeat.setText(repeat_text(count))
        self.repeat.setVisible(count > 0)

    def _staff_id(self) -> int | None:
        name = self.staff.currentText().strip()
        index = self.staff.findText(name, Qt.MatchFlag.MatchFixedString)
        return self._staff_ids[index] if index >= 0 else None

    # --- slots ----------------------------------------------------------------------------

    def _on_card_entered(self, code: str) -> None:
        try:
            claim = verify_pupil_card(self._ctx.card_key, self._ctx.card_code, code)
            self.choose_pupil(pupils.get_pupil(self._ctx, claim.pupil_id))
        except KioskError as error:
            reason = refusal_reason(self._ctx.card_key, self._ctx.card_code, code, error.message)
            self._asker.error(self, "Card not recognised", reason)

    def _on_save(self) -> None:
        actor = signed_in(self._asker, self, "Confiscation", self._actor)
        if actor is None:
            return
        pupil = self.picker.pupil()
        if pupil is None:
            self._asker.error(self, "Confiscation", "Choose the pupil first.")
            return
        staff_id = self._staff_id()
        if staff_id is None:
            self._asker.error(
                self,
                "Confiscation",
                "Choose the member of staff who confiscated it from the list.",
            )
            return
        local_now = self._ctx.clock().astimezone(self._ctx.timezone)
        chosen = self.time.time()
        taken_at = datetime.combine(
            local_now.date(),
            local_now.time().replace(hour=chosen.hour(), minute=chosen.minute(), second=0),
            tzinfo=self._ctx.timezone,
        )
        if taken_at > local_now:
            taken_at = local_now
        row = run_service(
            self._asker,
            self,
            "Confiscation",
            lambda: conf.confiscate(
                self._ctx,
                actor,
                pupil.id,
                device=self.device.text(),
                reason=self.reason.currentData(),
                note=self.note.toPlainText(),
                confiscated_by=staff_id,
                location=self.place.currentText(),
                bag_number=self.bag.text(),
                taken_at=taken_at,
            ),
        )
        if row is not None:
            self.sig_saved.emit(row)


class ReleaseForm(QWidget):
    """Who is collecting, their relationship, ID checked, and their signature."""

    sig_released = Signal(object)
    """The device was released; carries the updated :class:`ConfiscationRow`."""
    sig_cancelled = Signal()

    def __init__(
        self, ctx: KioskContext, actor: ActorSource, asker: Asker, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx, self._actor, self._asker = ctx, actor, asker
        self.confiscation: ConfiscationRow | None = None
        self._contacts: list[ContactRow] = []
        self._pupil_allowed = False
        self._setup_ui()

    # --- public ---------------------------------------------------------------------------

    def start(self, confiscation: ConfiscationRow) -> None:
        self.confiscation = confiscation
        self._contacts = [
            c for c in contacts.contacts_for(self._ctx, confiscation.pupil.id) if c.may_collect
        ]
        self._pupil_allowed = conf.release_setting(self._ctx) == "pupil"
        self.heading.setText(f"Release {confiscation.device}")
        self.facts.setText(
            f"{confiscation.pupil.name} · Form {confiscation.pupil.form} · "
            f"kept in {confiscation.place}"
        )
        self.collector.blockSignals(True)
        self.collector.clear()
        for contact in self._contacts:
            label = contact.label if contact.verified else f"{contact.label}, {NOT_CONFIRMED}"
            self.collector.addItem(label, ("contact", contact.id))
        if self._pupil_allowed:
            self.collector.addItem(f"The pupil, {confiscation.pupil.name}", ("pupil", None))
        self.collector.addItem(SOMEONE_ELSE, ("other", None))
        self.collector.blockSignals(False)
        self.id_checked.setChecked(False)
        self.signature.clear()
        self.collector.setCurrentIndex(0)
        self._on_collector_changed()

    def choose_collector(self, text: str) -> None:
        self.collector.setCurrentIndex(self.collector.findText(text))

    # --- building -------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        self.heading = plain_label(role="heading", wrap=True)
        self.facts = plain_label(wrap=True)
        self.collector = QComboBox()
        self.collector.setAccessibleName("Collected by")
        self.collector.currentIndexChanged.connect(self._on_collector_changed)
        self.name = QLineEdit()
        self.name.setAccessibleName("Collector's name")
        self.name.setPlaceholderText("Full name of the person collecting")
        self.relationship = QLineEdit()
        self.relationship.setAccessibleName("Relationship to the pupil")
        self.relationship.setPlaceholderText("Mother, Carer, Grandparent…")
        self.id_checked = QCheckBox("Photo ID checked")
        self.id_checked.toggled.connect(self._update_warnings)
        self.name.textChanged.connect(self._update_warnings)
        # The alert list in red, apart from the ordinary warnings: it is not a formality.
        self.alert = plain_label(role="inline-error", wrap=True)
        self.alert.setAccessibleName("Alert list warning")
        self.alert.hide()
        self.warning = plain_label(role="flag", wrap=True)
        self.signature = SignaturePad(hint="Collector signs here")
        self.signature.setMinimumHeight(160)

        form = QFormLayout()
        form.addRow("Collected by", self.collector)
        form.addRow("Name", self.name)
        form.addRow("Relationship", self.relationship)
        form.addRow("", self.id_checked)

        self.release_button = QPushButton("Release device")
        self.release_button.setDefault(True)
        self.cancel_button = QPushButton("Cancel")
        self.release_button.clicked.connect(self._on_release)
        self.cancel_button.clicked.connect(self.sig_cancelled)
        buttons = button_row(self.release_button, self.cancel_button)

        frame = card_frame()
        inner = card_layout(frame)
        inner.addWidget(self.heading)
        inner.addWidget(self.facts)
        inner.addLayout(form)
        inner.addWidget(plain_label("Signature of the person collecting", role="section"))
        inner.addWidget(self.signature)
        inner.addLayout(buttons)
        # The warnings come and go as the form is filled in; below the buttons they never
        # move the Release button from under the pointer.
        inner.addWidget(self.alert)
        inner.addWidget(self.warning)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(frame)
        layout.addStretch(1)

    def _choice(self) -> tuple[str, int | None]:
        data = self.collector.currentData()
        return data if data is not None else ("other", None)

    # --- slots ----------------------------------------------------------------------------

    def _check(self) -> ReleaseCheck | None:
        """What the release service would say now; None when it cannot be asked."""
        confiscation = self.confiscation
        actor = self._actor()
        if confiscation is None or actor is None:
            return None
        kind, contact_id = self._choice()
        try:
            return conf.release_check(
                self._ctx,
                actor,
                confiscation.id,
                collector_name=self.name.text(),
                contact_id=contact_id,
                to_pupil=kind == "pupil",
                id_checked=self.id_checked.isChecked(),
            )
        except KioskError:
            return None

    def _warning_lines(self, check: ReleaseCheck) -> list[str]:
        """The warnings below the form, in the receptionist's words, one per rule."""
        kind, _ = self._choice()
        lines = []
        if "not_listed" in check.needs:
            if kind != "other":
                lines.append("This contact may not collect: a manager's PIN will be needed.")
            elif self._contacts:
                lines.append(
                    "Not a listed contact who may collect: a manager's PIN will be needed."
                )
            else:
                lines.append(
                    "This pupil has no contact on file who may collect: a manager's PIN "
                    "will be needed."
                )
        if "unverified_contact" in check.needs:
            lines.append(
                "This contact was added or allowed to collect at the desk and a manager has "
                "not confirmed them yet: a manager's PIN will be needed (or ask a manager to "
                "confirm them under Parents and carers)."
            )
        if "id_not_checked" in check.needs:
            lines.append(
                "Photo ID is not ticked: check their photo ID, or a manager's PIN will be needed."
            )
        return lines

    def _update_warnings(self, *_args: object) -> None:
        check = self._check()
        if check is None:
            self.alert.hide()
            self.warning.hide()
            return
        if check.on_alert_list:
            note = f" The alert says: {check.alert_note}" if check.alert_note else ""
            self.alert.setText(
                f"{self.name.text().strip()} is on the alert list: do not hand the device "
                f"over.{note} Only a manager can allow it, with a reason."
            )
        self.alert.setVisible(check.on_alert_list)
        lines = self._warning_lines(check)
        self.warning.setText("\n".join(lines))
        self.warning.setVisible(bool(lines))

    def _on_collector_changed(self, *_args: object) -> None:
        kind, contact_id = self._choice()
        contact = next((c for c in self._contacts if c.id == contact_id), None)
        self.name.setEnabled(kind == "other")
        self.relationship.setEnabled(kind == "other")
        if contact is not None:
            self.name.setText(contact.name)
            self.relationship.setText(contact.relationship)
        elif kind == "pupil":
            self.name.setText(self.confiscation.pupil.name if self.confiscation else "")
            self.relationship.setText("Pupil")
        else:
            self.name.clear()
            self.relationship.clear()
        self._update_warnings()

    def _on_release(self) -> None:
        confiscation = self.confiscation
        actor = signed_in(self._asker, self, "Release device", self._actor)
        if confiscation is None or actor is None:
            return
        kind, contact_id = self._choice()
        collector_name = self.name.text()
        relationship = self.relationship.text()
        id_checked = self.id_checked.isChecked()
        signature = b"" if self.signature.is_empty() else self.signature.to_png_bytes()

        def release(override_pin: str | None = None, override_reason: str = "") -> ConfiscationRow:
            # The form is read once, above: a second try with a manager's PIN releases to
            # the same collector the first one was refused for.
            return conf.release_device(
                self._ctx,
                actor,
                confiscation.id,
                collector_name=collector_name,
                relationship=relationship,
                contact_id=contact_id,
                to_pupil=kind == "pupil",
                id_checked=id_checked,
                signature_png=signature,
                override_pin=override_pin,
                override_reason=override_reason,
            )

        row: ConfiscationRow | None
        try:
            row = release()
        except OverrideNeeded as needed:
            overriding = " and ".join(OVERRIDES[rule] for rule in needed.check.needs)
            pin = self._asker.secret(
                self,
                "Manager's PIN needed",
                f"{needed.message}\n\nA manager is overriding: {overriding}.\n\nManager's PIN:",
            )
            if pin is None:
                return
            reason = self._asker.text(
                self,
                "Manager's override",
                f"Overriding: {overriding}.\n\nWhy may they collect it? (recorded)",
            )
            if reason is None:
                return
            if not reason.strip():
                self._asker.error(
                    self,
                    "Release device",
                    "A manager's override needs a reason; nothing was changed.",
                )
                return
            row = run_service(
                self._asker,
                self,
                "Release device",
                lambda: release(override_pin=pin, override_reason=reason),
            )
        except KioskError as error:
            self._asker.error(self, "Release device", error.message)
            return
        if row is not None:
            self.sig_released.emit(row)
