"""`SentimentScorer`: the estimator contract, the social-media rules, and the score's range."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import consultkit as ck
from consultkit.summarize._sentiment import polarity
from consultkit.testing import check_estimator

TEXTS = ["I love the new bus lanes :)", "Terrible idea, total #fail", "The meeting is on Tuesday."]
LABELS = ["positive", "negative", "neutral"]


def test_estimator_contract() -> None:
    check_estimator(ck.SentimentScorer(), [TEXTS, LABELS])
    check_estimator(ck.SentimentScorer(threshold=0.2), [])


def test_predict_needs_no_fit() -> None:
    assert ck.SentimentScorer().predict(TEXTS) == LABELS
    assert ck.SentimentScorer().fit().thresholds_ == (-0.1, 0.1)


@pytest.mark.parametrize(
    ("stronger", "weaker"),
    [
        ("The bus lanes are very good", "The bus lanes are good"),
        ("The bus lanes are GOOD", "The bus lanes are good"),
        ("The bus lanes are soooo good", "The bus lanes are good"),
        ("The bus lanes are good!!", "The bus lanes are good"),
    ],
)
def test_emphasis_strengthens(stronger: str, weaker: str) -> None:
    assert polarity(stronger) > polarity(weaker) > 0


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("The bus lanes are not good", -1),
        ("The bus lanes aren't bad at all", 1),
        ("Another council project #fail", -1),
        ("#EpicFail from the council", -1),
        ("Bus lanes :(", -1),
        ("Bus lanes 😍", 1),
        ("Can't wait for the bus lanes", 1),
        ("Oh great, more roadworks #sarcasm", -1),
        ("It was bad but the result is brilliant", 1),
    ],
)
def test_social_media_rules(text: str, sign: int) -> None:
    assert polarity(text) * sign > 0


def test_neutral_text_scores_zero() -> None:
    assert ck.SentimentScorer().score(["The consultation closes on 3 May."]) == [0.0]


@given(st.text(max_size=200))
def test_polarity_is_bounded(text: str) -> None:
    (value,) = ck.SentimentScorer().score([text])
    assert -1.0 <= value <= 1.0


@given(st.permutations(TEXTS * 2))
def test_predictions_do_not_depend_on_batch_order(texts: list[str]) -> None:
    scorer = ck.SentimentScorer()
    assert scorer.predict(texts) == [scorer.predict([t])[0] for t in texts]


def test_fit_learns_a_band_that_recovers_every_class() -> None:
    texts = ["good", "great", "bad", "awful", "okay then", "on Tuesday", "fine", "meh"]
    labels = ["positive", "positive", "negative", "negative", "neutral", "neutral", "neutral", "neutral"]
    scorer = ck.SentimentScorer().fit(texts, labels)
    low, high = scorer.thresholds_
    assert low <= high
    assert scorer.predict(texts)[:4] == labels[:4]


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda: ck.SentimentScorer().predict("one text"), TypeError),
        (lambda: ck.SentimentScorer().score([1]), TypeError),
        (lambda: ck.SentimentScorer(threshold=2).predict(["x"]), ValueError),
        (lambda: ck.SentimentScorer().fit(["x"], ["happy"]), ValueError),
        (lambda: ck.SentimentScorer().fit(["x", "y"], ["neutral"]), ValueError),
        (lambda: ck.SentimentScorer().fit(None, ["neutral"]), ValueError),
    ],
)
def test_bad_input_is_refused(make: Callable[[], object], error: type[Exception]) -> None:
    with pytest.raises(error):
        make()


def test_beats_textblob_on_tweeteval(shared_data: Callable[..., Path]) -> None:
    from sklearn.metrics import recall_score
    from textblob import TextBlob

    root = shared_data("sentiment")
    names = ["negative", "neutral", "positive"]
    truth = [names[int(x)] for x in (root / "val_labels.txt").read_text().split()]
    texts = (root / "val_text.txt").read_text(encoding="utf-8").split("\n")[: len(truth)]
    ours = recall_score(truth, ck.SentimentScorer().predict(texts), average="macro")
    raw = [TextBlob(t).sentiment.polarity for t in texts]
    textblob = recall_score(
        truth, ["positive" if v > 0 else "negative" if v < 0 else "neutral" for v in raw], average="macro"
    )
    assert ours > textblob + 0.03
