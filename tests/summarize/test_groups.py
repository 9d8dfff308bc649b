"""OpinionGroups: known groups, Pol.is statistics, invariances, validation, and agreement with Pol.is."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import adjusted_rand_score

import consultkit as ck
from consultkit.summarize import _polis_math as pm


def make_votes(
    sizes: tuple[int, ...], n_statements: int = 12, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Groups with opposite views on blocks of statements, a last statement everyone agrees with, 10% noise
    and up to 3 unseen statements per participant. Returns votes and the true group of each participant."""
    rng = np.random.default_rng(seed)
    truth = np.repeat(np.arange(len(sizes)), sizes)
    stance = np.where(
        np.arange(n_statements - 1)[None, :] % len(sizes) == np.arange(len(sizes))[:, None], 1, -1
    )
    votes = stance[truth].astype(float)
    flip = rng.random(votes.shape) < 0.1
    votes[flip] = -votes[flip]
    votes = np.column_stack([votes, np.ones(len(truth))])
    for row, n_unseen in enumerate(rng.integers(0, 4, size=len(truth))):
        votes[row, rng.choice(n_statements, size=n_unseen, replace=False)] = np.nan
    return votes, truth


def test_two_known_groups_are_found() -> None:
    votes, truth = make_votes((30, 20))
    groups = ck.OpinionGroups().fit(votes)
    assert groups.n_groups_ == 2
    assert adjusted_rand_score(truth, groups.labels_) == 1.0
    assert np.bincount(groups.labels_).tolist() == [30, 20]  # largest group first
    assert groups.projection_.shape == (50, 2)


def test_three_known_groups_are_found() -> None:
    votes, truth = make_votes((25, 20, 15), n_statements=13)
    groups = ck.OpinionGroups().fit(votes)
    assert groups.n_groups_ == 3
    assert adjusted_rand_score(truth, groups.labels_) > 0.85  # a few noisy voters sit between groups
    assert set(groups.silhouettes_) == {2, 3, 4, 5}
    assert max(groups.silhouettes_, key=groups.silhouettes_.__getitem__) == 3


def test_representative_statements_and_consensus() -> None:
    votes, _ = make_votes((30, 20))
    groups = ck.OpinionGroups().fit(votes)
    last = votes.shape[1] - 1
    for g, top in enumerate(groups.repness_.top):
        assert 1 <= len(top) <= 5
        assert all(s.group == g and s.statement != last for s in top)
        directions = [s.direction for s in top]
        assert directions == sorted(directions, key=lambda d: d != "agree")  # agrees before disagrees
        first = top[0]
        assert first.best_agree
        assert first.direction == "agree"
    # Group 0 (the larger) agrees with the even statements, group 1 with the odd ones.
    assert {s.statement % 2 for s in groups.repness_.top[0] if s.direction == "agree"} == {0}
    assert {s.statement % 2 for s in groups.repness_.top[1] if s.direction == "agree"} == {1}
    assert groups.consensus_.agree[0].statement == last
    assert groups.consensus_.every_group_majority == (last,)
    crux_statements = {c.statement for c in groups.cruxes_}
    assert last not in crux_statements
    assert len(crux_statements) >= 8
    assert all(c.agree_groups and c.disagree_groups and 0 < c.score <= 1 for c in groups.cruxes_)


def test_statistics_follow_the_pol_is_formulas() -> None:
    votes, _ = make_votes((30, 20))
    groups = ck.OpinionGroups().fit(votes)
    r = groups.repness_
    labels = groups.labels_
    j = 3
    inside = votes[labels == 0, j]
    na, ns = np.sum(inside == 1), np.sum(~np.isnan(inside))
    assert r.n_agree[0, j] == na
    assert r.n_seen[0, j] == ns
    assert r.p_agree[0, j] == pytest.approx((na + 1) / (ns + 2))
    assert r.p_agree_test[0, j] == pytest.approx(2 * np.sqrt(ns + 1) * ((na + 1) / (ns + 1) - 0.5))
    outside = votes[labels == 1, j]
    na_out, ns_out = np.sum(outside == 1), np.sum(~np.isnan(outside))
    assert r.r_agree[0, j] == pytest.approx(((na + 1) / (ns + 2)) / ((na_out + 1) / (ns_out + 2)))
    p1, p2 = (na + 1) / (ns + 1), (na_out + 1) / (ns_out + 1)
    pooled = (na + na_out + 2) / (ns + ns_out + 2)
    z = (p1 - p2) / np.sqrt(pooled * (1 - pooled) * (1 / (ns + 1) + 1 / (ns_out + 1)))
    assert r.r_agree_test[0, j] == pytest.approx(z)
    gac = np.prod((r.n_agree + 1) / (r.n_seen + 2), axis=0)
    np.testing.assert_allclose(groups.consensus_.group_informed_agree, gac)


