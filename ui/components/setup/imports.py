"""Importing pupils, parents' and carers' contacts and the staff directory from the desk.

A person chooses the CSV file their MIS exported and first sees a preview: how many rows
will be added, updated, left unchanged and rejected, each rejected line with its reason, and
the first rows to be added or updated. Nothing is written until they press Import. The
preview is the import itself rolled back (:func:`kiosk.importing.pupils.preview_pupils_text`
and its siblings), so the two cannot disagree. Both run on a worker thread with a progress
bar, so a whole school's file never freezes the window.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QListWidget,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.changes import Changes, Topic
from kiosk.context import KioskContext
from kiosk.errors import KioskError
from kiosk.faults import plain_fault
from kiosk.importing import contacts, pupils, staff
from kiosk.importing.reader import read_file_bytes
from kiosk.importing.reports import ContactImportReport, ImportReport, Progress
from kiosk.rows.people import Actor
from ui.ask import Asker
from ui.components.common import SIGN_IN_FIRST, ActorSource
from ui.components.desk.panel import DeskPanel
from ui.widgets.labels import plain_label
from ui.widgets.styling import card_frame, card_layout

CSV_FILTER = "CSV files (*.csv *.txt);;All files (*)"
Report = ImportReport | ContactImportReport
ImportCall = Callable[[KioskContext, Actor, bytes, bool, bool, Progress | None], Report]


def _import_pupils(
    ctx: KioskContext,
    actor: Actor,
    data: bytes,
    leavers: bool,
    dry: bool,
    progress: Progress | None,
) -> Report:
    return pupils.import_pupils_text(
        ctx, actor, data, mark_leavers=leavers, dry_run=dry, progress=progress
    )


def _import_contacts(
    ctx: KioskContext,
    actor: Actor,
    data: bytes,
    _leavers: bool,
    dry: bool,
    progress: Progress | None,
) -> Report:
    return contacts.import_contacts_text(ctx, actor, data, dry_run=dry, progress=progress)


def _import_staff(
    ctx: KioskContext,
    actor: Actor,
    data: bytes,
    _leavers: bool,
    dry: bool,
    progress: Progress | None,
) -> Report:
    return staff.import_staff_text(ctx, actor, data, dry_run=dry, progress=progress)


@dataclass(frozen=True)
class ImportKind:
    """One kind of file the school's MIS exports, and how the desk imports it."""

    key: str
    heading: str
    hint: str
    call: ImportCall
    changes: Changes
    may_mark_leavers: bool = False


PUPILS = ImportKind(
    "pupils",
    "Pupils",
    "The pupil list exported from your MIS (SIMS, Arbor, Bromcom and others): UPN (or "
    "admission number), forename, surname, year group and form. Pupils are matched by UPN, "
    "so the same file can be imported again each term.",
    _import_pupils,
    Changes.of(Topic.PUPILS, Topic.CUSTODY, Topic.EXEMPTIONS),
    may_mark_leavers=True,
)
CONTACTS = ImportKind(
    "contacts",
    "Parents and carers",
    "One row per contact: the pupil's UPN (or admission number), the contact's name, "
    "relationship, telephone and whether they may collect. Import the pupils first.",
    _import_contacts,
    Changes.of(Topic.PUPILS),
)
STAFF = ImportKind(
    "staff",
    "Staff directory",
    "Staff names, with email, extension, pigeonhole and mobile where your MIS has them. "
    "New staff join the directory without a PIN: a manager gives PINs in Settings.",
    _import_staff,
    Changes.of(Topic.STAFF),
)
IMPORT_KINDS: tuple[ImportKind, ...] = (PUPILS, CONTACTS, STAFF)


class ImportJobSignals(QObject):
    sig_progress = Signal(int, int)
    """Rows done, out of how many."""
    sig_finished = Signal(object)
    """The report (:class:`ImportReport` or :class:`ContactImportReport`)."""
    sig_failed = Signal(str)
    """Nothing was imported; the plain reason."""


class ImportJob(QRunnable):
    """Reads the file and previews or imports it, off the GUI thread."""

    def __init__(
        self,
        ctx: KioskContext,
        actor: Actor,
        kind: ImportKind,
        path: Path,
        *,
        leavers: bool,
        dry: bool,
    ) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.signals = ImportJobSignals()
        self._ctx, self._actor, self._kind, self._path = ctx, actor, kind, path
        self._leavers, self._dry = leavers, dry

    def run(self) -> None:
        """Preview or import, then report back by signal (never raises)."""
        try:
            data = read_file_bytes(self._path)
            report = self._kind.call(
                self._ctx,
                self._actor,
                data,
                self._leavers,
                self._dry,
                self.signals.sig_progress.emit,
            )
        except KioskError as error:
            self.signals.sig_failed.emit(error.message)
        except Exception as error:  # a worker must always report back
            fault = plain_fault(error)
            self.signals.sig_failed.emit(
                fault.message if fault is not None else f"The file could not be imported: {error}"
            )
        else:
            self.signals.sig_finished.emit(report)


