"""`Summary` and its parts: what the summariser found, how much it saw, and what it cannot know."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from .. import _validate as v
from .._consultation import PolicyStage
from .._io import open_atomic
from .._serialize import Serializable
from ..report.html import render_html
from ..report.markdown import render_markdown

__all__ = ["CampaignSummary", "Coverage", "QuestionSummary", "Quote", "RunManifest", "Summary"]

_counts = attrs.field(factory=dict, converter=v.to_frozen_mapping, validator=v.count_mapping, hash=False)


@attrs.frozen(kw_only=True)
class Quote(Serializable):
    """A verbatim passage: ``text == source_text[start:end]`` of the post ``(network, post_id)``.

    Quotes are chosen from sentences that hold no personal data, so they need no redaction.
    """

    text: str
    network: str
    post_id: str
    url: str | None
    start: int
    end: int


@attrs.frozen(kw_only=True)
class Coverage(Serializable):
    """What the summary is based on, so a reader can judge how far it reaches.

    ``distinct_texts`` counts texts after normalising case, spacing, punctuation, links and mentions;
    ``repeated_share`` is the share of contributions whose text repeats an earlier one that way.
    """

    contributions: int
    unique_authors: int
    without_author: int
    networks: Mapping[str, int] = _counts
    languages: Mapping[str, int] = _counts
    first_post: dt.datetime | None = attrs.field(default=None, converter=v.to_optional_datetime)
    last_post: dt.datetime | None = attrs.field(default=None, converter=v.to_optional_datetime)
    daily: Mapping[str, int] = _counts
    distinct_texts: int = 0
    repeated_share: float = 0.0
    out_of_window: int = 0
    unassigned: int = 0
    question_posts: int = 0
    repeats: int = 0
    redactions: Mapping[str, int] = _counts
    distinct_arguments: int = 0
    campaigns: int = 0
    campaign_posts: int = 0
    campaign_share: float = 0.0
    voices: int = 0


def _quote(value: Quote | Mapping[str, Any] | None) -> Quote | None:
    return Quote.from_dict(value) if isinstance(value, Mapping) else value


@attrs.frozen(kw_only=True)
class CampaignSummary(Serializable):
    """A coordinated campaign, counted as one voice with its size kept.

    ``template`` holds the words most copies share (``…`` where they differ), with personal data redacted;
    ``quote`` is a verbatim passage of one member post, with its permalink.
    """

    id: str
    size: int
    authors: int
    start: dt.datetime = attrs.field(converter=v.to_datetime)
    end: dt.datetime = attrs.field(converter=v.to_datetime)
    signals: tuple[str, ...] = attrs.field(converter=v.to_tuple)
    template: str
    quote: Quote | None = attrs.field(default=None, converter=_quote)


def _quotes(value: Iterable[Quote | Mapping[str, Any]]) -> tuple[Quote, ...]:
    return tuple(Quote.from_dict(q) if isinstance(q, Mapping) else q for q in value)


@attrs.frozen(kw_only=True)
class QuestionSummary(Serializable):
    """One question's share of the input: how many answered, how they were matched, what they said."""

    id: str
    text: str
    kind: str
    responses: int
    unique_authors: int
    distinct_texts: int
    matched_by: Mapping[str, int] = _counts
    quotes: tuple[Quote, ...] = attrs.field(default=(), converter=_quotes)


@attrs.frozen(kw_only=True)
class RunManifest(Serializable):
    """Enough to reproduce a summary: a hash of the input, the parameters, the library version and seed."""

    input_sha256: str
    library_version: str
    random_state: int
    parameters: Mapping[str, Any] = attrs.field(
        factory=dict, converter=v.to_json_mapping, validator=v.json_mapping, hash=False
    )
    steps: tuple[str, ...] = attrs.field(default=(), converter=v.to_tuple)


def _campaigns(value: Any) -> tuple[CampaignSummary, ...]:
    return tuple(CampaignSummary.from_dict(c) if isinstance(c, Mapping) else c for c in value)


def _questions(value: Any) -> tuple[QuestionSummary, ...]:
    return tuple(QuestionSummary.from_dict(q) if isinstance(q, Mapping) else q for q in value)


def _coverage(value: Coverage | Mapping[str, Any]) -> Coverage:
    return Coverage.from_dict(value) if isinstance(value, Mapping) else value


def _manifest(value: RunManifest | Mapping[str, Any]) -> RunManifest:
    return RunManifest.from_dict(value) if isinstance(value, Mapping) else value


def _stage(value: PolicyStage | str) -> PolicyStage:
    return PolicyStage(value)


@attrs.frozen(kw_only=True)
class Summary(Serializable):
    """The summariser's output for one consultation (or one set of posts): frozen and stable to diff.

    Render it with `to_markdown` or `to_html`, save it with `to_json`; ``caveats`` say what it cannot know.
    """

    title: str
    stage: PolicyStage = attrs.field(converter=_stage)
    coverage: Coverage = attrs.field(converter=_coverage)
    questions: tuple[QuestionSummary, ...] = attrs.field(converter=_questions)
    caveats: tuple[str, ...] = attrs.field(converter=v.to_tuple)
    manifest: RunManifest = attrs.field(converter=_manifest)
    campaigns: tuple[CampaignSummary, ...] = attrs.field(default=(), converter=_campaigns)

    def to_json(self, path: str | os.PathLike[str] | None = None) -> str:
        """The summary as indented JSON; written to ``path`` too when one is given."""
        text = json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"
        if path is not None:
            with open_atomic(path) as handle:
                handle.write(text)
        return text

    def to_markdown(self) -> str:
        """A Markdown report."""
        return render_markdown(self)

    def to_html(self) -> str:
        """A self-contained HTML report with charts; all user text is escaped."""
        return render_html(self)
