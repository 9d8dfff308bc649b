"""Test network adapters without the internet: `FixtureTransport` serves recorded responses, `check_network`
runs the contract every adapter must meet."""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import anyio
import httpx

from .._exceptions import AuthenticationError, NotFoundError, RateLimitedError, ResponseFormatError
from .._models import Post, Query
from ..networks import AsyncNetwork, Network, RateLimit
from ..networks._driver import Mode
from ..networks.base import Adapter

__all__ = ["FixtureTransport", "check_network"]

Handler = Callable[[httpx.Request], httpx.Response]


class FixtureTransport(httpx.MockTransport):
    """An `httpx.MockTransport` that answers each request from recorded JSON fixtures.

    ``root`` is a directory of ``*.json`` files (searched recursively), each one interaction::

        {"request": {"method": "GET", "path": "/api/v1/timelines/tag/buses",
                     "query": {"limit": "40", "max_id": "1130"}},
         "response": {"status": 200, "headers": {"Link": "<...>; rel=\\"next\\""}, "json": [...]}}

    A fixture answers a request with the same method and path whose query holds every parameter the fixture
    names, with the same values (a list for a repeated parameter); among those, the one naming the most
    parameters wins, so a fixture without ``max_id`` is the first page whatever else the request adds. A
    response gives its body as ``"json"`` or as raw ``"text"``. A request no fixture answers raises
    `LookupError` listing the recorded ones. Works with `httpx.Client` and `httpx.AsyncClient`; every request
    is kept in ``requests``.
    """

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.fixtures = [_load(path) for path in sorted(self.root.rglob("*.json"))]
        if not self.fixtures:
            raise FileNotFoundError(f"no *.json fixtures under {self.root}")
        self.requests: list[httpx.Request] = []
        super().__init__(self.respond)

    def __repr__(self) -> str:
        return f"FixtureTransport({str(self.root)!r}, <{len(self.fixtures)} fixtures>)"

    def respond(self, request: httpx.Request) -> httpx.Response:
        """The recorded response for ``request``."""
        self.requests.append(request)
        candidates = [
            (len(fixture["request"].get("query", {})), fixture)
            for fixture in self.fixtures
            if _matches(fixture["request"], request)
        ]
        if not candidates:
            recorded = "; ".join(_describe(f["request"]) for f in self.fixtures)
            raise LookupError(f"no fixture for {request.method} {request.url}; recorded: {recorded}")
        fixture = max(candidates, key=lambda c: c[0])[1]["response"]
        headers = dict(fixture.get("headers", {}))
        if "json" in fixture:
            return httpx.Response(fixture.get("status", 200), headers=headers, json=fixture["json"])
        return httpx.Response(fixture.get("status", 200), headers=headers, text=fixture.get("text", ""))


