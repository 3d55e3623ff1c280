"""The board: the phones held, in two views a click apart, updated after each scan.

The **compact** view (the first a desk sees) shows each receptacle as a bar with its count
of phones held out of its slots, and lists only the occupied slots, by receptacle then slot
number, with the pupil's name: a school of 400 slots fits one 1280x720 screen. The **grid**
draws every slot as a tile. Tiles are made once per slot and reused; a refresh only touches
tiles whose slot changed, so the board keeps up with a morning queue. Colours come from
desk.qss through the tile's ``state`` property: ``empty``, ``held``, ``flagged`` (no
permission on file) and ``overdue`` (held since before today). The view chosen is
remembered on this computer (a file in the user data directory, as the camera's choice).
"""

from __future__ import annotations

import json
import logging
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QFont, QMouseEvent, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.changes import Topic
from kiosk.clock import say_when
from kiosk.config import data_dir
from kiosk.context import KioskContext
from kiosk.errors import KioskError
from kiosk.rows.custody import BoardReceptacle, BoardSlot, HeldPhone
from kiosk.services import custody
from ui.ask import Asker
from ui.components.common import ActorSource
from ui.components.desk.panel import DeskPanel
from ui.models.board_model import HeldSlotLine, HeldSlotsModel
from ui.models.formatting import held_before_today, plain_tooltip
from ui.models.settings_models import years_text
from ui.widgets.labels import plain_label
from ui.widgets.styling import restyle
from ui.widgets.tables import AttentionTableView

log = logging.getLogger(__name__)

COMPACT, GRID = "compact", "grid"
VIEW_FILE = "board-view.json"

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


def board_view_chosen() -> str:
    """The board view chosen on this computer: :data:`COMPACT` (the default) or
    :data:`GRID`. Never raises: an unreadable choice gives the default."""
    try:
        chosen = json.loads((data_dir() / VIEW_FILE).read_text("utf-8")).get("view")
    except (OSError, ValueError, AttributeError):
        return COMPACT
    return GRID if chosen == GRID else COMPACT


def choose_board_view(view: str) -> None:
    """Remember ``view`` (:data:`COMPACT` or :data:`GRID`) on this computer. A choice that
    cannot be written is logged and forgotten: the board still shows it until the next
    start."""
    try:
        (data_dir() / VIEW_FILE).write_text(json.dumps({"view": view}), "utf-8")
    except OSError:
        log.warning("Could not remember the board view", exc_info=True)


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


