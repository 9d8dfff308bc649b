"""A shared department server: PostgreSQL through psycopg 3 (the ``[postgres]`` extra)."""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from .._exceptions import MissingResourceError, StoreError, StoreUnavailableError
from ._backend import Row

if TYPE_CHECKING:
    import psycopg

__all__ = ["PostgresBackend"]

#: Any number will do, as long as only consultkit's migrations take it: serialises concurrent upgrades.
_MIGRATION_LOCK = 0x636B_7374  # "ckst"


def _driver() -> Any:
    try:
        import psycopg  # noqa: PLC0415  # the [postgres] extra: imported only when a postgresql:// URL is opened
    except ImportError as exc:
        raise MissingResourceError("the PostgreSQL driver (psycopg 3)", extra="postgres") from exc
    return psycopg


@functools.lru_cache(maxsize=256)
def _placeholders(sql: str) -> str:
    """``?`` to psycopg's ``%s`` (the shared SQL holds no ``%`` or literal ``?``)."""
    return sql.replace("?", "%s")


class PostgresBackend:
    """One psycopg connection in autocommit mode; writes run in explicit transactions."""

    dialect = "postgresql"
    lock_rows = " FOR UPDATE"

    def __init__(self, url: str, label: str, *, password: str | None, connect_timeout: float) -> None:
        self._psycopg = _driver()
        self._label = label
        self._password = password
        with self._translate():
            self._conn: psycopg.Connection[Any] = self._psycopg.connect(
                url, autocommit=True, connect_timeout=max(1, round(connect_timeout))
            )

    def prepare_for_writes(self) -> None:
        """Nothing to do: the server manages its own files."""

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        with self._translate(), self._conn.cursor() as cursor:
            cursor.execute(_placeholders(sql), params, prepare=True)
            return cursor.fetchall() if cursor.description is not None else []

    def execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> int:
        with self._translate(), self._conn.cursor() as cursor:
            cursor.executemany(_placeholders(sql), rows)
            return cursor.rowcount

    def has_table(self, name: str) -> bool:
        return bool(self.execute("SELECT to_regclass(?) IS NOT NULL", (name,))[0][0])

    def begin(self, *, migrating: bool = False) -> None:
        self.execute("BEGIN")
        if migrating:
            self.execute("SELECT pg_advisory_xact_lock(?)", (_MIGRATION_LOCK,))

    def commit(self) -> None:
        self.execute("COMMIT")

    def rollback(self) -> None:
        with contextlib.suppress(self._psycopg.Error):
            self._conn.execute("ROLLBACK")

    def close(self) -> None:
        self._conn.close()

    @contextlib.contextmanager
    def _translate(self) -> Iterator[None]:
        try:
            yield
        except self._psycopg.OperationalError as exc:
            raise StoreUnavailableError(
                f"{self._label}: cannot reach the PostgreSQL server: {self._safe(exc)}"
            ) from None  # the driver's message may repeat the connection string: not chained
        except self._psycopg.IntegrityError as exc:
            raise StoreError(
                f"{self._label}: constraint violated, nothing written: {self._safe(exc)}"
            ) from exc
        except self._psycopg.Error as exc:
            raise StoreError(f"{self._label}: {self._safe(exc)}") from exc

    def _safe(self, exc: BaseException) -> str:
        text = " ".join(str(exc).split())
        return re.sub(re.escape(self._password), "***", text) if self._password else text
