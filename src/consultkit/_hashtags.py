"""Hashtags: one normal form for matching across networks."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

__all__ = ["extract_hashtags", "normalize_hashtag", "normalize_hashtags"]

# A hashtag follows a non-word character and holds a letter or underscore ("#1" is not a tag).
_HASHTAG = re.compile(r"(?<![\w#&/])#(\w*[^\W\d]\w*)")


def normalize_hashtag(tag: str) -> str:
    """Return the normal form of a hashtag: no leading ``#``, NFKC case-folded.

    >>> normalize_hashtag("#DementiaChallengers")
    'dementiachallengers'

    Raises `ValueError` when nothing is left or the tag holds whitespace.
    """
    if not isinstance(tag, str):
        raise TypeError(f"a hashtag must be a string, got {type(tag).__name__}")
    text = unicodedata.normalize("NFKC", tag).strip().lstrip("#")
    text = unicodedata.normalize("NFKC", text.casefold())
    if not text:
        raise ValueError(f"{tag!r} is not a hashtag: it is empty once '#' is removed")
    if any(ch.isspace() for ch in text):
        raise ValueError(f"{tag!r} is not a hashtag: it contains whitespace")
    return text


def normalize_hashtags(tags: Iterable[str]) -> tuple[str, ...]:
    """Normalise each tag and drop repeats, keeping first-seen order."""
    return tuple(dict.fromkeys(normalize_hashtag(tag) for tag in tags))


def extract_hashtags(text: str) -> tuple[str, ...]:
    """Find the hashtags written in a text, normalised and without repeats.

    >>> extract_hashtags("Join us #DementiaChallengers at the #summit, #dementiachallengers!")
    ('dementiachallengers', 'summit')
    """
    found: dict[str, None] = {}
    for candidate in _HASHTAG.findall(text):
        try:
            found.setdefault(normalize_hashtag(candidate))
        except ValueError:
            continue  # NFKC made words of it (U+FDFA is a phrase); never raise on user text
    return tuple(found)
