"""A confiscated device's chain of custody: every movement, who made it, when and where."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.rows.confiscations import CustodyEventRow
from ui.models.confiscations import CustodyChainModel
from ui.widgets.labels import plain_label
from ui.widgets.tables import AttentionTableView


class DeviceHistory(QWidget):
    """The whole chain for one device, as a table that grows with it."""

    def __init__(self, tz: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = CustodyChainModel(tz, self)
        self.table = AttentionTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Chain of custody")
        self.table.fit_to_rows(minimum=2, maximum=10)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(plain_label("Chain of custody", role="section"))
        layout.addWidget(self.table)

    def set_events(self, events: tuple[CustodyEventRow, ...]) -> None:
        self.model.set_rows(events)
        self.table.fit_columns()

    def lines(self) -> list[str]:
        """Each entry as one line of text (what the table shows, for tests and copying)."""
        return [
            " | ".join(column.text(event) for column in self.model.columns)
            for event in self.model.rows()
        ]
