"""What a keyboard-wedge scanner's keystrokes can say, before and after a scan is looked up.

A wedge scanner types a code as if on a keyboard, so two things can go wrong that have
nothing to do with the card:

* **speed and suffix** — some scanners type slowly (Bluetooth ones and some 2D imagers
  about 50 ms a key) or end with Tab or a line feed instead of Enter. The scan listener
  therefore decides by *content* as well as timing: text that has the shape of a pupil card
  or a visitor badge (:func:`is_code_shape`, :func:`could_become_code`) is a scan whatever
  its pace and suffix.
* **keyboard layout** — the scanner sends key positions, and the computer turns them into
  characters with its own layout. A scanner set to German (QWERTZ) swaps Y and Z; one set
  to French (AZERTY) swaps A/Q and Z/W, types "?" for M and the symbols of the digit row
  (& é " ' ( - è _ ç à) for 1 to 0. :func:`layout_mix_up` finds a code that fails its
  check as typed but passes once read back through one of those layouts, so the refusal
  can name the scanner's setting instead of blaming the card.

:func:`judge_scanner` turns one measured burst into the plain verdict of the desk's
"Test your scanner" page. Nothing here imports Qt; the words are in
:mod:`kiosk.scanning.words`.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from kiosk.codes.pupil_card import (
    BASE32_ALPHABET,
    PUPIL_CARD_LENGTH,
    PUPIL_PREFIX,
    CardKey,
    normalise_scan,
    verify_pupil_card,
)
from kiosk.codes.visitor_badge import BADGE_LENGTH, BADGE_PREFIX, verify_visitor_badge
from kiosk.errors import ScanRejected
from kiosk.scanning import words

# A scanner types a key every few milliseconds; a person rarely types faster than this.
FAST_KEY_INTERVAL_MS = 35
# The slowest scanner the listener still recognises by a code's content (Bluetooth scanners
# and some 2D imagers type about 50 ms a key; the margin covers their jitter).
SLOW_KEY_INTERVAL_MS = 120

# The keys a scanner may press after the code (its "suffix"), as the listener names them.
SUFFIX_ENTER = "Enter"
SUFFIX_TAB = "Tab"
SUFFIX_LINE_FEED = "LF"
NO_SUFFIX = ""

# Each kind of code: (prefix, length, what a person calls it).
_CODE_SHAPES = (
    (PUPIL_PREFIX, PUPIL_CARD_LENGTH, "a pupil card"),
    (BADGE_PREFIX, BADGE_LENGTH, "a visitor badge"),
)
_BASE32 = frozenset(BASE32_ALPHABET)


@dataclass(frozen=True, slots=True)
class KeyboardLayout:
    """A keyboard layout a scanner may be set to by mistake, and how to read it back.

    ``typed_to_meant`` maps a character the computer received (upper case, as
    :func:`~kiosk.codes.pupil_card.normalise_scan` leaves it) to the character the code
    holds; characters not in it were typed faithfully. ``swaps`` says in a few words what
    the layout changes, for the message.
    """

    name: str
    swaps: str
    typed_to_meant: dict[str, str]

    def read_back(self, typed: str) -> str:
        """``typed`` (normalised: no whitespace, upper case) as the scanner meant it."""
        return "".join(self.typed_to_meant.get(ch, ch) for ch in typed)


GERMAN_QWERTZ = KeyboardLayout(
    "German (QWERTZ)",
    "Y and Z come out swapped",
    {"Y": "Z", "Z": "Y"},
)
FRENCH_AZERTY = KeyboardLayout(
    "French or Belgian (AZERTY)",
    "A and Q, Z and W come out swapped and the digits come out as symbols",
    {
        "A": "Q",
        "Q": "A",
        "Z": "W",
        "W": "Z",
        # The M key of a UK keyboard is "," on AZERTY ("?" with Shift); AZERTY's M is ";".
        "?": "M",
        ",": "M",
        "M": ";",
        # The digit row without Shift (French; Belgian differs at 6 and 8).
        "&": "1",
        "É": "2",
        "é": "2",
        '"': "3",
        "'": "4",
        "(": "5",
        "-": "6",
        "§": "6",
        "È": "7",
        "è": "7",
        "_": "8",
        "!": "8",
        "Ç": "9",
        "ç": "9",
        "À": "0",
        "à": "0",
    },
)
LAYOUT_MIX_UPS: tuple[KeyboardLayout, ...] = (GERMAN_QWERTZ, FRENCH_AZERTY)
"""The layouts a UK school's scanner is most often found set to, tried in this order."""


