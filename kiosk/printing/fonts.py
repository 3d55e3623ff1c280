"""The fonts every printed document uses, and the one way a piece of text is measured and drawn.

Families in English schools write their names in Latin, Arabic, Urdu, Bengali, Gujarati,
Gurmukhi, Tamil, Devanagari, Chinese, Greek, Cyrillic, Hebrew and more. No single font covers
them all, and several of those scripts need more than one glyph per letter:

- **Fallback, character by character.** DejaVu Sans (Latin, Greek, Cyrillic, Vietnamese) is
  the main face; a character of a script with its own bundled Noto face (Arabic, Hebrew, the
  Indic scripts, Thai, Ethiopic, Sinhala) is drawn in that face, and anything else in the
  first bundled face that has it (Droid Sans Fallback covers Chinese, Japanese and Korean).
  Text is split into runs by the face that draws them. All faces are TrueType outlines,
  which is what reportlab can embed.
- **Shaping.** Each run goes through HarfBuzz (``uharfbuzz``), which joins Arabic letters,
  forms Indic conjuncts and places marks; reportlab then draws the glyphs HarfBuzz chose.
- **Right-to-left order.** The Unicode bidirectional algorithm (``python-bidi``) gives each
  character its level; runs are put in display order (rule L2 of UAX #9) and right-to-left
  runs are shaped right to left, so Hebrew and Arabic read correctly beside Latin text.

Copying or searching the PDF gives the name as typed: a shaped glyph with no character of
its own maps back to the characters it was made from, and a shaped left-to-right line also
carries its text as the PDF's ``ActualText`` (Indic vowel signs are drawn before the
consonant they follow). Right-to-left lines need no ``ActualText``: readers put glyphs
drawn right to left back in reading order themselves (except Nastaliq, whose glyphs do not
map to letters one by one; its lines carry an ``ActualText``, which readers order as they
see fit).

A name with a character no bundled face has would print as an empty box; :func:`printable`
says which characters those are, so the desk refuses the print first.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import uharfbuzz
from bidi import algorithm as bidi_algorithm
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr, TTFont
from reportlab.pdfgen.canvas import Canvas

from kiosk.errors import InvalidInput
from kiosk.resources import resource_path

SANS = "KioskSans"
SANS_BOLD = "KioskSans-Bold"


@dataclass(frozen=True, slots=True)
class _Face:
    """A bundled script face: its files and the Unicode ranges it is preferred for."""

    key: str
    regular: str
    bold: str | None  # None: bold text uses the regular face (no bold is bundled)
    ranges: tuple[tuple[int, int], ...]  # inclusive; empty: used only as a last resort


_FACES: tuple[_Face, ...] = (
    _Face(
        "Arabic",
        "NotoNaskhArabic-Regular.ttf",
        "NotoNaskhArabic-Bold.ttf",
        ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)),
    ),
    _Face(
        "Hebrew",
        "NotoSansHebrew-Regular.ttf",
        "NotoSansHebrew-Bold.ttf",
        ((0x0590, 0x05FF), (0xFB1D, 0xFB4F)),
    ),
    _Face(
        "Devanagari",
        "NotoSansDevanagari-Regular.ttf",
        "NotoSansDevanagari-Bold.ttf",
        ((0x0900, 0x097F), (0xA8E0, 0xA8FF), (0x1CD0, 0x1CFF)),
    ),
    _Face(
        "Bengali", "NotoSansBengali-Regular.ttf", "NotoSansBengali-Bold.ttf", ((0x0980, 0x09FF),)
    ),
    _Face(
        "Gurmukhi",
        "NotoSansGurmukhi-Regular.ttf",
        "NotoSansGurmukhi-Bold.ttf",
        ((0x0A00, 0x0A7F),),
    ),
    _Face(
        "Gujarati",
        "NotoSansGujarati-Regular.ttf",
        "NotoSansGujarati-Bold.ttf",
        ((0x0A80, 0x0AFF),),
    ),
    _Face("Tamil", "NotoSansTamil-Regular.ttf", "NotoSansTamil-Bold.ttf", ((0x0B80, 0x0BFF),)),
    _Face("Telugu", "NotoSansTelugu-Regular.ttf", "NotoSansTelugu-Bold.ttf", ((0x0C00, 0x0C7F),)),
    _Face(
        "Kannada", "NotoSansKannada-Regular.ttf", "NotoSansKannada-Bold.ttf", ((0x0C80, 0x0CFF),)
    ),
    _Face(
        "Malayalam",
        "NotoSansMalayalam-Regular.ttf",
        "NotoSansMalayalam-Bold.ttf",
        ((0x0D00, 0x0D7F),),
    ),
    _Face(
        "Sinhala", "NotoSansSinhala-Regular.ttf", "NotoSansSinhala-Bold.ttf", ((0x0D80, 0x0DFF),)
    ),
    _Face("Thai", "NotoSansThai-Regular.ttf", "NotoSansThai-Bold.ttf", ((0x0E00, 0x0E7F),)),
    _Face(
        "Ethiopic",
        "NotoSansEthiopic-Regular.ttf",
        "NotoSansEthiopic-Bold.ttf",
        ((0x1200, 0x139F), (0x2D80, 0x2DDF), (0xAB00, 0xAB2F)),
    ),
    # Chinese, Japanese and Korean; the font has no bold, so bold text uses the regular.
    _Face("CJK", "DroidSansFallback.ttf", None, ()),
)
_MAIN_FILES = {SANS: "DejaVuSans.ttf", SANS_BOLD: "DejaVuSans-Bold.ttf"}
# Urdu is written in Nastaliq. A line with a letter only Urdu uses among the Arabic ones is
# drawn in Noto Nastaliq Urdu; other Arabic-script lines in Naskh, which has every letter too.
_URDU = _Face("Urdu", "NotoNastaliqUrdu-Regular.ttf", "NotoNastaliqUrdu-Bold.ttf", ())
_URDU_LETTERS = frozenset("\u0679\u0688\u0691\u06ba\u06be\u06c1\u06c2\u06c3\u06d2\u06d3")
# The Naskh face's registered name -> the Nastaliq face used instead in an Urdu line.
_urdu_faces: dict[str, str] = {}

# Characters that never need a glyph of their own: joiners, direction marks, variation
# selectors. HarfBuzz uses them while shaping and draws nothing for them.
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u200e\u200f\u2060\ufeff")

# What each private code given to a shaped glyph stands for, by font: (face name, code) ->
# characters. Written while shaping, read when the PDF's text map is written.
_private_text: dict[tuple[str, int], str] = {}

_lock = threading.Lock()
_shape_lock = threading.Lock()
_registered = False
# Per style: the faces to try, the main one first, as (registered name, preferred ranges).
_chains: dict[str, tuple[tuple[str, tuple[tuple[int, int], ...]], ...]] = {}


def register_fonts() -> None:
    """Register every bundled face with reportlab, and the styles ``SANS`` and ``SANS_BOLD``
    (each a main face with its fallbacks); safe to call any number of times, from any thread
    (printing runs off the GUI thread). Raises FileNotFoundError when a font file is missing
    from ``resources/fonts/`` (a broken build, not a user error)."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        # reportlab garbles characters beyond U+FFFF (emoji) in the text map; see below.
        ttfonts.makeToUnicodeCMap = _to_unicode_cmap
        for name, filename in _MAIN_FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(resource_path("fonts", filename))))
        regular: list[tuple[str, tuple[tuple[int, int], ...]]] = [(SANS, ())]
        bold: list[tuple[str, tuple[tuple[int, int], ...]]] = [(SANS_BOLD, ())]
        for face in _FACES:
            regular_name = f"{SANS}-{face.key}"
            pdfmetrics.registerFont(TTFont(regular_name, str(resource_path("fonts", face.regular))))
            regular.append((regular_name, face.ranges))
            bold_name = regular_name
            if face.bold is not None:
                bold_name = f"{SANS_BOLD}-{face.key}"
                pdfmetrics.registerFont(TTFont(bold_name, str(resource_path("fonts", face.bold))))
            bold.append((bold_name, face.ranges))
        for style, filename in ((SANS, _URDU.regular), (SANS_BOLD, _URDU.bold or "")):
            name = f"{style}-{_URDU.key}"
            pdfmetrics.registerFont(TTFont(name, str(resource_path("fonts", filename))))
            _urdu_faces[f"{style}-Arabic"] = name
        _chains[SANS] = tuple(regular)
        # A character a bold face lacks falls back to the regular faces, so bold text can
        # show everything regular text can.
        _chains[SANS_BOLD] = tuple(bold) + tuple(regular)
        # Lets Paragraph markup such as <b> pick the bold face of the family.
        addMapping(SANS, 0, 0, SANS)
        addMapping(SANS, 1, 0, SANS_BOLD)
        addMapping(SANS, 0, 1, SANS)
        addMapping(SANS, 1, 1, SANS_BOLD)
        _registered = True


