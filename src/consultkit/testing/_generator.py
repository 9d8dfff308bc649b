"""`make_consultation`: a realistic synthetic consultation and its ground truth, for demos, tests, benchmarks.

The generator drafts posts one at a time from a `Scenario` (replies in the department's threads, hashtag and
keyword posts, two form-letter campaigns, a news-driven burst, early and late posts, off-topic chatter), then
orders them by time, gives each its network's id and permalink, and records what it put into each post.
Time and memory grow linearly with ``n_posts``; the same arguments give the same output, byte for byte.
"""

from __future__ import annotations

import bisect
import contextlib
import dataclasses
import datetime as dt
import functools
import gc
import itertools
import math
import random
import re
import types
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Generic, TypeVar

import attrs

from .._consultation import Codebook, Consultation, PolicyStage, Question
from .._exceptions import ModelValidationError
from .._models import Author, Post
from .._pseudonym import Pseudonymizer
from ._bus_lanes import BUS_LANES
from ._fakes import (
    PII_KINDS,
    Template,
    base36,
    bluesky_tid,
    did,
    fake_pii,
    mastodon_id,
    pick,
    render,
    username,
    x_id,
)
from ._scenarios import STANCES, CampaignSpec, QuestionSpec, Scenario, ThemeSpec

__all__ = ["Burst", "Campaign", "PostTruth", "SyntheticConsultation", "make_consultation"]

SCENARIOS: Mapping[str, Scenario] = types.MappingProxyType({BUS_LANES.topic: BUS_LANES})

#: The fewest posts that still hold every part of the scenario.
MIN_POSTS = 100
MIN_THEMES, MAX_THEMES = 6, 12

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
_MINUTE = 60_000
_HOUR = 60 * _MINUTE
_DAY = 24 * _HOUR

# Share of the public posts made by each recipe, and the fewest of each; hashtag posts take the rest.
_RECIPES = {
    "direct_reply": (0.26, 0),  # minimum: one per department post, set at run time
    "nested_reply": (0.12, 2),
    "keyword": (0.12, 0),  # minimum: one per question, set at run time
    "off_topic": (0.10, 3),
    "early": (0.02, 2),
    "late": (0.02, 2),
}
_NETWORKS = ("bluesky", "facebook", "mastodon", "reddit", "x")
_HASHTAG_NETWORKS = {"x": 30, "mastodon": 25, "bluesky": 25, "facebook": 20}
_KEYWORD_NETWORKS = {"x": 25, "mastodon": 20, "bluesky": 20, "facebook": 15, "reddit": 20}
_LENGTH_LIMITS = {"x": 280, "bluesky": 300, "mastodon": 500}
_TAGGING_NETWORKS = frozenset({"bluesky", "mastodon", "x"})  # networks that list a post's hashtags
_REPORTED_LANG = frozenset({"bluesky", "mastodon", "x"})  # networks that report a post's language
_MENTIONS = {"mastodon": 0.7, "x": 0.7, "bluesky": 0.2, "reddit": 0.0, "facebook": 0.0}
_METRICS = {  # engagement counts each network reports, with their typical size relative to likes
    "bluesky": (("likes", 1.0), ("reposts", 0.3)),
    "facebook": (("reactions", 1.0), ("shares", 0.2)),
    "mastodon": (("favourites", 1.0), ("reblogs", 0.4)),
    "reddit": (("score", 1.0),),
    "x": (("likes", 1.0), ("retweets", 0.3)),
}
_LANGUAGES = (("cy", 0.05), ("fr", 0.02), ("pl", 0.02))
_PII_RATE = 0.06
_MAX_POSTS_PER_ACCOUNT = 400
_CHATTER_PII = tuple(kind for kind in PII_KINDS if kind != "ni_number")  # the NI sentences are about the form
_HOUR_WEIGHTS = (2, 1, 1, 1, 1, 2, 4, 8, 10, 9, 8, 8, 10, 9, 8, 8, 9, 11, 13, 14, 13, 11, 7, 4)
_REDDIT_POST, _REDDIT_COMMENT = 3_000_000_000, 48_000_000_000
_FACEBOOK_POST, _FACEBOOK_COMMENT = 1_090_000_000_000_000, 1_500_000_000_000_000


# -- ground truth ---------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class PostTruth:
    """What the generator put into one post: the answers a perfect pipeline would give.

    - ``asks``: the id of the question a department post asks; ``None`` for the public's posts.
    - ``question_ids``: the questions `Consultation.assign` files the post under, in the consultation's
      order; empty for department posts and for posts that answer no question.
    - ``matched_by``: how the post answers them, ``"reply"``, ``"hashtag"`` or ``"keyword"`` (strongest
      first, as in `MatchReason`); ``None`` when ``question_ids`` is empty.
    - ``theme``: the label of the latent theme the text voices; ``None`` for department posts, off-topic
      posts and bare reactions (a hashtag and an emoji).
    - ``stance``: ``"favor"``, ``"against"`` or ``"none"`` toward the proposal (``Scenario.stance_target``).
    - ``lang``: the language the text is written in (the network may report another, or none).
    - ``campaign_id`` / ``burst_id``: the `Campaign` or `Burst` the post belongs to, if any.
    - ``pii``: the kinds of personal data written into the text, sorted: ``"email"``, ``"handle"``,
      ``"ni_number"``, ``"phone"``, ``"postcode"``.
    - ``out_of_window``: written before the consultation opened or after it closed.
    """

    asks: str | None = None
    question_ids: tuple[str, ...] = ()
    matched_by: str | None = None
    theme: str | None = None
    stance: str = "none"
    lang: str = "en"
    campaign_id: str | None = None
    burst_id: str | None = None
    pii: tuple[str, ...] = ()
    out_of_window: bool = False


