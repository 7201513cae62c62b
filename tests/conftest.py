"""Shared fixtures. Reference-data tests read the real files under REFERENCE_DATA_DIR."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    path = Path(settings.REFERENCE_DATA_DIR)
    if not (path / "la_register").is_dir():
        pytest.fail(f"Reference data not found at {path}: set REFERENCE_DATA_DIR")
    return path
