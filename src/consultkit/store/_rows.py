"""Models to rows and back. Posts take a fast path: the store writes millions of them.

`post_row` splits ``post.to_dict()`` into key columns, the counts (``metrics``, which change on every harvest
without being an edit) and one JSON document for the content,
without the generic walk over attrs fields; the test suite checks that `post_dict` gives back exactly
``post.to_dict()`` for every post hypothesis draws, so `Post.to_dict` stays the one definition.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .._consultation import Response
from .._models import Author, Post

__all__ = ["POST_COLUMNS", "dumps", "iso", "post_dict", "post_from_row", "post_row", "response_from_row"]

#: The ``posts`` columns `post_row` fills, in order.
POST_COLUMNS = "network, id, created_at, metrics, data"


def _unserialisable(value: object) -> object:
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _encoder() -> Callable[[object], str]:
    """Compact JSON. CPython's C encoder is called directly: ``JSONEncoder.encode`` builds a new one per
    call, which costs as much as encoding a post. Models hold no cycles, so the cycle check is off."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # no C accelerator (another Python): the standard path
        return json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode
    encode = make(None, _unserialisable, json.encoder.encode_basestring, None, ":", ",", False, False, False)
    return lambda value: "".join(encode(value, 0))


_encode = _encoder()


def dumps(data: object) -> str:
    """Compact JSON, as every JSON column is written."""
    return _encode(data)


def iso(value: dt.datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def _author_dict(author: Author) -> dict[str, Any]:
    return {
        "id": author.id,
        "handle": author.handle,
        "created_at": None if author.created_at is None else iso(author.created_at),
        "posts_count": author.posts_count,
        "followers_count": author.followers_count,
    }


def post_row(post: Post) -> tuple[str, str, str, str, str]:
    """The columns of ``posts``: network, id, created_at, metrics and ``data`` (the rest, as JSON)."""
    author = post.author
    data = {
        "text": post.text,
        "author": None if author is None else _author_dict(author),
        "url": post.url,
        "lang": post.lang,
        "hashtags": list(post.hashtags),
        "reply_to": post.reply_to,
        "thread_root": post.thread_root,
        "extra": post.extra,  # FrozenDict of JSON values (the converter went through JSON)
    }
    return (post.network, post.id, iso(post.created_at), _encode(post.metrics), _encode(data))


def post_dict(network: str, post_id: str, created_at: str, metrics: str, data: str) -> dict[str, Any]:
    """``post.to_dict()`` back from the columns `post_row` wrote."""
    return {
        "network": network,
        "id": post_id,
        "created_at": created_at,
        "metrics": json.loads(metrics),
        **json.loads(data),
    }


def post_from_row(row: Sequence[Any]) -> Post:
    """A post from the columns `post_row` wrote (see `POST_COLUMNS`)."""
    return Post.from_dict(post_dict(*row))


def response_from_row(row: Sequence[Any]) -> Response:
    """A `Response` from the five post columns, then question_id, matched_by, in_window, choices, stance."""
    question_id, matched_by, in_window, choices, stance = row[5:]
    return Response(
        post=post_from_row(row[:5]),
        question_id=question_id,
        matched_by=matched_by,
        in_window=bool(in_window),
        choices=json.loads(choices),
        declared_stance=stance,
    )


def from_json(data: str | None) -> Mapping[str, Any] | None:
    """A JSON column back as a dict (None stays None)."""
    return None if data is None else dict(json.loads(data))
