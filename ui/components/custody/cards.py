"""Printing pupils' QR cards: choose a year or form, then save a PDF or print.

A whole school's cards (2,000 or so) take a while to draw and longer to print, so the work
runs on a worker thread and reports back by signal; the desk stays usable and a progress bar
shows how far it has got. A print failure keeps the PDF so it can be saved instead.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.changes import Topic
from kiosk.context import KioskContext
from kiosk.errors import KioskError
from kiosk.rows.people import PupilRow
from kiosk.rows.years import year_label, year_sort_key
from kiosk.services import pupils
from kiosk.services.school import get_school
from ui.ask import Asker
from ui.components.common import ActorSource
from ui.components.custody.card_output import (
    suggested_name,
    unprintable_names,
    write_cards,
)
from ui.components.desk.panel import DeskPanel
from ui.components.output import PDF_FILTER, offer_pdf_instead, send_to_printer
from ui.printing import PrintError
from ui.widgets.labels import plain_label
from ui.widgets.styling import card_frame, card_layout

ALL_YEARS = "All years"
ALL_FORMS = "All forms"
CARDS_PER_SHEET = 10


class _Cancelled(Exception):
    """Raised from a progress callback to stop the job between pages."""


class CardJobSignals(QObject):
    sig_progress = Signal(str, int, int)
    """What is happening now, how far, out of how many."""
    sig_saved = Signal(int, str)
    """Cards written: how many, and the file."""
    sig_printed = Signal(int)
    """Cards sent to the printer: how many."""
    sig_print_failed = Signal(str, str)
    """The plain message and the finished PDF, kept so it can be saved instead."""
    sig_failed = Signal(str)
    """The job stopped; a plain message."""
    sig_done = Signal()
    """The job is over, however it ended."""


@dataclass(frozen=True)
class CardJobSpec:
    pupils: tuple[PupilRow, ...]
    save_to: Path | None  # write the PDF here; None: print on the A4 printer in Settings
    title: str


class CardJob(QRunnable):
    """Draws the cards (and prints them) off the GUI thread."""

    def __init__(self, ctx: KioskContext, spec: CardJobSpec, scratch: Path) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.signals = CardJobSignals()
        self.cancelled = False
        self._ctx, self._spec, self._scratch = ctx, spec, scratch

    def run(self) -> None:
        spec, signals = self._spec, self.signals
        try:
            out = spec.save_to or self._scratch / "cards.pdf"
            count = write_cards(self._ctx, spec.pupils, out, progress=self._drawing)
            if spec.save_to is not None:
                signals.sig_saved.emit(count, str(out))
                return
            try:
                send_to_printer(self._ctx, out, title=spec.title, progress=self._printing)
            except PrintError as error:
                signals.sig_print_failed.emit(error.message, str(out))
                return
            signals.sig_printed.emit(count)
        except _Cancelled:
            signals.sig_failed.emit("Stopped. Nothing more was saved or printed.")
        except KioskError as error:
            signals.sig_failed.emit(error.message)
        except Exception as error:  # a worker must always report back
            signals.sig_failed.emit(f"The cards could not be made: {error}")
        finally:
            signals.sig_done.emit()

    def _drawing(self, done: int, total: int) -> None:
        if self.cancelled:
            raise _Cancelled
        self.signals.sig_progress.emit(f"Drawing cards: {done:,} of {total:,}", done, total)

    def _printing(self, done: int, total: int) -> None:
        if self.cancelled:
            raise _Cancelled
        self.signals.sig_progress.emit(
            f"Sending to the printer: page {done} of {total}", done, total
        )


class CardsPanel(DeskPanel):
    """Pupils' QR cards, chosen by year or form, saved as a PDF or printed off the GUI thread."""

    title = "Cards"
    shows = frozenset({Topic.PUPILS, Topic.SETTINGS})

    sig_job_done = Signal()
    """A save or print job has finished (successfully or not)."""

    def __init__(
        self, ctx: KioskContext, actor: ActorSource, asker: Asker, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, actor, asker, parent)
        self._all: list[PupilRow] = []
        self._job: CardJob | None = None
        self._scratch: Path | None = None
        self._suggested = "cards.pdf"
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._setup_ui()

    # --- public ---------------------------------------------------------------------------

    def refresh(self) -> None:
        try:
            self._all = pupils.pupils_for_cards(self._ctx)
            printer = get_school(self._ctx).printer_a4
        except KioskError as error:
            self.count.setText(error.message)
            return
        self._fill_years()
        self.printer.setText(
            f"Prints on: {printer} (change it in Settings)"
            if printer
            else "No A4 printer is chosen yet: choose one in Settings, or save the PDF."
        )
        self._on_filter_changed()

    def matching(self) -> list[PupilRow]:
        year, form = self._chosen(self.year), self._chosen(self.form)
        return [
            p
            for p in self._all
            if (year is None or p.year_group == year) and (form is None or p.form == form)
        ]

    def is_busy(self) -> bool:
        return self._job is not None

    def wait_for_job(self, milliseconds: int = 60_000) -> bool:
        return self._pool.waitForDone(milliseconds)

    # --- building -------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        self.year = QComboBox()
        self.year.setAccessibleName("Year group")
        self.form = QComboBox()
        self.form.setAccessibleName("Form")
        self.year.currentIndexChanged.connect(self._on_year_changed)
        self.form.currentIndexChanged.connect(self._on_filter_changed)
        for combo in (self.year, self.form):
            combo.setMinimumWidth(200)

        self.count = plain_label(role="summary")
        self.printer = plain_label(role="hint", wrap=True)
        self.save_button = QPushButton("Save PDF…")
        self.print_button = QPushButton("Print")
        self.cancel_button = QPushButton("Stop")
        self.save_button.clicked.connect(self._on_save)
        self.print_button.clicked.connect(self._on_print)
        self.cancel_button.clicked.connect(self._on_cancel)
        self.cancel_button.hide()
        for button in (self.save_button, self.print_button, self.cancel_button):
            button.setMinimumHeight(34)

        self.progress = QProgressBar()
        self.progress.setAccessibleName("Progress")
        self.progress.hide()
        self.status = plain_label(wrap=True, selectable=True)

        form = QFormLayout()
        form.addRow("Year group", self.year)
        form.addRow("Form", self.form)

        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)

        box = card_frame()
        inner = card_layout(box)
        inner.setSpacing(10)
        inner.addWidget(plain_label("Pupil cards", role="heading"))
        inner.addWidget(
            plain_label(
                "A4 sheets of ten bank-card-sized cards with cut marks. Each card shows the "
                "school, the pupil's name and form, and their QR code. Reissuing a card "
                "(Pupils tab) makes the old one stop working.",
                role="hint",
                wrap=True,
            )
        )
        inner.addLayout(form)
        inner.addWidget(self.count)
        inner.addWidget(self.printer)
        inner.addLayout(buttons)
        inner.addWidget(self.progress)
        inner.addWidget(self.status)
        box.setMaximumWidth(760)

        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addStretch(1)

    def _fill_years(self) -> None:
        current = self._chosen(self.year)
        years = sorted({p.year_group for p in self._all}, key=year_sort_key)
        self.year.blockSignals(True)
        self.year.clear()
        self.year.addItem(ALL_YEARS, None)
        for year in years:
            self.year.addItem(year_label(year), year)
        self.year.setCurrentIndex(max(0, self.year.findData(current)) if current else 0)
        self.year.blockSignals(False)
        self._fill_forms()

    def _fill_forms(self) -> None:
        current, year = self._chosen(self.form), self._chosen(self.year)
        forms = sorted({p.form for p in self._all if year is None or p.year_group == year})
        self.form.blockSignals(True)
        self.form.clear()
        self.form.addItem(ALL_FORMS, None)
        for form in forms:
            self.form.addItem(form, form)
        index = self.form.findData(current) if current else 0
        self.form.setCurrentIndex(max(0, index))
        self.form.blockSignals(False)

    @staticmethod
    def _chosen(combo: QComboBox) -> str | None:
        value = combo.currentData()
        return value if isinstance(value, str) else None

    def _label(self) -> str:
        year, form = self._chosen(self.year), self._chosen(self.form)
        if form:
            return f"form {form}"
        if year:
            return f"year {year}"
        return "all pupils"

    # --- slots ----------------------------------------------------------------------------

    def _on_year_changed(self) -> None:
        self._fill_forms()
        self._on_filter_changed()

    def _on_filter_changed(self) -> None:
        count = len(self.matching())
        sheets = -(-count // CARDS_PER_SHEET)
        if count:
            self.count.setText(
                f"{count:,} pupil{'s' if count != 1 else ''} match · "
                f"{sheets:,} A4 sheet{'s' if sheets != 1 else ''}"
            )
        else:
            self.count.setText("No pupils on roll match.")
        idle = self._job is None
        self.save_button.setEnabled(idle and count > 0)
        self.print_button.setEnabled(idle and count > 0)

    def _on_save(self) -> None:
        chosen = self.matching()
        if not chosen or not self._names_print(chosen, "Cards not saved"):
            return
        target = self._asker.save_path(
            self, "Save cards as PDF", suggested_name(chosen, self._label()), PDF_FILTER
        )
        if not target:
            return
        self._start(CardJobSpec(tuple(chosen), Path(target), "Pupil cards"))

    def _on_print(self) -> None:
        chosen = self.matching()
        if not chosen or not self._names_print(chosen, "Cards not printed"):
            return
        self._start(CardJobSpec(tuple(chosen), None, f"Pupil cards — {self._label()}"))

    def _names_print(self, chosen: list[PupilRow], title: str) -> bool:
        """False, after saying which names and characters, when a name would print as
        empty boxes: nothing is drawn until the names are put right."""
        refusal = unprintable_names(chosen)
        if refusal:
            self._asker.error(self, title, refusal)
            return False
        return True

    def _on_cancel(self) -> None:
        if self._job is not None:
            self._job.cancelled = True
            self.status.setText("Stopping after this page…")

    def _start(self, spec: CardJobSpec) -> None:
        self._clear_scratch()
        self._scratch = Path(tempfile.mkdtemp(prefix="kiosk-cards-"))
        job = CardJob(self._ctx, spec, self._scratch)
        job.signals.sig_progress.connect(self._on_progress)
        job.signals.sig_saved.connect(self._on_saved)
        job.signals.sig_printed.connect(self._on_printed)
        job.signals.sig_print_failed.connect(self._on_print_failed)
        job.signals.sig_failed.connect(self._on_failed)
        job.signals.sig_done.connect(self._on_done)
        self._job = job
        self._suggested = suggested_name(spec.pupils, self._label())
        self.save_button.setEnabled(False)
        self.print_button.setEnabled(False)
        self.cancel_button.show()
        self.progress.setRange(0, 0)  # busy until the first page reports
        self.progress.show()
        self.status.setText(f"Preparing {len(spec.pupils):,} cards…")
        self._pool.start(job)

    def _on_progress(self, text: str, done: int, total: int) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)
        self.status.setText(text)

    def _on_saved(self, count: int, path: str) -> None:
        self.status.setText(f"{count:,} card{'s' if count != 1 else ''} saved to {path}.")
        self._clear_scratch()

    def _on_printed(self, count: int) -> None:
        self.status.setText(f"{count:,} card{'s' if count != 1 else ''} sent to the printer.")
        self._clear_scratch()

    def _on_print_failed(self, message: str, pdf: str) -> None:
        # The temporary PDF stays until this question is answered (the job's "done"
        # signal may arrive while the dialog is open, so it must not clear it).
        self.status.setText(message)
        if offer_pdf_instead(self._asker, self, message, Path(pdf), self._suggested):
            self.status.setText("The cards were not printed; the PDF was saved instead.")
        self._clear_scratch()

    def _on_failed(self, message: str) -> None:
        self.status.setText(message)
        self._clear_scratch()

    def _on_done(self) -> None:
        self._job = None
        self.cancel_button.hide()
        self.progress.hide()
        self._on_filter_changed()
        self.sig_job_done.emit()

    def _clear_scratch(self) -> None:
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None
