"""Pupils found by a search, as the pupil picker lists them: one line per pupil, name first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from kiosk.rows.people import PupilRow
from ui.models.row_table import ROW_ROLE

Index = QModelIndex | QPersistentModelIndex


def result_text(pupil: PupilRow) -> str:
    return f"{pupil.name} · {pupil.form} · {pupil.year_label}"


class PupilListModel(QAbstractListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: tuple[PupilRow, ...] = ()

    def set_pupils(self, pupils: Sequence[PupilRow]) -> None:
        rows = tuple(pupils)
        if rows == self._rows:
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def pupil_at(self, row: int) -> PupilRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.column() != 0 or not 0 <= index.row() < len(self._rows):
            return None
        pupil = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return result_text(pupil)
        if role == Qt.ItemDataRole.ToolTipRole:
            return pupil.id_label
        if role == ROW_ROLE:
            return pupil
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )
