"""`find_campaigns`: which groups of copied posts are coordinated campaigns, and what they add up to.

A group of copies (`DuplicateDetector`) becomes a `Campaign` when it has at least ``min_size`` posts, at least
``min_signals`` of these signals fire, and one of them is about timing or accounts (``burst`` or
``new_accounts``):

- ``form_letter``: the copied text is long (``min_letter_words`` words or more): people do not write the same
  paragraph independently;
- ``burst``: in one ``burst_window`` the group posted at least ``min_size`` times and made at least half of
  all the posts read in that window (a news story makes many people post at once, but not the same text);
- ``new_accounts``: at least half of the authors opened their account within ``new_account_age`` before
  posting, or had posted at most five times;
- ``shared_hashtags`` / ``shared_links``: at least 80% of the posts carry the same hashtags / the same link.

Size alone is not a signal: a popular short phrase ("No to the bus lane!") is repeated by people who never
coordinated, and people who share a news story share its link and its words. A campaign is counted as one
voice *and* keeps its size and members: nothing is dropped.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence

import attrs
import numpy as np
import numpy.typing as npt

from .._models import Post
from ._duplicates import DuplicateDetector, DuplicateGroup
from ._text import URL_PATTERN

__all__ = ["SIGNALS", "Campaign", "CampaignReport", "find_campaigns"]

SIGNALS = ("form_letter", "burst", "new_accounts", "shared_hashtags", "shared_links")
_COORDINATION = frozenset({"burst", "new_accounts"})
_MOST = 0.8
_FEW_POSTS = 5


@attrs.frozen(kw_only=True)
class Campaign:
    """Posts that copy one text, with the signals that say they were coordinated.

    - ``id``: ``"campaign-1"``, ``"campaign-2"``, ... largest first.
    - ``size``: how many posts; ``authors``: how many distinct known authors wrote them (never more).
    - ``start`` / ``end``: the first and last post's time; ``span`` the time between them.
    - ``template``: the words most copies share, ``…`` where they differ; ``representative``: the most
      repeated wording, verbatim.
    - ``signals``: the signals that fired, in the order of `SIGNALS`.
    - ``members``: the ``(network, id)`` keys of the posts, in time order.
    """

    id: str
    size: int
    authors: int
    start: dt.datetime
    end: dt.datetime
    template: str
    representative: str
    signals: tuple[str, ...]
    members: tuple[tuple[str, str], ...] = attrs.field(repr=lambda keys: f"<{len(keys)} posts>")

    @property
    def span(self) -> dt.timedelta:
        return self.end - self.start

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready values; times in ISO 8601, members as ``[network, id]`` pairs."""
        return {
            "id": self.id,
            "size": self.size,
            "authors": self.authors,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "span_seconds": self.span.total_seconds(),
            "template": self.template,
            "representative": self.representative,
            "signals": list(self.signals),
            "members": [list(key) for key in self.members],
        }


@attrs.frozen(kw_only=True)
class CampaignReport:
    """What campaigns add up to: "N contributions, M distinct arguments, K campaigns, campaign share".

    - ``contributions``: distinct posts read (N); ``distinct``: groups of copies among them, each counted
      once (M: a post no one copied is its own group).
    - ``campaigns``: the campaigns found (K = ``len(campaigns)``), largest first.
    - ``campaign_posts`` / ``campaign_share``: posts in campaigns, and their share of all contributions.
    - ``voices``: contributions with each campaign counted as one.
    """

    contributions: int
    distinct: int
    campaigns: tuple[Campaign, ...]

    @property
    def campaign_posts(self) -> int:
        return sum(campaign.size for campaign in self.campaigns)

    @property
    def campaign_share(self) -> float:
        return round(self.campaign_posts / self.contributions, 4) if self.contributions else 0.0

    @property
    def voices(self) -> int:
        return self.contributions - self.campaign_posts + len(self.campaigns)

    def to_dict(self) -> dict[str, object]:
        return {
            "contributions": self.contributions,
            "distinct": self.distinct,
            "voices": self.voices,
            "campaign_posts": self.campaign_posts,
            "campaign_share": self.campaign_share,
            "campaigns": [campaign.to_dict() for campaign in self.campaigns],
        }


