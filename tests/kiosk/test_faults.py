"""Expected faults on the command line: real ones, made for the test, each one plain line on
standard error with its own exit status and no traceback (``--debug`` adds it)."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from kiosk import cli
from kiosk.cli import (
    EXIT_NOTHING_IMPORTED,
    EXIT_SOME_ROWS_REJECTED,
    EXIT_UNEXPECTED,
    main,
)
from kiosk.faults import EXIT_DATABASE_UNAVAILABLE, EXIT_FILE_SYSTEM, plain_fault
from kiosk.persistence import database

PUPILS = "UPN,Forename,Surname,Year,Form\nE919402119001,Zoë,Adams,7,7K\n"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """The exit status and standard error of one ``kiosk`` command, checked to be one
    plain line without a traceback."""
    status = main(argv)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    return status, err.strip()


def mount(*args: str) -> bool:
    """Run ``mount`` (tests run as root); False when this machine does not allow it."""
    try:
        return subprocess.run(["mount", *args], capture_output=True).returncode == 0
    except OSError:
        return False


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs, filled to the last byte."""
    folder = tmp_path / "tiny"
    folder.mkdir()
    if not mount("-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)):
        pytest.skip("cannot mount a tmpfs here (needs root and mount rights)")
    try:
        with (folder / "filler").open("wb", buffering=0) as filler:
            try:
                while True:
                    filler.write(b"\0" * 512)
            except OSError:
                pass  # full: what the test wants
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.fixture
def read_only_copy(tmp_path: Path, db_url: str) -> Iterator[Path]:
    """A read-only bind mount of the folder holding the test database (root ignores file
    permissions, so chmod would prove nothing)."""
    source = Path(db_url.removeprefix("sqlite:///")).parent
    view = tmp_path / "read-only"
    view.mkdir()
    if not mount("--bind", str(source), str(view)):
        pytest.skip("cannot bind-mount a folder here (needs root and mount rights)")
    try:
        if not mount("-o", "remount,bind,ro", str(view)):
            pytest.skip("cannot remount a bind mount read-only here")
        yield view
    finally:
        subprocess.run(["umount", "-l", str(view)], check=False)


@pytest.fixture
def read_only_database(db_url: str) -> Iterator[str]:
    """The test database file bind-mounted read-only onto itself; its folder stays
    writable, so SQLite can open it and refuses only the write."""
    db_file = db_url.removeprefix("sqlite:///")
    if not mount("--bind", db_file, db_file):
        pytest.skip("cannot bind-mount a file here (needs root and mount rights)")
    try:
        if not mount("-o", "remount,bind,ro", db_file):
            pytest.skip("cannot remount a bind mount read-only here")
        yield db_url
    finally:
        subprocess.run(["umount", "-l", db_file], check=False)


# --- the database ---------------------------------------------------------------------------


def test_sqlite_held_by_another_writer_is_busy_not_a_traceback(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The command line waits as batch work does; shortened here so the test is quick.
    monkeypatch.setattr(database, "BATCH", replace(database.BATCH, lock_wait_ms=200))
    pupils = tmp_path / "pupils.csv"
    pupils.write_text(PUPILS, encoding="utf-8")
    other_desk = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None)
    other_desk.execute("BEGIN IMMEDIATE")
    try:
        status, err = run(["--db", db_url, "import-pupils", str(pupils)], capsys)
    finally:
        other_desk.execute("ROLLBACK")
        other_desk.close()

    assert status == EXIT_DATABASE_UNAVAILABLE == 3
    assert err.startswith("The database is busy (another program or desk is writing to it).")
    assert err.endswith("Wait a moment and try again. Nothing was recorded.")


def test_a_closed_postgresql_port_is_unreachable(capsys: pytest.CaptureFixture[str]) -> None:
    status, err = run(["--db", "postgresql://kiosk@127.0.0.1:1/kiosk", "held"], capsys)

    assert status == EXIT_DATABASE_UNAVAILABLE
    assert "cannot be reached (Connection refused)" in err
    assert "Check --db or KIOSK_DATABASE_URL" in err


@pytest.mark.postgres
def test_a_database_the_postgresql_server_does_not_have_is_refused_plainly(
    pg_server_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = make_url(pg_server_url).set(database=f"no_such_school_{uuid.uuid4().hex[:8]}")

    status, err = run(["--db", missing.render_as_string(hide_password=False), "held"], capsys)

    assert status == EXIT_DATABASE_UNAVAILABLE
    assert err.startswith("The database cannot be used: the database server refused the connection")
    assert f'database "{missing.database}" does not exist' in err


@pytest.mark.postgres
def test_a_postgresql_lock_timeout_is_busy(pg_url: str) -> None:
    table = f"held_{uuid.uuid4().hex[:8]}"
    engine = create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.begin() as setup:
            setup.execute(text(f"CREATE TABLE {table} (id int)"))
        with engine.connect() as other_desk, engine.connect() as this_desk:
            other_desk.execute(text(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"))
            this_desk.execute(text("SET lock_timeout = '100ms'"))
            with pytest.raises(Exception) as raised:
                this_desk.execute(text(f"SELECT * FROM {table}"))
            other_desk.rollback()
    finally:
        engine.dispose()

    fault = plain_fault(raised.value)
    assert fault is not None
    assert fault.exit_code == EXIT_DATABASE_UNAVAILABLE
    assert fault.message.startswith("The database is busy (a table or row stayed locked")


def test_a_database_in_a_missing_folder_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, err = run(["--db", f"sqlite:///{tmp_path}/no-such-folder/kiosk.db", "held"], capsys)

    assert status == EXIT_FILE_SYSTEM == 4
    assert err.startswith("The database file cannot be opened: its folder is missing, read-only")


def test_a_database_in_a_read_only_folder_says_so(
    read_only_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pupils = tmp_path / "pupils.csv"
    pupils.write_text(PUPILS, encoding="utf-8")

    status, err = run(
        ["--db", f"sqlite:///{read_only_copy}/kiosk.db", "import-pupils", str(pupils)], capsys
    )

    assert status == EXIT_FILE_SYSTEM
    assert err.startswith("The database file cannot be opened: its folder is missing, read-only")


def test_a_read_only_database_file_cannot_be_written_but_still_reads(
    read_only_database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pupils = tmp_path / "pupils.csv"
    pupils.write_text(PUPILS, encoding="utf-8")

    status, err = run(["--db", read_only_database, "import-pupils", str(pupils)], capsys)

    assert status == EXIT_FILE_SYSTEM
    assert err.startswith("The database file cannot be written: the file, its folder or the disk")
    assert main(["--db", read_only_database, "held"]) == 0
    assert capsys.readouterr().out == "No phones are held.\n"


# --- files ----------------------------------------------------------------------------------


def test_writing_into_a_missing_folder_names_the_folder(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no-such-folder"

    status, err = run(["--db", db_url, "pad", "--out", str(missing / "pad.pdf")], capsys)

    assert status == EXIT_FILE_SYSTEM
    assert err == f"The folder {missing} does not exist. Create it, or choose another place."


def test_writing_under_a_file_says_part_of_the_path_is_a_file(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a folder")

    status, err = run(
        ["--db", db_url, "export", "visitors", "--from", "2026-11-01", "--to", "2026-11-30",
         "--out", str(a_file / "visitors.csv")],
        capsys,
    )  # fmt: skip

    assert status == EXIT_FILE_SYSTEM
    assert "is a file, not a folder" in err


def test_writing_to_a_read_only_folder_says_read_only(
    read_only_copy: Path, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, err = run(["--db", db_url, "pad", "--out", str(read_only_copy / "pad.pdf")], capsys)

    assert status == EXIT_FILE_SYSTEM
    assert err.startswith("The disk or folder is read-only")


def test_a_full_disk_says_the_disk_is_full(
    tiny_disk: Path, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, err = run(["--db", db_url, "pad", "--out", str(tiny_disk / "pad.pdf")], capsys)

    assert status == EXIT_FILE_SYSTEM
    assert err.startswith("The disk is full")
    assert not (tiny_disk / "pad.pdf").exists()


def test_a_database_on_a_full_disk_says_the_disk_is_full(
    tiny_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, err = run(["--db", f"sqlite:///{tiny_disk}/kiosk.db", "init"], capsys)

    assert status == EXIT_FILE_SYSTEM
    assert "full" in err


def test_importing_a_missing_file_imports_nothing(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, err = run(["--db", db_url, "import-pupils", str(tmp_path / "none.csv")], capsys)

    assert status == EXIT_NOTHING_IMPORTED
    assert err == f"There is no file at {tmp_path / 'none.csv'}."


# --- --debug, the unexpected, and the help ----------------------------------------------------


def test_debug_adds_the_traceback_before_the_plain_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["--debug", "--db", f"sqlite:///{tmp_path}/missing/kiosk.db", "held"])

    err = capsys.readouterr().err
    assert status == EXIT_FILE_SYSTEM
    assert "Traceback (most recent call last)" in err
    assert err.strip().splitlines()[-1].startswith("The database file cannot be opened")


def test_an_unexpected_error_is_one_line_pointing_at_debug(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(_args: object) -> int:
        raise RuntimeError("the printer spooler exploded")

    monkeypatch.setattr(cli, "cmd_held", broken)

    status, err = run(["--db", db_url, "held"], capsys)

    assert status == EXIT_UNEXPECTED == 5
    assert "(RuntimeError: the printer spooler exploded)" in err
    assert "--debug" in err


def test_help_documents_every_exit_status(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])

    help_text = capsys.readouterr().out
    assert f"{EXIT_SOME_ROWS_REJECTED}  refused, not found or not recorded" in help_text
    assert "for an import: some rows were rejected" in help_text
    assert "for an import: nothing was imported" in help_text
    assert f"{EXIT_DATABASE_UNAVAILABLE}  the database is busy" in help_text
    assert f"{EXIT_FILE_SYSTEM}  a file or folder could not be used: disk full" in help_text
    assert f"{EXIT_UNEXPECTED}  an unexpected error" in help_text
    assert "--debug" in help_text


def test_an_ordinary_bug_is_not_taken_for_a_fault() -> None:
    assert plain_fault(RuntimeError("no")) is None
    assert plain_fault(KeyError("upn")) is None


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP port that accepts connections and never says a word: a database server that
    hangs, or something else listening on its port. Yields the port."""
    server = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join(5)
        for connection in held:
            connection.close()
        server.close()


def test_a_server_that_accepts_but_never_answers_is_given_up_on_plainly(
    silent_server: int, tmp_path: Path
) -> None:
    url = f"postgresql://kiosk@127.0.0.1:{silent_server}/kiosk"
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "--db", url, "held"],
        capture_output=True,
        text=True,
        timeout=60,  # a hang fails here rather than holding the test run
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "KIOSK_DATA_DIR": str(tmp_path)},
    )
    took = time.monotonic() - started

    assert done.returncode == EXIT_DATABASE_UNAVAILABLE == 3
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("The database cannot be used: the database server cannot be reached")
    assert line.endswith("Nothing was recorded.")
    # The connect timeout is database.BATCH.connect_s (5 s); start-up of Python adds a little.
    assert took < database.BATCH.connect_s + 10


def test_the_desk_gives_up_on_a_silent_server_in_about_2_s(silent_server: int) -> None:
    db = database.Database(
        f"postgresql://kiosk@127.0.0.1:{silent_server}/kiosk", patience=database.INTERACTIVE
    )
    started = time.monotonic()
    try:
        with pytest.raises(Exception) as raised, db.read() as s:
            s.execute(text("SELECT 1"))
    finally:
        db.dispose()
    took = time.monotonic() - started

    fault = plain_fault(raised.value)
    assert fault is not None and fault.exit_code == EXIT_DATABASE_UNAVAILABLE
    assert fault.message.startswith("The database cannot be used: the database server cannot be")
    assert 1.5 < took < 5.0  # INTERACTIVE.connect_s is 2
