"""Find files under ``resources/``, from a source checkout or inside a PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    """The ``resources/`` folder: inside the PyInstaller bundle when frozen, else the checkout.

    The folder is not checked for existence here; ``resource_path`` does that per file.
    """
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """The path of a file under ``resources/``, given as path parts (``"policies", "x.txt"``).

    Raises ``FileNotFoundError`` naming the full path when the file is missing (a broken
    build or checkout, not a user error, so no ``KioskError``).
    """
    path = resources_dir().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"Missing resource file: {path}")
    return path


def licence_path() -> Path:
    """The program's licence (the GNU GPL v3 text): ``LICENSE`` at the top of a checkout, or
    beside ``resources/`` inside a bundle. Raises ``FileNotFoundError`` when it is missing."""
    path = resources_dir().parent / "LICENSE"
    if not path.exists():
        raise FileNotFoundError(f"Missing licence file: {path}")
    return path
