"""Store fixtures: every contract test runs on SQLite and on a real, throwaway PostgreSQL server.

The server starts once per session (``initdb`` + ``pg_ctl`` in a temporary directory, Unix socket only) and
is stopped even when tests fail. When it cannot start, or psycopg is not installed, the PostgreSQL tests are
skipped with the reason shown in pytest's summary (``-ra``); CI installs both, so there they always run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from consultkit.store import Store
from consultkit.store._throwaway import PostgresUnavailable, throwaway_postgres


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The URL of a throwaway PostgreSQL database, or a skip saying why there is none."""
    try:
        import psycopg  # noqa: F401  # the driver must be importable for the PostgreSQL tests
    except ImportError:
        pytest.skip('PostgreSQL tests need psycopg: pip install "consultkit[postgres]"')
    try:
        with throwaway_postgres() as url:
            yield url
    except PostgresUnavailable as exc:
        pytest.skip(f"PostgreSQL could not be started: {exc}")


@pytest.fixture
def fresh_postgres(postgres_server: str) -> Callable[[], str]:
    """A function that empties the throwaway database (tables, functions, triggers) and returns its URL."""
    import psycopg

    def reset() -> str:
        with psycopg.connect(postgres_server, autocommit=True) as conn:
            conn.execute("DROP SCHEMA public CASCADE")
            conn.execute("CREATE SCHEMA public")
        return postgres_server

    return reset


@pytest.fixture
def postgres_url(fresh_postgres: Callable[[], str]) -> str:
    """The throwaway server's URL, its database emptied for this test."""
    return fresh_postgres()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL for an empty store, on each backend."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """An open, empty store on each backend, closed after the test."""
    with Store(store_url) as opened:
        yield opened
