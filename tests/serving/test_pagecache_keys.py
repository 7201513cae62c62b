"""The page cache's pure parts: the key, the encoding class, which responses may be shared."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from councilperf.serving.pagecache import (
    cache_key,
    encoding_class,
    storable_headers,
    strong_etag,
)

BASE: dict[str, Any] = {
    "path": "/councils/north/2019-20/",
    "query": {},
    "allowed": frozenset(),
    "year": "2019-20",
    "published": (("2018-19", 1), ("2019-20", 1)),
    "generation": "g1",
    "encoding": "gzip",
}


def key(**changes: Any) -> str | None:
    return cache_key(**{**BASE, **changes})


def test_the_key_is_stable() -> None:
    """Another process (another gunicorn worker, another string hash seed) computes the same
    key for the same request, so every worker finds the pages the others stored."""
    script = (
        "import django; django.setup()\n"
        "from tests.serving.test_pagecache_keys import key; print(key())"
    )
    other = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONHASHSEED": "12345"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert other.stdout.strip() == key()
    assert re.fullmatch(r"page:1:[0-9a-f]{40}", key() or "")


@pytest.mark.parametrize(
    "change",
    [
        {"path": "/councils/south/2019-20/"},
        {"published": (("2018-19", 1), ("2019-20", 2))},  # a correction of the URL's year
        {"published": (("2018-19", 2), ("2019-20", 1))},  # of another year shown on the page
        {"published": (("2018-19", 1), ("2019-20", 1), ("2020-21", 1))},  # a year published
        {"generation": "g2"},
        {"encoding": "identity"},
    ],
)
def test_every_part_changes_the_key(change: dict[str, Any]) -> None:
    assert key(**change) not in (None, key())


def test_a_year_that_is_not_published_is_never_cached() -> None:
    assert key(year="2020-21") is None
    assert key(year=None, path="/about/") is not None


def test_only_known_query_parameters_are_cached() -> None:
    home: dict[str, Any] = {"path": "/", "year": None, "allowed": frozenset({"year", "tier"})}
    assert key(**home, query={"page": ["2"]}) is None
    assert key(**home, query={"year": ["2019-20"], "utm": ["x"]}) is None
    plain = key(**home)
    by_year = key(**home, query={"year": ["2019-20"]})
    assert None not in (plain, by_year) and plain != by_year
    assert key(**home, query={"year": ["2019-20"], "tier": ["lower"]}) == key(
        **home, query={"tier": ["lower"], "year": ["2019-20"]}
    )
    assert key(query={"download": ["1"]}) is None  # a route that reads no parameter


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("gzip, deflate, br", "gzip"),
        ("br;q=1.0, GZIP;q=0.5", "gzip"),
        ("gzip;q=0", "identity"),
        ("br", "identity"),
        ("", "identity"),
    ],
)
def test_encoding_class(header: str, expected: str) -> None:
    assert encoding_class(header) == expected


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Cache-Control": "public, max-age=300"}, True),
        ({"Cache-Control": "max-age=300, public", "Vary": "Accept-Encoding"}, True),
        ({"Cache-Control": "public", "Vary": "Cookie"}, False),
        ({"Cache-Control": "public", "Vary": "Accept-Encoding, Cookie"}, False),
        ({"Cache-Control": "private, max-age=300"}, False),
        ({"Cache-Control": "public, no-store"}, False),
        ({"Cache-Control": "max-age=300"}, False),
        ({}, False),
    ],
)
def test_only_public_responses_varying_by_encoding_are_shared(
    headers: dict[str, str], expected: bool
) -> None:
    assert storable_headers(headers) is expected


def test_strong_etag() -> None:
    assert strong_etag(b"a") == strong_etag(b"a") != strong_etag(b"b")
    assert strong_etag(b"a").startswith('"') and not strong_etag(b"a").startswith("W/")
