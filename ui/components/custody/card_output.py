"""Getting pupils' cards onto paper or into a file, from any desk component.

Printing goes to the A4 printer chosen in Settings. When that fails the receptionist is
offered to save the PDF instead, so a card is never lost to a printer problem.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtWidgets import QWidget

from kiosk.context import KioskContext
from kiosk.errors import KioskError
from kiosk.printing.fonts import printable, unprintable_message
from kiosk.rows.people import PupilRow
from kiosk.services.school import get_school
from ui.ask import Asker
from ui.printing import PrintError, print_pdf

PDF_FILTER = "PDF files (*.pdf)"
Progress = Callable[[int, int], None]


def write_cards(
    ctx: KioskContext, pupils: Sequence[PupilRow], out: Path, progress: Progress | None = None
) -> int:
    """The pupils' current cards as an A4 PDF at ``out``; returns the number of cards."""
    from kiosk.services.pupils import write_cards_pdf

    try:
        return write_cards_pdf(ctx, pupils, out, progress=progress)
    except OSError as error:
        raise KioskError(
            f"The cards could not be saved to {out}: {error.strerror or error}. "
            "Choose another folder."
        ) from error


def unprintable_names(pupils: Sequence[PupilRow]) -> str:
    """A plain message naming the pupils whose names have characters the printer's fonts
    cannot show (they would print as empty boxes), or "" when every name prints."""
    problems = [(pupil.name, printable(pupil.name)) for pupil in pupils]
    problems = [(name, missing) for name, missing in problems if missing]
    if not problems:
        return ""
    if len(problems) == 1:
        name, missing = problems[0]
        return unprintable_message(missing, f"No cards printed. The name {name}")
    shown = "; ".join(f"{name} ({' '.join(missing)})" for name, missing in problems[:5])
    more = f", and {len(problems) - 5} more" if len(problems) > 5 else ""
    return (
        f"No cards printed. {len(problems)} names have characters the printer's fonts cannot "
        f"show: {shown}{more}. Type them in Latin letters or ask the office."
    )


def suggested_name(pupils: Sequence[PupilRow], label: str = "") -> str:
    if len(pupils) == 1:
        stem = f"card {pupils[0].name}"
    else:
        stem = f"cards {label}".strip() if label else "cards"
    # Keep letters of any alphabet; drop what a file system might refuse.
    safe = re.sub(r"[^\w\- ]+", "", stem, flags=re.UNICODE).strip() or "cards"
    return re.sub(r"\s+", "-", safe) + ".pdf"


def save_pdf_copy(asker: Asker, parent: QWidget | None, source: Path, suggested: str) -> bool:
    """Ask where to save, copy the finished PDF there; False when cancelled or it failed."""
    target = asker.save_path(parent, "Save the PDF", suggested, PDF_FILTER)
    if not target:
        return False
    try:
        shutil.copyfile(source, target)
    except OSError as error:
        asker.error(
            parent,
            "Not saved",
            f"The PDF could not be saved to {target}: {error.strerror or error}. "
            "Try another folder.",
        )
        return False
    asker.info(parent, "Saved", f"The PDF was saved to {target}.")
    return True


def offer_save_after_print_failure(
    asker: Asker, parent: QWidget | None, message: str, pdf: Path, suggested: str
) -> bool:
    if asker.confirm(parent, "Printing did not work", f"{message}\n\nSave the PDF instead?"):
        return save_pdf_copy(asker, parent, pdf, suggested)
    return False


def save_cards(
    ctx: KioskContext, asker: Asker, parent: QWidget | None, pupils: Sequence[PupilRow]
) -> bool:
    """Ask for a file name and save the cards there (for one card or a few)."""
    refusal = unprintable_names(pupils)
    if refusal:
        asker.error(parent, "Cards not saved", refusal)
        return False
    target = asker.save_path(parent, "Save cards as PDF", suggested_name(pupils), PDF_FILTER)
    if not target:
        return False
    try:
        count = write_cards(ctx, pupils, Path(target))
    except KioskError as error:
        asker.error(parent, "Cards not saved", error.message)
        return False
    asker.info(parent, "Cards saved", f"{count} card{'s' if count != 1 else ''} saved to {target}.")
    return True


def print_cards(
    ctx: KioskContext, asker: Asker, parent: QWidget | None, pupils: Sequence[PupilRow]
) -> bool:
    """Print the cards on the A4 printer; on failure offer to save the PDF instead."""
    refusal = unprintable_names(pupils)
    if refusal:
        asker.error(parent, "Cards not printed", refusal)
        return False
    with tempfile.TemporaryDirectory(prefix="kiosk-cards-") as folder:
        pdf = Path(folder) / "cards.pdf"
        try:
            write_cards(ctx, pupils, pdf)
            print_pdf(pdf, get_school(ctx).printer_a4, title=suggested_name(pupils)[:-4])
        except PrintError as error:
            return offer_save_after_print_failure(
                asker, parent, error.message, pdf, suggested_name(pupils)
            )
        except KioskError as error:
            asker.error(parent, "Cards not printed", error.message)
            return False
    asker.info(
        parent,
        "Sent to the printer",
        f"{len(pupils)} card{'s' if len(pupils) != 1 else ''} sent to the printer.",
    )
    return True
