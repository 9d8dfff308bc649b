"""An in-memory network: serves a fixed list of posts through the same ``search`` interface as real ones.

It is for docs, demos and tests (``ck.network("memory", posts=make_consultation().posts)``), and it pages its
results like a real network so code written against it pages correctly too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from .._models import Page, Post, Query

__all__ = ["MemoryNetwork"]


class MemoryNetwork:
    """Serve ``posts`` newest first, ``page_size`` a page, filtered by `Query.matches` and the time window."""

    name = "memory"
    max_page_size = 100

    def __init__(self, posts: Iterable[Post] = (), *, page_size: int = 40) -> None:
        if not 1 <= page_size <= self.max_page_size:
            raise ValueError(f"page_size must be between 1 and {self.max_page_size}, got {page_size}")
        self._posts = sorted(posts, key=lambda p: (p.created_at, p.network, p.id), reverse=True)
        self.page_size = page_size

    def __repr__(self) -> str:
        return f"MemoryNetwork(<{len(self._posts)} posts>, page_size={self.page_size})"

    def fetch_page(
        self,
        query: Query,
        cursor: str | None = None,
        *,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
    ) -> Page:
        """One page of matching posts after ``cursor`` (an offset into the newest-first list)."""
        start = int(cursor) if cursor else 0
        matched: list[Post] = []
        position = start
        while position < len(self._posts) and len(matched) < self.page_size:
            post = self._posts[position]
            position += 1
            if _in_window(post.created_at, since, until) and query.matches(post):
                matched.append(post)
        next_cursor = str(position) if position < len(self._posts) else None
        return Page(posts=tuple(matched), next_cursor=next_cursor)

    def search(
        self,
        query: Query,
        *,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
        limit: int | None = None,
    ) -> Iterator[Post]:
        """Lazily yield posts matching ``query`` written in ``[since, until)``, at most ``limit`` of them."""
        if limit is not None and limit < 0:
            raise ValueError(f"limit must be None or >= 0, got {limit}")
        cursor: str | None = None
        served = 0
        while limit is None or served < limit:
            page = self.fetch_page(query, cursor, since=since, until=until)
            for post in page.posts:
                if limit is not None and served >= limit:
                    return
                served += 1
                yield post
            if page.is_last:
                return
            cursor = page.next_cursor


def _in_window(when: dt.datetime, since: dt.datetime | None, until: dt.datetime | None) -> bool:
    return (since is None or when >= since) and (until is None or when < until)
