"""Shared test set-up: hypothesis profiles, a pseudonymisation key, and paths to the shared data sets."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Pseudonyms need a key. Set one for the whole session before consultkit reads the environment, so no test
# creates ~/.config/consultkit/pseudonym.key in the developer's home.
os.environ.setdefault("CONSULTKIT_PSEUDONYM_KEY", "consultkit-test-suite-key-not-secret")

# "ci": the same examples on every run (reproducible failures), no per-example deadline on shared runners, and
# the reproduction blob printed with any failure. "dev": hypothesis' defaults.
# CI machines are shared: data generation that is slow under load is not a failure of the code under test.
settings.register_profile(
    "ci", derandomize=True, deadline=None, print_blob=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

#: ``../shared/data`` relative to the repository root: real data sets for development, never copied here.
SHARED_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Callable[..., Path]:
    """Return a function that builds a path under ``../shared/data`` and skips the test when it is absent."""

    def path(*parts: str) -> Path:
        target = SHARED_DATA.joinpath(*parts)
        if not target.exists():
            pytest.skip(f"shared data not available: {target}")
        return target

    return path
