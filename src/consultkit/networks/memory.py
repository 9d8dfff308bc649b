"""An in-memory network: serves a fixed list of posts through the same ``search`` interface as real ones.

It is for docs, demos and tests (``ck.network("memory", posts=make_consultation().posts)``), and it pages its
results like a real network so code written against it pages correctly too.
"""

from __future__ import annotations

import collections
import datetime as dt
import itertools
from collections.abc import Iterable, Iterator

from .._models import Page, Post, Query
from ._driver import check_limit

__all__ = ["MemoryNetwork"]


class MemoryNetwork:
    """Serve ``posts`` newest first, ``page_size`` a page, filtered by `Query.matches` and the time window."""

    name = "memory"
    max_page_size = 100

    def __init__(self, posts: Iterable[Post] = (), *, page_size: int = 40) -> None:
        if not 1 <= page_size <= self.max_page_size:
            raise ValueError(f"page_size must be between 1 and {self.max_page_size}, got {page_size}")
        self._posts = sorted(posts, key=_oldest_first, reverse=True)
        self._children: dict[tuple[str, str], list[Post]] = {}
        self._in_thread: dict[tuple[str, str], list[Post]] = {}
        for post in self._posts:
            if post.reply_to is not None:
                self._children.setdefault((post.network, post.reply_to), []).append(post)
            if post.thread_root is not None:
                self._in_thread.setdefault((post.network, post.thread_root), []).append(post)
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

    def replies(self, post: Post | tuple[str, str], *, limit: int | None = None) -> Iterator[Post]:
        """Yield the whole thread below ``post`` (replies, replies to them, posts naming it as their thread
        root), oldest first."""
        check_limit(limit)
        network, root = post.key if isinstance(post, Post) else post
        return itertools.islice(self._thread(network, root), limit)

    def _thread(self, network: str, root: str) -> Iterator[Post]:
        members = {post.key: post for post in self._in_thread.get((network, root), ())}
        queue = collections.deque([(network, root)])
        while queue:
            for reply in self._children.get(queue.popleft(), ()):
                if reply.key not in members:
                    members[reply.key] = reply
                    queue.append(reply.key)
        yield from sorted(members.values(), key=_oldest_first)

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
        return itertools.islice(self._search(query, since, until), limit)

    def _search(self, query: Query, since: dt.datetime | None, until: dt.datetime | None) -> Iterator[Post]:
        cursor: str | None = None
        while True:
            page = self.fetch_page(query, cursor, since=since, until=until)
            yield from page.posts
            if page.is_last:
                return
            cursor = page.next_cursor


def _oldest_first(post: Post) -> tuple[dt.datetime, str, str]:
    return (post.created_at, post.network, post.id)


def _in_window(when: dt.datetime, since: dt.datetime | None, until: dt.datetime | None) -> bool:
    return (since is None or when >= since) and (until is None or when < until)
