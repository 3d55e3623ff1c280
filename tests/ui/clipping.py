"""Find text that does not fit the widget showing it.

:func:`clipped_widgets` walks a window (or any widget) as it is drawn now and describes
every label, button, tab, table header or visible table cell whose text is cut off, and
every widget pushed past the edge of its window. A widget that shortens its text on purpose
("…") passes when its tooltip holds the whole text: :func:`~ui.widgets.elided.elide_with_tooltip`
and :class:`~ui.widgets.elided.ElidedLabel` are the shared ways to do that.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QModelIndex, QRect, Qt
from PySide6.QtGui import QFontMetricsF, QTextDocument
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QListView,
    QRadioButton,
    QStyle,
    QTabBar,
    QTableView,
    QToolButton,
    QWidget,
)

from ui.widgets.fit_label import FitLabel

# Room a push or tool button keeps around its text for the frame and the padding: below
# this, the style draws the text over the frame or cuts it.
BUTTON_AIR = 8
# Room a table cell or header keeps around its text (Qt's item margins and a sort arrow).
CELL_AIR = 6
HEADER_AIR = 8
ELLIPSIS = "…"


def clipped_widgets(root: QWidget) -> list[str]:
    """One line for every visible widget under ``root`` (``root`` included) whose text does
    not fit it, or that lies past the edge of its window; empty when nothing is cut off.

    Each line names the widget (class, object name) and the text that does not fit, with
    the width it needs and the width it has, so a failing test says what to fix.
    """
    problems: list[str] = []
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        if not widget.isVisible() or widget.width() <= 0 or widget.height() <= 0:
            continue
        if _inside_popup(widget, root):
            continue
        problems.extend(_check(widget))
        problem = _past_window_edge(widget)
        if problem:
            problems.append(problem)
    return problems


# --- what is checked -------------------------------------------------------------------------


def _check(widget: QWidget) -> list[str]:
    if isinstance(widget, FitLabel):
        return _check_fit_label(widget)
    if isinstance(widget, QLabel):
        problem = _check_label(widget)
        return [problem] if problem else []
    if isinstance(widget, QAbstractButton):
        problem = _check_button(widget)
        return [problem] if problem else []
    if isinstance(widget, QTabBar):
        return _check_tabs(widget)
    if isinstance(widget, QTableView):
        return _check_table(widget)
    if isinstance(widget, QListView) and not isinstance(widget.parentWidget(), QComboBox):
        return _check_list(widget)
    return []


def _check_fit_label(label: FitLabel) -> list[str]:
    width = label.contentsRect().width() - 2
    font = label.fitted_font(width)
    needed = QFontMetricsF(font).horizontalAdvance(label.text())
    if needed > width + 0.5 and not _elided_on_purpose(label, label.text()):
        return [_describe(label, label.text(), f"needs {needed:.0f} px, has {width} px")]
    return []


def _check_label(label: QLabel) -> str | None:
    text = label.text()
    if not text.strip() or label.pixmap() is not None and not label.pixmap().isNull():
        return None
    if _elided_on_purpose(label, text):
        return None
    rect = label.contentsRect()
    margin = label.margin()
    indent = max(label.indent(), 0)
    width = rect.width() - 2 * margin - indent
    height = rect.height() - 2 * margin
    rich = label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(text)
    )
    if label.wordWrap():
        needed_height = label.heightForWidth(label.width())
        if needed_height > label.height() + 1:
            return _describe(
                label, text, f"wrapped needs {needed_height} px high, has {label.height()} px"
            )
        if rich:
            return None
        # A single word longer than the line cannot wrap: it is cut instead.
        metrics = QFontMetricsF(label.font())
        # Words end at white space and at a zero-width space (a place a line may break).
        words = text.replace("\u200b", " ").split()
        longest = max((metrics.horizontalAdvance(w) for w in words), default=0)
        if longest > width + 1:
            return _describe(label, text, f"a word needs {longest:.0f} px, has {width} px")
        return None
    if rich:
        document = QTextDocument()
        document.setDefaultFont(label.font())
        document.setDocumentMargin(0)
        document.setHtml(text)
        needed_width = document.idealWidth()
        needed_height = document.size().height()
    else:
        metrics = QFontMetricsF(label.font())
        lines = text.split("\n")
        needed_width = max(metrics.horizontalAdvance(line) for line in lines)
        needed_height = metrics.height() * len(lines)
    if needed_width > width + 1:
        return _describe(label, text, f"needs {needed_width:.0f} px, has {width} px")
    if needed_height > height + 2:
        return _describe(label, text, f"needs {needed_height:.0f} px high, has {height} px")
    return None


def _check_button(button: QAbstractButton) -> str | None:
    text = _without_mnemonic(button.text())
    if not text.strip() or _elided_on_purpose(button, text):
        return None
    if isinstance(button, QToolButton) and (
        button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly
    ):
        return None
    metrics = QFontMetricsF(button.font())
    lines = text.split("\n")
    needed = max(metrics.horizontalAdvance(line) for line in lines)
    if not button.icon().isNull() and not (
        isinstance(button, QToolButton)
        and button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextUnderIcon
    ):
        needed += button.iconSize().width() + 4
    if isinstance(button, (QCheckBox, QRadioButton)):
        # The indicator and its spacing come before the text; the size hint knows both.
        needed = max(needed, button.sizeHint().width() - 2)
        has = button.width()
    else:
        needed += BUTTON_AIR
        has = button.width()
    if needed > has + 1:
        return _describe(button, text, f"needs {needed:.0f} px, has {has} px")
    needed_height = metrics.height() * len(lines)
    if needed_height > button.height():
        return _describe(
            button, text, f"needs {needed_height:.0f} px high, has {button.height()} px"
        )
    return None


def _check_tabs(bar: QTabBar) -> list[str]:
    problems = []
    metrics = QFontMetricsF(bar.font())
    visible = bar.rect()
    for index in range(bar.count()):
        if not bar.isTabVisible(index):
            continue
        text = _without_mnemonic(bar.tabText(index))
        rect = bar.tabRect(index)
        if not visible.contains(rect):
            problems.append(
                f"QTabBar {bar.objectName() or ''} tab {text!r}: out of sight "
                f"(tab bar is {visible.width()} px wide, tab ends at {rect.right()} px)"
            )
            continue
        needed = metrics.horizontalAdvance(text) + HEADER_AIR
        if not bar.tabIcon(index).isNull():
            needed += bar.iconSize().width() + 4
        if needed > rect.width() + 1 and bar.tabToolTip(index) != text:
            problems.append(
                f"QTabBar {bar.objectName() or ''} tab {text!r}: "
                f"needs {needed:.0f} px, has {rect.width()} px"
            )
    return problems


def _check_table(view: QTableView) -> list[str]:
    model = view.model()
    if model is None:
        return []
    problems = []
    header = view.horizontalHeader()
    columns = [
        column
        for column in range(model.columnCount())
        if not view.isColumnHidden(column) and header.sectionSize(column) > 0
    ]
    if header.isVisible():
        problems.extend(_check_header(view, header, columns))
    problems.extend(_check_cells(view, columns))
    return problems


def _check_header(view: QTableView, header: QHeaderView, columns: list[int]) -> list[str]:
    model = view.model()
    metrics = QFontMetricsF(header.font())
    problems = []
    for column in columns:
        text = model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        if not text:
            continue
        text = str(text)
        needed = max(metrics.horizontalAdvance(line) for line in text.split("\n")) + HEADER_AIR
        if view.isSortingEnabled() and header.isSortIndicatorShown():
            needed += view.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize)
        left = header.sectionViewportPosition(column)
        if left >= header.viewport().width():
            problems.append(f"{_name(view)} column {text!r}: out of sight, past the right edge")
            continue
        has = min(header.sectionSize(column), header.viewport().width() - left)
        if needed > has + 1:
            tip = model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
            if _whole_in(text, _plain(tip)):
                continue
            problems.append(
                f"{_name(view)} column header {text!r}: needs {needed:.0f} px, has {has} px"
            )
    return problems


def _check_cells(view: QTableView, columns: list[int]) -> list[str]:
    model = view.model()
    metrics = QFontMetricsF(view.font())
    problems = []
    viewport_height = view.viewport().height()
    for row in range(model.rowCount()):
        top = view.rowViewportPosition(row)
        if top < 0 or view.isRowHidden(row):
            continue
        if top >= viewport_height:
            break
        for column in columns:
            if view.columnSpan(row, column) > 1:
                continue
            problem = _check_cell(view, model.index(row, column), metrics)
            if problem:
                problems.append(problem)
    return problems


def _check_cell(view: QTableView, index: QModelIndex, metrics: QFontMetricsF) -> str | None:
    text = index.data(Qt.ItemDataRole.DisplayRole)
    if text is None or str(text) == "":
        return None
    text = str(text)
    if index.data(Qt.ItemDataRole.DecorationRole) is not None:
        extra = view.iconSize().width() + 4 if view.iconSize().width() > 0 else 20
    else:
        extra = 0
    lines = text.split("\n")
    needed = max(metrics.horizontalAdvance(line) for line in lines) + CELL_AIR + extra
    header = view.horizontalHeader()
    left = header.sectionViewportPosition(index.column())
    column_width = view.columnWidth(index.column())
    # Past the viewport's right edge the text is cut, not shortened: that is clipping.
    has = min(column_width, header.viewport().width() - left)
    if needed <= has + 1 and (
        len(lines) == 1 or view.rowHeight(index.row()) >= metrics.height() * len(lines)
    ):
        return None
    tip = _plain(index.data(Qt.ItemDataRole.ToolTipRole))
    elided = view.textElideMode() != Qt.TextElideMode.ElideNone and has == column_width
    if elided and _whole_in(text, tip):
        return None
    column_title = index.model().headerData(
        index.column(), Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole
    )
    return (
        f"{_name(view)} cell {text!r} (column {column_title!r}, row {index.row() + 1}): "
        f"needs {needed:.0f} px, has {has} px"
    )


def _check_list(view: QListView) -> list[str]:
    model = view.model()
    if model is None or view.viewMode() != QListView.ViewMode.ListMode:
        return []
    if view.wordWrap():
        return []
    metrics = QFontMetricsF(view.font())
    width = view.viewport().width()
    problems = []
    for row in range(model.rowCount()):
        index = model.index(row, view.modelColumn())
        rect = view.visualRect(index)
        if rect.bottom() < 0 or view.isRowHidden(row):
            continue
        if rect.top() > view.viewport().height():
            break
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not text:
            continue
        text = str(text)
        needed = metrics.horizontalAdvance(text) + CELL_AIR
        if index.data(Qt.ItemDataRole.DecorationRole) is not None:
            needed += view.iconSize().width() + 4
        if needed > width + 1 and view.horizontalScrollBarPolicy() == (
            Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        ):
            if _whole_in(text, _plain(index.data(Qt.ItemDataRole.ToolTipRole))):
                continue
            problems.append(f"{_name(view)} item {text!r}: needs {needed:.0f} px, has {width} px")
    return problems


def _past_window_edge(widget: QWidget) -> str | None:
    """A widget the layout pushed past its window's edge (not one inside a scroll area)."""
    window = widget.window()
    if widget is window:
        return None
    if _inside_scroll_area(widget):
        return _past_viewport_edge(widget)
    top_left = widget.mapTo(window, widget.rect().topLeft())
    area = QRect(top_left, widget.size())
    edge = window.rect()
    if edge.contains(area):
        return None
    outside_x = max(area.right() - edge.right(), edge.left() - area.left(), 0)
    outside_y = max(area.bottom() - edge.bottom(), edge.top() - area.top(), 0)
    if max(outside_x, outside_y) <= 1:
        return None
    if not _has_text(widget):
        return None
    return (
        f"{_name(widget)} {_text_of(widget)!r}: past the window's edge by "
        f"{outside_x} px across, {outside_y} px down (window {edge.width()}×{edge.height()})"
    )


