"""Store benchmark: bulk insert of posts into SQLite (and PostgreSQL), throughput and peak memory.

Run from the repository root::

    .venv/bin/python benchmarks/bench_store.py              # 10k and 100k posts
    .venv/bin/python benchmarks/bench_store.py --full       # adds 1M posts (a few minutes)
    .venv/bin/python benchmarks/bench_store.py --postgres   # also PostgreSQL, on a throwaway local server

Posts come in chunks of 10,000 built from one synthetic consultation, each chunk with fresh, growing ids,
so every post is new and only one chunk is in memory; only the store calls are timed. Peak memory is what
tracemalloc sees above the chunk while the store works, in a second pass (tracemalloc slows code, so it
never runs while timing). The baseline is what one would write by hand: stdlib ``sqlite3`` ``executemany`` of
``(network, id, json.dumps(post.to_dict()))`` tuples into a table keyed by ``(network, id)``, one transaction
per chunk, in WAL mode: it keeps no edit history and does not skip unchanged posts. The time ratio is
consultkit's time over the baseline's (below 1: faster). The machine's load average is printed before and
after: on a busy machine every figure drops, the ratio much less.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sqlite3
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import attrs

import consultkit as ck
from consultkit.store import Store
from consultkit.store._throwaway import PostgresUnavailable, throwaway_postgres
from consultkit.testing import make_consultation

CHUNK = 10_000


def chunks(sample: Sequence[ck.Post], n_posts: int) -> Iterator[list[ck.Post]]:
    """``n_posts`` distinct posts, a chunk at a time: the sample again, ids prefixed by the chunk number.

    So ids grow from chunk to chunk, as a network's ids grow over a harvest. (Ids in random order insert
    slower once the ``(network, id)`` index outgrows the cache: about a third of the rate by 1M posts.)
    """
    for number in range(0, n_posts, CHUNK):
        size = min(CHUNK, n_posts - number)
        tag = number // CHUNK
        yield [attrs.evolve(post, id=f"{tag:05d}-{post.id}") for post in sample[:size]]


class Baseline:
    """Plain sqlite3: executemany of tuples into one keyed table."""

    def __init__(self, path: str) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = NORMAL")
        self.conn.execute("CREATE TABLE posts (network TEXT, id TEXT, data TEXT, PRIMARY KEY (network, id))")

    def add_posts(self, posts: Sequence[ck.Post]) -> None:
        self.conn.execute("BEGIN")
        self.conn.executemany(
            "INSERT OR REPLACE INTO posts VALUES (?, ?, ?)",
            ((p.network, p.id, json.dumps(p.to_dict())) for p in posts),
        )
        self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()


def timed(target: Any, sample: Sequence[ck.Post], n_posts: int) -> float:
    """Seconds spent in ``target.add_posts`` over all chunks."""
    seconds = 0.0
    for chunk in chunks(sample, n_posts):
        started = time.perf_counter()
        target.add_posts(chunk)
        seconds += time.perf_counter() - started
    return seconds


def peak(target: Any, sample: Sequence[ck.Post], n_posts: int) -> float:
    """Largest memory (MiB) any ``add_posts`` call held above what was allocated before it."""
    worst = 0
    tracemalloc.start()
    for chunk in chunks(sample, n_posts):
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        target.add_posts(chunk)
        worst = max(worst, tracemalloc.get_traced_memory()[1] - before)
    tracemalloc.stop()
    return worst / 2**20


def measure(
    open_target: Callable[[str], Any], sample: Sequence[ck.Post], n_posts: int
) -> tuple[float, float]:
    """(posts per second, peak MiB), each pass into a fresh, empty store."""
    results = []
    for run in (timed, peak):
        with tempfile.TemporaryDirectory() as scratch:
            target = open_target(os.path.join(scratch, "bench.db"))
            try:
                results.append(run(target, sample, n_posts))
            finally:
                target.close()
    seconds, mib = results
    return n_posts / seconds, mib


def fresh_postgres(url: str) -> Callable[[str], Store]:
    """Open the server's store after emptying it, so each pass starts from nothing."""

    def open_store(_: str) -> Store:
        store = Store(url)
        with store.transaction():
            store._execute("TRUNCATE posts, post_revisions CASCADE")
        return store

    return open_store


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="also run 1,000,000 posts")
    parser.add_argument("--sizes", type=int, nargs="*", help="post counts to run instead of the defaults")
    parser.add_argument("--postgres", action="store_true", help="also PostgreSQL on a throwaway local server")
    args = parser.parse_args(argv)
    sizes = args.sizes or ([10_000, 100_000, 1_000_000] if args.full else [10_000, 100_000])
    sample = make_consultation(n_posts=CHUNK, random_state=0).posts[:CHUNK]
    print(f"consultkit {ck.__version__}, Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}")
    print(f"load average before: {', '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    print("| backend | posts | posts/s | peak MiB | baseline posts/s | baseline peak MiB | time ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    with contextlib.ExitStack() as stack:
        postgres = None
        if args.postgres:
            try:
                postgres = stack.enter_context(throwaway_postgres())
            except PostgresUnavailable as exc:
                print(f"PostgreSQL skipped: {exc}", file=sys.stderr)
        for n_posts in sizes:
            base_rate, base_mib = measure(Baseline, sample, n_posts)
            targets: list[tuple[str, Callable[[str], Any]]] = [("sqlite", Store)]
            if postgres is not None:
                targets.append(("postgresql", fresh_postgres(postgres)))
            for name, open_target in targets:
                rate, mib = measure(open_target, sample, n_posts)
                print(
                    f"| {name} | {n_posts:,} | {rate:,.0f} | {mib:.2f} | {base_rate:,.0f} | {base_mib:.2f} | "
                    f"{base_rate / rate:.2f}x |",
                    flush=True,
                )
    print(f"load average after: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
