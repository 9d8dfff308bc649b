"""Harvests over real sockets from a server that fails on purpose: nothing lost, nothing repeated."""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import anyio
import pytest

import consultkit as ck
from consultkit.testing._faults import FakeMastodon, FaultServer

WORKER = Path(__file__).parent / "resume_worker.py"
QUERY = ck.Query(hashtags=["buslanes"])


def no_sleep(seconds: float) -> None:
    """Injected faults do not need real waiting: a 429 here is not a real quota."""


async def no_asleep(seconds: float) -> None:
    """The async twin of `no_sleep`."""


def test_ten_thousand_posts_at_a_twenty_percent_fault_rate_arrive_exactly_once() -> None:
    api = FakeMastodon(10_000)
    with FaultServer(api, fault_rate=0.2, slow_seconds=0.25, random_state=1) as server:
        options = {"instance": server.url, "timeout": 0.1, "retries": 12, "sleep": no_sleep}
        with ck.network("mastodon", **options) as net:
            ids = [post.id for post in net.search(QUERY)]
    assert len(ids) == 10_000
    assert set(ids) == {s["id"] for s in api.statuses}
    assert all(count > 0 for count in server.faults_served.values()), server.faults_served
    assert net.stats["retries"] == sum(server.faults_served.values()) - server.faults_served["429"]
    assert net.stats["rate limited"] == server.faults_served["429"]


def test_the_async_twin_survives_the_same_faults() -> None:
    api = FakeMastodon(2_000)

    async def harvest(url: str) -> list[str]:
        options = {"instance": url, "timeout": 0.1, "retries": 12, "sleep": no_asleep}
        async with ck.async_network("mastodon", **options) as net:
            return [post.id async for post in net.search(QUERY)]

    with FaultServer(api, fault_rate=0.2, slow_seconds=0.25, random_state=2) as server:
        ids = anyio.run(harvest, server.url)
    assert sorted(ids) == sorted(s["id"] for s in api.statuses)
    assert len(ids) == len(set(ids))


def test_exhausted_retries_against_a_failing_server_raise_network_error() -> None:
    with (
        FaultServer(FakeMastodon(10), fault_rate=1.0, faults=["503"]) as server,
        ck.network("mastodon", instance=server.url, retries=2, sleep=no_sleep) as net,
        pytest.raises(ck.NetworkError, match="gave up after 3 attempts; last: HTTP 503"),
    ):
        list(net.search(QUERY))


def committed(database: Path) -> int:
    with contextlib.closing(sqlite3.connect(database)) as db:
        try:
            return int(db.execute("SELECT count(*) FROM posts").fetchone()[0])
        except sqlite3.OperationalError:  # the worker has not made the table yet
            return 0


def test_a_harvest_killed_mid_way_resumes_from_the_store_exactly_once(tmp_path: Path) -> None:
    database = tmp_path / "harvest.db"
    api = FakeMastodon(4_000)
    with FaultServer(api, fault_rate=0.1, slow_seconds=0.3, retry_after=0.01, random_state=3) as server:
        command = [sys.executable, str(WORKER), server.url, str(database)]
        worker = subprocess.Popen(command)
        try:
            deadline = time.monotonic() + 30
            while committed(database) < 1_000 and worker.poll() is None and time.monotonic() < deadline:
                time.sleep(0.005)
            worker.kill()  # SIGKILL: no clean-up, no last commit
        finally:
            worker.wait()
        killed_at = committed(database)
        assert 1_000 <= killed_at < 4_000, killed_at
        subprocess.run(command, check=True, timeout=60)
    with contextlib.closing(sqlite3.connect(database)) as db:
        ids = [row[0] for row in db.execute("SELECT id FROM posts")]
        (cursor,) = db.execute("SELECT cursor FROM cursors").fetchone()
    assert len(ids) == 4_000
    assert set(ids) == {s["id"] for s in api.statuses}
    assert cursor == ""  # finished: nothing left to resume