def bundled_font_files() -> tuple[str, ...]:
    """The file names, under ``resources/fonts/``, of every font the printed pages use (the
    desktop build's self-test checks each is there)."""
    files = [*_MAIN_FILES.values()]
    for face in (*_FACES, _URDU):
        files.append(face.regular)
        if face.bold is not None:
            files.append(face.bold)
    return tuple(files)


def fallback_fonts(style: str = SANS) -> tuple[str, ...]:
    """The registered font names ``style`` (``SANS`` or ``SANS_BOLD``) draws with, the main
    face first, in the order they are tried. Raises KeyError for any other style."""
    register_fonts()
    return tuple(name for name, _ in _chains[style])


def printable(text: str) -> list[str]:
    """The characters of ``text`` that no bundled font can draw (each once, in the order they
    first appear); an empty list when every character prints. Whitespace, joiners and
    direction marks never count. A name with any of these would print as empty boxes, so the
    desk and the command line refuse to print it (see :func:`unprintable_message`)."""
    register_fonts()
    missing: list[str] = []
    for style in (SANS, SANS_BOLD):
        for ch in text:
            if _font_for(ch, None, style) is None and ch not in missing:
                missing.append(ch)
    return missing


def unprintable_message(missing: Sequence[str], what: str = "This name") -> str:
    """The plain sentence shown when ``what`` (e.g. "This name", "The name Ann Lee") has
    characters the fonts lack (``missing``, as returned by :func:`printable`), naming them so
    the person knows what to change."""
    shown = " ".join(missing)
    return (
        f"{what} has characters the printer's fonts cannot show: {shown} — type it in "
        "Latin letters or ask the office."
    )