def test_two_prop_test_is_zero_when_everyone_succeeds() -> None:
    assert pm.two_prop_test(5, 3, 5, 3) == 0.0


def test_participation_filter_and_greedy_top_up() -> None:
    votes, _ = make_votes((30, 20))
    votes[0, 4:] = np.nan  # participant 0 has at most 4 votes: below min(7, 12)
    groups = ck.OpinionGroups().fit(votes)
    assert groups.labels_[0] == -1
    assert (groups.labels_[1:] >= 0).all()
    counts = np.array([9, 9, 3, 2, 1, 0, 8] + [1] * 10)
    # 3 participants pass the filter; the heaviest other voters top it up to 15, non-voters never count.
    assert pm.participating(counts, 12, 7).sum() == 15
    assert not pm.participating(counts, 12, 7)[5]


def test_sparse_input_gives_the_same_result() -> None:
    votes, _ = make_votes((30, 20))
    rows, cols = np.nonzero(~np.isnan(votes))
    sparse = sp.csr_matrix((votes[rows, cols], (rows, cols)), shape=votes.shape)  # stored zeros are passes
    dense_fit = ck.OpinionGroups().fit(votes)
    sparse_fit = ck.OpinionGroups().fit(sparse)
    np.testing.assert_array_equal(dense_fit.labels_, sparse_fit.labels_)
    np.testing.assert_allclose(dense_fit.projection_, sparse_fit.projection_)
    assert dense_fit.repness_.top == sparse_fit.repness_.top


def test_excluded_statements_are_never_shown() -> None:
    votes, _ = make_votes((30, 20))
    last = votes.shape[1] - 1
    groups = ck.OpinionGroups().fit(votes, excluded=[0, last])
    shown = {s.statement for top in groups.repness_.top for s in top}
    shown |= {s.statement for s in groups.consensus_.agree + groups.consensus_.disagree}
    shown |= {c.statement for c in groups.cruxes_} | set(groups.consensus_.every_group_majority)
    assert not shown & {0, last}
    assert groups.n_groups_ == 2


def test_deterministic_for_a_seed() -> None:
    votes, _ = make_votes((30, 20, 12), n_statements=15, seed=3)
    a = ck.OpinionGroups(random_state=7).fit(votes)
    b = ck.OpinionGroups(random_state=7).fit(votes)
    np.testing.assert_array_equal(a.labels_, b.labels_)
    np.testing.assert_array_equal(a.projection_, b.projection_)
    assert a.repness_.top == b.repness_.top
    assert a.cruxes_ == b.cruxes_


@settings(max_examples=6, deadline=None)
@given(seed=st.integers(0, 2**16), sizes=st.sampled_from([(30, 20), (25, 20, 15)]))
def test_relabelling_participants_and_statements_permutes_results(seed: int, sizes: tuple[int, ...]) -> None:
    votes, _ = make_votes(sizes, n_statements=13, seed=seed)
    rng = np.random.default_rng(seed)
    rows, cols = rng.permutation(votes.shape[0]), rng.permutation(votes.shape[1])
    base = ck.OpinionGroups().fit(votes)
    by_participant = ck.OpinionGroups().fit(votes[rows])
    np.testing.assert_array_equal(by_participant.labels_, base.labels_[rows])
    np.testing.assert_allclose(np.abs(by_participant.projection_), np.abs(base.projection_[rows]), atol=1e-8)
    assert by_participant.repness_.top == base.repness_.top
    assert by_participant.cruxes_ == base.cruxes_
    by_statement = ck.OpinionGroups().fit(votes[:, cols])
    np.testing.assert_array_equal(by_statement.labels_, base.labels_)
    np.testing.assert_allclose(by_statement.repness_.r_agree_test, base.repness_.r_agree_test[:, cols])
    np.testing.assert_allclose(
        by_statement.consensus_.group_informed_agree, base.consensus_.group_informed_agree[cols]
    )
    # Unranked sets map through the permutation. (Pol.is's pick of the top statements breaks ties, and picks
    # its "best agree", in statement order, so that ranking is only as stable as the ids it is given.)
    assert {cols[c.statement] for c in by_statement.cruxes_} == {c.statement for c in base.cruxes_}
    majority = by_statement.consensus_.every_group_majority
    assert {cols[j] for j in majority} == set(base.consensus_.every_group_majority)


