"""Opinion groups, what each stands for, and what has consensus across them: the Pol.is method on votes.

``OpinionGroups().fit(votes)`` takes participants x statements (1 agree, -1 disagree, 0 pass, NaN unseen;
dense or scipy.sparse, where an entry that is not stored is unseen and a stored 0 is a pass) and reproduces
Pol.is: the participation filter, PCA with sparsity-aware scaling, base clusters then groups by silhouette,
the representativeness statistics and selection, and consensus. The arithmetic lives in ``_polis_math``.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from statistics import NormalDist
from typing import Any, Literal

import attrs
import numpy as np
import scipy.sparse as sp

from .._exceptions import CoverageWarning, ModelValidationError, NotFittedError
from . import _polis_math as pm
from ._polis_math import BoolArray, FloatArray, IntArray

__all__ = ["Consensus", "ConsensusStatement", "Crux", "OpinionGroups", "Repness", "RepresentativeStatement"]

Direction = Literal["agree", "disagree"]


@attrs.frozen(kw_only=True)
class RepresentativeStatement:
    """A statement that sets a group apart, with the Pol.is statistics behind the choice."""

    group: int
    statement: int  #: column index in the votes matrix
    direction: Direction  #: whether the group agrees or disagrees more than the rest
    n_success: int  #: agrees (or disagrees) in the group
    n_trials: int  #: votes in the group, passes included
    p_success: float  #: (n_success + 1) / (n_trials + 2)
    p_test: float  #: z-score of p_success against 1/2
    repness: float  #: p_success divided by the same for everyone outside the group
    repness_test: float  #: z-score of the group versus the rest
    best_agree: bool = False  #: Pol.is's pick of what the group most agrees on, shown first


@attrs.frozen(kw_only=True)
class ConsensusStatement:
    """A statement most participants agree (or disagree) with, significantly."""

    statement: int
    direction: Direction
    n_success: int
    n_trials: int
    p_success: float
    p_test: float


@attrs.frozen(kw_only=True)
class Crux:
    """A divisive statement: a significant majority of one group agrees, of another disagrees."""

    statement: int
    agree_groups: tuple[int, ...]
    disagree_groups: tuple[int, ...]
    score: float  #: highest agree share + highest disagree share - 1, in (0, 1]


@attrs.frozen(kw_only=True, eq=False)
class Repness:
    """Per group (rows) and statement (columns): counts, Laplace-smoothed shares, ratios and z-tests."""

    n_agree: FloatArray
    n_disagree: FloatArray
    n_seen: FloatArray
    p_agree: FloatArray  #: (agrees + 1) / (seen + 2)
    p_disagree: FloatArray
    p_agree_test: FloatArray
    p_disagree_test: FloatArray
    r_agree: FloatArray  #: p_agree in the group / p_agree outside it
    r_disagree: FloatArray
    r_agree_test: FloatArray
    r_disagree_test: FloatArray
    top: tuple[tuple[RepresentativeStatement, ...], ...]  #: per group, as Pol.is ranks them


@attrs.frozen(kw_only=True, eq=False)
class Consensus:
    """What has support across the conversation and across groups."""

    agree: tuple[ConsensusStatement, ...]  #: Pol.is's consensus, over all participants
    disagree: tuple[ConsensusStatement, ...]
    group_informed_agree: FloatArray  #: product over groups of (agrees + 1) / (seen + 2)
    group_informed_disagree: FloatArray
    every_group_majority: tuple[int, ...]  #: a majority agrees in every group; best first


class OpinionGroups:
    """Find opinion groups in agree/disagree/pass votes the way Pol.is does.

    Hyper-parameters are stored untouched and checked in `fit`. After `fit`: ``labels_`` (group per
    participant, -1 for those the participation filter leaves out), ``projection_`` (participants x 2),
    ``components_``, ``mean_``, ``n_groups_``, ``silhouettes_`` (k -> score), ``repness_``, ``consensus_``
    and ``cruxes_``.
    """

    def __init__(
        self,
        *,
        min_votes: int = 7,
        n_base_clusters: int = 100,
        max_groups: int = 5,
        n_representative: int = 5,
        confidence: float = 0.90,
        random_state: int = 0,
    ) -> None:
        self.min_votes = min_votes
        self.n_base_clusters = n_base_clusters
        self.max_groups = max_groups
        self.n_representative = n_representative
        self.confidence = confidence
        self.random_state = random_state

    def fit(self, votes: Any, *, excluded: Sequence[int] = ()) -> OpinionGroups:
        """Fit to ``votes`` (participants x statements). ``excluded`` lists moderated-out statements: Pol.is
        zeroes them before the PCA and never shows them as representative, consensus or crux."""
        self._check_params()
        matrix = _as_votes(votes)
        _n_rows, n_cols = matrix.shape
        mask = np.zeros(n_cols, dtype=bool)
        bad = [i for i in excluded if not 0 <= int(i) < n_cols]
        if bad:
            raise ModelValidationError("OpinionGroups", "excluded", bad, f"must be column indices < {n_cols}")
        mask[list(excluded)] = True
        self.projection_, self.components_, self.mean_ = pm.project(matrix, mask, self.random_state)
        counts = np.diff(matrix.indptr).astype(np.int64)
        self.labels_ = self._cluster(pm.participating(counts, n_cols, self.min_votes))
        self.n_groups_ = int(self.labels_.max()) + 1 if (self.labels_ >= 0).any() else 0
        z = NormalDist().inv_cdf(self.confidence)
        self.repness_ = _repness(matrix, self.labels_, self.n_groups_, mask, z=z, top=self.n_representative)
        self.consensus_ = _consensus(matrix, self.repness_, mask, z, self.n_representative)
        self.cruxes_ = _cruxes(self.repness_, mask, z)
        return self

    def describe(self, texts: Sequence[str]) -> dict[str, Any]:
        """The groups, their representative statements (verbatim), consensus and cruxes, ready for JSON."""
        if not hasattr(self, "labels_"):
            raise NotFittedError(type(self).__name__)
        if len(texts) != self.components_.shape[1]:
            raise ModelValidationError(
                "OpinionGroups",
                "texts",
                len(texts),
                f"needs one text per statement ({self.components_.shape[1]})",
            )
        sizes = np.bincount(self.labels_[self.labels_ >= 0], minlength=self.n_groups_)
        consensus = self.consensus_
        return {
            "participants": len(self.labels_),
            "grouped": int(sizes.sum()),
            "groups": [
                {
                    "group": g,
                    "size": int(sizes[g]),
                    "representative": [_described(s, texts) for s in self.repness_.top[g]],
                }
                for g in range(self.n_groups_)
            ],
            "consensus": {
                "agree": [_described(s, texts) for s in consensus.agree],
                "disagree": [_described(s, texts) for s in consensus.disagree],
                "every_group_majority": [
                    {
                        "statement": j,
                        "text": texts[j],
                        "group_informed_consensus": float(consensus.group_informed_agree[j]),
                    }
                    for j in consensus.every_group_majority
                ],
            },
            "cruxes": [_described(c, texts) for c in self.cruxes_],
        }

    def _check_params(self) -> None:
        for name in ("min_votes", "n_base_clusters", "max_groups", "n_representative"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ModelValidationError("OpinionGroups", name, value, "must be a positive integer")
        if self.max_groups < 2:
            raise ModelValidationError("OpinionGroups", "max_groups", self.max_groups, "must be at least 2")
        if not 0.5 < self.confidence < 1:
            raise ModelValidationError("OpinionGroups", "confidence", self.confidence, "must be in (0.5, 1)")

    def _cluster(self, participating: BoolArray) -> IntArray:
        labels = np.full(len(participating), -1, dtype=np.int64)
        self.silhouettes_: dict[int, float] = {}
        points = self.projection_[participating]
        if len(points) == 0:
            return labels
        base, centres = pm.base_clusters(points, self.n_base_clusters, self.random_state)
        weights = np.bincount(base, minlength=len(centres)).astype(np.float64)
        groups, self.silhouettes_ = pm.group_clusters(centres, weights, self.max_groups, self.random_state)
        if not self.silhouettes_:
            warnings.warn(
                f"only {len(points)} participants could be placed, too few to split into opinion groups; "
                "all are in group 0",
                CoverageWarning,
                stacklevel=3,
            )
        member = groups[base]
        # Number groups by size, largest first; ties by position, so the order never depends on input order.
        found = np.unique(member)
        size = np.array([np.sum(member == g) for g in found])
        centre = np.array([points[member == g].mean(axis=0) for g in found])
        order = np.lexsort((centre[:, 1], centre[:, 0], -size))
        rank = np.empty(len(found), dtype=np.int64)
        rank[order] = np.arange(len(found))
        labels[participating] = rank[np.searchsorted(found, member)]
        return labels


def _as_votes(votes: Any) -> sp.csr_array:
    """A CSR array of stored votes; NaN (dense or stored) means unseen."""
    if sp.issparse(votes):
        matrix = sp.csr_array(votes, dtype=np.float64)
        if not matrix.has_canonical_format:  # never change the caller's matrix in place
            matrix = matrix.copy()
            matrix.sum_duplicates()
        unseen = np.isnan(matrix.data)
        if unseen.any():  # a stored NaN is unseen: drop it, but keep stored zeros, which are passes
            rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
            keep = ~unseen
            matrix = sp.csr_array((matrix.data[keep], (rows[keep], matrix.indices[keep])), shape=matrix.shape)
    else:
        try:
            dense = np.asarray(votes, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise ModelValidationError("OpinionGroups", "votes", votes, "must be a numeric matrix") from exc
        if dense.ndim != 2:
            raise ModelValidationError("OpinionGroups", "votes", dense.shape, "must be 2-dimensional")
        rows, cols = np.nonzero(~np.isnan(dense))
        matrix = sp.csr_array((dense[rows, cols], (rows, cols)), shape=dense.shape)
    if 0 in matrix.shape:
        raise ModelValidationError(
            "OpinionGroups", "votes", matrix.shape, "needs participants and statements"
        )
    if not np.isin(matrix.data, (-1.0, 0.0, 1.0)).all():
        odd = matrix.data[~np.isin(matrix.data, (-1.0, 0.0, 1.0))][:3].tolist()
        raise ModelValidationError("OpinionGroups", "votes", odd, "votes must be 1, -1, 0 or NaN")
    return matrix


def _repness(
    votes: sp.csr_array, labels: IntArray, n_groups: int, excluded: BoolArray, *, z: float, top: int
) -> Repness:
    na, nd, ns = pm.vote_counts(votes, labels, n_groups)
    rest = [total - counts for counts, total in ((na, na.sum(0)), (nd, nd.sum(0)), (ns, ns.sum(0)))]
    pa, pd = (na + 1) / (ns + 2), (nd + 1) / (ns + 2)
    repness = Repness(
        n_agree=na,
        n_disagree=nd,
        n_seen=ns,
        p_agree=pa,
        p_disagree=pd,
        p_agree_test=pm.prop_test(na, ns),
        p_disagree_test=pm.prop_test(nd, ns),
        r_agree=pa / ((rest[0] + 1) / (rest[2] + 2)),
        r_disagree=pd / ((rest[1] + 1) / (rest[2] + 2)),
        r_agree_test=pm.two_prop_test(na, rest[0], ns, rest[2]),
        r_disagree_test=pm.two_prop_test(nd, rest[1], ns, rest[2]),
        top=(),
    )
    return attrs.evolve(repness, top=tuple(_select(repness, g, excluded, z, top) for g in range(n_groups)))


def _stat(r: Repness, g: int, j: int, best_agree: bool = False) -> RepresentativeStatement:
    """Pol.is's finalize-cmt-stats: report the direction with the stronger group-versus-rest test."""
    agree = bool(r.r_agree_test[g, j] > r.r_disagree_test[g, j])
    n, p, pt, ratio, rt = (
        (r.n_agree, r.p_agree, r.p_agree_test, r.r_agree, r.r_agree_test)
        if agree
        else (r.n_disagree, r.p_disagree, r.p_disagree_test, r.r_disagree, r.r_disagree_test)
    )
    return RepresentativeStatement(
        group=g,
        statement=j,
        direction="agree" if agree else "disagree",
        n_success=int(n[g, j]),
        n_trials=int(r.n_seen[g, j]),
        p_success=float(p[g, j]),
        p_test=float(pt[g, j]),
        repness=float(ratio[g, j]),
        repness_test=float(rt[g, j]),
        best_agree=best_agree,
    )


