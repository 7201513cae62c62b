"""Fixtures of the serving tests: the public site's small fictional world."""

from __future__ import annotations

import pytest

from tests.site.conftest import World, build_world


@pytest.fixture
def world(db: None) -> World:
    return build_world()