def _fits(text: str, prefix: str, length: int, *, whole: bool) -> bool:
    if len(text) > length or (whole and len(text) != length):
        return False
    head = min(len(text), len(prefix))
    return text[:head] == prefix[:head] and all(ch in _BASE32 for ch in text[len(prefix) :])


def _readings(raw: str) -> list[tuple[KeyboardLayout | None, str]]:
    """``raw`` normalised as typed (layout None), then read back through each mix-up."""
    typed = normalise_scan(raw)
    return [(None, typed)] + [(layout, layout.read_back(typed)) for layout in LAYOUT_MIX_UPS]


def code_kind(raw: str) -> str | None:
    """What ``raw`` (whitespace and case ignored) has the exact shape of, as typed: "a pupil
    card", "a visitor badge", or None. Says nothing about whether the code is genuine."""
    typed = normalise_scan(raw)
    for prefix, length, kind in _CODE_SHAPES:
        if _fits(typed, prefix, length, whole=True):
            return kind
    return None


def is_code_shape(raw: str) -> bool:
    """True when ``raw`` has the exact shape of a pupil card or visitor badge, as typed or
    read back through a layout mix-up (:data:`LAYOUT_MIX_UPS`). Never raises."""
    return any(
        _fits(text, prefix, length, whole=True)
        for _layout, text in _readings(raw)
        for prefix, length, _kind in _CODE_SHAPES
    )


def could_become_code(raw: str) -> bool:
    """True when ``raw`` is the start (or the whole) of a pupil card or visitor badge, as
    typed or through a layout mix-up: the scan listener keeps holding such keys back from a
    slow scanner. False for the empty string and for anything a person is likelier to be
    typing (a name, a PIN). Never raises."""
    if not normalise_scan(raw):
        return False
    return any(
        _fits(text, prefix, length, whole=False)
        for _layout, text in _readings(raw)
        for prefix, length, _kind in _CODE_SHAPES
    )


def _verifies(key: CardKey, school_code: str, text: str) -> bool:
    for verify in (verify_pupil_card, verify_visitor_badge):
        try:
            verify(key, school_code, text)
        except ScanRejected:
            continue
        return True
    return False


def layout_mix_up(key: CardKey, school_code: str, raw: str) -> KeyboardLayout | None:
    """The layout the scanner must be set to when ``raw`` fails the pupil-card and badge
    checks as typed but passes once read back through it; None when it passes as typed or
    through no layout (then the card's own refusal stands).

    ``key`` and ``school_code`` are the install's card key and the school's card code. Only
    the form, school and signature are checked, not the database. Never raises.
    """
    readings = _readings(raw)
    if _verifies(key, school_code, readings[0][1]):
        return None
    for layout, text in readings[1:]:
        if text != readings[0][1] and _verifies(key, school_code, text):
            return layout
    return None


def wrong_layout_message(layout: KeyboardLayout) -> words.ScanMessage:
    """What the kiosk face, the desk and the command line show for a genuine code typed
    through the wrong keyboard ``layout``."""
    return words.describe_wrong_layout(layout.name, layout.swaps)


def wrong_layout_refusal(layout: KeyboardLayout) -> str:
    """The refusal for a genuine code typed through the wrong keyboard ``layout``: what to
    set on the scanner, instead of "may have been altered or copied"."""
    return words.wrong_layout(layout.name, layout.swaps)


def refusal_reason(key: CardKey, school_code: str, raw: str, reason: str) -> str:
    """The words for a scanned ``raw`` that was refused with ``reason``: what to set on the
    scanner when the code is genuine but typed through the wrong keyboard layout
    (:func:`layout_mix_up`), else ``reason`` unchanged. Never raises."""
    layout = layout_mix_up(key, school_code, raw)
    return reason if layout is None else wrong_layout_refusal(layout)


# --- the scanner test ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KeyBurst:
    """One burst of keys as the scan listener heard it.

    ``text`` is what was typed (suffix excluded); ``intervals_ms`` the time between each
    key and the next, in milliseconds from the keys' own timestamps (one fewer than the
    characters); ``suffix`` the key that ended it (:data:`SUFFIX_ENTER`,
    :data:`SUFFIX_TAB`, :data:`SUFFIX_LINE_FEED`) or :data:`NO_SUFFIX` when it ended with a
    pause.
    """

    text: str
    intervals_ms: tuple[float, ...]
    suffix: str


