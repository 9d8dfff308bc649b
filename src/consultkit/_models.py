"""What is harvested: `Post`, its `Author`, the `Query` that found it and the `Page` it came in."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from . import _validate as v
from ._hashtags import extract_hashtags, normalize_hashtags
from ._pseudonym import Pseudonymizer, default_pseudonymizer
from ._serialize import Serializable

__all__ = ["Author", "Page", "Post", "Query"]


def _hashtags(value: Any) -> Any:
    """Normalise hashtags into a tuple; anything malformed comes back as a list, to be rejected."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        return value
    try:
        return normalize_hashtags(value)
    except (TypeError, ValueError):
        return list(value)


def _hashtags_valid(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Only the converter's failures reach here as something other than a tuple."""
    if isinstance(value, tuple):
        return
    if not isinstance(value, list):
        v.fail(instance, attribute, value, "expected a sequence of hashtags such as ('#BusLanes', 'parking')")
    try:
        normalize_hashtags(value)
    except (TypeError, ValueError) as exc:
        v.fail(instance, attribute, tuple(value), str(exc))


@attrs.frozen(kw_only=True)
class Author(Serializable):
    """Who wrote a post, under a pseudonym.

    ``id`` is a keyed hash of the network account (see `Pseudonymizer`); ``handle`` stays ``None`` unless the
    caller opts in with ``keep_handle=True``. Account age and post count feed campaign detection.
    """

    id: str = attrs.field(validator=v.nonempty_str)
    handle: str | None = attrs.field(default=None, validator=v.optional_nonempty_str)
    created_at: dt.datetime | None = attrs.field(
        default=None, converter=v.to_optional_datetime, validator=v.optional_utc_datetime
    )
    posts_count: int | None = attrs.field(default=None, validator=v.optional_count)
    followers_count: int | None = attrs.field(default=None, validator=v.optional_count)

    @classmethod
    def from_account(
        cls,
        network: str,
        account_id: str | int,
        *,
        handle: str | None = None,
        keep_handle: bool = False,
        created_at: dt.datetime | str | None = None,
        posts_count: int | None = None,
        followers_count: int | None = None,
        pseudonymizer: Pseudonymizer | None = None,
    ) -> Author:
        """Pseudonymise a network account; its raw id is never stored, its handle only on request."""
        hasher = pseudonymizer if pseudonymizer is not None else default_pseudonymizer()
        return cls(
            id=hasher(network.strip().lower(), str(account_id)),  # as Post.network is normalised
            handle=handle if keep_handle else None,
            created_at=created_at,
            posts_count=posts_count,
            followers_count=followers_count,
        )


def _author(value: Author | Mapping[str, Any] | None) -> Author | None:
    return Author.from_dict(value) if isinstance(value, Mapping) else value


def _author_valid(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, Author):
        v.fail(instance, attribute, value, "expected an Author, a dict of its fields, or None")


@attrs.frozen(kw_only=True)
class Post(Serializable):
    """One public post, reply or comment, as harvested from a network or imported from a platform.

    ``(network, id)`` identifies it. ``reply_to`` is the id of the post it answers and ``thread_root`` the
    id of the post that started its thread, both on the same network. ``metrics`` holds counts (likes,
    shares); ``extra`` holds JSON-compatible data the network gave that has no field here.
    """

    network: str = attrs.field(converter=v.to_lower, validator=v.nonempty_str)
    id: str = attrs.field(converter=v.to_id, validator=v.nonempty_str)
    text: str = attrs.field(validator=v.is_str)
    created_at: dt.datetime = attrs.field(converter=v.to_datetime, validator=v.utc_datetime)
    author: Author | None = attrs.field(default=None, converter=_author, validator=_author_valid)
    url: str | None = attrs.field(default=None, validator=v.optional_http_url)
    lang: str | None = attrs.field(default=None, converter=v.to_lower, validator=v.optional_nonempty_str)
    hashtags: tuple[str, ...] = attrs.field(default=(), converter=_hashtags, validator=_hashtags_valid)
    reply_to: str | None = attrs.field(
        default=None, converter=v.to_optional_id, validator=v.optional_nonempty_str
    )
    thread_root: str | None = attrs.field(
        default=None, converter=v.to_optional_id, validator=v.optional_nonempty_str
    )
    metrics: Mapping[str, int] = attrs.field(
        factory=dict, converter=v.to_frozen_mapping, validator=v.count_mapping, hash=False
    )
    extra: Mapping[str, Any] = attrs.field(
        factory=dict, converter=v.to_json_mapping, validator=v.json_mapping, hash=False
    )

    @property
    def key(self) -> tuple[str, str]:
        """``(network, id)``: the identity of a post across the library."""
        return (self.network, self.id)

    @property
    def all_hashtags(self) -> tuple[str, ...]:
        """The network's hashtags plus those written in the text (networks disagree on which they list)."""
        return tuple(dict.fromkeys(self.hashtags + extract_hashtags(self.text)))


@functools.lru_cache(maxsize=256)
def _terms_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(term.casefold()) for term in terms)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def _terms(value: Any) -> Any:
    value = v.to_tuple(value)
    if isinstance(value, tuple) and all(isinstance(t, str) for t in value):
        seen: dict[str, str] = {}
        for term in (t.strip() for t in value):
            seen.setdefault(term.casefold(), term)
        return tuple(seen.values())
    return value


@attrs.frozen(kw_only=True)
class Query(Serializable):
    """What to collect: posts carrying any of ``hashtags`` or mentioning any of ``terms``.

    Hashtags are normalised (no ``#``, case-folded, repeats dropped); terms match whole words or phrases,
    ignoring case. ``lang`` keeps only posts in that language. An empty query matches every post.
    """

    hashtags: tuple[str, ...] = attrs.field(default=(), converter=_hashtags, validator=_hashtags_valid)
    terms: tuple[str, ...] = attrs.field(default=(), converter=_terms, validator=v.str_tuple)
    lang: str | None = attrs.field(default=None, converter=v.to_lower, validator=v.optional_nonempty_str)

    def matches(self, post: Post) -> bool:
        """Whether a post answers this query, judged on the client side."""
        if self.lang is not None and post.lang is not None and post.lang != self.lang:
            return False
        if not self.hashtags and not self.terms:
            return True
        if self.hashtags and not set(self.hashtags).isdisjoint(post.all_hashtags):
            return True
        return bool(self.terms) and _terms_pattern(self.terms).search(post.text.casefold()) is not None


def _posts(value: Any) -> Any:
    value = v.to_tuple(value)
    if isinstance(value, tuple):
        return tuple(Post.from_dict(p) if isinstance(p, Mapping) else p for p in value)
    return value


def _posts_valid(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple) or not all(isinstance(p, Post) for p in value):
        v.fail(instance, attribute, value, "expected a sequence of Post")


@attrs.frozen(kw_only=True)
class Page(Serializable):
    """One page of results from a network: its posts, the cursor for the next page, what was skipped.

    ``next_cursor`` is ``None`` on the last page. ``skipped`` counts items the adapter could not turn into a
    post, by reason (``{"deleted": 2}``), so nothing is dropped without a trace.
    """

    posts: tuple[Post, ...] = attrs.field(default=(), converter=_posts, validator=_posts_valid)
    next_cursor: str | None = attrs.field(default=None, validator=v.optional_nonempty_str)
    skipped: Mapping[str, int] = attrs.field(
        factory=dict, converter=v.to_frozen_mapping, validator=v.count_mapping, hash=False
    )

    @property
    def is_last(self) -> bool:
        """Whether the network has no further page."""
        return self.next_cursor is None
