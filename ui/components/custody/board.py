"""The board: every receptacle as a grid of slots, coloured by state, updated after each scan.

Tiles are made once per slot and reused; a refresh only touches tiles whose slot changed, so
the board keeps up with a morning queue. Colours come from desk.qss through the tile's
``state`` property: ``empty``, ``held``, ``flagged`` (no permission on file) and ``overdue``
(held since before today).
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QFont, QMouseEvent, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.changes import Topic
from kiosk.clock import say_when
from kiosk.context import KioskContext
from kiosk.errors import KioskError
from kiosk.rows.custody import BoardReceptacle, BoardSlot, HeldPhone
from kiosk.services import custody
from ui.ask import Asker
from ui.components.common import ActorSource
from ui.components.desk.panel import DeskPanel
from ui.models.formatting import held_before_today, plain_tooltip
from ui.models.settings_models import years_text
from ui.widgets.labels import plain_label
from ui.widgets.styling import restyle

TILE_SIZE = QSize(96, 54)
TILE_GAP = 4

STATE_TEXT = {
    "empty": "Empty",
    "held": "Phone held",
    "flagged": "Held, no permission on file",
    "overdue": "Held since before today",
}


def slot_state(slot: BoardSlot, start_of_today: datetime) -> str:
    if slot.custody_id is None:
        return "empty"
    if slot.since is not None and slot.since < start_of_today:
        return "overdue"
    return "flagged" if slot.no_permission else "held"


class SlotTile(QFrame):
    """One slot: its number and, when held, the pupil's name (elided) and form."""

    sig_clicked = Signal(int)
    """The tile of a held phone was clicked; carries the custody id."""

    def __init__(self, number: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.number = number
        self.state = ""
        self.pupil_name = ""
        self.form = ""
        self.custody_id: int | None = None
        self._key: tuple[object, ...] | None = None
        self.setFixedSize(TILE_SIZE)
        self.show_slot(BoardSlot(number), "empty", "")

    def needs_update(self, key: tuple[object, ...]) -> bool:
        return key != self._key

    def show_slot(
        self, slot: BoardSlot, state: str, since_text: str, key: tuple[object, ...] | None = None
    ) -> None:
        key = key or (slot, state, since_text)
        if key == self._key:
            return
        self._key = key
        self.custody_id = slot.custody_id
        self.pupil_name, self.form = slot.pupil_name, slot.form
        if state != self.state:
            self.state = state
            self.setProperty("state", state)
            restyle(self)
        if slot.custody_id is None:
            self.setToolTip(plain_tooltip(f"Slot {slot.slot}: empty"))
            self.setAccessibleName(f"Slot {slot.slot}, empty")
            self.setCursor(Qt.CursorShape.ArrowCursor)
        else:
            lines = [slot.pupil_name, f"Form {slot.form}", f"Handed in {since_text}"]
            if slot.no_permission:
                lines.append("No permission on file")
            if state == "overdue":
                lines.append("Held since before today")
            self.setToolTip(plain_tooltip(f"Slot {slot.slot}\n" + "\n".join(lines)))
            self.setAccessibleName(f"Slot {slot.slot}, {slot.pupil_name}, {slot.form}")
            self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)  # background and border from desk.qss
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        inner = self.contentsRect().adjusted(5, 3, -5, -3)
        base = self.font()
        number_font = QFont(base)
        number_font.setBold(True)
        painter.setFont(number_font)
        painter.drawText(
            inner, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, str(self.number)
        )
        if self.custody_id is not None:
            painter.setFont(base)
            metrics = painter.fontMetrics()
            line = metrics.height()
            form = metrics.elidedText(self.form, Qt.TextElideMode.ElideRight, inner.width() // 2)
            painter.drawText(inner, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop, form)
            # The name on two lines, split after the first word, each elided to fit.
            first, _, rest = self.pupil_name.partition(" ")
            for number, text in enumerate((first, rest), start=1):
                shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, inner.width())
                row = QRect(inner.left(), inner.top() + number * line, inner.width(), line)
                painter.drawText(
                    row, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, shown
                )
        painter.end()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if (
            event.button() == Qt.MouseButton.LeftButton
            and self.custody_id is not None
            and self.rect().contains(event.position().toPoint())
        ):
            self.sig_clicked.emit(self.custody_id)
        super().mouseReleaseEvent(event)


class TileField(QWidget):
    """Lays tiles out in as many columns as the width allows (height follows width)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tiles: list[SlotTile] = []
        self._columns = 0
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def set_tile_count(self, count: int) -> list[SlotTile]:
        """Grow or shrink to ``count`` tiles; returns the tiles that were added."""
        if count == len(self.tiles):
            return []
        added = []
        while len(self.tiles) < count:
            tile = SlotTile(len(self.tiles) + 1, self)
            tile.show()
            self.tiles.append(tile)
            added.append(tile)
        while len(self.tiles) > count:
            self.tiles.pop().deleteLater()
        self._columns = 0  # lay every tile out again
        self._place()
        return added

    def _columns_for(self, width: int) -> int:
        return max(1, (width + TILE_GAP) // (TILE_SIZE.width() + TILE_GAP))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        rows = -(-len(self.tiles) // self._columns_for(width)) if self.tiles else 0
        return max(0, rows * (TILE_SIZE.height() + TILE_GAP) - TILE_GAP)

    def sizeHint(self) -> QSize:
        width = 12 * (TILE_SIZE.width() + TILE_GAP)
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        return QSize(TILE_SIZE.width(), TILE_SIZE.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place()

    def _place(self) -> None:
        columns = self._columns_for(self.width())
        if columns == self._columns:
            return
        self._columns = columns
        step_x, step_y = TILE_SIZE.width() + TILE_GAP, TILE_SIZE.height() + TILE_GAP
        for index, tile in enumerate(self.tiles):
            row, column = divmod(index, columns)
            tile.move(column * step_x, row * step_y)
        # A fixed minimum height makes every enclosing layout (and the scroll area) give
        # the grid all its rows; height-for-width alone is not passed up reliably.
        self.setMinimumHeight(self.heightForWidth(self.width()))


class ReceptacleGrid(QWidget):
    """A titled grid: "Tray A · 37 of 120 in use"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = plain_label(role="section")
        self.field = TileField()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 12)
        layout.setSpacing(6)
        layout.addWidget(self.title)
        layout.addWidget(self.field)

    def show_receptacle(
        self, data: BoardReceptacle, today: date, now: datetime, tz: ZoneInfo
    ) -> list[SlotTile]:
        r = data.receptacle
        tied = f" · {years_text(r.year_groups)}" if r.year_groups else ""
        title = f"{r.name} · {data.used} of {r.capacity} in use{tied}"
        if self.title.text() != title:
            self.title.setText(title)
        added = self.field.set_tile_count(len(data.slots))
        start_of_today = datetime.combine(today, time(0), tzinfo=tz)
        # Most slots are unchanged between two scans: compare first, format only changes.
        for tile, slot in zip(self.field.tiles, data.slots, strict=True):
            state = slot_state(slot, start_of_today)
            key = (slot, state, today)
            if tile.needs_update(key):
                since = say_when(slot.since, now, tz, bare=True) if slot.since is not None else ""
                tile.show_slot(slot, state, since, key)
        return added


