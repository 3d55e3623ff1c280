"""The audit log at the desk: recent entries, newest first, with a filter box."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLineEdit, QVBoxLayout, QWidget

from kiosk.changes import Topic
from kiosk.context import KioskContext
from kiosk.errors import KioskError
from kiosk.services.audit_words import recent_in_words
from ui.ask import Asker
from ui.components.common import ActorSource
from ui.components.desk.panel import DeskPanel
from ui.models.audit_model import AuditModel
from ui.widgets.labels import plain_label
from ui.widgets.tables import AttentionTableView

RECENT_LIMIT = 500


class AuditPanel(DeskPanel):
    """The most recent entries of the audit log, with a filter."""

    title = "Audit"
    shows = frozenset({Topic.AUDIT})
    manager_only = True

    def __init__(
        self, ctx: KioskContext, actor: ActorSource, asker: Asker, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, actor, asker, parent)
        self._setup_ui()

    def refresh(self) -> None:
        try:
            entries = recent_in_words(self._ctx, limit=RECENT_LIMIT)
        except KioskError as error:
            self.count.setText(error.message)
            return
        self.model.set_rows(entries)
        self._update_count()

    def _setup_ui(self) -> None:
        self.model = AuditModel(self._ctx.timezone, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter: a name, an action, a slot…")
        self.filter.setClearButtonEnabled(True)
        self.filter.setAccessibleName("Filter the audit log")
        self.filter.textChanged.connect(self._on_filter_changed)
        self.count = plain_label(role="hint")

        self.table = AttentionTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Audit log")
        header = self.table.horizontalHeader()
        for column, width in enumerate((170, 220)):
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

        top = QHBoxLayout()
        top.addWidget(plain_label("Audit log", role="heading"))
        top.addSpacing(16)
        top.addWidget(self.filter, 1)
        top.addWidget(self.count)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(
            plain_label(
                f"Every change, newest first (the latest {RECENT_LIMIT}). Times are school time.",
                role="hint",
            )
        )
        layout.addWidget(self.table, 1)

    def _on_filter_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count.setText(
            f"{total} entries" if shown == total else f"{shown} of {total} entries match"
        )
