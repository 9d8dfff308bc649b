"""`Store`: one API over SQLite (the embedded default) and PostgreSQL (a shared department server)."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, TYPE_CHECKING, Any

from .._consultation import Consultation, Response, Theme
from .._exceptions import StoreError
from .._models import Post, Query
from ..summarize import RunManifest, Summary
from . import _rows
from ._backend import Backend, Row
from ._postgres import PostgresBackend
from ._review import (
    AUDIT_COLUMNS,
    AuditEvent,
    ResponseRef,
    Review,
    event_from_row,
    export_changes,
    response_ref,
    review_changes,
)
from ._rows import POST_COLUMNS
from ._schema import LATEST, check_version, migrate, now
from ._sqlite import SQLiteBackend
from ._url import StoreURL, parse_url

if TYPE_CHECKING:
    from types import TracebackType

__all__ = ["Store"]

#: Rows read per query when a method streams (posts, responses, audit events): memory stays flat.
PAGE_SIZE = 2_000

_UPSERT_POST = (
    f"INSERT INTO posts ({POST_COLUMNS}) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (network, id) DO UPDATE SET "
    "revision = posts.revision + (CASE WHEN posts.data = excluded.data THEN 0 ELSE 1 END), "
    "created_at = excluded.created_at, metrics = excluded.metrics, data = excluded.data "
    "WHERE posts.data <> excluded.data OR posts.metrics <> excluded.metrics "
    "OR posts.created_at <> excluded.created_at"
)
_UPSERT_RESPONSE = (
    "INSERT INTO responses (consultation_id, network, post_id, question_id, matched_by, in_window, choices, "
    "declared_stance) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (consultation_id, network, post_id, question_id) DO UPDATE SET "
    "matched_by = excluded.matched_by, in_window = excluded.in_window, choices = excluded.choices, "
    "declared_stance = excluded.declared_stance"
)

_COUNTED = (
    "consultations",
    "posts",
    "post_revisions",
    "responses",
    "cursors",
    "themes",
    "runs",
    "audit_events",
)


class Store:
    """Where a consultation's posts, responses, themes, runs and analyst decisions are kept.

    ``url`` is a file path or ``sqlite:///path`` (SQLite, created if missing) or ``postgresql://...``
    (needs the ``[postgres]`` extra). Opening upgrades an older schema; a newer one raises
    `SchemaVersionError`. Close the store, or use it as a context manager. One `Store` is one connection:
    give each thread or process its own.
    """

    def __init__(self, url: str | os.PathLike[str], *, timeout: float = 30.0) -> None:
        parsed = parse_url(url)
        self.url = parsed.label
        self._backend = _connect(parsed, timeout)
        self._depth = 0
        try:
            version = check_version(self._backend, self.url)  # a newer store fails here, untouched
            self._backend.prepare_for_writes()
            if version < LATEST:
                migrate(self._backend, self.url)
        except BaseException:
            self._backend.close()
            raise

    def __repr__(self) -> str:
        return f"<Store {self._backend.dialect} {self.url!r}>"

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection; a transaction still open is rolled back."""
        self._backend.rollback()
        self._backend.close()

    @property
    def backend(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self._backend.dialect

    @property
    def schema_version(self) -> int:
        """The version of the store's schema (see ``schema_version`` table)."""
        return check_version(self._backend, self.url)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Make every write inside the block one transaction: all of it is stored, or none of it.

        Writes outside a block commit one batch at a time. Blocks nest; the outermost one commits.
        """
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._backend.begin()
        self._depth = 1
        try:
            yield
        except BaseException:
            self._backend.rollback()
            raise
        finally:
            self._depth = 0
        self._backend.commit()

    # -- consultations -----------------------------------------------------------------------------

    def save_consultation(self, consultation: Consultation) -> None:
        """Store a consultation and its questions, replacing an earlier version with the same id."""
        data = _rows.dumps(consultation.to_dict())
        with self.transaction():
            self._backend.execute(
                "INSERT INTO consultations (id, data, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
                (consultation.id, data, now()),
            )

    def consultation(self, consultation_id: str) -> Consultation:
        """The consultation saved under that id; `StoreError` names the known ids when there is none."""
        rows = self._backend.execute("SELECT data FROM consultations WHERE id = ?", (consultation_id,))
        if not rows:
            known = [r[0] for r in self._backend.execute("SELECT id FROM consultations ORDER BY id")]
            raise StoreError(
                f"{self.url}: no consultation {consultation_id!r}; known: {', '.join(known) or 'none'}"
            )
        return Consultation.from_dict(json.loads(rows[0][0]))

    def consultations(self) -> list[Consultation]:
        """Every saved consultation, by id."""
        rows = self._backend.execute("SELECT data FROM consultations ORDER BY id")
        return [Consultation.from_dict(json.loads(data)) for (data,) in rows]

    # -- posts -------------------------------------------------------------------------------------

    def add_posts(self, posts: Iterable[Post], *, batch_size: int = 10_000) -> int:
        """Insert or update posts by ``(network, id)``; return how many were new or changed.

        A post seen before is left alone when nothing changed and updated when something did; when more than
        its counts (``metrics``) changed, that is an edit and the earlier version is kept (see
        `post_history`). Each batch is one transaction; inside `transaction` the whole call is. Posts stream
        through: memory holds a few of them at a time, however many there are.
        """
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        rows = map(_post_row, posts)
        written = 0
        while (first := next(rows, None)) is not None:
            with self.transaction():  # the rows go to the driver as they are made: nothing piles up
                written += self._backend.execute_many(
                    _UPSERT_POST, itertools.chain((first,), itertools.islice(rows, batch_size - 1))
                )
        return written

    def post(self, network: str, post_id: str) -> Post | None:
        """The current version of a post, or None."""
        rows = self._backend.execute(
            f"SELECT {POST_COLUMNS} FROM posts WHERE network = ? AND id = ?",
            (network.strip().lower(), post_id),
        )
        return _rows.post_from_row(rows[0]) if rows else None

    def post_history(self, network: str, post_id: str) -> list[Post]:
        """Every stored version of a post, oldest first; the last is the current one."""
        key = (network.strip().lower(), post_id)
        rows = self._backend.execute(
            f"SELECT {POST_COLUMNS} FROM post_revisions WHERE network = ? AND id = ? ORDER BY revision", key
        )
        current = self.post(*key)
        return [_rows.post_from_row(row) for row in rows] + ([current] if current else [])

    def posts(self, *, network: str | None = None) -> Iterator[Post]:
        """Every post, in the order first stored, read a page at a time."""
        where, params = ("network = ? AND ", (network.strip().lower(),)) if network else ("", ())
        for row in self._pages(f"SELECT seq, {POST_COLUMNS} FROM posts WHERE {where}seq > ?", params):
            yield _rows.post_from_row(row[1:])

    def _pages(self, select: str, params: Sequence[Any], *, column: str = "seq") -> Iterator[Row]:
        """Keyset pagination: ``select`` ends in ``column > ?`` and selects ``column`` first."""
        last = 0
        while True:
            rows = self._backend.execute(f"{select} ORDER BY {column} LIMIT {PAGE_SIZE}", (*params, last))
            yield from rows
            if len(rows) < PAGE_SIZE:
                return
            last = rows[-1][0]

    # -- responses ---------------------------------------------------------------------------------

    def add_responses(
        self, consultation_id: str, responses: Iterable[Response], *, batch_size: int = 10_000
    ) -> int:
        """Store responses to a saved consultation, with their posts; return how many were given.

        A response is identified by ``(consultation, network, post id, question id)``: storing it again
        updates how it was matched and keeps the analysts' theme, review and flag.
        """
        count = 0
        with self.transaction():
            batch: list[Response] = []
            for response in responses:
                batch.append(response)
                if len(batch) >= batch_size:
                    count += self._write_responses(consultation_id, batch)
                    batch = []
            count += self._write_responses(consultation_id, batch)
        return count

    def _write_responses(self, consultation_id: str, batch: list[Response]) -> int:
        self.add_posts(r.post for r in batch)
        self._backend.execute_many(
            _UPSERT_RESPONSE,
            (
                (
                    consultation_id,
                    r.post.network,
                    r.post.id,
                    r.question_id,
                    r.matched_by.value,
                    int(r.in_window),
                    _rows.dumps(list(r.choices)),
                    r.declared_stance,
                )
                for r in batch
            ),
        )
        return len(batch)

    def responses(self, consultation_id: str, *, question_id: str | None = None) -> Iterator[Response]:
        """The responses to a consultation (or one question), in the order first stored, a page at a time."""
        where, params = "r.consultation_id = ?", [consultation_id]
        if question_id is not None:
            where, params = where + " AND r.question_id = ?", [*params, question_id]
        select = (
            "SELECT r.seq, p.network, p.id, p.created_at, p.metrics, p.data, "
            "r.question_id, r.matched_by, r.in_window, r.choices, r.declared_stance "
            "FROM responses r JOIN posts p ON p.network = r.network AND p.id = r.post_id "
            f"WHERE {where} AND r.seq > ?"
        )
        for row in self._pages(select, params, column="r.seq"):
            yield _rows.response_from_row(row[1:])

    # -- harvest cursors ---------------------------------------------------------------------------

    def save_cursor(self, network: str, query: Query | str, cursor: str) -> None:
        """Remember where a harvest of ``query`` on ``network`` got to (the next page's cursor).

        Save it in the same `transaction` as that page's posts, so a crash never skips or repeats a page.
        """
        if not isinstance(cursor, str) or not cursor:
            raise ValueError(
                f"a cursor must be a non-empty string, got {cursor!r}; use clear_cursor to forget"
            )
        with self.transaction():
            self._backend.execute(
                "INSERT INTO cursors (network, query_key, cursor, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (network, query_key) DO UPDATE SET cursor = excluded.cursor, "
                "updated_at = excluded.updated_at",
                (*_cursor_key(network, query), cursor, now()),
            )

    def load_cursor(self, network: str, query: Query | str) -> str | None:
        """The cursor saved for ``query`` on ``network``, or None when there is none (start afresh)."""
        rows = self._backend.execute(
            "SELECT cursor FROM cursors WHERE network = ? AND query_key = ?", _cursor_key(network, query)
        )
        return str(rows[0][0]) if rows else None

    def clear_cursor(self, network: str, query: Query | str) -> None:
        """Forget the cursor (the harvest finished, or should start again)."""
        with self.transaction():
            self._backend.execute(
                "DELETE FROM cursors WHERE network = ? AND query_key = ?", _cursor_key(network, query)
            )

    # -- themes, runs and review -------------------------------------------------------------------

    def save_themes(
        self,
        consultation_id: str,
        themes: Sequence[Theme],
        responses: Sequence[Response],
        labels: Sequence[int | None],
    ) -> None:
        """Store the machine's themes and which theme each response is in (``labels[i]`` for
        ``responses[i]``; None or -1 for none), replacing earlier machine themes.

        Refused once analysts have reviewed the consultation's themes: their decisions are never overwritten.
        """
        if len(labels) != len(responses):
            raise ValueError(f"{len(responses)} responses but {len(labels)} labels; give one label each")
        ids = {theme.id for theme in themes}
        unknown = sorted({int(label) for label in labels if label is not None and label >= 0} - ids)
        if unknown:
            raise ValueError(f"labels name themes that are not given: {unknown}")
        with self.transaction():
            events = self._backend.execute(
                "SELECT count(*) FROM audit_events WHERE consultation_id = ?", (consultation_id,)
            )[0][0]
            if events:
                raise StoreError(
                    f"{self.url}: analysts have made {events} review changes to consultation "
                    f"{consultation_id!r}; save_themes would overwrite them. Save the new themes under a "
                    "new consultation id"
                )
            self.add_responses(consultation_id, responses)
            self._backend.execute("DELETE FROM themes WHERE consultation_id = ?", (consultation_id,))
            self._backend.execute_many(
                "INSERT INTO themes (consultation_id, id, label, machine_label, data) VALUES (?, ?, ?, ?, ?)",
                ((consultation_id, t.id, t.label, t.label, _rows.dumps(t.to_dict())) for t in themes),
            )
            self._backend.execute(
                "UPDATE responses SET theme_id = NULL, machine_theme_id = NULL WHERE consultation_id = ?",
                (consultation_id,),
            )
            self._backend.execute_many(
                "UPDATE responses SET theme_id = ?, machine_theme_id = ? WHERE consultation_id = ? "
                "AND network = ? AND post_id = ? AND question_id = ?",
                (
                    (label, label, consultation_id, r.post.network, r.post.id, r.question_id)
                    for r, label in zip(responses, labels, strict=True)
                    if label is not None and label >= 0
                ),
            )

    def themes(self, consultation_id: str) -> list[Theme]:
        """The consultation's themes after review, by id; ``size`` and ``share`` count their responses now."""
        rows = self._backend.execute(
            "SELECT t.data, t.label, "
            "(SELECT count(*) FROM responses r WHERE r.consultation_id = t.consultation_id "
            "AND r.theme_id = t.id) FROM themes t "
            "WHERE t.consultation_id = ? AND t.status = 'active' ORDER BY t.id",
            (consultation_id,),
        )
        total = sum(int(size) for _, _, size in rows)
        return [
            Theme.from_dict(
                {**json.loads(data), "label": label, "size": size, "share": size / total if total else 0.0}
            )
            for data, label, size in rows
        ]

    def theme_of(self, consultation_id: str, response: Response | ResponseRef) -> int | None:
        """The theme a response is in now (None when it is in none)."""
        theme = self._response_row(consultation_id, response)[0]
        return None if theme is None else int(theme)

    def _response_row(self, consultation_id: str, response: Response | ResponseRef) -> Row:
        """``(theme_id, reviewed, flagged)`` of a stored response, or `StoreError`."""
        key = response_ref(response)
        rows = self._backend.execute(
            "SELECT theme_id, reviewed, flagged FROM responses WHERE consultation_id = ? "
            f"AND network = ? AND post_id = ? AND question_id = ?{self._backend.lock_rows}",
            (consultation_id, *key),
        )
        if not rows:
            raise StoreError(f"{self.url}: consultation {consultation_id!r} has no response {key}")
        return rows[0]

    def save_run(
        self, manifest: RunManifest, *, consultation_id: str | None = None, summary: Summary | None = None
    ) -> int:
        """Record a summary run (its manifest, and the summary itself when given); return the run's number."""
        with self.transaction():
            rows = self._backend.execute(
                "INSERT INTO runs (consultation_id, manifest, summary, created_at) VALUES (?, ?, ?, ?) "
                "RETURNING seq",
                (
                    consultation_id,
                    _rows.dumps(manifest.to_dict()),
                    None if summary is None else _rows.dumps(summary.to_dict()),
                    now(),
                ),
            )
        return int(rows[0][0])

    def runs(self, consultation_id: str | None = None) -> list[RunManifest]:
        """The manifests of recorded runs, oldest first (of one consultation when given)."""
        where, params = ("WHERE consultation_id = ? ", (consultation_id,)) if consultation_id else ("", ())
        rows = self._backend.execute(f"SELECT manifest FROM runs {where}ORDER BY seq", params)
        return [RunManifest.from_dict(json.loads(data)) for (data,) in rows]

    def summary(self, run: int) -> Summary | None:
        """The summary saved with run number ``run``, or None when that run kept only its manifest."""
        rows = self._backend.execute("SELECT summary FROM runs WHERE seq = ?", (run,))
        if not rows:
            raise StoreError(f"{self.url}: no run {run}")
        return None if rows[0][0] is None else Summary.from_dict(json.loads(rows[0][0]))

    def review(self, consultation_id: str, *, analyst: str) -> Review:
        """Review actions on a consultation's themes and responses, each recorded as done by ``analyst``."""
        self.consultation(consultation_id)  # fail early on an unknown consultation
        return Review(self, consultation_id, analyst=analyst)

    def audit_trail(self, consultation_id: str) -> Iterator[AuditEvent]:
        """Every review change to a consultation, oldest first (append-only: events are never altered)."""
        select = f"SELECT seq, {AUDIT_COLUMNS} FROM audit_events WHERE consultation_id = ? AND seq > ?"
        for row in self._pages(select, (consultation_id,)):
            yield event_from_row(row)

    def review_changes(self, consultation_id: str) -> list[dict[str, Any]]:
        """Where analysts changed the machine's output: a row per changed theme, then per changed response.

        Every row has the keys in ``CHANGE_FIELDS`` (``kind`` is ``"theme"`` or ``"response"``), with the
        machine's value next to the analysts', how many audit events touched it, and who changed it last.
        """
        return review_changes(self, consultation_id)

    def export_review(
        self,
        consultation_id: str,
        target: str | os.PathLike[str] | IO[str],
        *,
        format: str | None = None,
    ) -> int:
        """Write `review_changes` as CSV or JSON (``format``, else the file's extension); return the rows."""
        if format is None:
            if not isinstance(target, (str, os.PathLike)):
                raise ValueError("give format='csv' or format='json' when writing to an open file")
            format = os.fspath(target).rsplit(".", 1)[-1].lower()
        return export_changes(self.review_changes(consultation_id), target, format=format)

    def stats(self) -> dict[str, int]:
        """How many rows each part of the store holds, and the schema version."""
        counts = {t: int(self._backend.execute(f"SELECT count(*) FROM {t}")[0][0]) for t in _COUNTED}
        counts["schema_version"] = self.schema_version
        return counts

    # -- plumbing shared with Review ---------------------------------------------------------------

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return self._backend.execute(sql, params)


def _post_row(post: Post) -> tuple[str, str, str, str, str]:
    if not isinstance(post, Post):
        raise TypeError(f"add_posts takes Post objects, got {type(post).__name__}")
    return _rows.post_row(post)


def _cursor_key(network: str, query: Query | str) -> tuple[str, str]:
    key = _rows.dumps(query.to_dict()) if isinstance(query, Query) else query
    if not isinstance(key, str) or not key:
        raise ValueError(f"a query key must be a Query or a non-empty string, got {query!r}")
    return (network.strip().lower(), key)


def _connect(url: StoreURL, timeout: float) -> Backend:
    if url.backend == "sqlite":
        return SQLiteBackend(url.target, url.label, busy_timeout=timeout)
    return PostgresBackend(url.target, url.label, password=url.password, connect_timeout=timeout)
