"""A table view for row models: whole-row selection, plain look, and rows that need
attention painted in a colour set by desk.qss (``qproperty-attentionColor``)."""

from __future__ import annotations

from PySide6.QtCore import Property, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from ui.models.row_table import ATTENTION_ROLE

# The narrowest a short column is squeezed to when a table is narrow: a few letters and "…".
MIN_COLUMN_WIDTH = 56


class _AttentionDelegate(QStyledItemDelegate):
    def __init__(self, view: AttentionTableView) -> None:
        super().__init__(view)
        self._view = view

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        # The Qt property is for the stylesheet; the stubs type it as a Property, not a
        # QColor, so the delegate reads the colour through the plain getter.
        colour = self._view.attention_colour()
        if index.data(ATTENTION_ROLE) and colour.isValid():
            option.backgroundBrush = QBrush(colour)


class AttentionTableView(QTableView):
    def __init__(self, parent: QWidget | None = None, *, multi_select: bool = False) -> None:
        super().__init__(parent)
        self._attention = QColor()  # set by desk.qss; rows are also marked in words
        self.setItemDelegate(_AttentionDelegate(self))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(
            QAbstractItemView.SelectionMode.ExtendedSelection
            if multi_select
            else QAbstractItemView.SelectionMode.SingleSelection
        )
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(28)
        self.horizontalHeader().setHighlightSections(False)
        self.horizontalHeader().setStretchLastSection(True)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)

    def attention_colour(self) -> QColor:
        """The background of rows that need attention, as set by desk.qss.

        Returns an invalid QColor while no stylesheet has set it (rows are then
        marked in words only).
        """
        return self._attention

    def _set_attention(self, colour: QColor) -> None:
        self._attention = QColor(colour)
        self.viewport().update()

    attentionColor = Property(QColor, attention_colour, _set_attention)

    def fit_to_rows(self, minimum: int = 2, maximum: int = 8) -> None:
        """Keep the table as tall as its rows (within limits) instead of a fixed block."""
        self._fit = (minimum, maximum)
        model = self.model()
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved):
            signal.connect(self._fit_height)
        self._fit_height()

    def _fit_height(self, *_args: object) -> None:
        minimum, maximum = self._fit
        rows = min(max(self.model().rowCount(), minimum), maximum)
        height = (
            self.horizontalHeader().sizeHint().height()
            + rows * self.verticalHeader().defaultSectionSize()
            + 2 * self.frameWidth()
        )
        self.setFixedHeight(height)
        self.fit_columns()

    def fit_columns(self, widest: int = 320) -> None:
        """Short columns as wide as their contents plus a little air (at most ``widest``
        pixels; a longer cell ends in "…" with the whole in its tooltip), and the text-heavy
        column (the model's ``Column(stretch=True)``, else the last) takes the rest of the
        width, so the table never needs scrolling sideways to read a column."""
        header = self.horizontalHeader()
        model = self.model()
        if model is None:
            return
        count = header.count()
        if count == 0:
            return
        stretch = self.stretch_column()
        header.setStretchLastSection(False)
        for column in range(count):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        self.resizeColumnsToContents()
        self._natural = {
            column: min(self.columnWidth(column) + 16, widest)
            for column in range(count)
            if column != stretch
        }
        self._stretch_natural = self.columnWidth(stretch) + 16
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._share_width()

    def stretch_column(self) -> int:
        """The column that takes the spare width: the model's text-heavy column
        (``Column(stretch=True)``), or the last column when it names none."""
        model = self.model()
        columns = getattr(model, "columns", ())
        for index, spec in enumerate(columns):
            if getattr(spec, "stretch", False):
                return index
        return max(self.horizontalHeader().count() - 1, 0)

    def _share_width(self) -> None:
        """Fit the short columns into the width there is: when they and the text-heavy
        column's fair share do not fit, the widest short columns give way first (their
        cells end in "…" with the whole in the tooltip)."""
        natural = getattr(self, "_natural", None)
        if not natural:
            return
        available = self.viewport().width()
        stretch_room = min(self._stretch_natural, max(available // 3, 80))
        budget = available - stretch_room
        cap = max(natural.values())
        while cap > MIN_COLUMN_WIDTH and sum(min(w, cap) for w in natural.values()) > budget:
            cap -= 8
        header = self.horizontalHeader()
        for column, width in natural.items():
            # A column never gets narrower than its heading.
            floor = max(MIN_COLUMN_WIDTH, min(header.sectionSizeHint(column), width))
            self.setColumnWidth(column, max(min(width, cap), floor))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self._share_width()

    def selected_rows(self) -> list[int]:
        model = self.selectionModel()
        if model is None:
            return []
        return sorted({index.row() for index in model.selectedRows()})
