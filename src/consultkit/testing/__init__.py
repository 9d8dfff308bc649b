"""Tools for testing code built on consultkit: `make_consultation` makes a synthetic consultation, with the
ground truth for every post, for demos, tests and benchmarks."""

from __future__ import annotations

from ._generator import Burst, Campaign, PostTruth, SyntheticConsultation, make_consultation

__all__ = ["Burst", "Campaign", "PostTruth", "SyntheticConsultation", "make_consultation"]