def check_printable(text: str, what: str = "This name") -> None:
    """Raise :class:`~kiosk.errors.InvalidInput` with :func:`unprintable_message` when
    ``text`` has a character no bundled font can draw; return quietly otherwise. Used before
    anything is stored or printed, so a name never prints as empty boxes."""
    missing = printable(text)
    if missing:
        raise InvalidInput(unprintable_message(missing, what))


def missing_glyphs(text: str, font_name: str = SANS) -> set[str]:
    """Characters of ``text`` the single registered font ``font_name`` cannot draw (without
    fallback); whitespace is never reported. Raises ValueError when ``font_name`` is
    registered but not a TrueType font, and KeyError when it is not registered."""
    register_fonts()
    char_to_glyph = _ttf(font_name).face.charToGlyph
    return {ch for ch in text if not ch.isspace() and ord(ch) not in char_to_glyph}


# --- laying out one line -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Run:
    """A piece of a line in one font and one direction, in display order."""

    font: str
    text: str  # shaped glyphs (a ShapedStr) or plain characters
    width: float  # at 1 point


@dataclass(frozen=True, slots=True)
class LineLayout:
    """One line of text ready to draw: runs left to right, widths at a size of 1 point."""

    logical: str  # the text as typed
    runs: tuple[_Run, ...]
    simple: bool  # plain left-to-right text in the main face: nothing to tell a PDF reader
    # Some of it runs right to left, in glyphs that map back to its characters one by one,
    # so PDF readers can put it back in reading order without an ActualText. (Nastaliq's
    # glyphs do not map one to one: a Nastaliq line carries an ActualText.)
    right_to_left: bool = False

    @property
    def width(self) -> float:
        """The line's width at 1 point (multiply by the size in points)."""
        return sum(run.width for run in self.runs)

    @property
    def fonts(self) -> tuple[str, ...]:
        """The registered font names the line uses, in display order, each once."""
        return tuple(dict.fromkeys(run.font for run in self.runs))


