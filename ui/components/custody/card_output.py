"""Getting pupils' cards onto paper or into a file, from any desk component.

Printing is one click to the A4 printer chosen in Settings (:mod:`ui.components.output`).
When that fails the receptionist is offered to save the PDF instead, so a card is never
lost to a printer problem.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtWidgets import QWidget

from kiosk.context import KioskContext
from kiosk.errors import KioskError
from kiosk.printing.fonts import printable, unprintable_message
from kiosk.rows.people import PupilRow
from ui.ask import Asker
from ui.components.output import PDF_FILTER, Report, print_document

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
    ctx: KioskContext,
    asker: Asker,
    parent: QWidget | None,
    pupils: Sequence[PupilRow],
    report: Report | None = None,
) -> bool:
    """One click: the cards to the A4 printer chosen in Settings; True only when the
    printer accepted them. A printer problem offers the PDF instead (see
    :func:`ui.components.output.print_document`); ``report`` is told what happened."""
    refusal = unprintable_names(pupils)
    if refusal:
        asker.error(parent, "Cards not printed", refusal)
        return False
    with tempfile.TemporaryDirectory(prefix="kiosk-cards-") as folder:
        pdf = Path(folder) / "cards.pdf"
        try:
            count = write_cards(ctx, pupils, pdf)
        except KioskError as error:
            asker.error(parent, "Cards not printed", error.message)
            return False
        printed = print_document(
            ctx,
            asker,
            parent,
            pdf.read_bytes(),
            title=suggested_name(pupils)[:-4],
            suggested=suggested_name(pupils),
            report=report,
        )
    if printed and report is not None:
        report(f"{count} card{'s' if count != 1 else ''} sent to the printer.")
    return printed
