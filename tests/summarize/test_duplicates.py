"""`DuplicateDetector`: exact, near and template copies share a group; results are stable and incremental."""

from __future__ import annotations

import csv
import random
from collections.abc import Callable, Sequence
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import consultkit as ck
from consultkit.summarize._text import match_key
from consultkit.testing import check_estimator, make_consultation

LETTER = (
    "I object to the proposed bus lanes on Riverside Road. The scheme would remove the parking and loading "
    "spaces that local businesses depend on, and push traffic onto residential side streets."
)
SWAPS = {"object": "strongly object", "remove": "take away", "local": "small", "residential": "quiet"}

texts_st = st.lists(st.text(max_size=60) | st.sampled_from([LETTER, "Yes please!", "👍", "No."]), max_size=25)


def partition(labels: Sequence[int]) -> set[frozenset[int]]:
    """The groups as sets of positions, so that two labellings can be compared whatever their numbers."""
    groups: dict[int, set[int]] = {}
    for position, label in enumerate(labels):
        groups.setdefault(int(label), set()).add(position)
    return {frozenset(group) for group in groups.values()}


def variant(rng: random.Random) -> str:
    text = LETTER
    for word, swap in SWAPS.items():
        if rng.random() < 0.5:
            text = text.replace(word, swap, 1)
    return text


# -- the contract -----------------------------------------------------------------------------------------


def test_labels_number_groups_in_order_of_first_appearance() -> None:
    detector = ck.DuplicateDetector().fit(["A", "b", "a!", "c", "B"])
    assert detector.labels_.tolist() == [0, 1, 0, 2, 1]
    assert detector.n_groups_ == 3


def test_empty_input_gives_no_labels() -> None:
    detector = ck.DuplicateDetector().fit([])
    assert detector.labels_.tolist() == []
    assert detector.groups_ == ()


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("RT @council: Bus lanes? YES!! https://t.co/x", "bus lanes yes"),
        ("Great idea 👍🏽", "great idea 👍"),
        ("@someone@example.social   No thanks.", "no THANKS"),
    ],
)
def test_normalised_exact_copies_share_a_group(a: str, b: str) -> None:
    assert ck.DuplicateDetector().fit([a, b, "something else entirely"]).labels_.tolist() == [0, 0, 1]


def test_different_emoji_are_different_texts() -> None:
    assert match_key("👍") != match_key("👎")
    assert ck.DuplicateDetector().fit(["👍", "👎"]).labels_.tolist() == [0, 1]


def test_near_copies_and_word_swapped_copies_join_their_template() -> None:
    rng = random.Random(0)
    copies = [variant(rng) for _ in range(40)]
    copies += [LETTER + " Please read this.", LETTER.replace("parking", "prakinng")]
    others = [
        "Buses are always late on the 12, lanes will not fix a timetable that is fiction.",
        "Make the lane peak hours only and I would support it without any hesitation at all.",
    ]
    labels = ck.DuplicateDetector().fit([LETTER, *copies, *others]).labels_
    assert set(labels[: len(copies) + 1].tolist()) == {0}
    assert len(set(labels.tolist())) == 3


def test_groups_carry_size_representative_and_template() -> None:
    rng = random.Random(1)
    texts = [LETTER] * 5 + [variant(rng) for _ in range(10)] + ["Cut the fares instead."]
    detector = ck.DuplicateDetector().fit(texts)
    (group,) = detector.groups_
    assert group.id == 0
    assert group.size == 15
    assert 1 < group.distinct <= 11
    assert group.representative == LETTER  # the most repeated wording, verbatim
    assert group.template.startswith("I")
    assert "the proposed bus lanes on Riverside Road." in group.template
    assert "…" in group.template  # swapped words are shown as gaps


def test_similarity_scores() -> None:
    detector = ck.DuplicateDetector()
    assert detector.similarity("Bus lanes now!", "bus lanes NOW") == 1.0
    assert detector.similarity("Bus lanes now", "Cut the fares") == 0.0
    swapped = detector.similarity(LETTER, variant(random.Random(3)))
    assert 0.6 <= swapped < 1.0
    assert detector.similarity(LETTER, LETTER + " #BackTheBus") > 0.8


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=80), st.text(max_size=80))
def test_similarity_is_a_symmetric_score_in_the_unit_interval(a: str, b: str) -> None:
    detector = ck.DuplicateDetector()
    score = detector.similarity(a, b)
    assert 0.0 <= score <= 1.0
    assert score == detector.similarity(b, a)
    assert detector.similarity(a, a) == 1.0


def test_one_string_is_not_a_list_of_texts() -> None:
    with pytest.raises(TypeError, match="one str"):
        ck.DuplicateDetector().fit("Save our buses")


def test_groups_need_fit() -> None:
    with pytest.raises(ck.NotFittedError):
        _ = ck.DuplicateDetector().groups_


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"threshold": 0}, "threshold"),
        ({"template_threshold": 1.5}, "template_threshold"),
        ({"shingle_size": 0}, "shingle_size"),
        ({"n_perm": 60}, "n_perm"),
        ({"random_state": -1}, "random_state"),
    ],
)
def test_bad_hyper_parameters_are_refused_in_fit(params: dict[str, float], field: str) -> None:
    detector = ck.DuplicateDetector(**params)  # type: ignore[arg-type]  # some values have the wrong type on purpose
    with pytest.raises(ck.ModelValidationError, match=field):
        detector.fit(["a"])


def test_the_estimator_contract() -> None:
    texts = [post.text for post in make_consultation(n_posts=300, random_state=1).posts]
    check_estimator(ck.DuplicateDetector(), [texts], use=lambda detector: detector.groups_)
    check_estimator(ck.DuplicateDetector(threshold=0.8, random_state=3), [texts])


def test_hyper_parameters_are_stored_untouched() -> None:
    detector = ck.DuplicateDetector(threshold=0.7, n_perm=128, bands=32, random_state=5)
    assert (detector.threshold, detector.n_perm, detector.bands, detector.random_state) == (0.7, 128, 32, 5)
    assert "threshold=0.7" in repr(detector)


# -- properties (the "Done when") -------------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(texts_st, st.data())
def test_exact_duplicates_always_share_a_group(texts: list[str], data: st.DataObject) -> None:
    if texts:
        texts = [*texts, data.draw(st.sampled_from(texts)).upper() + " !"]
    labels = ck.DuplicateDetector().fit(texts).labels_
    for i, j in combinations(range(len(texts)), 2):
        if match_key(texts[i]) == match_key(texts[j]):
            assert labels[i] == labels[j]


@settings(max_examples=40, deadline=None)
@given(texts_st, st.randoms(use_true_random=False))
def test_groups_do_not_depend_on_input_order(texts: list[str], rng: random.Random) -> None:
    order = list(range(len(texts)))
    rng.shuffle(order)
    labels = ck.DuplicateDetector().fit(texts).labels_
    shuffled = ck.DuplicateDetector().fit([texts[i] for i in order]).labels_
    assert partition(labels) == partition([shuffled[order.index(i)] for i in range(len(texts))])


@settings(max_examples=30, deadline=None)
@given(texts_st)
def test_fit_is_idempotent(texts: list[str]) -> None:
    detector = ck.DuplicateDetector()
    first = detector.fit(texts).labels_.copy()
    groups = detector.groups_
    assert np.array_equal(detector.fit(texts).labels_, first)
    assert detector.groups_ == groups
    assert np.array_equal(ck.DuplicateDetector().fit(texts).labels_, first)


def test_order_does_not_matter_on_a_synthetic_consultation() -> None:
    posts = make_consultation(n_posts=600, random_state=2).posts
    texts = [post.text for post in posts]
    labels = ck.DuplicateDetector().fit(texts).labels_
    reversed_labels = ck.DuplicateDetector().fit(texts[::-1]).labels_[::-1]
    assert partition(labels) == partition(reversed_labels)


# -- incremental ------------------------------------------------------------------------------------------


def test_partial_fit_adds_texts_to_existing_groups() -> None:
    rng = random.Random(4)
    detector = ck.DuplicateDetector().fit([LETTER, "Cut the fares instead."])
    detector.partial_fit([variant(rng) for _ in range(5)] + ["cut the fares instead", "Something new here."])
    assert detector.labels_.tolist() == [0, 1, 0, 0, 0, 0, 0, 1, 2]
    assert detector.groups_[0].size == 6


def test_partial_fit_before_fit_fits() -> None:
    assert ck.DuplicateDetector().partial_fit(["a", "A"]).labels_.tolist() == [0, 0]


def test_batches_find_the_campaigns_that_one_fit_finds() -> None:
    synthetic = make_consultation(n_posts=1500, random_state=3)
    texts = [post.text for post in synthetic.posts]
    detector = ck.DuplicateDetector()
    for start in range(0, len(texts), 400):
        detector.partial_fit(texts[start : start + 400])
    whole = ck.DuplicateDetector().fit(texts)
    for campaign in synthetic.campaigns:
        members = [i for i, post in enumerate(synthetic.posts) if post.key in set(campaign.members)]
        assert len(set(detector.labels_[members].tolist())) == 1
        assert len(set(whole.labels_[members].tolist())) == 1


# -- quality ----------------------------------------------------------------------------------------------


def test_campaign_copies_are_grouped_and_nothing_else_joins_them() -> None:
    synthetic = make_consultation(n_posts=3000, random_state=0)
    labels = ck.DuplicateDetector().fit([post.text for post in synthetic.posts]).labels_
    truth = [synthetic.truth[post.key].campaign_id for post in synthetic.posts]
    for campaign in synthetic.campaigns:
        members = [i for i, cid in enumerate(truth) if cid == campaign.id]
        values, counts = np.unique(labels[members], return_counts=True)
        main = values[np.argmax(counts)]
        assert counts.max() >= 0.99 * len(members)  # recall of membership
        joined = [truth[i] for i in np.flatnonzero(labels == main)]
        assert joined.count(campaign.id) == len(joined)  # precision: no outsider in the group


def _polis(path: Path) -> tuple[list[str], list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if "comment-body" in row]
    return [row["comment-body"] for row in rows], [row["moderated"] for row in rows]


def test_polis_restatements_are_found(shared_data: Callable[..., Path]) -> None:
    """Moderators reject restatements of accepted comments: most groups the detector finds hold one."""
    grouped = with_rejected = 0
    for path in sorted(shared_data("polis").glob("*/comments.csv")):
        texts, moderated = _polis(path)
        if not texts:
            continue
        labels = ck.DuplicateDetector().fit(texts).labels_
        for group in partition(labels):
            if len(group) > 1:
                grouped += 1
                with_rejected += any(moderated[i] == "-1" for i in group)
    assert grouped >= 40
    assert with_rejected >= 0.85 * grouped
