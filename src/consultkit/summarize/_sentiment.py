"""Sentiment of short social-media texts: a lexicon scorer tuned for posts, and `SentimentScorer`.

The scorer reads each text once: TextBlob's pattern lexicon plus consultkit's own lists (`._lexicon`) give
opinion words a polarity; a negation in the three words before flips and damps one, an intensifier scales
it, shouting (ALL CAPS) and elongation ("soooo") strengthen it, emoji and emoticons count as opinion words,
hashtags are split into words (``#EpicFail`` reads "epic fail"), "but" shifts the weight onto what follows,
exclamation marks add emphasis, and an explicit sarcasm marker (``#sarcasm``, ``/s``) turns praise into
criticism. The summed valence is squashed into [-1, 1] as VADER does.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

import numpy as np

from .._estimator import Estimator
from ._lexicon import BOOSTERS, EMOJI, EMOTICONS, NEGATIONS, SARCASM, polarity_lexicon

__all__ = ["SENTIMENTS", "Reading", "SentimentScorer", "polarity", "read"]

#: The labels `SentimentScorer.predict` returns, from negative to positive.
SENTIMENTS = ("negative", "neutral", "positive")

_EMOTICON = "|".join(re.escape(e) for e in sorted(EMOTICONS, key=len, reverse=True))
_TOKEN = re.compile(
    rf"(?P<skip>https?://\S+|www\.\S+|(?<!\w)@[\w.]+)"
    rf"|(?P<tag>#\w+)"
    rf"|(?<!\w)(?P<emoticon>{_EMOTICON})(?!\w)"
    rf"|(?P<word>[^\W_]+(?:['\u2019][^\W_]+)*|/s\b)"
    rf"|(?P<punct>[.!?;,:]+)"
    rf"|(?P<emoji>[{''.join(sorted(EMOJI))}])",
    re.IGNORECASE,
)
_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_ELONGATED = re.compile(r"(\w)\1{2,}")
_NEGATION_SCOPE = 3  # words after a negation that it reaches
_NEGATION_FACTOR = -0.74  # "not good" is less bad than "bad" (VADER's constant)
_EMPHASIS = 1.3  # ALL CAPS word
_ELONGATION = 1.2  # "soooo good"
_BUT_BEFORE, _BUT_AFTER = 0.5, 1.5
_ALPHA = 1.0
_CANT = frozenset({"cant", "cannot", "n't"})
_CANT_WAIT = 0.6  # squashing constant: valence v maps to v / sqrt(v^2 + alpha)


class Reading(NamedTuple):
    """A text read once: its words (lower case), each word's signed valence, whether a negation reaches it,
    its clause number, and the text's overall polarity in [-1, 1]."""

    words: list[str]
    valences: list[float]
    negated: list[bool]
    clauses: list[int]
    polarity: float


def _word_forms(raw: str) -> list[tuple[str, float]]:
    """Lower-case words of one token with their emphasis; a hashtag gives the words it is made of."""
    if raw.startswith("#"):
        parts = _CAMEL.findall(raw[1:]) or [raw[1:]]
        return [(part.lower(), 1.0) for part in parts]
    word = raw.lower().replace("\u2019", "'")
    emphasis = _EMPHASIS if len(raw) >= 3 and raw.isupper() and raw.isalpha() else 1.0
    if word.endswith("n't") or word in {"can't", "won't"}:
        return [(word.replace("'", ""), 1.0), ("n't", 1.0)] if word not in NEGATIONS else [(word, 1.0)]
    word = word.replace("'", "")
    if _ELONGATED.search(word):
        emphasis *= _ELONGATION
        lexicon = polarity_lexicon()
        double = _ELONGATED.sub(r"\1\1", word)
        word = double if double in lexicon else _ELONGATED.sub(r"\1", word)
    return [(word, emphasis)]


def _stream(text: str) -> Iterator[tuple[str, str, float, float]]:
    """``(kind, word, emphasis, value)`` per piece of ``text``: kind "word" (value from an emoji or emoticon,
    else 0), "end" for a clause end (value: its "!" count) and "sarcasm" for a sarcasm marker."""
    for match in _TOKEN.finditer(text):
        kind, raw = match.lastgroup, match.group()
        if kind == "skip":
            continue
        if kind == "punct":
            yield "end", raw, 1.0, float(raw.count("!"))
        elif raw.lower() in SARCASM:
            yield "sarcasm", raw, 1.0, 0.0
        elif kind in ("emoticon", "emoji"):
            yield "word", raw, 1.0, EMOTICONS.get(raw.lower(), EMOJI.get(raw, 0.0))
        else:
            for word, emphasis in _word_forms(raw):
                if word == "but":
                    yield "end", word, 1.0, 0.0
                yield "word", word, emphasis, 0.0


