"""The row of buttons under a list the desk can put on paper: "Print" (one click, to the
printer chosen in Settings), "Save as PDF…" and, where the list has one, "Export CSV…"."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget


class OutputButtons(QWidget):
    """Print, Save as PDF… and (optionally) Export CSV… for one named list; the panel that
    owns the list connects the signals and does the work."""

    sig_print = Signal()
    """"Print" was clicked: print the list now on the chosen printer."""
    sig_save_pdf = Signal()
    """"Save as PDF…" was clicked: ask where and save the list's PDF."""
    sig_export_csv = Signal()
    """"Export CSV…" was clicked: ask where and write the list as CSV."""

    def __init__(self, what: str, *, csv: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._what = what
        self._setup_ui(csv)

    # --- public ---------------------------------------------------------------------------

    def set_printer(self, name: str) -> None:
        """Say on the Print button's tooltip where it prints ("" when none is chosen)."""
        self.print_button.setToolTip(
            f"Print {self._what} on {name}"
            if name
            else "No printer is chosen yet: choose one in Settings, or save as PDF"
        )

    # --- building -------------------------------------------------------------------------

    def _setup_ui(self, csv: bool) -> None:
        self.print_button = QPushButton("Print")
        self.print_button.setAccessibleName(f"Print {self._what}")
        self.save_button = QPushButton("Save as PDF…")
        self.save_button.setAccessibleName(f"Save {self._what} as PDF")
        self.save_button.setToolTip(f"Save {self._what} as a PDF file")
        self.csv_button = QPushButton("Export CSV…")
        self.csv_button.setAccessibleName(f"Export {self._what} as CSV")
        self.csv_button.setToolTip(f"Export {self._what} as a spreadsheet (CSV) file")
        self.csv_button.setVisible(csv)
        self.print_button.clicked.connect(self.sig_print)
        self.save_button.clicked.connect(self.sig_save_pdf)
        self.csv_button.clicked.connect(self.sig_export_csv)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.print_button)
        layout.addWidget(self.save_button)
        layout.addWidget(self.csv_button)
