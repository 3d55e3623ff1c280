#!/usr/bin/env python3
"""Set up the project's virtual environment if needed, then start the demo or run the tests.

    python3 scripts/dev.py demo     # the desk app on the demo school (SQLite, no server)
    python3 scripts/dev.py test     # the whole test suite, headless

Works with nothing but Python 3.11+: it creates ``.venv`` beside ``pyproject.toml`` and
installs the project (editable) with its test tools, again only when pyproject.toml changes.
Extra arguments go to the program: ``dev.py test -k custody``, ``dev.py demo --db URL``.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / ".kiosk-installed"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def _wanted_stamp() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def ensure_venv() -> None:
    if sys.version_info < (3, 11):
        sys.exit("Reception Kiosk needs Python 3.11 or newer.")
    if not PYTHON.exists():
        print(f"Creating the virtual environment in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if STAMP.exists() and STAMP.read_text().strip() == _wanted_stamp():
        return
    print("Installing Reception Kiosk and its dependencies (first run only) ...", flush=True)
    pip = [str(PYTHON), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "install", "-e", f"{ROOT}[test]"], check=True)
    STAMP.write_text(_wanted_stamp())


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("demo", "test"):
        print(__doc__)
        return 2
    ensure_venv()
    what, rest = argv[0], argv[1:]
    if what == "demo":
        command = [str(PYTHON), "-m", "ui.app", "--demo", *rest]
    else:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        command = [str(PYTHON), "-m", "pytest", *rest]
    return subprocess.call(command, cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
