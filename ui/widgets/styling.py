"""Switch a widget's look by a property the stylesheet selects on (``[tone="success"]``)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def set_style_property(widget: QWidget, name: str, value: str) -> None:
    """Set ``name`` and re-apply the stylesheet to the widget and its children."""
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    restyle(widget)


def restyle(widget: QWidget) -> None:
    style = widget.style()
    for child in (widget, *widget.findChildren(QWidget)):
        style.unpolish(child)
        style.polish(child)
    widget.update()
