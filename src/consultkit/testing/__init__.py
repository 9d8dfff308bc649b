"""Tools for testing code built on consultkit.

`make_consultation` makes a synthetic consultation, with the ground truth for every post, for demos, tests and
benchmarks; `check_estimator` checks the contract every estimator keeps.
"""

from __future__ import annotations

from ._estimators import check_estimator
from ._generator import Burst, Campaign, PostTruth, SyntheticConsultation, make_consultation
from ._networks import FixtureTransport, check_network

__all__ = [
    "Burst",
    "Campaign",
    "FixtureTransport",
    "PostTruth",
    "SyntheticConsultation",
    "check_estimator",
    "check_network",
    "make_consultation",
]
