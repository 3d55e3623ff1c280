"""``kiosk-desk --selftest``: every check passes on a sound installation, and a missing
file, a broken screen or an unreadable card fails it by name."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import ui.app
import ui.selftest
from ui.app import main
from ui.ask import ScriptedAsker


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> ScriptedAsker:
    asker = ScriptedAsker()
    monkeypatch.setattr(ui.app, "Asker", lambda: asker)
    return asker


def report_lines(output: str) -> dict[str, str]:
    """``{check name: "ok" | "skip" | "FAIL"}`` from the self-test's report."""
    lines = {}
    for line in output.splitlines():
        status, _, rest = line.partition(" ")
        if status in ("ok", "skip", "FAIL") and ":" in rest:
            lines[rest.strip().split(":")[0]] = status
    return lines


def test_selftest_on_its_own_database_opens_every_tab_scans_and_reads_the_card(
    qapp, errors, capsys
) -> None:  # type: ignore[no-untyped-def]
    assert main(["--selftest"]) == 0

    output = capsys.readouterr().out
    checks = report_lines(output)
    for name in (
        "resources",
        "migrations",
        "windows",
        "sign-in",
        "desk tabs",
        "kiosk face",
        "card PDF",
        "QR code",
        "printing",
        "PostgreSQL driver",
    ):
        assert checks[name] == "ok", output
    assert "Today, Board, Pupils, End of day, Exemptions, Cards" in output
    assert "Self-test passed" in output
    assert errors.asked == []


def test_selftest_on_a_given_database_changes_nothing_there(
    qapp, db_url: str, errors, capsys
) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    database = db_url.removeprefix("sqlite:///")
    with sqlite3.connect(database) as conn:
        before = conn.execute("SELECT count(*) FROM audit_log").fetchone()

    assert main(["--db", db_url, "--selftest"]) == 0

    checks = report_lines(capsys.readouterr().out)
    assert checks["sign-in"] == "skip"
    assert checks["card PDF"] == checks["QR code"] == "ok"
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT count(*) FROM audit_log").fetchone() == before


def test_selftest_fails_naming_a_missing_stylesheet(
    qapp, errors, capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    copied = tmp_path / "resources"
    shutil.copytree(ui.selftest.resources_dir(), copied)
    (copied / "styles" / "desk.qss").unlink()
    monkeypatch.setattr(ui.selftest, "resources_dir", lambda: copied)

    assert main(["--selftest"]) == 1

    output = capsys.readouterr().out
    assert "FAIL  resources: missing from" in output
    assert "styles/desk.qss" in output
    assert "Self-test failed: resources." in output


def test_selftest_fails_when_a_tab_raises_while_opening(
    qapp, errors, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from ui.components.desk.audit import AuditPanel

    def broken_refresh(self: AuditPanel) -> None:
        raise RuntimeError("the audit log could not be read")

    monkeypatch.setattr(AuditPanel, "refresh", broken_refresh)

    assert main(["--selftest"]) == 1

    output = capsys.readouterr().out
    assert "FAIL  desk tabs: an error while opening the Audit tab" in output
    assert "Self-test failed: desk tabs" in output


def test_selftest_fails_when_the_card_qr_code_does_not_read_back(
    qapp, errors, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import zxingcpp

    monkeypatch.setattr(zxingcpp, "read_barcodes", lambda *args, **kwargs: [])

    assert main(["--selftest"]) == 1

    output = capsys.readouterr().out
    assert "FAIL  QR code: the card's QR code did not read back" in output
