"""Print pupil cards and visitor badges for people named in every script the school's families
write, and render them to PNG for a person to look at.

    .venv/bin/python scripts/every_script.py OUT_DIR [--screenshot docs/screenshots/cards-every-script.png]

Writes ``OUT_DIR/cards.pdf`` (A4 sheets of cards), ``OUT_DIR/badges-a6.pdf`` and
``OUT_DIR/badges-label62.pdf`` (one badge a page), each page also as a PNG at 100 dpi.
``--screenshot`` saves the first sheet of cards as a PNG, for the README. The
names are invented; the QR codes carry a made-up payload, as no database is used.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.printing.badges import BadgeContent, badge_pdf_bytes  # noqa: E402
from kiosk.printing.cards import cards_pdf_bytes  # noqa: E402
from kiosk.rows.people import PupilRow  # noqa: E402

# (forename, surname, script)
NAMES = [
    ("Zoë", "Clarke", "Latin"),
    ("Phạm Thị", "Hoa", "Latin (Vietnamese)"),
    ("محمد", "علي", "Arabic"),
    ("عائشہ", "خان", "Urdu"),
    ("রহিম", "উদ্দিন", "Bengali"),
    ("ગીતા", "પટેલ", "Gujarati"),
    ("ਹਰਪ੍ਰੀਤ", "ਕੌਰ", "Gurmukhi"),
    ("தமிழ்செல்வி", "முருகன்", "Tamil"),
    ("王", "小明", "Chinese"),
    ("Γιώργος", "Παπαδόπουλος", "Greek"),
    ("Дмитрий", "Иванов", "Cyrillic"),
    ("דוד", "כהן", "Hebrew"),
    ("अनन्या", "शर्मा", "Devanagari"),
    ("Maximilian Alexander", "Fotheringham-Worthington", "a long name"),
]
DPI = 100


def pupils() -> list[PupilRow]:
    """A pupil row per name, with made-up UPNs and forms."""
    return [
        PupilRow(
            id=n,
            upn=f"A99999999{n:04d}",
            forename=forename,
            surname=surname,
            year_group="8",
            form="8K",
            card_serial=1,
            status="on_roll",
        )
        for n, (forename, surname, _) in enumerate(NAMES, start=1)
    ]


def badges() -> list[BadgeContent]:
    """A visitor badge per name."""
    arrived = datetime(2026, 3, 4, 9, 5, tzinfo=ZoneInfo("Europe/London"))
    return [
        BadgeContent(
            name=f"{forename} {surname}",
            organisation="Parent of a pupil in Year 8",
            host_name="Mrs Okafor",
            category_label="Parent / carer",
            category_colour="#1565c0",
            escorted=n % 2 == 0,
            signed_in_at=arrived,
            code=f"V1DEMO{n:04d}ABCDEFGHJK",
            school_name="Hillside Academy",
        )
        for n, (forename, surname, _) in enumerate(NAMES, start=1)
    ]


def render(pdf_path: Path) -> list[Path]:
    """Each page of the PDF as a PNG beside it, at 100 dpi."""
    written = []
    for number, page in enumerate(pdfium.PdfDocument(pdf_path), start=1):
        png = pdf_path.with_name(f"{pdf_path.stem}-{number}.png")
        page.render(scale=DPI / 72).to_pil().save(png)
        written.append(png)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--screenshot", type=Path)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    cards = args.out / "cards.pdf"
    cards.write_bytes(
        cards_pdf_bytes("Hillside Academy", [(p, f"P1DEMO{p.id:04d}") for p in pupils()])
    )
    pngs = render(cards)
    for size in ("a6", "label62"):
        document = pdfium.PdfDocument(badge_pdf_bytes(badges()[0], size))
        for badge in badges()[1:]:
            document.import_pages(pdfium.PdfDocument(badge_pdf_bytes(badge, size)))
        path = args.out / f"badges-{size}.pdf"
        document.save(path)
        pngs += render(path)
    if args.screenshot is not None:
        from PIL import Image

        with Image.open(pngs[0]) as sheet:
            sheet.save(args.screenshot, optimize=True)
        print(f"screenshot saved to {args.screenshot}")
    for png in pngs:
        print(png)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
