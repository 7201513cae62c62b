"""What every public template may use: whether the site shows demonstration data.

A page that knows its own data passes ``synthetic`` itself; pages that show no figures of
their own (search, the A–Z list, about, downloads, the 404 page) fall back to
``site_synthetic``: true when the latest published year's figures are demonstration data.
It is read lazily, only by a template that needs it, through the published-figures doorway
(kept per process), and never writes."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from councilperf.published import figures


def published_synthetic() -> bool:
    years = figures.published_years()
    return bool(years) and any(f.synthetic for f in figures.authorities(years[-1]).values())


def site(request: HttpRequest) -> dict[str, Any]:
    return {"site_synthetic": SimpleLazyObject(published_synthetic)}
