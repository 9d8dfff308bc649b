"""The arithmetic of the Pol.is method, as pure functions over a sparse votes matrix.

Follows compdemocracy/polis ``math/src/polismath/math`` (conversation.clj, pca.clj, clusters.clj, repness.clj,
stats.clj). Votes are CSR rows of participants with a stored entry per vote: 1 agree, -1 disagree, 0 pass; an
entry that is not stored is a statement the participant has not seen.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.utils.extmath import randomized_svd

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: Pol.is tops up the participation filter with the heaviest voters until this many participants are in.
GREEDY_PARTICIPANTS = 15


def participating(counts: IntArray, n_statements: int, min_votes: int) -> BoolArray:
    """Who counts: at least ``min(min_votes, n_statements)`` votes, topped up to 15 by the heaviest voters."""
    mask: BoolArray = counts >= min(min_votes, n_statements)
    missing = GREEDY_PARTICIPANTS - int(mask.sum())
    if missing > 0:
        candidates = np.flatnonzero(~mask & (counts > 0))
        heaviest = candidates[np.argsort(-counts[candidates], kind="stable")][:missing]
        mask[heaviest] = True
    return mask


def project(
    votes: sp.csr_array, excluded: BoolArray, random_state: int
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Mean-impute, centre, take 2 principal components, and project each participant sparsity-aware.

    Returns the projection (participants x 2), the components (2 x statements) and the column means. Excluded
    (moderated-out) statements are zeroed for everyone, as Pol.is does: they carry no variance but count as
    seen in the scaling ``sqrt(n_statements / n_votes)`` that pushes light voters out from the centre.
    """
    n_rows, n_cols = votes.shape
    columns = votes.indices
    kept = ~excluded[columns]
    seen = np.bincount(columns[kept], minlength=n_cols)
    sums = np.bincount(columns[kept], weights=votes.data[kept], minlength=n_cols)
    mean = np.divide(sums, seen, out=np.zeros(n_cols), where=seen > 0)
    centred = sp.csr_array(
        (np.where(kept, votes.data - mean[columns], 0.0), columns, votes.indptr), shape=votes.shape
    )
    n_components = min(2, n_rows, n_cols)
    components = np.zeros((2, n_cols))
    if n_components and centred.nnz:
        _, _, vt = randomized_svd(centred, n_components, random_state=random_state)
        components[:n_components] = vt
    running = np.concatenate(([0], np.cumsum(kept, dtype=np.int64)))
    n_votes = running[votes.indptr[1:]] - running[votes.indptr[:-1]] + int(excluded.sum())
    scale = np.sqrt(n_cols / np.maximum(n_votes, 1))
    projection = np.asarray(centred @ components.T) * scale[:, None]
    return projection, components, mean


def _canonical(points: FloatArray) -> IntArray:
    """An order of the points that does not depend on the order they came in."""
    return np.lexsort((points[:, 1], points[:, 0])).astype(np.int64)


def base_clusters(points: FloatArray, n_clusters: int, random_state: int) -> tuple[IntArray, FloatArray]:
    """k-means into at most ``n_clusters`` base clusters; labels per point and centres, in canonical order."""
    order = _canonical(points)
    k = min(n_clusters, len(np.unique(points, axis=0)))
    model = KMeans(n_clusters=k, init="k-means++", n_init=1, random_state=random_state).fit(points[order])
    used, labels = np.unique(model.labels_, return_inverse=True)
    centres = model.cluster_centers_[used]
    relabel = np.empty(len(centres), dtype=np.int64)
    relabel[_canonical(centres)] = np.arange(len(centres))
    result = np.empty(len(points), dtype=np.int64)
    result[order] = relabel[labels]
    return result, centres[_canonical(centres)]


def group_clusters(
    centres: FloatArray, weights: FloatArray, max_groups: int, random_state: int
) -> tuple[IntArray, dict[int, float]]:
    """Weighted k-means over base-cluster centres for k in 2..max; keep the k with the best silhouette.

    As Pol.is: the largest k tried is ``min(max_groups, 2 + n_base // 12)``, and the silhouette is the plain
    mean over base-cluster centres. Returns the group of each base cluster and the silhouette of each k.
    """
    n_base = len(centres)
    largest = min(max_groups, 2 + n_base // 12, n_base - 1)
    labels: dict[int, IntArray] = {}
    scores: dict[int, float] = {}
    for k in range(2, largest + 1):
        model = KMeans(n_clusters=k, n_init=10, random_state=random_state)
        found = model.fit(centres, sample_weight=weights).labels_.astype(np.int64)
        if len(np.unique(found)) > 1:
            labels[k], scores[k] = found, float(silhouette_score(centres, found))
    if not scores:
        return np.zeros(n_base, dtype=np.int64), scores
    return labels[max(scores, key=lambda k: (scores[k], -k))], scores


def vote_counts(votes: sp.csr_array, groups: IntArray, n_groups: int) -> tuple[FloatArray, ...]:
    """Agrees, disagrees and votes seen per group and statement (rows with group -1 are left out)."""
    n_cols = votes.shape[1]
    row_group = np.repeat(groups.astype(np.int32), np.diff(votes.indptr))
    placed = row_group >= 0
    key = row_group[placed] * np.int64(n_cols) + votes.indices[placed]
    data = votes.data[placed]
    size = n_groups * n_cols
    return tuple(
        np.bincount(key, weights=None if value is None else (data == value), minlength=size)
        .astype(np.float64)
        .reshape(n_groups, n_cols)
        for value in (1.0, -1.0, None)
    )


def prop_test(successes: Any, trials: Any) -> Any:
    """Pol.is's one-proportion z-score against 1/2, with a +1 prior on both counts."""
    successes, trials = np.asarray(successes) + 1.0, np.asarray(trials) + 1.0
    return 2.0 * np.sqrt(trials) * (successes / trials - 0.5)


def two_prop_test(succ_in: Any, succ_out: Any, pop_in: Any, pop_out: Any) -> Any:
    """Pol.is's two-proportion z-score (inside the group versus the rest), with a +1 prior on every count."""
    succ_in, succ_out = np.asarray(succ_in) + 1.0, np.asarray(succ_out) + 1.0
    pop_in, pop_out = np.asarray(pop_in) + 1.0, np.asarray(pop_out) + 1.0
    with np.errstate(divide="ignore", invalid="ignore"):  # pooled == 1 divides by zero; Pol.is answers 0
        pooled = (succ_in + succ_out) / (pop_in + pop_out)
        spread = np.sqrt(pooled * (1.0 - pooled) * (1.0 / pop_in + 1.0 / pop_out))
        z = (succ_in / pop_in - succ_out / pop_out) / spread
    return np.where(pooled >= 1.0, 0.0, z)