class BoardView(DeskPanel):
    """Every receptacle, then the phones held somewhere other than a slot."""

    title = "Board"
    shows = frozenset({Topic.CUSTODY, Topic.PUPILS, Topic.EXEMPTIONS, Topic.CONFISCATIONS})

    sig_pupil_chosen = Signal(int)
    """A held tile was clicked; carries the pupil's id."""

    def __init__(
        self, ctx: KioskContext, actor: ActorSource, asker: Asker, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, actor, asker, parent)
        self._grids: dict[int, ReceptacleGrid] = {}
        self._pupil_for_custody: dict[int, int] = {}
        self._setup_ui()

    # --- public ---------------------------------------------------------------------------

    def refresh(self) -> None:
        ctx = self._ctx
        try:
            held = custody.held_phones(ctx)
            receptacles = custody.board(ctx, held)
        except KioskError as error:
            self.summary.setText(error.message)
            return
        now = ctx.clock()
        today = now.astimezone(ctx.timezone).date()
        self._pupil_for_custody = {h.custody_id: h.pupil.id for h in held}
        self._show_grids(receptacles, today, now)
        self._show_elsewhere([h for h in held if h.slot is None], now)
        self._show_confiscated(now)
        overdue = sum(1 for h in held if held_before_today(h.since, ctx.timezone, now))
        flagged = sum(1 for h in held if h.no_permission)
        parts = [f"{len(held)} phone{'s' if len(held) != 1 else ''} held"]
        if flagged:
            parts.append(f"{flagged} without permission on file")
        if overdue:
            parts.append(f"{overdue} since before today")
        if self.confiscated_count:
            parts.append(f"{self.confiscated_count} confiscated")
        self.summary.setText(" · ".join(parts))

    def grids(self) -> list[ReceptacleGrid]:
        return [self._grids[key] for key in self._order]

    def tile(self, receptacle_name: str, slot: int) -> SlotTile:
        """The tile for a slot (for tests and for pointing at a slot)."""
        for grid in self._grids.values():
            if grid.title.text().startswith(f"{receptacle_name} · "):
                return grid.field.tiles[slot - 1]
        raise KeyError(receptacle_name)

    # --- building -------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        self._order: list[int] = []
        self.summary = plain_label(role="summary")
        legend = QHBoxLayout()
        legend.setSpacing(12)
        legend.addWidget(self.summary)
        legend.addStretch(1)
        for state in ("empty", "held", "flagged", "overdue"):
            swatch = QLabel()
            swatch.setFixedSize(16, 16)
            swatch.setProperty("state", state)
            swatch.setObjectName("legendSwatch")
            legend.addWidget(swatch)
            legend.addWidget(plain_label(STATE_TEXT[state], role="legend"))

        self._content = QWidget()
        self._content.setObjectName("boardContent")
        self._grid_layout = QVBoxLayout(self._content)
        self._grid_layout.setContentsMargins(0, 0, 8, 0)
        self._grid_layout.setSpacing(4)
        self.elsewhere = plain_label(role="elsewhere", wrap=True, selectable=True)
        self.elsewhere.hide()
        self._grid_layout.addWidget(self.elsewhere)
        # Confiscated devices are kept apart from handed-in phones, under their own heading.
        self.confiscated = plain_label(role="confiscated", wrap=True, selectable=True)
        self.confiscated.setAccessibleName("Confiscated devices")
        self.confiscated_count = 0
        self.confiscated.hide()
        self._grid_layout.addWidget(self.confiscated)
        self._grid_layout.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        # Always shown, so that the number of tile columns does not flip back and forth
        # as the scroll bar comes and goes.
        scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self._content)

        layout = QVBoxLayout(self)
        layout.addLayout(legend)
        layout.addWidget(scroll, 1)

    def _show_grids(self, receptacles: list[BoardReceptacle], today: date, now: datetime) -> None:
        wanted = [r.receptacle.id for r in receptacles]
        for gone in set(self._grids) - set(wanted):
            self._grids.pop(gone).deleteLater()
        for data in receptacles:
            grid = self._grids.get(data.receptacle.id)
            if grid is None:
                grid = self._grids[data.receptacle.id] = ReceptacleGrid()
            for tile in grid.show_receptacle(data, today, now, self._ctx.timezone):
                tile.sig_clicked.connect(self._on_tile_clicked)
        if wanted != self._order:
            for position, key in enumerate(wanted):
                self._grid_layout.insertWidget(position, self._grids[key])
            self._order = wanted

    def _show_elsewhere(self, phones: list[HeldPhone], now: datetime) -> None:
        if not phones:
            self.elsewhere.hide()
            return
        lines = ["Elsewhere:"] + [
            f"{h.place} — {h.pupil.name} ({h.pupil.form}), since "
            f"{say_when(h.since, now, self._ctx.timezone, bare=True)}"
            for h in sorted(
                phones, key=lambda h: (h.place, h.pupil.display_surname, h.pupil.display_forename)
            )
        ]
        self.elsewhere.setText("\n".join(lines))
        self.elsewhere.show()

    def _show_confiscated(self, now: datetime) -> None:
        from kiosk.services.confiscations import open_confiscations

        try:
            devices = open_confiscations(self._ctx)
        except KioskError as error:
            devices, note = [], error.message
        else:
            note = ""
        self.confiscated_count = len(devices)
        if not devices and not note:
            self.confiscated.hide()
            return
        lines = [f"Confiscated devices ({len(devices)}):"] + [
            f"{c.status_text}: {c.place} — {c.device}, {c.pupil.name} ({c.pupil.form}), "
            f"since {say_when(c.taken_at, now, self._ctx.timezone, bare=True)}"
            for c in devices
        ]
        self.confiscated.setText("\n".join(lines + ([note] if note else [])))
        self.confiscated.show()

    def _on_tile_clicked(self, custody_id: int) -> None:
        pupil_id = self._pupil_for_custody.get(custody_id)
        if pupil_id is not None:
            self.sig_pupil_chosen.emit(pupil_id)
