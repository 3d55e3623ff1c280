"""The receptionist's window: a header over either the lock screen or the workspace.

Every change reaches :meth:`DeskWindow.apply` saying what it changed: a scan (what the scan
result says), a change made in the workspace, a visitor signing in at the kiosk, and, as
"everything", a change made elsewhere (another desk, the command line) noticed in the audit
log, or a new sign-in. The workspace reloads only the panels that show it. The window locks
itself after a spell without use; scans carry on regardless.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from kiosk.changes import EVERYTHING, Changes, Topic
from kiosk.context import KioskContext
from kiosk.rows.people import Actor
from kiosk.scanning.result import ScanResult
from kiosk.scanning.words import ScanMessage
from ui.ask import Asker
from ui.components.calls.panel import CallsPanel
from ui.components.custody.pupils import PupilPanel
from ui.components.desk.alert_banner import AlertBanner
from ui.components.desk.change_watch import DEFAULT_POLL_MS, ChangeWatch
from ui.components.desk.header import DeskHeader
from ui.components.desk.lock_screen import LockScreen
from ui.components.desk.shortcuts import (
    FIND_PUPIL,
    HAND_IN,
    LOCK_DESK,
    SIGN_VISITOR_IN,
    TAKE_CALL,
    install_desk_shortcuts,
)
from ui.components.desk.workspace import DeskWorkspace
from ui.components.setup.guide import SetupGuide
from ui.widgets.accessible import name_qt_buttons
from ui.widgets.idle_watch import IdleWatch

DEFAULT_IDLE_LOCK_MS = 10 * 60 * 1000
NOT_DONE = "Not done"
WINDOW_SIZE = (1280, 800)

WorkspaceFactory = Callable[[KioskContext, Callable[[], Actor | None], Asker], DeskWorkspace]


def window_title(school_name: str) -> str:
    return f"Reception Kiosk — {school_name}"


class DeskWindow(QMainWindow):
    """Header, the alert banner while an alert waits, then the lock screen or the
    receptionist's workspace."""

    alert_banner_shows = frozenset({Topic.VISITORS})
    """The topics whose change may bring or take away an alert-list match."""

    sig_school_renamed = Signal(str)
    """The school's name changed (shown again on the kiosk face)."""

    sig_kiosk_face_requested = Signal()
    """The receptionist asked to see the kiosk face."""

    sig_closed = Signal()
    """The desk window was closed: the application should end."""

    def __init__(
        self,
        ctx: KioskContext,
        asker: Asker,
        *,
        demo: bool = False,
        idle_lock_ms: int = DEFAULT_IDLE_LOCK_MS,
        poll_ms: int = DEFAULT_POLL_MS,
        workspace_factory: WorkspaceFactory = DeskWorkspace,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._asker = asker
        self._actor: Actor | None = None
        self._setup_ui(demo, workspace_factory)
        self._idle = IdleWatch(self, idle_lock_ms)
        self._idle.sig_idle.connect(self.lock)
        self._changes = ChangeWatch(ctx, poll_ms=poll_ms, parent=self)
        self._changes.sig_changed.connect(self._on_changed_elsewhere)
        self._changes.start()
        self._school_name = self.header.school_name
        self.setWindowTitle(window_title(self._school_name))
        self.lock()

    # --- public ---------------------------------------------------------------------------

    def actor(self) -> Actor | None:
        """Who is signed in, or None while the desk is locked."""
        return self._actor

    @property
    def is_locked(self) -> bool:
        return self._actor is None

    def lock(self) -> None:
        self._actor = None
        self._idle.stop()
        self.header.set_actor(None)
        self.alert_banner.refresh()
        self.lock_screen.refresh()
        if self.lock_screen.first_run:
            # Nobody has set this desk up: the guide takes a new school to printed cards.
            self.setup_guide.restart()
            self.stack.setCurrentWidget(self.setup_guide)
            self.setup_guide.focus_first_field()
            return
        self.stack.setCurrentWidget(self.lock_screen)
        self.lock_screen.focus_first_field()

    def unlock(self, actor: Actor) -> None:
        self._actor = actor
        self.header.set_actor(actor)
        # Pages only a manager may open are shown to managers alone.
        self.workspace.show_for(actor)
        self.stack.setCurrentWidget(self.workspace)
        # Whatever changed while the desk was locked, and what this person may see, is new.
        self.apply(EVERYTHING)
        self._idle.start()

    def apply(self, changes: Changes) -> None:
        """Reload the header and, when someone is signed in, the workspace's panels that
        show what ``changes`` touches. While locked only the lock screen reloads: the next
        sign-in reloads everything."""
        self._reload_header()
        if changes.touches(self.alert_banner_shows):
            self.alert_banner.refresh()
        if self._actor is None:
            self.lock_screen.reload()
            guiding = self.stack.currentWidget() is self.setup_guide
            if guiding and self.setup_guide.manager() is None and not self.lock_screen.first_run:
                self.lock()  # set up at another desk meanwhile: sign in instead
            return
        self.workspace.apply(changes)

    def refresh(self) -> None:
        """Reload as if everything had changed (see :meth:`apply`)."""
        self.apply(EVERYTHING)

    def show_scan_result(self, result: ScanResult) -> None:
        """A code was scanned: show the result in the banner and reload what it changed."""
        self.header.show_result(result)
        if result.changes:
            self.apply(result.changes)

    def show_fault(self, message: str) -> None:
        """An action could not be done because of an expected fault (the database busy or
        unreachable): say ``message``, the plain sentence, in the banner."""
        notice = ScanMessage("error", NOT_DONE, "", (message,), message)
        self.header.show_result(ScanResult("fault", notice))

    def claim_scan(self, code: str) -> bool:
        """True when the unlocked desk used a scanned ``code`` itself (a form asking for a
        pupil's card), so the scan hands nothing in. Never while locked."""
        return not self.is_locked and self.workspace.claim_scan(code)

    def set_idle_lock_ms(self, idle_ms: int) -> None:
        self._idle.set_idle_ms(idle_ms)

    # --- building -------------------------------------------------------------------------

    def _setup_ui(self, demo: bool, workspace_factory: WorkspaceFactory) -> None:
        self.setObjectName("DeskWindow")
        self.resize(*WINDOW_SIZE)
        self.header = DeskHeader(self._ctx)
        self.header.sig_lock_requested.connect(self.lock)
        self.header.sig_kiosk_face_requested.connect(self.sig_kiosk_face_requested)
        self.header.sig_pupil_requested.connect(self._on_pupil_requested)
        self.lock_screen = LockScreen(self._ctx, demo=demo)
        self.lock_screen.sig_unlocked.connect(self.unlock)
        # Above every page and the lock screen: an alert-list match cannot be missed.
        self.alert_banner = AlertBanner(self._ctx, self.actor, self._asker)
        self.alert_banner.sig_changed.connect(self.apply)
        self.setup_guide = SetupGuide(self._ctx, self._asker)
        self.setup_guide.sig_changed.connect(self.apply)
        self.setup_guide.sig_finished.connect(self.unlock)
        self.workspace = workspace_factory(self._ctx, self.actor, self._asker)
        self.workspace.sig_changed.connect(self._on_workspace_changed)
        self.stack = QStackedWidget()
        self.stack.setObjectName("DeskStack")
        self.stack.addWidget(self.lock_screen)
        self.stack.addWidget(self.workspace)
        self.stack.addWidget(self.setup_guide)
        central = QWidget()
        central.setObjectName("DeskCentral")
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.alert_banner)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        name_qt_buttons(self)
        self._shortcuts = install_desk_shortcuts(
            self,
            {
                FIND_PUPIL: self._on_find_pupil_key,
                HAND_IN: self._on_hand_in_key,
                TAKE_CALL: self._on_take_call_key,
                SIGN_VISITOR_IN: self.sig_kiosk_face_requested.emit,
                LOCK_DESK: self.lock,
            },
        )

    # --- slots ----------------------------------------------------------------------------

    def _reload_header(self) -> None:
        # What the desk shows now is up to date: the change watch need not report it again.
        self._changes.mark_seen()
        name = self.header.reload_school()
        if name != self._school_name:
            self._school_name = name
            self.setWindowTitle(window_title(name))
            self.sig_school_renamed.emit(name)

    def _on_changed_elsewhere(self) -> None:
        # The audit log says only that something changed, not what: reload everything.
        self.apply(EVERYTHING)

    def _on_workspace_changed(self, _changes: Changes) -> None:
        # The workspace has already reloaded its own panels; the header may show the change.
        self._reload_header()

    def _on_find_pupil_key(self) -> None:
        if not self.is_locked:
            self.workspace.show_panel(PupilPanel).focus_search()

    def _on_hand_in_key(self) -> None:
        if not self.is_locked:
            self.workspace.show_panel(PupilPanel).start_hand_in()

    def _on_take_call_key(self) -> None:
        if not self.is_locked:
            self.workspace.show_panel(CallsPanel).start_call()

    def _on_pupil_requested(self, pupil_id: int) -> None:
        if self._actor is not None:
            self.workspace.show_pupil(pupil_id)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt name)
        self._changes.stop()
        self._idle.stop()
        super().closeEvent(event)
        self.sig_closed.emit()
