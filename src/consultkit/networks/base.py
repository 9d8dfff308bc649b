"""The sans-I/O adapter interface: build `httpx.Request`s, parse `httpx.Response`s; never send anything.

An adapter knows one network's endpoints, parameters and payloads. It holds no connection and does no I/O:
the drivers in `consultkit.networks` (`Network`, `AsyncNetwork`) send its requests, handle rate limits,
retries and resume, and call back to parse. Network facts are class attributes, from which the reference
docs and the capability matrix are generated.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar, TypeVar

import attrs
import httpx

from .._exceptions import ResponseFormatError
from .._models import Author, Page, Post, Query
from .._pseudonym import Pseudonymizer
from .._version import __version__

__all__ = ["Adapter", "Capabilities", "capability_table"]

T = TypeVar("T")

USER_AGENT = f"consultkit/{__version__} (+https://consultkit.readthedocs.io)"


@attrs.frozen(kw_only=True)
class Capabilities:
    """What a network can do for a harvest; the driver does the rest on the client side."""

    hashtags: bool = True  #: search by hashtag
    terms: bool = False  #: search by keyword
    replies: bool = False  #: fetch the replies to a post
    publish: bool = False  #: post a question to answer
    server_window: bool = False  #: the server filters by since/until (the driver re-checks anyway)
    newest_first: bool = True  #: results come newest first, so paging can stop before ``since``


class Adapter:
    """Base class of a network adapter: class attributes for the network's facts, methods that build
    requests and parse responses.

    Subclasses set the class attributes and implement `search_request` and `_parse_search` (plus
    `replies_request`/`_parse_replies` and `publish_request`/`_parse_publish` when the network can). The token
    is kept private: it is sent in a header and never shown in ``repr``.
    """

    name: ClassVar[str]  #: registry name, lower case
    base_url: ClassVar[str]  #: default API root
    max_page_size: ClassVar[int]  #: the most results one request may ask for
    max_hashtags_per_query: ClassVar[int | None] = None  #: hashtags one request may carry (None: no cap)
    capabilities: ClassVar[Capabilities] = Capabilities()
    token_env: ClassVar[str | None] = None  #: environment variable the command line reads the token from
    docs_url: ClassVar[str] = ""  #: the network's API documentation

    def __init__(
        self,
        *,
        base_url: str | None = None,
        token: str | None = None,
        page_size: int | None = None,
        keep_handles: bool = False,
        pseudonymizer: Pseudonymizer | None = None,
    ) -> None:
        size = self.max_page_size if page_size is None else page_size
        if not isinstance(size, int) or not 1 <= size <= self.max_page_size:
            raise ValueError(f"page_size must be between 1 and {self.max_page_size}, got {page_size!r}")
        root = (base_url or self.base_url).rstrip("/")
        if not root.startswith(("https://", "http://")):
            raise ValueError(f"base_url must be an http(s) URL, got {root!r}")
        self.url = root
        self.page_size = size
        self.keep_handles = keep_handles
        self.pseudonymizer = pseudonymizer
        self.__token = token

    def __repr__(self) -> str:
        token = ", token=<hidden>" if self.__token else ""
        return f"{type(self).__name__}(base_url={self.url!r}, page_size={self.page_size}{token})"

    @property
    def has_token(self) -> bool:
        """Whether a token was given (the token itself is never readable back)."""
        return self.__token is not None

    # -- requests ----------------------------------------------------------------------------------------

    def headers(self) -> dict[str, str]:
        """Headers for every request: a User-Agent naming consultkit, and the bearer token when given."""
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if self.__token:
            headers["Authorization"] = f"Bearer {self.__token}"
        return headers

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Request:
        """A request to ``path`` under the API root, with the adapter's headers."""
        url = path if path.startswith(("https://", "http://")) else self.url + path
        return httpx.Request(method, url, headers=self.headers(), **kwargs)

    def search_request(
        self, query: Query, cursor: str | None, *, since: dt.datetime | None, until: dt.datetime | None
    ) -> httpx.Request:
        """The request for one page of ``query`` after ``cursor`` (``None``: the first page)."""
        raise NotImplementedError

    def replies_request(self, post_id: str, cursor: str | None) -> httpx.Request:
        """The request for one page of the replies below post ``post_id``."""
        raise self._unsupported("replies")

    def publish_request(self, text: str) -> httpx.Request:
        """The request that publishes ``text`` as a new post."""
        raise self._unsupported("publish")

    def split(self, query: Query) -> list[Query]:
        """The queries to send for ``query``, one harvest each: hashtags in groups of at most
        `max_hashtags_per_query`, keywords with the first group. The driver merges the results and drops a
        post that an earlier part already matched."""
        cap = self.max_hashtags_per_query
        tags = query.hashtags
        if cap is None or len(tags) <= cap:
            return [query]
        groups = [tags[i : i + cap] for i in range(0, len(tags), cap)]
        return [
            Query(hashtags=group, terms=query.terms if n == 0 else (), lang=query.lang)
            for n, group in enumerate(groups)
        ]

    def newest_first(self, query: Query) -> bool:
        """Whether results for ``query`` come newest first, so paging may stop once past ``since``."""
        return self.capabilities.newest_first

    # -- responses ---------------------------------------------------------------------------------------

    def parse_search(self, response: httpx.Response, query: Query) -> Page:
        """Parse one page of search results; a body of the wrong shape raises `ResponseFormatError`."""
        return self._guard(response, lambda body: self._parse_search(body, response, query))

    def parse_replies(self, response: httpx.Response, post_id: str) -> Page:
        """Parse one page of replies below ``post_id``."""
        return self._guard(response, lambda body: self._parse_replies(body, response, post_id))

    def parse_publish(self, response: httpx.Response) -> Post:
        """Parse the post a publish request created."""
        return self._guard(response, self._parse_publish)

    def _parse_search(self, body: Any, response: httpx.Response, query: Query) -> Page:
        raise NotImplementedError

    def _parse_replies(self, body: Any, response: httpx.Response, post_id: str) -> Page:
        raise self._unsupported("replies")

    def _parse_publish(self, body: Any) -> Post:
        raise self._unsupported("publish")

    def error_message(self, response: httpx.Response) -> str:
        """The network's own words for an error response, shortened, or the HTTP reason."""
        try:
            body = response.json()
        except (ValueError, UnicodeDecodeError):
            body = None
        if isinstance(body, Mapping):
            for key in ("error_description", "error", "message", "detail", "title"):
                if isinstance(body.get(key), str) and body[key]:
                    return str(body[key])[:200]
        return response.reason_phrase or f"HTTP {response.status_code}"

    # -- helpers for subclasses --------------------------------------------------------------------------

    def author(self, account_id: str | int, **fields: Any) -> Author:
        """A pseudonymised `Author` for an account of this network (handle kept only on opt-in)."""
        return Author.from_account(
            self.name, account_id, keep_handle=self.keep_handles, pseudonymizer=self.pseudonymizer, **fields
        )

    def _guard(self, response: httpx.Response, parse: Callable[[Any], T]) -> T:
        try:
            body = json.loads(response.content)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ResponseFormatError(
                self.name, f"the response to {_where(response)} is not valid JSON (truncated?): {exc}"
            ) from exc
        try:
            return parse(body)
        except (
            KeyError,
            IndexError,
            TypeError,
            AttributeError,
            ValueError,
        ) as exc:  # ModelValidationError too
            problem = f"{type(exc).__name__}: {exc}"
            raise ResponseFormatError(
                self.name, f"the response to {_where(response)} is not in the documented shape ({problem})"
            ) from exc

    def _unsupported(self, what: str) -> NotImplementedError:
        return NotImplementedError(f"the {self.name} adapter cannot {what}")


def _where(response: httpx.Response) -> str:
    try:
        request = response.request
    except RuntimeError:  # a response built by hand, in a test
        return "a request"
    return f"{request.method} {request.url.copy_with(query=None)}"


def capability_table(adapters: Iterable[type[Adapter]]) -> str:
    """The capability matrix of ``adapters`` as a Markdown table, as in ``docs/reference/networks.md``."""

    def yes(flag: bool) -> str:
        return "yes" if flag else "no"

    rows = [
        "| Network | Hashtags | Keywords | Replies | Publish | Server-side window | Page size "
        "| Hashtags per request | Token variable |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for cls in sorted(adapters, key=lambda c: c.name):
        caps = cls.capabilities
        cap = "no cap" if cls.max_hashtags_per_query is None else str(cls.max_hashtags_per_query)
        token = f"`{cls.token_env}`" if cls.token_env else "none"
        flags = (caps.hashtags, caps.terms, caps.replies, caps.publish, caps.server_window)
        cells = [f"`{cls.name}`", *(yes(f) for f in flags), str(cls.max_page_size), cap, token]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)
