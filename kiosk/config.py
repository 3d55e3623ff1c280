"""Where the database and the card key live, and how a database URL is chosen."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from kiosk import APP_NAME

ENV_DATABASE_URL = "KIOSK_DATABASE_URL"
ENV_DATA_DIR = "KIOSK_DATA_DIR"
ENV_KEY_FILE = "KIOSK_KEY_FILE"


def data_dir() -> Path:
    """The per-user data folder (created on first use, for its owner only: 0700 on POSIX);
    ``KIOSK_DATA_DIR`` overrides it. An existing folder keeps its permissions.

    Raises ``OSError`` when the folder cannot be created.
    """
    override = os.environ.get(ENV_DATA_DIR)
    path = (
        Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    )
    # The database, its backups and the card key live here: private to the user.
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def default_database_url() -> str:
    """The SQLite URL of the school's database, ``kiosk.db`` in the data folder."""
    return f"sqlite:///{(data_dir() / 'kiosk.db').as_posix()}"


def demo_database_url() -> str:
    """The SQLite URL of the demo school's database, ``demo.db`` in the data folder.

    Kept apart from ``kiosk.db`` so trying the demo never touches the real school's data.
    """
    return f"sqlite:///{(data_dir() / 'demo.db').as_posix()}"


def resolve_database_url(cli_url: str | None = None, *, demo: bool = False) -> str:
    """The SQLAlchemy URL to open: ``--db`` wins, then ``KIOSK_DATABASE_URL``, then the file.

    With ``demo`` the demo file is used even when ``KIOSK_DATABASE_URL`` is set, so the
    demo cannot write into a configured school database.
    """
    if cli_url:
        return cli_url
    if demo:
        return demo_database_url()
    return os.environ.get(ENV_DATABASE_URL) or default_database_url()


def key_file_path(database_url: str) -> Path:
    """The card-signing key file, kept outside the database.

    ``KIOSK_KEY_FILE`` wins. A SQLite database keeps its key beside the database file
    (``kiosk.db`` -> ``kiosk.card.key``), so the demo school's cards never open the real
    school's database. A server database uses ``card.key`` in the data folder; every desk
    that shares the server needs a copy of the same key file.
    """
    override = os.environ.get(ENV_KEY_FILE)
    if override:
        return Path(override)
    if database_url.startswith("sqlite:///") and database_url != "sqlite:///:memory:":
        db_file = Path(database_url.removeprefix("sqlite:///"))
        return db_file.with_name(db_file.stem + ".card.key")
    return data_dir() / "card.key"


def sqlite_file(url: str) -> Path | None:
    """The file a ``sqlite:///PATH`` URL names, or None for an in-memory or server database.
    Never raises."""
    if not url.startswith("sqlite:///") or url in ("sqlite:///", "sqlite:///:memory:"):
        return None
    return Path(url.removeprefix("sqlite:///").split("?", 1)[0])


def describe_database(url: str) -> str:
    """Where the database at ``url`` is, for a person: the file's path for SQLite, else
    the URL with any password hidden. Never raises."""
    file = sqlite_file(url)
    if file is not None:
        return str(file)
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # a malformed URL is shown as it is, minus nothing secret to hide
        return url.split("@")[-1]
