"""Find a pupil by name and act for them: hand in, release, reissue or print their card.

Type-ahead search on the left (Down moves into the results, Enter picks); the chosen
pupil's details and actions on the right. Hand-in and release show the slot in large type,
as the kiosk would, because the receptionist is the one putting the phone away.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk.changes import Changes, Topic
from kiosk.context import KioskContext
from kiosk.errors import KioskError
from kiosk.rows.custody import HeldPhone
from kiosk.rows.people import ArrangementRow, PupilRow
from kiosk.scanning.words import SWITCH_OFF
from kiosk.services import custody, pupils
from ui.ask import Asker
from ui.components.common import ActorSource, card_frame, plain_label, run_service, signed_in
from ui.components.custody.card_output import print_cards, save_cards
from ui.components.custody.release import release_at_desk
from ui.components.desk.panel import DeskPanel
from ui.models.formatting import held_before_today, school_time
from ui.models.pupil_list_model import PupilListModel

PRINT_NOW = "Print it now"
SAVE_PDF = "Save it as a PDF…"
NOT_NOW = "Not now"

SEARCH_HINT = "Type a name, form or UPN to find a pupil."


def arrangement_text(a: ArrangementRow) -> str:
    kind = "Permission" if a.kind == "permission" else "Exemption"
    text = f"{kind}: {a.title}"
    if a.conditions:
        text += f" — {a.conditions}"
    extra = []
    if a.agreed_by:
        extra.append(f"agreed by {a.agreed_by}")
    if a.review_on:
        extra.append(f"review {a.review_on.day} {a.review_on.strftime('%b %Y')}")
    return text + (f" ({', '.join(extra)})" if extra else "")


class PupilPanel(DeskPanel):
    """Search, details and desk actions for one pupil at a time."""

    title = "Pupils"
    shows = frozenset({Topic.PUPILS, Topic.CUSTODY, Topic.EXEMPTIONS, Topic.CONFISCATIONS})

    def __init__(
        self, ctx: KioskContext, actor: ActorSource, asker: Asker, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, actor, asker, parent)
        self.pupil: PupilRow | None = None
        self.held: HeldPhone | None = None
        self._setup_ui()
        self._show_nothing()

    # --- public ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the results and the chosen pupil (a scan may have changed them)."""
        self._on_search_changed(self.search.text())
        if self.pupil is not None:
            self.show_pupil(self.pupil.id, keep_message=True)

    def show_pupil(self, pupil_id: int, *, keep_message: bool = False) -> None:
        try:
            pupil = pupils.get_pupil(self._ctx, pupil_id)
            arrangements = pupils.arrangements_for(self._ctx, pupil_id)
            held = custody.held_for_pupil(self._ctx, pupil_id)
        except KioskError as error:
            self._show_nothing()
            self.message.setText(error.message)
            self.message.show()
            return
        if not keep_message or self.pupil is None or self.pupil.id != pupil_id:
            self.slot_big.hide()
            self.message.hide()
        self.pupil, self.held = pupil, held
        self._show_details(pupil, arrangements, held)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # --- building -------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search pupils: name, form or UPN")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search pupils")
        self.search.setObjectName("pupilSearch")
        self.search.textChanged.connect(self._on_search_changed)
        self.search.installEventFilter(self)

        self.results_model = PupilListModel(self)
        self.results = QListView()
        self.results.setModel(self.results_model)
        self.results.setAccessibleName("Matching pupils")
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setUniformItemSizes(True)
        self.results.setObjectName("pupilResults")
        self.results.activated.connect(self._on_result_picked)
        self.results.clicked.connect(self._on_result_picked)
        self.results.installEventFilter(self)
        self.results_hint = plain_label(SEARCH_HINT, role="hint", wrap=True)

        left = QVBoxLayout()
        left.addWidget(self.search)
        left.addWidget(self.results_hint)
        left.addWidget(self.results, 1)
        left_box = QWidget()
        left_box.setLayout(left)
        left_box.setFixedWidth(380)

        self.name = plain_label(role="pupil-name", wrap=True, selectable=True)
        self.facts = plain_label(wrap=True, selectable=True)
        self.card = plain_label(role="hint")
        self.arrangements = plain_label(wrap=True)
        self.phone = plain_label(wrap=True)
        self.flag = plain_label(role="flag", wrap=True)
        self.slot_big = plain_label(role="slot-big", wrap=True)
        self.slot_big.setAccessibleName("Slot")
        self.message = plain_label(wrap=True)

        self.hand_in_button = QPushButton("Hand in phone")
        self.release_button = QPushButton("Release phone")
        self.reissue_button = QPushButton("Reissue card")
        self.print_button = QPushButton("Print card")
        self.hand_in_button.clicked.connect(self._on_hand_in)
        self.release_button.clicked.connect(self._on_release)
        self.reissue_button.clicked.connect(self._on_reissue)
        self.print_button.clicked.connect(self._on_print)
        buttons = QHBoxLayout()
        for button in (
            self.hand_in_button,
            self.release_button,
            self.reissue_button,
            self.print_button,
        ):
            button.setMinimumHeight(36)
            buttons.addWidget(button)
        buttons.addStretch(1)

        details = card_frame()
        inner = QVBoxLayout(details)
        inner.setContentsMargins(18, 14, 18, 16)
        inner.setSpacing(8)
        inner.addWidget(self.name)
        inner.addWidget(self.facts)
        inner.addWidget(self.card)
        inner.addSpacing(4)
        inner.addWidget(plain_label("Permissions and exemptions", role="section"))
        inner.addWidget(self.arrangements)
        inner.addSpacing(4)
        inner.addWidget(plain_label("Phone", role="section"))
        inner.addWidget(self.phone)
        inner.addWidget(self.flag)
        inner.addSpacing(6)
        inner.addLayout(buttons)
        inner.addWidget(self.slot_big)
        inner.addWidget(self.message)
        self.details = details

        right = QVBoxLayout()
        right.addWidget(details)
        right.addStretch(1)
        right_box = QWidget()
        right_box.setLayout(right)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(right_box)

        layout = QHBoxLayout(self)
        layout.addWidget(left_box)
        layout.addWidget(scroll, 1)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if watched is self.search:
                if key == Qt.Key.Key_Down and self.results_model.rowCount():
                    self.results.setFocus()
                    self.results.setCurrentIndex(self.results_model.index(0, 0))
                    return True
                if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.results_model.rowCount():
                    current = self.results.currentIndex()
                    self._on_result_picked(
                        current if current.isValid() else self.results_model.index(0, 0)
                    )
                    return True
            elif (
                watched is self.results
                and key == Qt.Key.Key_Up
                and self.results.currentIndex().row() <= 0
            ):
                self.search.setFocus()
                return True
        return super().eventFilter(watched, event)

    # --- showing --------------------------------------------------------------------------

    def _show_nothing(self) -> None:
        self.pupil, self.held = None, None
        self.name.setText("No pupil chosen")
        self.facts.setText("Find a pupil on the left to hand in or release a phone for them.")
        for label in (self.card, self.arrangements, self.phone, self.flag):
            label.clear()
        self.slot_big.hide()
        self.message.hide()
        self.flag.hide()
        for button in (
            self.hand_in_button,
            self.release_button,
            self.reissue_button,
            self.print_button,
        ):
            button.setEnabled(False)

    def _show_details(
        self, pupil: PupilRow, arrangements: list[ArrangementRow], held: HeldPhone | None
    ) -> None:
        tz, now = self._ctx.timezone, self._ctx.clock()
        self.name.setText(pupil.name)
        facts = f"{pupil.year_label} · Form {pupil.form} · UPN {pupil.upn}"
        if pupil.status != "on_roll":
            facts += " · No longer on roll"
        self.facts.setText(facts)
        self.card.setText(f"Current card: serial {pupil.card_serial}")
        self.arrangements.setText(
            "\n".join(arrangement_text(a) for a in arrangements)
            or "No permissions or exemptions on file."
        )
        if held is None:
            self.phone.setText("No phone held")
            self.phone.setProperty("role", "phone-none")
            self.flag.hide()
        else:
            self.phone.setText(f"Held in {held.place} since {school_time(held.since, tz, now)}")
            self.phone.setProperty("role", "phone-held")
            flags = []
            if held.no_permission:
                flags.append("No permission to bring a phone is on file.")
            if held_before_today(held.since, tz, now):
                flags.append("Held since before today: see the End of day tab.")
            self.flag.setText("\n".join(flags))
            self.flag.setVisible(bool(flags))
        self.phone.style().unpolish(self.phone)
        self.phone.style().polish(self.phone)
        on_roll = pupil.status == "on_roll"
        self.hand_in_button.setEnabled(held is None and on_roll)
        self.release_button.setEnabled(held is not None)
        self.reissue_button.setEnabled(on_roll)
        self.print_button.setEnabled(on_roll)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # --- slots ----------------------------------------------------------------------------

    def _on_search_changed(self, text: str) -> None:
        try:
            found = pupils.search_pupils(self._ctx, text)
        except KioskError as error:
            found = []
            self.results_hint.setText(error.message)
        else:
            if not text.strip():
                self.results_hint.setText(SEARCH_HINT)
            elif not found:
                self.results_hint.setText(f"No pupil on roll matches “{text.strip()}”.")
            else:
                self.results_hint.setText(
                    f"{len(found)} match{'es' if len(found) != 1 else ''}"
                    + (" (the first 20 — type more to narrow)" if len(found) >= 20 else "")
                    + ". Down arrow to choose, Enter to open."
                )
        self.results_model.set_pupils(found)

    def _on_result_picked(self, index: QModelIndex) -> None:
        pupil = self.results_model.pupil_at(index.row()) if index.isValid() else None
        if pupil is not None:
            self.results.setCurrentIndex(index)
            self.show_pupil(pupil.id)

    def _on_hand_in(self) -> None:
        pupil = self.pupil
        actor = signed_in(self._asker, self, "Hand in phone", self._actor)
        if pupil is None or actor is None:
            return
        outcome = run_service(
            self._asker,
            self,
            "Hand in phone",
            lambda: custody.hand_in_for_pupil(self._ctx, actor, pupil.id),
        )
        if outcome is None:
            return
        if outcome.kind == "handed_in":
            self.slot_big.setText(f"Put the phone in {outcome.place}")
            notes = [f"Remind them: {SWITCH_OFF[0].lower()}{SWITCH_OFF[1:]}"]
            if outcome.no_permission:
                notes.append("No permission to bring a phone is on file: please follow up.")
            notes += [arrangement_text(a) for a in outcome.arrangements]
            self._say("\n".join(notes))
        else:
            self.slot_big.setText(f"Already held in {outcome.place}")
            self._say("This pupil's phone was already handed in; nothing was changed.")
        self.slot_big.show()
        self.show_pupil(pupil.id, keep_message=True)
        self.sig_changed.emit(Changes.of(Topic.CUSTODY))

    def _on_release(self) -> None:
        pupil, held = self.pupil, self.held
        actor = signed_in(self._asker, self, "Release phone", self._actor)
        if pupil is None or held is None or actor is None:
            return
        outcome = release_at_desk(self._ctx, self._asker, self, actor, pupil, held.place)
        if outcome is None:
            return
        self.slot_big.setText(f"Take the phone from {outcome.place}")
        self.slot_big.show()
        self._say(
            f"Released to {pupil.name}."
            + (f" Early release: {outcome.early_reason}." if outcome.early_reason else "")
        )
        self.show_pupil(pupil.id, keep_message=True)
        self.sig_changed.emit(Changes.of(Topic.CUSTODY))

    def _on_reissue(self) -> None:
        pupil = self.pupil
        actor = signed_in(self._asker, self, "Reissue card", self._actor)
        if pupil is None or actor is None:
            return
        if not self._asker.confirm(
            self,
            "Reissue card",
            f"Make a new card for {pupil.name}? The card they have now will stop working at once.",
        ):
            return
        renewed = run_service(
            self._asker,
            self,
            "Reissue card",
            lambda: pupils.reissue_card(self._ctx, actor, pupil.id),
        )
        if renewed is None:
            return
        self.show_pupil(renewed.id)
        self._say(f"New card issued (serial {renewed.card_serial}); the old card no longer works.")
        self.sig_changed.emit(Changes.of(Topic.PUPILS))
        choice = self._asker.choice(
            self,
            "New card",
            f"{renewed.name}'s new card is ready. Print it now?",
            [PRINT_NOW, SAVE_PDF, NOT_NOW],
        )
        if choice == PRINT_NOW:
            print_cards(self._ctx, self._asker, self, [renewed])
        elif choice == SAVE_PDF:
            save_cards(self._ctx, self._asker, self, [renewed])

    def _on_print(self) -> None:
        if self.pupil is not None:
            print_cards(self._ctx, self._asker, self, [self.pupil])
