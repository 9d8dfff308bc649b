"""SQLite specifics: WAL, two writing processes, a crash mid-transaction, locked and foreign files."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import consultkit as ck
from consultkit.store._schema import LATEST


def _run(script: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


WRITER = """
    import sys
    import consultkit as ck

    path, tag = sys.argv[1], sys.argv[2]
    posts = [
        ck.Post(network="mastodon", id=f"{tag}-{n}" if n % 2 else f"shared-{n}", text=f"{tag} {n}",
                created_at="2025-03-01T09:00:00Z")
        for n in range(1500)
    ]
    with ck.Store(path) as store:
        for start in range(0, len(posts), 25):
            store.add_posts(posts[start : start + 25])
"""


def test_two_processes_writing_one_file_lose_nothing(tmp_path: Path) -> None:
    path = str(tmp_path / "shared.db")
    ck.Store(path).close()
    writers = [_run(WRITER, path, tag) for tag in ("a", "b")]
    for writer in writers:
        _, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
    with ck.Store(path) as store:
        ids = [p.id for p in store.posts()]
    assert len(ids) == len(set(ids)) == 750 * 2 + 750
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()


CRASH = """
    import os, sys
    import consultkit as ck

    with ck.Store(sys.argv[1]) as store:
        with store.transaction():
            store.add_posts(
                (ck.Post(network="mastodon", id=str(n), text="new", created_at="2025-03-01T09:00:00Z")
                 for n in range(500)),
                batch_size=50,
            )
            os._exit(3)  # the process dies mid-transaction: no commit, no clean-up
"""


def test_a_crash_mid_transaction_leaves_the_store_as_before(tmp_path: Path) -> None:
    path = str(tmp_path / "crash.db")
    before = ck.Post(network="mastodon", id="7", text="before", created_at="2025-03-01T09:00:00Z")
    with ck.Store(path) as store:
        store.add_posts([before])
    crashed = _run(CRASH, path)
    crashed.communicate(timeout=120)
    assert crashed.returncode == 3
    with ck.Store(path) as store:
        assert list(store.posts()) == [before]
        assert store.stats()["post_revisions"] == 0


def test_the_file_is_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "wal.db"
    ck.Store(path).close()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    finally:
        conn.close()


def test_a_writer_locked_out_past_the_timeout_gets_a_clear_error(tmp_path: Path) -> None:
    path = str(tmp_path / "locked.db")
    ck.Store(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        with ck.Store(path, timeout=0.2) as store:
            with pytest.raises(ck.StoreUnavailableError, match="locked by another writer") as info:
                store.add_posts([ck.Post(network="m", id="1", text="x", created_at="2025-03-01T09:00:00Z")])
            assert isinstance(info.value, ConnectionError)
    finally:
        holder.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_newer_file_is_refused_byte_for_byte_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    ck.Store(path).close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("INSERT INTO schema_version VALUES (?, '2030-01-01T00:00:00Z', '9.0')", (LATEST + 1,))
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    digest = _digest(path)
    with pytest.raises(ck.SchemaVersionError, match="was not changed"):
        ck.Store(path)
    assert _digest(path) == digest


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("shopping list\n" * 100, encoding="utf-8")
    with pytest.raises(ck.StoreError, match=r"notes\.db: file is not a database"):
        ck.Store(path)
    assert path.read_text(encoding="utf-8") == "shopping list\n" * 100


def test_a_missing_directory_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ck.StoreError, match="unable to open database file"):
        ck.Store(tmp_path / "no" / "such" / "dir" / "store.db")


def test_sqlite_urls_and_memory_stores_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with ck.Store("sqlite:///relative.db") as store:
        store.add_posts([ck.Post(network="m", id="1", text="x", created_at="2025-03-01T09:00:00Z")])
    assert (tmp_path / "relative.db").exists()
    with ck.Store(f"sqlite:///{tmp_path}/absolute.db") as store:
        assert store.url == f"{tmp_path}/absolute.db"
    with ck.Store("sqlite:///:memory:") as store:
        assert store.stats()["posts"] == 0