@dataclass(frozen=True, slots=True)
class ScannerVerdict:
    """What the scanner test found, in numbers and in words.

    ``median_ms`` and ``max_ms`` are the typical and the longest time between two keys
    (None when only one key was heard); ``code`` what the scanner's text is ("a pupil
    card", "a visitor badge" or None); ``layout`` a wrong keyboard layout found, if any
    (``layout_checked`` says whether the code proved the layout right);
    ``findings`` the plain lines to show, the most important first; ``works`` whether
    cards scanned with it will be recognised and accepted as it is set now.
    """

    works: bool
    summary: str
    findings: tuple[str, ...]
    median_ms: float | None
    max_ms: float | None
    suffix: str
    code: str | None
    layout: KeyboardLayout | None
    layout_checked: bool = False
    """True when this code proved the keyboard layout right: it is this school's and holds
    letters each layout mix-up would have changed."""


def _layout_by_shape(raw: str) -> KeyboardLayout | None:
    """A layout whose reading has a code's shape when the text as typed has none (the
    AZERTY digit row), found without the card key: the card may be another school's."""
    if code_kind(raw) is not None:
        return None
    for layout, text in _readings(raw)[1:]:
        if layout is not None and code_kind(text) is not None:
            return layout
    return None


def _code_inside(raw: str) -> tuple[str, str] | None:
    """(before, after): extra characters around a code the scanner typed, if any."""
    typed = normalise_scan(raw)
    for prefix, length, _kind in _CODE_SHAPES:
        start = typed.find(prefix)
        while start != -1:
            candidate = typed[start : start + length]
            if _fits(candidate, prefix, length, whole=True):
                return typed[:start], typed[start + length :]
            start = typed.find(prefix, start + 1)
    return None


def judge_scanner(burst: KeyBurst, key: CardKey, school_code: str) -> ScannerVerdict:
    """The verdict of the desk's scanner test on one scanned ``burst``.

    Speed: every gap up to :data:`FAST_KEY_INTERVAL_MS` is a fast scanner, recognised by
    timing alone; up to :data:`SLOW_KEY_INTERVAL_MS` a slow one, recognised because the
    text is a card; slower splits codes and does not work. Suffix: Enter, Tab or a line
    feed all work; none works a moment later. Content: the code must read back exactly,
    on the right keyboard layout and without added characters. ``key`` and
    ``school_code`` are the install's, to tell a wrong layout from another school's card.
    Never raises.
    """
    intervals = burst.intervals_ms
    median_ms = statistics.median(intervals) if intervals else None
    max_ms = max(intervals) if intervals else None
    problems: list[str] = []
    notes: list[str] = []
    layout_checked = False

    layout = layout_mix_up(key, school_code, burst.text) or _layout_by_shape(burst.text)
    code = code_kind(burst.text)
    if layout is not None:
        problems.append(words.wrong_layout(layout.name, layout.swaps))
    elif code is None:
        around = _code_inside(burst.text)
        if around is not None:
            problems.append(words.scanner_adds_characters(*around))
        else:
            problems.append(words.scanner_not_a_code(burst.text))
    elif not _verifies(key, school_code, burst.text):
        notes.append(words.scanner_code_from_elsewhere(code))
    else:
        notes.append(words.scanner_read_code(code))
        unproven = [
            m.name
            for m in LAYOUT_MIX_UPS
            if m.read_back(normalise_scan(burst.text)) == normalise_scan(burst.text)
        ]
        if unproven:
            notes.append(words.scanner_layout_unproven(unproven))
        layout_checked = not unproven

    if max_ms is not None and max_ms > SLOW_KEY_INTERVAL_MS:
        problems.append(words.scanner_too_slow(max_ms, SLOW_KEY_INTERVAL_MS))
    elif max_ms is not None and max_ms > FAST_KEY_INTERVAL_MS:
        notes.append(words.scanner_slow_but_fine(max_ms))
    elif max_ms is not None:
        notes.append(words.scanner_fast(max_ms))

    notes.append(words.scanner_suffix(burst.suffix))

    works = not problems
    summary = words.SCANNER_WORKS if works else words.SCANNER_NEEDS_CHANGE
    return ScannerVerdict(
        works=works,
        summary=summary,
        findings=tuple(problems + notes),
        median_ms=median_ms,
        max_ms=max_ms,
        suffix=burst.suffix,
        code=code if layout is None else None,
        layout=layout,
        layout_checked=layout_checked,
    )
