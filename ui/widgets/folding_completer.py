"""A completer for picking a person by name that folds what is typed and the names alike
(accents, letters such as Ł and Ø, case, punctuation: :func:`kiosk.text.has_every_word`),
so "lukasz" offers "Mr Łukasz Nowak" and "sean ob" offers "Seán O'Brien"."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, QStringListModel
from PySide6.QtWidgets import QCompleter

from kiosk.text import has_every_word


class FoldingCompleter(QCompleter):
    """Offers every name that has each typed word somewhere in it, folded, in the order
    the names were given."""

    def __init__(self, names: Iterable[str], parent: QObject | None = None) -> None:
        self._names = list(names)
        self._offered = QStringListModel(self._names)
        super().__init__(self._offered, parent)
        self._offered.setParent(self)
        # The list is filtered here, by folded words; Qt shows it as it stands.
        self.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)

    def offered(self) -> list[str]:
        """The names offered for what was last typed."""
        return self._offered.stringList()

    def splitPath(self, path: str) -> list[str]:  # noqa: N802 (Qt name)
        """Qt asks this with the typed text: the offered names are narrowed to those with
        every typed word, and Qt is told to match all of them."""
        self._offered.setStringList([name for name in self._names if has_every_word(path, name)])
        return [""]
