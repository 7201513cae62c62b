"""The public doorways' tests: the small Borsetshire world of the site's tests."""

from __future__ import annotations

from tests.site.conftest import _fresh_cache, world  # noqa: F401
