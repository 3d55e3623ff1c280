"""Switch a widget's look by a property the stylesheet selects on (``[role="heading"]``,
``[tone="success"]``), and the card frame the desk groups its forms in."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

# Padding inside a card frame, in pixels: left, top, right, bottom.
CARD_MARGINS = (18, 14, 18, 16)


def set_style_property(widget: QWidget, name: str, value: str) -> None:
    """Set ``name`` and re-apply the stylesheet to the widget and its children (nothing is
    done when the property already holds ``value``)."""
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    restyle(widget)


def set_role(widget: QWidget, role: str) -> None:
    """Tag a widget for the stylesheets (``[role="heading"]`` and so on)."""
    set_style_property(widget, "role", role)


def restyle(widget: QWidget) -> None:
    """Re-apply the stylesheet to a widget and its children after a property the stylesheet
    selects on has changed (Qt does not re-evaluate property selectors by itself)."""
    style = widget.style()
    for child in (widget, *widget.findChildren(QWidget)):
        style.unpolish(child)
        style.polish(child)
    widget.update()


def card_frame(role: str = "card") -> QFrame:
    """A frame drawn as a card (``[role="card"]`` in desk.qss) that takes only the height its
    contents need."""
    frame = QFrame()
    frame.setProperty("role", role)
    frame.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
    return frame


def card_layout(frame: QFrame) -> QVBoxLayout:
    """The column inside a card frame, with the desk's card padding."""
    inner = QVBoxLayout(frame)
    inner.setContentsMargins(*CARD_MARGINS)
    return inner


def button_row(*buttons: QPushButton, min_height: int = 36) -> QHBoxLayout:
    """Buttons side by side from the left, each at least ``min_height`` pixels tall, so a
    form's actions line up the same way everywhere on the desk."""
    row = QHBoxLayout()
    for button in buttons:
        button.setMinimumHeight(min_height)
        row.addWidget(button)
    row.addStretch(1)
    return row
