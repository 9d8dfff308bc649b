"""What a synthetic consultation is made of: its questions, themes, campaigns, burst and phrasing.

A `Scenario` holds only content (wording, weights, dates); `_generator` turns it into posts. Add a topic by
writing a module like `_bus_lanes` and registering its scenario in `_generator.SCENARIOS`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import attrs

from ._fakes import Template

__all__ = ["STANCES", "BurstSpec", "CampaignSpec", "QuestionSpec", "Scenario", "ThemeSpec"]

#: Stances in the order of `ThemeSpec.stance_weights`.
STANCES = ("favor", "against", "none")


@attrs.frozen(kw_only=True)
class ThemeSpec:
    """A latent theme: its label, how people lean on it, and the sentences that voice it.

    ``claims`` maps each stance with a non-zero weight to sentence templates; ``translations`` maps a
    language code to sentences by stance, for the few themes written in other languages too.
    """

    label: str
    description: str
    stance_weights: tuple[float, float, float]
    claims: Mapping[str, tuple[Template, ...]]
    translations: Mapping[str, Mapping[str, tuple[str, ...]]] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class QuestionSpec:
    """A consultation question, where the department asks it, and how people answer it.

    ``asked_on`` maps each network the department posts the question on to its share of direct replies;
    ``weight`` is the question's share of hashtag and keyword posts. ``lead_ins`` are sentences that
    mention one of its keywords; ``answers`` open replies to a closed question (``{option}`` is filled);
    answers lean towards the themes in ``themes``.
    """

    id: str
    text: str
    kind: str
    options: tuple[str, ...]
    hashtags: tuple[str, ...]
    keywords: tuple[str, ...]
    post_text: str
    asked_on: Mapping[str, int]
    weight: int
    lead_ins: tuple[Template, ...]
    answers: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class CampaignSpec:
    """A form-letter campaign: one letter, copied with synonyms swapped and small edits, in a short burst.

    ``letter`` holds the letter's sentence templates; the first alternative of each choice gives the canonical
    text. ``channels`` maps ``(network, "reply" | "hashtag")`` to a weight: members either reply to the
    department's post for ``question`` on that network or post with ``hashtags``.
    """

    id: str
    organiser: str
    letter: tuple[Template, ...]
    personal: tuple[str, ...]
    hashtags: tuple[str, ...]
    question: str
    theme: str
    stance: str
    share: float
    min_size: int
    day: float
    hours: float
    channels: Mapping[tuple[str, str], int]


@attrs.frozen(kw_only=True)
class BurstSpec:
    """A news story that sets off a burst of posts: reactions within ``hours`` of ``day`` after opening."""

    id: str
    headline: str
    url: str
    reactions: tuple[Template, ...]
    theme: str
    share: float
    min_size: int
    day: float
    hours: float


@attrs.frozen(kw_only=True)
class Scenario:
    """Everything a topic needs: the consultation's wording and dates, and the voices that answer it.

    ``openers`` start a post; ``contexts`` say who the writer is (where they live, how they travel).
    ``closers`` and ``reactions`` are keyed by stance (reactions are the short posts that carry little more
    than a hashtag); ``foreign_closers`` by language, then stance. ``pii_sentences`` are keyed by kind of
    personal data and hold one ``{}`` for the value.
    """

    topic: str
    consultation_id: str
    title: str
    description: str
    opens: dt.datetime
    closes: dt.datetime
    stance_target: str
    department: str
    survey_url: str
    questions: tuple[QuestionSpec, ...]
    themes: tuple[ThemeSpec, ...]
    campaigns: tuple[CampaignSpec, ...]
    burst: BurstSpec
    openers: tuple[Template, ...]
    contexts: tuple[Template, ...]
    closers: Mapping[str, tuple[str, ...]]
    foreign_closers: Mapping[str, Mapping[str, tuple[str, ...]]]
    reactions: Mapping[str, tuple[str, ...]]
    off_topic: tuple[Template, ...]
    off_topic_translations: Mapping[str, tuple[str, ...]]
    side_tags: tuple[str, ...]
    pii_sentences: Mapping[str, tuple[str, ...]]
    subreddit: str
    facebook_page: str
    facebook_group: str
    mastodon_instances: tuple[str, ...]