@attrs.frozen(kw_only=True)
class Campaign:
    """A form-letter campaign: one letter sent by many accounts, with synonyms swapped and small edits.

    ``template`` is the canonical letter (copies swap synonyms, drop a sentence, add a line or a typo, and
    carry hashtags); ``members`` are the ``(network, id)`` keys of its posts in time order, every one written
    in ``[start, end]``. Members answer ``question_id`` with ``stance`` on ``theme``.
    """

    id: str
    organiser: str
    template: str
    stance: str
    theme: str
    question_id: str
    start: dt.datetime
    end: dt.datetime
    members: tuple[tuple[str, str], ...] = attrs.field(repr=lambda keys: f"<{len(keys)} posts>")


@attrs.frozen(kw_only=True)
class Burst:
    """A news story published at ``start`` and the burst of posts reacting to it until ``end``.

    ``members`` are the ``(network, id)`` keys of the reacting posts, in time order.
    """

    id: str
    headline: str
    url: str
    start: dt.datetime
    end: dt.datetime
    members: tuple[tuple[str, str], ...] = attrs.field(repr=lambda keys: f"<{len(keys)} posts>")


@attrs.frozen(kw_only=True)
class SyntheticConsultation:
    """A synthetic consultation, its posts, and the ground truth for every post.

    - ``consultation``: the `Consultation`; each question's ``asked_in`` names the department's posts.
    - ``posts``: every post, the department's question posts included, ordered by ``created_at``.
    - ``truth``: a `PostTruth` for each post, keyed by ``(network, id)``, in the order of ``posts``.
    - ``themes``: the latent theme labels in use, broadly the most common first (campaigns and the burst
      swell a few); ``codebook`` describes each one.
    - ``stance_target``: the proposal that stances are toward, in words (for `StanceClassifier`).
    - ``campaigns``: the form-letter campaigns; ``burst``: the news-driven burst.
    - ``topic`` and ``random_state``: the arguments that made it.
    """

    topic: str
    random_state: int
    consultation: Consultation
    posts: tuple[Post, ...] = attrs.field(repr=lambda posts: f"<{len(posts)} posts>")
    truth: Mapping[tuple[str, str], PostTruth] = attrs.field(
        repr=lambda truth: f"<{len(truth)} entries>", hash=False
    )
    themes: tuple[str, ...]
    codebook: Codebook
    stance_target: str
    campaigns: tuple[Campaign, ...]
    burst: Burst


def make_consultation(
    n_posts: int = 2000,
    *,
    n_themes: int = 8,
    topic: str = "bus-lanes",
    random_state: int = 0,
) -> SyntheticConsultation:
    """Generate a realistic consultation on social media, with the ground truth for every post.

    ``n_posts`` counts every post returned, the department's question posts included (at least 100, so that
    every part of the scenario is there); ``n_themes`` latent themes (6 to 12) run through the public's
    posts; ``topic`` picks the scenario (``"bus-lanes"``). The same arguments give the same result, byte for
    byte; authors are pseudonymised with a key derived from ``random_state`` (a non-negative integer).
    Raises `ModelValidationError` (a `ValueError`) naming the bad argument.

    >>> demo = make_consultation(n_posts=500, random_state=0)
    >>> len(demo.posts), len(demo.themes)
    (500, 8)
    """
    _check_int("n_posts", n_posts, MIN_POSTS, None)
    _check_int("n_themes", n_themes, MIN_THEMES, MAX_THEMES)
    _check_int("random_state", random_state, 0, None)
    if topic not in SCENARIOS:
        known = ", ".join(repr(name) for name in SCENARIOS)
        raise ModelValidationError("make_consultation", "topic", topic, f"expected one of {known}")
    with _gc_paused():
        return _Generator(SCENARIOS[topic], n_posts, n_themes, random_state).run()


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cycle collector: millions of new acyclic objects would wake it again and again, in vain."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _check_int(name: str, value: object, low: int, high: int | None) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ModelValidationError("make_consultation", name, value, "expected an integer")
    if value < low or (high is not None and value > high):
        bound = f"at least {low}" if high is None else f"between {low} and {high}"
        raise ModelValidationError("make_consultation", name, value, f"must be {bound}")


# -- drafting -------------------------------------------------------------------------------------------


@dataclasses.dataclass(slots=True)
class _Account:
    """A network account: ``home`` is its Mastodon instance or Bluesky DID (empty elsewhere).

    ``posted`` counts its posts here and ``to_write`` those still to come; its `Author` is made once all
    are drafted, so that the account's post count includes them.
    """

    network: str
    account_id: str
    name: str
    home: str
    created_ms: int
    earlier_posts: int
    followers: int
    posted: int = 0
    to_write: int = 0
    author: Author | None = None


@dataclasses.dataclass(slots=True)
class _Draft:
    """A post before it has its id: ``parent`` and ``root`` are indices of other drafts, ``lang`` is the
    language the network reports."""

    network: str
    account: _Account
    text: str
    ms: int
    lang: str | None
    hashtags: tuple[str, ...]
    parent: int | None
    root: int | None
    truth: PostTruth


@dataclasses.dataclass(slots=True)
class _Theme:
    """A theme in use: its spec and its stances, with cumulative weights for sampling."""

    spec: ThemeSpec
    stances: tuple[str, ...]
    cum_weights: tuple[float, ...]


def _cumulative(weights: Sequence[float]) -> tuple[float, ...]:
    return tuple(itertools.accumulate(weights))


