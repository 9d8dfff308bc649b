"""Bluesky (AT Protocol): post search and threads through the ``app.bsky.feed`` XRPC API.

Search needs a token on Bluesky's own service (an access JWT from ``com.atproto.server.createSession``);
threads are public. Posts are identified by their AT-URI; the permalink is built from it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

import httpx

from .._exceptions import AuthenticationError
from .._models import Page, Post, Query
from .._pseudonym import Pseudonymizer
from .._validate import to_datetime
from .base import Adapter, Capabilities

__all__ = ["Bluesky"]

_FACET = "app.bsky.richtext.facet#"


class Bluesky(Adapter):
    """The Bluesky AppView: ``app.bsky.feed.searchPosts`` (one hashtag or keyword per request, since the
    ``tag`` filter combines with AND) and ``app.bsky.feed.getPostThread`` (replies)."""

    name = "bluesky"
    base_url = "https://bsky.social"
    max_page_size = 100
    max_hashtags_per_query = 1
    capabilities = Capabilities(hashtags=True, terms=True, replies=True, publish=True, server_window=True)
    token_env = "CONSULTKIT_BLUESKY_TOKEN"
    docs_url = "https://docs.bsky.app/docs/api/app-bsky-feed-search-posts"

    def __init__(
        self,
        *,
        repo: str | None = None,
        base_url: str | None = None,
        token: str | None = None,
        page_size: int | None = None,
        keep_handles: bool = False,
        pseudonymizer: Pseudonymizer | None = None,
    ) -> None:
        super().__init__(
            base_url=base_url,
            token=token,
            page_size=page_size,
            keep_handles=keep_handles,
            pseudonymizer=pseudonymizer,
        )
        self.repo = repo  #: the account (DID or handle) that publishes

    def split(self, query: Query) -> list[Query]:
        """One search per hashtag and per keyword: ``q`` and ``tag`` both narrow, never widen."""
        tags = [Query(hashtags=(tag,), lang=query.lang) for tag in query.hashtags]
        terms = [Query(terms=(term,), lang=query.lang) for term in query.terms]
        return tags + terms or [query]

    def search_request(
        self, query: Query, cursor: str | None, *, since: dt.datetime | None, until: dt.datetime | None
    ) -> httpx.Request:
        if not query.hashtags and not query.terms:
            raise ValueError("a Bluesky search needs a hashtag or a term")
        q = f"#{query.hashtags[0]}" if query.hashtags else _quoted(query.terms[0])
        params: dict[str, Any] = {"q": q, "sort": "latest", "limit": self.page_size}
        for name, when in (("since", since), ("until", until)):
            if when is not None:
                params[name] = _iso(when)
        if query.lang is not None:
            params["lang"] = query.lang
        if cursor is not None:
            params["cursor"] = cursor
        return self.request("GET", "/xrpc/app.bsky.feed.searchPosts", params=params)

    def _parse_search(self, body: Any, response: httpx.Response, query: Query) -> Page:
        posts = body["posts"]
        if not isinstance(posts, list):
            raise TypeError(f"expected a list of posts, got {type(posts).__name__}")
        cursor = body.get("cursor") or None
        return Page(posts=[self._to_post(view) for view in posts], next_cursor=cursor if posts else None)

    def replies_request(self, post_id: str, cursor: str | None) -> httpx.Request:
        params = {"uri": post_id, "depth": 1000, "parentHeight": 0}
        return self.request("GET", "/xrpc/app.bsky.feed.getPostThread", params=params)

    def _parse_replies(self, body: Any, response: httpx.Response, post_id: str) -> Page:
        posts: list[Post] = []
        skipped: dict[str, int] = {}
        stack = list(reversed(body["thread"].get("replies") or []))
        while stack:  # depth first, in the server's order
            node = stack.pop()
            if "post" not in node:
                reason = "blocked" if node.get("blocked") else "deleted"
                skipped[reason] = skipped.get(reason, 0) + 1
                continue
            posts.append(self._to_post(node["post"]))
            stack.extend(reversed(node.get("replies") or []))
        return Page(posts=sorted(posts, key=lambda p: p.created_at), skipped=skipped)

    def publish_request(self, text: str) -> httpx.Request:
        if not self.has_token or not self.repo:
            raise AuthenticationError(
                self.name,
                f"publishing needs repo= (the account's DID or handle) and a token ({self.token_env})",
            )
        record = {
            "$type": "app.bsky.feed.post",
            "text": text,
            "createdAt": _iso(dt.datetime.now(dt.timezone.utc)),
        }
        body = {"repo": self.repo, "collection": "app.bsky.feed.post", "record": record}
        return self.request("POST", "/xrpc/com.atproto.repo.createRecord", json=body)

    def parse_publish(self, response: httpx.Response) -> Post:
        """The new post, from the record sent and the AT-URI the server gave it (``{"uri", "cid"}``)."""
        record = json.loads(response.request.content)["record"]

        def created(body: Any) -> Post:
            author = {"did": _did_and_rkey(body["uri"])[0]}
            return self._to_post(
                {"uri": body["uri"], "cid": body.get("cid"), "record": record, "author": author}
            )

        return self._guard(response, created)

    def _to_post(self, view: Mapping[str, Any]) -> Post:
        record, author = view["record"], view["author"]
        did, rkey = _did_and_rkey(view["uri"])
        facets = record.get("facets") or []
        tags = [f["tag"] for facet in facets for f in facet["features"] if f["$type"] == _FACET + "tag"]
        reply = record.get("reply") or {}
        return Post(
            network=self.name,
            id=view["uri"],
            text=_with_links(record.get("text", ""), facets),
            created_at=_created_at(record.get("createdAt"), view.get("indexedAt")),
            author=self.author(
                author["did"], handle=author.get("handle"), created_at=author.get("createdAt")
            ),
            url=f"https://bsky.app/profile/{did}/post/{rkey}",
            lang=(record.get("langs") or [None])[0],
            hashtags=(*tags, *(record.get("tags") or ())),
            reply_to=(reply.get("parent") or {}).get("uri"),
            thread_root=(reply.get("root") or {}).get("uri"),
            metrics={
                name: view[field]
                for name, field in (
                    ("replies", "replyCount"),
                    ("shares", "repostCount"),
                    ("likes", "likeCount"),
                    ("quotes", "quoteCount"),
                )
                if isinstance(view.get(field), int)
            },
            extra={"cid": view.get("cid"), "indexed_at": view.get("indexedAt")},
        )


def _quoted(term: str) -> str:
    return f'"{term}"' if " " in term else term


def _iso(when: dt.datetime) -> str:
    return when.astimezone(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _did_and_rkey(uri: str) -> tuple[str, str]:
    """``at://did:plc:abc/app.bsky.feed.post/3k7q`` -> ``("did:plc:abc", "3k7q")``."""
    if not uri.startswith("at://"):
        raise ValueError(f"not an AT-URI: {uri!r}")
    did, _, rkey = uri[len("at://") :].partition("/app.bsky.feed.post/")
    if not did or not rkey:
        raise ValueError(f"not the AT-URI of a post: {uri!r}")
    return did, rkey


