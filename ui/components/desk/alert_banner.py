"""The red banner across the desk window while a visitor who signed in matches the alert list.

It sits above every page of the desk, so it cannot be missed on whichever tab is open, and it
stays (through pupil scans, a locked desk, a restart: the unacknowledged matches are read
from the database) until a named member of staff presses Acknowledge, which the audit log
records against them (:func:`kiosk.services.alerts.acknowledge_alert_match`). Each new match
sounds the alert chime once. While the desk is locked the banner says only that an alert is
waiting: names and notes are for staff signed in (the design: a discreet warning to the
receptionist only; the kiosk face is never told).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.changes import Changes, Topic
from kiosk.clock import say_when
from kiosk.context import KioskContext
from kiosk.rows.visitors import AlertMatchRow
from kiosk.services import alerts
from ui.ask import Asker
from ui.components.common import ActorSource, run_service
from ui.widgets.alert_sound import AlertSound
from ui.widgets.labels import plain_label

MOST_SHOWN = 3  # matches shown one by one; any more are counted on one line
ACKNOWLEDGE = "Acknowledge"
LOCKED_TEXT = (
    "Alert list: a visitor who has signed in matches the alert list. Sign in to see who "
    "and what to do."
)


def match_text(match: AlertMatchRow, ctx: KioskContext) -> str:
    """The banner's words for one match: who signed in, when (school time), the name on the
    alert list when it differs, and the alert's note."""
    when = say_when(match.matched_at, ctx.clock(), ctx.timezone)
    text = f"Alert list: {match.signed_in_name} signed in {when}"
    if match.alert_name.casefold() != match.signed_in_name.casefold():
        text += f" (listed as {match.alert_name})"
    text += "."
    if match.note:
        text += f" Note: {match.note}"
    return text


class AlertBanner(QFrame):
    """Every unacknowledged alert-list match, each with its own Acknowledge button."""

    sig_changed = Signal(object)
    """A match was acknowledged; carries the :class:`Changes` (visitors)."""

    def __init__(
        self,
        ctx: KioskContext,
        actor: ActorSource,
        asker: Asker,
        sound: AlertSound | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx, self._actor, self._asker = ctx, actor, asker
        self.sound = sound if sound is not None else AlertSound(self)
        self._matches: list[AlertMatchRow] = []
        self._waiting = 0  # unacknowledged matches at the last reload
        self._setup_ui()
        self.hide()

    # --- public ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the unacknowledged matches again and show them (hidden when there are none);
        the chime sounds when there are more than at the last reload."""
        who = self._actor()
        waiting = alerts.unacknowledged_alert_count(self._ctx)
        self._matches = alerts.alert_matches(self._ctx, who) if who and waiting else []
        if waiting > self._waiting:
            self.sound.play()
        self._waiting = waiting
        self._show_rows(signed_in=who is not None, waiting=waiting)
        self.setVisible(waiting > 0)
        self._keep_whole()

    def matches(self) -> tuple[AlertMatchRow, ...]:
        """The matches shown, newest first (empty while locked: no names are read then)."""
        return tuple(self._matches)

    def texts(self) -> list[str]:
        """The words of each line of the banner, top to bottom."""
        return [label.text() for label in (*self._labels, self.more) if label.isVisibleTo(self)]

    def acknowledge_buttons(self) -> list[QPushButton]:
        """The Acknowledge buttons, one per match shown, top to bottom."""
        return [b for b in self._buttons if b.isVisibleTo(self)]

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self._keep_whole()

    # --- building -------------------------------------------------------------------------

    def _keep_whole(self) -> None:
        # Wrapped lines need the height their width gives them; a window short of room
        # must squeeze the pages below, never cut the alert's words off.
        layout = self._layout
        needed = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else 0
        if needed > 0 and needed != self.minimumHeight():
            self.setMinimumHeight(needed)

    def _setup_ui(self) -> None:
        self.setObjectName("AlertBanner")
        self.setAccessibleName("Visitor alert")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(16, 8, 16, 8)
        self._layout.setSpacing(6)
        self._labels: list[QLabel] = []
        self._buttons: list[QPushButton] = []
        for index in range(MOST_SHOWN):
            row = QHBoxLayout()
            row.setSpacing(12)
            label = plain_label(role="alert-banner", wrap=True)
            button = QPushButton(ACKNOWLEDGE)
            button.setObjectName("AcknowledgeAlert")
            button.clicked.connect(lambda _checked=False, i=index: self._on_acknowledge(i))
            row.addWidget(label, 1)
            row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            self._layout.addLayout(row)
            self._labels.append(label)
            self._buttons.append(button)
        self.more = plain_label(role="alert-banner", wrap=True)
        self._layout.addWidget(self.more)

    def _show_rows(self, *, signed_in: bool, waiting: int) -> None:
        who = self._actor()
        for index, (label, button) in enumerate(zip(self._labels, self._buttons, strict=True)):
            match = self._matches[index] if index < len(self._matches) else None
            if match is not None:
                label.setText(match_text(match, self._ctx))
                name = who.name if who is not None else ""
                button.setToolTip(f"Recorded in the audit log as acknowledged by {name}")
                button.setAccessibleName(f"Acknowledge the alert for {match.signed_in_name}")
            elif index == 0 and not signed_in and waiting:
                label.setText(LOCKED_TEXT)
            label.setVisible(match is not None or (index == 0 and not signed_in and waiting > 0))
            button.setVisible(match is not None)
        hidden = len(self._matches) - MOST_SHOWN
        self.more.setText(
            f"… and {hidden} more alert{'s' if hidden != 1 else ''}: acknowledge the ones "
            "above to see them."
            if hidden > 0
            else ""
        )
        self.more.setVisible(hidden > 0)

    # --- slots ----------------------------------------------------------------------------

    def _on_acknowledge(self, index: int) -> None:
        who = self._actor()
        if who is None or index >= len(self._matches):
            return
        match_id = self._matches[index].id
        done = run_service(
            self._asker,
            self,
            "Alert",
            lambda: alerts.acknowledge_alert_match(self._ctx, who, match_id),
        )
        self.refresh()
        if done is not None:
            self.sig_changed.emit(Changes.of(Topic.VISITORS))
