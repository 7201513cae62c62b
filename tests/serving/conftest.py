"""Fixtures of the serving tests: the public site's small fictional world, a fresh cache."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from tests.public.conftest import World, build_world


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db: None) -> World:
    return build_world()
