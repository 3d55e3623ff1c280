"""The Today page: what needs the receptionist now, each line a way to the page that deals
with it.

The counts come from :func:`kiosk.services.today.what_needs_me`; a line with work waiting
is drawn as a call to act (urgent lines in red), a line with nothing waiting stays quiet,
and every line keeps its place so nothing jumps as counts change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QScrollArea, QVBoxLayout, QWidget

from kiosk.changes import Topic
from kiosk.context import KioskContext
from kiosk.rows.people import Actor
from kiosk.rows.today import TodayRow
from kiosk.services.today import what_needs_me
from ui.ask import Asker
from ui.components.calls.panel import CallsPanel
from ui.components.confiscations.panel import ConfiscationsPanel
from ui.components.custody.board import BoardView
from ui.components.custody.end_of_day import EndOfDayPanel
from ui.components.custody.exemptions import ArrangementsPanel
from ui.components.desk.panel import DeskPanel
from ui.components.visitors.panel import VisitorsPanel
from ui.widgets.labels import plain_label
from ui.widgets.styling import set_role

NOTHING_WAITING = "Nothing needs you just now."


def counted(count: int, one: str, many: str) -> str:
    """``count`` with the noun that agrees with it: "1 urgent call", "3 urgent calls",
    "No urgent calls"."""
    if count == 0:
        return f"No {many}"
    return f"{count} {one if count == 1 else many}"


@dataclass(frozen=True, slots=True)
class TodayLine:
    """One line of the Today page: its words for a count, how pressing it is, and the page
    (a desk panel class) that deals with it."""

    key: str
    words: Callable[[TodayRow], str]
    count: Callable[[TodayRow], int]
    urgent: bool
    page: type[DeskPanel]


TODAY_LINES: tuple[TodayLine, ...] = (
    TodayLine(
        "alerts",
        lambda r: counted(r.alert_matches, "alert-list match to deal with", "alert-list matches"),
        lambda r: r.alert_matches,
        True,
        VisitorsPanel,
    ),
    TodayLine(
        "urgent",
        lambda r: counted(r.urgent_calls, "urgent call to pass on now", "urgent calls waiting"),
        lambda r: r.urgent_calls,
        True,
        CallsPanel,
    ),
    TodayLine(
        "deliver",
        lambda r: counted(
            r.messages_to_deliver, "message to deliver now", "messages to deliver now"
        ),
        lambda r: r.messages_to_deliver,
        False,
        CallsPanel,
    ),
    TodayLine(
        "trips",
        lambda r: counted(
            r.messages_for_trips,
            "message for staff out on a trip (email or slip)",
            "messages for staff out on a trip",
        ),
        lambda r: r.messages_for_trips,
        False,
        CallsPanel,
    ),
    TodayLine(
        "visitors",
        lambda r: counted(r.visitors_on_site, "visitor on site", "visitors on site"),
        lambda r: r.visitors_on_site,
        False,
        VisitorsPanel,
    ),
    TodayLine(
        "phones",
        lambda r: counted(r.phones_held, "phone held on the board", "phones held on the board"),
        lambda r: r.phones_held,
        False,
        BoardView,
    ),
    TodayLine(
        "overnight",
        lambda r: counted(
            r.phones_held_overnight,
            "phone left overnight: record what happened",
            "phones left overnight",
        ),
        lambda r: r.phones_held_overnight,
        False,
        EndOfDayPanel,
    ),
    TodayLine(
        "devices",
        lambda r: counted(
            r.confiscations_due,
            "confiscated device to go back today",
            "confiscated devices to go back today",
        ),
        lambda r: r.confiscations_due,
        False,
        ConfiscationsPanel,
    ),
    TodayLine(
        "dsl",
        lambda r: counted(
            r.confiscations_for_dsl, "device held for the DSL", "devices held for the DSL"
        ),
        lambda r: r.confiscations_for_dsl,
        False,
        ConfiscationsPanel,
    ),
    TodayLine(
        "reviews",
        lambda r: counted(
            r.reviews_due,
            "permission or exemption due for review",
            "permissions or exemptions due for review",
        ),
        lambda r: r.reviews_due,
        False,
        ArrangementsPanel,
    ),
)
"""The page's lines, most pressing first."""


class TodayPanel(DeskPanel):
    """What needs the desk now; a click on a line opens the page that deals with it."""

    title = "Today"
    shows = frozenset(
        {
            Topic.CALLS,
            Topic.CUSTODY,
            Topic.VISITORS,
            Topic.EXEMPTIONS,
            Topic.CONFISCATIONS,
            Topic.CALENDAR,
            Topic.STAFF,
        }
    )

    sig_page_requested = Signal(object)
    """A line was clicked: carries the desk panel class that deals with it."""

    def __init__(
        self,
        ctx: KioskContext,
        actor: Callable[[], Actor | None],
        asker: Asker,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, actor, asker, parent)
        self._row: TodayRow | None = None
        self._setup_ui()

    # --- public ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Count again what waits (nothing is shown while the desk is locked)."""
        who = self._actor()
        self._row = None if who is None else what_needs_me(self._ctx, who)
        self._show(self._row)

    def counts(self) -> TodayRow | None:
        """The counts on screen, or None before the first read."""
        return self._row

    def line(self, key: str) -> QPushButton:
        """The button of the line named ``key`` (see :data:`TODAY_LINES`)."""
        return self._buttons[key]

    # --- building -------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        inner = QWidget()
        inner.setObjectName("TodayPage")
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        layout.addWidget(plain_label("What needs you now", role="heading"))
        self.summary = plain_label(role="hint", wrap=True)
        layout.addWidget(self.summary)
        self._buttons: dict[str, QPushButton] = {}
        for line in TODAY_LINES:
            button = QPushButton()
            button.setObjectName(f"today-{line.key}")
            button.setMinimumHeight(44)
            set_role(button, "today-quiet")
            button.clicked.connect(lambda _=False, page=line.page: self._go_to(page))
            self._buttons[line.key] = button
            layout.addWidget(button)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def _show(self, row: TodayRow | None) -> None:
        for line in TODAY_LINES:
            button = self._buttons[line.key]
            if row is None:
                button.setText("")
                set_role(button, "today-quiet")
                continue
            text = line.words(row)
            button.setText(text)
            button.setAccessibleName(text)
            waiting = line.count(row) > 0
            set_role(
                button,
                ("today-urgent" if line.urgent else "today-waiting") if waiting else "today-quiet",
            )
        if row is None:
            self.summary.setText("")
        elif row.nothing_waiting:
            self.summary.setText(NOTHING_WAITING)
        else:
            self.summary.setText("Click a line to open the page that deals with it.")

    # --- slots ----------------------------------------------------------------------------

    def _go_to(self, page: type[DeskPanel]) -> None:
        self.sig_page_requested.emit(page)
