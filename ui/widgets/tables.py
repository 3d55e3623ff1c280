"""A table view for row models: whole-row selection, plain look, and rows that need
attention painted in a colour set by desk.qss (``qproperty-attentionColor``)."""

from __future__ import annotations

from PySide6.QtCore import Property, QModelIndex, QPersistentModelIndex
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from ui.models.row_table import ATTENTION_ROLE


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

    def fit_columns(self) -> None:
        """Columns as wide as their contents plus a little air; the last one fills."""
        header = self.horizontalHeader()
        self.resizeColumnsToContents()
        for column in range(header.count() - 1):
            self.setColumnWidth(column, self.columnWidth(column) + 16)
        # Resizing to contents sets the last section too; stretching it again fills the row.
        header.setStretchLastSection(False)
        header.setStretchLastSection(True)

    def selected_rows(self) -> list[int]:
        model = self.selectionModel()
        if model is None:
            return []
        return sorted({index.row() for index in model.selectedRows()})
