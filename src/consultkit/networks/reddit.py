"""Reddit's Data API: submission search (site-wide or in subreddits) and comment trees, with an OAuth token.

Reddit has no hashtags: a hashtag is searched as a word. Listings stop at about 1,000 items, whatever the
paging; reaching that ceiling issues a `CoverageWarning`.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import parse_qs

import httpx

from .._exceptions import CoverageWarning
from .._models import Page, Post, Query
from .._pseudonym import Pseudonymizer
from .base import Adapter, Capabilities

__all__ = ["Reddit"]

LISTING_CEILING = 1000
_GONE = ("[deleted]", "[removed]")


class Reddit(Adapter):
    """``GET /search`` or ``/r/{subreddits}/search`` (``sort=new``, ``after`` paging) for submissions, and
    ``GET /comments/{id}`` plus ``POST /api/morechildren`` for their comment trees."""

    name = "reddit"
    base_url = "https://oauth.reddit.com"
    max_page_size = 100
    max_hashtags_per_query = None
    capabilities = Capabilities(hashtags=True, terms=True, replies=True, publish=False, server_window=False)
    token_env = "CONSULTKIT_REDDIT_TOKEN"
    docs_url = "https://support.reddithelp.com/hc/en-us/articles/16160319875092-Reddit-Data-API-Wiki"

    def __init__(
        self,
        *,
        subreddits: Sequence[str] = (),
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
        self.subreddits = tuple(s.strip().removeprefix("r/") for s in subreddits)

    def search_request(
        self, query: Query, cursor: str | None, *, since: dt.datetime | None, until: dt.datetime | None
    ) -> httpx.Request:
        words = [*query.hashtags, *(f'"{t}"' if " " in t else t for t in query.terms)]
        if not words:
            raise ValueError("a Reddit search needs hashtags or terms")
        after, _, seen = (cursor or "").partition(" ")
        params: dict[str, Any] = {
            "q": " OR ".join(words),
            "sort": "new",
            "t": "all",
            "type": "link",
            "syntax": "lucene",
            "limit": self.page_size,
            "raw_json": 1,  # text as written, not HTML-escaped
        }
        if after:
            params.update(after=after, count=seen)
        if self.subreddits:
            params["restrict_sr"] = "true"
            return self.request("GET", f"/r/{'+'.join(self.subreddits)}/search", params=params)
        return self.request("GET", "/search", params=params)

    def _parse_search(self, body: Any, response: httpx.Response, query: Query) -> Page:
        listing = body["data"]
        posts = [self._to_post(child["data"]) for child in listing["children"] if child["kind"] == "t3"]
        seen = int(response.request.url.params.get("count") or 0) + len(posts)
        after = listing.get("after")
        if after is None and seen >= LISTING_CEILING - self.page_size:
            warnings.warn(
                f"Reddit stopped this listing after {seen:,} posts (it serves about {LISTING_CEILING:,}); "
                "narrow the query or search subreddits one at a time to reach older posts",
                CoverageWarning,
                stacklevel=2,
            )
        return Page(posts=posts, next_cursor=f"{after} {seen}" if after and posts else None)

    def replies_request(self, post_id: str, cursor: str | None) -> httpx.Request:
        if cursor is None:
            params = {"limit": 500, "sort": "old", "raw_json": 1}
            return self.request("GET", f"/comments/{post_id}", params=params)
        form = {"api_type": "json", "link_id": f"t3_{post_id}", "children": cursor, "sort": "old"}
        return self.request("POST", "/api/morechildren", data=form, params={"raw_json": 1})

    def _parse_replies(self, body: Any, response: httpx.Response, post_id: str) -> Page:
        if isinstance(body, list):  # the submission and its comment tree
            things, sent = _flatten(body[1]["data"]["children"]), set()
        else:  # the comments behind "more" stubs, as a flat list
            things = body["json"]["data"]["things"]
            sent = set(parse_qs(response.request.content.decode())["children"][0].split(","))
        posts: list[Post] = []
        pending: list[str] = []
        skipped: dict[str, int] = {}
        for thing in things:
            data = thing["data"]
            if thing["kind"] == "more":
                pending.extend(data["children"])
                if not data["children"]:
                    skipped["continue this thread"] = skipped.get("continue this thread", 0) + 1
                continue
            sent.discard(data["id"])
            if data.get("body") in _GONE:
                skipped["deleted"] = skipped.get("deleted", 0) + 1
                continue
            posts.append(self._to_post(data, thread_root=post_id))
        if not things and sent:  # the server expanded nothing: stop rather than ask again
            skipped["not expanded"] = len(sent)
        else:
            pending.extend(sorted(sent))  # asked for, not yet returned
        return Page(posts=posts, next_cursor=",".join(pending) or None, skipped=skipped)

    def _to_post(self, data: Mapping[str, Any], thread_root: str | None = None) -> Post:
        is_comment = "body" in data
        if is_comment:
            text = data["body"]
        else:
            selftext = data.get("selftext") or ""
            text = data["title"] + ("\n\n" + selftext if selftext and selftext not in _GONE else "")
        parent = data.get("parent_id") or ""
        author = data.get("author_fullname")
        return Post(
            network=self.name,
            id=data["id"],
            text=text,
            created_at=dt.datetime.fromtimestamp(float(data["created_utc"]), dt.timezone.utc),
            author=self.author(author, handle=data.get("author")) if author else None,
            url="https://www.reddit.com" + data["permalink"],
            reply_to=parent.partition("_")[2] or None,
            thread_root=thread_root,
            metrics={
                name: data[field]
                for name, field in (("score", "score"), ("replies", "num_comments"))
                if isinstance(data.get(field), int)
            },
            extra={"subreddit": data.get("subreddit"), "edited": bool(data.get("edited"))}
            | ({} if is_comment or data.get("is_self") else {"link": data.get("url")}),
        )


def _flatten(children: list[Any]) -> list[Any]:
    """A comment tree as a flat list, parents before their replies."""
    flat: list[Any] = []
    stack = list(reversed(children))
    while stack:
        thing = stack.pop()
        flat.append(thing)
        replies = thing["data"].get("replies") if thing["kind"] == "t1" else None
        if replies:
            stack.extend(reversed(replies["data"]["children"]))
    return flat
