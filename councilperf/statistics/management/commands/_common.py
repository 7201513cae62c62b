"""Shared pieces of the statistics commands."""

from __future__ import annotations

from django.core.management.base import CommandError

from councilperf.years import ReportingYear


def parse_year(value: str) -> ReportingYear:
    """The command's ``--year`` argument, parsed once."""
    try:
        return ReportingYear.parse(value)
    except ValueError as error:
        raise CommandError(str(error)) from error