T = TypeVar("T")


class _Weighted(Generic[T]):
    """Weighted choice from fixed items; the first ``len(items)`` picks go round the items once each."""

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        self.items = tuple(items)
        self.cum = _cumulative(weights)
        self.calls = 0

    def pick(self, rng: random.Random) -> T:
        self.calls += 1
        if self.calls <= len(self.items):
            return self.items[self.calls - 1]
        return self.items[bisect.bisect(self.cum, rng.random() * self.cum[-1])]


class _Generator:
    """Drafts posts recipe by recipe, then emits them in time order with ids, URLs and ground truth."""

    def __init__(self, scenario: Scenario, n_posts: int, n_themes: int, random_state: int) -> None:
        self.scenario = scenario
        self.n_posts = n_posts
        self.random_state = random_state
        self.rng = random.Random(random_state)
        self.pseudonymizer = Pseudonymizer(f"make_consultation-{random_state}")
        self.opens = _ms(scenario.opens)
        self.closes = _ms(scenario.closes)
        self.drafts: list[_Draft] = []
        self.truths: dict[tuple[object, ...], PostTruth] = {}
        self.threads: dict[int, list[int]] = {}  # department post index -> reply indices
        self.posters: dict[str, list[_Account]] = {network: [] for network in _NETWORKS}  # with posts to come
        self.accounts = itertools.count(100_000)
        self.pii_pending = list(PII_KINDS)
        self.questions = {q.id: q for q in scenario.questions}
        self.themes = self._themes(n_themes)
        by_label = {theme.spec.label: theme for theme in self.themes}
        self.leaning = {
            q.id: tuple(by_label[label] for label in q.themes if label in by_label)
            for q in scenario.questions
        }
        self.burst_theme = by_label.get(scenario.burst.theme)
        self.theme_picker = _Weighted(range(n_themes), [1 / (i + 1) ** 0.6 for i in range(n_themes)])
        self.hashtag_networks = _Weighted(tuple(_HASHTAG_NETWORKS), tuple(_HASHTAG_NETWORKS.values()))
        self.keyword_networks = _Weighted(tuple(_KEYWORD_NETWORKS), tuple(_KEYWORD_NETWORKS.values()))
        self.question_picker = _Weighted(scenario.questions, [q.weight for q in scenario.questions])
        self.hour_weights = _cumulative(_HOUR_WEIGHTS)
        self.department = {network: self._department_account(network) for network in _NETWORKS}
        self.asked = self._question_posts()
        self.reply_picker = _Weighted(
            tuple(self.asked),
            [self.questions[q].asked_on[self.drafts[i].network] for i, q in self.asked.items()],
        )

    def _themes(self, n_themes: int) -> tuple[_Theme, ...]:
        themes = []
        for spec in self.scenario.themes[:n_themes]:
            pairs = [(s, w) for s, w in zip(STANCES, spec.stance_weights, strict=True) if w > 0]
            themes.append(_Theme(spec, tuple(s for s, _ in pairs), _cumulative([w for _, w in pairs])))
        return tuple(themes)

    # -- running ----------------------------------------------------------------------------------------

    def run(self) -> SyntheticConsultation:
        for recipe, count in self._plan():
            for _ in range(count):
                recipe()
        return self._finish()

    def _plan(self) -> list[tuple[Callable[[], None], int]]:
        public = self.n_posts - len(self.drafts)
        minimums = {"direct_reply": len(self.asked), "keyword": len(self.scenario.questions)}
        counts = {
            name: max(minimums.get(name, minimum), int(share * public))
            for name, (share, minimum) in _RECIPES.items()
        }
        burst = self.scenario.burst
        recipes: dict[str, Callable[[], None]] = {
            "direct_reply": self._direct_reply,
            "nested_reply": self._nested_reply,
            "keyword": self._keyword,
            "off_topic": self._off_topic,
            "early": self._early,
            "late": self._late,
        }
        plan = [(recipes[name], count) for name, count in counts.items()]
        plan.extend(
            (functools.partial(self._campaign_post, c), max(c.min_size, int(c.share * public)))
            for c in self.scenario.campaigns
        )
        plan.append((self._burst_post, max(burst.min_size, int(burst.share * public))))
        plan.append((self._hashtag, public - sum(count for _, count in plan)))
        return plan

    # -- the department ---------------------------------------------------------------------------------

    def _department_account(self, network: str) -> _Account:
        home = "social.westhaven.example" if network == "mastodon" else self._home(network)
        created = _ms(dt.datetime(2011, 5, 4, 10, 0, tzinfo=dt.timezone.utc))
        return _Account(network, f"dept-{network}", self.scenario.department, home, created, 4321, 18_500)

    def _question_posts(self) -> dict[int, str]:
        """Draft the department's posts asking each question; return their indices and question ids."""
        asked: dict[int, str] = {}
        closes = f"{self.scenario.closes.day} {self.scenario.closes:%B}"
        for q_number, question in enumerate(self.scenario.questions):
            text = question.post_text.format(closes=closes, url=self.scenario.survey_url)
            for n_number, network in enumerate(question.asked_on):
                tags = question.hashtags[:1] if network in _TAGGING_NETWORKS else ()
                ms = self.opens + (30 * q_number + 3 * n_number) * _MINUTE
                truth = PostTruth(asks=question.id)
                index = self._add(network, self.department[network], text, ms, truth=truth, hashtags=tags)
                asked[index] = question.id
                self.threads[index] = []
        return asked

    # -- recipes: one call drafts one post ---------------------------------------------------------------

    def _direct_reply(self, ms: int | None = None, burst: bool = False) -> None:
        root = self.reply_picker.pick(self.rng)
        parent_ms = self.drafts[root].ms
        if ms is None:
            ms = self._window_ms()
        if ms <= parent_ms:
            ms = parent_ms + _MINUTE + int(self.rng.expovariate(1 / (2 * _HOUR)))
        self._reply(root, root, ms, burst=burst)

    def _nested_reply(self) -> None:
        root = self.reply_picker.pick(self.rng)
        thread = self.threads[root]
        parent = pick(self.rng, thread) if thread else root
        delay = 30_000 + int(self.rng.lognormvariate(math.log(40 * _MINUTE), 1.3))
        self._reply(root, parent, self.drafts[parent].ms + delay)

    def _reply(self, root: int, parent: int, ms: int, *, burst: bool = False) -> None:
        network = self.drafts[root].network
        question_id = self.asked[root]
        theme, stance = self._theme_and_stance(self.questions[question_id], burst)
        lang = self._language(theme, stance)
        lead = self._answer(self.questions[question_id]) if lang == "en" else ""
        opener = self._burst_reaction() if burst else None
        mention = ""
        if parent != root and self.rng.random() < _MENTIONS[network]:
            replied = self.drafts[parent].account
            mention = _mention(network, replied.name, replied.home)
        text, pii = self._compose(network, theme, stance, lang, lead=lead, mention=mention, opener=opener)
        if mention:
            pii = tuple(sorted({*pii, "handle"}))
        truth = self._truth(
            ms,
            theme.spec.label,
            stance,
            lang=lang,
            pii=pii,
            question_ids=(question_id,),
            matched_by="reply",
            burst=burst,
        )
        self._add_reply(root, parent, self._account(network), text, ms, truth=truth)

    def _add_reply(
        self, root: int, parent: int, account: _Account, text: str, ms: int, *, truth: PostTruth
    ) -> None:
        network = self.drafts[root].network
        root_ref = None if network == "mastodon" else root  # Mastodon reports only in_reply_to_id
        index = self._add(network, account, text, ms, truth=truth, parent=parent, root=root_ref)
        self.threads[root].append(index)

    def _hashtag(self, ms: int | None = None, burst: bool = False) -> None:
        network = self.hashtag_networks.pick(self.rng)
        questions = self._tagged_questions()
        tags = [pick(self.rng, q.hashtags) for q in questions]
        if self.rng.random() < 0.15:
            tags.append(pick(self.rng, self.scenario.side_tags))
        if ms is None:
            ms = self._window_ms()
        ids = tuple(q.id for q in questions)
        if not burst and self.rng.random() < 0.1:  # a bare reaction: an emoji or a word and the hashtag
            stance = self.rng.choices(STANCES, weights=(0.35, 0.45, 0.2))[0]
            text = self._tag_text(pick(self.rng, self.scenario.reactions[stance]), tags)
            truth = self._truth(ms, None, stance, question_ids=ids, matched_by="hashtag")
        else:
            theme, stance = self._theme_and_stance(questions[0], burst)
            lang = self._language(theme, stance)
            opener = self._burst_reaction() if burst else None
            text, pii = self._compose(network, theme, stance, lang, opener=opener, tags=tags)
            truth = self._truth(
                ms,
                theme.spec.label,
                stance,
                lang=lang,
                pii=pii,
                question_ids=ids,
                matched_by="hashtag",
                burst=burst,
            )
        shown = tuple(tags) if network in _TAGGING_NETWORKS else ()
        self._add(network, self._account(network), text, ms, truth=truth, hashtags=shown)

    def _keyword(self, ms: int | None = None) -> None:
        network = self.keyword_networks.pick(self.rng)
        question = self.question_picker.pick(self.rng)
        theme, stance = self._theme_and_stance(question, False)
        lead = render(self.rng, pick(self.rng, question.lead_ins))
        text, pii = self._compose(network, theme, stance, "en", lead=lead)
        if ms is None:
            ms = self._window_ms()
        truth = self._truth(
            ms, theme.spec.label, stance, pii=pii, question_ids=(question.id,), matched_by="keyword"
        )
        self._add(network, self._account(network), text, ms, truth=truth)

    def _early(self) -> None:
        ms = self.opens - _MINUTE - int(self.rng.expovariate(1 / (3 * _DAY)))
        if self.rng.random() < 0.6:
            self._hashtag(ms)
        else:
            self._keyword(ms)

    def _late(self) -> None:
        ms = self.closes + _MINUTE + int(self.rng.expovariate(1 / (2 * _DAY)))
        if self.rng.random() < 0.5:
            self._direct_reply(ms)
        else:
            self._hashtag(ms)

    def _burst_reaction(self) -> str:
        return render(self.rng, pick(self.rng, self.scenario.burst.reactions))

    def _burst_post(self) -> None:
        spec = self.scenario.burst
        ms = _within(self.rng, self._day(spec.day), spec.hours)
        if self.rng.random() < 0.6:
            self._hashtag(ms, burst=True)
        else:
            self._direct_reply(ms, burst=True)

    def _off_topic(self) -> None:
        network = pick(self.rng, _NETWORKS)
        lang = self._off_topic_language()
        if lang == "en":
            body = [render(self.rng, pick(self.rng, self.scenario.off_topic))]
        else:
            body = [pick(self.rng, self.scenario.off_topic_translations[lang])]
        pii = self._wrote(self._pii_kinds(network, _CHATTER_PII)) if lang == "en" else ()
        body.extend(self._pii_sentence(network, kind) for kind in pii)
        tags = [pick(self.rng, self.scenario.side_tags)] if self.rng.random() < 0.2 else []
        text = self._tag_text(" ".join(body), tags)
        ms = self.opens - 7 * _DAY + int(self.rng.random() * (self.closes - self.opens + 14 * _DAY))
        truth = self._truth(ms, None, "none", lang=lang, pii=pii)
        shown = tuple(tags) if network in _TAGGING_NETWORKS else ()
        self._add(network, self._account(network), text, ms, truth=truth, hashtags=shown)

    def _campaign_post(self, spec: CampaignSpec) -> None:
        ms = _within(self.rng, self._day(spec.day), spec.hours)
        channels = tuple(spec.channels)
        network, channel = self.rng.choices(channels, weights=tuple(spec.channels.values()))[0]
        account = self._campaign_account(network, ms)
        text = self._letter(spec)
        truth = self._truth(
            ms,
            spec.theme,
            spec.stance,
            question_ids=(spec.question,),
            matched_by=channel,
            campaign_id=spec.id,
        )
        if channel == "reply":
            root = self._asking_post(spec.question, network)
            self._add_reply(root, root, account, text, ms, truth=truth)
        else:
            text = self._tag_text(text, spec.hashtags)
            shown = spec.hashtags if network in _TAGGING_NETWORKS else ()
            self._add(network, account, text, ms, truth=truth, hashtags=shown)

    def _asking_post(self, question_id: str, network: str) -> int:
        """The index of the department's post asking a question on a network."""
        for index, asked in self.asked.items():
            if asked == question_id and self.drafts[index].network == network:
                return index
        raise ValueError(f"the scenario does not ask {question_id!r} on {network}")

    # -- choices ---------------------------------------------------------------------------------------

    def _theme_and_stance(self, question: QuestionSpec, burst: bool) -> tuple[_Theme, str]:
        """A theme (each in use once early on, then by prevalence or the question's leaning) and a stance."""
        rng = self.rng
        leaning = self.leaning[question.id]
        warm = self.theme_picker.calls >= len(self.themes)
        if burst and self.burst_theme is not None and rng.random() < 0.5:
            theme = self.burst_theme
        elif leaning and warm and rng.random() < 0.5:
            theme = pick(rng, leaning)
        else:
            theme = self.themes[self.theme_picker.pick(rng)]
        stance = theme.stances[bisect.bisect(theme.cum_weights, rng.random() * theme.cum_weights[-1])]
        return theme, stance

    def _tagged_questions(self) -> list[QuestionSpec]:
        first = self.question_picker.pick(self.rng)
        if self.rng.random() < 0.05:
            second = pick(self.rng, self.scenario.questions)
            if second is not first:
                return sorted((first, second), key=self.scenario.questions.index)
        return [first]

    def _language(self, theme: _Theme, stance: str) -> str:
        draw = self.rng.random()
        for lang, share in _LANGUAGES:
            if draw < share:
                return lang if stance in theme.spec.translations.get(lang, {}) else "en"
            draw -= share
        return "en"

    def _off_topic_language(self) -> str:
        draw = self.rng.random()
        for lang, share in _LANGUAGES:
            if draw < share and lang in self.scenario.off_topic_translations:
                return lang
            draw -= share
        return "en"

    def _answer(self, question: QuestionSpec) -> str:
        """Most replies to a closed question open with the option they choose."""
        if not question.options or self.rng.random() >= 0.7:
            return ""
        answer = pick(self.rng, question.answers)
        option = pick(self.rng, question.options)
        if not answer.startswith("{option}"):
            option = option[0].lower() + option[1:]
        return answer.format(option=option)

    # -- text ------------------------------------------------------------------------------------------

    def _compose(
        self,
        network: str,
        theme: _Theme,
        stance: str,
        lang: str,
        *,
        lead: str = "",
        mention: str = "",
        opener: str | None = None,
        tags: Sequence[str] = (),
    ) -> tuple[str, tuple[str, ...]]:
        """A post voicing ``theme`` with ``stance``; return its text and the kinds of personal data in it.

        Parts are dropped to fit the network's length limit (see `_shorten`).
        """
        rng = self.rng
        if lang != "en":
            return self._foreign(theme, stance, lang, mention, tags), ()
        claims = theme.spec.claims[stance]
        first = pick(rng, claims)
        second = pick(rng, claims) if rng.random() < 0.35 else first
        if opener is None:
            opener = render(rng, pick(rng, self.scenario.openers)) if rng.random() < 0.35 else ""
        context = render(rng, pick(rng, self.scenario.contexts)) if rng.random() < 0.35 else ""
        closer = pick(rng, self.scenario.closers[stance]) if rng.random() < 0.4 else ""
        pii = self._pii_kinds(network)
        parts = [
            mention,
            opener,
            lead,
            context,
            render(rng, first),
            render(rng, second) if second is not first else "",
            *(self._pii_sentence(network, kind) for kind in pii),
            closer,
        ]
        text = " ".join([part for part in parts if part])
        limit = _LENGTH_LIMITS.get(network)
        if limit is not None and len(text) + sum(len(tag) + 2 for tag in tags) > limit:
            text, pii = _shorten(parts, pii, limit - sum(len(tag) + 2 for tag in tags))
        if pii:
            self._wrote(pii)
        if rng.random() < 0.06:
            text = text.lower()
        return self._tag_text(text, tags), pii

    def _foreign(self, theme: _Theme, stance: str, lang: str, mention: str, tags: Sequence[str]) -> str:
        """A post in another language: one of the theme's translated sentences, sometimes a closer."""
        parts = [mention, pick(self.rng, theme.spec.translations[lang][stance])]
        closers = self.scenario.foreign_closers.get(lang, {}).get(stance, ())
        if closers and self.rng.random() < 0.4:
            parts.append(pick(self.rng, closers))
        return self._tag_text(" ".join(part for part in parts if part), tags)

    def _tag_text(self, text: str, tags: Sequence[str]) -> str:
        if not tags:
            return text.strip()
        shown = " ".join("#" + _tag_case(self.rng, tag) for tag in tags)
        return f"{shown} {text.strip()}" if self.rng.random() < 0.2 else f"{text.strip()} {shown}"

    def _letter(self, spec: CampaignSpec) -> str:
        """One copy of a campaign's letter: synonyms swapped, sometimes a sentence dropped or one added."""
        rng = self.rng
        sentences = [_variant(rng, sentence) for sentence in spec.letter]
        if len(sentences) > 2 and rng.random() < 0.15:
            del sentences[rng.randrange(1, len(sentences))]
        if rng.random() < 0.25:
            sentences.insert(0 if rng.random() < 0.5 else len(sentences), pick(rng, spec.personal))
        text = " ".join(sentences)
        return _typo(rng, text) if rng.random() < 0.1 else text

    def _pii_kinds(self, network: str, kinds: Sequence[str] = PII_KINDS) -> tuple[str, ...]:
        """The kinds of personal data to put in a post: each kind until it is written once, then rarely."""
        allowed = [kind for kind in kinds if kind != "handle" or network != "facebook"]
        for kind in self.pii_pending:
            if kind in allowed:
                return (kind,)
        if self.rng.random() >= _PII_RATE:
            return ()
        chosen = {pick(self.rng, allowed) for _ in range(1 if self.rng.random() < 0.85 else 2)}
        return tuple(sorted(chosen))

    def _wrote(self, pii: tuple[str, ...]) -> tuple[str, ...]:
        """Note the kinds of personal data written into a post; return them."""
        for kind in pii:
            if kind in self.pii_pending:
                self.pii_pending.remove(kind)
        return pii

    def _pii_sentence(self, network: str, kind: str) -> str:
        if kind == "handle":
            value = _mention(network, username(self.rng), pick(self.rng, self.scenario.mastodon_instances))
        else:
            value = fake_pii(self.rng, kind)
        return pick(self.rng, self.scenario.pii_sentences[kind]).format(value)

    # -- time and accounts -------------------------------------------------------------------------------

    def _day(self, days: float) -> int:
        """The time ``days`` after opening, to the millisecond."""
        return self.opens + round(days * _DAY)

    def _window_ms(self) -> int:
        """A time in the consultation window: busy at launch and before the close, quieter at night."""
        rng = self.rng
        midnight = self.opens - self.opens % _DAY
        span = (self.closes - midnight) / _DAY
        while True:
            draw = rng.random()
            if draw < 0.3:
                day = rng.expovariate(1 / 4)
            elif draw < 0.45:
                day = span - rng.expovariate(1 / 2.5)
            else:
                day = rng.random() * span
            hour = bisect.bisect(self.hour_weights, rng.random() * self.hour_weights[-1])
            ms = midnight + int(day) * _DAY + hour * _HOUR + rng.randrange(_HOUR)
            if self.opens <= ms <= self.closes:
                return ms

    def _account(self, network: str) -> _Account:
        """An author: often someone who posted before, else a new account with a number of posts to write.

        The number is heavy-tailed (most people post once or twice, a few post hundreds of times) and capped,
        so no account writes more than `_MAX_POSTS_PER_ACCOUNT` however many posts are made.
        """
        posters = self.posters[network]
        if posters and self.rng.random() < 0.6:
            position = int(self.rng.random() * len(posters))
            account = posters[position]
        else:
            years = self.rng.uniform(0.2, 15)
            created = self.opens - int(years * 365 * _DAY)
            account = self._new_account(network, created, int(self.rng.lognormvariate(5.5, 1.3)) + 5)
            account.to_write = min(int(self.rng.paretovariate(1.3)), _MAX_POSTS_PER_ACCOUNT)
            position = len(posters)
            posters.append(account)
        account.to_write -= 1
        if account.to_write <= 0:  # done: swap it out of the list in O(1)
            posters[position] = posters[-1]
            posters.pop()
        return account

    def _campaign_account(self, network: str, ms: int) -> _Account:
        """Mostly a days-old account with a handful of posts; sometimes a regular poster."""
        if self.rng.random() < 0.25 and self.posters[network]:
            return self._account(network)
        created = ms - int(self.rng.uniform(0.05, 14) * _DAY)
        return self._new_account(network, created, self.rng.randint(0, 3))

    def _new_account(self, network: str, created_ms: int, earlier_posts: int) -> _Account:
        followers = int(self.rng.lognormvariate(4, 1.5)) if earlier_posts > 4 else self.rng.randint(0, 8)
        created = created_ms - created_ms % 1000
        name = username(self.rng)
        return _Account(
            network, str(next(self.accounts)), name, self._home(network), created, earlier_posts, followers
        )

    def _home(self, network: str) -> str:
        if network == "mastodon":
            return pick(self.rng, self.scenario.mastodon_instances)
        return did(self.rng) if network == "bluesky" else ""

    def _truth(
        self,
        ms: int,
        theme: str | None,
        stance: str,
        *,
        lang: str = "en",
        pii: tuple[str, ...] = (),
        question_ids: tuple[str, ...] = (),
        matched_by: str | None = None,
        burst: bool = False,
        campaign_id: str | None = None,
    ) -> PostTruth:
        """The truth for a post; equal truths are one shared object (there are a few hundred kinds)."""
        out = not self.opens <= ms <= self.closes
        key = (theme, stance, lang, pii, question_ids, matched_by, burst, campaign_id, out)
        truth = self.truths.get(key)
        if truth is None:
            truth = self.truths[key] = PostTruth(
                question_ids=question_ids,
                matched_by=matched_by,
                theme=theme,
                stance=stance,
                lang=lang,
                campaign_id=campaign_id,
                burst_id=self.scenario.burst.id if burst else None,
                pii=pii,
                out_of_window=out,
            )
        return truth

    def _add(
        self,
        network: str,
        account: _Account,
        text: str,
        ms: int,
        *,
        truth: PostTruth,
        hashtags: Sequence[str] = (),
        parent: int | None = None,
        root: int | None = None,
    ) -> int:
        """Keep a draft; the network reports its language (Welsh and others are often mislabelled ``en``)."""
        reported: str | None = None
        if network in _REPORTED_LANG:
            reported = truth.lang if truth.lang == "en" or self.rng.random() < 0.75 else "en"
        account.posted += 1
        self.drafts.append(_Draft(network, account, text, ms, reported, tuple(hashtags), parent, root, truth))
        return len(self.drafts) - 1

    # -- emitting --------------------------------------------------------------------------------------

    def _finish(self) -> SyntheticConsultation:
        """Order drafts by time, give each its network id and permalink, and collect the ground truth."""
        times = [draft.ms for draft in self.drafts]
        order = sorted(range(len(self.drafts)), key=times.__getitem__)
        made: list[Post | None] = [None] * len(self.drafts)
        sequence = dict.fromkeys(_NETWORKS, 0)
        posts: list[Post] = []
        truth: dict[tuple[str, str], PostTruth] = {}
        members: dict[str, list[tuple[str, str]]] = {}
        for index in order:
            draft = self.drafts[index]
            sequence[draft.network] += 1
            post = self._post(draft, sequence[draft.network], made)
            made[index] = post
            posts.append(post)
            truth[post.key] = draft.truth
            for group in (draft.truth.campaign_id, draft.truth.burst_id):
                if group is not None:
                    members.setdefault(group, []).append(post.key)
        return self._result(tuple(posts), truth, members)

    def _post(self, draft: _Draft, seq: int, made: Sequence[Post | None]) -> Post:
        parent = made[draft.parent] if draft.parent is not None else None
        root = made[draft.root] if draft.root is not None else None
        thread = root if root is not None else parent
        post_id, url = self._identify(draft, seq, parent is not None, thread)
        return Post(
            network=draft.network,
            id=post_id,
            text=draft.text,
            created_at=_datetime(draft.ms),
            author=self._author(draft.account),
            url=url,
            lang=draft.lang,
            hashtags=draft.hashtags,
            reply_to=parent.id if parent is not None else None,
            thread_root=root.id if root is not None else None,
            metrics=self._metrics(draft),
        )

    def _author(self, account: _Account) -> Author:
        if account.author is None:
            account.author = Author.from_account(
                account.network,
                account.account_id,
                pseudonymizer=self.pseudonymizer,
                created_at=_datetime(account.created_ms),
                posts_count=account.earlier_posts + account.posted,
                followers_count=account.followers,
            )
        return account.author

    def _identify(self, draft: _Draft, seq: int, is_reply: bool, thread: Post | None) -> tuple[str, str]:
        """The post's id and permalink, shaped as its network shapes them."""
        account, ms = draft.account, draft.ms
        if draft.network == "mastodon":
            post_id = mastodon_id(ms, seq)
            return post_id, f"https://{account.home}/@{account.name}/{post_id}"
        if draft.network == "x":
            post_id = x_id(ms, seq)
            return post_id, f"https://x.com/{account.name}/status/{post_id}"
        if draft.network == "bluesky":
            key = bluesky_tid(ms, seq)
            return (
                f"at://{account.home}/app.bsky.feed.post/{key}",
                f"https://bsky.app/profile/{account.home}/post/{key}",
            )
        if draft.network == "reddit":
            if is_reply and thread is not None and thread.url is not None:
                comment = base36(_REDDIT_COMMENT + seq)
                return f"t1_{comment}", f"{thread.url}{comment}/"
            post = base36(_REDDIT_POST + seq)
            return (
                f"t3_{post}",
                f"https://www.reddit.com/r/{self.scenario.subreddit}/comments/{post}/{_slug(draft.text)}/",
            )
        return self._facebook(draft, seq, is_reply, thread)

    def _facebook(self, draft: _Draft, seq: int, is_reply: bool, thread: Post | None) -> tuple[str, str]:
        if is_reply and thread is not None and thread.url is not None:
            comment = _FACEBOOK_COMMENT + seq
            return f"{thread.id.rsplit('_', 1)[1]}_{comment}", f"{thread.url}?comment_id={comment}"
        number = _FACEBOOK_POST + seq
        if draft.truth.asks is not None:
            page = self.scenario.facebook_page
            return f"{page}_{number}", f"https://www.facebook.com/{page}/posts/{number}"
        group = self.scenario.facebook_group
        return f"{group}_{number}", f"https://www.facebook.com/groups/{group}/posts/{number}/"

    def _metrics(self, draft: _Draft) -> dict[str, int]:
        truth = draft.truth
        scale = 40.0 if truth.asks else 0.3 if truth.campaign_id else 3.0 if truth.burst_id else 1.0
        draw = self.rng.random
        return {  # heavy-tailed: most posts get a few likes, a few get thousands
            name: min(int(((1 - draw()) ** -0.7 - 1) * scale * weight), 50_000)
            for name, weight in _METRICS[draft.network]
        }

    def _result(
        self,
        posts: tuple[Post, ...],
        truth: dict[tuple[str, str], PostTruth],
        members: Mapping[str, list[tuple[str, str]]],
    ) -> SyntheticConsultation:
        scenario = self.scenario
        asked_in: dict[str, list[tuple[str, str]]] = {q.id: [] for q in scenario.questions}
        for post in posts:
            asks = truth[post.key].asks
            if asks is not None:
                asked_in[asks].append(post.key)
        consultation = Consultation(
            id=scenario.consultation_id,
            title=scenario.title,
            description=scenario.description,
            questions=tuple(_question(q, asked_in[q.id]) for q in scenario.questions),
            stage=PolicyStage.CONSULTATION,
            opens=scenario.opens,
            closes=scenario.closes,
        )
        labels = tuple(theme.spec.label for theme in self.themes)
        burst = scenario.burst
        burst_start = self._day(burst.day)
        return SyntheticConsultation(
            topic=scenario.topic,
            random_state=self.random_state,
            consultation=consultation,
            posts=posts,
            truth=types.MappingProxyType(truth),
            themes=labels,
            codebook=Codebook(
                codes={t.spec.label: t.spec.description for t in self.themes},
                name=f"{scenario.title}: themes",
            ),
            stance_target=scenario.stance_target,
            campaigns=tuple(
                _campaign(spec, self._day(spec.day), members.get(spec.id, [])) for spec in scenario.campaigns
            ),
            burst=Burst(
                id=burst.id,
                headline=burst.headline,
                url=burst.url,
                start=_datetime(burst_start),
                end=_datetime(burst_start + int(burst.hours * _HOUR)),
                members=tuple(members.get(burst.id, [])),
            ),
        )


