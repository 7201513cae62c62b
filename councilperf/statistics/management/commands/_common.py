"""Shared pieces of the statistics commands."""

from __future__ import annotations

from django.core.management.base import CommandError

from councilperf.years import ReportingYear


def parse_year(value: str) -> str:
    try:
        return ReportingYear.parse(value).label
    except ValueError as error:
        raise CommandError(str(error)) from error
