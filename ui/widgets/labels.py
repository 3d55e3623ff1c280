"""Labels that show text exactly as given."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from ui.widgets.styling import set_role


def plain_label(
    text: str = "", *, role: str | None = None, wrap: bool = False, selectable: bool = False
) -> QLabel:
    """A label that shows ``text`` literally, whatever characters it holds (Qt would
    otherwise guess rich text from a name such as "<Sam>"); ``role`` tags it for the
    stylesheet, ``wrap`` wraps long lines, ``selectable`` lets the mouse select it."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(wrap)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if role is not None:
        set_role(label, role)
    return label
