"""The desk window's lock: first-run set-up of the first manager, then sign-in by PIN.

Pupils' scans never pass through here: the scan listener takes a scanner burst before it
reaches the PIN field, so a locked desk never stops the morning hand-in. A PIN typed quickly
is not a scan (it is not shaped like a card) and reaches the field as typed.
"""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.config import describe_database
from kiosk.context import KioskContext
from kiosk.errors import KioskError
from kiosk.faults import plain_fault
from kiosk.rows.people import Actor
from kiosk.services.staff import (
    MAX_PIN,
    MIN_PIN,
    create_first_manager,
    list_staff,
    needs_first_manager,
    sign_in,
)

SCANS_STILL_WORK = "Pupils can still scan while the desk is locked."
PINS_DIFFER = "The two PINs are not the same. Type the same PIN twice."
TYPE_PIN = "Type your PIN."
CHOOSE_NAME = "Choose your name."


def demo_sign_in_line() -> str:
    """The demo PINs, for the demo school's lock screen; empty when they are unknown."""
    try:
        from kiosk.demo import school as demo
    except ImportError:
        return ""
    people = [
        (getattr(demo, f"DEMO_{who}_NAME", None), getattr(demo, f"DEMO_{who}_PIN", None))
        for who in ("RECEPTIONIST", "MANAGER")
    ]
    known = [f"{name} (PIN {pin})" for name, pin in people if name and pin]
    if not known:
        return ""
    return "Demo school — sign in as " + " or ".join(known) + "."


def _text(text: str = "", role: str | None = None) -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(True)
    if role:
        label.setProperty("role", role)
    return label


def _pin_field(placeholder: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(MAX_PIN)
    field.setValidator(QRegularExpressionValidator(QRegularExpression(rf"\d{{0,{MAX_PIN}}}")))
    field.setPlaceholderText(placeholder)
    field.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
    return field


class LockScreen(QWidget):
    """Who is at the desk: sign in with a PIN, or set up the first manager."""

    sig_unlocked = Signal(object)
    """Someone signed in (or set up the first manager): the :class:`Actor`."""

    def __init__(
        self, ctx: KioskContext, *, demo: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._demo = demo
        self._setup_ui()
        self.refresh()

    # --- public ---------------------------------------------------------------------------

    @property
    def first_run(self) -> bool:
        return self._first_run

    def refresh(self) -> None:
        """Show set-up or sign-in, whichever the database needs, with empty PIN fields."""
        for field in (self.pin, self.new_pin, self.new_pin_again):
            field.clear()
        self._say("")
        if needs_first_manager(self._ctx):
            self._show_page(first_run=True)
            self.title.setText("Set up the reception desk")
        else:
            self._load_staff()
            self._show_page(first_run=False)
            self.title.setText("The desk is locked")
        where = describe_database(self._ctx.db.url)
        # A long path may break after each folder (a zero-width space), never run off the card.
        breakable = where.replace("/", "/\u200b").replace("\\", "\\\u200b")
        self.demo_line.setText(
            f"{demo_sign_in_line()}\nDatabase: {breakable}" if self._demo else ""
        )
        self.demo_line.setToolTip(where if self._demo else "")
        self.demo_line.setVisible(bool(self.demo_line.text()))

    def reload(self) -> None:
        """Catch up with changes made elsewhere (staff added, set-up done on another desk)
        without clearing what is being typed."""
        if needs_first_manager(self._ctx) != self.first_run:
            self.refresh()
        elif not self.first_run:
            self._load_staff()

    def focus_first_field(self) -> None:
        (self.manager_name if self.first_run else self.pin).setFocus()

    def message(self) -> str:
        """The message shown to the person at the desk (empty when there is none)."""
        return self.feedback.text()

    # --- building -------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        self.setObjectName("LockScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        card = QFrame()
        card.setObjectName("LockCard")
        card.setMaximumWidth(520)
        self.title = _text("", "lock-title")
        # Only one page is shown at a time; hidden, the other takes no room in the card.
        self._first_run = False
        self.sign_in_page = self._build_sign_in_page()
        self.setup_page = self._build_setup_page()
        self.feedback = _text("", "lock-error")
        self.feedback.setAccessibleName("Sign-in message")
        self.demo_line = _text("", "lock-demo")
        self.scans_line = _text(SCANS_STILL_WORK, "lock-note")
        inner = QVBoxLayout(card)
        inner.setContentsMargins(36, 32, 36, 32)
        inner.setSpacing(14)
        inner.addWidget(self.title)
        inner.addWidget(self.sign_in_page)
        inner.addWidget(self.setup_page)
        inner.addWidget(self.feedback)
        inner.addWidget(self.demo_line)
        inner.addWidget(self.scans_line)
        # Centred by stretches, not alignment, so the wrapped lines get their full height.
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 10)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

    def _build_sign_in_page(self) -> QWidget:
        page = QWidget()
        self.staff_box = QComboBox()
        self.staff_box.setAccessibleName("Who are you")
        self.pin = _pin_field("Your PIN")
        self.pin.setAccessibleName("PIN")
        self.pin.returnPressed.connect(self._on_sign_in)
        self.sign_in_button = QPushButton("Sign in")
        self.sign_in_button.setProperty("role", "primary")
        self.sign_in_button.clicked.connect(self._on_sign_in)
        form = QFormLayout(page)
        form.setContentsMargins(0, 0, 0, 0)
        form.setSpacing(10)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        form.addRow("Who are you?", self.staff_box)
        form.addRow("PIN", self.pin)
        form.addRow("", self.sign_in_button)
        return page

    def _build_setup_page(self) -> QWidget:
        page = QWidget()
        intro = _text(
            "Nobody has set up this desk yet. The first manager chooses a PIN of "
            f"{MIN_PIN} to {MAX_PIN} digits, then adds the other staff in Settings."
        )
        self.manager_name = QLineEdit()
        self.manager_name.setPlaceholderText("For example, Mrs Amina Khan")
        self.manager_name.setAccessibleName("Manager's name")
        self.manager_name.setMaxLength(200)
        self.new_pin = _pin_field("Choose a PIN")
        self.new_pin.setAccessibleName("New PIN")
        self.new_pin_again = _pin_field("The same PIN again")
        self.new_pin_again.setAccessibleName("New PIN again")
        self.new_pin_again.returnPressed.connect(self._on_set_up)
        self.set_up_button = QPushButton("Set up and sign in")
        self.set_up_button.setProperty("role", "primary")
        self.set_up_button.clicked.connect(self._on_set_up)
        form = QFormLayout()
        form.setSpacing(10)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        form.addRow("Your name", self.manager_name)
        form.addRow("PIN", self.new_pin)
        form.addRow("PIN again", self.new_pin_again)
        form.addRow("", self.set_up_button)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(14)
        layout.addWidget(intro)
        layout.addLayout(form)
        return page

    def _show_page(self, *, first_run: bool) -> None:
        self._first_run = first_run
        self.sign_in_page.setVisible(not first_run)
        self.setup_page.setVisible(first_run)

    def _load_staff(self) -> None:
        chosen = self.staff_box.currentData()
        self.staff_box.clear()
        for person in list_staff(self._ctx, can_sign_in=True):
            self.staff_box.addItem(f"{person.name} — {person.role}", person.id)
        index = self.staff_box.findData(chosen)
        if index >= 0:
            self.staff_box.setCurrentIndex(index)

    # --- slots ----------------------------------------------------------------------------

    def _on_sign_in(self) -> None:
        staff_id = self.staff_box.currentData()
        pin = self.pin.text()
        if staff_id is None:
            self._say(CHOOSE_NAME)
            return
        if not pin:
            self._say(TYPE_PIN)
            self.pin.setFocus()
            return
        try:
            actor = sign_in(self._ctx, staff_id, pin)
        except KioskError as refused:
            self.pin.clear()
            self.pin.setFocus()
            self._say(refused.message)
            return
        except Exception as error:
            if not self._said_fault(error):
                raise
            return
        self._unlock(actor)

    def _on_set_up(self) -> None:
        if self.new_pin.text() != self.new_pin_again.text():
            self.new_pin.clear()
            self.new_pin_again.clear()
            self.new_pin.setFocus()
            self._say(PINS_DIFFER)
            return
        try:
            actor = create_first_manager(self._ctx, self.manager_name.text(), self.new_pin.text())
        except KioskError as refused:
            if not needs_first_manager(self._ctx):
                self.refresh()  # another desk finished set-up first: offer sign-in instead
            self._say(refused.message)
            return
        except Exception as error:
            if not self._said_fault(error):
                raise
            return
        self._unlock(actor)

    def _said_fault(self, error: Exception) -> bool:
        """Say an expected fault (the database busy or unreachable) in plain words and keep
        the PIN typed, so the person can simply try again; False for anything else."""
        fault = plain_fault(error)
        if fault is None:
            return False
        self._say(fault.message)
        return True

    def _unlock(self, actor: Actor) -> None:
        for field in (self.pin, self.new_pin, self.new_pin_again):
            field.clear()
        self._say("")
        self.sig_unlocked.emit(actor)

    def _say(self, text: str) -> None:
        self.feedback.setText(text)
        self.feedback.setVisible(bool(text))
