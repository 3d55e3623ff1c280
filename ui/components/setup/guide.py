"""The first-run guide: a new school goes from an empty database to printed cards at the desk.

Shown in the desk window in place of the lock screen while nobody has set the desk up. The
steps, in the order a school needs them: the school's name (printed on cards and shown on
the kiosk face) and its card code; the first manager, who chooses a PIN and is signed in;
then the pupils, parents' and carers' contacts and staff from the MIS, each with a preview
before anything is written; then the pupils' cards. Every step after the first manager can be
skipped and done later from the desk (Import and Cards); the first manager cannot, since
nobody could sign in without one.
"""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.changes import Changes, Topic
from kiosk.context import KioskContext
from kiosk.errors import KioskError
from kiosk.faults import plain_fault
from kiosk.rows.people import Actor
from kiosk.services.school import DEFAULT_SCHOOL_NAME, get_school, update_school
from kiosk.services.staff import MAX_PIN, MIN_PIN, create_first_manager, needs_first_manager
from ui.ask import Asker
from ui.components.custody.cards import CardsPanel
from ui.components.desk.workspace import desk_stylesheet
from ui.components.setup.imports import CONTACTS, PUPILS, STAFF, ImportBox
from ui.widgets.labels import plain_label
from ui.widgets.styling import card_frame, card_layout

STEP_NAMES = (
    "Your school",
    "First manager",
    "Pupils",
    "Parents and carers",
    "Staff",
    "Pupil cards",
)
PINS_DIFFER = "The two PINs are not the same. Type the same PIN twice."
SET_UP_ELSEWHERE = (
    "This desk has just been set up from another computer: sign in there with your PIN."
)
NAME_NEEDED = "Type the school's name as it should appear on cards and on the kiosk."


