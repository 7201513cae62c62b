"""Published review years: which exist, and the 404 for any other."""

from __future__ import annotations

from django.http import Http404

from councilperf.years import ReportingYear

from . import figures


def published_years() -> list[ReportingYear]:
    return figures.published_years()


def require_published(year: ReportingYear) -> ReportingYear:
    """The year if it is a published review year; 404 otherwise."""
    if not figures.is_published(year):
        raise Http404("No published review for this year")
    return year


def published_year(label: str) -> ReportingYear:
    """The published year that ``label`` names, parsed where the text enters (the API's
    path parameters, which arrive as text); 404 for any other text or year."""
    try:
        year = ReportingYear.parse(label)
    except ValueError:
        raise Http404("Not a reporting year") from None
    if year.label != label:
        raise Http404("Not a reporting year")
    return require_published(year)


def latest_published_year() -> ReportingYear | None:
    years = published_years()
    return years[-1] if years else None
