"""`check_estimator` accepts an estimator that keeps the contract and names each rule one breaks."""

from __future__ import annotations

import numpy as np
import pytest

from consultkit._estimator import Estimator
from consultkit.testing import check_estimator

TEXTS = ["bus lanes", "parking", "bus lanes", "cycling", "parking"]


class Counter(Estimator):
    """Counts texts and draws a seeded sample: a small estimator that keeps every rule."""

    def __init__(self, sample: int = 2, random_state: int = 0) -> None:
        self.sample = sample
        self.random_state = random_state

    def fit(self, texts: list[str]) -> Counter:
        rng = np.random.default_rng(self.random_state)
        self.counts_ = {t: texts.count(t) for t in sorted(set(texts))}
        self.sample_ = rng.choice(len(texts), size=self.sample, replace=False)
        return self

    def predict(self, texts: list[str]) -> list[int]:
        self._check_fitted("counts_")
        return [self.counts_.get(t, 0) for t in texts]


class ReturnsNothing(Counter):
    def fit(self, texts: list[str]) -> Counter:
        super().fit(texts)
        return None  # type: ignore[return-value]  # the broken rule under test


class Unseeded(Counter):
    def fit(self, texts: list[str]) -> Counter:
        super().fit(texts)
        self.noise_ = np.random.default_rng().random()
        return self


class SilentWhenUnfitted(Counter):
    def predict(self, texts: list[str]) -> list[int]:
        return [0 for _ in texts]


def test_a_well_behaved_estimator_passes() -> None:
    check_estimator(Counter(), [TEXTS], use=lambda e: e.predict(TEXTS))


@pytest.mark.parametrize(
    ("estimator", "message"),
    [
        (ReturnsNothing(), "fit\\(\\) must return self"),
        (Unseeded(), "noise_ differs"),
        (SilentWhenUnfitted(), "must raise NotFittedError"),
    ],
)
def test_each_broken_rule_is_named(estimator: Counter, message: str) -> None:
    with pytest.raises(AssertionError, match=message):
        check_estimator(estimator, [TEXTS], use=lambda e: e.predict(TEXTS))
