"""Names for the small buttons Qt draws by itself, which carry a symbol but no words: the
"×" that clears a search box, the arrows that scroll a row of tabs, the corner of a table
that selects every row. A screen reader reads their accessible name; a mouse user sees
the tooltip."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QLineEdit, QTabBar, QTableView, QWidget

# Qt's object names for its own buttons, and what each one does in words.
_QT_BUTTONS = {
    "ScrollLeftButton": ("Show earlier tabs", "Scroll the tabs to the left"),
    "ScrollRightButton": ("Show later tabs", "Scroll the tabs to the right"),
    "qt_tableview_cornerbutton": ("Select every row", "Select every row of this list"),
}


def name_qt_buttons(root: QWidget) -> int:
    """Give every wordless button Qt made inside ``root`` an accessible name and a tooltip
    (a search box's clear button, a tab bar's scroll arrows, a table's corner button).
    Returns how many were named. A name or tooltip already given is kept."""
    named = 0
    for button in root.findChildren(QAbstractButton):
        if any(ch.isalnum() for ch in button.text()) or (
            button.accessibleName() and button.toolTip()
        ):
            continue
        parent = button.parent()
        words = _QT_BUTTONS.get(button.objectName())
        if words is None and isinstance(parent, QLineEdit):
            field = parent.accessibleName() or parent.placeholderText() or "the field"
            words = ("Clear", f"Clear {field[:1].lower() + field[1:]}")
        if words is None or not isinstance(parent, QLineEdit | QTabBar | QTableView | QWidget):
            continue
        button.setAccessibleName(button.accessibleName() or words[0])
        button.setToolTip(button.toolTip() or words[1])
        named += 1
    return named