def _beats_best_agree(r: Repness, g: int, j: int, best: int | None, z: float) -> bool:
    """Pol.is's beats-best-agr?: the statement the group most clearly agrees with."""
    if r.n_agree[g, j] == 0 and r.n_disagree[g, j] == 0:
        return False
    agree = r.p_agree[g] * r.p_agree_test[g]
    if best is not None and r.r_agree[g, best] > 1.0:
        strength = r.r_agree[g] * r.r_agree_test[g] * agree
        return bool(strength[j] > strength[best])
    if best is not None:
        return bool(agree[j] > agree[best])
    return bool(r.p_agree_test[g, j] > z or (r.r_agree[g, j] > 1.0 and r.p_agree[g, j] > 0.5))


def _select(
    r: Repness, g: int, excluded: BoolArray, z: float, top: int
) -> tuple[RepresentativeStatement, ...]:
    """Pol.is's select-rep-comments for one group."""
    sufficient: list[RepresentativeStatement] = []
    best: RepresentativeStatement | None = None
    best_agree: int | None = None
    for j in np.flatnonzero(~excluded).tolist():
        agrees = r.r_agree_test[g, j] > z and r.p_agree_test[g, j] > z
        disagrees = r.r_disagree_test[g, j] > z and r.p_disagree_test[g, j] > z
        if agrees or disagrees:
            sufficient.append(_stat(r, g, j))
        test = max(r.r_agree_test[g, j], r.r_disagree_test[g, j])
        if not sufficient and (best is None or test > best.repness_test):
            best = _stat(r, g, j)
        if _beats_best_agree(r, g, j, best_agree, z):
            best_agree = j
    head = [_stat(r, g, best_agree, best_agree=True)] if best_agree is not None else []
    if not sufficient:
        return tuple(head or ([best] if best else []))
    ranked = sorted(
        (s for s in sufficient if s.statement != best_agree),
        key=lambda s: -(s.repness * s.repness_test * s.p_success * s.p_test),
    )
    chosen = (head + ranked)[:top]
    return tuple(sorted(chosen, key=lambda s: s.direction != "agree"))


