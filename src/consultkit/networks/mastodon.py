"""Mastodon and Mastodon-compatible servers: hashtag timelines, status search, threads, publishing.

Every instance runs the same API and sees only the posts that reached it, so the caller names the instance.
Hashtag timelines are public on most instances; keyword search and publishing need a token.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

import httpx

from .._exceptions import AuthenticationError
from .._models import Page, Post, Query
from .._pseudonym import Pseudonymizer
from ._html import html_to_text
from .base import Adapter, Capabilities

__all__ = ["Mastodon"]


class Mastodon(Adapter):
    """The Mastodon API: ``/api/v1/timelines/tag`` (hashtags, up to 4 per request through ``any[]``),
    ``/api/v2/search`` (keywords, needs a token and a server with full-text search), ``/api/v1/statuses/:id/
    context`` (replies) and ``POST /api/v1/statuses`` (publish)."""

    name = "mastodon"
    base_url = "https://mastodon.social"
    max_page_size = 40
    max_hashtags_per_query = 4
    capabilities = Capabilities(hashtags=True, terms=True, replies=True, publish=True, server_window=False)
    token_env = "CONSULTKIT_MASTODON_TOKEN"
    docs_url = "https://docs.joinmastodon.org/methods/timelines/#tag"

    def __init__(
        self,
        *,
        instance: str | None = None,
        token: str | None = None,
        page_size: int | None = None,
        keep_handles: bool = False,
        pseudonymizer: Pseudonymizer | None = None,
    ) -> None:
        super().__init__(
            base_url=instance,
            token=token,
            page_size=page_size,
            keep_handles=keep_handles,
            pseudonymizer=pseudonymizer,
        )

    def split(self, query: Query) -> list[Query]:
        """Hashtags in groups of four for tag timelines, then the keywords as one search of their own."""
        tags = super().split(Query(hashtags=query.hashtags, lang=query.lang)) if query.hashtags else []
        terms = [Query(terms=query.terms, lang=query.lang)] if query.terms else []
        return tags + terms or [query]

    def newest_first(self, query: Query) -> bool:
        return not query.terms  # search results come by relevance

    def search_request(
        self, query: Query, cursor: str | None, *, since: dt.datetime | None, until: dt.datetime | None
    ) -> httpx.Request:
        params: dict[str, Any] = {"limit": self.page_size}
        if query.terms:
            params.update(q=" ".join(_term(t) for t in query.terms), type="statuses", offset=cursor or 0)
            return self.request("GET", "/api/v2/search", params=params)
        if not query.hashtags:
            raise ValueError("a Mastodon search needs hashtags or terms")
        first, *others = query.hashtags
        if others:
            params["any[]"] = others
        if cursor is not None:
            params["max_id"] = cursor
        elif until is not None:  # status ids start with their creation time in milliseconds
            params["max_id"] = str(int(until.timestamp() * 1000) << 16)
        return self.request("GET", f"/api/v1/timelines/tag/{first}", params=params)

    def _parse_search(self, body: Any, response: httpx.Response, query: Query) -> Page:
        if query.terms:
            statuses = body["statuses"]
            offset = int(response.request.url.params.get("offset", 0)) + len(statuses)
            return self._page(statuses, str(offset) if len(statuses) >= self.page_size else None)
        return self._page(body, _next_max_id(response, body, self.page_size))

    def replies_request(self, post_id: str, cursor: str | None) -> httpx.Request:
        return self.request("GET", f"/api/v1/statuses/{post_id}/context")

    def _parse_replies(self, body: Any, response: httpx.Response, post_id: str) -> Page:
        ancestors = body["ancestors"]
        root = ancestors[0]["id"] if ancestors else post_id
        return self._page(body["descendants"], None, thread_root=root)

    def publish_request(self, text: str) -> httpx.Request:
        if not self.has_token:
            raise AuthenticationError(
                self.name, f"publishing needs a token: pass token= or set {self.token_env}"
            )
        request = self.request("POST", "/api/v1/statuses", json={"status": text, "visibility": "public"})
        request.headers["Idempotency-Key"] = uuid.uuid4().hex  # a retried request publishes once
        return request

    def _parse_publish(self, body: Any) -> Post:
        return self._to_post(body)

    def _page(self, statuses: list[Any], next_cursor: str | None, thread_root: str | None = None) -> Page:
        if not isinstance(statuses, list):
            raise TypeError(f"expected a JSON array of statuses, got {type(statuses).__name__}")
        posts: list[Post] = []
        skipped = 0
        for status in statuses:
            if status.get("reblog"):
                skipped += 1
                continue
            posts.append(self._to_post(status, thread_root))
        return Page(posts=posts, next_cursor=next_cursor, skipped={"boost": skipped} if skipped else {})

    def _to_post(self, status: Mapping[str, Any], thread_root: str | None = None) -> Post:
        account = status["account"]
        # a deleted status comes back with its plain source as "text" instead of HTML "content"
        text = html_to_text(status["content"] or "") if "content" in status else status["text"]
        return Post(
            network=self.name,
            id=status["id"],
            text=text,
            created_at=status["created_at"],
            author=self.author(
                account["id"],
                handle=account.get("acct"),
                created_at=account.get("created_at"),
                posts_count=account.get("statuses_count"),
                followers_count=account.get("followers_count"),
            ),
            url=status.get("url") or status.get("uri"),
            lang=status.get("language") or None,
            hashtags=tuple(tag["name"] for tag in status.get("tags") or ()),
            reply_to=status.get("in_reply_to_id"),
            thread_root=thread_root,
            metrics={
                name: status[field]
                for name, field in (
                    ("replies", "replies_count"),
                    ("shares", "reblogs_count"),
                    ("likes", "favourites_count"),
                )
                if isinstance(status.get(field), int)
            },
            extra={"uri": status.get("uri"), "spoiler_text": status.get("spoiler_text") or ""},
        )


def _term(term: str) -> str:
    return f'"{term}"' if " " in term else term


def _next_max_id(response: httpx.Response, body: list[Any], page_size: int) -> str | None:
    """The ``max_id`` of the next (older) page: from the ``Link`` header, else the last id of a full page.

    The server's link leaves out ``any[]``, so only its cursor is used; an empty page is the end.
    """
    if not body:
        return None
    link = response.links.get("next")
    if link is not None:
        cursor = httpx.URL(link["url"]).params.get("max_id")
        if cursor:
            return str(cursor)
    return str(body[-1]["id"]) if len(body) >= page_size else None
