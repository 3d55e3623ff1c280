"""Find a pupil by name and act for them: hand in, release, reissue or print their card.

Type-ahead search on the left (Down moves into the results, Enter picks); the chosen
pupil's details and actions on the right. Hand-in and release show the slot in large type,
as the kiosk would, because the receptionist is the one putting the phone away.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk.changes import Changes, Topic
from kiosk.clock import say_when
from kiosk.context import KioskContext
from kiosk.errors import KioskError
from kiosk.rows.custody import HeldPhone
from kiosk.rows.people import ArrangementRow, PupilRow
from kiosk.scanning.words import SWITCH_OFF
from kiosk.services import custody, pupils
from ui.ask import Asker
from ui.components.common import ActorSource, run_service, signed_in
from ui.components.custody.card_output import print_cards, save_cards
from ui.components.custody.release import release_at_desk
from ui.components.desk.panel import DeskPanel
from ui.components.desk.shortcuts import FIND_PUPIL, HAND_IN, with_shortcut
from ui.models.formatting import held_before_today
from ui.widgets.labels import plain_label
from ui.widgets.pupil_picker import PupilPicker
from ui.widgets.styling import button_row, card_frame, card_layout, set_role

PRINT_NOW = "Print it now"
SAVE_PDF = "Save it as a PDF…"
NOT_NOW = "Not now"

# The most matches listed at once; the hint says when there may be more.
SEARCH_LIMIT = 20


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
        self.picker.search_now()
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
        """Put the cursor in the pupil search, ready to type a name, form or UPN."""
        self.picker.focus_search()

    def start_hand_in(self) -> None:
        """Hand in the phone of the pupil shown (a pupil without their card), or, with no
        pupil shown or their phone already held, put the cursor in the search to find them."""
        if self.pupil is not None and self.hand_in_button.isEnabled():
            self.hand_in_button.click()
        else:
            self.focus_search()

    # --- building -------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        self.picker = PupilPicker(
            lambda text: pupils.search_pupils(self._ctx, text, limit=SEARCH_LIMIT),
            placeholder="Search pupils: name, form or UPN",
            accessible_name="Search pupils",
            show_hint=True,
            most=SEARCH_LIMIT,
        )
        self.picker.sig_chosen.connect(lambda pupil: self.show_pupil(pupil.id))
        self.picker.search.setToolTip(with_shortcut(FIND_PUPIL.action, FIND_PUPIL))
        left = QVBoxLayout()
        left.addWidget(self.picker)
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
        self.hand_in_button.setToolTip(with_shortcut(HAND_IN.action, HAND_IN))
        self.release_button = QPushButton("Release phone")
        self.reissue_button = QPushButton("Reissue card")
        self.print_button = QPushButton("Print card")
        self.hand_in_button.clicked.connect(self._on_hand_in)
        self.release_button.clicked.connect(self._on_release)
        self.reissue_button.clicked.connect(self._on_reissue)
        self.print_button.clicked.connect(self._on_print)
        buttons = button_row(
            self.hand_in_button, self.release_button, self.reissue_button, self.print_button
        )

        details = card_frame()
        inner = card_layout(details)
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
        facts = f"{pupil.year_label} · Form {pupil.form} · {pupil.id_label}"
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
            set_role(self.phone, "phone-none")
            self.flag.hide()
        else:
            self.phone.setText(
                f"Held in {held.place} since {say_when(held.since, now, tz, bare=True)}"
            )
            set_role(self.phone, "phone-held")
            flags = []
            if held.no_permission:
                flags.append("No permission to bring a phone is on file.")
            if held_before_today(held.since, tz, now):
                flags.append("Held since before today: see the End of day tab.")
            self.flag.setText("\n".join(flags))
            self.flag.setVisible(bool(flags))
        on_roll = pupil.status == "on_roll"
        self.hand_in_button.setEnabled(held is None and on_roll)
        self.release_button.setEnabled(held is not None)
        self.reissue_button.setEnabled(on_roll)
        self.print_button.setEnabled(on_roll)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # --- slots ----------------------------------------------------------------------------

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
            print_cards(self._ctx, self._asker, self, [renewed], report=self._say)
        elif choice == SAVE_PDF:
            save_cards(self._ctx, self._asker, self, [renewed])

    def _on_print(self) -> None:
        if self.pupil is not None:
            print_cards(self._ctx, self._asker, self, [self.pupil], report=self._say)
