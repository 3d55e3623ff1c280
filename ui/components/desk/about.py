"""The About box: the program's name, version and licence, and the notices and licence texts
of the libraries it carries (as the GPL and the LGPL ask a distributor to show them)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from kiosk import APP_NAME, __version__
from kiosk.resources import licence_path, resource_path

LICENCE_STATEMENT = (
    "Licensed under the GNU General Public License version 3 or later. "
    "This program comes with ABSOLUTELY NO WARRANTY; you may redistribute it under the "
    "terms of that licence, whose text is below."
)
NOTICES_FILE = "THIRD-PARTY-NOTICES.md"


def library_licence_files() -> list[Path]:
    """The licence texts shipped in ``resources/licenses/`` (``*.txt``), sorted by name.

    Raises ``FileNotFoundError`` when the folder is missing from the installation.
    """
    return sorted(resource_path("licenses").glob("*.txt"), key=lambda path: path.name.lower())


class AboutDialog(QDialog):
    """Name, version and licence; tabs with the GPL text, the third-party notices and each
    library's licence text, all read-only and scrolling."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._setup_ui()

    # --- public ---------------------------------------------------------------------------

    def version_text(self) -> str:
        return self.version.text()

    def licence_text(self) -> str:
        return self.licence.toPlainText()

    def notices_text(self) -> str:
        return self.notices.toPlainText()

    def show_library_licence(self, file_name: str) -> str:
        """Show the library licence text called ``file_name``; returns the text shown.

        Raises ``ValueError`` when no such text is shipped."""
        index = self.library_choice.findText(file_name)
        if index < 0:
            raise ValueError(f"No licence text called {file_name}")
        self.library_choice.setCurrentIndex(index)
        return self.library_licence.toPlainText()

    # --- building -------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        self.setObjectName("AboutDialog")
        self.setWindowTitle(f"About {APP_NAME}")
        self.resize(720, 600)
        title = QLabel(APP_NAME)
        title.setObjectName("AboutTitle")
        self.version = QLabel(f"Version {__version__}")
        self.version.setObjectName("AboutVersion")
        statement = QLabel(LICENCE_STATEMENT)
        statement.setWordWrap(True)
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)

        self.licence = QPlainTextEdit(licence_path().read_text(encoding="utf-8"))
        self.licence.setReadOnly(True)
        self.licence.setFont(fixed)
        self.licence.setAccessibleName("GNU General Public License text")

        self.notices = QTextBrowser()
        self.notices.setOpenExternalLinks(True)
        self.notices.setMarkdown(
            resource_path("licenses", NOTICES_FILE).read_text(encoding="utf-8")
        )
        self.notices.setAccessibleName("Third-party notices")

        self.library_choice = QComboBox()
        self.library_choice.setAccessibleName("Library licence")
        self.library_licence = QPlainTextEdit()
        self.library_licence.setReadOnly(True)
        self.library_licence.setFont(fixed)
        self.library_licence.setAccessibleName("Library licence text")
        for path in library_licence_files():
            self.library_choice.addItem(path.name, str(path))
        self.library_choice.currentIndexChanged.connect(self._on_library_chosen)
        self._on_library_chosen(self.library_choice.currentIndex())
        libraries = QWidget()
        libraries_layout = QVBoxLayout(libraries)
        libraries_layout.addWidget(self.library_choice)
        libraries_layout.addWidget(self.library_licence, 1)

        self.tabs = QTabWidget()
        self.tabs.addTab(self.licence, "Licence")
        self.tabs.addTab(self.notices, "Third-party notices")
        self.tabs.addTab(libraries, "Library licences")

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.version)
        layout.addWidget(statement)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        for label in (title, self.version, statement):
            label.setTextFormat(Qt.TextFormat.PlainText)

    # --- slots ----------------------------------------------------------------------------

    def _on_library_chosen(self, index: int) -> None:
        path = self.library_choice.itemData(index)
        text = Path(path).read_text(encoding="utf-8") if path else ""
        self.library_licence.setPlainText(text)