def find_campaigns(
    posts: Iterable[Post],
    *,
    detector: DuplicateDetector | None = None,
    min_size: int = 5,
    min_signals: int = 2,
    min_letter_words: int = 15,
    burst_window: dt.timedelta = dt.timedelta(hours=1),
    new_account_age: dt.timedelta = dt.timedelta(days=30),
) -> CampaignReport:
    """Find the coordinated campaigns among ``posts`` (repeated keys are read once).

    ``detector`` (fitted here on the posts' texts; a default `DuplicateDetector` when ``None``) decides
    what counts as a copy; the other parameters are described in the module docstring. The result does
    not depend on the order of ``posts``.
    """
    if min_size < 2:
        raise ValueError(f"min_size must be >= 2, got {min_size}")
    unique = sorted({post.key: post for post in posts}.values(), key=lambda p: (p.created_at, p.key))
    detector = DuplicateDetector() if detector is None else detector
    labels = detector.fit([post.text for post in unique]).labels_
    big = (np.bincount(labels, minlength=detector.n_groups_) >= min_size).tolist()
    times = _seconds(unique)
    by_group: dict[int, list[Post]] = {}
    for post, label in zip(unique, labels.tolist(), strict=True):
        if big[label]:
            by_group.setdefault(label, []).append(post)
    found = []
    for group in detector.groups_:
        if group.size < min_size:
            break  # groups_ is largest first
        members = by_group[group.id]
        burst = _dominates(_seconds(members), times, burst_window.total_seconds(), min_size)
        signals = _signals(group, members, min_letter_words, burst, new_account_age)
        if len(signals) >= min_signals and _COORDINATION.intersection(signals):
            found.append((group, members, signals))
    return CampaignReport(
        contributions=len(unique),
        distinct=detector.n_groups_,
        campaigns=tuple(
            _campaign(f"campaign-{i}", group, members, signals)
            for i, (group, members, signals) in enumerate(found, start=1)
        ),
    )


def _signals(
    group: DuplicateGroup,
    members: Sequence[Post],
    min_letter_words: int,
    burst: bool,
    new_account_age: dt.timedelta,
) -> tuple[str, ...]:
    size = len(members)
    fired = {
        "form_letter": len(group.representative.split()) >= min_letter_words,
        "burst": burst,
        "new_accounts": 2 * sum(_is_new(post, new_account_age) for post in members) >= size,
        "shared_hashtags": _most_share(frozenset(post.hashtags) for post in members),
        "shared_links": _most_share(frozenset(URL_PATTERN.findall(post.text)) for post in members),
    }
    return tuple(name for name in SIGNALS if fired[name])


def _seconds(posts: Sequence[Post]) -> npt.NDArray[np.float64]:
    """Posting times as POSIX seconds, in the (time) order of ``posts``."""
    return np.fromiter((post.created_at.timestamp() for post in posts), dtype=np.float64, count=len(posts))


def _dominates(
    group: npt.NDArray[np.float64], everyone: npt.NDArray[np.float64], window: float, least: int
) -> bool:
    """Whether some ``window`` seconds hold at least ``least`` of ``group``'s posts and at least half of
    ``everyone``'s (both sorted); each window starts at one of the group's posts."""
    ends = group + window
    in_group = np.searchsorted(group, ends, side="right") - np.arange(len(group))
    in_all = np.searchsorted(everyone, ends, side="right") - np.searchsorted(everyone, group, side="left")
    return bool(np.any((in_group >= least) & (2 * in_group >= in_all)))


def _is_new(post: Post, age: dt.timedelta) -> bool:
    author = post.author
    if author is None:
        return False
    if author.created_at is not None and post.created_at - author.created_at <= age:
        return True
    return author.posts_count is not None and author.posts_count <= _FEW_POSTS


def _most_share(values: Iterable[frozenset[str]]) -> bool:
    """Whether one non-empty value is carried by at least 80% of the posts."""
    counts = Counter(values)
    total = sum(counts.values())
    value, count = max(counts.items(), key=lambda item: (item[1], sorted(item[0])))
    return bool(value) and count >= _MOST * total


def _campaign(
    name: str, group: DuplicateGroup, members: Sequence[Post], signals: tuple[str, ...]
) -> Campaign:
    return Campaign(
        id=name,
        size=len(members),
        authors=len({post.author.id for post in members if post.author is not None}),
        start=members[0].created_at,
        end=members[-1].created_at,
        template=group.template,
        representative=group.representative,
        signals=signals,
        members=tuple(post.key for post in members),
    )
