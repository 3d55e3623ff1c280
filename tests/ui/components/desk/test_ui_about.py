"""The desk's About box: name, version, the GPL, and the libraries' notices and licences."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from kiosk import APP_NAME, __version__
from kiosk.context import KioskContext
from ui.components.desk.about import AboutDialog
from ui.components.desk.header import DeskHeader


def test_about_shows_version_and_licence(qtbot: QtBot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)

    assert dialog.windowTitle() == f"About {APP_NAME}"
    assert dialog.version_text() == f"Version {__version__}"
    assert "GNU GENERAL PUBLIC LICENSE" in dialog.licence_text()
    assert "Version 3, 29 June 2007" in dialog.licence_text()


def test_about_names_pyside6_and_its_licence(qtbot: QtBot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)

    notices = dialog.notices_text()
    # The table shows one cell a line: name, version, licence, licence text.
    lines = notices.splitlines()
    row = lines.index("PySide6-Essentials")
    assert "used under the LGPL v3" in lines[row + 2]
    assert "SQLAlchemy" in notices
    lgpl = dialog.show_library_licence("LGPL-3.0.txt")
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in lgpl


def test_about_button_in_the_desk_header_opens_the_about_box(
    qtbot: QtBot, ctx: KioskContext
) -> None:
    header = DeskHeader(ctx)
    qtbot.addWidget(header)
    header.show()

    assert header.about_button.accessibleName() == f"About {APP_NAME}"
    header.about_button.click()

    dialog = header.findChild(AboutDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.version_text() == f"Version {__version__}"
    dialog.reject()
