"""Settings at the desk: the school, the printers (A4 and badges), receptacles, release windows, staff, and
a test of the keyboard-wedge scanner.

Managers change them; a receptionist sees them read-only, with a line saying so (the
printers are the exception: anyone signed in may choose them). The services check roles too,
so a refusal is shown in their words whatever the screen allowed.
"""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import QAbstractItemModel, QTime
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kiosk.changes import Changes, Topic
from kiosk.clock import say_when
from kiosk.context import KioskContext
from kiosk.errors import KioskError
from kiosk.rows.custody import ReceptacleRow
from kiosk.rows.people import Actor, PinLockRow, StaffRow
from kiosk.rows.school import ReleaseWindowRow
from kiosk.services import calendar, custody, school, staff
from kiosk.services.visitors import update_visitor_settings, visitor_settings
from ui.ask import Asker
from ui.components.common import ActorSource, run_service, signed_in
from ui.components.desk.panel import DeskPanel
from ui.components.desk.scanner_test import ScannerTestBox
from ui.models.settings_models import WEEKDAYS, ReceptacleModel, ReleaseWindowModel, StaffModel
from ui.printing import available_printers
from ui.widgets.camera_scanner import CameraSettingsBox
from ui.widgets.labels import plain_label
from ui.widgets.styling import card_frame
from ui.widgets.tables import AttentionTableView
from ui.widgets.time_fields import TimeField

READ_ONLY_LINE = (
    "Only a manager can change these settings; you can see them here. "
    "Anyone signed in may choose the printers."
)
NOT_SIGNED_IN_LINE = "Sign in to change settings."
NO_PRINTER_CHOSEN = "No printer chosen"


def _qtime(value: time) -> QTime:
    return QTime(value.hour, value.minute)


def _time(value: QTime) -> time:
    return time(value.hour(), value.minute())


def _section(title: str) -> tuple[QWidget, QVBoxLayout]:
    box = card_frame()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(16, 12, 16, 14)
    layout.setSpacing(8)
    layout.addWidget(plain_label(title, role="section"))
    return box, layout


def _table(model: QAbstractItemModel, name: str, max_rows: int = 6) -> AttentionTableView:
    table = AttentionTableView()
    table.setModel(model)
    table.setAccessibleName(name)
    table.fit_to_rows(2, max_rows)
    return table


