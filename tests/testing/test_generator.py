"""`make_consultation`: deterministic, exactly sized, with ground truth that matches what the library does."""

from __future__ import annotations

import collections
import datetime as dt
import io
import json
import re

import pytest

import consultkit as ck
from consultkit.testing import Burst, Campaign, PostTruth, SyntheticConsultation, make_consultation
from consultkit.testing._bus_lanes import BUS_LANES

UTC = dt.timezone.utc
PII_PATTERNS = {
    "email": re.compile(r"[\w.]+@example\.(?:com|org)\b"),
    "phone": re.compile(r"(?:07700 ?900|\+44 7700 900)\d{3}\b|\b(?:020 7946 0|029 2018 0|0117 496 0)\d{3}\b"),
    "postcode": re.compile(r"\b[A-Z]{1,2}\d{1,2} \d[A-Z]{2}\b", re.IGNORECASE),
    "ni_number": re.compile(r"\bQQ ?\d\d ?\d\d ?\d\d ?[A-D]\b", re.IGNORECASE),
    "handle": re.compile(r"(?<![\w.])@\w+|\bu/\w+"),
}
URL_PREFIXES = {
    "mastodon": "https://",
    "bluesky": "https://bsky.app/profile/did:plc:",
    "x": "https://x.com/",
    "reddit": "https://www.reddit.com/r/",
    "facebook": "https://www.facebook.com/",
}
ID_SHAPES = {
    "mastodon": re.compile(r"\d{18}"),
    "bluesky": re.compile(r"at://did:plc:[a-z2-7]{24}/app\.bsky\.feed\.post/[2-7a-z]{13}"),
    "x": re.compile(r"\d{19}"),
    "reddit": re.compile(r"t[13]_[0-9a-z]{7,8}"),
    "facebook": re.compile(r"\d{15,16}_\d{16}"),
}
LENGTH_LIMITS = {"x": 280, "bluesky": 300, "mastodon": 500}


@pytest.fixture(scope="module")
def demo() -> SyntheticConsultation:
    return make_consultation(n_posts=3000, random_state=0)


@pytest.fixture(scope="module")
def smallest() -> SyntheticConsultation:
    return make_consultation(n_posts=100, n_themes=12, random_state=3)


def assigned(synthetic: SyntheticConsultation) -> dict[tuple[str, str], tuple[set[str], str, bool]]:
    """What `Consultation.assign` does with each answering post: its question ids, why, and in_window."""
    result: dict[tuple[str, str], tuple[set[str], str, bool]] = {}
    for response in synthetic.consultation.assign(synthetic.posts).responses:
        ids, _, _ = result.get(response.post.key, (set(), "", True))
        result[response.post.key] = (
            ids | {response.question_id},
            response.matched_by.value,
            response.in_window,
        )
    return result


# -- determinism and size -----------------------------------------------------------------------------


def test_same_seed_gives_the_same_posts_byte_for_byte():
    first, second = (
        make_consultation(n_posts=600, random_state=7),
        make_consultation(n_posts=600, random_state=7),
    )
    assert [p.to_dict() for p in first.posts] == [p.to_dict() for p in second.posts]
    assert dict(first.truth) == dict(second.truth)
    assert first.consultation == second.consultation
    assert (first.campaigns, first.burst) == (second.campaigns, second.burst)
    jsonl = [io.StringIO(), io.StringIO()]
    for synthetic, out in zip((first, second), jsonl, strict=True):
        ck.write_jsonl(synthetic.posts, out)
    assert jsonl[0].getvalue() == jsonl[1].getvalue()


def test_a_different_seed_gives_different_posts_and_pseudonyms():
    first, second = (
        make_consultation(n_posts=600, random_state=1),
        make_consultation(n_posts=600, random_state=2),
    )
    assert [p.text for p in first.posts] != [p.text for p in second.posts]
    assert not {p.author.id for p in first.posts} & {p.author.id for p in second.posts}


@pytest.mark.parametrize("n_posts", [100, 101, 977, 2500])
def test_n_posts_counts_every_post_returned_department_posts_included(n_posts):
    synthetic = make_consultation(n_posts=n_posts)
    assert len(synthetic.posts) == n_posts
    assert len({p.key for p in synthetic.posts}) == n_posts
    assert list(synthetic.truth) == [p.key for p in synthetic.posts]