def _table(headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setAccessibleName(name)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setWordWrap(True)
    header = table.horizontalHeader()
    for column in range(len(headers) - 1):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
    table.setMinimumHeight(120)
    return table


def _fill(table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setToolTip(text)  # the whole text, should the column cut it short
            table.setItem(r, c, item)
    table.resizeRowsToContents()


class ImportBox(QWidget):
    """Choose a CSV file of one kind, see what it would do, then import it."""

    sig_imported = Signal(object)
    """The file was imported; carries the report."""

    sig_changed = Signal(object)
    """Records were written; carries the :class:`Changes`."""

    sig_busy = Signal(bool)
    """A preview or import started (True) or ended (False)."""

    def __init__(
        self,
        ctx: KioskContext,
        actor: ActorSource,
        asker: Asker,
        kind: ImportKind,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx, self._actor, self._asker, self.kind = ctx, actor, asker, kind
        self._path: Path | None = None
        self._job: ImportJob | None = None
        self._previewed: Report | None = None
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._setup_ui()

    # --- public ---------------------------------------------------------------------------

    def choose_file(self, path: Path) -> None:
        """Preview the file at ``path`` (on a worker thread; see :meth:`wait_for_job`)."""
        self._path = path
        self.file_label.setText(str(path))
        self.file_label.setToolTip(str(path))
        self._start(dry=True)

    def preview(self) -> Report | None:
        """The preview shown now, or None."""
        return self._previewed

    def is_busy(self) -> bool:
        """True while a preview or an import runs."""
        return self._job is not None

    def wait_for_job(self, milliseconds: int = 60_000) -> bool:
        """Block until the running job's thread has finished (for tests and shut-down)."""
        return self._pool.waitForDone(milliseconds)

    def reset(self) -> None:
        """Forget the file and its preview."""
        self._path, self._previewed = None, None
        self.file_label.setText("No file chosen yet.")
        self.file_label.setToolTip("")
        self.summary.setText("")
        self.status.setText("")
        _fill(self.rejected, [])
        _fill(self.to_change, [])
        self._show_tables(False)
        self.import_button.setEnabled(False)

    # --- building -------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        self.heading = plain_label(self.kind.heading, role="heading")
        self.hint = plain_label(self.kind.hint, role="hint", wrap=True)
        self.choose_button = QPushButton("Choose CSV file…")
        self.choose_button.clicked.connect(self._on_choose)
        self.file_label = plain_label("No file chosen yet.", role="hint")
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.leavers = QCheckBox("This is the whole school: mark pupils missing from it as left")
        self.leavers.setVisible(self.kind.may_mark_leavers)
        self.leavers.toggled.connect(self._on_leavers_toggled)
        self.summary = plain_label(role="summary", wrap=True)
        self.rejected_label = plain_label("Rejected lines (not imported)", role="subheading")
        self.rejected = _table(["Line", "Why"], "Rejected lines")
        self.to_change_label = plain_label("To be added or updated", role="subheading")
        self.to_change = _table(
            ["Line", "Change", "Name", "Details"], "Rows to be added or updated"
        )
        self.import_button = QPushButton("Import")
        self.import_button.setProperty("role", "primary")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self._on_import)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Import progress")
        # Kept in the layout while idle, so nothing below it jumps when it appears.
        size_policy = self.progress.sizePolicy()
        size_policy.setRetainSizeWhenHidden(True)
        self.progress.setSizePolicy(size_policy)
        self.progress.hide()
        self.status = plain_label(wrap=True, selectable=True)

        file_row = QHBoxLayout()
        file_row.addWidget(self.choose_button)
        file_row.addWidget(self.file_label, 1)
        action_row = QHBoxLayout()
        action_row.addWidget(self.import_button)
        action_row.addWidget(self.progress, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.hint)
        layout.addLayout(file_row)
        layout.addWidget(self.leavers)
        layout.addWidget(self.summary)
        layout.addWidget(self.rejected_label)
        layout.addWidget(self.rejected, 1)
        layout.addWidget(self.to_change_label)
        layout.addWidget(self.to_change, 2)
        layout.addLayout(action_row)
        layout.addWidget(self.status)
        # Takes the spare height only while the tables are hidden: the box stays at the top.
        layout.addStretch(0)
        self._show_tables(False)

    def _show_tables(self, shown: bool) -> None:
        for widget in (self.rejected_label, self.rejected, self.to_change_label, self.to_change):
            widget.setVisible(shown)

    # --- running --------------------------------------------------------------------------

    def _start(self, *, dry: bool) -> None:
        actor = self._actor()
        if actor is None:
            self.status.setText(SIGN_IN_FIRST)
            return
        if self._path is None or self._job is not None:
            return
        job = ImportJob(
            self._ctx, actor, self.kind, self._path, leavers=self.leavers.isChecked(), dry=dry
        )
        job.signals.sig_progress.connect(self._on_progress)
        job.signals.sig_finished.connect(self._on_previewed if dry else self._on_imported)
        job.signals.sig_failed.connect(self._on_failed)
        self._job = job
        for widget in (self.choose_button, self.import_button, self.leavers):
            widget.setEnabled(False)
        self.progress.setRange(0, 0)  # busy until the first rows report
        self.progress.show()
        self.status.setText("Reading the file…" if dry else "Importing…")
        self.sig_busy.emit(True)
        self._pool.start(job)

    def _finish_job(self) -> None:
        self._job = None
        self.progress.hide()
        self.choose_button.setEnabled(True)
        self.leavers.setEnabled(True)
        self.sig_busy.emit(False)

    def _show_report(self, report: Report, *, preview: bool) -> None:
        _fill(self.rejected, [(str(p.line), p.reason) for p in report.problems])
        _fill(
            self.to_change,
            [(str(c.line), c.kind.capitalize(), c.name, c.detail) for c in report.changes],
        )
        self._show_tables(True)
        self.rejected_label.setVisible(bool(report.problems))
        self.rejected.setVisible(bool(report.problems))
        self.to_change.setVisible(bool(report.changes))
        more = report.added + report.updated - len(report.changes)
        if not report.changes:
            self.to_change_label.setText(
                "Nothing to add or update: every good row matches what the desk already has."
            )
        else:
            self.to_change_label.setText(
                ("To be added or updated" if preview else "Added or updated")
                + (f" (the first {len(report.changes):,}; {more:,} more)" if more > 0 else "")
            )

    # --- slots ----------------------------------------------------------------------------

    def _on_choose(self) -> None:
        chosen = self._asker.open_path(self, f"Import {self.kind.heading.lower()}", CSV_FILTER)
        if chosen:
            self.choose_file(Path(chosen))

    def _on_leavers_toggled(self) -> None:
        if self._path is not None and self._job is None:
            self._start(dry=True)

    def _on_import(self) -> None:
        self._start(dry=False)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)
        self.status.setText(f"{done:,} of {total:,} rows…")

    def _on_previewed(self, report: Report) -> None:
        self._finish_job()
        self._previewed = report
        self._show_report(report, preview=True)
        self.summary.setText(f"Preview, nothing imported yet: {report.summary()}")
        would_change = report.added + report.updated + report.left > 0
        if would_change:
            self.status.setText("Check the preview, then press Import.")
        elif report.accepted:
            self.status.setText("Nothing to import: the desk already has every row as it is.")
        else:
            self.status.setText("No row of this file can be imported: see the reasons above.")
        self.import_button.setEnabled(would_change)

    def _on_imported(self, report: Report) -> None:
        self._finish_job()
        self._previewed = None
        self._show_report(report, preview=False)
        self.summary.setText(f"Imported: {report.summary()}")
        self.status.setText("Done. Import another file, or the same one again after changes.")
        self.import_button.setEnabled(False)
        self.sig_changed.emit(self.kind.changes)
        self.sig_imported.emit(report)

    def _on_failed(self, message: str) -> None:
        self._finish_job()
        self._previewed = None
        self.import_button.setEnabled(False)
        self._show_tables(False)
        self.summary.setText("")
        self.status.setText(message)


class ImportPanel(DeskPanel):
    """School set-up: pupils, parents and carers, and the staff directory from the MIS."""

    title = "Import"
    manager_only = True

    def __init__(
        self, ctx: KioskContext, actor: ActorSource, asker: Asker, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, actor, asker, parent)
        self.boxes = {kind.key: ImportBox(ctx, actor, asker, kind) for kind in IMPORT_KINDS}
        self._setup_ui()

    def refresh(self) -> None:
        """Nothing here is read from the database until a file is chosen."""

    def show_kind(self, key: str) -> ImportBox:
        """Bring the import of ``key`` ("pupils", "contacts" or "staff") into view."""
        self.kinds.setCurrentRow([kind.key for kind in IMPORT_KINDS].index(key))
        return self.boxes[key]

    def _setup_ui(self) -> None:
        self.kinds = QListWidget()
        self.kinds.setAccessibleName("What to import")
        self.stack = QStackedWidget()
        for kind in IMPORT_KINDS:
            self.kinds.addItem(kind.heading)
            box = self.boxes[kind.key]
            box.sig_changed.connect(self.sig_changed)
            self.stack.addWidget(box)
        self.kinds.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.kinds.setCurrentRow(0)
        self.kinds.setFixedWidth(200)

        frame = card_frame()
        inner = card_layout(frame)
        inner.addWidget(self.stack)
        layout = QHBoxLayout(self)
        layout.addWidget(self.kinds)
        layout.addWidget(frame, 1, Qt.AlignmentFlag.AlignTop)
