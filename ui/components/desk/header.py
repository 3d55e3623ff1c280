"""The strip across the top of the desk window: school, the latest scan, who is signed in."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from kiosk import APP_NAME
from kiosk.context import KioskContext
from kiosk.rows.people import Actor
from kiosk.scanning.result import ScanResult
from kiosk.scanning.words import banner_text
from kiosk.services.school import get_school
from ui.components.desk.about import AboutDialog
from ui.widgets.elided import ElidedButton
from ui.widgets.styling import set_style_property

NO_SCAN_YET = "No card scanned yet"
LOCKED = "Locked"


class DeskHeader(QFrame):
    """School name, a live banner with the last scan, the person signed in, Lock."""

    sig_lock_requested = Signal()
    """The receptionist pressed Lock."""

    sig_kiosk_face_requested = Signal()
    """The receptionist wants the kiosk face shown (it may have been closed)."""

    sig_pupil_requested = Signal(int)
    """The receptionist clicked the banner of an accepted scan: show that pupil."""

    def __init__(self, ctx: KioskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._pupil_id: int | None = None
        self._signed_in = False
        self._setup_ui()
        self.reload_school()
        self.set_actor(None)

    # --- public ---------------------------------------------------------------------------

    @property
    def school_name(self) -> str:
        return self.school.text()

    def reload_school(self) -> str:
        """Read the school's name again (it can be changed in settings); returns it."""
        name = get_school(self._ctx).name
        self.school.setText(name)
        return name

    def set_actor(self, actor: Actor | None) -> None:
        self._signed_in = actor is not None
        self.who.setText(LOCKED if actor is None else f"Signed in: {actor.name}")
        self.lock_button.setVisible(actor is not None)
        self._update_banner_link()

    def show_result(self, result: ScanResult) -> None:
        local = self._ctx.clock().astimezone(self._ctx.timezone)
        message = result.message
        # The whole message is in the tooltip when the line is too long for the header;
        # a refusal's one line is its reason: say it once.
        self.banner.set_full_text(
            banner_text(message, result.outcome, local.strftime("%H:%M")),
            "\n".join(dict.fromkeys((message.one_line, *message.detail))),
        )
        self._pupil_id = result.outcome.pupil.id if result.outcome is not None else None
        set_style_property(self.banner, "tone", result.tone)
        self._update_banner_link()

    def banner_message(self) -> str:
        return self.banner.full_text()

    # --- building -------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        self.setObjectName("DeskHeader")
        self.school = QLabel()
        self.school.setObjectName("DeskSchool")
        self.school.setTextFormat(Qt.TextFormat.PlainText)
        self.banner = ElidedButton(NO_SCAN_YET)
        self.banner.setObjectName("ScanBanner")
        self.banner.setProperty("tone", "none")
        self.banner.setAccessibleName("Last scan")
        self.banner.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.banner.clicked.connect(self._on_banner_clicked)
        self.who = QLabel()
        self.who.setObjectName("DeskWho")
        self.who.setTextFormat(Qt.TextFormat.PlainText)
        self.kiosk_button = QPushButton("Kiosk screen")
        self.kiosk_button.setObjectName("KioskScreenButton")
        self.kiosk_button.setToolTip("Show the pupils' kiosk screen")
        self.kiosk_button.clicked.connect(self.sig_kiosk_face_requested)
        self.lock_button = QPushButton("Lock")
        self.lock_button.setObjectName("LockButton")
        self.lock_button.setToolTip("Lock the desk; pupils can still scan")
        self.lock_button.clicked.connect(self.sig_lock_requested)
        self.about_button = QPushButton("About")
        self.about_button.setObjectName("AboutButton")
        self.about_button.setAccessibleName(f"About {APP_NAME}")
        self.about_button.clicked.connect(self._on_about_clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 8)
        layout.setSpacing(12)
        layout.addWidget(self.school)
        layout.addWidget(self.banner, 1)
        layout.addWidget(self.who)
        layout.addWidget(self.kiosk_button)
        layout.addWidget(self.lock_button)
        layout.addWidget(self.about_button)

    def _update_banner_link(self) -> None:
        linked = self._signed_in and self._pupil_id is not None
        self.banner.setCursor(
            Qt.CursorShape.PointingHandCursor if linked else Qt.CursorShape.ArrowCursor
        )

    # --- slots ----------------------------------------------------------------------------

    def _on_banner_clicked(self) -> None:
        if self._signed_in and self._pupil_id is not None:
            self.sig_pupil_requested.emit(self._pupil_id)

    def _on_about_clicked(self) -> None:
        dialog = AboutDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
