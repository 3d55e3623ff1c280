"""Find a pupil by typing: a search box, the matching pupils, and the pupil chosen.

The picker knows nothing of the services: it is given a search function (text in, pupils
out) and calls it once typing pauses, not on every keystroke, so a fast typist or a
keyboard-wedge scanner costs one query instead of one per character. Enter searches at once
and chooses the highlighted (or first) match; Down moves into the results, Up at the top
goes back to the box.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QListView, QVBoxLayout, QWidget

from kiosk.errors import KioskError
from kiosk.rows.people import PupilRow
from ui.models.pupil_list_model import PupilListModel
from ui.widgets.labels import plain_label

PupilSearch = Callable[[str], Sequence[PupilRow]]
"""Pupils matching what was typed, best first; may raise :class:`KioskError`."""

# Long enough to let a word be typed, short enough to feel immediate (about one keystroke
# gap of a steady typist).
SEARCH_DELAY_MS = 150

SEARCH_HINT = "Type a name, form or UPN to find a pupil."
NO_PUPIL_YET = "No pupil chosen yet"


def match_count_text(found: int, most: int | None) -> str:
    """The hint under the box once a search found ``found`` pupils (``most``: the most the
    search returns, so a full list says there may be more)."""
    text = f"{found} match{'es' if found != 1 else ''}"
    if most is not None and found >= most:
        text += f" (the first {most} — type more to narrow)"
    return text + ". Down arrow to choose, Enter to open."


class PupilPicker(QWidget):
    """A type-ahead pupil search with its results and, optionally, the chosen pupil.

    Args:
        search: finds pupils for the text typed (called with non-blank text only).
        describe: how the chosen pupil reads on the "chosen" line; None shows no such line
            (the owner shows the pupil itself).
        nobody: the "chosen" line while no pupil is chosen.
        chosen_role: the stylesheet role of the "chosen" line.
        placeholder, accessible_name: for the search box.
        show_hint: show a line saying how many pupils matched, or why none did.
        most: the most pupils ``search`` returns (for the hint's "the first 20").
        results_height: the tallest the result list grows, in pixels; None lets it stretch.
        is_code: says whether the text is a scanned card code rather than a name: such text
            is not searched while typed, and Enter emits :attr:`sig_code_entered` instead.
        delay_ms: the pause in typing, in milliseconds, before searching.
    """

    sig_chosen = Signal(object)
    """A pupil was chosen from the results (click, Enter); carries the :class:`PupilRow`."""

    sig_cleared = Signal()
    """The chosen pupil was let go: :meth:`clear`, or the search box emptied by hand."""

    sig_code_entered = Signal(str)
    """Enter on a card code (see ``is_code``); carries the code as typed, trimmed."""

    def __init__(
        self,
        search: PupilSearch,
        *,
        describe: Callable[[PupilRow], str] | None = None,
        nobody: str = NO_PUPIL_YET,
        chosen_role: str = "section",
        placeholder: str = "Pupil: type a name, form or UPN",
        accessible_name: str = "Find the pupil",
        show_hint: bool = False,
        most: int | None = None,
        results_height: int | None = None,
        is_code: Callable[[str], bool] | None = None,
        delay_ms: int = SEARCH_DELAY_MS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._search = search
        self._describe = describe
        self._nobody = nobody
        self._most = most
        self._is_code = is_code
        self._pupil: PupilRow | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.search_now)
        self._setup_ui(placeholder, accessible_name, chosen_role, results_height)
        self.hint.setVisible(show_hint)
        self.chosen.setVisible(describe is not None)
        self._show_chosen()

    # --- public ---------------------------------------------------------------------------

    def pupil(self) -> PupilRow | None:
        """The pupil chosen, or None."""
        return self._pupil

    def set_pupil(self, pupil: PupilRow | None) -> None:
        """Show ``pupil`` as chosen (or none) without emitting a signal: for a pupil known
        already, such as one named by a scanned card."""
        self._pupil = pupil
        self._show_chosen()

    def clear(self) -> None:
        """Empty the box, the results and the choice; emits :attr:`sig_cleared` when a pupil
        was chosen."""
        self._timer.stop()
        had_pupil = self._pupil is not None
        self.search.clear()
        self.results_model.set_pupils([])
        self.hint.setText(SEARCH_HINT)
        self.set_pupil(None)
        if had_pupil:
            self.sig_cleared.emit()

    def set_editable(self, editable: bool) -> None:
        """False shows only the chosen pupil, for a record whose pupil cannot change."""
        self.search.setVisible(editable)
        self.results.setVisible(editable)

    def search_now(self) -> None:
        """Search for the text in the box at once (a pending search is dropped). A search
        that fails shows its message in the hint and no results."""
        self._timer.stop()
        text = self.search.text()
        found: Sequence[PupilRow] = []
        if not text.strip():
            hint = SEARCH_HINT
        else:
            try:
                found = self._search(text)
            except KioskError as error:
                hint = error.message
            else:
                hint = (
                    match_count_text(len(found), self._most)
                    if found
                    else f"No pupil on roll matches “{text.strip()}”."
                )
        self.results_model.set_pupils(found)
        self.hint.setText(hint)

    def search_pending(self) -> bool:
        """True while typing has paused for less than the delay (a search is due)."""
        return self._timer.isActive()

    def focus_search(self) -> None:
        """Put the cursor in the search box with its text selected, ready to type over."""
        self.search.setFocus()
        self.search.selectAll()

    # --- building -------------------------------------------------------------------------

    def _setup_ui(
        self, placeholder: str, accessible_name: str, chosen_role: str, results_height: int | None
    ) -> None:
        self.search = QLineEdit()
        self.search.setPlaceholderText(placeholder)
        self.search.setAccessibleName(accessible_name)
        self.search.setClearButtonEnabled(True)
        self.search.setObjectName("pupilSearch")
        self.search.textChanged.connect(self._on_text_changed)
        self.search.textEdited.connect(self._on_text_edited)
        self.search.installEventFilter(self)

        self.results_model = PupilListModel(self)
        self.results = QListView()
        self.results.setModel(self.results_model)
        self.results.setAccessibleName("Matching pupils")
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setUniformItemSizes(True)
        self.results.setObjectName("pupilResults")
        if results_height is not None:
            self.results.setMaximumHeight(results_height)
        self.results.activated.connect(self._on_result_picked)
        self.results.clicked.connect(self._on_result_picked)
        self.results.installEventFilter(self)

        self.hint = plain_label(SEARCH_HINT, role="hint", wrap=True)
        self.chosen = plain_label(role=chosen_role, wrap=True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.hint)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.chosen)

    def _show_chosen(self) -> None:
        if self._describe is not None:
            pupil = self._pupil
            self.chosen.setText(self._describe(pupil) if pupil is not None else self._nobody)

    def _looks_like_code(self, text: str) -> bool:
        return self._is_code is not None and self._is_code(text)

    def _choose(self, index: QModelIndex) -> None:
        pupil = self.results_model.pupil_at(index.row()) if index.isValid() else None
        if pupil is None:
            return
        self.results.setCurrentIndex(index)
        self.set_pupil(pupil)
        self.sig_chosen.emit(pupil)

    # --- slots ----------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        key = event.key()
        if watched is self.search:
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._on_enter()
                return True
            if key == Qt.Key.Key_Down:
                if self.search_pending():
                    self.search_now()
                if self.results_model.rowCount():
                    self.results.setFocus()
                    self.results.setCurrentIndex(self.results_model.index(0, 0))
                    return True
        elif (
            watched is self.results
            and key == Qt.Key.Key_Up
            and self.results.currentIndex().row() <= 0
        ):
            self.search.setFocus()
            return True
        return super().eventFilter(watched, event)

    def _on_text_changed(self, text: str) -> None:
        if self._looks_like_code(text):
            self._timer.stop()  # a card code is looked up whole, on Enter
        elif not text.strip():
            self.search_now()  # nothing to wait for
        else:
            self._timer.start()  # restarts the pause on every keystroke

    def _on_text_edited(self, text: str) -> None:
        if not text and self._pupil is not None:
            self.set_pupil(None)
            self.sig_cleared.emit()

    def _on_enter(self) -> None:
        text = self.search.text()
        if self._looks_like_code(text):
            self._timer.stop()
            self.sig_code_entered.emit(text.strip())
            return
        if self.search_pending() or not self.results_model.rowCount():
            self.search_now()
        if self.results_model.rowCount():
            current = self.results.currentIndex()
            self._choose(current if current.isValid() else self.results_model.index(0, 0))

    def _on_result_picked(self, index: QModelIndex) -> None:
        self._choose(index)
