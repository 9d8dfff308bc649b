"""Text normal forms shared by the summariser's steps."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["match_key", "sentence_spans"]

_RETWEET = re.compile(r"^\s*rt\s+@[\w.@-]+:\s*", re.IGNORECASE)
_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_MENTION = re.compile(r"(?<!\w)@[\w.-]+(?:@[\w.-]+)?")
_NON_WORD = re.compile(r"[^\w#]+")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")


def match_key(text: str) -> str:
    """The form two texts share when they differ only in case, spacing, punctuation, links or mentions.

    >>> match_key("RT @council: Bus lanes?  YES!! https://t.co/x") == match_key("bus lanes yes")
    True
    """
    text = unicodedata.normalize("NFKC", text)
    text = _RETWEET.sub("", text)
    text = _URL.sub(" ", text)
    text = _MENTION.sub(" ", text)
    return " ".join(_NON_WORD.sub(" ", text.casefold()).split())


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of the sentences of a text, trimmed of surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    start = 0
    for boundary in (*_SENTENCE_END.finditer(text), None):
        end = boundary.start() if boundary is not None else len(text)
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            offset = start + (len(piece) - len(piece.lstrip()))
            spans.append((offset, offset + len(stripped)))
        if boundary is not None:
            start = boundary.end()
    return spans