# -- helpers ----------------------------------------------------------------------------------------------


def _question(spec: QuestionSpec, asked_in: Sequence[tuple[str, str]]) -> Question:
    return Question(
        id=spec.id,
        text=spec.text,
        kind=spec.kind,
        options=spec.options,
        hashtags=spec.hashtags,
        keywords=spec.keywords,
        asked_in=tuple(asked_in),
    )


def _campaign(spec: CampaignSpec, start_ms: int, members: Sequence[tuple[str, str]]) -> Campaign:
    return Campaign(
        id=spec.id,
        organiser=spec.organiser,
        template=" ".join(_canonical(sentence) for sentence in spec.letter),
        stance=spec.stance,
        theme=spec.theme,
        question_id=spec.question,
        start=_datetime(start_ms),
        end=_datetime(start_ms + int(spec.hours * _HOUR)),
        members=tuple(members),
    )


def _within(rng: random.Random, start_ms: int, hours: float) -> int:
    """A time in ``hours`` after ``start_ms``, most of them early on (interest decays)."""
    window = int(hours * _HOUR)
    return start_ms + int(rng.expovariate(4 / window)) % window


def _shorten(parts: list[str], pii: tuple[str, ...], limit: int) -> tuple[str, tuple[str, ...]]:
    """Drop a post's optional parts until it fits: its closer, second claim, context, opener, personal data.

    ``parts`` are as `_Generator._compose` lays them out; the mention, lead and claim always stay. Return the
    text and the kinds of personal data still in it.
    """
    pii_at = range(6, 6 + len(pii))
    text = " ".join([part for part in parts if part])
    for optional in (len(parts) - 1, 5, 3, 1, *reversed(pii_at)):
        if len(text) <= limit:
            break
        parts[optional] = ""
        text = " ".join([part for part in parts if part])
    return text, tuple(kind for kind, at in zip(pii, pii_at, strict=True) if parts[at])


