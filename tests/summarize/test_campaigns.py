"""`find_campaigns`: coordinated copies become campaigns, counted as one voice and keeping their size."""

from __future__ import annotations

import datetime as dt
import json
import random
from functools import cache

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import consultkit as ck
from consultkit.testing import SyntheticConsultation, make_consultation

START = dt.datetime(2025, 2, 1, 9, 0, tzinfo=dt.timezone.utc)
LETTER = (
    "I object to the proposed bus lanes on Riverside Road. The scheme would remove the parking and loading "
    "spaces that local businesses depend on."
)


@cache
def synthetic(n_posts: int = 3000, random_state: int = 0) -> SyntheticConsultation:
    return make_consultation(n_posts=n_posts, random_state=random_state)


def public_posts(consultation: SyntheticConsultation) -> list[ck.Post]:
    """The public's posts: the department's own cross-posted questions are not a campaign to report."""
    return [post for post in consultation.posts if consultation.truth[post.key].asks is None]


def post(
    i: int,
    text: str,
    *,
    minutes: float,
    author: str | None = None,
    new: bool = False,
    hashtags: tuple[str, ...] = (),
) -> ck.Post:
    created = START + dt.timedelta(minutes=minutes)
    account = ck.Author(
        id=author or f"u_{i}",
        created_at=created - dt.timedelta(days=2 if new else 900),
        posts_count=1 if new else 300,
    )
    return ck.Post(network="x", id=str(i), text=text, created_at=created, author=account, hashtags=hashtags)


def chatter(n: int, *, offset: int = 1000) -> list[ck.Post]:
    """Unrelated posts (random words) spread over a month."""
    rng = random.Random(offset)
    return [
        post(offset + i, " ".join(f"w{rng.randrange(100_000)}" for _ in range(8)), minutes=i * 311)
        for i in range(n)
    ]


# -- on synthetic consultations ---------------------------------------------------------------------------


@pytest.mark.parametrize(("n_posts", "random_state"), [(600, 0), (3000, 0), (3000, 7)])
def test_finds_exactly_the_generated_campaigns(n_posts: int, random_state: int) -> None:
    consultation = synthetic(n_posts, random_state)
    report = ck.find_campaigns(public_posts(consultation))
    assert len(report.campaigns) == len(consultation.campaigns)
    for truth in consultation.campaigns:
        found = max(report.campaigns, key=lambda c: len(set(c.members) & set(truth.members)))
        overlap = len(set(found.members) & set(truth.members))
        assert overlap == found.size  # precision of membership
        assert overlap >= 0.95 * len(truth.members)  # recall of membership (about 99% on larger inputs)
        assert {"form_letter", "new_accounts"} <= set(found.signals)
        assert "burst" in found.signals or found.size < 20  # a small campaign may not fill its busiest hour
        assert truth.start <= found.start <= found.end <= truth.end


def test_report_adds_up() -> None:
    consultation = synthetic()
    posts = public_posts(consultation)
    report = ck.find_campaigns(posts)
    assert report.contributions == len(posts)
    assert report.campaign_posts == sum(c.size for c in report.campaigns)
    assert report.campaign_share == round(report.campaign_posts / len(posts), 4)
    assert report.voices == len(posts) - report.campaign_posts + len(report.campaigns)
    assert len(report.campaigns) < report.distinct < report.contributions
    assert [c.id for c in report.campaigns] == ["campaign-1", "campaign-2"]
    assert [c.size for c in report.campaigns] == sorted((c.size for c in report.campaigns), reverse=True)


def test_campaign_fields() -> None:
    report = ck.find_campaigns(public_posts(synthetic()))
    campaign = report.campaigns[0]
    by_key = {p.key: p for p in synthetic().posts}
    members = [by_key[key] for key in campaign.members]
    assert [p.created_at for p in members] == sorted(p.created_at for p in members)
    assert campaign.start == members[0].created_at
    assert campaign.span == members[-1].created_at - members[0].created_at
    assert campaign.representative in {p.text for p in members}  # verbatim
    assert "Riverside Road" in campaign.template
    assert campaign.authors == len({p.author.id for p in members if p.author is not None})


def test_short_exact_repeats_are_not_campaigns() -> None:
    consultation = synthetic()
    report = ck.find_campaigns(public_posts(consultation))
    in_campaigns = {key for campaign in report.campaigns for key in campaign.members}
    assert all(consultation.truth[key].campaign_id is not None for key in in_campaigns)


def test_order_of_posts_does_not_matter() -> None:
    posts = public_posts(synthetic(600, 0))
    shuffled = posts[:]
    random.Random(1).shuffle(shuffled)
    assert ck.find_campaigns(shuffled) == ck.find_campaigns(posts)


