"""Reports: the same summary as HTML and Markdown, with user text escaped."""

from __future__ import annotations

import datetime as dt
import re

import consultkit as ck

HOSTILE = '<script>alert("x")</script> I support the plan & want it <b>now</b>. | pipes | too'


def _summary() -> ck.Summary:
    when = dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc)
    posts = [
        ck.Post(
            network="mastodon",
            id=str(i),
            text=HOSTILE if i == 0 else f"Plain contribution number {i} about the plan, with reasons.",
            created_at=when + dt.timedelta(days=i % 7),
            url=f"https://example.social/@u/{i}",
        )
        for i in range(40)
    ]
    return ck.summarize(posts, title='Consultation <"plan">', quotes_per_question=40)


def test_html_escapes_every_user_text():
    page = _summary().to_html()
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    assert "<b>now</b>" not in page
    assert "&lt;&quot;plan&quot;&gt;" in page or '&lt;"plan"&gt;' in page
    assert page.startswith("<!DOCTYPE html>")
    assert "<svg" in page  # charts are inline
    assert not re.search(r"<(script|link|iframe)\b", page)  # self-contained, no script


def test_html_links_quotes_to_their_posts():
    page = _summary().to_html()
    assert 'href="https://example.social/@u/' in page
    assert "not a poll" in page


def test_markdown_shows_the_same_sections_and_escapes_html():
    text = _summary().to_markdown()
    assert text.startswith("# Consultation &lt;")
    for heading in ("## What this can and cannot tell you", "## Coverage", "## Reproducing this report"):
        assert heading in text
    assert "<script>" not in text
    assert "&lt;script&gt;" in text
    assert "— [mastodon 0](https://example.social/@u/0)" in text


def test_reports_are_deterministic():
    assert _summary().to_html() == _summary().to_html()
    assert _summary().to_markdown() == _summary().to_markdown()
