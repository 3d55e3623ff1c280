"""The import-cycle check CI runs: Tarjan's components over an import graph."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "check_import_cycles.py"


def load_check() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_import_cycles", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_circle_of_three_modules_is_one_cycle_and_a_chain_is_none() -> None:
    check = load_check()
    graph = {
        "kiosk.a": {"kiosk.b"},
        "kiosk.b": {"kiosk.c"},
        "kiosk.c": {"kiosk.a", "kiosk.rows"},
        "kiosk.rows": set(),
        "kiosk.cli": {"kiosk.a", "kiosk.rows"},
    }
    assert check.import_cycles(graph) == [["kiosk.a", "kiosk.b", "kiosk.c"]]


def test_a_module_importing_itself_is_a_cycle() -> None:
    check = load_check()
    assert check.import_cycles({"ui.x": {"ui.x"}, "ui.y": set()}) == [["ui.x"]]


def test_the_check_prints_each_cycle_and_fails(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    check = load_check()
    monkeypatch.setattr(
        check, "import_graph", lambda packages: {"p.a": {"p.b"}, "p.b": {"p.a"}, "p.c": set()}
    )
    assert check.main(["p"]) == 1
    assert capsys.readouterr().out == "import cycle: p.a <-> p.b\n"
    monkeypatch.setattr(check, "import_graph", lambda packages: {"p.a": {"p.b"}, "p.b": set()})
    assert check.main(["p"]) == 0
    assert capsys.readouterr().out == ""
