"""The drivers: `Network` (sync, httpx.Client) and `AsyncNetwork` (async, httpx.AsyncClient, anyio).

All logic lives in sans-I/O *plans*: generators that yield `_Send` (send this request, send me back the
response or the transport error), `_Sleep` (wait this long) or a `Post` (hand it to the caller). Paging,
hashtag splitting, the time window, rate limits, retries and resume are written once, in `_Core`; the twins
differ only in the lines that do I/O, in `_drive`.
"""

from __future__ import annotations

import collections
import datetime as dt
import email.utils
import hashlib
import json
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterable, Iterator
from typing import Any, Literal, Protocol, TypeVar

import anyio
import attrs
import httpx

from .._exceptions import (
    AuthenticationError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    ResponseFormatError,
)
from .._models import Page, Post, Query
from .base import Adapter

__all__ = ["AsyncNetwork", "CursorStore", "Network", "RateLimit", "query_key"]

T = TypeVar("T")
Mode = Literal["wait", "raise", "pace"]


@attrs.frozen(kw_only=True)
class RateLimit:
    """How a driver treats a network's rate limit.

    ``"wait"`` sleeps when the network says so (HTTP 429 with ``Retry-After``, or a quota at zero) and goes
    on; ``"raise"`` raises `RateLimitedError` on HTTP 429; ``"pace"`` spreads requests evenly over what is
    left of the quota's window, so the quota lasts until it resets. A wait longer than ``max_wait`` seconds
    raises `RateLimitedError` in every mode.
    """

    mode: Mode = attrs.field(default="wait", validator=attrs.validators.in_(("wait", "raise", "pace")))
    max_wait: float = attrs.field(default=900.0, validator=attrs.validators.ge(0))


class CursorStore(Protocol):
    """Where a harvest keeps its place: `ck.Store` is one; any object with these two methods will do.

    When a harvest finishes, the driver calls the store's ``clear_cursor(network, query_key)`` if it has
    one, else saves the empty cursor ``""``, which means the same as none: start from the beginning.
    """

    def load_cursor(self, network: str, query_key: str) -> str | None:
        """The cursor saved for this network and query, or ``None`` to start from the beginning."""

    def save_cursor(self, network: str, query_key: str, cursor: str) -> None:
        """Save the place after a page whose posts were all handed out."""


def query_key(query: Query, since: dt.datetime | None = None, until: dt.datetime | None = None) -> str:
    """A stable key for a query and its window, under which a harvest's cursor is saved."""
    data = {
        "hashtags": list(query.hashtags),
        "terms": list(query.terms),
        "lang": query.lang,
        "since": None if since is None else since.astimezone(dt.timezone.utc).isoformat(),
        "until": None if until is None else until.astimezone(dt.timezone.utc).isoformat(),
    }
    return "q-" + hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:24]


@attrs.frozen
class _Send:
    request: httpx.Request


@attrs.frozen
class _Sleep:
    seconds: float


_Action = _Send | _Sleep | Post
_Plan = Generator[_Action, Any, None]


@attrs.define
class _Quota:
    """What the last response said about the rate limit, as absolute wall-clock times."""

    remaining: int | None = None
    reset: float | None = None
    not_before: float = 0.0

    def update(self, headers: httpx.Headers, now: float, mode: Mode) -> None:
        remaining = _first(headers, "remaining")
        reset = _first(headers, "reset")
        if remaining is None:
            return
        try:
            self.remaining = int(float(remaining))
        except ValueError:
            return
        self.reset = _when(reset, now) if reset is not None else None
        left = max(0.0, self.reset - now) if self.reset is not None else 0.0
        if self.remaining <= 0 and mode != "raise":
            self.not_before = now + left
        elif mode == "pace":
            self.not_before = now + left / self.remaining
        else:
            self.not_before = now


_PREFIXES = ("x-ratelimit-", "x-rate-limit-", "ratelimit-")


def _first(headers: httpx.Headers, field: str) -> str | None:
    """The first of ``X-RateLimit-*``, ``x-rate-limit-*`` (X) and ``RateLimit-*`` (IETF, Bluesky) present."""
    for prefix in _PREFIXES:
        value = headers.get(prefix + field)
        if value is not None:
            return str(value)
    return None


def _when(value: str, now: float) -> float | None:
    """An absolute time from a reset header: epoch seconds, seconds from now, ISO 8601 or an HTTP date."""
    text = value.strip()
    try:
        number = float(text)
    except ValueError:
        pass
    else:
        return number if number > 1e9 else now + number
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text).timestamp()
    except (TypeError, ValueError):
        return None


