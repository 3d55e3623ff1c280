"""Shared fixtures: a migrated SQLite template copied per test, a real PostgreSQL schema
per test run, a controllable clock, and headless Qt."""

from __future__ import annotations

import os
import shutil
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from kiosk.clock import FixedClock  # noqa: E402
from kiosk.context import KioskContext  # noqa: E402
from kiosk.rows.people import Actor  # noqa: E402
from kiosk.startup import open_kiosk  # noqa: E402

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from ui.ask import Asker
    from ui.components.desk.panel import DeskPanel

LONDON = ZoneInfo("Europe/London")
TEST_CARD_CODE = "TEST"
"""The SQLite test school's card code (four letters of the card alphabet, none of them a
letter another keyboard layout moves)."""
PG_URL = os.environ.get("KIOSK_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
# A Tuesday in term, mid-morning; tests move the clock where they need it.
TEST_MORNING = datetime(2026, 11, 24, 8, 40, tzinfo=LONDON)
TEST_PIN = "2468"


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may touch the real user data folder or inherit a database URL."""
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("KIOSK_DATABASE_URL", raising=False)
    monkeypatch.delenv("KIOSK_KEY_FILE", raising=False)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(TEST_MORNING)


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated database (with its key file) per test session, copied for each test."""
    folder = tmp_path_factory.mktemp("template")
    db_file = folder / "kiosk.db"
    ctx = open_kiosk(
        f"sqlite:///{db_file}", clock=FixedClock(TEST_MORNING), school_name="Test School"
    )
    ctx.close()
    # A fixed card code, so that every run tests the same codes: a random one holds a Y or a
    # Z (the letters a German keyboard layout swaps) in about one run in four.
    with sqlite3.connect(db_file) as connection:
        connection.execute("UPDATE school SET card_code = ?", (TEST_CARD_CODE,))
    connection.close()
    return db_file


@pytest.fixture
def db_url(_template_db: Path, tmp_path: Path) -> str:
    db_file = tmp_path / "kiosk.db"
    shutil.copy(_template_db, db_file)
    shutil.copy(_template_db.with_name("kiosk.card.key"), tmp_path / "kiosk.card.key")
    return f"sqlite:///{db_file}"


@pytest.fixture
def ctx(db_url: str, clock: FixedClock) -> Iterator[KioskContext]:
    context = open_kiosk(db_url, clock=clock)
    yield context
    context.close()


@pytest.fixture
def manager(ctx: KioskContext) -> Actor:
    from kiosk.services.staff import create_first_manager

    return create_first_manager(ctx, "Ms Ada Manager", TEST_PIN)


@pytest.fixture
def receptionist(ctx: KioskContext, manager: Actor) -> Actor:
    from kiosk.services.staff import add_staff

    row = add_staff(ctx, manager, "Mr Ben Desk", "receptionist", "1357")
    return Actor(row.id, row.name, row.role)


def _postgres_admin_url() -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_URL, connect_timeout=3):
            return PG_URL
    except Exception:
        return None


@pytest.fixture(scope="session")
def pg_server_url() -> str:
    url = _postgres_admin_url()
    if url is None:
        pytest.skip(f"no PostgreSQL server answered at KIOSK_TEST_PG_URL={PG_URL}")
    return url


@pytest.fixture
def pg_url(pg_server_url: str) -> Iterator[str]:
    """A fresh database of its own on the PostgreSQL server, dropped afterwards."""
    import psycopg
    from sqlalchemy.engine import make_url

    name = f"kiosk_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_url(pg_server_url).set(database=name).render_as_string(hide_password=False)
    yield url
    with psycopg.connect(pg_server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Run a storage or service test on SQLite and again on a real PostgreSQL server."""
    if request.param == "sqlite":
        return request.getfixturevalue("db_url")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def any_ctx(any_db_url: str, clock: FixedClock) -> Iterator[KioskContext]:
    context = open_kiosk(any_db_url, clock=clock)
    yield context
    context.close()


# --- desk panels ---------------------------------------------------------------------------

PanelT = TypeVar("PanelT", bound="DeskPanel")
ActorGiven = Actor | None | Callable[[], Actor | None]


class PanelFactory(Protocol):
    """``desk_panel(PanelClass, actor, asker)``: one desk panel, built as the desk builds it."""

    def __call__(
        self,
        kind: type[PanelT],
        actor: ActorGiven = None,
        asker: Asker | None = None,
        *,
        size: tuple[int, int] = (1400, 900),
        refreshed: bool = True,
    ) -> PanelT: ...


@pytest.fixture
def desk_panel(qtbot: QtBot, ctx: KioskContext) -> PanelFactory:
    """Build a panel on the test's database, shown at ``size`` and (unless ``refreshed`` is
    False) read once. ``actor`` is who is signed in: an :class:`Actor`, None (locked), or a
    callable the test can change as people take turns. ``asker`` answers the panel's
    questions (a :class:`ScriptedAsker` with no answers when not given)."""

    def build(
        kind: type[PanelT],
        actor: ActorGiven = None,
        asker: Asker | None = None,
        *,
        size: tuple[int, int] = (1400, 900),
        refreshed: bool = True,
    ) -> PanelT:
        from ui.ask import ScriptedAsker

        signed_in = actor if callable(actor) else (lambda: actor)
        panel = kind(ctx, signed_in, asker if asker is not None else ScriptedAsker())
        qtbot.addWidget(panel)
        panel.resize(*size)
        panel.show()
        if refreshed:
            panel.refresh()
        return panel

    return build


# --- factory fixtures ------------------------------------------------------------------------
# The people many tests need, made by tests/factories.py on the database under test.


@pytest.fixture
def any_manager(any_ctx: KioskContext) -> Actor:
    """The first manager (PIN ``TEST_PIN``) on SQLite, and again on PostgreSQL."""
    from tests.factories import make_manager

    return make_manager(any_ctx, pin=TEST_PIN)
