"""`ThemeExtractor`: what people say, as themes an analyst could have written, every text accounted for.

How it works:

1. Texts are embedded (default `LsaEmbedder`). Exact repeats are embedded and clustered once: a campaign
   counts once when themes are *found*, and with its full size when they are *counted*.
2. Spherical k-means groups a sample of at most ``max_fit`` distinct texts, chosen by content (never by
   position), so the result does not depend on input order and the cost stays linear in the input.
3. With ``n_themes=None`` the number of themes is chosen by the silhouette (cosine) of k-means fits on a
   sample of 3,000 texts, over about a dozen values of k from 2 to ``sqrt(n / 2)`` (capped at
   ``max_themes``): the *smallest* k whose silhouette is within 5% of the best, since a few readable themes
   serve a reader better than many near-duplicates.
4. Every text goes to its nearest theme; a text whose cosine similarity to that theme is below
   ``min_confidence`` (or that shares no word with the rest) goes to the explicit "Other" theme (id -1),
   which is counted like any theme.
5. Labels are short noun phrases from the members' own words (`_labels`); representative texts are chosen
   for centrality and diversity among texts that hold a quotable passage free of personal data; themes are
   grouped under broader parent themes by Ward-linkage clustering of their centres.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import normalize

from .._consultation import Theme
from .._estimator import Estimator
from .._exceptions import ModelValidationError
from .._models import Post
from ._embed import Embedder, LsaEmbedder, sample_order
from ._labels import describe_keywords, label_themes
from ._quotes import quote_of, quote_span
from ._summary import Quote
from ._text import match_key

__all__ = ["OTHER", "ThemeExtractor"]

OTHER = -1  #: the id of the "Other" theme in `ThemeExtractor.labels_`
_SELECTION_SAMPLE = 3_000  # texts scored by the silhouette when choosing the number of themes
_LABEL_SAMPLE = 20_000  # distinct texts read to label themes
_POOL = 40  # most central members considered as representatives


class ThemeExtractor(Estimator):
    """Find themes in texts: ``fit(texts)`` sets ``labels_`` (one theme id per text) and ``themes_``.

    ``n_themes=None`` chooses the number (see the module docs for how; the silhouette per k tried is kept in
    ``k_scores_``); an integer is honoured unless there are fewer distinct texts. ``labels_`` holds -1 for
    texts in the "Other" theme, which is always the last of ``themes_``. ``parents_`` holds broader themes
    that group the others (a theme's ``parent`` is one of their ids), when there are enough themes to group.
    """

    def __init__(
        self,
        n_themes: int | None = None,
        random_state: int = 0,
        *,
        embedder: Embedder | None = None,
        min_confidence: float = 0.1,
        max_themes: int = 30,
        max_fit: int = 10_000,
        n_representatives: int = 3,
    ) -> None:
        self.n_themes = n_themes
        self.random_state = random_state
        self.embedder = embedder
        self.min_confidence = min_confidence
        self.max_themes = max_themes
        self.max_fit = max_fit
        self.n_representatives = n_representatives

    def fit(self, texts: Sequence[str], y: object = None) -> ThemeExtractor:
        """Find the themes of ``texts`` (any sequence of str); ``y`` is ignored."""
        texts = self._validate(texts)
        unique = sorted(set(texts))
        embedder = (
            clone(self.embedder, safe=False)
            if self.embedder is not None
            else LsaEmbedder(random_state=self.random_state)
        )
        fit_rows = sorted(sample_order(unique, self.random_state)[: self.max_fit])
        embedder.fit([unique[i] for i in fit_rows])
        vectors = embedder.transform(unique)
        placed = _nonzero(vectors[fit_rows])
        k_scores = {} if self.n_themes is not None else self._k_scores(placed)
        k = self.n_themes if self.n_themes is not None else _smallest_good_k(k_scores)
        centres = self._cluster(placed, k)
        nearest, confidence = _nearest(vectors, centres, self.min_confidence)
        # themes numbered by size, largest first, so ids do not depend on k-means' arbitrary order
        index = {text: i for i, text in enumerate(unique)}
        rows = np.array([index[t] for t in texts])
        sizes = np.bincount(nearest[rows][nearest[rows] >= 0], minlength=len(centres))
        order = [c for c in sorted(range(len(centres)), key=lambda c: (-sizes[c], c)) if sizes[c] > 0]
        renumber = np.full(len(centres) + 1, OTHER)
        renumber[order] = np.arange(len(order))
        theme_of_unique = renumber[nearest]  # OTHER (-1) indexes the last slot, which stays OTHER
        self._embedder = embedder
        self._centres = centres[order]
        self.labels_ = theme_of_unique[rows]
        self.confidences_ = np.clip(confidence[rows], 0.0, 1.0).astype(np.float64)
        self.k_scores_ = k_scores
        self.n_themes_ = len(order)
        self.themes_, self.parents_ = self._describe(texts, unique, theme_of_unique, vectors)
        return self

    def predict(self, texts: Sequence[str]) -> np.ndarray[Any, Any]:
        """The theme id of each text (-1 for "Other"), by the themes learned in ``fit``."""
        self._check_fitted("labels_")
        texts = self._validate(texts)
        if not texts:
            return np.array([], dtype=int)
        return _nearest(self._embedder.transform(texts), self._centres, self.min_confidence)[0]

    def quotes(self, posts: Sequence[Post]) -> dict[int, tuple[Quote, ...]]:
        """Each theme's quotes: exact passages of its representatives, with post id and permalink.

        ``posts[i]`` must be the post whose text was ``texts[i]`` in ``fit``.
        """
        self._check_fitted("themes_")
        if len(posts) != len(self.labels_):
            raise ModelValidationError(type(self).__name__, "posts", len(posts), "expected one post per text")
        found = {theme.id: (quote_of(posts[i]) for i in theme.representatives) for theme in self.themes_}
        return {theme: tuple(q for q in quotes if q is not None) for theme, quotes in found.items()}

    def _validate(self, texts: Sequence[str]) -> list[str]:
        name = type(self).__name__
        if isinstance(texts, str) or not all(isinstance(t, str) for t in texts):
            raise ModelValidationError(name, "texts", texts, "expected a sequence of str")
        if self.n_themes is not None and (
            not isinstance(self.n_themes, int) or isinstance(self.n_themes, bool) or self.n_themes < 1
        ):
            raise ModelValidationError(name, "n_themes", self.n_themes, "expected None or an integer >= 1")
        if not isinstance(self.min_confidence, (int, float)) or not 0 <= self.min_confidence < 1:
            raise ModelValidationError(
                name, "min_confidence", self.min_confidence, "expected a number in [0, 1)"
            )
        for param in ("max_themes", "max_fit", "n_representatives"):
            value = getattr(self, param)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ModelValidationError(name, param, value, "expected an integer >= 1")
        return list(texts)

    def _k_scores(self, placed: np.ndarray[Any, Any]) -> dict[int, float]:
        """Silhouette (cosine) of k-means on a sample, for k on a geometric grid."""
        rng = np.random.default_rng(self.random_state)
        sample = placed[rng.permutation(len(placed))[:_SELECTION_SAMPLE]]
        distinct = len(np.unique(sample.round(5), axis=0))
        top = min(self.max_themes, max(2, round(math.sqrt(len(placed) / 2))), distinct - 1)
        scores: dict[int, float] = {}
        for k in sorted({round(x) for x in np.geomspace(2, max(top, 2), 12)}):
            if k > top:
                break
            labels = KMeans(k, random_state=self.random_state, n_init=2).fit_predict(sample)
            scores[k] = float(silhouette_score(sample, labels, metric="cosine"))
        return scores

    def _cluster(self, placed: np.ndarray[Any, Any], k: int) -> np.ndarray[Any, Any]:
        """Unit-length centres of spherical k-means (k-means on unit rows, centres re-normalised)."""
        distinct = len(np.unique(placed.round(5), axis=0)) if len(placed) else 0
        k = min(k, distinct)
        if k == 0:
            return np.zeros((0, placed.shape[1] if placed.ndim == 2 else 1), dtype=np.float32)
        model = KMeans(k, random_state=self.random_state, n_init=10).fit(placed)  # 10 starts: stabler
        centres: np.ndarray[Any, Any] = normalize(model.cluster_centers_).astype(np.float32)
        return centres

    def _describe(
        self,
        texts: Sequence[str],
        unique: Sequence[str],
        theme_of_unique: np.ndarray[Any, Any],
        vectors: np.ndarray[Any, Any],
    ) -> tuple[tuple[Theme, ...], tuple[Theme, ...]]:
        """The `Theme` of each id, the "Other" theme last, and the parent themes."""
        total = len(texts)
        sizes = np.bincount(self.labels_ + 1, minlength=self.n_themes_ + 1)
        label_rows = sorted(sample_order(unique, self.random_state)[:_LABEL_SAMPLE])
        named = label_themes([unique[i] for i in label_rows], [int(theme_of_unique[i]) for i in label_rows])
        first_at: dict[str, int] = {}
        for position, text in enumerate(texts):
            first_at.setdefault(text, position)
        parent_of, parents = self._parents(total, sizes, unique, theme_of_unique, label_rows)
        themes = []
        for theme in range(self.n_themes_):
            label, keywords = named.get(theme, ("Miscellaneous", ()))
            members = self.labels_ == theme
            themes.append(
                Theme(
                    id=theme,
                    label=label,
                    keywords=keywords,
                    size=int(sizes[theme + 1]),
                    share=float(sizes[theme + 1] / total),
                    representatives=self._representatives(theme, unique, theme_of_unique, vectors, first_at),
                    confidence=round(float(self.confidences_[members].mean()), 4),
                    parent=parent_of.get(theme),
                    description=describe_keywords(keywords),
                )
            )
        themes.append(
            Theme(
                id=OTHER,
                label="Other",
                size=int(sizes[0]),
                share=float(sizes[0] / total) if total else 0.0,
                description="Responses that fit no theme with confidence: counted here, never dropped.",
            )
        )
        return tuple(themes), parents

    def _representatives(
        self,
        theme: int,
        unique: Sequence[str],
        theme_of_unique: np.ndarray[Any, Any],
        vectors: np.ndarray[Any, Any],
        first_at: dict[str, int],
    ) -> tuple[int, ...]:
        """Central, mutually different members that hold a quotable passage (maximal marginal relevance)."""
        members = np.flatnonzero(theme_of_unique == theme)
        centrality = vectors[members] @ self._centres[theme]
        pool = [int(members[i]) for i in np.argsort(-centrality, kind="stable")[:_POOL]]
        pool = [i for i in pool if quote_span(unique[i]) is not None]
        chosen: list[int] = []
        keys: set[str] = set()
        while pool and len(chosen) < self.n_representatives:
            redundancy = (vectors[pool] @ vectors[chosen].T).max(axis=1) if chosen else np.zeros(len(pool))
            gain = vectors[pool] @ self._centres[theme] - 0.5 * redundancy
            best = pool.pop(int(np.argmax(gain)))
            key = match_key(unique[best])
            if key not in keys:
                keys.add(key)
                chosen.append(best)
        return tuple(first_at[unique[i]] for i in chosen)

    def _parents(
        self,
        total: int,
        sizes: np.ndarray[Any, Any],
        unique: Sequence[str],
        theme_of_unique: np.ndarray[Any, Any],
        label_rows: Sequence[int],
    ) -> tuple[dict[int, int], tuple[Theme, ...]]:
        """Broader themes: Ward-linkage groups of the theme centres, about sqrt(k) of them, from k = 6."""
        k = self.n_themes_
        if k < 6:
            return {}, ()
        groups = AgglomerativeClustering(n_clusters=round(math.sqrt(k)), linkage="ward").fit_predict(
            self._centres
        )
        shared = [
            g for g in sorted(set(groups), key=lambda g: list(groups).index(g)) if (groups == g).sum() > 1
        ]
        parent_id = {g: k + i for i, g in enumerate(shared)}
        parent_of = {theme: parent_id[g] for theme, g in enumerate(groups) if g in parent_id}
        rows = [i for i in label_rows if theme_of_unique[i] in parent_of]
        named = label_themes([unique[i] for i in rows], [parent_of[int(theme_of_unique[i])] for i in rows])
        parents = []
        for pid in parent_id.values():
            children = [theme for theme, p in parent_of.items() if p == pid]
            size = int(sum(sizes[c + 1] for c in children))
            label, keywords = named.get(pid, ("Miscellaneous", ()))
            parents.append(
                Theme(
                    id=pid,
                    label=label,
                    keywords=keywords,
                    size=size,
                    share=size / total,
                    description=describe_keywords(keywords),
                )
            )
        return parent_of, tuple(parents)


def _nearest(
    vectors: np.ndarray[Any, Any], centres: np.ndarray[Any, Any], min_confidence: float
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """The nearest centre of each row and its cosine similarity; ``OTHER`` below ``min_confidence``."""
    if len(centres) == 0:
        return np.full(len(vectors), OTHER), np.zeros(len(vectors))
    similarity = vectors @ centres.T
    nearest = similarity.argmax(axis=1)
    confidence = similarity[np.arange(len(vectors)), nearest]
    nearest[confidence < min_confidence] = OTHER
    return nearest, confidence


def _nonzero(vectors: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """The rows that an embedder could place (a text with no known word is a row of zeros)."""
    placed: np.ndarray[Any, Any] = vectors[np.linalg.norm(vectors, axis=1) > 0]
    return placed


def _smallest_good_k(scores: dict[int, float]) -> int:
    """The smallest k whose silhouette is within 5% of the best (1 when no k could be scored)."""
    if not scores:
        return 1
    best = max(scores.values())
    return min(k for k, score in scores.items() if score >= best - 0.05 * abs(best))
