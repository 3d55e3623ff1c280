"""The contract every desk tab keeps: built the same way, says what it shows and what it changed.

A panel is built from the kiosk context, a callable answering who is signed in (None while
the desk is locked) and an :class:`~ui.ask.Asker` for its questions. It names the topics
(:class:`~kiosk.changes.Topic`) it shows, so the workspace reloads it only when a change
meets them, and reports each change it makes through ``sig_changed``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from kiosk.changes import Topic
from kiosk.context import KioskContext
from kiosk.rows.people import Actor
from ui.ask import Asker


class DeskPanel(QWidget):
    """One tab of the desk workspace.

    Subclasses set ``title`` (the tab's words) and ``shows`` (the topics whose change makes
    what they show out of date), implement :meth:`refresh`, and emit ``sig_changed`` with
    the topics of every change they make (the panel has reloaded itself by then).
    ``manager_only`` marks a page that only managers are shown (the workspace hides it
    from a receptionist; the services refuse its actions to them in any case).
    """

    title: ClassVar[str] = ""
    shows: ClassVar[frozenset[Topic]] = frozenset()
    manager_only: ClassVar[bool] = False
    live_title: ClassVar[bool] = False
    """True when the tab's words carry a count (urgent calls): such a panel reloads on every
    change it shows, in view or not, so the count is right from any tab."""

    sig_changed = Signal(object)
    """The receptionist changed something here; carries a :class:`kiosk.changes.Changes`."""

    sig_title_changed = Signal(str)
    """The tab's words should now read this (e.g. a count of urgent calls)."""

    def __init__(
        self,
        ctx: KioskContext,
        actor: Callable[[], Actor | None],
        asker: Asker,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx, self._actor, self._asker = ctx, actor, asker
        self._for_managers: list[QWidget] = []

    def for_managers(self, *widgets: QWidget) -> None:
        """Mark ``widgets`` (buttons, boxes) as a manager's: :meth:`show_for` hides them
        from anyone else, so a receptionist never fills in a form only to be refused."""
        self._for_managers.extend(widgets)

    def show_for(self, actor: Actor | None) -> None:
        """Show the controls marked :meth:`for_managers` only when ``actor`` signed in as
        a manager (the services read the role again from the database before acting)."""
        manager = actor is not None and actor.role == "manager"
        for widget in self._for_managers:
            widget.setVisible(manager)

    def refresh(self) -> None:
        """Read again everything this panel shows (on the GUI thread, from the database).

        Every panel overrides this; the base has nothing to read.
        """
        raise NotImplementedError(f"{type(self).__name__} must say how it reloads")

    def claim_scan(self, code: str) -> bool:
        """Whether this panel, while in view, uses a scanned ``code`` itself (a form waiting
        for a pupil's card) instead of it handing a phone in. False unless overridden."""
        return False