def test_describe_quotes_statements_verbatim() -> None:
    votes, _ = make_votes((30, 20))
    texts = [f"Statement number {j}, as written." for j in range(votes.shape[1])]
    report = ck.OpinionGroups().fit(votes).describe(texts)
    assert report["participants"] == report["grouped"] == 50
    assert [g["size"] for g in report["groups"]] == [30, 20]
    for item in report["groups"][0]["representative"] + report["cruxes"] + report["consensus"]["agree"]:
        assert item["text"] == texts[item["statement"]]
    assert report["consensus"]["every_group_majority"][0]["text"] == texts[-1]


def test_describe_before_fit_raises() -> None:
    with pytest.raises(ck.NotFittedError):
        ck.OpinionGroups().describe([])


def test_describe_needs_one_text_per_statement() -> None:
    votes, _ = make_votes((30, 20))
    with pytest.raises(ck.ModelValidationError, match="texts"):
        ck.OpinionGroups().fit(votes).describe(["only one"])


@pytest.mark.parametrize(
    ("votes", "match"),
    [
        (np.array([[1.0, 2.0]]), "1, -1, 0 or NaN"),
        (np.array([1.0, -1.0]), "2-dimensional"),
        (np.zeros((0, 3)), "participants and statements"),
        ([["yes", "no"]], "numeric"),
    ],
)
def test_bad_votes_are_rejected(votes: object, match: str) -> None:
    with pytest.raises(ck.ModelValidationError, match=match):
        ck.OpinionGroups().fit(votes)


@pytest.mark.parametrize(
    ("params", "field"),
    [({"min_votes": 0}, "min_votes"), ({"max_groups": 1}, "max_groups"), ({"confidence": 1.5}, "confidence")],
)
def test_bad_hyper_parameters_are_rejected_in_fit(params: dict[str, float], field: str) -> None:
    model = ck.OpinionGroups(**params)  # type: ignore[arg-type]
    assert getattr(model, field) == params[field]  # stored untouched
    with pytest.raises(ck.ModelValidationError, match=field):
        model.fit(np.ones((3, 3)))


def test_excluded_out_of_range_is_rejected() -> None:
    with pytest.raises(ck.ModelValidationError, match="excluded"):
        ck.OpinionGroups().fit(np.ones((3, 3)), excluded=[5])


def test_too_few_participants_make_one_group_with_a_warning() -> None:
    with pytest.warns(ck.CoverageWarning, match="too few"):
        groups = ck.OpinionGroups().fit(np.array([[1.0, -1.0], [1.0, -1.0], [1.0, -1.0]]))
    assert groups.labels_.tolist() == [0, 0, 0]
    assert groups.n_groups_ == 1
    assert groups.cruxes_ == ()


def test_nobody_voted_means_nobody_is_placed() -> None:
    groups = ck.OpinionGroups().fit(sp.csr_array((4, 3)))
    assert groups.labels_.tolist() == [-1] * 4
    assert groups.n_groups_ == 0
    assert groups.repness_.top == ()
    assert groups.consensus_.every_group_majority == ()


@pytest.mark.parametrize(
    ("conversation", "floor"), [("brexit-consensus", 0.8), ("canadian-electoral-reform", 0.9)]
)
def test_groups_agree_with_pol_is_on_real_conversations(shared_data, conversation: str, floor: float) -> None:  # type: ignore[no-untyped-def]
    export = ck.read_polis(shared_data("polis", conversation))
    with warnings.catch_warnings():
        groups = ck.OpinionGroups().fit(export.votes, excluded=export.excluded)
    theirs = np.array([-1 if g is None else g for g in export.group_ids])
    both = (theirs >= 0) & (groups.labels_ >= 0)
    assert both.sum() > 0.9 * (theirs >= 0).sum()
    assert adjusted_rand_score(theirs[both], groups.labels_[both]) >= floor
