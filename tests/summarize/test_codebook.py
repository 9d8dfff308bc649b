"""`CodebookClassifier`: a department's codebook applied zero-shot or learned from a coded sample."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

import consultkit as ck
from consultkit.testing import check_estimator, make_consultation

SYNTHETIC = make_consultation(n_posts=800, random_state=2)
POSTS = [p for p in SYNTHETIC.posts if SYNTHETIC.truth[p.key].theme is not None]
TEXTS = [p.text for p in POSTS]
TRUTH = [SYNTHETIC.truth[p.key].theme for p in POSTS]
CODES = {
    "bus lanes": "Lanes reserved for buses, bus journeys and timetables",
    "parking": "Car parking spaces for residents and visitors",
    "air quality": "Pollution, fumes, clean air and health",
}
SMALL = [
    "The bus lanes will make my journey quicker",
    "Buses stuck in traffic every morning, the timetable is a joke",
    "Where will visitors park their cars?",
    "Residents need parking spaces near home",
    "The fumes on this road are awful for my asthma",
    "Clean air matters for children's health",
    "Lovely weather for the cricket today",
]


def test_keeps_the_estimator_contract() -> None:
    check_estimator(ck.CodebookClassifier(SYNTHETIC.codebook), [TEXTS], use=lambda e: e.predict(TEXTS[:20]))


def test_zero_shot_codes_far_better_than_chance() -> None:
    model = ck.CodebookClassifier(SYNTHETIC.codebook).fit(TEXTS)
    predicted = model.predict(TEXTS)
    coded = [(p, t) for p, t in zip(predicted, TRUTH, strict=True) if p is not None]
    accuracy = np.mean([p == t for p, t in coded])
    assert accuracy > 3 / len(SYNTHETIC.themes)
    assert len(coded) > 0.7 * len(TEXTS)
    assert model.mode_ == "zero-shot"


def test_fit_without_texts_learns_at_predict() -> None:
    later = ck.CodebookClassifier(SYNTHETIC.codebook).fit().predict(TEXTS)
    now = ck.CodebookClassifier(SYNTHETIC.codebook).fit(TEXTS).predict(TEXTS)
    assert later == now


def test_no_texts_give_no_codes() -> None:
    model = ck.CodebookClassifier(CODES).fit()
    assert model.predict([]) == []
    assert model.uncertain([]) == []


def test_small_codebook_reads_descriptions() -> None:
    # a handful of texts is too few to train on: codes go by similarity to their descriptions
    predicted = ck.CodebookClassifier(CODES, min_confidence=0.1).fit(SMALL).predict(SMALL)
    assert predicted[:6] == ["bus lanes", "bus lanes", "parking", "parking", "air quality", "air quality"]


def test_none_of_these_differs_from_cannot_decide() -> None:
    model = ck.CodebookClassifier(CODES, min_confidence=0.1).fit(SMALL)
    predicted = model.predict(SMALL)
    uncertain = model.uncertain(SMALL)
    assert predicted[-1] is None
    assert uncertain[-1] is False  # no code at all is not a close call
    assert all(isinstance(flag, bool) for flag in uncertain)
    assert len(uncertain) == len(SMALL)


def test_predict_proba_has_a_column_per_code() -> None:
    model = ck.CodebookClassifier(CODES).fit(SMALL)
    proba = model.predict_proba(SMALL)
    assert proba.shape == (len(SMALL), 3)
    assert ((proba >= 0) & (proba <= 1)).all()
    assert model.codes_ == ("bus lanes", "parking", "air quality")


def test_few_shot_learns_from_coded_sample_and_estimates_precision() -> None:
    half = len(TEXTS) // 2
    model = ck.CodebookClassifier(SYNTHETIC.codebook).fit(TEXTS[:half], TRUTH[:half])
    predicted = model.predict(TEXTS[half:])
    zero_shot = ck.CodebookClassifier(SYNTHETIC.codebook).fit(TEXTS[half:]).predict(TEXTS[half:])
    truth = TRUTH[half:]
    assert np.mean(np.equal(predicted, truth)) > np.mean(np.equal(zero_shot, truth))
    assert model.mode_ == "few-shot"
    assert set(model.scores_) == set(SYNTHETIC.codebook.labels)
    for score in model.scores_.values():
        assert 0 <= score["precision"] <= 1
        assert 0 <= score["recall"] <= 1
        assert score["support"] >= 0


def test_labels_may_say_none_of_these() -> None:
    labels = ["bus lanes", "bus lanes", "parking", "parking", "air quality", "air quality", None]
    model = ck.CodebookClassifier(CODES).fit(SMALL * 3, labels * 3)
    assert model.predict(["Lovely weather for the cricket today"]) == [None]


def test_examples_help_a_code_with_few_words() -> None:
    model = ck.CodebookClassifier(
        {"cost": "Money", "parking": "Car parking"}, examples={"cost": ["a waste of taxpayers' money"]}
    ).fit(["what a waste of taxpayers' money", "no parking left", "parking is full"])
    assert model.predict(["waste of taxpayers' money"]) == ["cost"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"codebook": {}}, "codes"),
        ({"codebook": CODES, "min_confidence": 2}, "min_confidence"),
        ({"codebook": CODES, "examples": {"unknown": ["x"]}}, "examples"),
    ],
)
def test_bad_parameters_are_named(params: dict[str, object], field: str) -> None:
    with pytest.raises(ck.ModelValidationError, match=field):
        ck.CodebookClassifier(**params).fit(SMALL)  # type: ignore[arg-type]


def test_labels_must_be_codes_and_match_texts() -> None:
    with pytest.raises(ck.ModelValidationError, match="not in the codebook"):
        ck.CodebookClassifier(CODES).fit(SMALL[:2], ["bus lanes", "trams"])
    with pytest.raises(ck.ModelValidationError, match="one label per text"):
        ck.CodebookClassifier(CODES).fit(SMALL, ["bus lanes"])


def test_unfitted_use_is_an_error() -> None:
    with pytest.raises(ck.NotFittedError):
        ck.CodebookClassifier(CODES).predict(SMALL)


def _benchmark() -> ModuleType:
    """benchmarks/bench_themes.py, which holds the StackOverflow codebook (written once, used twice)."""
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_themes.py"
    spec = importlib.util.spec_from_file_location("bench_themes", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_zero_shot_beats_label_names_on_stackoverflow(shared_data: Callable[..., Path]) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import f1_score

    root = shared_data("clustering", "stc-stackoverflow")
    truth = [int(x) for x in (root / "label_StackOverflow.txt").read_text().split()]
    texts = (root / "title_StackOverflow.txt").read_text(encoding="utf-8").split("\n")[: len(truth)]
    rows = slice(0, None, 5)  # 4,000 titles keep the test quick
    texts, truth = texts[rows], truth[rows]
    tags = "wordpress oracle svn apache excel matlab visual-studio cocoa osx bash spring hibernate scala "
    tags += "sharepoint ajax qt drupal linq haskell magento"
    names = tags.split()
    gold = [names[y - 1] for y in truth]
    vectorizer = TfidfVectorizer().fit(texts + names)
    similarity = (vectorizer.transform(texts) @ vectorizer.transform(names).T).toarray()
    baseline = [
        names[j] if row[j] > 0 else "none" for row, j in zip(similarity, similarity.argmax(1), strict=True)
    ]
    ours = ck.CodebookClassifier(_benchmark().STACKOVERFLOW_CODEBOOK).fit(texts).predict(texts)
    f1_ours = f1_score(gold, [p or "none" for p in ours], labels=names, average="macro")
    f1_base = f1_score(gold, baseline, labels=names, average="macro")
    assert f1_ours > f1_base + 0.03
