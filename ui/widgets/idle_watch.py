"""Notice when nobody has used a window for a while (to lock the desk)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import QApplication, QWidget

_ACTIVITY = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.KeyPress,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


class IdleWatch(QObject):
    """Emits ``sig_idle`` once when ``window`` (or a dialog over it) has had no clicks or
    keys for ``idle_ms``."""

    sig_idle = Signal()
    """Nobody has touched the watched window for the idle time."""

    def __init__(self, window: QWidget, idle_ms: int) -> None:
        super().__init__(window)
        self._window = window
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(idle_ms)
        self._timer.timeout.connect(self.sig_idle)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @property
    def idle_ms(self) -> int:
        return self._timer.interval()

    def set_idle_ms(self, idle_ms: int) -> None:
        self._timer.setInterval(idle_ms)
        if self._timer.isActive():
            self._timer.start()

    def start(self) -> None:
        """Start (or restart) counting from now."""
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def is_counting(self) -> bool:
        return self._timer.isActive()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if event.type() in _ACTIVITY and self._timer.isActive() and self._belongs(watched):
            self._timer.start()
        return False

    def _belongs(self, watched: QObject) -> bool:
        """True for the watched window and anything opened over it (its dialogs)."""
        if isinstance(watched, QWidget):
            window: QWidget | None = watched.window()
            while window is not None:
                if window is self._window:
                    return True
                parent = window.parentWidget()
                window = parent.window() if parent is not None else None
            return False
        if isinstance(watched, QWindow):
            handle = self._window.windowHandle()
            window_handle: QWindow | None = watched
            while window_handle is not None:
                if window_handle is handle:
                    return True
                window_handle = window_handle.transientParent()
        return False
