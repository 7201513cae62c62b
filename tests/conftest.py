"""Shared fixtures. Reference-data tests read the real files under REFERENCE_DATA_DIR."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

# Property tests on a shared 2-core machine (CI runs the suite twice, other jobs beside it):
# a 2 s deadline per example instead of 200 ms, so a slow moment is not a failure, and the
# failing example printed so it can be replayed. HYPOTHESIS_PROFILE=default restores
# Hypothesis's own settings.
hypothesis_settings.register_profile(
    "ci",
    deadline=dt.timedelta(seconds=2),
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_unconfigure(config: pytest.Config) -> None:
    """The run's generated files (tests/settings.py) go when the run that made them ends."""
    if os.environ.get("COUNCILPERF_TEST_VAR_OWNER") == str(os.getpid()):
        shutil.rmtree(os.environ["VAR_DIR"], ignore_errors=True)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache (the page cache lives there: tests/settings.py)."""
    cache.clear()
    yield


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    path = Path(settings.REFERENCE_DATA_DIR)
    if not (path / "la_register").is_dir():
        pytest.fail(f"Reference data not found at {path}: set REFERENCE_DATA_DIR")
    return path


@pytest.fixture
def loaded_reference_data(db, reference_dir):
    """The real register, populations and boundaries, loaded into the test database."""
    from councilperf.authorities.services import load_reference_data
    from councilperf.years import ReportingYear

    return load_reference_data(directory=reference_dir, years=ReportingYear.span("2018-19:2024-25"))
