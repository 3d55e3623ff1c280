"""The desk's alert chime: a short sound when something must not be missed.

QtMultimedia plays ``resources/sounds/alert.wav`` where it can. It is loaded only when the
chime is first played, inside a try: on a computer without the system audio library it
needs (libpulse on Linux), or without a sound file, the desk falls back to the system's own
beep, and never fails because there is no sound.
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

from PySide6.QtCore import QObject, QUrl
from PySide6.QtWidgets import QApplication

from kiosk.resources import resource_path

log = logging.getLogger(__name__)

SOUND_FILE = ("sounds", "alert.wav")
VOLUME = 0.8  # of the system's volume


class AlertSound(QObject):
    """Plays the alert chime; counts how often it rang and how (``means``)."""

    def __init__(self, parent: QObject | None = None, *, use_multimedia: bool = True) -> None:
        super().__init__(parent)
        self._use_multimedia = use_multimedia
        self._effect: Any = None
        self._tried = False
        self.times_played = 0
        self.means = ""
        """How the chime last sounded: "chime" (the sound file), "beep" or "" (not yet)."""

    def play(self) -> str:
        """Sound the chime once; returns how ("chime" or "beep"). Never raises."""
        self.times_played += 1
        effect = self._sound_effect()
        if effect is not None:
            try:
                effect.play()
                self.means = "chime"
                return self.means
            except Exception:  # a sound device that vanished: the beep still tells
                log.warning("Could not play the alert chime", exc_info=True)
        try:
            QApplication.beep()
        except Exception:
            log.warning("Could not sound the system beep", exc_info=True)
        self.means = "beep"
        return self.means

    def _sound_effect(self) -> Any:
        if self._tried:
            return self._effect
        self._tried = True
        if not self._use_multimedia:
            return None
        try:
            multimedia = importlib.import_module("PySide6.QtMultimedia")
            path = resource_path(*SOUND_FILE)
            effect = multimedia.QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(path)))
            effect.setVolume(VOLUME)
        except Exception as error:  # no audio library, no sound file: beep instead
            log.info("The alert chime falls back to the system beep: %s", error)
            return None
        self._effect = effect
        return effect
