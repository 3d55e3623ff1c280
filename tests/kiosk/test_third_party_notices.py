"""The licence and the third-party notices travel with the program and name every library it
needs at run time, so a new dependency without a notice fails CI."""

from __future__ import annotations

import re
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement

from kiosk.resources import resource_path

ROOT = Path(__file__).resolve().parents[2]
NOTICES = resource_path("licenses", "THIRD-PARTY-NOTICES.md")
# A requirement counts when its marker holds on any desktop the build targets.
PLATFORMS = ("win32", "linux", "darwin")


def canonical(name: str) -> str:
    """A distribution's name as PEP 503 compares them (``typing_extensions`` is
    ``typing-extensions``)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def runs_on_a_desktop(marker: Marker | None, extras: frozenset[str]) -> bool:
    """Whether a requirement with ``marker`` is installed at run time on some platform when
    its parent was asked for with ``extras`` (optional extras such as ``test`` are not)."""
    if marker is None:
        return True
    return any(
        marker.evaluate({"sys_platform": platform, "extra": extra})
        for platform in PLATFORMS
        for extra in (extras or frozenset({""}))
    )


def runtime_distributions(root: str = "reception-kiosk") -> set[str]:
    """Canonical names of every distribution ``root`` needs at run time, recursively; a
    platform-only requirement not installed here is named but not followed."""
    found: set[str] = set()
    waiting: list[tuple[str, frozenset[str]]] = [(root, frozenset())]
    while waiting:
        name, extras = waiting.pop()
        try:
            requires = distribution(name).requires or []
        except PackageNotFoundError:
            continue
        for line in requires:
            requirement = Requirement(line)
            if not runs_on_a_desktop(requirement.marker, extras):
                continue
            key = canonical(requirement.name)
            if key not in found:
                found.add(key)
                waiting.append((requirement.name, frozenset(requirement.extras)))
    return found


def named_in_notices() -> set[str]:
    """Canonical names of the distributions the notices' tables list (first column)."""
    return {
        canonical(name)
        for name in re.findall(r"^\| `([^`]+)`", NOTICES.read_text(encoding="utf-8"), re.M)
    }


def test_notices_name_every_runtime_distribution() -> None:
    needed = runtime_distributions()
    assert {"pyside6-essentials", "shiboken6", "sqlalchemy", "reportlab"} <= needed
    missing = needed - named_in_notices()
    assert not missing, f"THIRD-PARTY-NOTICES.md has no entry for {sorted(missing)}"


def test_test_and_build_tools_are_not_runtime_distributions() -> None:
    needed = runtime_distributions()
    assert not {"pytest", "pytest-qt", "ruff", "pyinstaller", "mypy"} & needed


def test_every_licence_text_the_notices_name_is_shipped() -> None:
    text = NOTICES.read_text(encoding="utf-8")
    named = set(re.findall(r"`([\w.-]+\.txt)`", text))
    assert "LGPL-3.0.txt" in named
    for file_name in named:
        assert resource_path("licenses", file_name).stat().st_size > 500, file_name


def test_the_licence_is_the_gpl_v3() -> None:
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "GNU GENERAL PUBLIC LICENSE" in licence
    assert "Version 3, 29 June 2007" in licence


def test_the_build_ships_the_licence_and_the_notices() -> None:
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    assert 'folder("resources/licenses")' in spec
    assert '"LICENSE"' in spec
