"""X (formerly Twitter), API v2: recent search (the last 7 days) and conversations, with a bearer token.

Every post returned is billed, so queries ask only for what a `Post` needs and leave retweets out.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping
from typing import Any

import httpx

from .._models import Page, Post, Query
from .base import Adapter, Capabilities

__all__ = ["X", "build_query"]

MAX_QUERY_LENGTH = 512  # self-serve recent search
_FIELDS = {
    "tweet.fields": "created_at,author_id,conversation_id,referenced_tweets,lang,public_metrics,entities,"
    "note_tweet",
    "expansions": "author_id",
    "user.fields": "username,created_at,public_metrics",
}


def build_query(query: Query, *, retweets: bool = False) -> str:
    """X's query syntax for a `Query`: any of the hashtags or terms, in the language, without retweets.

    >>> build_query(Query(hashtags=["BusLanes", "parking"], terms=["bus lane"], lang="en"))
    '(#buslanes OR #parking OR "bus lane") lang:en -is:retweet'
    """
    alternatives = [f"#{tag}" for tag in query.hashtags] + [f'"{t}"' if " " in t else t for t in query.terms]
    text = " OR ".join(alternatives)
    if len(alternatives) > 1:
        text = f"({text})"
    if query.lang is not None:
        text += f" lang:{query.lang}"
    return text if retweets else f"{text} -is:retweet"


class X(Adapter):
    """The X API v2: ``GET /2/tweets/search/recent`` for hashtags and keywords (any number, as long as the
    query stays within 512 characters) and ``conversation_id:`` searches for replies."""

    name = "x"
    base_url = "https://api.x.com"
    max_page_size = 100
    max_hashtags_per_query = None
    capabilities = Capabilities(hashtags=True, terms=True, replies=True, publish=False, server_window=True)
    token_env = "CONSULTKIT_X_TOKEN"
    docs_url = "https://docs.x.com/x-api/posts/search/introduction"

    def split(self, query: Query) -> list[Query]:
        """As few queries as keep each within X's 512 characters."""
        parts: list[Query] = []
        tags: list[str] = []
        terms: list[str] = []
        for kind, item in [("tag", t) for t in query.hashtags] + [("term", t) for t in query.terms]:
            more = Query(
                hashtags=[*tags, item] if kind == "tag" else tags,
                terms=[*terms, item] if kind == "term" else terms,
                lang=query.lang,
            )
            if (tags or terms) and len(build_query(more)) > MAX_QUERY_LENGTH:
                parts.append(Query(hashtags=tags, terms=terms, lang=query.lang))
                tags, terms = [], []
            (tags if kind == "tag" else terms).append(item)
        parts.append(Query(hashtags=tags, terms=terms, lang=query.lang))
        return parts

    def search_request(
        self, query: Query, cursor: str | None, *, since: dt.datetime | None, until: dt.datetime | None
    ) -> httpx.Request:
        if not query.hashtags and not query.terms:
            raise ValueError("an X search needs hashtags or terms")
        params: dict[str, Any] = {"query": build_query(query), **self._page_params(cursor)}
        if since is not None:  # inclusive, to the second: round down
            params["start_time"] = _seconds(since)
        if until is not None:  # exclusive, to the second: round up, the driver drops the extra
            params["end_time"] = _seconds(until + dt.timedelta(microseconds=999_999))
        return self.request("GET", "/2/tweets/search/recent", params=params)

    def _parse_search(self, body: Any, response: httpx.Response, query: Query) -> Page:
        return self._page(body)

    def replies_request(self, post_id: str, cursor: str | None) -> httpx.Request:
        params = {"query": f"conversation_id:{post_id}", **self._page_params(cursor)}
        return self.request("GET", "/2/tweets/search/recent", params=params)

    def _parse_replies(self, body: Any, response: httpx.Response, post_id: str) -> Page:
        return self._page(body)

    def _page_params(self, cursor: str | None) -> dict[str, Any]:
        params: dict[str, Any] = {"max_results": max(10, self.page_size), **_FIELDS}  # X takes 10 to 100
        if cursor is not None:
            params["next_token"] = cursor
        return params

    def _page(self, body: Mapping[str, Any]) -> Page:
        meta = body["meta"]  # present on every search answer, even an empty one
        data = body.get("data") or []
        users = {user["id"]: user for user in (body.get("includes") or {}).get("users") or ()}
        posts = [self._to_post(item, users.get(item.get("author_id"))) for item in data]
        return Page(posts=posts, next_cursor=meta.get("next_token") if posts else None)

    def _to_post(self, item: Mapping[str, Any], user: Mapping[str, Any] | None) -> Post:
        replied = [ref["id"] for ref in item.get("referenced_tweets") or () if ref["type"] == "replied_to"]
        conversation = item.get("conversation_id")
        username = user.get("username") if user else None
        metrics = item.get("public_metrics") or {}
        author = None
        if item.get("author_id") is not None:
            counts = (user or {}).get("public_metrics") or {}
            author = self.author(
                item["author_id"],
                handle=username,
                created_at=(user or {}).get("created_at"),
                posts_count=counts.get("tweet_count"),
                followers_count=counts.get("followers_count"),
            )
        return Post(
            network=self.name,
            id=item["id"],
            text=html.unescape((item.get("note_tweet") or {}).get("text") or item["text"]),
            created_at=item["created_at"],
            author=author,
            url=f"https://x.com/{username or 'i/web'}/status/{item['id']}",
            lang=None if item.get("lang") in (None, "und") else item["lang"],
            hashtags=tuple(tag["tag"] for tag in (item.get("entities") or {}).get("hashtags") or ()),
            reply_to=replied[0] if replied else None,
            thread_root=conversation if conversation != item["id"] else None,
            metrics={
                name: metrics[field]
                for name, field in (
                    ("replies", "reply_count"),
                    ("shares", "retweet_count"),
                    ("likes", "like_count"),
                    ("quotes", "quote_count"),
                )
                if isinstance(metrics.get(field), int)
            },
            extra={"edits": len(item.get("edit_history_tweet_ids") or ()) - 1}
            if item.get("edit_history_tweet_ids")
            else {},
        )


def _seconds(when: dt.datetime) -> str:
    return when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