def _past_viewport_edge(widget: QWidget) -> str | None:
    """A widget cut at the right by a scroll area that does not scroll sideways."""
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    if parent is None or isinstance(parent, QAbstractItemView):
        return None
    if parent.horizontalScrollBarPolicy() != Qt.ScrollBarPolicy.ScrollBarAlwaysOff:
        return None
    viewport = parent.viewport()
    if not viewport.isAncestorOf(widget):
        return None  # the scroll area's own bars and corners
    right = widget.mapTo(viewport, widget.rect().topRight()).x()
    if right <= viewport.width() + 1 or not _has_text(widget):
        return None
    return (
        f"{_name(widget)} {_text_of(widget)!r}: cut at the right by its scroll area by "
        f"{right - viewport.width()} px"
    )


# --- small helpers ---------------------------------------------------------------------------


def _plain(tip: object) -> str:
    """A tooltip as the reader sees it (rich-text tooltips escape their text)."""
    if not tip:
        return ""
    text = str(tip)
    if GuiQt.mightBeRichText(text):
        document = QTextDocument()
        document.setHtml(text)
        return document.toPlainText()
    return text


def _whole_in(text: str, tip: str) -> bool:
    """Whether ``tip`` holds everything ``text`` shows (a shown text may itself be a
    shortened preview: each piece around its "…" must be there)."""
    return bool(tip) and all(
        piece.strip() in tip for piece in text.split(ELLIPSIS) if piece.strip()
    )