def _retry_after(response: httpx.Response, now: float) -> float | None:
    value = response.headers.get("retry-after")
    when = _when(value, now) if value is not None else None
    return None if when is None else max(0.0, when - now)


class _Core:
    """Everything a driver does except I/O: the plans, the rate-limit state, the retry policy."""

    def __init__(
        self,
        adapter: Adapter,
        *,
        rate_limit: RateLimit | None = None,
        retries: int = 5,
        backoff: float = 0.5,
        max_backoff: float = 60.0,
        cursor_store: CursorStore | None = None,
        random_state: int = 0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not isinstance(adapter, Adapter):
            raise TypeError(f"adapter must be an Adapter instance, got {type(adapter).__name__}")
        if not isinstance(retries, int) or retries < 0:
            raise ValueError(f"retries must be a whole number >= 0, got {retries!r}")
        if backoff < 0 or max_backoff < 0:
            raise ValueError("backoff and max_backoff must be >= 0")
        self.adapter = adapter
        self.rate_limit = rate_limit if rate_limit is not None else RateLimit()
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.cursor_store = cursor_store
        self.stats: collections.Counter[str] = collections.Counter()
        self._random = random.Random(random_state)
        self._clock = clock
        self._quota = _Quota()

    @property
    def name(self) -> str:
        """The network's registry name."""
        return self.adapter.name

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.adapter!r}, rate_limit={self.rate_limit!r})"

    # -- plans -------------------------------------------------------------------------------------------

    def _search_plan(
        self, query: Query, since: dt.datetime | None, until: dt.datetime | None, limit: int | None
    ) -> _Plan:
        if limit == 0:
            return
        parts = self.adapter.split(query)
        key = query_key(query, since, until)
        start, cursor = self._load(key)
        handed = 0
        for index in range(start, len(parts)):
            part, earlier = parts[index], parts[:index]
            while True:
                page: Page = yield from self._exchange(
                    self.adapter.search_request(part, cursor, since=since, until=until),
                    lambda response: self.adapter.parse_search(response, part),  # noqa: B023 (called at once)
                )
                self.stats.update({f"skipped {reason}": n for reason, n in page.skipped.items()})
                older = 0
                for post in page.posts:
                    reason = _reject(post, query.lang, since, until, earlier)
                    if reason is not None:
                        self.stats[reason] += 1
                        older += reason == "before since"
                        continue
                    if limit is not None and handed >= limit:
                        return
                    handed += 1
                    self.stats["posts"] += 1
                    yield post
                ended = page.is_last or (
                    self.adapter.newest_first(part) and bool(page.posts) and older == len(page.posts)
                )
                cursor = None if ended else page.next_cursor
                if ended:
                    self._save(key, index + 1, None, last=index + 1 == len(parts))
                    break
                self._save(key, index, cursor)
                if limit is not None and handed >= limit:
                    return

    def _replies_plan(self, post_id: str, limit: int | None) -> _Plan:
        cursor: str | None = None
        handed = 0
        seen: set[str] = set()
        while True:
            page: Page = yield from self._exchange(
                self.adapter.replies_request(post_id, cursor),
                lambda response: self.adapter.parse_replies(response, post_id),
            )
            self.stats.update({f"skipped {reason}": n for reason, n in page.skipped.items()})
            for reply in page.posts:
                if reply.id in seen or reply.id == post_id:
                    continue
                if limit is not None and handed >= limit:
                    return
                seen.add(reply.id)
                handed += 1
                yield reply
            if page.is_last:
                return
            cursor = page.next_cursor

    def _publish_plan(self, text: str) -> _Plan:
        post: Post = yield from self._exchange(self.adapter.publish_request(text), self.adapter.parse_publish)
        yield post

    def _load(self, key: str) -> tuple[int, str | None]:
        saved = self.cursor_store.load_cursor(self.name, key) if self.cursor_store is not None else None
        if not saved:
            return 0, None
        try:
            part, cursor = json.loads(saved)
        except (ValueError, TypeError) as exc:
            raise ValueError(f"the saved cursor for {self.name} {key} is not one consultkit wrote") from exc
        return int(part), cursor

    def _save(self, key: str, part: int, cursor: str | None, *, last: bool = False) -> None:
        store = self.cursor_store
        if store is None:
            return
        if not last:
            store.save_cursor(self.name, key, json.dumps([part, cursor]))
        elif callable(clear := getattr(store, "clear_cursor", None)):  # ck.Store forgets finished harvests
            clear(self.name, key)
        else:
            store.save_cursor(self.name, key, "")

    # -- one request, with rate limits and retries -------------------------------------------------------

    def _exchange(
        self, request: httpx.Request, parse: Callable[[httpx.Response], T]
    ) -> Generator[_Action, Any, T]:
        failures = 0
        while True:
            wait = self._quota.not_before - self._clock()
            if wait > 0:
                self._check_wait(wait, "the quota is used up")
                self.stats["paced"] += 1
                yield _Sleep(wait)
            self.stats["requests"] += 1
            result = yield _Send(request)
            now = self._clock()
            if isinstance(result, httpx.Response):
                self._quota.update(result.headers, now, self.rate_limit.mode)
                if result.status_code == 429:
                    self.stats["rate limited"] += 1
                    yield _Sleep(self._rate_limited(result, now))
                    continue
                problem = self._check_status(result)
                if problem is None:
                    try:
                        return parse(result)
                    except ResponseFormatError as exc:
                        if failures >= self.retries:
                            raise
                        problem = str(exc)
                delay = _retry_after(result, now) or 0.0
            else:
                problem, delay = f"{type(result).__name__} on {_where(request)}: {result}", 0.0
            failures += 1
            self.stats["retries"] += 1
            if failures > self.retries:
                error = NetworkError(self.name, f"gave up after {failures} attempts; last: {problem}")
                if isinstance(result, httpx.Response):
                    error.status = result.status_code
                raise error from result if isinstance(result, Exception) else None
            yield _Sleep(max(delay, self._backoff_delay(failures)))

    def _check_status(self, response: httpx.Response) -> str | None:
        """Raise for statuses a retry cannot fix; describe a 5xx (to retry); ``None`` for success."""
        status = response.status_code
        if status < 400:
            return None
        if status >= 500:
            return f"HTTP {status} on {_where(response.request)}"
        message = self.adapter.error_message(response)
        where = _where(response.request)
        if status in (401, 403):
            hint = f"set {self.adapter.token_env}" if self.adapter.token_env else "check the credentials"
            raise AuthenticationError(
                self.name, f"HTTP {status} on {where}: {message} ({hint})", status=status
            )
        if status == 404:
            raise NotFoundError(self.name, f"HTTP 404 on {where}: {message}", status=404)
        raise NetworkError(self.name, f"HTTP {status} on {where}: {message}", status=status)

    def _rate_limited(self, response: httpx.Response, now: float) -> float:
        """How long to wait after a 429, or raise when the policy says not to wait."""
        after = _retry_after(response, now)
        if after is None and self._quota.reset is not None:
            after = max(0.0, self._quota.reset - now)
        if self.rate_limit.mode == "raise":
            raise RateLimitedError(
                self.name, f"rate limited on {_where(response.request)}", retry_after=after
            )
        wait = after if after is not None else self._backoff_delay(1)
        self._check_wait(wait, "rate limited", after)
        return wait

    def _check_wait(self, wait: float, why: str, after: float | None = None) -> None:
        if wait > self.rate_limit.max_wait:
            raise RateLimitedError(
                self.name,
                f"{why}; the wait of {wait:.0f} s is longer than max_wait={self.rate_limit.max_wait:.0f} s",
                retry_after=wait if after is None else after,
            )

    def _backoff_delay(self, failures: int) -> float:
        """Exponential backoff with jitter: half the step fixed, half drawn from ``random_state``."""
        step = min(self.max_backoff, self.backoff * 2.0 ** (failures - 1))
        return step / 2 + self._random.uniform(0, step / 2)


