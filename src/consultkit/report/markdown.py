"""A `Summary` as Markdown: the same sections as the HTML report, without charts."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from ._format import campaign_rows, coverage_rows

if TYPE_CHECKING:
    from ..summarize._summary import Quote, Summary

__all__ = ["render_markdown"]


def _text(text: str) -> str:
    """User text with HTML escaped, so a Markdown viewer shows it and never runs it."""
    return html.escape(text, quote=False)


def _cell(text: str) -> str:
    return _text(text).replace("|", "\\|").replace("\n", " ")


def _blockquote(text: str) -> str:
    return "\n".join("> " + line for line in _text(text).splitlines())


def _quote_lines(quote: Quote) -> list[str]:
    source = f"{quote.network} {quote.post_id}"
    if quote.url:
        source = f"[{source}]({quote.url})"
    return ["", _blockquote(quote.text), ">", f"> — {source}"]


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
    if summary.campaigns:
        lines += [
            "",
            "## Campaigns",
            "",
            "Each campaign counts as one voice and keeps its size; nothing is deleted.",
        ]
    for campaign in summary.campaigns:
        lines += ["", f"### {_cell(campaign.id)}", "", "| | |", "|---|---|"]
        lines += [f"| {_cell(label)} | {_cell(value)} |" for label, value in campaign_rows(campaign)]
        if campaign.quote is not None:
            lines += _quote_lines(campaign.quote)
    for question in summary.questions:
        lines += ["", f"## {_cell(question.text)}", ""]
        matched = ", ".join(f"{how} {n}" for how, n in question.matched_by.items()) or "none"
        lines.append(
            f"{question.responses:,} responses from {question.unique_authors:,} accounts, "
            f"{question.distinct_texts:,} distinct texts (matched by {matched})."
        )
        for quote in question.quotes:
            lines += _quote_lines(quote)
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