def _button_row(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    return row


class SettingsPanel(DeskPanel):
    """The school, its printer, receptacles, release windows and staff; managers change
    them, receptionists read them. Each save reports what it changed."""

    title = "Settings"
    shows = frozenset({Topic.SETTINGS, Topic.CUSTODY, Topic.CALENDAR, Topic.STAFF})

    def __init__(
        self, ctx: KioskContext, actor: ActorSource, asker: Asker, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, actor, asker, parent)
        self._manager_controls: list[QWidget] = []
        self._directory_only: list[StaffRow] = []  # in the directory, no PIN
        self._setup_ui()

    # --- public ---------------------------------------------------------------------------

    def refresh(self) -> None:
        try:
            details = school.get_school(self._ctx)
            self.receptacle_model.set_rows(custody.receptacles(self._ctx))
            self.window_model.set_rows(list(calendar.school_calendar(self._ctx).release_windows))
            everyone = staff.list_staff(self._ctx)
            locks = staff.pin_locks(self._ctx)
        except KioskError as error:
            self.read_only.setText(error.message)
            self.read_only.show()
            return
        # Only people who use the desk: a PIN, or a manager's role. Teachers in the staff
        # directory are listed under Staff, and are given a PIN from here when needed.
        self.staff_model.set_rows([m for m in everyone if m.uses_desk])
        self._directory_only = [m for m in everyone if not m.uses_desk]
        self.school_name.setText(details.name)
        self.permission_years.setText(details.permission_years)
        self._fill_printers(details.printer_a4, visitor_settings(self._ctx).badge_printer)
        self._show_pin_locks(locks)
        self._apply_role(self._actor())

    def showEvent(self, event: QShowEvent) -> None:
        # The person signed in may have changed since the last refresh (lock, new sign-in).
        self._apply_role(self._actor())
        super().showEvent(event)

    # --- building -------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        self.read_only = plain_label(READ_ONLY_LINE, role="readonly", wrap=True)

        # The school
        school_box, school_layout = _section("School")
        self.school_name = QLineEdit()
        self.school_name.setAccessibleName("School name")
        self.permission_years = QLineEdit()
        self.permission_years.setPlaceholderText("for example 5, 6 — or * for every year")
        self.permission_years.setAccessibleName("Years that need written permission")
        self.save_school_button = QPushButton("Save school details")
        self.save_school_button.clicked.connect(self._on_save_school)
        form = QFormLayout()
        form.addRow("School name", self.school_name)
        form.addRow("Years that need written\npermission to bring a phone", self.permission_years)
        school_layout.addLayout(form)
        school_layout.addWidget(
            plain_label(
                "A phone handed in by a pupil in these years with no permission on file is "
                "accepted and flagged on the board.",
                role="hint",
                wrap=True,
            )
        )
        school_layout.addLayout(_button_row(self.save_school_button))
        self._manager_controls += [
            self.school_name,
            self.permission_years,
            self.save_school_button,
        ]

        # The printers
        printer_box, printer_layout = _section("Printers")
        self.printer = QComboBox()
        self.printer.setAccessibleName("A4 printer")
        self.printer.setMinimumWidth(260)
        self.badge_printer = QComboBox()
        self.badge_printer.setAccessibleName("Badge printer")
        self.badge_printer.setMinimumWidth(260)
        self.find_printers_button = QPushButton("Look for printers again")
        self.save_printer_button = QPushButton("Use these printers")
        self.find_printers_button.clicked.connect(self._on_find_printers)
        self.save_printer_button.clicked.connect(self._on_save_printer)
        self.printer_hint = plain_label(role="hint", wrap=True)
        printers = QFormLayout()
        printers.addRow("A4 (cards, lists, slips)", self.printer)
        printers.addRow("Visitor badges", self.badge_printer)
        printer_layout.addLayout(printers)
        printer_layout.addLayout(_button_row(self.find_printers_button, self.save_printer_button))
        printer_layout.addWidget(self.printer_hint)

        # Receptacles
        receptacle_box, receptacle_layout = _section("Receptacles")
        self.receptacle_model = ReceptacleModel(self)
        self.receptacle_table = _table(self.receptacle_model, "Receptacles")
        self.receptacle_table.selectionModel().selectionChanged.connect(self._on_receptacle_chosen)
        self.receptacle_name = QLineEdit()
        self.receptacle_name.setAccessibleName("Receptacle name")
        self.receptacle_name.setPlaceholderText("for example Tray B")
        self.receptacle_capacity = QSpinBox()
        self.receptacle_capacity.setRange(1, 1000)
        self.receptacle_capacity.setValue(60)
        self.receptacle_capacity.setAccessibleName("Number of slots")
        self.receptacle_years = QLineEdit()
        self.receptacle_years.setAccessibleName("Tied to year groups")
        self.receptacle_years.setPlaceholderText("for example 10, 11 — blank for any year")
        self.add_receptacle_button = QPushButton("Add receptacle")
        self.save_receptacle_button = QPushButton("Save changes")
        self.add_receptacle_button.clicked.connect(self._on_add_receptacle)
        self.save_receptacle_button.clicked.connect(self._on_save_receptacle)
        form = QFormLayout()
        form.addRow("Name", self.receptacle_name)
        form.addRow("Slots", self.receptacle_capacity)
        form.addRow("For years", self.receptacle_years)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_receptacle_button)
        buttons.addWidget(self.save_receptacle_button)
        buttons.addStretch(1)
        receptacle_layout.addWidget(self.receptacle_table)
        receptacle_layout.addWidget(
            plain_label(
                "Choose a receptacle to change it. Pupils go to a receptacle tied to their "
                "year first; a full one overflows into the next.",
                role="hint",
                wrap=True,
            )
        )
        receptacle_layout.addLayout(form)
        receptacle_layout.addLayout(buttons)
        self._manager_controls += [
            self.receptacle_name,
            self.receptacle_capacity,
            self.receptacle_years,
            self.add_receptacle_button,
            self.save_receptacle_button,
        ]

        # Release windows
        window_box, window_layout = _section("Release windows (when pupils collect phones)")
        self.window_model = ReleaseWindowModel(self)
        self.window_table = _table(self.window_model, "Release windows", 8)
        self.window_day = QComboBox()
        self.window_day.addItems(list(WEEKDAYS))
        self.window_day.setAccessibleName("Day")
        self.window_from = TimeField(QTime(15, 10))
        self.window_from.setAccessibleName("From")
        self.window_to = TimeField(QTime(16, 30))
        self.window_to.setAccessibleName("To")
        self.window_label = QLineEdit()
        self.window_label.setPlaceholderText("for example After-school clubs")
        self.window_label.setAccessibleName("Label")
        self.add_window_button = QPushButton("Add window")
        self.remove_window_button = QPushButton("Remove chosen window")
        self.add_window_button.clicked.connect(self._on_add_window)
        self.remove_window_button.clicked.connect(self._on_remove_window)
        when = QHBoxLayout()
        for caption, control in (
            ("Day", self.window_day),
            ("From", self.window_from),
            ("To", self.window_to),
        ):
            when.addWidget(plain_label(caption))
            when.addWidget(control)
            when.addSpacing(8)
        when.addStretch(1)
        label_row = QHBoxLayout()
        label_row.addWidget(plain_label("Label"))
        label_row.addWidget(self.window_label, 1)
        buttons = _button_row(self.add_window_button, self.remove_window_button)
        window_layout.addWidget(self.window_table)
        window_layout.addLayout(when)
        window_layout.addLayout(label_row)
        window_layout.addLayout(buttons)
        self._manager_controls += [
            self.window_day,
            self.window_from,
            self.window_to,
            self.window_label,
            self.add_window_button,
            self.remove_window_button,
        ]

        # Staff
        staff_box, staff_layout = _section("Staff who use the desk")
        self.staff_model = StaffModel(self)
        self.staff_table = _table(self.staff_model, "Staff")
        self.staff_name = QLineEdit()
        self.staff_name.setAccessibleName("Name of the member of staff")
        self.staff_role = QComboBox()
        self.staff_role.addItem("Receptionist", "receptionist")
        self.staff_role.addItem("Manager", "manager")
        self.staff_role.setAccessibleName("Role")
        self.staff_pin = QLineEdit()
        self.staff_pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.staff_pin.setPlaceholderText("4 to 12 digits")
        self.staff_pin.setAccessibleName("PIN")
        self.add_staff_button = QPushButton("Add member of staff")
        self.set_pin_button = QPushButton("Set PIN…")
        self.clear_pin_lock_button = QPushButton("Clear PIN lock")
        self.give_pin_button = QPushButton("Give someone in the directory a PIN…")
        self.give_pin_button.setToolTip(
            "Let a member of staff already in the staff directory sign in at the desk."
        )
        self.give_pin_button.clicked.connect(self._on_give_pin)
        self.mark_left_button = QPushButton("Mark as left")
        self.mark_left_button.setToolTip(
            "They stay in the records but can no longer sign in or do anything at the desk."
        )
        self.mark_left_button.clicked.connect(self._on_mark_left)
        self.add_staff_button.clicked.connect(self._on_add_staff)
        self.set_pin_button.clicked.connect(self._on_set_pin)
        self.clear_pin_lock_button.clicked.connect(self._on_clear_pin_lock)
        # Who has wrong PINs counted against them, so a manager sees whom to clear.
        self.pin_locks_line = plain_label("", role="hint", wrap=True)
        self.pin_locks_line.setAccessibleName("PIN locks")
        self.pin_locks_line.hide()
        form = QFormLayout()
        form.addRow("Name", self.staff_name)
        form.addRow("Role", self.staff_role)
        form.addRow("PIN", self.staff_pin)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_staff_button)
        buttons.addWidget(self.set_pin_button)
        buttons.addWidget(self.clear_pin_lock_button)
        buttons.addWidget(self.mark_left_button)
        buttons.addStretch(1)
        give = QHBoxLayout()
        give.addWidget(self.give_pin_button)
        give.addStretch(1)
        staff_layout.addWidget(self.staff_table)
        staff_layout.addWidget(self.pin_locks_line)
        staff_layout.addLayout(form)
        staff_layout.addLayout(buttons)
        staff_layout.addLayout(give)
        self._manager_controls += [
            self.staff_name,
            self.staff_role,
            self.staff_pin,
            self.add_staff_button,
            self.clear_pin_lock_button,
            self.mark_left_button,
            self.give_pin_button,
        ]

        left = QVBoxLayout()
        left.addWidget(school_box)
        left.addWidget(printer_box)
        left.addWidget(window_box)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(receptacle_box)
        right.addWidget(staff_box)
        scanner_box, scanner_layout = _section("Test your scanner")
        self.scanner_test = ScannerTestBox(self._ctx)
        scanner_layout.addWidget(self.scanner_test)
        right.addWidget(scanner_box)
        camera_box, camera_layout = _section("Webcam scanner (this computer)")
        camera_layout.addWidget(CameraSettingsBox())
        right.addWidget(camera_box)
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)

        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.addWidget(self.read_only)
        content_layout.addLayout(columns)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def _apply_role(self, actor: Actor | None) -> None:
        manager = actor is not None and actor.role == "manager"
        for control in self._manager_controls:
            control.setEnabled(manager)
        if manager:
            self.save_receptacle_button.setEnabled(self._chosen_receptacle() is not None)
            self.give_pin_button.setEnabled(bool(self._directory_only))
        self.read_only.setText(NOT_SIGNED_IN_LINE if actor is None else READ_ONLY_LINE)
        self.read_only.setVisible(not manager)
        staff_member = actor is not None and actor.role in ("receptionist", "manager")
        for control in (
            self.printer,
            self.badge_printer,
            self.find_printers_button,
            self.save_printer_button,
        ):
            control.setEnabled(staff_member)
        # Anyone may change their own PIN; managers anyone's.
        self.set_pin_button.setEnabled(staff_member)

    def _show_pin_locks(self, locks: list[PinLockRow]) -> None:
        locked = [lock for lock in locks if lock.locked]
        if not locked:
            self.pin_locks_line.hide()
            return
        now = self._ctx.clock()
        names = ", ".join(
            f"{lock.name} (until {say_when(lock.locked_until, now, self._ctx.timezone, bare=True)})"
            for lock in locked
            if lock.locked_until is not None
        )
        self.pin_locks_line.setText(f"PIN locked after too many wrong PINs: {names}.")
        self.pin_locks_line.show()

    def _fill_printers(self, chosen_a4: str, chosen_badge: str) -> None:
        """Both printer lists from the printers this computer knows now, each keeping its
        choice (marked when that printer is not found)."""
        names = available_printers()
        for combo, chosen in ((self.printer, chosen_a4), (self.badge_printer, chosen_badge)):
            combo.clear()
            combo.addItem(NO_PRINTER_CHOSEN, "")
            for name in names:
                combo.addItem(name, name)
            if chosen and chosen not in names:
                combo.addItem(f"{chosen} (not found on this computer)", chosen)
            combo.setCurrentIndex(max(0, combo.findData(chosen)))
        missing = [c for c in (chosen_a4, chosen_badge) if c and c not in names]
        if not names:
            self.printer_hint.setText(
                "No printers were found on this computer. Documents can still be saved as "
                "PDF files and printed elsewhere."
            )
        elif missing:
            self.printer_hint.setText(
                f"The chosen printer “{missing[0]}” is not available now; choose another."
            )
        else:
            self.printer_hint.setText(
                f"{len(names)} printer{'s' if len(names) != 1 else ''} found. Print buttons "
                "never open a dialog: documents go straight to the printer chosen here."
            )

    def _chosen_receptacle(self) -> ReceptacleRow | None:
        rows = self.receptacle_table.selected_rows()
        return self.receptacle_model.row_at(rows[0]) if rows else None

    def _chosen_window(self) -> ReleaseWindowRow | None:
        rows = self.window_table.selected_rows()
        return self.window_model.row_at(rows[0]) if rows else None

    def _chosen_staff(self) -> StaffRow | None:
        rows = self.staff_table.selected_rows()
        return self.staff_model.row_at(rows[0]) if rows else None

    def _saved(self, topic: Topic) -> None:
        self.refresh()
        self.sig_changed.emit(Changes.of(topic))

    # --- slots ----------------------------------------------------------------------------

    def _on_save_school(self) -> None:
        actor = signed_in(self._asker, self, "School details", self._actor)
        if actor is None:
            return
        saved = run_service(
            self._asker,
            self,
            "School details",
            lambda: school.update_school(
                self._ctx,
                actor,
                name=self.school_name.text(),
                permission_years=self.permission_years.text(),
            ),
        )
        if saved is not None:
            self._saved(Topic.SETTINGS)

    def _on_find_printers(self) -> None:
        self._fill_printers(
            self.printer.currentData() or "", self.badge_printer.currentData() or ""
        )

    def _on_save_printer(self) -> None:
        """Save both printer choices (any member of staff may: they name hardware)."""
        actor = signed_in(self._asker, self, "Printers", self._actor)
        if actor is None:
            return
        a4 = self.printer.currentData() or ""
        badge = self.badge_printer.currentData() or ""
        saved = run_service(
            self._asker,
            self,
            "Printers",
            lambda: (
                school.update_school(self._ctx, actor, printer_a4=a4),
                update_visitor_settings(self._ctx, actor, badge_printer=badge),
            ),
        )
        if saved is not None:
            self._saved(Topic.SETTINGS)

    def _on_receptacle_chosen(self, *_args: object) -> None:
        chosen = self._chosen_receptacle()
        actor = self._actor()
        self.save_receptacle_button.setEnabled(
            chosen is not None and actor is not None and actor.role == "manager"
        )
        if chosen is not None:
            self.receptacle_name.setText(chosen.name)
            self.receptacle_capacity.setValue(chosen.capacity)
            self.receptacle_years.setText(chosen.year_groups)

    def _on_add_receptacle(self) -> None:
        self._save_receptacle(None)

    def _on_save_receptacle(self) -> None:
        chosen = self._chosen_receptacle()
        if chosen is not None:
            self._save_receptacle(chosen.id)

    def _save_receptacle(self, receptacle_id: int | None) -> None:
        actor = signed_in(self._asker, self, "Receptacles", self._actor)
        if actor is None:
            return
        saved = run_service(
            self._asker,
            self,
            "Receptacles",
            lambda: custody.save_receptacle(
                self._ctx,
                actor,
                name=self.receptacle_name.text(),
                capacity=self.receptacle_capacity.value(),
                year_groups=self.receptacle_years.text(),
                receptacle_id=receptacle_id,
            ),
        )
        if saved is not None:
            if receptacle_id is None:
                self.receptacle_name.clear()
                self.receptacle_years.clear()
            self._saved(Topic.CUSTODY)

    def _on_add_window(self) -> None:
        actor = signed_in(self._asker, self, "Release windows", self._actor)
        if actor is None:
            return
        added = run_service(
            self._asker,
            self,
            "Release windows",
            lambda: calendar.add_release_window(
                self._ctx,
                actor,
                self.window_day.currentIndex(),
                _time(self.window_from.time()),
                _time(self.window_to.time()),
                self.window_label.text(),
            ),
        )
        if added is not None:
            self.window_label.clear()
            self._saved(Topic.CALENDAR)

    def _on_remove_window(self) -> None:
        window = self._chosen_window()
        actor = signed_in(self._asker, self, "Release windows", self._actor)
        if window is None or actor is None:
            return
        day = WEEKDAYS[window.weekday]
        if not self._asker.confirm(
            self,
            "Remove release window",
            f"Remove the {day} window {window.starts:%H:%M}–{window.ends:%H:%M} ({window.label})?",
        ):
            return
        try:
            calendar.remove_release_window(self._ctx, actor, window.id)
        except KioskError as error:
            self._asker.error(self, "Release windows", error.message)
            return
        self._saved(Topic.CALENDAR)

    def _on_add_staff(self) -> None:
        actor = signed_in(self._asker, self, "Staff", self._actor)
        if actor is None:
            return
        pin = self.staff_pin.text() or None
        added = run_service(
            self._asker,
            self,
            "Staff",
            lambda: staff.add_staff(
                self._ctx, actor, self.staff_name.text(), self.staff_role.currentData(), pin
            ),
        )
        if added is not None:
            self.staff_name.clear()
            self.staff_pin.clear()
            self._saved(Topic.STAFF)

    def _on_clear_pin_lock(self) -> None:
        member = self._chosen_staff()
        actor = signed_in(self._asker, self, "Clear PIN lock", self._actor)
        if actor is None:
            return
        if member is None:
            self._asker.error(self, "Clear PIN lock", "Choose a member of staff in the list first.")
            return
        try:
            cleared = staff.clear_pin_lock(self._ctx, actor, member.id)
        except KioskError as error:
            self._asker.error(self, "Clear PIN lock", error.message)
            return
        if not cleared:
            self._asker.info(self, "Clear PIN lock", f"{member.name} has no wrong PINs to clear.")
            return
        self._asker.info(
            self, "Clear PIN lock", f"{member.name}'s PIN lock is cleared; they can sign in now."
        )
        self._saved(Topic.STAFF)

    def _on_mark_left(self) -> None:
        member = self._chosen_staff()
        actor = signed_in(self._asker, self, "Mark as left", self._actor)
        if actor is None:
            return
        if member is None:
            self._asker.error(self, "Mark as left", "Choose a member of staff in the list first.")
            return
        if not self._asker.confirm(
            self,
            "Mark as left",
            f"Mark {member.name} as having left? They stay in the records but can no longer "
            "sign in.",
        ):
            return
        left = run_service(
            self._asker,
            self,
            "Mark as left",
            lambda: staff.set_staff_active(self._ctx, actor, member.id, False),
        )
        if left is not None:
            self._saved(Topic.STAFF)

    def _on_give_pin(self) -> None:
        actor = signed_in(self._asker, self, "Give a PIN", self._actor)
        if actor is None or not self._directory_only:
            return
        names = [m.name for m in self._directory_only]
        chosen = self._asker.choice(
            self, "Give a PIN", "Who should be able to sign in at the desk?", names
        )
        member = next((m for m in self._directory_only if m.name == chosen), None)
        if member is not None:
            self._ask_and_set_pin(actor, member)

    def _on_set_pin(self) -> None:
        member = self._chosen_staff()
        actor = signed_in(self._asker, self, "Set PIN", self._actor)
        if actor is None:
            return
        if member is None:
            self._asker.error(self, "Set PIN", "Choose a member of staff in the list first.")
            return
        self._ask_and_set_pin(actor, member)

    def _ask_and_set_pin(self, actor: Actor, member: StaffRow) -> None:
        pin = self._asker.secret(self, "Set PIN", f"New PIN for {member.name} (4 to 12 digits):")
        if pin is None:
            return
        again = self._asker.secret(self, "Set PIN", "Type the new PIN again:")
        if again is None:
            return
        if again != pin:
            self._asker.error(self, "Set PIN", "The two PINs were not the same; nothing changed.")
            return
        try:
            staff.set_pin(self._ctx, actor, member.id, pin)
        except KioskError as error:
            self._asker.error(self, "Set PIN", error.message)
            return
        done = (
            f"{member.name}'s PIN has been changed."
            if member.has_pin
            else f"{member.name} can now sign in at the desk with this PIN."
        )
        self._asker.info(self, "Set PIN", done)
        self._saved(Topic.STAFF)