def _reject(
    post: Post,
    lang: str | None,
    since: dt.datetime | None,
    until: dt.datetime | None,
    earlier: Iterable[Query],
) -> str | None:
    """Why the driver drops a post the network sent, or ``None`` to keep it."""
    if since is not None and post.created_at < since:
        return "before since"
    if until is not None and post.created_at >= until:
        return "after until"
    if lang is not None and post.lang is not None and post.lang != lang:
        return "other language"
    if any(part.matches(post) for part in earlier):
        return "found by an earlier hashtag group"
    return None


def _where(request: httpx.Request) -> str:
    return f"{request.method} {request.url.copy_with(query=None)}"


def check_limit(limit: int | None) -> None:
    """Reject a ``limit`` that is neither None nor a whole number >= 0 (shared by every network)."""
    if limit is not None and (not isinstance(limit, int) or limit < 0):
        raise ValueError(f"limit must be None or a whole number >= 0, got {limit!r}")


def _post_id(post: Post | tuple[str, str] | str) -> str:
    if isinstance(post, Post):
        return post.id
    return post[1] if isinstance(post, tuple) else post


class Network(_Core):
    """A network to harvest, synchronously: an `Adapter` driven over an `httpx.Client`.

    Build one with `ck.network(name, ...)`. Without ``client=`` it opens its own client and closes it on
    `close` (or at the end of a ``with`` block); a client you pass stays yours to close.
    """

    def __init__(
        self,
        adapter: Adapter,
        *,
        client: httpx.Client | None = None,
        timeout: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        **options: Any,
    ) -> None:
        super().__init__(adapter, **options)
        self._owns_client = client is None
        self._client = client if client is not None else httpx.Client(timeout=timeout, follow_redirects=True)
        self._sleep = sleep

    def __enter__(self) -> Network:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP client if this network opened it."""
        if self._owns_client:
            self._client.close()

    def search(
        self,
        query: Query,
        *,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
        limit: int | None = None,
    ) -> Iterator[Post]:
        """Lazily yield posts matching ``query`` written in ``[since, until)``, at most ``limit`` of them."""
        check_limit(limit)
        return self._drive(self._search_plan(query, since, until, limit))

    def replies(self, post: Post | tuple[str, str] | str, *, limit: int | None = None) -> Iterator[Post]:
        """Lazily yield the replies below ``post`` (a `Post`, a ``(network, id)`` key or an id)."""
        check_limit(limit)
        return self._drive(self._replies_plan(_post_id(post), limit))

    def publish(self, text: str) -> Post:
        """Publish ``text`` as a new post with this network's token, and return it."""
        (post,) = self._drive(self._publish_plan(text))
        return post

    def _drive(self, plan: _Plan) -> Iterator[Post]:
        reply: Any = None
        while True:
            try:
                action = plan.send(reply)
            except StopIteration:
                return
            reply = None
            if isinstance(action, _Send):
                try:
                    reply = self._client.send(action.request)
                except httpx.TransportError as exc:
                    reply = exc
            elif isinstance(action, _Sleep):
                self._sleep(action.seconds)
            else:
                yield action