def _ttf(name: str) -> TTFont:
    """A registered TrueType font by name; every font the application registers is one."""
    font = pdfmetrics.getFont(name)
    if not isinstance(font, TTFont):
        raise ValueError(f"{name} is not a TrueType font")
    return font


def _has(font: str, ch: str) -> bool:
    return ord(ch) in _ttf(font).face.charToGlyph


def _inherits(ch: str) -> bool:
    """Marks, joiners and spaces belong to the run of the character before them."""
    return ch in _ZERO_WIDTH or ch.isspace() or unicodedata.category(ch) in ("Mn", "Mc", "Me", "Cf")


@lru_cache(maxsize=65536)
def _font_for(ch: str, previous: str | None, style: str) -> str | None:
    """The font that draws ``ch`` in ``style`` after a character drawn in ``previous``; None
    when no bundled font has it."""
    chain = _chains[style]
    if _inherits(ch) and previous is not None and (ch in _ZERO_WIDTH or _has(previous, ch)):
        return previous
    code = ord(ch)
    for name, ranges in chain:
        if any(low <= code <= high for low, high in ranges) and _has(name, ch):
            return name
    for name, _ in chain:
        if _has(name, ch):
            return name
    if ch in _ZERO_WIDTH or unicodedata.category(ch) == "Cf" or ch.isspace():
        return previous or chain[0][0]
    return None


def _levels(text: str) -> list[int]:
    """The bidi embedding level of each character (UAX #9): even left to right, odd right to
    left; the paragraph's direction comes from its first strong character."""
    storage = bidi_algorithm.get_empty_storage()
    base = bidi_algorithm.get_base_level(text, False)
    storage["base_level"] = base
    storage["base_dir"] = ("L", "R")[base]
    bidi_algorithm.get_embedding_levels(text, storage, False, False)
    bidi_algorithm.explicit_embed_and_overrides(storage, False)
    bidi_algorithm.resolve_weak_types(storage, False)
    bidi_algorithm.resolve_neutral_types(storage, False)
    bidi_algorithm.resolve_implicit_levels(storage, False)
    levels = [int(entry["level"]) for entry in storage["chars"]]
    # The algorithm drops explicit formatting characters; they take their neighbour's level.
    if len(levels) != len(text):
        levels = (levels + [base] * len(text))[: len(text)]
    return levels


# Bidirectional classes that can put a character at another level than 0 in a line that
# starts left to right: right-to-left letters, Arabic digits and explicit direction codes.
_BIDI_CLASSES = frozenset(
    ("R", "AL", "AN", "RLE", "RLO", "LRE", "LRO", "PDF", "RLI", "LRI", "FSI", "PDI")
)


def _needs_shaping(text: str) -> bool:
    return any(
        ch in _ZERO_WIDTH or unicodedata.category(ch) in ("Mn", "Mc", "Me", "Cf") for ch in text
    )