def _load(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or "request" not in data or "response" not in data:
        raise ValueError(f"{path}: a fixture is an object with 'request' and 'response'")
    data["request"].setdefault("method", "GET")
    return data


def _matches(recorded: Mapping[str, Any], request: httpx.Request) -> bool:
    if recorded["method"].upper() != request.method or recorded["path"] != request.url.path:
        return False
    params = request.url.params
    for name, value in recorded.get("query", {}).items():
        wanted = [str(v) for v in value] if isinstance(value, list) else [str(value)]
        if params.get_list(name) != wanted:
            return False
    return True


def _describe(recorded: Mapping[str, Any]) -> str:
    query = "&".join(f"{k}={v}" for k, v in recorded.get("query", {}).items())
    return f"{recorded['method']} {recorded['path']}" + (f"?{query}" if query else "")


class FakeClock:
    """A fake clock whose sleeps move time on at once, recording each."""

    def __init__(self, start: float = 1_750_000_000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)


def _first_then(responses: Sequence[httpx.Response], then: Handler) -> Handler:
    """A handler that answers with ``responses`` in turn, then hands over to ``then``."""
    queue = list(responses)

    def handler(request: httpx.Request) -> httpx.Response:
        return queue.pop(0) if queue else then(request)

    return handler


def _always(status: int, text: str = '{"error": "refused"}') -> Handler:
    return lambda request: httpx.Response(status, text=text)


def check_network(
    adapter_cls: type[Adapter],
    fixtures: str | Path,
    *,
    query: Query,
    empty_query: Query,
    options: Mapping[str, Any] | None = None,
) -> list[str]:
    """Run the contract every adapter meets against recorded ``fixtures``; return the names of the checks.

    ``fixtures`` (a `FixtureTransport` directory) must hold a harvest of ``query`` over at least two pages and
    an empty first page for ``empty_query``; ``options`` go to the adapter. Any failure raises
    `AssertionError` naming the check. Checked: paging stops; ids are unique; datetimes are timezone-aware
    UTC; ``since``/``until`` and ``limit`` are honoured; the async twin finds the same posts; an empty page
    yields nothing; 401 and 403 raise `AuthenticationError`, 404 `NotFoundError`; 429 waits for
    ``Retry-After`` in ``"wait"`` mode and raises `RateLimitedError` in ``"raise"`` mode; a 503 is retried;
    a truncated or misshapen body raises `ResponseFormatError` naming the network.
    """
    contract = _Contract(adapter_cls, FixtureTransport(fixtures), query, dict(options or {}))
    keys = contract.harvest()
    contract.window(keys)
    contract.empty(empty_query)
    contract.errors(keys)
    return contract.passed


class _Contract:
    def __init__(
        self, adapter_cls: type[Adapter], fixture: FixtureTransport, query: Query, options: dict[str, Any]
    ) -> None:
        self.adapter_cls = adapter_cls
        self.fixture = fixture
        self.query = query
        self.options = options
        self.passed: list[str] = []

    def check(self, name: str, ok: bool, detail: str = "") -> None:
        if not ok:
            raise AssertionError(
                f"check_network({self.adapter_cls.__name__}): {name} failed. {detail}".strip()
            )
        self.passed.append(name)

    def raises(self, name: str, error: type[Exception], run: Callable[[], object]) -> Exception:
        try:
            run()
        except error as exc:
            self.check(
                name, self.adapter_cls.name in str(exc), f"the message does not name the network: {exc}"
            )
            return exc
        raise AssertionError(
            f"check_network({self.adapter_cls.__name__}): {name} failed. Nothing was raised."
        )

    def run(
        self, handler: Handler | None = None, mode: Mode = "wait", query: Query | None = None, **search: Any
    ) -> tuple[list[Post], FakeClock]:
        clock = FakeClock()
        with httpx.Client(transport=httpx.MockTransport(handler or self.fixture.respond)) as client:
            net = Network(
                self.adapter_cls(**self.options),
                client=client,
                rate_limit=RateLimit(mode=mode),
                retries=2,
                clock=clock.time,
                sleep=clock.sleep,
            )
            return list(net.search(query or self.query, **search)), clock

    def harvest(self) -> list[tuple[str, str]]:
        posts, _ = self.run()
        pages = len(self.fixture.requests)
        self.check("paging stops", 2 <= pages <= len(self.fixture.fixtures), f"{pages} requests")
        self.check("posts found", len(posts) > 1, "the fixtures must give at least two posts for the query")
        keys = [p.key for p in posts]
        self.check("unique ids", len(keys) == len(set(keys)), f"ids: {keys}")
        self.check("network name", all(p.network == self.adapter_cls.name for p in posts))
        times = [p.created_at for p in posts] + [p.author.created_at for p in posts if p.author is not None]
        aware = all(t.utcoffset() == dt.timedelta(0) for t in times if t is not None)
        self.check("timezone-aware UTC datetimes", aware)
        self.posts = posts
        return keys

    def window(self, keys: list[tuple[str, str]]) -> None:
        times = sorted(p.created_at for p in self.posts)
        since, until = times[len(times) // 4], times[(3 * len(times)) // 4]
        if since == until:
            until = since + dt.timedelta(microseconds=1)
        expected = {p.key for p in self.posts if since <= p.created_at < until}
        windowed, _ = self.run(since=since, until=until)
        self.check("since/until honoured", {p.key for p in windowed} == expected, f"{since} to {until}")
        limited, _ = self.run(limit=1)
        self.check("limit honoured", [p.key for p in limited] == keys[:1])

        async def harvest_async() -> list[Post]:
            clock = FakeClock()
            transport = httpx.MockTransport(self.fixture.respond)
            async with httpx.AsyncClient(transport=transport) as client:
                adapter = self.adapter_cls(**self.options)
                net = AsyncNetwork(adapter, client=client, clock=clock.time, sleep=clock.asleep)
                return [post async for post in net.search(self.query)]

        self.check("async twin agrees", [p.key for p in anyio.run(harvest_async)] == keys)

    def empty(self, empty_query: Query) -> None:
        self.fixture.requests.clear()
        empty, _ = self.run(query=empty_query)
        self.check("empty page yields nothing", empty == [] and len(self.fixture.requests) == 1)

    def errors(self, keys: list[tuple[str, str]]) -> None:
        for status, error in ((401, AuthenticationError), (403, AuthenticationError), (404, NotFoundError)):
            self.raises(
                f"{status} raises {error.__name__}", error, functools.partial(self.run, _always(status))
            )

        def limited() -> list[httpx.Response]:
            return [httpx.Response(429, headers={"Retry-After": "7"}, json={"error": "Too many requests"})]

        waited, clock = self.run(_first_then(limited(), self.fixture.respond))
        self.check("429 waits in wait mode", [p.key for p in waited] == keys and 7.0 in clock.sleeps)
        exc = self.raises(
            "429 raises in raise mode",
            RateLimitedError,
            lambda: self.run(_first_then(limited(), self.fixture.respond), mode="raise"),
        )
        self.check("429 reports Retry-After", getattr(exc, "retry_after", None) == 7.0)
        retried, _ = self.run(_first_then([httpx.Response(503, text="busy")], self.fixture.respond))
        self.check("503 is retried", [p.key for p in retried] == keys)
        recorded = self.fixture.fixtures[0]["response"]
        text = recorded["text"] if "text" in recorded else json.dumps(recorded.get("json"))
        for name, body in (("truncated", text[: len(text) // 2]), ("misshapen", '{"unexpected": ["shape"]}')):
            self.raises(
                f"{name} body raises ResponseFormatError",
                ResponseFormatError,
                functools.partial(self.run, _always(200, body)),
            )
