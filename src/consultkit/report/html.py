"""A `Summary` as one self-contained HTML page: no script, no external resources, all user text escaped."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from ._charts import bar_chart, column_chart
from ._format import campaign_rows, coverage_rows

if TYPE_CHECKING:
    from ..summarize._summary import CampaignSummary, QuestionSummary, Quote, Summary

__all__ = ["render_html"]

STYLE = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#0b0c0c}
body{line-height:1.5}h1{font-size:2rem}h2{margin-top:2.5rem;border-bottom:2px solid #b1b4b6}
.caveats{background:#fff7bf;border-left:6px solid #ffdd00;padding:.5rem 1rem}
table{border-collapse:collapse}
td,th{text-align:left;padding:.3rem .8rem;border-bottom:1px solid #b1b4b6;vertical-align:top}
blockquote{border-left:4px solid #1d70b8;margin:1rem 0;padding:.2rem 1rem;white-space:pre-wrap}
cite{display:block;font-size:.85rem;color:#505a5f}
footer{margin-top:3rem;font-size:.85rem;color:#505a5f}
"""


def render_html(summary: Summary) -> str:
    """Render a summary as an HTML document."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(summary.title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{escape(summary.title)}</h1>",
        f"<p>Policy stage: <strong>{escape(summary.stage.value)}</strong> — "
        f"{escape(summary.stage.purpose)}.</p>",
        '<section class="caveats"><h2>What this can and cannot tell you</h2><ul>',
        *(f"<li>{escape(note)}</li>" for note in summary.caveats),
        "</ul></section>",
        "<h2>Coverage</h2><table>",
        *(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in coverage_rows(summary.coverage)),
        "</table>",
        column_chart(list(summary.coverage.daily.items()), title="Contributions per day"),
        bar_chart(list(summary.coverage.networks.items()), title="Contributions per network"),
    ]
    if len(summary.questions) > 1:
        parts += [
            "<h2>Responses per question</h2>",
            bar_chart([(q.text, q.responses) for q in summary.questions], title="Responses per question"),
        ]
    parts += [_campaigns(summary.campaigns)] if summary.campaigns else []
    parts += [_question(q) for q in summary.questions]
    m = summary.manifest
    parts.append(
        f"<footer><h2>Reproducing this report</h2><p>consultkit {escape(m.library_version)}, "
        f"random_state={m.random_state}, input sha256 <code>{escape(m.input_sha256)}</code>, "
        f"steps: {escape(', '.join(m.steps))}.</p></footer></body></html>\n"
    )
    return "\n".join(part for part in parts if part)


def _question(question: QuestionSummary) -> str:
    matched = ", ".join(f"{how} {n:,}" for how, n in question.matched_by.items()) or "none"
    return "\n".join(
        [
            f"<h2>{escape(question.text)}</h2>",
            f"<p>{question.responses:,} responses from {question.unique_authors:,} accounts, "
            f"{question.distinct_texts:,} distinct texts (matched by {escape(matched)}).</p>",
            *(_quote(quote) for quote in question.quotes),
        ]
    )


def _campaigns(campaigns: tuple[CampaignSummary, ...]) -> str:
    parts = [
        "<h2>Campaigns</h2>",
        "<p>Posts that copy one text and show signs of coordination. Each campaign counts as one voice and "
        "keeps its size; nothing is deleted.</p>",
    ]
    for campaign in campaigns:
        parts.append(f"<h3>{escape(campaign.id)}</h3><table>")
        parts += [f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in campaign_rows(campaign)]
        parts.append("</table>")
        if campaign.quote is not None:
            parts.append(_quote(campaign.quote))
    return "\n".join(parts)


def _quote(quote: Quote) -> str:
    source = escape(f"{quote.network} {quote.post_id}")
    if quote.url:
        source = f'<a href="{escape(quote.url)}" rel="nofollow noopener">{source}</a>'
    return f"<blockquote>{escape(quote.text)}<cite>{source}</cite></blockquote>"
