"""A `Summary` as Markdown: the same sections as the HTML report, without charts."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from ._format import coverage_rows

if TYPE_CHECKING:
    from ..summarize._summary import Summary

__all__ = ["render_markdown"]


def _text(text: str) -> str:
    """User text with HTML escaped, so a Markdown viewer shows it and never runs it."""
    return html.escape(text, quote=False)


def _cell(text: str) -> str:
    return _text(text).replace("|", "\\|").replace("\n", " ")


def _blockquote(text: str) -> str:
    return "\n".join("> " + line for line in _text(text).splitlines())


def render_markdown(summary: Summary) -> str:
    """Render a summary as a Markdown document."""
    lines = [
        f"# {_text(summary.title)}",
        "",
        f"Policy stage: **{summary.stage.value}** — {summary.stage.purpose}.",
        "",
    ]
    lines += ["## What this can and cannot tell you", ""]
    lines += [f"- {note}" for note in summary.caveats]
    lines += ["", "## Coverage", "", "| | |", "|---|---|"]
    lines += [f"| {_cell(label)} | {_cell(value)} |" for label, value in coverage_rows(summary.coverage)]
    for question in summary.questions:
        lines += ["", f"## {_cell(question.text)}", ""]
        matched = ", ".join(f"{how} {n}" for how, n in question.matched_by.items()) or "none"
        lines.append(
            f"{question.responses:,} responses from {question.unique_authors:,} accounts, "
            f"{question.distinct_texts:,} distinct texts (matched by {matched})."
        )
        for quote in question.quotes:
            source = (
                f"[{quote.network} {quote.post_id}]({quote.url})"
                if quote.url
                else f"{quote.network} {quote.post_id}"
            )
            lines += ["", _blockquote(quote.text), ">", f"> — {source}"]
    m = summary.manifest
    lines += [
        "",
        "## Reproducing this report",
        "",
        f"consultkit {m.library_version}, random_state={m.random_state}, input sha256 `{m.input_sha256}`, "
        f"steps: {', '.join(m.steps)}.",
        "",
    ]
    return "\n".join(lines)
