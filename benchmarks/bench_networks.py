"""Benchmarks for the network adapters and drivers.

Run from the repository root::

    .venv/bin/python benchmarks/bench_networks.py

1. Parsing throughput per adapter: posts per second from a response body to validated, pseudonymised `Post`s,
   next to plain ``json.loads`` of the same bodies (the floor: decoding alone). Mastodon parses a full
   synthetic page of 40; the others their first recorded test fixture page.
2. Pace mode on the loopback server: a harvest in ``RateLimit(mode="pace")`` against a fixed-window quota
   (``X-RateLimit-*``; HTTP 429 past it), as the share of the allowed request rate it used and the 429s it
   got. Goal: at least 95% of the allowed rate with no 429.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import httpx

import consultkit as ck
from consultkit.networks.base import Adapter
from consultkit.networks.bluesky import Bluesky
from consultkit.networks.mastodon import Mastodon
from consultkit.networks.reddit import Reddit
from consultkit.networks.x import X
from consultkit.testing._faults import FakeMastodon, FaultServer

os.environ.setdefault("CONSULTKIT_PSEUDONYM_KEY", "benchmark-key-not-secret")
FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "networks" / "fixtures"


def parsing(adapter: Adapter, pages: int) -> tuple[float, float]:
    """Posts per second through the adapter, and through ``json.loads`` alone, over ``pages`` pages."""
    query = ck.Query(hashtags=["buslanes"])
    if isinstance(adapter, Mastodon):  # a full synthetic page
        api = FakeMastodon(adapter.max_page_size)
        _, headers, body = api.respond("/api/v1/timelines/tag/buslanes", {"limit": ["40"]})
    else:  # the first recorded search page of the test fixtures
        recorded = json.loads((FIXTURES / adapter.name / "search-page-1.json").read_text())["response"]
        headers, body = recorded["headers"], json.dumps(recorded["json"]).encode()
    request = adapter.search_request(query, None, since=None, until=None)
    response = httpx.Response(200, headers=headers, content=body, request=request)
    started = time.perf_counter()
    count = sum(len(adapter.parse_search(response, query).posts) for _ in range(pages))
    adapter_rate = count / (time.perf_counter() - started)
    started = time.perf_counter()
    for _ in range(pages):
        json.loads(body)
    return adapter_rate, count / (time.perf_counter() - started)


def pace(allowed: int, window: float, windows: int) -> tuple[float, int, int]:
    """Share of the allowed request rate a paced harvest used, its requests, and the 429s it got."""
    api = FakeMastodon(40 * allowed * windows * 4, quota=(allowed, window))
    with FaultServer(api) as server:
        net = ck.network("mastodon", instance=server.url, rate_limit=ck.RateLimit(mode="pace"))
        with net:
            posts = net.search(ck.Query(hashtags=["buslanes"]))
            next(posts)  # the first answer tells the quota; time from there
            started = time.perf_counter()
            first = api.served + api.rejected
            while time.perf_counter() - started < window * windows:
                next(posts)
            seconds = time.perf_counter() - started
            requests = api.served + api.rejected - first
    return requests / (allowed / window * seconds), requests, api.rejected


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=500, help="pages parsed per adapter (default: 500)")
    parser.add_argument("--windows", type=int, default=3, help="quota windows for the pace run (default: 3)")
    args = parser.parse_args()
    print(f"load: {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} CPUs")
    print("| Adapter | Posts/s (adapter) | Posts/s (json.loads) | Ratio |")
    print("|---|---|---|---|")
    for adapter in (Bluesky(), Mastodon(), Reddit(), X()):
        ours, plain = parsing(adapter, args.pages)
        print(f"| {adapter.name} | {ours:,.0f} | {plain:,.0f} | {plain / ours:.1f}x |")
    allowed, window = 30, 2.0
    share, requests, rejected = pace(allowed, window, args.windows)
    print(
        f"\npace mode: {share:.1%} of the allowed rate ({allowed} per {window:g} s) "
        f"over {requests} requests, {rejected} HTTP 429"
    )


if __name__ == "__main__":
    main()
