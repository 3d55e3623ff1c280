"""Names in every script families write, on cards and badges: each drawn in a bundled face that
has it (embedded in the PDF), shaped (Arabic joined, Indic conjuncts formed), right to left
where the script is, and read back from the PDF as typed; a name no bundled face can show is
refused with a plain message naming the characters. Long names on the 62 mm badge stay the
largest text, broken only at spaces and hyphens."""

from __future__ import annotations

import subprocess
import unicodedata
from collections import Counter
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
import zxingcpp

from kiosk.cli import main
from kiosk.context import KioskContext
from kiosk.errors import InvalidInput
from kiosk.printing.badges import BadgeContent, badge_pdf_bytes
from kiosk.printing.cards import NAME_MIN_SIZE, cards_pdf_bytes
from kiosk.printing.fonts import SANS_BOLD, layout_line, printable
from kiosk.printing.parent_notice import parent_notice_pdf
from kiosk.printing.roll_call import roll_call_pdf_bytes
from kiosk.rows.people import PupilRow
from kiosk.services import confiscations, visitors
from kiosk.services.pupils import card_payload, write_cards_pdf
from tests.factories import make_pupil, make_teacher, make_visit

SCAN_DPI = 150
# (forename, surname, the face that must be embedded for it)
SCRIPTS = {
    "Latin": ("Zoë", "Clarke", "DejaVuSans-Bold"),
    "Vietnamese": ("Phạm Thị", "Hoa", "DejaVuSans-Bold"),
    "Arabic": ("محمد", "علي", "NotoNaskhArabic-Bold"),
    "Urdu": ("عائشہ", "خان", "NotoNastaliqUrdu-Bold"),
    "Bengali": ("রহিম", "উদ্দিন", "NotoSansBengali-Bold"),
    "Gujarati": ("ગીતા", "પટેલ", "NotoSansGujarati-Bold"),
    "Gurmukhi": ("ਹਰਪ੍ਰੀਤ", "ਕੌਰ", "NotoSansGurmukhi-Bold"),
    "Tamil": ("தமிழ்செல்வி", "முருகன்", "NotoSansTamil-Bold"),
    "Chinese": ("王", "小明", "DroidSansFallback"),
    "Greek": ("Γιώργος", "Παπαδόπουλος", "DejaVuSans-Bold"),
    "Cyrillic": ("Дмитрий", "Иванов", "DejaVuSans-Bold"),
    "Hebrew": ("דוד", "כהן", "NotoSansHebrew-Bold"),
    "Devanagari": ("अनन्या", "शर्मा", "NotoSansDevanagari-Bold"),
}
ARRIVED = datetime(2026, 3, 4, 9, 5, tzinfo=ZoneInfo("Europe/London"))


def reads_back(name: str, text: str) -> bool:
    """Whether ``text``, extracted from a PDF, gives ``name`` back. Urdu is drawn in
    Nastaliq, whose glyphs are not one per letter: the PDF says which letters the line has,
    and each reader orders right-to-left text its own way, so only the letters are compared."""
    if any(ch in "ہےںھٹڈڑ" for ch in name):
        return not Counter(name.replace(" ", "")) - Counter(text.replace(" ", ""))
    return name in text


def pupil(forename: str, surname: str) -> PupilRow:
    return PupilRow(1, "A999999999991", forename, surname, "8", "8K", 1, "on_roll")


def badge(name: str, organisation: str = "Parent of a pupil in Year 8") -> BadgeContent:
    return BadgeContent(
        name=name,
        organisation=organisation,
        host_name="Mrs Okafor",
        category_label="Parent / carer",
        category_colour="#1565c0",
        escorted=False,
        signed_in_at=ARRIVED,
        code="V1TESTCODE0001ABCDEFGH",
        school_name="Hillside Academy",
    )


