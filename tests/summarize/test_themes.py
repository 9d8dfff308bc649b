"""`ThemeExtractor`: every text gets one theme; themes are readable, quotable and stable."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import normalized_mutual_info_score

import consultkit as ck
from consultkit.summarize._text import match_key
from consultkit.summarize._themes import OTHER
from consultkit.testing import check_estimator, make_consultation

SYNTHETIC = make_consultation(n_posts=600, random_state=3)
POSTS = [p for p in SYNTHETIC.posts if SYNTHETIC.truth[p.key].theme is not None]
TEXTS = [p.text for p in POSTS]
TRUTH = [SYNTHETIC.truth[p.key].theme for p in POSTS]

SMALL = [
    "The bus lanes on the high street will speed up my commute",
    "Bus lanes mean faster buses into town",
    "Faster buses thanks to the new bus lanes",
    "We will lose parking outside our homes",
    "Residents need parking near their homes",
    "Where will residents park if parking goes?",
    "Cleaner air for children walking to school",
    "Air pollution near the school is terrible",
    "Cleaner air matters more than anything",
]


@pytest.fixture(scope="module")
def fitted() -> ck.ThemeExtractor:
    return ck.ThemeExtractor().fit(TEXTS)


def test_keeps_the_estimator_contract() -> None:
    check_estimator(ck.ThemeExtractor(n_themes=4), [TEXTS[:200]], use=lambda e: e.predict(TEXTS[:50]))


def test_every_text_gets_exactly_one_theme(fitted: ck.ThemeExtractor) -> None:
    ids = {t.id for t in fitted.themes_}
    assert len(fitted.labels_) == len(TEXTS)
    assert set(fitted.labels_.tolist()) <= ids
    assert sum(t.size for t in fitted.themes_) == len(TEXTS)
    assert sum(t.share for t in fitted.themes_) == pytest.approx(1.0)
    for theme in fitted.themes_:
        assert theme.size == int((fitted.labels_ == theme.id).sum())


def test_other_is_explicit_last_and_counted(fitted: ck.ThemeExtractor) -> None:
    other = fitted.themes_[-1]
    assert other.id == OTHER
    assert other.label == "Other"
    assert [t.id for t in fitted.themes_[:-1]] == list(range(fitted.n_themes_))
    sizes = [t.size for t in fitted.themes_[:-1]]
    assert sizes == sorted(sizes, reverse=True)


def test_chooses_the_number_of_themes_and_says_how(fitted: ck.ThemeExtractor) -> None:
    assert fitted.k_scores_, "the silhouette of each k tried is kept"
    assert 2 <= fitted.n_themes_ <= 30
    best = max(fitted.k_scores_.values())
    assert fitted.k_scores_[fitted.n_themes_] >= best - 0.05 * abs(best)
    assert all(s < best - 0.05 * abs(best) for k, s in fitted.k_scores_.items() if k < fitted.n_themes_)


def test_an_explicit_number_is_honoured() -> None:
    model = ck.ThemeExtractor(n_themes=5).fit(TEXTS)
    assert model.n_themes_ == 5
    assert model.k_scores_ == {}
    assert len(model.themes_) == 6


def test_themes_follow_the_latent_themes() -> None:
    labels = ck.ThemeExtractor(n_themes=len(SYNTHETIC.themes)).fit(TEXTS).labels_
    shuffled = np.random.default_rng(0).permutation(labels)
    assert normalized_mutual_info_score(TRUTH, labels) > 0.25
    assert normalized_mutual_info_score(TRUTH, labels) > 3 * normalized_mutual_info_score(TRUTH, shuffled)


def test_labels_are_short_phrases_people_wrote(fitted: ck.ThemeExtractor) -> None:
    corpus = " ".join(TEXTS).casefold()
    for theme in fitted.themes_[:-1]:
        assert 1 <= len(theme.label.split()) <= 3, theme.label
        assert theme.label.casefold() in corpus, theme.label
        assert theme.keywords
        assert theme.label.casefold() in theme.keywords
        assert theme.description.startswith("Responses that mention")


def test_small_example_reads_well() -> None:
    model = ck.ThemeExtractor(n_themes=3).fit(SMALL)
    labels = {t.label.casefold() for t in model.themes_[:-1]}
    assert labels == {"bus lanes", "parking", "cleaner air"}


def test_representatives_are_central_distinct_and_quotable(fitted: ck.ThemeExtractor) -> None:
    quoted = fitted.quotes(POSTS)
    assert set(quoted) == {t.id for t in fitted.themes_}
    assert quoted[OTHER] == ()
    for theme in fitted.themes_[:-1]:
        assert 1 <= len(theme.representatives) <= 3
        assert all(fitted.labels_[i] == theme.id for i in theme.representatives)
        keys = {match_key(TEXTS[i]) for i in theme.representatives}
        assert len(keys) == len(theme.representatives)
        quotes = quoted[theme.id]
        assert len(quotes) == len(theme.representatives)
        for quote, index in zip(quotes, theme.representatives, strict=True):
            post = POSTS[index]
            assert (quote.network, quote.post_id, quote.url) == (post.network, post.id, post.url)
            assert post.text[quote.start : quote.end] == quote.text
            assert not ck.find_pii(quote.text)


def test_themes_are_grouped_under_parents(fitted: ck.ThemeExtractor) -> None:
    if fitted.n_themes_ < 6:
        pytest.skip("too few themes to group")
    parents = {p.id: p for p in fitted.parents_}
    assert parents
    assert not parents.keys() & {t.id for t in fitted.themes_}
    for parent in fitted.parents_:
        children = [t for t in fitted.themes_ if t.parent == parent.id]
        assert len(children) >= 2
        assert parent.size == sum(t.size for t in children)
        assert parent.label


def test_confidence_is_reported(fitted: ck.ThemeExtractor) -> None:
    assert fitted.confidences_.shape == (len(TEXTS),)
    assert ((fitted.confidences_ >= 0) & (fitted.confidences_ <= 1)).all()
    for theme in fitted.themes_[:-1]:
        assert theme.confidence is not None
        assert 0 <= theme.confidence <= 1


def test_texts_with_no_words_go_to_other() -> None:
    texts = [*SMALL, "!!!", "?", "👍👍"]
    model = ck.ThemeExtractor(n_themes=3).fit(texts)
    assert model.labels_[-3:].tolist() == [OTHER] * 3
    assert model.themes_[-1].size == 3


@pytest.mark.parametrize("texts", [["!!!", "???"], ["the", "and the"], ["one text"]])
def test_texts_without_content_words_still_fit(texts: list[str]) -> None:
    model = ck.ThemeExtractor().fit(texts)
    assert len(model.labels_) == len(texts)
    assert sum(t.size for t in model.themes_) == len(texts)


def test_repeats_are_found_once_and_counted_in_full() -> None:
    campaign = ["Save our parking spaces now! Sign the petition."] * 200
    model = ck.ThemeExtractor(n_themes=3).fit([*SMALL, *campaign])
    sizes = sorted(t.size for t in model.themes_)
    assert max(sizes) >= 200
    assert len(set(model.labels_[len(SMALL) :].tolist())) == 1


def test_quotes_need_one_post_per_text(fitted: ck.ThemeExtractor) -> None:
    with pytest.raises(ck.ModelValidationError, match="posts"):
        fitted.quotes(POSTS[:3])


def test_predict_places_new_texts(fitted: ck.ThemeExtractor) -> None:
    assert fitted.predict(TEXTS[:40]).tolist() == fitted.labels_[:40].tolist()
    assert fitted.predict([]).tolist() == []


@settings(max_examples=3, deadline=None)
@given(st.permutations(range(100)))
def test_assignment_does_not_depend_on_input_order(order: list[int]) -> None:
    texts = TEXTS[:100]
    first = ck.ThemeExtractor(n_themes=4).fit(texts)
    second = ck.ThemeExtractor(n_themes=4).fit([texts[i] for i in order])
    assert [first.labels_[i] for i in order] == second.labels_.tolist()
    assert [t.label for t in first.themes_] == [t.label for t in second.themes_]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"n_themes": 0}, "n_themes"),
        ({"n_themes": 2.5}, "n_themes"),
        ({"min_confidence": 1.5}, "min_confidence"),
        ({"max_fit": 0}, "max_fit"),
    ],
)
def test_bad_parameters_are_named(params: dict[str, object], field: str) -> None:
    with pytest.raises(ck.ModelValidationError, match=field):
        ck.ThemeExtractor(**params).fit(SMALL)  # type: ignore[arg-type]


def test_a_string_is_not_a_list_of_texts() -> None:
    with pytest.raises(ck.ModelValidationError, match="texts"):
        ck.ThemeExtractor().fit("bus lanes")


def test_beats_the_lsa_kmeans_baseline_on_tweet89(shared_data: Callable[..., Path]) -> None:
    from sklearn.cluster import KMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    root = shared_data("clustering", "stc-tweet89")
    truth = [int(x) for x in (root / "Tweet_LABEL.txt").read_text().split()]
    texts = (root / "Tweet.txt").read_text(encoding="utf-8").split("\n")[: len(truth)]
    big = {label for label in set(truth) if truth.count(label) >= 40}  # the 16 largest queries keep it quick
    texts, truth = zip(*((t, y) for t, y in zip(texts, truth, strict=True) if y in big), strict=True)
    k = len(big)
    reduced = TruncatedSVD(100, random_state=0).fit_transform(TfidfVectorizer().fit_transform(texts))
    baseline = KMeans(k, random_state=0, n_init=10).fit_predict(reduced)
    ours = ck.ThemeExtractor(n_themes=k).fit(texts).labels_
    assert normalized_mutual_info_score(truth, ours) > normalized_mutual_info_score(truth, baseline) + 0.03
