"""Representations: the `Embedder` protocol, the default `LsaEmbedder`, and plugging in another."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

import consultkit as ck
from consultkit.summarize._embed import LexicalFeatures, sample_order
from consultkit.testing import check_estimator, make_consultation

TEXTS = [p.text for p in make_consultation(n_posts=300, random_state=1).posts]


def test_lsa_embedder_keeps_the_estimator_contract() -> None:
    check_estimator(ck.LsaEmbedder(n_components=20), [TEXTS], use=lambda e: e.transform(TEXTS[:10]))


def test_rows_have_unit_length_or_are_zero() -> None:
    embedder = ck.LsaEmbedder(n_components=20).fit(TEXTS)
    vectors = embedder.transform([*TEXTS[:20], "!!!"])
    norms = np.linalg.norm(vectors, axis=1)
    assert vectors.shape == (21, embedder.n_components_)
    assert np.allclose(norms[:20], 1, atol=1e-5)
    assert norms[20] == 0


def test_similar_texts_are_near() -> None:
    embedder = ck.LsaEmbedder(n_components=20).fit(TEXTS)
    a, b, c = embedder.transform(["bus lanes make buses faster", "faster buses in the bus lane", "parking"])
    assert a @ b > a @ c


def test_fit_does_not_depend_on_input_order() -> None:
    first = ck.LsaEmbedder(n_components=20).fit(TEXTS)
    second = ck.LsaEmbedder(n_components=20).fit(TEXTS[::-1])
    assert np.allclose(first.transform(TEXTS[:30]), second.transform(TEXTS[:30]), atol=1e-5)


def test_max_fit_bounds_the_sample() -> None:
    embedder = ck.LsaEmbedder(n_components=10, max_fit=50).fit(TEXTS)
    assert embedder.transform(TEXTS).shape == (len(TEXTS), 10)


def test_tiny_inputs_still_embed() -> None:
    embedder = ck.LsaEmbedder().fit(["bus lanes", "parking spaces"])
    assert embedder.transform(["bus lanes"]).shape[0] == 1


@pytest.mark.parametrize("params", [{"n_components": 1}, {"max_fit": True}])
def test_bad_parameters_are_named(params: dict[str, Any]) -> None:
    with pytest.raises(ck.ModelValidationError, match=next(iter(params))):
        ck.LsaEmbedder(**params).fit(TEXTS)


def test_no_texts_is_an_error() -> None:
    with pytest.raises(ck.ModelValidationError, match="texts"):
        ck.LsaEmbedder().fit([])


def test_sample_order_depends_on_content_not_position() -> None:
    texts = ["a", "b", "c", "d", "e"]
    order = [texts[i] for i in sample_order(texts, 0)]
    assert [texts[::-1][i] for i in sample_order(texts[::-1], 0)] == order
    assert sorted(order) == texts


def test_lexical_features_keep_programming_words() -> None:
    features = LexicalFeatures().fit(["c# and c++ in asp.net", "e-mail me about c#", "plain words here"])
    assert {"c#", "c++", "asp.net", "e-mail"} <= set(features.words.vocabulary_)


class KeywordEmbedder:
    """A stand-in for a semantic model: one dimension per topic word."""

    words = ("bus", "parking", "air")

    def fit(self, texts: Sequence[str]) -> KeywordEmbedder:
        return self

    def transform(self, texts: Sequence[str]) -> np.ndarray[Any, Any]:
        rows = np.array([[float(w in t.lower()) for w in self.words] for t in texts])
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        return np.divide(rows, norms, out=np.zeros_like(rows), where=norms > 0)


def test_any_embedder_plugs_into_theme_extractor() -> None:
    embedder = KeywordEmbedder()
    assert isinstance(embedder, ck.Embedder)
    texts = ["bus lanes now", "more bus routes", "parking please", "keep parking", "clean air", "air quality"]
    model = ck.ThemeExtractor(n_themes=3, embedder=embedder).fit(texts)
    assert model.labels_[0] == model.labels_[1] != model.labels_[2] == model.labels_[3]
    assert model.labels_[4] == model.labels_[5] not in (model.labels_[0], model.labels_[2])


def test_wordllama_without_the_extra_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "wordllama", None)  # as if not installed
    with pytest.raises(ck.MissingResourceError, match=r"consultkit\[embeddings\]"):
        ck.WordLlamaEmbedder().fit()


def test_wordllama_loads_offline_and_embeds() -> None:
    pytest.importorskip("wordllama")
    check_estimator(ck.WordLlamaEmbedder(), [TEXTS[:20]], use=lambda e: e.transform(TEXTS[:5]))
    embedder = ck.WordLlamaEmbedder().fit()
    a, b, c = embedder.transform(["bus lanes make buses faster", "quicker buses in the bus lane", "my cat"])
    assert a @ b > a @ c
    assert np.allclose(np.linalg.norm(embedder.transform(TEXTS[:5]), axis=1), 1, atol=1e-5)
    assert embedder.transform([]).shape == (0, 256)


def test_wordllama_layout_change_is_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    wordllama = pytest.importorskip("wordllama")

    def broken(**kwargs: Any) -> None:
        raise FileNotFoundError("tokenizer not found")

    monkeypatch.setattr(wordllama.WordLlama, "load", broken)
    with pytest.raises(ck.MissingResourceError, match="reinstall"):
        ck.WordLlamaEmbedder().fit()