def _elided_on_purpose(widget: QWidget, text: str) -> bool:
    """The widget shows an elided text and its tooltip has the whole: that is not clipped."""
    shown = text
    tip = widget.toolTip()
    return bool(shown.endswith(ELLIPSIS) and tip and shown[:-1].rstrip() in tip) or bool(
        widget.property("elidesText") and tip
    )


def _inside_popup(widget: QWidget, root: QWidget) -> bool:
    window = widget.window()
    return window is not root.window() and window.windowType() == Qt.WindowType.Popup


def _inside_scroll_area(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea) or isinstance(
            parent.parentWidget(), QAbstractScrollArea
        ):
            return True
        parent = parent.parentWidget()
    return False


def _scrolls_sideways(view: QAbstractItemView) -> bool:
    return view.horizontalScrollBarPolicy() != Qt.ScrollBarPolicy.ScrollBarAlwaysOff


def _has_text(widget: QWidget) -> bool:
    return bool(_text_of(widget).strip()) or isinstance(
        widget, (QAbstractItemView, QTabBar, QComboBox)
    )


def _text_of(widget: QWidget) -> str:
    if isinstance(widget, (QLabel, QAbstractButton)):
        return widget.text()
    if isinstance(widget, QComboBox):
        return widget.currentText()
    return ""


def _without_mnemonic(text: str) -> str:
    return re.sub(r"&(.)", r"\1", text)


def _name(widget: QWidget) -> str:
    name = widget.objectName()
    kind = type(widget).__name__
    parent = widget.parentWidget()
    trail = []
    while parent is not None and len(trail) < 3:
        if parent.objectName():
            trail.append(parent.objectName())
        elif type(parent).__module__.startswith("ui."):
            trail.append(type(parent).__name__)
        parent = parent.parentWidget()
    where = f" in {'/'.join(reversed(trail))}" if trail else ""
    return f"{kind}{'#' + name if name else ''}{where}"


def _describe(widget: QWidget, text: str, why: str) -> str:
    shown = text if len(text) <= 80 else text[:77] + "..."
    return f"{_name(widget)} {shown!r}: {why}"