def test_posts_are_in_time_order_and_round_trip_through_jsonl(demo):
    times = [p.created_at for p in demo.posts]
    assert times == sorted(times)
    out = io.StringIO()
    ck.write_jsonl(demo.posts, out)
    assert tuple(ck.read_jsonl(io.StringIO(out.getvalue()))) == demo.posts


def test_repr_summarises_instead_of_listing_every_post(demo):
    text = repr(demo)
    assert "posts=<3000 posts>" in text
    assert len(text) < 6000


# -- the ground truth agrees with Consultation.assign -----------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_truth_says_exactly_what_assign_does_with_every_post(seed):
    synthetic = make_consultation(n_posts=3000, random_state=seed)
    done = assigned(synthetic)
    for post in synthetic.posts:
        truth = synthetic.truth[post.key]
        ids, reason, in_window = done.get(post.key, (set(), None, True))
        assert (ids, reason) == (set(truth.question_ids), truth.matched_by), post.text
        if ids:
            assert in_window is not truth.out_of_window


def test_every_question_gets_responses_of_every_kind(demo):
    responses = demo.consultation.assign(demo.posts).by_question()
    assert set(responses) == {q.id for q in demo.consultation.questions}
    for question_id, answers in responses.items():
        assert {r.matched_by.value for r in answers} == {"reply", "hashtag", "keyword"}, question_id


def test_department_posts_ask_each_question_on_several_networks(demo):
    questions = demo.consultation.questions
    assert {q.kind.value for q in questions} >= {"open", "closed"}
    assert all(q.hashtags and q.keywords for q in questions)
    assert all(len(q.options) >= 2 for q in questions if q.kind.value == "closed")
    assert len({network for network, _ in questions[0].asked_in}) == 5
    asked = {ref: q.id for q in questions for ref in q.asked_in}
    assert asked == {p.key: demo.truth[p.key].asks for p in demo.posts if demo.truth[p.key].asks}
    assert len(demo.consultation.assign(demo.posts).question_posts) == len(asked)


def test_replies_answer_posts_made_earlier_and_nest(demo):
    by_key = {p.key: p for p in demo.posts}
    depths = []
    for post in demo.posts:
        if post.reply_to is None:
            continue
        parent = by_key[(post.network, post.reply_to)]
        assert parent.created_at < post.created_at
        depth = 1
        while parent.reply_to is not None:
            parent, depth = by_key[(parent.network, parent.reply_to)], depth + 1
        assert demo.truth[parent.key].asks or demo.truth[post.key].question_ids == ()
        assert post.thread_root in (parent.id, None)
        depths.append(depth)
    assert max(depths) >= 3
    assert any(p.thread_root is None and p.reply_to for p in demo.posts if p.network == "mastodon")


def test_off_topic_posts_match_nothing_and_are_counted(demo):
    off_topic = [
        p.key for p in demo.posts if not demo.truth[p.key].question_ids and not demo.truth[p.key].asks
    ]
    assignment = demo.consultation.assign(demo.posts)
    assert off_topic
    assert [p.key for p in assignment.unassigned] == off_topic
    assert all(demo.truth[key].theme is None for key in off_topic)


def test_out_of_window_posts_are_flagged_not_lost(demo):
    opens, closes = demo.consultation.opens, demo.consultation.closes
    assert opens is not None
    assert closes is not None
    flagged = {r.post.key for r in demo.consultation.assign(demo.posts).responses if not r.in_window}
    early = {p.key for p in demo.posts if p.created_at < opens and demo.truth[p.key].question_ids}
    late = {p.key for p in demo.posts if p.created_at > closes and demo.truth[p.key].question_ids}
    assert early
    assert late
    assert flagged == early | late
    assert flagged == {key for key, truth in demo.truth.items() if truth.out_of_window and truth.question_ids}


# -- what the posts hold -------------------------------------------------------------------------------


def test_posts_are_shaped_like_their_networks(demo):
    assert {p.network for p in demo.posts} == set(URL_PREFIXES)
    for post in demo.posts:
        assert ID_SHAPES[post.network].fullmatch(post.id), post.id
        assert post.url is not None
        assert post.url.startswith(URL_PREFIXES[post.network])
        assert len(post.text) <= LENGTH_LIMITS.get(post.network, 5000), post.text
        assert post.created_at.utcoffset() == dt.timedelta(0)
        assert post.author is not None
        assert post.author.created_at is not None
        assert post.author.created_at <= post.created_at
    reported = {p.lang for p in demo.posts}
    assert "en" in reported
    assert None in reported  # Reddit and Facebook report no language


def test_authors_are_pseudonymised_with_a_key_from_the_seed(demo):
    post = next(p for p in demo.posts if demo.truth[p.key].asks and p.network == "x")
    assert post.author is not None
    assert post.author.id == ck.Pseudonymizer("make_consultation-0")("x", "dept-x")
    assert all(p.author is not None and p.author.handle is None for p in demo.posts)


def test_accounts_post_counts_cover_their_posts_here(demo):
    posts_by_author = collections.Counter(p.author.id for p in demo.posts if p.author is not None)
    authors = {p.author.id: p.author for p in demo.posts if p.author is not None}
    assert all(authors[a].posts_count >= n for a, n in posts_by_author.items())
    assert 1 < max(posts_by_author.values()) < 0.05 * len(demo.posts)


def test_languages_are_mostly_english_with_welsh_and_others(demo):
    langs = collections.Counter(t.lang for t in demo.truth.values())
    assert langs["en"] / len(demo.posts) > 0.85
    assert {"cy", "fr", "pl"} <= set(langs)


def test_texts_vary(demo):
    texts = [p.text for p in demo.posts if demo.truth[p.key].campaign_id is None]
    assert len(set(texts)) / len(texts) > 0.8


# -- themes and stance ---------------------------------------------------------------------------------


@pytest.mark.parametrize("n_themes", [6, 8, 12])
def test_every_theme_is_used_and_labelled(n_themes):
    synthetic = make_consultation(n_posts=400, n_themes=n_themes, random_state=5)
    assert len(synthetic.themes) == len(set(synthetic.themes)) == n_themes
    assert {t.theme for t in synthetic.truth.values()} - {None} == set(synthetic.themes)
    assert synthetic.codebook.labels == synthetic.themes
    assert synthetic.themes == tuple(spec.label for spec in BUS_LANES.themes[:n_themes])


def test_themes_differ_in_size_and_stance_mix(demo):
    sizes = collections.Counter(t.theme for t in demo.truth.values() if t.theme)
    assert sizes[demo.themes[0]] > 2 * sizes[demo.themes[-1]]
    stances = {t.stance for t in demo.truth.values()}
    assert stances == {"favor", "against", "none"}
    against = collections.Counter(t.theme for t in demo.truth.values() if t.stance == "against")
    favor = collections.Counter(t.theme for t in demo.truth.values() if t.stance == "favor")
    assert favor["Air quality and climate"] > against["Air quality and climate"]
    assert against["Parking for residents"] > favor["Parking for residents"]


# -- campaigns and the burst ------------------------------------------------------------------------------


def test_campaigns_are_word_swapped_copies_from_many_new_accounts_in_a_burst(demo):
    assert [c.id for c in demo.campaigns] == ["save-riverside-traders", "back-the-bus"]
    by_key = {p.key: p for p in demo.posts}
    for campaign in demo.campaigns:
        assert isinstance(campaign, Campaign)
        posts = [by_key[key] for key in campaign.members]
        assert [p.key for p in demo.posts if demo.truth[p.key].campaign_id == campaign.id] == list(
            campaign.members
        )
        authors = {p.author.id for p in posts if p.author is not None}
        assert len(authors) >= 0.7 * len(posts)
        texts = {p.text for p in posts}
        assert len(texts) > 2
        template_words = set(campaign.template.lower().split())
        for text in texts:  # a copy: most of its words come from the letter
            words = set(text.lower().split())
            assert len(words & template_words) > 0.6 * len(words), text
        assert all(campaign.start <= p.created_at <= campaign.end for p in posts)
        assert campaign.end - campaign.start <= dt.timedelta(days=2)
        new = [p for p in posts if p.author and p.author.created_at > p.created_at - dt.timedelta(days=15)]
        assert len(new) > len(posts) / 2


def test_burst_posts_crowd_into_a_day_after_the_story(demo):
    burst = demo.burst
    assert isinstance(burst, Burst)
    members = set(burst.members)
    assert len(members) >= 0.05 * len(demo.posts)
    inside = [p for p in demo.posts if burst.start <= p.created_at <= burst.end]
    assert members <= {p.key for p in inside}
    window_days = (burst.end - burst.start) / dt.timedelta(days=1)
    assert len(inside) / window_days > 3 * len(demo.posts) / 42  # far above the consultation's daily rate


# -- personal data ---------------------------------------------------------------------------------------


def test_declared_personal_data_is_in_the_text_and_only_there(demo):
    declared = 0
    for post in demo.posts:
        found = {kind for kind, pattern in PII_PATTERNS.items() if pattern.search(post.text)}
        assert found == set(demo.truth[post.key].pii), post.text
        declared += bool(found)
    assert 0.02 * len(demo.posts) < declared < 0.3 * len(demo.posts)


def test_the_smallest_consultation_still_has_every_part(smallest):
    truths = smallest.truth.values()
    assert {kind for t in truths for kind in t.pii} == set(PII_PATTERNS)
    assert {t.theme for t in truths} - {None} == set(smallest.themes)
    assert all(len(c.members) >= 3 for c in smallest.campaigns)
    assert smallest.burst.members
    assert any(t.out_of_window for t in truths)
    assert set(smallest.consultation.assign(smallest.posts).by_question()) == {"views", "hours", "loading"}


# -- the scenario ------------------------------------------------------------------------------------


def _fragments(template):
    for part in template:
        yield from ([part] if isinstance(part, str) else part)


def test_scenario_sentences_never_mention_a_question_keyword_or_hashtag():
    # Only lead-ins, department posts and campaign letters may: elsewhere one would file a post by accident.
    keywords = [k for q in BUS_LANES.questions for k in q.keywords]
    texts = [
        f for theme in BUS_LANES.themes for ts in theme.claims.values() for t in ts for f in _fragments(t)
    ]
    texts += [
        f for t in (*BUS_LANES.openers, *BUS_LANES.contexts, *BUS_LANES.off_topic) for f in _fragments(t)
    ]
    texts += [
        s for by_stance in (BUS_LANES.closers, BUS_LANES.reactions) for ss in by_stance.values() for s in ss
    ]
    texts += [s for sentences in BUS_LANES.pii_sentences.values() for s in sentences]
    for text in texts:
        assert "#" not in text, text
        assert not any(keyword in text.casefold() for keyword in keywords), text


def test_truth_records_are_frozen_and_plain(demo):
    truth = next(iter(demo.truth.values()))
    assert isinstance(truth, PostTruth)
    with pytest.raises(AttributeError):
        truth.stance = "favor"  # type: ignore[misc]
    json.dumps([[list(k), t.stance, t.theme, list(t.pii)] for k, t in demo.truth.items()])


# -- arguments -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_posts": 99}, "make_consultation.n_posts: must be at least 100"),
        ({"n_posts": -5}, "make_consultation.n_posts: must be at least 100"),
        ({"n_posts": 500.0}, "make_consultation.n_posts: expected an integer"),
        ({"n_posts": "500"}, "make_consultation.n_posts: expected an integer"),
        ({"n_posts": True}, "make_consultation.n_posts: expected an integer"),
        ({"n_themes": 5}, "make_consultation.n_themes: must be between 6 and 12"),
        ({"n_themes": 13}, "make_consultation.n_themes: must be between 6 and 12"),
        ({"n_themes": None}, "make_consultation.n_themes: expected an integer"),
        ({"random_state": -1}, "make_consultation.random_state: must be at least 0"),
        ({"random_state": None}, "make_consultation.random_state: expected an integer"),
        ({"topic": "potholes"}, "make_consultation.topic: expected one of 'bus-lanes'"),
    ],
)
def test_bad_arguments_raise_a_clear_validation_error(kwargs, message):
    with pytest.raises(ck.ModelValidationError) as caught:
        make_consultation(**kwargs)
    assert str(caught.value).startswith(message)
    assert isinstance(caught.value, ValueError)


def test_consultation_window_holds_the_questions_and_dates(demo):
    consultation = demo.consultation
    assert consultation.stage is ck.PolicyStage.CONSULTATION
    assert consultation.opens == dt.datetime(2025, 2, 3, 9, 0, tzinfo=UTC)
    assert consultation.closes is not None
    assert consultation.opens < consultation.closes
    assert ck.Consultation.from_dict(json.loads(json.dumps(consultation.to_dict()))) == consultation
