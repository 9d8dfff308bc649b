"""What the `Store` needs from a database: the small protocol both backends implement.

SQL is written once, with ``?`` placeholders and syntax that SQLite and PostgreSQL share (``ON CONFLICT``,
``RETURNING``); a backend adapts the placeholders and translates its driver's errors into `StoreError`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol

__all__ = ["Backend", "Row"]

Row = tuple[Any, ...]


class Backend(Protocol):
    """One open connection to a store's database."""

    #: ``"sqlite"`` or ``"postgresql"``: picks the dialect-specific statements of a migration.
    dialect: str
    #: Appended to a ``SELECT`` that reads rows it is about to change ("" where the whole file is locked).
    lock_rows: str

    def prepare_for_writes(self) -> None:
        """Set the connection up for writing, once the schema is known not to be newer than ours."""

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """Run one statement; return its rows (empty for statements without a result)."""

    def execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> int:
        """Run one statement for each parameter row, as a prepared statement; return the rows changed."""

    def has_table(self, name: str) -> bool:
        """Whether a table of that name exists."""

    def begin(self, *, migrating: bool = False) -> None:
        """Start a write transaction (``migrating``: also take the lock that serialises schema changes)."""

    def commit(self) -> None:
        """Commit the open transaction."""

    def rollback(self) -> None:
        """Roll the open transaction back; never raises for a connection that is already gone."""

    def close(self) -> None:
        """Close the connection (idempotent)."""