def pdftotext(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    out = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    # Direction marks a reader adds around right-to-left text are not part of the name;
    # joined Arabic letters come back as their presentation forms, which NFKC folds.
    out = unicodedata.normalize("NFKC", out.replace("\u202b", "").replace("\u202c", ""))
    # A name wrapped over two lines reads as one line with a space.
    return " ".join(out.split())


def pdffonts(data: bytes, tmp_path: Path) -> set[str]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    lines = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    # "ABCDEF+NotoNaskhArabic-Bold  TrueType  ...  emb sub uni ..."; reportlab lists its
    # starting font, Helvetica, which draws nothing.
    fonts = set()
    for line in lines:
        fields = line.split()
        if fields[0] == "Helvetica":
            continue
        assert fields[-5:-2] == ["yes", "yes", "yes"], f"not embedded as a subset: {line}"
        fonts.add(fields[0].split("+")[-1])
    return fonts


def qr_texts(data: bytes) -> list[str]:
    texts = []
    for page in pdfium.PdfDocument(data):
        image = page.render(scale=SCAN_DPI / 72).to_pil()
        texts += [
            code.text
            for code in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
        ]
    return texts


def chars_with_boxes(data: bytes) -> list[tuple[str, float, float]]:
    """Each character pdfium finds on the first page: (character, left x, font size)."""
    page = pdfium.PdfDocument(data)[0]
    textpage = page.get_textpage()
    found = []
    for index in range(textpage.count_chars()):
        char = textpage.get_text_range(index, 1)
        left, _, _, _ = textpage.get_charbox(index)
        size = pdfium_c.FPDFText_GetFontSize(textpage.raw, index)
        found.append((char, left, size))
    return found


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_card_in_each_script_embeds_its_face_reads_back_and_scans(script, tmp_path) -> None:
    forename, surname, face = SCRIPTS[script]
    data = cards_pdf_bytes("Hillside Academy", [(pupil(forename, surname), "P1TESTCARD")])

    assert face in pdffonts(data, tmp_path)
    text = pdftotext(data, tmp_path)
    assert reads_back(f"{forename} {surname}", text), text
    assert "Form 8K · Year 8" in text
    assert qr_texts(data) == ["P1TESTCARD"]


@pytest.mark.parametrize("size", ["a6", "label62"])
@pytest.mark.parametrize("script", SCRIPTS)
def test_a_badge_in_each_script_embeds_its_face_reads_back_and_scans(
    script, size, tmp_path
) -> None:
    forename, surname, face = SCRIPTS[script]
    data = badge_pdf_bytes(badge(f"{forename} {surname}"), size)

    assert face in pdffonts(data, tmp_path)
    assert reads_back(f"{forename} {surname}", pdftotext(data, tmp_path))
    assert qr_texts(data) == ["V1TESTCODE0001ABCDEFGH"]


def test_hebrew_is_drawn_right_to_left(tmp_path) -> None:
    data = cards_pdf_bytes("Hillside Academy", [(pupil("דוד", "כהן"), "P1TESTCARD")])

    x = {char: left for char, left, _ in chars_with_boxes(data) if char in "וכהן"}
    # The first word reads from the right: its letters lie right of the second word's, and
    # within "כהן" the first letter is the rightmost.
    assert x["ו"] > x["כ"] > x["ה"] > x["ן"]


def test_arabic_letters_are_joined_and_the_name_reads_right_to_left(tmp_path) -> None:
    data = badge_pdf_bytes(badge("محمد علي"), "label62")

    # Joined letters are drawn with their initial, medial and final forms: other glyphs than
    # the letters typed (which the font maps to their isolated forms).
    (run,) = layout_line("محمد علي", SANS_BOLD).runs
    typed_glyphs = set("محمد علي")
    assert sum(1 for glyph in run.text if glyph not in typed_glyphs) >= 6
    x = {unicodedata.normalize("NFKC", c): left for c, left, _ in chars_with_boxes(data)}
    assert x["ح"] > x["ع"]  # محمد (first) right of علي (second)


@pytest.mark.parametrize(
    ("text", "conjunct"),
    [("अनन्या", "न्य"), ("শর্মা", "র্ম"), ("ਹਰਪ੍ਰੀਤ", "ਪ੍ਰ"), ("রহিম উদ্দিন", "দ্দ")],
)
def test_indic_conjuncts_are_formed(text, conjunct) -> None:
    (run,) = layout_line(text, SANS_BOLD).runs
    # A conjunct is drawn as fewer glyphs than it has characters.
    assert len(run.text) < len(text)
    assert conjunct in text


def test_a_mixed_line_puts_right_to_left_words_in_reading_order() -> None:
    runs = layout_line("Ali محمد 12 علي", SANS_BOLD).runs
    fonts = [run.font for run in runs]
    assert fonts[0] == SANS_BOLD  # "Ali " stays on the left
    shown = [unicodedata.normalize("NFKC", run.text).strip() for run in runs[1:]]
    assert [piece for piece in shown if piece] == [
        "يلع",
        "12",
        "دمحم",
    ]


@pytest.mark.parametrize(
    ("text", "missing"),
    [("𓀀 Amun", ["𓀀"]), ("Ann 🙂 Lee", ["🙂"]), ("ꦱꦸꦏꦂꦤꦺ ꦱ", ["ꦱ", "ꦸ", "ꦏ", "ꦂ", "ꦤ", "ꦺ"])],
)
def test_printable_names_the_characters_no_bundled_font_has(text, missing) -> None:
    assert printable(text) == missing


@pytest.mark.parametrize("script", SCRIPTS)
def test_every_script_is_printable(script) -> None:
    forename, surname, _ = SCRIPTS[script]
    assert printable(f"{forename} {surname}") == []


def test_a_card_with_a_name_no_font_has_is_refused_naming_it() -> None:
    cards = [(pupil("Ann", "Lee"), "P1A"), (pupil("Amun", "𓀀𓀁"), "P1B")]

    with pytest.raises(InvalidInput) as refused:
        cards_pdf_bytes("Hillside Academy", cards)

    assert refused.value.message == (
        "No cards printed. The name Amun 𓀀𓀁 has characters the printer's fonts cannot show: "
        "𓀀 𓀁 — type it in Latin letters or ask the office."
    )


def test_a_badge_with_a_name_no_font_has_is_refused_naming_it() -> None:
    with pytest.raises(InvalidInput) as refused:
        badge_pdf_bytes(badge("Ann 🙂 Lee"), "label62")

    assert refused.value.message == (
        "No badge printed. The name has characters the printer's fonts cannot show: 🙂 — "
        "type it in Latin letters or ask the office."
    )


def test_cards_for_pupils_in_every_script_print_from_storage(
    any_ctx: KioskContext, tmp_path: Path
) -> None:
    stored = [
        make_pupil(any_ctx, forename=forename, surname=surname, year_group="8", form="8K")
        for forename, surname, _ in SCRIPTS.values()
    ]
    out = tmp_path / "cards.pdf"

    assert write_cards_pdf(any_ctx, stored, out) == len(SCRIPTS)

    data = out.read_bytes()
    text = pdftotext(data, tmp_path)
    for forename, surname, _ in SCRIPTS.values():
        assert reads_back(f"{forename} {surname}", text)
    faces = pdffonts(data, tmp_path)
    assert {face for _, _, face in SCRIPTS.values()} <= faces
    assert sorted(qr_texts(data)) == sorted(card_payload(any_ctx, p) for p in stored)


def test_cli_cards_refuses_a_name_no_font_has_and_writes_nothing(
    ctx: KioskContext, db_url: str, tmp_path: Path, capsys
) -> None:
    make_pupil(ctx, forename="Zoë", surname="Clarke", form="9B")
    make_pupil(ctx, forename="Amun", surname="𓀀", form="9B")
    out = tmp_path / "cards.pdf"

    assert main(["--db", db_url, "cards", "--out", str(out)]) == 1

    captured = capsys.readouterr()
    assert captured.err.strip() == (
        "No cards printed. The name Amun 𓀀 has characters the printer's fonts cannot show: "
        "𓀀 — type it in Latin letters or ask the office."
    )
    assert not out.exists()


# --- item 10: long names on the 62 mm badge and on cards -----------------------------------

LONG_NAMES = [
    "Maximilian Alexander Fotheringham-Worthington",
    "Anna-Maria Josephine Bernadette Fitzwilliam-Montgomery",
    "Thomas Bellingham-Rowe",  # from the MIS import cases
    "Oluwaseun Adebayo-Ogunleye",
]


def printed_lines(data: bytes) -> list[tuple[str, float]]:
    """The first page's lines of text as drawn, top down: (text, type size in points)."""
    textpage = pdfium.PdfDocument(data)[0].get_textpage()
    lines: list[tuple[str, float]] = []
    previous: tuple[float, float] | None = None  # bottom and size of the last character
    for index in range(textpage.count_chars()):
        # pdfium reports a hyphen that ends a line as U+FFFE.
        char = textpage.get_text_range(index, 1).replace("\ufffe", "-")
        if char in "\r\n":
            continue
        size = round(pdfium_c.FPDFText_GetFontSize(textpage.raw, index), 2)
        _, bottom, _, _ = textpage.get_charbox(index)
        if char.isspace():
            if lines:
                lines[-1] = (lines[-1][0] + " ", lines[-1][1])
            continue
        new_line = previous is None or size != previous[1] or abs(bottom - previous[0]) > size
        if new_line:
            lines.append((char, size))
        else:
            lines[-1] = (lines[-1][0] + char, size)
        previous = (bottom, size)
    return [(text.strip(), size) for text, size in lines]


def name_lines_and_sizes(data: bytes, name: str) -> tuple[list[str], float, float]:
    """The name's lines as printed, the size of its type, and the largest size of the
    details printed under it."""
    lines = printed_lines(data)
    squeezed = name.replace(" ", "")
    for start in range(len(lines)):
        for end in range(start + 1, len(lines) + 1):
            if "".join(text.replace(" ", "") for text, _ in lines[start:end]) == squeezed:
                details = [
                    size
                    for text, size in lines[end:]
                    if text.startswith(("Parent of", "Visiting:", "Wed "))
                ]
                return (
                    [text for text, _ in lines[start:end]],
                    min(size for _, size in lines[start:end]),
                    max(details),
                )
    raise AssertionError(f"{name} is not printed whole: {lines}")


@pytest.mark.parametrize("name", LONG_NAMES)
def test_a_long_name_on_the_62mm_badge_is_the_largest_text_broken_at_spaces_and_hyphens(
    name,
) -> None:
    data = badge_pdf_bytes(badge(name), "label62")

    lines, name_size, detail_size = name_lines_and_sizes(data, name)
    assert detail_size >= 7.5
    assert name_size >= 1.3 * detail_size
    # Each line is whole words, or ends after a hyphen: no word is broken.
    pieces = name.replace("-", "- ").split()
    for line in lines:
        assert any(
            line.replace(" ", "") == "".join(pieces[i:j])
            for i in range(len(pieces))
            for j in range(i + 1, len(pieces) + 1)
        ), (line, lines)


def test_a_long_name_uses_the_labels_free_space() -> None:
    data = badge_pdf_bytes(badge(LONG_NAMES[1]), "label62")
    image = pdfium.PdfDocument(data)[0].render(scale=100 / 72).to_pil().convert("L")
    width, height = image.size
    # Between the school's name (below the category band) and the escort band: rows with
    # nothing printed on them.
    top, bottom = int(height * 0.22), int(height * 0.66)
    blank = sum(
        1
        for y in range(top, bottom)
        if min(image.getpixel((x, y)) for x in range(0, width, 2)) > 200
    )
    assert blank / (bottom - top) < 0.3


def test_the_single_word_that_cannot_fit_is_the_only_break_inside_a_word() -> None:
    name = "Wolfeschlegelsteinhausenbergerdorff Smith"
    data = badge_pdf_bytes(badge(name), "label62")

    lines, name_size, detail_size = name_lines_and_sizes(data, name)
    assert name_size >= 1.3 * detail_size
    # Only the word too wide for the label at the smallest size is broken.
    assert lines[0] in name and len(lines[0]) > 15
    assert lines[-1].endswith(" Smith")


def test_a_long_name_on_a_card_stays_larger_than_the_form(tmp_path) -> None:
    data = cards_pdf_bytes(
        "Hillside Academy",
        [(pupil("Anna-Maria Josephine", "Bernadette Fitzwilliam-Montgomery"), "P1TESTCARD")],
    )
    lines = printed_lines(data)
    name = [(text, size) for text, size in lines if size > 9]
    # Broken only at spaces and after hyphens, and larger than anything else on the card.
    assert [text for text, _ in name] == [
        "Anna-Maria Josephine",
        "Bernadette",
        "Fitzwilliam-",
        "Montgomery",
    ]
    assert min(size for _, size in name) >= NAME_MIN_SIZE
    assert max(size for text, size in lines if (text, size) not in name) == 9.0  # the form


# --- the roll call and the parent notice ---------------------------------------------------


def test_the_roll_call_lists_visitors_named_in_every_script(
    any_ctx: KioskContext, tmp_path: Path
) -> None:
    for forename, surname, _ in SCRIPTS.values():
        make_visit(any_ctx, name=f"{forename} {surname}", organisation="Parent")

    data = roll_call_pdf_bytes(visitors.roll_call(any_ctx), any_ctx.timezone)

    text = pdftotext(data, tmp_path)
    for forename, surname, _ in SCRIPTS.values():
        assert reads_back(f"{forename} {surname}", text)
    # The roll call's names are in the regular weight: the regular faces are embedded.
    assert {"NotoNaskhArabic-Regular", "NotoSansBengali-Regular", "DroidSansFallback"} <= (
        pdffonts(data, tmp_path)
    )


def test_the_parent_notice_names_a_pupil_in_arabic(ctx: KioskContext, manager, tmp_path) -> None:
    pupil_id = make_pupil(ctx, forename="محمد", surname="علي").id
    teacher = make_teacher(ctx, manager, "Mrs Okafor")
    row = confiscations.confiscate(
        ctx,
        manager,
        pupil_id,
        device="Black phone",
        reason="lesson",
        note="",
        confiscated_by=teacher.id,
        location="Safe",
        bag_number="",
    )

    data = parent_notice_pdf("Hillside Academy", row, ctx.timezone)

    assert "NotoNaskhArabic-Regular" in pdffonts(data, tmp_path)
    assert "Dear parent or carer of محمد علي" in pdftotext(data, tmp_path)
