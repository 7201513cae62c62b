"""A saved list of the public addresses, so none disappears by accident."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.urls import URLResolver, get_resolver

SAVED = Path(__file__).with_name("public_urls.txt")


NOT_PUBLIC = ("admin/", "staff/")
NOT_PUBLIC_APPS = ("distribution", "portal")  # the staff cycle, the preview links, the portal


def _walk(entries: list[Any], prefix: str) -> list[str]:
    found = []
    for entry in entries:
        if isinstance(entry, URLResolver):
            found += _walk(entry.url_patterns, prefix + str(entry.pattern))
        else:
            found.append("/" + prefix + str(entry.pattern))
    return found


def _public_patterns() -> list[str]:
    """Every address but the admin's and the staff's (the site, the API, downloads, embeds)."""
    resolver = get_resolver()
    entries = [
        e
        for e in resolver.url_patterns
        if not str(e.pattern).startswith(NOT_PUBLIC)
        and getattr(e, "app_name", None) not in NOT_PUBLIC_APPS
    ]
    return sorted(_walk(entries, ""))


def test_public_url_patterns_match_the_saved_list() -> None:
    saved = sorted(
        line.strip()
        for line in SAVED.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    )
    assert _public_patterns() == saved