def _consensus(votes: sp.csr_array, r: Repness, excluded: BoolArray, z: float, top: int) -> Consensus:
    everyone = np.zeros(votes.shape[0], dtype=np.int64)
    na, nd, ns = (c[0] for c in pm.vote_counts(votes, everyone, 1))

    def pick(direction: Direction, n: FloatArray) -> tuple[ConsensusStatement, ...]:
        p, pt = (n + 1) / (ns + 2), pm.prop_test(n, ns)
        ok = np.flatnonzero((p > 0.5) & (pt > z) & ~excluded)
        ranked = ok[np.argsort(-(p * pt)[ok], kind="stable")][:top]
        return tuple(
            ConsensusStatement(
                statement=int(j),
                direction=direction,
                n_success=int(n[j]),
                n_trials=int(ns[j]),
                p_success=float(p[j]),
                p_test=float(pt[j]),
            )
            for j in ranked
        )

    gac_agree = np.prod(r.p_agree, axis=0)
    majority = (
        np.flatnonzero((r.p_agree > 0.5).all(axis=0) & ~excluded)
        if len(r.p_agree)
        else np.array([], dtype=np.int64)
    )
    return Consensus(
        agree=pick("agree", na),
        disagree=pick("disagree", nd),
        group_informed_agree=gac_agree,
        group_informed_disagree=np.prod(r.p_disagree, axis=0),
        every_group_majority=tuple(int(j) for j in majority[np.argsort(-gac_agree[majority], kind="stable")]),
    )


def _cruxes(r: Repness, excluded: BoolArray, z: float) -> tuple[Crux, ...]:
    agree = (r.p_agree > 0.5) & (r.p_agree_test > z)
    disagree = (r.p_disagree > 0.5) & (r.p_disagree_test > z)
    found = [
        Crux(
            statement=j,
            agree_groups=tuple(np.flatnonzero(agree[:, j]).tolist()),
            disagree_groups=tuple(np.flatnonzero(disagree[:, j]).tolist()),
            score=float(r.p_agree[agree[:, j], j].max() + r.p_disagree[disagree[:, j], j].max() - 1.0),
        )
        for j in np.flatnonzero(agree.any(axis=0) & disagree.any(axis=0) & ~excluded).tolist()
    ]
    return tuple(sorted(found, key=lambda c: -c.score))


def _described(
    item: RepresentativeStatement | ConsensusStatement | Crux, texts: Sequence[str]
) -> dict[str, Any]:
    record = attrs.asdict(item)
    record["text"] = texts[item.statement]
    return record
