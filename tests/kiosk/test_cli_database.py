"""Which database the command line opens: the desk's by default, the demo's with --demo, and
never an empty one made by mistake. Run as a person runs it: ``kiosk`` in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def kiosk(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``kiosk ARGS`` with its data folder at ``data_dir`` and no database URL set."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env["KIOSK_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "kiosk.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def demo_dir(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """A data folder where ``kiosk demo`` has built the demo school (built once: it is slow)."""
    data = tmp_path_factory.mktemp("demo-data")
    return data, kiosk(data, "demo")


def test_a_command_on_a_missing_database_says_where_it_looked_and_creates_nothing(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    done = kiosk(data, "cards", "--out", str(tmp_path / "cards.pdf"))

    assert done.returncode == 1
    assert f"There is no school database at {data / 'kiosk.db'}" in done.stderr
    assert "kiosk init --school-name NAME" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (data / "kiosk.db").exists()
    assert not (tmp_path / "cards.pdf").exists()


def test_an_import_on_a_missing_database_imports_nothing_and_creates_nothing(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    csv = tmp_path / "pupils.csv"
    csv.write_text("UPN,Forename,Surname,Year,Form\n", encoding="utf-8")

    done = kiosk(data, "import-pupils", str(csv))

    assert done.returncode == 2
    assert "There is no school database at" in done.stderr
    assert not (data / "kiosk.db").exists()


def test_kiosk_demo_says_where_the_database_is_and_how_to_use_it(demo_dir) -> None:
    data, built = demo_dir
    assert built.returncode == 0, built.stderr
    assert f"Database: sqlite:///{(data / 'demo.db').as_posix()}" in built.stdout
    assert '"kiosk --demo cards --out cards.pdf"' in built.stdout


def test_after_the_demo_the_plain_command_points_to_the_demo_instead_of_making_a_database(
    demo_dir, tmp_path: Path
) -> None:
    data, _built = demo_dir
    done = kiosk(data, "held")

    assert done.returncode == 1
    assert f'The demo school is at {data / "demo.db"}: use it with "kiosk --demo COMMAND"' in (
        done.stderr
    )
    assert not (data / "kiosk.db").exists()


def test_kiosk_with_demo_prints_the_demo_schools_cards(demo_dir, tmp_path: Path) -> None:
    data, _built = demo_dir
    out = tmp_path / "cards.pdf"

    done = kiosk(data, "--demo", "cards", "--year", "7", "--out", str(out))

    assert done.returncode == 0, done.stderr
    assert "cards written to" in done.stdout
    assert out.read_bytes().startswith(b"%PDF")


def test_init_makes_the_database_the_other_commands_then_use(tmp_path: Path) -> None:
    data = tmp_path / "data"
    made = kiosk(data, "init", "--school-name", "Riverside Academy")
    assert made.returncode == 0, made.stderr

    done = kiosk(data, "cards", "--out", str(tmp_path / "cards.pdf"))

    # The database is found (no "no school database"); it simply has no pupils yet.
    assert done.returncode == 1
    assert done.stderr.strip() == "No pupils on roll match; no cards printed."


@pytest.mark.postgres
def test_a_command_on_an_empty_server_database_refuses_and_makes_no_tables(
    tmp_path: Path, pg_url: str
) -> None:
    from sqlalchemy import create_engine, inspect

    done = kiosk(tmp_path / "data", "--db", pg_url, "held")

    assert done.returncode == 1
    assert done.stderr.startswith("There is no school database at postgresql")
    assert "Traceback" not in done.stderr
    engine = create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as connection:
            assert inspect(connection).get_table_names() == []
    finally:
        engine.dispose()


def test_a_database_in_a_missing_folder_is_a_file_system_fault_not_a_new_database(
    tmp_path: Path,
) -> None:
    done = kiosk(tmp_path / "data", "--db", f"sqlite:///{tmp_path}/no-such-folder/kiosk.db", "held")

    assert done.returncode == 4
    assert not (tmp_path / "no-such-folder").exists()


def test_the_desk_with_demo_says_where_the_demo_database_is(demo_dir) -> None:
    data, _built = demo_dir
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env |= {"KIOSK_DATA_DIR": str(data), "QT_QPA_PLATFORM": "offscreen"}

    done = subprocess.run(
        [sys.executable, "-m", "ui.app", "--demo", "--selftest"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith(
        f"Demo school database: {data / 'demo.db'}. The command line uses it with "
        '"kiosk --demo COMMAND".\n'
    )
