"""`StanceClassifier`: the estimator contract, zero-shot cue rules, few-shot learning, declared stances."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import consultkit as ck
from consultkit.summarize import Stance, count_stances, response_stances
from consultkit.summarize._stance import f_avg, target_stems
from consultkit.testing import check_estimator, make_consultation

TARGET = "the new bus lanes on Riverside Road"
TEXTS = [
    "I support the bus lanes, buses are quicker now",
    "I oppose the bus lanes: they will kill the shops",
    "Scrap the bus lanes",
    "The bus lanes should stay",
    "The meeting is at the town hall",
    "What time is the meeting?",
]
LABELS = ["favor", "against", "against", "favor", "none", "none"]


def zero_shot() -> ck.StanceClassifier:
    return ck.StanceClassifier(TARGET).fit()


def test_estimator_contract_zero_shot_and_few_shot() -> None:
    check_estimator(ck.StanceClassifier(TARGET), [], use=lambda e: e.predict(TEXTS))
    check_estimator(
        ck.StanceClassifier(TARGET, cv=2), [TEXTS * 2, LABELS * 2], use=lambda e: e.predict(TEXTS)
    )


def test_zero_shot_reads_explicit_cues() -> None:
    assert zero_shot().predict(TEXTS) == ["favor", "against", "against", "favor", "none", "none"]


def test_confidence() -> None:
    classifier = zero_shot()
    proba = classifier.predict_proba(TEXTS)
    assert proba.shape == (len(TEXTS), 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert [classifier.classes_[i] for i in proba.argmax(axis=1)] == classifier.predict(TEXTS)
    scores = classifier.decision_function(TEXTS)
    assert scores[0] > 0 > scores[1]


SUPPORT_VERBS = ("support", "back", "welcome", "want", "agree with", "love", "need")
OPPOSE_VERBS = ("oppose", "reject", "object to", "hate")
SUBJECTS = ("I", "We", "Residents", "My family")
NEGATIONS = ("do not", "don't", "never", "cannot")


@given(st.sampled_from(SUBJECTS), st.sampled_from(SUPPORT_VERBS + OPPOSE_VERBS), st.sampled_from(NEGATIONS))
def test_negation_turns_a_clear_statement_around(subject: str, verb: str, negation: str) -> None:
    plain = f"{subject} {verb} the bus lanes on Riverside Road."
    negated = f"{subject} {negation} {verb} the bus lanes on Riverside Road."
    before, after = zero_shot().predict([plain, negated])
    assert before == ("favor" if verb in SUPPORT_VERBS else "against")
    assert after != before


@given(
    st.sampled_from(("stay", "be built", "go ahead", "be made permanent")),
    st.sampled_from(("should", "must")),
)
def test_negated_modal_turns_around(verb: str, modal: str) -> None:
    plain, negated = f"The bus lanes {modal} {verb}", f"The bus lanes {modal} not {verb}"
    assert zero_shot().predict([plain, negated]) == ["favor", "against"]


@given(st.permutations(TEXTS))
def test_predictions_do_not_depend_on_batch_order(texts: list[str]) -> None:
    classifier = zero_shot()
    expected = dict(zip(TEXTS, classifier.predict(TEXTS), strict=True))
    assert classifier.predict(texts) == [expected[t] for t in texts]


def test_reply_context_carries_the_parent_stance() -> None:
    parent = "I oppose the bus lanes on Riverside Road."
    replies = ["Totally agree.", "Nonsense.", "See you at the meeting."]
    predicted = zero_shot().predict(replies, context=[parent, parent, parent])
    assert predicted == ["against", "favor", "none"]


def test_target_stems_skip_function_and_generic_words() -> None:
    assert target_stems("Legalization of Abortion") == ("abort", "legal")
    assert target_stems("the plan", related=("#BusLanes",)) == ("bus", "lane")


def test_few_shot_learns_and_reports_cross_validated_scores() -> None:
    synthetic = make_consultation(600, random_state=0)
    posts = [p for p in synthetic.posts if synthetic.truth[p.key].question_ids]
    truth = [synthetic.truth[p.key].stance for p in posts]
    texts = [p.text for p in posts]
    classifier = ck.StanceClassifier(synthetic.stance_target).fit(texts[:80], truth[:80])
    assert not classifier.zero_shot_
    assert set(classifier.cv_scores_) == {"f_avg", "accuracy"}
    assert len(classifier.cv_scores_["f_avg"]) == 5
    assert f_avg(truth[80:], classifier.predict(texts[80:])) > 0.6


def test_unfitted_raises() -> None:
    with pytest.raises(ck.NotFittedError):
        ck.StanceClassifier(TARGET).predict(TEXTS)


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda: ck.StanceClassifier("").fit(), ValueError),
        (lambda: ck.StanceClassifier("the plan").fit(), ValueError),
        (lambda: ck.StanceClassifier(TARGET, related="bus").fit(), ValueError),
        (lambda: ck.StanceClassifier(TARGET, threshold=-1).fit(), ValueError),
        (lambda: ck.StanceClassifier(TARGET, cv=1).fit(), ValueError),
        (lambda: ck.StanceClassifier(TARGET, lean="x").fit(), ValueError),
        (lambda: ck.StanceClassifier(TARGET).fit(["a"], ["maybe"]), ValueError),
        (lambda: ck.StanceClassifier(TARGET).fit(["a", "b"], ["favor", "favor"]), ValueError),
        (lambda: ck.StanceClassifier(TARGET).fit(["a"], ["favor", "none"]), ValueError),
        (lambda: ck.StanceClassifier(TARGET).fit(None, ["favor"]), ValueError),
        (lambda: zero_shot().predict("one text"), TypeError),
        (lambda: zero_shot().predict(["a"], context=["b", "c"]), ValueError),
        (lambda: zero_shot().predict(["a"], context=[3]), TypeError),
    ],
)
def test_bad_input_is_refused(make: Callable[[], object], error: type[Exception]) -> None:
    with pytest.raises(error):
        make()


def _post(post_id: str, text: str, reply_to: str | None = None) -> ck.Post:
    when = dt.datetime(2025, 3, 1, tzinfo=dt.timezone.utc)
    return ck.Post(network="mastodon", id=post_id, text=text, created_at=when, reply_to=reply_to)


def test_declared_stance_overrides_inference_and_replies_use_their_parent() -> None:
    responses = [
        ck.Response(post=_post("1", "I oppose the bus lanes."), question_id="q1", matched_by="hashtag"),
        ck.Response(post=_post("2", "Exactly right.", reply_to="1"), question_id="q1", matched_by="reply"),
        ck.Response(
            post=_post("3", "I oppose the bus lanes."),
            question_id="q2",
            matched_by="hashtag",
            declared_stance="favor",
        ),
    ]
    stances = response_stances(responses, zero_shot())
    assert [s.label for s in stances] == ["against", "against", "favor"]
    assert stances[2] == Stance("favor", 1.0, True)
    assert not stances[0].declared
    assert 0 < stances[0].confidence <= 1
    assert count_stances(responses, stances) == {
        "q1": {"favor": 0, "against": 2, "none": 0, "declared": 0},
        "q2": {"favor": 1, "against": 0, "none": 0, "declared": 1},
    }


SEMEVAL = {
    "abortion": "Legalization of Abortion",
    "atheism": "Atheism",
    "climate": "Climate Change is a Real Concern",
    "feminist": "Feminist Movement",
    "hillary": "Hillary Clinton",
}


def test_zero_shot_beats_always_against_on_semeval(shared_data: Callable[..., Path]) -> None:
    names = ["none", "against", "favor"]
    truth: list[str] = []
    predicted: list[str] = []
    for folder, target in SEMEVAL.items():
        root = shared_data("stance", folder)
        labels = [names[int(x)] for x in (root / "val_labels.txt").read_text().split()]
        texts = (root / "val_text.txt").read_text(encoding="utf-8").split("\n")[: len(labels)]
        truth += labels
        predicted += ck.StanceClassifier(target).fit().predict(texts)
    assert f_avg(truth, predicted) > f_avg(truth, ["against"] * len(truth)) + 0.03
