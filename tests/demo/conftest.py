"""Fictional authorities for the demo generator's tests (pure inputs, no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from councilperf.demo.generator import AuthorityInput, AuthorityYearInput
from councilperf.years import ReportingYear

ALL_YEARS = tuple(y.label for y in ReportingYear.span("2018-19:2024-25"))


def authority(
    code: str,
    group: str,
    population: int,
    *,
    years: tuple[str, ...] = ALL_YEARS,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> AuthorityInput:
    return AuthorityInput(
        gss_code=code,
        start_date=start,
        end_date=end,
        years=tuple(AuthorityYearInput(y, group, population) for y in years),
    )


def borsetshire() -> list[AuthorityInput]:
    """A two-tier county with six districts (one of them E07000038), plus four single-tier."""
    districts = [
        authority("E07000038", "district", 101_000),
        authority("E07900001", "district", 95_000),
        authority("E07900002", "district", 140_000),
        authority("E07900003", "district", 80_000),
        authority("E07900004", "district", 120_000),
        authority("E07900005", "district", 110_000),
    ]
    return [
        *districts,
        authority("E10900001", "county", sum(d.years[0].population or 0 for d in districts)),
        authority("E06900001", "unitary", 250_000),
        authority("E08900001", "metropolitan", 320_000),
        authority("E09900001", "london", 280_000),
        # Abolished at the end of 2019-20; its successor starts the next day.
        authority("E06900002", "unitary", 180_000, years=ALL_YEARS[:2], end=dt.date(2020, 3, 31)),
        authority("E06900003", "unitary", 185_000, years=ALL_YEARS[2:], start=dt.date(2020, 4, 1)),
    ]


@pytest.fixture(scope="session")
def fictional() -> list[AuthorityInput]:
    return borsetshire()


@pytest.fixture(scope="session")
def small_data(fictional):
    """Seven years for the fictional set, at a fifth of national volume (≈ 24,000 cases)."""
    from councilperf.demo.generator import generate

    return generate(fictional, seed=1, scale=0.2)
