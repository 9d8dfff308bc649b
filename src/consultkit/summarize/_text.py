"""Text normal forms shared by the summariser's steps."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["URL_PATTERN", "match_key", "sentence_spans"]

_RETWEET = re.compile(r"^\s*rt\s+@[\w.@-]+:\s*", re.IGNORECASE)
URL_PATTERN = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_MENTION = re.compile(r"(?<!\w)@[\w.-]+(?:@[\w.-]+)?")
_EMOJI_RANGES = "\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff"
_EMOJI = re.compile(f"[{_EMOJI_RANGES}]")
_EMOJI_VARIANT = re.compile("[\ufe0e\ufe0f\u200d\U0001f3fb-\U0001f3ff]")  # presentation, ZWJ, skin tones
_NON_WORD = re.compile(f"[^\\w#{_EMOJI_RANGES}]+")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")


def match_key(text: str) -> str:
    """The form two texts share when they differ only in case, spacing, punctuation, links, mentions or emoji
    variants (skin tones, presentation selectors); each emoji is kept as a word of its own.

    >>> match_key("RT @council: Bus lanes?  YES!! https://t.co/x") == match_key("bus lanes yes")
    True
    >>> match_key("Yes👍🏽") == match_key("yes 👍"), match_key("👍") == match_key("👎")
    (True, False)
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    if "rt" in text:  # each substitution runs only when it could match: most texts need few
        text = _RETWEET.sub("", text)
    if "http" in text or "www." in text:
        text = URL_PATTERN.sub(" ", text)
    if "@" in text:
        text = _MENTION.sub(" ", text)
    if not text.isascii():
        text = _EMOJI.sub(r" \g<0> ", _EMOJI_VARIANT.sub("", text))
    return " ".join(_NON_WORD.sub(" ", text).split())


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
