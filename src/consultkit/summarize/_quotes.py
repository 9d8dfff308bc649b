"""Verbatim quotes: exact passages of real posts, free of personal data, with their permalinks."""

from __future__ import annotations

import random
from collections.abc import Sequence

from .._models import Post
from ._redact import find_pii
from ._summary import Quote
from ._text import match_key, sentence_spans

__all__ = ["choose_quotes", "quote_of", "quote_span"]

MIN_QUOTE = 20
MAX_QUOTE = 280


def quote_span(text: str) -> tuple[int, int] | None:
    """The longest run of whole sentences (at most ``MAX_QUOTE`` characters) holding no personal data."""
    pii = find_pii(text)
    sentences = sentence_spans(text)
    clean = [not any(r.start < end and start < r.end for r in pii) for start, end in sentences]
    best: tuple[int, int] | None = None
    for i, (start, _) in enumerate(sentences):
        for j in range(i, len(sentences)):
            end = sentences[j][1]
            if not clean[j] or end - start > MAX_QUOTE:
                break
            longer = best is None or end - start > best[1] - best[0]
            if end - start >= MIN_QUOTE and longer and not find_pii(text[start:end]):
                best = (start, end)  # checked on its own too: a cut can expose what a neighbour hid
    return best


def choose_quotes(posts: Sequence[Post], count: int, rng: random.Random) -> tuple[Quote, ...]:
    """Up to ``count`` quotes from posts with different texts, drawn at random with ``rng``."""
    order = list(range(len(posts)))
    rng.shuffle(order)
    quotes: list[Quote] = []
    seen: set[str] = set()
    for index in order:
        if len(quotes) >= count:
            break
        post = posts[index]
        key = match_key(post.text)
        quote = quote_of(post) if key not in seen else None
        seen.add(key)
        if quote is not None:
            quotes.append(quote)
    return tuple(quotes)


def quote_of(post: Post) -> Quote | None:
    """The quote `quote_span` finds in a post, with its id and permalink; ``None`` when it has none."""
    span = quote_span(post.text)
    if span is None:
        return None
    start, end = span
    return Quote(
        text=post.text[start:end], network=post.network, post_id=post.id, url=post.url, start=start, end=end
    )
