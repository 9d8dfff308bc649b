"""Sanitised post HTML (Mastodon and other fediverse servers) to clean text that keeps its links."""

from __future__ import annotations

import html.parser
import re

__all__ = ["html_to_text"]

_BLOCKS = {"p", "div", "blockquote", "li", "h1", "h2", "h3", "h4", "h5", "h6", "pre"}
_SPACES = re.compile(r"[ \t]+")
_GAPS = re.compile(r"\n{3,}")


class _Text(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._links: list[tuple[str | None, int]] = []  # (href to write instead of the text, start)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCKS and self.parts:
            self.parts.append("\n\n")
        elif tag == "a":
            found = dict(attrs)
            classes = (found.get("class") or "").split()
            keep_text = "mention" in classes or "hashtag" in classes or not found.get("href")
            self._links.append((None if keep_text else found.get("href"), len(self.parts)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._links:
            href, start = self._links.pop()
            if href is not None:  # an ordinary link: the full URL, not its shortened display text
                del self.parts[start:]
                self.parts.append(href)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Plain text from post HTML: paragraphs and line breaks kept, tags dropped, entities decoded, ordinary
    links written as their full URL, mentions and hashtags as shown (``@name``, ``#tag``)."""
    parser = _Text()
    parser.feed(markup)
    parser.close()
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parser.parts).split("\n"))
    return _GAPS.sub("\n\n", "\n".join(lines)).strip()
