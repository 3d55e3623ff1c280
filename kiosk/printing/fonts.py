"""The Unicode fonts every printed document uses, registered with reportlab once.

PDF's fourteen built-in fonts only know Latin-1, so a name like Łukasz Wiśniewski or Nguyễn
Thị Minh Khai would print with holes in it. DejaVu Sans (shipped in ``resources/fonts/``)
covers Latin, Greek, Cyrillic, Vietnamese and more; reportlab embeds only the glyphs a
document uses, so the PDFs stay small.
"""

from __future__ import annotations

import threading

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from kiosk.resources import resource_path

SANS = "KioskSans"
SANS_BOLD = "KioskSans-Bold"

_FILES = {SANS: "DejaVuSans.ttf", SANS_BOLD: "DejaVuSans-Bold.ttf"}
_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    """Make ``SANS`` and ``SANS_BOLD`` available to reportlab; safe to call any number of
    times, from any thread (printing runs off the GUI thread). Raises FileNotFoundError
    when a font file is missing from ``resources/fonts/`` (a broken build, not a user
    error)."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        # reportlab garbles characters beyond U+FFFF (emoji) in the text map; see below.
        ttfonts.makeToUnicodeCMap = _to_unicode_cmap
        for name, filename in _FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(resource_path("fonts", filename))))
        # Lets Paragraph markup such as <b> pick the bold face of the family.
        addMapping(SANS, 0, 0, SANS)
        addMapping(SANS, 1, 0, SANS_BOLD)
        addMapping(SANS, 0, 1, SANS)
        addMapping(SANS, 1, 1, SANS_BOLD)
        _registered = True


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """The map from a font subset's codes back to Unicode, which text search and copying
    from the PDF rely on.

    reportlab writes each character as four hex digits, which garbles anything beyond the
    Basic Multilingual Plane (the emoji some names contain); the PDF standard wants such a
    character as its UTF-16 surrogate pair, as written here. The parameters are named as
    reportlab's own, which this replaces.
    """
    entries = [
        f"<{code:02X}> <{chr(char).encode('utf-16-be', 'surrogatepass').hex().upper()}>"
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


def missing_glyphs(text: str, font_name: str = SANS) -> set[str]:
    """Characters of ``text`` the font cannot draw (they would print as an empty box);
    whitespace is never reported. Raises ValueError when ``font_name`` is registered but
    not a TrueType font, and KeyError when it is not registered."""
    register_fonts()
    font = pdfmetrics.getFont(font_name)
    # Only TrueType fonts carry a glyph map; every font the application registers is one.
    if not isinstance(font, TTFont):
        raise ValueError(f"{font_name} is not a TrueType font")
    char_to_glyph = font.face.charToGlyph
    return {ch for ch in text if not ch.isspace() and ord(ch) not in char_to_glyph}
