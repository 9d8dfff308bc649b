"""Tools for testing code that uses consultkit: a synthetic consultation generator with ground truth."""

from __future__ import annotations

from ._generator import Burst, Campaign, PostTruth, SyntheticConsultation, make_consultation

__all__ = ["Burst", "Campaign", "PostTruth", "SyntheticConsultation", "make_consultation"]