def _created_at(declared: str | None, indexed: str | None) -> dt.datetime:
    """The post's own time when it is a valid, zoned timestamp no later than indexing, else the index time
    (Bluesky's ``sortAt``: clients may declare odd or future times)."""
    own, seen = _aware(declared), _aware(indexed)
    if seen is not None and (own is None or seen < own):
        return seen
    if own is None:
        raise KeyError("neither record.createdAt nor indexedAt is a timestamp with a zone")
    return own


def _aware(text: str | None) -> dt.datetime | None:
    value: object = to_datetime(text) if isinstance(text, str) else None
    return value if isinstance(value, dt.datetime) and value.utcoffset() is not None else None


def _with_links(text: str, facets: list[Any]) -> str:
    """Write each link facet's full URI in place of its (often shortened) text; offsets are UTF-8 bytes."""
    links = sorted(
        (
            (facet["index"]["byteStart"], facet["index"]["byteEnd"], feature["uri"])
            for facet in facets
            for feature in facet["features"]
            if feature["$type"] == _FACET + "link"
        ),
        reverse=True,
    )
    raw = text.encode()
    for start, end, uri in links:
        if 0 <= start <= end <= len(raw):
            raw = raw[:start] + uri.encode() + raw[end:]
    return raw.decode(errors="replace")
