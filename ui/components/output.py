"""Every document the desk prints, saves as a PDF or exports as CSV goes through here.

Printing is one click: the PDF goes straight to the printer chosen in Settings (the A4
printer for documents and cards, the badge printer for badges), with no dialog on the way.
"Save as PDF…" is a separate button that asks only where to save. A printer that is not
chosen, not found or refuses the job gives one plain message that offers to save the PDF
instead — and :func:`print_document` answers ``True`` only when the printer accepted the
job, so callers record a print (a slip in a pigeonhole, a badge) only when one was made.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from enum import Enum
from pathlib import Path

from PySide6.QtWidgets import QWidget

from kiosk.context import KioskContext
from kiosk.errors import KioskError
from kiosk.faults import plain_fault
from kiosk.services.school import get_school
from kiosk.services.visitors import visitor_settings
from ui.ask import Asker
from ui.printing import PrintError, Progress, print_pdf

PDF_FILTER = "PDF files (*.pdf)"
CSV_FILTER = "CSV files (*.csv)"

Report = Callable[[str], None]


class Printer(Enum):
    """Which of the two printers chosen in Settings a document goes to."""

    A4 = "a4"
    BADGE = "badge"


NOT_CHOSEN = {
    Printer.A4: "No A4 printer is chosen yet. Choose one in Settings (Printers).",
    Printer.BADGE: "No badge printer is chosen yet. Choose one in Settings (Printers).",
}


def chosen_printer(ctx: KioskContext, printer: Printer) -> str:
    """The system name of the printer chosen in Settings for ``printer``; "" when none is
    chosen. Reads the school's settings (A4) or the visitor settings (badges)."""
    if printer is Printer.BADGE:
        return visitor_settings(ctx).badge_printer
    return get_school(ctx).printer_a4


def send_to_printer(
    ctx: KioskContext,
    pdf: bytes | Path,
    *,
    title: str,
    printer: Printer = Printer.A4,
    progress: Progress | None = None,
) -> str:
    """Send a PDF (bytes or a file) to the printer chosen in Settings, without a dialog;
    returns the printer's name once it has accepted every page.

    Raises :class:`PrintError` with a plain message when no printer is chosen, the chosen one
    is not on this computer or it refuses the job. Safe off the GUI thread.
    """
    name = chosen_printer(ctx, printer).strip()
    if not name:
        raise PrintError(NOT_CHOSEN[printer])
    print_pdf(pdf, name, title=title, progress=progress)
    return name


def file_name(title: str, day: date | None = None, suffix: str = ".pdf") -> str:
    """A file name for a document: its title in words joined by hyphens (letters of any
    alphabet kept, characters a file system may refuse dropped), then the date if given,
    e.g. ``End-of-day-list-2026-11-24.pdf``."""
    safe = re.sub(r"[^\w\- ]+", "", title, flags=re.UNICODE).strip() or "document"
    stem = re.sub(r"\s+", "-", safe)
    return f"{stem}-{day.isoformat()}{suffix}" if day is not None else f"{stem}{suffix}"


def print_document(
    ctx: KioskContext,
    asker: Asker,
    parent: QWidget | None,
    pdf: bytes,
    *,
    title: str,
    printer: Printer = Printer.A4,
    suggested: str | None = None,
    report: Report | None = None,
) -> bool:
    """One click: print ``pdf`` on the printer chosen in Settings; True only when the printer
    accepted the job.

    On success ``report`` (or, without one, nothing: the click was the whole task) is told
    "TITLE sent to PRINTER.". When printing is not possible the person at the desk sees one
    plain message offering to save the PDF instead; saving it still returns False, because
    nothing was printed. A busy database while reading the settings is told plainly too.
    """
    try:
        name = send_to_printer(ctx, pdf, title=title, printer=printer)
    except PrintError as error:
        if asker.confirm(parent, "Not printed", f"{error.message}\n\nSave it as a PDF instead?"):
            save_pdf(asker, parent, pdf, suggested or file_name(title), report=report)
        return False
    except Exception as error:
        fault = plain_fault(error)
        if fault is None:
            raise
        asker.error(parent, "Not printed", fault.message)
        return False
    if report is not None:
        report(f"{title} sent to {name}.")
    return True


def save_pdf(
    asker: Asker,
    parent: QWidget | None,
    pdf: bytes | Path,
    suggested: str,
    *,
    report: Report | None = None,
) -> Path | None:
    """ "Save as PDF…": ask where, write the PDF there; the path, or None when cancelled or
    the file could not be written (said plainly). ``report`` (else an information box) is
    told where it went. Never records a print."""
    target = asker.save_path(parent, "Save as PDF", suggested, PDF_FILTER)
    if not target:
        return None
    path = Path(target)
    if path.suffix.lower() != ".pdf":
        path = path.with_name(path.name + ".pdf")
    try:
        path.write_bytes(pdf.read_bytes() if isinstance(pdf, Path) else pdf)
    except OSError as error:
        asker.error(
            parent,
            "Not saved",
            f"The PDF could not be saved to {path}: {error.strerror or error}. Try another folder.",
        )
        return None
    _tell(asker, parent, report, "Saved", f"The PDF was saved to {path}.")
    return path


def export_csv(
    asker: Asker,
    parent: QWidget | None,
    suggested: str,
    write: Callable[[Path], int],
    *,
    what: str = "rows",
    report: Report | None = None,
) -> int | None:
    """ "Export CSV…": ask where, then ``write(path)`` (which returns the row count); the
    count, or None when cancelled or the file could not be written (said plainly)."""
    target = asker.save_path(parent, "Export CSV", suggested, CSV_FILTER)
    if not target:
        return None
    path = Path(target)
    if path.suffix.lower() != ".csv":
        path = path.with_name(path.name + ".csv")
    try:
        count = write(path)
    except KioskError as error:
        asker.error(parent, "Not exported", error.message)
        return None
    except OSError as error:
        asker.error(
            parent,
            "Not exported",
            f"The file could not be written to {path}: {error.strerror or error}. "
            "Try another folder.",
        )
        return None
    _tell(asker, parent, report, "Exported", f"{count} {what} written to {path}.")
    return count


def _tell(
    asker: Asker, parent: QWidget | None, report: Report | None, title: str, text: str
) -> None:
    if report is not None:
        report(text)
    else:
        asker.info(parent, title, text)
