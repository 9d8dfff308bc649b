"""``consultkit collect``: harvest a network to JSONL or a store, resumably, with a progress line."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import sys
from collections.abc import Iterable, Iterator
from typing import Any

from .._io import write_jsonl
from .._models import Post, Query
from .._validate import to_datetime
from . import NETWORKS, _network_class, network
from ._driver import RateLimit
from .base import Adapter

__all__ = ["add_collect_command"]


def add_collect_command(commands: Any) -> None:
    """Register ``collect`` on the CLI's sub-command parsers."""
    tokens = ", ".join(
        f"{cls.token_env} ({name})" for name, cls in sorted(_adapters().items()) if cls.token_env is not None
    )
    collect = commands.add_parser(
        "collect",
        help="harvest posts on hashtags or keywords from a network (JSONL out, or into a store)",
        description="Harvest posts from NETWORK that carry any of the hashtags or mention any of the terms, "
        "newest first, and write them to stdout as JSONL, or into a store with --store (where an interrupted "
        "harvest resumes from its last page).",
        epilog=f"Tokens are read from environment variables, never from the command line: {tokens}. "
        "They are never printed or logged.",
    )
    collect.add_argument("network", metavar="NETWORK", help="network name (see `consultkit networks`)")
    collect.add_argument("--hashtag", action="append", default=[], help="a hashtag to collect (repeatable)")
    collect.add_argument("--term", action="append", default=[], help="a keyword or phrase (repeatable)")
    collect.add_argument("--lang", help="keep only posts in this language (ISO 639-1)")
    collect.add_argument("--since", type=_when, help="oldest time to collect, ISO 8601 (included)")
    collect.add_argument("--until", type=_when, help="newest time to collect, ISO 8601 (excluded)")
    collect.add_argument("--limit", type=int, help="stop after this many posts")
    collect.add_argument("--instance", help="the server's URL, for networks with many (Mastodon)")
    collect.add_argument(
        "--subreddit", action="append", default=[], help="search only this subreddit (Reddit; repeatable)"
    )
    collect.add_argument(
        "--store", help="a store to write to and resume from: a SQLite path or postgresql:// URL"
    )
    collect.add_argument(
        "--rate-limit",
        choices=("wait", "raise", "pace"),
        default="wait",
        help="on the network's rate limit: wait, raise an error, or pace requests (default: %(default)s)",
    )
    collect.set_defaults(run=_collect)


def _adapters() -> dict[str, type[Adapter]]:
    found: dict[str, type[Adapter]] = {}
    for name, (module, attribute) in NETWORKS.items():
        cls = getattr(importlib.import_module(module), attribute)
        if isinstance(cls, type) and issubclass(cls, Adapter):
            found[name] = cls
    return found


def _when(text: str) -> dt.datetime:
    """A date (midnight UTC) or an ISO 8601 time with its zone."""
    value = to_datetime(text if "T" in text else f"{text}T00:00:00Z")
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        raise argparse.ArgumentTypeError(f"expected a date or an ISO 8601 time with a zone, got {text!r}")
    return value


def _collect(args: argparse.Namespace) -> int:
    query = Query(hashtags=args.hashtag, terms=args.term, lang=args.lang)
    if not query.hashtags and not query.terms:
        raise SystemExit("consultkit collect: give at least one --hashtag or --term")
    adapter = _network_class(args.network)
    if not (isinstance(adapter, type) and issubclass(adapter, Adapter)):
        raise SystemExit(f"consultkit collect: {args.network!r} is not a network to collect from")
    options: dict[str, Any] = {"rate_limit": RateLimit(mode=args.rate_limit)}
    if adapter.token_env and os.environ.get(adapter.token_env):
        options["token"] = os.environ[adapter.token_env]
    if args.instance:
        options["instance" if adapter.name == "mastodon" else "base_url"] = args.instance
    if args.subreddit:
        if adapter.name != "reddit":
            raise SystemExit("consultkit collect: --subreddit is for reddit only")
        options["subreddits"] = args.subreddit
    with network(adapter.name, **options) as net:
        if args.store is None:
            posts = net.search(query, since=args.since, until=args.until, limit=args.limit)
            count = write_jsonl(_progress(posts), sys.stdout)
        else:
            from ..store import Store  # noqa: PLC0415 (needed only with --store)

            with Store(args.store) as store:
                net.cursor_store = store
                count = 0
                posts = net.search(query, since=args.since, until=args.until, limit=args.limit)
                for post in _progress(posts):
                    store.add_posts([post])  # committed before the page's cursor is: resume-safe
                    count += 1
    print(f"collected {count:,} posts from {adapter.name}", file=sys.stderr)
    return 0


def _progress(posts: Iterable[Post]) -> Iterator[Post]:
    """Pass posts through, with a running count on stderr when it is a terminal."""
    shown = sys.stderr.isatty()
    count = 0
    for count, post in enumerate(posts, 1):
        if shown and count % 100 == 0:
            print(f"\rcollecting: {count:,} posts", end="", file=sys.stderr, flush=True)
        yield post
    if shown and count:
        print(file=sys.stderr)