class AsyncNetwork(_Core):
    """The async twin of `Network`: the same adapter and logic over an `httpx.AsyncClient` (anyio)."""

    def __init__(
        self,
        adapter: Adapter,
        *,
        client: httpx.AsyncClient | None = None,
        timeout: float = 30.0,
        sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
        **options: Any,
    ) -> None:
        super().__init__(adapter, **options)
        self._owns_client = client is None
        self._client = (
            client if client is not None else httpx.AsyncClient(timeout=timeout, follow_redirects=True)
        )
        self._sleep = sleep

    async def __aenter__(self) -> AsyncNetwork:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the HTTP client if this network opened it."""
        if self._owns_client:
            await self._client.aclose()

    def search(
        self,
        query: Query,
        *,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
        limit: int | None = None,
    ) -> AsyncIterator[Post]:
        """Lazily yield posts matching ``query`` written in ``[since, until)``, at most ``limit`` of them."""
        check_limit(limit)
        return self._drive(self._search_plan(query, since, until, limit))

    def replies(self, post: Post | tuple[str, str] | str, *, limit: int | None = None) -> AsyncIterator[Post]:
        """Lazily yield the replies below ``post`` (a `Post`, a ``(network, id)`` key or an id)."""
        check_limit(limit)
        return self._drive(self._replies_plan(_post_id(post), limit))

    async def publish(self, text: str) -> Post:
        """Publish ``text`` as a new post with this network's token, and return it."""
        (post,) = [post async for post in self._drive(self._publish_plan(text))]
        return post

    async def _drive(self, plan: _Plan) -> AsyncIterator[Post]:
        reply: Any = None
        while True:
            try:
                action = plan.send(reply)
            except StopIteration:
                return
            reply = None
            if isinstance(action, _Send):
                try:
                    reply = await self._client.send(action.request)
                except httpx.TransportError as exc:
                    reply = exc
            elif isinstance(action, _Sleep):
                await self._sleep(action.seconds)
            else:
                yield action
