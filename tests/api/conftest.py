"""API tests: the small Borsetshire world, and the demo data (seven published years)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.site.conftest import _fresh_cache, demo_world, world  # noqa: F401
from tests.site.test_browser import chromium, page  # noqa: F401
from tests.site.test_figures_everywhere import build_demo


@pytest.fixture
def demo_data(db: None, reference_dir: Any) -> None:
    """Seven published years of demo data at scale 0.05 (about 7 seconds to build)."""
    build_demo(reference_dir)
