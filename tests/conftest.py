"""Shared fixtures: the seed transcript, a plugin host without entry points, tool checks."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from captionbridge.host.registry import PluginHost, make_host

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "fireside-chat.txt"

# Hypothesis profiles for every test module: quick ``ci`` by default, ``deep`` by hand
# (HYPOTHESIS_PROFILE=deep pytest ...). ``ci`` draws the same examples every run and keeps no
# example database in the checkout, so one run cannot change the next (exploring is what
# ``deep`` and the fuzzers in fuzz/ are for); no deadline, so a busy machine cannot fail it.
settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
    database=None,
)
settings.register_profile(
    "deep", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def host() -> PluginHost:
    """A plugin host with the built-in plugins only (no installed entry points)."""
    return make_host(entry_points=False)


def require_tool(name: str) -> str:
    """The path of an external tool; in CI a missing tool fails the test, locally it skips."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not installed; .ci/run must install it")
        pytest.skip(f"{name} is not installed")
    return path
