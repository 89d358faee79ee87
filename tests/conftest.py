"""Hypothesis profiles for every property test (select one with HYPOTHESIS_PROFILE, else by CI).

``ci``: the same examples on every run (``derandomize``), no example database carried between runs,
no per-example deadline (shared CI machines stall), and a reproduction blob printed on failure.
``dev`` (local runs): fresh random examples each run, failures saved and replayed from
``.hypothesis/``. Property tests set only ``max_examples`` and health checks themselves.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None, print_blob=True)


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if _in_ci() else "dev"))


@pytest.fixture(autouse=True, scope="session")
def key_ring() -> None:
    """The key ring of secrets at rest: every entry point installs one through ``grader.bootstrap``;
    a test that stores a webhook secret without building an app uses this one (derived from the
    integration tests' SECRET_KEY, so a worker started with that key opens what tests stored)."""
    from grader.security import secret_box

    secret_box.install(secret_box.ring_for((), "test-secret"))