@lru_cache(maxsize=16384)
def layout_line(text: str, style: str = SANS) -> LineLayout:
    """Split ``text`` (one line) into font runs, order them for display and shape them.

    ``style`` is ``SANS`` or ``SANS_BOLD``. A character no font has is drawn in the main
    face (as the box :func:`printable` warns of), never dropped. Widths are at 1 point.
    Raises KeyError for an unknown style.
    """
    register_fonts()
    main = _chains[style][0][0]
    fonts: list[str] = []
    previous: str | None = None
    for ch in text:
        font = _font_for(ch, previous, style) or main
        fonts.append(font)
        previous = font
    # Most names have no right-to-left character: they skip the bidirectional algorithm.
    right_to_left = any(unicodedata.bidirectional(ch) in _BIDI_CLASSES for ch in text)
    levels = _levels(text) if right_to_left else [0] * len(text)
    if any(ch in _URDU_LETTERS for ch in text):
        fonts = [
            _urdu_faces[font] if font in _urdu_faces and _has(_urdu_faces[font], ch) else font
            for ch, font in zip(text, fonts, strict=True)
        ]
    if all(font == main for font in fonts) and not any(levels) and not _needs_shaping(text):
        width = pdfmetrics.stringWidth(text, main, 1)
        return LineLayout(text, (_Run(main, text, width),) if text else (), simple=True)

    # Runs of one font and one level, in logical order.
    pieces: list[tuple[str, int, str]] = []
    for ch, font, level in zip(text, fonts, levels, strict=True):
        if pieces and pieces[-1][0] == font and pieces[-1][1] == level:
            pieces[-1] = (font, level, pieces[-1][2] + ch)
        else:
            pieces.append((font, level, ch))
    # Rule L2: from the highest level down to the lowest odd one, reverse every stretch of
    # runs at that level or above.
    order = list(range(len(pieces)))
    highest = max(level for _, level, _ in pieces)
    lowest_odd = min((level for _, level, _ in pieces if level % 2), default=highest + 1)
    for level in range(highest, lowest_odd - 1, -1):
        index = 0
        while index < len(order):
            if pieces[order[index]][1] >= level:
                end = index
                while end < len(order) and pieces[order[end]][1] >= level:
                    end += 1
                order[index:end] = reversed(order[index:end])
                index = end
            else:
                index += 1
    # Shaping may give a glyph a private code in the font's tables: one thread at a time
    # (cards are drawn off the GUI thread while a badge may print on it).
    with _shape_lock:
        runs = tuple(_shape(pieces[i][2], pieces[i][0], pieces[i][1] % 2 == 1) for i in order)
    nastaliq = any(run.font in _urdu_faces.values() for run in runs)
    return LineLayout(
        text, runs, simple=False, right_to_left=lowest_odd <= highest and not nastaliq
    )


def _shape(text: str, font_name: str, right_to_left: bool) -> _Run:
    """Shape one run with HarfBuzz; the glyphs come back in display order."""
    font = _ttf(font_name)
    hb_font = font.hbFont(10)
    buffer = uharfbuzz.Buffer()
    buffer.cluster_level = uharfbuzz.BufferClusterLevel.MONOTONE_CHARACTERS
    buffer.add_str(text)
    buffer.guess_segment_properties()
    buffer.direction = "rtl" if right_to_left else "ltr"
    uharfbuzz.shape(hb_font, buffer, {"kern": True, "liga": True})
    infos = buffer.glyph_infos
    starts = sorted({info.cluster for info in infos})
    cluster_text = {
        start: text[start:end] for start, end in zip(starts, [*starts[1:], len(text)], strict=True)
    }
    face_name = font.face.name.decode("latin-1")
    # Glyph id -> the characters the font maps to it (reportlab fills it; not in the stubs).
    glyph_to_char: dict[int, list[int]] = font.face.glyphToChar  # type: ignore[attr-defined]
    chars = ""
    shape_data: list[ShapeData] = []
    advance = 0.0
    seen_clusters: set[int] = set()
    for info, position in zip(infos, buffer.glyph_positions, strict=True):
        glyph = info.codepoint
        try:
            char = glyph_to_char[glyph][0]
        except (KeyError, IndexError):
            # A glyph no character maps to (a joined form, a conjunct): reportlab gives it a
            # private code so it can be embedded, and the PDF's text map says which
            # characters it stands for.
            add_private = font.hbAddPrivate  # type: ignore[attr-defined]  # set by hbFont()
            char = add_private(hb_font.glyph_to_string(glyph), glyph, position.x_advance)
            if info.cluster not in seen_clusters:
                _private_text.setdefault((face_name, char), cluster_text[info.cluster])
        seen_clusters.add(info.cluster)
        chars += chr(char)
        x_advance = font.pdfScale(position.x_advance)
        advance += x_advance
        shape_data.append(
            ShapeData(
                info.cluster,
                x_advance,
                font.pdfScale(position.y_advance),
                font.pdfScale(position.x_offset),
                font.pdfScale(position.y_offset),
                font.face.charWidths[char],
            )
        )
    # The stubs type shapeData as one ShapeData; reportlab takes one per glyph.
    shaped = ShapedStr(chars, shapeData=shape_data)  # type: ignore[arg-type]
    return _Run(font_name, shaped, advance / 1000)