def _pin_field(placeholder: str, name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(MAX_PIN)
    field.setValidator(QRegularExpressionValidator(QRegularExpression(rf"\d{{0,{MAX_PIN}}}")))
    field.setPlaceholderText(placeholder)
    field.setAccessibleName(name)
    field.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
    return field


class SetupGuide(QWidget):
    """Step by step from a new database to printed cards; see the module docstring."""

    sig_finished = Signal(object)
    """The guide is over: the first manager (:class:`Actor`), to sign the desk in as."""

    sig_changed = Signal(object)
    """Something was written (the school's name, pupils…); carries the :class:`Changes`."""

    def __init__(self, ctx: KioskContext, asker: Asker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._asker = ctx, asker
        self._manager: Actor | None = None
        self._busy = False
        self._setup_ui()
        self.restart()

    # --- public ---------------------------------------------------------------------------

    def manager(self) -> Actor | None:
        """The first manager once set up here (the guide acts as them), else None."""
        return self._manager

    def step(self) -> int:
        """The step in view, from 0 (:data:`STEP_NAMES`)."""
        return self.pages.currentIndex()

    def restart(self) -> None:
        """Start again at the first step, with the school's name as it is stored ("Our
        School", the placeholder, is shown as an empty field to fill)."""
        self._manager = None
        try:
            school = get_school(self._ctx)
        except Exception as error:
            fault = plain_fault(error)
            if fault is None:
                raise
            self._say(fault.message)
            return
        self.school_name.setText("" if school.name == DEFAULT_SCHOOL_NAME else school.name)
        self.card_code.setText(
            f"Your cards will carry the code {school.card_code}: it tells this school's cards "
            "from any other school's, so a card from elsewhere is never mistaken for one of yours."
        )
        for field in (self.manager_name, self.new_pin, self.new_pin_again):
            field.clear()
        for box in self.imports:
            box.reset()
        self._go(0)

    def next_step(self) -> None:
        """Do what the step in view asks (name the school, set up the manager) and go on;
        on the last step, finish. Says what is wrong and stays when the step cannot be done."""
        step = self.step()
        if step == 0 and not self._save_school_name():
            return
        if step == 1 and not self._set_up_manager():
            return
        if step == len(STEP_NAMES) - 1:
            self._finish()
            return
        self._go(step + 1)

    def skip_step(self) -> None:
        """Leave the step in view for later and go on (the last step finishes)."""
        if self.step() == len(STEP_NAMES) - 1:
            self._finish()
        else:
            self._go(self.step() + 1)

    def back(self) -> None:
        """Go back one step (never back before the manager once they are set up)."""
        lowest = 2 if self._manager is not None else 0
        if self.step() > lowest:
            self._go(self.step() - 1)

    def focus_first_field(self) -> None:
        """Put the cursor where the step in view starts."""
        first = {0: self.school_name, 1: self.manager_name}.get(self.step())
        if first is not None:
            first.setFocus()

    # --- building -------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        self.setObjectName("SetupGuide")
        self.title = plain_label("", role="heading")
        self.steps_line = plain_label("", role="hint", wrap=True)
        self.steps_line.setTextFormat(Qt.TextFormat.RichText)
        self.steps_line.setAccessibleName("Set-up steps")
        self.pages = QStackedWidget()
        self.pages.addWidget(self._school_page())
        self.pages.addWidget(self._manager_page())
        self.imports = [
            ImportBox(self._ctx, self.manager, self._asker, kind)
            for kind in (PUPILS, CONTACTS, STAFF)
        ]
        for box in self.imports:
            box.sig_changed.connect(self.sig_changed)
            box.sig_busy.connect(self._on_busy)
            self.pages.addWidget(box)
        self.cards = CardsPanel(self._ctx, self.manager, self._asker)
        self.cards.sig_job_done.connect(lambda: self._on_busy(False))
        self.pages.addWidget(self.cards)

        self.feedback = plain_label("", role="error", wrap=True)
        self.feedback.setAccessibleName("Set-up message")
        self.feedback.hide()
        self.back_button = QPushButton("Back")
        self.back_button.clicked.connect(self.back)
        self.skip_button = QPushButton("Skip for now")
        self.skip_button.setToolTip("Leave this step for later: it can be done from the desk")
        self.skip_button.clicked.connect(self.skip_step)
        self.next_button = QPushButton("Next")
        self.next_button.setProperty("role", "primary")
        self.next_button.clicked.connect(self.next_step)
        for button in (self.back_button, self.skip_button, self.next_button):
            button.setMinimumHeight(36)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.next_button)

        card = card_frame()
        card.setMaximumWidth(980)
        inner = card_layout(card)
        inner.setSpacing(12)
        inner.addWidget(self.title)
        inner.addWidget(self.steps_line)
        inner.addWidget(self.pages, 1)
        inner.addWidget(self.feedback)
        inner.addLayout(buttons)
        row = QHBoxLayout(self)
        row.addStretch(1)
        row.addWidget(card, 20)
        row.addStretch(1)
        self.setStyleSheet(desk_stylesheet())

    def _school_page(self) -> QWidget:
        page = QWidget()
        intro = plain_label(
            "Welcome. A few steps set up this desk for your school; everything after the first "
            "manager can be skipped and done later from the desk.",
            wrap=True,
        )
        self.school_name = QLineEdit()
        self.school_name.setMaxLength(200)
        self.school_name.setPlaceholderText("For example, Riverside Academy")
        self.school_name.setAccessibleName("School name")
        self.school_name.returnPressed.connect(self.next_step)
        self.card_code = plain_label("", role="hint", wrap=True)
        form = QFormLayout()
        form.addRow("School name", self.school_name)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.card_code)
        layout.addStretch(1)
        return page

    def _manager_page(self) -> QWidget:
        page = QWidget()
        intro = plain_label(
            f"The first manager chooses a PIN of {MIN_PIN} to {MAX_PIN} digits and is signed "
            "in at once. Managers import the school's lists, give other staff their PINs and "
            "change settings.",
            wrap=True,
        )
        self.manager_name = QLineEdit()
        self.manager_name.setMaxLength(200)
        self.manager_name.setPlaceholderText("For example, Mrs Amina Khan")
        self.manager_name.setAccessibleName("Manager's name")
        self.new_pin = _pin_field("Choose a PIN", "New PIN")
        self.new_pin_again = _pin_field("The same PIN again", "New PIN again")
        self.new_pin_again.returnPressed.connect(self.next_step)
        form = QFormLayout()
        form.addRow("Your name", self.manager_name)
        form.addRow("PIN", self.new_pin)
        form.addRow("PIN again", self.new_pin_again)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addStretch(1)
        return page

    # --- steps ----------------------------------------------------------------------------

    def _go(self, step: int) -> None:
        self.pages.setCurrentIndex(step)
        self._say("")
        self.title.setText(f"Set up the reception desk — step {step + 1} of {len(STEP_NAMES)}")
        # The step names are the guide's own words: safe as rich text, the current one bold.
        self.steps_line.setText(
            "  ·  ".join(
                f"<b>{name}</b>" if index == step else name for index, name in enumerate(STEP_NAMES)
            )
        )
        if step == len(STEP_NAMES) - 1:
            self.cards.refresh()
        self._update_buttons()
        self.focus_first_field()

    def _update_buttons(self) -> None:
        step = self.step()
        last = step == len(STEP_NAMES) - 1
        self.next_button.setText("Open the desk" if last else "Next")
        self.skip_button.setText("Finish without cards" if last else "Skip for now")
        # The manager is the one step that cannot wait: without one nobody can sign in.
        self.skip_button.setVisible(step not in (0, 1) and not last)
        self.back_button.setEnabled(step > (2 if self._manager is not None else 0))
        for button in (self.back_button, self.skip_button, self.next_button):
            if self._busy:
                button.setEnabled(False)
        if not self._busy:
            self.skip_button.setEnabled(True)
            self.next_button.setEnabled(True)

    def _save_school_name(self) -> bool:
        """Keep the typed name for the manager's step (a name is changed by a manager)."""
        if not self.school_name.text().strip():
            self._say(NAME_NEEDED)
            self.school_name.setFocus()
            return False
        if self._manager is not None:
            return self._rename_school(self._manager)
        return True

    def _set_up_manager(self) -> bool:
        if self._manager is not None:
            return True
        if not needs_first_manager(self._ctx):
            self._say(SET_UP_ELSEWHERE)
            return False
        if self.new_pin.text() != self.new_pin_again.text():
            self.new_pin.clear()
            self.new_pin_again.clear()
            self.new_pin.setFocus()
            self._say(PINS_DIFFER)
            return False
        try:
            manager = create_first_manager(self._ctx, self.manager_name.text(), self.new_pin.text())
        except KioskError as refused:
            self._say(refused.message)
            return False
        except Exception as error:
            fault = plain_fault(error)
            if fault is None:
                raise
            self._say(fault.message)
            return False
        self._manager = manager
        self.new_pin.clear()
        self.new_pin_again.clear()
        self.sig_changed.emit(Changes.of(Topic.STAFF))
        return self._rename_school(manager)

    def _rename_school(self, manager: Actor) -> bool:
        name = self.school_name.text().strip()
        try:
            if get_school(self._ctx).name != name:
                update_school(self._ctx, manager, name=name)
                self.sig_changed.emit(Changes.of(Topic.SETTINGS))
        except KioskError as refused:
            self._say(refused.message)
            return False
        except Exception as error:
            fault = plain_fault(error)
            if fault is None:
                raise
            self._say(fault.message)
            return False
        return True

    def _finish(self) -> None:
        if self._manager is not None:
            self.sig_finished.emit(self._manager)

    def _on_busy(self, busy: bool) -> None:
        self._busy = busy or self.cards.is_busy()
        self._update_buttons()

    def _say(self, text: str) -> None:
        self.feedback.setText(text)
        self.feedback.setVisible(bool(text))
