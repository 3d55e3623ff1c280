"""Visitor sign-in on the kiosk face: name → details → who you are → the rules → signature →
Welcome.

A returning visitor types the first letters of their name, taps themselves in the list and,
when the rules have not changed since they last signed, goes straight to the signature: three
taps and a signature. Every step has Back; after the configured idle time the flow abandons
itself and forgets everything typed. The flow never shows anything about the alert list:
the sign-in's answer does not carry it (the desk looks it up itself).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.context import KioskContext
from kiosk.errors import KioskError
from kiosk.policies import CATEGORIES
from kiosk.resources import resource_path
from kiosk.rows.visitors import PolicyVersionRow, SignedIn, SignInRequest, VisitorMatch
from ui.components.visitors.sign_in import CAR_MAX, MATCHES_SHOWN, NAME_MAX, VisitorSignIn
from ui.widgets.labels import plain_label
from ui.widgets.signature_pad import SignaturePad
from ui.widgets.touch_button import TouchButton, WrappingTouchButton

log = logging.getLogger(__name__)

WELCOME_MS = 5000
BUTTON_HEIGHT = 64
_ACTIVITY = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.KeyPress,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
    }
)

BadgeSender = Callable[[SignedIn], None]
"""Prints (or saves) the badge for a sign-in; never raises to the kiosk face."""


def _flow_stylesheet() -> str:
    try:
        return resource_path("styles", "visitors.qss").read_text(encoding="utf-8")
    except OSError:
        return ""


def _literal(text: str) -> str:
    """Button text shown as typed: a single "&" would otherwise mark a shortcut key."""
    return text.replace("&", "&&")


def _title(text: str) -> QLabel:
    return plain_label(text, role="title", wrap=True)


def _text(text: str = "") -> QLabel:
    return plain_label(text, wrap=True)


def _button(text: str, *, primary: bool = True, name: str | None = None) -> TouchButton:
    button = TouchButton(text, role="kiosk", min_height=BUTTON_HEIGHT)
    # The white "Done" look of the kiosk face for the way forward, plain for the way back.
    button.setObjectName(name or ("KioskDone" if primary else "VisitorBack"))
    return button


class VisitorFlow(QWidget):
    """The visitor pages, shown in the kiosk face's page stack."""

    sig_finished = Signal()
    """The visitor finished, went back past the first page, or the flow timed out."""

    sig_signed_in = Signal(object)
    """A :class:`SignedIn` for the desk (badge printing, on-site list, alert check)."""

    def __init__(
        self,
        ctx: KioskContext,
        *,
        send_badge: BadgeSender | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._sign_in = VisitorSignIn(ctx)
        self._send_badge = send_badge
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.timeout.connect(self._on_idle)
        self._welcome = QTimer(self)
        self._welcome.setSingleShot(True)
        self._welcome.setInterval(WELCOME_MS)
        self._welcome.timeout.connect(self._finish)
        self._setup_ui()
        self.reset()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    # --- public ---------------------------------------------------------------------------

    def begin(self) -> None:
        """Start a new sign-in from the first page."""
        self.reset()
        self._idle.setInterval(self._sign_in.idle_ms())
        self._idle.start()
        self.name_edit.setFocus()

    def reset(self) -> None:
        """Forget everything typed and go back to the first page."""
        self._idle.stop()
        self._welcome.stop()
        self._returning_id: int | None = None
        self._category = ""
        self._host_id: int | None = None
        self._policy: PolicyVersionRow | None = None
        self._read_to_end = False
        self._history: list[QWidget] = []
        for edit in (self.name_edit, self.organisation_edit, self.host_edit, self.car_edit):
            edit.clear()
        self.signature.clear()
        self._show_matches([])
        self._show_hosts([])
        for label in self._errors:
            label.clear()
        self.stack.setCurrentWidget(self.name_page)

    @property
    def page(self) -> str:
        """The page on screen: "name", "details", "category", "rules", "sign" or "welcome".

        The pages are built with the flow, so there is always one; "" would mean none is.
        """
        current = self.stack.currentWidget()
        return "" if current is None else str(current.property("page"))

    def set_idle_ms(self, ms: int) -> None:
        self._idle.setInterval(ms)

    def pick_match(self, index: int) -> None:
        """Tap the returning visitor shown at ``index`` in the list."""
        self._match_buttons[index].click()

    # --- building -------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        self.setObjectName("VisitorFlow")
        self.setStyleSheet(_flow_stylesheet())
        self.stack = QStackedWidget(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 32, 48, 32)
        layout.addWidget(self.stack)
        self._errors: list[QLabel] = []
        self.name_page = self._build_name_page()
        self.details_page = self._build_details_page()
        self.category_page = self._build_category_page()
        self.rules_page = self._build_rules_page()
        self.sign_page = self._build_sign_page()
        self.welcome_page = self._build_welcome_page()

    def _page(self, name: str, title: str) -> tuple[QWidget, QVBoxLayout, QLabel]:
        page = QWidget()
        page.setProperty("page", name)
        layout = QVBoxLayout(page)
        layout.setSpacing(14)
        layout.addWidget(_title(title))
        error = _text()
        error.setProperty("role", "error")
        self._errors.append(error)
        self.stack.addWidget(page)
        return page, layout, error

    def _footer(
        self, layout: QVBoxLayout, error: QLabel, forward: TouchButton | None
    ) -> TouchButton:
        layout.addWidget(error)
        row = QHBoxLayout()
        back = _button("Back", primary=False)
        back.clicked.connect(self._on_back)
        row.addWidget(back)
        row.addStretch(1)
        if forward is not None:
            row.addWidget(forward)
        layout.addLayout(row)
        return back

    def _build_name_page(self) -> QWidget:
        page, layout, error = self._page("name", "Welcome! What is your name?")
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("Your name")
        self.name_edit.setPlaceholderText("Your full name")
        self.name_edit.setMaxLength(NAME_MAX)
        self.name_edit.textEdited.connect(self._on_name_typed)
        self.name_edit.returnPressed.connect(self._on_name_next)
        layout.addWidget(self.name_edit)
        self.matches_label = _text("Been here before? Tap your name:")
        layout.addWidget(self.matches_label)
        self._match_buttons: list[TouchButton] = []
        self._matches: list[VisitorMatch] = []
        for index in range(MATCHES_SHOWN):
            button = _button("", primary=False, name="VisitorMatch")
            button.clicked.connect(lambda _=False, i=index: self._on_match_picked(i))
            layout.addWidget(button)
            self._match_buttons.append(button)
        layout.addStretch(1)
        self.name_next = _button("Next")
        self.name_next.clicked.connect(self._on_name_next)
        self._footer(layout, error, self.name_next)
        return page

    def _build_details_page(self) -> QWidget:
        page, layout, error = self._page("details", "Your visit")
        grid = QGridLayout()
        grid.setVerticalSpacing(10)
        self.organisation_edit = QLineEdit()
        self.organisation_edit.setAccessibleName("Organisation")
        self.organisation_edit.setPlaceholderText("Company, school or 'Parent'")
        self.host_edit = QLineEdit()
        self.host_edit.setAccessibleName("Whom you are visiting")
        self.host_edit.setPlaceholderText("Start typing a name")
        self.host_edit.textEdited.connect(self._on_host_typed)
        self.car_edit = QLineEdit()
        self.car_edit.setAccessibleName("Car registration")
        self.car_edit.setPlaceholderText("Only if you parked on site")
        self.car_edit.setMaxLength(CAR_MAX)
        for row, (label, edit) in enumerate(
            [
                ("Organisation", self.organisation_edit),
                ("Visiting", self.host_edit),
                ("Car registration (optional)", self.car_edit),
            ]
        ):
            grid.addWidget(_text(label), row * 2, 0)
            grid.addWidget(edit, row * 2, 1)
            if edit is self.host_edit:
                hosts = QHBoxLayout()
                self._host_buttons: list[TouchButton] = []
                self._hosts: list[tuple[int, str]] = []
                for index in range(4):
                    button = _button("", primary=False, name="VisitorMatch")
                    button.clicked.connect(lambda _=False, i=index: self._on_host_picked(i))
                    hosts.addWidget(button)
                    self._host_buttons.append(button)
                grid.addLayout(hosts, row * 2 + 1, 1)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)
        layout.addStretch(1)
        forward = _button("Next")
        forward.clicked.connect(self._on_details_next)
        self._footer(layout, error, forward)
        return page

    def _build_category_page(self) -> QWidget:
        page, layout, error = self._page("category", "Which of these are you?")
        grid = QGridLayout()
        grid.setSpacing(12)
        self.category_buttons: dict[str, WrappingTouchButton] = {}
        for index, entry in enumerate(CATEGORIES):
            # A long category wraps onto two lines on a narrow kiosk screen.
            button = WrappingTouchButton(entry.label, role="kiosk", min_height=BUTTON_HEIGHT + 8)
            button.setObjectName("KioskChoice")
            button.clicked.connect(lambda _=False, c=entry.id: self._on_category_picked(c))
            grid.addWidget(button, index // 2, index % 2)
            self.category_buttons[entry.id] = button
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)
        layout.addStretch(1)
        self._footer(layout, error, None)
        return page

    def _build_rules_page(self) -> QWidget:
        page, layout, error = self._page("rules", "Our phone rules")
        self._rules_layout = layout
        self.rules_title = _text()
        layout.addWidget(self.rules_title)
        self.rules_text = _text()
        self.rules_text.setObjectName("VisitorRules")
        self.rules_text.setContentsMargins(8, 8, 24, 8)
        self.rules_scroll = QScrollArea()
        self.rules_scroll.setWidgetResizable(True)
        self.rules_scroll.setWidget(self.rules_text)
        self.rules_scroll.setObjectName("VisitorRulesScroll")
        bar = self.rules_scroll.verticalScrollBar()
        bar.valueChanged.connect(self._update_agree)
        bar.rangeChanged.connect(self._update_agree)
        layout.addWidget(self.rules_scroll, 1)
        self.scroll_hint = _text("Please read to the end: scroll down to see all the rules.")
        layout.addWidget(self.scroll_hint)
        self.agree = _button("I agree")
        self.agree.clicked.connect(self._on_agree)
        self._footer(layout, error, self.agree)
        return page

    def _build_sign_page(self) -> QWidget:
        page, layout, error = self._page("sign", "Please sign to confirm")
        self.summary = _text()
        layout.addWidget(self.summary)
        self.signature = SignaturePad(hint="Sign with your finger or the mouse")
        self.signature.sig_changed.connect(self._update_sign_in)
        layout.addWidget(self.signature, 1)
        self.sign_in_button = _button("Sign in")
        self.sign_in_button.clicked.connect(self._on_sign_in)
        self._footer(layout, error, self.sign_in_button)
        return page

    def _build_welcome_page(self) -> QWidget:
        page = QWidget()
        page.setProperty("page", "welcome")
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        self.welcome_title = _title("Welcome")
        self.welcome_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.welcome_text = _text()
        self.welcome_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.welcome_title)
        layout.addWidget(self.welcome_text)
        layout.addStretch(1)
        done = _button("Done")
        done.clicked.connect(self._finish)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(done)
        layout.addLayout(row)
        self.stack.addWidget(page)
        return page

    # --- moving between pages -------------------------------------------------------------

    def _go(self, page: QWidget) -> None:
        current = self.stack.currentWidget()
        # With no page on screen yet there is nothing for "Back" to return to.
        if current is not None and current is not page:
            self._history.append(current)
        for label in self._errors:
            label.clear()
        self.stack.setCurrentWidget(page)

    def _on_back(self) -> None:
        if not self._history:
            self._finish()
            return
        self.stack.setCurrentWidget(self._history.pop())

    def _error(self, message: str) -> None:
        page = self.stack.currentWidget()
        index = [
            self.name_page,
            self.details_page,
            self.category_page,
            self.rules_page,
            self.sign_page,
        ]
        if page in index:
            self._errors[index.index(page)].setText(message)

    def _on_name_typed(self, text: str) -> None:
        self._returning_id = None
        self._show_matches(self._sign_in.returning_visitors(text))

    def _show_matches(self, matches: list[VisitorMatch]) -> None:
        self._matches = matches
        self.matches_label.setVisible(bool(matches))
        for index, button in enumerate(self._match_buttons):
            if index < len(matches):
                match = matches[index]
                button.setText(
                    f"{match.name} — {match.organisation}" if match.organisation else match.name
                )
                button.show()
            else:
                button.hide()

    def _on_name_next(self) -> None:
        try:
            self._sign_in.check_name(self.name_edit.text())
        except KioskError as error:
            self._error(error.message)
            return
        self._returning_id = None
        self._go(self.details_page)
        self.organisation_edit.setFocus()

    def _on_match_picked(self, index: int) -> None:
        if index >= len(self._matches):
            return
        try:
            last = self._sign_in.returning_visitor(self._matches[index].visitor_id)
        except KioskError as error:
            self._error(error.message)
            return
        self._returning_id = last.visitor_id
        self.name_edit.setText(last.name)
        self.organisation_edit.setText(last.organisation)
        self.host_edit.setText(last.host_name)
        self._host_id = last.host_staff_id
        self.car_edit.setText(last.car_registration)
        self._category = last.category
        self._after_category()

    def _on_host_typed(self, text: str) -> None:
        self._host_id = None
        self._show_hosts(self._sign_in.hosts(text, limit=len(self._host_buttons)))

    def _show_hosts(self, hosts: list[tuple[int, str]]) -> None:
        self._hosts = hosts
        for index, button in enumerate(self._host_buttons):
            if index < len(hosts):
                button.setText(_literal(hosts[index][1]))
                button.show()
            else:
                button.hide()

    def _on_host_picked(self, index: int) -> None:
        if index < len(self._hosts):
            self._host_id, name = self._hosts[index]
            self.host_edit.setText(name)
            self._show_hosts([])

    def _on_details_next(self) -> None:
        try:
            self._sign_in.check_details(
                self.organisation_edit.text(), self.host_edit.text(), self.car_edit.text()
            )
        except KioskError as error:
            self._error(error.message)
            return
        self._go(self.category_page)

    def _on_category_picked(self, category_id: str) -> None:
        self._category = category_id
        self._after_category()

    def _after_category(self) -> None:
        self._policy = self._sign_in.rules(self._category)
        if self._sign_in.must_read_rules(self._returning_id, self._category):
            self.rules_title.setText(self._policy.title)
            self.rules_text.setText("\n\n".join(self._policy.paragraphs))
            self.rules_scroll.verticalScrollBar().setValue(0)
            self._read_to_end = False
            self._go(self.rules_page)
            # Lay the new text out now, so the scroll range is known before deciding.
            self._rules_layout.activate()
            self.rules_text.adjustSize()
            self._update_agree()
        else:
            self._show_sign_page()

    def _update_agree(self) -> None:
        """ "I agree" only once the text has been scrolled to its end (or fits whole)."""
        bar = self.rules_scroll.verticalScrollBar()
        if self.stack.currentWidget() is self.rules_page and bar.value() >= bar.maximum():
            self._read_to_end = True
        self.agree.setEnabled(self._read_to_end)
        self.scroll_hint.setVisible(not self._read_to_end)

    def _on_agree(self) -> None:
        self._show_sign_page()

    def _show_sign_page(self) -> None:
        self.signature.clear()
        name = " ".join(self.name_edit.text().split())
        organisation = " ".join(self.organisation_edit.text().split())
        who = f"{name}, {organisation}" if organisation else name
        assert self._policy is not None
        self.summary.setText(
            f"{who}\nVisiting {self.host_edit.text().strip()}\n"
            f"I have read the phone rules for my visit and will keep to them."
        )
        self._go(self.sign_page)
        self._update_sign_in()

    def _update_sign_in(self) -> None:
        # A tap's dot is not a signature: the pad says "Please sign your name" instead.
        self.sign_in_button.setEnabled(self.signature.has_signature())

    def _on_sign_in(self) -> None:
        assert self._policy is not None
        request = SignInRequest(
            name=self.name_edit.text(),
            organisation=self.organisation_edit.text(),
            category=self._category,
            host_staff_id=self._host_id,
            host_name=self.host_edit.text(),
            car_registration=self.car_edit.text(),
            policy_version=self._policy.version,
            signature_png=self.signature.to_png_bytes(),
            returning_visitor_id=self._returning_id,
        )
        try:
            signed = self._sign_in.sign_in(request)
        except KioskError as error:
            self._error(error.message)
            return
        first_name = signed.visit.name.split()[0] if signed.visit.name.split() else ""
        self.welcome_title.setText(f"Welcome, {first_name}")
        self.welcome_text.setText(
            "Your badge is printing. Please wear it where it can be seen, and scan it here "
            "when you leave."
        )
        self._idle.stop()
        self._history.clear()
        self.stack.setCurrentWidget(self.welcome_page)
        self._welcome.start()
        # Welcome is painted first; the badge goes to the printer straight after.
        QTimer.singleShot(0, lambda: self._send(signed))

    def _send(self, signed: SignedIn) -> None:
        if self._send_badge is not None:
            try:
                self._send_badge(signed)
            except Exception:  # the visitor still sees Welcome
                log.exception("The badge could not be sent")
        self.sig_signed_in.emit(signed)

    # --- idle -----------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if (
            event.type() in _ACTIVITY
            and self._idle.isActive()
            and isinstance(watched, QWidget)
            and (watched is self or self.isAncestorOf(watched))
        ):
            self._idle.start()
        return False

    def _on_idle(self) -> None:
        self._finish()

    def _finish(self) -> None:
        self.reset()
        self.sig_finished.emit()
