"""Stance toward a target written in words: `StanceClassifier`, zero-shot from cues or few-shot from labels.

Zero-shot, each text is read once (`._sentiment.read`) and scored: support words ("support", "vote for",
"yes") push toward favor and opposition words ("oppose", "stop", "scrap", "no to") toward against, a
negation within three words turns a cue around ("don't support" opposes), recommending modals count as support
for the target they govern ("bus lanes should stay") and negated ones as opposition ("shouldn't"), the
polarity of what is said in a clause that mentions the target counts as an evaluation of it, clauses that do
not mention the target count half, and hypothetical clauses ("if", "unless") and questions count half again.
A reply inherits the stance of the post it answers when it agrees with it, and the opposite when it
disagrees. Few-shot, those cue scores plus word and character n-grams feed a logistic regression.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import FeatureUnion

from .._consultation import Response
from .._estimator import Estimator
from ._lexicon import (
    AGREE,
    CONDITIONALS,
    DISAGREE,
    GENERIC_TARGET_WORDS,
    MODALS,
    NEGATIONS,
    OPPOSE,
    STOPWORDS,
    SUPPORT,
)
from ._sentiment import Reading, _texts, read

__all__ = ["STANCES", "Stance", "StanceClassifier", "count_stances", "f_avg", "response_stances"]

#: The labels `StanceClassifier.predict` returns.
STANCES = ("favor", "against", "none")

_SUFFIXES = ("izations", "ization", "isation", "ations", "ation", "isms", "ism", "ists", "ist", "ions", "ion",
             "ing", "es", "s")  # fmt: skip
_OFF_TARGET = 0.5  # weight of a clause that does not mention the target
_HEDGED = 0.5  # extra weight of a hypothetical clause or a question
_EVALUATION = 1.0  # weight of the sentiment of what is said
_REPLY = 0.8  # weight of the parent's stance in an agreeing or disagreeing reply
_FEATURES = ("support", "oppose", "modal", "evaluation", "mention", "reply", "score")


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def target_stems(target: str, related: Sequence[str] = ()) -> tuple[str, ...]:
    """The word stems whose presence means a text mentions ``target`` (or one of the ``related`` terms).

    Target and terms are split into words as texts are (``#BusLanes`` gives "bus" and "lanes").

    >>> target_stems("The new bus lanes on the High Street", related=("#CycleLane",))
    ('bus', 'cycle', 'high', 'lane', 'street')
    """
    stems = {_stem(w) for w in read(target).words if w not in GENERIC_TARGET_WORDS}
    for term in related:
        stems.update(_stem(w) for w in read(term).words)
    return tuple(sorted(s for s in stems if len(s) > 2 and s not in STOPWORDS))


def _cues(reading: Reading, stems: tuple[str, ...]) -> list[float]:
    """Support, opposition, modal and evaluation evidence of one text, and whether it mentions the target."""
    words, negated, clauses = reading.words, reading.negated, reading.clauses
    mentions = [any(word.startswith(stem) for stem in stems) for word in words]
    on_target = {clause for clause, hit in zip(clauses, mentions, strict=True) if hit}
    hedged: set[int] = set()
    for word, clause in zip(words, clauses, strict=True):
        if word in CONDITIONALS:
            hedged.add(clause)
    support = oppose = modal = evaluation = 0.0
    last = len(words) - 1
    for i, word in enumerate(words):
        clause = clauses[i]
        weight = (1.0 if clause in on_target else _OFF_TARGET) * (_HEDGED if clause in hedged else 1.0)
        sign = -1.0 if negated[i] else 1.0
        following = words[i + 1] if i < last else ""
        if word in ("pro", "anti"):  # "pro-choice" supports choice, not necessarily the target
            if i < last and mentions[i + 1]:
                support += weight if word == "pro" else -weight
        elif word == "no" and following in ("to", "more"):
            oppose += weight
        elif word in SUPPORT:
            support += sign * weight * SUPPORT[word]
        elif word in OPPOSE:
            oppose += sign * weight * OPPOSE[word]
        elif word in MODALS and clause in on_target:
            modal += (-1.0 if negated[i] or following in NEGATIONS else 1.0) * weight
        elif word in ("shouldnt", "mustnt") and clause in on_target:
            modal -= weight
        evaluation += reading.valences[i] * weight
    return [support, oppose, modal, evaluation, float(bool(on_target))]


def _agreement(reading: Reading) -> float:
    """+1 when a reply opens by agreeing, -1 when it opens by disagreeing, else 0."""
    for word, negated in zip(reading.words[:4], reading.negated[:4], strict=False):
        if word in AGREE:
            return -1.0 if negated else 1.0
        if word in DISAGREE:
            return 1.0 if negated else -1.0
    return 0.0


def _score(cues: Sequence[float], lean: float) -> float:
    support, oppose, modal, evaluation, mention = cues[:5]
    return support - oppose + modal + _EVALUATION * evaluation + lean * mention


def cue_matrix(
    texts: Sequence[str], stems: tuple[str, ...], context: Sequence[str | None] | None, lean: float = 0.0
) -> np.ndarray:
    """One row per text: support, oppose, modal, evaluation, mention, reply, and the zero-shot score."""
    rows = []
    for i, text in enumerate(texts):
        reading = read(text)
        cues = _cues(reading, stems)
        parent = context[i] if context is not None else None
        reply = _agreement(reading) * _score(_cues(read(parent), stems), lean) if parent else 0.0
        rows.append([*cues, reply, _score(cues, lean) + _REPLY * reply])
    return np.array(rows, dtype=float).reshape(len(rows), len(_FEATURES))


def f_avg(truth: Sequence[str], predicted: Sequence[str]) -> float:
    """SemEval-2016's measure: the mean of the F1 scores of "favor" and "against" ("none" is not scored)."""
    scores = []
    for label in ("favor", "against"):
        tp = sum(1 for t, p in zip(truth, predicted, strict=True) if t == p == label)
        n_true = sum(1 for t in truth if t == label)
        n_pred = sum(1 for p in predicted if p == label)
        scores.append(2 * tp / (n_true + n_pred) if n_true + n_pred else 0.0)
    return float(np.mean(scores))


class StanceClassifier(Estimator):
    """Stance of each text toward ``target``: "favor", "against" or "none", with a confidence.

    ``fit()`` without labels makes it zero-shot (cue rules, see the module docstring); ``fit(texts,
    labels)`` with labelled examples (tens are enough to help) trains a logistic regression on those cues
    plus word and character n-grams, and estimates its quality by ``cv`` -fold cross-validation.

    Parameters: ``target``, the proposal or option in words; ``related``, more words or phrases that count
    as mentioning the target (names, hashtags, synonyms); ``lean``, the score a text gets for naming the
    target (negative: in the SemEval-2016 training tweets, naming a target without praising it was far more
    often criticism; set 0 to switch it off); ``threshold``, the zero-shot score a text must
    pass to take a side; ``C``, the few-shot regularisation; ``cv``, the folds of the accuracy estimate;
    ``random_state``, the seed of the folds.

    Learned: ``stems_`` (the target's word stems), ``classes_``, ``zero_shot_`` (true without labels),
    ``coef_`` (the few-shot model's coefficients, or None), and ``cv_scores_`` (per-fold "f_avg" and
    "accuracy" arrays, empty when zero-shot or when a class has fewer than two examples).
    """

    def __init__(
        self,
        target: str = "the proposal",
        *,
        related: Sequence[str] = (),
        lean: float = -0.6,
        threshold: float = 0.05,
        C: float = 1.0,  # scikit-learn's name for the inverse regularisation strength
        cv: int = 5,
        random_state: int | None = 0,
    ) -> None:
        self.target = target
        self.related = related
        self.lean = lean
        self.threshold = threshold
        self.C = C
        self.cv = cv
        self.random_state = random_state

    def fit(
        self,
        texts: Sequence[str] | None = None,
        labels: Sequence[str] | None = None,
        *,
        context: Sequence[str | None] | None = None,
    ) -> StanceClassifier:
        """Zero-shot without labels; few-shot from ``labels`` (one of `STANCES` per text)."""
        self._validate()
        self.stems_ = target_stems(self.target, tuple(self.related))
        self.classes_ = ("against", "favor", "none")
        self._model_: _FewShot | None = None
        self.coef_: np.ndarray | None = None
        self.cv_scores_: dict[str, np.ndarray] = {"f_avg": np.array([]), "accuracy": np.array([])}
        self.zero_shot_ = labels is None
        if labels is None:
            return self
        if texts is None:
            raise ValueError("labels were given without texts")
        texts = _texts(texts)
        truth = np.array(list(labels), dtype=object)
        if len(truth) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(truth)} labels")
        unknown = sorted(set(truth) - set(STANCES))
        if unknown:
            raise ValueError(f"labels must be among {STANCES}, found {unknown}")
        if len(set(truth)) < 2:
            raise ValueError("few-shot stance needs examples of at least two stances")
        context = self._context(context, len(texts))
        model = _FewShot(self.stems_, self.C, self.random_state)
        counts = min(int((truth == label).sum()) for label in set(truth))
        folds = min(self.cv, counts)
        if folds >= 2:
            splitter = StratifiedKFold(folds, shuffle=True, random_state=self.random_state)
            inputs = np.array(list(zip(texts, context, strict=True)), dtype=object)
            predicted = cross_val_predict(model, inputs, truth, cv=splitter)
            scores: dict[str, list[float]] = {"f_avg": [], "accuracy": []}
            for _, test in splitter.split(inputs, truth):
                scores["f_avg"].append(f_avg(list(truth[test]), list(predicted[test])))
                scores["accuracy"].append(float(np.mean(truth[test] == predicted[test])))
            self.cv_scores_ = {name: np.array(values) for name, values in scores.items()}
        self._model_ = model.fit(np.array(list(zip(texts, context, strict=True)), dtype=object), truth)
        self.coef_ = self._model_.model_.coef_
        return self

    def decision_function(
        self, texts: Sequence[str], *, context: Sequence[str | None] | None = None
    ) -> np.ndarray:
        """A signed score per text: above zero leans favor, below zero against (zero-shot cue score, or the
        few-shot model's probability of favor minus that of against)."""
        proba, scores = self._predict(texts, context)
        if scores is not None:
            return scores
        return np.asarray(proba[:, 1] - proba[:, 0])

    def predict_proba(
        self, texts: Sequence[str], *, context: Sequence[str | None] | None = None
    ) -> np.ndarray:
        """Probabilities of ``classes_`` ("against", "favor", "none") per text, each row summing to 1.

        Zero-shot, they are a softmax of the cue score against the threshold: a confidence, not a
        calibrated probability.
        """
        return self._predict(texts, context)[0]

    def predict(self, texts: Sequence[str], *, context: Sequence[str | None] | None = None) -> list[str]:
        """ "favor", "against" or "none" for each text; ``context`` holds the text each one replies to, or
        None."""
        proba = self.predict_proba(texts, context=context)
        return [self.classes_[i] for i in proba.argmax(axis=1)]

    def _predict(
        self, texts: Sequence[str], context: Sequence[str | None] | None
    ) -> tuple[np.ndarray, np.ndarray | None]:
        self._check_fitted("stems_", "coef_", "zero_shot_")
        texts = _texts(texts)
        context = self._context(context, len(texts))
        if self._model_ is not None:
            inputs = np.array(list(zip(texts, context, strict=True)), dtype=object)
            return self._model_.predict_proba(inputs), None
        scores = cue_matrix(texts, self.stems_, context, float(self.lean))[:, -1]
        logits = 3.0 * np.column_stack([-scores, scores, np.full_like(scores, self.threshold)])
        logits -= logits.max(axis=1, keepdims=True)
        proba = np.exp(logits)
        return proba / proba.sum(axis=1, keepdims=True), scores

    def _validate(self) -> None:
        if not isinstance(self.target, str) or not self.target.strip():
            raise ValueError(f"target must be a non-empty str naming the proposal, not {self.target!r}")
        if isinstance(self.related, str) or not all(isinstance(t, str) for t in self.related):
            raise ValueError("related must be a sequence of str, such as ('cycle lane', '#BusLanes')")
        if not target_stems(self.target, tuple(self.related)):
            raise ValueError(
                f"target {self.target!r} has no distinctive words; name the proposal or add related"
            )
        if isinstance(self.lean, bool) or not isinstance(self.lean, (int, float)):
            raise ValueError(f"lean must be a number, not {self.lean!r}")
        for name, low in (("threshold", 0.0), ("C", 1e-12)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < low:
                raise ValueError(f"{name} must be a number >= {low:g}, not {value!r}")
        if isinstance(self.cv, bool) or not isinstance(self.cv, int) or self.cv < 2:
            raise ValueError(f"cv must be an int >= 2, not {self.cv!r}")

    @staticmethod
    def _context(context: Sequence[str | None] | None, n: int) -> list[str | None]:
        if context is None:
            return [None] * n
        context = list(context)
        if len(context) != n:
            raise ValueError(
                f"context must have one entry (a text or None) per text: {n} texts, {len(context)}"
            )
        if not all(c is None or isinstance(c, str) for c in context):
            raise TypeError("context must hold str or None")
        return context


class _FewShot(Estimator):
    """Cue scores plus word and character n-grams into a balanced logistic regression; inputs are
    ``(text, context)`` pairs."""

    def __init__(self, stems: tuple[str, ...] = (), C: float = 1.0, random_state: int | None = 0) -> None:
        self.stems = stems
        self.C = C
        self.random_state = random_state

    def fit(self, inputs: np.ndarray, labels: np.ndarray) -> _FewShot:
        self.ngrams_ = FeatureUnion(
            [
                ("words", TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True, lowercase=True)),
                (
                    "chars",
                    TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True),
                ),
            ]
        ).fit([text for text, _ in inputs])
        self.model_ = LogisticRegression(
            C=self.C, class_weight="balanced", max_iter=2000, random_state=self.random_state
        ).fit(self._features(inputs), labels)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, inputs: np.ndarray) -> np.ndarray:
        proba = self.model_.predict_proba(self._features(inputs))
        full = np.zeros((len(inputs), 3))
        for j, label in enumerate(self.model_.classes_):
            full[:, ("against", "favor", "none").index(label)] = proba[:, j]
        return full

    def predict(self, inputs: np.ndarray) -> np.ndarray:
        best = np.asarray(self.model_.predict_proba(self._features(inputs))).argmax(axis=1)
        classes: np.ndarray = np.asarray(self.model_.classes_)
        return np.asarray(classes[best])

    def _features(self, inputs: np.ndarray) -> Any:
        texts = [text for text, _ in inputs]
        cues = cue_matrix(texts, self.stems, [parent for _, parent in inputs])
        return sparse.hstack([self.ngrams_.transform(texts), sparse.csr_matrix(np.tanh(cues))]).tocsr()


