"""Shared test configuration: Hypothesis profiles (``ci`` on CI, ``dev`` elsewhere)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
# No example database, as on CI (derandomize implies none): the checker replays known failures from it, so one
# test's failures would be tried first by the next run of another; the tests of the database name their own.
settings.register_profile("dev", max_examples=50, deadline=None, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))
