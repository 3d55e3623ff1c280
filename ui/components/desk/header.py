"""The strip across the top of the desk window: school, the latest scan, who is signed in.

The last scan's message is kept whole (two lines, then the middle left out with the whole in
the tooltip; see :class:`~ui.widgets.message_button.MessageButton`). A message goes stale:
after :data:`MESSAGE_FADE_MS` it fades to grey, and a refusal or notice (a half-read code's
"Please scan again", a busy database) is cleared when someone signs in or the desk locks,
so the next person does not read it as theirs. A pupil's hand-in or collection stays until
the next scan.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from kiosk import APP_NAME
from kiosk.context import KioskContext
from kiosk.rows.people import Actor
from kiosk.scanning.result import ScanResult
from kiosk.scanning.words import banner_text
from kiosk.services.school import get_school
from ui.components.desk.about import AboutDialog
from ui.components.desk.shortcuts import LOCK_DESK, SIGN_VISITOR_IN, with_shortcut
from ui.widgets.message_button import MessageButton
from ui.widgets.styling import set_style_property

NO_SCAN_YET = "No card scanned yet"
LOCKED = "Locked"
MESSAGE_FADE_MS = 5 * 60 * 1000  # a scan's message is news for five minutes, then history


class DeskHeader(QFrame):
    """School name, a live banner with the last scan, the person signed in, Lock."""

    sig_lock_requested = Signal()
    """The receptionist pressed Lock."""

    sig_kiosk_face_requested = Signal()
    """The receptionist wants the kiosk face shown (it may have been closed)."""

    sig_pupil_requested = Signal(int)
    """The receptionist clicked the banner of an accepted scan: show that pupil."""

    def __init__(
        self,
        ctx: KioskContext,
        parent: QWidget | None = None,
        *,
        fade_after_ms: int = MESSAGE_FADE_MS,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._pupil_id: int | None = None
        self._signed_in = False
        self._actor: Actor | None = None
        self._fade = QTimer(self)
        self._fade.setSingleShot(True)
        self._fade.setInterval(fade_after_ms)
        self._fade.timeout.connect(self._on_faded)
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
        """Show who is signed in (None: locked). A change of person clears a refusal or
        notice left in the banner; a pupil's hand-in or collection stays."""
        if actor != self._actor and self._pupil_id is None:
            self.clear_message()
        self._actor = actor
        self._signed_in = actor is not None
        self.who.setText(LOCKED if actor is None else f"Signed in: {actor.name}")
        self.lock_button.setVisible(actor is not None)
        self._update_banner_link()

    def show_result(self, result: ScanResult) -> None:
        """Show a scan's (or a notice's) ``result`` in the banner, whole, in its tone; it
        fades after the header's fade time."""
        local = self._ctx.clock().astimezone(self._ctx.timezone)
        message = result.message
        line = banner_text(message, result.outcome, local.strftime("%H:%M"))
        # A refusal's one line is its reason: say it once.
        details = "\n".join(dict.fromkeys((message.one_line, *message.detail)))
        self.banner.set_message(line, details)
        self._pupil_id = result.outcome.pupil.id if result.outcome is not None else None
        set_style_property(self.banner, "tone", result.tone)
        self._update_banner_link()
        self._fade.start()

    def clear_message(self) -> None:
        """Back to "No card scanned yet" (a stale message must not be read as new)."""
        self._fade.stop()
        self._pupil_id = None
        self.banner.set_message(NO_SCAN_YET)
        set_style_property(self.banner, "tone", "none")
        self._update_banner_link()

    def banner_message(self) -> str:
        """The whole message in the banner (what is drawn may be wrapped or shortened)."""
        return self.banner.message()

    def banner_tone(self) -> str:
        """The banner's tone: "success", "info", "warning", "error", "none" (nothing to
        show) or "faded" (the message is older than the fade time)."""
        return str(self.banner.property("tone"))

    # --- building -------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        self.setObjectName("DeskHeader")
        # Always its full height (the banner's two lines): the pages below give way instead.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.school = QLabel()
        self.school.setObjectName("DeskSchool")
        self.school.setTextFormat(Qt.TextFormat.PlainText)
        self.banner = MessageButton(NO_SCAN_YET)
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
        self.kiosk_button.setToolTip(
            with_shortcut("Show the kiosk screen, where visitors sign in", SIGN_VISITOR_IN)
        )
        self.kiosk_button.clicked.connect(self.sig_kiosk_face_requested)
        self.lock_button = QPushButton("Lock")
        self.lock_button.setObjectName("LockButton")
        self.lock_button.setToolTip(
            with_shortcut("Lock the desk; pupils can still scan", LOCK_DESK)
        )
        self.lock_button.clicked.connect(self.sig_lock_requested)
        self.about_button = QPushButton("About")
        self.about_button.setObjectName("AboutButton")
        self.about_button.setAccessibleName(f"About {APP_NAME}")
        self.about_button.clicked.connect(self._on_about_clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 8)
        layout.setSpacing(12)
        # Centred rather than stretched: a button's fixed height must not cap the strip's,
        # or the banner's second line would be cut off.
        middle = Qt.AlignmentFlag.AlignVCenter
        layout.addWidget(self.school, 0, middle)
        layout.addWidget(self.banner, 1)
        for part in (self.who, self.kiosk_button, self.lock_button, self.about_button):
            layout.addWidget(part, 0, middle)

    def _update_banner_link(self) -> None:
        linked = self._signed_in and self._pupil_id is not None
        self.banner.setCursor(
            Qt.CursorShape.PointingHandCursor if linked else Qt.CursorShape.ArrowCursor
        )

    # --- slots ----------------------------------------------------------------------------

    def _on_faded(self) -> None:
        set_style_property(self.banner, "tone", "faded")

    def _on_banner_clicked(self) -> None:
        if self._signed_in and self._pupil_id is not None:
            self.sig_pupil_requested.emit(self._pupil_id)

    def _on_about_clicked(self) -> None:
        dialog = AboutDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
