"""The embedded default: stdlib `sqlite3`, WAL mode, a busy timeout so two writers take turns."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from .._exceptions import StoreError, StoreUnavailableError
from ._backend import Row

__all__ = ["SQLiteBackend"]


class SQLiteBackend:
    """A SQLite file (or ``:memory:``) in autocommit mode; writes run in ``BEGIN IMMEDIATE`` transactions.

    ``BEGIN IMMEDIATE`` takes the write lock at the start, so two processes never deadlock upgrading a read
    lock; the other writer waits up to ``busy_timeout`` seconds.
    """

    dialect = "sqlite"
    lock_rows = ""

    def __init__(self, path: str, label: str, *, busy_timeout: float) -> None:
        self._label = label
        with self._translate():
            self._conn = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None)
        try:
            with self._translate():
                self._conn.execute("PRAGMA foreign_keys = ON")
                self._conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # "not a database"?
        except BaseException:
            self._conn.close()
            raise

    def prepare_for_writes(self) -> None:
        """Switch to WAL (readers never block the writer) once the schema is known to be ours."""
        with self._translate():
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = NORMAL")  # WAL keeps the file consistent on a crash

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        with self._translate():
            return self._conn.execute(sql, params).fetchall()

    def execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> int:
        with self._translate():
            return self._conn.executemany(sql, rows).rowcount

    def has_table(self, name: str) -> bool:
        rows = self.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,))
        return bool(rows)

    def begin(self, *, migrating: bool = False) -> None:
        self.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self.execute("COMMIT")

    def rollback(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")

    def close(self) -> None:
        self._conn.close()

    @contextlib.contextmanager
    def _translate(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.OperationalError as exc:
            text = str(exc)
            if "locked" in text or "busy" in text:
                raise StoreUnavailableError(
                    f"{self._label}: the database stayed locked by another writer past the busy timeout "
                    f"({text}); try again, or raise busy_timeout"
                ) from exc
            raise StoreError(f"{self._label}: {text}") from exc
        except sqlite3.IntegrityError as exc:
            raise StoreError(f"{self._label}: constraint violated, nothing written: {exc}") from exc
        except sqlite3.Error as exc:
            raise StoreError(f"{self._label}: {exc}") from exc
