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
from kiosk.exports.lists import write_list_csv
from kiosk.faults import plain_fault
from kiosk.printing.lists import list_pdf_bytes
from kiosk.rows.lists import ListTable
from kiosk.services.school import get_school
from kiosk.services.visitors import visitor_settings
from ui.ask import Asker
from ui.printing import PrintError, Progress, print_pdf
from ui.widgets.output_buttons import OutputButtons

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
        offer_pdf_instead(asker, parent, error.message, pdf, suggested or file_name(title), report)
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


def offer_pdf_instead(
    asker: Asker,
    parent: QWidget | None,
    message: str,
    pdf: bytes | Path,
    suggested: str,
    report: Report | None = None,
) -> Path | None:
    """After a printer problem: one plain message (``message``) asking whether to save the
    PDF instead; the saved path, or None when declined or not saved. Records no print."""
    if asker.confirm(parent, "Not printed", f"{message}\n\nSave it as a PDF instead?"):
        return save_pdf(asker, parent, pdf, suggested, report=report)
    return None


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


class ListOutput:
    """Connects a list's :class:`OutputButtons` to its table: Print (one click, A4 printer),
    Save as PDF… and Export CSV…, each told in the panel's status line via ``report``.

    ``table()`` is called at the click, so the paper and the file show the list as it is
    on screen then; a failure to read it (a busy database) is said plainly.
    """

    def __init__(
        self,
        ctx: KioskContext,
        asker: Asker,
        parent: QWidget,
        buttons: OutputButtons,
        table: Callable[[], ListTable],
        report: Report,
    ) -> None:
        self._ctx, self._asker, self._parent = ctx, asker, parent
        self._table, self._report = table, report
        self.buttons = buttons
        buttons.sig_print.connect(self.print_list)
        buttons.sig_save_pdf.connect(self.save_list_pdf)
        buttons.sig_export_csv.connect(self.export_list_csv)

    def show_printer(self) -> None:
        """Put the chosen A4 printer's name on the Print button's tooltip; never raises."""
        try:
            self.buttons.set_printer(chosen_printer(self._ctx, Printer.A4))
        except Exception as error:
            if plain_fault(error) is None and not isinstance(error, KioskError):
                raise

    def print_list(self) -> bool:
        """Print the list now on the A4 printer; True only when the printer accepted it."""
        made = self._pdf("Not printed")
        if made is None:
            return False
        table, pdf = made
        return print_document(
            self._ctx,
            self._asker,
            self._parent,
            pdf,
            title=table.title,
            suggested=self._name(table, ".pdf"),
            report=self._report,
        )

    def save_list_pdf(self) -> Path | None:
        """Ask where, and save the list as a PDF there; the path, or None."""
        made = self._pdf("Not saved")
        if made is None:
            return None
        table, pdf = made
        return save_pdf(
            self._asker, self._parent, pdf, self._name(table, ".pdf"), report=self._report
        )

    def export_list_csv(self) -> int | None:
        """Ask where, and write the list as CSV there; the row count, or None."""
        table = self._read("Not exported")
        if table is None:
            return None
        return export_csv(
            self._asker,
            self._parent,
            self._name(table, ".csv"),
            lambda path: write_list_csv(table, path),
            report=self._report,
        )

    def _read(self, title: str) -> ListTable | None:
        try:
            return self._table()
        except KioskError as error:
            self._asker.error(self._parent, title, error.message)
        except Exception as error:
            fault = plain_fault(error)
            if fault is None:
                raise
            self._asker.error(self._parent, title, fault.message)
        return None

    def _pdf(self, title: str) -> tuple[ListTable, bytes] | None:
        table = self._read(title)
        if table is None:
            return None
        try:
            school_name = get_school(self._ctx).name
        except Exception as error:
            fault = plain_fault(error)
            if fault is None:
                raise
            self._asker.error(self._parent, title, fault.message)
            return None
        pdf = list_pdf_bytes(
            table,
            school_name=school_name,
            printed_at=self._ctx.clock(),
            timezone=self._ctx.timezone,
        )
        return table, pdf

    def _name(self, table: ListTable, suffix: str) -> str:
        today = self._ctx.clock().astimezone(self._ctx.timezone).date()
        return file_name(table.title, today, suffix)