# The main face's extent, in ems: its tallest letters and deepest descenders.
MAIN_ASCENT = 0.93
MAIN_DESCENT = 0.24


def line_extent(text: str, style: str = SANS) -> tuple[float, float]:
    """How far ``text`` (one line) may reach above and below its baseline, in ems (multiply
    by the size in points), both positive: the main face's letters, or a fallback face's own
    ascent and descent where the line uses one (Arabic reaches further down than Latin)."""
    ascent, descent = MAIN_ASCENT, MAIN_DESCENT
    for run in layout_line(text, style).runs:
        if run.font in (SANS, SANS_BOLD):
            continue
        face = _ttf(run.font).face
        ascent = max(ascent, face.ascent / 1000)
        descent = max(descent, -face.descent / 1000)
    return ascent, descent


def text_width(text: str, style: str, size: float) -> float:
    """The width of ``text`` (one line) in ``style`` at ``size`` points, in points, with
    fallback faces and shaping as it will be drawn."""
    return layout_line(text, style).width * size


def draw_text(
    canvas: Canvas, text: str, style: str, size: float, x: float, y: float, *, align: str = "left"
) -> float:
    """Draw one line of ``text`` with its baseline at ``y``; ``x`` is the line's left edge
    (``align="left"``), centre (``"centre"``) or right edge (``"right"``). Points, canvas
    coordinates. Returns the width drawn, in points. Raises ValueError for another
    ``align``, KeyError for an unknown style."""
    layout = layout_line(text, style)
    width = layout.width * size
    if align == "centre":
        x -= width / 2
    elif align == "right":
        x -= width
    elif align != "left":
        raise ValueError(f"align must be left, centre or right, not {align!r}")
    if not layout.runs:
        return 0.0
    if layout.simple:
        # Plain left-to-right text in the main face, as most names are: the quickest way.
        canvas.setFont(layout.runs[0].font, size)
        canvas.drawString(x, y, layout.runs[0].text)
        return width
    text_object = canvas.beginText(x, y)
    for run in layout.runs:
        text_object.setFont(run.font, size)
        text_object.textOut(run.text)
    if layout.right_to_left:
        # Right-to-left lines go without: PDF readers put glyphs drawn right to left back
        # in reading order themselves, and would reverse the ActualText too.
        canvas.drawText(text_object)
    else:
        # The glyphs are in display order and some have no character of their own: tell
        # PDF readers what the line says, so copying and searching give the name as typed.
        actual = layout.logical.encode("utf-16-be", "surrogatepass").hex().upper()
        canvas.addLiteral(f"/Span <</ActualText <FEFF{actual}>>> BDC")
        canvas.drawText(text_object)
        canvas.addLiteral("EMC")
    return width


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """The map from a font subset's codes back to Unicode, which text search and copying
    from the PDF rely on.

    reportlab writes each character as four hex digits, which garbles anything beyond the
    Basic Multilingual Plane (the emoji some names contain); the PDF standard wants such a
    character as its UTF-16 surrogate pair, as written here. A shaped glyph with a private
    code maps to the characters it was shaped from. The parameters are named as reportlab's
    own, which this replaces.
    """
    face_name = fontname.partition("+")[2]
    entries = [
        f"<{code:02X}> <{_private_text.get((face_name, char), chr(char)).encode('utf-16-be', 'surrogatepass').hex().upper()}>"
        for code, char in enumerate(subset)
    ]
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo",
            f"<< /Registry ({fontname})",
            f"/Ordering ({fontname})",
            "/Supplement 0",
            ">> def",
            f"/CMapName /{fontname} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(subset) - 1:02X}>",
            "endcodespacerange",
            f"{len(subset)} beginbfchar",
            *entries,
            "endbfchar",
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )
