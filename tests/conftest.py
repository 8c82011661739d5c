"""Shared test settings."""
import os

from hypothesis import HealthCheck, settings

# Deterministic property tests: the same examples every run, in CI and locally.
settings.register_profile("course", derandomize=True, max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "course"))
