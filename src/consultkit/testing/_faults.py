"""A Mastodon-style API on 127.0.0.1 that misbehaves on purpose, for testing and benchmarking the drivers.

`FakeMastodon` answers hashtag timelines from synthetic statuses, with ``max_id`` paging, ``Link`` headers
and an optional fixed-window quota (``X-RateLimit-*``, HTTP 429 past it). `FaultServer` serves it over real
sockets from a thread and, at ``fault_rate``, answers a request with one of: 429 with ``Retry-After``, 500,
503, a reply slower than the client's timeout, truncated JSON, or a reset connection.
"""

from __future__ import annotations

import datetime as dt
import http.server
import json
import random
import socket
import struct
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import parse_qs, urlsplit

__all__ = ["FAULTS", "FakeMastodon", "FaultServer"]

FAULTS = ("429", "500", "503", "slow", "truncated", "reset")
_START = dt.datetime(2025, 3, 1, tzinfo=dt.timezone.utc)


class FakeMastodon:
    """``n_posts`` statuses a minute apart, newest first, each tagged with one of ``tags`` in turn."""

    def __init__(
        self,
        n_posts: int,
        *,
        tags: Sequence[str] = ("buslanes",),
        quota: tuple[int, float] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.tags = tuple(tags)
        self.statuses = [self._status(n) for n in reversed(range(n_posts))]
        self.quota = quota  # (requests, window in seconds)
        self.clock = clock
        self.served = 0
        self.rejected = 0
        self._window_start = clock()
        self._used = 0
        self._lock = threading.Lock()

    def _status(self, n: int) -> dict[str, Any]:
        when = _START + dt.timedelta(minutes=n)
        status_id = str(int(when.timestamp() * 1000) << 16 | n % 65536)
        tag = self.tags[n % len(self.tags)]
        return {
            "id": status_id,
            "created_at": when.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "in_reply_to_id": None,
            "language": "en",
            "url": f"http://127.0.0.1/@user{n % 97}/{status_id}",
            "uri": f"http://127.0.0.1/users/user{n % 97}/statuses/{status_id}",
            "content": f"<p>Comment {n} on the plan <a href='http://127.0.0.1/tags/{tag}' class='mention "
            f"hashtag'>#<span>{tag}</span></a></p>",
            "reblog": None,
            "replies_count": 0,
            "reblogs_count": n % 3,
            "favourites_count": n % 5,
            "account": {"id": str(n % 97), "acct": f"user{n % 97}", "created_at": "2024-01-01T00:00:00.000Z"},
            "tags": [{"name": tag, "url": f"http://127.0.0.1/tags/{tag}"}],
        }

    def respond(self, path: str, params: Mapping[str, list[str]]) -> tuple[int, dict[str, str], bytes]:
        """Status, headers and body for ``GET path?params``."""
        headers, over = self._charge()
        if over:
            self.rejected += 1
            return 429, headers, b'{"error": "Too many requests"}'
        prefix = "/api/v1/timelines/tag/"
        if not path.startswith(prefix):
            return 404, headers, b'{"error": "Record not found"}'
        wanted = {path[len(prefix) :], *params.get("any[]", [])}
        limit = min(int(params.get("limit", ["20"])[0]), 40)
        max_id = int(params["max_id"][0]) if "max_id" in params else None
        page: list[dict[str, Any]] = []
        for status in self.statuses:  # newest first, so ids fall
            if max_id is not None and int(status["id"]) >= max_id:
                continue
            if status["tags"][0]["name"] in wanted:
                page.append(status)
                if len(page) == limit:
                    break
        if page:
            headers["Link"] = f'<http://127.0.0.1{path}?limit={limit}&max_id={page[-1]["id"]}>; rel="next"'
        self.served += 1
        return 200, headers, json.dumps(page).encode()

    def _charge(self) -> tuple[dict[str, str], bool]:
        """Count a request against the quota: its ``X-RateLimit-*`` headers, and whether it is over."""
        if self.quota is None:
            return {}, False
        allowed, window = self.quota
        with self._lock:
            now = self.clock()
            if now >= self._window_start + window:
                self._window_start += window * ((now - self._window_start) // window)
                self._used = 0
            self._used += 1
            reset = dt.datetime.fromtimestamp(self._window_start + window, dt.timezone.utc)
            headers = {
                "X-RateLimit-Limit": str(allowed),
                "X-RateLimit-Remaining": str(max(0, allowed - self._used)),
                "X-RateLimit-Reset": reset.isoformat(timespec="microseconds").replace("+00:00", "Z"),
            }
            return headers, self._used > allowed


class FaultServer:
    """Serve ``api`` on ``127.0.0.1`` from a thread, injecting a fault into ``fault_rate`` of the replies.

    Use it as a context manager; ``url`` is its root. Faults are drawn from ``FAULTS`` (or ``faults``) with
    a generator seeded by ``random_state``; ``slow`` replies take ``slow_seconds``, a 429 asks for
    ``retry_after`` seconds; ``faults_served`` counts them.
    """

    def __init__(
        self,
        api: FakeMastodon,
        *,
        fault_rate: float = 0.0,
        faults: Sequence[str] = FAULTS,
        slow_seconds: float = 0.5,
        retry_after: float = 1.0,
        random_state: int = 0,
    ) -> None:
        self.api = api
        self.retry_after = retry_after
        self.fault_rate = fault_rate
        self.faults = tuple(faults)
        self.slow_seconds = slow_seconds
        self.faults_served: dict[str, int] = dict.fromkeys(self.faults, 0)
        self._random = random.Random(random_state)
        self._lock = threading.Lock()
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = False
        self._thread = threading.Thread(target=self._server.serve_forever, name="fault-server")
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FaultServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def draw(self) -> str | None:
        """The fault for the next reply, or ``None``."""
        with self._lock:
            if self._random.random() >= self.fault_rate:
                return None
            fault = self._random.choice(self.faults)
            self.faults_served[fault] += 1
            return fault


def _handler(server: FaultServer) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            fault = server.draw()
            if fault == "reset":  # close with RST instead of an answer
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
                return
            if fault in ("429", "500", "503"):
                headers = {"Retry-After": f"{server.retry_after:g}"} if fault == "429" else {}
                self._send(int(fault), headers, b'{"error": "injected fault"}')
                return
            if fault == "slow":
                time.sleep(server.slow_seconds)
            url = urlsplit(self.path)
            status, headers, body = server.api.respond(url.path, parse_qs(url.query))
            if fault == "truncated":
                body = body[: len(body) // 2]
            self._send(status, headers, body)

        def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
            try:
                self.send_response(status)
                for name, value in {**headers, "Content-Type": "application/json"}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up waiting (a slow fault)
                self.close_connection = True

        def log_message(self, format: str, *args: Any) -> None:  # quiet: tests read counters instead
            return

    return Handler
