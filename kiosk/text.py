"""Cleaning what people type: one-line fields, notes, telephone numbers, names for matching
and the text of LIKE searches.

Every service cleans typed text through these functions so that a name typed at the desk,
pasted from an email or read by a scanner is stored the same way wherever it is typed.
Lengths are counted in characters (Unicode code points) after cleaning. Text is put into
Unicode normal form C so that "é" typed as one character or as "e" plus a combining accent
is stored, compared and counted the same way.

Messages are given by the caller because they name the field in the user's words; a
``too_long`` message may contain ``{limit}`` and ``{length}``, filled in here with
:meth:`str.format` (``{limit:,}`` gives "1,000"), so it must never contain typed text.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from anyascii import anyascii

from kiosk.errors import InvalidInput

# The escape character every LIKE search in the core uses: ``column.like(p, escape=LIKE_ESCAPE)``.
LIKE_ESCAPE = "\\"
PHONE_NUMBER_MAX = 40
TOO_LONG = "That is too long: please keep it to {limit:,} characters or fewer."
_PHONE_NUMBER_CHARACTERS = re.compile(r"[0-9 +()\-]*")
# Line ends as Windows, old Macs and Unicode write them; a note keeps them as "\n".
# Modifier letters written as apostrophes in names (Hawaiʻi's ʻokina, Ukrainian ʼ): dropped
# like the apostrophe itself.
_APOSTROPHE_LIKE = re.compile(r"APOSTROPHE|COMMA|PRIME")
_LINE_ENDS = re.compile(r"\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _without_controls(text: str, *, keep: str = "") -> str:
    """``text`` with every control character (a scanner, a paste or a stray key can bring
    NUL, escape or bell) turned into a space, except those in ``keep``."""
    return "".join(
        " " if unicodedata.category(ch) == "Cc" and ch not in keep else ch for ch in text
    )


def _checked(cleaned: str, *, limit: int | None, too_long: str, required: str | None) -> str:
    if required is not None and not cleaned:
        raise InvalidInput(required)
    if limit is not None and len(cleaned) > limit:
        raise InvalidInput(too_long.format(limit=limit, length=len(cleaned)))
    return cleaned


def clean_line(
    value: str | None,
    *,
    limit: int | None = None,
    too_long: str = TOO_LONG,
    required: str | None = None,
) -> str:
    """Clean a one-line field (a name, a place, a reference).

    Takes what was typed (``None`` counts as empty). Control characters, tabs and line
    breaks become spaces, runs of spaces become one and the ends are trimmed; the result is
    in normal form C. Returns the cleaned text, possibly ``""`` when ``required`` is None.

    Raises :class:`InvalidInput` with ``required`` when the cleaned text is empty and
    ``required`` is given, and with ``too_long`` (``{limit}``/``{length}`` filled in) when
    it is longer than ``limit`` characters (no limit when ``limit`` is None).
    """
    cleaned = " ".join(_without_controls(unicodedata.normalize("NFC", value or "")).split())
    return _checked(cleaned, limit=limit, too_long=too_long, required=required)


def clean_note(
    value: str | None,
    *,
    limit: int | None = None,
    too_long: str = TOO_LONG,
    required: str | None = None,
) -> str:
    """Clean a note that may run over several lines (what happened, a message taken).

    Takes what was typed (``None`` counts as empty). Line ends of every kind become "\\n";
    other control characters except tabs become spaces; spaces at the end of each line and
    blank lines at the start and end are removed; the result is in normal form C. Returns
    the cleaned text, possibly ``""`` when ``required`` is None.

    Raises :class:`InvalidInput` with ``required`` when the cleaned text is empty and
    ``required`` is given, and with ``too_long`` (``{limit}``/``{length}`` filled in) when
    it is longer than ``limit`` characters (no limit when ``limit`` is None).
    """
    text = _LINE_ENDS.sub("\n", unicodedata.normalize("NFC", value or ""))
    text = _without_controls(text, keep="\n\t")
    cleaned = "\n".join(line.rstrip() for line in text.split("\n")).strip()
    return _checked(cleaned, limit=limit, too_long=too_long, required=required)


def clean_phone_number(value: str | None, label: str = "telephone number") -> str:
    """Clean a telephone number or extension as typed: spacing collapsed, nothing else
    changed (no country code is added, so "01632 960 123" stays as people read it).

    Takes what was typed and the words for it in messages ("mobile number"). Returns the
    number, or ``""`` for an empty one (callers decide whether one is required).

    Raises :class:`InvalidInput` "The {label} can only have digits, spaces and + ( ) -;
    please check it." for any other character, and "The {label} is too long (40
    characters at most)." beyond :data:`PHONE_NUMBER_MAX` characters.
    """
    cleaned = clean_line(value)
    # Characters first: "call Jo on 0123" is wrong whatever its length.
    if not _PHONE_NUMBER_CHARACTERS.fullmatch(cleaned):
        raise InvalidInput(
            f"The {label} can only have digits, spaces and + ( ) -; please check it."
        )
    if len(cleaned) > PHONE_NUMBER_MAX:
        raise InvalidInput(f"The {label} is too long ({PHONE_NUMBER_MAX} characters at most).")
    return cleaned


@functools.lru_cache(maxsize=65_536)
def name_key(name: str) -> str:
    """A name folded for matching, so "Siobhán O'Neill" finds "siobhan oneill" and "lukasz"
    finds "Łukasz".

    Takes a name as typed or stored. Returns it with accents and other combining marks
    removed (compatibility decomposition, NFKD), letters of the Latin script written in
    plain a-z (:func:`fold_latin`: Ł, Ø, Đ, Þ, Æ and ß, which carry no separable accent),
    punctuation removed (apostrophes and hyphens join names differently from one form to
    the next), case folded and spacing collapsed. Letters of other scripts (Arabic,
    Chinese, Cyrillic, Greek) are kept in their own script, never transliterated: "محمد"
    is found by typing it, and does not turn into "mhmd" that some unrelated Latin name
    would match. Never raises; results are cached, as a type-ahead folds the same names on
    every keystroke.
    """
    kept = []
    for ch in unicodedata.normalize("NFKD", name):
        if unicodedata.combining(ch):
            continue
        kind = unicodedata.category(ch)
        if kind.startswith("P") or (
            kind == "Lm" and _APOSTROPHE_LIKE.search(unicodedata.name(ch, ""))
        ):
            continue
        if kind == "Cc":
            kept.append(" ")
        elif ch.isascii():
            kept.append(ch)
        else:
            kept.append(fold_latin(ch))
    return " ".join("".join(kept).casefold().split())


NAMES_KEY_SEPARATOR = " | "


def names_key(*full_names: str) -> str:
    """One folded key for every name a person goes by, to search them all at once.

    Takes full names ("Alexandra Whitcombe", "Sasha Whitcombe"); returns each folded by
    :func:`name_key`, empties and repeats dropped, joined by :data:`NAMES_KEY_SEPARATOR`
    (" | ", which a folded name never contains, so a search cannot run from one name into
    the next). Never raises.
    """
    keys: list[str] = []
    for full_name in full_names:
        key = name_key(full_name)
        if key and key not in keys:
            keys.append(key)
    return NAMES_KEY_SEPARATOR.join(keys)


def fold_latin(text: str) -> str:
    """``text`` with each non-ASCII letter of the Latin script written as the plain a-z
    letters that stand for it (anyascii's transliteration: "Ł" → "L", "ß" → "ss",
    "Æ" → "Ae", "Đ" → "D", "Þ" → "Th"); every other character is kept as it is.

    Used by :func:`name_key`, and by the migration that re-folds keys stored before Latin
    letters were folded (its input is a stored key: already decomposed, lower case and
    without punctuation, so folding its Latin letters gives what :func:`name_key` gives
    today). Anything the transliteration writes that is not a letter or digit (a modifier
    letter's apostrophe) is dropped. Never raises.
    """
    out = []
    for ch in text:
        if ch.isascii() or not ch.isalpha() or not unicodedata.name(ch, "").startswith("LATIN"):
            out.append(ch)
            continue
        out.append("".join(c for c in anyascii(ch) if c.isalnum()).casefold())
    return "".join(out)


def has_every_word(typed: str, text: str) -> bool:
    """Whether every word of ``typed`` appears somewhere in ``text``, both folded by
    :func:`name_key` ("sean ocon" is in "Seán O'Connor · Head of Year 9").

    For the short lists filtered as people type (the staff directory, "for whom" on a
    call). True when nothing is typed. Never raises.
    """
    haystack = name_key(text)
    return all(word in haystack for word in name_key(typed).split())


def word_keys(key: str) -> list[str]:
    """Every ending of a folded name that starts at a word: for "mary ann smith",
    ["mary ann smith", "ann smith", "smith"], so that a search for what a name (or any of its
    words) starts with can be a prefix search of these.

    Takes a key from :func:`name_key`; returns the endings, longest first, without repeats;
    empty for an empty key. Never raises.
    """
    words = key.split()
    endings = (" ".join(words[start:]) for start in range(len(words)))
    return list(dict.fromkeys(endings))


def prefix_upper_bound(prefix: str) -> str:
    """The smallest text greater than every text that starts with ``prefix``, for a prefix
    search written as a range that an index answers: ``prefix <= key < bound``.

    ``prefix`` followed by U+10FFFF, the last code point, which no folded name contains;
    exact where texts compare code point by code point (SQLite, PostgreSQL's "C"
    collation). Never raises.
    """
    return prefix + "\U0010ffff"


def escape_like(text: str) -> str:
    """``text`` made safe to put inside a SQL LIKE pattern, so a typed "%" or "_" matches
    itself rather than anything.

    Takes the literal text; returns it with ``\\``, ``%`` and ``_`` escaped by
    :data:`LIKE_ESCAPE`. The query must pass ``escape=LIKE_ESCAPE`` to ``like()``. Never
    raises.
    """
    return (
        text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
        .replace("%", LIKE_ESCAPE + "%")
        .replace("_", LIKE_ESCAPE + "_")
    )


# Titles a staff name may begin with; they are passed over when staff are put in order.
STAFF_TITLES = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "prof",
        "professor",
        "rev",
        "revd",
        "sir",
        "dame",
        "lady",
        "lord",
        "fr",
        "sr",
        "br",
        "coach",
        "madame",
        "mme",
        "m",
    }
)


def staff_sort_key(name: str) -> tuple[str, str, str]:
    """The key that puts staff in the order a school's staff list is read: by surname,
    then the rest of the name, never by title (so "Dr Zara Ahmed" comes before "Mr Tom
    Baker", and all the Mrs are not bunched together).

    Takes a stored staff name such as "Mrs Rhian Bevan" or "Bevan". Returns (surname,
    first names, whole name), each folded by :func:`name_key` so accents and case do not
    reorder anyone; a leading title ("Mr", "Mrs", "Dr"… with or without a full stop) is
    dropped, and the surname is the last word left. Every list of staff the desk shows is
    sorted with this one key. Never raises.
    """
    words = name_key(name).split()
    while len(words) > 1 and words[0] in STAFF_TITLES:
        words = words[1:]
    if not words:
        return ("", "", name_key(name))
    return (words[-1], " ".join(words[:-1]), name_key(name))
