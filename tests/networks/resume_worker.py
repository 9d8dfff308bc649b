"""Harvest a Mastodon-style server into SQLite, committing each page's posts with its cursor.

Run as ``python resume_worker.py URL DATABASE``; the fault-injection tests kill it mid-way and run it again.
Posts and the cursor after them are written in one transaction, so a harvest killed at any point resumes
with no post lost or repeated.
"""

from __future__ import annotations

import sqlite3
import sys

import consultkit as ck


class SQLiteSink:
    """A cursor store that also keeps the posts: `save_cursor` commits the page's posts with the cursor."""

    def __init__(self, path: str) -> None:
        self.db = sqlite3.connect(path, isolation_level="DEFERRED")
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")  # a killed process loses nothing committed
        self.db.execute("CREATE TABLE IF NOT EXISTS posts (id TEXT, created_at TEXT)")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS cursors (network TEXT, key TEXT, cursor TEXT, PRIMARY KEY (network, key))"  # noqa: E501
        )
        self.db.commit()

    def add(self, post: ck.Post) -> None:
        self.db.execute("INSERT INTO posts VALUES (?, ?)", (post.id, post.created_at.isoformat()))

    def load_cursor(self, network: str, query_key: str) -> str | None:
        row = self.db.execute(
            "SELECT cursor FROM cursors WHERE network = ? AND key = ?", (network, query_key)
        ).fetchone()
        return None if row is None else row[0]

    def save_cursor(self, network: str, query_key: str, cursor: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO cursors VALUES (?, ?, ?)", (network, query_key, cursor))
        self.db.commit()


def main(url: str, database: str) -> None:
    sink = SQLiteSink(database)
    with ck.network(
        "mastodon", instance=url, timeout=0.2, retries=15, cursor_store=sink, backoff=0.01
    ) as net:
        for post in net.search(ck.Query(hashtags=["buslanes"])):
            sink.add(post)
    sink.db.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