class Stance(NamedTuple):
    """The stance of one response: its label, a confidence in [0, 1], and whether the source declared it."""

    label: str
    confidence: float
    declared: bool


def response_stances(responses: Sequence[Response], classifier: StanceClassifier) -> list[Stance]:
    """The stance of each response: declared by the source when it has one (confidence 1), else inferred
    by the fitted ``classifier``, using as context the text of the response it replies to, if present."""
    by_key = {r.post.key: r.post.text for r in responses}
    pending = [i for i, r in enumerate(responses) if r.declared_stance is None]
    texts = [responses[i].post.text for i in pending]
    context = [by_key.get((responses[i].post.network, responses[i].post.reply_to or "")) for i in pending]
    result = [Stance(r.declared_stance, 1.0, True) if r.declared_stance else None for r in responses]
    if pending:
        proba = classifier.predict_proba(texts, context=context)
        for i, row in zip(pending, proba, strict=True):
            best = int(row.argmax())
            result[i] = Stance(classifier.classes_[best], float(row[best]), False)
    return [s for s in result if s is not None]


def count_stances(responses: Sequence[Response], stances: Sequence[Stance]) -> dict[str, dict[str, int]]:
    """Per question id: how many responses are "favor", "against" and "none", and how many were "declared"."""
    counts: dict[str, dict[str, int]] = {}
    for response, stance in zip(responses, stances, strict=True):
        row = counts.setdefault(response.question_id, {"favor": 0, "against": 0, "none": 0, "declared": 0})
        row[stance.label] += 1
        row["declared"] += stance.declared
    return counts
