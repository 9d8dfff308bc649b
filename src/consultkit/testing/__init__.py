"""Tools for testing code built on consultkit.

`make_consultation` makes a synthetic consultation, with the ground truth for every post, for demos, tests and
benchmarks; `check_estimator` checks the contract every estimator keeps.
"""

from __future__ import annotations

from ._estimators import check_estimator
from ._generator import Burst, Campaign, PostTruth, SyntheticConsultation, make_consultation

__all__ = ["Burst", "Campaign", "PostTruth", "SyntheticConsultation", "check_estimator", "make_consultation"]
