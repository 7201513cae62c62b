"""A saved list of the public addresses, so none disappears by accident."""

from __future__ import annotations

from pathlib import Path

from django.urls import URLResolver, get_resolver

SAVED = Path(__file__).with_name("public_urls.txt")


def _public_patterns() -> list[str]:
    resolver = get_resolver()
    public = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver) and entry.app_name == "public":
            public += ["/" + str(p.pattern) for p in entry.url_patterns]
    return sorted(public)


def test_public_url_patterns_match_the_saved_list() -> None:
    saved = sorted(
        line.strip()
        for line in SAVED.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    )
    assert _public_patterns() == saved
