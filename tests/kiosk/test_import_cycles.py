"""The core has no import cycles (scripts/check_import_cycles.py, as CI runs it)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

pytest.importorskip("grimp")

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "check_import_cycles.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_import_cycles", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_strongly_connected_components_finds_each_cycle_once() -> None:
    edges = {"a": ["b"], "b": ["c", "d"], "c": ["a"], "d": ["e"], "e": ["d"], "f": ["f"]}
    components = _script().strongly_connected_components(edges)
    assert sorted(c for c in components if len(c) > 1) == [["a", "b", "c"], ["d", "e"]]
    assert sorted(sum(components, [])) == ["a", "b", "c", "d", "e", "f"]


def test_kiosk_has_no_import_cycles() -> None:
    assert _script().import_cycles(["kiosk"]) == []