def _variant(rng: random.Random, template: Template) -> str:
    """Render a letter sentence, keeping each choice's first (canonical) wording more often than not."""
    return "".join(
        part if isinstance(part, str) else part[0] if rng.random() < 0.6 else pick(rng, part)
        for part in template
    )


def _canonical(template: Template) -> str:
    return "".join(part if isinstance(part, str) else part[0] for part in template)


def _typo(rng: random.Random, text: str) -> str:
    """Swap two adjacent letters inside one longer word, as a hurried typist does."""
    words = text.split(" ")
    long_words = [i for i, word in enumerate(words) if len(word) > 5 and word.isalpha()]
    if not long_words:
        return text
    i = pick(rng, long_words)
    word = words[i]
    j = rng.randrange(1, len(word) - 2)
    words[i] = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    return " ".join(words)


def _mention(network: str, name: str, instance: str) -> str:
    """How a network writes a mention of an account in a post's text (``instance``: Mastodon's)."""
    if network == "mastodon":
        return f"@{name}@{instance}"
    if network == "bluesky":
        return f"@{name}.bsky.social"
    if network == "reddit":
        return f"u/{name}"
    return f"@{name}"


def _tag_case(rng: random.Random, tag: str) -> str:
    draw = rng.random()
    return tag if draw < 0.8 else tag.lower() if draw < 0.95 else tag.upper()


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def _slug(text: str) -> str:
    """Reddit's URL slug: the first words of the title, lower case, joined by underscores."""
    return "_".join(_NOT_SLUG.sub(" ", text.lower()).split()[:8]) or "post"


def _ms(when: dt.datetime) -> int:
    return (when - _EPOCH) // dt.timedelta(milliseconds=1)


def _datetime(ms: int) -> dt.datetime:
    return _EPOCH + dt.timedelta(milliseconds=ms)