def test_to_dict_is_json_ready() -> None:
    report = ck.find_campaigns(public_posts(synthetic(600, 0)))
    data = json.loads(json.dumps(report.to_dict()))
    assert data["campaign_share"] == report.campaign_share
    assert data["voices"] == report.voices
    assert data["campaigns"][0]["members"][0] == list(report.campaigns[0].members[0])
    assert data["campaigns"][0]["signals"] == list(report.campaigns[0].signals)


# -- signals on hand-made posts ---------------------------------------------------------------------------


def test_a_burst_of_new_accounts_copying_a_letter_is_a_campaign() -> None:
    copies = [post(i, LETTER, minutes=i, new=True, hashtags=("savetraders",)) for i in range(12)]
    report = ck.find_campaigns(copies + chatter(60))
    (campaign,) = report.campaigns
    assert campaign.signals == ("form_letter", "burst", "new_accounts", "shared_hashtags")
    assert campaign.size == campaign.authors == 12
    assert report.voices == 60 + 1


def test_a_popular_phrase_repeated_over_weeks_is_not_a_campaign() -> None:
    repeats = [post(i, "No to the bus lane!", minutes=i * 997, hashtags=("buslane",)) for i in range(30)]
    report = ck.find_campaigns(repeats + chatter(60))
    assert report.campaigns == ()
    assert report.distinct == 61


def test_shared_words_and_links_alone_are_not_coordination() -> None:
    # People sharing a news story over weeks: same link, same long text, old accounts, no burst.
    story = LETTER + " https://news.example/story"
    shares = [post(i, story, minutes=i * 1500) for i in range(10)]
    assert ck.find_campaigns(shares + chatter(60)).campaigns == ()


def test_min_size_and_min_signals() -> None:
    copies = [post(i, LETTER, minutes=i, new=True) for i in range(4)]
    assert ck.find_campaigns(copies + chatter(30)).campaigns == ()
    assert len(ck.find_campaigns(copies + chatter(30), min_size=3).campaigns) == 1
    assert ck.find_campaigns(copies + chatter(30), min_size=3, min_signals=4).campaigns == ()
    with pytest.raises(ValueError, match="min_size"):
        ck.find_campaigns(copies, min_size=1)


def test_repeated_keys_are_read_once() -> None:
    copies = [post(i, LETTER, minutes=i, new=True) for i in range(6)]
    report = ck.find_campaigns(copies + copies + chatter(20))
    assert report.contributions == 26
    assert report.campaigns[0].size == 6


def test_a_detector_can_be_given() -> None:
    copies = [post(i, LETTER, minutes=i, new=True) for i in range(6)]
    detector = ck.DuplicateDetector(threshold=0.9)
    report = ck.find_campaigns(copies + chatter(20), detector=detector)
    assert report.campaigns[0].size == 6
    assert len(detector.labels_) == 26  # fitted on the posts' texts


# -- properties -------------------------------------------------------------------------------------------

texts = st.sampled_from([LETTER, LETTER.replace("object", "strongly object"), "Yes!", "no thanks"])


@st.composite
def post_lists(draw: st.DrawFn) -> list[ck.Post]:
    n = draw(st.integers(0, 30))
    authors = draw(st.lists(st.sampled_from(["a", "b", "c", "d", "e", "f"]), min_size=n, max_size=n))
    return [
        post(
            i,
            draw(texts),
            minutes=draw(st.floats(0, 600)),
            author=authors[i],
            new=draw(st.booleans()),
        )
        for i in range(n)
    ]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)  # shared CI runners are slow
@given(post_lists(), st.integers(2, 6))
def test_a_campaign_is_never_smaller_than_its_authors(posts: list[ck.Post], min_size: int) -> None:
    report = ck.find_campaigns(posts, min_size=min_size, min_signals=1)
    for campaign in report.campaigns:
        assert campaign.size >= campaign.authors
        assert campaign.size >= min_size
        assert len(set(campaign.members)) == campaign.size
    assert report.campaign_posts <= report.contributions
    assert 0.0 <= report.campaign_share <= 1.0


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)  # shared CI runners are slow
@given(post_lists(), st.randoms(use_true_random=False))
def test_campaigns_do_not_depend_on_post_order(posts: list[ck.Post], rng: random.Random) -> None:
    shuffled = posts[:]
    rng.shuffle(shuffled)
    assert ck.find_campaigns(shuffled, min_signals=1) == ck.find_campaigns(posts, min_signals=1)


def test_campaign_is_a_frozen_keyword_only_model() -> None:
    assert all(field.kw_only for field in attrs.fields(ck.Campaign))
    campaign = ck.find_campaigns([post(i, LETTER, minutes=i, new=True) for i in range(6)]).campaigns[0]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        campaign.size = 1  # type: ignore[misc]  # frozen on purpose
