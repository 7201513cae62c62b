"""Published review years: which exist, and the 404 for any other."""

from __future__ import annotations

from django.http import Http404

from councilperf.years import ReportingYear

from . import figures


def published_years() -> list[str]:
    return figures.published_years()


def require_published(year: str) -> str:
    """The year label if it is a published review year; 404 otherwise."""
    try:
        label = ReportingYear.parse(year).label
    except ValueError:
        raise Http404("Not a reporting year") from None
    if label != year or not figures.is_published(label):
        raise Http404("No published review for this year")
    return label


def latest_published_year() -> str | None:
    years = published_years()
    return years[-1] if years else None