def read(text: str) -> Reading:
    """Read ``text`` once for sentiment and stance (see the module docstring for the rules)."""
    lexicon = polarity_lexicon()
    words: list[str] = []
    valences: list[float] = []
    negated: list[bool] = []
    clauses: list[int] = []
    clause = negation_left = exclaim = 0
    boost = 1.0
    but_at = -1
    sarcastic = False
    for kind, word, emphasis, value in _stream(text):
        if kind == "sarcasm":
            sarcastic = True
        if kind != "word":
            clause += kind == "end"
            exclaim += int(value)
            negation_left, boost = 0, 1.0
            but_at = len(words) if word == "but" else but_at
            continue
        score = value or lexicon.get(word, 0.0) * emphasis
        if word == "wait" and words and words[-1] in _CANT:  # "can't wait": eager, not negative
            score, negation_left = _CANT_WAIT, 0
        is_negation = word in NEGATIONS
        words.append(word)
        negated.append(negation_left > 0 and not is_negation)
        clauses.append(clause)
        if word in BOOSTERS or is_negation:
            score = 0.0
        elif negation_left > 0:
            score *= _NEGATION_FACTOR
        valences.append(max(-1.0, min(1.0, score * boost)))
        negation_left = _NEGATION_SCOPE if is_negation else max(0, negation_left - 1)
        boost = BOOSTERS[word] * emphasis if word in BOOSTERS else 1.0
    if but_at >= 0:
        valences = [v * (_BUT_BEFORE if i < but_at else _BUT_AFTER) for i, v in enumerate(valences)]
    total = sum(valences)
    if total and exclaim:
        total += math.copysign(0.1 * min(exclaim, 4), total)
    if sarcastic and total > 0:
        total = -total
    return Reading(words, valences, negated, clauses, total / math.sqrt(total * total + _ALPHA))


def polarity(text: str) -> float:
    """Polarity of ``text`` in [-1, 1]: below zero negative, above zero positive.

    >>> polarity("Sooo happy with the new bus lanes :)") > 0 > polarity("not happy at all #fail")
    True
    """
    return read(text).polarity


def _texts(texts: Any, name: str = "texts") -> list[str]:
    if isinstance(texts, str) or not isinstance(texts, Sequence):
        raise TypeError(f"{name} must be a sequence of str, not {type(texts).__name__}")
    bad = next((t for t in texts if not isinstance(t, str)), None)
    if bad is not None:
        raise TypeError(f"{name} must hold only str, found {type(bad).__name__}")
    return list(texts)


class SentimentScorer(Estimator):
    """Sentiment of each text: ``predict`` gives "positive", "neutral" or "negative"; ``score`` a polarity.

    The lexicon needs no training, so ``predict`` and ``score`` work without ``fit``, with a neutral band of
    ``(-threshold, threshold)``. ``fit(texts, labels)`` with labelled examples instead learns the band that
    best recovers every class (highest average recall); ``fit()`` without labels keeps the default band.
    Learned: ``thresholds_``, the ``(low, high)`` band.
    """

    def __init__(self, threshold: float = 0.1) -> None:
        self.threshold = threshold

    def fit(self, texts: Sequence[str] | None = None, labels: Sequence[str] | None = None) -> SentimentScorer:
        """Learn the neutral band from labelled texts, or keep the default one when not given labels."""
        low, high = self._default_band()
        if labels is not None:
            if texts is None:
                raise ValueError("labels were given without texts")
            texts = _texts(texts)
            labels = list(labels)
            if len(labels) != len(texts):
                raise ValueError(f"{len(texts)} texts but {len(labels)} labels")
            unknown = sorted(set(labels) - set(SENTIMENTS))
            if unknown:
                raise ValueError(f"labels must be one of {SENTIMENTS}, found {unknown}")
            low, high = _best_band(np.array(self.score(texts)), np.array(labels))
        self.thresholds_ = (low, high)
        return self

    def score(self, texts: Sequence[str]) -> list[float]:
        """Polarity of each text, in [-1, 1]."""
        return [read(text).polarity for text in _texts(texts)]

    def predict(self, texts: Sequence[str]) -> list[str]:
        """ "positive", "neutral" or "negative" for each text."""
        low, high = getattr(self, "thresholds_", None) or self._default_band()
        return [
            "positive" if value >= high else "negative" if value <= low else "neutral"
            for value in self.score(texts)
        ]

    def _default_band(self) -> tuple[float, float]:
        threshold = self.threshold
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 <= threshold < 1:
            raise ValueError(f"threshold must be a number in [0, 1), not {threshold!r}")
        return (-float(threshold), float(threshold))


def _best_band(scores: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """The ``(low, high)`` cut points, on a 0.05 grid, with the highest average recall over the classes."""
    grid = np.round(np.arange(-0.6, 0.65, 0.05), 2)
    present = [label for label in SENTIMENTS if (labels == label).any()]
    best, band = -1.0, (-0.1, 0.1)
    for low in grid[grid <= 0]:
        for high in grid[grid >= low]:
            predicted = np.where(scores >= high, "positive", np.where(scores <= low, "negative", "neutral"))
            recall = float(np.mean([np.mean(predicted[labels == label] == label) for label in present]))
            if recall > best + 1e-12:
                best, band = recall, (float(low), float(high))
    return band