class CompactBoard(QWidget):
    """Each receptacle as a bar (held of capacity), beside the list of occupied slots."""

    sig_custody_chosen = Signal(int)
    """A row of the list was opened (double-click or Enter); carries the custody id."""

    def __init__(self, tz: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tz = tz
        self._bars: list[tuple[QLabel, QProgressBar, QLabel]] = []
        self._setup_ui()

    def show_board(
        self, receptacles: list[BoardReceptacle], lines: list[HeldSlotLine], now: datetime
    ) -> None:
        """Show ``receptacles`` as bars and ``lines`` (already in receptacle, slot order)."""
        while len(self._bars) < len(receptacles):
            row = len(self._bars)
            name = plain_label(role="bar-name")
            bar = QProgressBar()
            bar.setObjectName("receptacleBar")
            bar.setTextVisible(False)
            bar.setFixedHeight(16)
            count = plain_label(role="bar-count")
            count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self._bar_grid.addWidget(name, row, 0)
            self._bar_grid.addWidget(bar, row, 1)
            self._bar_grid.addWidget(count, row, 2)
            self._bars.append((name, bar, count))
        for index, (name, bar, count) in enumerate(self._bars):
            shown = index < len(receptacles)
            for part in (name, bar, count):
                part.setVisible(shown)
            if not shown:
                continue
            data = receptacles[index]
            r = data.receptacle
            tied = f" ({years_text(r.year_groups)})" if r.year_groups else ""
            name.setText(f"{r.name}{tied}")
            bar.setRange(0, max(r.capacity, 1))
            bar.setValue(data.used)
            words = f"{data.used} of {r.capacity}"
            count.setText(words)
            bar.setAccessibleName(f"{r.name}: {words} slots hold a phone")
            bar.setToolTip(f"{r.name}: {words} slots hold a phone")
        self.model.now = now
        self.model.set_rows(lines)
        self.table.fit_columns()
        self.empty_hint.setVisible(not lines)

    def bar_texts(self) -> list[tuple[str, str]]:
        """(receptacle, "held of capacity") for each bar shown, top to bottom."""
        return [(n.text(), c.text()) for n, _bar, c in self._bars if not n.isHidden()]

    def _setup_ui(self) -> None:
        bars = QWidget()
        bars.setObjectName("receptacleBars")
        self._bar_grid = QGridLayout(bars)
        self._bar_grid.setContentsMargins(0, 0, 0, 0)
        self._bar_grid.setHorizontalSpacing(8)
        self._bar_grid.setVerticalSpacing(4)
        self._bar_grid.setColumnStretch(1, 1)
        self._bar_grid.setColumnMinimumWidth(1, 120)
        self.bars_area = QScrollArea()
        self.bars_area.setWidgetResizable(True)
        self.bars_area.setFrameShape(QFrame.Shape.NoFrame)
        self.bars_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        holder = QWidget()
        holder_layout = QVBoxLayout(holder)
        holder_layout.setContentsMargins(0, 0, 8, 0)
        holder_layout.addWidget(bars)
        holder_layout.addStretch(1)
        self.bars_area.setWidget(holder)
        # The page's own background behind the bars, not the scroll area's grey.
        self.bars_area.viewport().setAutoFillBackground(False)
        holder.setAutoFillBackground(False)
        self.bars_area.setMinimumWidth(360)
        self.bars_area.setMaximumWidth(440)

        self.model = HeldSlotsModel(self._tz, self)
        self.table = AttentionTableView()
        self.table.setObjectName("heldSlots")
        self.table.setAccessibleName("Phones held, by receptacle and slot")
        self.table.setModel(self.model)
        self.table.activated.connect(self._on_activated)
        self.empty_hint = plain_label("No phones held now.", role="hint")

        listing = QVBoxLayout()
        listing.setContentsMargins(0, 0, 0, 0)
        listing.addWidget(self.empty_hint)
        listing.addWidget(self.table, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(16)
        layout.addWidget(self.bars_area)
        layout.addLayout(listing, 1)

    def _on_activated(self, index) -> None:  # type: ignore[no-untyped-def]
        line = self.model.row_at(index.row())
        if line is not None:
            self.sig_custody_chosen.emit(line.custody_id)


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
        self.compact.show_board(receptacles, self._held_lines(receptacles, held, today), now)
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

    def view(self) -> str:
        """The view shown: :data:`COMPACT` or :data:`GRID`."""
        return GRID if self.views.currentWidget() is self._grid_page else COMPACT

    def set_view(self, view: str) -> None:
        """Show the compact view or the grid (:data:`COMPACT` or :data:`GRID`) and
        remember the choice on this computer."""
        grid = view == GRID
        self.views.setCurrentWidget(self._grid_page if grid else self.compact)
        (self.grid_button if grid else self.compact_button).setChecked(True)
        for part in self._legend_parts:
            part.setVisible(grid)
        if view != board_view_chosen():
            choose_board_view(GRID if grid else COMPACT)

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
        self._legend_parts: list[QWidget] = []
        for state in ("empty", "held", "flagged", "overdue"):
            swatch = QLabel()
            swatch.setFixedSize(16, 16)
            swatch.setProperty("state", state)
            swatch.setObjectName("legendSwatch")
            words = plain_label(STATE_TEXT[state], role="legend")
            legend.addWidget(swatch)
            legend.addWidget(words)
            self._legend_parts += [swatch, words]
        # The two views, one click apart; the one chosen is remembered on this computer.
        self.compact_button = QPushButton("Compact")
        self.compact_button.setToolTip("Receptacles as bars, and only the slots holding a phone")
        self.grid_button = QPushButton("Every slot")
        self.grid_button.setToolTip("Every slot of every receptacle as a tile")
        self._view_buttons = QButtonGroup(self)
        for button in (self.compact_button, self.grid_button):
            button.setCheckable(True)
            button.setObjectName("boardViewButton")
            self._view_buttons.addButton(button)
            legend.addWidget(button)
        self.compact_button.clicked.connect(lambda: self.set_view(COMPACT))
        self.grid_button.clicked.connect(lambda: self.set_view(GRID))

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
        self._grid_page = scroll

        self.compact = CompactBoard(self._ctx.timezone)
        self.compact.sig_custody_chosen.connect(self._on_tile_clicked)
        self.views = QStackedWidget()
        self.views.addWidget(self.compact)
        self.views.addWidget(self._grid_page)

        layout = QVBoxLayout(self)
        layout.addLayout(legend)
        layout.addWidget(self.views, 1)
        self.set_view(board_view_chosen())

    def _held_lines(
        self, receptacles: list[BoardReceptacle], held: list[HeldPhone], today: date
    ) -> list[HeldSlotLine]:
        """The phones held, in board order: each receptacle's occupied slots by number, then
        phones kept somewhere without a slot (by place and name)."""
        start_of_today = datetime.combine(today, time(0), tzinfo=self._ctx.timezone)
        lines = [
            HeldSlotLine(
                data.receptacle.name,
                slot.slot,
                slot.custody_id,
                slot.pupil_name,
                slot.form,
                slot.since,
                slot_state(slot, start_of_today),
            )
            for data in receptacles
            for slot in data.slots
            if slot.custody_id is not None
        ]
        elsewhere = sorted(
            (h for h in held if h.slot is None),
            key=lambda h: (h.place, h.pupil.display_surname, h.pupil.display_forename),
        )
        for h in elsewhere:
            overdue = h.since < start_of_today
            state = "overdue" if overdue else ("flagged" if h.no_permission else "held")
            lines.append(
                HeldSlotLine(
                    h.place, None, h.custody_id, h.pupil.name, h.pupil.form, h.since, state
                )
            )
        return lines

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
