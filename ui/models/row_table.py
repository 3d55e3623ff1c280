"""A read-only table model over a list of frozen rows, described by its columns.

Each concrete model (audit, held phones, staff, ...) only lists its columns; bounds checks,
roles and resets live here once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

RowT = TypeVar("RowT")
Index = QModelIndex | QPersistentModelIndex

# The row object itself, for views and components that act on a selection.
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
# True when the row needs the receptionist's attention (the view highlights it).
ATTENTION_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass(frozen=True)
class Column(Generic[RowT]):
    header: str
    text: Callable[[RowT], str]
    tooltip: Callable[[RowT], str] | None = None
    align_right: bool = False
    # The text-heavy column (a message, a device, a note): it takes the room the short
    # columns leave, and a text too long for it ends in "…" with the whole in its tooltip.
    stretch: bool = False


class RowTableModel(QAbstractTableModel, Generic[RowT]):
    """Rows in, text out. Subclasses set ``columns`` and may override ``needs_attention``."""

    columns: Sequence[Column[RowT]] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: tuple[RowT, ...] = ()

    # --- public ---------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[RowT]) -> None:
        rows = tuple(rows)
        if rows == self._rows:
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rows(self) -> tuple[RowT, ...]:
        return self._rows

    def row_at(self, row: int) -> RowT | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def needs_attention(self, row: RowT) -> bool:
        return False

    # --- QAbstractTableModel ----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.model() is not self:
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < len(self._rows) and 0 <= column < len(self.columns)):
            return None
        item, spec = self._rows[row], self.columns[column]
        if role == Qt.ItemDataRole.DisplayRole:
            return spec.text(item)
        if role == Qt.ItemDataRole.ToolTipRole:
            # A cell too narrow for its text is shortened with "…": the tooltip has it all.
            return spec.tooltip(item) if spec.tooltip is not None else spec.text(item) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and spec.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ROW_ROLE:
            return item
        if role == ATTENTION_ROLE:
            return self.needs_attention(item)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.columns)
        ):
            return self.columns[section].header
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )
