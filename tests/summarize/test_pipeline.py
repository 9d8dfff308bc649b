"""The summary: coverage, questions, verbatim quotes, caveats and determinism."""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest

import consultkit as ck
from consultkit.summarize._quotes import quote_span
from consultkit.summarize._redact import find_pii

KEY = ck.Pseudonymizer("test-summary-key")
OPENS = dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc)

CONSULTATION = ck.Consultation(
    id="bus",
    title="Bus lanes on the high street",
    opens=OPENS,
    closes=OPENS + dt.timedelta(days=30),
    questions=[
        ck.Question(id="q1", text="What do you think of the bus lanes?", hashtags=["#BusLanes"]),
        ck.Question(
            id="q2", text="Should parking move?", kind="closed", options=["yes", "no"], keywords=["parking"]
        ),
    ],
)

TEXTS = [
    "The bus lanes will make my commute so much faster. #BusLanes",
    "I run a shop and the bus lanes will kill passing trade. #BusLanes",
    "Email me at jo.bloggs@example.com about the bus lanes. Cyclists need protection too. #BusLanes",
    "Parking should move to the old depot, it is empty most days.",
    "No parking changes please, older people need to park near the pharmacy.",
    "Nothing to do with the consultation, just a nice sunset tonight.",
]


def _posts(n: int = 60) -> list[ck.Post]:
    posts = []
    for i in range(n):
        text = TEXTS[i % len(TEXTS)]
        posts.append(
            ck.Post(
                network=("mastodon", "bluesky", "reddit")[i % 3],
                id=str(i),
                text=text,
                created_at=OPENS + dt.timedelta(hours=12 * i - 24),
                author=ck.Author.from_account("mastodon", i % 40, pseudonymizer=KEY),
                url=f"https://example.social/@u/{i}",
                lang="en" if i % 10 else "cy",
            )
        )
    return posts


def test_coverage_counts_every_post():
    posts = _posts()
    summary = ck.summarize(posts, CONSULTATION)
    cov = summary.coverage
    assignment = CONSULTATION.assign(posts)
    assert cov.contributions == len({r.post.key for r in assignment.responses})
    assert cov.contributions + cov.unassigned == len(posts)
    assert cov.unassigned == len(assignment.unassigned) == 10
    answering = {r.post.key: r.post for r in assignment.responses}.values()
    assert cov.unique_authors == len({p.author.id for p in answering if p.author})
    assert sum(cov.networks.values()) == cov.contributions
    assert sum(cov.languages.values()) == cov.contributions
    assert set(cov.languages) == {"cy", "en"}
    assert cov.out_of_window == sum(not CONSULTATION.in_window(p.created_at) for p in answering) > 0
    assert cov.distinct_texts == 5
    assert cov.redactions == {"email": 10}
    assert sum(cov.daily.values()) == cov.contributions


def test_questions_follow_the_consultation():
    summary = ck.summarize(_posts(), CONSULTATION)
    assert [q.id for q in summary.questions] == ["q1", "q2"]
    q1, q2 = summary.questions
    assert q1.responses == 30
    assert q1.matched_by == {"hashtag": 30}
    assert q2.responses == 20
    assert q2.matched_by == {"keyword": 20}
    assert q2.kind == "closed"


def test_quotes_are_verbatim_with_permalinks_and_free_of_personal_data():
    posts = {p.key: p for p in _posts()}
    summary = ck.summarize(list(posts.values()), CONSULTATION, quotes_per_question=5)
    quotes = [quote for q in summary.questions for quote in q.quotes]
    assert quotes
    for quote in quotes:
        source = posts[(quote.network, quote.post_id)]
        assert source.text[quote.start : quote.end] == quote.text
        assert quote.url == source.url
        assert find_pii(quote.text) == ()
    assert all("jo.bloggs" not in quote.text for quote in quotes)
    # quotes within a question come from different texts
    for question in summary.questions:
        texts = [quote.text for quote in question.quotes]
        assert len(texts) == len(set(texts))


def test_quote_span_skips_the_sentence_with_personal_data():
    text = TEXTS[2]
    start, end = quote_span(text)
    assert text[start:end] == "Cyclists need protection too. #BusLanes"
    assert quote_span("Call 07700 900123") is None
    assert quote_span("Too short.") is None


def test_same_input_same_summary_byte_for_byte_whatever_the_order():
    posts = _posts()
    shuffled = posts[:]
    random.Random(1).shuffle(shuffled)
    first = ck.summarize(posts, CONSULTATION, random_state=3).to_json()
    assert ck.summarize(shuffled, CONSULTATION, random_state=3).to_json() == first
    assert (
        ck.summarize(posts, CONSULTATION, random_state=3).to_html()
        == ck.summarize(shuffled, CONSULTATION, random_state=3).to_html()
    )


def test_the_seed_changes_only_the_quotes_drawn():
    posts = _posts()
    a = ck.summarize(posts, CONSULTATION, random_state=0)
    b = ck.summarize(posts, CONSULTATION, random_state=1)
    assert a.coverage == b.coverage
    assert a.manifest.input_sha256 == b.manifest.input_sha256
    assert a.manifest.random_state == 0
    assert b.manifest.random_state == 1


def test_caveats_state_limits():
    summary = ck.summarize(_posts(), CONSULTATION)
    text = " ".join(summary.caveats)
    assert "not a poll" in text
    assert "outside the consultation's dates" in text
    assert "matched no question" in text
    assert "does not yet include themes" in text


def test_thin_input_warns_and_says_so():
    with pytest.warns(ck.CoverageWarning, match="only 5 contributions"):
        summary = ck.summarize(_posts(5))
    assert any("too few" in note for note in summary.caveats)


def test_posts_without_a_consultation_form_one_group():
    summary = ck.summarize(_posts())
    assert [q.text for q in summary.questions] == ["All contributions"]
    assert summary.coverage.contributions == 60
    assert summary.title == "Public input"


def test_responses_and_assignments_are_accepted():
    posts = _posts()
    assignment = CONSULTATION.assign(posts)
    from_assignment = ck.summarize(assignment, CONSULTATION)
    from_responses = ck.summarize(list(assignment.responses), CONSULTATION)
    assert from_assignment.questions == from_responses.questions
    assert from_assignment.coverage.unassigned == 10
    assert from_responses.coverage.unassigned == 0  # responses alone do not carry the unassigned posts


def test_summary_round_trips_through_json(tmp_path):
    summary = ck.summarize(_posts(), CONSULTATION)
    path = tmp_path / "summary.json"
    text = summary.to_json(path)
    assert path.read_text(encoding="utf-8") == text
    assert ck.Summary.from_dict(json.loads(text)) == summary


def test_bad_parameters_are_rejected():
    with pytest.raises(ValueError, match="quotes_per_question"):
        ck.summarize(_posts(), CONSULTATION, quotes_per_question=-1)


def test_campaigns_count_as_one_voice_and_keep_their_size():
    from consultkit.testing import make_consultation

    demo = make_consultation(n_posts=1500, random_state=0)
    summary = ck.summarize(demo.posts, demo.consultation)
    cov = summary.coverage
    posts = {p.key: p for p in demo.posts}
    assert summary.campaigns
    assert cov.campaigns == len(summary.campaigns)
    assert cov.campaign_posts == sum(c.size for c in summary.campaigns)
    assert cov.voices == cov.contributions - cov.campaign_posts + cov.campaigns
    truth = {key for key, t in demo.truth.items() if t.campaign_id is not None and t.question_ids}
    assert cov.campaign_posts <= len(truth)
    for campaign in summary.campaigns:
        assert campaign.size >= campaign.authors
        assert find_pii(campaign.template) == ()
        assert campaign.quote is not None
        source = posts[(campaign.quote.network, campaign.quote.post_id)]
        assert source.text[campaign.quote.start : campaign.quote.end] == campaign.quote.text
    assert any("counts as one voice" in note for note in summary.caveats)
    assert "<h2>Campaigns</h2>" in summary.to_html()
    assert "## Campaigns" in summary.to_markdown()
