"""Small helpers shared by the desk components: plain labels, styling roles, and running a
service call so that a refusal is shown in plain words instead of a traceback."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QWidget

from kiosk.errors import KioskError
from kiosk.rows.people import Actor
from ui.ask import Asker

T = TypeVar("T")

SIGN_IN_FIRST = "Sign in at the desk first."

ActorSource = Callable[[], Actor | None]


def plain_label(
    text: str = "", *, role: str | None = None, wrap: bool = False, selectable: bool = False
) -> QLabel:
    """A label that shows its text exactly as given, whatever characters it holds."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(wrap)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if role is not None:
        set_role(label, role)
    return label


def set_role(widget: QWidget, role: str) -> None:
    """Tag a widget for desk.qss (``[role="heading"]`` and so on)."""
    if widget.property("role") != role:
        widget.setProperty("role", role)
        restyle(widget)


def restyle(widget: QWidget) -> None:
    """Re-apply the stylesheet after a property the stylesheet selects on has changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


def card_frame(role: str = "card") -> QFrame:
    frame = QFrame()
    frame.setProperty("role", role)
    frame.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
    return frame


def run_service(
    asker: Asker, parent: QWidget | None, title: str, call: Callable[[], T]
) -> T | None:
    """Run one service call; show a refusal plainly and return None when it fails."""
    try:
        return call()
    except KioskError as error:
        asker.error(parent, title, error.message)
        return None


def signed_in(asker: Asker, parent: QWidget | None, title: str, actor: ActorSource) -> Actor | None:
    """The member of staff signed in now, or None after saying they must sign in."""
    who = actor()
    if who is None:
        asker.error(parent, title, SIGN_IN_FIRST)
    return who
