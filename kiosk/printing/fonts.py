"""The Unicode fonts every printed document uses, registered with reportlab once.

PDF's fourteen built-in fonts only know Latin-1, so a name like Łukasz Wiśniewski or Nguyễn
Thị Minh Khai would print with holes in it. DejaVu Sans (shipped in ``resources/fonts/``)
covers Latin, Greek, Cyrillic, Vietnamese and more; reportlab embeds only the glyphs a
document uses, so the PDFs stay small.
"""

from __future__ import annotations

import threading

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from kiosk.resources import resource_path

SANS = "KioskSans"
SANS_BOLD = "KioskSans-Bold"

_FILES = {SANS: "DejaVuSans.ttf", SANS_BOLD: "DejaVuSans-Bold.ttf"}
_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    """Make ``SANS`` and ``SANS_BOLD`` available to reportlab; safe to call any number of
    times, from any thread (printing runs off the GUI thread)."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        for name, filename in _FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(resource_path("fonts", filename))))
        # Lets Paragraph markup such as <b> pick the bold face of the family.
        addMapping(SANS, 0, 0, SANS)
        addMapping(SANS, 1, 0, SANS_BOLD)
        addMapping(SANS, 0, 1, SANS)
        addMapping(SANS, 1, 1, SANS_BOLD)
        _registered = True


def missing_glyphs(text: str, font_name: str = SANS) -> set[str]:
    """Characters of ``text`` the font cannot draw (they would print as an empty box)."""
    register_fonts()
    char_to_glyph = pdfmetrics.getFont(font_name).face.charToGlyph
    return {ch for ch in text if not ch.isspace() and ord(ch) not in char_to_glyph}
