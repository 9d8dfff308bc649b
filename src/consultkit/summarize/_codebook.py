"""`CodebookClassifier`: a department's own codebook applied to responses, zero-shot or from a coded sample.

Zero-shot (no labels), it reads the codes the way an analyst would at first: a text that names exactly one
code's label (``"bus lanes"``, in any case, with spaces, hyphens or underscores) is a confident example of
it; a text whose words clearly match one code's description better than any other is one too. A linear
classifier trained on those examples over word and character n-grams then codes every text, including the
many that name no code. With labels (``fit(texts, labels)``) it learns from the analyst's coded sample, the
descriptions serving as one extra example per code, and estimates each code's precision and recall by
cross-validation.

Each code's probability is its own one-vs-rest estimate (not shared out among the codes), so
``predict`` returns ``None`` when no code fits ("none of these"); `uncertain` flags texts where a code was
chosen but the runner-up was close ("cannot decide"), for a human to check.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.linear_model import SGDClassifier
from sklearn.metrics import precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.preprocessing import normalize

from .._consultation import Codebook
from .._estimator import Estimator
from .._exceptions import ModelValidationError
from ._embed import LexicalFeatures, sample_order

__all__ = ["CodebookClassifier"]

_MAX_TRAIN = 50_000  # texts learned from, chosen by content
_MIN_SEEDS = 5  # confident examples each code needs before a classifier is trained on them


class CodebookClassifier(Estimator):
    """Apply a codebook (``{"label": "description", ...}`` or a `Codebook`) to texts.

    ``examples`` optionally maps labels to example texts. A text gets ``None`` when its best code's
    probability is below ``min_confidence``; `uncertain` flags a chosen code whose lead over the runner-up
    is below ``uncertain_margin``. After a fit with labels, ``scores_`` holds each code's cross-validated
    ``precision``, ``recall`` and ``support``.
    """

    def __init__(
        self,
        codebook: Mapping[str, str] | Codebook,
        *,
        examples: Mapping[str, Sequence[str]] | None = None,
        min_confidence: float = 0.2,
        uncertain_margin: float = 0.1,
        random_state: int = 0,
    ) -> None:
        self.codebook = codebook
        self.examples = examples
        self.min_confidence = min_confidence
        self.uncertain_margin = uncertain_margin
        self.random_state = random_state

    def fit(self, texts: Sequence[str] | None = None, labels: Sequence[str | None] | None = None) -> Any:
        """Learn from texts (zero-shot) or from texts with their codes; with neither, learn at `predict`."""
        codebook = self._codebook()
        self.codes_ = codebook.labels
        self.scores_: dict[str, dict[str, float]] = {}
        if labels is not None:
            if texts is None or len(texts) != len(labels):
                raise ModelValidationError(
                    type(self).__name__, "labels", labels, "expected one label per text"
                )
            unknown = sorted({str(y) for y in labels if y is not None and y not in codebook.codes})
            if unknown:
                raise ModelValidationError(
                    type(self).__name__, "labels", unknown, "labels not in the codebook"
                )
            self.mode_ = "few-shot"
            self._model: _Model | None = self._supervised(_texts(self, texts), list(labels))
        else:
            self.mode_ = "zero-shot"
            self._model = self._zero_shot(_texts(self, texts)) if texts is not None else None
        return self

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray[Any, Any]:
        """The probability of each code (columns in ``codes_`` order) for each text."""
        self._check_fitted("codes_")
        texts = _texts(self, texts)
        if not texts:
            return np.zeros((0, len(self.codes_)))
        model = self._model if self._model is not None else self._zero_shot(texts)
        return model.proba(texts)

    def predict(self, texts: Sequence[str]) -> list[str | None]:
        """The best code of each text, or ``None`` when no code fits."""
        proba = self.predict_proba(texts)
        if not len(proba):
            return []
        best = proba.argmax(axis=1)
        return [
            self.codes_[j] if p[j] >= self.min_confidence else None for j, p in zip(best, proba, strict=True)
        ]

    def uncertain(self, texts: Sequence[str]) -> list[bool]:
        """Whether each text's code was a close call (it got a code, but the runner-up nearly won)."""
        proba = self.predict_proba(texts)
        if proba.shape[1] < 2:
            return [False] * len(proba)
        top = np.sort(proba, axis=1)[:, -2:]
        return [
            bool(first >= self.min_confidence and first - second < self.uncertain_margin)
            for second, first in top
        ]

    def _codebook(self) -> Codebook:
        book = self.codebook if isinstance(self.codebook, Codebook) else Codebook(codes=self.codebook)
        for name in ("min_confidence", "uncertain_margin"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value < 1:
                raise ModelValidationError(type(self).__name__, name, value, "expected a number in [0, 1)")
        unknown = sorted(set(self.examples or {}) - set(book.codes))
        if unknown:
            raise ModelValidationError(type(self).__name__, "examples", unknown, "labels not in the codebook")
        return book

    def _code_texts(self) -> list[str]:
        """One text per code: its label in words, its description and its examples."""
        book = self._codebook()
        examples = self.examples or {}
        return [
            " . ".join([_words(label), description, *examples.get(label, ())])
            for label, description in book.codes.items()
        ]

    def _zero_shot(self, texts: Sequence[str]) -> _Model:
        """Train on the texts that name one code or clearly match one description, and on the codes' texts."""
        train = _sample(texts, self.random_state)
        code_texts = self._code_texts()
        features = LexicalFeatures().fit([*train, *code_texts])
        matrix = features.transform(train)
        named = _named_codes(train, self.codes_)
        seeds = _seeds(named, np.asarray((matrix @ features.transform(code_texts).T).todense()))
        chosen = seeds >= 0
        classes, counts = np.unique(seeds[chosen], return_counts=True)
        if len(classes) < 2 or counts.min() < _MIN_SEEDS:  # too little to learn from: similarity alone
            return _Model(features, normalize(features.transform(code_texts)), len(self.codes_))
        examples = sparse.vstack([matrix[chosen], features.transform(code_texts)]).tocsr()
        targets = np.concatenate([seeds[chosen], np.arange(len(self.codes_))])
        classifier = _classifier(self.random_state).fit(examples, targets)
        return _Model(features, classifier, len(self.codes_))

    def _supervised(self, texts: list[str], labels: list[str | None]) -> _Model:
        """Train on the coded sample plus one example per code; cross-validate precision and recall."""
        code_texts = self._code_texts()
        index = {code: i for i, code in enumerate(self.codes_)}
        y = np.array([index[y] if y is not None else -1 for y in labels] + list(range(len(self.codes_))))
        features = LexicalFeatures().fit([*texts, *code_texts])
        matrix = features.transform([*texts, *code_texts])
        classifier = _classifier(self.random_state).fit(matrix, y)
        counts = np.bincount(y[: len(texts)] + 1)
        folds = int(min(5, counts[counts > 0].min())) if len(texts) else 0
        if folds >= 2:
            estimate = cross_val_predict(
                _classifier(self.random_state),
                matrix[: len(texts)],
                y[: len(texts)],
                cv=StratifiedKFold(folds, shuffle=True, random_state=self.random_state),
            )
            precision, recall, _, support = precision_recall_fscore_support(
                y[: len(texts)], estimate, labels=list(range(len(self.codes_))), zero_division=0
            )
            self.scores_ = {
                code: {"precision": float(p), "recall": float(r), "support": int(s)}
                for code, p, r, s in zip(self.codes_, precision, recall, support, strict=True)
            }
        return _Model(features, classifier, len(self.codes_))


class _Model:
    """Features and a scorer giving each code's probability: a classifier, or code vectors to compare with."""

    def __init__(
        self, features: LexicalFeatures, scorer: SGDClassifier | sparse.csr_matrix, n_codes: int
    ) -> None:
        self.features = features
        self.scorer = scorer
        self.n_codes = n_codes

    def proba(self, texts: Sequence[str]) -> np.ndarray[Any, Any]:
        result = np.zeros((len(texts), self.n_codes))
        if not texts:
            return result
        matrix = self.features.transform(texts)
        if not isinstance(self.scorer, SGDClassifier):  # cosine similarity to each code's own text
            similarity: np.ndarray[Any, Any] = np.clip(np.asarray((matrix @ self.scorer.T).todense()), 0, 1)
            return similarity
        # each code's own one-vs-rest probability, not normalised across codes: a text unlike every code
        # scores low on all of them, and so can be "none of these"
        decision = self.scorer.decision_function(matrix)
        if decision.ndim == 1:
            decision = np.column_stack([-decision, decision])
        proba = (np.clip(decision, -1, 1) + 1) / 2
        for column, code in enumerate(self.scorer.classes_):
            if code >= 0:  # the "none of these" class keeps its probability out of every code's
                result[:, code] = proba[:, column]
        return result


def _classifier(random_state: int) -> SGDClassifier:
    return SGDClassifier(
        loss="modified_huber", alpha=1e-3, class_weight="balanced", random_state=random_state
    )


def _texts(estimator: Estimator, texts: Sequence[str]) -> list[str]:
    if isinstance(texts, str) or not all(isinstance(t, str) for t in texts):
        raise ModelValidationError(type(estimator).__name__, "texts", texts, "expected a sequence of str")
    return list(texts)


def _sample(texts: Sequence[str], random_state: int) -> list[str]:
    """At most ``_MAX_TRAIN`` distinct texts, chosen by content, in a canonical order."""
    unique = sorted(set(texts))
    return sorted(unique[i] for i in sample_order(unique, random_state)[:_MAX_TRAIN])


def _words(label: str) -> str:
    return " ".join(re.split(r"[\s_\-/]+", label.strip()))


def _named_codes(texts: Sequence[str], codes: Sequence[str]) -> np.ndarray[Any, Any]:
    """The code each text names (by its label), or -1 when it names none or several."""
    patterns = [
        re.compile(
            r"(?<!\w)" + r"[\s_\-]*".join(map(re.escape, _words(code).split())) + r"(?!\w)", re.IGNORECASE
        )
        for code in codes
    ]
    named = np.full(len(texts), -1)
    for i, text in enumerate(texts):
        hits = [j for j, pattern in enumerate(patterns) if pattern.search(text)]
        if len(hits) == 1:
            named[i] = hits[0]
    return named


def _seeds(named: np.ndarray[Any, Any], similarity: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """The code each text is a confident example of: the one it names, else a clear best description."""
    return np.where(named >= 0, named, _clear_best(similarity))


def _clear_best(similarity: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """The best code of each row when it leads the runner-up by more than the median lead, else -1."""
    if similarity.shape[1] < 2:
        return np.where(similarity[:, 0] > 0, 0, -1) if similarity.size else np.full(len(similarity), -1)
    top = np.sort(similarity, axis=1)
    lead = top[:, -1] - top[:, -2]
    matched = top[:, -1] > 0
    threshold = np.median(lead[matched]) if matched.any() else 0.0
    return np.where(matched & (lead > threshold), similarity.argmax(axis=1), -1)
