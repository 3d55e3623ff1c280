"""Write resources/sounds/alert.wav: the desk's alert chime (two falling tones, 0.7 s).

The file is committed; run this again only to change the sound. Standard library only.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22050  # samples per second
TONES = ((880.0, 0.3), (660.0, 0.4))  # (hertz, seconds): high then low, like a door chime
VOLUME = 0.45  # of full scale: clear in an office, not startling


def chime_samples() -> list[int]:
    """The chime as signed 16-bit samples, each tone fading out so it does not click."""
    samples: list[int] = []
    for frequency, seconds in TONES:
        count = int(RATE * seconds)
        for n in range(count):
            envelope = min(1.0, n / (RATE * 0.01)) * (1.0 - n / count) ** 1.5
            value = VOLUME * envelope * math.sin(2 * math.pi * frequency * n / RATE)
            samples.append(int(value * 32767))
    return samples


def main() -> None:
    """Write the chime next to the other resources."""
    target = Path(__file__).resolve().parent.parent / "resources" / "sounds" / "alert.wav"
    target.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(target), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(b"".join(struct.pack("<h", s) for s in chime_samples()))
    print(target)


if __name__ == "__main__":
    main()
