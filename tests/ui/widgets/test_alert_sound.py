"""The alert chime never fails the desk: the sound file where audio works, else the beep."""

from __future__ import annotations

from ui.widgets.alert_sound import AlertSound


def test_without_multimedia_the_chime_is_the_system_beep(qapp) -> None:
    sound = AlertSound(use_multimedia=False)
    assert sound.play() == "beep"
    assert (sound.times_played, sound.means) == (1, "beep")


def test_with_or_without_an_audio_library_playing_never_raises(qapp) -> None:
    sound = AlertSound()
    assert sound.play() in ("chime", "beep")
    assert sound.play() == sound.means
    assert sound.times_played == 2
